package acl

import "strings"

// Requester identifies the caller for grant checks.
type Requester struct {
	// CanonicalID is the canonical user ID of the caller's account, or
	// AnonymousID for an unsigned request.
	CanonicalID string
	// Email is the e-mail of the caller's account when the host's directory
	// knows it, for ACLs that still hold e-mail grantees; "" otherwise.
	Email string
	// Authenticated is set for signed requests: AuthenticatedUsers grants
	// apply to them.
	Authenticated bool
	// LogDelivery is set when the caller is S3's log delivery service.
	LogDelivery bool
	// IgnorePublic makes the public grants (AllUsers, AuthenticatedUsers)
	// apply to nobody, as Block Public Access's IgnorePublicAcls does. Grant
	// indices still count every grant of the ACL.
	IgnorePublic bool
}

// Matches reports whether the grantee covers the requester: its canonical
// ID or e-mail (case-insensitive), or a group it belongs to. It never
// allocates.
func (g *Grantee) Matches(r *Requester) bool {
	switch g.Type {
	case CanonicalUser:
		return g.ID != "" && g.ID == r.CanonicalID
	case AmazonCustomerByEmail:
		return r.Email != "" && strings.EqualFold(g.Email, r.Email)
	case Group:
		if r.IgnorePublic && g.IsPublic() {
			return false
		}
		switch g.URI {
		case AllUsers:
			return true
		case AuthenticatedUsers:
			return r.Authenticated
		case LogDelivery:
			return r.LogDelivery
		}
	}
	return false
}

// Permits reports whether the ACL, attached to a resource of the given kind,
// grants action to the requester, and returns the index of the first grant
// that does (for explanations), or -1. Actions match without regard to
// case. It never allocates.
//
// On a bucket ACL, WRITE grants creating and deleting objects, and
// s3:DeleteObjectVersion (deleting any version) only to the ACL's owner,
// the bucket owner.
func (a *ACL) Permits(r *Requester, action string, kind Kind) (int, bool) {
	need, ok := PermissionFor(action, kind)
	ownerOnly := false
	if !ok {
		if kind != Bucket || !strings.EqualFold(action, "s3:DeleteObjectVersion") {
			return -1, false
		}
		need, ownerOnly = Write, true
		if r.CanonicalID != a.Owner.ID {
			return -1, false
		}
	}
	for i := range a.Grants {
		g := &a.Grants[i]
		if g.Permission.Implies(need) && g.Grantee.Matches(r) {
			if ownerOnly && !(g.Grantee.Type == CanonicalUser && g.Grantee.ID == a.Owner.ID) {
				continue
			}
			return i, true
		}
	}
	return -1, false
}

// permissionActions is the table of the S3 ACL overview: which S3 actions each ACL
// permission grants, on buckets and on objects. FULL_CONTROL covers the
// rest through Permission.Implies.
var permissionActions = [...]struct {
	kind   Kind
	perm   Permission
	action string
}{
	{Bucket, Read, "s3:ListBucket"},
	{Bucket, Read, "s3:ListBucketVersions"},
	{Bucket, Read, "s3:ListBucketMultipartUploads"},
	{Bucket, Write, "s3:PutObject"},
	{Bucket, Write, "s3:DeleteObject"},
	{Bucket, ReadACP, "s3:GetBucketAcl"},
	{Bucket, WriteACP, "s3:PutBucketAcl"},
	{Object, Read, "s3:GetObject"},
	{Object, Read, "s3:GetObjectVersion"},
	{Object, Read, "s3:GetObjectTorrent"},
	{Object, ReadACP, "s3:GetObjectAcl"},
	{Object, ReadACP, "s3:GetObjectVersionAcl"},
	{Object, WriteACP, "s3:PutObjectAcl"},
	{Object, WriteACP, "s3:PutObjectVersionAcl"},
}

// PermissionFor returns the ACL permission that grants action on a resource
// of the given kind (action matched without regard to case), or false when
// no ACL permission grants it: tagging, retention, bucket configuration and
// policies come only from ownership and policies. It never allocates.
func PermissionFor(action string, kind Kind) (Permission, bool) {
	for i := range permissionActions {
		a := permissionActions[i].action
		if permissionActions[i].kind == kind && len(a) == len(action) && strings.EqualFold(a, action) {
			return permissionActions[i].perm, true
		}
	}
	return 0, false
}

// Actions returns the S3 actions that permission p grants on a resource of
// the given kind; FULL_CONTROL returns the actions of every permission. The
// caller owns the slice.
func Actions(p Permission, kind Kind) []string {
	var out []string
	for _, pa := range permissionActions {
		if pa.kind == kind && p.Implies(pa.perm) {
			out = append(out, pa.action)
		}
	}
	return out
}
