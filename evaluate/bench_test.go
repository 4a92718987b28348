package evaluate_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
)

// conditionBlocks are blocks of 1, 3 and 6 conditions that all hold for
// benchKeys.
var conditionBlocks = []struct {
	name string
	cond string
}{
	{"conditions=1", `{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}`},
	{"conditions=3", `{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"},"StringLike":{"s3:prefix":"home/${aws:username}/*"},"Bool":{"aws:SecureTransport":"true"}}`},
	{"conditions=6", `{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"},"StringLike":{"s3:prefix":"home/${aws:username}/*"},"Bool":{"aws:SecureTransport":"true"},` +
		`"NumericLessThanEquals":{"s3:max-keys":"1000"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost"]}}`},
}

func benchKeys() *evaluate.Keys {
	var k evaluate.Keys
	k.Set("aws:SourceIp", "192.0.2.10")
	k.Set("aws:username", "alice")
	k.Set("s3:prefix", "home/alice/docs/")
	k.Set("aws:SecureTransport", "true")
	k.Set("s3:max-keys", "100")
	k.Set("aws:CurrentTime", "2026-11-23T10:00:00Z")
	k.Set("aws:TagKeys", "team")
	return &k
}

func prepareBlock(tb testing.TB, cond string) *evaluate.Prepared {
	p, err := policy.Parse(policy.Identity, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":`+cond+`}]}`))
	if err != nil {
		tb.Fatal(err)
	}
	pp, err := evaluate.Prepare(p)
	if err != nil {
		tb.Fatal(err)
	}
	return pp
}

func BenchmarkConditions(b *testing.B) {
	keys := benchKeys()
	for _, blk := range conditionBlocks {
		pp := prepareBlock(b, blk.cond)
		b.Run(blk.name, func(b *testing.B) {
			if ok, err := pp.Conditions(0, keys); !ok || err != nil {
				b.Fatal(ok, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				pp.Conditions(0, keys)
			}
		})
	}
}

// conditionAllocBudget pins the allocations of one block evaluation: none,
// with the activation pooled and the cost bound proven at Prepare.
var conditionAllocBudget = map[string]float64{"conditions=1": 0, "conditions=3": 0, "conditions=6": 0}

func TestConditionsAllocBudget(t *testing.T) {
	keys := benchKeys()
	for _, blk := range conditionBlocks {
		pp := prepareBlock(t, blk.cond)
		t.Run(blk.name, func(t *testing.T) {
			allocs := testing.AllocsPerRun(200, func() {
				if ok, err := pp.Conditions(0, keys); !ok || err != nil {
					t.Fatal(ok, err)
				}
			})
			if budget := conditionAllocBudget[blk.name]; allocs > budget {
				t.Errorf("%v allocations per evaluation, budget %v", allocs, budget)
			}
		})
	}
}

// largeConditionalPolicy is a bucket policy just under 20 KiB whose
// statements all carry condition blocks, in a few shapes with different
// values, as large real policies do.
func largeConditionalPolicy(tb testing.TB) *policy.Policy {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; ; i++ {
		var st string
		switch i % 3 {
		case 0:
			st = fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/u%d"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bkt/team%d/*","Condition":{"IpAddress":{"aws:SourceIp":["10.%d.0.0/16","2001:db8:%x::/48"]},"StringLike":{"s3:prefix":"home/${aws:username}/*"}}}`, i, i, i, i%256, i)
		case 1:
			st = fmt.Sprintf(`{"Sid":"S%d","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/team%d/*","Condition":{"Bool":{"aws:SecureTransport":"false"},"NumericLessThan":{"s3:TlsVersion":1.2}}}`, i, i)
		default:
			st = fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["t%d","cost"]},"DateLessThan":{"aws:CurrentTime":"2030-01-%02dT00:00:00Z"}}}`, i, i, i%28+1)
		}
		if b.Len()+len(st)+3 > policy.DefaultMaxBytesBucket {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(st)
	}
	b.WriteString(`]}`)
	p, err := policy.Parse(policy.Bucket, []byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func BenchmarkPrepare(b *testing.B) {
	p := largeConditionalPolicy(b)
	b.Run(fmt.Sprintf("20KiB-statements=%d", len(p.Statements)), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := evaluate.Prepare(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// fullPath is the full S3 path of one request: an IAM user of account B
// reads an object of account C in account A's bucket, through B's identity
// policy, A's bucket policy (explicit-deny check) and bucket ACL, and C's
// object ACL.
func fullPath(tb testing.TB) (evaluate.Request, evaluate.Context) {
	ec := world(tb, acctC)
	ec.Identity = []*evaluate.Prepared{prep(tb, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]}]}`)}
	ec.BucketPolicy = bucketPolicy(tb, `{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},`+
		`{"Sid":"PartnerList","Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt"}`)
	ec.BucketACL = &acl.ACL{Owner: acl.Owner{ID: canonA}, Grants: []acl.Grant{{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.FullControl}}}
	ec.ObjectACL = &acl.ACL{Owner: acl.Owner{ID: canonC}, Grants: []acl.Grant{
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonC}, Permission: acl.FullControl},
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonB}, Permission: acl.Read},
	}}
	req := getObject(user(acctB, "bob"))
	req.Keys = &evaluate.Keys{}
	req.Keys.Set("aws:SecureTransport", "true")
	req.Keys.Set("aws:SourceIp", "192.0.2.1")
	return req, ec
}

func BenchmarkEvaluate(b *testing.B) {
	req, ec := fullPath(b)
	if d, diag := evaluate.Evaluate(req, ec); d != evaluate.Allow {
		b.Fatal(d, diag.Reason, diag.Err)
	}
	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			evaluate.Evaluate(req, ec)
		}
	})
}
