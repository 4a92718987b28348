package evaluate

import (
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// Request is one S3 request to decide: who asks for which action on which
// bucket or object, through which DevPay product, with which condition keys.
type Request struct {
	// Principal is the caller: a root user, IAM user, role session,
	// federated user, service or the anonymous user.
	Principal ownership.Principal
	// PrincipalTags are the caller's tags (aws:PrincipalTag/KEY).
	PrincipalTags []ownership.Tag
	// Action is the S3 action, e.g. "s3:GetObject"; case does not matter.
	Action string
	// Bucket is the bucket name; "" for actions on no resource, such as
	// s3:ListAllMyBuckets.
	Bucket string
	// Key is the object key of an object action.
	Key string
	// Product is the DevPay product the request came through (the host has
	// checked its tokens); "" for a direct request.
	Product devpay.ProductCode
	// Keys are the condition keys the request supplies (aws:SourceIp,
	// s3:prefix, ...). The keys the evaluator derives itself — the
	// aws:Principal* keys, aws:username, aws:userid, aws:CurrentTime,
	// aws:EpochTime, s3:ResourceAccount, aws:ResourceAccount,
	// s3:ExistingObjectTag/*, aws:ResourceTag/*, s3:BucketTag/* — are
	// computed from the request and context and
	// override any supplied value. An s3: key is seen only by the actions
	// whose request context holds it (see the package documentation). May
	// be nil.
	Keys *Keys
	// Time is the request time, for aws:CurrentTime and aws:EpochTime,
	// which are in the context of every request ("This key is always
	// included in the request context", AWS global condition context
	// keys). The zero time means now, as Context.Now tells.
	Time time.Time
	// ACL is the ACL a write would store (PutBucketAcl, PutObjectAcl, or a
	// PutObject carrying ACL headers), for Block Public Access and Object
	// Ownership checks; nil when the request carries none.
	ACL *acl.ACL
	// CannedACL is the x-amz-acl header of such a request, "" if absent.
	CannedACL string
	// Policy is the policy PutBucketPolicy would store, for Block Public
	// Access.
	Policy *policy.Policy
	// Extra marks an action asked as a permission another operation needs
	// besides its own — PutObject's s3:PutObjectAcl when the upload carries
	// an ACL — rather than as the API call of that name. The rule that
	// refuses the call itself when ACLs are disabled (PutObjectAcl on a
	// BucketOwnerEnforced bucket) then does not apply; the ACL the request
	// carries (CannedACL, ACL) is judged as for the upload.
	Extra bool
	// Trace asks for a record of every step in the Diagnostic.
	Trace bool
}

// Context is what is stored: the bucket and object records, their policies
// and ACLs, the caller's policies, and the services the evaluator asks.
type Context struct {
	// Bucket is the bucket the request names; nil for actions on no bucket.
	Bucket *ownership.Bucket
	// Object is the object of an object action; nil when it does not exist
	// (a new PutObject) or the action is not on an object.
	Object *ownership.Object
	// BucketPolicy is the bucket's prepared policy, nil if it has none.
	BucketPolicy *Prepared
	// BucketACL and ObjectACL are the stored ACLs; nil means the default
	// ACL, the owner's FULL_CONTROL. Under BucketOwnerEnforced they are
	// ignored.
	BucketACL *acl.ACL
	ObjectACL *acl.ACL
	// Identity are the caller's prepared identity policies (user, group and
	// role policies); Boundary its permissions boundary; Session the session
	// policies of a role or federated-user session.
	Identity []*Prepared
	Boundary *Prepared
	Session  []*Prepared
	// AccountBlockPublicAccess is the bucket owner account's Block Public
	// Access; it combines with the bucket's own setting.
	AccountBlockPublicAccess ownership.PublicAccessBlock
	// Products lists the DevPay products; Subscriptions answers whether a
	// customer is subscribed. Both are needed only for product-bound data.
	// The subscription lookup receives EvaluateContext's context.
	Products      *devpay.Catalog
	Subscriptions devpay.Subscriptions
	// Directory maps accounts to canonical IDs, and e-mail addresses to
	// accounts, for ACL grants (a grant by e-mail is a grant to the
	// account registered under the address) and CanonicalUser principals.
	// Without one, such grants and principals name nobody. Its lookups
	// receive EvaluateContext's context; one that fails denies
	// (CodeLookupFailed).
	Directory ownership.Directory
	// Lockout is the host's set of disabled callers (account lockout: the
	// Data Protection Policy's §1.2 asks that anomalous use can disable an
	// account). Evaluate asks it first; a disabled caller is denied with
	// ExplicitDeny at StageLockout, CodePrincipalDisabled, whatever the
	// policies say. Nil disables nobody. audit.LockoutSet is one.
	Lockout Lockout
	// Now is the clock that dates a request whose Time is zero; nil means
	// time.Now. It is read at most once per evaluation, and only when a
	// condition or variable reads aws:CurrentTime or aws:EpochTime. Tests
	// and fixtures set a fixed one.
	Now func() time.Time
}

// Lockout is a set of disabled callers. Disabled must be safe for
// concurrent use and fast: Evaluate calls it for every request.
type Lockout interface {
	// Disabled reports whether p may not make any request.
	Disabled(p ownership.Principal) bool
}
