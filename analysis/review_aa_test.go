package analysis

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAccessAnalyzer pins the mapping of each principal form, source and
// Block Public Access outcome to Access Analyzer's finding fields.
func TestAccessAnalyzer(t *testing.T) {
	stmt := Source{Kind: SourceStatement, Pointer: "/Statement/0"}
	rep := &AccessReport{Bucket: "photos", Owner: "111122223333", Findings: []AccessFinding{
		{Principal: "*", Actions: []string{"s3:GetObject"}, Public: true, Source: stmt,
			Conditions: []AccessCondition{{Operator: "IpAddress", Key: "aws:SourceIp", Values: []string{"192.0.2.0/24", "198.51.100.0/24"}},
				{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"false"}, Deny: true}}},
		{Principal: "account:210987654321", Actions: []string{"*"}, Except: []string{"s3:Delete*"}, Source: stmt},
		{Principal: "arn:aws:iam::210987654321:role/r", Actions: []string{"s3:GetObject"}, Source: stmt},
		{Principal: "service:cloudtrail.amazonaws.com", Actions: []string{"s3:PutObject"}, Source: stmt},
		{Principal: "federated:accounts.google.com", Actions: []string{"s3:GetObject"}, Public: true, Source: stmt, BlockedBy: RestrictPublicBuckets},
		{Principal: "authenticated", Actions: []string{"s3:ListBucket"}, Public: true, Source: Source{Kind: SourceBucketACL, Grant: 1}, BlockedBy: IgnorePublicAcls},
		{Principal: "canonical:79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", Actions: []string{"s3:GetObject"}, Source: Source{Kind: SourceObjectACL, Key: "a.txt", Grant: 2}},
		{Principal: "group:LogDelivery", Actions: []string{"s3:PutObject"}, Source: Source{Kind: SourceBucketACL, Grant: 3}},
	}}
	got := rep.AccessAnalyzer()
	require.Len(t, got, len(rep.Findings))
	for i, tc := range []struct {
		principal map[string]string
		source    string
		status    string
	}{
		{principal: map[string]string{"AWS": "*"}, source: "POLICY", status: "ACTIVE"},
		{principal: map[string]string{"AWS": "210987654321"}, source: "POLICY", status: "ACTIVE"},
		{principal: map[string]string{"AWS": "arn:aws:iam::210987654321:role/r"}, source: "POLICY", status: "ACTIVE"},
		{principal: map[string]string{"Service": "cloudtrail.amazonaws.com"}, source: "POLICY", status: "ACTIVE"},
		{principal: map[string]string{"Federated": "accounts.google.com"}, source: "POLICY", status: "RESOLVED"},
		{principal: map[string]string{"AWS": "*"}, source: "BUCKET_ACL", status: "RESOLVED"},
		{principal: map[string]string{"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, source: "OBJECT_ACL", status: "ACTIVE"},
		{principal: map[string]string{"Service": "logging.s3.amazonaws.com"}, source: "BUCKET_ACL", status: "ACTIVE"},
	} {
		assert.Equal(t, tc.principal, got[i].Principal, "finding %d", i)
		assert.Equal(t, tc.source, got[i].Sources[0].Type, "finding %d", i)
		assert.Equal(t, tc.status, got[i].Status, "finding %d", i)
		assert.Equal(t, "arn:aws:s3:::photos", got[i].Resource)
		assert.Equal(t, "111122223333", got[i].ResourceOwnerAccount)
		assert.Equal(t, rep.Findings[i].Public, got[i].IsPublic)
	}
	// The grant's conditions, values joined; a Deny's are not the grant's.
	assert.Equal(t, map[string]string{"aws:SourceIp": "192.0.2.0/24,198.51.100.0/24"}, got[0].Condition)
	assert.Equal(t, []string{"s3:Delete*"}, got[1].ActionExcept)
	assert.Equal(t, map[string]string{"key": "a.txt"}, got[6].Sources[0].Detail)
	b, err := json.Marshal(got[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"principal":{"AWS":"*"},"action":["s3:GetObject"],"resource":"arn:aws:s3:::photos",
		"condition":{"aws:SourceIp":"192.0.2.0/24,198.51.100.0/24"},"isPublic":true,"sources":[{"type":"POLICY"}],
		"status":"ACTIVE","resourceOwnerAccount":"111122223333","resourceType":"AWS::S3::Bucket"}`, string(b))
}
