package ownership

import (
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/internal/ids"
)

// PrincipalType is the kind of caller a [Principal] is. The zero value,
// PrincipalUnknown, is never valid: the zero Principal has it, and every
// condition key derived from it is absent.
type PrincipalType uint8

const (
	// PrincipalUnknown is the zero PrincipalType: no caller.
	PrincipalUnknown PrincipalType = iota
	// PrincipalAnonymous is the caller of an unsigned request.
	PrincipalAnonymous
	// PrincipalRoot is an account's root user, arn:aws:iam::ACCT:root: the
	// account itself.
	PrincipalRoot
	// PrincipalUser is an IAM user, arn:aws:iam::ACCT:user/PATH/NAME.
	PrincipalUser
	// PrincipalAssumedRole is an IAM role session,
	// arn:aws:sts::ACCT:assumed-role/ROLE/SESSION, whether the role was
	// assumed with AssumeRole, with a web identity or SAML, or by a service
	// such as EC2 or Lambda.
	PrincipalAssumedRole
	// PrincipalFederatedUser is an STS federated-user session from
	// GetFederationToken, arn:aws:sts::ACCT:federated-user/NAME.
	PrincipalFederatedUser
	// PrincipalService is an AWS service principal calling on its own
	// behalf, such as "logging.s3.amazonaws.com".
	PrincipalService
)

var principalTypeNames = [...]string{
	PrincipalUnknown:       "Unknown",
	PrincipalAnonymous:     "Anonymous",
	PrincipalRoot:          "Root",
	PrincipalUser:          "User",
	PrincipalAssumedRole:   "AssumedRole",
	PrincipalFederatedUser: "FederatedUser",
	PrincipalService:       "Service",
}

// String returns the Go name of the type without its prefix: "Unknown",
// "Anonymous", "Root", "User", "AssumedRole", "FederatedUser" or "Service",
// and "PrincipalType(N)" for other values. It is not the aws:PrincipalType
// value; [Principal.ConditionKey] gives that.
func (t PrincipalType) String() string {
	if int(t) < len(principalTypeNames) {
		return principalTypeNames[t]
	}
	return "PrincipalType(" + strconv.Itoa(int(t)) + ")"
}

// awsPrincipalTypes are the aws:PrincipalType values; "" means absent.
var awsPrincipalTypes = [...]string{
	PrincipalAnonymous:     "Anonymous",
	PrincipalRoot:          "Account",
	PrincipalUser:          "User",
	PrincipalAssumedRole:   "AssumedRole",
	PrincipalFederatedUser: "FederatedUser",
	PrincipalService:       "",
}

// Limits of the names in a caller ARN, from the IAM and STS APIs.
const (
	// maxNameLen bounds IAM user and role names and role session names.
	maxNameLen = 64
	// maxFederatedNameLen bounds GetFederationToken names (2 to 32).
	maxFederatedNameLen = 32
	// maxPathLen bounds IAM paths.
	maxPathLen = 512
	// maxHostLen bounds a service principal's host name.
	maxHostLen = 253
)

// anonymousValue is the value of aws:PrincipalAccount and aws:userid for
// anonymous callers.
const anonymousValue = "anonymous"

// Principal is the caller of a request, parsed once by [ParsePrincipal]
// (or made by [Anonymous] or [ServicePrincipal]) so that the global
// condition keys derived from it cost nothing per request.
//
// A Principal is an immutable value: its fields are unexported, the With
// methods return modified copies, and every derived string is computed at
// construction, so the accessors never allocate. Principals are comparable
// with ==; two principals parsed from the same ARN are equal. The zero
// Principal has type [PrincipalUnknown]; every key derived from it is
// absent.
type Principal struct {
	typ       PrincipalType
	account   AccountID
	partition string
	arn       string
	name      string
	path      string
	session   string
	service   string
	uniqueID  string
	// Precomputed condition-key values.
	principalARN string // aws:PrincipalArn, "" when absent
	userID       string // aws:userid, "" when absent
}

// ParsePrincipal parses the ARN of a signed request's caller:
//
//	arn:PARTITION:iam::ACCOUNT:root
//	arn:PARTITION:iam::ACCOUNT:user/NAME
//	arn:PARTITION:iam::ACCOUNT:user/PATH/NAME
//	arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
//	arn:PARTITION:sts::ACCOUNT:federated-user/NAME
//
// PARTITION is "aws" or "aws-..." (aws-cn, aws-us-gov, ...), ACCOUNT is 12
// digits and the region is empty. User, role and federated-user names take
// ASCII letters, digits and "+=,.@_-": users and roles 1 to 64 characters,
// federated users 2 to 32 (GetFederationToken's bounds). A session name
// takes the same characters, 1 to 64 (AWS's API asks for 2, but a Lambda
// function's session is named after the function, which may have one). A
// path is "/"-separated non-empty segments of printable ASCII other than
// '/', 512 bytes at most with its slashes.
//
// A role ARN (arn:aws:iam::ACCOUNT:role/NAME) names a role, not a caller:
// a caller is one session of the role, so ParsePrincipal rejects it and
// asks for the assumed-role ARN. Every error is an [*Error] wrapping
// [ErrInvalidPrincipal].
func ParsePrincipal(arn string) (Principal, error) {
	a, ok := ids.SplitARN(arn)
	if !ok {
		return Principal{}, errv("", ErrInvalidPrincipal, arn, "want an ARN such as \"arn:aws:iam::111122223333:user/alice\"")
	}
	if !ids.IsPartition(a.Partition) {
		return Principal{}, errv("", ErrInvalidPrincipal, arn, "unknown partition %q: want \"aws\" or \"aws-...\"", a.Partition)
	}
	if a.Region != "" {
		return Principal{}, errv("", ErrInvalidPrincipal, arn, "IAM and STS ARNs have an empty region")
	}
	if !ids.IsAccountID(a.Account) {
		return Principal{}, errv("", ErrInvalidPrincipal, arn, "want a 12-digit account ID")
	}
	p := Principal{account: AccountID(a.Account), partition: a.Partition, arn: arn}
	switch a.Service {
	case "iam":
		switch {
		case a.Resource == "root":
			p.typ = PrincipalRoot
			p.principalARN = arn
			p.userID = a.Account
			return p, nil
		case strings.HasPrefix(a.Resource, "user/"):
			path, name, err := splitPathName(arn, a.Resource[len("user/"):], "user")
			if err != nil {
				return Principal{}, err
			}
			p.typ = PrincipalUser
			p.path, p.name = path, name
			p.principalARN = arn
			return p, nil
		case strings.HasPrefix(a.Resource, "role/"):
			return Principal{}, errv("", ErrInvalidPrincipal, arn,
				"a role ARN names a role, not a caller; a caller is a role session: arn:%s:sts::%s:assumed-role/ROLE/SESSION",
				a.Partition, a.Account)
		}
		return Principal{}, errv("", ErrInvalidPrincipal, arn, "an IAM caller is \"root\" or \"user/[PATH/]NAME\"")
	case "sts":
		if rest, ok := strings.CutPrefix(a.Resource, "assumed-role/"); ok {
			role, session, ok := strings.Cut(rest, "/")
			if !ok || !isIAMName(role, 1, maxNameLen) || !isIAMName(session, 1, maxNameLen) {
				return Principal{}, errv("", ErrInvalidPrincipal, arn,
					"want \"assumed-role/ROLE/SESSION\": a role name of 1 to 64 and a session name of 1 to 64 letters, digits or \"+=,.@_-\"")
			}
			p.typ = PrincipalAssumedRole
			p.name, p.session = role, session
			p.principalARN = roleARN(p.partition, p.account, "/", role)
			return p, nil
		}
		if name, ok := strings.CutPrefix(a.Resource, "federated-user/"); ok {
			if !isIAMName(name, 2, maxFederatedNameLen) {
				return Principal{}, errv("", ErrInvalidPrincipal, arn,
					"want \"federated-user/NAME\": a name of 2 to 32 letters, digits or \"+=,.@_-\"")
			}
			p.typ = PrincipalFederatedUser
			p.name = name
			p.principalARN = arn
			p.userID = a.Account + ":" + name
			return p, nil
		}
		return Principal{}, errv("", ErrInvalidPrincipal, arn, "an STS caller is \"assumed-role/ROLE/SESSION\" or \"federated-user/NAME\"")
	}
	return Principal{}, errv("", ErrInvalidPrincipal, arn, "a caller ARN is an iam or sts ARN, not %q", a.Service)
}

// MustParsePrincipal is like [ParsePrincipal] but panics on error. It is
// for tests and fixtures with hard-coded input.
func MustParsePrincipal(arn string) Principal {
	p, err := ParsePrincipal(arn)
	if err != nil {
		panic(err)
	}
	return p
}

// Anonymous returns the caller of an unsigned request.
func Anonymous() Principal {
	return Principal{typ: PrincipalAnonymous, userID: anonymousValue}
}

// ServicePrincipal returns an AWS service principal calling on its own
// behalf. name is its host name: lower-case ASCII letters, digits, '-' and
// '.', with at least one dot, no empty label, 253 bytes at most, such as
// "logging.s3.amazonaws.com" or "cloudtrail.amazonaws.com". Errors are
// [*Error] values wrapping [ErrInvalidPrincipal].
func ServicePrincipal(name string) (Principal, error) {
	if !isHostName(name) {
		return Principal{}, errv("", ErrInvalidPrincipal, name, "want a service host name such as \"logging.s3.amazonaws.com\"")
	}
	return Principal{typ: PrincipalService, service: name}, nil
}

// WithUniqueID returns a copy of p carrying the IAM unique ID of its user
// (AIDA...) or role (AROA...), which the host knows and an ARN does not
// say; aws:userid needs it (see [Principal.ConditionKey]). It returns an [*Error]
// wrapping [ErrInvalidUniqueID] when id is not a unique ID of the right
// kind, and wrapping [ErrInvalidPrincipal] when p is not an IAM user or role
// session.
func (p Principal) WithUniqueID(id string) (Principal, error) {
	var prefix string
	switch p.typ {
	case PrincipalUser:
		prefix = "AIDA"
	case PrincipalAssumedRole:
		prefix = "AROA"
	default:
		return Principal{}, errv("id", ErrInvalidPrincipal, id, "only IAM users and role sessions have unique IDs, not a %s principal", p.typ)
	}
	if !ids.IsUniqueID(id) || !strings.HasPrefix(id, prefix) {
		return Principal{}, errv("id", ErrInvalidUniqueID, id, "want %s followed by at least 12 upper-case letters or digits", prefix)
	}
	p.uniqueID = id
	if p.typ == PrincipalUser {
		p.userID = id
	} else {
		p.userID = id + ":" + p.session
	}
	return p, nil
}

// WithRolePath returns a copy of a role-session principal whose role has
// the IAM path path ("/" or "/SEGMENT/.../"), so that aws:PrincipalArn is
// the role's full ARN, arn:aws:iam::ACCT:role/PATH/ROLE. A session ARN
// omits the role's path, so [ParsePrincipal] assumes "/"; a host whose
// roles have other paths must say so, or conditions on aws:PrincipalArn
// will not match them. It returns an [*Error] wrapping
// [ErrInvalidPrincipal] when p is not a role session or path is malformed.
func (p Principal) WithRolePath(path string) (Principal, error) {
	if p.typ != PrincipalAssumedRole {
		return Principal{}, errv("path", ErrInvalidPrincipal, path, "only role sessions have a role path, not a %s principal", p.typ)
	}
	if !isIAMPath(path) {
		return Principal{}, errv("path", ErrInvalidPrincipal, path, "want \"/\" or \"/SEGMENT/.../\" of printable ASCII, at most %d bytes", maxPathLen)
	}
	p.path = path
	p.principalARN = roleARN(p.partition, p.account, path, p.name)
	return p, nil
}

// Type returns the kind of caller.
func (p Principal) Type() PrincipalType { return p.typ }

// IsValid reports whether p is a caller, that is not the zero Principal.
func (p Principal) IsValid() bool { return p.typ != PrincipalUnknown }

// Account returns the account the caller belongs to, its parent account:
// the root user's own account, or the account of the IAM user, role or
// federated user. That account owns what the caller creates. It is "" for
// anonymous and service callers, which have none.
func (p Principal) Account() AccountID { return p.account }

// Partition returns the ARN's partition, such as "aws", or "" for anonymous
// and service callers.
func (p Principal) Partition() string { return p.partition }

// ARN returns the ARN p was parsed from, exactly as given; "" for anonymous
// and service callers.
func (p Principal) ARN() string { return p.arn }

// Name returns the IAM user name, the role name of a role session, or the
// federated user's name; "" for others.
func (p Principal) Name() string { return p.name }

// Path returns the IAM path of a user ("/" when the ARN has none, or
// "/division/team/"), or the role path set by [Principal.WithRolePath] for
// a role session; "" when there is none or it is unknown.
func (p Principal) Path() string { return p.path }

// Session returns a role session's name; "" for others.
func (p Principal) Session() string { return p.session }

// Service returns a service principal's host name; "" for others.
func (p Principal) Service() string { return p.service }

// UniqueID returns the IAM unique ID set by [Principal.WithUniqueID], or "".
func (p Principal) UniqueID() string { return p.uniqueID }

// String returns the ARN, "anonymous", the service name, or "invalid" for
// the zero Principal.
func (p Principal) String() string {
	switch p.typ {
	case PrincipalUnknown:
		return "invalid"
	case PrincipalAnonymous:
		return anonymousValue
	case PrincipalService:
		return p.service
	}
	return p.arn
}

// IsAnonymous reports whether p is the anonymous caller.
func (p Principal) IsAnonymous() bool { return p.typ == PrincipalAnonymous }

// IsRoot reports whether p is an account's root user.
func (p Principal) IsRoot() bool { return p.typ == PrincipalRoot }

// IsService reports whether p is an AWS service principal (the value of
// aws:PrincipalIsAWSService for signed requests).
func (p Principal) IsService() bool { return p.typ == PrincipalService }

// Condition keys ConditionKey answers, as IAM spells them.
const (
	keyPrincipalArn          = "aws:PrincipalArn"
	keyPrincipalAccount      = "aws:PrincipalAccount"
	keyPrincipalType         = "aws:PrincipalType"
	keyUsername              = "aws:username"
	keyUserID                = "aws:userid"
	keyPrincipalIsAWSService = "aws:PrincipalIsAWSService"
)

// ConditionKey returns the value of a global condition key derived from
// the caller, and whether the request context has it. name is matched
// without regard to ASCII case, as IAM matches condition key names. The
// keys, and their values by kind of caller, are those of the table in the
// package documentation:
//
//   - aws:PrincipalArn: the user's ARN; for a role session the ARN of the
//     role, arn:PARTITION:iam::ACCT:role/ROLE (with the path "/" unless
//     [Principal.WithRolePath] set another, since a session ARN does not
//     carry it), not the session ARN that [Principal.ARN] returns; the
//     federated user's sts ARN; the root ARN for the root user. Absent for
//     anonymous callers (AWS documents this) and for service principals:
//     AWS gives them aws:PrincipalServiceName instead, and a policy names
//     them with "Service", never by ARN.
//   - aws:PrincipalAccount: the parent account's ID ([Principal.Account]),
//     or "anonymous" for an anonymous caller. Absent for service
//     principals, which belong to no customer account.
//   - aws:PrincipalType: "Account" for a root user, "User", "AssumedRole",
//     "FederatedUser" or "Anonymous". Absent for service principals, for
//     which AWS documents no value.
//   - aws:username: the friendly name of an IAM user; absent for every
//     other caller.
//   - aws:userid: the account ID for a root user; the unique ID (AIDA...)
//     for an IAM user; "ROLEID:SESSION" (AROA...:name) for a role session;
//     "ACCOUNT:NAME" for a federated user; "anonymous" for an anonymous
//     caller. For users and role sessions it is absent until the host
//     supplies the unique ID with [Principal.WithUniqueID]; absent for
//     service principals.
//   - aws:PrincipalIsAWSService: "true" for a service principal, "false"
//     for the other signed callers; absent for anonymous callers.
//
// Any other name, and every key of the zero Principal, reports false.
// ConditionKey never allocates: the values are computed when p is built.
func (p Principal) ConditionKey(name string) (value string, ok bool) {
	if p.typ == PrincipalUnknown {
		return "", false
	}
	// The six names have six lengths (the compiler refuses duplicate
	// constant cases), so one comparison finds the key.
	switch len(name) {
	case len(keyPrincipalArn):
		if strings.EqualFold(name, keyPrincipalArn) {
			return p.principalARN, p.principalARN != ""
		}
	case len(keyPrincipalAccount):
		if strings.EqualFold(name, keyPrincipalAccount) {
			if p.typ == PrincipalAnonymous {
				return anonymousValue, true
			}
			return string(p.account), p.account != ""
		}
	case len(keyPrincipalType):
		if strings.EqualFold(name, keyPrincipalType) && int(p.typ) < len(awsPrincipalTypes) {
			v := awsPrincipalTypes[p.typ]
			return v, v != ""
		}
	case len(keyUsername):
		if strings.EqualFold(name, keyUsername) && p.typ == PrincipalUser {
			return p.name, true
		}
	case len(keyUserID):
		if strings.EqualFold(name, keyUserID) {
			return p.userID, p.userID != ""
		}
	case len(keyPrincipalIsAWSService):
		if strings.EqualFold(name, keyPrincipalIsAWSService) {
			switch p.typ {
			case PrincipalService:
				return "true", true
			case PrincipalAnonymous:
				return "", false
			}
			return "false", true
		}
	}
	return "", false
}

// roleARN builds arn:PARTITION:iam::ACCOUNT:role/PATH/NAME from a path that
// starts and ends with '/'.
func roleARN(partition string, account AccountID, path, name string) string {
	return "arn:" + partition + ":iam::" + string(account) + ":role" + path + name
}

// splitPathName splits the part after "user/" into an IAM path and a name.
func splitPathName(arn, rest, kind string) (path, name string, err error) {
	i := strings.LastIndexByte(rest, '/')
	path, name = "/", rest
	if i >= 0 {
		path, name = "/"+rest[:i+1], rest[i+1:]
	}
	if !isIAMName(name, 1, maxNameLen) {
		return "", "", errv("", ErrInvalidPrincipal, arn, "want a %s name of 1 to 64 letters, digits or \"+=,.@_-\"", kind)
	}
	if !isIAMPath(path) {
		return "", "", errv("", ErrInvalidPrincipal, arn, "want a path of non-empty segments of printable ASCII, at most %d bytes", maxPathLen)
	}
	return path, name, nil
}

// isIAMName reports whether s has min to max characters from IAM's name
// set: ASCII letters and digits and "+=,.@_-".
func isIAMName(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || strings.IndexByte("+=,.@_-", c) >= 0) {
			return false
		}
	}
	return true
}

// isIAMPath reports whether s is "/" or "/" + segments + "/" where each
// segment is non-empty printable ASCII (U+0021 to U+007E) other than '/'.
// IAM itself allows empty segments; package policy does not accept them in
// principal ARNs, and neither do we.
func isIAMPath(s string) bool {
	if len(s) == 0 || len(s) > maxPathLen || s[0] != '/' || s[len(s)-1] != '/' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '/' && s[i-1] == '/' {
			return false
		}
	}
	return true
}

// isHostName accepts lower-case DNS names with at least one dot, no empty
// label and at most maxHostLen bytes.
func isHostName(s string) bool {
	if len(s) > maxHostLen || !strings.Contains(s, ".") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// OwnerOf returns who owns what p creates under the [ObjectWriter] rule:
// the parent account for root users, IAM users, role sessions and
// federated users (resources belong to accounts, never to IAM
// identities); the anonymous owner for an anonymous caller; and the zero,
// invalid [Owner] for service principals and the zero Principal, for which
// the host must decide.
func OwnerOf(p Principal) Owner {
	switch p.typ {
	case PrincipalAnonymous:
		return AnonymousOwner()
	case PrincipalRoot, PrincipalUser, PrincipalAssumedRole, PrincipalFederatedUser:
		return AccountOwner(p.account)
	}
	return Owner{}
}
