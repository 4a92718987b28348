package jsonptr

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPointer(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"plain key", AppendKey(nil, "Statement"), "/Statement"},
		{"index", AppendIndex([]byte("/Statement"), 3), "/Statement/3"},
		{"slash escaped", AppendKey([]byte("/Condition/StringEquals"), "aws:RequestTag/Project"), "/Condition/StringEquals/aws:RequestTag~1Project"},
		{"tilde escaped first", AppendKey(nil, "a~/b"), "/a~0~1b"},
		{"empty key", AppendKey(nil, ""), "/"},
		{"large index", AppendIndex(nil, 12345), "/12345"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, string(tc.got))
		})
	}
}
