package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDecodeChunked reads aws-chunked bodies as SigV4 streaming uploads
// frame them: signed chunks, unsigned chunks with a checksum trailer, and
// broken framing, which fails the read.
func TestDecodeChunked(t *testing.T) {
	sig := ";chunk-signature=" + strings.Repeat("a", 64)
	tests := map[string]struct {
		sha, encoding, body string
		want                string
		trailer             string // X-Amz-Checksum-Crc32 after the body
		wantErr             bool
	}{
		"signed chunks": {sha: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", encoding: "aws-chunked",
			body: "5" + sig + "\r\nhello\r\n6" + sig + "\r\n world\r\n0" + sig + "\r\n\r\n", want: "hello world"},
		"unsigned with trailer": {sha: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", encoding: "aws-chunked",
			body: "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n", want: "hello world", trailer: "DUoRhQ=="},
		"encoding list keeps gzip": {sha: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", encoding: "aws-chunked,gzip",
			body: "2\r\nhi\r\n0\r\n\r\n", want: "hi"},
		"not chunked": {sha: "UNSIGNED-PAYLOAD", body: "plain", want: "plain"},
		"bad size":    {sha: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", body: "zz\r\nhi\r\n0\r\n\r\n", wantErr: true},
		"short chunk": {sha: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", body: "9\r\nhi\r\n0\r\n\r\n", wantErr: true},
		"no crlf":     {sha: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", body: "2\r\nhiXX0\r\n\r\n", wantErr: true},
		"long line":   {sha: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", body: "2;" + strings.Repeat("x", 5000) + "\r\nhi\r\n0\r\n\r\n", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPut, "/b/k", strings.NewReader(tc.body))
			r.Header.Set("X-Amz-Content-Sha256", tc.sha)
			if tc.encoding != "" {
				r.Header.Set("Content-Encoding", tc.encoding)
			}
			if err := decodeChunked(r); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r.Body)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("read %q without error", got)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("read %q, %v; want %q", got, err, tc.want)
			}
			if strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") {
				t.Errorf("Content-Encoding still %q", r.Header.Get("Content-Encoding"))
			}
			if tc.trailer != "" && r.Trailer.Get("X-Amz-Checksum-Crc32") != tc.trailer {
				t.Errorf("trailer %v", r.Trailer)
			}
		})
	}
}

// TestUnverifiedAuth reads the access key from the header or the
// presigned URL, refuses unknown keys and other schemes, and takes a
// request without credentials as anonymous.
func TestUnverifiedAuth(t *testing.T) {
	a := &unverifiedAuth{keys: map[string]accessKey{"AKIAALICE0000EXAMPLE": {Secret: "s", Principal: "alice"}}}
	tests := map[string]struct {
		target, auth string
		want         string
		anonymous    bool
		code         string
	}{
		"header":    {target: "/b/k", auth: "AWS4-HMAC-SHA256 Credential=AKIAALICE0000EXAMPLE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0", want: "alice"},
		"presigned": {target: "/b/k?X-Amz-Credential=AKIAALICE0000EXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=0", want: "alice"},
		"anonymous": {target: "/b/k", anonymous: true},
		"unknown":   {target: "/b/k", auth: "AWS4-HMAC-SHA256 Credential=AKIANOBODY/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0", code: "InvalidAccessKeyId"},
		"sigv2":     {target: "/b/k", auth: "AWS AKIAALICE0000EXAMPLE:sig", code: "InvalidArgument"},
		"no scope":  {target: "/b/k", auth: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=0", code: "AuthorizationHeaderMalformed"},
		"v2 query":  {target: "/b/k?AWSAccessKeyId=AKIAALICE0000EXAMPLE&Signature=x", code: "AuthorizationQueryParametersError"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.target, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			name, anon, err := a.authenticate(r)
			if tc.code != "" {
				ae, ok := err.(*authError)
				if !ok || ae.Code != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil || name != tc.want || anon != tc.anonymous {
				t.Fatalf("got %q, %v, %v", name, anon, err)
			}
		})
	}
}
