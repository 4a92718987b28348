package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/policy"
)

const smallPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "PublicRead",
    "Effect": "Allow",
    "Principal": "*",
    "Action": ["s3:GetObject", "s3:GetObjectVersion"],
    "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
    "Condition": {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}}
  }]
}`

// largePolicy builds a bucket policy just under S3's 20 KiB limit, with
// principals, wildcard resources, variables and conditions in every
// statement, the way large real policies look.
func largePolicy() []byte {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Id":"large","Statement":[`)
	for i := 0; ; i++ {
		st := fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/u%d","444455556666"]},`+
			`"Action":["s3:GetObject","s3:Put*"],"Resource":["arn:aws:s3:::bkt/team%d/${aws:username}/*"],`+
			`"Condition":{"StringLike":{"s3:prefix":["home/%d/*"]},"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"}}}`, i, i, i, i, i%256)
		if b.Len()+len(st)+3 > policy.DefaultMaxBytesBucket {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(st)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	cases := []struct {
		name string
		data []byte
	}{
		{"small", []byte(smallPolicy)},
		{"20KiB", largePolicy()},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if _, err := policy.Parse(policy.Bucket, c.data); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				policy.Parse(policy.Bucket, c.data)
			}
		})
	}
}

func BenchmarkMarshalJSON(b *testing.B) {
	p, err := policy.Parse(policy.Bucket, largePolicy())
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 32<<10)
	b.ReportAllocs()
	for b.Loop() {
		buf = p.AppendJSON(buf[:0])
	}
}

type constVars string

func (c constVars) Lookup(string) (string, bool) { return string(c), true }

func BenchmarkPatternMatch(b *testing.B) {
	p := policy.MustParse(policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
	  "Action":["s3:GetObject","s3:Get*","s3:*Object*"],
	  "Resource":["arn:aws:s3:::bucket/key.txt","arn:aws:s3:::bucket/*","arn:aws:s3:::bucket/*/test/*.jpg",
	    "arn:aws:s3:::bucket/home/${aws:username}/*","arn:aws:s3:::*a*a*a*a*a*b"]}]}`)
	st := p.Statements[0]
	long := "arn:aws:s3:::" + strings.Repeat("a", 1024)
	cases := []struct {
		name string
		pat  *policy.Pattern
		text string
	}{
		{"action-exact", &st.Action[0], "s3:getobject"},
		{"action-prefix", &st.Action[1], "s3:GetObjectAcl"},
		{"action-general", &st.Action[2], "s3:PutObjectTagging"},
		{"resource-exact", &st.Resource[0], "arn:aws:s3:::bucket/key.txt"},
		{"resource-prefix", &st.Resource[1], "arn:aws:s3:::bucket/a/b/c.txt"},
		{"resource-general", &st.Resource[2], "arn:aws:s3:::bucket/a/b/test/c/d.jpg"},
		{"resource-variable", &st.Resource[3], "arn:aws:s3:::bucket/home/alice/notes.txt"},
		{"pathological-1KiB", &st.Resource[4], long},
	}
	vars := constVars("alice")
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.pat.MatchVars(c.text, vars)
			}
		})
	}
}
