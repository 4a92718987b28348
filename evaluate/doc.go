// Package evaluate decides S3 requests. Today it holds the condition engine:
// [Prepare] turns a parsed policy's Condition blocks into compiled CEL
// programs once, and [Prepared.Conditions] evaluates a statement's block
// against a request's condition [Keys]. The request evaluator that combines
// ownership, DevPay, ACLs and policies builds on it.
//
// # Semantics
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
//   - Policy variables in String, Arn and Bool values (Version 2012-10-17)
//     are substituted literally from the request's single-valued keys, with
//     defaults and the ${*} ${?} ${$} escapes; an unresolved variable makes
//     its value match nothing, so a negated operator holds.
//
// Choices where AWS leaves room:
//
//   - A multivalued request key tested without a set qualifier matches when
//     any of its values matches, and its negation holds when none does.
//   - A date of four digits or fewer is a year (YYYY); longer digit strings
//     are epoch seconds.
//   - Numbers are decimal: exponents, infinities and hexadecimal are refused
//     at Prepare, as are values that overflow.
//   - A request value an operator cannot read (a number, date, boolean or
//     address that does not parse) is an error wrapping [ErrCondition], not a
//     mismatch: evaluation fails closed rather than letting a negated
//     operator hold on garbage.
//
// # Checked at Prepare
//
// Every value is typed once: CIDR blocks, dates, numbers, booleans, base64
// and ARNs that do not parse are *policy.Error values naming the JSON
// pointer and offset of the value. The operator is checked against the key's
// type in a catalog of the global and S3 condition keys
// ([LookupConditionKey]): IpAddress on s3:prefix is an error, while keys
// outside the catalog take any operator and are read as strings.
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
// # Performance
//
// Evaluation does no parsing of the policy, no compiling and no map
// building, and does not allocate: request keys are looked up in the Keys'
// small slice, and the per-evaluation state comes from a pool. The one
// exception is an IgnoreCase value with a policy variable, whose substituted
// text is built before the case-insensitive comparison.
//
// # Concurrency and zero values
//
// A *Prepared is immutable and safe for concurrent use. A Keys is written
// only by its owner; once built it may be read by concurrent evaluations.
// The zero Keys is empty and ready to use. The zero KeyType is KeyUnknown.
package evaluate
