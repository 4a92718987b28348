package s3request_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/s3request"
)

func newMapper(t testing.TB) *s3request.Mapper {
	t.Helper()
	m, err := s3request.New(s3request.Config{Endpoints: []string{"s3.example.com"}})
	require.NoError(t, err)
	return m
}

// spyBody is a request body that counts its reads.
type spyBody struct {
	r      io.Reader
	reads  int
	closed bool
}

func (s *spyBody) Read(p []byte) (int, error) { s.reads++; return s.r.Read(p) }
func (s *spyBody) Close() error               { s.closed = true; return nil }

func TestFromHTTPTarget(t *testing.T) {
	tests := []struct {
		name   string
		build  func() *http.Request
		target string
		key    string // the key Map reads, "" to skip mapping
	}{
		{name: "dot segments stay", build: func() *http.Request {
			return httptest.NewRequest("GET", "/photos/a/../k", nil)
		}, target: "/photos/a/../k", key: "a/../k"},
		{name: "an empty segment stays", build: func() *http.Request {
			return httptest.NewRequest("GET", "/photos//k", nil)
		}, target: "/photos//k", key: "/k"},
		{name: "a leading double slash stays", build: func() *http.Request {
			return httptest.NewRequest("GET", "//k", nil)
		}, target: "//k"},
		{name: "an escaped slash stays escaped", build: func() *http.Request {
			return httptest.NewRequest("GET", "/photos/a%2Fb?x-id=GetObject", nil)
		}, target: "/photos/a%2Fb?x-id=GetObject", key: "a/b"},
		{name: "escapes and the query as sent", build: func() *http.Request {
			return httptest.NewRequest("GET", "/photos/k%20x?acl", nil)
		}, target: "/photos/k%20x?acl", key: "k x"},
		{name: "an absolute-form target gives its path", build: func() *http.Request {
			return httptest.NewRequest("GET", "http://s3.example.com/photos/a%2Fb?acl", nil)
		}, target: "/photos/a%2Fb?acl", key: "a/b"},
		{name: "a client-built request gives its escaped path", build: func() *http.Request {
			r, _ := http.NewRequest("GET", "http://s3.example.com/photos/a%2Fb/./c?versionId=7", nil)
			return r
		}, target: "/photos/a%2Fb/./c?versionId=7", key: "a/b/./c"},
		{name: "a path rewritten in front (StripPrefix) is followed", build: func() *http.Request {
			return stripped("/s3", httptest.NewRequest("GET", "/s3/photos/a%2Fb/../c", nil))
		}, target: "/photos/a%2Fb/../c", key: "a/b/../c"},
		{name: "a query rewritten in front is followed", build: func() *http.Request {
			r := httptest.NewRequest("GET", "/photos/k?acl", nil)
			r.URL.RawQuery = "tagging"
			return r
		}, target: "/photos/k?tagging"},
		{name: "a character net/url would escape stays as sent", build: func() *http.Request {
			return httptest.NewRequest("GET", "/photos/k\"{x}", nil)
		}, target: "/photos/k\"{x}", key: "k\"{x}"},
		{name: "an escape net/url would not write stays as sent", build: func() *http.Request {
			return httptest.NewRequest("GET", "/photos/k%41%7e", nil)
		}, target: "/photos/k%41%7e", key: "kA~"},
		{name: "a client-built request without a path is /", build: func() *http.Request {
			r, _ := http.NewRequest("GET", "http://s3.example.com", nil)
			return r
		}, target: "/"},
	}
	m := newMapper(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.build()
			r.Host = "s3.example.com"
			req, err := s3request.FromHTTP(r, s3request.HTTPOptions{})
			require.NoError(t, err)
			assert.Equal(t, tt.target, req.Target)
			if tt.key == "" {
				return
			}
			op, err := m.Map(req)
			require.NoError(t, err)
			assert.Equal(t, tt.key, op.Key)
		})
	}
}

// stripped returns r as http.StripPrefix hands it to its handler.
func stripped(prefix string, r *http.Request) *http.Request {
	var out *http.Request
	http.StripPrefix(prefix, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { out = r })).
		ServeHTTP(httptest.NewRecorder(), r)
	return out
}

func TestFromHTTPFields(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := httptest.NewRequest("GET", "/photos/cat.jpg", nil)
	r.Host = "s3.example.com:8443"
	r.Header.Set("User-Agent", "test/1")
	req, err := s3request.FromHTTP(r, s3request.HTTPOptions{Now: func() time.Time { return now }})
	require.NoError(t, err)
	assert.Equal(t, "GET", req.Method)
	assert.Equal(t, "s3.example.com:8443", req.Host)
	assert.Equal(t, "test/1", req.Header.Get("User-Agent"))
	assert.Equal(t, now, req.Now, "the injected clock dates the request")
	assert.False(t, req.TLS)
	assert.Empty(t, req.TLSVersion)
	assert.Nil(t, req.Body)

	before := time.Now()
	req, err = s3request.FromHTTP(r, s3request.HTTPOptions{})
	require.NoError(t, err)
	assert.False(t, req.Now.Before(before), "without a clock, time.Now")
}

func TestFromHTTPTLSVersion(t *testing.T) {
	tests := []struct {
		name    string
		version uint16
		want    string
	}{
		{name: "TLS 1.0", version: tls.VersionTLS10, want: "1.0"},
		{name: "TLS 1.1", version: tls.VersionTLS11, want: "1.1"},
		{name: "TLS 1.2", version: tls.VersionTLS12, want: "1.2"},
		{name: "TLS 1.3", version: tls.VersionTLS13, want: "1.3"},
		{name: "SSL 3.0 has no s3:TlsVersion", version: 0x0300, want: ""},
	}
	m := newMapper(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/photos/k", nil)
			r.Host = "s3.example.com"
			r.TLS = &tls.ConnectionState{Version: tt.version}
			req, err := s3request.FromHTTP(r, s3request.HTTPOptions{})
			require.NoError(t, err)
			assert.True(t, req.TLS)
			assert.Equal(t, tt.want, req.TLSVersion)
			op, err := m.Map(req)
			require.NoError(t, err)
			v, ok := op.Checks[0].Get("s3:TlsVersion")
			assert.Equal(t, tt.want != "", ok)
			if ok {
				assert.Equal(t, []string{tt.want}, v)
			}
			v, _ = op.Checks[0].Get("aws:SecureTransport")
			assert.Equal(t, []string{"true"}, v)
		})
	}
}

func TestFromHTTPRemoteAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		peer    string
		header  map[string][]string
		want    string
		wantErr error
	}{
		{name: "no trusted proxies: the forwarding headers are never read", peer: "192.0.2.1:1234",
			header: map[string][]string{"X-Forwarded-For": {"203.0.113.9"}, "X-Real-Ip": {"203.0.113.10"}, "Forwarded": {"for=203.0.113.11"}},
			want:   "192.0.2.1:1234"},
		{name: "no trusted proxies, a private peer", peer: "10.0.0.5:443",
			header: map[string][]string{"X-Forwarded-For": {"203.0.113.9"}}, want: "10.0.0.5:443"},
		{name: "an untrusted peer's header is ignored", trusted: trusted, peer: "192.0.2.1:1234",
			header: map[string][]string{"X-Forwarded-For": {"203.0.113.9"}}, want: "192.0.2.1:1234"},
		{name: "the rightmost untrusted entry", trusted: trusted, peer: "10.0.0.5:443",
			header: map[string][]string{"X-Forwarded-For": {"198.51.100.1, 203.0.113.9, 10.0.0.7"}}, want: "203.0.113.9"},
		{name: "a client's own entries to the left are not believed", trusted: trusted, peer: "10.0.0.5:443",
			header: map[string][]string{"X-Forwarded-For": {"10.0.0.1, not-an-ip, 203.0.113.9"}}, want: "203.0.113.9"},
		{name: "several header lines read as one list", trusted: trusted, peer: "10.0.0.5:443",
			header: map[string][]string{"X-Forwarded-For": {"198.51.100.1", "203.0.113.9 , 10.0.0.7"}}, want: "203.0.113.9"},
		{name: "every entry trusted: the leftmost", trusted: trusted, peer: "10.0.0.5:443",
			header: map[string][]string{"X-Forwarded-For": {"10.0.0.9, 10.0.0.7"}}, want: "10.0.0.9"},
		{name: "no header: the peer", trusted: trusted, peer: "10.0.0.5:443", want: "10.0.0.5:443"},
		{name: "X-Real-IP is never read", trusted: trusted, peer: "10.0.0.5:443",
			header: map[string][]string{"X-Real-Ip": {"203.0.113.9"}}, want: "10.0.0.5:443"},
		{name: "IPv6 entries with a port", trusted: trusted, peer: "[fd00::1]:443",
			header: map[string][]string{"X-Forwarded-For": {"[2001:db8::1]:5000"}}, want: "2001:db8::1"},
		{name: "an IPv4-mapped peer is IPv4", trusted: trusted, peer: "[::ffff:10.0.0.5]:443",
			header: map[string][]string{"X-Forwarded-For": {"::ffff:203.0.113.9"}}, want: "203.0.113.9"},
		{name: "a chosen entry that is no address fails", trusted: trusted, peer: "10.0.0.5:443",
			header: map[string][]string{"X-Forwarded-For": {"evil, 10.0.0.7"}}, wantErr: s3request.ErrInvalidRemoteAddress},
	}
	m := newMapper(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/photos/k", nil)
			r.Host = "s3.example.com"
			r.RemoteAddr = tt.peer
			for k, v := range tt.header {
				r.Header[k] = v
			}
			req, err := s3request.FromHTTP(r, s3request.HTTPOptions{TrustedProxies: tt.trusted})
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, req)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, req.RemoteAddr)
			op, err := m.Map(req)
			require.NoError(t, err)
			ip, ok := op.Checks[0].Get("aws:SourceIp")
			require.True(t, ok)
			want, err := netip.ParseAddr(tt.want)
			if err != nil {
				want = netip.MustParseAddrPort(tt.want).Addr().Unmap()
			}
			assert.Equal(t, []string{want.String()}, ip)
		})
	}
}

const deleteBody = `<Delete><Object><Key>tmp/a</Key></Object><Object><Key>keep/b</Key><VersionId>3</VersionId></Object></Delete>`

func TestFromHTTPBodyRead(t *testing.T) {
	const all = -2
	bigPut := strings.Repeat("x", 200<<10)
	paddedCreate := "<CreateBucketConfiguration>" + strings.Repeat(" ", 70<<10) + "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"
	form := multipartForm("uploads/${filename}", strings.Repeat("F", 100<<10))
	tests := []struct {
		name      string
		method    string
		host      string
		target    string
		header    map[string]string
		body      string
		chunked   bool // no Content-Length
		opts      s3request.HTTPOptions
		wantRead  int // bytes in Request.Body; all: the whole body; -1: the body is not touched
		wantOp    string
		wantErr   error // from Map
		wantHTTPE error // from FromHTTP
	}{
		{name: "DeleteObjects", method: "POST", target: "/photos?delete", body: deleteBody, wantRead: all, wantOp: "DeleteObjects"},
		{name: "DeleteObjects without Content-Length", method: "POST", target: "/photos?delete", body: deleteBody, chunked: true, wantRead: all, wantOp: "DeleteObjects"},
		{name: "PutObjectTagging", method: "PUT", target: "/photos/k?tagging", body: `<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>`, wantRead: all, wantOp: "PutObjectTagging"},
		{name: "PutObjectRetention", method: "PUT", target: "/photos/k?retention&versionId=3", body: `<Retention/>`, wantRead: all, wantOp: "PutObjectRetention"},
		{name: "PutObjectLegalHold", method: "PUT", target: "/photos/k?legal-hold", body: `<LegalHold><Status>ON</Status></LegalHold>`, wantRead: all, wantOp: "PutObjectLegalHold"},
		{name: "PutBucketInventoryConfiguration", method: "PUT", target: "/photos?inventory&id=a", body: `<InventoryConfiguration/>`, wantRead: all, wantOp: "PutBucketInventoryConfiguration"},
		{name: "CreateBucket in path style", method: "PUT", target: "/newbucket", body: `<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`, wantRead: all, wantOp: "CreateBucket"},
		{name: "CreateBucket in virtual-hosted style, presigned", method: "PUT", host: "newbucket.s3.example.com", target: "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260301T120000Z", body: `<CreateBucketConfiguration/>`, wantRead: all, wantOp: "CreateBucket"},
		{name: "a CreateBucket body over 64 KiB is cut and refused", method: "PUT", target: "/newbucket/", body: paddedCreate, wantRead: 64<<10 + 1, wantErr: s3request.ErrMalformedBody},
		{name: "a virtual-hosted PutObject of one segment: 64 KiB read, body ignored", method: "PUT", host: "photos.s3.example.com", target: "/k", body: bigPut, wantRead: 64<<10 + 1, wantOp: "PutObject"},
		{name: "an XML body over MaxBody is refused by Map", method: "POST", target: "/photos?delete", body: deleteBody + strings.Repeat(" ", s3request.MaxBody), wantRead: s3request.MaxBody + 1, wantErr: s3request.ErrMalformedBody},
		{name: "an XML body over a lower limit is refused by FromHTTP", method: "POST", target: "/photos?delete", body: deleteBody + strings.Repeat(" ", 100), opts: s3request.HTTPOptions{MaxBody: 64}, wantHTTPE: s3request.ErrMalformedBody},
		{name: "a browser upload reads up to the limit", method: "POST", target: "/photos", header: map[string]string{"Content-Type": form.contentType}, body: form.body, opts: s3request.HTTPOptions{MaxBody: 8 << 10}, wantRead: 8 << 10, wantOp: "PostObject"},
		{name: "a small browser upload is read whole", method: "POST", target: "/photos", header: map[string]string{"Content-Type": form.contentType}, body: form.body, wantRead: all, wantOp: "PostObject"},

		{name: "PutObject", method: "PUT", target: "/photos/k", body: bigPut, wantRead: -1, wantOp: "PutObject"},
		{name: "PutObject without Content-Length", method: "PUT", target: "/photos/dir/k", body: bigPut, chunked: true, wantRead: -1, wantOp: "PutObject"},
		{name: "CopyObject", method: "PUT", target: "/photos/k", header: map[string]string{"X-Amz-Copy-Source": "/photos/src"}, body: "", wantRead: -1, wantOp: "CopyObject"},
		{name: "UploadPart", method: "PUT", target: "/photos/k?partNumber=1&uploadId=u", body: bigPut, wantRead: -1, wantOp: "UploadPart"},
		{name: "a PUT to a bucket with a selector", method: "PUT", target: "/photos?acl", body: "<AccessControlPolicy/>", wantRead: -1, wantOp: "PutBucketAcl"},
		{name: "a GET's body", method: "GET", target: "/photos?delete", body: "x", wantRead: -1, wantErr: s3request.ErrUnsupportedOperation},
		{name: "a POST that is no upload", method: "POST", target: "/photos/k?uploads", body: "x", wantRead: -1, wantOp: "CreateMultipartUpload"},
	}
	m := newMapper(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spy := &spyBody{r: strings.NewReader(tt.body)}
			r := httptest.NewRequest(tt.method, tt.target, nil)
			r.Body = spy
			r.ContentLength = int64(len(tt.body))
			if tt.chunked {
				r.ContentLength = -1
			}
			r.Host = "s3.example.com"
			if tt.host != "" {
				r.Host = tt.host
			}
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			if tt.wantRead == all {
				tt.wantRead = len(tt.body)
			}
			req, err := s3request.FromHTTP(r, tt.opts)
			if tt.wantHTTPE != nil {
				require.ErrorIs(t, err, tt.wantHTTPE)
			} else {
				require.NoError(t, err)
			}
			if tt.wantRead < 0 {
				assert.Zero(t, spy.reads, "the body is not read")
				assert.Same(t, spy, r.Body, "the body is not replaced")
				assert.Nil(t, req.Body)
			} else {
				if req != nil {
					assert.Len(t, req.Body, tt.wantRead)
					assert.Equal(t, tt.body[:tt.wantRead], string(req.Body))
				}
				rest, err := io.ReadAll(r.Body)
				require.NoError(t, err)
				assert.Equal(t, tt.body, string(rest), "the next reader gets the whole body")
				require.NoError(t, r.Body.Close())
				assert.True(t, spy.closed, "closing the body closes the original")
			}
			if tt.wantHTTPE != nil {
				return
			}
			op, err := m.Map(req)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantOp, op.Name)
		})
	}
}

func TestFromHTTPDeleteObjectsChecks(t *testing.T) {
	r := httptest.NewRequest("POST", "/photos?delete", strings.NewReader(deleteBody))
	r.Host = "s3.example.com"
	req, err := s3request.FromHTTP(r, s3request.HTTPOptions{})
	require.NoError(t, err)
	op, err := newMapper(t).Map(req)
	require.NoError(t, err)
	require.Len(t, op.Checks, 2)
	assert.Equal(t, "s3:DeleteObject", op.Checks[0].Action)
	assert.Equal(t, "tmp/a", op.Checks[0].Key)
	assert.Equal(t, "s3:DeleteObjectVersion", op.Checks[1].Action)
	assert.Equal(t, "keep/b", op.Checks[1].Key)
	assert.Equal(t, "3", op.Checks[1].VersionID)
	rest, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Equal(t, deleteBody, string(rest))
}

// failingBody returns some bytes, then an error.
type failingBody struct{ sent bool }

var errGone = errors.New("client went away")

func (f *failingBody) Read(p []byte) (int, error) {
	if f.sent {
		return 0, errGone
	}
	f.sent = true
	return copy(p, "<Delete>"), nil
}
func (f *failingBody) Close() error { return nil }

func TestFromHTTPBodyError(t *testing.T) {
	r := httptest.NewRequest("POST", "/photos?delete", nil)
	r.Body, r.ContentLength = &failingBody{}, 100
	req, err := s3request.FromHTTP(r, s3request.HTTPOptions{})
	require.ErrorIs(t, err, errGone)
	assert.Nil(t, req)
	var e *s3request.Error
	assert.False(t, errors.As(err, &e), "a read error is no mapping error")
}

type form struct{ contentType, body string }

// multipartForm is a browser upload form: the key and acl fields, then the
// file.
func multipartForm(key, file string) form {
	const boundary = "XyZzY"
	var b bytes.Buffer
	b.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n" + key + "\r\n")
	b.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"acl\"\r\n\r\nprivate\r\n")
	b.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" + file + "\r\n")
	b.WriteString("--" + boundary + "--\r\n")
	return form{contentType: "multipart/form-data; boundary=" + boundary, body: b.String()}
}

func TestEvaluateRequest(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := httptest.NewRequest("PUT", "/photos/cat.jpg", strings.NewReader("data"))
	r.Host = "s3.example.com"
	r.Header.Set("X-Amz-Acl", "public-read")
	r.Header.Set("X-Amz-Tagging", "team=blue")
	req, err := s3request.FromHTTP(r, s3request.HTTPOptions{Now: func() time.Time { return now }})
	require.NoError(t, err)
	op, err := newMapper(t).Map(req)
	require.NoError(t, err)
	require.Len(t, op.Checks, 3)
	actions := []string{op.Checks[0].Action, op.Checks[1].Action, op.Checks[2].Action}
	require.Equal(t, []string{"s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging"}, actions)

	bob := ownership.MustParsePrincipal("arn:aws:iam::444455556666:user/bob")
	var keys evaluate.Keys
	tests := []struct {
		name    string
		check   int
		canned  string
		present []string
		absent  []string
	}{
		{name: "PutObject carries the ACL and tag keys", check: 0, canned: "public-read",
			present: []string{"s3:x-amz-acl", "s3:RequestObjectTag/team", "s3:RequestObjectTagKeys", "aws:SecureTransport", "aws:CurrentTime"}},
		{name: "PutObjectAcl only the ACL keys", check: 1, canned: "public-read",
			present: []string{"s3:x-amz-acl", "aws:SecureTransport"}, absent: []string{"s3:RequestObjectTagKeys", "s3:RequestObjectTag/team"}},
		{name: "PutObjectTagging only the tag keys", check: 2, canned: "",
			present: []string{"s3:RequestObjectTagKeys"}, absent: []string{"s3:x-amz-acl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &op.Checks[tt.check]
			er := op.EvaluateRequest(tt.check, bob, &keys)
			assert.Equal(t, bob, er.Principal)
			assert.Equal(t, c.Action, er.Action)
			assert.Equal(t, "photos", er.Bucket)
			assert.Equal(t, "cat.jpg", er.Key)
			assert.Equal(t, now, er.Time)
			assert.Equal(t, tt.canned, er.CannedACL)
			assert.Same(t, &keys, er.Keys, "the caller's Keys is reused")
			assert.Equal(t, len(c.Keys), keys.Len(), "earlier checks' keys are reset")
			for _, k := range c.Keys {
				v, ok := keys.Get(k.Name)
				assert.True(t, ok, k.Name)
				assert.Equal(t, k.Values, v, k.Name)
			}
			for _, name := range tt.present {
				_, ok := keys.Get(name)
				assert.True(t, ok, name)
			}
			for _, name := range tt.absent {
				_, ok := keys.Get(name)
				assert.False(t, ok, name)
			}
		})
	}

	// One tag: s3:RequestObjectTagKeys has one value and stays multivalued,
	// so no policy variable reads it; the tag's own key is single-valued.
	op.EvaluateRequest(0, bob, &keys)
	v, ok := keys.Get("s3:RequestObjectTagKeys")
	require.True(t, ok)
	assert.Equal(t, []string{"team"}, v)
	_, ok = keys.Lookup("s3:RequestObjectTagKeys")
	assert.False(t, ok, "a multivalued key of one value stays multivalued")
	s, ok := keys.Lookup("s3:RequestObjectTag/team")
	assert.True(t, ok)
	assert.Equal(t, "blue", s)

	er := op.EvaluateRequest(0, bob, nil)
	require.NotNil(t, er.Keys, "a nil Keys is a new one")
	assert.Equal(t, len(op.Checks[0].Keys), er.Keys.Len())
}

func TestEvaluateRequestAllocations(t *testing.T) {
	r := httptest.NewRequest("GET", "/photos/cat.jpg?versionId=3", nil)
	r.Host = "s3.example.com"
	r.TLS = &tls.ConnectionState{Version: tls.VersionTLS13}
	r.Header.Set("User-Agent", "test/1")
	r.Header.Set("Referer", "https://example.com/")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x")
	r.Header.Set("X-Amz-Date", "20260301T115959Z")
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	req, err := s3request.FromHTTP(r, s3request.HTTPOptions{Now: func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	op, err := newMapper(t).Map(req)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(op.Checks[0].Keys), 10, "every request-wide key and s3:VersionId")
	var keys evaluate.Keys
	p := ownership.Anonymous()
	op.EvaluateRequest(0, p, &keys)
	allocs := testing.AllocsPerRun(100, func() { op.EvaluateRequest(0, p, &keys) })
	assert.Zero(t, allocs, "the names Map emits need no folding")
}
