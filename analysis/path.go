package analysis

import (
	"strconv"
	"strings"
)

// PathElement is one step of an Access Analyzer location path: an index
// into an array, or the name of an object member (Access Analyzer's
// "value" element).
type PathElement struct {
	// Index is the array index when IsIndex is set.
	Index   int
	IsIndex bool
	// Value is the member name otherwise.
	Value string
}

// MarshalJSON writes the element as Access Analyzer does: {"index":N} or
// {"value":"NAME"}.
func (e PathElement) MarshalJSON() ([]byte, error) {
	if e.IsIndex {
		return []byte(`{"index":` + strconv.Itoa(e.Index) + `}`), nil
	}
	b := []byte(`{"value":`)
	b = strconv.AppendQuote(b, e.Value)
	return append(b, '}'), nil
}

// path converts an RFC 6901 pointer into Access Analyzer's path, one token
// at a time, reading the document to tell array indexes from member names
// that look like numbers. Past the end of the document's values (a
// pointer to a member that is missing), a token of decimal digits is read
// as an index.
func path(root *node, ptr string) []PathElement {
	if ptr == "" {
		return []PathElement{}
	}
	toks := strings.Split(ptr[1:], "/")
	out := make([]PathElement, 0, len(toks))
	n := root
	for _, t := range toks {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		i, err := strconv.Atoi(t)
		index := err == nil && t == strconv.Itoa(i) && i >= 0
		switch {
		case n != nil && n.kind == jObject:
			out = append(out, PathElement{Value: t})
			n = n.get(t)
		case n != nil && n.kind == jArray && index:
			out = append(out, PathElement{Index: i, IsIndex: true})
			if i < len(n.elems) {
				n = n.elems[i]
			} else {
				n = nil
			}
		case n == nil && index:
			out = append(out, PathElement{Index: i, IsIndex: true})
		default:
			out = append(out, PathElement{Value: t})
			n = nil
		}
	}
	return out
}
