package evaluate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/s3authz/s3authz/acl"
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
// is then ImplicitDeny and Diagnostic.Err, an *Error, says why and where.
// The Reason's Stage is then StageError, with Code CodeInvalidRequest,
// CodeInvalidRecord or CodeConditionError when evaluation stopped (an
// invalid request, an invalid record, a Deny statement that could not be
// evaluated), or the code of the deny that stood when an Allow statement
// could not be evaluated; a gate that denied because of the error (a
// failed subscription lookup) keeps its own stage and code. No answer depends on the order of statements,
// policies, grants or request values. Evaluate is safe for concurrent use;
// it modifies neither argument. It is EvaluateContext with a context that
// is never done.
func Evaluate(req Request, ec Context) (Decision, Diagnostic) {
	return EvaluateContext(context.Background(), req, ec)
}

// EvaluateContext is Evaluate with a context that bounds the lookups the
// evaluation makes through the host's interfaces: the DevPay subscription
// lookup (Context.Subscriptions) and the account lookups
// (Context.Directory) each receive ctx. A lookup that fails — ctx
// cancelled or past its deadline, or the host's store failing — denies:
// a failed subscription lookup with CodeDevPaySubscriptionError (or
// CodeDevPayOwnerSubscriptionError) at StageDevPay, a failed directory
// lookup with CodeLookupFailed at StageError; Diagnostic.Err wraps the
// lookup's error (context.Canceled, context.DeadlineExceeded, ...).
// Nothing else reads ctx: evaluation itself stays synchronous, and a
// request that needs no lookup decides the same whatever ctx says.
func EvaluateContext(ctx context.Context, req Request, ec Context) (Decision, Diagnostic) {
	st := state{ctx: ctx}
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
//	(a directory lookup failed: lookupErr)      ImplicitDeny, Stage error, CodeLookupFailed,
//	                                            Err = lookupErr: the answer it did not give
//	                                            might have named the caller in a Deny
//	set       yes         -         any         d: a gate denied because of the error (a failed
//	                                            subscription lookup) and its stage and code stand
//	set       no          -         any         ImplicitDeny, Stage error, Code kept (or
//	                                            CodeConditionError when none was set):
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
	case st.lookupErr != nil:
		st.diag.Err, st.diag.Reason = st.lookupErr, Reason{Code: CodeLookupFailed}
		return st.stopped()
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
// StageError, with the code of the deny that stood, or CodeConditionError.
func (st *state) stopped() Decision {
	st.diag.Reason.Stage = StageError
	if st.diag.Reason.Code == CodeNone {
		st.diag.Reason.Code = CodeConditionError
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
	ctx  context.Context // handed to the host's lookups only

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
	lookupErr            error    // a directory lookup failed
	sc                   *scratch // taken on the first condition or variable
	target               target
}

// gateFailed reports the error that made a gate deny (a subscription
// lookup that failed); the gate's stage and reason stand.
func (e *evaluation) gateFailed(stage Stage, err error) {
	if err != nil {
		e.diag.Err, e.errDecided = &Error{Stage: stage, Err: err}, true
	}
}

// lookupFailed remembers the first directory lookup that failed, met at
// stage.
func (e *evaluation) lookupFailed(stage Stage, err error) {
	if err != nil && e.lookupErr == nil {
		e.lookupErr = lookupError(stage, err)
	}
}

// lookupError locates a failed lookup; it is kept out of line, as only a
// failing directory reaches it.
//
//go:noinline
func lookupError(stage Stage, err error) error { return &Error{Stage: stage, Err: err} }

// allowFailed remembers the first Allow statement that could not be
// evaluated.
func (e *evaluation) allowFailed(err error) {
	if err != nil && e.allowErr == nil {
		e.allowErr = err
	}
}

// fail stops the evaluation on err, with code.
func (e *evaluation) fail(code Code, err error) Decision {
	e.diag.Err = err
	e.diag.Reason.Code = code
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
	return &Error{Err: fmt.Errorf("%w: %s", ErrInvalidRequest, msg)}
}

func (e *evaluation) run() Decision {
	req, ec := e.req, e.ec
	p := &req.Principal
	if !p.IsValid() {
		return e.fail(CodeInvalidRequest, invalidRequest(badPrincipal, ""))
	}
	if ec.Lockout != nil && ec.Lockout.Disabled(*p) {
		e.step(Step{Stage: StageLockout, Matched: true, Note: "the caller is disabled"})
		return e.decide(ExplicitDeny, Reason{Stage: StageLockout, Code: CodePrincipalDisabled})
	}
	info, ok := policy.LookupAction(req.Action)
	if !ok {
		return e.fail(CodeInvalidRequest, invalidRequest(unknownAction, req.Action))
	}
	e.info = info
	e.object = info.Resource == policy.ResourceObject
	switch {
	case e.object && (req.Key == "" || req.Bucket == ""):
		return e.fail(CodeInvalidRequest, invalidRequest(needsBucketAndKey, info.Name))
	case info.Resource == policy.ResourceBucket && req.Bucket == "":
		return e.fail(CodeInvalidRequest, invalidRequest(needsBucket, info.Name))
	case strings.IndexByte(req.Bucket, '/') >= 0:
		// A bucket name never holds a slash; with one, the resource ARN
		// would read as another bucket's object.
		return e.fail(CodeInvalidRequest, invalidRequest(slashInBucket, req.Bucket))
	case e.is(classCreateBucket) && ec.Bucket != nil:
		// S3 answers 409 BucketAlreadyExists; there is nothing to
		// authorize.
		return e.fail(CodeInvalidRequest, invalidRequest(bucketExists, req.Bucket))
	case req.Bucket != "" && ec.Bucket == nil && !e.is(classCreateBucket):
		return e.fail(CodeInvalidRequest, invalidRequest(noBucketRecord, req.Bucket))
	case ec.Bucket != nil && ec.Bucket.Name != req.Bucket:
		// A record of another bucket would decide for this one.
		return e.fail(CodeInvalidRequest, invalidRequest(otherBucketRecord, req.Bucket))
	case e.object && ec.Object != nil && (ec.Object.Key != req.Key || ec.Object.Bucket != req.Bucket):
		return e.fail(CodeInvalidRequest, invalidRequest(otherObjectRecord, req.Key))
	case e.object && ec.Object != nil && ec.Object.Product != "" && ec.Object.Product != ec.Bucket.Product:
		return e.fail(CodeInvalidRecord, productMismatch(ec.Object, ec.Bucket.Product))
	}
	e.caller = p.Account()
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
	c, ok, err := e.ec.Directory.CanonicalID(e.ctx, e.caller)
	e.lookupFailed(StageNone, err)
	if ok && err == nil {
		e.who.canonical = string(c)
		e.requester.CanonicalID = c
		e.requester.Directory = e.ec.Directory
	}
}

// is reports whether the request's action is of class c.
func (e *evaluation) is(c actionClass) bool { return actionClasses[e.info.Index]&c != 0 }
