package policy

import (
	"encoding/json"
	"errors"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/s3authz/s3authz/internal/jsontext"
)

// precheck enforces the limits and the well-formedness of data before any
// walking, in one pass linear in len(data) and with memory bounded by the
// depth limit: size, UTF-8, nesting depth, number of values, lone UTF-16
// surrogates in escapes, and finally JSON syntax.
func precheck(data []byte, lim Parser) error {
	if len(data) > lim.MaxBytes {
		return &Error{Offset: lim.MaxBytes, Err: errf(ErrTooLarge, "%d bytes, the limit is %d", len(data), lim.MaxBytes)}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, w := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && w == 1 {
				break
			}
			off += w
		}
		return &SyntaxError{Offset: int64(off), Msg: "invalid UTF-8"}
	}
	if err := scan(data, lim); err != nil {
		return err
	}
	if !gjson.ValidBytes(data) {
		return syntaxError(data)
	}
	return nil
}

// scan counts depth and values and checks \u escapes. It is not a validator:
// on malformed input it may stop early or count loosely, and gjson's
// validation that follows reports the syntax error.
func scan(data []byte, lim Parser) error {
	var (
		stack     []bool // true: object
		expectKey bool
		values    int
	)
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '{', '[':
			values++
			if len(stack) >= lim.MaxDepth {
				return &Error{Offset: i, Err: errf(ErrLimit, "nesting deeper than %d", lim.MaxDepth)}
			}
			stack = append(stack, c == '{')
			expectKey = c == '{'
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			expectKey = false
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1]
		case '"':
			if !expectKey {
				values++
			}
			expectKey = false
			end, err := scanString(data, i+1)
			if err != nil {
				return err
			}
			i = end
		case ' ', '\t', '\n', '\r', ':':
		default:
			// The first byte of a number, true, false or null; skip the rest
			// of the literal.
			values++
			for i+1 < len(data) && isLiteralByte(data[i+1]) {
				i++
			}
		}
		if values > lim.MaxValues {
			return &Error{Offset: i, Err: errf(ErrLimit, "more than %d values", lim.MaxValues)}
		}
	}
	return nil
}

func isLiteralByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '+' || c == '-' || c == 'E'
}

// scanString skips a string whose opening quote precedes data[i] and returns
// the index of the closing quote (or len(data)). It rejects \u escapes that
// leave a UTF-16 surrogate unpaired: encoders disagree on what they mean.
func scanString(data []byte, i int) (int, error) {
	for ; i < len(data); i++ {
		switch data[i] {
		case '"':
			return i, nil
		case '\\':
			if i+1 < len(data) && data[i+1] == 'u' {
				n, ok := jsontext.UnicodeEscape(data, i)
				if !ok {
					return 0, &SyntaxError{Offset: int64(i), Msg: "unpaired UTF-16 surrogate escape"}
				}
				i += n - 1
				continue
			}
			i++
		}
	}
	return i, nil
}

// syntaxError finds the offset of a syntax error with the standard library's
// scanner; it runs only on the error path.
func syntaxError(data []byte) error {
	var v struct{}
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &SyntaxError{Offset: se.Offset, Msg: se.Error()}
	}
	// gjson rejected what encoding/json accepts: stay strict.
	return &SyntaxError{Offset: 0, Msg: "malformed JSON"}
}
