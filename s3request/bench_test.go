package s3request_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/s3authz/s3authz/s3request"
)

// benchRequests are the requests the mapping benchmarks and allocation
// budgets measure: a GET of an object and a PUT carrying ACL, tagging and
// encryption headers, both signed, dated and over TLS.
func benchRequests() map[string]*s3request.Request {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	get := &s3request.Request{
		Method: "GET", Host: "photos.s3.us-east-2.amazonaws.com", Target: "/2026/cat.jpg",
		Header: http.Header{
			"Authorization":        {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260301/us-east-2/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"},
			"X-Amz-Date":           {"20260301T115930Z"},
			"X-Amz-Content-Sha256": {"UNSIGNED-PAYLOAD"},
			"User-Agent":           {"aws-sdk-go-v2/1.30.0"},
		},
		TLS: true, TLSVersion: "1.3", RemoteAddr: "203.0.113.10:51515", Now: now,
	}
	put := &s3request.Request{
		Method: "PUT", Host: "photos.s3.us-east-2.amazonaws.com", Target: "/2026/cat.jpg",
		Header: http.Header{
			"Authorization":                {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260301/us-east-2/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"},
			"X-Amz-Date":                   {"20260301T115930Z"},
			"X-Amz-Content-Sha256":         {"UNSIGNED-PAYLOAD"},
			"User-Agent":                   {"aws-sdk-go-v2/1.30.0"},
			"X-Amz-Acl":                    {"bucket-owner-full-control"},
			"X-Amz-Tagging":                {"team=imaging&stage=raw"},
			"X-Amz-Server-Side-Encryption": {"aws:kms"},
			"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id": {"arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		},
		TLS: true, TLSVersion: "1.3", RemoteAddr: "203.0.113.10:51515", Now: now,
	}
	return map[string]*s3request.Request{"GetObject": get, "PutObjectACLTaggingSSE": put}
}

func BenchmarkMap(b *testing.B) {
	m, err := s3request.New(s3request.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for name, r := range benchRequests() {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Map(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMapInto maps into one reused Operation, as a server that keeps
// one per connection does.
func BenchmarkMapInto(b *testing.B) {
	m, err := s3request.New(s3request.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for name, r := range benchRequests() {
		b.Run(name, func(b *testing.B) {
			var op s3request.Operation
			b.ReportAllocs()
			for b.Loop() {
				if err := m.MapInto(&op, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestMapIntoAllocBudget pins MapInto's allocations once its Operation has
// grown: the one string of formatted values.
func TestMapIntoAllocBudget(t *testing.T) {
	m, _ := s3request.New(s3request.Config{})
	for name, r := range benchRequests() {
		var op s3request.Operation
		if err := m.MapInto(&op, r); err != nil {
			t.Fatal(err)
		}
		got := testing.AllocsPerRun(100, func() {
			if err := m.MapInto(&op, r); err != nil {
				t.Fatal(err)
			}
		})
		if got > 1 {
			t.Errorf("%s: %v allocations per MapInto, budget 1", name, got)
		}
	}
}

// TestMapAllocBudget pins the allocations of the benchmarked requests: the
// Operation with its inline room for checks, the one slice of every
// check's keys, and the one string that holds every formatted value
// (source IP, time keys, signature age, tag key names).
func TestMapAllocBudget(t *testing.T) {
	m, err := s3request.New(s3request.Config{})
	if err != nil {
		t.Fatal(err)
	}
	budget := map[string]float64{"GetObject": 3, "PutObjectACLTaggingSSE": 3}
	for name, r := range benchRequests() {
		got := testing.AllocsPerRun(100, func() {
			if _, err := m.Map(r); err != nil {
				t.Fatal(err)
			}
		})
		if got > budget[name] {
			t.Errorf("%s: %v allocations per Map, budget %v", name, got, budget[name])
		}
	}
}
