package policy

import (
	"fmt"
	"strconv"
)

// Kind is the kind of policy a document is parsed as. The zero Kind is
// invalid: Parse rejects it.
type Kind uint8

const (
	// Bucket is an S3 bucket policy, a resource-based policy: every statement
	// names a Principal or NotPrincipal, actions are S3 actions and resources
	// are S3 ARNs.
	Bucket Kind = iota + 1
	// Identity is an IAM identity-based policy: attached to a user, group or
	// role, or used as a permissions boundary or session policy. Statements
	// must not name a Principal or NotPrincipal.
	Identity
)

// String returns "bucket" or "identity".
func (k Kind) String() string {
	switch k {
	case Bucket:
		return "bucket"
	case Identity:
		return "identity"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Version is the policy language version. The zero Version means the
// document has no Version element, which AWS reads as 2008-10-17.
type Version uint8

const (
	// VersionNone is an absent Version element: 2008-10-17 semantics.
	VersionNone Version = iota
	// Version2008 is "2008-10-17": policy variables are literal text.
	Version2008
	// Version2012 is "2012-10-17": policy variables are substituted.
	Version2012
)

// String returns the version as written in a policy, or "" for VersionNone.
func (v Version) String() string {
	switch v {
	case VersionNone:
		return ""
	case Version2008:
		return "2008-10-17"
	case Version2012:
		return "2012-10-17"
	}
	return "Version(" + strconv.Itoa(int(v)) + ")"
}

// Effect is a statement's effect. The zero Effect is invalid; Parse always
// sets one.
type Effect uint8

const (
	// Allow grants the matched requests.
	Allow Effect = iota + 1
	// Deny refuses the matched requests, overriding any Allow.
	Deny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Effect(" + strconv.Itoa(int(e)) + ")"
}

// Policy is a parsed policy document. Parse builds it; nothing modifies it
// afterwards, so it is safe for concurrent use. Treat the slices as read-only.
type Policy struct {
	Kind Kind
	// Version is the Version element; VersionNone when absent.
	Version Version
	// ID is the Id element, "" when absent.
	ID string
	// Statements are in document order; a Statement written as a single
	// object gives one.
	Statements []Statement
}

// Statement is one statement of a policy.
type Statement struct {
	// Sid is the statement's Sid, "" when absent.
	Sid    string
	Effect Effect
	// Principal and NotPrincipal are nil when the element is absent. At most
	// one of them is set; in a Bucket policy exactly one is.
	Principal    *Principals
	NotPrincipal *Principals
	// Exactly one of Action and NotAction is non-nil and non-empty.
	Action    []Pattern
	NotAction []Pattern
	// Exactly one of Resource and NotResource is non-nil and non-empty.
	Resource    []Pattern
	NotResource []Pattern
	// Conditions are in document order: operator blocks, then keys within
	// each block. Empty when the statement has no Condition.
	Conditions []Condition
	// Pointer is the statement's RFC 6901 JSON pointer, e.g. "/Statement/2"
	// (or "/Statement" when Statement is a single object).
	Pointer string
	// Offset is the byte offset of the statement in the parsed input.
	Offset int
}

// Principals is the value of a Principal or NotPrincipal element. Several
// entries are alternatives (logical OR).
type Principals struct {
	// All is set for the bare string "*".
	All bool
	// AWS lists account IDs, account, user and role ARNs, assumed-role and
	// federated-user session ARNs, unique IDs of deleted users and roles, or
	// the single entry "*" (everyone, as All).
	AWS []string
	// CanonicalUser lists S3 canonical user IDs (64 lowercase hex digits).
	CanonicalUser []string
	// Service lists AWS service principals, e.g. "logging.s3.amazonaws.com".
	Service []string
	// Federated lists identity providers: host names such as
	// "accounts.google.com", or SAML or OIDC provider ARNs.
	Federated []string
}

type principalType uint8

const (
	principalAWS principalType = iota
	principalCanonicalUser
	principalService
	principalFederated
)

var principalTypeNames = [...]string{"AWS", "CanonicalUser", "Service", "Federated"}

func (p *Principals) list(t principalType) *[]string {
	switch t {
	case principalAWS:
		return &p.AWS
	case principalCanonicalUser:
		return &p.CanonicalUser
	case principalService:
		return &p.Service
	default:
		return &p.Federated
	}
}

// Everyone reports whether the element names every caller, anonymous ones
// included: "*" or {"AWS": "*"}.
func (p *Principals) Everyone() bool {
	return p.All || (len(p.AWS) == 1 && p.AWS[0] == "*")
}

// Parser parses policies with limits. The zero Parser is ready to use and
// applies the Default* limits; a field set to a positive value replaces its
// default. A Parser holds no state between calls and is safe for concurrent
// use.
type Parser struct {
	// MaxBytes caps the document size. Zero means DefaultMaxBytesBucket for
	// Bucket policies and DefaultMaxBytesIdentity for Identity policies.
	MaxBytes int
	// MaxDepth caps the nesting of objects and arrays. Zero means
	// DefaultMaxDepth.
	MaxDepth int
	// MaxStatements caps the number of statements. Zero means
	// DefaultMaxStatements.
	MaxStatements int
	// MaxValues caps the number of JSON values (every string, number,
	// boolean, null, object and array). Zero means DefaultMaxValues.
	MaxValues int
}

// Default limits of the zero Parser.
const (
	// DefaultMaxBytesBucket is S3's bucket policy size limit, 20 KiB.
	DefaultMaxBytesBucket = 20 << 10
	// DefaultMaxBytesIdentity is 64 KiB: above every IAM policy quota
	// (the largest is 10,240 characters without white space) even when the
	// document is indented.
	DefaultMaxBytesIdentity = 64 << 10
	// DefaultMaxDepth is well above the 6 levels the grammar uses.
	DefaultMaxDepth = 16
	// DefaultMaxStatements bounds the statements of one document.
	DefaultMaxStatements = 1000
	// DefaultMaxValues bounds the JSON values of one document.
	DefaultMaxValues = 20000
)

func (ps Parser) limits(kind Kind) Parser {
	l := ps
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytesBucket
		if kind == Identity {
			l.MaxBytes = DefaultMaxBytesIdentity
		}
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxStatements <= 0 {
		l.MaxStatements = DefaultMaxStatements
	}
	if l.MaxValues <= 0 {
		l.MaxValues = DefaultMaxValues
	}
	return l
}

// Parse parses data as a policy of the given kind with the zero Parser's
// limits. See Parser.Parse.
func Parse(kind Kind, data []byte) (*Policy, error) {
	return Parser{}.Parse(kind, data)
}

// MustParse is like Parse but panics on error. It is intended for tests and
// fixtures with hard-coded policies.
func MustParse(kind Kind, s string) *Policy {
	p, err := Parse(kind, []byte(s))
	if err != nil {
		panic(fmt.Sprintf("policy.MustParse: %v", err))
	}
	return p
}
