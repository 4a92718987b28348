package sigv4

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

const (
	testAKID   = "AKIDTESTEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY=EXAMPLEKEY"
	testRegion = "us-east-1"
)

var testNow = time.Date(2024, 5, 24, 12, 0, 0, 0, time.UTC)

func testVerifier() *Verifier {
	return &Verifier{
		Secret: func(id string) (string, bool) {
			if id == testAKID {
				return testSecret, true
			}
			return "", false
		},
		Now: func() time.Time { return testNow },
	}
}

// s3Signer is the SDK's signer configured as the S3 client configures it:
// the path is used as escaped in the URL, not escaped a second time.
func s3Signer() *v4.Signer {
	return v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
}

func creds(akid, secret string) aws.Credentials {
	return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}
}

// newRequest builds a request for an S3 key, escaping the key as the SDK
// does (everything but unreserved characters and '/').
func newRequest(t *testing.T, method, host, key, rawQuery string, body []byte) *http.Request {
	t.Helper()
	u := &url.URL{Scheme: "http", Host: host, Path: key, RawPath: httpbinding.EscapePath(key, false), RawQuery: rawQuery}
	r, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		r.Body, r.ContentLength = http.NoBody, 0
	}
	return r
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// sign signs r with the SDK signer and the given payload hash, setting
// x-amz-content-sha256 first as the S3 client does.
func sign(t *testing.T, r *http.Request, c aws.Credentials, payloadHash string, at time.Time) {
	t.Helper()
	r.Header.Set("X-Amz-Content-Sha256", payloadHash)
	if err := s3Signer().SignHTTP(context.Background(), c, r, payloadHash, "s3", testRegion, at); err != nil {
		t.Fatal(err)
	}
}

// presign returns a presigned copy of r valid for expires seconds.
func presign(t *testing.T, r *http.Request, c aws.Credentials, expires int, at time.Time) *http.Request {
	t.Helper()
	q := r.URL.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(expires))
	r.URL.RawQuery = q.Encode()
	signed, hdr, err := s3Signer().PresignHTTP(context.Background(), c, r, UnsignedPayload, "s3", testRegion, at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(r.Method, signed, r.Body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k != "Host" {
			out.Header[k] = v
		}
	}
	out.ContentLength = r.ContentLength
	return out
}

// wantErr checks that err is an *Error with the given status and code.
func wantErr(t *testing.T, err error, status int, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want *Error %d %s", err, status, code)
	}
	if e.Status != status || e.Code != code {
		t.Fatalf("got %d %s (%s), want %d %s", e.Status, e.Code, e.Message, status, code)
	}
}

func TestHeaderSigned(t *testing.T) {
	body := []byte("hello, world")
	good := creds(testAKID, testSecret)
	tests := map[string]struct {
		creds   aws.Credentials
		at      time.Time
		hash    string              // payload hash to sign; "" means the body's SHA-256
		before  func(*http.Request) // before signing
		after   func(*http.Request) // after signing
		status  int                 // 0: success
		code    string
		onVerif bool // the error comes from Verify even though it is about the body
		onRead  bool // the error comes from reading the body
	}{
		"valid":                  {},
		"valid unsigned payload": {hash: UnsignedPayload},
		"valid 14 minutes slow":  {at: testNow.Add(-14 * time.Minute)},
		"valid 14 minutes fast":  {at: testNow.Add(14 * time.Minute)},
		"valid with signed meta": {before: func(r *http.Request) { r.Header.Set("X-Amz-Meta-Color", "  deep   blue ") }},
		"valid session token": {
			creds: aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: "tok/en+="},
		},
		"wrong secret": {creds: creds(testAKID, "not the secret"), status: 403, code: "SignatureDoesNotMatch"},
		"unknown key":  {creds: creds("AKIDUNKNOWN", testSecret), status: 403, code: "InvalidAccessKeyId"},
		"signed header changed": {
			before: func(r *http.Request) { r.Header.Set("X-Amz-Meta-Color", "blue") },
			after:  func(r *http.Request) { r.Header.Set("X-Amz-Meta-Color", "red") },
			status: 403, code: "SignatureDoesNotMatch",
		},
		"unsigned x-amz header added": {
			after:  func(r *http.Request) { r.Header.Set("X-Amz-Acl", "public-read") },
			status: 403, code: "AccessDenied",
		},
		"path changed": {
			after:  func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/bucket/other", "" },
			status: 403, code: "SignatureDoesNotMatch",
		},
		"query value changed": {
			after:  func(r *http.Request) { r.URL.RawQuery = "versionId=2" },
			status: 403, code: "SignatureDoesNotMatch",
		},
		"query parameter added": {
			after:  func(r *http.Request) { r.URL.RawQuery += "&acl" },
			status: 403, code: "SignatureDoesNotMatch",
		},
		"host changed": {
			after:  func(r *http.Request) { r.Host = "other.s3.example.com" },
			status: 403, code: "SignatureDoesNotMatch",
		},
		"method changed": {
			after:  func(r *http.Request) { r.Method = http.MethodPost },
			status: 403, code: "SignatureDoesNotMatch",
		},
		"date beyond skew": {at: testNow.Add(-16 * time.Minute), status: 403, code: "RequestTimeTooSkewed"},
		"date in the future beyond skew": {
			at: testNow.Add(16 * time.Minute), status: 403, code: "RequestTimeTooSkewed",
		},
		"body tampered with hex hash": {
			after: func(r *http.Request) {
				r.Body = io.NopCloser(strings.NewReader("hello, World"))
			},
			status: 400, code: "XAmzContentSHA256Mismatch", onRead: true,
		},
		"checksum header matches": {
			before: func(r *http.Request) { r.Header.Set("X-Amz-Checksum-Crc32", checksum("x-amz-checksum-crc32", body)) },
		},
		"checksum header matches unsigned payload": {
			hash:   UnsignedPayload,
			before: func(r *http.Request) { r.Header.Set("X-Amz-Checksum-Sha256", checksum("x-amz-checksum-sha256", body)) },
		},
		"checksum header mismatch": {
			before: func(r *http.Request) {
				r.Header.Set("X-Amz-Checksum-Crc32c", checksum("x-amz-checksum-crc32c", []byte("other")))
			},
			status: 400, code: "BadDigest", onRead: true,
		},
		"checksum header mismatch unsigned payload": {
			hash: UnsignedPayload,
			before: func(r *http.Request) {
				r.Header.Set("X-Amz-Checksum-Sha1", checksum("x-amz-checksum-sha1", []byte("other")))
			},
			status: 400, code: "BadDigest", onRead: true,
		},
		"checksum header not base64": {
			before: func(r *http.Request) { r.Header.Set("X-Amz-Checksum-Crc32", "not base64!") },
			status: 400, code: "InvalidRequest",
		},
		"empty body with wrong hash": {
			hash:   hexSum([]byte("x")),
			before: func(r *http.Request) { r.Body, r.ContentLength = http.NoBody, 0 },
			status: 400, code: "XAmzContentSHA256Mismatch", onVerif: true,
		},
		"signature flipped": {
			after: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				last := a[len(a)-1]
				flip := byte('0')
				if last == '0' {
					flip = '1'
				}
				r.Header.Set("Authorization", a[:len(a)-1]+string(flip))
			},
			status: 403, code: "SignatureDoesNotMatch",
		},
		"scope date differs from x-amz-date": {
			after: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", strings.Replace(a, "/20240524/", "/20240523/", 1))
			},
			status: 400, code: "AuthorizationHeaderMalformed",
		},
		"credential without terminator": {
			after: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", strings.Replace(a, "/aws4_request", "", 1))
			},
			status: 400, code: "AuthorizationHeaderMalformed",
		},
		"other service": {
			after: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", strings.Replace(a, "/s3/", "/iam/", 1))
			},
			status: 400, code: "AuthorizationHeaderMalformed",
		},
		"content sha256 not signed": {
			after: func(r *http.Request) {
				r.Header.Del("Authorization")
				r.Header.Del("X-Amz-Content-Sha256")
				if err := s3Signer().SignHTTP(context.Background(), good, r, hexSum(body), "s3", testRegion, testNow); err != nil {
					t.Fatal(err)
				}
			},
			status: 400, code: "AuthorizationHeaderMalformed",
		},
		"invalid content sha256": {
			hash: "abc", status: 400, code: "InvalidArgument",
		},
		"header and query auth": {
			after:  func(r *http.Request) { r.URL.RawQuery += "&X-Amz-Algorithm=AWS4-HMAC-SHA256" },
			status: 400, code: "InvalidArgument",
		},
		"signature version 2": {
			after:  func(r *http.Request) { r.Header.Set("Authorization", "AWS "+testAKID+":c2lnbmF0dXJl") },
			status: 400, code: "InvalidRequest",
		},
		"sigv4a": {
			after: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", strings.Replace(a, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1))
			},
			status: 400, code: "InvalidRequest",
		},
		"two authorization headers": {
			after:  func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) },
			status: 400, code: "AuthorizationHeaderMalformed",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := newRequest(t, http.MethodPut, "s3.example.com", "/bucket/key", "versionId=1", body)
			if tc.before != nil {
				tc.before(r)
			}
			c := tc.creds
			if c.AccessKeyID == "" {
				c = good
			}
			at := tc.at
			if at.IsZero() {
				at = testNow
			}
			hash := tc.hash
			if hash == "" {
				hash = hexSum(body)
			}
			sign(t, r, c, hash, at)
			if tc.after != nil {
				tc.after(r)
			}
			v := testVerifier()
			res, err := v.Verify(r)
			if tc.onVerif || (tc.status != 0 && !tc.onRead) {
				wantErr(t, err, tc.status, tc.code)
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			got, err := io.ReadAll(r.Body)
			if tc.status != 0 {
				wantErr(t, err, tc.status, tc.code)
				return
			}
			if err != nil {
				t.Fatalf("reading body: %v", err)
			}
			if !bytes.Equal(got, body) {
				t.Fatalf("body %q, want %q", got, body)
			}
			if res.AccessKeyID != testAKID || res.Anonymous || res.Presigned || res.Region != testRegion ||
				res.Service != "s3" || !res.Time.Equal(at.Truncate(time.Second)) || res.SessionToken != c.SessionToken {
				t.Fatalf("unexpected result %+v", res)
			}
		})
	}
}

func TestAnonymous(t *testing.T) {
	tests := map[string]struct {
		query  string
		header map[string]string
		anon   bool
		code   string
	}{
		"no auth":                  {anon: true},
		"plain query":              {query: "prefix=a&list-type=2", anon: true},
		"algorithm in a value":     {query: "prefix=X-Amz-Algorithm", anon: true},
		"algorithm spelled lower":  {query: "x-amz-algorithm=AWS4-HMAC-SHA256", anon: true},
		"signature version 2 URL":  {query: "AWSAccessKeyId=AKID&Expires=1&Signature=abc", code: "InvalidRequest"},
		"bad escape with auth":     {query: "a=%zz", header: map[string]string{"Authorization": "AWS4-HMAC-SHA256 x"}, code: "InvalidArgument"},
		"unsupported auth type":    {header: map[string]string{"Authorization": "Bearer abc"}, code: "InvalidArgument"},
		"presigned without fields": {query: "X-Amz-Algorithm=AWS4-HMAC-SHA256", code: "AuthorizationQueryParametersError"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := newRequest(t, http.MethodGet, "s3.example.com", "/bucket", tc.query, nil)
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			res, err := testVerifier().Verify(r)
			if tc.anon {
				if err != nil || !res.Anonymous || res.AccessKeyID != "" {
					t.Fatalf("got %+v, %v; want anonymous", res, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.code {
				t.Fatalf("got %+v, %v; want %s", res, err, tc.code)
			}
		})
	}
}

func TestPresigned(t *testing.T) {
	good := creds(testAKID, testSecret)
	tests := map[string]struct {
		creds   aws.Credentials
		at      time.Time
		expires int
		after   func(*http.Request)
		status  int
		code    string
	}{
		"valid":                    {},
		"valid near expiry":        {at: testNow.Add(-59 * time.Minute)},
		"valid signed for later":   {at: testNow.Add(10 * time.Minute)},
		"valid with session token": {creds: aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: "t/o+k=en"}},
		"valid seven days":         {expires: MaxPresignExpires, at: testNow.Add(-6 * 24 * time.Hour)},
		"expired":                  {at: testNow.Add(-61 * time.Minute), status: 403, code: "AccessDenied"},
		"not valid yet":            {at: testNow.Add(20 * time.Minute), status: 403, code: "AccessDenied"},
		"wrong secret":             {creds: creds(testAKID, "nope"), status: 403, code: "SignatureDoesNotMatch"},
		"unknown key":              {creds: creds("AKIDNOBODY", testSecret), status: 403, code: "InvalidAccessKeyId"},
		"expires too long":         {expires: MaxPresignExpires + 1, status: 400, code: "AuthorizationQueryParametersError"},
		"expires zero":             {expires: -1, status: 400, code: "AuthorizationQueryParametersError"},
		"query value changed": {
			after: func(r *http.Request) {
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "versionId=1", "versionId=2", 1)
			},
			status: 403, code: "SignatureDoesNotMatch",
		},
		"expires extended": {
			after: func(r *http.Request) {
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires=7200", 1)
			},
			status: 403, code: "SignatureDoesNotMatch",
		},
		"path changed": {
			after:  func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/bucket/kez", "" },
			status: 403, code: "SignatureDoesNotMatch",
		},
		"unsigned x-amz header": {
			after:  func(r *http.Request) { r.Header.Set("X-Amz-Acl", "public-read") },
			status: 403, code: "AccessDenied",
		},
		"duplicate signature": {
			after:  func(r *http.Request) { r.URL.RawQuery += "&X-Amz-Signature=" + strings.Repeat("0", 64) },
			status: 400, code: "AuthorizationQueryParametersError",
		},
		"also an authorization header": {
			after:  func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x") },
			status: 400, code: "InvalidArgument",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := newRequest(t, http.MethodGet, "bucket.s3.example.com", "/a key/ü+=.txt", "versionId=1", nil)
			c := tc.creds
			if c.AccessKeyID == "" {
				c = good
			}
			at := tc.at
			if at.IsZero() {
				at = testNow
			}
			exp := tc.expires
			switch exp {
			case 0:
				exp = 3600
			case -1:
				exp = 0
			}
			r = presign(t, r, c, exp, at)
			if tc.after != nil {
				tc.after(r)
			}
			res, err := testVerifier().Verify(r)
			if tc.status != 0 {
				wantErr(t, err, tc.status, tc.code)
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v (url %s)", err, r.URL)
			}
			if !res.Presigned || res.AccessKeyID != testAKID || res.SessionToken != c.SessionToken ||
				!res.Expires.Equal(at.Truncate(time.Second).Add(time.Duration(exp)*time.Second)) {
				t.Fatalf("unexpected result %+v", res)
			}
		})
	}
}

// TestKeysAndQueries signs unusual keys and query values with the SDK and
// checks they verify, both as the SDK escapes them and as other clients
// send them (lighter escaping, '+' for spaces in the query).
func TestKeysAndQueries(t *testing.T) {
	keys := map[string]string{
		"spaces":             "/bucket/a key with  spaces.txt",
		"unicode":            "/bucket/ünïcødé/ファイル.txt",
		"plus and equals":    "/bucket/a+b=c&d.txt",
		"slash segments":     "/bucket/dir//sub/./../x/",
		"reserved chars":     "/bucket/k:@!$'()*,;[]#?%.txt",
		"tilde and friends":  "/bucket/~user/-_.~",
		"percent literal":    "/bucket/100%25 sure %2F",
		"control and quotes": "/bucket/\"quoted\" \t<tab>",
		"bucket only":        "/bucket",
		"root":               "/",
	}
	for name, key := range keys {
		t.Run("key "+name, func(t *testing.T) {
			r := newRequest(t, http.MethodGet, "s3.example.com", key, "", nil)
			sign(t, r, creds(testAKID, testSecret), emptySHA256, testNow)
			if _, err := testVerifier().Verify(r); err != nil {
				t.Fatalf("SDK escaping %q: %v", r.URL.EscapedPath(), err)
			}
			// The same request with the path escaped as Go's net/url escapes
			// it, which leaves sub-delimiters alone.
			light := *r.URL
			light.RawPath = ""
			r.URL = &light
			if _, err := testVerifier().Verify(r); err != nil {
				t.Fatalf("light escaping %q: %v", r.URL.EscapedPath(), err)
			}
		})
	}

	values := map[string]string{
		"spaces":      "a b  c",
		"plus":        "a+b",
		"slash":       "dir/sub/",
		"equals amp":  "k=v&x=y",
		"unicode":     "ü日本",
		"reserved":    "!$'()*,;:@[]?#",
		"tilde":       "~-._",
		"percent":     "100%",
		"empty value": "",
	}
	for name, val := range values {
		t.Run("query "+name, func(t *testing.T) {
			q := url.Values{"list-type": {"2"}, "prefix": {val}, "delimiter": {"/"}}
			r := newRequest(t, http.MethodGet, "s3.example.com", "/bucket", q.Encode(), nil)
			sign(t, r, creds(testAKID, testSecret), emptySHA256, testNow)
			if _, err := testVerifier().Verify(r); err != nil {
				t.Fatalf("query %q: %v", r.URL.RawQuery, err)
			}
			// %20 instead of '+' for spaces, as the SDK sends it.
			r.URL.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
			if _, err := testVerifier().Verify(r); err != nil {
				t.Fatalf("query %q: %v", r.URL.RawQuery, err)
			}
			r.URL.RawQuery = url.Values{"list-type": {"2"}, "prefix": {val + "x"}, "delimiter": {"/"}}.Encode()
			_, err := testVerifier().Verify(r)
			wantErr(t, err, 403, "SignatureDoesNotMatch")
		})
	}

	t.Run("presigned special key and query", func(t *testing.T) {
		q := url.Values{"response-content-disposition": {`attachment; filename="ü b+c.txt"`}}
		r := newRequest(t, http.MethodGet, "s3.example.com", "/bucket/a b/ü+=.txt", q.Encode(), nil)
		r = presign(t, r, creds(testAKID, testSecret), 60, testNow)
		if _, err := testVerifier().Verify(r); err != nil {
			t.Fatalf("%s: %v", r.URL, err)
		}
	})

	t.Run("server side request target", func(t *testing.T) {
		r := newRequest(t, http.MethodGet, "s3.example.com", "/bucket/a b+c", "prefix=x%20y", nil)
		sign(t, r, creds(testAKID, testSecret), emptySHA256, testNow)
		// As a server sees it, after a middleware stripped a prefix from r.URL.
		r.RequestURI = r.URL.RequestURI()
		r.URL = &url.URL{Path: "/a b+c", RawQuery: "prefix=x%20y"}
		if _, err := testVerifier().Verify(r); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRegionPinned(t *testing.T) {
	v := testVerifier()
	v.Region = "eu-west-1"
	r := newRequest(t, http.MethodGet, "s3.example.com", "/bucket", "", nil)
	sign(t, r, creds(testAKID, testSecret), emptySHA256, testNow)
	_, err := v.Verify(r)
	wantErr(t, err, 400, "AuthorizationHeaderMalformed")
	v.Region = testRegion
	if _, err := v.Verify(r); err != nil {
		t.Fatal(err)
	}
}

// TestDateHeader covers requests dated by Date instead of x-amz-date.
func TestDateHeader(t *testing.T) {
	r := newRequest(t, http.MethodGet, "s3.example.com", "/bucket/k", "", nil)
	// Sign by hand: the SDK always uses x-amz-date.
	date := testNow.Format(http.TimeFormat)
	r.Header.Set("Date", date)
	r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	canonical := "GET\n/bucket/k\n\ndate:" + date + "\nhost:s3.example.com\nx-amz-content-sha256:" + emptySHA256 +
		"\n\ndate;host;x-amz-content-sha256\n" + emptySHA256
	scope := "20240524/us-east-1/s3/aws4_request"
	sts := "AWS4-HMAC-SHA256\n20240524T120000Z\n" + scope + "\n" + hexSum([]byte(canonical))
	sig := hex.EncodeToString(mac(testKey(testSecret, "20240524"), sts))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/"+scope+
		", SignedHeaders=date;host;x-amz-content-sha256, Signature="+sig)
	if _, err := testVerifier().Verify(r); err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Date", testNow.Add(time.Second).Format(http.TimeFormat))
	_, err := testVerifier().Verify(r)
	wantErr(t, err, 403, "SignatureDoesNotMatch")
}

// mac and testKey implement the HMAC chain independently of the package.
func mac(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

func testKey(secret, date string) []byte {
	k := mac([]byte("AWS4"+secret), date)
	for _, s := range []string{testRegion, "s3", "aws4_request"} {
		k = mac(k, s)
	}
	return k
}
