package evaluate_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCodesAreNamed checks that the codes are a closed set of distinct,
// lowercase hyphenated names that marshal as text and read back.
func TestCodesAreNamed(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)*$`)
	seen := map[string]evaluate.Code{}
	n := 0
	for c := evaluate.Code(0); c.IsValid(); c++ {
		n++
		name := c.String()
		assert.Regexp(t, kebab, name)
		if prev, dup := seen[name]; dup {
			t.Errorf("codes %d and %d are both named %q", prev, c, name)
		}
		seen[name] = c
		b, err := c.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, name, string(b))
		var back evaluate.Code
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, c, back)
	}
	assert.Equal(t, len(s3Answers), n, "every code has a row in s3Answers")

	_, err := evaluate.Code(n).MarshalText()
	assert.Error(t, err, "the first value past the set has no name")
	assert.Equal(t, "Code(200)", evaluate.Code(200).String())
	var c evaluate.Code
	assert.Error(t, c.UnmarshalText([]byte("Explicit-Deny")), "names are exact")
	assert.Equal(t, http.StatusForbidden, evaluate.Code(200).HTTPStatus(), "a code out of the set denies")
}

// s3Answers is the answer Amazon S3 gives for each code: 200 for the
// codes of allows; 403 AccessDenied for denials; 405 MethodNotAllowed when
// another account manages a bucket policy (bucket policy page: "If you're
// not the bucket owner ... returns a 405 Method Not Allowed error"); 400
// AccessControlListNotSupported when ACLs are disabled (Object Ownership
// page); 400 InvalidRequest for a request that cannot be decided; 500
// InternalError for the host's records and lookups.
var s3Answers = []struct {
	code    evaluate.Code
	status  int
	s3Code  string
	message string
}{
	{code: evaluate.CodeNone, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeIdentityAllows, status: 200},
	{code: evaluate.CodeBucketPolicyAllows, status: 200},
	{code: evaluate.CodeACLGrants, status: 200},
	{code: evaluate.CodeAccountRoot, status: 200},
	{code: evaluate.CodeResourceOwnerRoot, status: 200},
	{code: evaluate.CodeBucketOwnerPower, status: 200},
	{code: evaluate.CodeOwnerRootPolicyLockoutProtection, status: 200},
	{code: evaluate.CodeExplicitDeny, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeNoIdentityAllow, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeBoundaryDoesNotAllow, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeSessionPolicyDoesNotAllow, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeNoResourceGrant, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeNoAccount, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeBlockPublicACLs, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeBlockPublicPolicy, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeRestrictPublicBuckets, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeACLsNotSupported, status: 400, s3Code: "AccessControlListNotSupported", message: "The bucket does not allow ACLs"},
	{code: evaluate.CodeBucketPolicyOwnerAccountOnly, status: 405, s3Code: "MethodNotAllowed", message: "The specified method is not allowed against this resource."},
	{code: evaluate.CodeDevPayNoProduct, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayWrongProduct, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayProductOnUnboundResource, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayNotSubscribed, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayCancelled, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPaySuspended, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayUnknownProduct, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayInvalidCustomer, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPaySubscriptionError, status: 500, s3Code: "InternalError", message: "We encountered an internal error. Please try again."},
	{code: evaluate.CodeDevPayOwnerNotSubscribed, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayOwnerCancelled, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayOwnerSuspended, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayOwnerInvalidCustomer, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeDevPayOwnerSubscriptionError, status: 500, s3Code: "InternalError", message: "We encountered an internal error. Please try again."},
	{code: evaluate.CodeInvalidRequest, status: 400, s3Code: "InvalidRequest", message: "Invalid Request"},
	{code: evaluate.CodeInvalidRecord, status: 500, s3Code: "InternalError", message: "We encountered an internal error. Please try again."},
	{code: evaluate.CodeConditionError, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
	{code: evaluate.CodeLookupFailed, status: 500, s3Code: "InternalError", message: "We encountered an internal error. Please try again."},
	{code: evaluate.CodePrincipalDisabled, status: 403, s3Code: "AccessDenied", message: "Access Denied"},
}

// TestCodesAnswerAsS3 pins the S3 answer of every code.
func TestCodesAnswerAsS3(t *testing.T) {
	for _, tc := range s3Answers {
		t.Run(tc.code.String(), func(t *testing.T) {
			assert.Equal(t, tc.status, tc.code.HTTPStatus())
			assert.Equal(t, tc.s3Code, tc.code.S3ErrorCode())
			assert.Equal(t, tc.message, tc.code.S3ErrorMessage())
		})
	}
}
