package acl_test

import (
	"context"
	"os"
	"testing"

	"github.com/s3authz/s3authz/acl"
)

func BenchmarkParse(b *testing.B) {
	for _, c := range []struct{ name, doc string }{
		{"4-grants", ""},
		{"100-grants", document(100)},
	} {
		data := []byte(c.doc)
		if c.doc == "" {
			var err error
			data, err = os.ReadFile("testdata/valid/aws-032-bucket-acl-five-permissions.xml")
			if err != nil {
				b.Fatal(err)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := acl.Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPermits(b *testing.B) {
	a := acl.MustParse(document(100))
	r := &acl.Requester{CanonicalID: alice, Authenticated: true}
	owner := acl.MustParse(document(1))
	b.Run("hit-after-100", func(b *testing.B) {
		a.Grants = append(a.Grants[:99:99], user(alice, acl.Read))
		b.ReportAllocs()
		for b.Loop() {
			a.Permits(context.Background(), r, "s3:ListBucket", acl.Bucket)
		}
	})
	b.Run("first-grant", func(b *testing.B) {
		r := &acl.Requester{CanonicalID: bob, Authenticated: true}
		b.ReportAllocs()
		for b.Loop() {
			owner.Permits(context.Background(), r, "s3:ListBucket", acl.Bucket)
		}
	})
}
