// Package ascii folds ASCII letters, for names that match without regard
// to case (actions, condition keys, policy variables) and never carry
// non-ASCII letters that fold.
package ascii

// Lower returns s with ASCII letters in lower case; s itself, without
// allocating, when it has no upper-case letter.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// HasLowerPrefix reports whether s starts with prefix, which must be in
// lower case, ignoring the case of ASCII letters in s.
func HasLowerPrefix(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// EqualLower reports whether s equals lower, which must be in lower case,
// ignoring the case of ASCII letters in s.
func EqualLower(s, lower string) bool {
	return len(s) == len(lower) && HasLowerPrefix(s, lower)
}
