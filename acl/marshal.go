package acl

import (
	"encoding/xml"
)

// MarshalXML writes the ACL as an AccessControlPolicy element in the S3
// namespace, whatever start element the encoder proposes, so that an *ACL
// works with xml.Marshal and inside larger documents. The output is
// canonical: elements in schema order, DisplayName only when set, grants in
// their order, each Grantee declaring the xsi prefix it uses.
func (a *ACL) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	root := xml.StartElement{Name: xml.Name{Local: "AccessControlPolicy"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: Namespace}}}
	w := tokenWriter{e: e}
	w.start(root)
	w.start(elem("Owner"))
	w.textElem("ID", string(a.Owner.ID))
	if a.Owner.DisplayName != "" {
		w.textElem("DisplayName", a.Owner.DisplayName)
	}
	w.end("Owner")
	w.start(elem("AccessControlList"))
	for _, g := range a.Grants {
		w.start(elem("Grant"))
		w.start(xml.StartElement{Name: xml.Name{Local: "Grantee"}, Attr: []xml.Attr{
			{Name: xml.Name{Local: "xmlns:xsi"}, Value: XSINamespace},
			{Name: xml.Name{Local: "xsi:type"}, Value: g.Grantee.Type.String()},
		}})
		switch g.Grantee.Type {
		case CanonicalUser:
			w.textElem("ID", string(g.Grantee.ID))
			if g.Grantee.DisplayName != "" {
				w.textElem("DisplayName", g.Grantee.DisplayName)
			}
		case AmazonCustomerByEmail:
			w.textElem("EmailAddress", g.Grantee.Email)
		case Group:
			w.textElem("URI", g.Grantee.URI)
		}
		w.end("Grantee")
		w.textElem("Permission", g.Permission.String())
		w.end("Grant")
	}
	w.end("AccessControlList")
	w.end("AccessControlPolicy")
	return w.err
}

// Marshal returns the canonical XML of MarshalXML.
func (a *ACL) Marshal() ([]byte, error) {
	return xml.Marshal(a)
}

func elem(name string) xml.StartElement { return xml.StartElement{Name: xml.Name{Local: name}} }

// tokenWriter keeps the first encoder error.
type tokenWriter struct {
	e   *xml.Encoder
	err error
}

func (w *tokenWriter) token(t xml.Token) {
	if w.err == nil {
		w.err = w.e.EncodeToken(t)
	}
}

func (w *tokenWriter) start(se xml.StartElement) { w.token(se) }
func (w *tokenWriter) end(name string)           { w.token(xml.EndElement{Name: xml.Name{Local: name}}) }

func (w *tokenWriter) textElem(name, text string) {
	w.start(elem(name))
	w.token(xml.CharData(text))
	w.end(name)
}
