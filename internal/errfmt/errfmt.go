// Package errfmt formats the detail of the packages' errors the same way:
// the sentinel first, user input quoted and cut so that hostile input
// cannot flood a log.
package errfmt

import (
	"fmt"
	"strconv"
)

// MaxQuoted is the number of bytes of user input an error message quotes.
const MaxQuoted = 64

// Detail returns an error wrapping sentinel that reads
// "<sentinel>: <formatted explanation>".
func Detail(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

// Value returns an error wrapping sentinel that reads
// "<sentinel> "<value>": <formatted explanation>", with the value quoted by
// Quote.
func Value(sentinel error, value, format string, args ...any) error {
	return fmt.Errorf("%w %s: "+format, append([]any{sentinel, Quote(value)}, args...)...)
}

// Quote quotes s with strconv.Quote after cutting it to MaxQuoted bytes.
func Quote(s string) string {
	return strconv.Quote(Truncate(s, MaxQuoted))
}

// Truncate cuts s to at most n bytes without splitting a UTF-8 sequence and
// marks the cut with "…".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
