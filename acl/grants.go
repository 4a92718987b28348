package acl

import (
	"context"

	"github.com/s3authz/s3authz/internal/s3actions"
)

// Directory is what a [Requester] needs to resolve grantees named by
// e-mail address: the account registered under an address, and the
// canonical user ID of an account. Its methods have the signatures of the
// methods of the same names of ownership.Directory, whose types are the
// same, so any ownership.Directory (ownership.MemoryDirectory, or the
// host's own) is an acl.Directory.
//
// Each method returns the value and true when found, false and a nil error
// when the directory knows no such account, and an error when it could not
// tell; ctx bounds the lookup, and a directory over a remote store returns
// the context's error when ctx is cancelled or its deadline passes.
//
// Implementations must be safe for concurrent use and should not allocate:
// [ACL.Permits] calls them on its hot path.
type Directory interface {
	// CanonicalID returns the canonical user ID of an account, and false
	// when the account is unknown.
	CanonicalID(ctx context.Context, account AccountID) (CanonicalID, bool, error)
	// AccountByEmail returns the account registered under an e-mail
	// address, and false when none is. How addresses compare is the
	// directory's choice.
	AccountByEmail(ctx context.Context, email string) (AccountID, bool, error)
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
// belongs to no account; it returns d's error, and false, when a lookup
// fails. ctx is handed to d. It does not allocate unless d does.
func (g *Grantee) CanonicalID(ctx context.Context, d Directory) (CanonicalID, bool, error) {
	switch g.Type {
	case CanonicalUser:
		return g.ID, g.ID != "", nil
	case AmazonCustomerByEmail:
		if d == nil || g.Email == "" {
			return "", false, nil
		}
		account, ok, err := d.AccountByEmail(ctx, g.Email)
		if !ok || err != nil {
			return "", false, err
		}
		id, ok, err := d.CanonicalID(ctx, account)
		if !ok || err != nil || id == "" || id == AnonymousID {
			return "", false, err
		}
		return id, true, nil
	}
	return "", false, nil
}

// Matches reports whether the grantee covers the requester: its canonical
// ID, the canonical ID its e-mail resolves to through the requester's
// Directory, or a group it belongs to. It returns false and the
// directory's error when resolving an e-mail grantee fails; ctx is handed
// to the directory. It does not allocate unless the directory does.
func (g *Grantee) Matches(ctx context.Context, r *Requester) (bool, error) {
	switch g.Type {
	case CanonicalUser:
		return g.ID != "" && g.ID == r.CanonicalID, nil
	case AmazonCustomerByEmail:
		if r.CanonicalID == "" || r.CanonicalID == AnonymousID {
			return false, nil // an e-mail names an account, never the anonymous user
		}
		id, ok, err := g.CanonicalID(ctx, r.Directory)
		return ok && id == r.CanonicalID, err
	case Group:
		if r.IgnorePublic && g.IsPublic() {
			return false, nil
		}
		switch g.URI {
		case AllUsers:
			return true, nil
		case AuthenticatedUsers:
			return r.Authenticated, nil
		case LogDelivery:
			return r.LogDelivery, nil
		}
	}
	return false, nil
}

// Permits reports whether the ACL, attached to a resource of the given kind,
// grants action to the requester, and returns the index of the first grant
// that does (for explanations), or -1. Actions match without regard to
// case. ctx bounds the directory lookups of e-mail grantees. When a lookup
// fails and no other grant permits, Permits returns false with the first
// failure's error: a grant it could not resolve might have permitted. It
// does not allocate, unless the requester's directory does.
//
// On a bucket ACL, WRITE grants creating and deleting objects, and
// s3:DeleteObjectVersion (deleting any version) only through a grant to the
// ACL's owner, the bucket owner (by canonical ID or e-mail), and only to
// it: a group's WRITE does not give it.
func (a *ACL) Permits(ctx context.Context, r *Requester, action string, kind Kind) (int, bool, error) {
	need, ownerOnly, ok := grantOf(action, kind)
	if !ok || ownerOnly && (r.CanonicalID == "" || r.CanonicalID != a.Owner.ID) {
		return -1, false, nil
	}
	var failed error
	for i := range a.Grants {
		g := &a.Grants[i]
		if !g.Permission.Implies(need) || ownerOnly && g.Grantee.Type == Group {
			// The requester is the owner for an owner-only action; a user
			// grant that matches it (by ID or e-mail) is a grant to the
			// owner, a group's is not.
			continue
		}
		m, err := g.Grantee.Matches(ctx, r)
		if err != nil && failed == nil {
			failed = err
		}
		if m {
			return i, true, nil
		}
	}
	return -1, false, failed
}

// permissions maps the action table's ACL permissions to Permission.
var permissions = [...]Permission{
	s3actions.PermRead:     Read,
	s3actions.PermWrite:    Write,
	s3actions.PermReadACP:  ReadACP,
	s3actions.PermWriteACP: WriteACP,
}

// permissionOf returns the permission that grants action a on a resource
// of the given kind, and whether only a grant to the ACL's owner gives it.
// The permissions are the S3 ACL overview's, as the module's action table
// (internal/s3actions) records them; FULL_CONTROL covers the rest through
// Permission.Implies.
func permissionOf(a *s3actions.Action, kind Kind) (p Permission, ownerOnly, ok bool) {
	var q s3actions.Permission
	switch kind {
	case Bucket:
		q, ownerOnly = a.BucketACL, a.Has(s3actions.OwnerGrantOnly)
	case Object:
		q = a.ObjectACL
	}
	if q == s3actions.PermNone {
		return 0, false, false
	}
	return permissions[q], ownerOnly, true
}

// grantOf resolves action, without regard to case, and returns what
// permissionOf says of it.
func grantOf(action string, kind Kind) (Permission, bool, bool) {
	i, ok := s3actions.Lookup(action)
	if !ok {
		return 0, false, false
	}
	a := s3actions.At(i)
	return permissionOf(&a, kind)
}

// PermissionFor returns the ACL permission that grants action on a resource
// of the given kind (action matched without regard to case), or false when
// no ACL permission grants it: tagging, retention, bucket configuration and
// policies come only from ownership and policies. It never allocates.
func PermissionFor(action string, kind Kind) (Permission, bool) {
	p, ownerOnly, ok := grantOf(action, kind)
	if !ok || ownerOnly {
		return 0, false
	}
	return p, true
}

// Actions returns the S3 actions that permission p grants on a resource of
// the given kind, grouped by permission in the order READ, WRITE, READ_ACP,
// WRITE_ACP, each group in catalog order; FULL_CONTROL returns the actions
// of every permission. The caller owns the slice.
func Actions(p Permission, kind Kind) []string {
	var out []string
	for _, q := range [...]Permission{Read, Write, ReadACP, WriteACP} {
		if !p.Implies(q) {
			continue
		}
		for i := range s3actions.Count {
			a := s3actions.At(i)
			if got, ownerOnly, ok := permissionOf(&a, kind); ok && !ownerOnly && got == q {
				out = append(out, a.Name)
			}
		}
	}
	return out
}
