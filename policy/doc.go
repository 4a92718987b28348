// Package policy parses S3 bucket policies and IAM identity policies (JSON)
// into typed, immutable Go values. It does not evaluate them; package
// evaluate does.
//
// # Parsing
//
// [Parse] (or [Parser.Parse], for other limits) reads one document as a
// [Bucket] policy, where every statement names a Principal or NotPrincipal,
// or an [Identity] policy (user, group and role policies, permissions
// boundaries, session policies), where none may. [MustParse] is for tests and
// fixtures with literal input.
//
// The grammar is followed exactly, because two parsers that read one policy
// differently are a security hole:
//
//   - Version is "2012-10-17", "2008-10-17" or absent (2008 semantics:
//     policy variables are literal text); Statement is one object or a
//     non-empty array; a statement has Sid, Effect ("Allow" or "Deny", case
//     sensitive), Principal or NotPrincipal, Action or NotAction, Resource or
//     NotResource, and Condition.
//   - Rejected: malformed JSON, invalid UTF-8, unpaired UTF-16 surrogate
//     escapes, duplicate member names at any depth (compared after
//     unescaping; gjson alone would keep the first), unknown members, wrong
//     JSON types, empty lists, both members of a pair, partial wildcards in
//     principals, malformed actions ("s3", "s3:", ":GetObject"), resources
//     that are neither "*" nor an ARN, unknown condition operators or
//     qualifiers, malformed condition keys and policy variables, and
//     conditions evaluation could not read (see Conditions below).
//   - Bucket policies take only s3 actions and s3 resources, and a resource
//     part cannot start with '/'. Identity policies take any service, and
//     their Sids are ASCII letters and digits, unique in the policy.
//
// Choices where AWS documents no rule, or documents one we do not follow:
//
//   - Id is accepted in both kinds (the grammar has it; IAM's notes say
//     identity policies should not carry one).
//   - Operator names and element names are case-sensitive; condition key
//     names keep their spelling here and match case-insensitively in
//     evaluation.
//   - An empty Condition block, or an operator with no keys, is an error
//     rather than a condition that always holds.
//   - Principals are checked for shape, not existence: an account ID, an
//     IAM root, user or role ARN, an STS assumed-role or federated-user ARN,
//     the unique ID of a deleted user or role (AIDA..., AROA...), a 64-digit
//     canonical user ID, a service host name, an identity-provider host name
//     or SAML/OIDC provider ARN.
//   - Condition values keep their literal text: JSON numbers and booleans
//     too (1.50 stays "1.50"), and a number or boolean may be written as a
//     string.
//   - IAM's character set rule (TAB, LF, CR, U+0020–U+00FF only) and its
//     size quotas counted without white space are not enforced; the size
//     limit counts bytes.
//
// # Conditions
//
// Parse checks every condition the way evaluation will read it, so that a
// policy Parse accepts is one package evaluate's Prepare accepts: what Parse
// returns always prepares, and what Prepare would refuse, Parse refuses
// first, with the same pointer and offset.
//
//   - The operator must take the key's type in the catalog of condition
//     keys ([LookupConditionKey], [KeyType.Accepts]): IpAddress on s3:prefix
//     or StringEquals on aws:SourceIp is an error at the key (the pointer of
//     the key, the offset of its value), and its values are not read. A key
//     outside the catalog takes any operator.
//   - Every value must read as the operator's type, with the readers
//     evaluation uses for request values too: integers and decimals for
//     the Numeric operators (no exponents, infinities, hexadecimal or
//     overflow); the W3C profile of ISO 8601 or epoch seconds up to 2^40
//     for the Date operators, with a zone offset under 24 hours; true or
//     false, in any case, for Bool and Null; padded standard base64 for
//     BinaryEquals; an IPv4 or IPv6 address or CIDR block without a zone
//     for IpAddress and NotIpAddress; and for the Arn operators an ARN of
//     six colon-separated components (colons inside a policy variable do
//     not count) each of which compiles as a glob. A value that does not is
//     an error at the value (its pointer, with its index in a list, and its
//     offset), and every such value is reported. So a policy variable in a
//     Numeric, Date, Bool, Binary or IP value is refused: it does not read
//     as a number, date, boolean, base64 or address.
//
// [Policy.Validate] runs the same checks on a policy built or changed by
// hand, with those of the statement elements evaluation relies on (Effect,
// and the Action, Resource and Principal pairs), and Prepare calls it, so
// such a policy fails closed with the error Parse would have given.
//
// # Patterns and variables
//
// Actions, resources and condition values are compiled at parse time into
// [Pattern]s. '*' matches any run of characters, '/' and ':' included, and
// '?' exactly one character (a UTF-8 rune). Action patterns ignore ASCII
// case; resources and condition values do not. Under Version 2012-10-17,
// policy variables — ${key}, ${key, 'default'} and the escapes ${*}, ${?},
// ${$} — are parsed in Resource and NotResource (only after the fifth colon)
// and in values of the String, Arn and Bool operators (a Bool value must
// still read as true or false, so Parse refuses one holding a variable). A
// substituted value
// always matches literally, so a user name containing '*' is never a
// wildcard, and a variable without a value or default makes its entry match
// nothing. Matching never allocates and takes time O(len(pattern) ×
// len(text)) at worst: no exponential backtracking.
// A Pattern is matched with [Pattern.Match] or [Pattern.MatchVars]; the
// shape queries package evaluate uses to match faster are internal.
//
// [LookupAction] is the S3 action catalog: every S3 action and the kind of
// resource it applies to (bucket, object, none, or other).
//
// # Errors
//
// Every error is a [*SyntaxError] (malformed JSON or UTF-8) or an [*Error]
// carrying the RFC 6901 JSON pointer and byte offset of the fault, and each
// wraps one sentinel (ErrSyntax, ErrType, ErrDuplicateKey, ...) for
// errors.Is. Parse stops after finding [MaxErrors] problems and reports
// them ordered by offset, joined with errors.Join when there are several;
// errors.As finds the first.
// Messages read
//
//	policy: /Statement/1/Effect: invalid value "Alow": want "Allow" or "Deny" (offset 57)
//
// with user input quoted and cut to 64 bytes.
//
// # Limits
//
// Before the document is walked, one linear pass enforces the [Parser]
// limits on size (20 KiB for bucket policies, S3's limit; 64 KiB for
// identity policies), nesting depth (16) and JSON values (20000); the
// statement limit (1000) is checked as the Statement array is read. Any
// input, of any size or shape, gets a value or an error in time linear in
// its length, with memory bounded by the limits; Parse never panics.
//
// # Catalogs
//
// [LookupAction] and [Actions] are the S3 actions of the Service
// Authorization Reference ("Actions, resources, and condition keys for
// Amazon S3"); [LookupConditionKey] and [ConditionKeys] are the global
// condition keys AWS documents for S3 requests and the S3 keys of that
// reference, each with its type. The reference's action rows also say
// which S3 keys are in each action's request context:
// [ActionInfo.HasConditionKey] answers from that one table, which the
// evaluator reads for derived and supplied keys alike and a request mapper
// reads to attach keys. Global keys are in every action's context; an s3:
// key outside the catalog is in none. The catalogs are constant tables,
// safe for concurrent use; their lookups do not allocate.
//
// # Output and comparison
//
// [Policy.MarshalJSON] writes a canonical, deterministic form that parses
// back to an [Policy.Equal] policy; Equal compares that canonical form and
// ignores pointers and offsets.
//
// # Concurrency and zero values
//
// A *Policy is never modified after Parse returns and may be shared between
// goroutines; treat its slices as read-only. The zero Parser is ready to use.
// The zero values of Kind, Effect and Operator are invalid and never
// produced by Parse; the zero Version means the element was absent and the
// zero SetOp means no qualifier.
package policy
