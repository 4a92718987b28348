package evaluate_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errStoreDown is the error of a directory whose store fails.
var errStoreDown = errors.New("account store unreachable")

// remoteDirectory is a Directory over a remote store, as a host writes
// one: it answers from the memory directory while ctx is live, returns
// ctx's error once ctx is done, and err when set. It counts its lookups.
type remoteDirectory struct {
	mem     *ownership.MemoryDirectory
	err     error
	lookups *int
}

func (d remoteDirectory) fail(ctx context.Context) error {
	*d.lookups++
	if err := ctx.Err(); err != nil {
		return err
	}
	return d.err
}

func (d remoteDirectory) CanonicalID(ctx context.Context, a ownership.AccountID) (ownership.CanonicalID, bool, error) {
	if err := d.fail(ctx); err != nil {
		return "", false, err
	}
	return d.mem.CanonicalID(ctx, a)
}

func (d remoteDirectory) AccountOf(ctx context.Context, c ownership.CanonicalID) (ownership.AccountID, bool, error) {
	if err := d.fail(ctx); err != nil {
		return "", false, err
	}
	return d.mem.AccountOf(ctx, c)
}

func (d remoteDirectory) AccountByEmail(ctx context.Context, email string) (ownership.AccountID, bool, error) {
	if err := d.fail(ctx); err != nil {
		return "", false, err
	}
	return d.mem.AccountByEmail(ctx, email)
}

// TestLookupsFollowTheContext checks EvaluateContext's rule: the context
// reaches the directory and the subscription source; a lookup that fails
// (store down, context cancelled or past its deadline) denies with the
// cause, even where the answer would otherwise have allowed; a request that
// needs no lookup decides the same whatever the context.
func TestLookupsFollowTheContext(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()

	// The caller's canonical ID is needed: a Deny naming a CanonicalUser
	// (which a failed lookup must not skip) beside an Allow to everyone.
	canonicalDeny := bucketPolicy(t, `{"Effect":"Deny","Principal":{"CanonicalUser":"`+canonC+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},`+
		`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
	// An ACL granting by e-mail: resolving it needs the directory.
	byEmail := &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{canonicalGrant(canonA, acl.FullControl), emailGrant(emailB, acl.Read)}}
	// A bucket policy that allows by account ID: no lookup.
	byAccount := bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)

	tests := []struct {
		name        string
		ctx         context.Context
		storeErr    error
		setup       func(ec *evaluate.Context)
		want        evaluate.Decision
		code        evaluate.Code
		errIs       error
		wantLookups bool
	}{
		{name: "live context, canonical lookup", ctx: context.Background(), setup: func(ec *evaluate.Context) { ec.BucketPolicy = canonicalDeny },
			want: evaluate.Allow, code: evaluate.CodeBucketPolicyAllows, wantLookups: true},
		{name: "store down, canonical lookup", ctx: context.Background(), storeErr: errStoreDown, setup: func(ec *evaluate.Context) { ec.BucketPolicy = canonicalDeny },
			want: evaluate.ImplicitDeny, code: evaluate.CodeLookupFailed, errIs: errStoreDown, wantLookups: true},
		{name: "cancelled, canonical lookup", ctx: cancelled, setup: func(ec *evaluate.Context) { ec.BucketPolicy = canonicalDeny },
			want: evaluate.ImplicitDeny, code: evaluate.CodeLookupFailed, errIs: context.Canceled, wantLookups: true},
		{name: "past its deadline, canonical lookup", ctx: expired, setup: func(ec *evaluate.Context) { ec.BucketPolicy = canonicalDeny },
			want: evaluate.ImplicitDeny, code: evaluate.CodeLookupFailed, errIs: context.DeadlineExceeded, wantLookups: true},
		{name: "live context, e-mail grant", ctx: context.Background(), setup: func(ec *evaluate.Context) { ec.ObjectACL = byEmail },
			want: evaluate.Allow, code: evaluate.CodeACLGrants, wantLookups: true},
		{name: "cancelled, e-mail grant", ctx: cancelled, setup: func(ec *evaluate.Context) { ec.ObjectACL = byEmail },
			want: evaluate.ImplicitDeny, code: evaluate.CodeLookupFailed, errIs: context.Canceled, wantLookups: true},
		{name: "cancelled, no lookup needed", ctx: cancelled, setup: func(ec *evaluate.Context) { ec.BucketPolicy = byAccount },
			want: evaluate.Allow, code: evaluate.CodeBucketPolicyAllows},
		{name: "store down, no lookup needed", ctx: context.Background(), storeErr: errStoreDown, setup: func(ec *evaluate.Context) { ec.BucketPolicy = byAccount },
			want: evaluate.Allow, code: evaluate.CodeBucketPolicyAllows},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lookups := 0
			ec := with(world(t, acctA), func(ec *evaluate.Context) {
				ec.Directory = remoteDirectory{mem: directory(t), err: tc.storeErr, lookups: &lookups}
				tc.setup(ec)
			})
			d, diag := evaluate.EvaluateContext(tc.ctx, getObject(root(acctB)), ec)
			assert.Equal(t, tc.want, d, "%v %v", diag.Reason, diag.Err)
			assert.Equal(t, tc.code, diag.Reason.Code)
			assert.Equal(t, tc.wantLookups, lookups > 0, "lookups made")
			if tc.errIs == nil {
				assert.NoError(t, diag.Err)
				return
			}
			assert.Equal(t, evaluate.StageError, diag.Reason.Stage)
			assert.ErrorIs(t, diag.Err, tc.errIs)
			var located *evaluate.Error
			assert.ErrorAs(t, diag.Err, &located)
		})
	}
}

// TestSubscriptionLookupFollowsTheContext checks that the DevPay gate's
// lookup receives the context: a cancelled one denies with the
// subscription-error code and the context's error, without asking.
func TestSubscriptionLookupFollowsTheContext(t *testing.T) {
	catalog, err := devpay.NewCatalog(devpay.Product{Code: "Magic", Owner: acctD})
	require.NoError(t, err)
	subs := &devpay.MemorySubscriptions{}
	require.NoError(t, subs.Subscribe(acctB, "Magic"))
	require.NoError(t, subs.Subscribe(acctA, "Magic"))
	ec := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.Bucket.Product, ec.Object.Product = "Magic", "Magic"
		ec.Products, ec.Subscriptions = catalog, subs
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
	})
	req := getObject(root(acctB))
	req.Product = "Magic"

	d, diag := evaluate.EvaluateContext(context.Background(), req, ec)
	require.Equal(t, evaluate.Allow, d, "control: %v %v", diag.Reason, diag.Err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d, diag = evaluate.EvaluateContext(ctx, req, ec)
	assert.Equal(t, evaluate.ImplicitDeny, d)
	assert.Equal(t, evaluate.StageDevPay, diag.Reason.Stage)
	assert.Equal(t, evaluate.CodeDevPaySubscriptionError, diag.Reason.Code)
	assert.ErrorIs(t, diag.Err, context.Canceled)
	assert.Equal(t, 500, diag.Reason.Code.HTTPStatus())
}
