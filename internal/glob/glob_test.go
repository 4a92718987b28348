package glob

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type mapVars map[string]string

func (m mapVars) Lookup(k string) (string, bool) { v, ok := m[k]; return v, ok }

func TestShapes(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		mode       Mode
		vars       bool
		isAny      bool
		exact      string
		isExact    bool
		prefix     string
		isPrefix   bool
		hasVars    bool
		expand     string
		canExpand  bool
		matches    string
		notMatches string
	}{
		{name: "star", text: "*", mode: Glob, isAny: true, matches: "anything"},
		{name: "exact", text: "arn:aws:s3:::b/k", mode: Glob, exact: "arn:aws:s3:::b/k", isExact: true, expand: "arn:aws:s3:::b/k", canExpand: true, matches: "arn:aws:s3:::b/k", notMatches: "arn:aws:s3:::b/K"},
		{name: "prefix", text: "arn:aws:s3:::b/*", mode: Glob, prefix: "arn:aws:s3:::b/", isPrefix: true, matches: "arn:aws:s3:::b/x/y", notMatches: "arn:aws:s3:::c/x"},
		{name: "action folds case", text: "s3:Get*", mode: GlobFold, prefix: "s3:get", isPrefix: true, matches: "S3:GETOBJECT", notMatches: "s3:PutObject"},
		{name: "literal star", text: "a*", mode: Literal, exact: "a*", isExact: true, expand: "a*", canExpand: true, matches: "a*", notMatches: "ab"},
		{name: "variable", text: "home/${aws:username}/*", mode: Glob, vars: true, hasVars: true, matches: "home/alice/x", notMatches: "home/bob/x"},
		{name: "variable read as text without vars", text: "${aws:username}", mode: Literal, exact: "${aws:username}", isExact: true, expand: "${aws:username}", canExpand: true, matches: "${aws:username}", notMatches: "alice"},
		{name: "variable expands", text: "${aws:username}-x", mode: Literal, vars: true, hasVars: true, expand: "alice-x", canExpand: true, matches: "alice-x", notMatches: "bob-x"},
		{name: "escapes are text", text: "${*}${?}", mode: Glob, vars: true, exact: "*?", isExact: true, expand: "*?", canExpand: true, matches: "*?", notMatches: "ab"},
	}
	v := mapVars{"aws:username": "alice"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Compile(tc.text, tc.mode, tc.vars)
			require.NoError(t, err)
			assert.Equal(t, tc.text, p.String())
			assert.Equal(t, tc.isAny, p.IsAny())
			exact, ok := p.Exact()
			assert.Equal(t, tc.isExact, ok)
			if ok {
				assert.Equal(t, tc.exact, exact)
			}
			prefix, ok := p.Prefix()
			assert.Equal(t, tc.isPrefix, ok)
			if ok {
				assert.Equal(t, tc.prefix, prefix)
			}
			assert.Equal(t, tc.hasVars, p.HasVars())
			got, ok := p.Expand(v)
			assert.Equal(t, tc.canExpand, ok)
			assert.Equal(t, tc.expand, got)
			assert.True(t, p.Match(tc.matches, v), "Match(%q)", tc.matches)
			if !tc.isAny {
				assert.False(t, p.Match(tc.notMatches, v), "Match(%q)", tc.notMatches)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{name: "unclosed", text: "a${aws:username"},
		{name: "no colon", text: "${username}"},
		{name: "unquoted default", text: "${aws:username, alice}"},
		{name: "unterminated default", text: "${aws:username, 'alice}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.text, Glob, true)
			assert.ErrorIs(t, err, ErrInvalidVariable)
			_, err = Compile(tc.text, Glob, false)
			assert.NoError(t, err, "without variables the text is plain")
		})
	}
}

func TestZeroPatternMatchesOnlyEmpty(t *testing.T) {
	var p Pattern
	assert.True(t, p.Match("", nil))
	assert.False(t, p.Match("a", nil))
}
