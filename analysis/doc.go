// Package analysis answers static questions about S3 policies without
// sending a request. Its first part is validation: [Validate] checks one
// bucket or identity policy document and reports every problem it finds as
// a [Finding], with the issue codes of AWS IAM Access Analyzer's policy
// validation where one applies and S3_ codes for the checks beyond it
// (shared/spec/analysis.md §3). Its second part is the access review:
// [Review] lists who outside a bucket owner's account the bucket's stored
// configuration lets in (§4). The third proves that a change grants no new
// access, or finds a request that shows it: [NoNewAccess],
// [AccessNotGranted], [NoPublicAccess] and [NoNewConfigAccess] (§5). The
// fourth checks a bucket against the Data Protection Policy: [Profile]
// (§6).
//
// # Validation
//
// Validate reads the raw JSON with its own tolerant reader, which keeps
// duplicate members, wrong types and unknown elements together with the
// pointer and byte span of every value, so that it reports on documents
// that package policy's Parse refuses; [Report.ParseErr] carries what Parse
// says about the same bytes, so a caller can tell whether the document
// loads. Every problem Parse reports has a finding at the pointer Parse
// names. The finding type follows Access Analyzer even where Parse is
// stricter: an empty Action list is a SUGGESTION here and an error there.
// The action and condition-key checks read package policy's catalogs
// ([policy.LookupAction], [policy.ActionInfo.HasConditionKey],
// [policy.LookupConditionKey]); S3_PUBLIC_STATEMENT is exactly
// [policy.Statement.IsPublic], so it is reported only for documents Parse
// loads (size aside). Checks that need [ValidateOptions] fields report
// nothing when they are empty.
//
// # Guarantees
//
//   - Total: any input gives a report or, for input it cannot read at all
//     (over [MaxDocumentBytes], invalid UTF-8), an error; Validate never
//     panics.
//   - Deterministic: the same input gives the same report, findings sorted
//     by the offset of their primary location, then by code.
//   - Bounded: documents over the parser's depth and value limits
//     ([policy.DefaultMaxDepth], [policy.DefaultMaxValues]) get a report
//     with ParseErr and no findings; a report holds at most [MaxFindings]
//     findings; the pattern comparisons are bounded in length.
//   - Located: every finding has at least one [Location], whose pointer is
//     an RFC 6901 pointer into the document and whose span lies within it.
//
// # Access review
//
// Review reads one bucket of a [World] and returns an [AccessReport]:
//
//  1. The effective Block Public Access is the owner account's setting OR
//     the bucket's, flag by flag.
//  2. ACLs take part unless Object Ownership is BucketOwnerEnforced (an
//     invalid setting is read as ACLs enabled).
//  3. Each Allow statement of the bucket policy gives one finding per
//     principal entry outside the owner's account: "*" for "*",
//     {"AWS": "*"} and NotPrincipal; "account:ID" for an account ID or its
//     root ARN (both in one statement give one finding); the ARN as written
//     for users, roles and sessions; "canonical:ID", "service:NAME",
//     "federated:NAME". Entries of the owner's account — its ID, any ARN
//     in it, its canonical ID or one the World's Directory places in it —
//     are internal and skipped. NotAction statements report Actions ["*"]
//     with the excluded patterns in Except; NotResource statements
//     Resources ["*"] with ExceptResources.
//  4. Each grant of the bucket ACL and of every object ACL whose grantee is
//     not the bucket owner gives one finding: AllUsers "*",
//     AuthenticatedUsers "authenticated", LogDelivery "group:LogDelivery",
//     a canonical user "canonical:ID", an e-mail grantee the canonical ID
//     of the account the Directory registers under it (or "account:ID", or
//     "email:ADDRESS" when it knows none), the anonymous user's canonical ID
//     "*". Actions come from acl.Actions; the resource is the bucket ARN,
//     with "BUCKET/*" added when the grant creates or deletes objects
//     (WRITE), or the object ARN. An object the anonymous user owns without
//     a stored ACL has its implied one: FULL_CONTROL for anonymous callers.
//  5. A finding is dropped only when one Deny statement without conditions
//     is proved to cover all of it: its principal is everyone, the same
//     principal, or the account the finding's principal belongs to; each
//     granted action and resource pattern lies within a denied one
//     (pattern inclusion, whatever actions the patterns come to match), or
//     meets none of a NotAction or NotResource Deny's exclusions. When a
//     proof fails the finding stays. Every Deny with conditions that may
//     overlap the finding adds its conditions, marked Deny: the access
//     holds only when they fail.
//  6. A policy finding is public when its statement is
//     (policy.Statement.IsPublic, S3's meaning); an ACL finding when the
//     grantee is AllUsers, AuthenticatedUsers or the anonymous user.
//  7. IgnorePublicAcls neutralises grants to AllUsers and
//     AuthenticatedUsers. RestrictPublicBuckets, when the policy is public
//     (policy.Policy.IsPublic), neutralises every policy finding except
//     those to service principals, non-public statements included. S3
//     still lets AWS service principals through a "*" grant then, which
//     the report notes. BlockPublicAcls and BlockPublicPolicy act on
//     writes only and neutralise nothing.
//  8. The report is Public when some public finding is not neutralised.
//
// Each finding carries the access levels (List, Read, Write, Permissions,
// Tagging) of the catalog actions its patterns match, from the Service
// Authorization Reference's column in the module's action table.
// [DiffReports] compares a baseline report with a current one by
// (principal, source).
//
// A finding claims that the bucket's own configuration can grant the
// access: the resource side is satisfied. Callers of other accounts also
// need their own account's permission, which the review cannot see and
// assumes given, as Access Analyzer does. The list therefore
// over-approximates who can get in, never under-approximates it, and
// Public is false only when every public grant is proved neutralised,
// restricted to fixed values (S3's meaning, so "*" limited to a /8 range
// is not public), or covered by an unconditional Deny.
//
// Out of scope: access points and multi-Region access points,
// Organizations SCPs and RCPs, VPC endpoint policies, KMS key policies,
// presigned URLs (they act as their signer), the owner account's own
// users and roles, and the access an account keeps to objects it owns in
// another account's ObjectWriter or BucketOwnerPreferred bucket: such an
// object gets a note in the report, not a finding (third parties' grants
// in its ACL are findings still).
//
// Review is total, deterministic and bounded: it returns a report for every
// bucket a World holds (an error only for a nil World or an unknown
// bucket), reports what it cannot read as access rather than dropping it,
// sorts findings by source (statements in document order, the bucket ACL,
// then object ACLs by key; grants by index) and then principal, and takes
// time linear in the number of statements times Deny statements, plus the
// grants, with every pattern comparison bounded in length.
//
// # No new access
//
// [NoNewAccess] asks whether a new policy allows a request the old one does
// not; [AccessNotGranted] whether a policy allows any of a list of actions
// and resources; [NoPublicAccess] whether a bucket policy is public
// (shared/spec/analysis.md §5). The answer is a [Result]: [Pass] is a
// proof, [Fail] carries a [Witness] request the evaluator confirmed, and
// [Unknown] gives the reason; errors and exhausted budgets are Unknown,
// never Pass. Policies of different kinds, or a nil policy, give Unknown.
//
// The request space is a product of dimensions: the action (globs compared
// as languages over all strings, ignoring ASCII case, so wildcards that
// will match future actions count), the resource (case-sensitive globs),
// the principal (bucket policies: classes of callers no Principal element
// tells apart — anonymous, another account, each named account's root and
// other principals, each named user, role, session, federated user and
// service), and one dimension per condition key and operator family:
// String and Arn operators as sets of strings (package internal/globlang),
// Numeric, Date and IpAddress as unions of intervals, Bool and Null, each
// with "absent" where IfExists or a negated operator admits it. Constructs
// the model does not interpret — set operators, multivalued keys, keys
// outside the catalog, IgnoreCase operators, condition values and
// resources with policy variables, NotPrincipal, canonical user and
// federated principals, Binary values — are opaque Boolean dimensions
// equal only to themselves, which is sound on both sides; a counterexample
// that needs one present only in the new policy is Unknown.
//
// Keys are treated as independent. The procedure first tries the fast path
// (every Allow of new inside one Allow of old, every Deny of old inside a
// Deny of new), then splits each Allow statement of new along the literals
// of the statements that cut it, until every cell is inside a new Deny,
// inside an old Allow and no old Deny, or outside old's allows. A cell of
// the last kind becomes concrete requests — a caller consistent with the
// derived keys (aws:PrincipalArn, aws:PrincipalAccount, ...), a catalog
// action of the cell with a resource of its kind, condition keys the
// action's context holds — that are replayed through evaluate.Evaluate
// against both policies. Only a request allowed by new and not by old,
// that does not pair s3:TlsVersion with plain HTTP or aws:SourceIp with
// aws:SourceVpce, is a witness; otherwise the verdict is Unknown
// ("counterexample depends on keys assumed independent"). The walk is
// bounded by [DiffOptions].MaxCells ([DefaultMaxCells]) and by a total
// budget of pattern work; past either the verdict is Unknown.
//
// The replay: for bucket policies, a bucket owned by an account that
// appears in neither policy nor the witness's caller, Object Ownership
// BucketOwnerEnforced (ACLs off), Block Public Access off, and a caller
// whose identity policy allows everything, so that the bucket policy
// decides; for identity policies, a bucket owned by the caller's account,
// no bucket policy, and the policy as the caller's identity policy. A
// replay dates its request at a fixed time (2025-01-01) unless a date
// condition needs another, so the same policies give the same result.
//
// [NoNewConfigAccess] asks the same question of a whole bucket
// configuration: can a principal outside the bucket owner's account (the
// access review's scope; the owner account's own users and roles are
// internal and not compared) make a request in the new [World] that the
// old one refuses? Callers of other accounts are taken to hold an identity
// policy that allows everything, as the review assumes. The bucket must be
// in both worlds with the same owner and DevPay product, valid records,
// and directories that agree on every canonical ID and e-mail address the
// configurations name; when a policy reads tags, the tags must not change.
// Otherwise the verdict is Unknown. It is Pass only when every part is
// proved:
//
//   - bucket policy: NoNewAccess of the two policies (none is a policy
//     without statements) is Pass, and RestrictPublicBuckets does not stop
//     restricting a public policy (when the old policy was restricted, the
//     new one must grant nobody outside but services). When the new policy
//     is restricted, only AWS service principals could gain through it,
//     which is not decided separately: Unknown unless proved as a whole;
//   - Deny statements: when the new configuration grants outside the
//     policy (ACL grants in effect, objects another account owns), every
//     request the old policy denies the new one denies — the same Deny
//     statements, or NoNewAccess of the Deny statements read as Allows;
//   - ACLs: every ACL grant in effect in the new review is matched by one in
//     effect in the old review of the same ACL with the same grantee (or
//     AllUsers, or AuthenticatedUsers for an account), resources and at
//     least its actions — grants are matched by content, so reordering
//     them is no new access, and a grant Block Public Access stops
//     ignoring, or Object Ownership turns back on, is;
//   - object ownership: no stored object passes to an owner outside the
//     owner's account, or back to the bucket owner (and so under the bucket
//     policy) while the new policy grants anyone outside;
//   - ACL writes: when Object Ownership or BlockPublicAcls refuses fewer
//     ACLs on writes, nobody outside may write; requests that carry ACLs
//     are not replayed, so this part is Pass or Unknown.
//
// A part that is not proved yields candidate requests (from the policy
// diff's witness and the new review's findings). Each is replayed with
// [World.ReplayWitness] in both worlds' stored configuration; the first
// the new world allows and the old does not is the Fail's witness, of Kind
// "configuration" ([WitnessKindConfiguration]). With none confirmed the
// verdict is Unknown with each open part's reason. Requests through a
// DevPay product are not replayed (the worlds hold no product catalog).
//
// # Data Protection Policy profile
//
// [Profile] checks one bucket of a [World] against the Data Protection
// Policy (the seed text a [DPPProfile] pins, [CurrentDPPSeed] by default;
// shared/spec/analysis.md §6) and returns at most one [ProfileFinding] per
// check, in this order:
//
//	code                           type              DPP       fires when
//	DPP_PUBLIC_ACCESS              SECURITY_WARNING  1.1, 2.3  the access review finds public access in effect
//	DPP_BPA_NOT_ALL_ON             WARNING           1.1       Block Public Access (account OR bucket) lacks a flag
//	DPP_ACLS_ENABLED               WARNING           1.3       Object Ownership is not BucketOwnerEnforced
//	DPP_WILDCARD_PRINCIPAL         WARNING           1.2       a grant in effect to "*", "authenticated" or "federated:…"
//	DPP_CROSS_ACCOUNT_FULL_ACCESS  SECURITY_WARNING  1.3       a grant in effect to another account, user, role or
//	                                                           canonical user from "*", "s3:*", NotAction or FULL_CONTROL
//	DPP_TLS_NOT_ENFORCED           SECURITY_WARNING  1.5       no proof that plain HTTP requests are denied
//	DPP_TLS_VERSION_NOT_ENFORCED   WARNING           1.5       no proof that TLS below 1.2 is denied
//	DPP_SSE_NOT_REQUIRED           WARNING           2.4       no proof that s3:PutObject without an accepted
//	                                                           s3:x-amz-server-side-encryption is denied
//
// Evidence names the statements ("statement /Statement/0"), ACL grants
// ("bucket-acl grant 1") and settings a finding rests on.
//
// The last three are proofs by covering Deny. A Deny statement of the
// bucket policy covers a violation when its Principal is "*" or
// {"AWS": "*"} (NotPrincipal and named principals never qualify), one of
// its Action patterns covers the action in question ("s3:*" for every S3
// action, s3:PutObject for encryption; NotAction is not read), and every
// condition atom holds for every request showing the violation:
//
//	plain HTTP        Bool or BoolIfExists aws:SecureTransport false;
//	                  NumericLessThanIfExists s3:TlsVersion (absent on HTTP)
//	TLS below 1.2     NumericLessThanIfExists s3:TlsVersion v, v >= 1.2;
//	                  Bool aws:SecureTransport true
//	upload, no SSE    StringNotEquals s3:x-amz-server-side-encryption with
//	                  values among AES256, aws:kms, aws:kms:dsse;
//	                  Null s3:x-amz-server-side-encryption true
//
// Keys compare without regard to case, operators exactly; a set
// qualifier, a policy variable or an unreadable value is no proof. The
// covering Denies' resources must together cover arn:aws:s3:::B and
// arn:aws:s3:::B/* (the objects only, for s3:PutObject): a Resource
// pattern by glob inclusion ("arn:aws:s3:::B*" covers both), a
// NotResource element when none of its patterns can match the target. An
// unconditional Deny qualifies. A request is over TLS below 1.2 when its
// context holds s3:TlsVersion below 1.2, so NumericLessThan s3:TlsVersion
// without IfExists proves that row; an action whose context never holds
// the key (the catalog's s3:InitiateReplication, which S3 checks for its
// own batch replication requests) has no request over old TLS. Anything else leaves the finding in place: the profile never says
// "enforced" when a request could get through.
//
// Outside the model: the bucket's default encryption (S3 encrypts new
// objects with SSE-S3 when a request names none, so DPP_SSE_NOT_REQUIRED
// says only that the policy does not require a chosen encryption); an
// upload whose encryption header holds a value S3 refuses as invalid; the
// TLS termination and minimum TLS version of the endpoint, which a host
// built on the library enforces itself; requests in another partition;
// and the bucket owner's root user, which keeps the bucket-policy actions
// through lockout protection whatever the policy denies.
//
// # Concurrency
//
// Validate, Review, Profile and the no-new-access questions keep no state
// between calls and may be called from several goroutines at once (they
// only read their policies and Worlds). A Report, an AccessReport, a
// Result or a Profile's findings belong to the caller.
package analysis
