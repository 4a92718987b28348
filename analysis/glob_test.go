package analysis

import (
	"math/rand/v2"
	"testing"
)

// TestCoversAgrees: the byte-by-byte comparison of the patterns' ends
// answers what the dynamic programme over the whole patterns answers, on random patterns
// over a small alphabet (so that they often overlap), short and long.
func TestCoversAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "aAb*?"
	pat := func(max int) string {
		b := make([]byte, r.IntN(max))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	covered := 0
	for i := 0; i < 200000; i++ {
		max := 8
		if i%10 == 0 {
			max = 200 // past the stack buffer
		}
		a, b := pat(max), pat(max)
		fold := i%2 == 0
		got, want := covers(a, b, fold), coversTable(a, b, fold)
		if got != want {
			t.Fatalf("covers(%q, %q, %v) = %v, want %v", a, b, fold, got, want)
		}
		if got {
			covered++
		}
	}
	if covered < 1000 {
		t.Fatalf("only %d covering pairs: the generator does not exercise covers", covered)
	}
	t.Logf("200000 pairs, %d covering", covered)
}

// TestCoversCases pins the fast paths on named cases.
func TestCoversCases(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		fold bool
		want bool
	}{
		{name: "equal literals", a: "s3:GetObject", b: "s3:GetObject", want: true},
		{name: "literal case folded", a: "s3:getobject", b: "s3:GetObject", fold: true, want: true},
		{name: "literal case kept", a: "s3:getobject", b: "s3:GetObject"},
		{name: "literal does not cover a wildcard", a: "s3:GetObject", b: "s3:Get*"},
		{name: "question mark covers a literal", a: "s3:Get?bject", b: "s3:GetObject", want: true},
		{name: "question mark does not cover a star", a: "s3:Get?", b: "s3:Get*"},
		{name: "star covers a star", a: "s3:Get*", b: "s3:GetObject*", want: true},
		{name: "suffix mismatch", a: "s3:*Acl", b: "s3:GetObjectTagging"},
		{name: "prefix longer than the pattern", a: "s3:GetObjectAcl", b: "s3:GetObject"},
		{name: "empty covers empty", a: "", b: "", want: true},
		{name: "star covers empty", a: "*", b: "", want: true},
		{name: "middle star", a: "arn:aws:s3:::b/*/x", b: "arn:aws:s3:::b/a/b/x", want: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := covers(tc.a, tc.b, tc.fold); got != tc.want {
				t.Errorf("covers(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
}
