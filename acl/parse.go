package acl

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/s3authz/s3authz/internal/errfmt"
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
	if line, msg := checkChars(data); msg != "" {
		return nil, &Error{Line: line, Err: errf(ErrSyntax, "%s", msg)}
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
	case xml.StartElement:
		if a, dup := duplicateAttr(t.Attr); dup {
			return nil, &Error{Line: p.line(), Err: errf(ErrSyntax, "attribute %s appears more than once on <%s>", cut(a.Local), cut(t.Name.Local))}
		}
	case xml.Directive:
		return nil, &Error{Line: p.line(), Err: errf(ErrForbidden, "<!%s…>: DOCTYPE and entity declarations are not accepted", firstWord(t))}
	case xml.ProcInst:
		if t.Target != "xml" {
			return nil, &Error{Line: p.line(), Err: errf(ErrForbidden, "processing instruction <?%s?>", t.Target)}
		}
	}
	return tok, nil
}

// duplicateAttr finds an attribute given twice on one element, which XML
// forbids and encoding/xml does not check (the later one would otherwise
// be read, or the earlier, depending on the reader).
func duplicateAttr(attrs []xml.Attr) (xml.Name, bool) {
	if len(attrs) <= 8 {
		for i := range attrs {
			for j := range i {
				if attrs[i].Name == attrs[j].Name {
					return attrs[i].Name, true
				}
			}
		}
		return xml.Name{}, false
	}
	seen := make(map[xml.Name]bool, len(attrs))
	for _, a := range attrs {
		if seen[a.Name] {
			return a.Name, true
		}
		seen[a.Name] = true
	}
	return xml.Name{}, false
}

// checkChars finds what encoding/xml lets through although XML forbids it:
// a NUL byte anywhere (comments included), and a character reference to a
// code point that is not an XML character (a surrogate, which the decoder
// turns into U+FFFD, or one past U+10FFFF). It returns the line of the
// first, or 0. References are looked for outside comments and CDATA
// sections, where "&#" is plain text.
func checkChars(data []byte) (line int, msg string) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return 1 + bytes.Count(data[:i], []byte{'\n'}), "NUL byte"
	}
	for i := 0; i < len(data); i++ {
		switch {
		case bytes.HasPrefix(data[i:], []byte("<!--")):
			end := bytes.Index(data[i+4:], []byte("-->"))
			if end < 0 {
				return 0, "" // the decoder reports the open comment
			}
			i += 4 + end + 2
		case bytes.HasPrefix(data[i:], []byte("<![CDATA[")):
			end := bytes.Index(data[i+9:], []byte("]]>"))
			if end < 0 {
				return 0, ""
			}
			i += 9 + end + 2
		case data[i] == '&' && i+1 < len(data) && data[i+1] == '#':
			if r, ok := charRef(data[i+2:]); ok && !isXMLChar(r) {
				return 1 + bytes.Count(data[:i], []byte{'\n'}), fmt.Sprintf("character reference to U+%04X, not an XML character", r)
			}
		}
	}
	return 0, ""
}

// charRef reads the code point of a character reference after "&#": x and
// hex digits, or decimal digits, then ';'. Malformed references are left
// to the decoder.
func charRef(b []byte) (rune, bool) {
	base := 10
	if len(b) > 0 && b[0] == 'x' {
		base, b = 16, b[1:]
	}
	var r int64
	n := 0
	for ; n < len(b) && b[n] != ';'; n++ {
		d := int64(-1)
		switch c := b[n]; {
		case '0' <= c && c <= '9':
			d = int64(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = int64(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = int64(c-'A') + 10
		}
		if d < 0 {
			return 0, false
		}
		if r = r*int64(base) + d; r > 0x10FFFF {
			r = 0x110000 // past Unicode; stays there
		}
	}
	if n == 0 || n == len(b) {
		return 0, false
	}
	return rune(r), true
}

// isXMLChar reports whether r is a character XML 1.0 allows.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || 0x20 <= r && r <= 0xD7FF ||
		0xE000 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0x10FFFF
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
		return nil, &Error{Path: cut(root.Name.Local), Line: line, Err: errf(ErrUnknownElement, "the root element is AccessControlPolicy in namespace %q, not %s", Namespace, describe(root.Name))}
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
			return nil, &Error{Line: p.line(), Err: errf(ErrSyntax, "a second root element <%s>", cut(t.Name.Local))}
		case xml.CharData:
			if !isSpace(t) {
				return nil, &Error{Line: p.line(), Err: errf(ErrSyntax, "text after the root element")}
			}
		}
	}
}

// cut shortens a name from the input for an error message.
func cut(name string) string { return errfmt.Truncate(name, maxQuotedName) }

// maxQuotedName is the most of an element, attribute or namespace name an
// error quotes.
const maxQuotedName = 64

func describe(n xml.Name) string {
	if n.Space == "" {
		return fmt.Sprintf("<%s>", cut(n.Local))
	}
	return fmt.Sprintf("<%s> in namespace %s", cut(n.Local), errfmt.Quote(n.Space))
}

func (p *xmlParser) unknown(se xml.StartElement, path string, line int) error {
	what := describe(se.Name)
	if se.Name.Space == p.ns {
		what = "<" + cut(se.Name.Local) + ">"
	}
	return &Error{Path: path, Line: line, Err: errf(ErrUnknownElement, "%s is not allowed here", what)}
}

// attrs accepts only namespace declarations on element se.
func (p *xmlParser) attrs(se xml.StartElement, path string, line int) error {
	for _, a := range se.Attr {
		if isNSDecl(a) {
			continue
		}
		return &Error{Path: path, Line: line, Err: errf(ErrUnknownElement, "attribute %s is not allowed here", cut(a.Name.Local))}
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
			cpath := path + "/" + cut(t.Name.Local)
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
			return "", p.unknown(t, path+"/"+cut(t.Name.Local), p.line())
		case xml.EndElement:
			return b.String(), nil
		case xml.CharData:
			b.Write(t)
		}
	}
}

func (p *xmlParser) owner(se xml.StartElement, path string, line int, o *User) error {
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
			if !validID(CanonicalID(v)) {
				return &Error{Path: cpath, Line: cline, Err: errv(ErrInvalidValue, v, "want a canonical user ID (64 lowercase hex digits)")}
			}
			o.ID = CanonicalID(v)
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
func validID(v CanonicalID) bool { return v.IsValid() }

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
			perm, ok := lookupPermission(v)
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
			return &Error{Path: path, Line: line, Err: errf(ErrUnknownElement, "attribute %s is not allowed here", cut(a.Name.Local))}
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
			if !validID(CanonicalID(v)) {
				return &Error{Path: cpath, Line: cline, Err: errv(ErrInvalidValue, v, "want a canonical user ID (64 lowercase hex digits)")}
			}
			g.ID = CanonicalID(v)
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
