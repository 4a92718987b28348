package s3request

import (
	"strings"
	"unicode/utf8"
)

// level is what a path addresses: the service, a bucket or an object.
type level uint8

const (
	levelService level = iota + 1
	levelBucket
	levelObject
)

// maxParams bounds the query parameters of one request. S3's own limit on a
// request line (8 KiB) admits a few hundred; more is refused rather than
// scanned.
const maxParams = 256

// maxKeyBytes is the longest object key, in bytes of UTF-8 ("Naming Amazon
// S3 objects").
const maxKeyBytes = 1024

// param is one query parameter, decoded.
type param struct {
	name, value string
	hasValue    bool // the raw pair had a non-empty value
}

// readPath splits the escaped path into bucket and key (rules of "Virtual
// hosting of buckets": in path style the key is the rest of the
// Request-URI after the bucket segment and one '/'), decodes each once
// and validates them. The key is never cleaned: "//" and "/../" stay.
func (p *mapping) readPath(path string) *Error {
	if path == "" || path[0] != '/' {
		return fail(ErrMalformedURL, "path", path, "request target is not in origin form")
	}
	var rawBucket, rawKey string
	switch p.addr.style {
	case PathStyle:
		rest := path[1:]
		if rest == "" {
			p.level = levelService
			return nil
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			rawBucket, rawKey = rest[:i], rest[i+1:]
		} else {
			rawBucket = rest
		}
		b, ok := unescape(rawBucket, false)
		if !ok {
			return fail(ErrMalformedURL, "path", rawBucket, "bad percent-escape")
		}
		if b == "" || strings.IndexByte(b, '/') >= 0 || !utf8.ValidString(b) {
			return fail(ErrInvalidBucketName, "path", b, "not a bucket name")
		}
		p.bucket = b
	default:
		p.bucket = p.addr.bucket
		rawKey = path[1:]
	}
	k, ok := unescape(rawKey, false)
	if !ok {
		return fail(ErrMalformedURL, "path", rawKey, "bad percent-escape")
	}
	if err := checkKey(k, "path"); err != nil {
		return err
	}
	p.key = k
	p.level = levelBucket
	if k != "" {
		p.level = levelObject
	}
	return nil
}

// checkKey applies the object key rules: at most 1,024 bytes of UTF-8.
func checkKey(k, part string) *Error {
	if len(k) > maxKeyBytes {
		return fail(ErrInvalidKey, part, k, "key longer than 1024 bytes")
	}
	if !utf8.ValidString(k) {
		return fail(ErrInvalidKey, part, k, "key is not UTF-8")
	}
	return nil
}

// checkBucket applies the bucket naming rules: 3 to 63 characters of a-z,
// 0-9, '.' and '-', starting and ending with a letter or digit, no "..",
// not an IPv4 address. Names of access-point aliases and directory buckets
// are other resources; the reserved forms are refused by CreateBucket.
func (m *Mapper) checkBucket(b string, style Style, create bool) *Error {
	if m.legacy && style == PathStyle && !create && legacyBucket(b) {
		return nil
	}
	if len(b) < 3 || len(b) > 63 {
		return fail(ErrInvalidBucketName, "bucket", b, "a bucket name has 3 to 63 characters")
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return fail(ErrInvalidBucketName, "bucket", b, "only a-z, 0-9, '.' and '-' are allowed")
		}
	}
	if !alnum(b[0]) || !alnum(b[len(b)-1]) {
		return fail(ErrInvalidBucketName, "bucket", b, "a bucket name starts and ends with a letter or digit")
	}
	if strings.Contains(b, "..") {
		return fail(ErrInvalidBucketName, "bucket", b, "two adjacent periods")
	}
	if isIPv4Form(b) {
		return fail(ErrInvalidBucketName, "bucket", b, "formatted as an IP address")
	}
	if create {
		for _, pre := range [...]string{"xn--", "sthree-", "amzn-s3-demo-"} {
			if strings.HasPrefix(b, pre) {
				return fail(ErrInvalidBucketName, "bucket", b, "reserved prefix "+pre)
			}
		}
		for _, suf := range [...]string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
			if strings.HasSuffix(b, suf) {
				return fail(ErrInvalidBucketName, "bucket", b, "reserved suffix "+suf)
			}
		}
		return nil
	}
	for _, suf := range [...]string{"-s3alias", "--ol-s3", "--x-s3"} {
		if strings.HasSuffix(b, suf) {
			return fail(ErrUnsupportedEndpoint, "bucket", b, "an access point alias or a directory bucket")
		}
	}
	return nil
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// legacyBucket reports whether b is a name us-east-1 allowed before March
// 2018: 1 to 255 letters, digits, '.', '-' and '_'.
func legacyBucket(b string) bool {
	if b == "" || len(b) > 255 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(alnum(c) || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// isIPv4Form reports whether b is four dot-separated decimal numbers, as
// "192.168.5.4" is.
func isIPv4Form(b string) bool {
	parts := 0
	for len(b) > 0 {
		i := strings.IndexByte(b, '.')
		seg := b
		if i >= 0 {
			seg, b = b[:i], b[i+1:]
		} else {
			b = ""
		}
		if !allDigits(seg) || len(seg) > 3 {
			return false
		}
		parts++
	}
	return parts == 4
}

// readQuery splits the raw query into parameters, decoding names and
// values once by form rules, and refuses bad escapes, repeated names and
// more than maxParams parameters.
func (p *mapping) readQuery(q string) *Error {
	n := 0
	for len(q) > 0 {
		var pair string
		if i := strings.IndexByte(q, '&'); i >= 0 {
			pair, q = q[:i], q[i+1:]
		} else {
			pair, q = q, ""
		}
		if pair == "" {
			continue
		}
		if n++; n > maxParams {
			return fail(ErrInvalidArgument, "query", "", "more than 256 query parameters")
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, ok := unescape(rawName, true)
		if !ok {
			return fail(ErrMalformedURL, "query", rawName, "bad percent-escape")
		}
		value, ok := unescape(rawValue, true)
		if !ok {
			return fail(ErrMalformedURL, partName("query:", name), rawValue, "bad percent-escape")
		}
		for i := range p.params {
			if p.params[i].name == name {
				return fail(ErrInvalidArgument, partName("query:", name), "", "parameter given twice")
			}
		}
		p.params = append(p.params, param{name: name, value: value, hasValue: rawValue != ""})
	}
	return nil
}

// query returns the value of the parameter called name (exact case) and
// whether the request has it.
func (p *mapping) query(name string) (string, bool) {
	for i := range p.params {
		if p.params[i].name == name {
			return p.params[i].value, true
		}
	}
	return "", false
}
