package evaluate

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// ErrInvalidRequest marks a request the evaluator cannot decide on: no
// valid principal or action, an object action without a key, a bucket
// action without a bucket record. The decision denies.
var ErrInvalidRequest = errors.New("evaluate: invalid request")

// Evaluate decides req against what ec says is stored, the way Amazon S3
// does, with the DevPay product restriction in front. See the package
// documentation for the order of the steps. Any error denies: the Decision
// is then ImplicitDeny and Diagnostic.Err says why. Evaluate is safe for
// concurrent use; it modifies neither argument.
func Evaluate(req Request, ec Context) (Decision, Diagnostic) {
	e := evaluation{req: &req, ec: &ec}
	e.cands = e.candBuf[:0]
	d := e.run()
	if e.diag.Err != nil {
		d = ImplicitDeny
		e.diag.Reason.Stage = StageError
		if e.diag.Reason.Code == "" {
			e.diag.Reason.Code = "error"
		}
	}
	return d, e.diag
}

// evaluation carries one Evaluate call.
type evaluation struct {
	req  *Request
	ec   *Context
	diag Diagnostic

	caller               ownership.AccountID // the caller's account, "" when none
	iam                  bool                // an IAM principal: user, role session, federated user
	object               bool                // an object action
	info                 policy.ActionInfo
	resource             string // the ARN the statements' Resource elements match
	keys                 Keys
	bpa                  ownership.PublicAccessBlock
	acls                 bool // ACLs take part (not BucketOwnerEnforced)
	bucketACL, objectACL *acl.ACL
	requester            acl.Requester
	cands                []int32 // candidate statements, reused across policies
	candBuf              [32]int32
}

func (e *evaluation) fail(err error) Decision {
	e.diag.Err = err
	return ImplicitDeny
}

func (e *evaluation) decide(d Decision, r Reason) Decision {
	if r.Grant == 0 && r.Source != SourceBucketACL && r.Source != SourceObjectACL {
		r.Grant = -1
	}
	e.diag.Reason = r
	return d
}

func (e *evaluation) step(s Step) {
	if e.req.Trace {
		e.diag.Trace = append(e.diag.Trace, s)
	}
}

func (e *evaluation) run() Decision {
	req, ec := e.req, e.ec
	p := &req.Principal
	if !p.IsValid() {
		return e.fail(errors.Join(ErrInvalidRequest, errors.New("no valid principal")))
	}
	info, ok := policy.LookupAction(req.Action)
	if !ok {
		return e.fail(errors.Join(ErrInvalidRequest, errors.New("unknown S3 action "+strconv.Quote(req.Action))))
	}
	e.info = info
	e.object = info.Resource == policy.ResourceObject
	switch {
	case e.object && (req.Key == "" || req.Bucket == ""):
		return e.fail(errors.Join(ErrInvalidRequest, errors.New(info.Name+" needs a bucket and a key")))
	case info.Resource == policy.ResourceBucket && req.Bucket == "":
		return e.fail(errors.Join(ErrInvalidRequest, errors.New(info.Name+" needs a bucket")))
	case req.Bucket != "" && ec.Bucket == nil:
		return e.fail(errors.Join(ErrInvalidRequest, errors.New("no bucket record for "+strconv.Quote(req.Bucket))))
	}
	if a, ok := p.ParentAccount(); ok {
		e.caller = a
	}
	switch p.Type() {
	case ownership.PrincipalUser, ownership.PrincipalAssumedRole, ownership.PrincipalFederatedUser:
		e.iam = true
	}
	e.resource = resourceARN(p.Partition(), req.Bucket, req.Key)
	e.deriveKeys()
	if ec.Bucket != nil {
		e.bpa = ec.AccountBlockPublicAccess.Combine(ec.Bucket.PublicAccessBlock)
		e.acls = ec.Bucket.Mode.ACLsEnabled()
	}
	if e.acls {
		e.bucketACL, e.objectACL = ec.BucketACL, ec.ObjectACL
		if e.bpa.IgnorePublicAcls {
			if e.bucketACL != nil {
				e.bucketACL = e.bucketACL.WithoutPublic()
			}
			if e.objectACL != nil {
				e.objectACL = e.objectACL.WithoutPublic()
			}
		}
	}
	e.requester = e.aclRequester()

	if d, done := e.devpayGate(); done {
		return d
	}
	if d, done := e.writeChecks(); done {
		return d
	}
	if d, done := e.lockOut(); done {
		return d
	}
	if d, done := e.explicitDeny(); done {
		return d
	}
	if d, done := e.ownerAccountOnly(); done {
		return d
	}
	return e.grants()
}

// resourceARN is the ARN Resource elements are matched against.
func resourceARN(partition, bucket, key string) string {
	if partition == "" {
		partition = "aws"
	}
	switch {
	case bucket == "":
		// Actions on no resource are granted with "*"; AWS's own examples
		// also use arn:aws:s3:::*, which matches this.
		return "arn:" + partition + ":s3:::*"
	case key == "":
		return "arn:" + partition + ":s3:::" + bucket
	}
	return "arn:" + partition + ":s3:::" + bucket + "/" + key
}

// deriveKeys sets the keys the evaluator computes itself, then copies the
// request's other keys.
func (e *evaluation) deriveKeys() {
	req, ec, p := e.req, e.ec, &e.req.Principal
	k := &e.keys
	n := 12 + len(req.PrincipalTags)
	if req.Keys != nil {
		n += len(req.Keys.entries)
	}
	if ec.Object != nil {
		n += len(ec.Object.Tags)
	}
	k.entries = make([]keyEntry, 0, n)
	set := func(name string, ok bool, v string) {
		if ok {
			k.Set(name, v)
		}
	}
	v, ok := p.PrincipalArn()
	set("aws:principalarn", ok, v)
	v, ok = p.PrincipalAccount()
	set("aws:principalaccount", ok, v)
	v, ok = p.PrincipalType()
	set("aws:principaltype", ok, v)
	v, ok = p.Username()
	set("aws:username", ok, v)
	v, ok = p.UserID()
	set("aws:userid", ok, v)
	set("aws:principalisawsservice", !p.IsAnonymous(), strconv.FormatBool(p.IsService()))
	if !req.Time.IsZero() {
		k.Set("aws:currenttime", req.Time.UTC().Format(time.RFC3339Nano))
		k.Set("aws:epochtime", strconv.FormatInt(req.Time.Unix(), 10))
	}
	if ec.Bucket != nil {
		k.Set("s3:resourceaccount", string(ec.Bucket.Owner))
		k.Set("aws:resourceaccount", string(ec.Bucket.Owner))
	}
	if e.object && ec.Object != nil {
		for _, t := range ec.Object.Tags {
			k.Set("s3:existingobjecttag/"+t.Key, t.Value)
		}
	}
	for _, t := range req.PrincipalTags {
		if !p.IsAnonymous() {
			k.Set("aws:principaltag/"+t.Key, t.Value)
		}
	}
	if req.Keys != nil {
		for _, en := range req.Keys.entries {
			if derived(en.name) {
				continue
			}
			k.entries = append(k.entries, en)
		}
	}
}

// derived reports whether a key is one the evaluator computes, so a value
// the caller supplies is ignored.
func derived(name string) bool {
	switch name {
	case "aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username", "aws:userid",
		"aws:principalisawsservice", "aws:currenttime", "aws:epochtime", "s3:resourceaccount", "aws:resourceaccount":
		return true
	}
	return strings.HasPrefix(name, "s3:existingobjecttag/") || strings.HasPrefix(name, "aws:principaltag/")
}

// aclRequester identifies the caller for ACL grants.
func (e *evaluation) aclRequester() acl.Requester {
	p := &e.req.Principal
	r := acl.Requester{Authenticated: !p.IsAnonymous()}
	switch {
	case p.IsAnonymous():
		r.CanonicalID = acl.AnonymousID
	case p.IsService():
		r.LogDelivery = p.Service() == "logging.s3.amazonaws.com"
	case e.caller != "" && e.ec.Directory != nil:
		if c, ok := e.ec.Directory.CanonicalID(e.caller); ok {
			r.CanonicalID = string(c)
		}
	}
	return r
}

// devpayGate applies the product restriction: data stored through a product
// is reachable only through it, by active subscribers.
func (e *evaluation) devpayGate() (Decision, bool) {
	var product string
	if e.ec.Bucket != nil {
		product = e.ec.Bucket.Product
	}
	if e.object && e.ec.Object != nil {
		product = e.ec.Object.Product
	}
	if product == "" && e.req.Product == "" {
		return 0, false
	}
	catalog := e.ec.Products
	if catalog == nil {
		catalog = &devpay.Catalog{}
	}
	res := catalog.Check(devpay.ProductCode(product), e.req.Product, string(e.caller), e.ec.Subscriptions)
	e.step(Step{Stage: StageDevPay, Matched: !res.Allowed, Note: res.Reason.String()})
	if !res.Allowed {
		return e.decide(ImplicitDeny, Reason{Stage: StageDevPay, Code: res.Reason.String()}), true
	}
	// The data stays reachable only while the customer who stored it is
	// subscribed: cancelling or not paying makes it unavailable to everyone.
	owner := ownership.Owner{}
	if e.ec.Bucket != nil {
		owner = ownership.AccountOwner(e.ec.Bucket.Owner)
	}
	if e.object && e.ec.Object != nil {
		owner = e.ec.Bucket.EffectiveOwner(e.ec.Object)
	}
	if product != "" && owner.Account != e.caller {
		own := catalog.Check(devpay.ProductCode(product), devpay.ProductCode(product), string(owner.Account), e.ec.Subscriptions)
		e.step(Step{Stage: StageDevPay, Matched: !own.Allowed, Note: "data owner: " + own.Reason.String()})
		if !own.Allowed {
			return e.decide(ImplicitDeny, Reason{Stage: StageDevPay, Code: "devpay.owner_" + strings.TrimPrefix(own.Reason.String(), "devpay.")}), true
		}
	}
	return 0, false
}

// writeChecks applies the write-time rules: Object Ownership refusing ACLs,
// and Block Public Access refusing public ACLs and policies.
func (e *evaluation) writeChecks() (Decision, bool) {
	req := e.req
	if e.ec.Bucket != nil && (req.ACL != nil || req.CannedACL != "") {
		canned, explicit := req.CannedACL, req.ACL != nil && req.CannedACL == ""
		if explicit && e.ownerFullControlOnly(req.ACL) {
			// An explicit ACL granting what bucket-owner-full-control
			// grants counts as that canned ACL.
			canned, explicit = ownership.CannedBucketOwnerFullControl, false
		}
		if !e.ec.Bucket.Mode.AcceptsACL(canned, explicit) {
			return e.decide(ImplicitDeny, Reason{Stage: StageOwnership, Code: "acls-not-supported"}), true
		}
	}
	if e.bpa.BlockPublicAcls && req.ACL != nil && req.ACL.IsPublic() {
		return e.decide(ImplicitDeny, Reason{Stage: StageBlockPublicAccess, Code: "block-public-acls"}), true
	}
	if e.bpa.BlockPublicAcls && (req.CannedACL == "public-read" || req.CannedACL == "public-read-write" || req.CannedACL == "authenticated-read") {
		return e.decide(ImplicitDeny, Reason{Stage: StageBlockPublicAccess, Code: "block-public-acls"}), true
	}
	if e.bpa.BlockPublicPolicy && req.Policy != nil && strings.EqualFold(e.info.Name, "s3:PutBucketPolicy") && req.Policy.IsPublic() {
		return e.decide(ImplicitDeny, Reason{Stage: StageBlockPublicAccess, Code: "block-public-policy"}), true
	}
	return 0, false
}

// ownerFullControlOnly reports whether an ACL grants what the
// bucket-owner-full-control canned ACL grants: FULL_CONTROL to the bucket
// owner, and to nobody but the bucket owner and the ACL's owner.
func (e *evaluation) ownerFullControlOnly(a *acl.ACL) bool {
	if e.ec.Directory == nil {
		return false
	}
	bucketOwner, ok := e.ec.Directory.CanonicalID(e.ec.Bucket.Owner)
	if !ok {
		return false
	}
	granted := false
	for _, g := range a.Grants {
		if g.Grantee.Type != acl.CanonicalUser || g.Permission != acl.FullControl ||
			(g.Grantee.ID != string(bucketOwner) && g.Grantee.ID != a.Owner.ID) {
			return false
		}
		granted = granted || g.Grantee.ID == string(bucketOwner)
	}
	return granted
}

// lockOut is the bucket owner root's protection: it may always read, write
// and delete its bucket's policy, whatever the policy says.
func (e *evaluation) lockOut() (Decision, bool) {
	if !isBucketPolicyAction(e.info.Name) {
		return 0, false
	}
	if e.ec.Bucket == nil || e.caller != e.ec.Bucket.Owner {
		return 0, false
	}
	if e.req.Principal.IsRoot() {
		e.step(Step{Stage: StageOwnership, Matched: true, Note: "the bucket owner's root may always manage the bucket policy"})
		return e.decide(Allow, Reason{Stage: StageOwnership, Code: "owner-root-policy-lockout-protection"}), true
	}
	return 0, false
}

// isBucketPolicyAction reports whether name (a catalog spelling) is one of
// the actions on the bucket policy itself, which only the bucket owner's
// account may perform and its root always may.
func isBucketPolicyAction(name string) bool {
	switch name {
	case "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy":
		return true
	}
	return false
}

// ownerAccountOnly refuses the bucket policy actions to every account but
// the bucket owner's: S3 answers them 405 Method Not Allowed, whatever the
// policies grant. It also refuses the ACL-setting actions when ACLs are
// disabled (BucketOwnerEnforced): only uploads may still carry
// bucket-owner-full-control. An explicit Deny is reported first.
func (e *evaluation) ownerAccountOnly() (Decision, bool) {
	if e.ec.Bucket != nil && !e.ec.Bucket.Mode.ACLsEnabled() {
		switch e.info.Name {
		case "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl":
			return e.decide(ImplicitDeny, Reason{Stage: StageOwnership, Code: "acls-not-supported"}), true
		}
	}
	if !isBucketPolicyAction(e.info.Name) {
		return 0, false
	}
	if e.ec.Bucket == nil || e.caller == e.ec.Bucket.Owner {
		return 0, false
	}
	e.step(Step{Stage: StageOwnership, Matched: true, Note: "only the bucket owner's account may manage the bucket policy"})
	return e.decide(ImplicitDeny, Reason{Stage: StageOwnership, Code: "bucket-policy-owner-account-only"}), true
}

// policyRef names one prepared policy of the context.
type policyRef struct {
	p      *Prepared
	source Source
	index  int
	stage  Stage
}

// callerPolicies lists the caller's own policies: identity policies,
// boundary and session policies (IAM principals only).
func (e *evaluation) callerPolicies() []policyRef {
	if !e.iam {
		return nil
	}
	var refs []policyRef
	for i, p := range e.ec.Identity {
		refs = append(refs, policyRef{p, SourceIdentity, i, StageUser})
	}
	if e.ec.Boundary != nil {
		refs = append(refs, policyRef{e.ec.Boundary, SourceBoundary, 0, StageUser})
	}
	for i, p := range e.ec.Session {
		refs = append(refs, policyRef{p, SourceSession, i, StageUser})
	}
	return refs
}

// explicitDeny looks for a matching Deny statement in every policy that
// applies: the caller's own and the bucket policy.
func (e *evaluation) explicitDeny() (Decision, bool) {
	refs := e.callerPolicies()
	if e.ec.BucketPolicy != nil {
		refs = append(refs, policyRef{e.ec.BucketPolicy, SourceBucketPolicy, 0, StageBucket})
	}
	for _, r := range refs {
		i, _, err := e.firstMatch(r, policy.Deny)
		if err != nil {
			e.fail(err)
			return ImplicitDeny, true
		}
		if i >= 0 {
			st := &r.p.policy.Statements[i]
			return e.decide(ExplicitDeny, Reason{Stage: r.stage, Code: "explicit-deny", Source: r.source, Index: r.index, Sid: st.Sid, Pointer: st.Pointer}), true
		}
	}
	return 0, false
}

// grantKind is how a resource policy statement names the caller, which
// decides what else the caller needs (IAM's rules for resource-based
// policies in the same account).
type grantKind uint8

const (
	grantNone    grantKind = iota
	grantAccount           // the caller's account: a delegation
	grantRole              // the role of a role session
	grantDirect            // the user, the session, the federated user, a service, or everyone
)

// firstMatch returns the first statement of effect eff in r that matches the
// request, and how it names the caller (for resource policies).
func (e *evaluation) firstMatch(r policyRef, eff policy.Effect) (int, grantKind, error) {
	pol := r.p.policy
	e.cands = r.p.candidates(e.resource, e.req.Trace, e.cands[:0])
	for _, ci := range e.cands {
		i := int(ci)
		st := &pol.Statements[i]
		if st.Effect != eff {
			continue
		}
		kind := grantDirect
		if pol.Kind == policy.Bucket {
			kind = e.principalMatch(st)
			if kind == grantNone {
				note := "principal does not match"
				if st.NotPrincipal != nil {
					note = "NotPrincipal leaves the caller out"
				}
				e.traceStatement(r, st, false, note)
				continue
			}
		}
		if !e.actionMatches(st) {
			e.traceStatement(r, st, false, "action does not match")
			continue
		}
		if !e.resourceMatches(st) {
			e.traceStatement(r, st, false, "resource does not match")
			continue
		}
		ok, err := r.p.Conditions(i, &e.keys)
		if err != nil {
			return -1, grantNone, err
		}
		if !ok {
			e.traceStatement(r, st, false, "conditions do not hold")
			continue
		}
		e.traceStatement(r, st, true, st.Effect.String()+" statement matches")
		return i, kind, nil
	}
	return -1, grantNone, nil
}

func (e *evaluation) traceStatement(r policyRef, st *policy.Statement, matched bool, note string) {
	if e.req.Trace {
		e.step(Step{Stage: r.stage, Source: r.source, Index: r.index, Sid: st.Sid, Pointer: st.Pointer, Matched: matched, Note: note})
	}
}

func (e *evaluation) actionMatches(st *policy.Statement) bool {
	if st.Action != nil {
		for i := range st.Action {
			if st.Action[i].Match(e.req.Action) {
				return true
			}
		}
		return false
	}
	for i := range st.NotAction {
		if st.NotAction[i].Match(e.req.Action) {
			return false
		}
	}
	return true
}

func (e *evaluation) resourceMatches(st *policy.Statement) bool {
	if st.Resource != nil {
		for i := range st.Resource {
			if st.Resource[i].MatchVars(e.resource, &e.keys) {
				return true
			}
		}
		return false
	}
	for i := range st.NotResource {
		if st.NotResource[i].MatchVars(e.resource, &e.keys) {
			return false
		}
	}
	return true
}

// principalMatch tells whether a bucket policy statement's Principal (or
// NotPrincipal) covers the caller, and how it names it.
func (e *evaluation) principalMatch(st *policy.Statement) grantKind {
	if st.Principal != nil {
		return e.principalsMatch(st.Principal)
	}
	if st.NotPrincipal != nil && !e.excluded(st.NotPrincipal) {
		return grantDirect
	}
	return grantNone
}

// excluded reports whether NotPrincipal leaves the caller out. AWS checks a
// caller at each level of its identity — the account, then the role or
// user, then the session — so only a caller whose every level is listed is
// left out: a user needs its ARN and its account, a role session its
// session ARN, its role and its account.
func (e *evaluation) excluded(pr *policy.Principals) bool {
	p := &e.req.Principal
	if pr.Everyone() {
		return true
	}
	listed := func(want grantKind) bool {
		for _, v := range pr.AWS {
			if e.awsPrincipalMatch(v) == want {
				return true
			}
		}
		return false
	}
	account := func() bool {
		for _, v := range pr.AWS {
			if v == string(e.caller) || v == "arn:"+p.Partition()+":iam::"+string(e.caller)+":root" {
				return true
			}
		}
		return false
	}
	switch p.Type() {
	case ownership.PrincipalRoot:
		return account()
	case ownership.PrincipalUser, ownership.PrincipalFederatedUser:
		return account() && listed(grantDirect)
	case ownership.PrincipalAssumedRole:
		return account() && listed(grantRole) && listed(grantDirect)
	case ownership.PrincipalService:
		for _, v := range pr.Service {
			if v == p.Service() {
				return true
			}
		}
	}
	return false
}

func (e *evaluation) principalsMatch(pr *policy.Principals) grantKind {
	p := &e.req.Principal
	if pr.Everyone() {
		return grantDirect
	}
	best := grantNone
	for _, v := range pr.AWS {
		if k := e.awsPrincipalMatch(v); k > best {
			best = k
		}
	}
	if e.caller != "" && e.ec.Directory != nil && len(pr.CanonicalUser) > 0 {
		if c, ok := e.ec.Directory.CanonicalID(e.caller); ok {
			for _, v := range pr.CanonicalUser {
				if v == string(c) && best < grantAccount {
					best = grantAccount
					if p.IsRoot() {
						best = grantDirect
					}
				}
			}
		}
	}
	if p.IsService() {
		for _, v := range pr.Service {
			if v == p.Service() {
				best = grantDirect
			}
		}
	}
	return best
}

// awsPrincipalMatch matches one {"AWS": ...} entry.
func (e *evaluation) awsPrincipalMatch(v string) grantKind {
	p := &e.req.Principal
	if e.caller == "" {
		return grantNone // anonymous and services are named only by "*" or Service
	}
	acct := string(e.caller)
	if v == acct || v == "arn:"+p.Partition()+":iam::"+acct+":root" {
		if p.IsRoot() {
			return grantDirect
		}
		return grantAccount
	}
	if id := p.UniqueID(); id != "" && v == id {
		return grantDirect
	}
	a, ok := splitPrincipal(v)
	if !ok || a.account != acct {
		return grantNone
	}
	switch p.Type() {
	case ownership.PrincipalUser:
		if a.kind == "user" && a.name == p.Name() {
			return grantDirect
		}
	case ownership.PrincipalAssumedRole:
		switch {
		case a.kind == "role" && a.name == p.Name():
			return grantRole
		case a.kind == "assumed-role" && v == p.ARN():
			return grantDirect
		}
	case ownership.PrincipalFederatedUser:
		if a.kind == "federated-user" && v == p.ARN() {
			return grantDirect
		}
	}
	return grantNone
}

type principalARN struct{ account, kind, name string }

// splitPrincipal reads arn:P:iam::A:user/path/name, role/path/name,
// arn:P:sts::A:assumed-role/role/session and federated-user/name; name is
// the last path segment (user and role names are unique in an account
// whatever their path).
func splitPrincipal(v string) (principalARN, bool) {
	var parts [arnParts]string
	if !splitARN(v, &parts) {
		return principalARN{}, false
	}
	kind, rest, ok := strings.Cut(parts[5], "/")
	if !ok {
		return principalARN{}, false
	}
	name := rest
	if kind == "user" || kind == "role" {
		name = rest[strings.LastIndexByte(rest, '/')+1:]
	}
	return principalARN{account: parts[4], kind: kind, name: name}, true
}
