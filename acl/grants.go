package acl

import "strings"

// Directory is what a [Requester] needs to resolve grantees named by
// e-mail address: the account registered under an address, and the
// canonical user ID of an account. Its methods have the signatures of the
// methods of the same names of ownership.Directory, whose types are the
// same, so any ownership.Directory (ownership.MemoryDirectory, or the
// host's own) is an acl.Directory.
//
// Implementations must be safe for concurrent use and should not allocate:
// [ACL.Permits] calls them on its hot path.
type Directory interface {
	// CanonicalID returns the canonical user ID of an account, and false
	// when the account is unknown.
	CanonicalID(AccountID) (CanonicalID, bool)
	// AccountByEmail returns the account registered under an e-mail
	// address, and false when none is. How addresses compare is the
	// directory's choice.
	AccountByEmail(email string) (AccountID, bool)
}

// Requester identifies the caller for grant checks.
type Requester struct {
	// CanonicalID is the canonical user ID of the caller's account, or
	// AnonymousID for an unsigned request; "" matches no user grant.
	CanonicalID CanonicalID
	// Directory resolves e-mail grantees. S3 turned a grant to an e-mail
	// address into a grant to the canonical user ID of the account
	// registered under it, so here an AmazonCustomerByEmail grantee is that
	// canonical user: the account Directory.AccountByEmail finds (comparing
	// addresses its own way), by Directory.CanonicalID. Without a directory,
	// or for an address it does not know, an e-mail grant applies to
	// nobody. It is asked only when an e-mail grant with the needed
	// permission is reached.
	Directory Directory
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

// CanonicalID returns the canonical user ID of the account the grantee
// names: ID for a CanonicalUser grantee; for an AmazonCustomerByEmail
// grantee, the canonical ID of the account d registers under the address
// (see [Requester]). It reports false for groups, for an e-mail d does not
// know (or a nil d), and for an address resolving to AnonymousID, which
// belongs to no account. It does not allocate unless d does.
func (g *Grantee) CanonicalID(d Directory) (CanonicalID, bool) {
	switch g.Type {
	case CanonicalUser:
		return g.ID, g.ID != ""
	case AmazonCustomerByEmail:
		if d == nil || g.Email == "" {
			return "", false
		}
		account, ok := d.AccountByEmail(g.Email)
		if !ok {
			return "", false
		}
		id, ok := d.CanonicalID(account)
		if !ok || id == "" || id == AnonymousID {
			return "", false
		}
		return id, true
	}
	return "", false
}

// Matches reports whether the grantee covers the requester: its canonical
// ID, the canonical ID its e-mail resolves to through the requester's
// Directory, or a group it belongs to. It does not allocate unless the
// directory does.
func (g *Grantee) Matches(r *Requester) bool {
	switch g.Type {
	case CanonicalUser:
		return g.ID != "" && g.ID == r.CanonicalID
	case AmazonCustomerByEmail:
		if r.CanonicalID == "" || r.CanonicalID == AnonymousID {
			return false // an e-mail names an account, never the anonymous user
		}
		id, ok := g.CanonicalID(r.Directory)
		return ok && id == r.CanonicalID
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
// case. It does not allocate, unless the requester's directory does.
//
// On a bucket ACL, WRITE grants creating and deleting objects, and
// s3:DeleteObjectVersion (deleting any version) only through a grant to the
// ACL's owner, the bucket owner (by canonical ID or e-mail), and only to
// it: a group's WRITE does not give it.
func (a *ACL) Permits(r *Requester, action string, kind Kind) (int, bool) {
	need, ok := PermissionFor(action, kind)
	ownerOnly := false
	if !ok {
		if kind != Bucket || !strings.EqualFold(action, "s3:DeleteObjectVersion") {
			return -1, false
		}
		need, ownerOnly = Write, true
		if r.CanonicalID == "" || r.CanonicalID != a.Owner.ID {
			return -1, false
		}
	}
	for i := range a.Grants {
		g := &a.Grants[i]
		if g.Permission.Implies(need) && g.Grantee.Matches(r) {
			if ownerOnly && g.Grantee.Type == Group {
				// The requester is the owner; a user grant that matches it
				// (by ID or e-mail) is a grant to the owner, a group's is
				// not.
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
