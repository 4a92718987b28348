package evaluate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/policy"
)

// costChain returns n terms some(vI) joined by &&. With the estimator of
// programCache.compile a call costs 1 and its argument 1, each && and each
// ! 1 more: the chain costs 3n-1.
func costChain(n int) string {
	terms := make([]string, n)
	for i := range terms {
		terms[i] = fmt.Sprintf("some(v%d)", i%maxProgramConds)
	}
	return strings.Join(terms, " && ")
}

// costLoops returns three nested comprehensions over lists of 11 elements
// around some(v0), which estimate at 9977, followed by seven more some()
// terms (3 each) of which the first neg are negated (1 each): it costs
// 9998+neg. Loops make a short expression expensive.
func costLoops(neg int) string {
	list := "[" + strings.TrimSuffix(strings.Repeat("0,", 11), ",") + "]"
	expr := list + ".all(a, " + list + ".all(b, " + list + ".all(c, some(v0))))"
	for i := range 7 {
		term := fmt.Sprintf("some(v%d)", i+1)
		if i < neg {
			term = "!" + term
		}
		expr += " && " + term
	}
	return expr
}

// costEstimate is the static cost estimate compile compares with costLimit.
func costEstimate(t *testing.T, expr string) uint64 {
	t.Helper()
	env, err := celEnv()
	require.NoError(t, err)
	ast, iss := env.Compile(expr)
	require.NoError(t, iss.Err())
	est, err := env.EstimateCost(ast, callCost{})
	require.NoError(t, err)
	return est.Max
}

// TestCostLimitAtAndOverLimit checks that programCache.compile accepts an
// expression whose static cost estimate is exactly costLimit and refuses
// one whose estimate is costLimit+1, and a chain of some() calls of the
// shape Prepare builds, only far longer than any block, with an error
// naming the estimate and the limit; a refused expression is not cached.
func TestCostLimitAtAndOverLimit(t *testing.T) {
	require.Equal(t, 10_000, costLimit)
	tests := []struct {
		name string
		expr string
		cost uint64
		ok   bool
	}{
		{"loops-at-limit", costLoops(2), costLimit, true},
		{"loops-limit-plus-one", costLoops(3), costLimit + 1, false},
		{"chain-of-3334-calls", costChain(3334), costLimit + 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.expr) < 1000 {
				require.Equal(t, tc.cost, costEstimate(t, tc.expr), "the estimate the row is built for")
			}
			pc := programCache{}
			p, err := pc.compile(tc.expr)
			if tc.ok {
				require.NoError(t, err)
				require.NotNil(t, p)
				again, err := pc.compile(tc.expr)
				require.NoError(t, err)
				assert.Same(t, p, again, "a compiled expression is cached")
				return
			}
			assert.Nil(t, p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), fmt.Sprintf("may cost %d, over the limit of %d", tc.cost, costLimit))
			assert.Empty(t, pc, "a refused expression is not cached")
		})
	}
}

// TestCostLimitLargestBlocks checks that no policy can reach costLimit, so
// that compiling a block never fails for a validated policy: the
// expression of a condition depends only on its operator, qualifier and
// IfExists, and every combination Parse produces (or Validate lets
// through) gives one of a few shapes; a block of maxProgramConds
// conditions of any one shape, and one cycling through all of them, stays
// well under costLimit (under a tenth of it). The estimate of a chain of
// && is the sum of its terms and one per &&, so no mix of shapes costs
// more than maxProgramConds of the dearest; blocks with more conditions
// are split.
func TestCostLimitLargestBlocks(t *testing.T) {
	require.Equal(t, 32, maxProgramConds)
	shapes := map[string]policy.Condition{}
	for op := policy.StringEquals; op <= policy.Null; op++ {
		for _, set := range []policy.SetOp{policy.SetNone, policy.ForAllValues, policy.ForAnyValue} {
			for _, ifExists := range []bool{false, true} {
				c := policy.Condition{Operator: op, Set: set, IfExists: ifExists, Key: "example:k", Values: []policy.Value{{Text: "true"}}}
				p := policy.Policy{Kind: policy.Identity, Statements: []policy.Statement{{Conditions: []policy.Condition{c}}}}
				if op == policy.Null && (set != policy.SetNone || ifExists) {
					require.Error(t, p.Validate(), "Null takes no qualifier")
					continue
				}
				shapes[condExpr(&c, 0)] = c
			}
		}
	}
	// Null, and with and without IfExists: some, !some (also
	// ForAllValues of a negated operator), each (ForAllValues) and
	// nonempty && !each (ForAnyValue of a negated one).
	require.Len(t, shapes, 9, "the shapes condExpr writes")
	var all []policy.Condition
	var dearest uint64
	for expr, c := range shapes {
		all = append(all, c)
		dearest = max(dearest, costEstimate(t, expr))
		t.Run(expr, func(t *testing.T) {
			conds := make([]policy.Condition, maxProgramConds)
			for i := range conds {
				conds[i] = c
			}
			block := blockExpr(conds)
			cost := costEstimate(t, block)
			assert.Less(t, cost, uint64(costLimit/10), "cost of %s", block)
			pc := programCache{}
			p, err := pc.compile(block)
			require.NoError(t, err)
			assert.Equal(t, block, p.expr)
		})
	}
	t.Run("every-shape-in-one-block", func(t *testing.T) {
		conds := make([]policy.Condition, maxProgramConds)
		for i := range conds {
			conds[i] = all[i%len(all)]
		}
		cost := costEstimate(t, blockExpr(conds))
		assert.LessOrEqual(t, cost, maxProgramConds*dearest+maxProgramConds-1, "a chain costs at most its terms and its &&s")
		assert.Less(t, cost, uint64(costLimit/10))
	})
	t.Run("a-block-of-100-conditions-is-split", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringNotLikeIfExists":{`)
		for i := range 100 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"custom:k%d":"v%d*"`, i, i)
		}
		b.WriteString(`}}}]}`)
		p, err := policy.Parse(policy.Identity, []byte(b.String()))
		require.NoError(t, err)
		pp, err := Prepare(p)
		require.NoError(t, err)
		assert.Len(t, pp.stmts[0].progs, 4, "100 conditions in programs of 32, 32, 32 and 4")
		for _, prg := range pp.stmts[0].progs {
			assert.LessOrEqual(t, costEstimate(t, prg.expr), uint64(costLimit))
		}
	})
}
