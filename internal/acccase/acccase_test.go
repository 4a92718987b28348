package acccase_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/internal/acccase"
)

// config is one configuration whose expectation is filled in by each case.
const config = `{
  "name": "c",
  "accounts": {"123456789012": {"canonicalId": "99e4ea1e067773f8de60a7e785cdf32e7bca8083497340f718b6f7008ce28e95"}},
  "principals": {"anon": {"anonymous": true}},
  "buckets": {"b-1": {"owner": "123456789012",
    "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject*", "Resource": "arn:aws:s3:::b-1/*"}]},
    "publicAccessBlock": {"BlockPublicAcls": false, "IgnorePublicAcls": false, "BlockPublicPolicy": false, "RestrictPublicBuckets": false},
    "objects": {"k": {}}}},
  "requests": [{"principal": "anon", "action": "s3:GetObject", "bucket": "b-1", "key": "k", "expect": "@REQ@"}],
  "target": "b-1",
  "expectAccess": [@EXPECT@],
  "expectPublic": @PUBLIC@,
  "expectPolicyPublic": true,
  "expectDpp": [{"code": "DPP_PUBLIC_ACCESS", "section": "1.1, 2.3"}],
  "absentDpp": ["DPP_ACLS_ENABLED"]
}`

const good = `{"principal": "*", "actions": ["s3:getobject*"], "public": true, "blockedBy": null, "source": "statement /Statement/0", "resources": ["arn:aws:s3:::b-1/*"], "conditionKeys": []}`

func build(expect, public, req string) []byte {
	return []byte(strings.NewReplacer("@EXPECT@", expect, "@PUBLIC@", public, "@REQ@", req).Replace(config))
}

// TestRun checks the matching rules of ANALYSIS-FORMAT.md §2.1: each kind
// of difference is reported, and a matching configuration passes.
func TestRun(t *testing.T) {
	tests := []struct {
		name           string
		expect, public string
		request        string
		wantMissing    []string
		wantUnexpected []string
	}{
		{name: "match", expect: good, public: "true", request: "allow"},
		{name: "actions as catalog sets", expect: strings.Replace(good, `["s3:getobject*"]`, `["s3:GetObject*"],"actionsExcept":["s3:GetObjectAcl"]`, 1), public: "true", request: "allow",
			wantMissing: []string{"finding * statement /Statement/0: actions"}},
		{name: "public differs", expect: strings.Replace(good, `"public": true`, `"public": false`, 1), public: "true", request: "allow",
			wantMissing: []string{"finding * statement /Statement/0: public"}},
		{name: "blockedBy differs", expect: strings.Replace(good, `"blockedBy": null`, `"blockedBy": "RestrictPublicBuckets"`, 1), public: "true", request: "allow",
			wantMissing: []string{"finding * statement /Statement/0: blockedBy"}},
		{name: "resources differ", expect: strings.Replace(good, `"arn:aws:s3:::b-1/*"`, `"arn:aws:s3:::b-1"`, 1), public: "true", request: "allow",
			wantMissing: []string{"finding * statement /Statement/0: resources"}},
		{name: "condition keys differ", expect: strings.Replace(good, `"conditionKeys": []`, `"conditionKeys": ["aws:SourceIp"]`, 1), public: "true", request: "allow",
			wantMissing: []string{"finding * statement /Statement/0: conditionKeys"}},
		{name: "missing and unexpected", expect: strings.Replace(good, `"principal": "*"`, `"principal": "authenticated"`, 1), public: "true", request: "allow",
			wantMissing: []string{"finding authenticated statement /Statement/0"}, wantUnexpected: []string{"finding * statement /Statement/0"}},
		{name: "expectPublic differs", expect: good, public: "false", request: "allow", wantMissing: []string{"public: want false"}},
		{name: "a failing request", expect: good, public: "true", request: "deny", wantMissing: []string{"request 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := acccase.ParseConfig(build(tt.expect, tt.public, tt.request))
			require.NoError(t, err)
			res := acccase.Runner{}.Run("t.json", c)
			require.NoError(t, res.Err)
			assert.True(t, res.DPPSkipped)
			assert.Equal(t, len(tt.wantMissing) == 0 && len(tt.wantUnexpected) == 0, res.OK, "%q %q", res.Missing, res.Unexpected)
			require.Len(t, res.Missing, len(tt.wantMissing), "%q", res.Missing)
			for i, w := range tt.wantMissing {
				assert.Contains(t, res.Missing[i], w)
			}
			assert.Equal(t, tt.wantUnexpected, res.Unexpected)
		})
	}
}

// TestProfileHook checks that a Profile is compared with expectDpp and
// absentDpp.
func TestProfileHook(t *testing.T) {
	c, err := acccase.ParseConfig(build(good, "true", "allow"))
	require.NoError(t, err)
	ok := acccase.Runner{Profile: func(*analysis.World, string) ([]acccase.DPPResult, error) {
		return []acccase.DPPResult{{Code: "DPP_PUBLIC_ACCESS", Section: "1.1, 2.3"}}, nil
	}}.Run("t.json", c)
	assert.True(t, ok.OK, "%q %q", ok.Missing, ok.Unexpected)
	assert.False(t, ok.DPPSkipped)
	bad := acccase.Runner{Profile: func(*analysis.World, string) ([]acccase.DPPResult, error) {
		return []acccase.DPPResult{{Code: "DPP_ACLS_ENABLED", Section: "1.3"}}, nil
	}}.Run("t.json", c)
	assert.False(t, bad.OK)
	assert.Equal(t, []string{"dpp DPP_PUBLIC_ACCESS (1.1, 2.3)"}, bad.Missing)
	assert.Equal(t, []string{"dpp DPP_ACLS_ENABLED"}, bad.Unexpected)
}

// TestParseConfig checks what a configuration must have.
func TestParseConfig(t *testing.T) {
	_, err := acccase.ParseConfig([]byte(`{"target":"a","target":"b"}`))
	assert.ErrorContains(t, err, "twice")
	_, err = acccase.ParseConfig([]byte(`{"target":"a","expectAccess":[],"expectPublic":false}`))
	assert.ErrorContains(t, err, "expectPolicyPublic")
	_, err = acccase.ParseConfig([]byte(`{"target":"a","expectAccess":[{"principal":"*","typo":1}],"expectPublic":false,"expectPolicyPublic":null}`))
	assert.Error(t, err)
	_, err = acccase.ParseFile([]byte(`{}`))
	assert.Error(t, err)
	c, err := acccase.ParseConfig(build(good, "true", "allow"))
	require.NoError(t, err)
	assert.Equal(t, "c", c.Name)
	assert.NotContains(t, string(c.Scenario), "expectAccess")
	assert.NotContains(t, string(c.Scenario), "target")
}
