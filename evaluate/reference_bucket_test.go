package evaluate_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks Evaluate against a reference evaluator for a single
// bucket policy. The world: bucket "bkt" of account A under
// BucketOwnerEnforced (ACLs take no part, A owns every object), a bucket
// policy and nothing else — no identity policy, no permissions boundary, no
// session policy, no Block Public Access, no DevPay. The callers: the
// anonymous user, the root users of A and of another account B, an IAM user
// of each account and a role session of A.
//
// The reference reads AWS's "Policy evaluation logic", "Cross-account policy
// evaluation logic", the IAM pages on resource-based policies, Principal and
// NotPrincipal, and Amazon S3's pages on bucket policies. In this world they
// come to these rules:
//
//   - Bucket policy actions (s3:GetBucketPolicy, s3:PutBucketPolicy,
//     s3:DeleteBucketPolicy): the root user of the account that owns the
//     bucket may always perform them, even when the policy denies it, so
//     that the owner can never lock itself out. Callers outside the owner's
//     account may never perform them, whatever the policy grants; a Deny
//     that matches is still an explicit deny.
//   - A Deny statement that applies to the caller decides: explicit deny.
//     It applies when its Principal names the caller at any level — everyone,
//     the caller's account, its role, itself — or its NotPrincipal leaves
//     the caller in.
//   - The root user of the bucket owner's account owns the bucket and its
//     objects, so it needs no grant.
//   - An IAM principal of another account needs its own account's
//     permission, an identity policy, besides the bucket owner's grant; it
//     has none here, so it is never allowed.
//   - Everyone else needs an Allow statement that grants the request to it:
//     the anonymous user only through "*" or {"AWS": "*"}; a root user
//     through its account ID, its root ARN or "*"; an IAM principal of the
//     bucket owner's account through a statement naming it — the user's ARN,
//     the session's ARN, or the role of the session (which is limited by no
//     boundary and no session policy here) — or "*". A statement naming only
//     the account grants the account, which delegates to its principals
//     through their identity policies; here there are none, so it allows
//     nothing. A NotPrincipal that leaves the caller in names it as "*"
//     does.
//   - NotPrincipal leaves out a caller only when every level of its identity
//     is listed: the account for a root user; the user's ARN and its account
//     for a user; the session's ARN, its role's ARN and its account for a
//     role session. The anonymous user has no level but everyone.
//   - A user is named by account and name, whatever the path in the policy
//     (the package documents this; IAM names are unique in an account).
//
// A condition that cannot read a request value is neither true nor false
// (the package fails closed): a Deny that cannot be decided denies with an
// error unless another Deny applies. An Allow that cannot be decided counts
// as not matching, and the deny that results carries the error (the
// package's documentation) unless another Allow grants the request. The
// Allows that count are those the evaluation of grants reads: every Allow
// whose Principal names the caller at any level, or whose NotPrincipal
// leaves it in, for every caller but the owner's root (which needs no
// grant) and for every action but the bucket policy ones asked by another
// account (refused before any grant is read). The package drops that error
// when another such Allow matches without granting; the random comparison
// counts those cases apart and TestReferenceBucketCases pins one.

// bktLevel is how a principal entry names the caller, weakest first.
type bktLevel int8

const (
	bktNone    bktLevel = iota
	bktAccount          // the caller's account, for an IAM principal
	bktRole             // the role of a role session
	bktSelf             // the caller itself: its user or session ARN, or the root user by its account
)

// bktCallerKind is the kind of a caller of this world.
type bktCallerKind int8

const (
	bktAnonymous bktCallerKind = iota
	bktRoot
	bktUser
	bktSession
)

// bktCaller is one caller: what it is, and the parts of its identity a
// Principal entry can name.
type bktCaller struct {
	label   string
	kind    bktCallerKind
	account string // "" for the anonymous user
	arn     string // "" for the anonymous user
	name    string // the user name, or the role name of a session
}

var (
	bktAnon     = bktCaller{label: "anonymous", kind: bktAnonymous}
	bktRootA    = bktCaller{label: "root of A", kind: bktRoot, account: acctA, arn: "arn:aws:iam::" + acctA + ":root"}
	bktDave     = bktCaller{label: "user dave of A", kind: bktUser, account: acctA, arn: "arn:aws:iam::" + acctA + ":user/dave", name: "dave"}
	bktDivDave  = bktCaller{label: "user div/dave of A", kind: bktUser, account: acctA, arn: "arn:aws:iam::" + acctA + ":user/div/dave", name: "dave"}
	bktSessionA = bktCaller{label: "session Admin/s1 of A", kind: bktSession, account: acctA, arn: "arn:aws:sts::" + acctA + ":assumed-role/Admin/s1", name: "Admin"}
	bktRootB    = bktCaller{label: "root of B", kind: bktRoot, account: acctB, arn: "arn:aws:iam::" + acctB + ":root"}
	bktBob      = bktCaller{label: "user bob of B", kind: bktUser, account: acctB, arn: "arn:aws:iam::" + acctB + ":user/bob", name: "bob"}

	bktCallers = []bktCaller{bktAnon, bktRootA, bktDave, bktDivDave, bktSessionA, bktRootB, bktBob}
)

func (c *bktCaller) iam() bool { return c.kind == bktUser || c.kind == bktSession }

func (c *bktCaller) principal() ownership.Principal {
	if c.kind == bktAnonymous {
		return ownership.Anonymous()
	}
	return ownership.MustParsePrincipal(c.arn)
}

// level reads one {"AWS": ...} entry — an account ID, or an IAM or STS ARN —
// and tells how it names the caller.
func (c *bktCaller) level(entry string) bktLevel {
	if c.kind == bktAnonymous {
		return bktNone
	}
	account := func(id string) bktLevel {
		switch {
		case id != c.account:
			return bktNone
		case c.kind == bktRoot:
			return bktSelf
		}
		return bktAccount
	}
	if len(entry) == 12 && strings.Trim(entry, "0123456789") == "" {
		return account(entry)
	}
	f := strings.SplitN(entry, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[1] != "aws" || f[4] != c.account {
		return bktNone
	}
	last := func(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }
	switch {
	case f[2] == "iam" && f[5] == "root":
		return account(f[4])
	case f[2] == "iam" && strings.HasPrefix(f[5], "user/"):
		if c.kind == bktUser && last(f[5]) == c.name {
			return bktSelf
		}
	case f[2] == "iam" && strings.HasPrefix(f[5], "role/"):
		if c.kind == bktSession && last(f[5]) == c.name {
			return bktRole
		}
	case f[2] == "sts":
		if entry == c.arn {
			return bktSelf
		}
	}
	return bktNone
}

// bktEveryone reports whether a Principal element names everyone: "*" or
// {"AWS": "*"} (the parser takes "*" only as the sole AWS entry).
func bktEveryone(pr *policy.Principals) bool {
	return pr.All || slices.Contains(pr.AWS, "*")
}

// named is the strongest level at which a Principal element names the
// caller; everyone names it itself. Service entries name no caller here.
func (c *bktCaller) named(pr *policy.Principals) bktLevel {
	if bktEveryone(pr) {
		return bktSelf
	}
	best := bktNone
	for _, e := range pr.AWS {
		best = max(best, c.level(e))
	}
	return best
}

// excluded reports whether a NotPrincipal element leaves the caller out:
// everyone listed, or every level of its identity listed.
func (c *bktCaller) excluded(pr *policy.Principals) bool {
	if bktEveryone(pr) {
		return true
	}
	listed := map[bktLevel]bool{}
	for _, e := range pr.AWS {
		listed[c.level(e)] = true
	}
	switch c.kind {
	case bktRoot:
		return listed[bktSelf]
	case bktUser:
		return listed[bktAccount] && listed[bktSelf]
	case bktSession:
		return listed[bktAccount] && listed[bktRole] && listed[bktSelf]
	}
	return false
}

// partial reports whether a NotPrincipal element lists some level of the
// caller's identity, but not all (the caller stays in).
func (c *bktCaller) partial(pr *policy.Principals) bool {
	if c.excluded(pr) {
		return false
	}
	for _, e := range pr.AWS {
		if c.level(e) != bktNone {
			return true
		}
	}
	return false
}

// reach is how a statement's Principal or NotPrincipal names the caller;
// bktNone when the statement does not apply to it.
func (c *bktCaller) reach(st *policy.Statement) bktLevel {
	if st.NotPrincipal != nil {
		if c.excluded(st.NotPrincipal) {
			return bktNone
		}
		return bktSelf
	}
	return c.named(st.Principal)
}

// granted reports whether an Allow statement naming the caller at level l
// grants it the request on its own.
func (c *bktCaller) granted(l bktLevel) bool {
	if c.kind == bktSession {
		return l >= bktRole
	}
	return l == bktSelf
}

// context is the request context of r for the caller: the keys the request
// supplies, then the global keys AWS sets from the caller and the bucket.
// For the anonymous user the package documents aws:PrincipalAccount and
// aws:userid as "anonymous" and aws:PrincipalType as "Anonymous"; it has no
// aws:PrincipalArn and, the request being unsigned, no
// aws:PrincipalIsAWSService.
func (c *bktCaller) context(r *refRequest) refContext {
	ctx := refContext{}
	for _, k := range r.keys {
		if n := strings.ToLower(k.name); !refDerived(n) {
			ctx[n] = k.values
		}
	}
	set := func(k, v string) { ctx[k] = []string{v} }
	switch c.kind {
	case bktAnonymous:
		set("aws:principalaccount", "anonymous")
		set("aws:principaltype", "Anonymous")
		set("aws:userid", "anonymous")
	case bktRoot:
		set("aws:principalarn", c.arn)
		set("aws:principaltype", "Account")
		set("aws:userid", c.account)
	case bktUser:
		set("aws:principalarn", c.arn)
		set("aws:principaltype", "User")
		set("aws:username", c.name)
	case bktSession:
		// A session's aws:PrincipalArn is its role's ARN.
		set("aws:principalarn", "arn:aws:iam::"+c.account+":role/"+c.name)
		set("aws:principaltype", "AssumedRole")
	}
	if c.kind != bktAnonymous {
		set("aws:principalaccount", c.account)
		set("aws:principalisawsservice", "false")
	}
	set("s3:resourceaccount", acctA)
	set("aws:resourceaccount", acctA)
	when := r.time // always in the context; the host's clock without a request time
	if when.IsZero() {
		when = refClock()
	}
	set("aws:currenttime", when.UTC().Format(time.RFC3339))
	set("aws:epochtime", strconv.FormatInt(when.Unix(), 10))
	for _, t := range r.tags {
		set("aws:principaltag/"+strings.ToLower(t.Key), t.Value)
	}
	ctx.defaults()
	ctx.restrict(r.action)
	return ctx
}

// bktPolicyActions are the actions only the bucket owner's account may
// perform, and its root user always.
var bktPolicyActions = []string{"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}

// bktDecide is the reference decision for caller c and request r (whose
// bucket is "bkt") under bucket policy p. An Allow that cannot be evaluated
// counts as not matching; when the request is then denied, the deny carries
// an error if that Allow names the caller more strongly than every Allow
// that matched (it might have granted what they did not).
func bktDecide(p *policy.Policy, c *bktCaller, r *refRequest, ctx refContext) refResult {
	policyAction := slices.Contains(bktPolicyActions, r.action)
	owner := c.account == acctA
	if policyAction && owner && c.kind == bktRoot {
		return refResult{d: evaluate.Allow} // lock-out protection, before any Deny
	}
	vars := p.Version == policy.Version2012
	// deny and grant are the Kleene OR of the applicable Deny statements
	// and of the Allow statements that grant the caller the request;
	// failed and matched are the strongest levels at which an applicable
	// Allow could not be evaluated, and at which one matched.
	deny, grant := refNo, refNo
	failed, matched := bktNone, bktNone
	for i := range p.Statements {
		st := &p.Statements[i]
		l := c.reach(st)
		if l == bktNone {
			continue
		}
		m := refStatement(st, vars, r, ctx)
		if st.Effect == policy.Deny {
			deny = triOr(deny, m)
			continue
		}
		if m == refErr {
			failed = max(failed, l)
		}
		if m == refYes {
			matched = max(matched, l)
		}
		if c.granted(l) && !(c.iam() && !owner) {
			// An IAM principal of another account is granted nothing
			// here: it has no identity policy of its own.
			grant = triOr(grant, m)
		}
	}
	switch {
	case deny == refYes:
		return refResult{d: evaluate.ExplicitDeny}
	case deny == refErr:
		return refResult{err: true}
	case policyAction && !owner:
		return refResult{d: evaluate.ImplicitDeny}
	case owner && c.kind == bktRoot:
		return refResult{d: evaluate.Allow}
	case grant == refYes:
		return refResult{d: evaluate.Allow}
	case failed > matched:
		return refResult{err: true}
	}
	return refResult{d: evaluate.ImplicitDeny}
}

// bktEvaluation builds the library's request and context.
func bktEvaluation(dir ownership.Directory, pp *evaluate.Prepared, c *bktCaller, r *refRequest) (evaluate.Request, evaluate.Context) {
	req := evaluate.Request{
		Principal:     c.principal(),
		Action:        r.action,
		Bucket:        r.bucket,
		Key:           r.key,
		Time:          r.time,
		PrincipalTags: r.tags,
	}
	if len(r.keys) > 0 {
		req.Keys = &evaluate.Keys{}
		for _, k := range r.keys {
			req.Keys.Set(k.name, k.values...)
		}
	}
	ec := evaluate.Context{
		Bucket:       &ownership.Bucket{Name: r.bucket, Owner: acctA}, // the zero Mode: BucketOwnerEnforced
		BucketPolicy: pp,
		Directory:    dir,
		Now:          refClock,
	}
	if r.key != "" {
		ec.Object = &ownership.Object{Bucket: r.bucket, Key: r.key, Owner: ownership.AccountOwner(acctA)}
	}
	return req, ec
}

// bktDescribe writes a request for failure messages.
func bktDescribe(c *bktCaller, r *refRequest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s on %s", c.label, r.action, r.resource())
	for _, k := range r.keys {
		fmt.Fprintf(&b, ", %s=%q", k.name, k.values)
	}
	if !r.time.IsZero() {
		fmt.Fprintf(&b, ", time %s", r.time.Format(time.RFC3339))
	}
	for _, t := range r.tags {
		fmt.Fprintf(&b, ", tag %s=%s", t.Key, t.Value)
	}
	return b.String()
}

// --- Generation ---

var (
	bktUserDave    = "arn:aws:iam::" + acctA + ":user/dave"
	bktUserDivDave = "arn:aws:iam::" + acctA + ":user/div/dave"
	bktRoleAdmin   = "arn:aws:iam::" + acctA + ":role/Admin"
	bktSessionS1   = "arn:aws:sts::" + acctA + ":assumed-role/Admin/s1"
	bktRootARNA    = "arn:aws:iam::" + acctA + ":root"
	bktRootARNB    = "arn:aws:iam::" + acctB + ":root"
	bktUserBob     = "arn:aws:iam::" + acctB + ":user/bob"

	// bktEntries are the {"AWS": ...} entries statements draw from.
	bktEntries = []string{
		acctA, bktRootARNA, acctB, bktRootARNB, bktUserDave, bktUserDivDave, "arn:aws:iam::" + acctA + ":user/alice",
		bktRoleAdmin, bktSessionS1, "arn:aws:sts::" + acctA + ":assumed-role/Admin/s2", "arn:aws:iam::" + acctA + ":role/Other", bktUserBob,
	}
	// bktChains are sets of entries that list several levels of one
	// caller's identity, all of them or some, for NotPrincipal.
	bktChains = [][]string{
		{acctA, bktUserDave}, {bktRootARNA, bktUserDivDave}, {bktUserDave}, {acctA},
		{acctA, bktRoleAdmin, bktSessionS1}, {bktRootARNA, bktRoleAdmin, bktSessionS1}, {bktRoleAdmin, bktSessionS1},
		{acctA, bktSessionS1}, {acctA, bktRoleAdmin}, {acctB, bktUserBob}, {bktRootARNB}, {bktUserBob},
	}
	bktService = `"Service":"logging.s3.amazonaws.com"`

	// bktActions are the Action patterns of statements: those of the
	// identity generator that a bucket policy takes (s3 only), and the
	// bucket policy actions.
	bktActions = append(slices.DeleteFunc(slices.Clone(genActions), func(a string) bool {
		return a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:")
	}), "s3:GetBucketPolicy", "s3:DeleteBucketPolicy", "s3:*BucketPolicy")
	// bktResources are the identity generator's resources that a bucket
	// policy takes (s3 only).
	bktResources = slices.DeleteFunc(slices.Clone(genResources), func(r string) bool {
		return r != "*" && strings.SplitN(r, ":", 4)[2] != "s3"
	})

	// Requested actions. The ACL-setting actions are left out: Object
	// Ownership refuses them under BucketOwnerEnforced whatever the policy.
	bktObjectActions = []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion",
		"s3:GetObjectTagging", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:GetObjectAcl"}
	bktBucketActions = []string{"s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketTagging", "s3:PutBucketTagging", "s3:GetBucketLocation"}
)

// genBucketPrincipal writes a statement's Principal or NotPrincipal member.
func genBucketPrincipal(rng *rand.Rand) string {
	elem := "Principal"
	if rng.IntN(4) == 0 {
		elem = "NotPrincipal"
	}
	var value string
	switch n := rng.IntN(12); {
	case n == 0:
		value = `"*"`
	case n == 1:
		value = `{"AWS":"*"}`
	case n == 2:
		value = `{"AWS":"*",` + bktService + `}`
	case n == 3:
		value = "{" + bktService + "}"
	default:
		var entries []string
		if elem == "NotPrincipal" || n < 6 {
			entries = slices.Clone(genPick(rng, bktChains))
			if rng.IntN(3) == 0 {
				entries = append(entries, genPick(rng, bktEntries))
			}
		} else {
			for range 1 + rng.IntN(3) {
				entries = append(entries, genPick(rng, bktEntries))
			}
		}
		rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
		quoted := make([]string, len(entries))
		for i, e := range entries {
			quoted[i] = genJSONString(e)
		}
		aws := quoted[0]
		if len(quoted) > 1 || rng.IntN(2) == 0 {
			aws = "[" + strings.Join(quoted, ",") + "]"
		}
		value = `{"AWS":` + aws
		if rng.IntN(6) == 0 {
			value += "," + bktService
		}
		value += "}"
	}
	return fmt.Sprintf("%q:%s", elem, value)
}

// genBucketPolicy returns a random bucket policy of one to four statements.
func genBucketPolicy(rng *rand.Rand) string {
	doc, _ := genDocument(rng, func(sp *genSpec) {
		sp.principal, sp.actions, sp.resources = genBucketPrincipal(rng), bktActions, bktResources
	})
	return doc
}

// genBucketRequest returns a random caller and request on bucket "bkt",
// with the condition keys, time and (for IAM callers) tags of genRequest.
func genBucketRequest(rng *rand.Rand) (*bktCaller, *refRequest) {
	c := &bktCallers[rng.IntN(len(bktCallers))]
	r := genRequest(rng, true)
	r.user, r.bucket, r.key, r.enforced = "", "bkt", "", true
	switch n := rng.IntN(12); {
	case n < 6:
		r.action, r.key = genPick(rng, bktObjectActions), genPick(rng, genObjectKeys)
	case n < 10:
		r.action = genPick(rng, bktBucketActions)
	default:
		r.action = genPick(rng, bktPolicyActions)
	}
	if !c.iam() {
		r.tags = nil
	}
	return c, r
}

// bktStats counts what the random comparison reached.
type bktStats struct {
	outcomes      map[string]map[string]int // by caller label, then outcome
	partialNotP   int                       // a NotPrincipal listing some levels of the caller left it in
	excludedNotP  int                       // a NotPrincipal listing every level left the caller out
	lockOutOnDeny int                       // the owner's root managed its policy over a matching Deny
	delegations   int                       // an Allow naming only the caller's account matched, and granted nothing
}

func (s *bktStats) add(p *policy.Policy, c *bktCaller, r *refRequest, ctx refContext, want refResult) {
	out := want.String()
	if s.outcomes[c.label] == nil {
		s.outcomes[c.label] = map[string]int{}
	}
	s.outcomes[c.label][out]++
	vars := p.Version == policy.Version2012
	for i := range p.Statements {
		st := &p.Statements[i]
		if st.NotPrincipal != nil && refStatement(st, vars, r, ctx) == refYes {
			switch {
			case c.partial(st.NotPrincipal):
				s.partialNotP++
			case c.kind != bktAnonymous && !bktEveryone(st.NotPrincipal) && c.excluded(st.NotPrincipal):
				s.excludedNotP++
			}
		}
		if st.Principal != nil && c.named(st.Principal) == bktAccount && st.Effect == policy.Allow &&
			refStatement(st, vars, r, ctx) == refYes && want.d != evaluate.Allow {
			s.delegations++
		}
		if st.Effect == policy.Deny && c.label == bktRootA.label && slices.Contains(bktPolicyActions, r.action) &&
			c.reach(st) != bktNone && refStatement(st, vars, r, ctx) == refYes {
			s.lockOutOnDeny++
		}
	}
}

// TestReferenceBucketPolicies compares Evaluate with the reference on random
// bucket policies and requests: one to four statements of both effects whose
// Principal or NotPrincipal names everyone, a service, or accounts, users,
// roles and sessions of the bucket owner's account and another, with the
// actions, resources and conditions of the identity generator, asked by
// every caller of this world.
func TestReferenceBucketPolicies(t *testing.T) {
	policies, requests := 2000, 8
	if testing.Short() || raceEnabled {
		policies = 300
	}
	rng := rand.New(rand.NewPCG(20240616, 2))
	dir := directory(t)
	stats := &bktStats{outcomes: map[string]map[string]int{}}
	var compared, failures int
	for range policies {
		doc := genBucketPolicy(rng)
		p, err := policy.Parse(policy.Bucket, []byte(doc))
		require.NoError(t, err, "the generator writes valid documents: %s", doc)
		pp, err := evaluate.Prepare(p)
		require.NoError(t, err, doc)
		for range requests {
			c, r := genBucketRequest(rng)
			ctx := c.context(r)
			want := bktDecide(p, c, r, ctx)
			stats.add(p, c, r, ctx, want)
			req, ec := bktEvaluation(dir, pp, c, r)
			d, diag := evaluate.Evaluate(req, ec)
			compared++
			if refAgree(want, d, diag) {
				continue
			}
			failures++
			if failures <= 10 {
				t.Errorf("disagreement\npolicy:  %s\nrequest: %s\nwant:    %s\ngot:     %s (%+v, err %v)", doc, bktDescribe(c, r), want, d, diag.Reason, diag.Err)
			}
		}
	}
	t.Logf("%d policies, %d evaluations compared; NotPrincipal: %d partial listings applied, %d full listings excluded; %d lock-outs over a Deny; %d account grants that allowed nothing",
		policies, compared, stats.partialNotP, stats.excludedNotP, stats.lockOutOnDeny, stats.delegations)
	for _, c := range bktCallers {
		t.Logf("%-22s %v", c.label, stats.outcomes[c.label])
	}
	assert.Zero(t, failures, "disagreements with the reference")

	allow, explicit, implicit, failed := evaluate.Allow.String(), evaluate.ExplicitDeny.String(), evaluate.ImplicitDeny.String(), refResult{err: true}.String()
	errs := 0
	for _, c := range bktCallers {
		o := stats.outcomes[c.label]
		errs += o[failed]
		assert.Positive(t, o[explicit], "%s meets explicit denies", c.label)
		switch {
		case c.label == bktBob.label:
			assert.Zero(t, o[allow], "an IAM user of another account without an identity policy is never allowed")
		case c.label == bktRootA.label:
			assert.Greater(t, o[allow], o[explicit], "the owner's root passes unless denied")
		default:
			assert.Positive(t, o[allow], "%s is allowed at times", c.label)
			assert.Positive(t, o[implicit], "%s is implicitly denied at times", c.label)
		}
	}
	assert.Greater(t, errs, compared/500, "conditions that cannot be evaluated are reached")
	assert.Positive(t, stats.partialNotP, "NotPrincipal listing part of an identity is generated")
	assert.Positive(t, stats.excludedNotP, "NotPrincipal listing a whole identity is generated")
	assert.Positive(t, stats.lockOutOnDeny, "lock-out protection over a Deny is reached")
	assert.Positive(t, stats.delegations, "grants to the account alone are reached")
}

// TestReferenceBucketCases pins cases of the bucket policy world: the
// reference's answer, then the library's. Each row names the AWS
// documentation whose rule it checks.
func TestReferenceBucketCases(t *testing.T) {
	doc := func(stmts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	stmt := func(effect, principal, action string) string {
		return `{"Effect":"` + effect + `",` + principal + `,"Action":"` + action + `","Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]}`
	}
	aws := func(entries ...string) string {
		q := make([]string, len(entries))
		for i, e := range entries {
			q[i] = genJSONString(e)
		}
		return `"Principal":{"AWS":[` + strings.Join(q, ",") + `]}`
	}
	notAWS := func(entries ...string) string { return "\"Not" + strings.TrimPrefix(aws(entries...), "\"") }
	// unreadable is an Allow whose condition cannot read s3:signatureAge="ten".
	unreadable := func(principal string) string {
		return `{"Effect":"Allow",` + principal + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"NumericLessThan":{"s3:signatureAge":"10"}}}`
	}
	get := &refRequest{action: "s3:GetObject", bucket: "bkt", key: "k"}
	getTen := &refRequest{action: "s3:GetObject", bucket: "bkt", key: "k", keys: []refKey{{name: "s3:signatureAge", values: []string{"ten"}}}}
	getPolicy := &refRequest{action: "s3:GetBucketPolicy", bucket: "bkt"}
	allow, implicit, explicit, failed := refResult{d: evaluate.Allow}, refResult{d: evaluate.ImplicitDeny}, refResult{d: evaluate.ExplicitDeny}, refResult{err: true}

	tests := []struct {
		name   string
		aws    string // the AWS documentation the row relies on
		policy string
		caller *bktCaller
		req    *refRequest
		want   refResult
	}{
		{"owner root manages its policy despite a Deny", "Amazon S3: bucket policy lock-out protection for the root user",
			doc(stmt("Deny", `"Principal":"*"`, "s3:*")), &bktRootA, getPolicy, allow},
		{"owner root needs no grant", "Amazon S3: how Amazon S3 authorizes a request (bucket owner)",
			doc(stmt("Allow", aws(acctB), "s3:*")), &bktRootA, get, allow},
		{"owner root is denied explicitly", "Policy evaluation logic",
			doc(stmt("Deny", aws(bktRootARNA), "s3:GetObject")), &bktRootA, get, explicit},
		{"owner root: a Deny that cannot be evaluated fails closed", "Policy evaluation logic",
			doc(`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"s3:signatureAge":"10"}}}`),
			&bktRootA, getTen, failed},
		{"another account may not read the policy despite a grant", "Amazon S3 API: GetBucketPolicy",
			doc(stmt("Allow", aws(acctB), "s3:GetBucketPolicy")), &bktRootB, getPolicy, implicit},
		{"another account: a matching Deny is still explicit", "Amazon S3 API: GetBucketPolicy",
			doc(stmt("Deny", `"Principal":"*"`, "s3:GetBucketPolicy"), stmt("Allow", aws(acctB), "s3:GetBucketPolicy")), &bktRootB, getPolicy, explicit},
		{"the owner's user reads the policy when named", "Amazon S3 API: GetBucketPolicy",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetBucketPolicy")), &bktDave, getPolicy, allow},
		{"an account grant is a delegation for the owner's user", "Cross-account policy evaluation logic; resource-based policies",
			doc(stmt("Allow", aws(acctA), "s3:GetObject")), &bktDave, get, implicit},
		{"a root ARN grant is a delegation for the owner's session", "IAM JSON policy elements: Principal (AWS account principals)",
			doc(stmt("Allow", aws(bktRootARNA), "s3:GetObject")), &bktSessionA, get, implicit},
		{"a role grant allows its session", "IAM JSON policy elements: Principal (IAM role principals)",
			doc(stmt("Allow", aws(bktRoleAdmin), "s3:GetObject")), &bktSessionA, get, allow},
		{"a session grant allows the session", "IAM JSON policy elements: Principal (role session principals)",
			doc(stmt("Allow", aws(bktSessionS1), "s3:GetObject")), &bktSessionA, get, allow},
		{"a user is named whatever the path", "IAM JSON policy elements: Principal (IAM user principals)",
			doc(stmt("Allow", aws(bktUserDivDave), "s3:GetObject")), &bktDave, get, allow},
		{"anonymous through AWS star", "IAM JSON policy elements: Principal (anonymous principals)",
			doc(stmt("Allow", `"Principal":{"AWS":"*"}`, "s3:GetObject")), &bktAnon, get, allow},
		{"anonymous not through an account", "IAM JSON policy elements: Principal (anonymous principals)",
			doc(stmt("Allow", aws(acctA), "s3:GetObject")), &bktAnon, get, implicit},
		{"another account's root through its account ID", "Cross-account policy evaluation logic",
			doc(stmt("Allow", aws(acctB), "s3:GetObject")), &bktRootB, get, allow},
		{"another account's root through its root ARN", "Cross-account policy evaluation logic",
			doc(stmt("Allow", aws(bktRootARNB), "s3:GetObject")), &bktRootB, get, allow},
		{"another account's user needs its own identity policy", "Cross-account policy evaluation logic",
			doc(stmt("Allow", `"Principal":"*"`, "s3:GetObject"), stmt("Allow", aws(bktUserBob), "s3:GetObject")), &bktBob, get, implicit},
		{"a service principal names no caller", "IAM JSON policy elements: Principal (service principals)",
			doc(stmt("Allow", `"Principal":{"Service":"logging.s3.amazonaws.com"}`, "s3:GetObject")), &bktRootB, get, implicit},
		{"a Deny naming the account applies to its user", "IAM JSON policy elements: Principal (AWS account principals)",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject"), stmt("Deny", aws(acctA), "s3:GetObject")), &bktDave, get, explicit},
		{"a Deny naming the role applies to its session", "IAM JSON policy elements: Principal (IAM role principals)",
			doc(stmt("Allow", aws(bktSessionS1), "s3:GetObject"), stmt("Deny", aws(bktRoleAdmin), "s3:GetObject")), &bktSessionA, get, explicit},
		{"NotPrincipal listing a user without its account leaves it in", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject"), stmt("Deny", notAWS(bktUserDave), "s3:GetObject")), &bktDave, get, explicit},
		{"NotPrincipal listing a user and its account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject"), stmt("Deny", notAWS(bktUserDave, acctA), "s3:GetObject")), &bktDave, get, allow},
		{"NotPrincipal listing a session and its role leaves it in", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktRoleAdmin), "s3:GetObject"), stmt("Deny", notAWS(bktSessionS1, bktRoleAdmin), "s3:GetObject")), &bktSessionA, get, explicit},
		{"NotPrincipal listing a session, its role and its account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktRoleAdmin), "s3:GetObject"), stmt("Deny", notAWS(bktSessionS1, bktRoleAdmin, bktRootARNA), "s3:GetObject")), &bktSessionA, get, allow},
		{"NotPrincipal listing the root's account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Deny", notAWS(acctA), "s3:GetObject")), &bktRootA, get, allow},
		{"an Allow with NotPrincipal grants the anonymous user", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", notAWS(acctB), "s3:GetObject")), &bktAnon, get, allow},
		{"an Allow that cannot be evaluated leaves an error", "Policy evaluation logic",
			doc(unreadable(aws(bktUserDave))), &bktDave, getTen, failed},
		{"an account Allow that cannot be evaluated leaves an error", "Policy evaluation logic",
			doc(unreadable(aws(acctA))), &bktDave, getTen, failed},
		{"a matching account Allow does not hide the error of a user Allow", "Policy evaluation logic",
			doc(stmt("Allow", aws(acctA), "s3:GetObject"), unreadable(aws(bktUserDave))), &bktDave, getTen, failed},
		{"an account Allow that cannot be evaluated beside a matching one leaves no error", "Policy evaluation logic",
			doc(stmt("Allow", aws(acctA), "s3:GetObject"), unreadable(aws(acctA))), &bktDave, getTen, implicit},
	}
	dir := directory(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEmpty(t, tc.aws, "each row cites the documentation it relies on")
			p, err := policy.Parse(policy.Bucket, []byte(tc.policy))
			require.NoError(t, err)
			pp, err := evaluate.Prepare(p)
			require.NoError(t, err)
			got := bktDecide(p, tc.caller, tc.req, tc.caller.context(tc.req))
			require.Equal(t, tc.want, got, "the reference")
			req, ec := bktEvaluation(dir, pp, tc.caller, tc.req)
			d, diag := evaluate.Evaluate(req, ec)
			assert.True(t, refAgree(tc.want, d, diag), "want %s, got %s (%+v, err %v)", tc.want, d, diag.Reason, diag.Err)
		})
	}
}
