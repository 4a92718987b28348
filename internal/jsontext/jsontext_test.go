package jsontext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		in   string
		off  int
		what string
	}{
		{"plain", `{"a":"b"}`, -1, ""},
		{"escapes", `{"a":"\n\t\"\\\u00e9"}`, -1, ""},
		{"surrogate pair", `"\ud83d\ude00"`, -1, ""},
		{"surrogate pair upper case", `"\uD83D\uDE00"`, -1, ""},
		{"lone high surrogate", `"a\ud800b"`, 2, "unpaired UTF-16 surrogate escape"},
		{"lone low surrogate", `"\udc00"`, 1, "unpaired UTF-16 surrogate escape"},
		{"high then non-low", `"\ud800\u0041"`, 1, "unpaired UTF-16 surrogate escape"},
		{"high at the end", `"\ud800`, 1, "unpaired UTF-16 surrogate escape"},
		{"escaped backslash then u", `"\\ud800"`, -1, ""},
		{"outside a string", `\ud800`, -1, ""},
		{"short escape left to the parser", `"\u12"`, -1, ""},
		{"invalid UTF-8", "\"a\xffb\"", 2, "invalid UTF-8"},
		{"truncated UTF-8", "\"\xe2\x82\"", 1, "invalid UTF-8"},
		{"empty", ``, -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off, what := Check([]byte(tt.in))
			assert.Equal(t, tt.off, off)
			assert.Equal(t, tt.what, what)
		})
	}
}

func TestUnicodeEscape(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		ok   bool
	}{
		{"BMP", `\u0041`, 6, true},
		{"pair", `\ud83d\ude00`, 12, true},
		{"lone high", `\ud83dx`, 0, false},
		{"lone low", `\ude00`, 0, false},
		{"not hex", `\uzzzz`, 2, true},
		{"cut short", `\u00`, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := UnicodeEscape([]byte(tt.in), 0)
			assert.Equal(t, tt.n, n)
			assert.Equal(t, tt.ok, ok)
		})
	}
}

// TestDecodeStrict: a member the value has no field for is an error, so a
// misspelt expectation cannot be dropped in silence.
func TestDecodeStrict(t *testing.T) {
	var v struct {
		Name string `json:"name"`
	}
	if err := DecodeStrict([]byte(`{"name":"a"}`), &v); err != nil || v.Name != "a" {
		t.Fatalf("DecodeStrict = %v, %+v", err, v)
	}
	if err := DecodeStrict([]byte(`{"name":"a","nmae":"b"}`), &v); err == nil {
		t.Fatal("an unknown member was accepted")
	}
}
