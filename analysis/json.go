package analysis

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/s3authz/s3authz/internal/jsonptr"
)

// This file is the tolerant JSON reader: it keeps what package policy
// refuses (duplicate members, wrong types, unknown members) together with
// the pointer and byte span of every value, so the checks can report on
// documents Parse rejects. Only malformed JSON stops it.

// kind is the JSON type of a node.
type kind uint8

const (
	jObject kind = iota + 1
	jArray
	jString
	jNumber
	jBool
	jNull
)

// node is one JSON value with its location.
type node struct {
	kind       kind
	start, end int    // byte span of the value token; strings include quotes
	up         *node  // the enclosing object or array; nil for the root
	name       string // member name in up, when up is an object
	index      int    // index in up, when up is an array
	text       string // decoded string, or the literal text of a number or boolean
	members    []member
	elems      []*node
}

// member is one member of an object, in document order; duplicates are kept.
type member struct {
	name       string
	start, end int // span of the name token, quotes included
	val        *node
}

// pointer returns the node's RFC 6901 JSON pointer, built on demand so
// that long member names are not copied into every value below them.
func (n *node) pointer() string {
	var chain []*node
	for c := n; c != nil && c.up != nil; c = c.up {
		chain = append(chain, c)
	}
	var b []byte
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		if c.up.kind == jObject {
			b = jsonptr.AppendKey(b, c.name)
		} else {
			b = jsonptr.AppendIndex(b, c.index)
		}
	}
	return string(b)
}

// get returns the first member called name, or nil.
func (n *node) get(name string) *node {
	if n == nil || n.kind != jObject {
		return nil
	}
	for i := range n.members {
		if n.members[i].name == name {
			return n.members[i].val
		}
	}
	return nil
}

// list returns the node's values: the elements of an array, or the node
// itself for any other value.
func (n *node) list() []*node {
	if n == nil {
		return nil
	}
	if n.kind == jArray {
		return n.elems
	}
	return []*node{n}
}

// reader parses JSON text into nodes, within depth and value limits.
type reader struct {
	data     []byte
	pos      int
	depth    int
	values   int
	maxDepth int
	maxVals  int
	err      string // first syntax error
	errOff   int
	limit    bool // a depth or value limit was exceeded
}

// readJSON parses data. On a syntax error it returns the offset and a
// description; limit reports a depth or value limit exceeded.
func readJSON(data []byte, maxDepth, maxValues int) (root *node, errOff int, errMsg string, limit bool) {
	r := &reader{data: data, maxDepth: maxDepth, maxVals: maxValues}
	r.space()
	root = r.value(nil, "", 0)
	if r.err == "" && !r.limit {
		r.space()
		if r.pos < len(r.data) {
			r.fail("data after the top-level value")
		}
	}
	if r.err != "" || r.limit {
		return nil, r.errOff, r.err, r.limit
	}
	return root, -1, "", false
}

func (r *reader) fail(msg string) {
	if r.err == "" && !r.limit {
		r.err, r.errOff = msg, r.pos
	}
}

func (r *reader) bad() bool { return r.err != "" || r.limit }

func (r *reader) space() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

func (r *reader) value(up *node, name string, index int) *node {
	if r.bad() {
		return nil
	}
	r.values++
	if r.values > r.maxVals {
		r.limit = true
		return nil
	}
	if r.pos >= len(r.data) {
		r.fail("unexpected end of input")
		return nil
	}
	n := &node{start: r.pos, up: up, name: name, index: index}
	switch c := r.data[r.pos]; {
	case c == '{':
		n.kind = jObject
		r.container(n, '}')
	case c == '[':
		n.kind = jArray
		r.container(n, ']')
	case c == '"':
		n.kind = jString
		s, ok := r.str()
		if !ok {
			return nil
		}
		n.text = s
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range [...]string{"true", "false", "null"} {
			if len(r.data)-r.pos >= len(lit) && string(r.data[r.pos:r.pos+len(lit)]) == lit {
				r.pos += len(lit)
				n.kind, n.text = jBool, lit
				if lit == "null" {
					n.kind = jNull
				}
				break
			}
		}
		if n.kind == 0 {
			r.fail("invalid literal")
			return nil
		}
	case c == '-' || '0' <= c && c <= '9':
		if !r.number() {
			return nil
		}
		n.kind, n.text = jNumber, string(r.data[n.start:r.pos])
	default:
		r.fail("unexpected character " + strconv.QuoteRune(rune(c)))
		return nil
	}
	if r.bad() {
		return nil
	}
	n.end = r.pos
	return n
}

func (r *reader) container(n *node, closing byte) {
	r.depth++
	if r.depth > r.maxDepth {
		r.limit = true
		return
	}
	defer func() { r.depth-- }()
	r.pos++
	r.space()
	if r.pos < len(r.data) && r.data[r.pos] == closing {
		r.pos++
		return
	}
	for !r.bad() {
		r.space()
		if closing == '}' {
			if r.pos >= len(r.data) || r.data[r.pos] != '"' {
				r.fail("want a member name")
				return
			}
			ns := r.pos
			name, ok := r.str()
			if !ok {
				return
			}
			ne := r.pos
			r.space()
			if r.pos >= len(r.data) || r.data[r.pos] != ':' {
				r.fail("want ':' after a member name")
				return
			}
			r.pos++
			r.space()
			v := r.value(n, name, 0)
			if v == nil {
				return
			}
			n.members = append(n.members, member{name: name, start: ns, end: ne, val: v})
		} else {
			v := r.value(n, "", len(n.elems))
			if v == nil {
				return
			}
			n.elems = append(n.elems, v)
		}
		r.space()
		if r.pos >= len(r.data) {
			r.fail("unexpected end of input")
			return
		}
		switch r.data[r.pos] {
		case ',':
			r.pos++
			r.space()
			if r.pos < len(r.data) && r.data[r.pos] == closing {
				r.fail("trailing comma")
				return
			}
		case closing:
			r.pos++
			return
		default:
			r.fail("want ',' or '" + string(closing) + "'")
			return
		}
	}
}

// str reads a string token at r.pos and returns its decoded value.
func (r *reader) str() (string, bool) {
	r.pos++ // opening quote
	start := r.pos
	var out []byte
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			s := string(r.data[start:r.pos])
			if out != nil {
				s = string(out)
			}
			r.pos++
			return s, true
		case c < 0x20:
			r.fail("control character in a string")
			return "", false
		case c == '\\':
			if out == nil {
				out = append([]byte{}, r.data[start:r.pos]...)
			}
			if r.pos+1 >= len(r.data) {
				r.fail("unexpected end of input")
				return "", false
			}
			e := r.data[r.pos+1]
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				c1, ok := r.hex4(r.pos + 2)
				if !ok {
					r.fail("invalid \\u escape")
					return "", false
				}
				if utf16.IsSurrogate(c1) {
					c2, ok := rune(0), false
					if r.pos+7 < len(r.data) && r.data[r.pos+6] == '\\' && r.data[r.pos+7] == 'u' {
						c2, ok = r.hex4(r.pos + 8)
					}
					d := utf16.DecodeRune(c1, c2)
					if !ok || d == utf8.RuneError {
						r.fail("unpaired UTF-16 surrogate escape")
						return "", false
					}
					out = utf8.AppendRune(out, d)
					r.pos += 12
					continue
				}
				out = utf8.AppendRune(out, c1)
				r.pos += 6
				continue
			default:
				r.fail("invalid escape")
				return "", false
			}
			r.pos += 2
		default:
			if out != nil {
				out = append(out, c)
			}
			r.pos++
		}
	}
	r.fail("unterminated string")
	return "", false
}

func (r *reader) hex4(i int) (rune, bool) {
	if i+4 > len(r.data) {
		return 0, false
	}
	var v rune
	for _, c := range r.data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// number reads a JSON number (RFC 8259 grammar).
func (r *reader) number() bool {
	d := r.data
	if r.pos < len(d) && d[r.pos] == '-' {
		r.pos++
	}
	digits := func() int {
		n := 0
		for r.pos < len(d) && '0' <= d[r.pos] && d[r.pos] <= '9' {
			r.pos++
			n++
		}
		return n
	}
	if r.pos < len(d) && d[r.pos] == '0' {
		r.pos++
	} else if digits() == 0 {
		r.fail("invalid number")
		return false
	}
	if r.pos < len(d) && d[r.pos] == '.' {
		r.pos++
		if digits() == 0 {
			r.fail("invalid number")
			return false
		}
	}
	if r.pos < len(d) && (d[r.pos] == 'e' || d[r.pos] == 'E') {
		r.pos++
		if r.pos < len(d) && (d[r.pos] == '+' || d[r.pos] == '-') {
			r.pos++
		}
		if digits() == 0 {
			r.fail("invalid number")
			return false
		}
	}
	return true
}
