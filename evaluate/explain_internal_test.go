package evaluate

import (
	"fmt"
	"testing"

	"github.com/google/cel-go/common/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/policy"
)

// TestHoldsAloneAgreesWithCEL holds the trace's mirror of a condition
// (requestKey.holdsAlone) to the CEL program condExpr writes for it, for
// every operator form (negated or not, each set qualifier, IfExists,
// Null) and every state of the request key: absent, present and empty,
// one or several values, matching or not, unreadable.
func TestHoldsAloneAgreesWithCEL(t *testing.T) {
	type keyState struct {
		present bool
		values  []string
	}
	states := []keyState{
		{present: false},
		{present: true, values: []string{}},
		{present: true, values: []string{"5"}},
		{present: true, values: []string{"50"}},
		{present: true, values: []string{"5", "50"}},
		{present: true, values: []string{"ten"}},
		{present: true, values: []string{"ten", "5"}},
		{present: true, values: []string{"ten", "50"}},
	}
	var ops []string
	for _, base := range []string{"NumericLessThan", "NumericNotEquals"} {
		for _, set := range []string{"", "ForAnyValue:", "ForAllValues:"} {
			for _, ifExists := range []string{"", "IfExists"} {
				ops = append(ops, set+base+ifExists)
			}
		}
	}
	ops = append(ops, "Null")
	pc := programCache{}
	checked, failed := 0, 0
	for _, op := range ops {
		value := `"10"`
		if op == "Null" {
			value = `"false"`
		}
		doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{%q:{"s3:signatureAge":%s}}}]}`, op, value)
		p, err := policy.Parse(policy.Identity, []byte(doc))
		require.NoError(t, err, doc)
		src := &p.Statements[0].Conditions[0]
		c, err := prepareCond(src, true, newActionSets())
		require.NoError(t, err)
		prg, err := pc.compile(condExpr(src, 0))
		require.NoError(t, err)
		for _, st := range states {
			var act activation
			act.n = 1
			act.keys[0] = requestKey{present: st.present, values: st.values, vars: &Keys{}, cond: c}
			out, _, evalErr := prg.prg.Eval(&act)
			k := act.keys[0]
			got, gotErr := k.holdsAlone()
			name := fmt.Sprintf("%s with %v", op, st)
			if evalErr != nil || types.IsError(out) {
				assert.Error(t, gotErr, "%s: CEL could not evaluate it", name)
				failed++
				continue
			}
			assert.NoError(t, gotErr, name)
			assert.Equal(t, out == types.True, got, name)
			checked++
		}
	}
	assert.Greater(t, checked, 70, "most combinations evaluate")
	assert.Positive(t, failed, "unreadable values are reached")
}
