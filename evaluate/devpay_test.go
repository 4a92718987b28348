package evaluate_test

import (
	"strings"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDevPayBucketBindsObjects checks that a product's bucket binds every
// object in it to the product, whatever the object's record says.
//
// Source: rule DP-6 of the DevPay spec (devpay.md): once a product has created a
// customer's bucket and put objects in it, "only your product can access
// that bucket and the objects in it", DevPay Developer Guide,
// http://docs.aws.amazon.com/AmazonDevPay/latest/DevPayDeveloperGuide/DesktopOverallProcess.html ;
// with DP-1 (seed 000, Customer Access to Stored Data;
// https://docs.aws.amazon.com/AmazonDevPay/latest/DevPayDeveloperGuide/DataIsolation.html):
// the data is reachable only through the product, not through another
// one nor with S3 directly. An object record naming another product than
// its bucket's contradicts DP-6 and is an invalid record: the request is
// denied with ErrInvalidRecord.
func TestDevPayBucketBindsObjects(t *testing.T) {
	catalog, err := devpay.NewCatalog(devpay.Product{Code: "Magic", Owner: acctD}, devpay.Product{Code: "Other", Owner: acctD})
	require.NoError(t, err)
	subs := &devpay.MemorySubscriptions{}
	for _, s := range []struct {
		acct    devpay.AccountID
		product devpay.ProductCode
	}{{acctA, "Magic"}, {acctB, "Magic"}, {acctB, "Other"}, {acctC, "Magic"}} {
		require.NoError(t, subs.Subscribe(s.acct, s.product))
	}
	// A owns the bucket and the object and grants B (not C) read.
	grantB := &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.FullControl},
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonB}, Permission: acl.Read},
	}}
	// stored is bucket "bkt" of A created through bucketProduct, holding
	// object "k" of A whose record names objectProduct.
	stored := func(bucketProduct, objectProduct ownership.ProductCode) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.Bucket.Product = bucketProduct
			ec.Object.Product = objectProduct
			ec.Products, ec.Subscriptions = catalog, subs
			ec.ObjectACL = grantB
		})
	}
	through := func(r evaluate.Request, p devpay.ProductCode) evaluate.Request { r.Product = p; return r }
	policyGrantsB := func(ec evaluate.Context) evaluate.Context {
		return with(ec, func(ec *evaluate.Context) {
			ec.Bucket.Mode = ownership.BucketOwnerEnforced
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		})
	}

	tests := []struct {
		name   string
		req    evaluate.Request
		ec     evaluate.Context
		want   evaluate.Decision
		stage  evaluate.Stage
		code   evaluate.Code
		errIs  error  // the sentinel Diagnostic.Err wraps; nil for no error
		errHas string // what the error names
	}{
		// DP-6: an object without its own product code in a product bucket.
		{name: "unstamped object, owner directly", req: getObject(root(acctA)), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayNoProduct},
		{name: "unstamped object, anonymous directly", req: getObject(ownership.Anonymous()), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayNoProduct},
		{name: "unstamped object, owner through the product", req: through(getObject(root(acctA)), "Magic"), ec: stored("Magic", ""),
			want: evaluate.Allow, stage: evaluate.StageOwnership},
		{name: "unstamped object, subscriber granted by the ACL through the product", req: through(getObject(root(acctB)), "Magic"), ec: stored("Magic", ""),
			want: evaluate.Allow, stage: evaluate.StageObject, code: evaluate.CodeACLGrants},
		{name: "unstamped object, subscriber granted by the bucket policy through the product", req: through(getObject(root(acctB)), "Magic"), ec: policyGrantsB(stored("Magic", "")),
			want: evaluate.Allow, stage: evaluate.StageObject, code: evaluate.CodeBucketPolicyAllows},
		{name: "unstamped object, subscriber without a grant through the product", req: through(getObject(root(acctC)), "Magic"), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageObject},
		{name: "unstamped object, subscriber through another product", req: through(getObject(root(acctB)), "Other"), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayWrongProduct},
		{name: "unstamped object, granted subscriber directly", req: getObject(root(acctB)), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayNoProduct},
		{name: "unstamped object, developer directly", req: getObject(root(acctD)), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayNoProduct},
		{name: "unstamped object, write through another product", req: through(evaluate.Request{Principal: root(acctA), Action: "s3:PutObjectAcl", Bucket: "bkt", Key: "k"}, "Other"), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayWrongProduct},
		// The stamped object, for comparison: the same answers.
		{name: "stamped object, owner directly", req: getObject(root(acctA)), ec: stored("Magic", "Magic"),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayNoProduct},
		{name: "stamped object, subscriber granted by the ACL through the product", req: through(getObject(root(acctB)), "Magic"), ec: stored("Magic", "Magic"),
			want: evaluate.Allow, stage: evaluate.StageObject, code: evaluate.CodeACLGrants},

		// An object record naming another product than its bucket's.
		{name: "object of another product, owner directly", req: getObject(root(acctA)), ec: stored("Magic", "Other"),
			want: evaluate.ImplicitDeny, stage: evaluate.StageError, code: evaluate.CodeInvalidRecord, errIs: evaluate.ErrInvalidRecord, errHas: `"Other"`},
		{name: "object of another product, through the bucket's product", req: through(getObject(root(acctB)), "Magic"), ec: stored("Magic", "Other"),
			want: evaluate.ImplicitDeny, stage: evaluate.StageError, code: evaluate.CodeInvalidRecord, errIs: evaluate.ErrInvalidRecord, errHas: `"Magic"`},
		{name: "object of another product, through the object's product", req: through(getObject(root(acctB)), "Other"), ec: stored("Magic", "Other"),
			want: evaluate.ImplicitDeny, stage: evaluate.StageError, code: evaluate.CodeInvalidRecord, errIs: evaluate.ErrInvalidRecord, errHas: `"Other"`},
		{name: "object of a product in a plain bucket, directly", req: getObject(root(acctA)), ec: stored("", "Magic"),
			want: evaluate.ImplicitDeny, stage: evaluate.StageError, code: evaluate.CodeInvalidRecord, errIs: evaluate.ErrInvalidRecord, errHas: `"Magic"`},
		{name: "object of a product in a plain bucket, through the product", req: through(getObject(root(acctA)), "Magic"), ec: stored("", "Magic"),
			want: evaluate.ImplicitDeny, stage: evaluate.StageError, code: evaluate.CodeInvalidRecord, errIs: evaluate.ErrInvalidRecord, errHas: `"Magic"`},
		{name: "object of a product in a plain bucket, public bucket policy", req: getObject(ownership.Anonymous()), ec: with(stored("", "Magic"), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}),
			want: evaluate.ImplicitDeny, stage: evaluate.StageError, code: evaluate.CodeInvalidRecord, errIs: evaluate.ErrInvalidRecord, errHas: `"Magic"`},

		// Plain data stays plain.
		{name: "plain object in a plain bucket, directly", req: getObject(root(acctA)), ec: stored("", ""),
			want: evaluate.Allow, stage: evaluate.StageOwnership},
		{name: "plain object in a plain bucket, through a product", req: through(getObject(root(acctA)), "Magic"), ec: stored("", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayProductOnUnboundResource},

		// Bucket-level actions on a product bucket are unchanged.
		{name: "bucket action, owner through the product", req: through(listBucket(root(acctA)), "Magic"), ec: stored("Magic", ""),
			want: evaluate.Allow, stage: evaluate.StageOwnership},
		{name: "bucket action, owner directly", req: listBucket(root(acctA)), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayNoProduct},
		{name: "bucket action, owner through another product", req: through(listBucket(root(acctA)), "Other"), ec: stored("Magic", ""),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayWrongProduct},
		// A new object (no record yet) in a product bucket is the bucket's.
		{name: "new object, owner through the product", req: through(evaluate.Request{Principal: root(acctA), Action: "s3:PutObject", Bucket: "bkt", Key: "new"}, "Magic"), ec: with(stored("Magic", ""), func(ec *evaluate.Context) { ec.Object = nil }),
			want: evaluate.Allow, stage: evaluate.StageOwnership},
		{name: "new object, owner directly", req: evaluate.Request{Principal: root(acctA), Action: "s3:PutObject", Bucket: "bkt", Key: "new"}, ec: with(stored("Magic", ""), func(ec *evaluate.Context) { ec.Object = nil }),
			want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayNoProduct},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, trace := range []bool{false, true} {
				req := tc.req
				req.Trace = trace
				d, diag := evaluate.Evaluate(req, tc.ec)
				assert.Equal(t, tc.want, d, "trace %t: reason %+v err %v", trace, diag.Reason, diag.Err)
				assert.Equal(t, tc.stage, diag.Reason.Stage, "trace %t: reason %+v err %v", trace, diag.Reason, diag.Err)
				if tc.code != evaluate.CodeNone {
					assert.Equal(t, tc.code, diag.Reason.Code, "trace %t", trace)
				}
				if tc.errIs == nil {
					assert.NoError(t, diag.Err, "trace %t", trace)
					continue
				}
				require.ErrorIs(t, diag.Err, tc.errIs, "trace %t", trace)
				assert.NotErrorIs(t, diag.Err, evaluate.ErrInvalidRequest, "a record fault, not a request fault")
				assert.Contains(t, diag.Err.Error(), "product")
				assert.Contains(t, diag.Err.Error(), tc.errHas)
			}
		})
	}

	// The data owner's subscription counts for an unstamped object too:
	// DP-6 binds it, so the owner cancelling ends everyone's access (DP-8).
	t.Run("unstamped object, the owner cancelling ends the subscriber's access", func(t *testing.T) {
		s := &devpay.MemorySubscriptions{}
		require.NoError(t, s.Subscribe(acctA, "Magic"))
		require.NoError(t, s.Subscribe(acctB, "Magic"))
		ec := with(stored("Magic", ""), func(ec *evaluate.Context) { ec.Subscriptions = s })
		req := through(getObject(root(acctB)), "Magic")
		d, diag := evaluate.Evaluate(req, ec)
		require.Equal(t, evaluate.Allow, d, "%+v %v", diag.Reason, diag.Err)
		s.Cancel(acctA, "Magic")
		d, diag = evaluate.Evaluate(req, ec)
		assert.Equal(t, evaluate.ImplicitDeny, d)
		assert.Equal(t, evaluate.StageDevPay, diag.Reason.Stage)
		assert.Equal(t, evaluate.CodeDevPayOwnerCancelled, diag.Reason.Code)
	})

	t.Run("the error quotes a long key cut short", func(t *testing.T) {
		key := strings.Repeat("k", ownership.MaxKeyBytes)
		ec := with(stored("Magic", "Other"), func(ec *evaluate.Context) { ec.Object.Key = key })
		_, diag := evaluate.Evaluate(evaluate.Request{Principal: root(acctA), Action: "s3:GetObject", Bucket: "bkt", Key: key}, ec)
		require.ErrorIs(t, diag.Err, evaluate.ErrInvalidRecord)
		assert.Less(t, len(diag.Err.Error()), 300)
	})
}
