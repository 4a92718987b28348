// Package ids checks the identifier shapes that several packages read:
// AWS account IDs, S3 canonical user IDs, DevPay product codes, IAM unique
// IDs, partitions and ARNs. It only classifies strings; it resolves
// nothing.
//
// It also defines the identifier types themselves, [AccountID],
// [CanonicalID] and [ProductCode], once: packages ownership, acl and devpay
// import none of each other, and each exports these types under its own
// name as aliases, so that one value flows between them without
// conversions.
package ids

import (
	"strconv"
	"strings"
)

// AccountID is a 12-digit AWS account ID, such as "111122223333".
type AccountID string

// IsValid reports whether a is 12 ASCII digits.
func (a AccountID) IsValid() bool { return IsAccountID(string(a)) }

// CanonicalID is an S3 canonical user ID: 64 lowercase hexadecimal digits,
// or [AnonymousCanonicalID].
type CanonicalID string

// AnonymousCanonicalID is the canonical user ID S3 gives the anonymous user.
const AnonymousCanonicalID CanonicalID = "65a011a29cdf8ec533ec3d1ccaae921c"

// IsValid reports whether c is 64 lowercase hexadecimal digits or exactly
// [AnonymousCanonicalID].
func (c CanonicalID) IsValid() bool {
	return c == AnonymousCanonicalID || IsCanonicalID(string(c))
}

// IsAnonymous reports whether c is [AnonymousCanonicalID].
func (c CanonicalID) IsAnonymous() bool { return c == AnonymousCanonicalID }

// ProductCode is a DevPay product code, such as "6883959E".
type ProductCode string

// MaxProductCodeLen is the longest product code, in bytes.
const MaxProductCodeLen = 64

// IsValid reports whether c is a well-formed product code:
// [ProductCodeProblem] finds nothing wrong with it.
func (c ProductCode) IsValid() bool { return ProductCodeProblem(string(c)) == "" }

// ProductCodeProblem explains what is wrong with a product code, "" if
// nothing: it has 1 to [MaxProductCodeLen] characters, each an ASCII
// letter, digit, '-', '_' or '.'.
func ProductCodeProblem(s string) string {
	if s == "" {
		return "empty"
	}
	if len(s) > MaxProductCodeLen {
		return "longer than " + strconv.Itoa(MaxProductCodeLen) + " bytes"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return "want ASCII letters, digits, '-', '_' and '.'"
		}
	}
	return ""
}

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
