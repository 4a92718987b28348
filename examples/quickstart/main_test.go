package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStory pins the whole table: it is the README's first command.
func TestStory(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	want, err := os.ReadFile("testdata/story.txt")
	require.NoError(t, err)
	assert.Equal(t, string(want), out.String())
}
