package analysis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/policy"
)

// dbPolicies returns two bucket policies close to S3's 20 KiB limit, in
// the shape large real policies have: one statement per partner with its
// own principal, prefix, actions and conditions, and a few Deny
// guardrails. The new one widens one partner's prefix.
func dbPolicies(tb testing.TB) (old, nw *policy.Policy) {
	build := func(widen bool) string {
		stmts := []string{
			`{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::big-bucket","arn:aws:s3:::big-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`,
			`{"Sid":"OldTLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::big-bucket/*","Condition":{"NumericLessThan":{"s3:TlsVersion":"1.2"}}}`,
		}
		acts := []string{`["s3:GetObject","s3:GetObjectVersion"]`, `["s3:PutObject","s3:AbortMultipartUpload"]`, `"s3:Get*"`, `["s3:GetObject","s3:PutObject","s3:DeleteObject"]`}
		for i := 0; ; i++ {
			prefix := fmt.Sprintf("partners/p%03d/", i)
			if widen && i == 7 {
				prefix = "partners/"
			}
			var principal string
			switch i % 3 {
			case 0:
				principal = fmt.Sprintf(`{"AWS":"%012d"}`, 100000000000+i)
			case 1:
				principal = fmt.Sprintf(`{"AWS":"arn:aws:iam::%012d:role/reader-%d"}`, 100000000000+i, i)
			default:
				principal = fmt.Sprintf(`{"AWS":["arn:aws:iam::%012d:user/u%d","arn:aws:iam::%012d:role/r%d"]}`, 100000000000+i, i, 100000000000+i, i)
			}
			cond := fmt.Sprintf(`{"IpAddress":{"aws:SourceIp":["10.%d.0.0/16","192.0.%d.0/24"]},"StringEquals":{"aws:SourceVpce":"vpce-%08d"}}`, i%250, i%250, i)
			s := fmt.Sprintf(`{"Sid":"Partner%d","Effect":"Allow","Principal":%s,"Action":%s,"Resource":["arn:aws:s3:::big-bucket/%s*"],"Condition":%s}`,
				i, principal, acts[i%len(acts)], prefix, cond)
			list := fmt.Sprintf(`{"Sid":"List%d","Effect":"Allow","Principal":%s,"Action":"s3:ListBucket","Resource":"arn:aws:s3:::big-bucket","Condition":{"StringLike":{"s3:prefix":"%s*"}}}`, i, principal, prefix)
			doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(append(stmts, s, list), ",") + `]}`
			if len(doc) > 19<<10 {
				return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
			}
			stmts = append(stmts, s, list)
		}
	}
	old, err := policy.Parse(policy.Bucket, []byte(build(false)))
	require.NoError(tb, err)
	nw, err = policy.Parse(policy.Bucket, []byte(build(true)))
	require.NoError(tb, err)
	return old, nw
}

func BenchmarkNoNewAccess(b *testing.B) {
	old, nw := dbPolicies(b)
	b.ReportAllocs()
	var r Result
	for b.Loop() {
		r = NoNewAccess(old, nw, DiffOptions{})
	}
	b.ReportMetric(float64(len(nw.Statements)), "statements")
	b.Logf("verdict %s, witness %s", r.Verdict, r.Witness)
}

// TestNoNewAccessLarge: the large pair of the benchmark gets its verdict
// (the widened prefix is new access) and a policy against itself passes.
func TestNoNewAccessLarge(t *testing.T) {
	old, nw := dbPolicies(t)
	r := NoNewAccess(old, nw, DiffOptions{})
	require.Equal(t, Fail, r.Verdict, "%+v", r.Reasons)
	assert.Contains(t, r.Witness.String(), "partners/")
	assert.Equal(t, Pass, NoNewAccess(old, old, DiffOptions{}).Verdict)
}

// TestNoNewAccessBudget: a walk past its cell budget is Unknown, never
// Pass, and says why.
func TestNoNewAccessBudget(t *testing.T) {
	old, nw := dbPolicies(t)
	r := NoNewAccess(old, nw, DiffOptions{MaxCells: 1})
	assert.Equal(t, Unknown, r.Verdict)
	require.NotEmpty(t, r.Reasons)
	assert.Contains(t, r.Reasons[0].Description, "budget")
}

// hostilePolicies returns two bucket policies of about 19 KiB made to
// cost the most: every statement public, with its own wildcard action and
// resource and its own conditions, so that few cells are settled quickly
// and many candidates have no replayable request.
func hostilePolicies(shift int) *policy.Policy {
	var stmts []string
	for i := 0; ; i++ {
		s := fmt.Sprintf(`{"Effect":"Allow","Principal":"*","Action":"s3:*%c*","Resource":"arn:aws:s3:::b/*%d*%d*","Condition":{"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"},"StringLike":{"s3:prefix":"*%d*"}}}`,
			"GPLDAO"[(i+shift)%6], i+shift, i*7, (i+shift)%250, i)
		doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(append(stmts, s), ",") + `]}`
		if len(doc) > 19<<10 {
			break
		}
		stmts = append(stmts, s)
	}
	return policy.MustParse(policy.Bucket, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)
}

// TestNoNewAccessHostile: on the costliest pair the answer is Unknown
// because the work budget ran out — building witnesses is charged to the
// same budget as the walk, which is what bounds the time of such a pair.
func TestNoNewAccessHostile(t *testing.T) {
	r := NoNewAccess(hostilePolicies(0), hostilePolicies(1), DiffOptions{})
	require.Equal(t, Unknown, r.Verdict)
	var why []string
	for _, reason := range r.Reasons {
		why = append(why, reason.Description)
	}
	assert.Contains(t, strings.Join(why, "; "), "the work budget ran out")
}

func BenchmarkNoNewAccessHostile(b *testing.B) {
	old, nw := hostilePolicies(0), hostilePolicies(1)
	b.ReportAllocs()
	for b.Loop() {
		NoNewAccess(old, nw, DiffOptions{})
	}
}
