package main

import (
	"context"
	"testing"
)

// TestSDKCalls drives the middleware with the AWS SDK for Go v2 in both
// URL styles and checks each call's outcome as the SDK reports it: what
// the policies allow succeeds end to end; a refusal comes back as S3's
// AccessDenied with status 403.
func TestSDKCalls(t *testing.T) {
	srv, err := start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	want := map[string]string{
		"anonymous GetObject photos/public/cat.jpg (path)":          "ok",
		"anonymous GetObject photos/private/diary.txt (path)":       "AccessDenied 403",
		"alice GetObject photos/private/diary.txt (virtual-hosted)": "ok",
		"alice PutObject photos/uploads/new.jpg":                    "ok",
		// The bucket has the default Object Ownership, BucketOwnerEnforced:
		// S3 refuses any ACL but bucket-owner-full-control with this error.
		"alice PutObject with x-amz-acl: public-read": "AccessControlListNotSupported 400",
		// An ACL header needs s3:PutObjectAcl as well, which alice lacks.
		"alice PutObject with x-amz-acl: bucket-owner-full-control":     "AccessDenied 403",
		"alice DeleteObjects tmp/a and private/diary.txt":               "AccessDenied 403", // checked per key
		"alice ListObjectsV2 photos prefix=public/":                     "ok",
		"alice ListObjectVersions photos (needs s3:ListBucketVersions)": "AccessDenied 403",
		"alice GetObjectAcl photos/public/cat.jpg":                      "AccessDenied 403",
		"alice GetObject with a versionId":                              "AccessDenied 403", // s3:GetObjectVersion
		"anonymous HeadObject photos/public/cat.jpg":                    "ok",
		"alice CopyObject public/cat.jpg to uploads/copy.jpg":           "ok",
		"alice multipart upload of uploads/big.bin":                     "ok",
		"alice presigned GET photos/private/diary.txt":                  "ok",
		"anonymous ListObjectsV2 photos":                                "AccessDenied 403",
	}
	calls := calls()
	if len(calls) != len(want) {
		t.Fatalf("%d calls, %d expectations", len(calls), len(want))
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			w, ok := want[c.name]
			if !ok {
				t.Fatal("no expectation")
			}
			if got := outcome(c.do(context.Background(), srv)); got != w {
				t.Errorf("got %s, want %s", got, w)
			}
		})
	}
	// The denied DeleteObjects removed nothing.
	if _, ok := srv.objects()["tmp/a"]; !ok {
		t.Error("a refused DeleteObjects deleted tmp/a")
	}
}
