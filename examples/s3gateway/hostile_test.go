package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestHostile sends requests no SDK would and checks the gateway answers
// each with S3's error, failing closed.
func TestHostile(t *testing.T) {
	e := newEnv(t)
	const alice = true // signed as alice, with her real secret
	tests := map[string]struct {
		method, path, body string
		auth               bool
		header             map[string]string
		want               string
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
		"chunked framing": {method: "PUT", path: "/photos/k", auth: alice, body: "zz\r\n", header: map[string]string{"X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
			"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": "1", "X-Amz-Trailer": "x-amz-checksum-crc32"}, want: "InvalidChunkSizeError 400"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			req, err := http.NewRequestWithContext(ctx, tc.method, "http://"+e.addr+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			if tc.auth {
				id, secret := e.accessKey("alice")
				hash := req.Header.Get("X-Amz-Content-Sha256")
				if hash == "" {
					sum := sha256.Sum256([]byte(tc.body))
					hash = hex.EncodeToString(sum[:])
					req.Header.Set("X-Amz-Content-Sha256", hash)
				}
				err = v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, req, hash, "s3", "us-east-1", time.Now())
				if err != nil {
					t.Fatal(err)
				}
			}
			_, err = e.plain(ctx, tc.method, req.URL.String(), req.Header, []byte(tc.body))
			if got := outcome(err); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
