// Package ids checks the identifier shapes that several packages read:
// AWS account IDs, S3 canonical user IDs, IAM unique IDs, partitions and
// ARNs. It only classifies strings; it resolves nothing.
package ids

import "strings"

// AnonymousCanonicalID is the canonical user ID S3 gives the anonymous user.
const AnonymousCanonicalID = "65a011a29cdf8ec533ec3d1ccaae921c"

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsCanonicalID reports whether s is an S3 canonical user ID: 64 lowercase
// hexadecimal digits. The anonymous user's shorter ID is not one; callers
// that accept it check AnonymousCanonicalID themselves.
func IsCanonicalID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// IsUniqueID reports whether s is the unique ID of an IAM user (AIDA...) or
// role (AROA...): the prefix and at least 12 more uppercase letters or
// digits, 128 characters at most.
func IsUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 || !(strings.HasPrefix(s, "AIDA") || strings.HasPrefix(s, "AROA")) {
		return false
	}
	for i := 4; i < len(s); i++ {
		if !('A' <= s[i] && s[i] <= 'Z' || '0' <= s[i] && s[i] <= '9') {
			return false
		}
	}
	return true
}

// IsPartition accepts "aws" and the "aws-..." partitions: aws-cn,
// aws-us-gov, aws-iso and the like.
func IsPartition(s string) bool {
	if s == "aws" {
		return true
	}
	rest, ok := strings.CutPrefix(s, "aws-")
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if !('a' <= rest[i] && rest[i] <= 'z' || '0' <= rest[i] && rest[i] <= '9' || rest[i] == '-') {
			return false
		}
	}
	return true
}

// ARN is an ARN split at its first five colons. The resource part may hold
// more colons.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// SplitARN splits s, which must start with "arn:" and have at least five
// more colons. It checks nothing else.
func SplitARN(s string) (ARN, bool) {
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 || f[0] != "arn" {
		return ARN{}, false
	}
	return ARN{Partition: f[1], Service: f[2], Region: f[3], Account: f[4], Resource: f[5]}, true
}
