package ids

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestShapes(t *testing.T) {
	canon := "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"account 12 digits", IsAccountID("111122223333"), true},
		{"account 11 digits", IsAccountID("11112222333"), false},
		{"account letter", IsAccountID("11112222333a"), false},
		{"canonical lowercase hex", IsCanonicalID(canon), true},
		{"canonical uppercase", IsCanonicalID(strings.ToUpper(canon)), false},
		{"canonical 63", IsCanonicalID(canon[1:]), false},
		{"canonical anonymous is not", IsCanonicalID(string(AnonymousCanonicalID)), false},
		{"unique user id", IsUniqueID("AIDAJQABLZS4A3QDU576Q"), true},
		{"unique role id", IsUniqueID("AROADBQP57FF2AEXAMPLE"), true},
		{"unique id lowercase", IsUniqueID("AIDAjqablzs4a3qdu576q"), false},
		{"unique id short", IsUniqueID("AIDA1234"), false},
		{"unique id other prefix", IsUniqueID("ASIAJQABLZS4A3QDU576Q"), false},
		{"partition aws", IsPartition("aws"), true},
		{"partition gov", IsPartition("aws-us-gov"), true},
		{"partition empty suffix", IsPartition("aws-"), false},
		{"partition other", IsPartition("azure"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
}

func TestSplitARN(t *testing.T) {
	a, ok := SplitARN("arn:aws:s3:::bucket/key:with:colons")
	assert.True(t, ok)
	assert.Equal(t, ARN{Partition: "aws", Service: "s3", Resource: "bucket/key:with:colons"}, a)
	a, ok = SplitARN("arn:aws:sts::111122223333:assumed-role/R/S")
	assert.True(t, ok)
	assert.Equal(t, "111122223333", a.Account)
	_, ok = SplitARN("arn:aws:s3::bucket")
	assert.False(t, ok)
	_, ok = SplitARN("urn:aws:s3:::b")
	assert.False(t, ok)
}

func TestTypeMethods(t *testing.T) {
	canon := CanonicalID("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be")
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{name: "account valid", got: AccountID("111122223333").IsValid(), want: true},
		{name: "account empty", got: AccountID("").IsValid(), want: false},
		{name: "canonical valid", got: canon.IsValid(), want: true},
		{name: "canonical anonymous valid", got: AnonymousCanonicalID.IsValid(), want: true},
		{name: "canonical upper case", got: CanonicalID(strings.ToUpper(string(canon))).IsValid(), want: false},
		{name: "canonical anonymous is anonymous", got: AnonymousCanonicalID.IsAnonymous(), want: true},
		{name: "canonical other is not anonymous", got: canon.IsAnonymous(), want: false},
		{name: "product valid", got: ProductCode("Magic-Product_1.0").IsValid(), want: true},
		{name: "product empty", got: ProductCode("").IsValid(), want: false},
		{name: "product space", got: ProductCode("Magic Product").IsValid(), want: false},
		{name: "product at limit", got: ProductCode(strings.Repeat("P", MaxProductCodeLen)).IsValid(), want: true},
		{name: "product over limit", got: ProductCode(strings.Repeat("P", MaxProductCodeLen+1)).IsValid(), want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
}
