package analysis

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
)

// The vocabulary of generated policies and requests.
var (
	dpPrincipals = []string{`"*"`, `{"AWS":"*"}`, `{"AWS":"222222222222"}`, `{"AWS":"arn:aws:iam::111111111111:role/R1"}`,
		`{"AWS":["arn:aws:iam::111111111111:role/R2","333333333333"]}`, `{"AWS":"arn:aws:iam::222222222222:user/bob"}`}
	dpActions   = []string{`"s3:GetObject"`, `"s3:Get*"`, `"s3:*"`, `"s3:PutObject"`, `"s3:ListBucket"`, `"s3:*Object"`, `["s3:GetObject","s3:DeleteObject"]`}
	dpResources = []string{`"arn:aws:s3:::my-bucket/*"`, `"arn:aws:s3:::my-bucket"`, `"arn:aws:s3:::my-bucket/a/*"`, `"arn:aws:s3:::*"`,
		`"arn:aws:s3:::my-bucket/*/y"`, `["arn:aws:s3:::my-bucket","arn:aws:s3:::my-bucket/*"]`}
	dpConditions = []string{
		`"IpAddress":{"aws:SourceIp":"54.240.143.0/24"}`, `"IpAddress":{"aws:SourceIp":"54.240.0.0/16"}`,
		`"NotIpAddress":{"aws:SourceIp":"54.240.143.0/25"}`, `"IpAddressIfExists":{"aws:SourceIp":["10.0.0.0/8","54.240.143.0/24"]}`,
		`"Bool":{"aws:SecureTransport":"true"}`, `"Bool":{"aws:SecureTransport":"false"}`, `"BoolIfExists":{"aws:SecureTransport":"false"}`,
		`"StringLike":{"s3:prefix":"a/*"}`, `"StringEquals":{"s3:prefix":["a/","b/"]}`, `"StringNotLikeIfExists":{"s3:prefix":"b*"}`,
		`"NumericLessThan":{"s3:TlsVersion":"1.2"}`, `"NumericLessThanIfExists":{"s3:TlsVersion":"1.3"}`, `"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}`,
		`"StringEquals":{"aws:PrincipalAccount":"222222222222"}`, `"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/*"}`,
	}
)

func dpStatement(rng *rand.Rand) string {
	effect := "Allow"
	if rng.IntN(4) == 0 {
		effect = "Deny"
	}
	action := "Action"
	if rng.IntN(6) == 0 {
		action = "NotAction"
	}
	resource := "Resource"
	if rng.IntN(8) == 0 {
		resource = "NotResource"
	}
	s := fmt.Sprintf(`{"Effect":%q,"Principal":%s,%q:%s,%q:%s`, effect, dpPrincipals[rng.IntN(len(dpPrincipals))],
		action, dpActions[rng.IntN(len(dpActions))], resource, dpResources[rng.IntN(len(dpResources))])
	if n := rng.IntN(3); n > 0 {
		seen := map[string]bool{}
		var conds []string
		for range n {
			c := dpConditions[rng.IntN(len(dpConditions))]
			op := c[:strings.Index(c, ":")]
			if seen[op] {
				continue
			}
			seen[op] = true
			conds = append(conds, c)
		}
		s += `,"Condition":{` + strings.Join(conds, ",") + `}`
	}
	return s + "}"
}

func dpPolicy(rng *rand.Rand, stmts []string) *policy.Policy {
	p, err := policy.Parse(policy.Bucket, []byte(`{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`))
	if err != nil {
		return nil
	}
	return p
}

// dpPair makes an old policy and a new one derived from it.
func dpPair(rng *rand.Rand) (*policy.Policy, *policy.Policy) {
	var old []string
	for range 1 + rng.IntN(3) {
		old = append(old, dpStatement(rng))
	}
	nw := append([]string(nil), old...)
	switch rng.IntN(4) {
	case 0: // replace one statement
		nw[rng.IntN(len(nw))] = dpStatement(rng)
	case 1: // add one
		nw = append(nw, dpStatement(rng))
	case 2: // drop one
		if len(nw) > 1 {
			i := rng.IntN(len(nw))
			nw = append(nw[:i], nw[i+1:]...)
		}
	default: // independent
		nw = []string{dpStatement(rng)}
	}
	return dpPolicy(rng, old), dpPolicy(rng, nw)
}

var (
	dpCallers = []string{"anonymous", "arn:aws:iam::222222222222:user/bob", "arn:aws:iam::222222222222:root",
		"arn:aws:sts::111111111111:assumed-role/R1/s", "arn:aws:sts::111111111111:assumed-role/R2/s",
		"arn:aws:iam::333333333333:user/carol", "arn:aws:iam::444444444444:user/dave", "arn:aws:sts::111111111111:assumed-role/R3/s"}
	dpReqActions = []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "s3:GetObjectAcl", "s3:GetBucketPolicy"}
	dpKeys       = []string{"a/x", "b/y", "a/b/y", "home/z"}
	dpIPs        = []string{"10.0.0.1", "54.240.143.5", "54.240.143.200", "54.240.0.1", "192.0.2.7"}
)

func dpRequest(rng *rand.Rand) *Witness {
	w := &Witness{Principal: dpCallers[rng.IntN(len(dpCallers))], Action: dpReqActions[rng.IntN(len(dpReqActions))],
		Bucket: "my-bucket", BucketOwner: "999999999999", Kind: "bucket", Time: "2025-01-01T00:00:00Z", Keys: map[string][]string{}}
	if info, _ := policy.LookupAction(w.Action); info.Resource == policy.ResourceObject {
		w.Key = dpKeys[rng.IntN(len(dpKeys))]
	}
	if rng.IntN(5) > 0 {
		w.Keys["aws:SourceIp"] = []string{dpIPs[rng.IntN(len(dpIPs))]}
	}
	secure := rng.IntN(2) == 0
	w.Keys["aws:SecureTransport"] = []string{fmt.Sprint(secure)}
	if secure && rng.IntN(3) > 0 {
		w.Keys["s3:TlsVersion"] = []string{[]string{"1.1", "1.2", "1.3"}[rng.IntN(3)]}
	}
	if w.Action == "s3:ListBucket" && rng.IntN(3) > 0 {
		w.Keys["s3:prefix"] = []string{[]string{"a/", "b/", "c"}[rng.IntN(3)]}
	}
	return w
}

// TestNoNewAccessProperties checks, over generated pairs of bucket
// policies: (a) a policy gives no new access over itself; (b) a sampled
// request the evaluator allows under new and not under old makes a Pass
// impossible; (c) every Fail's witness replays as claimed.
func TestNoNewAccessProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const pairs, samples = 400, 300
	counts := map[Verdict]int{}
	sampled, refuted := 0, 0
	for range pairs {
		old, nw := dpPair(rng)
		if old == nil || nw == nil {
			continue
		}
		self := NoNewAccess(nw, nw, DiffOptions{})
		require.Equal(t, Pass, self.Verdict, "NoNewAccess(p, p) for %s: %+v", dpJSON(nw), self.Reasons)
		r := NoNewAccess(old, nw, DiffOptions{})
		counts[r.Verdict]++
		op, np := evaluate.MustPrepare(old), evaluate.MustPrepare(nw)
		if r.Verdict == Fail {
			ok, err := dfReplay(r.Witness, np)
			require.NoError(t, err)
			require.True(t, ok, "witness %s not allowed by new", r.Witness)
			ok, err = dfReplay(r.Witness, op)
			require.NoError(t, err)
			require.False(t, ok, "witness %s allowed by old", r.Witness)
		}
		for range samples {
			w := dpRequest(rng)
			sampled++
			inNew, err := dfReplay(w, np)
			require.NoError(t, err)
			if !inNew {
				continue
			}
			inOld, err := dfReplay(w, op)
			require.NoError(t, err)
			if !inOld {
				refuted++
				require.NotEqual(t, Pass, r.Verdict, "Pass, but %s is allowed by new and not old\nold %s\nnew %s", w, dpJSON(old), dpJSON(nw))
			}
		}
	}
	t.Logf("pairs %d: PASS %d, FAIL %d, UNKNOWN %d; sampled requests %d, of which %d new access",
		pairs, counts[Pass], counts[Fail], counts[Unknown], sampled, refuted)
}

func dpJSON(p *policy.Policy) string {
	b, _ := p.MarshalJSON()
	return string(b)
}
