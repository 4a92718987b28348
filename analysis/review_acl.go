package analysis

import (
	"slices"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// This file turns ACL grants into findings (step 4 of the procedure): the
// bucket ACL's and every object ACL's, when ACLs are enabled.

// aclFindings adds the findings of the bucket ACL and of every object ACL,
// objects in key order.
func (r *reviewer) aclFindings() {
	if r.b.ACL != nil {
		r.grantFindings(r.b.ACL, acl.Bucket, "", ownership.AccountOwner(r.owner))
	}
	keys := make([]string, 0, len(r.b.Objects))
	for k := range r.b.Objects {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		o := r.b.Objects[k]
		objOwner := ownership.AccountOwner(r.owner)
		if o != nil && o.Record != nil {
			objOwner = r.b.Record.EffectiveOwner(o.Record)
		}
		a := (*acl.ACL)(nil)
		if o != nil {
			a = o.ACL
		}
		switch {
		case objOwner.Anonymous:
			r.note("object %s is owned by the anonymous user (an anonymous upload under ObjectWriter): anonymous callers hold its owner's access", k)
			if a == nil {
				// The default ACL of an object the anonymous user owns:
				// FULL_CONTROL for the anonymous user, which is every
				// unsigned request.
				a = &acl.ACL{Grants: []acl.Grant{{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: acl.AnonymousID}, Permission: acl.FullControl}}}
			}
		case objOwner.Account != r.owner:
			r.note("object %s is owned by account %s (ObjectWriter): its owner keeps full control of it, which this review does not list as findings", k, objOwner)
		}
		if a != nil {
			r.grantFindings(a, acl.Object, k, objOwner)
		}
	}
}

// grantFindings adds one finding per grant of a that gives access to
// someone outside the bucket owner's account (and, on an object another
// account owns, outside that account, see §4.4).
func (r *reviewer) grantFindings(a *acl.ACL, kind acl.Kind, key string, resOwner ownership.Owner) {
	src := Source{Kind: SourceBucketACL}
	res := r.bucketARN()
	if kind == acl.Object {
		src = Source{Kind: SourceObjectACL, Key: key}
		res = r.objectARN(key)
	}
	for i := range a.Grants {
		g := &a.Grants[i]
		principal, public, skip := r.grantee(&g.Grantee, resOwner)
		if skip {
			continue
		}
		actions := grantActions(g.Permission, kind)
		if len(actions) == 0 {
			continue // object WRITE: no action
		}
		s := src
		s.Grant = i
		resources := []string{res}
		if kind == acl.Bucket && grantsObjectAction(actions) {
			// A bucket's WRITE creates and deletes its objects: the
			// grant reaches every object, not the bucket alone.
			resources = append(resources, res+"/*")
		}
		f := AccessFinding{Principal: principal, Actions: actions, Resources: resources, Public: public, Source: s}
		if public && g.Grantee.IsPublic() && r.eff.IgnorePublicAcls {
			f.BlockedBy = IgnorePublicAcls
		}
		r.add(f)
	}
}

// grantsObjectAction reports whether some action is an object action (or
// a pattern, which may be one).
func grantsObjectAction(actions []string) bool {
	for _, a := range actions {
		info, ok := policy.LookupAction(a)
		if !ok || info.Resource == policy.ResourceObject {
			return true
		}
	}
	return false
}

// grantActions returns the actions a permission grants; a permission that
// is not one of the five is read as granting every action.
func grantActions(p acl.Permission, kind acl.Kind) []string {
	switch p {
	case acl.Read, acl.Write, acl.ReadACP, acl.WriteACP, acl.FullControl:
		return acl.Actions(p, kind)
	}
	return []string{"*"}
}

// grantee returns the finding principal of a grantee, whether the grant
// is public, and skip for a grantee of the owner's account (or of the
// account that owns the object).
func (r *reviewer) grantee(g *acl.Grantee, resOwner ownership.Owner) (principal string, public, skip bool) {
	switch g.Type {
	case acl.Group:
		switch g.URI {
		case acl.AllUsers:
			return "*", true, false
		case acl.AuthenticatedUsers:
			return "authenticated", true, false
		case acl.LogDelivery:
			return "group:LogDelivery", false, false
		}
		return "group:" + g.URI, g.IsPublic(), false
	case acl.CanonicalUser:
		if g.ID == acl.AnonymousID {
			// A grant to the anonymous user applies to every unsigned
			// request: everyone, public, and not a group
			// IgnorePublicAcls ignores.
			return "*", true, false
		}
		if r.isOwnerCanonical(string(g.ID)) || r.ownsResource(string(g.ID), resOwner) {
			return "", false, true
		}
		return "canonical:" + string(g.ID), false, false
	case acl.AmazonCustomerByEmail:
		return r.emailGrantee(g.Email, resOwner)
	}
	// A grantee of no known type: report it as everyone.
	return "*", true, false
}

// ownsResource reports whether a canonical ID is that of the account that
// owns an object other than the bucket owner's.
func (r *reviewer) ownsResource(id string, resOwner ownership.Owner) bool {
	if resOwner.Anonymous || resOwner.Account == r.owner || r.w.Directory == nil {
		return false
	}
	c, ok, err := r.w.Directory.CanonicalID(r.ctx, resOwner.Account)
	return ok && err == nil && string(c) == id
}

// emailGrantee resolves an e-mail grantee through the directory: the
// account's canonical ID when it is known, the account when only that is,
// and "email:ADDRESS" when the address is not registered (such a grant
// applies to nobody today, but is kept rather than dropped).
func (r *reviewer) emailGrantee(email string, resOwner ownership.Owner) (string, bool, bool) {
	d := r.w.Directory
	if d == nil {
		return "email:" + email, false, false
	}
	acct, ok, err := d.AccountByEmail(r.ctx, email)
	if !ok || err != nil {
		return "email:" + email, false, false
	}
	if acct == r.owner || !resOwner.Anonymous && acct == resOwner.Account {
		return "", false, true
	}
	if c, ok, err := d.CanonicalID(r.ctx, acct); ok && err == nil && c != "" {
		return "canonical:" + string(c), false, false
	}
	return accountPrincipal(acct), false, false
}
