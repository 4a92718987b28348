package s3request_test

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/s3authz/s3authz/s3request"
)

// A CopyObject from a named version needs two checks: the source's
// s3:GetObjectVersion and the destination's s3:PutObject, which carries
// the copy-source key and not the version.
func ExampleMapper_Map() {
	m, err := s3request.New(s3request.Config{})
	if err != nil {
		panic(err)
	}
	op, err := m.Map(&s3request.Request{
		Method: "PUT", Host: "backup.s3.amazonaws.com", Target: "/2026/report.pdf",
		Header:     http.Header{"X-Amz-Copy-Source": {"/reports/q1.pdf?versionId=42"}},
		TLS:        true,
		RemoteAddr: "203.0.113.7:40000",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(op.Name)
	for _, c := range op.Checks {
		fmt.Printf("%s %s/%s", c.Action, c.Bucket, c.Key)
		if v, ok := c.Get("s3:VersionId"); ok {
			fmt.Printf(" version=%s", v[0])
		}
		if v, ok := c.Get("s3:x-amz-copy-source"); ok {
			fmt.Printf(" copy-source=%s", v[0])
		}
		fmt.Println()
	}
	// Output:
	// CopyObject
	// s3:GetObjectVersion reports/q1.pdf version=42
	// s3:PutObject backup/2026/report.pdf copy-source=reports/q1.pdf?versionId=42
}

// A request the mapper cannot read as exactly one operation is refused
// with S3's own answer.
func ExampleError() {
	m, _ := s3request.New(s3request.Config{})
	_, err := m.Map(&s3request.Request{Method: "GET", Host: "photos.s3.amazonaws.com", Target: "/?acl&policy"})
	var e *s3request.Error
	if errors.As(err, &e) {
		fmt.Println(e.HTTPStatus(), e.S3ErrorCode(), e.Class)
	}
	// Output:
	// 400 InvalidArgument conflicting-subresources
}
