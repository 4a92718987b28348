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
// # Concurrency
//
// Validate keeps no state between calls and may be called from several
// goroutines at once. A Report belongs to its caller.
package analysis
