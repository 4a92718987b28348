package s3request

import (
	"bytes"
	"crypto/tls"
	"io"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

// HTTPOptions says how FromHTTP reads an *http.Request.
type HTTPOptions struct {
	// TrustedProxies are the proxies whose X-Forwarded-For the host
	// believes. When the socket peer is inside one of them, the source
	// address is the rightmost X-Forwarded-For entry outside all of them
	// (the leftmost entry when every one is trusted). Without any,
	// X-Forwarded-For, X-Real-IP and Forwarded are never read and the
	// source address is the socket peer. IPv4 addresses match IPv4
	// prefixes only (an IPv4-mapped peer is read as IPv4).
	TrustedProxies []netip.Prefix
	// MaxBody bounds the body FromHTTP reads, in bytes; 0, or more than
	// MaxBody, means MaxBody.
	MaxBody int64
	// Now is the server's clock, which dates the request; nil means
	// time.Now.
	Now func() time.Time
}

// maxCreateBucketBody is the most FromHTTP reads of a PUT that may be a
// CreateBucket: a CreateBucketConfiguration is a few kilobytes, and the
// same request shape is, in virtual-hosted style, a PutObject whose body
// should not be buffered.
const maxCreateBucketBody = 64 << 10

// FromHTTP reads the Request of an *http.Request the server received:
//
//   - Method, Host (r.Host) and Header (r.Header, shared) as received;
//   - Target: r.RequestURI when it is in origin form, the raw path and
//     query exactly as sent, never cleaned; otherwise (a request built by
//     a client, an absolute-form target) r.URL's escaped path ("/" when
//     empty) and raw query. A handler in front that rewrote r.URL
//     (http.StripPrefix) is followed, r.URL being what the next handler
//     serves: r.RequestURI is used only while it names the same path and
//     query;
//   - TLS and TLSVersion ("1.0" to "1.3", "" for a version outside
//     these) from r.TLS;
//   - RemoteAddr: r.RemoteAddr, or the X-Forwarded-For address chosen by
//     HTTPOptions.TrustedProxies;
//   - Now from HTTPOptions.Now.
//
// It reads the body only when the operation may need it:
//
//   - POST with a delete query parameter (DeleteObjects) and PUT with a
//     tagging, retention, legal-hold or inventory parameter: up to the
//     limit (HTTPOptions.MaxBody) plus one byte, so that a longer body is
//     refused as malformed-body, by Map at the default limit, by FromHTTP
//     at a lower one;
//   - PUT with no query parameter but authentication ones, no
//     x-amz-copy-source, and a path of at most one segment ("/", "/b",
//     "/b/"), which is CreateBucket in path style and may be in
//     virtual-hosted style: up to 64 KiB plus one byte. A longer body is
//     passed cut, which Map refuses as malformed if the request is a
//     CreateBucket (an XML document cut before its root element ends does
//     not parse) and ignores if it is a PutObject;
//   - POST with Content-Type multipart/form-data (a browser upload): up to
//     the limit, which holds the form fields that precede the file.
//
// A body it reads is put back: r.Body is replaced by a reader of the bytes
// read followed by the rest of the original body (closing it closes the
// original), so the next handler reads the whole body; Request.Body shares
// the bytes. Reading starts the body, so a client waiting for "100
// Continue" is told to send it. Any other request's body is left
// untouched, r.Body included.
//
// FromHTTP returns an error when the body cannot be read (the client went
// away), and an *Error of class ErrMalformedBody for a body over a limit
// lower than MaxBody, and of class ErrInvalidRemoteAddress, Part
// "header:X-Forwarded-For", when the chosen X-Forwarded-For entry is no IP
// address (a trusted proxy did not append the peer it saw).
func FromHTTP(r *http.Request, o HTTPOptions) (*Request, error) {
	req := &Request{
		Method:     r.Method,
		Host:       r.Host,
		Target:     target(r),
		Header:     r.Header,
		TLS:        r.TLS != nil,
		RemoteAddr: r.RemoteAddr,
	}
	if r.TLS != nil {
		req.TLSVersion = tlsVersion(r.TLS.Version)
	}
	if o.Now != nil {
		req.Now = o.Now()
	} else {
		req.Now = time.Now()
	}
	if len(o.TrustedProxies) > 0 {
		addr, err := forwardedFor(r, o.TrustedProxies)
		if err != nil {
			return nil, err
		}
		req.RemoteAddr = addr
	}
	limit := o.MaxBody
	if limit <= 0 || limit > MaxBody {
		limit = MaxBody
	}
	n, xml := bodyToRead(r, req.Target, limit)
	if n == 0 {
		return req, nil
	}
	body, err := readBack(r, n)
	if err != nil {
		return nil, err
	}
	if xml && int64(len(body)) > limit && limit < MaxBody {
		return nil, fail(ErrMalformedBody, "body", "", "body over the limit")
	}
	req.Body = body
	return req, nil
}

// target returns the request target in origin form, as received: the
// request line's when r.URL still says the same, r.URL's otherwise.
func target(r *http.Request) string {
	if r.URL == nil {
		return r.RequestURI
	}
	p := r.URL.EscapedPath()
	if u := r.RequestURI; u != "" && u[0] == '/' {
		up, uq, _ := strings.Cut(u, "?")
		if up == p && uq == r.URL.RawQuery {
			return u
		}
		if unescaped, ok := unescape(up, false); ok && unescaped == r.URL.Path && uq == r.URL.RawQuery {
			// An escape net/url writes otherwise ("%41" for "A"): the
			// same path, as sent.
			return u
		}
	}
	if p == "" {
		p = "/"
	}
	if r.URL.RawQuery != "" {
		return p + "?" + r.URL.RawQuery
	}
	return p
}

// tlsVersion returns the s3:TlsVersion value of a TLS version, "" for one
// that is not TLS 1.0 to 1.3.
func tlsVersion(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "1.0"
	case tls.VersionTLS11:
		return "1.1"
	case tls.VersionTLS12:
		return "1.2"
	case tls.VersionTLS13:
		return "1.3"
	}
	return ""
}

// forwardedFor returns the source address of a request through trusted
// proxies: the socket peer when it is no trusted proxy; otherwise the
// rightmost X-Forwarded-For entry outside them, or the leftmost entry when
// all are trusted, or the peer when there is none.
func forwardedFor(r *http.Request, trusted []netip.Prefix) (string, error) {
	peer, err := parseRemote(r.RemoteAddr)
	if err != nil || !isTrusted(peer, trusted) {
		// An unreadable peer is Map's to refuse.
		return r.RemoteAddr, nil
	}
	values := r.Header.Values("X-Forwarded-For")
	chosen := ""
	for i := len(values) - 1; i >= 0; i-- {
		rest := values[i]
		for rest != "" {
			var entry string
			if j := strings.LastIndexByte(rest, ','); j >= 0 {
				entry, rest = rest[j+1:], rest[:j]
			} else {
				entry, rest = rest, ""
			}
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue
			}
			a, ok := forwardedAddr(entry)
			if !ok {
				return "", fail(ErrInvalidRemoteAddress, "header:X-Forwarded-For", entry, "not an IP address")
			}
			chosen = a.String()
			if !isTrusted(a, trusted) {
				return chosen, nil
			}
		}
	}
	if chosen == "" {
		return r.RemoteAddr, nil
	}
	return chosen, nil
}

// forwardedAddr reads an X-Forwarded-For entry: an IP address, with a port
// or not ("203.0.113.9", "203.0.113.9:443", "[2001:db8::1]:443").
func forwardedAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// isTrusted reports whether a is inside one of the trusted prefixes.
func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// bodyToRead returns how many bytes of the body FromHTTP reads (0: none)
// and whether the body is an XML document the operation needs whole.
func bodyToRead(r *http.Request, target string, limit int64) (n int64, xml bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return 0, false
	}
	path, query, _ := strings.Cut(target, "?")
	switch r.Method {
	case "POST":
		if hasParam(query, "delete") {
			return limit + 1, true
		}
		ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
		if equalFold(strings.TrimSpace(ct), "multipart/form-data") {
			return limit, false
		}
	case "PUT":
		if hasParam(query, "tagging") || hasParam(query, "retention") ||
			hasParam(query, "legal-hold") || hasParam(query, "inventory") {
			return limit + 1, true
		}
		if onlyAuthParams(query) && len(r.Header.Values("X-Amz-Copy-Source")) == 0 && oneSegment(path) {
			return min(maxCreateBucketBody, limit) + 1, false
		}
	}
	return 0, false
}

// hasParam reports whether the raw query has a parameter called name,
// decoded as Map decodes it.
func hasParam(query, name string) bool {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		raw, _, _ := strings.Cut(pair, "=")
		if n, ok := unescape(raw, true); ok && n == name {
			return true
		}
	}
	return false
}

// onlyAuthParams reports whether every parameter of the raw query is a
// signature parameter (a presigned URL's), so that the query selects no
// operation.
func onlyAuthParams(query string) bool {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if pair == "" {
			continue
		}
		raw, _, _ := strings.Cut(pair, "=")
		n, ok := unescape(raw, true)
		if !ok {
			return false
		}
		if c := classify(n); c != pAuth && c != pSDK {
			return false
		}
	}
	return true
}

// oneSegment reports whether an escaped path has at most one segment:
// "/", "/b" or "/b/".
func oneSegment(path string) bool {
	if path == "" || path[0] != '/' {
		return false
	}
	rest := path[1:]
	i := strings.IndexByte(rest, '/')
	return i < 0 || i == len(rest)-1
}

// readBack reads up to n bytes of r's body and puts them back in front of
// the rest.
func readBack(r *http.Request, n int64) ([]byte, error) {
	size := min(n, 32<<10)
	if r.ContentLength > 0 && r.ContentLength < n {
		size = r.ContentLength + 1 // one more sees the end without growing
	}
	buf := make([]byte, size)
	orig := r.Body
	got := 0
	var err error
	for int64(got) < n {
		if got == len(buf) {
			buf = slices.Grow(buf, int(min(int64(len(buf)), n-int64(got))))
			buf = buf[:min(int64(cap(buf)), n)]
		}
		var k int
		k, err = orig.Read(buf[got:])
		got += k
		if err != nil {
			break
		}
	}
	buf = buf[:got]
	r.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(buf), orig), orig: orig}
	if err != nil && err != io.EOF {
		return nil, err
	}
	return buf, nil
}

// replayBody yields the bytes FromHTTP read, then the rest of the
// original body, which Close closes.
type replayBody struct {
	io.Reader
	orig io.ReadCloser
}

// Close closes the original body.
func (b *replayBody) Close() error { return b.orig.Close() }

// lowerNames are the lower-case forms of the key names Map emits with
// upper-case letters, so that EvaluateRequest hands evaluate.Keys names it
// need not fold (folding allocates).
var lowerNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range [...]string{
		"aws:CurrentTime", "aws:EpochTime", "aws:Referer", "aws:SecureTransport",
		"aws:SourceIp", "aws:TagKeys", "aws:UserAgent",
		"s3:InventoryAccessibleOptionalFields", "s3:LocationConstraint",
		"s3:ObjectCreationOperation", "s3:RequestObjectTagKeys", "s3:TlsVersion",
		"s3:VersionId", "s3:authType", "s3:signatureAge",
	} {
		m[n] = strings.ToLower(n)
	}
	return m
}()

// EvaluateRequest returns the evaluate.Request of op.Checks[i] (it panics
// for i out of range): the principal, the check's action, bucket and key,
// op.Time, the check's x-amz-acl as CannedACL, and keys, reset and filled
// with the check's condition keys, a Multi key staying multivalued even
// with one value. keys is reused, so that one Keys serves every check of a
// request in turn; the request must be evaluated before keys is passed
// again. A nil keys is a new one.
//
// The host fills what the mapper cannot know: PrincipalTags (the caller's
// tags), Product (the DevPay product its tokens name), and ACL and Policy
// (the ACL a PutBucketAcl or PutObjectAcl body, or ACL headers, would
// store, and the policy a PutBucketPolicy would store, for Block Public
// Access). The check's VersionID says which version the host's object
// record is of; evaluate.Request has no field for it.
func (op *Operation) EvaluateRequest(i int, principal ownership.Principal, keys *evaluate.Keys) evaluate.Request {
	c := &op.Checks[i]
	if keys == nil {
		keys = new(evaluate.Keys)
	}
	keys.Reset()
	canned := ""
	for j := range c.Keys {
		k := &c.Keys[j]
		name := k.Name
		if l, ok := lowerNames[name]; ok {
			name = l
		}
		if k.Multi {
			keys.SetMulti(name, k.Values...)
		} else {
			keys.Set(name, k.Values...)
		}
		if name == "s3:x-amz-acl" && len(k.Values) == 1 {
			canned = k.Values[0]
		}
	}
	return evaluate.Request{
		Principal: principal,
		Action:    c.Action,
		Bucket:    c.Bucket,
		Key:       c.Key,
		Keys:      keys,
		Time:      op.Time,
		CannedACL: canned,
		Extra:     c.Extra,
	}
}
