package evaluate_test

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/s3authz/s3authz/acl"
)

// The reference evaluators' reading of ACLs, written from Amazon S3's
// "Access control list (ACL) overview"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html)
// and the Grantee type of the S3 API
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Grantee.html). It
// shares only the data model (acl.ACL, acl.Grant) with package acl:
//
//   - A grantee is an account — named by its canonical user ID, or by the
//     e-mail address of the account, which S3 turns into that account's
//     canonical user ID — or a predefined group: AllUsers is everyone,
//     signed or not; AuthenticatedUsers every signed request;
//     LogDelivery S3's log delivery (no caller of these worlds). The
//     anonymous user's canonical ID names unsigned requests.
//   - A grant to an account grants that account: its root user uses it
//     directly, its IAM identities only by delegation (with their own
//     identity allow). A group grant names the caller itself.
//   - Each permission maps to the actions of the overview's table, on
//     buckets and on objects; FULL_CONTROL is all of them. Bucket WRITE
//     also allows deleting objects (the package's documented choice, from
//     the overview's earlier wording) and, when the grantee is the bucket
//     owner, deleting any version (s3:DeleteObjectVersion).

// refAccount is an account of the reference worlds: its ID, its canonical
// user ID and its root user's e-mail address (the directory of the tests
// registers all three).
type refAccount struct {
	id        string
	canonical acl.CanonicalID
	email     string
}

var refAccounts = []refAccount{{acctA, canonA, emailA}, {acctB, canonB, emailB}, {acctC, canonC, emailC}, {acctD, canonD, emailD}}

// refACLActions is the overview's table: the actions each permission
// grants on a bucket and on an object.
var refACLActions = map[acl.Kind]map[acl.Permission][]string{
	acl.Bucket: {
		acl.Read:     {"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"},
		acl.Write:    {"s3:PutObject", "s3:DeleteObject"},
		acl.ReadACP:  {"s3:GetBucketAcl"},
		acl.WriteACP: {"s3:PutBucketAcl"},
	},
	acl.Object: {
		acl.Read:     {"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent"},
		acl.ReadACP:  {"s3:GetObjectAcl", "s3:GetObjectVersionAcl"},
		acl.WriteACP: {"s3:PutObjectAcl", "s3:PutObjectVersionAcl"},
	},
}

// refGranteeAccount is the account a grantee names, "" for none (a group,
// the anonymous user, an unknown ID or address). E-mail addresses compare
// without regard to case.
func refGranteeAccount(g *acl.Grantee) string {
	for _, a := range refAccounts {
		switch {
		case g.Type == acl.CanonicalUser && g.ID == a.canonical,
			g.Type == acl.AmazonCustomerByEmail && strings.EqualFold(g.Email, a.email):
			return a.id
		}
	}
	return ""
}

// refACLCaller is what the ACL reading needs of a caller.
type refACLCaller struct {
	account string // "" for the anonymous user
	root    bool
	// ignorePublic: Block Public Access's IgnorePublicAcls is on, and the
	// grants to AllUsers and AuthenticatedUsers apply to nobody.
	ignorePublic bool
}

// refACLResult is how an ACL names a caller for one action.
type refACLResult struct {
	level bktLevel // bktNone, bktAccount (a delegation) or bktSelf
	// byEmail: only a grant by e-mail names the caller that strongly.
	byEmail bool
	// unknownEmail: a grant by e-mail to an address of no account has the
	// needed permission.
	unknownEmail bool
}

// refACL reads ACL a, attached to a resource of the given kind, for action
// and caller c. owner is the account that owns the ACL's resource ("" for
// the anonymous user): a bucket ACL's grants to it give
// s3:DeleteObjectVersion.
func refACL(a *acl.ACL, kind acl.Kind, owner, action string, c refACLCaller) refACLResult {
	var out refACLResult
	emailLevel, otherLevel := bktNone, bktNone
	for i := range a.Grants {
		g := &a.Grants[i]
		covers := slices.Contains(refACLActions[kind][g.Permission], action)
		if g.Permission == acl.FullControl {
			// FULL_CONTROL is every permission of the table, nothing more.
			for _, actions := range refACLActions[kind] {
				covers = covers || slices.Contains(actions, action)
			}
		}
		account := refGranteeAccount(&g.Grantee)
		if kind == acl.Bucket && action == "s3:DeleteObjectVersion" {
			covers = (g.Permission == acl.Write || g.Permission == acl.FullControl) && account != "" && account == owner
		}
		if !covers {
			continue
		}
		if g.Grantee.Type == acl.AmazonCustomerByEmail && account == "" {
			out.unknownEmail = true
		}
		l := bktNone
		switch g.Grantee.Type {
		case acl.Group:
			switch {
			case c.ignorePublic:
			case g.Grantee.URI == acl.AllUsers:
				l = bktSelf
			case g.Grantee.URI == acl.AuthenticatedUsers && c.account != "":
				l = bktSelf
			}
		default:
			switch {
			case g.Grantee.Type == acl.CanonicalUser && g.Grantee.ID == acl.AnonymousID:
				if c.account == "" {
					l = bktSelf
				}
			case account != "" && account == c.account && c.root:
				l = bktSelf
			case account != "" && account == c.account:
				l = bktAccount
			}
		}
		if g.Grantee.Type == acl.AmazonCustomerByEmail {
			emailLevel = max(emailLevel, l)
		} else {
			otherLevel = max(otherLevel, l)
		}
	}
	out.level = max(emailLevel, otherLevel)
	out.byEmail = emailLevel > otherLevel
	return out
}

// refPublic reports whether an ACL is public in Block Public Access's
// sense: a grant to AllUsers or AuthenticatedUsers
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
// Of the canned ACLs, public-read, public-read-write and
// authenticated-read are.
func refPublic(a *acl.ACL, canned string) bool {
	switch canned {
	case "public-read", "public-read-write", "authenticated-read":
		return true
	}
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Grantee.Type == acl.Group && (g.Grantee.URI == acl.AllUsers || g.Grantee.URI == acl.AuthenticatedUsers) {
			return true
		}
	}
	return false
}

// refOwnerFullControl reports whether an ACL a request carries is
// bucket-owner-full-control, canned or written out: FULL_CONTROL for the
// bucket owner (bucketOwner, a canonical ID) and for nobody but it and the
// ACL's owner, each named by canonical ID or e-mail. BucketOwnerEnforced
// accepts no other ACL
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
func refOwnerFullControl(a *acl.ACL, canned string, bucketOwner acl.CanonicalID) bool {
	if a == nil {
		return canned == "bucket-owner-full-control"
	}
	granted := false
	for _, g := range a.Grants {
		id := acl.CanonicalID("")
		switch g.Grantee.Type {
		case acl.CanonicalUser:
			id = g.Grantee.ID
		case acl.AmazonCustomerByEmail:
			if acct := refGranteeAccount(&g.Grantee); acct != "" {
				id = refCanonical(acct)
			}
		}
		if g.Permission != acl.FullControl || id == "" || (id != bucketOwner && id != a.Owner.ID) {
			return false
		}
		granted = granted || id == bucketOwner
	}
	return granted
}

// refDefaultACL is the ACL of a resource that has none stored: FULL_CONTROL
// for its owner (the anonymous user's canonical ID for an object uploaded
// anonymously).
func refDefaultACL(ownerCanonical acl.CanonicalID) *acl.ACL {
	return &acl.ACL{Owner: acl.User{ID: ownerCanonical}, Grants: []acl.Grant{
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: ownerCanonical}, Permission: acl.FullControl},
	}}
}

// refCanonical is the canonical user ID of an account, or the anonymous
// user's for "".
func refCanonical(account string) acl.CanonicalID {
	for _, a := range refAccounts {
		if a.id == account {
			return a.canonical
		}
	}
	return acl.AnonymousID
}

// --- Generation ---

// genGrantees are the grantees generated ACLs draw from: accounts by
// canonical ID and by e-mail (in another case too, and an address no
// account has), the anonymous user and the groups.
var genGrantees = []acl.Grantee{
	{Type: acl.CanonicalUser, ID: canonA}, {Type: acl.CanonicalUser, ID: canonB}, {Type: acl.CanonicalUser, ID: canonC},
	{Type: acl.CanonicalUser, ID: acl.AnonymousID},
	{Type: acl.AmazonCustomerByEmail, Email: emailA}, {Type: acl.AmazonCustomerByEmail, Email: strings.ToUpper(emailB)},
	{Type: acl.AmazonCustomerByEmail, Email: emailC}, {Type: acl.AmazonCustomerByEmail, Email: "nobody@example.com"},
	{Type: acl.Group, URI: acl.AllUsers}, {Type: acl.Group, URI: acl.AuthenticatedUsers}, {Type: acl.Group, URI: acl.LogDelivery},
}

var genPermissions = []acl.Permission{acl.Read, acl.Write, acl.ReadACP, acl.WriteACP, acl.FullControl}

// genRequestACL returns the ACL a write request of the account writer
// ("" for the anonymous user) carries: the x-amz-acl header or an explicit
// ACL, often bucket-owner-full-control written out (the owners named by ID
// or e-mail), or none.
func genRequestACL(rng *rand.Rand, writer string) (string, *acl.ACL) {
	switch rng.IntN(4) {
	case 0:
		return genPick(rng, acl.CannedNames()), nil
	case 1:
		a := genACL(rng, writer)
		if a == nil {
			return "", nil
		}
		return "", a
	case 2:
		name := func(account string) acl.Grantee {
			for _, ra := range refAccounts {
				if ra.id == account && rng.IntN(3) == 0 {
					return acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: ra.email}
				}
			}
			return acl.Grantee{Type: acl.CanonicalUser, ID: refCanonical(account)}
		}
		a := &acl.ACL{Owner: acl.User{ID: refCanonical(writer)}}
		for _, who := range genPick(rng, [][]string{{writer, acctA}, {acctA, writer}, {acctA}, {writer}, {writer, acctA, acctC}}) {
			p := acl.FullControl
			if rng.IntN(8) == 0 {
				p = acl.Read
			}
			a.Grants = append(a.Grants, acl.Grant{Grantee: name(who), Permission: p})
		}
		return "", a
	}
	return "", nil
}

// genACL returns a random stored ACL of a resource owned by owner ("" for
// the anonymous user), or nil (the default) one time in five: mostly the
// owner's FULL_CONTROL (by canonical ID, now and then by e-mail) and up to
// three more grants.
func genACL(rng *rand.Rand, owner string) *acl.ACL {
	if rng.IntN(5) == 0 {
		return nil
	}
	canonical := refCanonical(owner)
	a := &acl.ACL{Owner: acl.User{ID: canonical}}
	if rng.IntN(4) != 0 {
		g := acl.Grantee{Type: acl.CanonicalUser, ID: canonical}
		for _, ra := range refAccounts {
			if ra.id == owner && rng.IntN(6) == 0 {
				g = acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: ra.email}
			}
		}
		a.Grants = append(a.Grants, acl.Grant{Grantee: g, Permission: acl.FullControl})
	}
	for range rng.IntN(4) {
		a.Grants = append(a.Grants, acl.Grant{Grantee: genPick(rng, genGrantees), Permission: genPick(rng, genPermissions)})
	}
	return a
}
