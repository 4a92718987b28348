package analysis_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// The configuration diff's soundness on generated pairs: a sampled request
// from outside the owner's account that the new world allows and the old
// does not rules out Pass, and every Fail's witness replays as claimed.

var (
	cfgPropStatements = []string{
		`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-review/*"}`,
		`{"Effect":"Allow","Principal":{"AWS":"` + otherID + `"},"Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-review","arn:aws:s3:::amzn-s3-demo-review/*"]}`,
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + otherID + `:user/u"},"Action":"s3:Get*","Resource":"arn:aws:s3:::amzn-s3-demo-review/a*"}`,
		`{"Effect":"Allow","Principal":{"AWS":"` + thirdID + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-review"}`,
		`{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-review","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`,
		`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-review/b*"}`,
		`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-review/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`,
		`{"Effect":"Deny","Principal":{"AWS":"` + otherID + `"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-review/*"}`,
	}
	cfgPropGrantees = []string{"all", "auth", otherCanon, thirdCanon}
	cfgPropPerms    = []acl.Permission{acl.Read, acl.Write, acl.ReadACP, acl.FullControl}
	cfgPropModes    = []ownership.Mode{ownership.BucketOwnerEnforced, ownership.BucketOwnerPreferred, ownership.ObjectWriter}
	cfgPropCallers  = []string{"anonymous", "arn:aws:iam::" + otherID + ":root", "arn:aws:iam::" + otherID + ":user/u",
		"arn:aws:iam::" + thirdID + ":root", "arn:aws:iam::" + thirdID + ":user/t", "arn:aws:iam::444444444444:user/z"}
	cfgPropActions = []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAcl", "s3:ListBucket", "s3:GetBucketAcl", "s3:GetObjectVersion"}
	cfgPropKeys    = []string{"a.txt", "b.txt", "new.txt"}
)

// cfgConfig is one generated configuration.
type cfgConfig struct {
	stmts     []string
	mode      ownership.Mode
	account   ownership.PublicAccessBlock
	bucketBPA ownership.PublicAccessBlock
	bucketACL []acl.Grant
	objOwner  map[string]ownership.Owner
	objACL    map[string][]acl.Grant
}

func cfgRandomGrants(r *rand.Rand) []acl.Grant {
	var gs []acl.Grant
	for range r.IntN(3) {
		gs = append(gs, grant(pick(r, cfgPropGrantees), pick(r, cfgPropPerms)))
	}
	return gs
}

func cfgRandomConfig(r *rand.Rand) cfgConfig {
	c := cfgConfig{mode: pick(r, cfgPropModes), account: randomBPA(r), bucketBPA: randomBPA(r), bucketACL: cfgRandomGrants(r),
		objOwner: map[string]ownership.Owner{}, objACL: map[string][]acl.Grant{}}
	for range r.IntN(3) {
		c.stmts = append(c.stmts, pick(r, cfgPropStatements))
	}
	for _, k := range cfgPropKeys[:2] {
		c.objOwner[k] = ownership.AccountOwner(ownerID)
		if r.IntN(4) == 0 {
			c.objOwner[k] = ownership.AccountOwner(otherID)
		}
		c.objACL[k] = cfgRandomGrants(r)
	}
	return c
}

// cfgMutate changes one or two things of a configuration.
func cfgMutate(r *rand.Rand, c cfgConfig) cfgConfig {
	n := c
	n.stmts = append([]string(nil), c.stmts...)
	n.bucketACL = append([]acl.Grant(nil), c.bucketACL...)
	n.objOwner, n.objACL = map[string]ownership.Owner{}, map[string][]acl.Grant{}
	for k, v := range c.objOwner {
		n.objOwner[k] = v
	}
	for k, v := range c.objACL {
		n.objACL[k] = append([]acl.Grant(nil), v...)
	}
	for range 1 + r.IntN(2) {
		switch r.IntN(8) {
		case 0:
			n.stmts = append(n.stmts, pick(r, cfgPropStatements))
		case 1:
			if len(n.stmts) > 0 {
				i := r.IntN(len(n.stmts))
				n.stmts = append(n.stmts[:i], n.stmts[i+1:]...)
			}
		case 2:
			n.mode = pick(r, cfgPropModes)
		case 3:
			n.account = randomBPA(r)
		case 4:
			n.bucketBPA = randomBPA(r)
		case 5:
			n.bucketACL = cfgRandomGrants(r)
			if len(c.bucketACL) > 1 && r.IntN(2) == 0 { // reorder
				n.bucketACL = append([]acl.Grant(nil), c.bucketACL...)
				n.bucketACL[0], n.bucketACL[1] = n.bucketACL[1], n.bucketACL[0]
			}
		case 6:
			k := pick(r, cfgPropKeys[:2])
			n.objACL[k] = cfgRandomGrants(r)
		default:
			k := pick(r, cfgPropKeys[:2])
			if n.objOwner[k].Account == ownerID {
				n.objOwner[k] = ownership.AccountOwner(otherID)
			} else {
				n.objOwner[k] = ownership.AccountOwner(ownerID)
			}
		}
	}
	return n
}

func (c cfgConfig) world(t *testing.T) *analysis.World {
	rw := reviewWorld{mode: c.mode, account: c.account, bucketBPA: c.bucketBPA, objects: map[string]*analysis.Object{}}
	if len(c.stmts) > 0 {
		rw.policy = stmts(c.stmts...)
		if _, err := policy.Parse(policy.Bucket, []byte(rw.policy)); err != nil {
			return nil
		}
	}
	if c.bucketACL != nil {
		rw.bucketACL = ownedACL(ownerCanon, c.bucketACL...)
	}
	for k, o := range c.objOwner {
		canon := ownerCanon
		if o.Account == otherID {
			canon = otherCanon
		}
		var a *acl.ACL
		if gs := c.objACL[k]; gs != nil {
			a = ownedACL(canon, gs...)
		}
		rw.objects[k] = &analysis.Object{Record: &ownership.Object{Bucket: bucketName, Key: k, Owner: o}, ACL: a}
	}
	return rw.build(t)
}

func TestNoNewConfigAccessProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 0xc0f))
	const pairs, samples = 600, 120
	counts := map[analysis.Verdict]int{}
	requests, newAccess := 0, 0
	for i := 0; i < pairs; i++ {
		oc := cfgRandomConfig(r)
		nc := cfgMutate(r, oc)
		if r.IntN(10) == 0 {
			nc = cfgRandomConfig(r)
		}
		oldW, newW := oc.world(t), nc.world(t)
		if oldW == nil || newW == nil {
			i--
			continue
		}
		self := analysis.NoNewConfigAccess(newW, newW, bucketName, analysis.DiffOptions{})
		require.Equal(t, analysis.Pass, self.Verdict, "a world gives no new access over itself: %s", reasonsText(self))
		res := analysis.NoNewConfigAccess(oldW, newW, bucketName, analysis.DiffOptions{})
		counts[res.Verdict]++
		if res.Verdict == analysis.Fail {
			checkConfigWitness(t, oldW, newW, res)
		}
		for range samples {
			w := &analysis.Witness{Principal: pick(r, cfgPropCallers), Action: pick(r, cfgPropActions), Bucket: bucketName,
				BucketOwner: ownerID, Kind: analysis.WitnessKindConfiguration, Time: "2025-01-01T00:00:00Z"}
			if info, _ := policy.LookupAction(w.Action); info.Resource == policy.ResourceObject {
				w.Key = pick(r, cfgPropKeys)
			}
			w.Keys = map[string][]string{"aws:SourceIp": {pick(r, []string{"10.1.2.3", "203.0.113.9"})}, "aws:SecureTransport": {pick(r, []string{"true", "false"})}}
			requests++
			dn, err := newW.ReplayWitness(w)
			require.NoError(t, err)
			if !dn.Allowed() {
				continue
			}
			do, err := oldW.ReplayWitness(w)
			require.NoError(t, err)
			if do.Allowed() {
				continue
			}
			newAccess++
			require.NotEqual(t, analysis.Pass, res.Verdict, "Pass, but %s is allowed by new and not by old\nold %+v\nnew %+v\nreasons: %s", w, oc, nc, reasonsText(res))
		}
	}
	t.Logf("pairs %d: PASS %d, FAIL %d, UNKNOWN %d; %d sampled requests, %d of them new access",
		pairs, counts[analysis.Pass], counts[analysis.Fail], counts[analysis.Unknown], requests, newAccess)
	require.Positive(t, counts[analysis.Pass])
	require.Positive(t, counts[analysis.Fail])
	require.Positive(t, newAccess)
}
