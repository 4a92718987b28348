// Package jsontext checks JSON text for what encoding/json and gjson accept
// but read differently from other decoders: invalid UTF-8, which they turn
// into U+FFFD, and \u escapes that leave a UTF-16 surrogate unpaired;
// writes JSON strings (AppendString) for the packages that encode by hand;
// and decodes case files strictly (DecodeStrict).
package jsontext

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// UnicodeEscape reads the \u escape at data[i] (data[i:i+2] is `\u`): n is
// the number of bytes it takes, with the low-surrogate escape that must
// follow a high one, and ok is false when the escape leaves a surrogate
// unpaired. An escape without four hex digits takes 2 bytes and is ok here;
// the JSON parser reports it.
func UnicodeEscape(data []byte, i int) (n int, ok bool) {
	r, hex := hex4(data, i+2)
	switch {
	case !hex:
		return 2, true
	case 0xDC00 <= r && r <= 0xDFFF:
		return 0, false
	case 0xD800 <= r && r <= 0xDBFF:
		r2, hex := hex4(data, i+8)
		if !hex || data[i+6] != '\\' || data[i+7] != 'u' || r2 < 0xDC00 || r2 > 0xDFFF {
			return 0, false
		}
		return 12, true
	}
	return 6, true
}

// hex4 decodes the four hex digits at data[i:i+4].
func hex4(data []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// Check returns the offset of the first invalid UTF-8 sequence or unpaired
// surrogate escape in data, with what it is, or -1. It reads strings only as
// far as telling escapes from text, in one linear pass.
func Check(data []byte) (off int, what string) {
	if !utf8.Valid(data) {
		for off < len(data) {
			r, w := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && w == 1 {
				break
			}
			off += w
		}
		return off, "invalid UTF-8"
	}
	in := false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			in = !in
		case c == '\\' && in && i+1 < len(data):
			if data[i+1] != 'u' {
				i++
				continue
			}
			n, ok := UnicodeEscape(data, i)
			if !ok {
				return i, "unpaired UTF-16 surrogate escape"
			}
			i += n - 1
		}
	}
	return -1, ""
}

// AppendString appends s as a JSON string: quotes, backslashes and control
// characters escaped (U+2028 and U+2029 too, for JavaScript consumers),
// invalid UTF-8 as U+FFFD a byte each, as encoding/json writes it, and
// everything else — '<', '>' and '&' included — as it is. Runs that need
// no escape are copied whole.
func AppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0 // s[start:i] is copied as it is
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			start = i + size
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// DecodeStrict decodes one JSON value of data into v as encoding/json does,
// but refuses members v has no field for, so that a misspelt member of a
// case file cannot silently drop an expectation.
func DecodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
