package globlang

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/internal/wildcard"
)

func globs(fold bool, texts ...string) []Pattern {
	ps := make([]Pattern, len(texts))
	for i, t := range texts {
		ps[i] = Glob(t, fold)
	}
	return ps
}

func TestSubset(t *testing.T) {
	tests := map[string]struct {
		a, b []string
		fold bool
		want Answer
	}{
		"equal":                 {a: []string{"s3:Get*"}, b: []string{"s3:Get*"}, want: Yes},
		"narrower":              {a: []string{"s3:GetObject", "s3:GetObjectVersion"}, b: []string{"s3:Get*"}, want: Yes},
		"wider":                 {a: []string{"s3:Get*"}, b: []string{"s3:GetObject"}, want: No},
		"fold":                  {a: []string{"S3:GETOBJECT"}, b: []string{"s3:get*"}, fold: true, want: Yes},
		"case matters":          {a: []string{"A"}, b: []string{"a"}, want: No},
		"union covers":          {a: []string{"ab*"}, b: []string{"abc*", "ab", "ab?*"}, want: Yes},
		"union misses one":      {a: []string{"ab*"}, b: []string{"abc*", "ab?*"}, want: No},
		"question vs star":      {a: []string{"a?"}, b: []string{"a*"}, want: Yes},
		"star vs question":      {a: []string{"a*"}, b: []string{"a?"}, want: No},
		"empty union":           {a: nil, b: []string{"x"}, want: Yes},
		"into empty union":      {a: []string{"x"}, b: nil, want: No},
		"everything":            {a: []string{"*"}, b: []string{"*?", ""}, want: Yes},
		"inner stars":           {a: []string{"*a*b*"}, b: []string{"*a*"}, want: Yes},
		"inner stars reversed":  {a: []string{"*a*"}, b: []string{"*a*b*"}, want: No},
		"other characters only": {a: []string{"?"}, b: []string{"a", "b"}, want: No},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Subset(globs(tc.fold, tc.a...), globs(tc.fold, tc.b...), Options{})
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestIntersects(t *testing.T) {
	tests := map[string]struct {
		a, b []string
		want Answer
	}{
		"disjoint literals": {a: []string{"abc"}, b: []string{"abd"}, want: No},
		"prefix and suffix": {a: []string{"a*"}, b: []string{"*z"}, want: Yes},
		"lengths":           {a: []string{"???"}, b: []string{"??"}, want: No},
		"bucket and object": {a: []string{"arn:aws:s3:::b"}, b: []string{"arn:aws:s3:::b/*"}, want: No},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, Intersects(globs(false, tc.a...), globs(false, tc.b...), Options{}))
		})
	}
}

func TestDifferenceMember(t *testing.T) {
	tests := map[string]struct {
		a, b []string
		fold bool
		want string // "" with none: expect No
		none bool
	}{
		"object key":   {a: []string{"arn:aws:s3:::bucket/*"}, b: []string{"arn:aws:s3:::bucket/"}, want: "arn:aws:s3:::bucket/x"},
		"avoid x":      {a: []string{"x*"}, b: []string{"x"}, want: "xy"},
		"get star":     {a: []string{"s3:get*"}, b: []string{"s3:getobject"}, fold: true, want: "s3:get"},
		"contained":    {a: []string{"a?"}, b: []string{"a*"}, none: true},
		"needs letter": {a: []string{"a*"}, b: []string{"a", "ax*", "ay*", "az*", "aq*", "aj*", "ak*", "aw*", "a0*", "a1*", "a2*", "a3*", "a4*", "a5*", "a6*", "a7*", "a8*"}, want: "a9"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := Difference(globs(tc.fold, tc.a...), globs(tc.fold, tc.b...), Options{})
			if tc.none {
				assert.Equal(t, No, r.Nonempty)
				return
			}
			require.Equal(t, Yes, r.Nonempty)
			assert.Equal(t, tc.want, r.Member)
		})
	}
}

func TestLiteralAndConcat(t *testing.T) {
	lit := Literal("a*b", false)
	assert.True(t, lit.Match("a*b"))
	assert.False(t, lit.Match("axb"))
	// ${*} in a policy is a literal star between glob text.
	p := Concat(Part{Text: "x", Glob: true}, Part{Text: "*"}, Part{Text: "*", Glob: true})
	assert.True(t, p.Match("x*tail"))
	assert.False(t, p.Match("xytail"))
	assert.Equal(t, Yes, Subset([]Pattern{lit}, []Pattern{Glob("a*", false)}, Options{}))
	assert.Equal(t, No, Subset([]Pattern{Glob("a*b", false)}, []Pattern{lit}, Options{}))
}

func TestARN(t *testing.T) {
	p, ok := ARN("arn:aws:iam::*:role/R*", true)
	require.True(t, ok)
	assert.True(t, p.Match("arn:aws:iam::111122223333:role/R1"))
	// The account component's star stops at the colon.
	assert.False(t, p.Match("arn:aws:iam::1:2:role/R1"))
	g := Glob("arn:aws:iam::*:role/R*", false)
	assert.True(t, g.Match("arn:aws:iam::1:2:role/R1"))
	assert.Equal(t, Yes, Subset([]Pattern{p}, []Pattern{g}, Options{}))
	assert.Equal(t, No, Subset([]Pattern{g}, []Pattern{p}, Options{}))
	r := Difference([]Pattern{g}, []Pattern{p}, Options{})
	require.Equal(t, Yes, r.Nonempty)
	assert.Equal(t, 6, strings.Count(r.Member, ":"))
	_, ok = ARN("arn:aws:s3", true)
	assert.False(t, ok)
	_, ok = ARN("urn:a:b:c:d:e", true)
	assert.False(t, ok)
}

func TestZeroValues(t *testing.T) {
	var p Pattern
	assert.True(t, p.Match(""))
	assert.False(t, p.Match("a"))
	// The zero Lit is empty: a conjunction holding it has no member.
	assert.Equal(t, No, Solve([]Lit{{}}, Options{}).Nonempty)
	// Its complement is everything.
	r := Solve([]Lit{{Neg: true}}, Options{})
	assert.Equal(t, Yes, r.Nonempty)
	assert.Equal(t, "", r.Member)
	var a Answer
	assert.Equal(t, Unknown, a)
	assert.Equal(t, "unknown", a.String())
}

// TestWorkIsBounded counts the work of a question whose subset construction
// is exponential: past the budget the answer is Unknown, and the work spent
// stays within the budget and one step.
func TestWorkIsBounded(t *testing.T) {
	// "An 'a' n characters before the end" needs 2^n DFA states, and a
	// language minus itself is empty only once all of them are seen.
	n := 12
	hard := Glob("*a"+strings.Repeat("?", n), false)
	tests := map[string]struct {
		budget int
		want   Answer
	}{
		"small budget": {budget: 5000, want: Unknown},
		"large budget": {budget: 1 << 24, want: No},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := Solve([]Lit{{Pats: []Pattern{hard}}, {Pats: []Pattern{hard}, Neg: true}}, Options{Budget: tc.budget})
			assert.Equal(t, tc.want, r.Nonempty)
			// One step of all automata costs at most their positions
			// plus one per automaton.
			assert.LessOrEqual(t, r.Work, tc.budget+(n+4)*2)
		})
	}
	// Subset on the same question: never a wrong Yes.
	assert.Equal(t, Unknown, Subset([]Pattern{hard}, []Pattern{hard}, Options{Budget: 1000}))
	assert.Equal(t, Yes, Subset([]Pattern{hard}, []Pattern{hard}, Options{Budget: 1 << 24}))
}

// oracle matches with package wildcard, the matcher evaluation uses.
func oracle(glob string, fold bool, s string) bool {
	p := wildcard.CompileGlob(glob, fold)
	return p.Match(s, nil)
}

func TestMatchAgreesWithWildcard(t *testing.T) {
	cases := [][2]string{{"a*b?c", "axxbyc"}, {"*", ""}, {"?", "é"}, {"S3:Get*", "s3:getobject"}, {"a**b", "ab"}}
	for _, c := range cases {
		for _, fold := range []bool{false, true} {
			assert.Equal(t, oracle(c[0], fold, c[1]), Glob(c[0], fold).Match(c[1]), "%q %q %v", c[0], c[1], fold)
		}
	}
}

func FuzzDifference(f *testing.F) {
	f.Add("s3:Get*", "s3:GetObject", "", false)
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b/a*", "arn:aws:s3:::b/?", false)
	f.Add("*a?", "*", "", true)
	f.Add("a*b*c", "*b", "a?*", false)
	f.Fuzz(func(t *testing.T, a, b, c string, fold bool) {
		if len(a) > 64 || len(b) > 64 || len(c) > 64 {
			t.Skip()
		}
		if !validUTF8(a) || !validUTF8(b) || !validUTF8(c) {
			t.Skip()
		}
		bs := []string{b}
		if c != "" {
			bs = append(bs, c)
		}
		r := Difference(globs(fold, a), globs(fold, bs...), Options{Budget: 1 << 16})
		switch r.Nonempty {
		case Yes:
			if !oracle(a, fold, r.Member) {
				t.Fatalf("member %q of %q \\ %q does not match %q", r.Member, a, bs, a)
			}
			for _, x := range bs {
				if oracle(x, fold, r.Member) {
					t.Fatalf("member %q of %q \\ %q matches %q", r.Member, a, bs, x)
				}
			}
		case No:
			// Every string of a is in b: spot-check a's shortest forms.
			for _, s := range samples(a) {
				if !oracle(a, fold, s) {
					continue
				}
				in := false
				for _, x := range bs {
					in = in || oracle(x, fold, s)
				}
				if !in {
					t.Fatalf("%q \\ %q said empty, but %q is in it", a, bs, s)
				}
			}
		}
	})
}

func validUTF8(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s && !strings.ContainsRune(s, '\uFFFD')
}

// samples returns strings built from a glob by replacing its wildcards with
// a few fillers.
func samples(glob string) []string {
	var out []string
	for _, fill := range []string{"", "x", "ab", ":"} {
		one := fill
		if one == "" {
			one = "x"
		}
		s := strings.NewReplacer("*", fill, "?", one[:1]).Replace(glob)
		out = append(out, s)
	}
	return out
}
