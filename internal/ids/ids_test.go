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
		{"canonical anonymous is not", IsCanonicalID(AnonymousCanonicalID), false},
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
