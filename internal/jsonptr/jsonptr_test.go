package jsonptr

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPointer(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"plain key", Key("", "Statement"), "/Statement"},
		{"index", Index("/Statement", 3), "/Statement/3"},
		{"slash escaped", Key("/Condition/StringEquals", "aws:RequestTag/Project"), "/Condition/StringEquals/aws:RequestTag~1Project"},
		{"tilde escaped first", Key("", "a~/b"), "/a~0~1b"},
		{"empty key", Key("", ""), "/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got)
		})
	}
}
