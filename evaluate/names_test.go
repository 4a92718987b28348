package evaluate_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNamesMarshalAsText checks that Decision, Stage and Source print as
// their names in JSON and slog, and read back from them.
func TestNamesMarshalAsText(t *testing.T) {
	type named interface {
		MarshalText() ([]byte, error)
		String() string
	}
	tests := []struct {
		name  string
		value named
		text  string
		read  func([]byte) (named, error)
	}{
		{name: "allow", value: evaluate.Allow, text: "allow", read: func(b []byte) (named, error) { var d evaluate.Decision; err := d.UnmarshalText(b); return d, err }},
		{name: "implicit deny", value: evaluate.ImplicitDeny, text: "implicit-deny", read: func(b []byte) (named, error) { var d evaluate.Decision; err := d.UnmarshalText(b); return d, err }},
		{name: "explicit deny", value: evaluate.ExplicitDeny, text: "explicit-deny", read: func(b []byte) (named, error) { var d evaluate.Decision; err := d.UnmarshalText(b); return d, err }},
		{name: "stage", value: evaluate.StageBlockPublicAccess, text: "block-public-access", read: func(b []byte) (named, error) { var s evaluate.Stage; err := s.UnmarshalText(b); return s, err }},
		{name: "stage error", value: evaluate.StageError, text: "error", read: func(b []byte) (named, error) { var s evaluate.Stage; err := s.UnmarshalText(b); return s, err }},
		{name: "source", value: evaluate.SourceObjectACL, text: "object-acl", read: func(b []byte) (named, error) { var s evaluate.Source; err := s.UnmarshalText(b); return s, err }},
		{name: "no source", value: evaluate.SourceNone, text: "", read: func(b []byte) (named, error) { var s evaluate.Source; err := s.UnmarshalText(b); return s, err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.value.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.text, string(b))
			assert.Equal(t, tc.value.String(), string(b), "the text is the String name")
			back, err := tc.read(b)
			require.NoError(t, err)
			assert.Equal(t, tc.value, back)
		})
	}

	var d evaluate.Decision
	assert.Error(t, d.UnmarshalText([]byte("Allow")), "names are exact")
	var s evaluate.Stage
	assert.Error(t, s.UnmarshalText([]byte("nope")))
	_, err := evaluate.Decision(9).MarshalText()
	assert.Error(t, err, "a value out of range has no name")

	type record struct {
		Decision evaluate.Decision
		Stage    evaluate.Stage
		Code     evaluate.Code
	}
	rec := record{Decision: evaluate.Allow, Stage: evaluate.StageBucket, Code: evaluate.CodeACLGrants}
	js, err := json.Marshal(rec)
	require.NoError(t, err)
	assert.Equal(t, `{"Decision":"allow","Stage":"bucket","Code":"acl-grants"}`, string(js))
	var back record
	require.NoError(t, json.Unmarshal(js, &back))
	assert.Equal(t, rec, back)

	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("decided", "decision", evaluate.ExplicitDeny, "stage", evaluate.StageUser, "source", evaluate.SourceBucketPolicy)
	assert.Contains(t, buf.String(), "decision=explicit-deny stage=user source=bucket-policy")
}

// TestRecordsMustBeTheRequests checks that a bucket or object record of
// another resource than the request names is an invalid request, never an
// answer about the wrong record.
func TestRecordsMustBeTheRequests(t *testing.T) {
	owner := root(acctA)
	tests := []struct {
		name string
		req  evaluate.Request
		ec   func(*evaluate.Context)
	}{
		{name: "another bucket's record", req: getObject(owner), ec: func(ec *evaluate.Context) { ec.Bucket.Name = "other" }},
		{name: "a bucket record for an action on no bucket", req: evaluate.Request{Principal: owner, Action: "s3:ListAllMyBuckets"}, ec: func(*evaluate.Context) {}},
		{name: "another key's record", req: getObject(owner), ec: func(ec *evaluate.Context) { ec.Object.Key = "k2" }},
		{name: "an object record of another bucket", req: getObject(owner), ec: func(ec *evaluate.Context) { ec.Object.Bucket = "other" }},
		{name: "keys differing in case", req: getObject(owner), ec: func(ec *evaluate.Context) { ec.Object.Key = "K" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ec := world(t, acctA)
			tc.ec(&ec)
			d, diag := evaluate.Evaluate(tc.req, ec)
			assert.Equal(t, evaluate.ImplicitDeny, d)
			assert.ErrorIs(t, diag.Err, evaluate.ErrInvalidRequest)
			assert.Equal(t, evaluate.StageError, diag.Reason.Stage)
		})
	}
	d, diag := evaluate.Evaluate(getObject(owner), world(t, acctA))
	assert.Equal(t, evaluate.Allow, d, "the records of the request: %+v", diag.Err)
}

// TestReasonGrantZeroValue checks that a Reason names a grant only when one
// decided: the zero Reason, an error and a policy decision name none.
func TestReasonGrantZeroValue(t *testing.T) {
	_, ok := evaluate.Reason{}.Grant()
	assert.False(t, ok, "the zero Reason names no grant")
	i, ok := evaluate.Reason{}.WithGrant(0).Grant()
	assert.True(t, ok)
	assert.Equal(t, 0, i, "grant 0 is a grant")
	_, ok = evaluate.Reason{}.WithGrant(3).WithGrant(-1).Grant()
	assert.False(t, ok, "a negative index names none")

	_, diag := evaluate.Evaluate(evaluate.Request{Action: "s3:GetObject", Bucket: "bkt", Key: "k"}, world(t, acctA))
	require.Error(t, diag.Err)
	_, ok = diag.Reason.Grant()
	assert.False(t, ok, "an error names no grant")
	assert.NotContains(t, diag.Reason.String(), "grant=")

	_, diag = evaluate.Evaluate(getObject(ownership.Anonymous()), with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
	}))
	_, ok = diag.Reason.Grant()
	assert.False(t, ok, "a policy decision names no grant")
}
