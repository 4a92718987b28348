package evaluate_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
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
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
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
	p, err := policy.Parse(policy.Bucket, largeConditionalText())
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// largeConditionalText is the JSON text of largeConditionalPolicy.
func largeConditionalText() []byte {
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
	return []byte(b.String())
}

// largeParser admits the policies of the scale benchmarks, far over S3's
// 20 KiB.
var largeParser = policy.Parser{MaxBytes: 8 << 20, MaxStatements: 20000, MaxValues: 1 << 20}

// scalePolicy is the bucket policy of the scale workload: statement k lets
// user<k> of the bucket owner's account Get and Put bucket/home/user<k>/*.
func scalePolicy(tb testing.TB, n int, conditions bool) *policy.Policy {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for k := range n {
		if k > 0 {
			b.WriteByte(',')
		}
		cond := ""
		if conditions {
			cond = fmt.Sprintf(`,"Condition":{"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"},"Bool":{"aws:SecureTransport":"true"}}`, k%256)
		}
		fmt.Fprintf(&b, `{"Sid":"U%d","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctA+`:user/user%d"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bkt/home/user%d/*"%s}`, k, k, k, cond)
	}
	b.WriteString(`]}`)
	p, err := largeParser.Parse(policy.Bucket, []byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func BenchmarkPrepare(b *testing.B) {
	for _, c := range []struct {
		name string
		p    *policy.Policy
	}{
		{"statements=1000", scalePolicy(b, 1000, true)},
		{"20KiB", largeConditionalPolicy(b)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := evaluate.Prepare(c.p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(retained(b, c.p)), "retained-B")
		})
	}
}

// BenchmarkParseAndPrepare times the whole load of the 20 KiB policy: from
// JSON text to a prepared policy.
func BenchmarkParseAndPrepare(b *testing.B) {
	text := largeConditionalText()
	b.Run("20KiB", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			p, err := policy.Parse(policy.Bucket, text)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := evaluate.Prepare(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// retained measures the heap a prepared policy keeps beyond its parsed
// policy: the live heap after a collection, with and without it.
func retained(b *testing.B, p *policy.Policy) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	pp := evaluate.MustPrepare(p)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(pp)
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}

// BenchmarkEvaluateScale times one request against bucket policies of
// growing size (the scale workload); the caller is the last user, so every
// statement before its own is considered.
func BenchmarkEvaluateScale(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		ec := world(b, acctA)
		ec.BucketPolicy = evaluate.MustPrepare(scalePolicy(b, n, false))
		last := n - 1
		req := evaluate.Request{Principal: user(acctA, fmt.Sprintf("user%d", last)), Action: "s3:GetObject", Bucket: "bkt", Key: fmt.Sprintf("home/user%d/notes.txt", last)}
		ec.Object.Key = req.Key // the record is of the object requested
		if d, diag := evaluate.Evaluate(req, ec); d != evaluate.Allow {
			b.Fatal(d, diag.Reason, diag.Err)
		}
		b.Run(fmt.Sprintf("statements=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				evaluate.Evaluate(req, ec)
			}
		})
	}
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
	ec.BucketACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.FullControl}}}
	ec.ObjectACL = &acl.ACL{Owner: acl.User{ID: canonC}, Grants: []acl.Grant{
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonC}, Permission: acl.FullControl},
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonB}, Permission: acl.Read},
	}}
	req := getObject(user(acctB, "bob"))
	req.Keys = &evaluate.Keys{}
	req.Keys.Set("aws:SecureTransport", "true")
	req.Keys.Set("aws:SourceIp", "192.0.2.1")
	return req, ec
}

// workload is one request and what is stored, for the benchmarks and the
// allocation budgets.
type workload struct {
	name string
	req  evaluate.Request
	ec   evaluate.Context
	want evaluate.Decision
}

// evaluateWorkloads are the BenchmarkEvaluate workloads: simple (one Allow
// statement, anonymous read of bkt/public/*), conditions (five statements
// with StringLike, IpAddress, Bool and a Deny with StringNotEquals) and
// full (fullPath).
func evaluateWorkloads(tb testing.TB) []workload {
	simple := with(world(tb, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(tb, `{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/public/*"}`)
		ec.Object = &ownership.Object{Bucket: "bkt", Key: "public/index.html", Owner: ownership.AccountOwner(acctA)}
	})
	simpleReq := evaluate.Request{Principal: ownership.Anonymous(), Action: "s3:GetObject", Bucket: "bkt", Key: "public/index.html"}
	conds := with(world(tb, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(tb, `{"Sid":"Home","Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"StringLike":{"s3:prefix":"home/*"}}},`+
			`{"Sid":"Office","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}},`+
			`{"Sid":"TLS","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},`+
			`{"Sid":"Both","Effect":"Allow","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"},"Bool":{"aws:SecureTransport":"true"}}},`+
			`{"Sid":"Encrypt","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}`)
	})
	condReq := evaluate.Request{Principal: ownership.Anonymous(), Action: "s3:GetObject", Bucket: "bkt", Key: "k", Keys: &evaluate.Keys{}}
	condReq.Keys.Set("aws:SourceIp", "192.0.2.7")
	condReq.Keys.Set("aws:SecureTransport", "true")
	fullReq, fullEC := fullPath(tb)
	return []workload{
		{"simple", simpleReq, simple, evaluate.Allow},
		{"conditions", condReq, conds, evaluate.Allow},
		{"full", fullReq, fullEC, evaluate.Allow},
	}
}

func BenchmarkEvaluate(b *testing.B) {
	for _, w := range evaluateWorkloads(b) {
		if d, diag := evaluate.Evaluate(w.req, w.ec); d != w.want {
			b.Fatal(w.name, d, diag.Reason, diag.Err)
		}
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				evaluate.Evaluate(w.req, w.ec)
			}
		})
	}
}

// budgetWorkloads are the workloads whose allocations are pinned, with
// their budgets: the benchmark workloads, the largest scale policy, and
// the paths that need the scratch space (a variable in a resource, a
// general glob, a long key) or build a value (aws:CurrentTime).
func budgetWorkloads(tb testing.TB) []struct {
	workload
	budget float64
} {
	type budgeted = struct {
		workload
		budget float64
	}
	var out []budgeted
	for _, w := range evaluateWorkloads(tb) {
		out = append(out, budgeted{w, 0})
	}
	scale := world(tb, acctA)
	scale.BucketPolicy = evaluate.MustPrepare(scalePolicy(tb, 10000, false))
	out = append(out, budgeted{workload{"scale=10000", evaluate.Request{Principal: user(acctA, "user9999"), Action: "s3:GetObject", Bucket: "bkt", Key: "home/user9999/notes.txt"}, at(scale, "home/user9999/notes.txt"), evaluate.Allow}, 0})

	vars := with(world(tb, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(tb, `{"Sid":"Home","Effect":"Allow","Principal":{"AWS":"`+acctA+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/home/${aws:username}/*"},`+
			`{"Sid":"Glob","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*/public/*"},`+
			`{"Sid":"Window","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/inbox/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}`)
	})
	alice := user(acctA, "alice")
	aliceID := []*evaluate.Prepared{allowAll(tb, "s3:GetObject", "arn:aws:s3:::bkt/home/${aws:username}/*")}
	out = append(out,
		budgeted{workload{"resource variable", evaluate.Request{Principal: alice, Action: "s3:GetObject", Bucket: "bkt", Key: "home/alice/a.txt"}, with(at(vars, "home/alice/a.txt"), func(ec *evaluate.Context) { ec.Identity = aliceID }), evaluate.Allow}, 0},
		budgeted{workload{"general glob", evaluate.Request{Principal: ownership.Anonymous(), Action: "s3:GetObject", Bucket: "bkt", Key: "x/public/y"}, at(vars, "x/public/y"), evaluate.Allow}, 0},
		budgeted{workload{"long key", evaluate.Request{Principal: ownership.Anonymous(), Action: "s3:GetObject", Bucket: "bkt", Key: "x/public/" + strings.Repeat("k", 1000)}, at(vars, "x/public/"+strings.Repeat("k", 1000)), evaluate.Allow}, 0},
		// An ACL grant by e-mail, resolved through the directory, and a
		// bucket policy naming an account by canonical user ID.
		budgeted{workload{"e-mail grant", getObject(root(acctB)), with(world(tb, acctA), func(ec *evaluate.Context) {
			ec.ObjectACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{
				{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.FullControl},
				{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: "Owner@B.example.com"}, Permission: acl.Read},
			}}
		}), evaluate.Allow}, 0},
		budgeted{workload{"canonical user principal", getObject(root(acctB)), with(world(tb, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(tb, `{"Effect":"Deny","NotPrincipal":{"CanonicalUser":"`+canonB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},`+
				`{"Effect":"Allow","Principal":{"CanonicalUser":"`+canonB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.Allow}, 0},
		// aws:CurrentTime is formatted when a condition first reads it.
		budgeted{workload{"current time", evaluate.Request{Principal: ownership.Anonymous(), Action: "s3:PutObject", Bucket: "bkt", Key: "inbox/x", Time: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}, at(vars, "inbox/x"), evaluate.Allow}, 1},
	)
	return out
}

// TestEvaluateAllocBudget pins the allocations of Evaluate: none on the
// benchmark workloads and on every path that only reads, one where a
// condition reads aws:CurrentTime.
func TestEvaluateAllocBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, w := range budgetWorkloads(t) {
		t.Run(w.name, func(t *testing.T) {
			d, diag := evaluate.Evaluate(w.req, w.ec)
			require.Equal(t, w.want, d, "%+v %v", diag.Reason, diag.Err)
			allocs := testing.AllocsPerRun(200, func() { evaluate.Evaluate(w.req, w.ec) })
			assert.LessOrEqual(t, allocs, w.budget, "allocations per Evaluate")
		})
	}
}
