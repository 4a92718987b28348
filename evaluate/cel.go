package evaluate

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common/decls"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/interpreter"

	"github.com/s3authz/s3authz/policy"
)

// The CEL side of conditions. Each condition becomes a small expression
// over one variable, vN: the request's values of the condition's key, bound
// to the prepared condition. CEL carries the logic that AWS defines around
// one comparison: presence, IfExists, negation, the set qualifiers and the
// AND of the conditions of a block. Go functions registered in the
// environment carry the typed comparisons CEL lacks: globs, ARN components,
// CIDR blocks, ISO 8601 and epoch dates, base64.
//
//	present(v)  the key is in the request
//	nonempty(v) the key has at least one value
//	some(v)     some request value matches some policy value (false when
//	            the key is absent or empty)
//	each(v)     every request value matches some policy value (true when
//	            the key is absent or empty)
//	isnull(v)   the Null operator
//
// A program depends only on its expression, which depends only on the
// block's shape (operators, qualifiers, IfExists, number of conditions), so
// blocks of the same shape share one compiled program; the values reach it
// through the activation.

// maxProgramConds is the number of conditions one program takes; a block
// with more is split into several programs whose results are ANDed.
const maxProgramConds = 32

// costLimit bounds the CEL work of one program evaluation. The expressions
// have no loops or comprehensions, so the bound is proven once, with CEL's
// static cost estimate at Prepare, instead of tracked on every evaluation
// (which would wrap every node and allocate each time); a program whose
// worst case exceeds it is refused. A block of maxProgramConds conditions
// costs well under a tenth of it. The Go comparisons a program calls are
// bounded on their own: linear globs over values of bounded size.
const costLimit = 10_000

// callCost is the estimator's view of the registered functions: each call
// counts as one unit, plus its arguments.
type callCost struct{}

func (callCost) EstimateSize(checker.AstNode) *checker.SizeEstimate { return nil }
func (callCost) EstimateCallCost(function, overloadID string, target *checker.AstNode, args []checker.AstNode) *checker.CallEstimate {
	return &checker.CallEstimate{CostEstimate: checker.CostEstimate{Min: 1, Max: 1}}
}

var keyCELType = cel.OpaqueType("s3authz.RequestKey")

// celEnv is the one CEL environment of the process, built on first use and
// never changed afterwards.
var celEnv = sync.OnceValues(func() (*cel.Env, error) {
	opts := make([]cel.EnvOption, 0, maxProgramConds+5)
	for i := range maxProgramConds {
		opts = append(opts, cel.Variable("v"+strconv.Itoa(i), keyCELType))
	}
	// The checker proves every argument is a request key, so the runtime
	// type guards would only repeat that.
	fn := func(name string, binding func(k *requestKey) ref.Val) cel.EnvOption {
		return cel.Function(name, decls.DisableTypeGuards(true),
			cel.Overload(name+"_key", []*cel.Type{keyCELType}, cel.BoolType,
				cel.UnaryBinding(func(k ref.Val) ref.Val { return binding(k.(*requestKey)) })))
	}
	opts = append(opts,
		fn("present", func(k *requestKey) ref.Val { return types.Bool(k.present) }),
		fn("nonempty", func(k *requestKey) ref.Val { return types.Bool(len(k.values) > 0) }),
		fn("some", func(k *requestKey) ref.Val { return quantify(k, false) }),
		fn("each", func(k *requestKey) ref.Val { return quantify(k, true) }),
		fn("isnull", null),
	)
	return cel.NewEnv(opts...)
})

// quantify is some (all false) or each (all true) over the request values.
// A value the operator cannot read makes the answer unknown only if no
// other value settles it (some: a value matches; each: a value does not),
// so the order of the request's values never matters.
func quantify(k *requestKey, all bool) ref.Val {
	c := k.cond
	var failed error
	for _, r := range k.values {
		ok, err := c.match(r, k.vars)
		if err != nil {
			if failed == nil {
				failed = err
			}
			continue
		}
		if ok != all {
			return types.Bool(ok)
		}
	}
	if failed != nil {
		return types.NewErr("%s: %v", c.src.Pointer, failed)
	}
	return types.Bool(all)
}

// null is true when some listed value says how the key is: true for absent,
// false for present.
func null(k *requestKey) ref.Val {
	for _, b := range k.cond.bools {
		if b != k.present {
			return types.True
		}
	}
	return types.False
}

// condExpr is the CEL expression of condition i. Without a qualifier,
// "present and some value matches" is some(v) alone, as some is false for
// an absent key.
func condExpr(c *policy.Condition, i int) string {
	v := "v" + strconv.Itoa(i)
	if c.Operator == policy.Null {
		return "isnull(" + v + ")"
	}
	some, each := "some("+v+")", "each("+v+")"
	neg := c.Operator.Negated()
	var e string
	switch {
	case c.Set == policy.ForAnyValue && neg: // false when absent or empty
		e = "nonempty(" + v + ") && !" + each
	case c.Set == policy.ForAllValues && !neg: // true when absent or empty
		e = each
	case neg:
		e = "!" + some
	default:
		e = some
	}
	if c.IfExists {
		e = "!present(" + v + ") || (" + e + ")"
	}
	return e
}

// program is one compiled block (or part of one).
type program struct {
	prg  cel.Program
	expr string
}

// programCache shares compiled programs between blocks of the same shape
// during one Prepare.
type programCache map[string]*program

func (pc programCache) compile(expr string) (*program, error) {
	if p, ok := pc[expr]; ok {
		return p, nil
	}
	env, err := celEnv()
	if err != nil {
		return nil, fmt.Errorf("evaluate: building the CEL environment: %w", err)
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, fmt.Errorf("evaluate: compiling %q: %w", expr, iss.Err())
	}
	est, err := env.EstimateCost(ast, callCost{})
	if err != nil {
		return nil, fmt.Errorf("evaluate: estimating %q: %w", expr, err)
	}
	if est.Max > costLimit {
		return nil, fmt.Errorf("evaluate: %q may cost %d, over the limit of %d", expr, est.Max, costLimit)
	}
	prg, err := env.Program(ast)
	if err != nil {
		return nil, fmt.Errorf("evaluate: planning %q: %w", expr, err)
	}
	p := &program{prg: prg, expr: expr}
	pc[expr] = p
	return p, nil
}

// blockExpr joins the expressions of conditions [from, to) of a block,
// numbering variables from 0.
func blockExpr(conds []policy.Condition) string {
	var b strings.Builder
	for i := range conds {
		if i > 0 {
			b.WriteString(" && ")
		}
		b.WriteByte('(')
		b.WriteString(condExpr(&conds[i], i))
		b.WriteByte(')')
	}
	return b.String()
}

// requestKey is the CEL value of vN: a key's values in one request, with
// the condition that tests them.
type requestKey struct {
	present bool
	values  []string
	one     [1]string // storage for a single derived value
	vars    policy.Vars
	cond    *cond
}

// activation resolves vN for one program evaluation.
type activation struct {
	n    int
	keys [maxProgramConds]requestKey
}

// ResolveName implements interpreter.Activation without allocating.
func (a *activation) ResolveName(name string) (any, bool) {
	if len(name) < 2 || name[0] != 'v' {
		return nil, false
	}
	i := 0
	for _, d := range name[1:] {
		if d < '0' || d > '9' {
			return nil, false
		}
		i = i*10 + int(d-'0')
	}
	if i >= a.n {
		return nil, false
	}
	return &a.keys[i], true
}

// Parent implements interpreter.Activation.
func (a *activation) Parent() interpreter.Activation { return nil }

// The ref.Val methods below let CEL carry a requestKey as an opaque value;
// CEL never converts or compares it.

func (k *requestKey) ConvertToNative(reflect.Type) (any, error) {
	return nil, fmt.Errorf("evaluate: a request key is opaque")
}
func (k *requestKey) ConvertToType(ref.Type) ref.Val { return types.NewErr("a request key is opaque") }
func (k *requestKey) Equal(ref.Val) ref.Val          { return types.False }
func (k *requestKey) Type() ref.Type                 { return keyCELType }
func (k *requestKey) Value() any                     { return k }
