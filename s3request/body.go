package s3request

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// maxDepth bounds the nesting of a body's XML.
const maxDepth = 32

// node is an element of a body: its local name (namespaces are ignored),
// its character data, and its child elements.
type node struct {
	name     string
	text     string
	children []*node
}

// child returns the first child element called name, nil if none.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// all returns the child elements called name.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// parseXML reads a body as one XML document: well-formed, one root, no
// DTD or entity declarations, at most MaxBody bytes and maxDepth deep. Its
// cost is linear in the body.
func parseXML(body []byte) (*node, error) {
	if len(body) > MaxBody {
		return nil, errors.New("body larger than 2 MiB")
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var root *node
	var stack []*node
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("more than one root element")
			}
			if len(stack) == maxDepth {
				return nil, errors.New("nested deeper than 32 elements")
			}
			n := &node{name: t.Name.Local}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
			text.Reset()
		case xml.EndElement:
			n := stack[len(stack)-1]
			if len(n.children) == 0 {
				n.text = text.String()
			}
			text.Reset()
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, errors.New("text outside the root element")
				}
				continue
			}
			text.Write(t)
		case xml.Directive:
			return nil, errors.New("DTD or entity declaration")
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// readBody parses the body an operation needs; a missing one is
// missing-body unless optional, a bad one malformed-body. root is the
// element the document must have.
func (p *mapping) readBody(root string, optional bool) (*node, *Error) {
	body := p.req.Body
	if len(body) > MaxBody {
		return nil, fail(ErrMalformedBody, "body", "", "body larger than 2 MiB")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil, nil
		}
		return nil, fail(ErrMissingBody, "body", "", p.out.Name+" needs a "+root+" document")
	}
	n, err := parseXML(body)
	if err != nil {
		return nil, fail(ErrMalformedBody, "body", "", err.Error())
	}
	if n.name != root {
		return nil, fail(ErrMalformedBody, "body", n.name, "the document must be "+root)
	}
	return n, nil
}
