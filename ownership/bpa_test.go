package ownership_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3authz/s3authz/ownership"
)

// bpa builds the setting whose flags are the low four bits of n, in field
// order.
func bpa(n int) ownership.PublicAccessBlock {
	return ownership.PublicAccessBlock{
		BlockPublicAcls:       n&1 != 0,
		IgnorePublicAcls:      n&2 != 0,
		BlockPublicPolicy:     n&4 != 0,
		RestrictPublicBuckets: n&8 != 0,
	}
}

// TestCombineTruthTable checks every pair of settings: each flag is the OR.
func TestCombineTruthTable(t *testing.T) {
	for a := range 16 {
		for b := range 16 {
			x, y := bpa(a), bpa(b)
			t.Run(x.String()+"+"+y.String(), func(t *testing.T) {
				assert.Equal(t, bpa(a|b), x.Combine(y))
				assert.Equal(t, x.Combine(y), y.Combine(x), "commutative")
				assert.Equal(t, a|b != 0, x.Combine(y).Any())
			})
		}
	}
}

func TestCombineLevels(t *testing.T) {
	account := ownership.PublicAccessBlock{BlockPublicPolicy: true}
	bucket := ownership.PublicAccessBlock{IgnorePublicAcls: true}
	accessPoint := ownership.PublicAccessBlock{RestrictPublicBuckets: true}
	tests := []struct {
		name string
		got  ownership.PublicAccessBlock
		want ownership.PublicAccessBlock
	}{
		{"no others", bucket.Combine(), bucket},
		{"zero with zero", ownership.PublicAccessBlock{}.Combine(ownership.PublicAccessBlock{}), ownership.PublicAccessBlock{}},
		{"account and bucket", account.Combine(bucket), ownership.PublicAccessBlock{IgnorePublicAcls: true, BlockPublicPolicy: true}},
		{"account, bucket and access point", account.Combine(bucket, accessPoint),
			ownership.PublicAccessBlock{IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}},
		{"all on absorbs", ownership.BlockAllPublicAccess().Combine(account, bucket), ownership.BlockAllPublicAccess()},
		{"receiver unchanged", func() ownership.PublicAccessBlock { b := bucket; b.Combine(account); return b }(), bucket},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got)
		})
	}
}

func TestPublicAccessBlockString(t *testing.T) {
	tests := []struct {
		b    ownership.PublicAccessBlock
		want string
	}{
		{ownership.PublicAccessBlock{}, "none"},
		{bpa(1), "BlockPublicAcls"},
		{bpa(2), "IgnorePublicAcls"},
		{bpa(4), "BlockPublicPolicy"},
		{bpa(8), "RestrictPublicBuckets"},
		{bpa(9), "BlockPublicAcls,RestrictPublicBuckets"},
		{ownership.BlockAllPublicAccess(), "BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy,RestrictPublicBuckets"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.b.String())
			assert.Equal(t, tc.want != "none", tc.b.Any())
		})
	}
}

func TestCombineDoesNotAllocate(t *testing.T) {
	a, b, c := bpa(1), bpa(4), bpa(8)
	var sink int
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		if a.Combine(b, c).Any() {
			sink++
		}
	}))
	_ = sink
}
