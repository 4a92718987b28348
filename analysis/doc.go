// Package analysis answers static questions about S3 policies without
// sending a request. Its first part is validation: [Validate] checks one
// bucket or identity policy document and reports every problem it finds as
// a [Finding], with the issue codes of AWS IAM Access Analyzer's policy
// validation where one applies and S3_ codes for the checks beyond it
// (shared/spec/analysis.md §3).
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
// # Concurrency
//
// Validate keeps no state between calls and may be called from several
// goroutines at once. A Report belongs to its caller.
package analysis
