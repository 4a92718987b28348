package s3request

import (
	"strconv"
	"unicode/utf8"
)

// lowerASCII returns s with ASCII letters lowered; s itself, without
// allocating, when it has no upper-case letter.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// equalFold reports whether a and b are equal ignoring ASCII case.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFold(s[:len(prefix)], prefix)
}

// cut returns at most n bytes of s, not splitting a UTF-8 sequence.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// quoteShort quotes at most maxEcho bytes of s.
func quoteShort(s string) string {
	return strconv.Quote(cut(s, maxEcho))
}

// unhex returns the value of a hex digit and whether c is one.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unescape decodes the percent-escapes of s once; with plus, '+' is a space
// (query and form rules), otherwise it stays '+' (path rules). It returns s
// itself, without allocating, when there is nothing to decode, and false
// for a bad escape.
func unescape(s string, plus bool) (string, bool) {
	n := 0
	hasPlus := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%':
			if i+2 >= len(s) {
				return "", false
			}
			if _, ok := unhex(s[i+1]); !ok {
				return "", false
			}
			if _, ok := unhex(s[i+2]); !ok {
				return "", false
			}
			n++
			i += 2
		case '+':
			hasPlus = plus
		}
	}
	if n == 0 && !hasPlus {
		return s, true
	}
	b := make([]byte, 0, len(s)-2*n)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			hi, _ := unhex(s[i+1])
			lo, _ := unhex(s[i+2])
			b = append(b, hi<<4|lo)
			i += 2
		case c == '+' && plus:
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return string(b), true
}
