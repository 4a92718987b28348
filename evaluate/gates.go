package evaluate

// The gates in front of the policies: the DevPay product restriction, the
// write-time rules of Object Ownership and Block Public Access, and the
// bucket owner's rules for bucket policies.

import (
	"fmt"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/ownership"
)

// devpayGate applies the product restriction: data stored through a product
// is reachable only through it, by active subscribers, and only while the
// customer who stored it is subscribed.
//
// What a request reaches is bound to its bucket's product: the product that
// created a bucket binds the bucket and every object in it, whether or not
// the object's record names the product (DevPay rule DP-6: "only your
// product can access that bucket and the objects in it"). An object record
// may name no product or its bucket's; one naming any other is an invalid
// record. For an object action with a record:
//
//	Bucket.Product  Object.Product  the object is
//	""              ""              stored outside any product
//	P               ""              bound to P
//	P               P               bound to P
//	P               Q != P          invalid: ErrInvalidRecord, deny
//	""              Q               invalid: ErrInvalidRecord, deny
//
// run refuses the two invalid rows before any gate; the data owner's
// subscription is checked against the bucket's product.
func (e *evaluation) devpayGate() (Decision, bool) {
	var product devpay.ProductCode
	if e.ec.Bucket != nil {
		product = e.ec.Bucket.Product
	}
	if e.is(classCreateBucket) {
		// A bucket created through a product is bound to it (DP-6): the
		// caller must be able to use the product.
		product = e.req.Product
	}
	if product == "" && e.req.Product == "" {
		return 0, false
	}
	catalog := e.ec.Products
	if catalog == nil {
		catalog = &devpay.Catalog{}
	}
	res := catalog.Check(e.ctx, product, e.req.Product, e.caller, e.ec.Subscriptions)
	e.step(Step{Stage: StageDevPay, Matched: !res.Allowed, Note: res.Reason.String()})
	if !res.Allowed {
		e.gateFailed(StageDevPay, res.Err)
		return e.decide(ImplicitDeny, Reason{Stage: StageDevPay, Code: devpayCode(res.Reason, false)}), true
	}
	// The data stays reachable only while the customer who stored it is
	// subscribed: cancelling or not paying makes it unavailable to everyone.
	owner := ownership.Owner{}
	if e.ec.Bucket != nil {
		owner = ownership.AccountOwner(e.ec.Bucket.Owner)
	}
	if e.object && e.ec.Object != nil {
		owner = e.ec.Bucket.EffectiveOwner(e.ec.Object)
	}
	if e.is(classCreateBucket) {
		owner = ownership.AccountOwner(e.caller) // the bucket will be the caller's
	}
	if product != "" && owner.Account != e.caller {
		own := catalog.Check(e.ctx, product, product, owner.Account, e.ec.Subscriptions)
		if e.req.Trace {
			e.step(Step{Stage: StageDevPay, Matched: !own.Allowed, Note: "data owner: " + own.Reason.String()})
		}
		if !own.Allowed {
			e.gateFailed(StageDevPay, own.Err)
			return e.decide(ImplicitDeny, Reason{Stage: StageDevPay, Code: devpayCode(own.Reason, true)}), true
		}
	}
	return 0, false
}

// bucketProduct describes a bucket's product for an error message.
// productMismatch is the error of an object record naming another product
// than its bucket's (see devpayGate), built out of line: run checks for it
// with the other invalid requests.
//
//go:noinline
func productMismatch(o *ownership.Object, product ownership.ProductCode) error {
	return &Error{Err: fmt.Errorf("%w: object %s names DevPay product %s, its bucket %s", ErrInvalidRecord,
		errfmt.Quote(o.Key), errfmt.Quote(string(o.Product)), bucketProduct(product))}
}

func bucketProduct(product ownership.ProductCode) string {
	if product == "" {
		return "was created through no product"
	}
	return "was created through " + errfmt.Quote(string(product))
}

// writeChecks applies the write-time rules: Object Ownership refusing ACLs,
// and Block Public Access refusing public ACLs and policies.
func (e *evaluation) writeChecks() (Decision, bool) {
	req := e.req
	if e.ec.Bucket != nil && (req.ACL != nil || req.CannedACL != "") {
		canned, explicit := req.CannedACL, req.ACL != nil && req.CannedACL == ""
		if explicit && e.ownerFullControlOnly(req.ACL) {
			// An explicit ACL granting what bucket-owner-full-control
			// grants counts as that canned ACL.
			canned, explicit = ownership.CannedBucketOwnerFullControl, false
		}
		if !e.ec.Bucket.Mode.AcceptsACL(canned, explicit) {
			return e.decide(ImplicitDeny, Reason{Stage: StageOwnership, Code: CodeACLsNotSupported}), true
		}
	}
	if e.bpa.BlockPublicAcls && req.ACL != nil && req.ACL.IsPublic() {
		return e.decide(ImplicitDeny, Reason{Stage: StageBlockPublicAccess, Code: CodeBlockPublicACLs}), true
	}
	if e.bpa.BlockPublicAcls && (req.CannedACL == "public-read" || req.CannedACL == "public-read-write" || req.CannedACL == "authenticated-read") {
		return e.decide(ImplicitDeny, Reason{Stage: StageBlockPublicAccess, Code: CodeBlockPublicACLs}), true
	}
	if e.bpa.BlockPublicPolicy && req.Policy != nil && e.is(classPutBucketPolicy) && req.Policy.IsPublic() {
		return e.decide(ImplicitDeny, Reason{Stage: StageBlockPublicAccess, Code: CodeBlockPublicPolicy}), true
	}
	return 0, false
}

// ownerFullControlOnly reports whether an ACL grants what the
// bucket-owner-full-control canned ACL grants: FULL_CONTROL to the bucket
// owner, and to nobody but the bucket owner and the ACL's owner, each named
// by canonical ID or by e-mail.
func (e *evaluation) ownerFullControlOnly(a *acl.ACL) bool {
	if e.ec.Directory == nil {
		return false
	}
	bucketOwner, ok, err := e.ec.Directory.CanonicalID(e.ctx, e.ec.Bucket.Owner)
	if !ok || err != nil {
		e.lookupFailed(StageOwnership, err)
		return false
	}
	granted := false
	for i := range a.Grants {
		g := &a.Grants[i]
		id, ok, err := g.Grantee.CanonicalID(e.ctx, e.ec.Directory)
		if !ok || err != nil || g.Permission != acl.FullControl || (id != bucketOwner && id != a.Owner.ID) {
			e.lookupFailed(StageOwnership, err)
			return false
		}
		granted = granted || id == bucketOwner
	}
	return granted
}

// lockOut is the bucket owner root's protection: it may always read, write
// and delete its bucket's policy, whatever the policy says.
func (e *evaluation) lockOut() (Decision, bool) {
	if !e.is(classBucketPolicy) {
		return 0, false
	}
	if e.ec.Bucket == nil || e.caller != e.ec.Bucket.Owner {
		return 0, false
	}
	if e.req.Principal.IsRoot() {
		e.step(Step{Stage: StageOwnership, Matched: true, Note: "the bucket owner's root may always manage the bucket policy"})
		return e.decide(Allow, Reason{Stage: StageOwnership, Code: CodeOwnerRootPolicyLockoutProtection}), true
	}
	return 0, false
}

// ownerAccountOnly refuses the bucket policy actions to every account but
// the bucket owner's: S3 answers them 405 Method Not Allowed, whatever the
// policies grant. It also refuses the ACL-setting actions when ACLs are
// disabled (BucketOwnerEnforced): only uploads may still carry
// bucket-owner-full-control. An explicit Deny is reported first.
func (e *evaluation) ownerAccountOnly() (Decision, bool) {
	if e.is(classSetACL) && !e.req.Extra && e.ec.Bucket != nil && !e.ec.Bucket.Mode.ACLsEnabled() {
		return e.decide(ImplicitDeny, Reason{Stage: StageOwnership, Code: CodeACLsNotSupported}), true
	}
	if !e.is(classBucketPolicy) {
		return 0, false
	}
	if e.ec.Bucket == nil || e.caller == e.ec.Bucket.Owner {
		return 0, false
	}
	e.step(Step{Stage: StageOwnership, Matched: true, Note: "only the bucket owner's account may manage the bucket policy"})
	return e.decide(ImplicitDeny, Reason{Stage: StageOwnership, Code: CodeBucketPolicyOwnerAccountOnly}), true
}
