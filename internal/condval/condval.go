// Package condval reads the typed values of IAM conditions: numbers, dates,
// booleans, base64, IP addresses and CIDR blocks, and ARNs. It is the one
// reader of those forms. Package policy reads the values a policy lists with
// it, so that Parse refuses what evaluation could not read, and package
// evaluate reads the policy values with it once at Prepare and the request's
// values at every evaluation, so a value written in a policy and the same
// text sent in a request are read alike.
//
// The readers never panic and take time linear in their input. Number,
// Bool, SplitARN and SplitARNTemplate never allocate; the others may (a
// time zone, an error from the standard library, the decoded bytes).
package condval

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Number reads an integer or decimal: an optional sign, digits, and an
// optional fraction, as a float64. Exponents, infinities, NaN, hexadecimal,
// underscores and values beyond the float64 range are refused.
func Number(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 || i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// MaxEpochSeconds is the largest epoch-seconds date Date reads: 2^40, in
// the year 36812.
const MaxEpochSeconds = 1 << 40

// dateLayouts are the W3C profile of ISO 8601 that AWS accepts.
// The full timestamp comes first among the time forms: it is how requests
// carry aws:CurrentTime, and a layout that fails costs an allocation. (Go
// reads fractional seconds with it too.)
var dateLayouts = [...]string{
	"2006", "2006-01", "2006-01-02",
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04Z07:00",
}

// Date reads a W3C-profile ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, or a
// time with seconds or minutes and a zone) or epoch seconds. Four digits or
// fewer are a year, as epoch seconds that small all fall in the first hours
// of 1970; longer digit strings are epoch seconds, up to MaxEpochSeconds.
// A zone offset must be under 24 hours either way.
func Date(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if len(s) > 4 && allDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > MaxEpochSeconds {
			return time.Time{}, false
		}
		return time.Unix(n, 0).UTC(), true
	}
	layouts := dateLayouts[:3]
	if strings.IndexByte(s, 'T') >= 0 {
		layouts = dateLayouts[3:]
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
				return time.Time{}, false // an offset is hh:mm with hh under 24
			}
			return t, true
		}
	}
	return time.Time{}, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Bool reads "true" or "false" without regard to ASCII case.
func Bool(s string) (value, ok bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// Binary decodes standard, padded base64 (RFC 4648 section 4).
func Binary(s string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// CIDR reads a CIDR block, or a bare address as a /32 (IPv4) or /128
// (IPv6) block, with the host bits cleared. An IPv4-mapped IPv6 address is
// read as IPv4; an address with a zone is refused.
func CIDR(s string) (netip.Prefix, bool) {
	if strings.IndexByte(s, '/') < 0 {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, false
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// Addr reads an IP address as a request carries it: IPv4 or IPv6, an
// IPv4-mapped IPv6 address read as IPv4. An address with a zone is refused,
// as a source address never carries one; so is a CIDR block.
func Addr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// ARNParts is the number of components of an ARN:
// arn:partition:service:region:account:resource.
const ARNParts = 6

// SplitARN splits s at its first five colons into parts; false when it has
// fewer or does not start with "arn:".
func SplitARN(s string, parts *[ARNParts]string) bool {
	for j := 0; j < ARNParts-1; j++ {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			return false
		}
		parts[j], s = s[:i], s[i+1:]
	}
	parts[ARNParts-1] = s
	return parts[0] == "arn"
}

// SplitARNTemplate splits an ARN written in a policy at its first five
// colons that are not inside a policy variable (whose key has a colon of
// its own): "${" opens a variable, and "}" closes the innermost one open.
// It reads "${" so whatever the policy's Version; false when s has fewer
// such colons or does not start with "arn:".
func SplitARNTemplate(s string, parts *[ARNParts]string) bool {
	n, start, depth := 0, 0, 0
	for i := 0; i < len(s) && n < ARNParts-1; i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
			i++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	if n != ARNParts-1 {
		return false
	}
	parts[ARNParts-1] = s[start:]
	return parts[0] == "arn"
}
