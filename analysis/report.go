package analysis

import (
	"strconv"

	"github.com/s3authz/s3authz/ownership"
)

// AccessReport is the access review of one bucket: every principal outside
// the owner's account that the bucket's configuration lets reach it, and
// whether the bucket is public.
type AccessReport struct {
	// Bucket is the reviewed bucket's name; Owner its owner account.
	Bucket string
	Owner  ownership.AccountID
	// Findings are the accesses, sorted by source, then principal.
	Findings []AccessFinding
	// Public is true when some public finding is in effect: Public and not
	// BlockedBy anything.
	Public bool
	// PolicyPublic is S3's policy status of the bucket policy
	// (policy.Policy.IsPublic); nil when the bucket has no policy.
	PolicyPublic *bool
	// Effective is the Block Public Access in effect: the owner account's
	// setting OR the bucket's, flag by flag.
	Effective ownership.PublicAccessBlock
	// ACLsEnabled is false under Object Ownership BucketOwnerEnforced, when
	// no ACL grant gives access.
	ACLsEnabled bool
	// Notes say what the review saw but does not report as findings, such
	// as objects owned by another account under ObjectWriter.
	Notes []string
}

// AccessFinding is one principal's access to the bucket or its objects
// through one statement or ACL grant.
type AccessFinding struct {
	// Principal is who gets access: "*", "authenticated", "account:ID",
	// an IAM ARN as written, "canonical:ID", "service:NAME",
	// "federated:NAME" or "group:LogDelivery".
	Principal string
	// Actions are the granted action patterns as written, or the actions
	// an ACL permission maps to; Except the NotAction patterns removed
	// from them (Actions is then ["*"]).
	Actions []string
	Except  []string
	// Resources are the statement's Resource values as written, or the
	// bucket or object ARN of an ACL grant; NotResource statements list
	// "*" and name the excluded patterns in ExceptResources.
	Resources       []string
	ExceptResources []string
	// Conditions are the granting statement's conditions, then those of
	// every conditional Deny that overlaps the grant (marked Deny): the
	// grant holds only when its own conditions hold and the Deny's fail.
	Conditions []AccessCondition
	// ConditionKeys are the keys of Conditions, each once, in order.
	ConditionKeys []string
	// Levels are the access levels of the granted actions (List, Read,
	// Write, Permissions, Tagging), in that order, each once.
	Levels []Level
	// Public is S3's meaning: the statement is public
	// (policy.Statement.IsPublic), or the grantee is AllUsers or
	// AuthenticatedUsers.
	Public bool
	// BlockedBy is the Block Public Access flag that neutralises the
	// finding, BlockedNone when it is in effect.
	BlockedBy BPAFlag
	// Source is the statement or grant behind the finding.
	Source Source
}

// AccessCondition is one condition a finding depends on.
type AccessCondition struct {
	// Operator is the operator as written, with its set and IfExists
	// parts, e.g. "ForAnyValue:StringLike".
	Operator string
	Key      string
	Values   []string
	// Deny marks a condition of an overlapping conditional Deny: the
	// access holds only when it does not.
	Deny bool
	// Pointer is the condition key's JSON pointer in the bucket policy.
	Pointer string
}

// Level is an access level of the Service Authorization Reference, as IAM
// Access Analyzer reports it.
type Level uint8

// The access levels, in the order findings list them.
const (
	List Level = iota + 1
	Read
	Write
	Permissions
	Tagging
)

var levelNames = [...]string{"", "List", "Read", "Write", "Permissions", "Tagging"}

// String returns the level's name: "List", "Read", "Write", "Permissions"
// or "Tagging".
func (l Level) String() string {
	if l > 0 && int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "Level(" + strconv.Itoa(int(l)) + ")"
}

// MarshalText writes the level by name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// BPAFlag names the Block Public Access flag that neutralises a finding.
type BPAFlag uint8

const (
	// BlockedNone: the finding is in effect.
	BlockedNone BPAFlag = iota
	// IgnorePublicAcls neutralises ACL grants to AllUsers and
	// AuthenticatedUsers.
	IgnorePublicAcls
	// RestrictPublicBuckets neutralises every grant of a public bucket
	// policy except those to service principals.
	RestrictPublicBuckets
)

var bpaNames = [...]string{"", "IgnorePublicAcls", "RestrictPublicBuckets"}

// String returns the flag's name, "" for BlockedNone.
func (f BPAFlag) String() string {
	if int(f) < len(bpaNames) {
		return bpaNames[f]
	}
	return "BPAFlag(" + strconv.Itoa(int(f)) + ")"
}

// MarshalText writes the flag by name; BlockedNone is written as null by
// AccessFinding's JSON form.
func (f BPAFlag) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// SourceKind tells what a finding's Source is.
type SourceKind uint8

const (
	// SourceStatement is a statement of the bucket policy.
	SourceStatement SourceKind = iota + 1
	// SourceBucketACL is a grant of the bucket ACL.
	SourceBucketACL
	// SourceObjectACL is a grant of an object's ACL.
	SourceObjectACL
)

// Source is the statement or ACL grant behind a finding.
type Source struct {
	Kind SourceKind
	// Pointer and Sid name a statement: its JSON pointer in the bucket
	// policy, such as "/Statement/0", and its Sid ("" when absent).
	Pointer string
	Sid     string
	// Key is the object of an object ACL grant.
	Key string
	// Grant is the grant's 0-based index in its ACL, canned ACLs expanded
	// in the order of acl.Canned.
	Grant int
}

// String returns the source as the analysis corpus writes it:
// "statement /Statement/0", "bucket-acl grant 1" or
// "object-acl KEY grant 2".
func (s Source) String() string {
	switch s.Kind {
	case SourceStatement:
		return "statement " + s.Pointer
	case SourceBucketACL:
		return "bucket-acl grant " + strconv.Itoa(s.Grant)
	case SourceObjectACL:
		return "object-acl " + s.Key + " grant " + strconv.Itoa(s.Grant)
	}
	return "unknown source"
}

// MarshalText writes the source in its String form.
func (s Source) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
