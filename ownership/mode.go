package ownership

import (
	"context"
	"strconv"
)

// Mode is a bucket's Object Ownership setting (the ObjectOwnership element
// of PutBucketOwnershipControls). The zero Mode is [BucketOwnerEnforced]:
// ACLs disabled, the most restrictive setting and S3's default for new
// buckets.
type Mode uint8

const (
	// BucketOwnerEnforced disables ACLs: no bucket or object ACL affects
	// authorization, and the bucket owner owns every object, new and
	// existing, every version. Requests that set an ACL other than
	// "bucket-owner-full-control" are refused (see [Mode.AcceptsACL]).
	BucketOwnerEnforced Mode = iota
	// BucketOwnerPreferred enables ACLs; the bucket owner owns a new object
	// when the upload carries the "bucket-owner-full-control" canned ACL,
	// the writer otherwise.
	BucketOwnerPreferred
	// ObjectWriter enables ACLs; the writing account owns a new object
	// (the anonymous user, for an anonymous upload).
	ObjectWriter
)

var modeNames = [...]string{
	BucketOwnerEnforced:  "BucketOwnerEnforced",
	BucketOwnerPreferred: "BucketOwnerPreferred",
	ObjectWriter:         "ObjectWriter",
}

// CannedBucketOwnerFullControl is the canned ACL (x-amz-acl header value)
// that gives the bucket owner full control of a new object.
const CannedBucketOwnerFullControl = "bucket-owner-full-control"

// ParseMode parses the setting's name as S3 writes it: "BucketOwnerEnforced",
// "BucketOwnerPreferred" or "ObjectWriter", case-sensitively. Anything else,
// "" included, gives an [*Error] wrapping [ErrInvalidMode]; a caller that
// reads an absent setting as the default uses the zero Mode.
func ParseMode(s string) (Mode, error) {
	for m, name := range modeNames {
		if s == name {
			return Mode(m), nil
		}
	}
	return 0, errv("", ErrInvalidMode, s, "want \"BucketOwnerEnforced\", \"BucketOwnerPreferred\" or \"ObjectWriter\"")
}

// IsValid reports whether m is one of the three settings.
func (m Mode) IsValid() bool { return int(m) < len(modeNames) }

// String returns the setting's name, or "Mode(N)" for an invalid Mode.
func (m Mode) String() string {
	if m.IsValid() {
		return modeNames[m]
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// MarshalText implements encoding.TextMarshaler with the setting's name. An
// invalid Mode gives an [*Error] wrapping [ErrInvalidMode], so no text is
// written that cannot be read back.
func (m Mode) MarshalText() ([]byte, error) {
	if !m.IsValid() {
		return nil, errv("", ErrInvalidMode, m.String(), "not a valid mode")
	}
	return []byte(modeNames[m]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler as [ParseMode] does. On
// error *m is left unchanged.
func (m *Mode) UnmarshalText(text []byte) error {
	v, err := ParseMode(string(text))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ACLsEnabled reports whether ACLs take part in authorization:
// true for BucketOwnerPreferred and ObjectWriter, false for
// BucketOwnerEnforced and for invalid modes.
func (m Mode) ACLsEnabled() bool {
	return m == BucketOwnerPreferred || m == ObjectWriter
}

// ObjectOwner returns the owner of an object (or object version) that
// writer uploads to a bucket owned by bucketOwner with setting m. cannedACL
// is the upload's x-amz-acl header, "" when absent, compared exactly.
//
//   - BucketOwnerEnforced: the bucket owner, always.
//   - BucketOwnerPreferred: the bucket owner if cannedACL is
//     "bucket-owner-full-control", the writer otherwise. Explicit grant
//     headers or an XML ACL that give the bucket owner full control do not
//     transfer ownership: AWS documents the transfer for the canned ACL only.
//   - ObjectWriter: the writer; an anonymous writer makes an anonymous owner.
//
// The writer is an account or the anonymous user; use [OwnerOf] to get it
// from a [Principal]. ObjectOwner fails closed: when m is invalid, or the
// chosen owner is not [Owner.IsValid], it returns the zero (invalid) Owner.
// It does not say whether the upload is accepted; see [Mode.AcceptsACL].
func (m Mode) ObjectOwner(bucketOwner AccountID, writer Owner, cannedACL string) Owner {
	var o Owner
	switch m {
	case BucketOwnerEnforced:
		o = AccountOwner(bucketOwner)
	case BucketOwnerPreferred:
		if cannedACL == CannedBucketOwnerFullControl {
			o = AccountOwner(bucketOwner)
		} else {
			o = writer
		}
	case ObjectWriter:
		o = writer
	}
	if !o.IsValid() {
		return Owner{}
	}
	return o
}

// AcceptsACL reports whether a request that sets an ACL may proceed under
// setting m. cannedACL is the x-amz-acl header ("" when absent) and
// hasGrants reports explicit x-amz-grant-* headers or an
// AccessControlPolicy body.
//
// Under BucketOwnerEnforced only requests with no ACL, or with the canned
// ACL "bucket-owner-full-control" and no grants, are accepted. The others —
// PutBucketAcl and PutObjectAcl with any grants, PutObject, CopyObject and
// CreateMultipartUpload carrying another canned ACL or any grant — fail in
// S3 with 400 AccessControlListNotSupported. S3 also accepts an explicit
// grant that is exactly FULL_CONTROL to the bucket owner; this helper
// cannot see grants, so a caller that has checked that equivalence passes
// cannedACL "bucket-owner-full-control" and hasGrants false. Reading ACLs is
// always accepted and is not this function's business.
//
// BucketOwnerPreferred and ObjectWriter accept every ACL (Block Public
// Access may still refuse it). An invalid mode accepts nothing.
func (m Mode) AcceptsACL(cannedACL string, hasGrants bool) bool {
	switch m {
	case BucketOwnerEnforced:
		return !hasGrants && (cannedACL == "" || cannedACL == CannedBucketOwnerFullControl)
	case BucketOwnerPreferred, ObjectWriter:
		return true
	}
	return false
}

// Owner is the owner of a bucket or object: an account, or the anonymous
// user (who owns objects uploaded anonymously to ObjectWriter buckets). It
// is a small comparable value. The zero Owner is invalid: it is neither an
// account nor anonymous.
type Owner struct {
	// Account is the owning account; "" when Anonymous is set.
	Account AccountID
	// Anonymous is set for the anonymous owner, whose canonical ID is
	// AnonymousCanonicalID.
	Anonymous bool
}

// AccountOwner returns the Owner for account. It does not check the ID; an
// Owner made from a malformed ID is not [Owner.IsValid].
func AccountOwner(account AccountID) Owner { return Owner{Account: account} }

// AnonymousOwner returns the anonymous owner.
func AnonymousOwner() Owner { return Owner{Anonymous: true} }

// IsValid reports whether o is either anonymous with no account, or not
// anonymous with a 12-digit account ID.
func (o Owner) IsValid() bool {
	if o.Anonymous {
		return o.Account == ""
	}
	return o.Account.IsValid()
}

// String returns the account ID, "anonymous", or "invalid" for an Owner
// that is not [Owner.IsValid].
func (o Owner) String() string {
	switch {
	case !o.IsValid():
		return "invalid"
	case o.Anonymous:
		return anonymousValue
	}
	return string(o.Account)
}

// CanonicalID returns the canonical user ID ACLs name o by:
// [AnonymousCanonicalID] for the anonymous owner, the account's ID from d
// otherwise. It returns false for an invalid Owner or an account d does
// not know, and d's error when its lookup fails.
func (o Owner) CanonicalID(ctx context.Context, d Directory) (CanonicalID, bool, error) {
	switch {
	case !o.IsValid():
		return "", false, nil
	case o.Anonymous:
		return AnonymousCanonicalID, true, nil
	}
	return d.CanonicalID(ctx, o.Account)
}
