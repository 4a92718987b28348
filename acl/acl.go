package acl

import (
	"slices"
	"strconv"

	"github.com/s3authz/s3authz/internal/ids"
)

// Namespaces of the AccessControlPolicy document.
const (
	// Namespace is the S3 API namespace of AccessControlPolicy.
	Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"
	// XSINamespace is the XML Schema instance namespace of xsi:type.
	XSINamespace = "http://www.w3.org/2001/XMLSchema-instance"
)

// The predefined groups an ACL can grant to.
const (
	// AllUsers is everyone, signed or anonymous.
	AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
	// AuthenticatedUsers is every signed request, from any AWS account.
	AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	// LogDelivery is S3's server access log delivery.
	LogDelivery = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

// CanonicalID is an S3 canonical user ID: 64 lowercase hexadecimal digits,
// or [AnonymousID]. ACLs name their owner and user grantees by it. Its
// methods: IsValid reports whether it has one of those shapes (what
// [Parse] accepts), IsAnonymous whether it is AnonymousID.
//
// It is the same type as ownership.CanonicalID, so the IDs a directory
// returns compare with an ACL's without conversion.
type CanonicalID = ids.CanonicalID

// AccountID is a 12-digit AWS account ID, as a [Directory] returns it; its
// IsValid method reports whether it has the 12 digits. ACLs never name
// accounts by account ID. It is the same type as ownership.AccountID.
type AccountID = ids.AccountID

// AnonymousID is the canonical user ID of the anonymous user: the owner of
// anonymously uploaded objects, and a grantee like any other. It is the
// same constant as ownership.AnonymousCanonicalID.
const AnonymousID = ids.AnonymousCanonicalID

// EC2ID is the canonical user ID the aws-exec-read canned ACL grants READ to
// (Amazon EC2, which reads AMI bundles). AWS does not document it; it is the
// ID S3 is observed to store.
const EC2ID CanonicalID = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c"

// ACL is an access control list: the resource owner (the document's Owner
// element) and up to MaxGrants grants. Parse and Canned build it; nothing modifies it afterwards, so it
// is safe for concurrent use. Treat the slice as read-only.
type ACL struct {
	Owner  User
	Grants []Grant
}

// MaxGrants is the number of grants an ACL may hold.
const MaxGrants = 100

// User is an account as ACLs write it: its canonical user ID and an
// optional display name. An ACL's Owner element is a User, and so is the
// resource owner or bucket owner given to [Canned]; a CanonicalUser
// grantee carries the same two values in its [Grantee]. It is not
// ownership.Owner, which tells whether an account or the anonymous user
// owns a bucket or object and names accounts by account ID.
type User struct {
	// ID is the canonical user ID, or AnonymousID for the anonymous user.
	ID CanonicalID
	// DisplayName is the display name S3 showed for the account, "" when
	// not given. It takes no part in any decision.
	DisplayName string
}

// Grant gives one permission to one grantee.
type Grant struct {
	Grantee    Grantee
	Permission Permission
}

// GranteeType is the xsi:type of a grantee. The zero value is invalid.
type GranteeType uint8

const (
	// CanonicalUser is an account named by canonical user ID (ID).
	CanonicalUser GranteeType = iota + 1
	// AmazonCustomerByEmail is an account named by e-mail (Email). S3
	// resolves e-mail grantees on write and no longer accepts them; they
	// parse so that old documents stay readable, and a grant by e-mail
	// applies as the grant to the canonical ID of the account a directory
	// registers the address under (see [Requester]).
	AmazonCustomerByEmail
	// Group is a predefined group named by URI.
	Group
)

var granteeTypeNames = [...]string{"", "CanonicalUser", "AmazonCustomerByEmail", "Group"}

// String returns the xsi:type text.
func (t GranteeType) String() string {
	if t > 0 && int(t) < len(granteeTypeNames) {
		return granteeTypeNames[t]
	}
	return "GranteeType(" + strconv.Itoa(int(t)) + ")"
}

// Grantee is who a grant is for. Only the field that matches Type is set,
// plus DisplayName for canonical users.
type Grantee struct {
	Type        GranteeType
	ID          CanonicalID
	DisplayName string
	Email       string
	URI         string
}

// IsPublic reports whether the grantee is the AllUsers or AuthenticatedUsers
// group: what Block Public Access calls public.
func (g *Grantee) IsPublic() bool {
	return g.Type == Group && (g.URI == AllUsers || g.URI == AuthenticatedUsers)
}

// Permission is an ACL permission. The zero value is invalid.
type Permission uint8

const (
	// Read lists a bucket, or reads an object.
	Read Permission = iota + 1
	// Write creates objects in a bucket (objects have no WRITE).
	Write
	// ReadACP reads the ACL.
	ReadACP
	// WriteACP writes the ACL.
	WriteACP
	// FullControl is Read, Write, ReadACP and WriteACP together.
	FullControl
)

var permissionNames = [...]string{"", "READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL"}

// String returns the permission as written in ACLs: "READ", "FULL_CONTROL".
func (p Permission) String() string {
	if p > 0 && int(p) < len(permissionNames) {
		return permissionNames[p]
	}
	return "Permission(" + strconv.Itoa(int(p)) + ")"
}

// ParsePermission returns the permission with the exact (upper-case) name.
// Any other name is an error wrapping ErrInvalidValue.
func ParsePermission(s string) (Permission, error) {
	if p, ok := lookupPermission(s); ok {
		return p, nil
	}
	return 0, errv(ErrInvalidValue, s, "want READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL")
}

// lookupPermission finds the permission with the exact name.
func lookupPermission(s string) (Permission, bool) {
	for i := 1; i < len(permissionNames); i++ {
		if permissionNames[i] == s {
			return Permission(i), true
		}
	}
	return 0, false
}

// Implies reports whether holding p gives q: FULL_CONTROL implies every
// permission, any other only itself.
func (p Permission) Implies(q Permission) bool {
	return p == q || p == FullControl && q != 0
}

// IsPublic reports whether any grant goes to the AllUsers or
// AuthenticatedUsers group.
func (a *ACL) IsPublic() bool {
	return slices.ContainsFunc(a.Grants, func(g Grant) bool { return g.Grantee.IsPublic() })
}

// Equal reports whether a and b have the same owner and the same grants in
// the same order.
func (a *ACL) Equal(b *ACL) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Owner == b.Owner && slices.Equal(a.Grants, b.Grants)
}
