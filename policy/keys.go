package policy

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/internal/ascii"
)

// KeyType is the type of a condition key, which decides the operators that
// may test it. The zero value, KeyUnknown, is a key outside the catalog: it
// is read as a string and any operator may test it.
type KeyType uint8

const (
	// KeyUnknown is a key the catalog does not know.
	KeyUnknown KeyType = iota
	// KeyString takes the String operators.
	KeyString
	// KeyARN takes the Arn and the String operators.
	KeyARN
	// KeyNumeric takes the Numeric operators.
	KeyNumeric
	// KeyDate takes the Date operators.
	KeyDate
	// KeyDateOrNumeric takes the Date and the Numeric operators
	// (aws:EpochTime).
	KeyDateOrNumeric
	// KeyBool takes Bool and the String operators.
	KeyBool
	// KeyIP takes IpAddress and NotIpAddress.
	KeyIP
)

var keyTypeNames = [...]string{"unknown", "String", "ARN", "Numeric", "Date", "Date or Numeric", "Bool", "IP address"}

// String names the type: "String", "ARN", "IP address", ...
func (t KeyType) String() string {
	if int(t) < len(keyTypeNames) {
		return keyTypeNames[t]
	}
	return "KeyType(" + strconv.Itoa(int(t)) + ")"
}

// Accepts reports whether a key of type t may be tested by operator op.
// Null tests any key, and any operator tests a key outside the catalog.
// BinaryEquals tests no key of the catalog: none is binary.
func (t KeyType) Accepts(op Operator) bool {
	if op == Null || t == KeyUnknown {
		return true
	}
	switch {
	case op >= StringEquals && op <= StringNotLike:
		return t == KeyString || t == KeyARN || t == KeyBool
	case op >= ArnEquals && op <= ArnNotLike:
		return t == KeyARN
	case op >= NumericEquals && op <= NumericGreaterThanEquals:
		return t == KeyNumeric || t == KeyDateOrNumeric
	case op >= DateEquals && op <= DateGreaterThanEquals:
		return t == KeyDate || t == KeyDateOrNumeric
	case op == Bool:
		return t == KeyBool
	case op == IpAddress || op == NotIpAddress:
		return t == KeyIP
	}
	return false
}

// KeyInfo describes a condition key of the catalog. The zero KeyInfo is an
// unknown key, in the context of every action.
type KeyInfo struct {
	// Name is the key's documented spelling; a tag family ends in "/<key>",
	// as in "s3:ExistingObjectTag/<key>".
	Name string
	// Type decides the operators that may test the key.
	Type KeyType
	// Multi is set for multivalued keys (aws:TagKeys), the ones the set
	// qualifiers ForAllValues and ForAnyValue are meant for.
	Multi bool
	// scope is the key's bit among the keys the reference gives action by
	// action, 0 for a key in the context of every action.
	scope keySet
}

// Global reports whether the key is a global (aws:) key rather than an S3
// (s3:) key.
func (k KeyInfo) Global() bool { return strings.HasPrefix(k.Name, "aws:") }

// PerAction reports whether the key is in the request context only of the
// actions whose row of the Service Authorization Reference lists it: every
// S3 key, and aws:RequestTag/<key>, aws:ResourceTag/<key> and aws:TagKeys.
// Any other global key is in the context of every action whenever the
// request has a value for it.
func (k KeyInfo) PerAction() bool { return k.scope != 0 }

// keySet is a set of S3 condition keys, one bit each: the keys an action's
// row in the Service Authorization Reference lists.
type keySet uint64

// keyDef is one row of the key catalog.
type keyDef struct {
	name  string
	typ   KeyType
	multi bool
	scope keySet
}

// globalKeyDefs are the global condition keys AWS documents for S3
// requests ("AWS global condition context keys", IAM User Guide) that are
// in the context of every action; the tag keys S3 supports action by
// action are among scopedKeyDefs.
var globalKeyDefs = [...]keyDef{
	{"aws:CalledVia", KeyString, true, 0},
	{"aws:CalledViaFirst", KeyString, false, 0},
	{"aws:CalledViaLast", KeyString, false, 0},
	{"aws:CurrentTime", KeyDate, false, 0},
	{"aws:EpochTime", KeyDateOrNumeric, false, 0},
	{"aws:MultiFactorAuthAge", KeyNumeric, false, 0},
	{"aws:MultiFactorAuthPresent", KeyBool, false, 0},
	{"aws:PrincipalAccount", KeyString, false, 0},
	{"aws:PrincipalArn", KeyARN, false, 0},
	{"aws:PrincipalIsAWSService", KeyBool, false, 0},
	{"aws:PrincipalOrgID", KeyString, false, 0},
	{"aws:PrincipalOrgPaths", KeyString, true, 0},
	{"aws:PrincipalServiceName", KeyString, false, 0},
	{"aws:PrincipalServiceNamesList", KeyString, true, 0},
	{"aws:PrincipalTag/<key>", KeyString, false, 0},
	{"aws:PrincipalType", KeyString, false, 0},
	{"aws:Referer", KeyString, false, 0},
	{"aws:RequestedRegion", KeyString, false, 0},
	{"aws:ResourceAccount", KeyString, false, 0},
	{"aws:ResourceOrgID", KeyString, false, 0},
	{"aws:ResourceOrgPaths", KeyString, true, 0},
	{"aws:SecureTransport", KeyBool, false, 0},
	{"aws:SourceAccount", KeyString, false, 0},
	{"aws:SourceArn", KeyARN, false, 0},
	{"aws:SourceIp", KeyIP, false, 0},
	{"aws:SourceOwner", KeyString, false, 0},
	{"aws:SourceVpc", KeyString, false, 0},
	{"aws:SourceVpce", KeyString, false, 0},
	{"aws:TokenIssueTime", KeyDate, false, 0},
	{"aws:UserAgent", KeyString, false, 0},
	{"aws:userid", KeyString, false, 0},
	{"aws:username", KeyString, false, 0},
	{"aws:ViaAWSService", KeyBool, false, 0},
	{"aws:VpcSourceIp", KeyIP, false, 0},
}

// The condition keys whose presence the Service Authorization Reference
// ("Actions, resources, and condition keys for Amazon S3") gives action by
// action, one bit each, and their catalog rows with the type the reference
// gives: every S3 key, and the three global tag keys S3 supports only on
// some actions (aws:RequestTag/<key>, aws:ResourceTag/<key>, aws:TagKeys).
// Keys the reference lists only for actions outside the catalog are left
// out.
const (
	kRequestTag                            keySet = 1 << iota // aws:RequestTag/<key>
	kResourceTag                                              // aws:ResourceTag/<key>
	kTagKeys                                                  // aws:TagKeys
	kAccessGrantScope                                         // s3:AccessGrantScope
	kAccessGrantsInstanceARN                                  // s3:AccessGrantsInstanceArn
	kAccessGrantsLocationScope                                // s3:AccessGrantsLocationScope
	kAccessPointNetworkOrigin                                 // s3:AccessPointNetworkOrigin
	kAccessPointTag                                           // s3:AccessPointTag/<key>
	kAuthType                                                 // s3:authType
	kBucketTag                                                // s3:BucketTag/<key>
	kDataAccessPointAccount                                   // s3:DataAccessPointAccount
	kDataAccessPointARN                                       // s3:DataAccessPointArn
	kDelimiter                                                // s3:delimiter
	kDestinationRegion                                        // s3:destinationRegion
	kExistingJobOperation                                     // s3:ExistingJobOperation
	kExistingJobPriority                                      // s3:ExistingJobPriority
	kExistingObjectTag                                        // s3:ExistingObjectTag/<key>
	kIfMatch                                                  // s3:if-match
	kIfNoneMatch                                              // s3:if-none-match
	kInventoryAccessibleOptionalFields                        // s3:InventoryAccessibleOptionalFields
	kIsReplicationPauseRequest                                // s3:isReplicationPauseRequest
	kJobSuspendedCause                                        // s3:JobSuspendedCause
	kLocationConstraint                                       // s3:locationconstraint
	kMaxKeys                                                  // s3:max-keys
	kObjectLockLegalHold                                      // s3:object-lock-legal-hold
	kObjectLockMode                                           // s3:object-lock-mode
	kObjectLockRemainingRetentionDays                         // s3:object-lock-remaining-retention-days
	kObjectLockRetainUntilDate                                // s3:object-lock-retain-until-date
	kObjectCreationOperation                                  // s3:ObjectCreationOperation
	kPrefix                                                   // s3:prefix
	kRequestJobOperation                                      // s3:RequestJobOperation
	kRequestJobPriority                                       // s3:RequestJobPriority
	kRequestObjectTag                                         // s3:RequestObjectTag/<key>
	kRequestObjectTagKeys                                     // s3:RequestObjectTagKeys
	kResourceAccount                                          // s3:ResourceAccount
	kSignatureAge                                             // s3:signatureAge
	kSignatureVersion                                         // s3:signatureversion
	kTLSVersion                                               // s3:TlsVersion
	kVersionID                                                // s3:versionid
	kACL                                                      // s3:x-amz-acl
	kBucketNamespace                                          // s3:x-amz-bucket-namespace
	kContentSHA256                                            // s3:x-amz-content-sha256
	kCopySource                                               // s3:x-amz-copy-source
	kGrantFullControl                                         // s3:x-amz-grant-full-control
	kGrantRead                                                // s3:x-amz-grant-read
	kGrantReadACP                                             // s3:x-amz-grant-read-acp
	kGrantWrite                                               // s3:x-amz-grant-write
	kGrantWriteACP                                            // s3:x-amz-grant-write-acp
	kMetadataDirective                                        // s3:x-amz-metadata-directive
	kObjectAnnotationDirective                                // s3:x-amz-object-annotation-directive
	kObjectOwnership                                          // s3:x-amz-object-ownership
	kServerSideEncryption                                     // s3:x-amz-server-side-encryption
	kServerSideEncryptionKMSKeyID                             // s3:x-amz-server-side-encryption-aws-kms-key-id
	kServerSideEncryptionCustomerAlgorithm                    // s3:x-amz-server-side-encryption-customer-algorithm
	kStorageClass                                             // s3:x-amz-storage-class
	kWebsiteRedirectLocation                                  // s3:x-amz-website-redirect-location
)

var scopedKeyDefs = [...]keyDef{
	{"aws:RequestTag/<key>", KeyString, false, kRequestTag},
	{"aws:ResourceTag/<key>", KeyString, false, kResourceTag},
	{"aws:TagKeys", KeyString, true, kTagKeys},
	{"s3:AccessGrantScope", KeyString, false, kAccessGrantScope},
	{"s3:AccessGrantsInstanceArn", KeyARN, false, kAccessGrantsInstanceARN},
	{"s3:AccessGrantsLocationScope", KeyString, false, kAccessGrantsLocationScope},
	{"s3:AccessPointNetworkOrigin", KeyString, false, kAccessPointNetworkOrigin},
	{"s3:AccessPointTag/<key>", KeyString, false, kAccessPointTag},
	{"s3:authType", KeyString, false, kAuthType},
	{"s3:BucketTag/<key>", KeyString, false, kBucketTag},
	{"s3:DataAccessPointAccount", KeyString, false, kDataAccessPointAccount},
	{"s3:DataAccessPointArn", KeyARN, false, kDataAccessPointARN},
	{"s3:delimiter", KeyString, false, kDelimiter},
	{"s3:destinationRegion", KeyString, false, kDestinationRegion},
	{"s3:ExistingJobOperation", KeyString, false, kExistingJobOperation},
	{"s3:ExistingJobPriority", KeyNumeric, false, kExistingJobPriority},
	{"s3:ExistingObjectTag/<key>", KeyString, false, kExistingObjectTag},
	{"s3:if-match", KeyString, false, kIfMatch},
	{"s3:if-none-match", KeyString, false, kIfNoneMatch},
	{"s3:InventoryAccessibleOptionalFields", KeyString, true, kInventoryAccessibleOptionalFields},
	{"s3:isReplicationPauseRequest", KeyBool, false, kIsReplicationPauseRequest},
	{"s3:JobSuspendedCause", KeyString, false, kJobSuspendedCause},
	{"s3:locationconstraint", KeyString, false, kLocationConstraint},
	{"s3:max-keys", KeyNumeric, false, kMaxKeys},
	{"s3:object-lock-legal-hold", KeyString, false, kObjectLockLegalHold},
	{"s3:object-lock-mode", KeyString, false, kObjectLockMode},
	{"s3:object-lock-remaining-retention-days", KeyNumeric, false, kObjectLockRemainingRetentionDays},
	{"s3:object-lock-retain-until-date", KeyDate, false, kObjectLockRetainUntilDate},
	{"s3:ObjectCreationOperation", KeyBool, false, kObjectCreationOperation},
	{"s3:prefix", KeyString, false, kPrefix},
	{"s3:RequestJobOperation", KeyString, false, kRequestJobOperation},
	{"s3:RequestJobPriority", KeyNumeric, false, kRequestJobPriority},
	{"s3:RequestObjectTag/<key>", KeyString, false, kRequestObjectTag},
	{"s3:RequestObjectTagKeys", KeyString, true, kRequestObjectTagKeys},
	{"s3:ResourceAccount", KeyString, false, kResourceAccount},
	{"s3:signatureAge", KeyNumeric, false, kSignatureAge},
	{"s3:signatureversion", KeyString, false, kSignatureVersion},
	{"s3:TlsVersion", KeyNumeric, false, kTLSVersion},
	{"s3:versionid", KeyString, false, kVersionID},
	{"s3:x-amz-acl", KeyString, false, kACL},
	{"s3:x-amz-bucket-namespace", KeyString, false, kBucketNamespace},
	{"s3:x-amz-content-sha256", KeyString, false, kContentSHA256},
	{"s3:x-amz-copy-source", KeyString, false, kCopySource},
	{"s3:x-amz-grant-full-control", KeyString, false, kGrantFullControl},
	{"s3:x-amz-grant-read", KeyString, false, kGrantRead},
	{"s3:x-amz-grant-read-acp", KeyString, false, kGrantReadACP},
	{"s3:x-amz-grant-write", KeyString, false, kGrantWrite},
	{"s3:x-amz-grant-write-acp", KeyString, false, kGrantWriteACP},
	{"s3:x-amz-metadata-directive", KeyString, false, kMetadataDirective},
	{"s3:x-amz-object-annotation-directive", KeyString, false, kObjectAnnotationDirective},
	{"s3:x-amz-object-ownership", KeyString, false, kObjectOwnership},
	{"s3:x-amz-server-side-encryption", KeyString, false, kServerSideEncryption},
	{"s3:x-amz-server-side-encryption-aws-kms-key-id", KeyARN, false, kServerSideEncryptionKMSKeyID},
	{"s3:x-amz-server-side-encryption-customer-algorithm", KeyString, false, kServerSideEncryptionCustomerAlgorithm},
	{"s3:x-amz-storage-class", KeyString, false, kStorageClass},
	{"s3:x-amz-website-redirect-location", KeyString, false, kWebsiteRedirectLocation},
}

// A keySet holds at most 64 keys; this fails to compile past that.
var _ [64 - len(scopedKeyDefs)]struct{}

// The key groups that most rows list together.
const (
	// s3Common are the keys of nearly every S3 action: the resource
	// account and what the request's signature and transport say.
	s3Common = kResourceAccount | kTLSVersion | kAuthType | kSignatureAge | kSignatureVersion | kContentSHA256
	// accessPointKeys are the keys of actions that may go through an
	// access point.
	accessPointKeys = kDataAccessPointARN | kDataAccessPointAccount | kAccessPointNetworkOrigin
)

// keyCatalog maps a lowercase key name to its row; a tag family is stored
// under its prefix with the slash ("s3:existingobjecttag/"). It is built
// once from the constant tables and never modified.
var keyCatalog = func() map[string]KeyInfo {
	m := make(map[string]KeyInfo, len(globalKeyDefs)+len(scopedKeyDefs))
	for _, defs := range [...][]keyDef{globalKeyDefs[:], scopedKeyDefs[:]} {
		for _, d := range defs {
			m[ascii.Lower(strings.TrimSuffix(d.name, "<key>"))] = KeyInfo{Name: d.name, Type: d.typ, Multi: d.multi, scope: d.scope}
		}
	}
	return m
}()

// LookupConditionKey returns what the catalog knows of a condition key:
// every global (aws:) key AWS documents for S3 requests and every S3 (s3:)
// key of the Service Authorization Reference, matched without regard to
// case, tag keys (aws:PrincipalTag/<key> and the like) included. It does
// not allocate.
func LookupConditionKey(name string) (KeyInfo, bool) {
	var buf [64]byte
	if len(name) > len(buf) {
		// Longer than any key name but a tag key: only the family
		// prefix matters then.
		i := strings.IndexByte(name, '/')
		if i <= 0 || i+1 > len(buf) || i == len(name)-1 {
			return KeyInfo{}, false
		}
		return lookupLower(appendLower(buf[:0], name[:i+1]), true)
	}
	return lookupLower(appendLower(buf[:0], name), false)
}

// lookupLower looks up a lowercase name; tagged says the name is a tag
// family prefix already cut at its slash, with a tag key after it.
func lookupLower(lower []byte, tagged bool) (KeyInfo, bool) {
	if !tagged {
		if info, ok := keyCatalog[string(lower)]; ok && lower[len(lower)-1] != '/' {
			return info, true
		}
		i := bytes.IndexByte(lower, '/')
		if i <= 0 || i == len(lower)-1 {
			return KeyInfo{}, false
		}
		lower = lower[:i+1]
	}
	if info, ok := keyCatalog[string(lower)]; ok && strings.HasSuffix(info.Name, "/<key>") {
		return info, true
	}
	return KeyInfo{}, false
}

func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = append(b, lowerASCII(s[i]))
	}
	return b
}

// ConditionKeys returns the catalog's condition keys in name order,
// ignoring case: the global keys, then the S3 keys. The caller owns the
// returned slice.
func ConditionKeys() []KeyInfo {
	out := make([]KeyInfo, 0, len(globalKeyDefs)+len(scopedKeyDefs))
	for _, defs := range [...][]keyDef{globalKeyDefs[:], scopedKeyDefs[:]} {
		for _, d := range defs {
			out = append(out, KeyInfo{Name: d.name, Type: d.typ, Multi: d.multi, scope: d.scope})
		}
	}
	slices.SortFunc(out, func(a, b KeyInfo) int { return compareFold(a.Name, b.Name) })
	return out
}

// HasConditionKey reports whether the key called name is in the request
// context of action a: a global (aws:) key but the per-action tag keys
// ([KeyInfo.PerAction]), and the per-action keys that a's row of the
// Service Authorization Reference lists. S3 puts no other s3: key in the
// context, so a condition on one finds it absent: for example
// s3:ExistingObjectTag/<key> is in the context of s3:GetObject and
// s3:PutObjectTagging but not of s3:PutObject or s3:DeleteObject, which is
// why tags cannot guard overwrites and deletes ("Tagging and access control
// policies", Amazon S3 User Guide); aws:RequestTag/<key> is in the context
// of s3:CreateBucket and s3:TagResource but not of s3:PutObject, whose
// tags are s3:RequestObjectTag/<key>. An s3: key outside the catalog is in
// no action's context; a key of any other service, and a global key
// outside the catalog, is left to the caller. It does not allocate.
func (a ActionInfo) HasConditionKey(name string) bool {
	info, ok := LookupConditionKey(name)
	if !ok {
		return len(name) < 3 || lowerASCII(name[0]) != 's' || name[1] != '3' || name[2] != ':'
	}
	return a.Supports(info)
}

// Supports reports whether key k is in the request context of action a, as
// HasConditionKey does for a key looked up already: a per-action key when
// a's row lists it, any other key always, the zero KeyInfo (an unknown
// key) included.
func (a ActionInfo) Supports(k KeyInfo) bool {
	if k.scope == 0 {
		return true
	}
	return a.Name != "" && a.Index >= 0 && a.Index < NumActions && actionTable[a.Index].keys&k.scope != 0
}
