package analysis

import (
	"strconv"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/internal/testcost"
	"github.com/s3authz/s3authz/policy"
)

// hostileDocs are documents made to cost the most: many distinct wildcard
// actions, and long resource patterns compared pairwise.
func hostileDocs() map[string][]byte {
	var acts []string
	for i := 0; i < 15000; i++ {
		acts = append(acts, `"s3:G*`+strconv.Itoa(i)+`*"`)
	}
	var res []string
	long := strings.Repeat("*a", 500)
	for i := 0; i < 900; i++ {
		res = append(res, `"arn:aws:s3:::b/`+long+strconv.Itoa(i)+`"`)
	}
	return map[string][]byte{
		"actions":   []byte(stmtDoc(`"Effect":"Allow","Action":[` + strings.Join(acts, ",") + `],"Resource":"*"`)),
		"resources": []byte(stmtDoc(`"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":[` + strings.Join(res, ",") + `]`)),
	}
}

// TestBounded: the costliest documents are validated with bounded work,
// counted as allocations (the pattern comparisons share a fixed budget per
// call), never timed.
func TestBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for name, doc := range hostileDocs() {
		var err error
		allocs, bytes := testcost.Measure(1, func() { _, err = Validate(policy.Identity, doc, ValidateOptions{}) })
		if err != nil {
			t.Fatal(err)
		}
		// At most two objects and 128 bytes per input byte: linear, whatever the
		// patterns.
		if allocs > float64(2*len(doc)) || bytes > uint64(128*len(doc)) {
			t.Errorf("%s (%d bytes): %v allocations, %d bytes", name, len(doc), allocs, bytes)
		}
		t.Logf("%s (%d bytes): %v allocations, %d bytes", name, len(doc), allocs, bytes)
	}
}

func BenchmarkValidate(b *testing.B) {
	doc := []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"PartnerRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"]}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Validate(policy.Bucket, doc, ValidateOptions{Bucket: "amzn-s3-demo-bucket"}); err != nil {
			b.Fatal(err)
		}
	}
}

// policy20KiB is a realistic bucket policy of about 20 KiB: statements for
// many partner accounts and prefixes, with conditions, and a TLS Deny.
func policy20KiB() []byte {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`)
	for i := 0; b.Len() < 20<<10-400; i++ {
		acct := strconv.Itoa(210987654300 + i)
		b.WriteString(`,{"Sid":"Partner` + strconv.Itoa(i) + `","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::` + acct + `:root","arn:aws:iam::` + acct + `:role/reader"]},` +
			`"Action":["s3:GetObject","s3:GetObjectVersion","s3:ListBucket"],` +
			`"Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/partner` + strconv.Itoa(i) + `/*"],` +
			`"Condition":{"StringLike":{"s3:prefix":["partner` + strconv.Itoa(i) + `/*"]},"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkValidate20KiB validates a 20 KiB bucket policy; the spec's
// budget is 5 ms.
func BenchmarkValidate20KiB(b *testing.B) {
	doc := policy20KiB()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Validate(policy.Bucket, doc, ValidateOptions{Bucket: "amzn-s3-demo-bucket", Owner: "111122223333"}); err != nil {
			b.Fatal(err)
		}
	}
}
