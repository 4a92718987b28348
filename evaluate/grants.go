package evaluate

import (
	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// anonymousDefaultACL is the ACL of an object the anonymous user owns when
// none is stored: FULL_CONTROL for the anonymous user. It is never modified.
var anonymousDefaultACL = &acl.ACL{Owner: acl.User{ID: acl.AnonymousID}, Grants: []acl.Grant{
	{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: acl.AnonymousID}, Permission: acl.FullControl},
}}

// callerPermissions is the user context's own part: the caller's identity
// policies, within its boundary and session policies.
type callerPermissions struct {
	allow      bool   // an identity policy allows
	boundaryOK bool   // no boundary, or it allows
	sessionOK  bool   // not a session, or its session policies allow
	reason     Reason // the allowing statement, or what is missing
}

func (c *callerPermissions) ok() bool { return c.allow && c.boundaryOK && c.sessionOK }

// An Allow statement that cannot be evaluated counts as not matching (the
// error is kept for the diagnostic), so the outcome never depends on the
// order of policies or statements.
func (e *evaluation) callerPermissions() callerPermissions {
	c := callerPermissions{boundaryOK: true, sessionOK: true}
	c.reason = Reason{Stage: StageUser, Code: CodeNoIdentityAllow}
	for i, p := range e.ec.Identity {
		j, _, err := e.firstMatch(policyRef{p, SourceIdentity, i, StageUser}, policy.Allow)
		e.allowFailed(err)
		if j >= 0 {
			st := &p.policy.Statements[j]
			c.allow = true
			c.reason = Reason{Stage: StageUser, Code: CodeIdentityAllows, Source: SourceIdentity, Index: i, Sid: st.Sid, Pointer: st.Pointer}
			break
		}
	}
	if b := e.ec.Boundary; b != nil {
		j, _, err := e.firstMatch(policyRef{b, SourceBoundary, 0, StageUser}, policy.Allow)
		e.allowFailed(err)
		c.boundaryOK = j >= 0
	}
	switch e.req.Principal.Type() {
	case ownership.PrincipalAssumedRole, ownership.PrincipalFederatedUser:
		// A federated-user session always carries a session policy; without
		// one it has no permissions. A role session without one is limited
		// by nothing.
		c.sessionOK = len(e.ec.Session) == 0 && e.req.Principal.Type() == ownership.PrincipalAssumedRole
		for i, p := range e.ec.Session {
			j, _, err := e.firstMatch(policyRef{p, SourceSession, i, StageUser}, policy.Allow)
			e.allowFailed(err)
			if j >= 0 {
				c.sessionOK = true
				break
			}
		}
	}
	switch {
	case c.allow && !c.boundaryOK:
		c.reason = Reason{Stage: StageUser, Code: CodeBoundaryDoesNotAllow, Source: SourceBoundary}
	case c.allow && !c.sessionOK:
		c.reason = Reason{Stage: StageUser, Code: CodeSessionPolicyDoesNotAllow, Source: SourceSession}
	}
	return c
}

// authority is the account whose grant the request needs, and where its
// grants are.
type authority struct {
	owner     ownership.Owner
	stage     Stage
	policy    bool     // the bucket policy can grant
	acl       *acl.ACL // the ACL that can grant, nil for none
	aclKind   acl.Kind
	aclSource Source
}

func (e *evaluation) authority(a *authority) {
	ec := e.ec
	b := ec.Bucket
	a.owner = ownership.Owner{Account: b.Owner}
	a.stage, a.policy = StageBucket, true
	a.acl, a.aclKind, a.aclSource = e.bucketACL, acl.Bucket, SourceBucketACL
	if !e.object || e.is(classBucketWrite) {
		// Bucket actions, and creating and deleting objects, which the
		// bucket's WRITE permission and policy govern.
		return
	}
	a.stage = StageObject
	if ec.Object == nil {
		// No such object: the bucket owner's policies answer (S3 then
		// says 404 or 403).
		a.acl = nil
		return
	}
	o := b.EffectiveOwner(ec.Object)
	objACL := e.objectACL
	if objACL == nil && e.acls && o.Anonymous {
		objACL = anonymousDefaultACL
	}
	a.policy = o.Account == b.Owner && !o.Anonymous
	a.owner, a.acl, a.aclKind, a.aclSource = o, objACL, acl.Object, SourceObjectACL
}

// resourceGrant looks for the authority's grant to the caller: a bucket
// policy Allow (when the authority owns the bucket too) or an ACL grant.
// The reason is written to *reason.
func (e *evaluation) resourceGrant(a *authority, reason *Reason) grantKind {
	ec := e.ec
	best := grantNone
	*reason = Reason{Stage: a.stage, Code: CodeNoResourceGrant}
	if a.policy && ec.BucketPolicy != nil {
		restricted := e.bpa.RestrictPublicBuckets && !e.req.Principal.IsService() &&
			e.caller != ec.Bucket.Owner && ec.BucketPolicy.public
		if restricted {
			e.step(Step{Stage: StageBlockPublicAccess, Source: SourceBucketPolicy, Note: "RestrictPublicBuckets: the public policy grants nothing outside the bucket owner's account"})
			reason.Code = CodeRestrictPublicBuckets
		} else {
			j, kind, err := e.firstMatch(policyRef{ec.BucketPolicy, SourceBucketPolicy, 0, a.stage}, policy.Allow)
			e.allowFailed(err)
			if j >= 0 {
				st := &ec.BucketPolicy.policy.Statements[j]
				best, *reason = kind, Reason{Stage: a.stage, Code: CodeBucketPolicyAllows, Source: SourceBucketPolicy, Sid: st.Sid, Pointer: st.Pointer}
			}
		}
	}
	if best == grantDirect || a.acl == nil {
		return best
	}
	e.lookupCanonical()
	i, ok, err := a.acl.Permits(e.ctx, &e.requester, e.req.Action, a.aclKind)
	e.lookupFailed(a.stage, err)
	e.step(Step{Stage: a.stage, Source: a.aclSource, Index: i, Matched: ok, Note: "ACL grant"})
	if !ok {
		return best
	}
	kind := grantDirect
	g := &a.acl.Grants[i].Grantee
	accountGrant := g.Type == acl.CanonicalUser && g.ID != acl.AnonymousID || g.Type == acl.AmazonCustomerByEmail
	if accountGrant && !e.req.Principal.IsRoot() {
		// A grant to an account is delegated to its IAM principals; a
		// group grant (AllUsers, AuthenticatedUsers) later in the ACL
		// names the caller itself.
		kind = grantAccount
		groups := acl.Requester{Authenticated: e.requester.Authenticated, LogDelivery: e.requester.LogDelivery, IgnorePublic: e.requester.IgnorePublic}
		if j, ok, _ := a.acl.Permits(e.ctx, &groups, e.req.Action, a.aclKind); ok {
			i, kind = j, grantDirect
		}
	}
	if kind > best {
		best, *reason = kind, Reason{Stage: a.stage, Code: CodeACLGrants, Source: a.aclSource}.WithGrant(i)
	}
	return best
}

// sameAccountPolicyAllows reports whether the bucket policy of the caller's
// own account names the caller in an Allow for this request: that satisfies
// the user context even when another account owns the object.
func (e *evaluation) sameAccountPolicyAllows(caller *callerPermissions) bool {
	if e.ec.BucketPolicy == nil || e.caller != e.ec.Bucket.Owner {
		return false
	}
	j, kind, err := e.firstMatch(policyRef{e.ec.BucketPolicy, SourceBucketPolicy, 0, StageUser}, policy.Allow)
	e.allowFailed(err)
	if j < 0 {
		return false
	}
	return kind == grantDirect || kind == grantRole && caller.boundaryOK && caller.sessionOK
}

// grants decides once no gate and no explicit deny has: the caller needs its
// own account's permission (IAM principals) and the resource owner's.
func (e *evaluation) grants() Decision {
	p := &e.req.Principal
	var caller callerPermissions
	if e.iam {
		caller = e.callerPermissions()
	}
	if e.ec.Bucket == nil {
		// Actions on no bucket (s3:ListAllMyBuckets): the caller's own
		// account decides.
		switch {
		case p.IsRoot():
			return e.decide(Allow, Reason{Stage: StageOwnership, Code: CodeAccountRoot})
		case e.iam && caller.ok():
			return e.decide(Allow, caller.reason)
		case e.iam:
			return e.decide(ImplicitDeny, caller.reason)
		}
		return e.decide(ImplicitDeny, Reason{Stage: StageUser, Code: CodeNoAccount})
	}
	var a authority
	e.authority(&a)

	// The bucket owner's powers over objects other accounts own: delete
	// any object and version, restore archived ones.
	bucketOwner := e.ec.Bucket.Owner
	if e.object && a.owner != ownership.AccountOwner(bucketOwner) && e.caller == bucketOwner && e.is(classBucketOwnerPower) {
		if p.IsRoot() || (e.iam && caller.ok()) {
			return e.decide(Allow, Reason{Stage: StageOwnership, Code: CodeBucketOwnerPower})
		}
	}

	ownerAccount := !a.owner.Anonymous && e.caller != "" && a.owner.Account == e.caller
	if p.IsRoot() && ownerAccount {
		return e.decide(Allow, Reason{Stage: StageOwnership, Code: CodeResourceOwnerRoot})
	}
	var grant Reason
	kind := e.resourceGrant(&a, &grant)
	switch {
	case e.iam && ownerAccount:
		// Same account: an allow from the identity side or, per IAM's
		// rules for resource-based policies, a grant naming the caller
		// directly; a grant to the role needs the boundary and session
		// policies, a grant to the account is a delegation.
		grant.Stage = StageUser
		switch {
		case caller.ok():
			return e.decide(Allow, caller.reason)
		case kind == grantDirect:
			return e.decide(Allow, grant)
		case kind == grantRole && caller.boundaryOK && caller.sessionOK:
			return e.decide(Allow, grant)
		}
		return e.decide(ImplicitDeny, caller.reason)
	case e.iam:
		// The caller's account must allow (user context) and so must the
		// resource owner. When the caller's account owns the bucket, its
		// bucket policy counts in the user context too.
		if !caller.ok() {
			if !e.sameAccountPolicyAllows(&caller) {
				return e.decide(ImplicitDeny, caller.reason)
			}
		}
		if kind == grantNone {
			return e.decide(ImplicitDeny, grant)
		}
		return e.decide(Allow, grant)
	}
	// Roots of other accounts, anonymous callers and services have no user
	// context: the resource owner's grant decides.
	if kind == grantNone {
		return e.decide(ImplicitDeny, grant)
	}
	return e.decide(Allow, grant)
}
