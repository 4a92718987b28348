package policy

import (
	"slices"

	"github.com/s3authz/s3authz/internal/jsontext"
)

// MarshalJSON writes the policy in canonical form: compact, members in the
// grammar's order (Version, Id, Statement; Sid, Effect, Principal or
// NotPrincipal, Action or NotAction, Resource or NotResource, Condition),
// Statement and every list as an array, principal types in the order AWS,
// CanonicalUser, Service, Federated, empty Sid and Id and an absent Version
// left out, condition values with the JSON type they were written with.
// Lists keep their document order. The output is deterministic and parses
// back to an Equal policy.
func (p *Policy) MarshalJSON() ([]byte, error) {
	return p.AppendJSON(nil), nil
}

// AppendJSON appends the canonical form of MarshalJSON to b.
func (p *Policy) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	if p.Version == Version2008 || p.Version == Version2012 {
		b = append(b, `"Version":`...)
		b = jsontext.AppendString(b, p.Version.String())
		b = append(b, ',')
	}
	if p.ID != "" {
		b = append(b, `"Id":`...)
		b = jsontext.AppendString(b, p.ID)
		b = append(b, ',')
	}
	b = append(b, `"Statement":[`...)
	for i := range p.Statements {
		if i > 0 {
			b = append(b, ',')
		}
		b = p.Statements[i].appendJSON(b)
	}
	return append(b, "]}"...)
}

func (s *Statement) appendJSON(b []byte) []byte {
	b = append(b, '{')
	if s.Sid != "" {
		b = append(b, `"Sid":`...)
		b = jsontext.AppendString(b, s.Sid)
		b = append(b, ',')
	}
	b = append(b, `"Effect":`...)
	b = jsontext.AppendString(b, s.Effect.String())
	if s.Principal != nil {
		b = s.Principal.appendJSON(append(b, `,"Principal":`...))
	}
	if s.NotPrincipal != nil {
		b = s.NotPrincipal.appendJSON(append(b, `,"NotPrincipal":`...))
	}
	b = appendPatterns(b, "Action", s.Action)
	b = appendPatterns(b, "NotAction", s.NotAction)
	b = appendPatterns(b, "Resource", s.Resource)
	b = appendPatterns(b, "NotResource", s.NotResource)
	if len(s.Conditions) > 0 {
		b = append(b, `,"Condition":{`...)
		prev := ""
		for i := range s.Conditions {
			c := &s.Conditions[i]
			name := c.OperatorName()
			switch {
			case i == 0:
				b = jsontext.AppendString(b, name)
				b = append(b, ":{"...)
			case name != prev:
				b = append(b, "},"...)
				b = jsontext.AppendString(b, name)
				b = append(b, ":{"...)
			default:
				b = append(b, ',')
			}
			prev = name
			b = jsontext.AppendString(b, c.Key)
			b = append(b, ":["...)
			for j, v := range c.Values {
				if j > 0 {
					b = append(b, ',')
				}
				if v.Kind == StringValue {
					b = jsontext.AppendString(b, v.Text)
				} else {
					b = append(b, v.Text...)
				}
			}
			b = append(b, ']')
		}
		b = append(b, "}}"...)
	}
	return append(b, '}')
}

func (p *Principals) appendJSON(b []byte) []byte {
	if p.All {
		return append(b, `"*"`...)
	}
	b = append(b, '{')
	first := true
	for t := range principalTypeNames {
		list := *p.list(principalType(t))
		if len(list) == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = jsontext.AppendString(b, principalTypeNames[t])
		b = appendStrings(append(b, ':'), list)
	}
	return append(b, '}')
}

func appendPatterns(b []byte, name string, ps []Pattern) []byte {
	if ps == nil {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, `":[`...)
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsontext.AppendString(b, p.String())
	}
	return append(b, ']')
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsontext.AppendString(b, s)
	}
	return append(b, ']')
}

// Equal reports whether p and q have the same canonical form: the same
// kind, version, Id and statements, with elements and lists compared as
// written (so "s3:GetObject" and "s3:getobject" differ, and list order
// matters). Pointers and offsets are ignored.
func (p *Policy) Equal(q *Policy) bool {
	if p == nil || q == nil {
		return p == q
	}
	return p.Kind == q.Kind && p.Version == q.Version && p.ID == q.ID &&
		slices.EqualFunc(p.Statements, q.Statements, func(a, b Statement) bool { return a.Equal(&b) })
}

// Equal reports whether two statements have the same canonical form.
func (s *Statement) Equal(t *Statement) bool {
	return s.Sid == t.Sid && s.Effect == t.Effect &&
		s.Principal.Equal(t.Principal) && s.NotPrincipal.Equal(t.NotPrincipal) &&
		equalPatterns(s.Action, t.Action) && equalPatterns(s.NotAction, t.NotAction) &&
		equalPatterns(s.Resource, t.Resource) && equalPatterns(s.NotResource, t.NotResource) &&
		slices.EqualFunc(s.Conditions, t.Conditions, func(a, b Condition) bool { return a.Equal(&b) })
}

// Equal reports whether two principal elements list the same entries; nil
// (absent) equals only nil.
func (p *Principals) Equal(q *Principals) bool {
	if p == nil || q == nil {
		return p == q
	}
	return p.All == q.All && slices.Equal(p.AWS, q.AWS) && slices.Equal(p.CanonicalUser, q.CanonicalUser) &&
		slices.Equal(p.Service, q.Service) && slices.Equal(p.Federated, q.Federated)
}

// Equal reports whether two conditions have the same operator, key and
// values (text and JSON type).
func (c *Condition) Equal(d *Condition) bool {
	return c.Operator == d.Operator && c.Set == d.Set && c.IfExists == d.IfExists && c.Key == d.Key &&
		slices.EqualFunc(c.Values, d.Values, func(a, b Value) bool { return a.Text == b.Text && a.Kind == b.Kind })
}

func equalPatterns(a, b []Pattern) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	return slices.EqualFunc(a, b, func(x, y Pattern) bool { return x.String() == y.String() })
}
