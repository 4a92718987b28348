package evaluate

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/s3authz/s3authz/internal/ascii"
	"github.com/s3authz/s3authz/internal/condval"
	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/internal/glob"
	"github.com/s3authz/s3authz/policy"
)

// opFamily groups operators by how they compare one value.
type opFamily uint8

const (
	famString     opFamily = iota + 1 // StringEquals, StringNotEquals
	famStringFold                     // ...IgnoreCase
	famLike                           // StringLike, StringNotLike
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famArn
	famNull
)

func family(op policy.Operator) opFamily {
	switch op {
	case policy.StringEquals, policy.StringNotEquals:
		return famString
	case policy.StringEqualsIgnoreCase, policy.StringNotEqualsIgnoreCase:
		return famStringFold
	case policy.StringLike, policy.StringNotLike:
		return famLike
	case policy.NumericEquals, policy.NumericNotEquals, policy.NumericLessThan, policy.NumericLessThanEquals,
		policy.NumericGreaterThan, policy.NumericGreaterThanEquals:
		return famNumeric
	case policy.DateEquals, policy.DateNotEquals, policy.DateLessThan, policy.DateLessThanEquals,
		policy.DateGreaterThan, policy.DateGreaterThanEquals:
		return famDate
	case policy.Bool:
		return famBool
	case policy.BinaryEquals:
		return famBinary
	case policy.IpAddress, policy.NotIpAddress:
		return famIP
	case policy.ArnEquals, policy.ArnLike, policy.ArnNotEquals, policy.ArnNotLike:
		return famArn
	case policy.Null:
		return famNull
	}
	return 0
}

// order is how a Numeric or Date operator compares the request value r with
// a policy value p.
type order uint8

const (
	ordEq order = iota
	ordLT       // r < p
	ordLE       // r <= p
	ordGT       // r > p
	ordGE       // r >= p
)

func orderOf(op policy.Operator) order {
	switch op {
	case policy.NumericLessThan, policy.DateLessThan:
		return ordLT
	case policy.NumericLessThanEquals, policy.DateLessThanEquals:
		return ordLE
	case policy.NumericGreaterThan, policy.DateGreaterThan:
		return ordGT
	case policy.NumericGreaterThanEquals, policy.DateGreaterThanEquals:
		return ordGE
	}
	return ordEq
}

func (o order) holds(c int) bool {
	switch o {
	case ordLT:
		return c < 0
	case ordLE:
		return c <= 0
	case ordGT:
		return c > 0
	case ordGE:
		return c >= 0
	}
	return c == 0
}

// cond is one prepared condition: an operator on one key with its policy
// values typed once. Its positive comparison (the negation, IfExists and
// set qualifier are the CEL expression's business) asks whether a request
// value matches any policy value.
type cond struct {
	src *policy.Condition
	fam opFamily
	ord order
	key string // lowercase
	// scope is the set of actions whose request context holds the key,
	// shared by the conditions on that key; nil for a key in every
	// context, empty for an s3: key outside the catalog.
	scope  *actionSet
	pats   []glob.Pattern
	nums   []float64
	times  []time.Time
	bools  []bool
	bins   []string
	prefix []netip.Prefix
	arns   [][arnParts]glob.Pattern
}

const arnParts = condval.ARNParts

// prepareCond types the values of c for its operator, once. It expects a
// condition policy.Policy.Validate passed, so every value reads; one that
// does not (a condition changed after the check) is an error all the same,
// never a value read as zero.
func prepareCond(c *policy.Condition, vars bool, acts *actionSets) (*cond, error) {
	pc := &cond{src: c, fam: family(c.Operator), ord: orderOf(c.Operator), key: ascii.Lower(c.Key)}
	pc.scope = acts.keyScope(pc.key)
	for i := range c.Values {
		v := &c.Values[i]
		ok := true
		switch pc.fam {
		case famString, famStringFold, famLike:
			pc.pats = append(pc.pats, glob.Pattern(v.Pattern))
		case famNumeric:
			var n float64
			n, ok = condval.Number(v.Text)
			pc.nums = append(pc.nums, n)
		case famDate:
			var t time.Time
			t, ok = condval.Date(v.Text)
			pc.times = append(pc.times, t)
		case famBool, famNull:
			if pc.fam == famBool && v.Pattern.HasVars() {
				// A Bool value may hold a policy variable; it is read
				// once substituted, for each request.
				pc.pats = append(pc.pats, glob.Pattern(v.Pattern))
				continue
			}
			var b bool
			b, ok = condval.Bool(v.Text)
			pc.bools = append(pc.bools, b)
		case famBinary:
			var b string
			b, ok = condval.Binary(v.Text)
			pc.bins = append(pc.bins, b)
		case famIP:
			var p netip.Prefix
			p, ok = condval.CIDR(v.Text)
			pc.prefix = append(pc.prefix, p)
		case famArn:
			var parts [arnParts]string
			var a [arnParts]glob.Pattern
			ok = condval.SplitARNTemplate(v.Text, &parts)
			for j := 0; ok && j < arnParts; j++ {
				var err error
				a[j], err = glob.Compile(parts[j], glob.Glob, vars)
				ok = err == nil
			}
			pc.arns = append(pc.arns, a)
		default:
			ok = false
		}
		if !ok {
			return nil, fmt.Errorf("evaluate: %s: value %d does not read as %s reads it, though the policy validated", c.Pointer, i, c.OperatorName())
		}
	}
	return pc, nil
}

// inContext reports whether the request context of the action with the
// catalog index action holds c's key: a global key always, a per-action
// key when the action's row lists it (policy.ActionInfo.HasConditionKey).
// An action of -1 (Prepared.Conditions, which names none) holds every key
// but an s3: key outside the catalog.
func (c *cond) inContext(action int) bool {
	if c.scope == nil {
		return true
	}
	if action < 0 {
		return !c.scope.empty()
	}
	return c.scope.has(action)
}

// badRequestValue reports a request value the operator cannot read: a
// number, date, boolean or address that does not parse. Evaluation fails
// closed on it.
func badRequestValue(r, want string) error {
	return fmt.Errorf("request value %s is not %s", errfmt.Quote(r), want)
}

// match reports whether request value r matches any policy value under the
// operator's positive comparison. vars resolves policy variables.
func (c *cond) match(r string, vars policy.Vars) (bool, error) {
	switch c.fam {
	case famString, famLike:
		for i := range c.pats {
			if c.pats[i].Match(r, vars) {
				return true, nil
			}
		}
	case famStringFold:
		// EqualFold reads an invalid byte as U+FFFD; such a value equals
		// no policy value instead.
		if !utf8.ValidString(r) {
			return false, nil
		}
		for i := range c.pats {
			p, ok := c.pats[i].Expand(vars)
			if ok && utf8.ValidString(p) && strings.EqualFold(r, p) {
				return true, nil
			}
		}
	case famNumeric:
		n, ok := condval.Number(r)
		if !ok {
			return false, badRequestValue(r, "a number")
		}
		for _, p := range c.nums {
			cmp := 0
			switch {
			case n < p:
				cmp = -1
			case n > p:
				cmp = 1
			}
			if c.ord.holds(cmp) {
				return true, nil
			}
		}
	case famDate:
		t, ok := condval.Date(r)
		if !ok {
			return false, badRequestValue(r, "a date")
		}
		for _, p := range c.times {
			if c.ord.holds(t.Compare(p)) {
				return true, nil
			}
		}
	case famBool:
		b, ok := condval.Bool(r)
		if !ok {
			return false, badRequestValue(r, "a boolean")
		}
		for _, p := range c.bools {
			if b == p {
				return true, nil
			}
		}
		for i := range c.pats {
			// A value with a variable that has no value, or whose value
			// is no boolean, matches nothing.
			s, ok := c.pats[i].Expand(vars)
			if p, isBool := condval.Bool(s); ok && isBool && b == p {
				return true, nil
			}
		}
	case famBinary:
		for _, p := range c.bins {
			if r == p {
				return true, nil
			}
		}
	case famIP:
		a, ok := condval.Addr(r)
		if !ok {
			// A zoned address is in no CIDR block; a source address
			// never carries a zone, so it is unreadable, not a miss.
			return false, badRequestValue(r, "an IP address without a zone")
		}
		for _, p := range c.prefix {
			if p.Contains(a) {
				return true, nil
			}
		}
	case famArn:
		var parts [arnParts]string
		if !condval.SplitARN(r, &parts) {
			return false, nil
		}
		for i := range c.arns {
			if matchARN(&c.arns[i], &parts, vars) {
				return true, nil
			}
		}
	}
	return false, nil
}

func matchARN(p *[arnParts]glob.Pattern, parts *[arnParts]string, vars policy.Vars) bool {
	for j := range p {
		if !p[j].Match(parts[j], vars) {
			return false
		}
	}
	return true
}
