package jsontext

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// quotedByteByByte is AppendString as it was before it copied runs whole:
// one byte or rune at a time, the reference the faster one must match.
func quotedByteByByte(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// TestAppendQuoted checks AppendString against the byte-by-byte reference
// on every kind of byte, at the start, middle and end of a string, and on
// random strings; and that its output is JSON for the string, invalid
// UTF-8 read as U+FFFD, a byte each.
func TestAppendQuoted(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "empty", in: "", want: `""`},
		{name: "plain", in: "arn:aws:s3:::bkt/a b<c>&d", want: `"arn:aws:s3:::bkt/a b<c>&d"`},
		{name: "escapes at both ends", in: "\"a\\b\n", want: `"\"a\\b\n"`},
		{name: "control and DEL", in: "\x00x\x1fy\x7f", want: `"\u0000x\u001fy\u007f"`},
		{name: "tab and return", in: "a\tb\rc", want: `"a\tb\rc"`},
		{name: "invalid UTF-8 between runs", in: "ab\xffcd\xc3", want: `"ab\ufffdcd\ufffd"`},
		{name: "line and paragraph separators", in: "x\u2028y\u2029", want: `"x\u2028y\u2029"`},
		{name: "multi-byte runes kept", in: "é日本🙂", want: `"é日本🙂"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(AppendString([]byte("prefix"), tc.in)); got != "prefix"+tc.want {
				t.Errorf("AppendString(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
	alphabet := []string{"a", "Z", " ", "\"", "\\", "\n", "\x01", "\x7f", "\xff", "\xc3", "é", "\u2028", "🙂", "<"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var sb strings.Builder
		for range rng.IntN(12) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := sb.String()
		got, want := AppendString(nil, s), quotedByteByByte(nil, s)
		if string(got) != string(want) {
			t.Fatalf("AppendString(%q) = %s, the reference %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != string([]rune(s)) {
			t.Fatalf("AppendString(%q) = %s reads back as %q, %v", s, got, back, err)
		}
	}
}
