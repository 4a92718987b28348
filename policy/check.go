package policy

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/s3authz/s3authz/internal/condval"
	"github.com/s3authz/s3authz/internal/glob"
)

// This file holds the checks of a built condition: the operator against the
// key's type in the catalog, and every value read as the operator's type
// with the readers of internal/condval, which evaluation reads with too.
// Parse runs them on each condition it builds; Validate runs them on a
// policy built by hand, and evaluate.Prepare calls Validate, so the two
// refuse the same conditions with the same errors.

// valueType is the type an operator reads its values as.
type valueType uint8

const (
	valText   valueType = iota + 1 // the String operators: the compiled Pattern
	valNumber                      // the Numeric operators
	valDate                        // the Date operators
	valBool                        // Bool and Null
	valBinary                      // BinaryEquals: base64
	valIP                          // IpAddress, NotIpAddress: CIDR blocks
	valARN                         // the Arn operators: six components
)

// valueTypeOf returns the type op reads its values as; 0 for an invalid
// operator.
func valueTypeOf(op Operator) valueType {
	switch {
	case op >= StringEquals && op <= StringNotLike:
		return valText
	case op >= NumericEquals && op <= NumericGreaterThanEquals:
		return valNumber
	case op >= DateEquals && op <= DateGreaterThanEquals:
		return valDate
	case op == Bool || op == Null:
		return valBool
	case op == BinaryEquals:
		return valBinary
	case op == IpAddress || op == NotIpAddress:
		return valIP
	case op >= ArnEquals && op <= ArnNotLike:
		return valARN
	}
	return 0
}

// What each type of value must look like, as error messages say it.
var valueWants = [...]string{
	valNumber: "want an integer or decimal number",
	valDate:   "want an ISO 8601 date such as 2024-01-31T23:59:59Z, or epoch seconds",
	valBool:   "want true or false",
	valBinary: "want base64",
	valIP:     "want an IPv4 or IPv6 address or CIDR block",
	valARN:    "want an ARN: arn:partition:service:region:account:resource",
}

// checkCondition reports to fail, in document order, every problem of c
// until fail returns false (the caller has all the errors it keeps): an
// operator Parse would not have produced, an empty value list, an operator
// the key's type does not take (at the key: c.Pointer, c.Offset; its
// values are not read then), and each value its operator cannot read (at
// the value: ValuePointer(i), Value.Offset). vars says policy variables
// are live (Version 2012-10-17), for the components of ARN values.
func checkCondition(c *Condition, vars bool, fail func(pointer string, offset int, err error) bool) {
	typ := valueTypeOf(c.Operator)
	if typ == 0 || c.Set > ForAnyValue || c.Operator == Null && (c.Set != SetNone || c.IfExists) {
		fail(c.Pointer, c.Offset, errv(ErrInvalidCondition, c.OperatorName(), "unknown operator"))
		return
	}
	if len(c.Values) == 0 {
		fail(c.Pointer, c.Offset, errf(ErrInvalidCondition, "empty value list"))
		return
	}
	if info, ok := LookupConditionKey(c.Key); ok && !info.Type.Accepts(c.Operator) {
		fail(c.Pointer, c.Offset, errv(ErrInvalidCondition, c.Key, "%s cannot test a key of type %s", c.OperatorName(), info.Type))
		return
	}
	for i := range c.Values {
		v := &c.Values[i]
		var ok bool
		switch typ {
		case valText:
			continue
		case valNumber:
			_, ok = condval.Number(v.Text)
		case valDate:
			_, ok = condval.Date(v.Text)
		case valBool:
			if c.Operator == Bool && v.Pattern.HasVars() {
				continue // read once substituted, for each request
			}
			_, ok = condval.Bool(v.Text)
		case valBinary:
			_, ok = condval.Binary(v.Text)
		case valIP:
			_, ok = condval.CIDR(v.Text)
		case valARN:
			var parts [condval.ARNParts]string
			if ok = condval.SplitARNTemplate(v.Text, &parts); ok {
				if j := badARNPart(&parts, vars); j >= 0 {
					if !fail(c.ValuePointer(i), v.Offset, errv(ErrInvalidVariable, v.Text,
						"the ARN's colons cut a variable in component %d (a default value cannot hold '}' here)", j+1)) {
						return
					}
					continue
				}
			}
		}
		if !ok && !fail(c.ValuePointer(i), v.Offset, errv(ErrInvalidCondition, v.Text, "%s", valueWants[typ])) {
			return
		}
	}
}

// badARNPart returns the index of the first component of an ARN value
// that does not compile as evaluation compiles it, or -1. The whole value
// compiled, but a component may not: a '}' inside a variable's default
// value ends the variable for the split, and a colon after it cuts it.
func badARNPart(parts *[condval.ARNParts]string, vars bool) int {
	if !vars {
		return -1 // without variables a glob always compiles
	}
	for j, part := range parts {
		if !strings.Contains(part, "${") {
			continue // no variable: nothing to fail, nothing to allocate
		}
		if _, err := glob.Compile(part, glob.Glob, true); err != nil {
			return j
		}
	}
	return -1
}

// Validate checks a policy that was built or changed by hand, not returned
// by Parse, against what Parse guarantees and evaluation relies on. Of each
// statement: an Effect of Allow or Deny; exactly one of Action and
// NotAction, and of Resource and NotResource, each non-empty; in a Bucket
// policy exactly one of Principal and NotPrincipal, not empty, and in an
// Identity policy neither. Of each condition: an operator Parse produces, a
// non-empty value list, an operator that takes the key's type in the
// catalog ([KeyType.Accepts]), and values that read as the operator's type
// (numbers, dates, booleans, base64, CIDR blocks, ARNs whose components
// compile), checked by the code Parse runs, with the same errors. It does
// not re-read the text of principals, actions and resources, nor compare a
// Pattern with its value's Text.
//
// It reports problems as Parse does: up to MaxErrors *Error values, each
// naming a Pointer and Offset (those of the statement, for its elements)
// and wrapping a sentinel, ordered by offset and joined with errors.Join
// when there are several. A policy Parse returned always passes. Package
// evaluate's Prepare calls Validate and refuses what it refuses.
func (p *Policy) Validate() error {
	var errs []*Error
	fail := func(pointer string, offset int, err error) bool {
		if len(errs) < MaxErrors {
			errs = append(errs, &Error{Pointer: pointer, Offset: offset, Err: err})
		}
		return len(errs) < MaxErrors
	}
	if p.Kind != Bucket && p.Kind != Identity {
		fail("", 0, errf(ErrInvalidValue, "unknown policy kind %d", p.Kind))
	}
	vars := p.Version == Version2012
	for si := 0; si < len(p.Statements) && len(errs) < MaxErrors; si++ {
		st := &p.Statements[si]
		checkStatement(st, p.Kind, fail)
		for ci := range st.Conditions {
			checkCondition(&st.Conditions[ci], vars, fail)
		}
	}
	return joinErrors(errs)
}

// checkStatement reports to fail what Parse would refuse in the elements of
// st that evaluation relies on, at the statement's offset.
func checkStatement(st *Statement, kind Kind, fail func(pointer string, offset int, err error) bool) {
	at := func(element string) string { return st.Pointer + "/" + element }
	if st.Effect != Allow && st.Effect != Deny {
		fail(at("Effect"), st.Offset, errv(ErrInvalidValue, st.Effect.String(), `want "Allow" or "Deny"`))
	}
	// pair checks the elements name and notName, set saying which are
	// present and n and notN how many entries each has; empty is the
	// fault of a present element with none.
	pair := func(name, notName string, set, notSet bool, n, notN int, empty func() error) {
		switch {
		case !set && !notSet:
			fail(st.Pointer, st.Offset, errf(ErrMissingElement, "%s or %s", name, notName))
		case set && notSet:
			fail(at(notName), st.Offset, errf(ErrConflict, "a statement has %s or %s, not both", name, notName))
		case set && n == 0:
			fail(at(name), st.Offset, empty())
		case notSet && notN == 0:
			fail(at(notName), st.Offset, empty())
		}
	}
	emptyList := func() error { return errf(ErrInvalidValue, "empty list") }
	pair("Action", "NotAction", st.Action != nil, st.NotAction != nil, len(st.Action), len(st.NotAction), emptyList)
	pair("Resource", "NotResource", st.Resource != nil, st.NotResource != nil, len(st.Resource), len(st.NotResource), emptyList)
	switch kind {
	case Bucket:
		pair("Principal", "NotPrincipal", st.Principal != nil, st.NotPrincipal != nil, st.Principal.count(), st.NotPrincipal.count(),
			func() error { return errf(ErrInvalidPrincipal, "empty principal object") })
	case Identity:
		if st.Principal != nil {
			fail(at("Principal"), st.Offset, errf(ErrUnknownElement, "Principal: an identity policy names no principal"))
		}
		if st.NotPrincipal != nil {
			fail(at("NotPrincipal"), st.Offset, errf(ErrUnknownElement, "NotPrincipal: an identity policy names no principal"))
		}
	}
}

// count returns the number of entries, "*" counting as one; 0 for nil.
func (p *Principals) count() int {
	if p == nil {
		return 0
	}
	n := len(p.AWS) + len(p.CanonicalUser) + len(p.Service) + len(p.Federated)
	if p.All {
		n++
	}
	return n
}

// joinErrors returns nil, the one error, or the errors ordered by offset
// (stably: in the order found for equal offsets) and joined.
func joinErrors(errs []*Error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	slices.SortStableFunc(errs, func(a, b *Error) int { return cmp.Compare(a.Offset, b.Offset) })
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}
