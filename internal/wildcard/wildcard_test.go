package wildcard

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type mapResolver map[string]string

func (m mapResolver) Lookup(k string) (string, bool) {
	v, ok := m[k]
	return v, ok
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		fold    bool
		text    string
		want    bool
	}{
		{"empty matches empty", "", false, "", true},
		{"empty rejects text", "", false, "a", false},
		{"star matches empty", "*", false, "", true},
		{"star matches all", "*", false, "arn:aws:s3:::b/k", true},
		{"literal exact", "abc", false, "abc", true},
		{"literal longer text", "abc", false, "abcd", false},
		{"literal shorter text", "abcd", false, "abc", false},
		{"prefix star", "s3:Get*", false, "s3:GetObject", true},
		{"prefix star empty rest", "s3:Get*", false, "s3:Get", true},
		{"prefix star miss", "s3:Get*", false, "s3:PutObject", false},
		{"inner star", "s3:*Object*", false, "s3:GetObjectAcl", true},
		{"question one", "s3:?etObject", false, "s3:GetObject", true},
		{"question needs one", "a?", false, "a", false},
		{"question not two", "a?", false, "abc", false},
		{"question one rune", "a?b", false, "aéb", true},
		{"question one rune of 4 bytes", "a?b", false, "a😀b", true},
		{"star crosses slash", "arn:aws:s3:::bkt/*/test/*", false, "arn:aws:s3:::bkt/1/2/test/3/x", true},
		{"doc example double slash", "arn:aws:s3:::bkt/*/test/*", false, "arn:aws:s3:::bkt//test/x", true},
		{"doc example trailing slash", "arn:aws:s3:::bkt/*/test/*", false, "arn:aws:s3:::bkt/1/test/", true},
		{"doc example no dir", "arn:aws:s3:::bkt/*/test/*", false, "arn:aws:s3:::bkt/test/x", false},
		{"doc example dash", "arn:aws:s3:::bkt/*/test/*", false, "arn:aws:s3:::bkt/1-test/x", false},
		{"doc example file", "arn:aws:s3:::bkt/*/test/*", false, "arn:aws:s3:::bkt/1/2/test.jpg", false},
		{"star crosses colon", "arn:aws:*:finance/*", false, "arn:aws:svc:us-east-2:999:store/abc:111:finance/d.txt", true},
		{"case sensitive", "s3:getobject", false, "s3:GetObject", false},
		{"fold", "s3:getobject", true, "S3:GETOBJECT", true},
		{"fold star", "s3:get*", true, "S3:GetObject", true},
		{"fold only ascii", "é", true, "É", false},
		{"consecutive stars", "a**b", false, "ab", true},
		{"star question star", "*?*", false, "", false},
		{"star question star one", "*?*", false, "x", true},
		{"tail with question", "*a?", false, "xxab", true},
		{"tail with question miss", "*a?", false, "xxa", false},
		{"overlapping middle", "*aab*", false, "aaab", true},
		{"backtracking needed", "*a*a*a*a*a*b", false, strings.Repeat("a", 1024), false},
		{"backtracking found", "*a*a*a*a*a*b", false, strings.Repeat("a", 1024) + "b", true},
		{"tail overlaps head", "ab*ba", false, "aba", false},
		{"tail after head", "ab*ba", false, "abba", true},
		{"invalid utf8 one char", "a?b", false, "a\xffb", true},
		{"invalid utf8 star", "a*", false, "a\xff\xfe", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := CompileGlob(tc.pattern, tc.fold)
			assert.Equal(t, tc.want, p.Match(tc.text, nil))
		})
	}
}

func TestMatchParts(t *testing.T) {
	vars := mapResolver{"aws:username": "jo*hn", "empty": ""}
	tests := []struct {
		name  string
		parts []Part
		text  string
		want  bool
	}{
		{"var literal value", []Part{{Kind: Glob, Text: "home/"}, {Kind: Var, Text: "aws:username"}, {Kind: Glob, Text: "/*"}}, "home/jo*hn/x", true},
		{"var star is not a wildcard", []Part{{Kind: Glob, Text: "home/"}, {Kind: Var, Text: "aws:username"}, {Kind: Glob, Text: "/*"}}, "home/joXhn/x", false},
		{"missing var matches nothing", []Part{{Kind: Glob, Text: "*"}, {Kind: Var, Text: "nope"}}, "anything", false},
		{"missing var with default", []Part{{Kind: Glob, Text: "team/"}, {Kind: Var, Text: "nope", Default: "all", HasDefault: true}}, "team/all", true},
		{"known var ignores default", []Part{{Kind: Var, Text: "aws:username", Default: "x", HasDefault: true}}, "jo*hn", true},
		{"empty var value", []Part{{Kind: Glob, Text: "a"}, {Kind: Var, Text: "empty"}, {Kind: Glob, Text: "b"}}, "ab", true},
		{"literal star", []Part{{Kind: Glob, Text: "a"}, {Kind: Literal, Text: "*"}}, "a*", true},
		{"literal star not wildcard", []Part{{Kind: Glob, Text: "a"}, {Kind: Literal, Text: "*"}}, "ab", false},
		{"var in middle segment", []Part{{Kind: Glob, Text: "*/"}, {Kind: Var, Text: "aws:username"}, {Kind: Glob, Text: "/*"}}, "x/y/jo*hn/z", true},
		{"var in tail segment", []Part{{Kind: Glob, Text: "*/"}, {Kind: Var, Text: "aws:username"}}, "x/jo*hn", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Compile(tc.parts, false)
			assert.Equal(t, tc.want, p.Match(tc.text, vars))
		})
	}
	t.Run("nil resolver uses default", func(t *testing.T) {
		p := Compile([]Part{{Kind: Var, Text: "k", Default: "d", HasDefault: true}}, false)
		assert.True(t, p.Match("d", nil))
		assert.True(t, p.HasVars())
	})
	t.Run("zero pattern", func(t *testing.T) {
		var p Pattern
		assert.True(t, p.Match("", nil))
		assert.False(t, p.Match("x", nil))
		assert.False(t, p.HasVars())
	})
}

func TestMatchNoAllocs(t *testing.T) {
	vars := mapResolver{"aws:username": "alice"}
	pats := []Pattern{
		CompileGlob("arn:aws:s3:::bucket/*/test/*", false),
		CompileGlob("s3:*object*", true),
		CompileGlob("*a*a*a*a*a*b", false),
		Compile([]Part{{Kind: Glob, Text: "arn:aws:s3:::b/home/"}, {Kind: Var, Text: "aws:username"}, {Kind: Glob, Text: "/*"}}, false),
	}
	texts := []string{"arn:aws:s3:::bucket/1/2/test/3", "S3:GetObjectAcl", strings.Repeat("a", 256), "arn:aws:s3:::b/home/alice/f"}
	for i := range pats {
		allocs := testing.AllocsPerRun(100, func() { pats[i].Match(texts[i], vars) })
		assert.Zero(t, allocs, "pattern %d", i)
	}
}

// TestMatchWorkIsBounded counts the atom comparisons a pathological pattern
// costs instead of timing it: a backtracking matcher needs exponentially many.
func TestMatchWorkIsBounded(t *testing.T) {
	pattern := strings.Repeat("*?", 200) + "*b"
	text := strings.Repeat("a", 1024)
	p := CompileGlob(pattern, false)
	r := &countingResolver{}
	// One variable per segment lets the resolver count placement attempts.
	parts := []Part{}
	for range 20 {
		parts = append(parts, Part{Kind: Glob, Text: "*"}, Part{Kind: Var, Text: "v"})
	}
	parts = append(parts, Part{Kind: Glob, Text: "*b"})
	counted := Compile(parts, false)
	assert.False(t, p.Match(text, nil))
	assert.False(t, counted.Match(text, r))
	// Leftmost placement tries each start position at most once per segment.
	assert.LessOrEqual(t, r.calls, 21*(len(text)+1))
}

type countingResolver struct{ calls int }

func (c *countingResolver) Lookup(string) (string, bool) { c.calls++; return "a", true }

// reference translates a glob to a regular expression: the obviously correct,
// slow matcher that the real one must agree with.
func reference(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.Compile(b.String())
}

func asciiLower(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lower(b[i])
	}
	return string(b)
}

func FuzzMatch(f *testing.F) {
	seeds := [][2]string{
		{"*", ""}, {"a?c", "abc"}, {"*a*a*b", "aaaaab"}, {"arn:aws:s3:::b/*", "arn:aws:s3:::b/k"},
		{"s3:Get*", "S3:GETOBJECT"}, {"?", "é"}, {"*?", "\xff"}, {"ab*ba", "aba"}, {"*é?", "xéy"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, glob, text string, fold bool) {
		if len(glob) > 256 || len(text) > 1024 {
			t.Skip()
		}
		if !utf8.ValidString(glob) {
			// The regexp reference cannot express such patterns; the
			// matcher must still be total.
			p := CompileGlob(glob, fold)
			p.Match(text, nil)
			return
		}
		if !utf8.ValidString(text) && strings.ContainsRune(glob, utf8.RuneError) {
			// regexp reads an invalid byte as U+FFFD; the matcher compares
			// bytes. Only totality is checked here.
			p := CompileGlob(glob, fold)
			p.Match(text, nil)
			return
		}
		rg, rt := glob, text
		if fold {
			rg, rt = asciiLower(glob), asciiLower(text)
		}
		re, err := reference(rg)
		require.NoError(t, err)
		p := CompileGlob(glob, fold)
		want := re.MatchString(rt)
		if got := p.Match(text, nil); got != want {
			t.Fatalf("Match(%q, %q, fold=%v) = %v, regexp says %v", glob, text, fold, got, want)
		}
		// The same pattern split into parts at every star must agree too.
		var parts []Part
		for i, piece := range strings.Split(glob, "*") {
			if i > 0 {
				parts = append(parts, Part{Kind: Glob, Text: "*"})
			}
			parts = append(parts, Part{Kind: Glob, Text: piece})
		}
		split := Compile(parts, fold)
		if got := split.Match(text, nil); got != want {
			t.Fatalf("split Match(%q, %q) = %v, want %v", glob, text, got, want)
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	cases := []struct {
		name, pattern, text string
		fold                bool
	}{
		{"literal", "arn:aws:s3:::bucket/key.txt", "arn:aws:s3:::bucket/key.txt", false},
		{"prefix", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/some/deep/key.txt", false},
		{"action-fold", "s3:get*", "s3:GetObject", true},
		{"general", "arn:aws:s3:::bucket/*/test/*.jpg", "arn:aws:s3:::bucket/a/b/c/test/d/e.jpg", false},
		{"pathological-1KiB", "*a*a*a*a*a*b", strings.Repeat("a", 1024), false},
	}
	for _, c := range cases {
		p := CompileGlob(c.pattern, c.fold)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Match(c.text, nil)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	vars := mapResolver{"u": "a*b"}
	tests := []struct {
		name  string
		parts []Part
		want  string
		ok    bool
	}{
		{"literal", []Part{{Kind: Literal, Text: "x"}}, "x", true},
		{"glob without wildcard", []Part{{Kind: Glob, Text: "plain"}}, "plain", true},
		{"variable substituted", []Part{{Kind: Literal, Text: "home/"}, {Kind: Var, Text: "u"}}, "home/a*b", true},
		{"default used", []Part{{Kind: Var, Text: "none", Default: "d", HasDefault: true}}, "d", true},
		{"missing variable", []Part{{Kind: Var, Text: "none"}}, "", false},
		{"star", []Part{{Kind: Glob, Text: "a*"}}, "", false},
		{"question", []Part{{Kind: Glob, Text: "a?"}}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Compile(tc.parts, false)
			got, ok := p.Expand(vars)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}
