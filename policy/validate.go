package policy

import (
	"strings"

	"github.com/s3authz/s3authz/internal/ids"
)

// This file holds the checks of single values: principals, actions,
// resources and keys. Each returns nil or an error wrapping one sentinel.

// checkAWSPrincipal validates one entry of {"AWS": ...}.
func checkAWSPrincipal(v string) error {
	if v == "*" {
		return nil
	}
	if strings.ContainsAny(v, "*?") {
		return errv(ErrInvalidPrincipal, v, "wildcards are allowed only as the whole value \"*\"")
	}
	if ids.IsAccountID(v) || ids.IsUniqueID(v) {
		return nil
	}
	partition, service, account, res, ok := splitPrincipalARN(v)
	if !ok || !ids.IsPartition(partition) || !ids.IsAccountID(account) {
		return errv(ErrInvalidPrincipal, v, "want an account ID, an IAM or STS ARN, or \"*\"")
	}
	switch service {
	case "iam":
		if res == "root" || pathName(res, "user/") || pathName(res, "role/") {
			return nil
		}
	case "sts":
		if r, ok := strings.CutPrefix(res, "assumed-role/"); ok {
			role, session, ok := strings.Cut(r, "/")
			if ok && role != "" && session != "" && !strings.Contains(session, "/") {
				return nil
			}
		}
		if n, ok := strings.CutPrefix(res, "federated-user/"); ok && n != "" && !strings.Contains(n, "/") {
			return nil
		}
	}
	return errv(ErrInvalidPrincipal, v, "want a root, user, role, assumed-role or federated-user ARN")
}

// splitPrincipalARN splits arn:PARTITION:SERVICE::ACCOUNT:RESOURCE; IAM and
// STS ARNs have an empty region.
func splitPrincipalARN(v string) (partition, service, account, res string, ok bool) {
	a, ok := ids.SplitARN(v)
	if !ok || a.Region != "" {
		return "", "", "", "", false
	}
	return a.Partition, a.Service, a.Account, a.Resource, true
}

// pathName reports whether res is kind followed by an optional path and a
// non-empty name: "user/alice", "user/division/team/alice".
func pathName(res, kind string) bool {
	rest, ok := strings.CutPrefix(res, kind)
	if !ok || rest == "" || strings.HasSuffix(rest, "/") || strings.HasPrefix(rest, "/") {
		return false
	}
	return !strings.Contains(rest, "//")
}

func checkCanonicalUser(v string) error {
	if !ids.IsCanonicalID(v) {
		return errv(ErrInvalidPrincipal, v, "want 64 lowercase hexadecimal digits")
	}
	return nil
}

// isHostName accepts lowercase DNS names with at least one dot.
func isHostName(v string) bool {
	if !strings.Contains(v, ".") || strings.HasPrefix(v, ".") || strings.HasSuffix(v, ".") || strings.Contains(v, "..") {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func checkService(v string) error {
	if !isHostName(v) {
		return errv(ErrInvalidPrincipal, v, "want a service host name such as \"logging.s3.amazonaws.com\"")
	}
	return nil
}

func checkFederated(v string) error {
	if isHostName(v) {
		return nil
	}
	partition, service, account, res, ok := splitPrincipalARN(v)
	if ok && service == "iam" && ids.IsPartition(partition) && ids.IsAccountID(account) && !strings.ContainsAny(v, "*?") {
		if n, ok := strings.CutPrefix(res, "saml-provider/"); ok && n != "" {
			return nil
		}
		if n, ok := strings.CutPrefix(res, "oidc-provider/"); ok && n != "" {
			return nil
		}
	}
	return errv(ErrInvalidPrincipal, v, "want an identity provider host name or a SAML or OIDC provider ARN")
}

// checkAction validates "*" or "service:Name", where the service prefix is
// ASCII letters, digits and '-', and the name ASCII letters, digits and the
// wildcards '*' and '?'. In a bucket policy the service must be s3.
func checkAction(v string, kind Kind) error {
	if v == "*" {
		return nil
	}
	prefix, name, ok := strings.Cut(v, ":")
	if !ok || prefix == "" || name == "" {
		return errv(ErrInvalidAction, v, "want \"service:Action\" or \"*\"")
	}
	for i := 0; i < len(prefix); i++ {
		if !isAlnum(prefix[i]) && prefix[i] != '-' {
			return errv(ErrInvalidAction, v, "the service prefix takes letters, digits and '-' only")
		}
	}
	for i := 0; i < len(name); i++ {
		if !isAlnum(name[i]) && name[i] != '*' && name[i] != '?' {
			return errv(ErrInvalidAction, v, "the action name takes letters, digits, '*' and '?' only")
		}
	}
	if kind == Bucket && !strings.EqualFold(prefix, "s3") {
		return errv(ErrInvalidAction, v, "a bucket policy takes s3 actions only")
	}
	return nil
}

// checkResource validates "*" or an ARN, arn:PARTITION:SERVICE:REGION:
// ACCOUNT:RESOURCE, with wildcards allowed anywhere but in the service. In a
// bucket policy the service must be s3 and the resource part cannot start
// with '/'. With vars set (Version 2012-10-17), policy variables may appear
// only in the resource part.
func checkResource(v string, kind Kind, vars bool) error {
	if v == "*" {
		return nil
	}
	f := strings.SplitN(v, ":", 6)
	if len(f) != 6 || f[0] != "arn" {
		return errv(ErrInvalidResource, v, "want an ARN or \"*\"")
	}
	head := len(v) - len(f[5])
	if vars && strings.Contains(v[:head], "${") {
		return errv(ErrInvalidVariable, v, "policy variables are allowed only after the fifth colon of an ARN")
	}
	partition, service, region, account, res := f[1], f[2], f[3], f[4], f[5]
	if partition == "" || !segmentChars(partition, true) {
		return errv(ErrInvalidResource, v, "invalid partition")
	}
	if service == "" || !segmentChars(service, false) {
		return errv(ErrInvalidResource, v, "invalid service: letters, digits and '-' only, no wildcards")
	}
	if !segmentChars(region, true) || !segmentChars(account, true) {
		return errv(ErrInvalidResource, v, "invalid region or account")
	}
	if res == "" {
		return errv(ErrInvalidResource, v, "empty resource part")
	}
	if kind == Bucket {
		if service != "s3" {
			return errv(ErrInvalidResource, v, "a bucket policy takes s3 resources only")
		}
		if strings.HasPrefix(res, "/") {
			return errv(ErrInvalidResource, v, "the resource part cannot start with '/'")
		}
	}
	return nil
}

func segmentChars(s string, wild bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' {
			continue
		}
		if wild && (c == '*' || c == '?') {
			continue
		}
		return false
	}
	return true
}

// checkSid validates a Sid: in identity policies IAM allows only ASCII
// letters and digits; bucket policies allow any text.
func checkSid(v string, kind Kind) error {
	if kind != Identity {
		return nil
	}
	for i := 0; i < len(v); i++ {
		if !isAlnum(v[i]) {
			return errv(ErrInvalidValue, v, "a Sid of an identity policy takes ASCII letters and digits only")
		}
	}
	return nil
}
