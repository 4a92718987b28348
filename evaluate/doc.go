// Package evaluate decides S3 requests the way Amazon S3 does, with the
// DevPay product restriction in front, and explains every decision.
//
// Parse policies with package policy, then [Prepare] each once; build a
// [Context] of what is stored (bucket and object records, prepared bucket
// policy, ACLs, the caller's prepared policies) and call [Evaluate] for
// each [Request]. The [Decision] is Allow, ExplicitDeny or ImplicitDeny (the
// zero value); the [Diagnostic] names the deciding [Stage] and the policy,
// statement (Sid and JSON pointer) or ACL grant, optionally with a trace of
// every step. A trace says, for each statement that did not apply, which element failed:
// the action, the principal, the resource, or the first condition that did
// not hold, with its operator, key and why ("StringLike s3:prefix: key
// absent", "IpAddress aws:SourceIp: 203.0.113.9 is in none of 2 blocks").
// Traces carry request values; keep them out of audit logs: package audit
// writes a decision's record without personal information.
//
// # The order of evaluation
//
//  1. The request is checked: a valid principal, a known S3 action, a
//     bucket and key where the action needs them, and records of the
//     resources the request names. A request that fails is denied with
//     ErrInvalidRequest. A caller the host disabled (Context.Lockout) is
//     denied before anything else but a valid principal is checked
//     (StageLockout, CodePrincipalDisabled).
//  2. The DevPay gate: data stored through a product is reachable only
//     through that product, by an active subscriber (or its developer), and
//     only while the customer who stored it is subscribed. A product
//     request to data stored outside any product is refused. The product a
//     request reaches is its bucket's (Bucket.Product): the product that
//     created a bucket binds it and every object in it, whether or not the
//     object's record names the product (DevPay rule DP-6). An object
//     record naming another product than its bucket's, or naming one in a
//     bucket of no product, is denied with ErrInvalidRecord.
//  3. Write-time rules: BucketOwnerEnforced refuses ACLs other than
//     bucket-owner-full-control (and the ACL-setting calls themselves,
//     unless Request.Extra says the action is a permission an upload
//     needs); BlockPublicAcls refuses a public ACL;
//     BlockPublicPolicy refuses a public policy in PutBucketPolicy.
//  4. The bucket owner's root may always get, put and delete its bucket
//     policy (lock-out protection).
//  5. An explicit Deny in the caller's identity policies, boundary, session
//     policies or the bucket policy decides.
//  6. The grant the request needs comes from the resource's owner: the
//     bucket owner for bucket actions and for creating and deleting objects,
//     the object owner otherwise (the bucket owner for every object under
//     BucketOwnerEnforced). That owner's root passes. An IAM caller of the
//     owning account passes on its identity permissions (within its
//     boundary and session policies) or on a resource grant naming it
//     directly; a grant to its role still needs the boundary and the
//     session policies, a grant to its account is a delegation that needs
//     the identity permissions. Anyone else needs the owner's grant — the
//     bucket policy when the owner owns the bucket, the ACL — and an IAM
//     caller also its own account's allow, which its account's bucket
//     policy can give when that account owns the bucket.
//  7. On objects other accounts own, the bucket owner may delete, delete
//     versions and restore; nothing else without the object ACL.
//
// Accounts named by canonical user ID — ACL grants to a CanonicalUser, and
// {"CanonicalUser": ID} in a bucket policy's Principal or NotPrincipal —
// are the accounts [Context.Directory] maps those IDs to, and ACL grants by
// e-mail (AmazonCustomerByEmail) the account it registers the address
// under, as S3 resolved them when it stored the ACL. Either kind names the
// account as its account ID does: its root user is granted, its IAM users,
// role sessions and federated users only by delegation (they need their own
// identity allow); in a NotPrincipal it lists the account level of a
// caller's identity. Without a directory, or for an ID or address it does
// not know, they name nobody.
//
// ACLs take part unless the bucket is BucketOwnerEnforced; IgnorePublicAcls
// makes their public grants apply to nobody (grant indices in reasons still
// count every stored grant) and RestrictPublicBuckets makes a public bucket
// policy grant nothing outside the bucket owner's account (services
// excepted). A nil stored ACL is the default one (the owner's
// FULL_CONTROL). Account and bucket Block Public Access combine, the most
// restrictive winning.
//
// Keys the evaluator derives — aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:username, aws:userid, aws:PrincipalIsAWSService,
// aws:PrincipalTag/*, aws:CurrentTime, aws:EpochTime, s3:ResourceAccount,
// aws:ResourceAccount, s3:ExistingObjectTag/*, and aws:ResourceTag/* and
// s3:BucketTag/* (the bucket's tags, only when the bucket has ABAC on) —
// come from the request and the records and override what the caller
// supplies.
//
// # The request context
//
// A condition sees the keys of the request context, which depends on the
// action. A global (aws:) key is in the context of every action whenever
// the request has a value for it, but for aws:RequestTag/<key>,
// aws:ResourceTag/<key> and aws:TagKeys. Those, and every S3 (s3:) key,
// derived or supplied, are in the context only of the actions whose row of
// the Service Authorization Reference lists them
// ([policy.ActionInfo.HasConditionKey]);
// for any other action a condition, or a policy variable, finds it absent,
// and a trace says so. So s3:ExistingObjectTag/<key> guards s3:GetObject
// and s3:PutObjectTagging but neither s3:PutObject nor s3:DeleteObject, and
// s3:prefix belongs to the list actions. An s3: key outside the catalog is
// in no action's context; keys of other services are the caller's
// business. The keys AWS always includes are never absent: aws:CurrentTime
// and aws:EpochTime date a request with a zero Time by [Context.Now], or by
// time.Now without one, and aws:SecureTransport and aws:ViaAWSService are
// "false" unless the request supplies them, so a TLS-only Deny cannot be
// skipped because the host said nothing.
//
// # Requests without a bucket record
//
// Two actions are evaluated without one. s3:ListAllMyBuckets names no
// bucket: Context.Bucket is nil, and the caller's own account decides (its
// root, or an identity policy Allow on "*" within the boundary and session
// policies). s3:CreateBucket names a bucket that does not exist yet:
// Context.Bucket must be nil (a record means the bucket exists, an invalid
// request, as S3 answers 409), there is no bucket policy, and the caller's
// own account decides the same way for arn:aws:s3:::NAME; the account's
// Block Public Access applies to ACL headers, and through a DevPay product
// the caller must be able to use it, the new bucket being bound to it.
//
// # Reason codes
//
// Every Diagnostic names a [Code] from a closed set, with the answer S3 gives
// for it ([Code.HTTPStatus], [Code.S3ErrorCode], [Code.S3ErrorMessage]):
//
//	constant                              name                                  S3 answer
//	CodeNone                              none                                  403 AccessDenied
//	CodeIdentityAllows                    identity-allows                       200
//	CodeBucketPolicyAllows                bucket-policy-allows                  200
//	CodeACLGrants                         acl-grants                            200
//	CodeAccountRoot                       account-root                          200
//	CodeResourceOwnerRoot                 resource-owner-root                   200
//	CodeBucketOwnerPower                  bucket-owner-power                    200
//	CodeOwnerRootPolicyLockoutProtection  owner-root-policy-lockout-protection  200
//	CodeExplicitDeny                      explicit-deny                         403 AccessDenied
//	CodeNoIdentityAllow                   no-identity-allow                     403 AccessDenied
//	CodeBoundaryDoesNotAllow              boundary-does-not-allow               403 AccessDenied
//	CodeSessionPolicyDoesNotAllow         session-policy-does-not-allow         403 AccessDenied
//	CodeNoResourceGrant                   no-resource-grant                     403 AccessDenied
//	CodeNoAccount                         no-account                            403 AccessDenied
//	CodeBlockPublicACLs                   block-public-acls                     403 AccessDenied
//	CodeBlockPublicPolicy                 block-public-policy                   403 AccessDenied
//	CodeRestrictPublicBuckets             restrict-public-buckets               403 AccessDenied
//	CodeACLsNotSupported                  acls-not-supported                    400 AccessControlListNotSupported
//	CodeBucketPolicyOwnerAccountOnly      bucket-policy-owner-account-only      405 MethodNotAllowed
//	CodeDevPayNoProduct                   devpay-no-product                     403 AccessDenied
//	CodeDevPayWrongProduct                devpay-wrong-product                  403 AccessDenied
//	CodeDevPayProductOnUnboundResource    devpay-product-on-unbound-resource    403 AccessDenied
//	CodeDevPayNotSubscribed               devpay-not-subscribed                 403 AccessDenied
//	CodeDevPayCancelled                   devpay-cancelled                      403 AccessDenied
//	CodeDevPaySuspended                   devpay-suspended                      403 AccessDenied
//	CodeDevPayUnknownProduct              devpay-unknown-product                403 AccessDenied
//	CodeDevPayInvalidCustomer             devpay-invalid-customer               403 AccessDenied
//	CodeDevPaySubscriptionError           devpay-subscription-error             500 InternalError
//	CodeDevPayOwnerNotSubscribed          devpay-owner-not-subscribed           403 AccessDenied
//	CodeDevPayOwnerCancelled              devpay-owner-cancelled                403 AccessDenied
//	CodeDevPayOwnerSuspended              devpay-owner-suspended                403 AccessDenied
//	CodeDevPayOwnerInvalidCustomer        devpay-owner-invalid-customer         403 AccessDenied
//	CodeDevPayOwnerSubscriptionError      devpay-owner-subscription-error       500 InternalError
//	CodeInvalidRequest                    invalid-request                       400 InvalidRequest
//	CodeInvalidRecord                     invalid-record                        500 InternalError
//	CodeConditionError                    condition-error                       403 AccessDenied
//	CodeLookupFailed                      lookup-failed                         500 InternalError
//	CodePrincipalDisabled                 principal-disabled                    403 AccessDenied
//
// The zero Code, CodeNone, is never returned and answers 403, so that an
// unset code never reads as an allow. Codes marshal as their names.
//
// # Choices where AWS leaves room
//
//   - NotPrincipal leaves a caller out only when every level of its identity
//     is listed: a root user's account, a user or federated user with its
//     account, a role session with its role and account.
//   - A bucket policy names a user or role by account and name; the path is
//     ignored, as IAM names are unique in an account.
//   - Service principals are matched by Service entries and, for log
//     delivery, the LogDelivery ACL group.
//   - Resources of actions on no bucket (s3:ListAllMyBuckets) match "*" and
//     arn:aws:s3:::*.
//   - A federated-user session without a session policy has no
//     permissions of its own; a role session without one is limited by
//     nothing. A resource grant to "*" or to AllUsers reaches such a
//     session as it reaches everyone.
//   - The request context follows the Service Authorization Reference's
//     action rows as published, including rows that look like oversights
//     (s3:GetBucketObjectLockConfiguration lists no
//     s3:x-amz-content-sha256). An s3: key the catalog does not know is in
//     no context, so a condition on it finds it absent.
//   - aws:SecureTransport and aws:ViaAWSService read "false" when the host
//     does not supply them; the host must supply aws:SourceIp (or
//     aws:SourceVpce for endpoint requests), whose absence the evaluator
//     cannot repair.
//   - Under ABAC a bucket's tags are both aws:ResourceTag/<key> and
//     s3:BucketTag/<key>, for the bucket and the objects in it; without
//     ABAC neither is present.
//   - Bool values may hold policy variables (the condition operators page
//     allows them, the variables page lists String and Arn only); one is
//     read once substituted, and a value that is then no boolean matches
//     nothing.
//   - DevPay: tokens identify the product; the host resolves them and passes
//     the product in Request.Product. The product's developer passes the
//     gate through its product but gets no implicit access; an ACL or
//     policy must still grant it. ACL grants to AllUsers on product data
//     reach only those who pass the gate. Denials at the gate are
//     ImplicitDeny with a CodeDevPay* reason code.
//   - Errors deny: a request value a condition cannot read, an unknown
//     action, a missing record, records that contradict each other. The
//     decision is then ImplicitDeny with Stage StageError and
//     Diagnostic.Err set to an [*Error] that names the stage, policy and
//     statement where the error was met and wraps the sentinel.
//
// # Conditions
//
// Condition blocks are compiled by [Prepare] and evaluated by
// [Prepared.Conditions], which Evaluate calls; they can be used on their own
// with [Keys].
//
// # Condition semantics
//
// Every IAM condition operator is supported, with exactly the documented
// semantics:
//
//   - String (case-sensitive; IgnoreCase with Unicode simple folding), Like
//     ('*' and '?' wildcards), Numeric (integers and decimals), Date (the W3C
//     profile of ISO 8601, or epoch seconds), Bool, BinaryEquals (base64 in
//     the policy, raw bytes in the request), IpAddress and NotIpAddress (IPv4
//     and IPv6 blocks; a bare address is a /32 or /128 block), Arn (the six
//     colon-separated components matched separately, ArnEquals and ArnLike
//     alike), and Null.
//   - The values listed for a key are alternatives (OR); keys and operators
//     AND together. A negated operator is the AND of the negations, true when
//     the key is absent; a positive operator is false then. ...IfExists makes
//     an absent key true.
//   - ForAnyValue: is false for an absent or empty key, ForAllValues: true;
//     with a negated operator the negation applies per request value
//     (ForAllValues:StringNotLike holds when no request value is like any
//     listed value).
//   - Key names match without regard to case, tag-key suffixes included;
//     values are case-sensitive except for the IgnoreCase operators.
//   - Policy variables in String and Arn values (Version 2012-10-17) are
//     substituted literally from the request's single-valued keys, with
//     defaults and the ${*} ${?} ${$} escapes; an unresolved variable makes
//     its value match nothing, so a negated operator holds. A Bool value
//     must read as true or false, so policy.Parse refuses one holding a
//     variable, as it refuses variables in Numeric, Date, Binary and IP
//     values.
//
// Choices where AWS leaves room:
//
//   - A multivalued request key tested without a set qualifier matches when
//     any of its values matches, and its negation holds when none does.
//   - A date of four digits or fewer is a year (YYYY); longer digit strings
//     are epoch seconds.
//   - Numbers are decimal: exponents, infinities and hexadecimal are refused
//     by policy.Parse, as are values that overflow. They compare as float64, so
//     integers beyond 2^53 that differ only in their last digits compare
//     equal.
//   - A date's time zone offset is less than 24 hours either way; epoch
//     seconds reach 2^40 (the year 36812).
//   - A request value an operator cannot read (a number, date, boolean or
//     address that does not parse, or an IP address with a zone) is an error
//     wrapping [ErrCondition], not a mismatch: evaluation fails closed rather
//     than letting a negated operator hold on garbage.
//
// # Checked at Prepare
//
// What a policy must be to prepare is checked where it is parsed, so that
// "valid" means one thing: [policy.Parse] types every condition value
// (CIDR blocks, dates, numbers, booleans, base64, ARNs) and checks each
// operator against its key's type in the catalog of global and S3
// condition keys ([policy.LookupConditionKey]): IpAddress on s3:prefix is
// an error, while keys outside the catalog take any operator and are read
// as strings. Prepare calls [policy.Policy.Validate], which runs the same
// checks with the same readers, so a policy Parse returned always prepares,
// and one built or changed by hand that Parse would have refused fails
// closed with the error Parse would have given: a *policy.Error naming the
// JSON pointer and offset of the value or key. Validate also checks the
// statement elements evaluation relies on (an Effect of Allow or Deny, one
// non-empty element of each pair Action/NotAction and
// Resource/NotResource, and in a bucket policy of Principal/NotPrincipal),
// so a statement built without them is refused rather than read as
// matching every action, resource or caller. Prepare then reads each
// value once for evaluation and compiles the condition blocks, which cannot
// fail for a validated policy: values read as they did in Validate, and
// every block's program is under the CEL cost limit whatever its shape
// (see Limits). Request values are read with the same readers as policy
// values.
//
// # CEL
//
// Each condition compiles to a small CEL expression over the request's
// values of its key and the prepared condition; CEL carries presence,
// IfExists, negation, the set qualifiers and the AND of a block, and Go
// functions registered in one process-wide environment carry the typed
// comparisons (globs, ARN components, CIDR blocks, dates, base64). The
// expression depends only on a block's shape, so blocks of the same shape
// share one compiled program ([Prepared.Programs]). The expressions have no
// loops, so CEL's static cost estimate bounds every evaluation at Prepare,
// which refuses a program over the limit; evaluation then needs no cost
// tracking. CEL types never appear in this package's API.
//
// # Limits
//
// The size of what Evaluate reads is bounded where it is parsed: policies
// by [policy.Parser] (20 KiB bucket, 64 KiB identity, 1000 statements,
// 20000 JSON values, depth 16), ACLs by [acl.Parser] (64 KiB,
// [acl.MaxGrants] grants). Here:
//
//   - a condition program takes at most 32 conditions; a larger block is
//     split into programs whose results are ANDed;
//   - a program's static CEL cost estimate must not exceed 10000, checked
//     at Prepare; a block of 32 conditions of any shape estimates well
//     under a tenth of it, so no validated policy is refused for it;
//   - the typed comparisons the programs call are linear in the policy
//     value and the request value (globs never backtrack exponentially);
//   - the ARN buffer a pooled evaluation keeps is at most 1280 bytes
//     (longer ARNs are built and then dropped).
//
// Any error while evaluating — an unreadable request value, an invalid
// request or record, a failed subscription lookup — denies, and no decision depends
// on the order of statements, policies, ACL grants or a key's values: a
// Deny that matches anywhere wins; a Deny that cannot be evaluated
// otherwise denies with the error; an Allow that cannot be evaluated
// counts as not matching, and the deny that results carries the error
// unless a matching Allow named the caller at least as strongly (so the
// failed one could not have granted more). A
// condition over several values is settled by any value that settles it
// (some value matches; for ForAllValues, some value does not), whatever
// the other values hold. Of the grants that match, the strongest decides
// how the caller is named (the caller itself or everyone, its role, its
// account).
//
// # Performance
//
// Everything that depends only on a policy is worked out by Prepare:
//
//   - each statement's Action or NotAction element becomes a set of catalog
//     actions (one bit per [policy.ActionInfo.Index]), so matching the
//     action is one bit test;
//   - Principal entries are read into their parts (account, user, role,
//     session) with a hash of what each names, compared with the caller's
//     hashes, worked out once per evaluation, before any string;
//   - Resource entries of the usual shapes (a bucket, an object, a key
//     prefix) are split so that the request's bucket and key are compared
//     directly, without building its ARN; a pattern with a variable or an
//     inner wildcard is matched against the ARN, built once per evaluation
//     in pooled memory;
//   - policies of 8 statements or more are indexed by partition and
//     bucket, then by exact key and key prefix (one map lookup per distinct
//     prefix length); the other statements ("*", bucket prefixes, globs,
//     variables, NotResource) are always considered. Candidates are
//     visited in document order, so the deciding statement is the one a
//     full scan finds, and a policy of 10,000 statements costs about what
//     one of 10 does. Traced evaluations scan every statement, to explain
//     each;
//   - condition blocks are compiled to CEL once per block shape.
//
// Evaluate does no parsing, no compiling and no string building, and
// allocates nothing on the paths the package's allocation tests pin: its
// state lives on its stack, and what conditions need (the CEL activation,
// the request's keys, the derived keys, resolved when a condition first
// asks for them) comes from a pool, taken only when a condition or a
// variable is reached. The exceptions: aws:CurrentTime and aws:EpochTime
// are formatted when a condition first reads them, an IgnoreCase value with
// a policy variable is substituted before the comparison, and a trace
// allocates its steps.
//
// # Concurrency and zero values
//
// A *Prepared is immutable and safe for concurrent use, and so is
// Evaluate: it modifies neither its Request nor its Context, and starts no
// goroutines. A Keys is written only by its owner; once built it may be read
// by concurrent evaluations. The zero Keys is empty and ready to use; the
// zero Decision denies; a nil Context.Now is time.Now.
package evaluate
