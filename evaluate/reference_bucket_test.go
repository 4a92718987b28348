package evaluate_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks Evaluate against a reference evaluator for a single
// bucket policy and the ACLs. The world: bucket "bkt" of account A, either
// under BucketOwnerEnforced (ACLs take no part, A owns every object) or
// under ObjectWriter, where the object may belong to A, to another account
// B or to the anonymous user, and the bucket and object ACLs take part; a
// bucket policy; now and then Block Public Access's ACL settings; no
// identity policy, no permissions boundary, no session policy, no DevPay.
// Writes may carry an ACL (x-amz-acl or grants). The callers: the anonymous
// user, the root users of A and of another account B, an IAM user of each
// account, a role session of A and a federated user of each account.
//
// The reference reads AWS's "Policy evaluation logic", "Cross-account policy
// evaluation logic", the IAM pages on resource-based policies, Principal and
// NotPrincipal, Amazon S3's pages on bucket policies, on how S3 authorizes a
// request (user, bucket and object contexts) and its ACL overview (read in
// reference_acl_test.go). In this world they come to these rules:
//
//   - A write carrying an ACL is refused when the bucket is
//     BucketOwnerEnforced and the ACL is not bucket-owner-full-control
//     (canned, or written out: FULL_CONTROL to the bucket owner and to
//     nobody but it and the ACL's owner, named by canonical ID or e-mail),
//     and when BlockPublicAcls is on and the ACL is public (it grants
//     AllUsers or AuthenticatedUsers; of the canned ACLs public-read,
//     public-read-write and authenticated-read). AWS documents no order
//     between these refusals and a Deny; the package refuses first.
//   - IgnorePublicAcls makes the ACL grants to AllUsers and
//     AuthenticatedUsers apply to nobody.
//   - Bucket policy actions (s3:GetBucketPolicy, s3:PutBucketPolicy,
//     s3:DeleteBucketPolicy): the root user of the account that owns the
//     bucket may always perform them, even when the policy denies it, so
//     that the owner can never lock itself out. Callers outside the owner's
//     account may never perform them, whatever the policy grants; a Deny
//     that matches is still an explicit deny.
//   - A Deny statement that applies to the caller decides: explicit deny.
//     It applies when its Principal names the caller at any level — everyone,
//     the caller's account, its role, itself — or its NotPrincipal leaves
//     the caller in. This holds for objects of other accounts too: the
//     bucket owner may deny access to any object.
//   - With ACLs disabled (BucketOwnerEnforced), requests that set an ACL
//     (s3:PutBucketAcl, s3:PutObjectAcl) fail, whatever the policy grants.
//   - The request needs the permission of the account that owns the
//     resource: the bucket owner for bucket actions, the object owner for
//     object actions — except creating and deleting objects, which bucket
//     WRITE governs, so the bucket owner's (the package's documented
//     choice). That owner's grants are its bucket policy, when it owns the
//     bucket (a bucket policy grants nothing on objects another account
//     owns), and the ACL of the resource.
//   - The root user of the owning account needs no grant. The bucket
//     owner's root may also delete and restore objects other accounts own.
//   - A principal entry names an account by account ID, root ARN or
//     canonical user ID ({"CanonicalUser": ...}), a user by its ARN
//     (whatever the path: IAM names are unique in an account), a role
//     session by its session ARN or by its role's ARN, a federated user by
//     its federated-user ARN; "*" and {"AWS": "*"} name everyone. An ACL
//     grant names an account by canonical user ID or e-mail address, or a
//     group (reference_acl_test.go).
//   - A grant naming an account grants its root user; for its IAM
//     identities it is a delegation that needs their own identity allow,
//     which no one has here. An IAM principal of the owning account is
//     therefore granted only by a statement naming it — itself, or the
//     role of a session (limited by no boundary and no session policy here)
//     — by "*", by a NotPrincipal that leaves it in, or by an ACL group
//     grant.
//   - An IAM principal of another account needs its own account's
//     permission besides the owner's grant. It has no identity policy;
//     only for IAM principals of A, the bucket owner, does A's bucket
//     policy give that permission when it names them (as above), and then
//     the object owner's ACL must grant them or their account.
//   - The anonymous user is granted only through "*", {"AWS": "*"}, a
//     NotPrincipal, an AllUsers grant, or a grant to the anonymous user's
//     canonical ID — which an object it uploaded gives it by default.
//   - NotPrincipal leaves out a caller only when every level of its identity
//     is listed: the account (by ID, root ARN or canonical ID) for a root
//     user; the user's or federated user's ARN and its account for those;
//     the session's ARN, its role's ARN and its account for a role session.
//     The anonymous user has no level but everyone.
//
// A condition that cannot read a request value is neither true nor false
// (the package fails closed): a Deny that cannot be decided denies with an
// error unless another Deny applies. An Allow that cannot be decided counts
// as not matching, and the deny that results carries the error (the
// package's documentation) unless another Allow grants the request. The
// Allows that count are those the evaluation of grants reads: every Allow
// whose Principal names the caller at any level, or whose NotPrincipal
// leaves it in, when the bucket policy can grant the request — for every
// caller but the owning account's root and for every action but the bucket
// policy ones asked by another account (refused before any grant is read) —
// and, for IAM principals of A on resources A does not own, when the policy
// is read for their own account's permission. The package drops that error
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
	bktFederated
)

// bktCaller is one caller: what it is, and the parts of its identity a
// Principal entry can name.
type bktCaller struct {
	label   string
	kind    bktCallerKind
	account string // "" for the anonymous user
	arn     string // "" for the anonymous user
	name    string // the user name, the role name of a session, the federated user's name
}

var (
	bktAnon     = bktCaller{label: "anonymous", kind: bktAnonymous}
	bktRootA    = bktCaller{label: "root of A", kind: bktRoot, account: acctA, arn: "arn:aws:iam::" + acctA + ":root"}
	bktDave     = bktCaller{label: "user dave of A", kind: bktUser, account: acctA, arn: "arn:aws:iam::" + acctA + ":user/dave", name: "dave"}
	bktDivDave  = bktCaller{label: "user div/dave of A", kind: bktUser, account: acctA, arn: "arn:aws:iam::" + acctA + ":user/div/dave", name: "dave"}
	bktSessionA = bktCaller{label: "session Admin/s1 of A", kind: bktSession, account: acctA, arn: "arn:aws:sts::" + acctA + ":assumed-role/Admin/s1", name: "Admin"}
	bktRootB    = bktCaller{label: "root of B", kind: bktRoot, account: acctB, arn: "arn:aws:iam::" + acctB + ":root"}
	bktBob      = bktCaller{label: "user bob of B", kind: bktUser, account: acctB, arn: "arn:aws:iam::" + acctB + ":user/bob", name: "bob"}
	bktFedA     = bktCaller{label: "federated fed of A", kind: bktFederated, account: acctA, arn: "arn:aws:sts::" + acctA + ":federated-user/fed", name: "fed"}
	bktFedB     = bktCaller{label: "federated fed of B", kind: bktFederated, account: acctB, arn: "arn:aws:sts::" + acctB + ":federated-user/fed", name: "fed"}

	bktCallers = []bktCaller{bktAnon, bktRootA, bktDave, bktDivDave, bktSessionA, bktFedA, bktRootB, bktBob, bktFedB}
)

func (c *bktCaller) iam() bool {
	return c.kind == bktUser || c.kind == bktSession || c.kind == bktFederated
}

func (c *bktCaller) aclCaller() refACLCaller {
	return refACLCaller{account: c.account, root: c.kind == bktRoot}
}

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

// levelCanonical tells how a {"CanonicalUser": ...} entry names the
// caller: it names the account whose canonical user ID it is.
func (c *bktCaller) levelCanonical(id string) bktLevel {
	if c.kind == bktAnonymous {
		return bktNone
	}
	for _, a := range refAccounts {
		if string(a.canonical) == id && a.id == c.account {
			if c.kind == bktRoot {
				return bktSelf
			}
			return bktAccount
		}
	}
	return bktNone
}

// levels lists how each entry of a Principal element names the caller.
func (c *bktCaller) levels(pr *policy.Principals) []bktLevel {
	var out []bktLevel
	for _, e := range pr.AWS {
		out = append(out, c.level(e))
	}
	for _, e := range pr.CanonicalUser {
		out = append(out, c.levelCanonical(e))
	}
	return out
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
	for _, l := range c.levels(pr) {
		best = max(best, l)
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
	for _, l := range c.levels(pr) {
		listed[l] = true
	}
	switch c.kind {
	case bktRoot:
		return listed[bktSelf]
	case bktUser, bktFederated:
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
	for _, l := range c.levels(pr) {
		if l != bktNone {
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
	case bktFederated:
		set("aws:principalarn", c.arn)
		set("aws:principaltype", "FederatedUser")
		set("aws:userid", c.account+":"+c.name)
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
	if c.kind != bktAnonymous {
		// Tags are an IAM identity's; an unsigned request has none,
		// whatever the host passes along.
		for _, t := range r.tags {
			set("aws:principaltag/"+strings.ToLower(t.Key), t.Value)
		}
	}
	ctx.defaults()
	ctx.restrict(r.action)
	return ctx
}

// bktPolicyActions are the actions only the bucket owner's account may
// perform, and its root user always.
var bktPolicyActions = []string{"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}

// bktWorld is what is stored besides the bucket policy.
type bktWorld struct {
	enforced  bool     // BucketOwnerEnforced; otherwise ObjectWriter
	objOwner  string   // the object record's owner: an account, or "" for the anonymous user
	bucketACL *acl.ACL // nil for the default
	objectACL *acl.ACL
	// Block Public Access's ACL settings: refuse requests carrying a
	// public ACL; ignore public grants.
	blockPublicAcls, ignorePublicAcls bool
}

// bktEnforced is the plain world: ACLs disabled, A owns everything.
var bktEnforced = bktWorld{enforced: true, objOwner: acctA}

func (w *bktWorld) String() string {
	bpa := ""
	if w.blockPublicAcls {
		bpa += ", BlockPublicAcls"
	}
	if w.ignorePublicAcls {
		bpa += ", IgnorePublicAcls"
	}
	if w.enforced {
		return fmt.Sprintf("BucketOwnerEnforced, object record of %q%s", w.objOwner, bpa)
	}
	grants := func(a *acl.ACL) string {
		if a == nil {
			return "default"
		}
		return fmt.Sprintf("%+v", a.Grants)
	}
	return fmt.Sprintf("ObjectWriter, object of %q; bucket ACL %s; object ACL %s%s", w.objOwner, grants(w.bucketACL), grants(w.objectACL), bpa)
}

// bktOutcome is the reference decision and the rule that took it.
type bktOutcome struct {
	refResult
	rule string
	// byEmail: an ACL grant by e-mail gave the caller what it needed.
	byEmail bool
	// unknownEmail: an ACL grant with the needed permission named an
	// address of no account.
	unknownEmail bool
}

// bktDecide is the reference decision for caller c and request r (whose
// bucket is "bkt") under bucket policy p in world w. An Allow that cannot
// be evaluated counts as not matching; when the request is then denied,
// the deny carries an error if that Allow names the caller more strongly
// than every Allow that matched in the same reading of the policy (it
// might have granted what they did not).
func bktDecide(p *policy.Policy, c *bktCaller, r *refRequest, ctx refContext, w *bktWorld) bktOutcome {
	out := func(res refResult, rule string) bktOutcome { return bktOutcome{refResult: res, rule: rule} }
	allow, implicit := refResult{d: evaluate.Allow}, refResult{d: evaluate.ImplicitDeny}
	policyAction := slices.Contains(bktPolicyActions, r.action)
	setACL := r.action == "s3:PutObjectAcl" || r.action == "s3:PutBucketAcl"
	inA := c.account == acctA
	// Write-time refusals of the ACL a request carries, taken before any
	// Deny (the package's order; AWS documents none).
	if r.cannedACL != "" || r.acl != nil {
		switch {
		case w.enforced && !refOwnerFullControl(r.acl, r.cannedACL, canonA):
			return out(implicit, "carried ACL refused: ACLs disabled")
		case w.blockPublicAcls && refPublic(r.acl, r.cannedACL):
			return out(implicit, "carried ACL refused: BlockPublicAcls")
		}
	}
	if policyAction && inA && c.kind == bktRoot {
		return out(allow, "lock-out protection") // before any Deny
	}
	vars := p.Version == policy.Version2012
	// deny is the Kleene OR of the applicable Deny statements; allows are
	// the applicable Allow statements, with how they name the caller.
	type reached struct {
		level bktLevel
		m     refTri
	}
	deny := refNo
	var allows []reached
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
		allows = append(allows, reached{l, m})
	}
	// read is one reading of the Allows: the strongest level that matched,
	// and whether one that could not be evaluated named the caller more
	// strongly.
	read := func() (matched bktLevel, failed bool) {
		worst := bktNone
		for _, a := range allows {
			switch a.m {
			case refYes:
				matched = max(matched, a.level)
			case refErr:
				worst = max(worst, a.level)
			}
		}
		return matched, worst > matched
	}
	switch {
	case deny == refYes:
		return out(refResult{d: evaluate.ExplicitDeny}, "explicit deny")
	case deny == refErr:
		return out(refResult{err: true}, "deny not evaluable")
	case policyAction && !inA:
		return out(implicit, "bucket policy actions are the owner's")
	case setACL && w.enforced:
		return out(implicit, "ACLs disabled")
	}

	// The owning account: of the bucket, or of the object (the bucket owner
	// under BucketOwnerEnforced); creating and deleting objects are the
	// bucket's.
	object := r.key != ""
	bucketWrite := object && slices.Contains([]string{"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"}, r.action)
	owning, kind, stored := acctA, acl.Bucket, w.bucketACL
	if object && !bucketWrite {
		kind, stored = acl.Object, w.objectACL
		if !w.enforced {
			owning = w.objOwner
		}
	}
	if object && owning != acctA && inA && c.kind == bktRoot &&
		slices.Contains([]string{"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:RestoreObject"}, r.action) {
		return out(allow, "bucket owner's power")
	}
	if owning != "" && c.account == owning && c.kind == bktRoot {
		return out(allow, "owning account's root")
	}
	var acls refACLResult
	if !w.enforced {
		if stored == nil {
			stored = refDefaultACL(refCanonical(owning))
		}
		ac := c.aclCaller()
		ac.ignorePublic = w.ignorePublicAcls
		acls = refACL(stored, kind, owning, r.action, ac)
	}
	// The bucket policy grants only for resources A owns.
	policyLevel, errs := bktNone, false
	if owning == acctA {
		policyLevel, errs = read()
	}
	grant := max(policyLevel, acls.level)
	o := bktOutcome{unknownEmail: acls.unknownEmail}
	var allowed bool
	switch {
	case c.iam() && c.account == owning:
		allowed = c.granted(grant)
		o.rule = "same account, named directly"
		o.byEmail = allowed && acls.byEmail && !c.granted(policyLevel)
	case c.iam() && inA:
		// A's bucket policy gives A's principals their own account's
		// permission; the owner (another account or the anonymous user)
		// must grant them or A through the ACL.
		own, failed := read()
		errs = errs || failed
		allowed = c.granted(own) && grant >= bktAccount
		o.rule = "owner's principal on a resource of another owner"
		o.byEmail = allowed && acls.byEmail
	case c.iam():
		o.rule = "another account's principal without identity policy"
	default:
		allowed = grant == bktSelf
		o.rule = "granted by the owning account"
		if c.kind == bktAnonymous {
			o.rule = "anonymous"
		}
		o.byEmail = allowed && acls.byEmail && policyLevel != bktSelf
	}
	switch {
	case allowed:
		o.refResult = allow
	case errs:
		o.refResult = refResult{err: true}
	default:
		o.refResult = implicit
	}
	if !w.enforced && object && !bucketWrite && owning != acctA {
		o.rule += ", object of another owner"
	}
	return o
}

// bktEvaluation builds the library's request and context.
func bktEvaluation(dir ownership.Directory, pp *evaluate.Prepared, c *bktCaller, r *refRequest, w *bktWorld) (evaluate.Request, evaluate.Context) {
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
	req.CannedACL, req.ACL = r.cannedACL, r.acl
	mode := ownership.ObjectWriter
	if w.enforced {
		mode = ownership.BucketOwnerEnforced
	}
	bpa := ownership.PublicAccessBlock{BlockPublicAcls: w.blockPublicAcls, IgnorePublicAcls: w.ignorePublicAcls}
	ec := evaluate.Context{
		Bucket:       &ownership.Bucket{Name: r.bucket, Owner: acctA, Mode: mode, PublicAccessBlock: bpa},
		BucketPolicy: pp,
		BucketACL:    w.bucketACL,
		Directory:    dir,
		Now:          refClock,
	}
	if r.key != "" {
		owner := ownership.AnonymousOwner()
		if w.objOwner != "" {
			owner = ownership.AccountOwner(ownership.AccountID(w.objOwner))
		}
		ec.Object = &ownership.Object{Bucket: r.bucket, Key: r.key, Owner: owner}
		ec.ObjectACL = w.objectACL
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
	if r.cannedACL != "" {
		fmt.Fprintf(&b, ", x-amz-acl %s", r.cannedACL)
	}
	if r.acl != nil {
		fmt.Fprintf(&b, ", ACL of %s: %+v", r.acl.Owner.ID, r.acl.Grants)
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
	bktFedARNA     = "arn:aws:sts::" + acctA + ":federated-user/fed"
	bktFedARNB     = "arn:aws:sts::" + acctB + ":federated-user/fed"

	// bktCanonicalPrefix marks an entry written as {"CanonicalUser": ...}
	// rather than {"AWS": ...}.
	bktCanonicalPrefix = "CanonicalUser="
	bktCanonA          = bktCanonicalPrefix + canonA
	bktCanonB          = bktCanonicalPrefix + canonB
	bktCanonC          = bktCanonicalPrefix + canonC

	// bktEntries are the principal entries statements draw from.
	bktEntries = []string{
		acctA, bktRootARNA, acctB, bktRootARNB, bktUserDave, bktUserDivDave, "arn:aws:iam::" + acctA + ":user/alice",
		bktRoleAdmin, bktSessionS1, "arn:aws:sts::" + acctA + ":assumed-role/Admin/s2", "arn:aws:iam::" + acctA + ":role/Other", bktUserBob,
		bktFedARNA, bktFedARNB, "arn:aws:sts::" + acctA + ":federated-user/other", "arn:aws:iam::" + acctA + ":user/fed",
		bktCanonA, bktCanonB, bktCanonC,
	}
	// bktChains are sets of entries that list several levels of one
	// caller's identity, all of them or some, for NotPrincipal.
	bktChains = [][]string{
		{acctA, bktUserDave}, {bktRootARNA, bktUserDivDave}, {bktUserDave}, {acctA},
		{acctA, bktRoleAdmin, bktSessionS1}, {bktRootARNA, bktRoleAdmin, bktSessionS1}, {bktRoleAdmin, bktSessionS1},
		{acctA, bktSessionS1}, {acctA, bktRoleAdmin}, {acctB, bktUserBob}, {bktRootARNB}, {bktUserBob},
		{acctA, bktFedARNA}, {bktFedARNA}, {bktCanonA, bktFedARNA}, {bktCanonA, bktUserDave}, {bktCanonA},
		{bktCanonA, bktRoleAdmin, bktSessionS1}, {bktCanonB}, {bktCanonB, bktUserBob}, {bktRootARNB, bktFedARNB},
	}
	bktService = `"Service":"logging.s3.amazonaws.com"`

	// bktActions are the Action patterns of statements: those of the
	// identity generator that a bucket policy takes (s3 only), and the
	// bucket policy and ACL actions.
	bktActions = append(slices.DeleteFunc(slices.Clone(genActions), func(a string) bool {
		return a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:")
	}), "s3:GetBucketPolicy", "s3:DeleteBucketPolicy", "s3:*BucketPolicy", "s3:*Acl", "s3:RestoreObject", "s3:DeleteObject*")
	// bktResources are the identity generator's resources that a bucket
	// policy takes (s3 only).
	bktResources = slices.DeleteFunc(slices.Clone(genResources), func(r string) bool {
		return r != "*" && strings.SplitN(r, ":", 4)[2] != "s3"
	})

	// Requested actions.
	bktObjectActions = []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion",
		"s3:GetObjectTagging", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:GetObjectAcl", "s3:PutObjectAcl",
		"s3:GetObjectVersion", "s3:RestoreObject"}
	bktBucketActions = []string{"s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketTagging", "s3:PutBucketTagging", "s3:GetBucketLocation",
		"s3:GetBucketAcl", "s3:PutBucketAcl"}
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
		var aws, canonical []string
		for _, e := range entries {
			if id, ok := strings.CutPrefix(e, bktCanonicalPrefix); ok {
				canonical = append(canonical, genJSONString(id))
			} else {
				aws = append(aws, genJSONString(e))
			}
		}
		list := func(items []string) string {
			if len(items) > 1 || rng.IntN(2) == 0 {
				return "[" + strings.Join(items, ",") + "]"
			}
			return items[0]
		}
		var members []string
		if len(aws) > 0 {
			members = append(members, `"AWS":`+list(aws))
		}
		if len(canonical) > 0 {
			members = append(members, `"CanonicalUser":`+list(canonical))
		}
		if rng.IntN(6) == 0 {
			members = append(members, bktService)
		}
		rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		value = "{" + strings.Join(members, ",") + "}"
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

// genBucketWorld returns what is stored: half the time BucketOwnerEnforced,
// otherwise ObjectWriter with random ACLs; the object record belongs to A,
// B or the anonymous user; now and then BlockPublicAcls or
// IgnorePublicAcls.
func genBucketWorld(rng *rand.Rand) *bktWorld {
	w := &bktWorld{enforced: rng.IntN(2) == 0, objOwner: genPick(rng, []string{acctA, acctA, acctB, acctB, ""}),
		blockPublicAcls: rng.IntN(3) == 0, ignorePublicAcls: rng.IntN(4) == 0}
	if !w.enforced {
		w.bucketACL, w.objectACL = genACL(rng, acctA), genACL(rng, w.objOwner)
	}
	return w
}

// genBucketRequest returns a random caller and request on bucket "bkt",
// with the condition keys, time and tags of genRequest (root users get no
// tags: IAM tags belong to users and roles).
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
	if c.kind == bktRoot {
		r.tags = nil
	}
	if slices.Contains([]string{"s3:PutObject", "s3:PutObjectAcl", "s3:PutBucketAcl"}, r.action) && rng.IntN(2) == 0 {
		r.cannedACL, r.acl = genRequestACL(rng, c.account)
	}
	return c, r
}

// bktStats counts what the random comparison reached.
type bktStats struct {
	outcomes      map[string]map[string]int // by caller label, then outcome
	rules         map[string]map[string]int // by deciding rule, then outcome
	partialNotP   int                       // a NotPrincipal listing some levels of the caller left it in
	excludedNotP  int                       // a NotPrincipal listing every level left the caller out
	lockOutOnDeny int                       // the owner's root managed its policy over a matching Deny
	delegations   int                       // an Allow naming only the caller's account matched, and granted nothing
	// CanonicalUser entries: an Allow naming a root only by canonical ID
	// granted it; one naming an IAM principal only by its account's
	// canonical ID granted nothing; a NotPrincipal left a caller out only
	// thanks to a canonical ID.
	canonicalRoot, canonicalDelegation, canonicalExcluded int
	// federated users left out by a NotPrincipal listing both levels
	fedExcluded int
	// ACL grants by e-mail that allowed; grants to an address of no account
	// that had the needed permission
	emailAllowed, unknownEmail int
	anonymousTagged            int // an anonymous request carrying tags met a PrincipalTag condition
	resourceAccountDecoys      int // a request claimed s3:ResourceAccount or aws:ResourceAccount
	// carried ACLs: refused by Block Public Access, by canned name; and
	// bucket-owner-full-control written out with an owner named by e-mail,
	// accepted under BucketOwnerEnforced
	publicCannedRefused map[string]int
	ownersByEmail       int
}

func (s *bktStats) add(p *policy.Policy, c *bktCaller, r *refRequest, ctx refContext, want bktOutcome) {
	out := want.String()
	if s.outcomes[c.label] == nil {
		s.outcomes[c.label] = map[string]int{}
	}
	s.outcomes[c.label][out]++
	if s.rules[want.rule] == nil {
		s.rules[want.rule] = map[string]int{}
	}
	s.rules[want.rule][out]++
	if want.byEmail && want.d == evaluate.Allow {
		s.emailAllowed++
	}
	if want.unknownEmail {
		s.unknownEmail++
	}
	if want.rule == "carried ACL refused: BlockPublicAcls" && r.cannedACL != "" {
		s.publicCannedRefused[r.cannedACL]++
	}
	if r.acl != nil && refOwnerFullControl(r.acl, "", canonA) && !strings.HasPrefix(want.rule, "carried ACL refused") {
		for _, g := range r.acl.Grants {
			if g.Grantee.Type == acl.AmazonCustomerByEmail {
				s.ownersByEmail++
				break
			}
		}
	}
	for _, k := range r.keys {
		if n := strings.ToLower(k.name); n == "s3:resourceaccount" || n == "aws:resourceaccount" {
			s.resourceAccountDecoys++
		}
	}
	// without returns a copy of a Principal element without its
	// CanonicalUser entries.
	without := func(pr *policy.Principals) *policy.Principals {
		q := *pr
		q.CanonicalUser = nil
		return &q
	}
	vars := p.Version == policy.Version2012
	for i := range p.Statements {
		st := &p.Statements[i]
		holds := refStatement(st, vars, r, ctx) == refYes
		if st.NotPrincipal != nil && holds {
			switch {
			case c.partial(st.NotPrincipal):
				s.partialNotP++
			case c.kind != bktAnonymous && !bktEveryone(st.NotPrincipal) && c.excluded(st.NotPrincipal):
				s.excludedNotP++
				if !c.excluded(without(st.NotPrincipal)) {
					s.canonicalExcluded++
				}
				if c.kind == bktFederated {
					s.fedExcluded++
				}
			}
		}
		if st.Principal != nil && st.Effect == policy.Allow && holds {
			l, plain := c.named(st.Principal), c.named(without(st.Principal))
			if l == bktAccount && want.d != evaluate.Allow {
				s.delegations++
				if plain == bktNone {
					s.canonicalDelegation++
				}
			}
			if c.kind == bktRoot && l == bktSelf && plain == bktNone && want.d == evaluate.Allow {
				s.canonicalRoot++
			}
		}
		if st.Effect == policy.Deny && c.label == bktRootA.label && slices.Contains(bktPolicyActions, r.action) &&
			c.reach(st) != bktNone && holds {
			s.lockOutOnDeny++
		}
		if c.kind == bktAnonymous && len(r.tags) > 0 {
			for _, cd := range st.Conditions {
				if strings.HasPrefix(strings.ToLower(cd.Key), "aws:principaltag/") {
					s.anonymousTagged++
				}
			}
		}
	}
}

// TestReferenceBucketPolicies compares Evaluate with the reference on random
// bucket policies, ACLs and requests: one to four statements of both effects
// whose Principal or NotPrincipal names everyone, a service, or accounts
// (by ID, root ARN or canonical user ID), users, roles, sessions and
// federated users of the bucket owner's account and another, with the
// actions, resources and conditions of the identity generator; ACLs
// disabled, or bucket and object ACLs granting accounts by canonical ID and
// e-mail, the anonymous user and the groups, on objects of the bucket
// owner, another account or the anonymous user; asked by every caller of
// this world.
func TestReferenceBucketPolicies(t *testing.T) {
	policies, requests := 3000, 8
	if testing.Short() || raceEnabled {
		policies = 1200
	}
	rng := rand.New(rand.NewPCG(20240616, 2))
	dir := directory(t)
	stats := &bktStats{outcomes: map[string]map[string]int{}, rules: map[string]map[string]int{}, publicCannedRefused: map[string]int{}}
	var compared, failures int
	for range policies {
		doc := genBucketPolicy(rng)
		p, err := policy.Parse(policy.Bucket, []byte(doc))
		require.NoError(t, err, "the generator writes valid documents: %s", doc)
		pp, err := evaluate.Prepare(p)
		require.NoError(t, err, doc)
		for range requests {
			c, r := genBucketRequest(rng)
			w := genBucketWorld(rng)
			ctx := c.context(r)
			want := bktDecide(p, c, r, ctx, w)
			stats.add(p, c, r, ctx, want)
			req, ec := bktEvaluation(dir, pp, c, r, w)
			d, diag := evaluate.Evaluate(req, ec)
			compared++
			if refAgree(want.refResult, d, diag) {
				continue
			}
			failures++
			if failures <= 10 {
				t.Errorf("disagreement\npolicy:  %s\nworld:   %s\nrequest: %s\nwant:    %s (%s)\ngot:     %s (%+v, err %v)", doc, w, bktDescribe(c, r), want, want.rule, d, diag.Reason, diag.Err)
			}
		}
	}
	t.Logf("%d policies, %d evaluations compared; NotPrincipal: %d partial listings applied, %d full listings excluded; %d lock-outs over a Deny; %d account grants that allowed nothing",
		policies, compared, stats.partialNotP, stats.excludedNotP, stats.lockOutOnDeny, stats.delegations)
	t.Logf("CanonicalUser: %d root grants, %d delegations, %d NotPrincipal exclusions; %d federated users left out; e-mail grants: %d allowed, %d to unknown addresses; %d tagged anonymous requests met a PrincipalTag condition; %d ResourceAccount decoys",
		stats.canonicalRoot, stats.canonicalDelegation, stats.canonicalExcluded, stats.fedExcluded, stats.emailAllowed, stats.unknownEmail, stats.anonymousTagged, stats.resourceAccountDecoys)
	for _, c := range bktCallers {
		t.Logf("%-22s %v", c.label, stats.outcomes[c.label])
	}
	for _, rule := range slices.Sorted(maps.Keys(stats.rules)) {
		t.Logf("%-70s %v", rule, stats.rules[rule])
	}
	assert.Zero(t, failures, "disagreements with the reference")

	allow, explicit, implicit, failed := evaluate.Allow.String(), evaluate.ExplicitDeny.String(), evaluate.ImplicitDeny.String(), refResult{err: true}.String()
	errs := 0
	for _, c := range bktCallers {
		o := stats.outcomes[c.label]
		errs += o[failed]
		assert.Positive(t, o[explicit], "%s meets explicit denies", c.label)
		switch {
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
	assert.Positive(t, stats.canonicalRoot, "a CanonicalUser principal grants a root")
	assert.Positive(t, stats.canonicalDelegation, "a CanonicalUser principal is a delegation for IAM principals")
	assert.Positive(t, stats.canonicalExcluded, "a CanonicalUser entry completes a NotPrincipal listing")
	assert.Positive(t, stats.fedExcluded, "NotPrincipal leaves federated users out")
	assert.Positive(t, stats.emailAllowed, "ACL grants by e-mail allow")
	assert.Positive(t, stats.unknownEmail, "ACL grants to unknown addresses are reached")
	assert.Positive(t, stats.anonymousTagged, "tagged anonymous requests meet PrincipalTag conditions")
	assert.Positive(t, stats.resourceAccountDecoys, "requests claim a resource account")
	for _, name := range []string{"public-read", "public-read-write", "authenticated-read"} {
		assert.Positive(t, stats.publicCannedRefused[name], "BlockPublicAcls refuses x-amz-acl %s", name)
	}
	assert.Positive(t, stats.ownersByEmail, "bucket-owner-full-control written with an owner's e-mail passes")
	// Every rule of the reference decides at times, allowing and denying
	// where it can do both.
	for _, rule := range []string{
		"same account, named directly", "granted by the owning account", "anonymous",
		"same account, named directly, object of another owner", "owner's principal on a resource of another owner, object of another owner",
		"granted by the owning account, object of another owner", "anonymous, object of another owner",
	} {
		assert.Positive(t, stats.rules[rule][allow], "%s allows at times", rule)
		assert.Positive(t, stats.rules[rule][implicit], "%s denies at times", rule)
	}
	for _, rule := range []string{"lock-out protection", "explicit deny", "deny not evaluable", "bucket policy actions are the owner's", "ACLs disabled",
		"carried ACL refused: ACLs disabled", "carried ACL refused: BlockPublicAcls",
		"bucket owner's power", "owning account's root", "another account's principal without identity policy"} {
		assert.Positive(t, len(stats.rules[rule]), "%s decides at times", rule)
	}
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

	canonical := func(ids ...string) string {
		q := make([]string, len(ids))
		for i, e := range ids {
			q[i] = genJSONString(e)
		}
		return `"Principal":{"CanonicalUser":[` + strings.Join(q, ",") + `]}`
	}
	// objectOf is an ObjectWriter world whose object belongs to owner,
	// with the given object ACL grants (nil: the default ACL) and bucket
	// ACL grants (nil: the default).
	objectOf := func(owner string, objectGrants, bucketGrants []acl.Grant) *bktWorld {
		w := &bktWorld{objOwner: owner}
		if objectGrants != nil {
			w.objectACL = &acl.ACL{Owner: acl.User{ID: refCanonical(owner)}, Grants: objectGrants}
		}
		if bucketGrants != nil {
			w.bucketACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: bucketGrants}
		}
		return w
	}
	fullControl := func(canonical acl.CanonicalID) acl.Grant {
		return acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonical}, Permission: acl.FullControl}
	}
	readByID := acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.Read}
	readByEmail := acl.Grant{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: "Owner@A.Example.com"}, Permission: acl.Read}
	allUsersWrite := acl.Grant{Grantee: acl.Grantee{Type: acl.Group, URI: acl.AllUsers}, Permission: acl.Write}
	on := func(action string) *refRequest { return &refRequest{action: action, bucket: "bkt", key: "k"} }
	// unrelated is a policy that grants only a fourth account.
	unrelated := doc(stmt("Allow", aws(acctD), "s3:ListBucket"))

	tests := []struct {
		name   string
		aws    string // the AWS documentation the row relies on
		policy string
		caller *bktCaller
		req    *refRequest
		want   refResult
		world  *bktWorld // nil: bktEnforced
	}{
		{"owner root manages its policy despite a Deny", "Amazon S3: bucket policy lock-out protection for the root user",
			doc(stmt("Deny", `"Principal":"*"`, "s3:*")), &bktRootA, getPolicy, allow, nil},
		{"owner root needs no grant", "Amazon S3: how Amazon S3 authorizes a request (bucket owner)",
			doc(stmt("Allow", aws(acctB), "s3:*")), &bktRootA, get, allow, nil},
		{"owner root is denied explicitly", "Policy evaluation logic",
			doc(stmt("Deny", aws(bktRootARNA), "s3:GetObject")), &bktRootA, get, explicit, nil},
		{"owner root: a Deny that cannot be evaluated fails closed", "Policy evaluation logic",
			doc(`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"s3:signatureAge":"10"}}}`),
			&bktRootA, getTen, failed, nil},
		{"another account may not read the policy despite a grant", "Amazon S3 API: GetBucketPolicy",
			doc(stmt("Allow", aws(acctB), "s3:GetBucketPolicy")), &bktRootB, getPolicy, implicit, nil},
		{"another account: a matching Deny is still explicit", "Amazon S3 API: GetBucketPolicy",
			doc(stmt("Deny", `"Principal":"*"`, "s3:GetBucketPolicy"), stmt("Allow", aws(acctB), "s3:GetBucketPolicy")), &bktRootB, getPolicy, explicit, nil},
		{"the owner's user reads the policy when named", "Amazon S3 API: GetBucketPolicy",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetBucketPolicy")), &bktDave, getPolicy, allow, nil},
		{"an account grant is a delegation for the owner's user", "Cross-account policy evaluation logic; resource-based policies",
			doc(stmt("Allow", aws(acctA), "s3:GetObject")), &bktDave, get, implicit, nil},
		{"a root ARN grant is a delegation for the owner's session", "IAM JSON policy elements: Principal (AWS account principals)",
			doc(stmt("Allow", aws(bktRootARNA), "s3:GetObject")), &bktSessionA, get, implicit, nil},
		{"a role grant allows its session", "IAM JSON policy elements: Principal (IAM role principals)",
			doc(stmt("Allow", aws(bktRoleAdmin), "s3:GetObject")), &bktSessionA, get, allow, nil},
		{"a session grant allows the session", "IAM JSON policy elements: Principal (role session principals)",
			doc(stmt("Allow", aws(bktSessionS1), "s3:GetObject")), &bktSessionA, get, allow, nil},
		{"a user is named whatever the path", "IAM JSON policy elements: Principal (IAM user principals)",
			doc(stmt("Allow", aws(bktUserDivDave), "s3:GetObject")), &bktDave, get, allow, nil},
		{"anonymous through AWS star", "IAM JSON policy elements: Principal (anonymous principals)",
			doc(stmt("Allow", `"Principal":{"AWS":"*"}`, "s3:GetObject")), &bktAnon, get, allow, nil},
		{"anonymous not through an account", "IAM JSON policy elements: Principal (anonymous principals)",
			doc(stmt("Allow", aws(acctA), "s3:GetObject")), &bktAnon, get, implicit, nil},
		{"another account's root through its account ID", "Cross-account policy evaluation logic",
			doc(stmt("Allow", aws(acctB), "s3:GetObject")), &bktRootB, get, allow, nil},
		{"another account's root through its root ARN", "Cross-account policy evaluation logic",
			doc(stmt("Allow", aws(bktRootARNB), "s3:GetObject")), &bktRootB, get, allow, nil},
		{"another account's user needs its own identity policy", "Cross-account policy evaluation logic",
			doc(stmt("Allow", `"Principal":"*"`, "s3:GetObject"), stmt("Allow", aws(bktUserBob), "s3:GetObject")), &bktBob, get, implicit, nil},
		{"a service principal names no caller", "IAM JSON policy elements: Principal (service principals)",
			doc(stmt("Allow", `"Principal":{"Service":"logging.s3.amazonaws.com"}`, "s3:GetObject")), &bktRootB, get, implicit, nil},
		{"a Deny naming the account applies to its user", "IAM JSON policy elements: Principal (AWS account principals)",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject"), stmt("Deny", aws(acctA), "s3:GetObject")), &bktDave, get, explicit, nil},
		{"a Deny naming the role applies to its session", "IAM JSON policy elements: Principal (IAM role principals)",
			doc(stmt("Allow", aws(bktSessionS1), "s3:GetObject"), stmt("Deny", aws(bktRoleAdmin), "s3:GetObject")), &bktSessionA, get, explicit, nil},
		{"NotPrincipal listing a user without its account leaves it in", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject"), stmt("Deny", notAWS(bktUserDave), "s3:GetObject")), &bktDave, get, explicit, nil},
		{"NotPrincipal listing a user and its account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject"), stmt("Deny", notAWS(bktUserDave, acctA), "s3:GetObject")), &bktDave, get, allow, nil},
		{"NotPrincipal listing a session and its role leaves it in", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktRoleAdmin), "s3:GetObject"), stmt("Deny", notAWS(bktSessionS1, bktRoleAdmin), "s3:GetObject")), &bktSessionA, get, explicit, nil},
		{"NotPrincipal listing a session, its role and its account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktRoleAdmin), "s3:GetObject"), stmt("Deny", notAWS(bktSessionS1, bktRoleAdmin, bktRootARNA), "s3:GetObject")), &bktSessionA, get, allow, nil},
		{"NotPrincipal listing the root's account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Deny", notAWS(acctA), "s3:GetObject")), &bktRootA, get, allow, nil},
		{"an Allow with NotPrincipal grants the anonymous user", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", notAWS(acctB), "s3:GetObject")), &bktAnon, get, allow, nil},
		{"an Allow that cannot be evaluated leaves an error", "Policy evaluation logic",
			doc(unreadable(aws(bktUserDave))), &bktDave, getTen, failed, nil},
		{"an account Allow that cannot be evaluated leaves an error", "Policy evaluation logic",
			doc(unreadable(aws(acctA))), &bktDave, getTen, failed, nil},
		{"a matching account Allow does not hide the error of a user Allow", "Policy evaluation logic",
			doc(stmt("Allow", aws(acctA), "s3:GetObject"), unreadable(aws(bktUserDave))), &bktDave, getTen, failed, nil},
		{"an account Allow that cannot be evaluated beside a matching one leaves no error", "Policy evaluation logic",
			doc(stmt("Allow", aws(acctA), "s3:GetObject"), unreadable(aws(acctA))), &bktDave, getTen, implicit, nil},
		{"a CanonicalUser principal grants the account's root", "IAM JSON policy elements: Principal (AWS account principals)",
			doc(stmt("Allow", canonical(canonB), "s3:GetObject")), &bktRootB, get, allow, nil},
		{"a CanonicalUser principal is a delegation for the account's user", "IAM JSON policy elements: Principal (AWS account principals)",
			doc(stmt("Allow", canonical(canonA), "s3:GetObject")), &bktDave, get, implicit, nil},
		{"a CanonicalUser principal is a delegation for the account's federated user", "IAM JSON policy elements: Principal (AWS account principals)",
			doc(stmt("Allow", canonical(canonA), "s3:GetObject")), &bktFedA, get, implicit, nil},
		{"NotPrincipal listing a user and its canonical account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject"), stmt("Deny", `"NotPrincipal":{"AWS":"`+bktUserDave+`","CanonicalUser":"`+canonA+`"}`, "s3:GetObject")), &bktDave, get, allow, nil},
		{"NotPrincipal listing a root's canonical account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(acctB), "s3:GetObject"), stmt("Deny", `"NotPrincipal":{"CanonicalUser":"`+canonB+`"}`, "s3:GetObject")), &bktRootB, get, allow, nil},
		{"a federated user is named by its ARN", "IAM JSON policy elements: Principal (federated user sessions)",
			doc(stmt("Allow", aws(bktFedARNA), "s3:GetObject")), &bktFedA, get, allow, nil},
		{"NotPrincipal listing a federated user and its account leaves it out", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktFedARNA), "s3:GetObject"), stmt("Deny", notAWS(bktFedARNA, acctA), "s3:GetObject")), &bktFedA, get, allow, nil},
		{"NotPrincipal listing a federated user without its account leaves it in", "IAM JSON policy elements: NotPrincipal",
			doc(stmt("Allow", aws(bktFedARNA), "s3:GetObject"), stmt("Deny", notAWS(bktFedARNA), "s3:GetObject")), &bktFedA, get, explicit, nil},
		{"ACLs disabled: setting an object ACL fails", "Amazon S3: controlling ownership of objects (BucketOwnerEnforced)",
			doc(stmt("Allow", `"Principal":"*"`, "s3:*")), &bktRootA, on("s3:PutObjectAcl"), implicit, nil},
		{"the bucket policy grants nothing on another account's object", "Amazon S3: how Amazon S3 authorizes a request for an object operation",
			doc(stmt("Allow", `"Principal":"*"`, "s3:GetObject")), &bktAnon, get, implicit, objectOf(acctB, nil, nil)},
		{"the bucket policy still denies on another account's object", "Amazon S3: how Amazon S3 authorizes a request for an object operation",
			doc(stmt("Deny", `"Principal":"*"`, "s3:GetObject")), &bktRootB, get, explicit, objectOf(acctB, nil, nil)},
		{"the object owner's ACL grants the bucket owner's root by e-mail", "Amazon S3: ACL overview (grantee by e-mail)",
			unrelated, &bktRootA, get, allow, objectOf(acctB, []acl.Grant{fullControl(canonB), readByEmail}, nil)},
		{"the object owner's ACL grants the bucket owner's account: a delegation", "Amazon S3: ACL overview; how Amazon S3 authorizes a request for an object operation",
			unrelated, &bktDave, get, implicit, objectOf(acctB, []acl.Grant{fullControl(canonB), readByID}, nil)},
		{"the bucket owner's policy is its user's permission, the object ACL the owner's", "Amazon S3: how Amazon S3 authorizes a request for an object operation",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject")), &bktDave, get, allow, objectOf(acctB, []acl.Grant{fullControl(canonB), readByID}, nil)},
		{"the bucket owner's policy alone does not read another account's object", "Amazon S3: how Amazon S3 authorizes a request for an object operation",
			doc(stmt("Allow", aws(bktUserDave), "s3:GetObject")), &bktDave, get, implicit, objectOf(acctB, nil, nil)},
		{"the bucket owner's root restores another account's object", "Amazon S3: access control overview (bucket owner's powers)",
			unrelated, &bktRootA, on("s3:RestoreObject"), allow, objectOf(acctB, nil, nil)},
		{"the bucket owner's root does not read another account's object", "Amazon S3: access control overview (bucket owner's powers)",
			unrelated, &bktRootA, get, implicit, objectOf(acctB, nil, nil)},
		{"an anonymous upload is the anonymous user's", "Amazon S3: access control overview (anonymous requests)",
			unrelated, &bktAnon, get, allow, objectOf("", nil, nil)},
		{"an anonymous upload is not the bucket owner's to read", "Amazon S3: access control overview (anonymous requests)",
			unrelated, &bktRootA, get, implicit, objectOf("", nil, nil)},
		{"AllUsers WRITE deletes objects", "Amazon S3: ACL overview (permissions)",
			unrelated, &bktAnon, on("s3:DeleteObject"), allow, objectOf(acctA, nil, []acl.Grant{fullControl(canonA), allUsersWrite})},
		{"AllUsers WRITE does not delete versions", "Amazon S3: ACL overview (permissions)",
			unrelated, &bktAnon, on("s3:DeleteObjectVersion"), implicit, objectOf(acctA, nil, []acl.Grant{fullControl(canonA), allUsersWrite})},
		{"the object owner's user is named by an AllUsers grant", "Amazon S3: how Amazon S3 authorizes a request (user context)",
			unrelated, &bktBob, get, allow, objectOf(acctB, []acl.Grant{fullControl(canonB), {Grantee: acl.Grantee{Type: acl.Group, URI: acl.AllUsers}, Permission: acl.Read}}, nil)},
	}
	dir := directory(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEmpty(t, tc.aws, "each row cites the documentation it relies on")
			p, err := policy.Parse(policy.Bucket, []byte(tc.policy))
			require.NoError(t, err)
			pp, err := evaluate.Prepare(p)
			require.NoError(t, err)
			w := tc.world
			if w == nil {
				w = &bktEnforced
			}
			got := bktDecide(p, tc.caller, tc.req, tc.caller.context(tc.req), w)
			require.Equal(t, tc.want, got.refResult, "the reference (%s)", got.rule)
			req, ec := bktEvaluation(dir, pp, tc.caller, tc.req, w)
			d, diag := evaluate.Evaluate(req, ec)
			assert.True(t, refAgree(tc.want, d, diag), "want %s, got %s (%+v, err %v)", tc.want, d, diag.Reason, diag.Err)
		})
	}
}
