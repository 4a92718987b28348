package evaluate

import (
	"net/http"
	"strconv"

	"github.com/s3authz/s3authz/devpay"
)

// Code says why a decision was taken. The codes are a closed set, listed
// below and in the package documentation; their names (String,
// MarshalText) are stable, lowercase and hyphenated. Each code maps to the
// answer Amazon S3 gives for it, through HTTPStatus, S3ErrorCode and
// S3ErrorMessage, so a server needs no table of its own. The zero Code,
// CodeNone, names no reason; its answer is 403 AccessDenied, so that an
// unset code never reads as an allow.
type Code uint8

// The codes. Those from CodeIdentityAllows to
// CodeOwnerRootPolicyLockoutProtection are the codes of decisions that
// allow (HTTP 200); the others deny.
const (
	// CodeNone is the zero Code: no reason (never returned by Evaluate).
	CodeNone Code = iota
	// CodeIdentityAllows: an identity policy of the caller allows, within
	// its permissions boundary and session policies.
	CodeIdentityAllows
	// CodeBucketPolicyAllows: a bucket policy statement allows.
	CodeBucketPolicyAllows
	// CodeACLGrants: a grant of the bucket or object ACL allows
	// (Reason.Grant names it).
	CodeACLGrants
	// CodeAccountRoot: the root user acts on its own account, on no bucket
	// (s3:ListAllMyBuckets).
	CodeAccountRoot
	// CodeResourceOwnerRoot: the root user of the account that owns the
	// resource.
	CodeResourceOwnerRoot
	// CodeBucketOwnerPower: the bucket owner deletes or restores an object
	// another account owns, a power S3 gives it whatever the object's ACL.
	CodeBucketOwnerPower
	// CodeOwnerRootPolicyLockoutProtection: the bucket owner's root user
	// reads, writes or deletes the bucket policy, which it may always do.
	CodeOwnerRootPolicyLockoutProtection

	// CodeExplicitDeny: a Deny statement matched (403 AccessDenied).
	CodeExplicitDeny
	// CodeNoIdentityAllow: no identity policy of the IAM caller allows
	// (403 AccessDenied).
	CodeNoIdentityAllow
	// CodeBoundaryDoesNotAllow: an identity policy allows but the
	// permissions boundary does not (403 AccessDenied).
	CodeBoundaryDoesNotAllow
	// CodeSessionPolicyDoesNotAllow: an identity policy allows but no
	// session policy does (403 AccessDenied).
	CodeSessionPolicyDoesNotAllow
	// CodeNoResourceGrant: the resource owner's bucket policy and ACLs
	// grant the caller nothing (403 AccessDenied).
	CodeNoResourceGrant
	// CodeNoAccount: the caller belongs to no account that could allow an
	// action on no bucket (403 AccessDenied).
	CodeNoAccount
	// CodeBlockPublicACLs: Block Public Access refuses a public ACL
	// (403 AccessDenied).
	CodeBlockPublicACLs
	// CodeBlockPublicPolicy: Block Public Access refuses a public bucket
	// policy (403 AccessDenied).
	CodeBlockPublicPolicy
	// CodeRestrictPublicBuckets: the bucket policy is public and Block
	// Public Access's RestrictPublicBuckets limits it to the bucket owner's
	// account and AWS services (403 AccessDenied).
	CodeRestrictPublicBuckets
	// CodeACLsNotSupported: the bucket's Object Ownership is
	// BucketOwnerEnforced, and the request sets an ACL other than
	// bucket-owner-full-control (400 AccessControlListNotSupported).
	CodeACLsNotSupported
	// CodeBucketPolicyOwnerAccountOnly: only the bucket owner's account
	// may read, write or delete the bucket policy (405 MethodNotAllowed).
	CodeBucketPolicyOwnerAccountOnly
	// CodeDevPayNoProduct: the resource belongs to a DevPay product and
	// the request came through none (403 AccessDenied).
	CodeDevPayNoProduct
	// CodeDevPayWrongProduct: the request came through another product
	// than the resource's (403 AccessDenied).
	CodeDevPayWrongProduct
	// CodeDevPayProductOnUnboundResource: the request came through a
	// product, to a resource stored outside any (403 AccessDenied).
	CodeDevPayProductOnUnboundResource
	// CodeDevPayNotSubscribed: the caller is not subscribed to the
	// product (403 AccessDenied).
	CodeDevPayNotSubscribed
	// CodeDevPayCancelled: the caller cancelled its subscription
	// (403 AccessDenied).
	CodeDevPayCancelled
	// CodeDevPaySuspended: the caller's subscription is suspended for not
	// paying (403 AccessDenied).
	CodeDevPaySuspended
	// CodeDevPayUnknownProduct: the resource's product is not in the
	// catalog (403 AccessDenied).
	CodeDevPayUnknownProduct
	// CodeDevPayInvalidCustomer: the caller has no valid account to check
	// a subscription of (403 AccessDenied).
	CodeDevPayInvalidCustomer
	// CodeDevPaySubscriptionError: the caller's subscription could not be
	// looked up; the restriction fails closed (500 InternalError: the
	// request may succeed when retried). Diagnostic.Err holds the cause.
	CodeDevPaySubscriptionError
	// CodeDevPayOwnerNotSubscribed: the account that stored the data is
	// not subscribed to the product, so nobody reaches it
	// (403 AccessDenied).
	CodeDevPayOwnerNotSubscribed
	// CodeDevPayOwnerCancelled: the account that stored the data cancelled
	// its subscription (403 AccessDenied).
	CodeDevPayOwnerCancelled
	// CodeDevPayOwnerSuspended: the subscription of the account that
	// stored the data is suspended (403 AccessDenied).
	CodeDevPayOwnerSuspended
	// CodeDevPayOwnerInvalidCustomer: the data's owner is no account that
	// could subscribe, such as the anonymous user (403 AccessDenied).
	CodeDevPayOwnerInvalidCustomer
	// CodeDevPayOwnerSubscriptionError: the subscription of the account
	// that stored the data could not be looked up (500 InternalError).
	CodeDevPayOwnerSubscriptionError
	// CodeInvalidRequest: the request cannot be decided on (see
	// ErrInvalidRequest; 400 InvalidRequest).
	CodeInvalidRequest
	// CodeInvalidRecord: the host's records contradict each other (see
	// ErrInvalidRecord; 500 InternalError: the fault is the host's).
	CodeInvalidRecord
	// CodeConditionError: a Deny statement's conditions could not be
	// evaluated, so it might have matched; the request is denied
	// (403 AccessDenied). Diagnostic.Err holds an *Error wrapping
	// ErrCondition.
	CodeConditionError
	// CodeLookupFailed: a lookup the evaluator made through a host
	// interface was cancelled or timed out (500 InternalError).
	// Diagnostic.Err wraps the context's error.
	CodeLookupFailed
	// CodePrincipalDisabled: the host disabled the caller (account
	// lockout, Context.Lockout); nothing else is consulted
	// (403 AccessDenied).
	CodePrincipalDisabled

	numCodes
)

// S3 error codes, as S3 spells them in the Code element of its error body.
const (
	s3AccessDenied = iota
	s3ACLNotSupported
	s3MethodNotAllowed
	s3InvalidRequest
	s3InternalError
	s3None
)

var s3Errors = [...]struct {
	status       int
	code, detail string
}{
	s3AccessDenied:     {http.StatusForbidden, "AccessDenied", "Access Denied"},
	s3ACLNotSupported:  {http.StatusBadRequest, "AccessControlListNotSupported", "The bucket does not allow ACLs"},
	s3MethodNotAllowed: {http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource."},
	s3InvalidRequest:   {http.StatusBadRequest, "InvalidRequest", "Invalid Request"},
	s3InternalError:    {http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again."},
	s3None:             {http.StatusOK, "", ""},
}

// codes holds each code's name and S3 answer. The zero value of the s3
// column is AccessDenied, so a code without an entry denies.
var codes = [numCodes]struct {
	name string
	s3   uint8
}{
	CodeNone:                             {"none", s3AccessDenied},
	CodeIdentityAllows:                   {"identity-allows", s3None},
	CodeBucketPolicyAllows:               {"bucket-policy-allows", s3None},
	CodeACLGrants:                        {"acl-grants", s3None},
	CodeAccountRoot:                      {"account-root", s3None},
	CodeResourceOwnerRoot:                {"resource-owner-root", s3None},
	CodeBucketOwnerPower:                 {"bucket-owner-power", s3None},
	CodeOwnerRootPolicyLockoutProtection: {"owner-root-policy-lockout-protection", s3None},
	CodeExplicitDeny:                     {"explicit-deny", s3AccessDenied},
	CodeNoIdentityAllow:                  {"no-identity-allow", s3AccessDenied},
	CodeBoundaryDoesNotAllow:             {"boundary-does-not-allow", s3AccessDenied},
	CodeSessionPolicyDoesNotAllow:        {"session-policy-does-not-allow", s3AccessDenied},
	CodeNoResourceGrant:                  {"no-resource-grant", s3AccessDenied},
	CodeNoAccount:                        {"no-account", s3AccessDenied},
	CodeBlockPublicACLs:                  {"block-public-acls", s3AccessDenied},
	CodeBlockPublicPolicy:                {"block-public-policy", s3AccessDenied},
	CodeRestrictPublicBuckets:            {"restrict-public-buckets", s3AccessDenied},
	CodeACLsNotSupported:                 {"acls-not-supported", s3ACLNotSupported},
	CodeBucketPolicyOwnerAccountOnly:     {"bucket-policy-owner-account-only", s3MethodNotAllowed},
	CodeDevPayNoProduct:                  {"devpay-no-product", s3AccessDenied},
	CodeDevPayWrongProduct:               {"devpay-wrong-product", s3AccessDenied},
	CodeDevPayProductOnUnboundResource:   {"devpay-product-on-unbound-resource", s3AccessDenied},
	CodeDevPayNotSubscribed:              {"devpay-not-subscribed", s3AccessDenied},
	CodeDevPayCancelled:                  {"devpay-cancelled", s3AccessDenied},
	CodeDevPaySuspended:                  {"devpay-suspended", s3AccessDenied},
	CodeDevPayUnknownProduct:             {"devpay-unknown-product", s3AccessDenied},
	CodeDevPayInvalidCustomer:            {"devpay-invalid-customer", s3AccessDenied},
	CodeDevPaySubscriptionError:          {"devpay-subscription-error", s3InternalError},
	CodeDevPayOwnerNotSubscribed:         {"devpay-owner-not-subscribed", s3AccessDenied},
	CodeDevPayOwnerCancelled:             {"devpay-owner-cancelled", s3AccessDenied},
	CodeDevPayOwnerSuspended:             {"devpay-owner-suspended", s3AccessDenied},
	CodeDevPayOwnerInvalidCustomer:       {"devpay-owner-invalid-customer", s3AccessDenied},
	CodeDevPayOwnerSubscriptionError:     {"devpay-owner-subscription-error", s3InternalError},
	CodeInvalidRequest:                   {"invalid-request", s3InvalidRequest},
	CodeInvalidRecord:                    {"invalid-record", s3InternalError},
	CodeConditionError:                   {"condition-error", s3AccessDenied},
	CodeLookupFailed:                     {"lookup-failed", s3InternalError},
	CodePrincipalDisabled:                {"principal-disabled", s3AccessDenied},
}

// IsValid reports whether c is one of the listed codes.
func (c Code) IsValid() bool { return c < numCodes }

// String returns the code's name, such as "explicit-deny", and "Code(N)"
// for a value that is not IsValid. It does not allocate for valid codes.
func (c Code) String() string {
	if c.IsValid() {
		return codes[c].name
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// MarshalText implements encoding.TextMarshaler: the name String returns.
// A value out of range is an error.
func (c Code) MarshalText() ([]byte, error) {
	if !c.IsValid() {
		return marshalName(nil, int(c), "Code")
	}
	return []byte(codes[c].name), nil
}

// UnmarshalText implements encoding.TextUnmarshaler for the names
// MarshalText writes.
func (c *Code) UnmarshalText(b []byte) error {
	for i := range codes {
		if codes[i].name == string(b) {
			*c = Code(i)
			return nil
		}
	}
	_, err := unmarshalName(nil, b, "Code")
	return err
}

func (c Code) s3() int {
	if c.IsValid() {
		return int(codes[c].s3)
	}
	return s3AccessDenied
}

// HTTPStatus returns the HTTP status Amazon S3 answers a request denied
// with code c: 403 for most denials, 405 for
// CodeBucketPolicyOwnerAccountOnly, 400 for CodeACLsNotSupported and
// CodeInvalidRequest, 500 for failures of the host's records and lookups
// (which may pass when retried), and 200 for the codes of decisions that
// allow. A Code that is not IsValid answers 403.
func (c Code) HTTPStatus() int { return s3Errors[c.s3()].status }

// S3ErrorCode returns the error code Amazon S3 writes in its error body for
// code c, such as "AccessDenied", "MethodNotAllowed" or
// "AccessControlListNotSupported", and "" for the codes of decisions that
// allow.
func (c Code) S3ErrorCode() string { return s3Errors[c.s3()].code }

// S3ErrorMessage returns the message Amazon S3 writes beside
// S3ErrorCode, such as "Access Denied", and "" for the codes of decisions
// that allow. It says nothing about the policies, so that a denied caller
// learns no more from it than from S3.
func (c Code) S3ErrorMessage() string { return s3Errors[c.s3()].detail }

// devpayCodes maps the DevPay reasons that deny the caller to codes;
// devpayOwnerCodes those that deny the data's owner. A reason without an
// entry maps to CodeNone, which denies.
var devpayCodes = [...]Code{
	devpay.ReasonNoProduct:                CodeDevPayNoProduct,
	devpay.ReasonWrongProduct:             CodeDevPayWrongProduct,
	devpay.ReasonProductOnUnboundResource: CodeDevPayProductOnUnboundResource,
	devpay.ReasonNotSubscribed:            CodeDevPayNotSubscribed,
	devpay.ReasonCancelled:                CodeDevPayCancelled,
	devpay.ReasonSuspended:                CodeDevPaySuspended,
	devpay.ReasonUnknownProduct:           CodeDevPayUnknownProduct,
	devpay.ReasonSubscriptionError:        CodeDevPaySubscriptionError,
	devpay.ReasonInvalidCustomer:          CodeDevPayInvalidCustomer,
}

var devpayOwnerCodes = [...]Code{
	devpay.ReasonNotSubscribed:     CodeDevPayOwnerNotSubscribed,
	devpay.ReasonCancelled:         CodeDevPayOwnerCancelled,
	devpay.ReasonSuspended:         CodeDevPayOwnerSuspended,
	devpay.ReasonUnknownProduct:    CodeDevPayUnknownProduct,
	devpay.ReasonSubscriptionError: CodeDevPayOwnerSubscriptionError,
	devpay.ReasonInvalidCustomer:   CodeDevPayOwnerInvalidCustomer,
}

// devpayCode returns the code of a DevPay denial, of the data's owner when
// owner is set; CodeNone (which denies) for a reason that has none.
func devpayCode(r devpay.Reason, owner bool) Code {
	t := devpayCodes[:]
	if owner {
		t = devpayOwnerCodes[:]
	}
	if int(r) < len(t) {
		return t[r]
	}
	return CodeNone
}
