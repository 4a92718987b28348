package policy

import (
	"strings"

	"github.com/s3authz/s3authz/internal/condval"
)

// This file decides whether a bucket policy is "public" in the sense of
// Amazon S3 Block Public Access, as the S3 User Guide's page "Blocking public
// access to your Amazon S3 storage" defines it. BlockPublicPolicy refuses to
// store a public policy, and RestrictPublicBuckets limits what a stored
// public policy grants to AWS service principals and the bucket owner's
// account.
//
// S3 starts from "public" and has to prove "non-public": a policy is
// non-public only if every Allow statement restricts access to fixed values
// (no wildcard and no policy variable) of a principal or of one of a short
// list of condition keys. Anything this code cannot prove restricted counts
// as public, so a doubtful policy is refused rather than let through.
//
// Choices where the guide is silent, or where other AWS wording differs:
//
//   - The SDK and API references add that only statements granting "bad
//     actions" (s3:Get*, s3:List*, s3:Put*, s3:Delete*, ...) can make a
//     policy public. That is not applied: every Allow statement counts,
//     whatever its actions, NotAction or resources, because the analysis
//     also has to cover actions that wildcards will match in the future.
//   - A statement with NotPrincipal grants everyone not listed, so its
//     principal restricts nothing; like "*", it is public unless one of its
//     conditions restricts it. A Federated principal is public (the guide's
//     example is {"Federated": "graph.facebook.com"}), and so is a Principal
//     object any of whose entries is public, since entries are alternatives.
//   - A statement with neither Principal nor NotPrincipal is an identity
//     policy statement: it grants only the identity the policy is attached
//     to and is never public.
//   - A condition restricts only when it is a positive test that needs the
//     key to be present: no negated operator, no ...IfExists, no
//     ForAnyValue or ForAllValues qualifier, no Null. The operators that
//     restrict are StringEquals, StringEqualsIgnoreCase, StringLike,
//     ArnEquals and ArnLike (IpAddress for aws:SourceIp), and every listed
//     value has to match exactly one string: no '*' or '?' where the
//     operator reads them as wildcards, and no policy variable. A '*' in a
//     StringEquals value is literal text, so it is a fixed value.
//   - aws:SourceIp restricts only under IpAddress, and only when every
//     listed block is a valid CIDR (or bare address) no broader than /8 for
//     IPv4 or /32 for IPv6. The RFC 1918 private ranges the guide exempts
//     (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) are all /8 or narrower, so
//     the /8 rule already accepts every block inside them. A block that does
//     not parse counts as public. When a condition lists several blocks, one
//     broad block makes it public.
//   - The keys beyond the guide's list are aws:PrincipalAccount and
//     aws:PrincipalArn: a fixed account or principal restricts as a fixed
//     Principal does. Other keys (aws:SourceOrgID, aws:PrincipalOrgPaths,
//     aws:VpcSourceIp, ...) do not restrict.

// IsPublic reports whether the policy is public in the sense of S3 Block
// Public Access: some Allow statement is not restricted to fixed values of
// its principal or of a condition key that S3 accepts as a restriction. See
// Statement.IsPublic for the rules. Deny statements never make a policy
// public, and neither does a nil policy. IsPublic does not allocate, except
// as Statement.IsPublic says.
func (p *Policy) IsPublic() bool {
	if p == nil {
		return false
	}
	for i := range p.Statements {
		if p.Statements[i].IsPublic() {
			return true
		}
	}
	return false
}

// IsPublic reports whether this statement makes a policy public (only Allow
// statements can). An Allow statement is non-public when its Principal names
// only fixed principals — AWS accounts, users and roles (any AWS entry but
// "*"), canonical users or service principals — or when one of its
// conditions restricts the request to fixed values of one of these keys:
//
//	aws:SourceIp (IpAddress; blocks no broader than /8 IPv4 or /32 IPv6)
//	aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner,
//	aws:SourceAccount, aws:PrincipalOrgID, aws:PrincipalAccount,
//	aws:PrincipalArn, s3:x-amz-server-side-encryption-aws-kms-key-id,
//	s3:DataAccessPointAccount
//	aws:userid (a value ending in ":*", any session of a role, is public)
//	s3:DataAccessPointArn (the access point name may hold wildcards when
//	the partition, region and account are fixed)
//
// Principal "*" or {"AWS": "*"}, a Federated principal and NotPrincipal
// restrict nothing by themselves. Keys match case-insensitively. IsPublic
// does not allocate, except for the error value net/netip builds for an
// aws:SourceIp value that is not an address or CIDR block (which counts as
// public).
func (s *Statement) IsPublic() bool {
	if s.Effect != Allow {
		return false
	}
	switch {
	case s.Principal != nil:
		if s.Principal.fixed() {
			return false
		}
	case s.NotPrincipal == nil:
		return false // an identity policy statement
	}
	for i := range s.Conditions {
		if s.Conditions[i].restrictsPublic() {
			return false
		}
	}
	return true
}

// fixed reports whether every entry names one specific principal, so that
// the element is a restriction to fixed values.
func (p *Principals) fixed() bool {
	if p.All || len(p.Federated) > 0 {
		return false
	}
	if len(p.AWS) == 0 && len(p.CanonicalUser) == 0 && len(p.Service) == 0 {
		return false
	}
	for _, list := range [...][]string{p.AWS, p.CanonicalUser, p.Service} {
		for _, e := range list {
			if e == "" || strings.ContainsAny(e, "*?") || strings.Contains(e, "${") {
				return false
			}
		}
	}
	return true
}

// publicKeyKind is how a condition key can restrict a statement.
type publicKeyKind uint8

const (
	publicKeyNone        publicKeyKind = iota
	publicKeyString                    // fixed string or ARN values
	publicKeySourceIP                  // narrow CIDR blocks
	publicKeyUserID                    // fixed, and not "ROLEID:*"
	publicKeyAccessPoint               // access point ARNs of a fixed account
)

// publicKeys are the condition keys whose fixed values make a statement
// non-public.
var publicKeys = [...]struct {
	name string
	kind publicKeyKind
}{
	{"aws:SourceIp", publicKeySourceIP},
	{"aws:SourceArn", publicKeyString},
	{"aws:SourceVpc", publicKeyString},
	{"aws:SourceVpce", publicKeyString},
	{"aws:SourceOwner", publicKeyString},
	{"aws:SourceAccount", publicKeyString},
	{"aws:PrincipalOrgID", publicKeyString},
	{"aws:PrincipalAccount", publicKeyString},
	{"aws:PrincipalArn", publicKeyString},
	{"s3:x-amz-server-side-encryption-aws-kms-key-id", publicKeyString},
	{"s3:DataAccessPointAccount", publicKeyString},
	{"aws:userid", publicKeyUserID},
	{"s3:DataAccessPointArn", publicKeyAccessPoint},
}

func publicKeyKindOf(key string) publicKeyKind {
	for i := range publicKeys {
		if strings.EqualFold(key, publicKeys[i].name) {
			return publicKeys[i].kind
		}
	}
	return publicKeyNone
}

// restrictsPublic reports whether the condition limits the request to fixed
// values of a key S3 accepts as a restriction.
func (c *Condition) restrictsPublic() bool {
	if c.IfExists || c.Set != SetNone || len(c.Values) == 0 {
		return false
	}
	kind := publicKeyKindOf(c.Key)
	switch kind {
	case publicKeyNone:
		return false
	case publicKeySourceIP:
		if c.Operator != IpAddress {
			return false
		}
		for i := range c.Values {
			if !narrowCIDR(c.Values[i].Text) {
				return false
			}
		}
		return true
	}
	switch c.Operator {
	case StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals, ArnLike:
	default:
		return false
	}
	for i := range c.Values {
		v := &c.Values[i]
		if _, exact := v.Pattern.g().Exact(); exact {
			if kind == publicKeyUserID && strings.HasSuffix(v.Text, ":*") {
				return false
			}
			continue
		}
		if kind == publicKeyAccessPoint && !v.Pattern.HasVars() && fixedAccessPointAccount(v.Text) {
			continue
		}
		return false
	}
	return true
}

// fixedAccessPointAccount reports whether arn, written with wildcards, names
// access points of one account: arn:partition:service:region:account:
// without wildcards, then "accesspoint/" and the name, which may hold them.
func fixedAccessPointAccount(arn string) bool {
	rest := arn
	for i := 0; i < 5; i++ {
		field, after, ok := strings.Cut(rest, ":")
		if !ok || strings.ContainsAny(field, "*?") {
			return false
		}
		switch i {
		case 0:
			if field != "arn" {
				return false
			}
		case 4:
			if field == "" {
				return false
			}
		}
		rest = after
	}
	name, ok := strings.CutPrefix(rest, "accesspoint/")
	return ok && name != ""
}

// narrowCIDR reports whether s is a CIDR block, or a bare address, no
// broader than /8 (IPv4) or /32 (IPv6), read as evaluation reads it; a
// bare address is a single host. A value that does not read, such as one
// with a zone, is not narrow: Parse refuses it, but a policy built by hand
// may hold one.
func narrowCIDR(s string) bool {
	p, ok := condval.CIDR(s)
	if !ok {
		return false
	}
	if p.Addr().Is4() {
		return p.Bits() >= 8
	}
	return p.Bits() >= 32
}
