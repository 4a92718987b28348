package sigv4

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// param is one decoded query parameter, in the order it was sent.
type param struct{ name, value string }

// query is a decoded query string. Unlike url.Values it keeps parameters
// without '=' distinguishable from nothing and refuses malformed escapes.
type query []param

// parseQuery decodes a raw query string. '+' decodes to a space, as in
// application/x-www-form-urlencoded, which is also how S3 and the AWS SDKs
// read it.
func parseQuery(raw string) (query, error) {
	var q query
	if raw == "" {
		return q, nil
	}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		n, v, _ := strings.Cut(part, "=")
		name, err1 := url.QueryUnescape(n)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, newError(http.StatusBadRequest, "InvalidArgument", "The query string is not correctly encoded.")
		}
		q = append(q, param{name, value})
	}
	return q, nil
}

// get returns the first value of the parameter named name (case-sensitive).
func (q query) get(name string) (string, bool) {
	for _, p := range q {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// all returns every value of the parameter named name.
func (q query) all(name string) []string {
	var vs []string
	for _, p := range q {
		if p.name == name {
			vs = append(vs, p.value)
		}
	}
	return vs
}

// canonicalRequest builds the SigV4 canonical request:
//
//	METHOD \n URI \n QUERY \n HEADERS \n SIGNEDHEADERS \n PAYLOAD
func canonicalRequest(r *http.Request, path string, q query, in authInput, payload string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(uriEncode(path, false))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(q, in.presigned))
	b.WriteByte('\n')
	for _, name := range in.signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(in.signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String()
}

// canonicalQuery encodes every parameter (but X-Amz-Signature of a presigned
// URL) and sorts them by encoded name, then encoded value.
func canonicalQuery(q query, presigned bool) string {
	enc := make([]param, 0, len(q))
	for _, p := range q {
		if presigned && p.name == querySignature {
			continue
		}
		enc = append(enc, param{uriEncode(p.name, true), uriEncode(p.value, true)})
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i].name != enc[j].name {
			return enc[i].name < enc[j].name
		}
		return enc[i].value < enc[j].value
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// headerValue returns the canonical value of a signed header: its values
// joined by ',', each trimmed and with runs of spaces reduced to one.
// net/http keeps some headers outside r.Header; they are recovered here.
func headerValue(r *http.Request, name string) string {
	var vs []string
	switch name {
	case "host":
		vs = []string{r.Host}
		if r.Host == "" && r.URL != nil {
			vs = []string{r.URL.Host}
		}
	case "content-length":
		vs = r.Header.Values("Content-Length")
		if len(vs) == 0 && r.ContentLength > 0 {
			vs = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	case "transfer-encoding":
		vs = r.Header.Values("Transfer-Encoding")
		if len(vs) == 0 && len(r.TransferEncoding) > 0 {
			vs = []string{strings.Join(r.TransferEncoding, ",")}
		}
	default:
		vs = r.Header.Values(name)
	}
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(compressSpaces(v))
	}
	return b.String()
}

// compressSpaces trims s and reduces each run of spaces to one space.
func compressSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// uriEncode percent-encodes every byte of s except the unreserved characters
// A-Z a-z 0-9 - . _ ~, and '/' unless slash is true, with upper-case hex
// digits, as SigV4 specifies.
func uriEncode(s string, slash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && !slash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
