package policy_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookupConditionKey(t *testing.T) {
	tests := []struct {
		name  string
		key   string
		typ   policy.KeyType
		multi bool
		known bool
		doc   string // the key's documented spelling
	}{
		{name: "global IP key", key: "aws:SourceIp", typ: policy.KeyIP, known: true, doc: "aws:SourceIp"},
		{name: "case does not matter", key: "AWS:SOURCEIP", typ: policy.KeyIP, known: true, doc: "aws:SourceIp"},
		{name: "multivalued", key: "aws:TagKeys", typ: policy.KeyString, multi: true, known: true, doc: "aws:TagKeys"},
		{name: "tag family", key: "aws:PrincipalTag/CostCenter", typ: policy.KeyString, known: true, doc: "aws:PrincipalTag/<key>"},
		{name: "tag key with a slash", key: "s3:ExistingObjectTag/x/y", typ: policy.KeyString, known: true, doc: "s3:ExistingObjectTag/<key>"},
		{name: "long tag key", key: "s3:ExistingObjectTag/" + strings.Repeat("k", 120), typ: policy.KeyString, known: true, doc: "s3:ExistingObjectTag/<key>"},
		{name: "date or numeric", key: "aws:EpochTime", typ: policy.KeyDateOrNumeric, known: true, doc: "aws:EpochTime"},
		{name: "S3 date", key: "s3:object-lock-retain-until-date", typ: policy.KeyDate, known: true, doc: "s3:object-lock-retain-until-date"},
		{name: "S3 numeric", key: "s3:TlsVersion", typ: policy.KeyNumeric, known: true, doc: "s3:TlsVersion"},
		{name: "S3 multivalued", key: "s3:InventoryAccessibleOptionalFields", typ: policy.KeyString, multi: true, known: true, doc: "s3:InventoryAccessibleOptionalFields"},
		{name: "S3 bool", key: "s3:isReplicationPauseRequest", typ: policy.KeyBool, known: true, doc: "s3:isReplicationPauseRequest"},
		{name: "ARN", key: "aws:PrincipalArn", typ: policy.KeyARN, known: true, doc: "aws:PrincipalArn"},
		{name: "tag family without a tag key", key: "aws:PrincipalTag/", known: false},
		{name: "tag family without its slash", key: "aws:PrincipalTag", known: false},
		{name: "a plain key is no family", key: "s3:prefix/x", known: false},
		{name: "other service", key: "custom:key", known: false},
		{name: "empty", key: "", known: false},
		{name: "long unknown key", key: strings.Repeat("x", 200), known: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, ok := policy.LookupConditionKey(tc.key)
			assert.Equal(t, tc.known, ok)
			assert.Equal(t, tc.typ, info.Type)
			assert.Equal(t, tc.multi, info.Multi)
			assert.Equal(t, tc.doc, info.Name)
			assert.Zero(t, testing.AllocsPerRun(50, func() { policy.LookupConditionKey(tc.key) }))
		})
	}
	assert.Equal(t, "IP address", policy.KeyIP.String())
	assert.Equal(t, "KeyType(99)", policy.KeyType(99).String())
}

// TestKeyTypeAccepts pins which operator families test which key types
// ("IAM JSON policy elements: Condition operators"): a mismatch is refused.
func TestKeyTypeAccepts(t *testing.T) {
	tests := []struct {
		typ  policy.KeyType
		op   policy.Operator
		want bool
	}{
		{typ: policy.KeyString, op: policy.StringLike, want: true},
		{typ: policy.KeyString, op: policy.NumericEquals, want: false},
		{typ: policy.KeyString, op: policy.IpAddress, want: false},
		{typ: policy.KeyARN, op: policy.ArnLike, want: true},
		{typ: policy.KeyARN, op: policy.StringEquals, want: true},
		{typ: policy.KeyString, op: policy.ArnEquals, want: false},
		{typ: policy.KeyNumeric, op: policy.NumericLessThan, want: true},
		{typ: policy.KeyNumeric, op: policy.DateLessThan, want: false},
		{typ: policy.KeyDate, op: policy.DateGreaterThan, want: true},
		{typ: policy.KeyDate, op: policy.NumericGreaterThan, want: false},
		{typ: policy.KeyDateOrNumeric, op: policy.NumericEquals, want: true},
		{typ: policy.KeyDateOrNumeric, op: policy.DateEquals, want: true},
		{typ: policy.KeyBool, op: policy.Bool, want: true},
		{typ: policy.KeyBool, op: policy.StringEquals, want: true},
		{typ: policy.KeyString, op: policy.Bool, want: false},
		{typ: policy.KeyIP, op: policy.NotIpAddress, want: true},
		{typ: policy.KeyIP, op: policy.StringEquals, want: false},
		{typ: policy.KeyString, op: policy.BinaryEquals, want: false},
		{typ: policy.KeyUnknown, op: policy.BinaryEquals, want: true},
		{typ: policy.KeyIP, op: policy.Null, want: true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.typ.Accepts(tc.op), "%s on a %s key", tc.op, tc.typ)
	}
}

// TestHasConditionKey pins the rows of the Service Authorization Reference
// ("Actions, resources, and condition keys for Amazon S3",
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)
// that the S3 User Guide's examples rely on.
func TestHasConditionKey(t *testing.T) {
	tests := []struct {
		name   string
		action string
		key    string
		want   bool
	}{
		// "Tagging and access control policies": existing tags guard
		// reads and tag changes, never overwrites or deletes
		// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html).
		{name: "existing tag on GetObject", action: "s3:GetObject", key: "s3:ExistingObjectTag/team", want: true},
		{name: "existing tag on GetObjectAcl", action: "s3:GetObjectAcl", key: "s3:ExistingObjectTag/team", want: true},
		{name: "existing tag on PutObjectTagging", action: "s3:PutObjectTagging", key: "s3:ExistingObjectTag/team", want: true},
		{name: "existing tag on DeleteObjectTagging", action: "s3:DeleteObjectTagging", key: "s3:ExistingObjectTag/team", want: true},
		{name: "existing tag not on PutObject", action: "s3:PutObject", key: "s3:ExistingObjectTag/team", want: false},
		{name: "existing tag not on DeleteObject", action: "s3:DeleteObject", key: "s3:ExistingObjectTag/team", want: false},
		{name: "existing tag not on DeleteObjectVersion", action: "s3:DeleteObjectVersion", key: "s3:ExistingObjectTag/team", want: false},
		{name: "existing tag not on GetObjectRetention", action: "s3:GetObjectRetention", key: "s3:ExistingObjectTag/team", want: false},
		{name: "request tag on PutObject", action: "s3:PutObject", key: "s3:RequestObjectTag/team", want: true},
		{name: "request tag not on GetObject", action: "s3:GetObject", key: "s3:RequestObjectTag/team", want: false},
		// "Amazon S3 condition key examples": the list keys belong to the
		// list actions.
		{name: "prefix on ListBucket", action: "s3:ListBucket", key: "s3:prefix", want: true},
		{name: "prefix on ListBucketVersions", action: "s3:ListBucketVersions", key: "s3:prefix", want: true},
		{name: "prefix not on GetObject", action: "s3:GetObject", key: "s3:prefix", want: false},
		{name: "max-keys not on ListBucketMultipartUploads", action: "s3:ListBucketMultipartUploads", key: "s3:max-keys", want: false},
		{name: "versionid on GetObjectVersion", action: "s3:GetObjectVersion", key: "s3:versionid", want: true},
		{name: "versionid not on GetObject", action: "s3:GetObject", key: "s3:versionid", want: false},
		{name: "x-amz-acl on PutObject", action: "s3:PutObject", key: "s3:x-amz-acl", want: true},
		{name: "x-amz-acl not on GetObject", action: "s3:GetObject", key: "s3:x-amz-acl", want: false},
		{name: "locationconstraint on CreateBucket", action: "s3:CreateBucket", key: "s3:LocationConstraint", want: true},
		{name: "locationconstraint not on GetObject", action: "s3:GetObject", key: "s3:LocationConstraint", want: false},
		{name: "signature keys on GetObject", action: "s3:GetObject", key: "s3:signatureAge", want: true},
		{name: "resource account on ListAllMyBuckets", action: "s3:ListAllMyBuckets", key: "s3:ResourceAccount", want: true},
		{name: "no S3 key on PutAccessPointPublicAccessBlock", action: "s3:PutAccessPointPublicAccessBlock", key: "s3:ResourceAccount", want: false},
		{name: "global keys everywhere", action: "s3:PutAccessPointPublicAccessBlock", key: "aws:SourceIp", want: true},
		{name: "principal tags everywhere", action: "s3:GetObject", key: "aws:PrincipalTag/team", want: true},
		// The global tag keys S3 supports action by action: request tags
		// on the tagging and create actions, not on PutObject, whose tags
		// are s3:RequestObjectTag/<key>.
		{name: "request tag on CreateBucket", action: "s3:CreateBucket", key: "aws:RequestTag/team", want: true},
		{name: "request tag on TagResource", action: "s3:TagResource", key: "aws:RequestTag/team", want: true},
		{name: "request tag not on PutObject", action: "s3:PutObject", key: "aws:RequestTag/team", want: false},
		{name: "tag keys on TagResource", action: "s3:TagResource", key: "aws:TagKeys", want: true},
		{name: "tag keys not on GetObject", action: "s3:GetObject", key: "aws:TagKeys", want: false},
		{name: "resource tag on GetObject", action: "s3:GetObject", key: "aws:ResourceTag/team", want: true},
		{name: "resource tag not on ListAllMyBuckets", action: "s3:ListAllMyBuckets", key: "aws:ResourceTag/team", want: false},
		{name: "unknown global key is the caller's", action: "s3:GetObject", key: "aws:NoSuchKey", want: true},
		{name: "unknown S3 key nowhere", action: "s3:GetObject", key: "s3:no-such-key", want: false},
		{name: "unknown S3 key case-folded", action: "s3:GetObject", key: "S3:No-Such-Key", want: false},
		{name: "other services are the caller's", action: "s3:GetObject", key: "custom:key", want: true},
		{name: "case does not matter", action: "s3:ListBucket", key: "S3:PREFIX", want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := policy.LookupAction(tc.action)
			require.True(t, ok)
			assert.Equal(t, tc.want, a.HasConditionKey(tc.key))
			info, known := policy.LookupConditionKey(tc.key)
			if known {
				assert.Equal(t, tc.want, a.Supports(info), "Supports agrees with HasConditionKey")
			}
			assert.Zero(t, testing.AllocsPerRun(50, func() { a.HasConditionKey(tc.key) }))
		})
	}
}

// TestConditionKeysFollowTheReference checks every catalog action against
// every S3 key of the facts file testdata/sar-s3-condition-keys.tsv, a
// transcription of the Service Authorization Reference's action rows
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)
// kept apart from the code's table.
func TestConditionKeysFollowTheReference(t *testing.T) {
	b, err := os.ReadFile("testdata/sar-s3-condition-keys.tsv")
	require.NoError(t, err)
	want := map[string][]string{} // key → actions without the prefix
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		key, acts, ok := strings.Cut(line, "\t")
		require.True(t, ok, "line %q", line)
		want[key] = strings.Fields(acts)
	}
	var s3Keys []string
	for _, k := range policy.ConditionKeys() {
		assert.Equal(t, !strings.HasPrefix(k.Name, "s3:"), k.Global(), k.Name)
		if k.PerAction() {
			s3Keys = append(s3Keys, k.Name)
		} else {
			assert.True(t, k.Global(), "%s: every S3 key is per action", k.Name)
		}
	}
	gotKeys := make([]string, 0, len(want))
	for k := range want {
		gotKeys = append(gotKeys, k)
	}
	slices.Sort(gotKeys)
	slices.Sort(s3Keys)
	require.Equal(t, gotKeys, s3Keys, "the catalog's per-action keys are the reference's")
	pairs := 0
	for _, a := range policy.Actions() {
		for key, acts := range want {
			name := strings.Replace(key, "<key>", "tag", 1)
			in := slices.Contains(acts, strings.TrimPrefix(a.Name, "s3:"))
			assert.Equal(t, in, a.HasConditionKey(name), "%s in the context of %s", key, a.Name)
			if in {
				pairs++
			}
		}
	}
	assert.Greater(t, pairs, 1000, "the reference lists over a thousand action-key pairs")
}
