package devpay

import (
	"context"
	"strconv"
)

// Reason says why [Catalog.Check] allowed or denied a request. The zero
// Reason, [ReasonUnknown], is never returned by Check; the zero [Result]
// that carries it denies.
type Reason uint8

const (
	// ReasonUnknown is the zero Reason: no decision.
	ReasonUnknown Reason = iota
	// ReasonNotProductBound allows: the resource is stored outside any
	// product and the request came through none, so the restriction does
	// not apply.
	ReasonNotProductBound
	// ReasonAllowed allows: the request came through the resource's
	// product, made by an active subscriber of it.
	ReasonAllowed
	// ReasonDeveloper allows: the request came through the resource's
	// product, made by the product's own developer account. It passes the
	// restriction only; the developer has no implicit access to customer
	// data, so the ACL or policy check that follows must grant it.
	ReasonDeveloper
	// ReasonNoProduct denies: the resource belongs to a product and the
	// request was made directly, through no product. Anonymous requests,
	// which can carry no user token, are such requests.
	ReasonNoProduct
	// ReasonWrongProduct denies: the request came through another product
	// than the resource's, even one of the same developer.
	ReasonWrongProduct
	// ReasonProductOnUnboundResource denies: the request came through a
	// product and the resource is stored outside any product. Data stays
	// inside the product; it is not copied out to, or read from, plain
	// storage through it.
	ReasonProductOnUnboundResource
	// ReasonNotSubscribed denies: the requester has no subscription to the
	// product (never subscribed, or subscribed and not yet active), or is
	// anonymous.
	ReasonNotSubscribed
	// ReasonCancelled denies: the requester cancelled the subscription.
	ReasonCancelled
	// ReasonSuspended denies: access was turned off because the requester
	// did not pay.
	ReasonSuspended
	// ReasonUnknownProduct denies: the resource's product is not in the
	// catalog.
	ReasonUnknownProduct
	// ReasonSubscriptionError denies: the Subscriptions source is missing,
	// failed, or could not tell ([StatusUnknown]). The restriction fails
	// closed.
	ReasonSubscriptionError
	// ReasonInvalidCustomer denies: the requester given to Check is neither
	// "" (anonymous) nor a 12-digit account ID.
	ReasonInvalidCustomer
)

var reasonNames = [...]string{
	ReasonUnknown:                  "devpay-unknown",
	ReasonNotProductBound:          "devpay-not-product-bound",
	ReasonAllowed:                  "devpay-allowed",
	ReasonDeveloper:                "devpay-developer",
	ReasonNoProduct:                "devpay-no-product",
	ReasonWrongProduct:             "devpay-wrong-product",
	ReasonProductOnUnboundResource: "devpay-product-on-unbound-resource",
	ReasonNotSubscribed:            "devpay-not-subscribed",
	ReasonCancelled:                "devpay-cancelled",
	ReasonSuspended:                "devpay-suspended",
	ReasonUnknownProduct:           "devpay-unknown-product",
	ReasonSubscriptionError:        "devpay-subscription-error",
	ReasonInvalidCustomer:          "devpay-invalid-customer",
}

// IsValid reports whether r is one of the named reasons.
func (r Reason) IsValid() bool { return int(r) < len(reasonNames) }

// String returns a short stable code for decision records, such as
// "devpay-wrong-product", and "devpay.Reason(N)" for other values. The
// codes of valid reasons do not allocate and will not change.
func (r Reason) String() string {
	if r.IsValid() {
		return reasonNames[r]
	}
	return "devpay.Reason(" + strconv.Itoa(int(r)) + ")"
}

// Result is the outcome of [Catalog.Check]. The zero Result denies.
type Result struct {
	// Allowed reports whether the request passes the product restriction.
	// It does not grant access: the ACL and policy checks still decide.
	Allowed bool
	// Reason says why.
	Reason Reason
	// Err is the subscription source's error when the lookup failed, or
	// the context's when it was done before the lookup (Reason is then
	// ReasonSubscriptionError); nil otherwise.
	Err error
}

func allow(r Reason) Result { return Result{Allowed: true, Reason: r} }
func deny(r Reason) Result  { return Result{Reason: r} }

// Check applies DevPay's product-based restriction to one request, before
// the ACL and policy checks, which must allow as well. ctx bounds the
// subscription lookup: it is handed to subs, and a ctx already done when
// the lookup is due stops it before it starts. resource is the
// product code stamped on the resource's bucket at its creation ("" when
// it is stored outside any product): a product binds its bucket and every
// object in it (DP-6), so an object's product is its bucket's; via is the product the request came
// through, resolved by the host from its DevPay tokens ("" for a request
// without them); customer is the requester's 12-digit AWS account ID, ""
// for an anonymous request (for a pre-signed URL, the signer's account).
//
// As the DevPay Developer Guide's page on customer access to stored data
// and its data isolation page describe, data a customer stores through a
// product can be reached only through that product, not through another
// product nor with S3 directly; the page on copying objects keeps two
// products of the same developer apart too; and cancelling or not paying
// ends access. Check decides, in this order:
//
//	resource  via        customer                       Result
//	""        ""         any                            allow ReasonNotProductBound
//	""        set        any                            deny  ReasonProductOnUnboundResource
//	P         any        any; P not in the catalog      deny  ReasonUnknownProduct
//	P         ""         any, anonymous too             deny  ReasonNoProduct
//	P         Q != P     any                            deny  ReasonWrongProduct
//	P         P          "" (anonymous)                 deny  ReasonNotSubscribed
//	P         P          not an account ID              deny  ReasonInvalidCustomer
//	P         P          P's developer                  allow ReasonDeveloper
//	P         P          ctx done (Err: ctx.Err())      deny  ReasonSubscriptionError
//	P         P          subs nil, error or unknown     deny  ReasonSubscriptionError
//	P         P          active subscriber              allow ReasonAllowed
//	P         P          pending, never subscribed      deny  ReasonNotSubscribed
//	P         P          cancelled                      deny  ReasonCancelled
//	P         P          suspended for non-payment      deny  ReasonSuspended
//
// "Never subscribed" is a [StatusPending] answer, or a [StatusUnknown]
// answer from a [Complete] source; StatusUnknown from any other source
// fails closed as ReasonSubscriptionError. Check asks subs on every call
// and caches nothing; it never allocates when subs does not. It is safe
// for concurrent use, and a nil Catalog holds no product.
func (c *Catalog) Check(ctx context.Context, resource, via ProductCode, customer AccountID, subs Subscriptions) Result {
	if resource == "" {
		if via == "" {
			return allow(ReasonNotProductBound)
		}
		return deny(ReasonProductOnUnboundResource)
	}
	p, ok := c.Lookup(resource)
	switch {
	case !ok:
		return deny(ReasonUnknownProduct)
	case via == "":
		return deny(ReasonNoProduct)
	case via != resource:
		return deny(ReasonWrongProduct)
	case customer == "":
		return deny(ReasonNotSubscribed)
	case !customer.IsValid():
		return deny(ReasonInvalidCustomer)
	case customer == p.Owner:
		return allow(ReasonDeveloper)
	case ctx.Err() != nil:
		return Result{Reason: ReasonSubscriptionError, Err: ctx.Err()}
	case subs == nil:
		return deny(ReasonSubscriptionError)
	}
	st, err := subs.Status(ctx, customer, resource)
	if err != nil {
		return Result{Reason: ReasonSubscriptionError, Err: err}
	}
	switch st {
	case StatusActive:
		return allow(ReasonAllowed)
	case StatusPending:
		return deny(ReasonNotSubscribed)
	case StatusCancelled:
		return deny(ReasonCancelled)
	case StatusSuspended:
		return deny(ReasonSuspended)
	case StatusUnknown:
		if cs, ok := subs.(Complete); ok && cs.Complete() {
			return deny(ReasonNotSubscribed)
		}
	}
	return deny(ReasonSubscriptionError)
}
