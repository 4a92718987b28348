package evaluate_test

import (
	"testing"

	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCreateBucket checks s3:CreateBucket, which names a bucket that does
// not exist yet: no bucket record and no bucket policy, so the caller's own
// account decides — its root, or an identity policy Allow on
// arn:aws:s3:::NAME ("Actions, resources, and condition keys for Amazon
// S3": CreateBucket takes the bucket resource type,
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
// The account's Block Public Access applies to ACL headers, and a bucket
// created through a DevPay product needs a subscriber of it (DP-6).
func TestCreateBucket(t *testing.T) {
	create := func(p ownership.Principal) evaluate.Request {
		return evaluate.Request{Principal: p, Action: "s3:CreateBucket", Bucket: "newbkt"}
	}
	keyed := func(r evaluate.Request, name, value string) evaluate.Request {
		r.Keys = &evaluate.Keys{}
		r.Keys.Set(name, value)
		return r
	}
	identity := func(doc string) evaluate.Context {
		return evaluate.Context{Directory: directory(t), Identity: []*evaluate.Prepared{prep(t, policy.Identity, doc)}}
	}
	allowNew := identity(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:CreateBucket","Resource":"arn:aws:s3:::new*"}]}`)
	allowOther := identity(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:CreateBucket","Resource":"arn:aws:s3:::other"}]}`)
	inRegion := identity(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:CreateBucket","Resource":"*","Condition":{"StringEquals":{"s3:LocationConstraint":"eu-west-1"}}}]}`)
	denied := identity(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:CreateBucket","Resource":"*"}]}`)
	bpa := evaluate.Context{Directory: directory(t), AccountBlockPublicAccess: ownership.PublicAccessBlock{BlockPublicAcls: true}}
	withACL := func(r evaluate.Request, canned string) evaluate.Request { r.CannedACL = canned; return r }

	catalog, err := devpay.NewCatalog(devpay.Product{Code: "Magic", Owner: acctD})
	require.NoError(t, err)
	subs := &devpay.MemorySubscriptions{}
	require.NoError(t, subs.Subscribe(acctA, "Magic"))
	product := evaluate.Context{Directory: directory(t), Products: catalog, Subscriptions: subs}
	through := func(r evaluate.Request) evaluate.Request { r.Product = "Magic"; return r }

	runRules(t, []ruleCase{
		{name: "the account's root", req: create(root(acctA)), ec: evaluate.Context{}, want: evaluate.Allow, stage: evaluate.StageOwnership, code: evaluate.CodeAccountRoot},
		{name: "a user the identity policy allows", req: create(user(acctA, "dave")), ec: allowNew, want: evaluate.Allow, stage: evaluate.StageUser, code: evaluate.CodeIdentityAllows},
		{name: "a user allowed another bucket name", req: create(user(acctA, "dave")), ec: allowOther, want: evaluate.ImplicitDeny},
		{name: "a user without policies", req: create(user(acctA, "dave")), ec: evaluate.Context{}, want: evaluate.ImplicitDeny},
		{name: "the anonymous user", req: create(ownership.Anonymous()), ec: evaluate.Context{}, want: evaluate.ImplicitDeny},
		{name: "an explicit deny", req: create(user(acctA, "dave")), ec: denied, want: evaluate.ExplicitDeny},
		{name: "s3:LocationConstraint is in CreateBucket's context", req: keyed(create(user(acctA, "dave")), "s3:LocationConstraint", "eu-west-1"), ec: inRegion, want: evaluate.Allow},
		{name: "another region", req: keyed(create(user(acctA, "dave")), "s3:LocationConstraint", "us-east-2"), ec: inRegion, want: evaluate.ImplicitDeny},
		{name: "account BlockPublicAcls refuses a public canned ACL", req: withACL(create(root(acctA)), "public-read"), ec: bpa, want: evaluate.ImplicitDeny, stage: evaluate.StageBlockPublicAccess, code: evaluate.CodeBlockPublicACLs},
		{name: "account BlockPublicAcls accepts a private one", req: withACL(create(root(acctA)), "private"), ec: bpa, want: evaluate.Allow},
		{name: "through a product, by a subscriber", req: through(create(root(acctA))), ec: product, want: evaluate.Allow},
		{name: "through a product, by a non-subscriber", req: through(create(root(acctB))), ec: product, want: evaluate.ImplicitDeny, stage: evaluate.StageDevPay, code: evaluate.CodeDevPayNotSubscribed},
	})

	d, diag := evaluate.Evaluate(create(root(acctA)), world(t, ""))
	assert.Equal(t, evaluate.ImplicitDeny, d, "a bucket with a record exists already")
	assert.ErrorIs(t, diag.Err, evaluate.ErrInvalidRequest)
}
