package policy_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/policy"
)

// dupOperators are 20 distinct operator names of a Condition block, each
// with a value its operator reads.
var dupOperators = [...]struct{ name, value string }{
	{"StringEquals", `"x"`}, {"StringNotEquals", `"x"`}, {"StringEqualsIgnoreCase", `"x"`},
	{"StringNotEqualsIgnoreCase", `"x"`}, {"StringLike", `"x*"`}, {"StringNotLike", `"x*"`},
	{"NumericEquals", `"1"`}, {"NumericNotEquals", `"1"`}, {"NumericLessThan", `"1"`},
	{"NumericLessThanEquals", `"1"`}, {"NumericGreaterThan", `"1"`}, {"NumericGreaterThanEquals", `"1"`},
	{"DateEquals", `"2024"`}, {"DateNotEquals", `"2024"`}, {"DateLessThan", `"2024"`},
	{"DateLessThanEquals", `"2024"`}, {"DateGreaterThan", `"2024"`}, {"DateGreaterThanEquals", `"2024"`},
	{"Bool", `"true"`}, {"IpAddress", `"10.0.0.0/8"`},
}

// TestDuplicateMembersInLargeObjects checks that a duplicate member name is
// found in an object of more than 16 members, where the parser stops
// scanning a list of the names seen and switches to a map: a repeat of the
// first name, of the 16th (the last before the switch), of the 17th (the
// one that makes the switch) and of the 18th (first seen after it).
//
// Only two places hold that many members without faults of their own: a
// Condition block (operators) and an operator block (keys). The top level
// has 3 member names, a statement 9 (3 of them excluding 3 others) and a
// Principal 4; every other name is a fault, so 17 distinct names there
// reach MaxErrors, and Parse stops, before a duplicate could be reported.
// The last rows pin that.
func TestDuplicateMembersInLargeObjects(t *testing.T) {
	const distinct = 18
	// conditionBlock writes a Condition block of the first distinct
	// operators, then operator dup again if repeat is set; keyBlock writes
	// one operator with distinct keys, then key dup again. Each returns
	// the pointer of the repeated member under the Condition element.
	conditionBlock := func(dup int, repeat bool) (string, string) {
		members := make([]string, 0, distinct+1)
		for i := range distinct {
			members = append(members, fmt.Sprintf(`"%s":{"example:k":%s}`, dupOperators[i].name, dupOperators[i].value))
		}
		if repeat {
			members = append(members, members[dup])
		}
		return `{` + strings.Join(members, ",") + `}`, dupOperators[dup].name
	}
	keyBlock := func(dup int, repeat bool) (string, string) {
		members := make([]string, 0, distinct+1)
		for i := range distinct {
			members = append(members, fmt.Sprintf(`"example:k%d":"v"`, i))
		}
		if repeat {
			members = append(members, fmt.Sprintf(`"example:k%d":"w"`, dup))
		}
		return `{"StringEquals":{` + strings.Join(members, ",") + `}}`, fmt.Sprintf("StringEquals/example:k%d", dup)
	}
	tests := []struct {
		name  string
		block func(dup int, repeat bool) (cond, pointer string)
		dup   int
	}{
		{name: "condition-block-repeats-the-1st", block: conditionBlock, dup: 0},
		{name: "condition-block-repeats-the-16th", block: conditionBlock, dup: 15},
		{name: "condition-block-repeats-the-17th", block: conditionBlock, dup: 16},
		{name: "condition-block-repeats-the-18th", block: conditionBlock, dup: 17},
		{name: "operator-block-repeats-the-1st", block: keyBlock, dup: 0},
		{name: "operator-block-repeats-the-16th", block: keyBlock, dup: 15},
		{name: "operator-block-repeats-the-17th", block: keyBlock, dup: 16},
		{name: "operator-block-repeats-the-18th", block: keyBlock, dup: 17},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := func(repeat bool) string {
				cond, _ := tc.block(tc.dup, repeat)
				return `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":` + cond + `}]}`
			}
			_, pointer := tc.block(tc.dup, true)
			_, err := policy.Parse(policy.Identity, []byte(doc(false)))
			require.NoError(t, err, "control: the %d distinct members parse", distinct)

			_, err = policy.Parse(policy.Identity, []byte(doc(true)))
			require.Error(t, err)
			assert.ErrorIs(t, err, policy.ErrDuplicateKey)
			assert.NotContains(t, err.Error(), "\n", "the duplicate is the one fault")
			var pe *policy.Error
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, "/Statement/0/Condition/"+pointer, pe.Pointer)
			last := strings.LastIndex(doc(true), `"`+pointer[strings.LastIndexByte(pointer, '/')+1:]+`"`)
			assert.Equal(t, last, pe.Offset, "the offset of the repeated name")
		})
	}

	// Elsewhere 17 distinct names are 10 faults or more before the repeat.
	unknown := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `"X%d":1,`, i)
		}
		return b.String()
	}
	elsewhere := []struct {
		name string
		kind policy.Kind
		doc  string
	}{
		{name: "top-level", kind: policy.Identity,
			doc: `{"Version":"2012-10-17","Id":"x",` + unknown(14) + `"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Version":"2012-10-17"}`},
		{name: "statement", kind: policy.Bucket,
			doc: `{"Statement":{"Sid":"","Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"a:b":"true"}},` + unknown(11) + `"Sid":""}}`},
		{name: "principal", kind: policy.Bucket,
			doc: `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*","CanonicalUser":"` + strings.Repeat("a", 64) + `","Service":"s.example.com","Federated":"f.example.com",` + unknown(13) + `"AWS":"*"},"Action":"*","Resource":"*"}}`},
	}
	for _, tc := range elsewhere {
		t.Run(tc.name+"-stops-at-max-errors", func(t *testing.T) {
			_, err := policy.Parse(tc.kind, []byte(tc.doc))
			require.Error(t, err)
			assert.Len(t, strings.Split(err.Error(), "\n"), policy.MaxErrors)
			assert.NotErrorIs(t, err, policy.ErrDuplicateKey)
		})
	}
}
