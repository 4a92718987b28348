package sigv4

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzVerify feeds arbitrary request targets, headers and bodies to Verify.
// Nothing the fuzzer produces is signed with the verifier's secret (seeds are
// signed with another one), so Verify must never authenticate; every failure
// must be an *Error with a 4xx status; reading the body must not panic.
func FuzzVerify(f *testing.F) {
	// A request the SDK signed with a secret the verifier does not have.
	seed := func(method, target, hash string, body []byte, presigned bool) {
		r, err := http.NewRequest(method, "http://s3.example.com"+target, bytes.NewReader(body))
		if err != nil {
			f.Fatal(err)
		}
		c := creds(testAKID, "a different secret")
		if presigned {
			q := r.URL.Query()
			q.Set("X-Amz-Expires", "300")
			r.URL.RawQuery = q.Encode()
			u, _, err := s3Signer().PresignHTTP(context.Background(), c, r, UnsignedPayload, "s3", testRegion, testNow)
			if err != nil {
				f.Fatal(err)
			}
			pu, _ := url.Parse(u)
			f.Add(method, pu.RequestURI(), "", "", "", "", "", body)
			return
		}
		r.Header.Set("X-Amz-Content-Sha256", hash)
		if err := s3Signer().SignHTTP(context.Background(), c, r, hash, "s3", testRegion, testNow); err != nil {
			f.Fatal(err)
		}
		f.Add(method, r.URL.RequestURI(), r.Header.Get("Authorization"), r.Header.Get("X-Amz-Date"), hash,
			"X-Amz-Decoded-Content-Length", "3", body)
	}
	seed("GET", "/bucket/key?versionId=1", emptySHA256, nil, false)
	seed("PUT", "/bucket/a%20b", hexSum([]byte("abc")), []byte("abc"), false)
	seed("PUT", "/bucket/k", StreamingPayload, []byte("3;chunk-signature="+strings.Repeat("0", 64)+"\r\nabc\r\n0;chunk-signature="+strings.Repeat("1", 64)+"\r\n\r\n"), false)
	seed("PUT", "/bucket/k", StreamingUnsignedTrailer, []byte("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n"), false)
	seed("PUT", "/bucket/k", StreamingPayloadTrailer, []byte("3;chunk-signature="+strings.Repeat("a", 64)+"\r\nabc\r\n0;chunk-signature="+strings.Repeat("b", 64)+"\r\nx-amz-checksum-crc32:NSRBwg==\r\nx-amz-trailer-signature:"+strings.Repeat("c", 64)+"\r\n\r\n"), false)
	seed("GET", "/bucket/key?prefix=a+b", "", nil, true)
	f.Add("GET", "/", "AWS AKID:sig", "", "", "", "", []byte(nil))
	f.Add("GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDTESTEXAMPLE%2F20240524%2Fus-east-1%2Fs3%2Faws4_request", "", "", "", "", "", []byte(nil))

	v := testVerifier()
	f.Fuzz(func(t *testing.T, method, target, authz, amzDate, contentSHA, hname, hvalue string, body []byte) {
		u, err := url.ParseRequestURI(target)
		if err != nil || method == "" {
			return
		}
		r := &http.Request{
			Method:        method,
			URL:           u,
			RequestURI:    target,
			Host:          "s3.example.com",
			Header:        http.Header{},
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)),
		}
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		if amzDate != "" {
			r.Header.Set("X-Amz-Date", amzDate)
		}
		if contentSHA != "" {
			r.Header.Set("X-Amz-Content-Sha256", contentSHA)
		}
		if hname != "" {
			r.Header.Add(hname, hvalue)
		}
		res, err := v.Verify(r)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status < 400 || e.Status > 499 || e.Code == "" {
				t.Fatalf("Verify error %#v is not a 4xx *Error", err)
			}
			return
		}
		if !res.Anonymous {
			t.Fatalf("authenticated a request signed with no known secret: %+v", res)
		}
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
	})
}

// FuzzChunked feeds arbitrary aws-chunked bodies to the decoder in each
// streaming mode. With signed chunks, a body can only decode completely if
// it carries valid signatures, which the fuzzer cannot compute.
func FuzzChunked(f *testing.F) {
	f.Add(byte(0), []byte("3;chunk-signature="+strings.Repeat("0", 64)+"\r\nabc\r\n0;chunk-signature="+strings.Repeat("0", 64)+"\r\n\r\n"))
	f.Add(byte(1), []byte("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n"))
	f.Add(byte(2), []byte("3;chunk-signature="+strings.Repeat("0", 64)+"\r\nabc\r\n0;chunk-signature="+strings.Repeat("0", 64)+"\r\nx-amz-checksum-crc32:NSRBwg==\r\nx-amz-trailer-signature:"+strings.Repeat("0", 64)+"\r\n\r\n"))
	f.Add(byte(1), []byte("ffffffffffffffff\r\n"))
	modes := []string{StreamingPayload, StreamingUnsignedTrailer, StreamingPayloadTrailer}
	f.Fuzz(func(t *testing.T, mode byte, body []byte) {
		m := modes[int(mode)%len(modes)]
		r, _ := http.NewRequest(http.MethodPut, "http://s3.example.com/b/k", bytes.NewReader(body))
		r.Header.Set("X-Amz-Decoded-Content-Length", "3")
		r.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
		err := installChunked(r, r.Body, m, streamState{
			key:     testKey(testSecret, "20240524"),
			prev:    make([]byte, 32),
			amzDate: "20240524T120000Z",
			scope:   "20240524/us-east-1/s3/aws4_request",
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r.Body)
		if err == nil {
			if m != StreamingUnsignedTrailer {
				t.Fatalf("signed %s body decoded without valid signatures: %q", m, body)
			}
			if len(got) != 3 {
				t.Fatalf("decoded %d bytes, declared 3", len(got))
			}
		}
	})
}
