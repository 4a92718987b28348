package evaluate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// ErrInvalidRequest marks a request the evaluator cannot decide on: no
// valid principal or action, an object action without a key, a bucket
// action without a bucket record, or a record of another resource than
// the request names (a Context.Bucket whose Name is not Request.Bucket, a
// Context.Object whose Bucket and Key are not the request's). The decision
// denies.
var ErrInvalidRequest = errors.New("evaluate: invalid request")

// ErrInvalidRecord marks a context whose records contradict each other, so
// that the evaluator cannot tell what the resource is bound to: an object
// record naming another DevPay product than its bucket's, or naming one in
// a bucket created through none (a product binds its bucket and every
// object in it, DevPay rule DP-6). The decision denies.
var ErrInvalidRecord = errors.New("evaluate: invalid record")

// Evaluate decides req against what ec says is stored, the way Amazon S3
// does, with the DevPay product restriction in front. See the package
// documentation for the order of the steps. Any error denies: the Decision
// is then ImplicitDeny and Diagnostic.Err says why. The Reason's Stage is
// then StageError, with Code "error" when evaluation stopped (an invalid
// request, an invalid record, a Deny statement that could not be evaluated) or the code of the
// deny that stood when an Allow statement could not be evaluated; a gate
// that denied because of the error (a failed subscription lookup) keeps its
// own stage and code. No answer depends on the order of statements,
// policies, grants or request values. Evaluate is safe for concurrent use;
// it modifies neither argument.
func Evaluate(req Request, ec Context) (Decision, Diagnostic) {
	var st state
	e := evaluation{req: &req, ec: &ec, state: &st}
	d := e.run()
	if e.sc != nil {
		e.sc.release()
	}
	return st.resolve(d), st.diag
}

// resolve settles decision d against the errors the evaluation met, so
// that no error ever allows. The rows are read in order; the first that
// fits decides:
//
//	diag.Err  errDecided  allowErr  decision    result
//	set       yes         -         any         d: a gate denied because of the error (a failed
//	                                            subscription lookup) and its stage and code stand
//	set       no          -         any         ImplicitDeny, Stage error, Code kept or "error":
//	                                            evaluation stopped (an invalid request or record,
//	                                            a Deny statement that could not be evaluated)
//	nil       -           set       not Allow   d, Err = allowErr, Stage error, Code of the deny:
//	                                            an Allow that could not be evaluated might have
//	                                            granted, so the deny says it could not be sure
//	nil       -           set       Allow       Allow: another Allow held; the failed one could
//	                                            add nothing
//	nil       -           nil       any         d
func (st *state) resolve(d Decision) Decision {
	switch {
	case st.diag.Err != nil && st.errDecided:
		return d
	case st.diag.Err != nil:
		return st.stopped()
	case st.allowErr != nil && d != Allow:
		st.diag.Err = st.allowErr
		return st.stopped()
	}
	return d
}

// stopped records that an error decided: the decision is ImplicitDeny at
// StageError, with the code of the deny that stood, or "error".
func (st *state) stopped() Decision {
	st.diag.Reason.Stage = StageError
	if st.diag.Reason.Code == "" {
		st.diag.Reason.Code = "error"
	}
	return ImplicitDeny
}

// evaluation carries one Evaluate call. It, the request and context it
// points to, and its state all live on Evaluate's stack, which is why the
// state sits behind a pointer of its own: values read from the state (and
// handed to interfaces) are two dereferences away from an evaluation, so
// Go's escape analysis keeps the request and context where they are.
// Nothing keeps a pointer to any of them beyond the call; what conditions
// need is copied into the pooled scratch.
type evaluation struct {
	req *Request
	ec  *Context
	*state
}

// state is what an evaluation works out and decides.
type state struct {
	diag Diagnostic

	caller               ownership.AccountID // the caller's account, "" when none
	who                  caller              // the caller's principal IDs, once whoDone
	whoDone              bool
	iam                  bool // an IAM principal: user, role session, federated user
	object               bool // an object action
	info                 policy.ActionInfo
	bpa                  ownership.PublicAccessBlock
	acls                 bool // ACLs take part (not BucketOwnerEnforced)
	bucketACL, objectACL *acl.ACL
	requester            acl.Requester
	canonicalDone        bool     // who.canonical and requester.CanonicalID are looked up
	denyErr              error    // a Deny statement could not be evaluated
	errDecided           bool     // diag.Err made a gate deny, which names its own stage
	allowErr             error    // an Allow statement could not be evaluated
	sc                   *scratch // taken on the first condition or variable
	target               target
}

// gateFailed reports the error that made a gate deny (a subscription
// lookup that failed); the gate's stage and reason stand.
func (e *evaluation) gateFailed(err error) {
	if err != nil {
		e.diag.Err, e.errDecided = err, true
	}
}

// allowFailed remembers the first Allow statement that could not be
// evaluated.
func (e *evaluation) allowFailed(err error) {
	if err != nil && e.allowErr == nil {
		e.allowErr = err
	}
}

func (e *evaluation) fail(err error) Decision {
	e.diag.Err = err
	return ImplicitDeny
}

func (e *evaluation) decide(d Decision, r Reason) Decision {
	e.diag.Reason = r
	return d
}

func (e *evaluation) step(s Step) {
	if e.req.Trace {
		e.record(s)
	}
}

// record appends a step to the trace. It, invalidRequest and
// traceStatement are kept out of line: the paths that reach them are cold,
// and the hot functions stay small enough for the instruction cache.
//
//go:noinline
func (e *evaluation) record(s Step) { e.diag.Trace = append(e.diag.Trace, s) }

// The invalid requests run refuses.
const (
	badPrincipal = iota
	unknownAction
	needsBucketAndKey
	needsBucket
	slashInBucket
	noBucketRecord
	otherBucketRecord
	otherObjectRecord
	bucketExists
)

// invalidRequest is the error of an invalid request of the given kind
// about s (an action or bucket name).
//
//go:noinline
func invalidRequest(kind int, s string) error {
	var msg string
	switch kind {
	case badPrincipal:
		msg = "no valid principal"
	case unknownAction:
		msg = "unknown S3 action " + strconv.Quote(s)
	case needsBucketAndKey:
		msg = s + " needs a bucket and a key"
	case needsBucket:
		msg = s + " needs a bucket"
	case slashInBucket:
		msg = "bucket name " + strconv.Quote(s) + " holds a '/'"
	case otherBucketRecord:
		msg = "the bucket record is not that of bucket " + strconv.Quote(s)
	case otherObjectRecord:
		msg = "the object record is not that of key " + errfmt.Quote(s)
	case bucketExists:
		msg = "s3:CreateBucket of " + strconv.Quote(s) + ", which has a bucket record: it exists"
	default:
		msg = "no bucket record for " + strconv.Quote(s)
	}
	return fmt.Errorf("%w: %s", ErrInvalidRequest, msg)
}

func (e *evaluation) run() Decision {
	req, ec := e.req, e.ec
	p := &req.Principal
	if !p.IsValid() {
		return e.fail(invalidRequest(badPrincipal, ""))
	}
	info, ok := policy.LookupAction(req.Action)
	if !ok {
		return e.fail(invalidRequest(unknownAction, req.Action))
	}
	e.info = info
	e.object = info.Resource == policy.ResourceObject
	switch {
	case e.object && (req.Key == "" || req.Bucket == ""):
		return e.fail(invalidRequest(needsBucketAndKey, info.Name))
	case info.Resource == policy.ResourceBucket && req.Bucket == "":
		return e.fail(invalidRequest(needsBucket, info.Name))
	case strings.IndexByte(req.Bucket, '/') >= 0:
		// A bucket name never holds a slash; with one, the resource ARN
		// would read as another bucket's object.
		return e.fail(invalidRequest(slashInBucket, req.Bucket))
	case e.is(classCreateBucket) && ec.Bucket != nil:
		// S3 answers 409 BucketAlreadyExists; there is nothing to
		// authorize.
		return e.fail(invalidRequest(bucketExists, req.Bucket))
	case req.Bucket != "" && ec.Bucket == nil && !e.is(classCreateBucket):
		return e.fail(invalidRequest(noBucketRecord, req.Bucket))
	case ec.Bucket != nil && ec.Bucket.Name != req.Bucket:
		// A record of another bucket would decide for this one.
		return e.fail(invalidRequest(otherBucketRecord, req.Bucket))
	case e.object && ec.Object != nil && (ec.Object.Key != req.Key || ec.Object.Bucket != req.Bucket):
		return e.fail(invalidRequest(otherObjectRecord, req.Key))
	case e.object && ec.Object != nil && ec.Object.Product != "" && ec.Object.Product != ec.Bucket.Product:
		return e.fail(productMismatch(ec.Object, ec.Bucket.Product))
	}
	if a, ok := p.ParentAccount(); ok {
		e.caller = a
	}
	switch p.Type() {
	case ownership.PrincipalUser, ownership.PrincipalAssumedRole, ownership.PrincipalFederatedUser:
		e.iam = true
	}
	e.setTarget(p.Partition(), req.Bucket, req.Key)
	if ec.Bucket != nil {
		e.bpa = ec.AccountBlockPublicAccess.Combine(ec.Bucket.PublicAccessBlock)
		e.acls = ec.Bucket.Mode.ACLsEnabled()
	} else {
		// A bucket being created has only its account's setting.
		e.bpa = ec.AccountBlockPublicAccess
	}
	if e.acls {
		e.bucketACL, e.objectACL = ec.BucketACL, ec.ObjectACL
	}
	e.requester = acl.Requester{Authenticated: !p.IsAnonymous(), IgnorePublic: e.bpa.IgnorePublicAcls}
	switch {
	case p.IsAnonymous():
		e.requester.CanonicalID = acl.AnonymousID
	case p.IsService():
		e.requester.LogDelivery = p.Service() == "logging.s3.amazonaws.com"
	}

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

// setTarget sets the request's resource, in parts.
func (e *evaluation) setTarget(partition, bucket, key string) {
	if partition == "" {
		partition = "aws"
	}
	e.target = target{partition: partition, bucket: bucket, key: key, object: key != ""}
	if bucket == "" {
		// Actions on no resource are granted with "*"; AWS's own examples
		// also use arn:aws:s3:::*, which matches this.
		e.target = target{partition: partition, bucket: "*"}
	}
}

// arn returns the request's resource ARN, built in the scratch space on
// first use. It is valid until the scratch is released at the end of
// Evaluate, and is never stored.
func (e *evaluation) arn() string {
	sc := e.vars()
	if len(sc.arn) == 0 {
		sc.arn = e.target.arn(sc.arn)
	}
	return unsafe.String(unsafe.SliceData(sc.arn), len(sc.arn))
}

// vars returns the request's condition keys and policy variables, taking the
// scratch space on first use.
func (e *evaluation) vars() *scratch {
	if e.sc != nil {
		return e.sc
	}
	sc := getScratch()
	req, ec := e.req, e.ec
	v := &sc.vars
	v.action = e.info.Index
	v.principal = req.Principal
	v.principalTags = req.PrincipalTags
	v.keys = req.Keys
	v.time, v.clock = req.Time, ec.Now
	if ec.Bucket != nil {
		v.resourceAcct = string(ec.Bucket.Owner)
		if ec.Bucket.ABAC {
			v.bucketTags = ec.Bucket.Tags
		}
	}
	if e.object && ec.Object != nil {
		v.objectTags = ec.Object.Tags
	}
	e.sc = sc
	return sc
}

// lookupCanonical finds the caller's canonical user ID, for ACL grants and
// CanonicalUser principals, the first time either needs it. The requester
// then also gets the directory, through which an ACL resolves an e-mail
// grantee when it reaches one.
func (e *evaluation) lookupCanonical() {
	if e.canonicalDone {
		return
	}
	e.canonicalDone = true
	if e.caller == "" || e.ec.Directory == nil || e.req.Principal.IsService() {
		return
	}
	if c, ok := e.ec.Directory.CanonicalID(e.caller); ok {
		e.who.canonical = string(c)
		e.requester.CanonicalID = string(c)
		e.requester.Directory = e.ec.Directory
	}
}

// devpayGate applies the product restriction: data stored through a product
// is reachable only through it, by active subscribers, and only while the
// customer who stored it is subscribed.
//
// What a request reaches is bound to its bucket's product: the product that
// created a bucket binds the bucket and every object in it, whether or not
// the object's record names the product (DevPay rule DP-6: "only your
// product can access that bucket and the objects in it"). An object record
// may name no product or its bucket's; one naming any other is an invalid
// record. For an object action with a record:
//
//	Bucket.Product  Object.Product  the object is
//	""              ""              stored outside any product
//	P               ""              bound to P
//	P               P               bound to P
//	P               Q != P          invalid: ErrInvalidRecord, deny
//	""              Q               invalid: ErrInvalidRecord, deny
//
// run refuses the two invalid rows before any gate; the data owner's
// subscription is checked against the bucket's product.
func (e *evaluation) devpayGate() (Decision, bool) {
	var product string
	if e.ec.Bucket != nil {
		product = e.ec.Bucket.Product
	}
	if e.is(classCreateBucket) {
		// A bucket created through a product is bound to it (DP-6): the
		// caller must be able to use the product.
		product = string(e.req.Product)
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
		e.gateFailed(res.Err)
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
	if e.is(classCreateBucket) {
		owner = ownership.AccountOwner(e.caller) // the bucket will be the caller's
	}
	if product != "" && owner.Account != e.caller {
		own := catalog.Check(devpay.ProductCode(product), devpay.ProductCode(product), string(owner.Account), e.ec.Subscriptions)
		if e.req.Trace {
			e.step(Step{Stage: StageDevPay, Matched: !own.Allowed, Note: "data owner: " + own.Reason.String()})
		}
		if !own.Allowed {
			e.gateFailed(own.Err)
			return e.decide(ImplicitDeny, Reason{Stage: StageDevPay, Code: "devpay.owner_" + strings.TrimPrefix(own.Reason.String(), "devpay.")}), true
		}
	}
	return 0, false
}

// bucketProduct describes a bucket's product for an error message.
// productMismatch is the error of an object record naming another product
// than its bucket's (see devpayGate), built out of line: run checks for it
// with the other invalid requests.
//
//go:noinline
func productMismatch(o *ownership.Object, product string) error {
	return fmt.Errorf("%w: object %s names DevPay product %s, its bucket %s", ErrInvalidRecord,
		errfmt.Quote(o.Key), errfmt.Quote(o.Product), bucketProduct(product))
}

func bucketProduct(product string) string {
	if product == "" {
		return "was created through no product"
	}
	return "was created through " + errfmt.Quote(product)
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
	if e.bpa.BlockPublicPolicy && req.Policy != nil && e.is(classPutBucketPolicy) && req.Policy.IsPublic() {
		return e.decide(ImplicitDeny, Reason{Stage: StageBlockPublicAccess, Code: "block-public-policy"}), true
	}
	return 0, false
}

// ownerFullControlOnly reports whether an ACL grants what the
// bucket-owner-full-control canned ACL grants: FULL_CONTROL to the bucket
// owner, and to nobody but the bucket owner and the ACL's owner, each named
// by canonical ID or by e-mail.
func (e *evaluation) ownerFullControlOnly(a *acl.ACL) bool {
	if e.ec.Directory == nil {
		return false
	}
	bucketOwner, ok := e.ec.Directory.CanonicalID(e.ec.Bucket.Owner)
	if !ok {
		return false
	}
	granted := false
	for i := range a.Grants {
		g := &a.Grants[i]
		id, ok := g.Grantee.CanonicalID(e.ec.Directory)
		if !ok || g.Permission != acl.FullControl || (id != string(bucketOwner) && id != a.Owner.ID) {
			return false
		}
		granted = granted || id == string(bucketOwner)
	}
	return granted
}

// lockOut is the bucket owner root's protection: it may always read, write
// and delete its bucket's policy, whatever the policy says.
func (e *evaluation) lockOut() (Decision, bool) {
	if !e.is(classBucketPolicy) {
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

// is reports whether the request's action is of class c.
func (e *evaluation) is(c actionClass) bool { return actionClasses[e.info.Index]&c != 0 }

// ownerAccountOnly refuses the bucket policy actions to every account but
// the bucket owner's: S3 answers them 405 Method Not Allowed, whatever the
// policies grant. It also refuses the ACL-setting actions when ACLs are
// disabled (BucketOwnerEnforced): only uploads may still carry
// bucket-owner-full-control. An explicit Deny is reported first.
func (e *evaluation) ownerAccountOnly() (Decision, bool) {
	if e.is(classSetACL) && e.ec.Bucket != nil && !e.ec.Bucket.Mode.ACLsEnabled() {
		return e.decide(ImplicitDeny, Reason{Stage: StageOwnership, Code: "acls-not-supported"}), true
	}
	if !e.is(classBucketPolicy) {
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

// explicitDeny looks for a matching Deny statement in every policy that
// applies: the caller's own (identity policies, boundary and session
// policies, for IAM principals only) and the bucket policy.
func (e *evaluation) explicitDeny() (Decision, bool) {
	d, done := e.explicitDenyPass()
	if !done && e.denyErr != nil {
		// No Deny matched, but one could not be evaluated: it might have.
		e.fail(e.denyErr)
		return ImplicitDeny, true
	}
	return d, done
}

// explicitDenyPass decides ExplicitDeny on the first Deny that matches in
// any policy; a Deny that cannot be evaluated is remembered in denyErr and
// the search goes on, so a Deny that does match is found whatever the
// order of policies and statements.
func (e *evaluation) explicitDenyPass() (Decision, bool) {
	ec := e.ec
	if e.iam {
		for i, p := range ec.Identity {
			if d, done := e.denies(policyRef{p, SourceIdentity, i, StageUser}); done {
				return d, true
			}
		}
		if ec.Boundary != nil {
			if d, done := e.denies(policyRef{ec.Boundary, SourceBoundary, 0, StageUser}); done {
				return d, true
			}
		}
		for i, p := range ec.Session {
			if d, done := e.denies(policyRef{p, SourceSession, i, StageUser}); done {
				return d, true
			}
		}
	}
	if ec.BucketPolicy != nil {
		return e.denies(policyRef{ec.BucketPolicy, SourceBucketPolicy, 0, StageBucket})
	}
	return 0, false
}

// denies decides ExplicitDeny when a Deny statement of r matches.
func (e *evaluation) denies(r policyRef) (Decision, bool) {
	i, _, err := e.firstMatch(r, policy.Deny)
	if err != nil && e.denyErr == nil {
		e.denyErr = err
	}
	if i < 0 {
		return 0, false
	}
	st := &r.p.policy.Statements[i]
	return e.decide(ExplicitDeny, Reason{Stage: r.stage, Code: "explicit-deny", Source: r.source, Index: r.index, Sid: st.Sid, Pointer: st.Pointer}), true
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

// firstMatch returns a statement of effect eff in r that matches the
// request, and how it names the caller (for resource policies): the first
// Deny that matches, or the first Allow of the strongest kind (a grant to
// the caller's account does not hide a later grant to the caller itself).
// A statement whose conditions cannot be evaluated neither matches nor
// stops the search, so the answer never depends on statement order: its
// error is returned when no statement matches, or beside an Allow that
// names the caller less strongly than it might have. Only the statements
// the resource index finds are considered, cheapest test first: effect and
// action (bits), principal, resource, then conditions.
func (e *evaluation) firstMatch(r policyRef, eff policy.Effect) (int, grantKind, error) {
	pp := r.p
	trace := e.req.Trace
	if !trace && !pp.effects[eff].has(e.info.Index) {
		return -1, grantNone, nil // no statement of this effect covers the action
	}
	var buf [32]int32
	var cands []int32
	n := len(pp.stmts)
	if pp.indexed(trace) {
		cands = pp.index.candidates(&e.target, buf[:0])
		n = len(cands)
	}
	best, bestKind := -1, grantNone
	var failed error
	failedKind := grantNone // the strongest kind among the statements that failed
	for c := range n {
		i := c
		if cands != nil {
			i = int(cands[c])
		}
		ps := &pp.stmts[i]
		if ps.effect != eff || (best >= 0 && !trace && ps.principals == nil) {
			// Past a match, only a statement that may name the caller
			// more strongly is of interest.
			continue
		}
		if !ps.actions.has(e.info.Index) {
			if trace {
				e.traceStatement(r, i, false, "action does not match")
			}
			continue
		}
		kind := grantDirect
		if ps.principals != nil {
			kind = e.principalMatch(ps)
			if kind == grantNone {
				if trace {
					note := "principal does not match"
					if ps.notPrincipal {
						note = "NotPrincipal leaves the caller out"
					}
					e.traceStatement(r, i, false, note)
				}
				continue
			}
		}
		st := &pp.policy.Statements[i]
		if !e.resourceMatches(st, ps) {
			if trace {
				e.traceStatement(r, i, false, "resource does not match")
			}
			continue
		}
		if kind <= bestKind {
			continue
		}
		if len(ps.conds) > 0 {
			sc := e.vars()
			ok, err := pp.holds(i, &sc.vars, e.info.Index, &sc.act)
			if err != nil {
				if failed == nil || kind > failedKind {
					failed, failedKind = err, kind
				}
				if trace {
					e.traceStatement(r, i, false, "conditions could not be evaluated: "+e.explainConditions(pp, i))
				}
				continue
			}
			if !ok {
				if trace {
					e.traceStatement(r, i, false, "conditions do not hold: "+e.explainConditions(pp, i))
				}
				continue
			}
		}
		if trace {
			e.traceStatement(r, i, true, st.Effect.String()+" statement matches"+e.outOfContext(ps))
		}
		if eff == policy.Deny || kind == grantDirect {
			return i, kind, nil
		}
		best, bestKind = i, kind
	}
	// A statement that could not be evaluated is reported even beside a
	// match, when it might have named the caller more strongly.
	if best >= 0 && failedKind <= bestKind {
		failed = nil
	}
	return best, bestKind, failed
}

// outOfContext names, for a trace, the keys of a statement's conditions
// that the action's request context does not hold, which the conditions
// then found absent whatever the request supplied: "; s3:prefix is not in
// the request context of s3:GetObject".
func (e *evaluation) outOfContext(ps *preparedStatement) string {
	var b strings.Builder
	for _, c := range ps.conds {
		if c.inContext(e.info.Index) {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("; ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(c.src.Key)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString(" not in the request context of " + e.info.Name)
	return b.String()
}

//go:noinline
func (e *evaluation) traceStatement(r policyRef, i int, matched bool, note string) {
	st := &r.p.policy.Statements[i]
	e.step(Step{Stage: r.stage, Source: r.source, Index: r.index, Sid: st.Sid, Pointer: st.Pointer, Matched: matched, Note: note})
}

// resourceMatches matches the statement's Resource or NotResource element,
// by parts where the patterns allow, otherwise against the whole ARN.
func (e *evaluation) resourceMatches(st *policy.Statement, ps *preparedStatement) bool {
	pats := st.Resource
	if ps.notResource {
		pats = st.NotResource
	}
	found := false
	for i := range ps.resources {
		m, whole := ps.resources[i].matchParts(&e.target)
		if whole {
			var v policy.Vars
			if ps.vars {
				v = &e.vars().vars
			}
			m = pats[i].MatchVars(e.arn(), v)
		}
		if m {
			found = true
			break
		}
	}
	return found != ps.notResource
}

// principalMatch tells whether a bucket policy statement's Principal (or
// NotPrincipal) covers the caller, and how it names it.
func (e *evaluation) principalMatch(ps *preparedStatement) grantKind {
	if ps.principals.everyone {
		if ps.notPrincipal {
			return grantNone
		}
		return grantDirect
	}
	if len(ps.principals.canonical) > 0 {
		e.lookupCanonical()
	}
	if !e.whoDone {
		e.who, e.whoDone = newCaller(&e.req.Principal, string(e.caller), e.who.canonical), true
	}
	if !ps.notPrincipal {
		return ps.principals.match(&e.who, &e.req.Principal)
	}
	if ps.principals.excludes(&e.who, &e.req.Principal) {
		return grantNone
	}
	return grantDirect
}
