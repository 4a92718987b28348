package evaluate_test

import (
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/stretchr/testify/assert"
)

// TestReasonAndStepDescribeThemselves checks the one-line descriptions of
// reasons and trace steps: each part appears only when it names something.
func TestReasonAndStepDescribeThemselves(t *testing.T) {
	reasons := []struct {
		name   string
		reason evaluate.Reason
		want   string
	}{
		{name: "zero", reason: evaluate.Reason{}, want: "none: none"},
		{name: "gate", reason: evaluate.Reason{Stage: evaluate.StageDevPay, Code: evaluate.CodeDevPayWrongProduct}, want: "devpay: devpay-wrong-product"},
		{name: "identity policy", reason: evaluate.Reason{Stage: evaluate.StageUser, Code: evaluate.CodeIdentityAllows, Source: evaluate.SourceIdentity, Index: 2, Pointer: "/Statement/0"},
			want: "user: identity-allows identity-policy[2] /Statement/0"},
		{name: "bucket policy with Sid", reason: evaluate.Reason{Stage: evaluate.StageObject, Code: evaluate.CodeBucketPolicyAllows, Source: evaluate.SourceBucketPolicy, Sid: "PublicRead", Pointer: "/Statement/1"},
			want: "object: bucket-policy-allows bucket-policy sid=PublicRead /Statement/1"},
		{name: "grant", reason: evaluate.Reason{Stage: evaluate.StageBucket, Code: evaluate.CodeACLGrants, Source: evaluate.SourceBucketACL}.WithGrant(3),
			want: "bucket: acl-grants bucket-acl grant=3"},
		{name: "grant zero", reason: evaluate.Reason{Stage: evaluate.StageBucket, Code: evaluate.CodeACLGrants, Source: evaluate.SourceBucketACL}.WithGrant(0),
			want: "bucket: acl-grants bucket-acl grant=0"},
	}
	for _, tc := range reasons {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.reason.String()) })
	}
	steps := []struct {
		name string
		step evaluate.Step
		want string
	}{
		{name: "statement that applies", step: evaluate.Step{Stage: evaluate.StageBucket, Source: evaluate.SourceBucketPolicy, Sid: "S", Pointer: "/Statement/0", Matched: true, Note: "Allow statement matches"},
			want: "=> bucket: bucket-policy sid=S /Statement/0: Allow statement matches"},
		{name: "session policy that does not", step: evaluate.Step{Stage: evaluate.StageUser, Source: evaluate.SourceSession, Index: 1, Pointer: "/Statement/2", Note: "action does not match"},
			want: "   user: session-policy[1] /Statement/2: action does not match"},
		{name: "ACL grant found", step: evaluate.Step{Stage: evaluate.StageObject, Source: evaluate.SourceObjectACL, Index: 4, Matched: true, Note: "ACL grant"},
			want: "=> object: object-acl grant=4: ACL grant"},
		{name: "no ACL grant", step: evaluate.Step{Stage: evaluate.StageObject, Source: evaluate.SourceObjectACL, Index: -1, Note: "ACL grant"},
			want: "   object: object-acl: ACL grant"},
		{name: "gate", step: evaluate.Step{Stage: evaluate.StageDevPay, Matched: true, Note: "devpay-not-subscribed"},
			want: "=> devpay: devpay-not-subscribed"},
	}
	for _, tc := range steps {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.step.String()) })
	}
}
