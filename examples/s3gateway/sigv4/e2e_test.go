package sigv4

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// fakeS3 is a tiny in-memory S3 whose every request goes through Verify and
// whose bodies are read to the end before anything is stored.
type fakeS3 struct {
	t      *testing.T
	v      *Verifier
	mu     sync.Mutex
	objs   map[string][]byte // "bucket/key"
	shapes map[string]bool   // request shapes seen, for the record
}

func (f *fakeS3) fail(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: err.Error()}
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", e.Code, xmlEscape(e.Message))
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// shape summarizes what the client sent that matters to the verifier.
func shape(r *http.Request, res Result) string {
	var parts []string
	parts = append(parts, r.Method)
	if res.Presigned {
		parts = append(parts, "presigned")
	}
	parts = append(parts, "content-sha256="+abbrev(r.Header.Get("X-Amz-Content-Sha256")))
	for _, h := range []string{"Content-Encoding", "X-Amz-Trailer", "X-Amz-Sdk-Checksum-Algorithm", "X-Amz-Decoded-Content-Length"} {
		if v := r.Header.Get(h); v != "" {
			parts = append(parts, strings.ToLower(h)+"="+v)
		}
	}
	for k := range r.Header {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-checksum-") {
			parts = append(parts, strings.ToLower(k))
		}
	}
	if len(r.TransferEncoding) > 0 {
		parts = append(parts, "transfer-encoding="+strings.Join(r.TransferEncoding, ","))
	}
	return strings.Join(parts, " ")
}

func abbrev(h string) string {
	if len(h) == 64 && isHex(h) {
		return "<hex>"
	}
	return h
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Record the head before Verify rewrites Content-Encoding.
	head := r.Clone(r.Context())
	res, err := f.v.Verify(r)
	if err != nil {
		f.fail(w, err)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.fail(w, err)
		return
	}
	if res.Anonymous {
		f.fail(w, &Error{Status: 403, Code: "AccessDenied", Message: "anonymous"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shapes[shape(head, res)] = true

	bucket, key := "", strings.TrimPrefix(r.URL.Path, "/")
	if host, _, _ := strings.Cut(r.Host, ":"); strings.HasSuffix(host, ".s3.example.com") {
		bucket = strings.TrimSuffix(host, ".s3.example.com")
	} else {
		bucket, key, _ = strings.Cut(key, "/")
	}
	switch {
	case r.Method == http.MethodPut && key != "":
		if int64(len(body)) != r.ContentLength && r.ContentLength >= 0 {
			f.t.Errorf("%s: read %d bytes, ContentLength %d", key, len(body), r.ContentLength)
		}
		f.objs[bucket+"/"+key] = body
		w.Header().Set("ETag", `"etag"`)
	case r.Method == http.MethodGet && key != "":
		b, ok := f.objs[bucket+"/"+key]
		if !ok {
			f.fail(w, &Error{Status: 404, Code: "NoSuchKey", Message: "no such key " + key})
			return
		}
		w.Write(b)
	case r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2":
		prefix := r.URL.Query().Get("prefix")
		var keys []string
		for k := range f.objs {
			if k, ok := strings.CutPrefix(k, bucket+"/"); ok && strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>%s</Name><Prefix>%s</Prefix><KeyCount>%d</KeyCount><IsTruncated>false</IsTruncated>`,
			xmlEscape(bucket), xmlEscape(prefix), len(keys))
		for _, k := range keys {
			fmt.Fprintf(&b, "<Contents><Key>%s</Key><Size>%d</Size></Contents>", xmlEscape(k), len(f.objs[bucket+"/"+k]))
		}
		b.WriteString("</ListBucketResult>")
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, b.String())
	default:
		f.fail(w, &Error{Status: 501, Code: "NotImplemented", Message: r.Method + " " + r.URL.String()})
	}
}

// TestSDKEndToEnd drives the real AWS SDK for Go v2 S3 client against a
// server that verifies every request, path-style and virtual-hosted, over
// plain HTTP and over TLS.
//
// Request shapes the SDK (aws-sdk-go-v2 v1.48.0, service/s3 v1.116.0, with
// the default "when supported" request checksums) produced, all verified:
//
//   - GetObject and ListObjectsV2: x-amz-content-sha256 is the hex SHA-256
//     of the empty body, over HTTP and TLS alike.
//   - PutObject over plain HTTP: x-amz-content-sha256 is the hex SHA-256 of
//     the body, and the checksum is a header: x-amz-checksum-crc32 by
//     default (without x-amz-sdk-checksum-algorithm), or the one asked for
//     with x-amz-sdk-checksum-algorithm CRC32C, SHA1, SHA256 or CRC64NVME.
//     The SDK refuses unseekable bodies over plain HTTP.
//   - PutObject over TLS with a non-empty body, seekable or not:
//     STREAMING-UNSIGNED-PAYLOAD-TRAILER, Content-Encoding aws-chunked,
//     x-amz-decoded-content-length, x-amz-trailer naming the checksum
//     (x-amz-checksum-crc32 by default) and, for an explicit algorithm,
//     x-amz-sdk-checksum-algorithm; the chunks are unsigned ("size CRLF")
//     and the checksum comes in the trailer. The SDK never sent
//     STREAMING-AWS4-HMAC-SHA256-PAYLOAD or the signed-trailer variant.
//   - PutObject over TLS with an empty body: UNSIGNED-PAYLOAD with an
//     x-amz-checksum-crc32 header.
//   - Presigned GET and PUT (s3.NewPresignClient): no x-amz-content-sha256
//     header, UNSIGNED-PAYLOAD in the canonical request, only host signed,
//     no checksum headers.
//
// The shapes of a run are logged with go test -v.
func TestSDKEndToEnd(t *testing.T) {
	srv := &fakeS3{
		t: t,
		v: &Verifier{
			Secret: func(id string) (string, bool) { return testSecret, id == testAKID },
			// The SDK signs with the real clock, which this test cannot set.
			Now: time.Now,
		},
		objs:   map[string][]byte{},
		shapes: map[string]bool{},
	}
	// Over plain HTTP the SDK hashes the payload; over TLS it streams it
	// with a trailing checksum, so both are exercised.
	plain := httptest.NewServer(srv)
	defer plain.Close()
	secure := httptest.NewTLSServer(srv)
	defer secure.Close()
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	// clientFor sends every host name to the loopback server ts.
	clientFor := func(ts *httptest.Server) *http.Client {
		tr := &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, ts.Listener.Addr().String())
			},
		}
		if ts.TLS != nil {
			// The test certificate does not name s3.example.com; this is
			// a loopback connection to the test's own server.
			tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
		}
		return &http.Client{Transport: tr}
	}
	newClient := func(ts *httptest.Server, secret string, pathStyle bool) (*s3.Client, *http.Client) {
		hc := clientFor(ts)
		_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
		scheme := "http"
		if ts.TLS != nil {
			scheme = "https"
		}
		cfg := aws.Config{
			Region:           testRegion,
			Credentials:      credentials.NewStaticCredentialsProvider(testAKID, secret, ""),
			HTTPClient:       hc,
			RetryMaxAttempts: 1,
			// What config.LoadDefaultConfig resolves to when nothing is set.
			RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		}
		return s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.BaseEndpoint = aws.String(scheme + "://s3.example.com:" + port)
			o.UsePathStyle = pathStyle
		}), hc
	}
	ctx := context.Background()
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	objects := map[string][]byte{
		"small.txt":               []byte("hello, gateway"),
		"dir/big.bin":             big,
		"dir/a b/ü+=&?#;:@.txt":   []byte("special"),
		"dir/~tilde/-_./percent%": []byte("percent"),
		"empty":                   nil,
	}

	for _, style := range []struct {
		name string
		ts   *httptest.Server
		path bool
	}{
		{"http path style", plain, true},
		{"http virtual hosted", plain, false},
		{"https path style", secure, true},
		{"https virtual hosted", secure, false},
	} {
		t.Run(style.name, func(t *testing.T) {
			c, hc := newClient(style.ts, testSecret, style.path)
			bucket := "bucket-" + strings.ReplaceAll(style.name, " ", "-")
			for key, data := range objects {
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(key), Body: bytes.NewReader(data)}); err != nil {
					t.Fatalf("PutObject %q: %v", key, err)
				}
			}
			// Explicit checksum algorithms.
			for _, algo := range []types.ChecksumAlgorithm{
				types.ChecksumAlgorithmCrc32c, types.ChecksumAlgorithmSha1,
				types.ChecksumAlgorithmSha256, types.ChecksumAlgorithmCrc64nvme,
			} {
				key := "algo/" + string(algo)
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{
					Bucket: &bucket, Key: &key, Body: bytes.NewReader(big), ChecksumAlgorithm: algo,
				}); err != nil {
					t.Fatalf("PutObject %s: %v", algo, err)
				}
			}
			if style.ts.TLS != nil {
				// The SDK accepts unseekable bodies over TLS only.
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{
					Bucket: &bucket, Key: aws.String("stream/big.bin"),
					Body: io.MultiReader(bytes.NewReader(big)), ContentLength: aws.Int64(int64(len(big))),
				}); err != nil {
					t.Fatalf("PutObject unseekable: %v", err)
				}
				srv.mu.Lock()
				streamed := srv.objs[bucket+"/stream/big.bin"]
				srv.mu.Unlock()
				if !bytes.Equal(streamed, big) {
					t.Fatalf("streamed upload stored %d bytes", len(streamed))
				}
			}
			for key, data := range objects {
				out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String(key)})
				if err != nil {
					t.Fatalf("GetObject %q: %v", key, err)
				}
				got, _ := io.ReadAll(out.Body)
				out.Body.Close()
				if !bytes.Equal(got, data) {
					t.Fatalf("GetObject %q: %d bytes, want %d", key, len(got), len(data))
				}
			}
			for prefix, want := range map[string]int{"dir/": 3, "dir/a b/": 1, "small": 1, "nothing": 0} {
				out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String(prefix)})
				if err != nil {
					t.Fatalf("ListObjectsV2 %q: %v", prefix, err)
				}
				if len(out.Contents) != want {
					t.Fatalf("ListObjectsV2 %q: %d keys, want %d", prefix, len(out.Contents), want)
				}
			}

			pc := s3.NewPresignClient(c)
			key := "dir/a b/ü+=&?#;:@.txt"
			get, err := pc.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
			if err != nil {
				t.Fatal(err)
			}
			if got := do(t, hc, get.Method, get.URL, get.SignedHeader, nil); got != "special" {
				t.Fatalf("presigned GET: %q", got)
			}
			put, err := pc.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("presigned/ü b.txt")})
			if err != nil {
				t.Fatal(err)
			}
			do(t, hc, put.Method, put.URL, put.SignedHeader, []byte("via presigned PUT"))
			srv.mu.Lock()
			stored := string(srv.objs[bucket+"/presigned/ü b.txt"])
			srv.mu.Unlock()
			if stored != "via presigned PUT" {
				t.Fatalf("presigned PUT stored %q", stored)
			}

			bad, _ := newClient(style.ts, "the wrong secret", style.path)
			_, err = bad.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("x"), Body: strings.NewReader("x")})
			wantAPIError(t, err, "SignatureDoesNotMatch")
			_, err = bad.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("small.txt")})
			wantAPIError(t, err, "SignatureDoesNotMatch")
			badGet, err := s3.NewPresignClient(bad).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
			if err != nil {
				t.Fatal(err)
			}
			if status := doStatus(t, hc, badGet.Method, badGet.URL, badGet.SignedHeader, nil); status != http.StatusForbidden {
				t.Fatalf("presigned GET with the wrong secret: status %d", status)
			}
		})
	}
	var shapes []string
	for s := range srv.shapes {
		shapes = append(shapes, s)
	}
	sort.Strings(shapes)
	for _, s := range shapes {
		t.Log("request shape:", s)
	}
}

func wantAPIError(t *testing.T, err error, code string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != code {
		t.Fatalf("got %v, want API error %s", err, code)
	}
}

func doStatus(t *testing.T, hc *http.Client, method, u string, h http.Header, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		if k != "Host" {
			req.Header[k] = v
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func do(t *testing.T, hc *http.Client, method, u string, h http.Header, body []byte) string {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		if k != "Host" {
			req.Header[k] = v
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, u, resp.StatusCode, b)
	}
	return string(b)
}
