package errfmt

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

var errX = errors.New("bad thing")

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"detail", Detail(errX, "%d left", 3).Error(), "bad thing: 3 left"},
		{"value", Value(errX, "v\"1", "want %s", "v2").Error(), `bad thing "v\"1": want v2`},
		{"short kept", Truncate("abc", 3), "abc"},
		{"cut marked", Truncate("abcd", 3), "abc…"},
		{"utf8 kept whole", Truncate("aéé", 2), "a…"},
		{"quote cuts", Quote(strings.Repeat("x", 70)), `"` + strings.Repeat("x", 64) + `…"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
	assert.ErrorIs(t, Detail(errX, "x"), errX)
	assert.ErrorIs(t, Value(errX, "v", "x"), errX)
}
