package evaluate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
)

// TestKeysSetMulti checks that SetMulti keeps a key of one value
// multivalued, so that a policy variable does not read it, where Set makes
// it single-valued.
func TestKeysSetMulti(t *testing.T) {
	pp := evaluate.MustPrepare(policy.MustParse(policy.Bucket, `{
	  "Version": "2012-10-17",
	  "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
	    "Condition": {"StringEquals": {"s3:prefix": "${aws:TagKeys}"}}}]
	}`))
	anyValue := evaluate.MustPrepare(policy.MustParse(policy.Bucket, `{
	  "Version": "2012-10-17",
	  "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
	    "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "team"}}}]
	}`))

	var k evaluate.Keys
	k.Set("s3:prefix", "team")
	k.Set("aws:TagKeys", "team")
	v, ok := k.Lookup("aws:tagkeys")
	require.True(t, ok, "Set with one value makes a single-valued key")
	assert.Equal(t, "team", v)
	ok, err := pp.Conditions(0, &k)
	require.NoError(t, err)
	assert.True(t, ok, "the variable reads a single-valued key")

	k.SetMulti("AWS:TagKeys", "team")
	assert.Equal(t, 2, k.Len(), "SetMulti replaces the key Set set")
	_, ok = k.Lookup("aws:tagkeys")
	assert.False(t, ok, "a multivalued key of one value is no variable value")
	got, ok := k.Get("aws:tagkeys")
	require.True(t, ok)
	assert.Equal(t, []string{"team"}, got)
	ok, err = pp.Conditions(0, &k)
	require.NoError(t, err)
	assert.False(t, ok, "an unresolved variable matches nothing")
	ok, err = anyValue.Conditions(0, &k)
	require.NoError(t, err)
	assert.True(t, ok, "a set qualifier reads the one value")

	k.SetMulti("aws:TagKeys")
	got, ok = k.Get("aws:TagKeys")
	assert.True(t, ok, "an empty multivalued key is present")
	assert.Empty(t, got)

	k.Set("aws:TagKeys", "team")
	_, ok = k.Lookup("aws:TagKeys")
	assert.True(t, ok, "Set makes it single-valued again")
}
