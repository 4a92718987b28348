// Package wildcard matches text against the glob patterns of IAM and S3
// policies: '*' matches any run of characters (including none, and including
// '/' and ':'), '?' matches exactly one character. Characters are UTF-8
// runes; a byte that is not part of a valid UTF-8 sequence counts as one
// character, the way the regexp package reads such input.
//
// A [Pattern] is compiled once from [Part]s: glob text, literal text (never a
// wildcard, whatever it contains) and variables whose values are looked up at
// match time and then matched literally. Matching never allocates and never
// backtracks exponentially: it places the star-separated segments leftmost,
// one after another, so it runs in O(len(pattern) × len(text)) in the worst
// case and close to O(len(text)) for typical patterns.
//
// Compiled patterns are immutable and safe for concurrent use.
package wildcard

import (
	"strings"
	"unicode/utf8"
)

// Kind says how the text of a [Part] is matched.
type Kind uint8

const (
	// Glob text: '*' and '?' are wildcards, every other byte is literal.
	Glob Kind = iota
	// Literal text: every byte, '*' and '?' included, matches itself.
	Literal
	// Var is a variable: its value comes from a [Resolver] at match time and is
	// matched literally.
	Var
)

// Part is one piece of a pattern before compilation.
type Part struct {
	Kind Kind
	// Text is the glob or literal text, or the variable's key for Var.
	Text string
	// Default is the value used for a Var the resolver does not know, when
	// HasDefault is set. Without a default, an unknown variable makes the
	// whole pattern match nothing.
	Default    string
	HasDefault bool
}

// Resolver looks up the value of a variable by the key given in its Part.
type Resolver interface {
	Lookup(key string) (value string, ok bool)
}

type atomKind uint8

const (
	atomLit atomKind = iota // text matched byte for byte
	atomOne                 // '?': one rune
	atomVar                 // resolved at match time
)

type atom struct {
	kind   atomKind
	text   string // literal bytes, or the variable key
	def    string
	hasDef bool
}

// Pattern is a compiled pattern. The zero Pattern matches only the empty
// string.
type Pattern struct {
	// segs are the star-separated segments. With star false there is exactly
	// one segment and it must cover the whole text; otherwise segs[0] is
	// anchored at the start, segs[len-1] at the end, and the middle ones float.
	segs [][]atom
	star bool
	fold bool
}

// Compile builds a pattern. With fold set, ASCII letters match without regard
// to case (other bytes still match exactly).
func Compile(parts []Part, fold bool) Pattern {
	p := Pattern{fold: fold}
	var cur []atom
	lit := func(s string) {
		if s == "" {
			return
		}
		if n := len(cur); n > 0 && cur[n-1].kind == atomLit {
			cur[n-1].text += s
			return
		}
		cur = append(cur, atom{kind: atomLit, text: s})
	}
	for _, pt := range parts {
		switch pt.Kind {
		case Literal:
			lit(pt.Text)
		case Var:
			cur = append(cur, atom{kind: atomVar, text: pt.Text, def: pt.Default, hasDef: pt.HasDefault})
		default:
			s := pt.Text
			for {
				i := strings.IndexAny(s, "*?")
				if i < 0 {
					lit(s)
					break
				}
				lit(s[:i])
				if s[i] == '?' {
					cur = append(cur, atom{kind: atomOne})
				} else {
					// A run of stars is one star; an empty middle segment is dropped.
					if !p.star || len(cur) > 0 {
						p.segs = append(p.segs, cur)
					}
					cur = nil
					p.star = true
				}
				s = s[i+1:]
			}
		}
	}
	p.segs = append(p.segs, cur)
	return p
}

// CompileGlob compiles a glob string: a pattern of one Glob part.
func CompileGlob(glob string, fold bool) Pattern {
	return Compile([]Part{{Kind: Glob, Text: glob}}, fold)
}

// Match reports whether s matches the pattern. Variables are resolved with r,
// which may be nil when the pattern has none (an unresolved variable without a
// default then makes the match fail).
func (p *Pattern) Match(s string, r Resolver) bool {
	if len(p.segs) == 0 {
		return s == ""
	}
	if !p.star {
		end, ok := p.matchAt(p.segs[0], s, 0, r)
		return ok && end == len(s)
	}
	end, ok := p.matchAt(p.segs[0], s, 0, r)
	if !ok {
		return false
	}
	i := end
	last := len(p.segs) - 1
	for _, seg := range p.segs[1:last] {
		e, found := p.find(seg, s, i, r)
		if !found {
			return false
		}
		i = e
	}
	return p.matchTail(p.segs[last], s, i, r)
}

// matchAt matches seg at position i and returns where it ends.
func (p *Pattern) matchAt(seg []atom, s string, i int, r Resolver) (int, bool) {
	for k := range seg {
		a := &seg[k]
		switch a.kind {
		case atomLit:
			if !p.hasPrefixAt(s, i, a.text) {
				return 0, false
			}
			i += len(a.text)
		case atomOne:
			if i >= len(s) {
				return 0, false
			}
			i += runeWidth(s, i)
		case atomVar:
			v, ok := resolve(a, r)
			if !ok || len(s)-i < len(v) || s[i:i+len(v)] != v {
				return 0, false
			}
			i += len(v)
		}
	}
	return i, true
}

// find looks for the leftmost start j >= i, on a character boundary, where seg
// matches, and returns the end of that match.
func (p *Pattern) find(seg []atom, s string, i int, r Resolver) (end int, ok bool) {
	if len(seg) > 0 && seg[0].kind == atomLit && !p.fold && !isCont(seg[0].text[0]) {
		// Occurrences of text that starts on a character boundary are
		// themselves on boundaries, so a substring search finds candidates.
		lead := seg[0].text
		for i <= len(s) {
			k := strings.Index(s[i:], lead)
			if k < 0 {
				return 0, false
			}
			j := i + k
			if e, ok := p.matchAt(seg, s, j, r); ok {
				return e, true
			}
			i = j + runeWidth(s, j)
		}
		return 0, false
	}
	for j := i; ; j += runeWidth(s, j) {
		if e, ok := p.matchAt(seg, s, j, r); ok {
			return e, true
		}
		if j >= len(s) {
			return 0, false
		}
	}
}

// matchTail reports whether seg matches a suffix of s that starts at a
// character boundary at or after i.
func (p *Pattern) matchTail(seg []atom, s string, i int, r Resolver) bool {
	if len(seg) == 1 && seg[0].kind == atomLit && !isCont(seg[0].text[0]) {
		t := seg[0].text
		j := len(s) - len(t)
		return j >= i && p.hasPrefixAt(s, j, t)
	}
	if len(seg) == 0 {
		return true
	}
	for j := i; ; j += runeWidth(s, j) {
		if e, ok := p.matchAt(seg, s, j, r); ok && e == len(s) {
			return true
		}
		if j >= len(s) {
			return false
		}
	}
}

func (p *Pattern) hasPrefixAt(s string, i int, t string) bool {
	if len(s)-i < len(t) {
		return false
	}
	if !p.fold {
		return s[i:i+len(t)] == t
	}
	for k := 0; k < len(t); k++ {
		if lower(s[i+k]) != lower(t[k]) {
			return false
		}
	}
	return true
}

func resolve(a *atom, r Resolver) (string, bool) {
	if r != nil {
		if v, ok := r.Lookup(a.text); ok {
			return v, true
		}
	}
	return a.def, a.hasDef
}

// runeWidth is the width of the character at s[i]: a valid UTF-8 sequence, or
// one byte. At the end of s it is 1, so loops over positions terminate.
func runeWidth(s string, i int) int {
	if i >= len(s) || s[i] < utf8.RuneSelf {
		return 1
	}
	_, w := utf8.DecodeRuneInString(s[i:])
	return w
}

func isCont(b byte) bool { return b&0xC0 == 0x80 }

func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// HasVars reports whether the pattern has variables.
func (p *Pattern) HasVars() bool {
	for _, seg := range p.segs {
		for _, a := range seg {
			if a.kind == atomVar {
				return true
			}
		}
	}
	return false
}

// Expand returns the text of a pattern without wildcards, its variables
// substituted from r; false when it has a wildcard or a variable without
// value or default.
func (p *Pattern) Expand(r Resolver) (string, bool) {
	if p.star || len(p.segs) != 1 {
		return "", false
	}
	seg := p.segs[0]
	if len(seg) == 1 && seg[0].kind == atomLit {
		return seg[0].text, true
	}
	var b strings.Builder
	for k := range seg {
		a := &seg[k]
		switch a.kind {
		case atomLit:
			b.WriteString(a.text)
		case atomVar:
			v, ok := resolve(a, r)
			if !ok {
				return "", false
			}
			b.WriteString(v)
		default:
			return "", false
		}
	}
	return b.String(), true
}
