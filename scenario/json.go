package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/internal/jsonptr"
)

// node is one JSON value with its place in the file: the ordered tree the
// loader validates, with duplicate member names rejected (encoding/json
// would keep the last silently).
type node struct {
	kind  nodeKind
	keys  []string // object members, in order
	elems []*node  // object values or array elements
	str   string   // string contents or number text
	b     bool
	start int // byte offsets of the value in the file; a string's start
	end   int // is its end, where errors about it point
	// begin is where the value's token begins, a string's opening quote
	// included, for Scenario.Position.
	begin int
}

type nodeKind uint8

const (
	kNull nodeKind = iota
	kObject
	kArray
	kString
	kNumber
	kBool
)

var kindNames = [...]string{"null", "an object", "an array", "a string", "a number", "a boolean"}

func (k nodeKind) String() string { return kindNames[k] }

// maxDepth bounds the nesting of a scenario file; policies are the deepest
// part and need about 8 levels below the scenario's own 5.
const maxDepth = 32

// parseTree decodes data into a tree, or reports the JSON pointer of a
// duplicate member or the offset of a syntax error.
func parseTree(data []byte) (*node, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	n, err := readValue(d, data, "", 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, &pathError{off: int(d.InputOffset()), err: fmt.Errorf("%w: data after the top-level value", ErrSyntax)}
	}
	return n, nil
}

type pathError struct {
	ptr string
	off int
	err error
}

func (e *pathError) Error() string { return e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

func readValue(d *json.Decoder, data []byte, ptr string, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, &pathError{ptr: ptr, off: int(d.InputOffset()), err: fmt.Errorf("%w: nesting deeper than %d levels", ErrTooLarge, maxDepth)}
	}
	before := int(d.InputOffset())
	tok, err := d.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, &pathError{ptr: ptr, off: int(se.Offset), err: fmt.Errorf("%w: %v", ErrSyntax, se)}
		}
		return nil, &pathError{ptr: ptr, off: int(d.InputOffset()), err: fmt.Errorf("%w: %v", ErrSyntax, err)}
	}
	end := int(d.InputOffset())
	n := &node{end: end}
	switch t := tok.(type) {
	case json.Delim:
		n.start = end - 1
		if t == '{' {
			n.kind = kObject
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, &pathError{ptr: ptr, off: int(d.InputOffset()), err: fmt.Errorf("%w: %v", ErrSyntax, err)}
				}
				key, _ := kt.(string)
				kptr := member(ptr, key)
				for _, k := range n.keys {
					if k == key {
						return nil, &pathError{ptr: kptr, off: int(d.InputOffset()), err: fmt.Errorf("%w: %q appears more than once", ErrDuplicate, key)}
					}
				}
				v, err := readValue(d, data, kptr, depth+1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, key)
				n.elems = append(n.elems, v)
			}
		} else {
			n.kind = kArray
			for i := 0; d.More(); i++ {
				v, err := readValue(d, data, ptr+"/"+strconv.Itoa(i), depth+1)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
		if _, err := d.Token(); err != nil {
			return nil, &pathError{ptr: ptr, off: int(d.InputOffset()), err: fmt.Errorf("%w: %v", ErrSyntax, err)}
		}
		n.end = int(d.InputOffset())
	case string:
		n.kind, n.str = kString, t
		n.start = end // only object and array values are sliced
	case json.Number:
		n.kind, n.str = kNumber, string(t)
		n.start = end - len(t)
	case bool:
		n.kind, n.b = kBool, t
		n.start = end - len(strconv.FormatBool(t))
	case nil:
		n.kind = kNull
		n.start = end - 4
	}
	// The value's token begins after the separators and spaces that
	// follow the previous token (a string's escapes make its length no
	// guide to where it began).
	n.begin = before
	for n.begin < end && strings.IndexByte(" \t\r\n,:", data[n.begin]) >= 0 {
		n.begin++
	}
	return n, nil
}

// raw returns the bytes of an object or array value.
func (n *node) raw(data []byte) []byte {
	return data[n.start:n.end]
}

// get returns the member named key of an object.
func (n *node) get(key string) (*node, bool) {
	for i, k := range n.keys {
		if k == key {
			return n.elems[i], true
		}
	}
	return nil, false
}

// text returns the string of member key of an object, "" when it is
// absent.
func (n *node) text(key string) string {
	v, _ := n.get(key)
	if v == nil {
		return ""
	}
	return v.str
}

// flag returns the boolean of member key of an object, false when it is
// absent.
func (n *node) flag(key string) bool {
	v, _ := n.get(key)
	return v != nil && v.b
}

// member returns ptr extended by an object member name, escaped as RFC 6901
// requires.
func member(ptr, name string) string {
	return string(jsonptr.AppendKey([]byte(ptr), name))
}
