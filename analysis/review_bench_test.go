package analysis_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// BenchmarkReview reviews a bucket with a bucket policy near S3's 20 KiB
// limit and a bucket ACL of 100 grants.
func BenchmarkReview(b *testing.B) {
	var ss []string
	size := 0
	for i := 0; ; i++ {
		s := fmt.Sprintf(`{"Sid":"S%d","Effect":"%s","Principal":{"AWS":["%012d","arn:aws:iam::%012d:role/r%d"]},"Action":["s3:Get*","s3:List*","s3:PutObject"],"Resource":["arn:aws:s3:::%s/p%d/*","arn:aws:s3:::%s"],"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-%d"}}}`,
			i, []string{"Allow", "Allow", "Deny"}[i%3], 400000000000+i, 500000000000+i, i, bucketName, i, bucketName, i)
		if size+len(s)+64 > policy.DefaultMaxBytesBucket {
			break
		}
		ss = append(ss, s)
		size += len(s) + 1
	}
	doc := stmts(ss...)
	gs := make([]acl.Grant, 0, acl.MaxGrants-1)
	for i := range acl.MaxGrants - 1 {
		id := fmt.Sprintf("%064x", i+1)
		gs = append(gs, grant(id, []acl.Permission{acl.Read, acl.Write, acl.ReadACP, acl.FullControl}[i%4]))
	}
	gs[0], gs[1] = grant("all", acl.Read), grant("auth", acl.Read)
	rw := reviewWorld{policy: doc, mode: ownership.ObjectWriter, bucketACL: ownedACL(ownerCanon, gs...)}
	w := rw.build(b)
	rep, err := analysis.Review(w, bucketName)
	require.NoError(b, err)
	b.Logf("policy %d bytes, %d statements, %d ACL grants, %d findings", len(doc), len(ss), len(rw.bucketACL.Grants), len(rep.Findings))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := analysis.Review(w, bucketName); err != nil {
			b.Fatal(err)
		}
	}

}
