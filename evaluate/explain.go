package evaluate

import (
	"errors"
	"strconv"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"

	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/policy"
)

// What a trace says of a statement whose conditions did not apply: the
// first condition that did not hold, with its operator, key and why. It is
// worked out only for traces, one condition at a time, by direct mirrors of
// the CEL expressions condExpr writes (a test holds the two together), so
// evaluation itself is untouched.

// holdsAlone reports whether k's condition holds on its own, as the
// program condExpr writes for it would say: the same forms over the same
// some, each, present, nonempty and isnull functions.
func (k *requestKey) holdsAlone() (bool, error) {
	c := k.cond.src
	if c.Operator == policy.Null {
		return valBool(null(k))
	}
	neg := c.Operator.Negated()
	var v bool
	var err error
	switch {
	case c.Set == policy.ForAnyValue && neg: // nonempty(v) && !each(v)
		if len(k.values) == 0 {
			v = false
			break
		}
		v, err = valBool(quantify(k, true))
		v = !v
	case c.Set == policy.ForAllValues && !neg: // each(v)
		v, err = valBool(quantify(k, true))
	case neg: // !some(v)
		v, err = valBool(quantify(k, false))
		v = !v
	default: // some(v)
		v, err = valBool(quantify(k, false))
	}
	if c.IfExists && !k.present {
		return true, nil
	}
	return v, err
}

// valBool reads a CEL result: a boolean, or the error it carries.
func valBool(v ref.Val) (bool, error) {
	if types.IsError(v) {
		if e, ok := v.Value().(error); ok {
			return false, e
		}
		return false, errors.New("condition could not be evaluated")
	}
	b, ok := v.Value().(bool)
	if !ok {
		return false, errors.New("condition gave no boolean")
	}
	return b, nil
}

// explainConditions names the first condition of statement i of pp that
// does not hold for the evaluation's request, or could not be evaluated:
// "StringLike s3:prefix: key absent". It returns "" when every condition
// holds.
func (e *evaluation) explainConditions(pp *Prepared, i int) string {
	sc := e.vars()
	for _, c := range pp.stmts[i].conds {
		k := requestKey{vars: &sc.vars, cond: c}
		inContext := c.inContext(e.info.Index)
		if inContext {
			k.values, k.present = sc.vars.values(c.key, &k.one)
		}
		ok, err := k.holdsAlone()
		switch {
		case err != nil:
			return c.src.OperatorName() + " " + c.src.Key + ": " + err.Error()
		case !ok:
			return c.src.OperatorName() + " " + c.src.Key + ": " + k.whyNot(inContext, e.info.Name)
		}
	}
	return ""
}

// whyNot says why k's condition, which does not hold, fails.
func (k *requestKey) whyNot(inContext bool, action string) string {
	c := k.cond
	src := c.src
	switch {
	case !inContext:
		return "not in the request context of " + action
	case src.Operator == policy.Null && k.present:
		return "key present"
	case src.Operator == policy.Null:
		return "key absent"
	case !k.present:
		return "key absent"
	case len(k.values) == 0:
		return "no request values"
	}
	n := len(src.Values)
	what := plural(n, "value")
	if c.fam == famIP {
		what = plural(n, "block")
	}
	neg := src.Operator.Negated()
	switch {
	case src.Set == policy.ForAnyValue && !neg:
		return "none of " + plural(len(k.values), "request value") + " matches"
	case src.Set == policy.ForAnyValue:
		return "every request value matches one of " + what
	case neg:
		for _, r := range k.values {
			if ok, _ := c.match(r, k.vars); ok {
				return errfmt.Quote(r) + " matches one of " + what
			}
		}
	default:
		for _, r := range k.values {
			if ok, _ := c.match(r, k.vars); !ok {
				if c.fam == famIP {
					return r + " is in none of " + what
				}
				return errfmt.Quote(r) + " matches none of " + what
			}
		}
	}
	return "does not hold"
}

func plural(n int, noun string) string {
	s := strconv.Itoa(n) + " " + noun
	if n != 1 {
		s += "s"
	}
	return s
}
