package devpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/devpay"
)

// The seed story: John stores images through MagicProduct; his mother may
// read them if his ACL grants her and she buys MagicProduct herself.
const (
	magic     devpay.ProductCode = "MagicProduct"
	other     devpay.ProductCode = "OtherProduct" // same developer as magic
	rival     devpay.ProductCode = "RivalProduct" // another developer
	ghost     devpay.ProductCode = "GhostProduct" // in no catalog
	developer                    = "111122223333"
	rivalDev                     = "999988887777"
	john                         = "222233334444"
	mother                       = "555566667777"
)

func seedCatalog(t testing.TB) *devpay.Catalog {
	t.Helper()
	c, err := devpay.NewCatalog(
		devpay.Product{Code: magic, Owner: developer},
		devpay.Product{Code: other, Owner: developer},
		devpay.Product{Code: rival, Owner: rivalDev},
	)
	require.NoError(t, err)
	return c
}

// stub answers every question with one status or error.
type stub struct {
	status devpay.Status
	err    error
}

func (s stub) Status(context.Context, devpay.AccountID, devpay.ProductCode) (devpay.Status, error) {
	return s.status, s.err
}

// completeStub also says it records every subscription.
type completeStub struct{ stub }

func (completeStub) Complete() bool { return true }

// errLicense is a subscription source's failure; Check hands it back.
var errLicense = errors.New("license service down")

func TestCheck(t *testing.T) {
	cat := seedCatalog(t)
	// mem builds a MemorySubscriptions by applying ops in order.
	mem := func(ops ...func(*devpay.MemorySubscriptions)) devpay.Subscriptions {
		m := &devpay.MemorySubscriptions{}
		for _, op := range ops {
			op(m)
		}
		return m
	}
	sub := func(who devpay.AccountID, p devpay.ProductCode) func(*devpay.MemorySubscriptions) {
		return func(m *devpay.MemorySubscriptions) { require.NoError(t, m.Subscribe(who, p)) }
	}
	cancel := func(who devpay.AccountID, p devpay.ProductCode) func(*devpay.MemorySubscriptions) {
		return func(m *devpay.MemorySubscriptions) { m.Cancel(who, p) }
	}
	suspend := func(who devpay.AccountID, p devpay.ProductCode) func(*devpay.MemorySubscriptions) {
		return func(m *devpay.MemorySubscriptions) { m.Suspend(who, p) }
	}
	resume := func(who devpay.AccountID, p devpay.ProductCode) func(*devpay.MemorySubscriptions) {
		return func(m *devpay.MemorySubscriptions) { m.Resume(who, p) }
	}
	johnOnly := mem(sub(john, magic))
	both := mem(sub(john, magic), sub(mother, magic), sub(mother, other))
	allow := func(r devpay.Reason) devpay.Result { return devpay.Result{Allowed: true, Reason: r} }
	deny := func(r devpay.Reason) devpay.Result { return devpay.Result{Reason: r} }

	tests := []struct {
		name     string
		cat      *devpay.Catalog
		resource devpay.ProductCode
		via      devpay.ProductCode
		customer devpay.AccountID
		subs     devpay.Subscriptions
		want     devpay.Result
	}{
		// Outside any product the gate does not apply.
		{"unbound resource, direct request", cat, "", "", john, johnOnly, allow(devpay.ReasonNotProductBound)},
		{"unbound resource, anonymous", cat, "", "", "", nil, allow(devpay.ReasonNotProductBound)},
		{"unbound resource, nil catalog", nil, "", "", john, nil, allow(devpay.ReasonNotProductBound)},
		{"unbound resource through a product", cat, "", magic, john, johnOnly, deny(devpay.ReasonProductOnUnboundResource)},
		{"unbound resource through an unknown product", cat, "", ghost, john, johnOnly, deny(devpay.ReasonProductOnUnboundResource)},

		// The seed story.
		{"seed: john through MagicProduct", cat, magic, magic, john, johnOnly, allow(devpay.ReasonAllowed)},
		{"seed: john through OtherProduct", cat, magic, other, john, johnOnly, deny(devpay.ReasonWrongProduct)},
		{"seed: john through a rival product", cat, magic, rival, john, johnOnly, deny(devpay.ReasonWrongProduct)},
		{"seed: john directly with his own account", cat, magic, "", john, johnOnly, deny(devpay.ReasonNoProduct)},
		{"seed: mother not subscribed", cat, magic, magic, mother, johnOnly, deny(devpay.ReasonNotSubscribed)},
		{"seed: mother subscribed passes the gate", cat, magic, magic, mother, both, allow(devpay.ReasonAllowed)},
		{"seed: mother through OtherProduct she also bought", cat, magic, other, mother, both, deny(devpay.ReasonWrongProduct)},
		{"seed: mother directly", cat, magic, "", mother, both, deny(devpay.ReasonNoProduct)},
		{"seed: john cancels", cat, magic, magic, john, mem(sub(john, magic), cancel(john, magic)), deny(devpay.ReasonCancelled)},
		{"seed: john cancels, directly", cat, magic, "", john, mem(sub(john, magic), cancel(john, magic)), deny(devpay.ReasonNoProduct)},
		{"seed: john resubscribes", cat, magic, magic, john, mem(sub(john, magic), cancel(john, magic), sub(john, magic)), allow(devpay.ReasonAllowed)},
		{"seed: john suspended for non-payment", cat, magic, magic, john, mem(sub(john, magic), suspend(john, magic)), deny(devpay.ReasonSuspended)},
		{"seed: john resumed after paying", cat, magic, magic, john, mem(sub(john, magic), suspend(john, magic), resume(john, magic)), allow(devpay.ReasonAllowed)},
		{"seed: john subscribed to the other product only", cat, magic, magic, john, mem(sub(john, other)), deny(devpay.ReasonNotSubscribed)},

		// The developer.
		{"developer through the product", cat, magic, magic, developer, nil, allow(devpay.ReasonDeveloper)},
		{"developer through the product, not subscribed", cat, magic, magic, developer, johnOnly, allow(devpay.ReasonDeveloper)},
		{"developer directly", cat, magic, "", developer, johnOnly, deny(devpay.ReasonNoProduct)},
		{"developer through its other product", cat, magic, other, developer, johnOnly, deny(devpay.ReasonWrongProduct)},
		{"rival developer through its product", cat, magic, rival, rivalDev, johnOnly, deny(devpay.ReasonWrongProduct)},
		{"rival developer through the product", cat, magic, magic, rivalDev, johnOnly, deny(devpay.ReasonNotSubscribed)},

		// Anonymous requests carry no user token.
		{"anonymous directly", cat, magic, "", "", johnOnly, deny(devpay.ReasonNoProduct)},
		{"anonymous through the product", cat, magic, magic, "", johnOnly, deny(devpay.ReasonNotSubscribed)},

		// The catalog.
		{"catalog lookup failure", cat, ghost, ghost, john, stub{status: devpay.StatusActive}, deny(devpay.ReasonUnknownProduct)},
		{"catalog lookup failure, direct", cat, ghost, "", john, johnOnly, deny(devpay.ReasonUnknownProduct)},
		{"nil catalog", nil, magic, magic, john, johnOnly, deny(devpay.ReasonUnknownProduct)},
		{"empty catalog", &devpay.Catalog{}, magic, magic, john, johnOnly, deny(devpay.ReasonUnknownProduct)},
		{"product codes compare case-sensitively", cat, magic, "magicproduct", john, johnOnly, deny(devpay.ReasonWrongProduct)},

		// Subscription states and failures.
		{"active", cat, magic, magic, john, stub{status: devpay.StatusActive}, allow(devpay.ReasonAllowed)},
		{"pending", cat, magic, magic, john, stub{status: devpay.StatusPending}, deny(devpay.ReasonNotSubscribed)},
		{"cancelled", cat, magic, magic, john, stub{status: devpay.StatusCancelled}, deny(devpay.ReasonCancelled)},
		{"suspended", cat, magic, magic, john, stub{status: devpay.StatusSuspended}, deny(devpay.ReasonSuspended)},
		{"unknown status fails closed", cat, magic, magic, john, stub{status: devpay.StatusUnknown}, deny(devpay.ReasonSubscriptionError)},
		{"unknown status from a complete source", cat, magic, magic, john, completeStub{stub{status: devpay.StatusUnknown}}, deny(devpay.ReasonNotSubscribed)},
		{"invalid status fails closed", cat, magic, magic, john, stub{status: 200}, deny(devpay.ReasonSubscriptionError)},
		{"source error fails closed", cat, magic, magic, john, stub{status: devpay.StatusActive, err: errLicense}, devpay.Result{Reason: devpay.ReasonSubscriptionError, Err: errLicense}},
		{"nil source fails closed", cat, magic, magic, john, nil, deny(devpay.ReasonSubscriptionError)},
		{"nil MemorySubscriptions fails closed", cat, magic, magic, john, (*devpay.MemorySubscriptions)(nil), deny(devpay.ReasonSubscriptionError)},
		{"empty MemorySubscriptions", cat, magic, magic, john, &devpay.MemorySubscriptions{}, deny(devpay.ReasonNotSubscribed)},
		{"malformed customer", cat, magic, magic, "john", stub{status: devpay.StatusActive}, deny(devpay.ReasonInvalidCustomer)},
		{"customer with 13 digits", cat, magic, magic, developer + "0", stub{status: devpay.StatusActive}, deny(devpay.ReasonInvalidCustomer)},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		require.False(t, seen[tc.name], "duplicate test name %q", tc.name)
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cat.Check(context.Background(), tc.resource, tc.via, tc.customer, tc.subs)
			assert.Equal(t, tc.want, got, "got %v", got.Reason)
		})
	}
}

// askedStub records whether Check asked it, and answers with ctx's error
// when ctx is done, as a source over a remote service does.
type askedStub struct{ asked *bool }

func (s askedStub) Status(ctx context.Context, _ devpay.AccountID, _ devpay.ProductCode) (devpay.Status, error) {
	*s.asked = true
	if err := ctx.Err(); err != nil {
		return devpay.StatusUnknown, err
	}
	return devpay.StatusActive, nil
}

// TestCheckContext checks the ctx row of Check's table: a context done
// before the lookup denies with its error and asks nothing; a lookup the
// source cuts short denies with the source's error; the rows before the
// lookup do not read ctx.
func TestCheckContext(t *testing.T) {
	cat := seedCatalog(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	tests := []struct {
		name      string
		ctx       context.Context
		customer  devpay.AccountID
		via       devpay.ProductCode
		want      devpay.Reason
		wantErr   error
		wantAsked bool
	}{
		{name: "live context asks", ctx: context.Background(), customer: john, via: magic, want: devpay.ReasonAllowed, wantAsked: true},
		{name: "cancelled context asks nothing", ctx: cancelled, customer: john, via: magic, want: devpay.ReasonSubscriptionError, wantErr: context.Canceled},
		{name: "expired context asks nothing", ctx: expired, customer: john, via: magic, want: devpay.ReasonSubscriptionError, wantErr: context.DeadlineExceeded},
		{name: "the developer needs no lookup", ctx: cancelled, customer: developer, via: magic, want: devpay.ReasonDeveloper},
		{name: "the wrong product needs no lookup", ctx: cancelled, customer: john, via: other, want: devpay.ReasonWrongProduct},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			asked := false
			got := cat.Check(tc.ctx, magic, tc.via, tc.customer, askedStub{&asked})
			assert.Equal(t, tc.want, got.Reason)
			assert.Equal(t, tc.wantAsked, asked)
			if tc.wantErr == nil {
				assert.NoError(t, got.Err)
			} else {
				assert.ErrorIs(t, got.Err, tc.wantErr)
			}
		})
	}
}

func TestReasonString(t *testing.T) {
	tests := []struct {
		name   string
		reason devpay.Reason
		want   string
	}{
		{"unknown", devpay.ReasonUnknown, "devpay-unknown"},
		{"not product bound", devpay.ReasonNotProductBound, "devpay-not-product-bound"},
		{"allowed", devpay.ReasonAllowed, "devpay-allowed"},
		{"developer", devpay.ReasonDeveloper, "devpay-developer"},
		{"no product", devpay.ReasonNoProduct, "devpay-no-product"},
		{"wrong product", devpay.ReasonWrongProduct, "devpay-wrong-product"},
		{"product on unbound resource", devpay.ReasonProductOnUnboundResource, "devpay-product-on-unbound-resource"},
		{"not subscribed", devpay.ReasonNotSubscribed, "devpay-not-subscribed"},
		{"cancelled", devpay.ReasonCancelled, "devpay-cancelled"},
		{"suspended", devpay.ReasonSuspended, "devpay-suspended"},
		{"unknown product", devpay.ReasonUnknownProduct, "devpay-unknown-product"},
		{"subscription error", devpay.ReasonSubscriptionError, "devpay-subscription-error"},
		{"invalid customer", devpay.ReasonInvalidCustomer, "devpay-invalid-customer"},
		{"out of range", devpay.Reason(99), "devpay.Reason(99)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.reason.String())
			assert.Equal(t, tc.name != "out of range", tc.reason.IsValid())
		})
	}
	var zero devpay.Result
	assert.False(t, zero.Allowed)
	assert.Equal(t, devpay.ReasonUnknown, zero.Reason)
}

func TestCheckDoesNotAllocate(t *testing.T) {
	cat := seedCatalog(t)
	m := &devpay.MemorySubscriptions{}
	require.NoError(t, m.Subscribe(john, magic))
	require.NoError(t, m.Subscribe(mother, magic))
	m.Suspend(mother, magic)
	var subs devpay.Subscriptions = m
	cases := []struct {
		resource, via devpay.ProductCode
		customer      devpay.AccountID
	}{
		{magic, magic, john},
		{magic, magic, mother},
		{magic, magic, rivalDev},
		{magic, magic, developer},
		{magic, other, john},
		{magic, "", john},
		{"", "", john},
		{"", magic, john},
		{ghost, ghost, john},
		{magic, magic, ""},
	}
	var sink devpay.Result
	n := testing.AllocsPerRun(200, func() {
		for _, c := range cases {
			sink = cat.Check(context.Background(), c.resource, c.via, c.customer, subs)
			_ = sink.Reason.String()
		}
	})
	assert.Zero(t, n)
	assert.Equal(t, devpay.ReasonNotSubscribed, sink.Reason)
}

func BenchmarkCheck(b *testing.B) {
	cat := seedCatalog(b)
	m := &devpay.MemorySubscriptions{}
	require.NoError(b, m.Subscribe(john, magic))
	b.ReportAllocs()
	for b.Loop() {
		if !cat.Check(context.Background(), magic, magic, john, m).Allowed {
			b.Fatal("denied")
		}
	}
}
