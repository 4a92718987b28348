package scenario

import (
	"fmt"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

type principal struct {
	p        ownership.Principal
	tags     []ownership.Tag
	identity []*evaluate.Prepared
	boundary *evaluate.Prepared
	session  []*evaluate.Prepared
}

// principalFields is a principal of the principals section, under its
// name: exactly one of arn, service and anonymous, and its policies.
var principalFields = fields[principal]{
	{name: "arn", want: kString, read: func(l *loader, pr *principal, n *node, _ string) (err error) {
		if pr.p, err = ownership.ParsePrincipal(n.str); err != nil {
			return invalid(err)
		}
		return l.declared(string(pr.p.Account()))
	}},
	{name: "service", want: kString, read: func(_ *loader, pr *principal, n *node, _ string) (err error) {
		pr.p, err = ownership.ServicePrincipal(n.str)
		return invalid(err)
	}},
	{name: "anonymous", want: kBool, read: func(_ *loader, pr *principal, n *node, _ string) error {
		if !n.b {
			return fmt.Errorf("%w: anonymous is true or absent", ErrInvalid)
		}
		pr.p = ownership.Anonymous()
		return nil
	}},
	{name: "policies", want: kArray, read: func(l *loader, pr *principal, n *node, ptr string) error {
		return l.policies(&pr.identity, n, ptr)
	}},
	{name: "permissionsBoundary", read: func(l *loader, pr *principal, n *node, _ string) error {
		return l.policy(&pr.boundary, n, policy.Identity)
	}},
	{name: "sessionPolicies", want: kArray, read: func(l *loader, pr *principal, n *node, ptr string) error {
		return l.policies(&pr.session, n, ptr)
	}},
	{name: "tags", want: kObject, read: func(l *loader, pr *principal, n *node, ptr string) error {
		return l.tags(&pr.tags, n, ptr)
	}},
}

func (l *loader) principalsSection(n *node, ptr string) error {
	return l.each(n, ptr, func(name string, v *node, pptr string) error {
		pr := &principal{}
		if !principalFields.walk(l, v, pptr, pr) {
			return l.err
		}
		set := 0
		for _, k := range [...]string{"arn", "service", "anonymous"} {
			if _, ok := v.get(k); ok {
				set++
			}
		}
		if set != 1 {
			return fmt.Errorf("%w: a principal has exactly one of arn, service and anonymous", ErrInvalid)
		}
		l.principals[name] = pr
		return nil
	})
}

// policies appends an array of identity policies, parsed and prepared,
// to dst.
func (l *loader) policies(dst *[]*evaluate.Prepared, n *node, ptr string) error {
	return l.items(n, ptr, func(e *node, _ string) error {
		var pp *evaluate.Prepared
		err := l.policy(&pp, e, policy.Identity)
		*dst = append(*dst, pp)
		return err
	})
}

// policy parses and prepares an embedded policy document into dst.
func (l *loader) policy(dst **evaluate.Prepared, n *node, kind policy.Kind) error {
	if n.kind != kObject {
		return typeError(n, "a policy object")
	}
	p, err := policy.Parse(kind, n.raw(l.data))
	if err == nil {
		*dst, err = evaluate.Prepare(p)
	}
	return embedded(ErrPolicy, err)
}

// tags reads tags, an object of strings, into dst; no tags are an empty
// list, not nil.
func (l *loader) tags(dst *[]ownership.Tag, n *node, ptr string) error {
	*dst = make([]ownership.Tag, 0, len(n.keys))
	return l.each(n, ptr, func(k string, v *node, _ string) error {
		*dst = append(*dst, ownership.Tag{Key: k, Value: v.str})
		return wantString(v)
	})
}
