package s3actions

// Resource is the kind of resource an action applies to; package policy
// shows it as policy.ResourceType.
type Resource uint8

// The kinds of resource; see policy.ResourceType for each one's meaning.
const (
	ResourceUnknown Resource = iota // not an action of the table
	ResourceNone                    // no resource-level permission: "Resource": "*"
	ResourceBucket                  // a bucket (or an access point in its place)
	ResourceObject                  // an object
	ResourceOther                   // access points, jobs, Storage Lens, Access Grants, ...
)

// Permission is the ACL permission that grants an action. FULL_CONTROL is
// not one: it grants every action one of the others grants. The zero value,
// PermNone, is no permission: no ACL grants the action.
type Permission uint8

// The ACL permissions, as the S3 ACL overview names them.
const (
	PermNone     Permission = iota // no ACL permission grants the action
	PermRead                       // READ
	PermWrite                      // WRITE
	PermReadACP                    // READ_ACP
	PermWriteACP                   // WRITE_ACP
)

// Level is an action's access level as the Service Authorization Reference
// lists it in the "Access level" column of its S3 table, and as IAM Access
// Analyzer reports the access a finding grants. The zero value, LevelNone,
// is no level: the zero Action's.
type Level uint8

// The access levels, in the order the reference and Access Analyzer list
// them.
const (
	LevelNone        Level = iota // no action
	LevelList                     // List
	LevelRead                     // Read
	LevelWrite                    // Write
	LevelPermissions              // Permissions management
	LevelTagging                  // Tagging
)

// Trait is a set of the facts about an action that the evaluator, the ACL
// and the ownership rules treat specially, one bit each.
type Trait uint8

const (
	// BucketOwnerMay marks an object action the bucket owner's account
	// holds on every object in its bucket, including objects another
	// account owns and whose ACLs grant it nothing (ownership.BucketOwnerMay).
	BucketOwnerMay Trait = 1 << iota
	// OwnerGrantOnly marks an action the BucketACL permission grants only
	// through a grant to the ACL's owner, the bucket owner, and never a
	// group's: s3:DeleteObjectVersion through WRITE. acl.PermissionFor and
	// acl.Actions leave such an action out; acl.ACL.Permits applies the rule.
	OwnerGrantOnly
	// SetsACL marks an action that stores an ACL, which BucketOwnerEnforced
	// refuses.
	SetsACL
	// BucketPolicyAccess marks an action that reads or changes the bucket
	// policy, which only the bucket owner's account may perform and its root
	// user always may.
	BucketPolicyAccess
	// SetsBucketPolicy marks an action that stores a bucket policy, which
	// Block Public Access's BlockPublicPolicy may refuse.
	SetsBucketPolicy
	// CreatesBucket marks an action on a bucket that does not exist yet.
	CreatesBucket
)

// KeySet is a set of the condition keys the Service Authorization Reference
// gives action by action (every S3 key, and the three global tag keys S3
// supports only on some actions), one bit each. Package policy names each
// bit's key and its type; [Action.Keys] is the set an action's row lists.
type KeySet uint64

// The per-action condition keys, one bit each, named by the comment after
// each. Keys the reference lists only for actions outside the table are
// left out.
const (
	KeyRequestTag                            KeySet = 1 << iota // aws:RequestTag/<key>
	KeyResourceTag                                              // aws:ResourceTag/<key>
	KeyTagKeys                                                  // aws:TagKeys
	KeyAccessGrantScope                                         // s3:AccessGrantScope
	KeyAccessGrantsInstanceARN                                  // s3:AccessGrantsInstanceArn
	KeyAccessGrantsLocationScope                                // s3:AccessGrantsLocationScope
	KeyAccessPointNetworkOrigin                                 // s3:AccessPointNetworkOrigin
	KeyAccessPointTag                                           // s3:AccessPointTag/<key>
	KeyAuthType                                                 // s3:authType
	KeyBucketTag                                                // s3:BucketTag/<key>
	KeyDataAccessPointAccount                                   // s3:DataAccessPointAccount
	KeyDataAccessPointARN                                       // s3:DataAccessPointArn
	KeyDelimiter                                                // s3:delimiter
	KeyDestinationRegion                                        // s3:destinationRegion
	KeyExistingJobOperation                                     // s3:ExistingJobOperation
	KeyExistingJobPriority                                      // s3:ExistingJobPriority
	KeyExistingObjectTag                                        // s3:ExistingObjectTag/<key>
	KeyIfMatch                                                  // s3:if-match
	KeyIfNoneMatch                                              // s3:if-none-match
	KeyInventoryAccessibleOptionalFields                        // s3:InventoryAccessibleOptionalFields
	KeyIsReplicationPauseRequest                                // s3:isReplicationPauseRequest
	KeyJobSuspendedCause                                        // s3:JobSuspendedCause
	KeyLocationConstraint                                       // s3:locationconstraint
	KeyMaxKeys                                                  // s3:max-keys
	KeyObjectLockLegalHold                                      // s3:object-lock-legal-hold
	KeyObjectLockMode                                           // s3:object-lock-mode
	KeyObjectLockRemainingRetentionDays                         // s3:object-lock-remaining-retention-days
	KeyObjectLockRetainUntilDate                                // s3:object-lock-retain-until-date
	KeyObjectCreationOperation                                  // s3:ObjectCreationOperation
	KeyPrefix                                                   // s3:prefix
	KeyRequestJobOperation                                      // s3:RequestJobOperation
	KeyRequestJobPriority                                       // s3:RequestJobPriority
	KeyRequestObjectTag                                         // s3:RequestObjectTag/<key>
	KeyRequestObjectTagKeys                                     // s3:RequestObjectTagKeys
	KeyResourceAccount                                          // s3:ResourceAccount
	KeySignatureAge                                             // s3:signatureAge
	KeySignatureVersion                                         // s3:signatureversion
	KeyTLSVersion                                               // s3:TlsVersion
	KeyVersionID                                                // s3:versionid
	KeyACL                                                      // s3:x-amz-acl
	KeyBucketNamespace                                          // s3:x-amz-bucket-namespace
	KeyContentSHA256                                            // s3:x-amz-content-sha256
	KeyCopySource                                               // s3:x-amz-copy-source
	KeyGrantFullControl                                         // s3:x-amz-grant-full-control
	KeyGrantRead                                                // s3:x-amz-grant-read
	KeyGrantReadACP                                             // s3:x-amz-grant-read-acp
	KeyGrantWrite                                               // s3:x-amz-grant-write
	KeyGrantWriteACP                                            // s3:x-amz-grant-write-acp
	KeyMetadataDirective                                        // s3:x-amz-metadata-directive
	KeyObjectAnnotationDirective                                // s3:x-amz-object-annotation-directive
	KeyObjectOwnership                                          // s3:x-amz-object-ownership
	KeyServerSideEncryption                                     // s3:x-amz-server-side-encryption
	KeyServerSideEncryptionKMSKeyID                             // s3:x-amz-server-side-encryption-aws-kms-key-id
	KeyServerSideEncryptionCustomerAlgorithm                    // s3:x-amz-server-side-encryption-customer-algorithm
	KeyStorageClass                                             // s3:x-amz-storage-class
	KeyWebsiteRedirectLocation                                  // s3:x-amz-website-redirect-location
)

// NumKeys is the number of per-action condition keys: the bits of a
// [KeySet] from KeyRequestTag to KeyWebsiteRedirectLocation.
const NumKeys = 56

// A KeySet holds at most 64 keys, and NumKeys counts them all; this fails
// to compile otherwise.
var (
	_ [64 - NumKeys]struct{}
	_ [KeyWebsiteRedirectLocation - 1<<(NumKeys-1)]struct{}
	_ [1<<(NumKeys-1) - KeyWebsiteRedirectLocation]struct{}
)

// The key groups that most rows list together.
const (
	// s3Common are the keys of nearly every S3 action: the resource
	// account and what the request's signature and transport say.
	s3Common = KeyResourceAccount | KeyTLSVersion | KeyAuthType | KeySignatureAge | KeySignatureVersion | KeyContentSHA256
	// accessPointKeys are the keys of actions that may go through an
	// access point.
	accessPointKeys = KeyDataAccessPointARN | KeyDataAccessPointAccount | KeyAccessPointNetworkOrigin
)

// Action is one row of the table: everything the module knows about one S3
// action. Rows are read through [At]; a copy may be kept and compared.
type Action struct {
	// Name is the canonical spelling of the action with its prefix, for
	// example "s3:GetObject".
	Name string
	// Resource is the kind of resource the action applies to.
	Resource Resource
	// Level is the action's access level in the Service Authorization
	// Reference (List, Read, Write, Permissions management, Tagging).
	Level Level
	// BucketACL is the permission that grants the action on a bucket ACL,
	// PermNone when no bucket ACL grant does (see OwnerGrantOnly).
	BucketACL Permission
	// ObjectACL is the permission that grants the action on an object ACL,
	// PermNone when no object ACL grant does.
	ObjectACL Permission
	// Traits are the action's special rules.
	Traits Trait
	// Keys are the per-action condition keys the action's row of the
	// Service Authorization Reference lists.
	Keys KeySet
}

// Has reports whether the action has every trait of t.
func (a Action) Has(t Trait) bool { return a.Traits&t == t }

// Count is the number of actions in the table.
const Count = len(table)

// At returns the action with index i, from 0 to Count-1; it panics for an
// index out of range, as indexing an array does.
func At(i int) Action { return table[i] }

// Lookup returns the index of the action called name, ignoring ASCII case,
// so that "S3:getobject" finds s3:GetObject. The name must carry the "s3:"
// prefix; any other name, and any name not in the table, yields (0, false).
// It is the one function that matches action names: every package resolves
// a name through it. It does not allocate and costs one hash of the name
// and, most of the time, one comparison.
func Lookup(name string) (int, bool) {
	if len(name) < minNameLen || len(name) > maxNameLen ||
		lowerASCII(name[0]) != 's' || name[1] != '3' || name[2] != ':' {
		return 0, false
	}
	h := foldHash(name)
	for i := uint32(0); i < slots; i++ {
		slot := index[(h+i)&(slots-1)]
		if slot == 0 {
			return 0, false
		}
		if a := &table[slot-1]; a.Name == name || equalFold(name, a.Name) {
			return int(slot - 1), true
		}
	}
	return 0, false
}

// minNameLen and maxNameLen bound the length of the table's names.
var minNameLen, maxNameLen = func() (lo, hi int) {
	lo = len(table[0].Name)
	for _, a := range table {
		lo, hi = min(lo, len(a.Name)), max(hi, len(a.Name))
	}
	return lo, hi
}()

// slots is the size of index, a power of two over twice the table so that
// probe runs stay short.
const slots = 512

// The index stays at most half full, and a slot's uint16 holds any
// index+1; this fails to compile past that.
var _ [slots/2 - Count]struct{}

// index is an open-addressing hash table over the table: slot
// foldHash(name) (or the next free one) holds the action's index+1, 0 when
// empty. It is computed once, from the constant table, and never modified.
var index = func() (t [slots]uint16) {
	for i := range table {
		h := foldHash(table[i].Name)
		for t[h&(slots-1)] != 0 {
			h++
		}
		t[h&(slots-1)] = uint16(i + 1)
	}
	return t
}()

// foldHash hashes a name of at least 11 bytes that starts with "s3:": its
// length and the eight bytes after the prefix and the last eight, each
// folded so that ASCII letters hash alike in either case (other bytes may
// collide, which the comparison after the lookup settles).
func foldHash(name string) uint32 {
	const fold = 0x2020202020202020
	n := len(name)
	a := load64(name[3:]) | fold
	b := load64(name[n-8:]) | fold
	h := a*0x9e3779b97f4a7c15 ^ b*0xc2b2ae3d27d4eb4f ^ uint64(n)
	return uint32(h>>32) ^ uint32(h)
}

// load64 reads the first eight bytes of s, little-endian.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// equalFold reports whether a and b are equal with ASCII letters folded to
// lower case.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// lowerASCII folds an ASCII upper-case letter to lower case and returns any
// other byte unchanged.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}
