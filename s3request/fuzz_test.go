package s3request_test

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/s3request"
)

// FuzzMap drives the mapper with arbitrary methods, hosts, targets, one
// header and a body, and checks its promises: it is total (no panic), it
// is deterministic, it returns an operation or an *Error and never both,
// an operation has at least one check, every check's action is in the
// catalog and names a bucket unless it is s3:ListAllMyBuckets, and every
// key a check carries is a known key its action's request context holds.
func FuzzMap(f *testing.F) {
	f.Add("GET", "photos.s3.amazonaws.com", "/cat.jpg?versionId=3", "X-Amz-Acl", "private", "")
	f.Add("PUT", "s3.us-east-2.amazonaws.com", "/b/k", "X-Amz-Tagging", "a=1&b=2", "")
	f.Add("PUT", "b.s3.example.com", "/k", "X-Amz-Copy-Source", "/src/k?versionId=7", "")
	f.Add("POST", "s3.amazonaws.com", "/bucket?delete", "", "", "<Delete><Object><Key>a</Key><VersionId>v</VersionId></Object></Delete>")
	f.Add("PUT", "s3.amazonaws.com", "/bucket", "X-Amz-Acl", "public-read", "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint><Tags><Tag><Key>k</Key><Value>v</Value></Tag></Tags></CreateBucketConfiguration>")
	f.Add("GET", "bucket.s3.amazonaws.com", "/?list-type=2&prefix=&max-keys=5", "", "", "")
	f.Add("PUT", "bucket.s3.amazonaws.com", "/k?retention", "X-Amz-Bypass-Governance-Retention", "true", "<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate></Retention>")
	f.Add("GET", "[::1]:9000", "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260301T000000Z&x-amz-acl=private", "", "", "")
	f.Add("DELETE", "cdn.example.org", "/a/../b//c%2F?tagging&versionId=null", "Authorization", "AWS AKID:sig", "")
	m, err := s3request.New(s3request.Config{Endpoints: []string{"s3.example.com"}})
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	reused := new(s3request.Operation)
	f.Fuzz(func(t *testing.T, method, host, target, hname, hvalue, body string) {
		r := &s3request.Request{Method: method, Host: host, Target: target, Header: http.Header{},
			Body: []byte(body), TLS: true, TLSVersion: "1.2", RemoteAddr: "192.0.2.1:443", Now: now}
		if hname != "" {
			r.Header[hname] = []string{hvalue}
		}
		op, err := m.Map(r)
		op2, err2 := m.Map(r)
		if !reflect.DeepEqual(op, op2) || (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("not deterministic: %v %v / %v %v", op, err, op2, err2)
		}
		// MapInto into an Operation that earlier inputs used says the same.
		err3 := m.MapInto(reused, r)
		if (err == nil) != (err3 == nil) || err != nil && err.Error() != err3.Error() ||
			err == nil && (reused.Name != op.Name || !reflect.DeepEqual(reused.Checks, op.Checks)) {
			t.Fatalf("MapInto differs from Map: %v %v / %v %v", reused, err3, op, err)
		}
		if err != nil {
			var e *s3request.Error
			if op != nil || !errors.As(err, &e) || e.Class == nil || strings.Contains(err.Error(), "\n") || len(e.Input) > 64 {
				t.Fatalf("bad error: op %v, err %#v", op, err)
			}
			return
		}
		if len(op.Checks) == 0 || op.Name == "" {
			t.Fatalf("operation %q without checks", op.Name)
		}
		for _, c := range op.Checks {
			info, ok := policy.LookupAction(c.Action)
			if !ok {
				t.Fatalf("%s: action %s is not in the catalog", op.Name, c.Action)
			}
			if (c.Bucket == "") != (c.Action == "s3:ListAllMyBuckets") {
				t.Fatalf("%s: check %s on bucket %q", op.Name, c.Action, c.Bucket)
			}
			for _, k := range c.Keys {
				if _, ok := policy.LookupConditionKey(k.Name); !ok || !info.HasConditionKey(k.Name) {
					t.Fatalf("%s: key %s attached to %s, which does not list it", op.Name, k.Name, c.Action)
				}
				if len(k.Values) != 1 && !k.Multi {
					t.Fatalf("%s: single-valued key %s with %d values", op.Name, k.Name, len(k.Values))
				}
			}
		}
	})
}
