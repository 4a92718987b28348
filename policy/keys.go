package policy

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/internal/ascii"
	"github.com/s3authz/s3authz/internal/s3actions"
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
	scope s3actions.KeySet
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

// keyDef is one row of the key catalog.
type keyDef struct {
	name  string
	typ   KeyType
	multi bool
	scope s3actions.KeySet
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

// scopedKeyDefs are the condition keys whose presence the Service
// Authorization Reference ("Actions, resources, and condition keys for
// Amazon S3") gives action by action, each with its bit in the action
// table's key sets (s3actions.KeySet) and the type the reference gives:
// every S3 key, and the three global tag keys S3 supports only on some
// actions (aws:RequestTag/<key>, aws:ResourceTag/<key>, aws:TagKeys). Keys
// the reference lists only for actions outside the catalog are left out.
var scopedKeyDefs = [...]keyDef{
	{"aws:RequestTag/<key>", KeyString, false, s3actions.KeyRequestTag},
	{"aws:ResourceTag/<key>", KeyString, false, s3actions.KeyResourceTag},
	{"aws:TagKeys", KeyString, true, s3actions.KeyTagKeys},
	{"s3:AccessGrantScope", KeyString, false, s3actions.KeyAccessGrantScope},
	{"s3:AccessGrantsInstanceArn", KeyARN, false, s3actions.KeyAccessGrantsInstanceARN},
	{"s3:AccessGrantsLocationScope", KeyString, false, s3actions.KeyAccessGrantsLocationScope},
	{"s3:AccessPointNetworkOrigin", KeyString, false, s3actions.KeyAccessPointNetworkOrigin},
	{"s3:AccessPointTag/<key>", KeyString, false, s3actions.KeyAccessPointTag},
	{"s3:authType", KeyString, false, s3actions.KeyAuthType},
	{"s3:BucketTag/<key>", KeyString, false, s3actions.KeyBucketTag},
	{"s3:DataAccessPointAccount", KeyString, false, s3actions.KeyDataAccessPointAccount},
	{"s3:DataAccessPointArn", KeyARN, false, s3actions.KeyDataAccessPointARN},
	{"s3:delimiter", KeyString, false, s3actions.KeyDelimiter},
	{"s3:destinationRegion", KeyString, false, s3actions.KeyDestinationRegion},
	{"s3:ExistingJobOperation", KeyString, false, s3actions.KeyExistingJobOperation},
	{"s3:ExistingJobPriority", KeyNumeric, false, s3actions.KeyExistingJobPriority},
	{"s3:ExistingObjectTag/<key>", KeyString, false, s3actions.KeyExistingObjectTag},
	{"s3:if-match", KeyString, false, s3actions.KeyIfMatch},
	{"s3:if-none-match", KeyString, false, s3actions.KeyIfNoneMatch},
	{"s3:InventoryAccessibleOptionalFields", KeyString, true, s3actions.KeyInventoryAccessibleOptionalFields},
	{"s3:isReplicationPauseRequest", KeyBool, false, s3actions.KeyIsReplicationPauseRequest},
	{"s3:JobSuspendedCause", KeyString, false, s3actions.KeyJobSuspendedCause},
	{"s3:locationconstraint", KeyString, false, s3actions.KeyLocationConstraint},
	{"s3:max-keys", KeyNumeric, false, s3actions.KeyMaxKeys},
	{"s3:object-lock-legal-hold", KeyString, false, s3actions.KeyObjectLockLegalHold},
	{"s3:object-lock-mode", KeyString, false, s3actions.KeyObjectLockMode},
	{"s3:object-lock-remaining-retention-days", KeyNumeric, false, s3actions.KeyObjectLockRemainingRetentionDays},
	{"s3:object-lock-retain-until-date", KeyDate, false, s3actions.KeyObjectLockRetainUntilDate},
	{"s3:ObjectCreationOperation", KeyBool, false, s3actions.KeyObjectCreationOperation},
	{"s3:prefix", KeyString, false, s3actions.KeyPrefix},
	{"s3:RequestJobOperation", KeyString, false, s3actions.KeyRequestJobOperation},
	{"s3:RequestJobPriority", KeyNumeric, false, s3actions.KeyRequestJobPriority},
	{"s3:RequestObjectTag/<key>", KeyString, false, s3actions.KeyRequestObjectTag},
	{"s3:RequestObjectTagKeys", KeyString, true, s3actions.KeyRequestObjectTagKeys},
	{"s3:ResourceAccount", KeyString, false, s3actions.KeyResourceAccount},
	{"s3:signatureAge", KeyNumeric, false, s3actions.KeySignatureAge},
	{"s3:signatureversion", KeyString, false, s3actions.KeySignatureVersion},
	{"s3:TlsVersion", KeyNumeric, false, s3actions.KeyTLSVersion},
	{"s3:versionid", KeyString, false, s3actions.KeyVersionID},
	{"s3:x-amz-acl", KeyString, false, s3actions.KeyACL},
	{"s3:x-amz-bucket-namespace", KeyString, false, s3actions.KeyBucketNamespace},
	{"s3:x-amz-content-sha256", KeyString, false, s3actions.KeyContentSHA256},
	{"s3:x-amz-copy-source", KeyString, false, s3actions.KeyCopySource},
	{"s3:x-amz-grant-full-control", KeyString, false, s3actions.KeyGrantFullControl},
	{"s3:x-amz-grant-read", KeyString, false, s3actions.KeyGrantRead},
	{"s3:x-amz-grant-read-acp", KeyString, false, s3actions.KeyGrantReadACP},
	{"s3:x-amz-grant-write", KeyString, false, s3actions.KeyGrantWrite},
	{"s3:x-amz-grant-write-acp", KeyString, false, s3actions.KeyGrantWriteACP},
	{"s3:x-amz-metadata-directive", KeyString, false, s3actions.KeyMetadataDirective},
	{"s3:x-amz-object-annotation-directive", KeyString, false, s3actions.KeyObjectAnnotationDirective},
	{"s3:x-amz-object-ownership", KeyString, false, s3actions.KeyObjectOwnership},
	{"s3:x-amz-server-side-encryption", KeyString, false, s3actions.KeyServerSideEncryption},
	{"s3:x-amz-server-side-encryption-aws-kms-key-id", KeyARN, false, s3actions.KeyServerSideEncryptionKMSKeyID},
	{"s3:x-amz-server-side-encryption-customer-algorithm", KeyString, false, s3actions.KeyServerSideEncryptionCustomerAlgorithm},
	{"s3:x-amz-storage-class", KeyString, false, s3actions.KeyStorageClass},
	{"s3:x-amz-website-redirect-location", KeyString, false, s3actions.KeyWebsiteRedirectLocation},
}

// Each of the table's per-action keys (s3actions.NumKeys) has one row of
// scopedKeyDefs; this fails to compile otherwise.
var (
	_ [len(scopedKeyDefs) - s3actions.NumKeys]struct{}
	_ [s3actions.NumKeys - len(scopedKeyDefs)]struct{}
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
	return a.Name != "" && a.Index >= 0 && a.Index < NumActions && s3actions.At(a.Index).Keys&k.scope != 0
}
