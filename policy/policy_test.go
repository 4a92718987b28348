package policy_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/internal/glob"
	"github.com/s3authz/s3authz/policy"
)

// ptVars is a Vars backed by a map keyed by lowercase variable keys.
type ptVars map[string]string

func (v ptVars) Lookup(key string) (string, bool) {
	s, ok := v[key]
	return s, ok
}

// ptRecordingVars records every key it is asked for.
type ptRecordingVars struct {
	vals map[string]string
	keys []string
}

func (v *ptRecordingVars) Lookup(key string) (string, bool) {
	v.keys = append(v.keys, key)
	s, ok := v.vals[key]
	return s, ok
}

// ptMustParse parses doc and fails the test on error.
func ptMustParse(t *testing.T, kind policy.Kind, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse(kind, []byte(doc))
	require.NoError(t, err, "document: %s", doc)
	require.NotNil(t, p)
	return p
}

// ptTexts returns the written text of each pattern.
func ptTexts(ps []policy.Pattern) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, len(ps))
	for i := range ps {
		out[i] = ps[i].String()
	}
	return out
}

// ptIndex returns the byte index of sub in doc and requires it to occur
// exactly once, so that offsets computed from it are unambiguous.
func ptIndex(t *testing.T, doc, sub string) int {
	t.Helper()
	require.Equal(t, 1, strings.Count(doc, sub), "%q must occur exactly once in the document", sub)
	return strings.Index(doc, sub)
}

// ptVersionMember returns `"Version":"v",` or "" when v is empty.
func ptVersionMember(v string) string {
	if v == "" {
		return ""
	}
	return `"Version":"` + v + `",`
}

// ptAction parses an identity policy with the single action a.
func ptAction(t *testing.T, a string) *policy.Pattern {
	t.Helper()
	p := ptMustParse(t, policy.Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":`+strconv.Quote(a)+`,"Resource":"*"}}`)
	require.Len(t, p.Statements, 1)
	require.Len(t, p.Statements[0].Action, 1)
	return &p.Statements[0].Action[0]
}

// ptResource parses an identity policy of the given Version ("" for none)
// with the single resource r.
func ptResource(t *testing.T, version, r string) *policy.Pattern {
	t.Helper()
	p := ptMustParse(t, policy.Identity, `{`+ptVersionMember(version)+`"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":`+strconv.Quote(r)+`}}`)
	require.Len(t, p.Statements[0].Resource, 1)
	return &p.Statements[0].Resource[0]
}

// ptCondValue parses an identity policy of the given Version with one
// condition op on key "aws:x" whose single value is the JSON text value, and
// returns that value.
func ptCondValue(t *testing.T, version, op, value string) *policy.Value {
	t.Helper()
	p := ptMustParse(t, policy.Identity, `{`+ptVersionMember(version)+`"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"`+op+`":{"aws:x":`+value+`}}}}`)
	require.Len(t, p.Statements[0].Conditions, 1)
	require.Len(t, p.Statements[0].Conditions[0].Values, 1)
	return &p.Statements[0].Conditions[0].Values[0]
}

// ptBucketModelDoc exercises most of the model of a bucket policy. Every
// substring the tests locate with ptIndex occurs once.
const ptBucketModelDoc = `{
  "Version": "2012-10-17",
  "Id": "model-policy-1",
  "Statement": [
    {
      "Sid": "AllowRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": ["111122223333", "arn:aws:iam::111122223333:role/reader"],
        "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
        "Service": "logging.s3.amazonaws.com",
        "Federated": ["accounts.google.com", "arn:aws:iam::111122223333:saml-provider/corp"]
      },
      "Action": ["s3:GetObject", "s3:List*"],
      "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"],
      "Condition": {
        "StringEquals": {"aws:RequestTag/Project": "alpha", "s3:x-amz-acl": ["private", "bucket-owner-full-control"]},
        "NumericLessThanEquals": {"s3:max-keys": [1.50, 10]},
        "Bool": {"aws:SecureTransport": true},
        "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["env*", "team?"]},
        "ForAllValues:StringNotEquals": {"aws:RequestTag/a~b": "x"}
      }
    },
    {
      "Effect": "Deny",
      "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
      "NotAction": "s3:Delete*",
      "NotResource": "arn:aws:s3:::bucket/keep/*"
    }
  ]
}`

func TestParseModel(t *testing.T) {
	tests := []struct {
		name  string
		kind  policy.Kind
		doc   string
		check func(t *testing.T, doc string, p *policy.Policy)
	}{
		{
			name: "model-identity-version-2012-single-statement-object",
			kind: policy.Identity,
			doc:  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				assert.Equal(t, policy.Identity, p.Kind)
				assert.Equal(t, policy.Version2012, p.Version)
				assert.Empty(t, p.ID)
				require.Len(t, p.Statements, 1)
				st := p.Statements[0]
				assert.Equal(t, "/Statement", st.Pointer)
				assert.Equal(t, ptIndex(t, doc, `{"Effect"`), st.Offset)
				assert.Empty(t, st.Sid)
				assert.Equal(t, policy.Allow, st.Effect)
				assert.Nil(t, st.Principal)
				assert.Nil(t, st.NotPrincipal)
				assert.Equal(t, []string{"s3:GetObject"}, ptTexts(st.Action))
				assert.Nil(t, st.NotAction)
				assert.Equal(t, []string{"arn:aws:s3:::b/*"}, ptTexts(st.Resource))
				assert.Nil(t, st.NotResource)
				assert.Empty(t, st.Conditions)
			},
		},
		{
			name: "model-identity-version-2008-id-sid-deny-notaction-notresource",
			kind: policy.Identity,
			doc:  `{"Version":"2008-10-17","Id":"doc-2008","Statement":[{"Sid":"S1","Effect":"Deny","NotAction":["iam:*","s3:Get*"],"NotResource":"arn:aws:s3:::b"}]}`,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				assert.Equal(t, policy.Version2008, p.Version)
				assert.Equal(t, "doc-2008", p.ID)
				require.Len(t, p.Statements, 1)
				st := p.Statements[0]
				assert.Equal(t, "/Statement/0", st.Pointer)
				assert.Equal(t, ptIndex(t, doc, `{"Sid"`), st.Offset)
				assert.Equal(t, "S1", st.Sid)
				assert.Equal(t, policy.Deny, st.Effect)
				assert.Nil(t, st.Action)
				assert.Equal(t, []string{"iam:*", "s3:Get*"}, ptTexts(st.NotAction))
				assert.Nil(t, st.Resource)
				assert.Equal(t, []string{"arn:aws:s3:::b"}, ptTexts(st.NotResource))
			},
		},
		{
			name: "model-identity-version-absent-is-none",
			kind: policy.Identity,
			doc:  `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				assert.Equal(t, policy.VersionNone, p.Version)
				require.Len(t, p.Statements, 2)
				assert.Equal(t, "/Statement/0", p.Statements[0].Pointer)
				assert.Equal(t, "/Statement/1", p.Statements[1].Pointer)
				assert.Equal(t, ptIndex(t, doc, `{"Effect":"Allow"`), p.Statements[0].Offset)
				assert.Equal(t, ptIndex(t, doc, `{"Effect":"Deny"`), p.Statements[1].Offset)
			},
		},
		{
			name: "model-bucket-principal-star-sets-all",
			kind: policy.Bucket,
			doc:  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				assert.Equal(t, policy.Bucket, p.Kind)
				st := p.Statements[0]
				require.NotNil(t, st.Principal)
				assert.Nil(t, st.NotPrincipal)
				assert.True(t, st.Principal.All)
				assert.Empty(t, st.Principal.AWS)
			},
		},
		{
			name: "model-bucket-principal-lists-all-four-types",
			kind: policy.Bucket,
			doc:  ptBucketModelDoc,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				assert.Equal(t, policy.Version2012, p.Version)
				assert.Equal(t, "model-policy-1", p.ID)
				require.Len(t, p.Statements, 2)
				st := p.Statements[0]
				assert.Equal(t, "AllowRead", st.Sid)
				assert.Equal(t, policy.Allow, st.Effect)
				require.NotNil(t, st.Principal)
				assert.Nil(t, st.NotPrincipal)
				assert.False(t, st.Principal.All)
				assert.Equal(t, []string{"111122223333", "arn:aws:iam::111122223333:role/reader"}, st.Principal.AWS)
				assert.Equal(t, []string{"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, st.Principal.CanonicalUser)
				assert.Equal(t, []string{"logging.s3.amazonaws.com"}, st.Principal.Service)
				assert.Equal(t, []string{"accounts.google.com", "arn:aws:iam::111122223333:saml-provider/corp"}, st.Principal.Federated)
				assert.Equal(t, []string{"s3:GetObject", "s3:List*"}, ptTexts(st.Action))
				assert.Equal(t, []string{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"}, ptTexts(st.Resource))
			},
		},
		{
			name: "model-bucket-notprincipal-notaction-notresource",
			kind: policy.Bucket,
			doc:  ptBucketModelDoc,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				require.Len(t, p.Statements, 2)
				st := p.Statements[1]
				assert.Equal(t, "/Statement/1", st.Pointer)
				assert.Equal(t, ptIndex(t, doc, "{\n      \"Effect\": \"Deny\""), st.Offset)
				assert.Equal(t, policy.Deny, st.Effect)
				assert.Nil(t, st.Principal)
				require.NotNil(t, st.NotPrincipal)
				assert.Equal(t, []string{"arn:aws:iam::111122223333:root"}, st.NotPrincipal.AWS)
				assert.Nil(t, st.Action)
				assert.Equal(t, []string{"s3:Delete*"}, ptTexts(st.NotAction))
				assert.Nil(t, st.Resource)
				assert.Equal(t, []string{"arn:aws:s3:::bucket/keep/*"}, ptTexts(st.NotResource))
				assert.Empty(t, st.Conditions)
			},
		},
		{
			name: "model-bucket-statement-array-offsets",
			kind: policy.Bucket,
			doc:  ptBucketModelDoc,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				require.Len(t, p.Statements, 2)
				assert.Equal(t, "/Statement/0", p.Statements[0].Pointer)
				assert.Equal(t, ptIndex(t, doc, "{\n      \"Sid\""), p.Statements[0].Offset)
			},
		},
		{
			name: "model-bucket-conditions-operators-values-pointers-offsets",
			kind: policy.Bucket,
			doc:  ptBucketModelDoc,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				cs := p.Statements[0].Conditions
				require.Len(t, cs, 6, "operator blocks, then keys within each block, in document order")

				c := cs[0]
				assert.Equal(t, policy.StringEquals, c.Operator)
				assert.Equal(t, policy.SetNone, c.Set)
				assert.False(t, c.IfExists)
				assert.Equal(t, "aws:RequestTag/Project", c.Key)
				assert.Equal(t, "/Statement/0/Condition/StringEquals/aws:RequestTag~1Project", c.Pointer)
				assert.Equal(t, ptIndex(t, doc, `"alpha"`), c.Offset)
				require.Len(t, c.Values, 1)
				assert.Equal(t, "alpha", c.Values[0].Text)
				assert.Equal(t, policy.StringValue, c.Values[0].Kind)
				assert.Equal(t, ptIndex(t, doc, `"alpha"`), c.Values[0].Offset)

				c = cs[1]
				assert.Equal(t, policy.StringEquals, c.Operator)
				assert.Equal(t, "s3:x-amz-acl", c.Key)
				assert.Equal(t, "/Statement/0/Condition/StringEquals/s3:x-amz-acl", c.Pointer)
				assert.Equal(t, ptIndex(t, doc, `["private"`), c.Offset)
				require.Len(t, c.Values, 2)
				assert.Equal(t, "private", c.Values[0].Text)
				assert.Equal(t, "bucket-owner-full-control", c.Values[1].Text)
				assert.Equal(t, ptIndex(t, doc, `"bucket-owner-full-control"`), c.Values[1].Offset)

				c = cs[2]
				assert.Equal(t, policy.NumericLessThanEquals, c.Operator)
				assert.Equal(t, "s3:max-keys", c.Key)
				assert.Equal(t, ptIndex(t, doc, `[1.50`), c.Offset)
				require.Len(t, c.Values, 2)
				assert.Equal(t, "1.50", c.Values[0].Text, "numbers keep their written text")
				assert.Equal(t, policy.NumberValue, c.Values[0].Kind)
				assert.Equal(t, ptIndex(t, doc, `1.50`), c.Values[0].Offset)
				assert.Equal(t, "10", c.Values[1].Text)
				assert.Equal(t, policy.NumberValue, c.Values[1].Kind)

				c = cs[3]
				assert.Equal(t, policy.Bool, c.Operator)
				assert.Equal(t, "aws:SecureTransport", c.Key)
				require.Len(t, c.Values, 1)
				assert.Equal(t, "true", c.Values[0].Text)
				assert.Equal(t, policy.BoolValue, c.Values[0].Kind)
				assert.Equal(t, ptIndex(t, doc, `true`), c.Offset)

				c = cs[4]
				assert.Equal(t, policy.StringLike, c.Operator)
				assert.Equal(t, policy.ForAnyValue, c.Set)
				assert.True(t, c.IfExists)
				assert.Equal(t, "aws:TagKeys", c.Key)
				assert.Equal(t, "/Statement/0/Condition/ForAnyValue:StringLikeIfExists/aws:TagKeys", c.Pointer)
				require.Len(t, c.Values, 2)
				assert.Equal(t, "env*", c.Values[0].Text)
				assert.Equal(t, "team?", c.Values[1].Text)

				c = cs[5]
				assert.Equal(t, policy.StringNotEquals, c.Operator)
				assert.Equal(t, policy.ForAllValues, c.Set)
				assert.False(t, c.IfExists)
				assert.Equal(t, "aws:RequestTag/a~b", c.Key)
				assert.Equal(t, "/Statement/0/Condition/ForAllValues:StringNotEquals/aws:RequestTag~1a~0b", c.Pointer)
			},
		},
		{
			name: "model-leading-whitespace-offsets-absolute",
			kind: policy.Identity,
			doc:  " \n\t{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:x\":false}}}]}",
			check: func(t *testing.T, doc string, p *policy.Policy) {
				require.Len(t, p.Statements, 1)
				assert.Equal(t, ptIndex(t, doc, `{"Effect"`), p.Statements[0].Offset)
				require.Len(t, p.Statements[0].Conditions, 1)
				assert.Equal(t, ptIndex(t, doc, `false`), p.Statements[0].Conditions[0].Offset)
				assert.Equal(t, ptIndex(t, doc, `false`), p.Statements[0].Conditions[0].Values[0].Offset)
			},
		},
		{
			name: "model-version-after-statement-still-enables-variables",
			kind: policy.Identity,
			doc:  `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/${aws:username}"},"Version":"2012-10-17"}`,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				assert.Equal(t, policy.Version2012, p.Version)
				r := &p.Statements[0].Resource[0]
				assert.True(t, r.HasVars())
				assert.True(t, r.MatchVars("arn:aws:s3:::b/alice", ptVars{"aws:username": "alice"}))
			},
		},
		{
			name: "model-condition-string-quoted-bool-and-number-stay-strings",
			kind: policy.Identity,
			doc:  `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"NumericEquals":{"s3:max-keys":"7"}}}}`,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				cs := p.Statements[0].Conditions
				require.Len(t, cs, 2)
				assert.Equal(t, "true", cs[0].Values[0].Text)
				assert.Equal(t, policy.StringValue, cs[0].Values[0].Kind)
				assert.Equal(t, "7", cs[1].Values[0].Text)
				assert.Equal(t, policy.StringValue, cs[1].Values[0].Kind)
				assert.Equal(t, ptIndex(t, doc, `"7"`), cs[1].Values[0].Offset)
			},
		},
		{
			name: "model-condition-negative-exponent-number-text-kept",
			kind: policy.Identity,
			doc:  `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:x":[-0.0, 2E+3, false]}}}}`,
			check: func(t *testing.T, doc string, p *policy.Policy) {
				vs := p.Statements[0].Conditions[0].Values
				require.Len(t, vs, 3)
				assert.Equal(t, "-0.0", vs[0].Text)
				assert.Equal(t, policy.NumberValue, vs[0].Kind)
				assert.Equal(t, "2E+3", vs[1].Text)
				assert.Equal(t, policy.NumberValue, vs[1].Kind)
				assert.Equal(t, "false", vs[2].Text)
				assert.Equal(t, policy.BoolValue, vs[2].Kind)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ptMustParse(t, tc.kind, tc.doc)
			tc.check(t, tc.doc, p)
		})
	}
}

func TestPatternMatchSemantics(t *testing.T) {
	alice := ptVars{"aws:username": "alice"}
	star := ptVars{"aws:username": "a*"}
	tests := []struct {
		name  string
		pat   func(t *testing.T) *policy.Pattern
		vars  policy.Vars
		input string
		want  bool
	}{
		// Actions: glob, ASCII case ignored.
		{"action-glob-matches-upper-case", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:Get*") }, nil, "S3:GETOBJECT", true},
		{"action-glob-matches-lower-case", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:Get*") }, nil, "s3:getobject", true},
		{"action-glob-rejects-other-verb", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:Get*") }, nil, "s3:PutObject", false},
		{"action-exact-matches-any-case", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:GetObject") }, nil, "S3:gEtObJeCt", true},
		{"action-exact-rejects-longer", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:GetObject") }, nil, "s3:GetObjectAcl", false},
		{"action-question-mark-one-char", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:Get?bject") }, nil, "s3:GETOBJECT", true},
		{"action-question-mark-not-zero-chars", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:Get?bject") }, nil, "s3:Getbject", false},
		{"action-middle-star-fold", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:*Object*") }, nil, "S3:PUTOBJECTACL", true},

		// Resources: glob, case-sensitive.
		{"resource-case-sensitive-exact", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/k") }, nil, "arn:aws:s3:::b/K", false},
		{"resource-case-sensitive-prefix", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/*") }, nil, "arn:aws:s3:::B/x", false},
		{"resource-star-crosses-slash", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/*") }, nil, "arn:aws:s3:::b/a/b/c", true},
		{"resource-middle-star-crosses-slash", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/*.txt")
		}, nil, "arn:aws:s3:::b/dir/sub/f.txt", true},
		{"resource-question-one-char", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/?") }, nil, "arn:aws:s3:::b/x", true},
		{"resource-question-crosses-slash", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b?x") }, nil, "arn:aws:s3:::b/x", true},
		{"resource-question-not-two-chars", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/?") }, nil, "arn:aws:s3:::b/xy", false},
		{"resource-question-one-multibyte-rune", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/?") }, nil, "arn:aws:s3:::b/é", true},
		{"resource-any-matches-empty", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "*") }, nil, "", true},

		// Policy variables under 2012-10-17.
		{"var-username-substituted", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/home/${aws:username}/*")
		}, alice, "arn:aws:s3:::b/home/alice/x", true},
		{"var-username-other-user-rejected", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/home/${aws:username}/*")
		}, alice, "arn:aws:s3:::b/home/bob/x", false},
		{"var-value-star-is-literal-matches-star", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/home/${aws:username}/*")
		}, star, "arn:aws:s3:::b/home/a*/x", true},
		{"var-value-star-is-literal-not-wildcard", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/home/${aws:username}/*")
		}, star, "arn:aws:s3:::b/home/ab/x", false},
		{"var-mixed-case-key-resolved", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${AWS:UserName}")
		}, alice, "arn:aws:s3:::b/alice", true},
		{"var-missing-no-default-matches-nothing-with-vars", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${aws:userid}*")
		}, alice, "arn:aws:s3:::b/", false},
		{"var-default-used-when-missing", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*")
		}, alice, "arn:aws:s3:::b/company-wide/doc", true},
		{"var-default-used-with-nil-vars", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*")
		}, nil, "arn:aws:s3:::b/company-wide/doc", true},
		{"var-default-overridden-by-value", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*")
		}, ptVars{"aws:principaltag/team": "red"}, "arn:aws:s3:::b/company-wide/doc", false},
		{"var-default-value-from-lookup", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*")
		}, ptVars{"aws:principaltag/team": "red"}, "arn:aws:s3:::b/red/doc", true},
		{"var-escape-star-literal", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${*}") }, nil, "arn:aws:s3:::b/*", true},
		{"var-escape-star-not-wildcard", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${*}") }, nil, "arn:aws:s3:::b/x", false},
		{"var-escape-question-literal", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${?}") }, nil, "arn:aws:s3:::b/?", true},
		{"var-escape-question-not-wildcard", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${?}") }, nil, "arn:aws:s3:::b/x", false},
		{"var-escape-dollar-literal", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${$}{aws:username}")
		}, alice, "arn:aws:s3:::b/${aws:username}", true},
		{"var-escape-dollar-not-substituted", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${$}{aws:username}")
		}, alice, "arn:aws:s3:::b/$alice", false},

		// Policy variables are literal text before 2012-10-17.
		{"var-2008-literal-text-matches", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2008-10-17", "arn:aws:s3:::b/${aws:username}/*")
		}, alice, "arn:aws:s3:::b/${aws:username}/x", true},
		{"var-2008-not-substituted", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2008-10-17", "arn:aws:s3:::b/${aws:username}/*")
		}, alice, "arn:aws:s3:::b/alice/x", false},
		{"var-version-absent-literal-text-matches", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "", "arn:aws:s3:::b/${aws:username}/*")
		}, alice, "arn:aws:s3:::b/${aws:username}/x", true},
		{"var-version-absent-not-substituted", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "", "arn:aws:s3:::b/${aws:username}/*")
		}, alice, "arn:aws:s3:::b/alice/x", false},

		// Condition values.
		{"cond-stringequals-star-literal-matches-star", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringEquals", `"a*"`).Pattern
		}, nil, "a*", true},
		{"cond-stringequals-star-not-wildcard", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringEquals", `"a*"`).Pattern
		}, nil, "ab", false},
		{"cond-stringequals-question-not-wildcard", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringEquals", `"a?"`).Pattern
		}, nil, "ab", false},
		{"cond-stringequals-case-sensitive", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringEquals", `"Alpha"`).Pattern
		}, nil, "alpha", false},
		{"cond-stringlike-star-is-glob", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringLike", `"a*"`).Pattern
		}, nil, "ab", true},
		{"cond-stringlike-question-is-glob", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringLike", `"a?c"`).Pattern
		}, nil, "abc", true},
		{"cond-arnlike-star-is-glob", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "ArnLike", `"arn:aws:iam::*:role/r"`).Pattern
		}, nil, "arn:aws:iam::111122223333:role/r", true},
		{"cond-stringequals-var-2012-substituted", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringEquals", `"${aws:username}"`).Pattern
		}, alice, "alice", true},
		{"cond-stringequals-var-value-star-literal", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringEquals", `"x-${aws:username}"`).Pattern
		}, star, "x-ab", false},
		{"cond-stringlike-var-2012-then-glob", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringLike", `"home/${aws:username}/*"`).Pattern
		}, alice, "home/alice/docs/x", true},
		{"cond-stringequals-var-2008-literal-text", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2008-10-17", "StringEquals", `"${aws:username}"`).Pattern
		}, alice, "${aws:username}", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.pat(t)
			assert.Equal(t, tc.want, p.MatchVars(tc.input, tc.vars), "pattern %q input %q", p.String(), tc.input)
			if tc.vars == nil {
				assert.Equal(t, tc.want, p.Match(tc.input), "Match must agree with MatchVars(s, nil)")
			}
		})
	}
}

func TestPatternClassification(t *testing.T) {
	tests := []struct {
		name       string
		pat        func(t *testing.T) *policy.Pattern
		text       string
		exact      string
		isExact    bool
		prefix     string
		isPrefix   bool
		isAny      bool
		hasVars    bool
		matchEmpty bool
	}{
		{name: "class-resource-prefix", pat: func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/*") },
			text: "arn:aws:s3:::b/*", prefix: "arn:aws:s3:::b/", isPrefix: true},
		{name: "class-resource-any", pat: func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "*") },
			text: "*", isAny: true, matchEmpty: true},
		{name: "class-resource-exact", pat: func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/k") },
			text: "arn:aws:s3:::b/k", exact: "arn:aws:s3:::b/k", isExact: true},
		{name: "class-resource-exact-keeps-case", pat: func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::B/K") },
			text: "arn:aws:s3:::B/K", exact: "arn:aws:s3:::B/K", isExact: true},
		{name: "class-resource-general-middle-star", pat: func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/*/x")
		}, text: "arn:aws:s3:::b/*/x"},
		{name: "class-resource-general-question", pat: func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/?") },
			text: "arn:aws:s3:::b/?"},
		{name: "class-resource-double-trailing-star-general", pat: func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/**")
		}, text: "arn:aws:s3:::b/**"},
		{name: "class-action-exact-lowercased", pat: func(t *testing.T) *policy.Pattern { return ptAction(t, "S3:GetObject") },
			text: "S3:GetObject", exact: "s3:getobject", isExact: true},
		{name: "class-action-prefix-lowercased", pat: func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:Get*") },
			text: "s3:Get*", prefix: "s3:get", isPrefix: true},
		{name: "class-action-any", pat: func(t *testing.T) *policy.Pattern { return ptAction(t, "*") },
			text: "*", isAny: true, matchEmpty: true},
		{name: "class-var-2012-has-vars", pat: func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/home/${aws:username}/*")
		}, text: "arn:aws:s3:::b/home/${aws:username}/*", hasVars: true},
		{name: "class-var-2008-literal-prefix-no-vars", pat: func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2008-10-17", "arn:aws:s3:::b/home/${aws:username}/*")
		}, text: "arn:aws:s3:::b/home/${aws:username}/*", prefix: "arn:aws:s3:::b/home/${aws:username}/", isPrefix: true},
		{name: "class-var-absent-version-literal-exact-no-vars", pat: func(t *testing.T) *policy.Pattern {
			return ptResource(t, "", "arn:aws:s3:::b/${aws:username}")
		}, text: "arn:aws:s3:::b/${aws:username}", exact: "arn:aws:s3:::b/${aws:username}", isExact: true},
		{name: "class-escape-star-is-exact", pat: func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${*}") },
			text: "arn:aws:s3:::b/${*}", exact: "arn:aws:s3:::b/*", isExact: true},
		{name: "class-escape-star-then-star-is-prefix", pat: func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${*}*")
		}, text: "arn:aws:s3:::b/${*}*", prefix: "arn:aws:s3:::b/*", isPrefix: true},
		{name: "class-cond-stringequals-star-exact-literal", pat: func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringEquals", `"a*"`).Pattern
		}, text: "a*", exact: "a*", isExact: true},
		{name: "class-cond-stringlike-star-prefix", pat: func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringLike", `"a*"`).Pattern
		}, text: "a*", prefix: "a", isPrefix: true},
		{name: "class-cond-stringequals-var-2012-has-vars", pat: func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringEquals", `"${aws:x}"`).Pattern
		}, text: "${aws:x}", hasVars: true},
		{name: "class-cond-arnequals-var-2012-has-vars", pat: func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "ArnEquals", `"arn:aws:iam::111122223333:user/${aws:username}"`).Pattern
		}, text: "arn:aws:iam::111122223333:user/${aws:username}", hasVars: true},
		{name: "class-cond-stringequals-var-2008-no-vars", pat: func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2008-10-17", "StringEquals", `"${aws:x}"`).Pattern
		}, text: "${aws:x}", exact: "${aws:x}", isExact: true},
		{name: "class-zero-pattern-matches-only-empty", pat: func(t *testing.T) *policy.Pattern { return &policy.Pattern{} },
			text: "", matchEmpty: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.pat(t)
			assert.Equal(t, tc.text, p.String())
			g := (*glob.Pattern)(p) // the shape helpers are internal, for evaluate
			exact, isExact := g.Exact()
			assert.Equal(t, tc.isExact, isExact, "Exact ok")
			if tc.isExact {
				assert.Equal(t, tc.exact, exact)
			}
			prefix, isPrefix := g.Prefix()
			assert.Equal(t, tc.isPrefix, isPrefix, "Prefix ok")
			if tc.isPrefix {
				assert.Equal(t, tc.prefix, prefix)
			}
			assert.Equal(t, tc.isAny, g.IsAny())
			assert.Equal(t, tc.hasVars, p.HasVars())
			assert.Equal(t, tc.matchEmpty, p.Match(""))
		})
	}
}

func TestPatternVarsLookupAndMissing(t *testing.T) {
	tests := []struct {
		name     string
		resource string
		vals     map[string]string
		inputs   []string
		want     bool
		wantKeys []string
	}{
		{
			name:     "lookup-key-lowercased-mixed-case",
			resource: "arn:aws:s3:::b/${AWS:UserName}/*",
			vals:     map[string]string{"aws:username": "alice"},
			inputs:   []string{"arn:aws:s3:::b/alice/x"},
			want:     true,
			wantKeys: []string{"aws:username"},
		},
		{
			name:     "lookup-key-lowercased-tag-with-default",
			resource: "arn:aws:s3:::b/${aws:PrincipalTag/Team, 'all'}",
			vals:     map[string]string{"aws:principaltag/team": "red"},
			inputs:   []string{"arn:aws:s3:::b/red"},
			want:     true,
			wantKeys: []string{"aws:principaltag/team"},
		},
		{
			name:     "lookup-missing-no-default-matches-nothing",
			resource: "arn:aws:s3:::b/${aws:userid}*",
			vals:     map[string]string{"aws:username": "alice"},
			inputs:   []string{"", "arn:aws:s3:::b/", "arn:aws:s3:::b/alice", "arn:aws:s3:::b/${aws:userid}", "arn:aws:s3:::b/x/y", "*"},
			want:     false,
		},
		{
			name:     "lookup-missing-no-default-suffix-var-matches-nothing",
			resource: "arn:aws:s3:::*${aws:username}",
			vals:     nil,
			inputs:   []string{"arn:aws:s3:::b/", "arn:aws:s3:::b/${aws:username}", "arn:aws:s3:::"},
			want:     false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ptResource(t, "2012-10-17", tc.resource)
			require.True(t, p.HasVars())
			for _, in := range tc.inputs {
				v := &ptRecordingVars{vals: tc.vals}
				assert.Equal(t, tc.want, p.MatchVars(in, v), "MatchVars(%q)", in)
				if tc.wantKeys != nil {
					assert.Equal(t, tc.wantKeys, v.keys, "keys passed to Lookup")
				}
				for _, k := range v.keys {
					assert.Equal(t, strings.ToLower(k), k, "Lookup receives lowercase keys")
				}
				if !tc.want {
					assert.False(t, p.Match(in), "Match(%q) without Vars", in)
				}
			}
		})
	}
}

// ptOperatorNames are the 27 operators in declaration order.
var ptOperatorNames = []string{
	"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
	"StringLike", "StringNotLike",
	"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
	"NumericGreaterThan", "NumericGreaterThanEquals",
	"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
	"DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
	"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
}

func TestEnumStrings(t *testing.T) {
	tests := []struct {
		name string
		got  fmt.Stringer
		want string
	}{
		{"kind-zero", policy.Kind(0), "Kind(0)"},
		{"kind-bucket", policy.Bucket, "bucket"},
		{"kind-identity", policy.Identity, "identity"},
		{"kind-out-of-range", policy.Kind(9), "Kind(9)"},
		{"version-none", policy.VersionNone, ""},
		{"version-2008", policy.Version2008, "2008-10-17"},
		{"version-2012", policy.Version2012, "2012-10-17"},
		{"version-out-of-range", policy.Version(3), "Version(3)"},
		{"effect-zero", policy.Effect(0), "Effect(0)"},
		{"effect-allow", policy.Allow, "Allow"},
		{"effect-deny", policy.Deny, "Deny"},
		{"effect-out-of-range", policy.Effect(3), "Effect(3)"},
		{"setop-none", policy.SetNone, ""},
		{"setop-forallvalues", policy.ForAllValues, "ForAllValues"},
		{"setop-foranyvalue", policy.ForAnyValue, "ForAnyValue"},
		{"setop-out-of-range", policy.SetOp(3), "SetOp(3)"},
		{"operator-zero", policy.Operator(0), "Operator(0)"},
		{"operator-out-of-range-28", policy.Operator(28), "Operator(28)"},
		{"operator-out-of-range-255", policy.Operator(255), "Operator(255)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got.String())
		})
	}
}

func TestOperatorNames(t *testing.T) {
	require.Len(t, ptOperatorNames, 27)
	for i, name := range ptOperatorNames {
		t.Run("operator-name-"+name, func(t *testing.T) {
			op := policy.Operator(i + 1)
			assert.Equal(t, name, op.String())
			got, err := policy.ParseOperator(op.String())
			assert.NoError(t, err)
			assert.Equal(t, op, got, "ParseOperator(String()) round trip")
		})
	}
	assert.Equal(t, policy.StringEquals, policy.Operator(1))
	assert.Equal(t, policy.Null, policy.Operator(27))

	rejects := []struct {
		name  string
		input string
	}{
		{"parse-operator-lowercase-rejected", "stringequals"},
		{"parse-operator-uppercase-rejected", "STRINGEQUALS"},
		{"parse-operator-mixed-case-rejected", "Stringequals"},
		{"parse-operator-ifexists-suffix-rejected", "StringEqualsIfExists"},
		{"parse-operator-set-prefix-rejected", "ForAnyValue:StringLike"},
		{"parse-operator-empty-rejected", ""},
		{"parse-operator-out-of-range-name-rejected", "Operator(28)"},
		{"parse-operator-space-rejected", "Bool "},
	}
	for _, tc := range rejects {
		t.Run(tc.name, func(t *testing.T) {
			op, err := policy.ParseOperator(tc.input)
			assert.ErrorIs(t, err, policy.ErrInvalidCondition)
			assert.Equal(t, policy.Operator(0), op)
		})
	}
}

func TestOperatorPredicates(t *testing.T) {
	tests := []struct {
		name      string
		op        policy.Operator
		negated   bool
		acceptsVs bool
		wildcards bool
	}{
		{"pred-StringEquals", policy.StringEquals, false, true, false},
		{"pred-StringNotEquals", policy.StringNotEquals, true, true, false},
		{"pred-StringEqualsIgnoreCase", policy.StringEqualsIgnoreCase, false, true, false},
		{"pred-StringNotEqualsIgnoreCase", policy.StringNotEqualsIgnoreCase, true, true, false},
		{"pred-StringLike", policy.StringLike, false, true, true},
		{"pred-StringNotLike", policy.StringNotLike, true, true, true},
		{"pred-NumericEquals", policy.NumericEquals, false, false, false},
		{"pred-NumericNotEquals", policy.NumericNotEquals, true, false, false},
		{"pred-NumericLessThan", policy.NumericLessThan, false, false, false},
		{"pred-NumericLessThanEquals", policy.NumericLessThanEquals, false, false, false},
		{"pred-NumericGreaterThan", policy.NumericGreaterThan, false, false, false},
		{"pred-NumericGreaterThanEquals", policy.NumericGreaterThanEquals, false, false, false},
		{"pred-DateEquals", policy.DateEquals, false, false, false},
		{"pred-DateNotEquals", policy.DateNotEquals, true, false, false},
		{"pred-DateLessThan", policy.DateLessThan, false, false, false},
		{"pred-DateLessThanEquals", policy.DateLessThanEquals, false, false, false},
		{"pred-DateGreaterThan", policy.DateGreaterThan, false, false, false},
		{"pred-DateGreaterThanEquals", policy.DateGreaterThanEquals, false, false, false},
		{"pred-Bool", policy.Bool, false, true, false},
		{"pred-BinaryEquals", policy.BinaryEquals, false, false, false},
		{"pred-IpAddress", policy.IpAddress, false, false, false},
		{"pred-NotIpAddress", policy.NotIpAddress, true, false, false},
		{"pred-ArnEquals", policy.ArnEquals, false, true, true},
		{"pred-ArnLike", policy.ArnLike, false, true, true},
		{"pred-ArnNotEquals", policy.ArnNotEquals, true, true, true},
		{"pred-ArnNotLike", policy.ArnNotLike, true, true, true},
		{"pred-Null", policy.Null, false, false, false},
		{"pred-zero-operator", policy.Operator(0), false, false, false},
		{"pred-out-of-range-operator", policy.Operator(28), false, false, false},
	}
	negated := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.negated, tc.op.Negated(), "Negated")
			assert.Equal(t, tc.acceptsVs, tc.op.AcceptsVariables(), "AcceptsVariables")
			assert.Equal(t, tc.wildcards, tc.op.Wildcards(), "Wildcards")
		})
		if tc.negated {
			negated++
		}
	}
	assert.Equal(t, 8, negated, "the table lists exactly 8 negated operators")
	assert.Len(t, tests, 27+2, "every operator has a row")
}

func TestConditionOperatorName(t *testing.T) {
	tests := []struct {
		name     string
		written  string
		op       policy.Operator
		set      policy.SetOp
		ifExists bool
	}{
		{"opname-foranyvalue-stringlike", "ForAnyValue:StringLike", policy.StringLike, policy.ForAnyValue, false},
		{"opname-stringequals-ifexists", "StringEqualsIfExists", policy.StringEquals, policy.SetNone, true},
		{"opname-forallvalues-stringnotequals-ifexists", "ForAllValues:StringNotEqualsIfExists", policy.StringNotEquals, policy.ForAllValues, true},
		{"opname-plain-null", "Null", policy.Null, policy.SetNone, false},
		{"opname-plain-numericlessthan", "NumericLessThan", policy.NumericLessThan, policy.SetNone, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			value := `"1"`
			if tc.op == policy.Null {
				value = `"true"`
			}
			p := ptMustParse(t, policy.Identity, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"`+tc.written+`":{"aws:x":`+value+`}}}}`)
			require.Len(t, p.Statements[0].Conditions, 1)
			c := p.Statements[0].Conditions[0]
			assert.Equal(t, tc.op, c.Operator)
			assert.Equal(t, tc.set, c.Set)
			assert.Equal(t, tc.ifExists, c.IfExists)
			assert.Equal(t, tc.written, c.OperatorName())
		})
	}
	// A hand-built condition gives the same composition.
	c := policy.Condition{Operator: policy.ArnLike, Set: policy.ForAllValues, IfExists: true}
	assert.Equal(t, "ForAllValues:ArnLikeIfExists", c.OperatorName())
}

func TestPrincipalsEveryone(t *testing.T) {
	tests := []struct {
		name      string
		principal string
		want      bool
	}{
		{"everyone-bare-star", `"*"`, true},
		{"everyone-aws-star", `{"AWS":"*"}`, true},
		{"everyone-aws-star-list", `{"AWS":["*"]}`, true},
		{"everyone-not-account", `{"AWS":"111122223333"}`, false},
		{"everyone-not-service", `{"Service":"logging.s3.amazonaws.com"}`, false},
		{"everyone-not-two-accounts", `{"AWS":["111122223333","444455556666"]}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ptMustParse(t, policy.Bucket, `{"Statement":{"Effect":"Allow","Principal":`+tc.principal+`,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`)
			require.NotNil(t, p.Statements[0].Principal)
			assert.Equal(t, tc.want, p.Statements[0].Principal.Everyone())
		})
	}
	assert.False(t, (&policy.Principals{}).Everyone(), "empty Principals")
}

func TestParseInvalidKind(t *testing.T) {
	doc := []byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	tests := []struct {
		name string
		kind policy.Kind
	}{
		{"invalid-kind-zero", policy.Kind(0)},
		{"invalid-kind-seven", policy.Kind(7)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.Parse(tc.kind, doc)
			assert.Nil(t, p)
			require.Error(t, err)
			assert.ErrorIs(t, err, policy.ErrInvalidValue)
			var pe *policy.Error
			require.True(t, errors.As(err, &pe))
			assert.Empty(t, pe.Pointer)
			assert.Equal(t, fmt.Sprintf("policy: invalid value: unknown policy kind %d (offset 0)", tc.kind), err.Error())
		})
	}
}

var ptOffsetSuffix = regexp.MustCompile(`\(offset (\d+)\)$`)

// ptOffsets parses the "(offset N)" suffix of each line of msg.
func ptOffsets(t *testing.T, msg string) []int {
	t.Helper()
	var out []int
	for _, line := range strings.Split(msg, "\n") {
		m := ptOffsetSuffix.FindStringSubmatch(line)
		require.NotNil(t, m, "line without offset: %q", line)
		n, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		out = append(out, n)
	}
	return out
}

// ptTwelveProblems is an identity policy with 12 independent problems, one
// per element, in document order.
const ptTwelveProblems = `{"Version":"2099-01-01","Id":"","Statement":[` +
	`{"Effect":"Alow","Action":"*","Resource":"*"},` +
	`{"Effect":"Allow","Action":"s3:Get Object","Resource":"*"},` +
	`{"Effect":"Allow","Action":"*","Resource":"bucket"},` +
	`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqual":{"aws:x":"1"}}},` +
	`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},` +
	`{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"},` +
	`{"Sid":"bad sid","Effect":"Allow","Action":"*","Resource":"*"},` +
	`{"Effect":1,"Action":"*","Resource":"*"},` +
	`{"Effect":"Allow","Effect":"Allow","Action":"*","Resource":"*"},` +
	`{"Effect":"Allow","Action":"*"}` +
	`]}`

func TestParseErrorsManyProblems(t *testing.T) {
	_, err := policy.Parse(policy.Identity, []byte(ptTwelveProblems))
	require.Error(t, err)
	msg := err.Error()
	lines := strings.Split(msg, "\n")

	t.Run("many-problems-exactly-max-errors-lines", func(t *testing.T) {
		assert.Len(t, lines, policy.MaxErrors)
		assert.Equal(t, 10, policy.MaxErrors)
	})
	t.Run("many-problems-lines-in-increasing-offset-order", func(t *testing.T) {
		offs := ptOffsets(t, msg)
		require.Len(t, offs, policy.MaxErrors)
		for i := 1; i < len(offs); i++ {
			assert.Less(t, offs[i-1], offs[i], "line %d", i)
		}
	})
	t.Run("many-problems-errors-is-each-reported-class", func(t *testing.T) {
		for _, s := range []error{policy.ErrInvalidValue, policy.ErrInvalidAction, policy.ErrInvalidResource,
			policy.ErrInvalidCondition, policy.ErrUnknownElement, policy.ErrConflict, policy.ErrType} {
			assert.ErrorIs(t, err, s)
		}
	})
	t.Run("many-problems-problems-past-max-not-reported", func(t *testing.T) {
		// The 11th (a duplicate key) and 12th (a missing Resource) come last.
		assert.NotErrorIs(t, err, policy.ErrDuplicateKey)
		assert.NotErrorIs(t, err, policy.ErrMissingElement)
	})
	t.Run("many-problems-cap-keeps-found-order-then-sorts", func(t *testing.T) {
		// Ten bad actions fill the cap before the statement's missing Effect
		// (found after its members, at the statement's own, smaller offset)
		// is looked for: the reported ten are sorted, but they are the first
		// ten found, not the ten smallest offsets.
		acts := make([]string, 10)
		for i := range acts {
			acts[i] = `"s3:Bad Action` + strconv.Itoa(i) + `"`
		}
		doc := `{"Statement":[{"Action":[` + strings.Join(acts, ",") + `],"Resource":"*"}]}`
		_, err := policy.Parse(policy.Identity, []byte(doc))
		require.Error(t, err)
		offs := ptOffsets(t, err.Error())
		require.Len(t, offs, policy.MaxErrors)
		for i := 1; i < len(offs); i++ {
			assert.Less(t, offs[i-1], offs[i])
		}
		var first *policy.Error
		require.True(t, errors.As(err, &first))
		assert.Equal(t, offs[0], first.Offset, "errors.As finds the first reported")
		assert.ErrorIs(t, err, policy.ErrInvalidAction)
	})
	t.Run("many-problems-errors-as-gives-first-by-offset", func(t *testing.T) {
		var pe *policy.Error
		require.True(t, errors.As(err, &pe))
		assert.Equal(t, "/Version", pe.Pointer)
		assert.Equal(t, ptIndex(t, ptTwelveProblems, `"2099-01-01"`), pe.Offset)
		assert.ErrorIs(t, pe, policy.ErrInvalidValue)
		assert.Equal(t, lines[0], pe.Error())
	})
}

func TestParseErrorsOffsetOrder(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		pointers []string
		offsets  func(doc string) []int
	}{
		{
			name:     "order-missing-effect-before-bad-action-same-statement",
			doc:      `{"Statement":[{"Action":"s3:Get Object","Resource":"*"}]}`,
			pointers: []string{"/Statement/0", "/Statement/0/Action"},
			offsets: func(doc string) []int {
				return []int{strings.Index(doc, `{"Action"`), strings.Index(doc, `"s3:Get Object"`)}
			},
		},
		{
			name:     "order-interleaved-across-two-statements",
			doc:      `{"Statement":[{"Action":"s3:Get Object","Resource":"*"},{"Resource":"arn","Action":"*"}]}`,
			pointers: []string{"/Statement/0", "/Statement/0/Action", "/Statement/1", "/Statement/1/Resource"},
			offsets: func(doc string) []int {
				return []int{
					strings.Index(doc, `{"Action"`), strings.Index(doc, `"s3:Get Object"`),
					strings.Index(doc, `{"Resource"`), strings.Index(doc, `"arn"`),
				}
			},
		},
		{
			name:     "order-missing-statement-at-root-after-bad-version",
			doc:      `{"Version":"1.0","Id":5}`,
			pointers: []string{"", "/Version", "/Id"},
			offsets: func(doc string) []int {
				return []int{0, strings.Index(doc, `"1.0"`), strings.Index(doc, `5`)}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Parse(policy.Identity, []byte(tc.doc))
			require.Error(t, err)
			joined, ok := err.(interface{ Unwrap() []error })
			require.True(t, ok, "several problems are joined: %T", err)
			errs := joined.Unwrap()
			require.Len(t, errs, len(tc.pointers))
			var gotPtrs []string
			var gotOffs []int
			for _, e := range errs {
				var pe *policy.Error
				require.True(t, errors.As(e, &pe))
				gotPtrs = append(gotPtrs, pe.Pointer)
				gotOffs = append(gotOffs, pe.Offset)
			}
			assert.Equal(t, tc.pointers, gotPtrs)
			assert.Equal(t, tc.offsets(tc.doc), gotOffs)
			assert.Equal(t, gotOffs, ptOffsets(t, err.Error()))
			var first *policy.Error
			require.True(t, errors.As(err, &first))
			assert.Equal(t, tc.pointers[0], first.Pointer)
		})
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name     string
		kind     policy.Kind
		doc      string
		sentinel error
		want     func(doc string) string
	}{
		{
			name:     "format-bad-effect-exact-text",
			kind:     policy.Identity,
			doc:      `{"Statement":[{"Effect":"Alow","Action":"*","Resource":"*"}]}`,
			sentinel: policy.ErrInvalidValue,
			want: func(doc string) string {
				return fmt.Sprintf(`policy: /Statement/0/Effect: invalid value "Alow": want "Allow" or "Deny" (offset %d)`, strings.Index(doc, `"Alow"`))
			},
		},
		{
			name:     "format-root-missing-statement-omits-pointer",
			kind:     policy.Identity,
			doc:      `{"Version":"2012-10-17"}`,
			sentinel: policy.ErrMissingElement,
			want:     func(string) string { return "policy: missing required element: Statement (offset 0)" },
		},
		{
			name:     "format-root-not-object-omits-pointer",
			kind:     policy.Bucket,
			doc:      `[]`,
			sentinel: policy.ErrType,
			want:     func(string) string { return "policy: wrong type: want an object, not array (offset 0)" },
		},
		{
			name:     "format-too-large-no-pointer",
			kind:     policy.Bucket,
			doc:      `{"Statement":` + strings.Repeat(" ", policy.DefaultMaxBytesBucket) + `}`,
			sentinel: policy.ErrTooLarge,
			want: func(doc string) string {
				return fmt.Sprintf("policy: document too large: %d bytes, the limit is 20480 (offset 20480)", len(doc))
			},
		},
		{
			name:     "format-condition-key-pointer-escaped",
			kind:     policy.Identity,
			doc:      `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/P":[]}}}}`,
			sentinel: policy.ErrInvalidCondition,
			want: func(doc string) string {
				return fmt.Sprintf("policy: /Statement/Condition/StringEquals/aws:RequestTag~1P: invalid condition: empty value list (offset %d)", strings.Index(doc, `[]`))
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Parse(tc.kind, []byte(tc.doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			assert.Equal(t, tc.want(tc.doc), err.Error())
		})
	}
}

func TestErrorTruncation(t *testing.T) {
	long := strings.Repeat("A", 400)
	longUTF8 := strings.Repeat("é", 100) // 200 bytes; a cut at 64 falls on a rune boundary only by luck
	tests := []struct {
		name     string
		doc      string
		sentinel error
		contains string
		absent   string
		maxLen   int
	}{
		{
			name:     "truncate-long-effect-value",
			doc:      `{"Statement":{"Effect":"` + long + `","Action":"*","Resource":"*"}}`,
			sentinel: policy.ErrInvalidValue,
			contains: `"` + strings.Repeat("A", 64) + `…"`,
			absent:   strings.Repeat("A", 65),
			maxLen:   len(long),
		},
		{
			name:     "truncate-long-action-value",
			doc:      `{"Statement":{"Effect":"Allow","Action":"s3:` + long + `!","Resource":"*"}}`,
			sentinel: policy.ErrInvalidAction,
			contains: `"s3:` + strings.Repeat("A", 61) + `…"`,
			absent:   strings.Repeat("A", 62),
			maxLen:   len(long),
		},
		{
			name:     "truncate-keeps-utf8-sequences-whole",
			doc:      `{"Statement":{"Effect":"x` + longUTF8 + `","Action":"*","Resource":"*"}}`,
			sentinel: policy.ErrInvalidValue,
			contains: `"x` + strings.Repeat("é", 31) + `…"`,
			absent:   strings.Repeat("é", 32),
			maxLen:   len(longUTF8),
		},
		{
			name:     "truncate-long-pointer-at-100-bytes",
			doc:      `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:` + long + `$":"v"}}}}`,
			sentinel: policy.ErrInvalidCondition,
			contains: "policy: /Statement/Condition/StringEquals/aws:" + strings.Repeat("A", 100-len("/Statement/Condition/StringEquals/aws:")) + "…: ",
			absent:   strings.Repeat("A", 101),
			maxLen:   len(long),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Parse(policy.Identity, []byte(tc.doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			msg := err.Error()
			assert.Contains(t, msg, "…")
			assert.Contains(t, msg, tc.contains)
			assert.NotContains(t, msg, tc.absent)
			assert.Less(t, len(msg), tc.maxLen, "message shorter than the quoted input")
			assert.Less(t, len(msg), len(tc.doc))
		})
	}
}

func TestSyntaxErrorOffsets(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"syntax-missing-value", `{"Statement":}`},
		{"syntax-missing-colon", `{"Statement" {}}`},
		{"syntax-unterminated-object", `{"Statement":{"Effect":"Allow"`},
		{"syntax-trailing-garbage", `{"Statement":{}} x`},
		{"syntax-trailing-comma", `{"Version":"2012-10-17",}`},
		{"syntax-empty-input", ``},
		{"syntax-single-quotes", `{'Statement':1}`},
		{"syntax-bad-escape", `{"Id":"\x"}`},
		{"syntax-leading-zero-number", `{"Id":01}`},
		{"syntax-raw-tab-in-string", "{\"Id\":\"a\tb\"}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			jerr := json.Unmarshal([]byte(tc.doc), &v)
			var want *json.SyntaxError
			require.True(t, errors.As(jerr, &want), "encoding/json must reject %q with a SyntaxError, got %v", tc.doc, jerr)

			_, err := policy.Parse(policy.Bucket, []byte(tc.doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, policy.ErrSyntax)
			var se *policy.SyntaxError
			require.True(t, errors.As(err, &se))
			assert.Equal(t, want.Offset, se.Offset)
			assert.Equal(t, policy.ErrSyntax, se.Unwrap())
			assert.True(t, strings.HasPrefix(se.Error(), "policy: invalid JSON: "), se.Error())
			assert.True(t, strings.HasSuffix(se.Error(), fmt.Sprintf("(offset %d)", want.Offset)), se.Error())
			var pe *policy.Error
			assert.False(t, errors.As(err, &pe), "a syntax error is not a *policy.Error")
		})
	}
}

func TestParseErrorDeterminism(t *testing.T) {
	tests := []struct {
		name string
		kind policy.Kind
		doc  string
	}{
		{"determinism-twelve-problems", policy.Identity, ptTwelveProblems},
		{"determinism-many-duplicate-keys", policy.Identity, `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Action":"*","Resource":"*","Resource":"*","Sid":"a","Sid":"b"}}`},
		{"determinism-bucket-principals", policy.Bucket, `{"Statement":{"Effect":"Allow","Principal":{"AWS":["*","1"],"Users":"x","Service":"BAD"},"Action":"ec2:*","Resource":"arn:aws:ec2:::x"}}`},
		{"determinism-syntax", policy.Bucket, `{"Statement":[1,2,}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err1 := policy.Parse(tc.kind, []byte(tc.doc))
			require.Error(t, err1)
			for range 5 {
				_, err2 := policy.Parse(tc.kind, []byte(tc.doc))
				require.Error(t, err2)
				assert.Equal(t, err1.Error(), err2.Error())
			}
		})
	}
}

// TestErrorOffsetOfKey checks the documented Offset of *Error: "the byte
// offset of that value (of the key, for duplicate and unknown members)".
func TestErrorOffsetOfKey(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		sentinel error
		key      string
	}{
		{"key-offset-duplicate-member", `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}`, policy.ErrDuplicateKey, `"Effect":"Deny"`},
		{"key-offset-unknown-member", `{"Statement":{"Effect":"Allow","Bogus":1,"Action":"*","Resource":"*"}}`, policy.ErrUnknownElement, `"Bogus"`},
		{"key-offset-principal-in-identity-policy", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, policy.ErrUnknownElement, `"Principal"`},
		{"key-offset-unknown-top-level-member", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Comment":"x"}`, policy.ErrUnknownElement, `"Comment"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Parse(policy.Identity, []byte(tc.doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var pe *policy.Error
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, ptIndex(t, tc.doc, tc.key), pe.Offset)
		})
	}
}

func TestMustParse(t *testing.T) {
	tests := []struct {
		name   string
		kind   policy.Kind
		doc    string
		panics bool
	}{
		{"mustparse-valid-identity", policy.Identity, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, false},
		{"mustparse-valid-bucket", policy.Bucket, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, false},
		{"mustparse-invalid-effect-panics", policy.Identity, `{"Statement":{"Effect":"Alow","Action":"*","Resource":"*"}}`, true},
		{"mustparse-syntax-panics", policy.Identity, `{`, true},
		{"mustparse-identity-principal-panics", policy.Identity, `{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, true},
		{"mustparse-invalid-kind-panics", policy.Kind(0), `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.panics {
				assert.Panics(t, func() { policy.MustParse(tc.kind, tc.doc) })
				return
			}
			var p *policy.Policy
			assert.NotPanics(t, func() { p = policy.MustParse(tc.kind, tc.doc) })
			require.NotNil(t, p)
			want, err := policy.Parse(tc.kind, []byte(tc.doc))
			require.NoError(t, err)
			assert.True(t, want.Equal(p))
			assert.Equal(t, tc.kind, p.Kind)
		})
	}
}

func TestPolicyEqual(t *testing.T) {
	const base = `{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*","Condition":{"NumericLessThan":{"s3:max-keys":"1"},"StringLike":{"s3:prefix":["a*","b*"]}}}]}`
	const bucketBase = `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	tests := []struct {
		name    string
		kind    policy.Kind
		a, b    string
		marshal bool // compare a with Parse(MarshalJSON(a)) instead of b
		want    bool
	}{
		{name: "equal-identical-docs", kind: policy.Identity, a: base, b: base, want: true},
		{name: "equal-whitespace-ignored", kind: policy.Identity, a: base, b: strings.ReplaceAll(base, `","`, `" , "`), want: true},
		{name: "equal-marshal-reparse-identity", kind: policy.Identity, a: base, marshal: true, want: true},
		{name: "equal-marshal-reparse-bucket-model", kind: policy.Bucket, a: ptBucketModelDoc, marshal: true, want: true},
		{name: "equal-single-object-vs-one-element-array", kind: policy.Identity,
			a: `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
			b: `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, want: true},
		{name: "equal-string-vs-one-element-list", kind: policy.Identity,
			a: `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			b: `{"Statement":{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}}`, want: true},
		{name: "equal-condition-scalar-vs-list", kind: policy.Identity,
			a: `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:x":true}}}}`,
			b: `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:x":[true]}}}}`, want: true},
		{name: "equal-member-order-ignored", kind: policy.Identity,
			a: `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
			b: `{"Statement":{"Resource":"*","Action":"*","Effect":"Allow"}}`, want: true},
		{name: "unequal-sid", kind: policy.Identity, a: base, b: strings.Replace(base, `"Sid":"A"`, `"Sid":"B"`, 1)},
		{name: "unequal-effect", kind: policy.Identity, a: base, b: strings.Replace(base, `"Allow"`, `"Deny"`, 1)},
		{name: "unequal-action-case", kind: policy.Identity, a: base, b: strings.Replace(base, `s3:GetObject`, `s3:getobject`, 1)},
		{name: "unequal-action-list-order", kind: policy.Identity, a: base, b: strings.Replace(base, `["s3:GetObject","s3:PutObject"]`, `["s3:PutObject","s3:GetObject"]`, 1)},
		{name: "unequal-condition-value-list-order", kind: policy.Identity, a: base, b: strings.Replace(base, `["a*","b*"]`, `["b*","a*"]`, 1)},
		{name: "unequal-condition-value-json-kind", kind: policy.Identity, a: base, b: strings.Replace(base, `"s3:max-keys":"1"`, `"s3:max-keys":1`, 1)},
		{name: "unequal-condition-operator-order", kind: policy.Identity,
			a: `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:x":true},"Null":{"aws:y":"true"}}}}`,
			b: `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:y":"true"},"Bool":{"aws:x":true}}}}`},
		{name: "unequal-version", kind: policy.Identity, a: base, b: strings.Replace(base, `2012-10-17`, `2008-10-17`, 1)},
		{name: "unequal-version-absent", kind: policy.Identity, a: base, b: strings.Replace(base, `"Version":"2012-10-17",`, ``, 1)},
		{name: "unequal-id", kind: policy.Identity, a: base, b: strings.Replace(base, `"Id":"x"`, `"Id":"y"`, 1)},
		{name: "unequal-action-vs-notaction", kind: policy.Identity, a: base, b: strings.Replace(base, `"Action"`, `"NotAction"`, 1)},
		{name: "unequal-resource-vs-notresource", kind: policy.Identity, a: base, b: strings.Replace(base, `"Resource"`, `"NotResource"`, 1)},
		{name: "unequal-extra-statement", kind: policy.Identity,
			a: `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			b: `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
		{name: "unequal-principal-vs-notprincipal", kind: policy.Bucket, a: bucketBase, b: strings.Replace(bucketBase, `"Principal"`, `"NotPrincipal"`, 1)},
		{name: "unequal-principal-star-vs-aws-star", kind: policy.Bucket, a: strings.Replace(bucketBase, `{"AWS":"111122223333"}`, `"*"`, 1), b: strings.Replace(bucketBase, `"111122223333"`, `"*"`, 1)},
		{name: "unequal-principal-account", kind: policy.Bucket, a: bucketBase, b: strings.Replace(bucketBase, `111122223333`, `444455556666`, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := ptMustParse(t, tc.kind, tc.a)
			var b *policy.Policy
			if tc.marshal {
				out, err := a.MarshalJSON()
				require.NoError(t, err)
				b = ptMustParse(t, tc.kind, string(out))
			} else {
				require.True(t, tc.want || tc.a != tc.b, "an unequal row must change the document")
				b = ptMustParse(t, tc.kind, tc.b)
			}
			assert.Equal(t, tc.want, a.Equal(b))
			assert.Equal(t, tc.want, b.Equal(a), "Equal is symmetric")
			assert.True(t, a.Equal(a), "Equal is reflexive")
		})
	}

	t.Run("equal-nil-handling", func(t *testing.T) {
		p := ptMustParse(t, policy.Identity, base)
		assert.True(t, (*policy.Policy)(nil).Equal(nil))
		assert.False(t, p.Equal(nil))
		assert.False(t, (*policy.Policy)(nil).Equal(p))
	})
	t.Run("equal-kind-differs-hand-built", func(t *testing.T) {
		// No document is valid as both kinds, so build the policies by hand.
		a := &policy.Policy{Kind: policy.Bucket}
		b := &policy.Policy{Kind: policy.Identity}
		assert.False(t, a.Equal(b))
		assert.True(t, a.Equal(&policy.Policy{Kind: policy.Bucket}))
	})
	t.Run("equal-ignores-pointers-and-offsets", func(t *testing.T) {
		a := ptMustParse(t, policy.Identity, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
		b := ptMustParse(t, policy.Identity, `{"Statement":[  {"Effect":"Allow","Action":"*","Resource":"*"}]}`)
		require.NotEqual(t, a.Statements[0].Pointer, b.Statements[0].Pointer)
		require.NotEqual(t, a.Statements[0].Offset, b.Statements[0].Offset)
		assert.True(t, a.Equal(b))
	})
}

func TestMarshalJSONEscaping(t *testing.T) {
	// Bucket policy Sids take any text, so they carry the hostile strings.
	tests := []struct {
		name     string
		sidJSON  string // as written in the input
		sid      string // as parsed
		contains string // in the output
	}{
		{"marshal-control-char-escaped", `"a\u0001b"`, "a\x01b", `"Sid":"a\u0001b"`},
		{"marshal-nul-escaped", `"a\u0000b"`, "a\x00b", `"Sid":"a\u0000b"`},
		{"marshal-del-escaped", `"a\u007fb"`, "a\x7fb", `"Sid":"a\u007fb"`},
		{"marshal-newline-tab-cr-short-escapes", `"a\nb\tc\rd"`, "a\nb\tc\rd", `"Sid":"a\nb\tc\rd"`},
		{"marshal-quote-escaped", `"say \"hi\""`, `say "hi"`, `"Sid":"say \"hi\""`},
		{"marshal-backslash-escaped", `"a\\b"`, `a\b`, `"Sid":"a\\b"`},
		{"marshal-non-ascii-raw", `"caf\u00e9 日本 🚀"`, "café 日本 🚀", `"Sid":"café 日本 🚀"`},
		{"marshal-non-ascii-raw-input", `"café"`, "café", `"Sid":"café"`},
		{"marshal-u2028-escaped", "\"a\u2028b\"", "a\u2028b", `"Sid":"a\u2028b"`},
		{"marshal-u2029-escaped", `"a\u2029b"`, "a\u2029b", `"Sid":"a\u2029b"`},
		{"marshal-slash-not-escaped", `"a\/b"`, "a/b", `"Sid":"a/b"`},
		{"marshal-html-not-escaped", `"<a&b>"`, "<a&b>", `"Sid":"<a&b>"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"Statement":{"Sid":` + tc.sidJSON + `,"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
			p := ptMustParse(t, policy.Bucket, doc)
			require.Equal(t, tc.sid, p.Statements[0].Sid)
			out, err := p.MarshalJSON()
			require.NoError(t, err)
			assert.True(t, json.Valid(out), "%s", out)
			assert.Contains(t, string(out), tc.contains)
			assert.NotContains(t, string(out), "\u2028", "U+2028 never raw")
			assert.NotContains(t, string(out), "\u2029", "U+2029 never raw")
			var decoded struct{ Statement []struct{ Sid string } }
			require.NoError(t, json.Unmarshal(out, &decoded))
			require.Len(t, decoded.Statement, 1)
			assert.Equal(t, tc.sid, decoded.Statement[0].Sid, "encoding/json reads back the same text")
			q := ptMustParse(t, policy.Bucket, string(out))
			assert.True(t, p.Equal(q))
			assert.Equal(t, string(out), string(q.AppendJSON(nil)), "canonical form is a fixed point")
			assert.Equal(t, "prefix:"+string(out), string(p.AppendJSON([]byte("prefix:"))), "AppendJSON appends")
		})
	}
}

func TestMarshalJSONCanonicalForm(t *testing.T) {
	tests := []struct {
		name string
		kind policy.Kind
		doc  string
		want string
	}{
		{
			name: "canonical-identity-lists-and-order",
			kind: policy.Identity,
			doc:  `{"Statement":{"Resource":"*","Action":"s3:GetObject","Effect":"Allow"},"Id":"i","Version":"2012-10-17"}`,
			want: `{"Version":"2012-10-17","Id":"i","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}`,
		},
		{
			name: "canonical-condition-kinds-kept",
			kind: policy.Identity,
			doc:  `{"Statement":{"Effect":"Deny","NotAction":"s3:*","NotResource":"*","Condition":{"NumericLessThan":{"s3:max-keys":1.50},"Bool":{"aws:SecureTransport":false},"StringEquals":{"aws:x":"1"}}}}`,
			want: `{"Statement":[{"Effect":"Deny","NotAction":["s3:*"],"NotResource":["*"],"Condition":{"NumericLessThan":{"s3:max-keys":[1.50]},"Bool":{"aws:SecureTransport":[false]},"StringEquals":{"aws:x":["1"]}}}]}`,
		},
		{
			name: "canonical-principal-type-order",
			kind: policy.Bucket,
			doc:  `{"Statement":{"Effect":"Allow","NotPrincipal":{"Service":"a.amazonaws.com","AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`,
			want: `{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":["111122223333"],"Service":["a.amazonaws.com"]},"Action":["s3:*"],"Resource":["*"]}]}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ptMustParse(t, tc.kind, tc.doc)
			out, err := p.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(out))
			assert.True(t, json.Valid(out))
		})
	}
}
