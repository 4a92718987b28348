package globlang

import (
	"math/bits"
	"slices"
	"strings"
)

type tokKind uint8

const (
	tLit  tokKind = iota // one literal character
	tOne                 // '?': one character
	tStar                // '*': any run of characters
)

type tok struct {
	kind tokKind
	// noColon: a wildcard inside one of an ARN's first five components,
	// which never matches ':'.
	noColon bool
	// fold: a literal ASCII letter that matches either case.
	fold bool
	r    rune
}

// Pattern is a compiled pattern: a sequence of literal characters and
// wildcards. The zero Pattern matches only the empty string. A Pattern is
// immutable.
type Pattern struct {
	toks []tok
}

// Glob compiles text in which '*' and '?' are wildcards. With fold, ASCII
// letters match either case.
func Glob(text string, fold bool) Pattern {
	var p Pattern
	p.appendText(text, true, false, fold)
	return p
}

// Literal compiles text in which every character, '*' and '?' included,
// matches only itself. With fold, ASCII letters match either case.
func Literal(text string, fold bool) Pattern {
	var p Pattern
	p.appendText(text, false, false, fold)
	return p
}

// Part is one piece of a pattern built by [Concat].
type Part struct {
	// Text is the piece's text.
	Text string
	// Glob makes '*' and '?' in Text wildcards; otherwise they are
	// literal.
	Glob bool
	// NoColon keeps the wildcards of Text from matching ':'.
	NoColon bool
	// Fold makes the ASCII letters of Text match either case.
	Fold bool
}

// Concat compiles the concatenation of parts, for patterns that mix glob
// text and literal text (such as a policy pattern with the escapes ${*} and
// ${?}).
func Concat(parts ...Part) Pattern {
	var p Pattern
	for _, pt := range parts {
		p.appendText(pt.Text, pt.Glob, pt.NoColon, pt.Fold)
	}
	return p
}

// ARN compiles the value of an Arn operator: split at its first five colons
// into six components matched one by one, so that the wildcards of the
// first five components (when glob is set) never match ':'. ok is false
// when text has fewer than five colons or does not start with "arn:"; such
// a value matches nothing.
func ARN(text string, glob bool) (p Pattern, ok bool) {
	if !strings.HasPrefix(text, "arn:") {
		return Pattern{}, false
	}
	s := text
	for range 5 {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			return Pattern{}, false
		}
		p.appendText(s[:i], glob, true, false)
		p.toks = append(p.toks, tok{kind: tLit, r: ':'})
		s = s[i+1:]
	}
	p.appendText(s, glob, false, false)
	return p, true
}

func (p *Pattern) appendText(text string, glob, noColon, fold bool) {
	for _, r := range text {
		switch {
		case glob && r == '*':
			// A run of stars is one star.
			if n := len(p.toks); n > 0 && p.toks[n-1].kind == tStar && p.toks[n-1].noColon == noColon {
				continue
			}
			p.toks = append(p.toks, tok{kind: tStar, noColon: noColon})
		case glob && r == '?':
			p.toks = append(p.toks, tok{kind: tOne, noColon: noColon})
		default:
			t := tok{kind: tLit, r: r}
			if fold && isLetter(r) {
				t.r, t.fold = lower(r), true
			}
			p.toks = append(p.toks, t)
		}
	}
}

func isLetter(r rune) bool { return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') }

func lower(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// matches reports whether token t (not a star) consumes symbol r; other
// means a character outside the alphabet.
func (t tok) matches(r rune, other bool) bool {
	switch t.kind {
	case tLit:
		if other {
			return false
		}
		return r == t.r || (t.fold && lower(r) == t.r)
	default:
		return !(t.noColon && !other && r == ':')
	}
}

// Match reports whether s matches p. It takes time O(len(p) × len(s)) and
// allocates one bit set of len(p)+1 bits.
func (p Pattern) Match(s string) bool {
	cur := make([]bool, len(p.toks)+1)
	next := make([]bool, len(p.toks)+1)
	cur[0] = true
	p.closure(cur)
	for _, r := range s {
		clear(next)
		for i, t := range p.toks {
			if !cur[i] || !t.matches(r, false) {
				continue
			}
			if t.kind == tStar {
				next[i] = true
			} else {
				next[i+1] = true
			}
		}
		p.closure(next)
		cur, next = next, cur
	}
	return cur[len(p.toks)]
}

func (p Pattern) closure(set []bool) {
	for i, t := range p.toks {
		if set[i] && t.kind == tStar {
			set[i+1] = true
		}
	}
}

// String returns a readable form of the pattern: wildcards as '*' and '?',
// a literal '*', '?' or '\' escaped with '\', and a wildcard that never
// matches ':' marked with a following '\:'. It is for messages and tests.
func (p Pattern) String() string {
	var b strings.Builder
	for _, t := range p.toks {
		switch t.kind {
		case tStar:
			b.WriteByte('*')
		case tOne:
			b.WriteByte('?')
		default:
			if t.r == '*' || t.r == '?' || t.r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(t.r)
			continue
		}
		if t.noColon {
			b.WriteString(`\:`)
		}
	}
	return b.String()
}

// Lit is one literal of a conjunction: the union of Pats, or its complement
// when Neg is set. The zero Lit (no patterns, not negated) is the empty set.
type Lit struct {
	Pats []Pattern
	Neg  bool
}

// Answer is a three-valued answer. The zero Answer is Unknown.
type Answer uint8

const (
	// Unknown: the work budget ran out before the question was settled.
	Unknown Answer = iota
	// Yes: the property holds.
	Yes
	// No: the property does not hold.
	No
)

// String returns "unknown", "yes" or "no".
func (a Answer) String() string {
	switch a {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "unknown"
}

// DefaultBudget is the work budget of the zero Options: enough for every
// question a policy of S3's 20 KiB size limit asks of one dimension in
// common shapes.
const DefaultBudget = 1 << 20

// Options bound a query.
type Options struct {
	// Budget is the work budget in token positions visited (see the
	// package documentation); 0 means DefaultBudget.
	Budget int
}

// Result is the answer to [Solve].
type Result struct {
	// Nonempty is Yes when the conjunction has a member (then Member is a
	// shortest one), No when it is empty, Unknown past the budget.
	Nonempty Answer
	// Member is a string in every positive literal and in no negated one,
	// when Nonempty is Yes.
	Member string
	// Work is the work spent, in token positions visited.
	Work int
}

// Intersects reports whether the unions a and b have a common member.
func Intersects(a, b []Pattern, o Options) Answer {
	return Solve([]Lit{{Pats: a}, {Pats: b}}, o).Nonempty
}

// Subset reports whether every string of the union a matches some pattern
// of the union b.
func Subset(a, b []Pattern, o Options) Answer {
	switch Solve([]Lit{{Pats: a}, {Pats: b, Neg: true}}, o).Nonempty {
	case Yes:
		return No
	case No:
		return Yes
	}
	return Unknown
}

// Difference returns a string of the union a that matches no pattern of the
// union b, with Nonempty Yes; No when there is none.
func Difference(a, b []Pattern, o Options) Result {
	return Solve([]Lit{{Pats: a}, {Pats: b, Neg: true}}, o)
}

// otherCandidates are the characters that stand for "any other character"
// in members, the first one the patterns do not use.
const otherCandidates = "xyzqjkw0123456789"

// automaton is one literal's union as an NFA over token positions: pattern
// i occupies positions base[i] .. base[i]+len(toks) (the last one accepts).
type automaton struct {
	toks   []tok // all patterns' tokens, each followed by an accept marker
	accept []bool
	start  []int
	stars  []int // positions of stars, in order, for the closure
	neg    bool
	words  int
}

// Solve decides whether the conjunction of lits has a member, and finds a
// shortest one. An empty conjunction is every string, so its member is "".
func Solve(lits []Lit, o Options) Result {
	budget := o.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	// The alphabet.
	var alpha []rune
	for _, l := range lits {
		for _, p := range l.Pats {
			for _, t := range p.toks {
				switch {
				case t.kind == tLit:
					// A folded letter needs no upper-case symbol of its
					// own: only a pattern that does not fold tells the
					// cases apart, and it adds its own letter.
					alpha = append(alpha, t.r)
				case t.noColon:
					alpha = append(alpha, ':')
				}
			}
		}
	}
	slices.Sort(alpha)
	alpha = slices.Compact(alpha)
	other := rune(-1)
	for _, r := range otherCandidates {
		if _, found := slices.BinarySearch(alpha, r); !found {
			other = r
			break
		}
	}
	if other < 0 {
		for r := rune(0xE000); ; r++ { // the private use area
			if _, found := slices.BinarySearch(alpha, r); !found {
				other = r
				break
			}
		}
	}

	auts := make([]automaton, len(lits))
	total := 0
	for i, l := range lits {
		a := &auts[i]
		a.neg = l.Neg
		for _, p := range l.Pats {
			a.start = append(a.start, len(a.toks))
			a.toks = append(a.toks, p.toks...)
			a.toks = append(a.toks, tok{})
			for range p.toks {
				a.accept = append(a.accept, false)
			}
			a.accept = append(a.accept, true)
		}
		a.words = (len(a.toks) + 63) / 64
		total += a.words
		for j, t := range a.toks {
			if !a.accept[j] && t.kind == tStar {
				a.stars = append(a.stars, j)
			}
		}
	}
	if disjointPrefixes(lits) {
		return Result{Nonempty: No, Work: len(lits)}
	}

	type node struct {
		state  []uint64
		parent int
		sym    rune
	}
	work := 0
	init := make([]uint64, total)
	off := 0
	for i := range auts {
		a := &auts[i]
		s := init[off : off+a.words]
		for _, st := range a.start {
			s[st/64] |= 1 << (st % 64)
		}
		a.closure(s)
		off += a.words
		work += len(a.toks)
	}
	nodes := []node{{state: init, parent: -1}}
	seen := map[string]bool{key(init): true}
	syms := make([]rune, 0, len(alpha)+1)
	syms = append(syms, other)
	syms = append(syms, alpha...)
	for q := 0; q < len(nodes); q++ {
		n := nodes[q]
		if dead(auts, n.state) {
			continue
		}
		if accepting(auts, n.state) {
			var rs []rune
			for k := q; nodes[k].parent >= 0; k = nodes[k].parent {
				rs = append(rs, nodes[k].sym)
			}
			slices.Reverse(rs)
			return Result{Nonempty: Yes, Member: string(rs), Work: work}
		}
		for si, r := range syms {
			if work > budget {
				return Result{Nonempty: Unknown, Work: work}
			}
			next := make([]uint64, total)
			off := 0
			for i := range auts {
				a := &auts[i]
				work += a.step(n.state[off:off+a.words], next[off:off+a.words], r, si == 0)
				off += a.words
			}
			k := key(next)
			if seen[k] {
				continue
			}
			seen[k] = true
			nodes = append(nodes, node{state: next, parent: q, sym: r})
		}
	}
	return Result{Nonempty: No, Work: work}
}

func key(s []uint64) string {
	b := make([]byte, 0, 8*len(s))
	for _, w := range s {
		for i := range 8 {
			b = append(b, byte(w>>(8*i)))
		}
	}
	return string(b)
}

func has(s []uint64, i int) bool { return s[i/64]&(1<<(i%64)) != 0 }

// closure adds the position after every star in s.
func (a *automaton) closure(s []uint64) {
	for _, i := range a.stars {
		if has(s, i) {
			s[(i+1)/64] |= 1 << ((i + 1) % 64)
		}
	}
}

// step moves from cur over symbol r into next and returns the work done.
func (a *automaton) step(cur, next []uint64, r rune, other bool) int {
	work := 0
	for w, word := range cur {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			i := w*64 + b
			work++
			if a.accept[i] {
				continue
			}
			t := a.toks[i]
			if !t.matches(r, other) {
				continue
			}
			j := i + 1
			if t.kind == tStar {
				j = i
			}
			next[j/64] |= 1 << (j % 64)
		}
	}
	a.closure(next)
	return work + 1
}

// dead reports a state from which no member can be reached: some positive
// literal's automaton has no live position left.
func dead(auts []automaton, state []uint64) bool {
	off := 0
	for i := range auts {
		a := &auts[i]
		if !a.neg {
			empty := true
			for _, w := range state[off : off+a.words] {
				if w != 0 {
					empty = false
					break
				}
			}
			if empty {
				return true
			}
		}
		off += a.words
	}
	return false
}

func accepting(auts []automaton, state []uint64) bool {
	off := 0
	for i := range auts {
		a := &auts[i]
		acc := false
		for j, ok := range a.accept {
			if ok && has(state[off:off+a.words], j) {
				acc = true
				break
			}
		}
		if acc == a.neg {
			return false
		}
		off += a.words
	}
	return true
}

// disjointPrefixes is a quick sufficient test of emptiness: two positive
// literals whose patterns pairwise begin with incompatible literal text
// (neither a prefix of the other, or two different exact strings) share no
// member. Policies compare many resources of distinct prefixes, which this
// settles without building automata.
func disjointPrefixes(lits []Lit) bool {
	for i := range lits {
		if lits[i].Neg {
			continue
		}
		for j := i + 1; j < len(lits); j++ {
			if lits[j].Neg {
				continue
			}
			disjoint := true
			for _, p := range lits[i].Pats {
				for _, q := range lits[j].Pats {
					if compatible(p, q) {
						disjoint = false
						break
					}
				}
				if !disjoint {
					break
				}
			}
			if disjoint {
				return true
			}
		}
	}
	return false
}

// compatible reports whether the literal beginnings of p and q leave room
// for a common member.
func compatible(p, q Pattern) bool {
	for k := 0; ; k++ {
		pEnd, qEnd := k == len(p.toks), k == len(q.toks)
		switch {
		case pEnd && qEnd:
			return true
		case pEnd:
			return q.toks[k].kind == tStar // p exact and shorter
		case qEnd:
			return p.toks[k].kind == tStar
		}
		a, b := p.toks[k], q.toks[k]
		if a.kind != tLit || b.kind != tLit {
			return true
		}
		if a.r != b.r && !((a.fold || b.fold) && lower(a.r) == lower(b.r)) {
			return false
		}
	}
}
