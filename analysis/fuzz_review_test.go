package analysis_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// FuzzReview reviews worlds built from a fuzzed bucket policy, a fuzzed
// ACL (on the bucket and on an object) and fuzzed settings: Review never
// panics, never fails on a bucket the world holds, and gives the same
// report twice.
func FuzzReview(f *testing.F) {
	f.Add([]byte(stmts(`{"Effect":"Allow","Principal":"*",`+getAll+`}`)), []byte(`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>`+ownerCanon+`</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`), uint8(1), uint8(0xff))
	f.Add([]byte(stmts(`{"Effect":"Allow","NotPrincipal":{"AWS":"`+otherID+`"},"NotAction":"s3:Delete*","NotResource":"arn:aws:s3:::x/*"}`, `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`)), []byte(``), uint8(2), uint8(0x0f))
	f.Add([]byte(`{`), []byte(`<`), uint8(3), uint8(0))
	f.Fuzz(func(t *testing.T, doc, aclXML []byte, mode, bpa uint8) {
		b := &analysis.Bucket{Record: &ownership.Bucket{
			Name: bucketName, Owner: ownerID, Mode: ownership.Mode(mode % 4),
			PublicAccessBlock: ownership.PublicAccessBlock{BlockPublicAcls: bpa&1 != 0, IgnorePublicAcls: bpa&2 != 0, BlockPublicPolicy: bpa&4 != 0, RestrictPublicBuckets: bpa&8 != 0},
		}}
		if p, err := policy.Parse(policy.Bucket, doc); err == nil {
			if prep, err := evaluate.Prepare(p); err == nil {
				b.Policy = prep
			}
		}
		if a, err := acl.Parse(aclXML); err == nil {
			b.ACL = a
			owner := ownership.AccountOwner(otherID)
			if bpa&16 != 0 {
				owner = ownership.AnonymousOwner()
			}
			b.Objects = map[string]*analysis.Object{"k": {Record: &ownership.Object{Bucket: bucketName, Key: "k", Owner: owner}, ACL: a}}
		}
		w := &analysis.World{
			Directory:                directory(t),
			AccountBlockPublicAccess: map[ownership.AccountID]ownership.PublicAccessBlock{ownerID: {IgnorePublicAcls: bpa&32 != 0, RestrictPublicBuckets: bpa&64 != 0}},
			Buckets:                  map[string]*analysis.Bucket{bucketName: b},
		}
		r1, err := analysis.Review(w, bucketName)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := analysis.Review(w, bucketName)
		if err != nil {
			t.Fatal(err)
		}
		j1, err1 := json.Marshal(r1)
		j2, err2 := json.Marshal(r2)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(j1, j2) {
			t.Fatalf("two reviews differ:\n%s\n%s", j1, j2)
		}
		for _, f := range r1.Findings {
			if f.Public && f.BlockedBy == analysis.BlockedNone && !r1.Public {
				t.Fatalf("a public finding in effect, but the report is not public: %s", j1)
			}
		}
	})
}
