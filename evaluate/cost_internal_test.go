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

// TestCostLimitLargestBlocks checks that the largest blocks Prepare
// compiles, maxProgramConds conditions of each shape condExpr produces,
// stay well under costLimit (under a tenth of it), so that no policy can
// reach the limit: blocks with more conditions are split.
func TestCostLimitLargestBlocks(t *testing.T) {
	require.Equal(t, 32, maxProgramConds)
	shapes := []struct {
		name string
		cond policy.Condition
	}{
		{"plain", policy.Condition{Operator: policy.StringEquals}},
		{"negated", policy.Condition{Operator: policy.StringNotEquals}},
		{"if-exists", policy.Condition{Operator: policy.NumericLessThan, IfExists: true}},
		{"for-all-values", policy.Condition{Operator: policy.StringLike, Set: policy.ForAllValues}},
		{"for-any-value-negated-if-exists", policy.Condition{Operator: policy.StringNotLike, Set: policy.ForAnyValue, IfExists: true}},
		{"null", policy.Condition{Operator: policy.Null}},
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			conds := make([]policy.Condition, maxProgramConds)
			for i := range conds {
				conds[i] = sh.cond
			}
			expr := blockExpr(conds)
			cost := costEstimate(t, expr)
			assert.Less(t, cost, uint64(costLimit/10), "cost of %s", expr)
			pc := programCache{}
			p, err := pc.compile(expr)
			require.NoError(t, err)
			assert.Equal(t, expr, p.expr)
		})
	}
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
