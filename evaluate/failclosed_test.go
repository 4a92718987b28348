package evaluate_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// Each test below first evaluates a request that the context allows, then
// injects one failure and checks that the same request is denied, never
// allowed, with the failure reported.

// errInjected is the error the failing subscription sources return.
var errInjected = errors.New("license service unreachable")

// fcSubs is a DevPay subscription source that fails: for every customer,
// or only for failFor. Other customers are active subscribers.
type fcSubs struct {
	status  devpay.Status
	err     error
	failFor devpay.AccountID
}

func (s fcSubs) Status(_ context.Context, customer devpay.AccountID, _ devpay.ProductCode) (devpay.Status, error) {
	if s.failFor == "" || customer == s.failFor {
		return s.status, s.err
	}
	return devpay.StatusActive, nil
}

// TestFailClosedSubscriptions injects failing devpay.Subscriptions into
// the DevPay gate for data stored through a product, in a context whose
// bucket policy, ACL and identity policy grant everything: a source that
// returns an error (even alongside StatusActive), StatusUnknown without
// being Complete, a Status that is no valid value, or no source at all.
// The request is denied at StageDevPay with the reason code
// devpay-subscription-error, or devpay-owner-subscription-error when the
// lookup of the data owner's own subscription fails; the trace and the
// audit record name the code. The gate reports the reason code only: if
// Diagnostic.Err is set, it must be the source's error.
func TestFailClosedSubscriptions(t *testing.T) {
	catalog, err := devpay.NewCatalog(devpay.Product{Code: "Magic", Owner: acctD})
	require.NoError(t, err)
	publicACL, err := acl.Canned("public-read-write", acl.Object, acl.User{ID: canonA}, acl.User{ID: canonA})
	require.NoError(t, err)
	everything := allowAll(t, "s3:*", "*")
	ctx := func(subs devpay.Subscriptions) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.Identity = []*evaluate.Prepared{everything}
			ec.Bucket.Product = "Magic"
			ec.Object.Product = "Magic"
			ec.Products, ec.Subscriptions = catalog, subs
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]}`)
			ec.ObjectACL = publicACL
		})
	}
	through := func(p ownership.Principal) evaluate.Request {
		r := getObject(p)
		r.Product = "Magic"
		r.Trace = true
		return r
	}
	t.Run("control-active-subscribers-are-allowed", func(t *testing.T) {
		for _, p := range []ownership.Principal{root(acctB), root(acctD), user(acctC, "carol")} {
			d, diag := evaluate.Evaluate(through(p), ctx(fcSubs{status: devpay.StatusActive}))
			require.Equal(t, evaluate.Allow, d, "%s: %+v %v", p, diag.Reason, diag.Err)
		}
	})
	tests := []struct {
		name   string
		caller ownership.Principal
		subs   devpay.Subscriptions
		code   evaluate.Code
	}{
		{"error-for-the-caller", root(acctB), fcSubs{err: errInjected}, evaluate.CodeDevPaySubscriptionError},
		{"error-alongside-active-status", root(acctB), fcSubs{status: devpay.StatusActive, err: errInjected}, evaluate.CodeDevPaySubscriptionError},
		{"error-for-an-iam-user-of-the-caller", user(acctB, "bob"), fcSubs{err: errInjected, failFor: acctB}, evaluate.CodeDevPaySubscriptionError},
		{"error-for-the-data-owner-only", root(acctB), fcSubs{status: devpay.StatusActive, err: errInjected, failFor: acctA}, evaluate.CodeDevPayOwnerSubscriptionError},
		{"developer-passes-but-owner-lookup-fails", root(acctD), fcSubs{err: errInjected}, evaluate.CodeDevPayOwnerSubscriptionError},
		{"unknown-status-from-an-incomplete-source", root(acctB), fcSubs{status: devpay.StatusUnknown}, evaluate.CodeDevPaySubscriptionError},
		{"status-out-of-range", root(acctB), fcSubs{status: devpay.Status(200)}, evaluate.CodeDevPaySubscriptionError},
		{"no-source", root(acctB), nil, evaluate.CodeDevPaySubscriptionError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := through(tc.caller)
			d, diag := evaluate.Evaluate(req, ctx(tc.subs))
			assert.Equal(t, evaluate.ImplicitDeny, d, "%+v %v", diag.Reason, diag.Err)
			assert.Equal(t, evaluate.StageDevPay, diag.Reason.Stage)
			assert.Equal(t, tc.code, diag.Reason.Code)
			if diag.Err != nil {
				assert.ErrorIs(t, diag.Err, errInjected, "an error reported is the source's")
			}
			require.NotEmpty(t, diag.Trace)
			last := diag.Trace[len(diag.Trace)-1]
			assert.Equal(t, evaluate.StageDevPay, last.Stage)
			assert.True(t, last.Matched, "the gate applied")
			assert.Contains(t, last.Note, "subscription-error")
			assert.Equal(t, evaluate.StageDevPay, diag.Reason.Stage)
		})
	}
}

// fcValues are request values every family of operators reads, and the
// same keys with values they cannot read.
var fcValues = struct{ good, bad map[string]string }{
	good: map[string]string{"s3:signatureAge": "1", "aws:TokenIssueTime": "2020-01-01T00:00:00Z", "aws:SecureTransport": "true", "aws:SourceIp": "10.0.0.1"},
	bad:  map[string]string{"s3:signatureAge": "1e400", "aws:TokenIssueTime": "2024-13-45T99:99:99Z", "aws:SecureTransport": "maybe", "aws:SourceIp": "999.0.0.1"},
}

func fcKeys(values map[string]string) *evaluate.Keys {
	k := &evaluate.Keys{}
	for name, v := range values {
		k.Set(name, v)
	}
	return k
}

// fcConds are, per operator family, a condition block that holds for the
// good values (for Allow statements) and one that does not (for Deny
// statements).
var fcConds = []struct {
	family      string
	holds, not  string
	pointerPart string
}{
	{"numeric", `{"NumericLessThan":{"s3:signatureAge":"1000"}}`, `{"NumericGreaterThan":{"s3:signatureAge":"1000"}}`, "s3:signatureAge"},
	{"date", `{"DateLessThan":{"aws:TokenIssueTime":"2030-01-01T00:00:00Z"}}`, `{"DateGreaterThan":{"aws:TokenIssueTime":"2030-01-01T00:00:00Z"}}`, "aws:TokenIssueTime"},
	{"bool", `{"Bool":{"aws:SecureTransport":"true"}}`, `{"Bool":{"aws:SecureTransport":"false"}}`, "aws:SecureTransport"},
	{"ip", `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, "aws:SourceIp"},
}

// TestFailClosedUnreadableValues puts a condition of each family that
// reads a request value (Numeric, Date, Bool, IpAddress) in a Deny
// statement and in an Allow statement of each kind of policy: identity
// policy, permissions boundary, session policy and bucket policy. With
// readable values the request is allowed; with an unreadable one it is
// denied (ImplicitDeny, Stage StageError, code "error" or the deny the
// failed Allow left standing) with
// Diagnostic.Err wrapping ErrCondition and naming the statement and the
// key, whichever statement holds the condition.
func TestFailClosedUnreadableValues(t *testing.T) {
	identity := func(stmts string) *evaluate.Prepared {
		return prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[`+stmts+`]}`)
	}
	everything := allowAll(t, "s3:*", "*")
	sources := []struct {
		name   string
		caller ownership.Principal
		// ctx places the statements in one policy of the context.
		ctx func(stmts string) evaluate.Context
		// principal is the Principal element the statements need, "" for
		// identity-based policies; resource their Resource.
		principal, resource string
	}{
		{"identity-policy", user(acctA, "dave"), func(stmts string) evaluate.Context {
			return with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{identity(stmts)} })
		}, "", "*"},
		{"permissions-boundary", user(acctA, "dave"), func(stmts string) evaluate.Context {
			return with(world(t, acctA), func(ec *evaluate.Context) {
				ec.Identity = []*evaluate.Prepared{everything}
				ec.Boundary = identity(stmts)
			})
		}, "", "*"},
		{"session-policy", session(acctA, "reader", "s1"), func(stmts string) evaluate.Context {
			return with(world(t, acctA), func(ec *evaluate.Context) {
				ec.Identity = []*evaluate.Prepared{everything}
				ec.Session = []*evaluate.Prepared{identity(stmts)}
			})
		}, "", "*"},
		{"bucket-policy", root(acctB), func(stmts string) evaluate.Context {
			return with(world(t, acctA), func(ec *evaluate.Context) {
				ec.BucketPolicy = prep(t, policy.Bucket, `{"Version":"2012-10-17","Statement":[`+stmts+`]}`)
			})
		}, `"Principal":{"AWS":"` + acctB + `"},`, "arn:aws:s3:::bkt/*"},
	}
	for _, src := range sources {
		for _, c := range fcConds {
			for _, effect := range []string{"Deny", "Allow"} {
				t.Run(src.name+"-"+effect+"-"+c.family, func(t *testing.T) {
					stmt := func(effect, cond string) string {
						s := `{"Effect":"` + effect + `",` + src.principal + `"Action":"s3:GetObject","Resource":"` + src.resource + `"`
						if cond != "" {
							s += `,"Condition":` + cond
						}
						return s + "}"
					}
					stmts, pointer := stmt("Allow", "")+","+stmt("Deny", c.not), "/Statement/1"
					if effect == "Allow" {
						stmts, pointer = stmt("Allow", c.holds), "/Statement/0"
					}
					ec := src.ctx(stmts)
					req := getObject(src.caller)

					req.Keys = fcKeys(fcValues.good)
					d, diag := evaluate.Evaluate(req, ec)
					require.Equal(t, evaluate.Allow, d, "control: %+v %v", diag.Reason, diag.Err)

					bad := map[string]string{}
					for k, v := range fcValues.good {
						bad[k] = v
					}
					bad[c.pointerPart] = fcValues.bad[c.pointerPart]
					req.Keys = fcKeys(bad)
					d, diag = evaluate.Evaluate(req, ec)
					assert.Equal(t, evaluate.ImplicitDeny, d)
					require.Error(t, diag.Err)
					assert.ErrorIs(t, diag.Err, evaluate.ErrCondition)
					assert.False(t, errors.Is(diag.Err, evaluate.ErrInvalidRequest))
					assert.Equal(t, evaluate.StageError, diag.Reason.Stage)
					assert.Contains(t, failedCodes, diag.Reason.Code)
					assert.Contains(t, diag.Err.Error(), pointer+"/Condition/")
					assert.Contains(t, diag.Err.Error(), c.pointerPart)
					assert.Contains(t, diag.Err.Error(), fmt.Sprintf("%q", fcValues.bad[c.pointerPart]), "the error quotes the value")
					var located *evaluate.Error
					require.ErrorAs(t, diag.Err, &located)
					assert.Equal(t, src.name, located.Source.String(), "the error names the policy")
					assert.Equal(t, pointer, located.Pointer, "the error names the statement")
					assert.NotEqual(t, evaluate.StageNone, located.Stage)
					assert.NotContains(t, diag.Err.Error(), "\n")
				})
			}
		}
	}
}

// TestFailClosedInvalidRequests checks requests the evaluator cannot
// decide on, in a context that grants everything to everyone (identity
// policy, bucket policy and a public ACL) and with the owner's root as
// caller: an unknown, empty, wildcard or foreign action, an action with a
// NUL byte or invalid UTF-8, an object action without a key or a bucket,
// a bucket action without a bucket, a bucket with no record, no valid
// principal. Each is ImplicitDeny at StageError with Diagnostic.Err
// wrapping ErrInvalidRequest.
func TestFailClosedInvalidRequests(t *testing.T) {
	publicACL, err := acl.Canned("public-read-write", acl.Bucket, acl.User{ID: canonA}, acl.User{ID: canonA})
	require.NoError(t, err)
	permissive := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.Identity = []*evaluate.Prepared{allowAll(t, "*", "*")}
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`)
		ec.BucketACL, ec.ObjectACL = publicACL, publicACL
	})
	owner := root(acctA)
	t.Run("control-valid-requests-are-allowed", func(t *testing.T) {
		for _, req := range []evaluate.Request{getObject(owner), listBucket(owner), getObject(ownership.Anonymous()),
			{Principal: owner, Action: "S3:GETOBJECT", Bucket: "bkt", Key: "k"}} {
			d, diag := evaluate.Evaluate(req, permissive)
			require.Equal(t, evaluate.Allow, d, "%s: %+v %v", req.Action, diag.Reason, diag.Err)
		}
	})
	tests := []struct {
		name string
		req  evaluate.Request
		ec   evaluate.Context
	}{
		{"empty-action", evaluate.Request{Principal: owner, Action: "", Bucket: "bkt", Key: "k"}, permissive},
		{"wildcard-action", evaluate.Request{Principal: owner, Action: "s3:*", Bucket: "bkt", Key: "k"}, permissive},
		{"action-of-another-service", evaluate.Request{Principal: owner, Action: "iam:PassRole", Bucket: "bkt", Key: "k"}, permissive},
		{"action-with-nul", evaluate.Request{Principal: owner, Action: "s3:GetObject\x00", Bucket: "bkt", Key: "k"}, permissive},
		{"action-with-invalid-utf8", evaluate.Request{Principal: owner, Action: "s3:GetObj\xffct", Bucket: "bkt", Key: "k"}, permissive},
		{"action-without-service", evaluate.Request{Principal: owner, Action: "GetObject", Bucket: "bkt", Key: "k"}, permissive},
		{"object-action-without-key", evaluate.Request{Principal: owner, Action: "s3:GetObject", Bucket: "bkt"}, permissive},
		{"object-action-without-bucket", evaluate.Request{Principal: owner, Action: "s3:PutObject", Key: "k"}, permissive},
		{"bucket-action-without-bucket", evaluate.Request{Principal: owner, Action: "s3:PutBucketPolicy"}, permissive},
		{"bucket-without-record", listBucket(owner), with(permissive, func(ec *evaluate.Context) { ec.Bucket, ec.Object = nil, nil })},
		{"object-in-bucket-without-record", getObject(ownership.Anonymous()), with(permissive, func(ec *evaluate.Context) { ec.Bucket = nil })},
		{"zero-principal", evaluate.Request{Action: "s3:GetObject", Bucket: "bkt", Key: "k"}, permissive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, diag := evaluate.Evaluate(tc.req, tc.ec)
			assert.Equal(t, evaluate.ImplicitDeny, d)
			require.Error(t, diag.Err)
			assert.ErrorIs(t, diag.Err, evaluate.ErrInvalidRequest)
			assert.Equal(t, evaluate.StageError, diag.Reason.Stage)
			assert.Equal(t, evaluate.CodeInvalidRequest, diag.Reason.Code)
			var located *evaluate.Error
			require.ErrorAs(t, diag.Err, &located)
			assert.Equal(t, evaluate.Error{Err: located.Err}, *located, "an invalid request is no statement's")
			_, ok := diag.Reason.Grant()
			assert.False(t, ok, "no grant decided")
			assert.Less(t, len(diag.Err.Error()), 300)
		})
	}
}

// failedCodes are the reason codes of a decision whose Err is set:
// CodeConditionError when a Deny could not be evaluated, or the deny that
// stood when an Allow statement could not be evaluated (it might have
// granted, so the error is reported).
var failedCodes = []evaluate.Code{evaluate.CodeConditionError, evaluate.CodeNoIdentityAllow, evaluate.CodeNoResourceGrant, evaluate.CodeBoundaryDoesNotAllow, evaluate.CodeSessionPolicyDoesNotAllow}
