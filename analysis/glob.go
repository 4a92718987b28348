package analysis

import "strings"

// This file decides inclusion and intersection of the glob patterns of
// policies ('*' any run of characters, '?' one character), which the
// redundancy and resource checks need (spec §5.3). Both run in time
// O(len(a) × len(b)) and give up (answering conservatively) past maxGlob
// bytes.

// maxGlob bounds the patterns the checks compare; longer ones are not
// compared, so the time of one comparison stays bounded.
const maxGlob = 1024

// covers reports whether every string b matches is matched by a: a '*' of
// b must meet a '*' of a, a '?' of b a '?' or '*' of a. With fold set,
// ASCII letters compare without regard to case. Patterns longer than
// maxGlob are never said to cover.
func covers(a, b string, fold bool) bool {
	if len(a) > maxGlob || len(b) > maxGlob {
		return false
	}
	// A byte of a other than '*' stands for exactly one byte of b, so
	// the ends of the patterns up to a's first and last '*' are compared
	// byte by byte; most comparisons end there.
	for len(a) > 0 && a[0] != '*' {
		if len(b) == 0 || !coversOne(a[0], b[0], fold) {
			return false
		}
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && a[len(a)-1] != '*' {
		if len(b) == 0 || !coversOne(a[len(a)-1], b[len(b)-1], fold) {
			return false
		}
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	if len(a) == 0 {
		return len(b) == 0
	}
	return coversTable(a, b, fold)
}

// coversTable is covers by dynamic programming over the whole patterns, in
// time O(len(a) × len(b)); tables for short patterns stay on the stack.
func coversTable(a, b string, fold bool) bool {
	// prev[j] / cur[j]: a[:i] covers b[:j].
	var buf [2 * 128]bool
	var prev, cur []bool
	if len(b) < 128 {
		prev, cur = buf[:len(b)+1], buf[128:128+len(b)+1]
	} else {
		prev, cur = make([]bool, len(b)+1), make([]bool, len(b)+1)
	}
	prev[0] = true
	for i := 1; i <= len(a); i++ {
		ac := a[i-1]
		cur[0] = ac == '*' && prev[0]
		for j := 1; j <= len(b); j++ {
			bc := b[j-1]
			switch ac {
			case '*':
				cur[j] = prev[j] || cur[j-1]
			case '?':
				cur[j] = bc != '*' && prev[j-1]
			default:
				cur[j] = bc != '*' && bc != '?' && eqByte(ac, bc, fold) && prev[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// coversOne reports whether a byte of a other than '*' covers the byte bc
// of b: '?' covers any byte but '*', a literal only the same literal.
func coversOne(ac, bc byte, fold bool) bool {
	if ac == '?' {
		return bc != '*'
	}
	return bc != '*' && bc != '?' && eqByte(ac, bc, fold)
}

func eqByte(a, b byte, fold bool) bool {
	if fold {
		return lower(a) == lower(b)
	}
	return a == b
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// A template describes a set of strings: a sequence of tokens, each a
// literal byte or a run of any length of bytes outside a class.
type tok struct {
	lit  byte
	run  bool   // a run of bytes not in except
	excl string // bytes a run may not contain
}

// tmpl builds a template from a compact form: '%' is a run of bytes other
// than ':' and '/', '#' a run of bytes other than ':', '&' a run of any
// bytes; every other byte is literal.
func tmpl(s string) []tok {
	t := make([]tok, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%':
			t = append(t, tok{run: true, excl: ":/"})
		case '#':
			t = append(t, tok{run: true, excl: ":"})
		case '&':
			t = append(t, tok{run: true})
		default:
			t = append(t, tok{lit: s[i]})
		}
	}
	return t
}

// literalTemplate is a template matching exactly s.
func literalTemplate(s string) []tok {
	t := make([]tok, len(s))
	for i := 0; i < len(s); i++ {
		t[i] = tok{lit: s[i]}
	}
	return t
}

// table is a flat two-dimensional table of booleans, w columns a row.
type table struct {
	cells []bool
	w     int
}

func (t table) at(i, j int) bool { return t.cells[i*t.w+j] }
func (t table) set(i, j int)     { t.cells[i*t.w+j] = true }

// intersects reports whether some string matches both the glob pattern p
// and the template t. A pattern longer than maxGlob is assumed to
// intersect.
func intersects(p string, t []tok) bool {
	if len(p) > maxGlob || len(t) > maxGlob+64 {
		return true
	}
	n, m := len(p), len(t)
	// reach.at(i, j): p[:i] and t[:j] can match the same prefix; one flat
	// table, on the stack when it is small.
	var buf [2048]bool
	cells := buf[:0]
	if (n+1)*(m+1) <= len(buf) {
		cells = buf[:(n+1)*(m+1)]
	} else {
		cells = make([]bool, (n+1)*(m+1))
	}
	reach := table{cells: cells, w: m + 1}
	reach.set(0, 0)
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			if !reach.at(i, j) {
				continue
			}
			// Epsilon moves: a '*' of p or a run of t may match nothing.
			if i < n && p[i] == '*' {
				reach.set(i+1, j)
			}
			if j < m && t[j].run {
				reach.set(i, j+1)
			}
			if i == n || j == m {
				continue
			}
			pc, tk := p[i], t[j]
			switch {
			case pc == '*' && tk.run:
				// Both absorb one byte some byte outside the run's class.
				// Covered by the epsilon moves together with the single-byte
				// moves below: nothing more to add.
			case pc == '*':
				reach.set(i, j+1) // p's '*' absorbs the literal
			case tk.run:
				if pc == '?' || !strings.ContainsRune(tk.excl, rune(pc)) {
					reach.set(i+1, j) // the run absorbs p's byte
				}
			default:
				if pc == '?' || pc == tk.lit {
					reach.set(i+1, j+1)
				}
			}
		}
	}
	return reach.at(n, m)
}

// compareBudget is the number of comparison cells (pattern length times
// pattern length) one Validate call may spend on pattern comparisons, so
// that a document of many long patterns is still checked quickly. Past it,
// comparisons answer what reports nothing: not covered, intersecting.
const compareBudget = 1 << 25

// spend takes the cost of comparing patterns of lengths a and b from the
// budget, and reports whether it was there.
func (v *validator) spend(a, b int) bool {
	c := (a + 1) * (b + 1)
	if c > v.budget {
		v.budget = 0
		return false
	}
	v.budget -= c
	return true
}

// covers is covers within the budget; false past it.
func (v *validator) covers(a, b string, fold bool) bool {
	return v.spend(len(a), len(b)) && covers(a, b, fold)
}

// intersects is intersects within the budget; true past it.
func (v *validator) intersects(p string, t []tok) bool {
	return !v.spend(len(p), len(t)) || intersects(p, t)
}
