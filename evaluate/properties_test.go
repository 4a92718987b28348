package evaluate_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Properties every decision keeps, over generated bucket policies, identity
// policies, ACLs and requests (fixed seeds). The generators are those of
// reference_test.go; requests carry only readable condition values here.
// Unreadable ones are checked against the reference evaluator, which
// considers every statement whatever its place (TestReferenceIdentityPolicies
// and TestReferenceCases).

// propPrincipals are the callers: anonymous, the bucket owner's root, IAM
// users of the owner's account and of another, another account's root, and
// role sessions of both accounts.
func propPrincipals() []ownership.Principal {
	return []ownership.Principal{
		ownership.Anonymous(), root(acctA), user(acctA, "dave"), user(acctA, "alice"), user(acctB, "bob"),
		root(acctB), session(acctA, "admin", "s1"), session(acctB, "dev", "s2"),
	}
}

var (
	propBucketPrincipals = []string{
		`"Principal":"*"`, `"Principal":{"AWS":"*"}`, `"Principal":{"AWS":"` + acctA + `"}`,
		`"Principal":{"AWS":"arn:aws:iam::` + acctA + `:root"}`, `"Principal":{"AWS":"arn:aws:iam::` + acctA + `:user/dave"}`,
		`"Principal":{"AWS":["` + acctB + `","arn:aws:iam::` + acctA + `:user/alice"]}`, `"Principal":{"AWS":"arn:aws:iam::` + acctB + `:user/bob"}`,
		`"Principal":{"AWS":"arn:aws:iam::` + acctA + `:role/admin"}`, `"Principal":{"AWS":"arn:aws:sts::` + acctA + `:assumed-role/admin/s1"}`,
		`"Principal":{"CanonicalUser":"` + canonB + `"}`, `"NotPrincipal":{"AWS":["` + acctA + `","arn:aws:iam::` + acctA + `:user/dave"]}`,
		`"NotPrincipal":{"AWS":"` + acctB + `"}`,
	}
	propBucketActions = []string{
		"*", "s3:*", "s3:GetObject", "s3:Get*", "s3:ListBucket", "s3:List*", "s3:PutObject", "s3:DeleteObject", "s3:*Object",
		"s3:GetBucketPolicy", "s3:PutObjectTagging", "s3:GetObjectAcl", "s3:PutObjectAcl", "s3:GetBucketAcl",
	}
	propBucketResources = []string{
		"*", "arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*", "arn:aws:s3:::bkt*", "arn:aws:s3:::bkt/home/*",
		"arn:aws:s3:::bkt/home/${aws:username}/*", "arn:aws:s3:::bkt/k", "arn:aws:s3:::other/*", "arn:aws:s3:::bkt/${aws:username}*",
	}
	propRequestActions = []string{
		"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging", "s3:GetObjectAcl", "s3:PutObjectAcl",
		"s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketAcl", "s3:GetBucketPolicy", "s3:PutBucketTagging",
	}
)

func propBucketStatement(rng *rand.Rand, effect string) string {
	st, _ := genStatement(rng, genSpec{effect: effect, principal: genPick(rng, propBucketPrincipals), actions: propBucketActions, resources: propBucketResources})
	return st
}

func propIdentityStatement(rng *rand.Rand, effect string) string {
	st, _ := genStatement(rng, genSpec{effect: effect, actions: genActions, resources: genResources})
	return st
}

func propEffect(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		return "Deny"
	}
	return "Allow"
}

// propWorld is a generated situation: the statements of the bucket policy
// and of each identity policy, and what is stored.
type propWorld struct {
	bucket    []string   // bucket policy statements; none for no policy
	identity  [][]string // identity policies' statements
	mode      ownership.Mode
	objOwner  string
	bucketACL *acl.ACL
	objectACL *acl.ACL
}

func propGenWorld(rng *rand.Rand) *propWorld {
	w := &propWorld{mode: genPick(rng, []ownership.Mode{ownership.ObjectWriter, ownership.BucketOwnerEnforced}), objOwner: genPick(rng, []string{acctA, acctA, acctB})}
	if rng.IntN(5) != 0 {
		for range 1 + rng.IntN(5) {
			w.bucket = append(w.bucket, propBucketStatement(rng, propEffect(rng)))
		}
	}
	for range rng.IntN(4) {
		var stmts []string
		for range 1 + rng.IntN(4) {
			stmts = append(stmts, propIdentityStatement(rng, propEffect(rng)))
		}
		w.identity = append(w.identity, stmts)
	}
	return w
}

func propPolicyDoc(stmts []string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

func (w *propWorld) String() string {
	var b strings.Builder
	if len(w.bucket) > 0 {
		fmt.Fprintf(&b, "bucket policy: %s\n", propPolicyDoc(w.bucket))
	}
	for i, id := range w.identity {
		fmt.Fprintf(&b, "identity policy %d: %s\n", i, propPolicyDoc(id))
	}
	fmt.Fprintf(&b, "mode %s, object owner %s", w.mode, w.objOwner)
	return b.String()
}

// propPrepared is a world made ready: its prepared policies.
type propPrepared struct {
	w        *propWorld
	bucket   *evaluate.Prepared
	identity []*evaluate.Prepared
}

func (w *propWorld) prepare(t testing.TB) *propPrepared {
	t.Helper()
	pw := &propPrepared{w: w}
	if len(w.bucket) > 0 {
		pw.bucket = prep(t, policy.Bucket, propPolicyDoc(w.bucket))
	}
	for _, id := range w.identity {
		pw.identity = append(pw.identity, prep(t, policy.Identity, propPolicyDoc(id)))
	}
	return pw
}

// context is the evaluation context of req in the world: bucket "bkt" of
// account A, the object when the action is on one.
func (pw *propPrepared) context(dir ownership.Directory, req *evaluate.Request) evaluate.Context {
	ec := evaluate.Context{BucketPolicy: pw.bucket, Identity: pw.identity, Directory: dir}
	if req.Bucket == "" {
		ec.BucketPolicy = nil
		return ec
	}
	ec.Bucket = &ownership.Bucket{Name: req.Bucket, Owner: acctA, Mode: pw.w.mode}
	ec.BucketACL = pw.w.bucketACL
	if req.Key != "" {
		ec.Object = &ownership.Object{Bucket: req.Bucket, Key: req.Key, Owner: ownership.AccountOwner(ownership.AccountID(pw.w.objOwner))}
		ec.ObjectACL = pw.w.objectACL
	}
	return ec
}

// propRequest is a generated request and its description.
type propRequest struct {
	req  evaluate.Request
	desc string
}

func propGenRequest(rng *rand.Rand, principals []ownership.Principal) propRequest {
	r := genRequest(rng, false)
	r.bucket = "bkt"
	switch {
	case r.action == "s3:ListAllMyBuckets":
		r.bucket = ""
	case rng.IntN(2) == 0:
		r.action = genPick(rng, propRequestActions)
		info, _ := policy.LookupAction(r.action)
		r.key = ""
		if info.Resource == policy.ResourceObject {
			r.key = genPick(rng, genObjectKeys)
		}
	}
	req, _ := r.evaluation(nil, nil)
	req.Principal = genPick(rng, principals)
	_, rest, _ := strings.Cut(r.String(), ", ")
	return propRequest{req: req, desc: req.Principal.String() + ": " + rest}
}

func propSameOutcome(d1 evaluate.Decision, g1 evaluate.Diagnostic, d2 evaluate.Decision, g2 evaluate.Diagnostic) bool {
	return d1 == d2 && (g1.Err == nil) == (g2.Err == nil)
}

// propShuffled returns a copy of s in an order drawn from rng.
func propShuffled[T any](rng *rand.Rand, s []T) []T {
	out := slices.Clone(s)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// propScale is the number of generated worlds, smaller under -short and
// the race detector.
func propScale(n int) int {
	if testing.Short() || raceEnabled {
		return n / 5
	}
	return n
}

// TestPropertyOrderDoesNotMatter checks that the order of statements in the
// bucket policy and in each identity policy, and the order of the identity
// policies, never change a decision nor whether evaluation fails ("Policy
// evaluation logic" in the IAM User Guide: every applicable statement is
// considered). Which statement the reason names may differ.
func TestPropertyOrderDoesNotMatter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	dir := directory(t)
	principals := propPrincipals()
	var compared, failures int
	decisions := map[evaluate.Decision]int{}
	for range propScale(150) {
		w := propGenWorld(rng)
		perm := &propWorld{bucket: propShuffled(rng, w.bucket), mode: w.mode, objOwner: w.objOwner}
		for _, id := range propShuffled(rng, w.identity) {
			perm.identity = append(perm.identity, propShuffled(rng, id))
		}
		base, other := w.prepare(t), perm.prepare(t)
		for range 16 {
			r := propGenRequest(rng, principals)
			d1, g1 := evaluate.Evaluate(r.req, base.context(dir, &r.req))
			d2, g2 := evaluate.Evaluate(r.req, other.context(dir, &r.req))
			compared++
			decisions[d1]++
			if !propSameOutcome(d1, g1, d2, g2) {
				failures++
				if failures <= 5 {
					t.Errorf("order changed the decision\n%s\nreordered:\n%s\nrequest: %s\nfirst: %s (%+v, err %v)\nreordered: %s (%+v, err %v)",
						w, perm, r.desc, d1, g1.Reason, g1.Err, d2, g2.Reason, g2.Err)
				}
			}
		}
	}
	t.Logf("%d evaluations compared: %d allow, %d explicit deny, %d implicit deny",
		compared, decisions[evaluate.Allow], decisions[evaluate.ExplicitDeny], decisions[evaluate.ImplicitDeny])
	for _, d := range []evaluate.Decision{evaluate.Allow, evaluate.ExplicitDeny, evaluate.ImplicitDeny} {
		assert.Greater(t, decisions[d], compared/20, "the generator reaches %s often", d)
	}
}

// propInsertAt returns s with v inserted at index i.
func propInsertAt(s []string, i int, v string) []string {
	return slices.Insert(slices.Clone(s), i, v)
}

// withStatement returns a copy of w with one more statement, at a random
// place, in its bucket policy or in one of its identity policies (a new one
// when there is none).
func (w *propWorld) withStatement(rng *rand.Rand, effect string, inBucket bool) *propWorld {
	out := *w
	if inBucket {
		out.bucket = propInsertAt(w.bucket, rng.IntN(len(w.bucket)+1), propBucketStatement(rng, effect))
		return &out
	}
	out.identity = slices.Clone(w.identity)
	st := propIdentityStatement(rng, effect)
	if len(out.identity) == 0 {
		out.identity = [][]string{{st}}
		return &out
	}
	i := rng.IntN(len(out.identity))
	out.identity[i] = propInsertAt(out.identity[i], rng.IntN(len(out.identity[i])+1), st)
	return &out
}

// TestPropertyMoreStatements checks that a policy grows monotonically: an
// added Deny statement never turns a denied request into an allowed one, and
// an added Allow statement never turns an allowed request into a denied one
// ("Policy evaluation logic": an explicit deny overrides any allow, and an
// allow from any applicable statement counts), in bucket policies and
// identity policies alike. Block Public Access is off: with
// RestrictPublicBuckets an Allow that makes the policy public does restrict
// ("Blocking public access to your Amazon S3 storage").
func TestPropertyMoreStatements(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	dir := directory(t)
	principals := propPrincipals()
	var compared, failures int
	changed := map[string]int{}
	for range propScale(120) {
		w := propGenWorld(rng)
		base := w.prepare(t)
		inBucket := rng.IntN(2) == 0
		deny, allow := w.withStatement(rng, "Deny", inBucket), w.withStatement(rng, "Allow", inBucket)
		withDeny, withAllow := deny.prepare(t), allow.prepare(t)
		for range 16 {
			r := propGenRequest(rng, principals)
			d0, g0 := evaluate.Evaluate(r.req, base.context(dir, &r.req))
			dd, gd := evaluate.Evaluate(r.req, withDeny.context(dir, &r.req))
			da, ga := evaluate.Evaluate(r.req, withAllow.context(dir, &r.req))
			compared++
			if d0 != dd {
				changed["deny"]++
			}
			if d0 != da {
				changed["allow"]++
			}
			bad := ""
			switch {
			case !d0.Allowed() && dd.Allowed():
				bad = fmt.Sprintf("a Deny statement allowed it\nwith the Deny:\n%s\nbefore: %s (%+v, err %v)\nafter: %s (%+v)", deny, d0, g0.Reason, g0.Err, dd, gd.Reason)
			case d0.Allowed() && !da.Allowed():
				bad = fmt.Sprintf("an Allow statement denied it\nwith the Allow:\n%s\nbefore: %s (%+v)\nafter: %s (%+v, err %v)", allow, d0, g0.Reason, da, ga.Reason, ga.Err)
			}
			if bad != "" {
				failures++
				if failures <= 5 {
					t.Errorf("%s\nworld:\n%s\nrequest: %s", bad, w, r.desc)
				}
			}
		}
	}
	t.Logf("%d requests compared; an added Deny changed %d decisions, an added Allow %d",
		compared, changed["deny"], changed["allow"])
	assert.Greater(t, changed["deny"], compared/100, "added Deny statements matter")
	assert.Greater(t, changed["allow"], compared/100, "added Allow statements matter")
}

var propGrantees = []acl.Grantee{
	{Type: acl.CanonicalUser, ID: canonA}, {Type: acl.CanonicalUser, ID: canonB}, {Type: acl.CanonicalUser, ID: canonC},
	{Type: acl.Group, URI: acl.AllUsers}, {Type: acl.Group, URI: acl.AuthenticatedUsers},
}

func propACL(rng *rand.Rand, owner acl.CanonicalID) *acl.ACL {
	a := &acl.ACL{Owner: acl.User{ID: owner}}
	for range 2 + rng.IntN(4) {
		a.Grants = append(a.Grants, acl.Grant{Grantee: genPick(rng, propGrantees),
			Permission: genPick(rng, []acl.Permission{acl.Read, acl.Write, acl.ReadACP, acl.WriteACP, acl.FullControl})})
	}
	return a
}

// propWithoutGrant returns a copy of a without grant i.
func propWithoutGrant(a *acl.ACL, i int) *acl.ACL {
	return &acl.ACL{Owner: a.Owner, Grants: slices.Delete(slices.Clone(a.Grants), i, i+1)}
}

// TestPropertyFewerGrants checks that removing a grant from a bucket or
// object ACL never turns a denied request into an allowed one ("Access
// control list (ACL) overview": a grant only adds access), with ACLs enabled
// (ObjectWriter) and grants to canonical users, resolved through the
// directory, and to the AllUsers and AuthenticatedUsers groups.
func TestPropertyFewerGrants(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 5))
	dir := directory(t)
	principals := append(propPrincipals(), root(acctC), user(acctC, "carol"))
	owners := map[string]acl.CanonicalID{acctA: canonA, acctB: canonB, acctC: canonC}
	var compared, failures, allowed int
	for range propScale(150) {
		w := propGenWorld(rng)
		w.mode = ownership.ObjectWriter
		w.objOwner = genPick(rng, []string{acctA, acctB, acctC})
		if rng.IntN(2) == 0 {
			w.bucket = nil
		}
		w.bucketACL, w.objectACL = propACL(rng, canonA), propACL(rng, owners[w.objOwner])
		pw := w.prepare(t)
		for range 8 {
			r := propGenRequest(rng, principals)
			d0, g0 := evaluate.Evaluate(r.req, pw.context(dir, &r.req))
			if d0.Allowed() {
				allowed++
				continue
			}
			for _, which := range []string{"bucket", "object"} {
				a := w.bucketACL
				if which == "object" {
					a = w.objectACL
				}
				for i := range a.Grants {
					less := *pw
					lw := *w
					if which == "bucket" {
						lw.bucketACL = propWithoutGrant(a, i)
					} else {
						lw.objectACL = propWithoutGrant(a, i)
					}
					less.w = &lw
					d, g := evaluate.Evaluate(r.req, less.context(dir, &r.req))
					compared++
					if d.Allowed() {
						failures++
						if failures <= 5 {
							t.Errorf("removing %s ACL grant %d (%+v) allowed a denied request\nworld:\n%s\nbucket ACL: %+v\nobject ACL: %+v\nrequest: %s\nbefore: %s (%+v, err %v)\nafter: %s (%+v)",
								which, i, a.Grants[i], w, w.bucketACL.Grants, w.objectACL.Grants, r.desc, d0, g0.Reason, g0.Err, d, g.Reason)
						}
					}
				}
			}
		}
	}
	t.Logf("%d evaluations without one grant compared; %d requests allowed with every grant", compared, allowed)
	assert.Positive(t, allowed, "the generator reaches allowed requests")
}

// TestPropertyConcurrentEvaluations checks that evaluations sharing one
// prepared context from 8 goroutines each decide as a sequential evaluation
// does, with conditions and policy variables so that the pooled scratch
// space is used, and now and then a trace. The requests, their keys and
// their contexts (records, policies, directory) are built once and shared.
// It is meant for the race detector.
func TestPropertyConcurrentEvaluations(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 7))
	dir := directory(t)
	w := &propWorld{
		bucket: []string{
			`{"Sid":"Home","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/home/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}}`,
			`{"Sid":"List","Effect":"Allow","Principal":{"AWS":"` + acctB + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","public/*"]},"NumericLessThanEquals":{"s3:max-keys":"100"}}}`,
			`{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`,
		},
		identity: [][]string{
			{`{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b","team"]}}}`,
				`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:TokenIssueTime":"2020-06-15T12:00:00Z"}}}`},
			{`{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/${aws:username}*","Condition":{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"${aws:username}"}}}`},
		},
		mode:     ownership.ObjectWriter,
		objOwner: acctA,
	}
	pw := w.prepare(t)
	principals := propPrincipals()
	reqs := make([]propRequest, 64)
	ecs := make([]evaluate.Context, len(reqs))
	type outcome struct {
		d      evaluate.Decision
		reason evaluate.Reason
		err    bool
	}
	want := make([]outcome, len(reqs))
	for i := range reqs {
		reqs[i] = propGenRequest(rng, principals)
		reqs[i].req.Trace = i%5 == 0
		ecs[i] = pw.context(dir, &reqs[i].req)
		d, g := evaluate.Evaluate(reqs[i].req, ecs[i])
		want[i] = outcome{d, g.Reason, g.Err != nil}
	}
	decided := map[evaluate.Decision]int{}
	for _, o := range want {
		decided[o.d]++
	}
	require.Positive(t, decided[evaluate.Allow], "some requests are allowed")
	require.Positive(t, decided[evaluate.ExplicitDeny]+decided[evaluate.ImplicitDeny], "some are denied")

	rounds := 400
	if raceEnabled || testing.Short() {
		rounds = 150
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				k := (g*31 + i*7) % len(reqs)
				r := &reqs[k]
				d, diag := evaluate.Evaluate(r.req, ecs[k])
				if got := (outcome{d, diag.Reason, diag.Err != nil}); got != want[k] {
					errs <- fmt.Sprintf("goroutine %d, request %s: got %s (%+v), sequentially %s (%+v)", g, r.desc, d, diag.Reason, want[k].d, want[k].reason)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestPropertyCases pins cases the properties above found: a grant to the
// caller's account before or after one that names the caller directly (or
// everyone). AWS considers every statement of a policy and every grant of an
// ACL ("Policy evaluation logic"; "Access control list (ACL) overview"), so
// their order never matters, and the package's own rule is that a grant
// naming the caller directly (or everyone) lets an IAM caller of the
// resource owner's account in without an identity allow.
func TestPropertyCases(t *testing.T) {
	dir := directory(t)
	toAccount := `{"Effect":"Allow","Principal":{"AWS":"` + acctA + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`
	toUser := `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:user/dave"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`
	accountGrant := acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.Read}
	publicGrant := acl.Grant{Grantee: acl.Grantee{Type: acl.Group, URI: acl.AllUsers}, Permission: acl.Read}
	tests := []struct {
		name   string
		bucket []string    // bucket policy statements
		grants []acl.Grant // object ACL grants; nil for the default ACL
	}{
		{"bucket policy: the user's grant before the account's", []string{toUser, toAccount}, nil},
		{"bucket policy: the account's grant before the user's", []string{toAccount, toUser}, nil},
		{"object ACL: AllUsers before the account", nil, []acl.Grant{publicGrant, accountGrant}},
		{"object ACL: the account before AllUsers", nil, []acl.Grant{accountGrant, publicGrant}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := &propWorld{bucket: tc.bucket, mode: ownership.ObjectWriter, objOwner: acctA}
			if tc.grants != nil {
				w.objectACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: tc.grants}
			}
			pw := w.prepare(t)
			req := getObject(user(acctA, "dave"))
			d, diag := evaluate.Evaluate(req, pw.context(dir, &req))
			assert.Equal(t, evaluate.Allow, d, "%+v", diag.Reason)
		})
	}
}
