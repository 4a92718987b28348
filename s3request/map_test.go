package s3request_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/s3request"
)

// TestOperation checks what an Operation says besides its checks: the
// operation's name, the addressing style, the partition, the resource and
// the signature facts. The request-mapping corpus covers the checks.
func TestOperation(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		cfg        s3request.Config
		req        s3request.Request
		wantName   string
		wantStyle  s3request.Style
		wantPart   string
		wantBucket string
		wantKey    string
		wantAuth   s3request.Auth
		advisory   int
	}{
		{name: "virtual-hosted GetObject, header-signed",
			req: s3request.Request{Method: "GET", Host: "photos.s3.us-west-2.amazonaws.com", Target: "/a/b.jpg", Now: now,
				Header: http.Header{"Authorization": {"AWS4-HMAC-SHA256 Credential=x"}, "X-Amz-Date": {"20260301T115950Z"}}},
			wantName: "GetObject", wantStyle: s3request.VirtualHosted, wantPart: "aws", wantBucket: "photos", wantKey: "a/b.jpg",
			wantAuth: s3request.Auth{Type: s3request.RESTHeader, SignatureVersion: "AWS4-HMAC-SHA256", Age: 10000}, advisory: 3},
		{name: "China partition, path style, anonymous",
			req:      s3request.Request{Method: "HEAD", Host: "s3.cn-north-1.amazonaws.com.cn", Target: "/photos/cat.jpg"},
			wantName: "HeadObject", wantStyle: s3request.PathStyle, wantPart: "aws-cn", wantBucket: "photos", wantKey: "cat.jpg",
			wantAuth: s3request.Auth{Age: -1}, advisory: 3},
		{name: "custom partition on a custom endpoint",
			cfg:      s3request.Config{Endpoints: []string{"S3.Example.COM"}, Partition: "aws-us-gov"},
			req:      s3request.Request{Method: "GET", Host: "s3.example.com:9000", Target: "/photos?acl"},
			wantName: "GetBucketAcl", wantStyle: s3request.PathStyle, wantPart: "aws-us-gov", wantBucket: "photos",
			wantAuth: s3request.Auth{Age: -1}},
		{name: "CNAME off: the host is an endpoint of its own",
			cfg:      s3request.Config{DisableCNAME: true},
			req:      s3request.Request{Method: "GET", Host: "storage.internal", Target: "/photos/cat.jpg"},
			wantName: "GetObject", wantStyle: s3request.PathStyle, wantPart: "aws", wantBucket: "photos", wantKey: "cat.jpg",
			wantAuth: s3request.Auth{Age: -1}, advisory: 3},
		{name: "CNAME on: the host is the bucket",
			req:      s3request.Request{Method: "GET", Host: "Images.Example.ORG", Target: "/photos/cat.jpg"},
			wantName: "GetObject", wantStyle: s3request.CNAME, wantPart: "aws", wantBucket: "images.example.org", wantKey: "photos/cat.jpg",
			wantAuth: s3request.Auth{Age: -1}, advisory: 3},
		{name: "legacy bucket name admitted in path style",
			cfg:      s3request.Config{LegacyBucketNames: true},
			req:      s3request.Request{Method: "GET", Host: "s3.amazonaws.com", Target: "/Old_Bucket/k"},
			wantName: "GetObject", wantStyle: s3request.PathStyle, wantPart: "aws", wantBucket: "Old_Bucket", wantKey: "k",
			wantAuth: s3request.Auth{Age: -1}, advisory: 3},
		{name: "SigV2 presigned: age 0",
			req:      s3request.Request{Method: "GET", Host: "s3.amazonaws.com", Target: "/photos/k?AWSAccessKeyId=A&Expires=1&Signature=s", Now: now},
			wantName: "GetObject", wantStyle: s3request.PathStyle, wantPart: "aws", wantBucket: "photos", wantKey: "k",
			wantAuth: s3request.Auth{Type: s3request.RESTQueryString, SignatureVersion: "AWS"}, advisory: 3},
		{name: "listing with its advisory owner check",
			req:      s3request.Request{Method: "GET", Host: "photos.s3.amazonaws.com", Target: "/?list-type=2"},
			wantName: "ListObjectsV2", wantStyle: s3request.VirtualHosted, wantPart: "aws", wantBucket: "photos",
			wantAuth: s3request.Auth{Age: -1}, advisory: 1},
		{name: "inventory without id is the List operation",
			req:      s3request.Request{Method: "GET", Host: "photos.s3.amazonaws.com", Target: "/?inventory"},
			wantName: "ListBucketInventoryConfigurations", wantStyle: s3request.VirtualHosted, wantPart: "aws", wantBucket: "photos",
			wantAuth: s3request.Auth{Age: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := s3request.New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			op, err := m.Map(&tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if op.Name != tt.wantName || op.Style != tt.wantStyle || op.Partition != tt.wantPart ||
				op.Bucket != tt.wantBucket || op.Key != tt.wantKey || op.Auth != tt.wantAuth || len(op.Advisory()) != tt.advisory {
				t.Errorf("got %s %v %s %q %q %+v advisory %d", op.Name, op.Style, op.Partition, op.Bucket, op.Key, op.Auth, len(op.Advisory()))
			}
		})
	}
}

// TestErrorAnswers checks the error type: one line, the part at fault, at
// most 64 bytes of input, and S3's status and code for each class.
func TestErrorAnswers(t *testing.T) {
	tests := []struct {
		name       string
		req        s3request.Request
		class      error
		part       string
		status     int
		code       string
		lineSubstr string
	}{
		{name: "bad canned ACL", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k",
			Header: http.Header{"X-Amz-Acl": {"public-everything" + strings.Repeat("!", 100)}}},
			class: s3request.ErrInvalidArgument, part: "header:X-Amz-Acl", status: 400, code: "InvalidArgument", lineSubstr: "not a canned ACL"},
		{name: "unknown method", req: s3request.Request{Method: "PATCH", Host: "bkt.s3.amazonaws.com", Target: "/k"},
			class: s3request.ErrUnsupportedOperation, part: "method", status: 405, code: "MethodNotAllowed"},
		{name: "conflicting selectors", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/?acl&policy"},
			class: s3request.ErrConflictingSubresources, part: "query", status: 400, code: "InvalidArgument"},
		{name: "missing body", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k?tagging"},
			class: s3request.ErrMissingBody, part: "body", status: 400, code: "MalformedXML"},
		{name: "bad tag", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k",
			Header: http.Header{"X-Amz-Tagging": {"a=1&a=2"}}},
			class: s3request.ErrInvalidTag, part: "header:X-Amz-Tagging", status: 400, code: "InvalidTag"},
		{name: "bad remote address", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/k", RemoteAddr: "somewhere"},
			class: s3request.ErrInvalidRemoteAddress, part: "remote-address", status: 500, code: "InternalError"},
		{name: "key too long", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/" + strings.Repeat("k", 1025)},
			class: s3request.ErrInvalidKey, part: "path", status: 400, code: "KeyTooLongError"},
		{name: "website endpoint", req: s3request.Request{Method: "GET", Host: "bkt.s3-website-us-east-1.amazonaws.com", Target: "/"},
			class: s3request.ErrUnsupportedEndpoint, part: "host", status: 400, code: "InvalidRequest"},
	}
	m, err := s3request.New(s3request.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, err := m.Map(&tt.req)
			var e *s3request.Error
			if op != nil || !errors.As(err, &e) || !errors.Is(err, tt.class) {
				t.Fatalf("got %v, %v; want class %v", op, err, tt.class)
			}
			if e.Part != tt.part || e.HTTPStatus() != tt.status || e.S3ErrorCode() != tt.code {
				t.Errorf("got part %q, %d %s; want %q, %d %s", e.Part, e.HTTPStatus(), e.S3ErrorCode(), tt.part, tt.status, tt.code)
			}
			if len(e.Input) > 64 || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "s3request: "+tt.class.Error()+": "+tt.part) ||
				!strings.Contains(err.Error(), tt.lineSubstr) {
				t.Errorf("error line %q", err)
			}
		})
	}
}

// TestNewRejectsBadEndpoint checks that a configuration error is caught
// when the Mapper is built, not at the first request.
func TestNewRejectsBadEndpoint(t *testing.T) {
	for _, e := range []string{"", "s3.example.com:9000", "http://s3.example.com", "-s3.example.com", "s3..example.com"} {
		if _, err := s3request.New(s3request.Config{Endpoints: []string{e}}); err == nil {
			t.Errorf("New accepted endpoint %q", e)
		}
	}
}

// TestMapDoesNotModifyRequest checks that Map only reads its request.
func TestMapDoesNotModifyRequest(t *testing.T) {
	m, _ := s3request.New(s3request.Config{})
	h := http.Header{"X-Amz-Tagging": {"a=1"}, "X-Amz-Acl": {"private"}}
	r := &s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k%20x", Header: h, Body: []byte("body")}
	if _, err := m.Map(r); err != nil {
		t.Fatal(err)
	}
	if r.Target != "/k%20x" || len(h) != 2 || h["X-Amz-Tagging"][0] != "a=1" || string(r.Body) != "body" {
		t.Errorf("request modified: %+v", r)
	}
}

// TestRemoteAddress checks aws:SourceIp: the socket peer in canonical
// text, an IPv4-mapped address as IPv4, a link-local zone dropped in both
// spellings, and no key when the host does not know the peer.
func TestRemoteAddress(t *testing.T) {
	m, _ := s3request.New(s3request.Config{})
	for _, tt := range []struct {
		remote string
		want   string // "" for no key
	}{
		{remote: "203.0.113.9:443", want: "203.0.113.9"},
		{remote: "203.0.113.9", want: "203.0.113.9"},
		{remote: "[2001:DB8:0:0::1]:80", want: "2001:db8::1"},
		{remote: "[::ffff:192.0.2.1]:80", want: "192.0.2.1"},
		{remote: "[fe80::1%eth0]:80", want: "fe80::1"},
		{remote: "fe80::1%eth0", want: "fe80::1"},
		{remote: "", want: ""},
	} {
		op, err := m.Map(&s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/k", RemoteAddr: tt.remote})
		if err != nil {
			t.Fatalf("%q: %v", tt.remote, err)
		}
		got, ok := op.Checks[0].Get("aws:SourceIp")
		if tt.want == "" && ok || tt.want != "" && (!ok || got[0] != tt.want) {
			t.Errorf("%q: aws:SourceIp = %q (present %v), want %q", tt.remote, got, ok, tt.want)
		}
	}
}

// TestIrrelevantRepeatedHeader checks that a header no action of the
// operation reads is not judged: a repeated x-amz-storage-class refuses a
// PutObject but not a GetObject.
func TestIrrelevantRepeatedHeader(t *testing.T) {
	m, _ := s3request.New(s3request.Config{})
	h := http.Header{"X-Amz-Storage-Class": {"STANDARD", "GLACIER"}}
	if _, err := m.Map(&s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/k", Header: h}); err != nil {
		t.Errorf("GetObject: %v", err)
	}
	if _, err := m.Map(&s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k", Header: h}); !errors.Is(err, s3request.ErrInvalidArgument) {
		t.Errorf("PutObject: %v, want invalid-argument", err)
	}
}

// TestExtraChecks checks which checks are marked Extra: the permissions an
// operation needs besides its own action, never the action itself nor a
// copy's source.
func TestExtraChecks(t *testing.T) {
	m, _ := s3request.New(s3request.Config{})
	for _, tt := range []struct {
		name  string
		req   s3request.Request
		extra []bool // by check, in order
	}{
		{name: "PutObject with ACL and tags", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k",
			Header: http.Header{"X-Amz-Acl": {"private"}, "X-Amz-Tagging": {"a=1"}}}, extra: []bool{false, true, true}},
		{name: "CopyObject", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k",
			Header: http.Header{"X-Amz-Copy-Source": {"src/k"}}}, extra: []bool{false, false}},
		{name: "DeleteObject with bypass", req: s3request.Request{Method: "DELETE", Host: "bkt.s3.amazonaws.com", Target: "/k",
			Header: http.Header{"X-Amz-Bypass-Governance-Retention": {"true"}}}, extra: []bool{false, true}},
		{name: "CreateBucket with Object Lock", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/",
			Header: http.Header{"X-Amz-Bucket-Object-Lock-Enabled": {"true"}}}, extra: []bool{false, true, true}},
		{name: "PutObjectAcl itself", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k?acl",
			Header: http.Header{"X-Amz-Acl": {"private"}}}, extra: []bool{false}},
	} {
		op, err := m.Map(&tt.req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []bool
		for _, c := range op.Checks {
			got = append(got, c.Extra)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.extra) {
			t.Errorf("%s: Extra %v, want %v", tt.name, got, tt.extra)
		}
		for i, c := range op.Checks {
			if r := op.EvaluateRequest(i, ownership.Anonymous(), new(evaluate.Keys)); r.Extra != c.Extra {
				t.Errorf("%s: EvaluateRequest(%d).Extra = %v", tt.name, i, r.Extra)
			}
		}
	}
}
