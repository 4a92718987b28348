package acl

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/s3authz/s3authz/internal/ids"
)

// Parser parses ACL documents with a size limit. The zero Parser is ready
// to use; it holds no state and is safe for concurrent use.
type Parser struct {
	// MaxBytes caps the document size; zero means DefaultMaxBytes.
	MaxBytes int
}

// DefaultMaxBytes is 64 KiB: about twice the size of an ACL with MaxGrants
// indented grants with display names.
const DefaultMaxBytes = 64 << 10

// Parse parses an AccessControlPolicy document with the zero Parser.
func Parse(data []byte) (*ACL, error) { return Parser{}.Parse(data) }

// MustParse is like Parse but panics on error. It is intended for tests and
// fixtures with hard-coded documents.
func MustParse(s string) *ACL {
	a, err := Parse([]byte(s))
	if err != nil {
		panic(fmt.Sprintf("acl.MustParse: %v", err))
	}
	return a
}

// Parse parses an AccessControlPolicy document: an Owner with an ID and
// optional DisplayName, and an AccessControlList of at most MaxGrants
// grants, each a Grantee (xsi:type CanonicalUser with ID, Group with URI, or
// AmazonCustomerByEmail with EmailAddress) and a Permission. The root may be
// in the S3 namespace or in none. Anything else — unknown, missing or
// repeated elements, unknown attributes, text where children belong, values
// outside their domain, DOCTYPE and entity declarations, processing
// instructions other than the XML declaration, more than one root — is an
// error: a single *Error naming the element path and line, wrapping one
// sentinel. Parse never panics, and its work and memory are linear in the
// input.
func (ps Parser) Parse(data []byte) (*ACL, error) {
	max := ps.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	if len(data) > max {
		return nil, &Error{Err: errf(ErrTooLarge, "%d bytes, the limit is %d", len(data), max)}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, w := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && w == 1 {
				break
			}
			off += w
		}
		return nil, &Error{Line: 1 + bytes.Count(data[:off], []byte{'\n'}), Err: errf(ErrSyntax, "invalid UTF-8")}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	p := &xmlParser{d: d}
	a, err := p.document()
	if err != nil {
		return nil, err
	}
	return a, nil
}

type xmlParser struct {
	d  *xml.Decoder
	ns string // the root's namespace: "" or Namespace
}

func (p *xmlParser) line() int {
	l, _ := p.d.InputPos()
	return l
}

// next returns the next token, turning decoder errors and forbidden
// constructs into *Error. At the end of input it returns io.EOF.
func (p *xmlParser) next() (xml.Token, error) {
	tok, err := p.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, &Error{Line: se.Line, Err: errf(ErrSyntax, "%s", se.Msg)}
		}
		return nil, &Error{Line: p.line(), Err: errf(ErrSyntax, "%v", err)}
	}
	switch t := tok.(type) {
	case xml.Directive:
		return nil, &Error{Line: p.line(), Err: errf(ErrForbidden, "<!%s…>: DOCTYPE and entity declarations are not accepted", firstWord(t))}
	case xml.ProcInst:
		if t.Target != "xml" {
			return nil, &Error{Line: p.line(), Err: errf(ErrForbidden, "processing instruction <?%s?>", t.Target)}
		}
	}
	return tok, nil
}

func firstWord(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, " \t\r\n["); i >= 0 {
		s = s[:i]
	}
	if len(s) > 16 {
		s = s[:16]
	}
	return s
}

func isSpace(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

func (p *xmlParser) document() (*ACL, error) {
	var root xml.StartElement
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil, &Error{Line: p.line(), Err: errf(ErrSyntax, "no root element")}
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
		if cd, ok := tok.(xml.CharData); ok && !isSpace(cd) {
			return nil, &Error{Line: p.line(), Err: errf(ErrSyntax, "text before the root element")}
		}
	}
	line := p.line()
	if root.Name.Local != "AccessControlPolicy" || (root.Name.Space != "" && root.Name.Space != Namespace) {
		return nil, &Error{Path: root.Name.Local, Line: line, Err: errf(ErrUnknownElement, "the root element is AccessControlPolicy in namespace %q, not %s", Namespace, describe(root.Name))}
	}
	p.ns = root.Name.Space
	const path = "AccessControlPolicy"
	if err := p.attrs(root, path, line); err != nil {
		return nil, err
	}
	a := &ACL{}
	var haveOwner, haveList bool
	err := p.children(path, func(se xml.StartElement, cpath string, cline int) error {
		switch se.Name.Local {
		case "Owner":
			if haveOwner {
				return &Error{Path: cpath, Line: cline, Err: errf(ErrDuplicateElement, "Owner appears more than once")}
			}
			haveOwner = true
			return p.owner(se, cpath, cline, &a.Owner)
		case "AccessControlList":
			if haveList {
				return &Error{Path: cpath, Line: cline, Err: errf(ErrDuplicateElement, "AccessControlList appears more than once")}
			}
			haveList = true
			return p.grantList(se, cpath, cline, a)
		}
		return p.unknown(se, cpath, cline)
	})
	if err != nil {
		return nil, err
	}
	switch {
	case !haveOwner:
		return nil, &Error{Path: path, Line: line, Err: errf(ErrMissingElement, "Owner")}
	case !haveList:
		return nil, &Error{Path: path, Line: line, Err: errf(ErrMissingElement, "AccessControlList")}
	}
	// Only white space and comments may follow the root.
	for {
		tok, err := p.next()
		if err == io.EOF {
			return a, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return nil, &Error{Line: p.line(), Err: errf(ErrSyntax, "a second root element <%s>", t.Name.Local)}
		case xml.CharData:
			if !isSpace(t) {
				return nil, &Error{Line: p.line(), Err: errf(ErrSyntax, "text after the root element")}
			}
		}
	}
}

func describe(n xml.Name) string {
	if n.Space == "" {
		return fmt.Sprintf("<%s>", n.Local)
	}
	return fmt.Sprintf("<%s> in namespace %q", n.Local, n.Space)
}

func (p *xmlParser) unknown(se xml.StartElement, path string, line int) error {
	what := describe(se.Name)
	if se.Name.Space == p.ns {
		what = "<" + se.Name.Local + ">"
	}
	return &Error{Path: path, Line: line, Err: errf(ErrUnknownElement, "%s is not allowed here", what)}
}

// attrs accepts only namespace declarations on element se.
func (p *xmlParser) attrs(se xml.StartElement, path string, line int) error {
	for _, a := range se.Attr {
		if isNSDecl(a) {
			continue
		}
		return &Error{Path: path, Line: line, Err: errf(ErrUnknownElement, "attribute %s is not allowed here", a.Name.Local)}
	}
	return nil
}

func isNSDecl(a xml.Attr) bool {
	return a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns")
}

// children reads the content of the element at path up to its end tag:
// text must be white space, and each child element goes to onChild, which
// must consume it entirely. Child paths carry no index; grantList adds it.
func (p *xmlParser) children(path string, onChild func(se xml.StartElement, cpath string, line int) error) error {
	for {
		tok, err := p.next()
		if err == io.EOF {
			return &Error{Line: p.line(), Err: errf(ErrSyntax, "unexpected end of document")}
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			cpath := path + "/" + t.Name.Local
			line := p.line()
			if t.Name.Space != p.ns {
				return p.unknown(t, cpath, line)
			}
			if err := onChild(t, cpath, line); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.CharData:
			if !isSpace(t) {
				return &Error{Path: path, Line: p.line(), Err: errv(ErrInvalidValue, strings.TrimSpace(string(t)), "text is not allowed here, only elements")}
			}
		}
	}
}

// text reads the character content of the element at path up to its end
// tag; a child element is an error.
func (p *xmlParser) text(se xml.StartElement, path string, line int) (string, error) {
	if err := p.attrs(se, path, line); err != nil {
		return "", err
	}
	var b strings.Builder
	for {
		tok, err := p.next()
		if err == io.EOF {
			return "", &Error{Line: p.line(), Err: errf(ErrSyntax, "unexpected end of document")}
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return "", p.unknown(t, path+"/"+t.Name.Local, p.line())
		case xml.EndElement:
			return b.String(), nil
		case xml.CharData:
			b.Write(t)
		}
	}
}

func (p *xmlParser) owner(se xml.StartElement, path string, line int, o *Owner) error {
	if err := p.attrs(se, path, line); err != nil {
		return err
	}
	var haveID, haveName bool
	err := p.children(path, func(c xml.StartElement, cpath string, cline int) error {
		switch c.Name.Local {
		case "ID":
			if haveID {
				return &Error{Path: cpath, Line: cline, Err: errf(ErrDuplicateElement, "ID appears more than once")}
			}
			haveID = true
			v, err := p.text(c, cpath, cline)
			if err != nil {
				return err
			}
			if !validID(v) {
				return &Error{Path: cpath, Line: cline, Err: errv(ErrInvalidValue, v, "want a canonical user ID (64 lowercase hex digits)")}
			}
			o.ID = v
			return nil
		case "DisplayName":
			if haveName {
				return &Error{Path: cpath, Line: cline, Err: errf(ErrDuplicateElement, "DisplayName appears more than once")}
			}
			haveName = true
			v, err := p.text(c, cpath, cline)
			o.DisplayName = v
			return err
		}
		return p.unknown(c, cpath, cline)
	})
	if err != nil {
		return err
	}
	if !haveID {
		return &Error{Path: path, Line: line, Err: errf(ErrMissingElement, "ID")}
	}
	return nil
}

// validID accepts canonical user IDs and the anonymous user's ID.
func validID(v string) bool { return ids.IsCanonicalID(v) || v == AnonymousID }

func (p *xmlParser) grantList(se xml.StartElement, path string, line int, a *ACL) error {
	if err := p.attrs(se, path, line); err != nil {
		return err
	}
	a.Grants = []Grant{}
	n := 0
	return p.children(path, func(c xml.StartElement, cpath string, cline int) error {
		if c.Name.Local != "Grant" {
			return p.unknown(c, cpath, cline)
		}
		n++
		gpath := fmt.Sprintf("%s[%d]", cpath, n)
		if n > MaxGrants {
			return &Error{Path: gpath, Line: cline, Err: errf(ErrTooManyGrants, "more than %d", MaxGrants)}
		}
		g, err := p.grant(c, gpath, cline)
		if err != nil {
			return err
		}
		a.Grants = append(a.Grants, g)
		return nil
	})
}

func (p *xmlParser) grant(se xml.StartElement, path string, line int) (Grant, error) {
	var g Grant
	if err := p.attrs(se, path, line); err != nil {
		return g, err
	}
	var haveGrantee, havePerm bool
	err := p.children(path, func(c xml.StartElement, cpath string, cline int) error {
		switch c.Name.Local {
		case "Grantee":
			if haveGrantee {
				return &Error{Path: cpath, Line: cline, Err: errf(ErrDuplicateElement, "Grantee appears more than once")}
			}
			haveGrantee = true
			return p.grantee(c, cpath, cline, &g.Grantee)
		case "Permission":
			if havePerm {
				return &Error{Path: cpath, Line: cline, Err: errf(ErrDuplicateElement, "Permission appears more than once")}
			}
			havePerm = true
			v, err := p.text(c, cpath, cline)
			if err != nil {
				return err
			}
			perm, ok := ParsePermission(v)
			if !ok {
				return &Error{Path: cpath, Line: cline, Err: errv(ErrInvalidValue, v, "want READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL")}
			}
			g.Permission = perm
			return nil
		}
		return p.unknown(c, cpath, cline)
	})
	if err != nil {
		return g, err
	}
	switch {
	case !haveGrantee:
		return g, &Error{Path: path, Line: line, Err: errf(ErrMissingElement, "Grantee")}
	case !havePerm:
		return g, &Error{Path: path, Line: line, Err: errf(ErrMissingElement, "Permission")}
	}
	return g, nil
}

// granteeFields says which child element each grantee type takes.
var granteeFields = map[string][4]bool{
	//             CanonicalUser, AmazonCustomerByEmail, Group (index by type)
	"ID":           {false, true, false, false},
	"DisplayName":  {false, true, false, false},
	"EmailAddress": {false, false, true, false},
	"URI":          {false, false, false, true},
}

func (p *xmlParser) grantee(se xml.StartElement, path string, line int, g *Grantee) error {
	typeName := ""
	haveType := false
	for _, a := range se.Attr {
		switch {
		case isNSDecl(a):
		case a.Name.Space == XSINamespace && a.Name.Local == "type":
			typeName, haveType = a.Value, true
		case a.Name.Local == "type":
			return &Error{Path: path, Line: line, Err: errf(ErrInvalidGrantee, "the type attribute must be xsi:type, in namespace %q", XSINamespace)}
		default:
			return &Error{Path: path, Line: line, Err: errf(ErrUnknownElement, "attribute %s is not allowed here", a.Name.Local)}
		}
	}
	if !haveType {
		return &Error{Path: path, Line: line, Err: errf(ErrInvalidGrantee, "missing xsi:type")}
	}
	switch typeName {
	case "CanonicalUser":
		g.Type = CanonicalUser
	case "AmazonCustomerByEmail":
		g.Type = AmazonCustomerByEmail
	case "Group":
		g.Type = Group
	default:
		return &Error{Path: path, Line: line, Err: errv(ErrInvalidGrantee, typeName, "want xsi:type CanonicalUser, AmazonCustomerByEmail or Group")}
	}
	seen := map[string]bool{}
	err := p.children(path, func(c xml.StartElement, cpath string, cline int) error {
		name := c.Name.Local
		fields, known := granteeFields[name]
		if !known {
			return p.unknown(c, cpath, cline)
		}
		if seen[name] {
			return &Error{Path: cpath, Line: cline, Err: errf(ErrDuplicateElement, "%s appears more than once", name)}
		}
		seen[name] = true
		if !fields[g.Type] {
			return &Error{Path: cpath, Line: cline, Err: errf(ErrInvalidGrantee, "%s grantees have no %s", g.Type, name)}
		}
		v, err := p.text(c, cpath, cline)
		if err != nil {
			return err
		}
		switch name {
		case "ID":
			if !validID(v) {
				return &Error{Path: cpath, Line: cline, Err: errv(ErrInvalidValue, v, "want a canonical user ID (64 lowercase hex digits)")}
			}
			g.ID = v
		case "DisplayName":
			g.DisplayName = v
		case "EmailAddress":
			if !validEmail(v) {
				return &Error{Path: cpath, Line: cline, Err: errv(ErrInvalidValue, v, "want an e-mail address")}
			}
			g.Email = v
		case "URI":
			if v != AllUsers && v != AuthenticatedUsers && v != LogDelivery {
				return &Error{Path: cpath, Line: cline, Err: errv(ErrInvalidValue, v, "want the AllUsers, AuthenticatedUsers or LogDelivery group URI")}
			}
			g.URI = v
		}
		return nil
	})
	if err != nil {
		return err
	}
	required := "ID"
	switch g.Type {
	case AmazonCustomerByEmail:
		required = "EmailAddress"
	case Group:
		required = "URI"
	}
	if !seen[required] {
		return &Error{Path: path, Line: line, Err: errf(ErrMissingElement, "%s", required)}
	}
	return nil
}

// validEmail accepts local@domain with no white space.
func validEmail(v string) bool {
	at := strings.LastIndexByte(v, '@')
	return at > 0 && at < len(v)-1 && !strings.ContainsAny(v, " \t\r\n<>")
}
