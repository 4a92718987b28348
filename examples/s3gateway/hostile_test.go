package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestHostile sends requests no SDK would and checks the gateway answers
// each with S3's error, failing closed.
func TestHostile(t *testing.T) {
	e := newEnv(t)
	alice := "AWS4-HMAC-SHA256 Credential=AKIAALICE0000EXAMPLE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
	tests := map[string]struct {
		method, path, auth, body string
		header                   map[string]string
		want                     string
	}{
		"no such bucket":        {method: "GET", path: "/no-such-bucket/k", want: "NoSuchBucket 404"},
		"malformed delete body": {method: "POST", path: "/photos?delete", auth: alice, body: "<Delete><Object>", want: "MalformedXML 400"},
		"dtd in versioning":     {method: "PUT", path: "/photos?versioning", auth: alice, body: `<!DOCTYPE x [<!ENTITY a "b">]><VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`, want: "MalformedXML 400"},
		"bad versioning status": {method: "PUT", path: "/photos?versioning", auth: alice, body: `<VersioningConfiguration><Status>On</Status></VersioningConfiguration>`, want: "MalformedXML 400"},
		"malformed policy":      {method: "PUT", path: "/photos?policy", auth: alice, body: `{"Version":`, want: "MalformedPolicy 400"},
		"policy too large":      {method: "PUT", path: "/photos?policy", auth: alice, body: strings.Repeat(" ", 21<<10), want: "PolicyTooLarge 400"},
		"malformed acl":         {method: "PUT", path: "/logs?acl", auth: alice, body: `<AccessControlPolicy>`, want: "MalformedACLError 400"},
		"bad content-md5":       {method: "PUT", path: "/photos/k", auth: alice, body: "x", header: map[string]string{"Content-Md5": "nope"}, want: "InvalidDigest 400"},
		"bad range":             {method: "GET", path: "/photos/public/cat.jpg", header: map[string]string{"Range": "bytes=100-"}, want: "InvalidRange 416"},
		"session token":         {method: "GET", path: "/photos/public/cat.jpg", auth: alice, header: map[string]string{"X-Amz-Security-Token": "FwoGZXIvYXdzEXAMPLE"}, want: "InvalidToken 400"},
		"unknown product token": {method: "GET", path: "/photos/public/cat.jpg", auth: alice, header: map[string]string{"X-Amz-Security-Token": "{UserToken}x,{ProductToken}y"}, want: "AccessDenied 403"},
		"xml checksum":          {method: "PUT", path: "/photos?versioning", auth: alice, body: `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`, header: map[string]string{"X-Amz-Checksum-Crc32": "AAAAAA=="}, want: "BadDigest 400"},
		"policy checksum":       {method: "PUT", path: "/photos?policy", auth: alice, body: `{}`, header: map[string]string{"X-Amz-Checksum-Crc32": "AAAAAA=="}, want: "BadDigest 400"},
		"bad part number":       {method: "PUT", path: "/photos/k?partNumber=0&uploadId=x", auth: alice, body: "x", want: "InvalidArgument 400"},
		"no such upload":        {method: "PUT", path: "/photos/k?partNumber=1&uploadId=x", auth: alice, body: "x", want: "NoSuchUpload 404"},
		"bad max-keys":          {method: "GET", path: "/photos?list-type=2&max-keys=x", auth: alice, want: "InvalidArgument 400"},
		"bad continuation":      {method: "GET", path: "/photos?list-type=2&continuation-token=%25%25", auth: alice, want: "InvalidArgument 400"},
		"chunked framing":       {method: "PUT", path: "/photos/k", auth: alice, body: "zz\r\n", header: map[string]string{"X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, want: "IncompleteBody 400"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			if tc.auth != "" {
				h.Set("Authorization", tc.auth)
			}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			_, err := e.plain(context.Background(), tc.method, "http://"+e.addr+tc.path, h, []byte(tc.body))
			if got := outcome(err); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
