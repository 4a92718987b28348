package analysis_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/wildcard"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// The soundness property (spec §0, §4.3): every request from outside the
// owner's account that Evaluate allows is covered by a finding in effect,
// and an allowed anonymous request makes the report public unless the
// finding that covers it is restricted by its own conditions. Callers get
// an identity policy that allows everything, since the review assumes
// other accounts' administrators delegate.

// Vocabularies of the generator.
var (
	propPrincipals = []string{
		`"*"`, `{"AWS":"*"}`, `{"AWS":"` + otherID + `"}`, `{"AWS":"arn:aws:iam::` + otherID + `:root"}`,
		`{"AWS":"arn:aws:iam::` + otherID + `:role/r"}`, `{"AWS":"arn:aws:iam::` + thirdID + `:user/u"}`,
		`{"AWS":["` + ownerID + `","arn:aws:iam::` + thirdID + `:root"]}`, `{"AWS":"arn:aws:iam::` + ownerID + `:user/o"}`,
		`{"Service":"logging.s3.amazonaws.com"}`, `{"Service":"cloudtrail.amazonaws.com"}`,
		`{"CanonicalUser":"` + otherCanon + `"}`, `{"CanonicalUser":"` + ownerCanon + `"}`,
		`{"AWS":"` + thirdID + `","Service":"cloudtrail.amazonaws.com"}`,
	}
	propActions = []string{
		`"s3:GetObject"`, `"s3:Get*"`, `"s3:*"`, `"*"`, `"s3:PutObject"`, `"s3:ListBucket"`, `"s3:List*"`,
		`"s3:DeleteObject"`, `["s3:PutObjectAcl","s3:GetObjectAcl"]`, `"s3:GetBucketAcl"`, `"s3:*Object"`, `"s3:Get?bject"`,
	}
	propResources = []string{
		`"arn:aws:s3:::amzn-s3-demo-review"`, `"arn:aws:s3:::amzn-s3-demo-review/*"`, `"arn:aws:s3:::amzn-s3-demo-review/a*"`,
		`"arn:aws:s3:::amzn-s3-demo-review/a.txt"`, `"*"`, `"arn:aws:s3:::amzn-s3-demo-review*"`,
		`["arn:aws:s3:::amzn-s3-demo-review","arn:aws:s3:::amzn-s3-demo-review/b/*"]`,
	}
	propConditions = []string{
		``, ``, ``,
		`,"Condition":{"Bool":{"aws:SecureTransport":"true"}}`,
		`,"Condition":{"StringEquals":{"aws:SourceAccount":"` + otherID + `"}}`,
		`,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`,
		`,"Condition":{"StringLike":{"aws:SourceArn":"*"}}`,
	}
	propGrantees = []string{"all", "auth", "log", otherCanon, thirdCanon, ownerCanon, string(acl.AnonymousID), "email:other@example.com", "email:nobody@example.com"}
	propPerms    = []acl.Permission{acl.Read, acl.Write, acl.ReadACP, acl.WriteACP, acl.FullControl}
	propKeys     = []string{"a.txt", "b/c.txt", "zzz"}
	propCallers  = []string{
		"anonymous", "arn:aws:iam::" + otherID + ":root", "arn:aws:iam::" + otherID + ":user/u",
		"arn:aws:sts::" + otherID + ":assumed-role/r/s", "arn:aws:iam::" + thirdID + ":user/u", "arn:aws:iam::" + thirdID + ":root",
		"service:logging.s3.amazonaws.com", "service:cloudtrail.amazonaws.com",
	}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// randomStatement writes one statement.
func randomStatement(r *rand.Rand) string {
	effect := "Allow"
	if r.IntN(10) < 3 {
		effect = "Deny"
	}
	pr := `"Principal":` + pick(r, propPrincipals)
	if r.IntN(10) == 0 {
		pr = `"NotPrincipal":{"AWS":"` + pick(r, []string{otherID, thirdID}) + `"}`
	}
	act := `"Action":` + pick(r, propActions)
	if r.IntN(8) == 0 {
		act = `"NotAction":` + pick(r, propActions)
	}
	res := `"Resource":` + pick(r, propResources)
	if r.IntN(8) == 0 {
		res = `"NotResource":` + pick(r, propResources)
	}
	return `{"Effect":"` + effect + `",` + pr + `,` + act + `,` + res + pick(r, propConditions) + `}`
}

func randomACL(r *rand.Rand, owner string) *acl.ACL {
	if r.IntN(3) == 0 {
		return nil
	}
	var gs []acl.Grant
	for range r.IntN(4) {
		gs = append(gs, grant(pick(r, propGrantees), pick(r, propPerms)))
	}
	return ownedACL(owner, gs...)
}

func randomBPA(r *rand.Rand) ownership.PublicAccessBlock {
	f := func() bool { return r.IntN(4) == 0 }
	return ownership.PublicAccessBlock{BlockPublicAcls: f(), IgnorePublicAcls: f(), BlockPublicPolicy: f(), RestrictPublicBuckets: f()}
}

// randomWorld builds one configuration, or nil when its policy does not
// load (some combinations of the vocabulary are invalid).
func randomWorld(t *testing.T, r *rand.Rand) *analysis.World {
	rw := reviewWorld{
		mode:      pick(r, []ownership.Mode{ownership.BucketOwnerEnforced, ownership.BucketOwnerPreferred, ownership.ObjectWriter}),
		account:   randomBPA(r),
		bucketBPA: randomBPA(r),
		bucketACL: randomACL(r, ownerCanon),
		objects:   map[string]*analysis.Object{},
	}
	if n := r.IntN(4); n > 0 {
		var ss []string
		for range n {
			ss = append(ss, randomStatement(r))
		}
		rw.policy = stmts(ss...)
		if _, err := policy.Parse(policy.Bucket, []byte(rw.policy)); err != nil {
			return nil
		}
	}
	for _, k := range propKeys[:2] {
		owner, canon := ownership.AccountOwner(ownerID), ownerCanon
		switch r.IntN(6) {
		case 0:
			owner, canon = ownership.AccountOwner(otherID), otherCanon
		case 1:
			owner, canon = ownership.AnonymousOwner(), string(acl.AnonymousID)
		}
		rw.objects[k] = &analysis.Object{Record: &ownership.Object{Bucket: bucketName, Key: k, Owner: owner}, ACL: randomACL(r, canon)}
	}
	return rw.build(t)
}

func caller(t *testing.T, s string) ownership.Principal {
	switch {
	case s == "anonymous":
		return ownership.Anonymous()
	case strings.HasPrefix(s, "service:"):
		p, err := ownership.ServicePrincipal(strings.TrimPrefix(s, "service:"))
		require.NoError(t, err)
		return p
	}
	return ownership.MustParsePrincipal(s)
}

// coversCaller reports whether a finding's principal names the caller.
func coversCaller(w *analysis.World, principal string, p ownership.Principal) bool {
	switch {
	case principal == "*":
		return true
	case principal == "authenticated":
		return !p.IsAnonymous()
	case principal == "group:LogDelivery":
		return p.IsService() && p.Service() == "logging.s3.amazonaws.com"
	case strings.HasPrefix(principal, "service:"):
		return p.IsService() && p.Service() == strings.TrimPrefix(principal, "service:")
	case strings.HasPrefix(principal, "account:"):
		return p.Account() != "" && string(p.Account()) == strings.TrimPrefix(principal, "account:")
	case strings.HasPrefix(principal, "canonical:"):
		if p.Account() == "" {
			return false
		}
		c, ok, _ := w.Directory.CanonicalID(context.Background(), p.Account())
		return ok && string(c) == strings.TrimPrefix(principal, "canonical:")
	}
	if p.ARN() == principal {
		return true
	}
	arn, ok := p.ConditionKey("aws:PrincipalArn")
	return ok && arn == principal
}

func matchAny(patterns []string, s string, fold bool) bool {
	for _, q := range patterns {
		w := wildcard.CompileGlob(q, fold)
		if w.Match(s, nil) {
			return true
		}
	}
	return false
}

// covering returns the findings in effect that cover the request.
func covering(w *analysis.World, rep *analysis.AccessReport, p ownership.Principal, action, arn string) []*analysis.AccessFinding {
	var out []*analysis.AccessFinding
	for i := range rep.Findings {
		f := &rep.Findings[i]
		// RestrictPublicBuckets never restricts AWS service principals:
		// a finding it blocks still holds for them.
		inEffect := f.BlockedBy == analysis.BlockedNone || f.BlockedBy == analysis.RestrictPublicBuckets && p.IsService()
		if !inEffect || !coversCaller(w, f.Principal, p) {
			continue
		}
		if !matchAny(f.Actions, action, true) || matchAny(f.Except, action, true) {
			continue
		}
		if !matchAny(f.Resources, arn, false) || matchAny(f.ExceptResources, arn, false) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func ownConditions(f *analysis.AccessFinding) bool {
	for _, c := range f.Conditions {
		if !c.Deny {
			return true
		}
	}
	return false
}

// TestReviewSoundness checks the property on random configurations with
// fixed seeds.
func TestReviewSoundness(t *testing.T) {
	allowAll := evaluate.MustPrepare(policy.MustParse(policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	var bucketActions, objectActions []string
	for _, a := range policy.Actions() {
		switch a.Resource {
		case policy.ResourceBucket:
			if a.Name != "s3:CreateBucket" {
				bucketActions = append(bucketActions, a.Name)
			}
		case policy.ResourceObject:
			objectActions = append(objectActions, a.Name)
		}
	}
	configs, requests, allowed, anonAllowed := 0, 0, 0, 0
	const nConfigs, nRequests = 1500, 150
	for seed := uint64(1); configs < nConfigs; seed++ {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		w := randomWorld(t, r)
		if w == nil {
			continue
		}
		configs++
		rep, err := analysis.Review(w, bucketName)
		require.NoError(t, err)
		b := w.Buckets[bucketName]
		for range nRequests {
			who := pick(r, propCallers)
			p := caller(t, who)
			action, key := pick(r, bucketActions), ""
			if r.IntN(2) == 0 {
				action, key = pick(r, objectActions), pick(r, propKeys)
			}
			ec := w.Context(b, key)
			ec.Identity = []*evaluate.Prepared{allowAll}
			keys := &evaluate.Keys{}
			keys.Set("aws:SecureTransport", pick(r, []string{"true", "false"}))
			keys.Set("aws:SourceIp", pick(r, []string{"10.1.2.3", "203.0.113.9"}))
			if r.IntN(2) == 0 {
				keys.Set("aws:SourceAccount", otherID)
				keys.Set("aws:SourceArn", "arn:aws:cloudtrail:us-east-1:"+otherID+":trail/t")
			}
			requests++
			d, _ := evaluate.Evaluate(evaluate.Request{Principal: p, Action: action, Bucket: bucketName, Key: key, Keys: keys}, ec)
			if !d.Allowed() {
				continue
			}
			if o := b.Objects[key]; key != "" && o != nil && b.Record.Mode.ACLsEnabled() {
				// The owner of an object another account owns keeps
				// its own access to it (§4.4, a note, not a finding).
				if eo := b.Record.EffectiveOwner(o.Record); !eo.Anonymous && eo.Account != ownerID && eo.Account == p.Account() {
					continue
				}
			}
			allowed++
			arn := "arn:aws:s3:::" + bucketName
			if key != "" {
				arn += "/" + key
			}
			cov := covering(w, rep, p, action, arn)
			if len(cov) == 0 {
				t.Fatalf("seed %d: %s %s on %s is allowed but no finding in effect covers it\npolicy: %s\nreport: %s",
					seed, who, action, arn, policyText(b), reportText(rep))
			}
			if p.IsAnonymous() {
				anonAllowed++
				restricted := false
				for _, f := range cov {
					restricted = restricted || !f.Public && ownConditions(f)
				}
				if !rep.Public && !restricted {
					t.Fatalf("seed %d: anonymous %s on %s is allowed but the report is not public\npolicy: %s\nreport: %s",
						seed, action, arn, policyText(b), reportText(rep))
				}
			}
		}
	}
	t.Logf("%d configurations, %d requests, %d allowed requests checked (%d anonymous)", configs, requests, allowed, anonAllowed)
	require.Positive(t, allowed)
	require.Positive(t, anonAllowed)
}

func policyText(b *analysis.Bucket) string {
	if b.Policy == nil {
		return "none"
	}
	out, _ := b.Policy.Policy().MarshalJSON()
	return string(out)
}

func reportText(rep *analysis.AccessReport) string {
	var sb strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&sb, "\n  %s %v-%v on %v-%v via %s public=%t blocked=%s", f.Principal, f.Actions, f.Except, f.Resources, f.ExceptResources, f.Source, f.Public, f.BlockedBy)
	}
	fmt.Fprintf(&sb, "\n  public=%t notes=%q", rep.Public, rep.Notes)
	return sb.String()
}
