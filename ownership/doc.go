// Package ownership models who is calling S3 and who owns what: the
// caller ([Principal]) and the condition keys derived from it, the
// identities S3 names accounts by ([AccountID], [CanonicalID], a
// [Directory] between them), the bucket and object records an evaluator
// reads ([Bucket], [Object], [Owner]), the Object Ownership setting
// ([Mode]), the bucket owner's powers over objects it does not own
// ([BucketOwnerMay]) and Block Public Access ([PublicAccessBlock]). It
// decides nothing by itself; package evaluate reads these values.
//
// # Identifiers
//
// [AccountID], [CanonicalID] and [ProductCode] are the identifier types
// packages acl and devpay use too: each package names the same types
// (aliases of one definition), so an account, canonical ID or product code
// passes between them without conversion and none of the three imports
// another. [ParseAccountID] and [ParseCanonicalID] check them.
//
// # Callers
//
// [ParsePrincipal] reads the ARN of a root user, IAM user, role session or
// federated user; [Anonymous] and [ServicePrincipal] make the other two
// kinds of caller. A role ARN is refused: the caller is a session of the
// role. Plain accessors read what the caller is ([Principal.ARN],
// [Principal.Account], [Principal.Type], [Principal.Name], ...), and
// [Principal.ConditionKey] reads the global condition keys derived from
// it: given a key name, in any case, it returns the key's value and
// whether the request context has it:
//
//	caller          aws:PrincipalArn     aws:PrincipalAccount  aws:PrincipalType  aws:username  aws:userid
//	root            arn:…:iam::A:root    A                     Account            -             A
//	IAM user        its ARN              A                     User               name          AIDA… (if known)
//	role session    arn:…:iam::A:role/R  A                     AssumedRole        -             AROA…:session (if known)
//	federated user  its sts ARN          A                     FederatedUser      -             A:name
//	anonymous       -                    anonymous             Anonymous          -             anonymous
//	service         -                    -                     -                  -             -
//
// aws:PrincipalIsAWSService is "true" for a service, "false" for the other
// signed callers and absent for anonymous ones. A role session's
// aws:PrincipalArn is its role's ARN, while [Principal.ARN] is the session
// ARN it was parsed from.
//
// The host supplies what an ARN does not say: the unique ID with
// [Principal.WithUniqueID] and a role's path with [Principal.WithRolePath].
// [OwnerOf] gives the account that owns what a caller writes.
//
//	p, err := ownership.ParsePrincipal("arn:aws:sts::111122223333:assumed-role/analyst/sess1")
//	if err != nil {
//		return err // an *ownership.Error wrapping ErrInvalidPrincipal
//	}
//	arn, _ := p.ConditionKey("aws:PrincipalArn") // "arn:aws:iam::111122223333:role/analyst"
//
// The package's examples (ParsePrincipal, Mode.ObjectOwner,
// PublicAccessBlock.Combine, MemoryDirectory) run as tests.
//
// # Ownership
//
// [Mode.ObjectOwner] applies the Object Ownership rule to a new object and
// [Mode.AcceptsACL] says which ACL-setting requests BucketOwnerEnforced
// refuses. [Bucket.EffectiveOwner] gives an existing object's owner for
// authorization. [BucketOwnerMay] lists the object actions the bucket
// owner holds on objects other accounts own.
//
// # Choices
//
// Where AWS documents a rule only partly, or not at all, this package
// chooses:
//
//   - Anonymous callers have no parent account: Account is empty. Their aws:PrincipalType is "Anonymous" and aws:userid
//     "anonymous", values AWS publishes in a table that could not be
//     verified from its current pages.
//   - The aws:PrincipalType values and aws:userid forms of the other
//     callers come from the same table. aws:userid is absent for users and
//     role sessions until the host gives the unique ID, rather than made up.
//   - Service principals get no aws:PrincipalArn, aws:PrincipalAccount,
//     aws:PrincipalType or aws:userid: AWS documents none for them, they
//     belong to no customer account, and policies name them with "Service".
//   - A role session's aws:PrincipalArn is the role ARN with path "/"
//     unless WithRolePath says otherwise: a session ARN does not carry the
//     role's path.
//   - IAM paths with empty segments ("/a//b/") are refused, as package
//     policy refuses them in principal ARNs. Role session names may have
//     one character (Lambda names sessions after functions).
//   - BucketOwnerPreferred transfers ownership only for the canned
//     "bucket-owner-full-control" ACL, compared exactly; explicit grants
//     that amount to the same do not.
//   - BucketOwnerEnforced refuses ACL-setting requests in CopyObject and
//     CreateMultipartUpload as in PutObject, which is the one AWS names. The
//     default Mode is BucketOwnerEnforced, S3's default for new buckets
//     since 2023.
//   - Archiving is not one of the bucket owner's per-object actions: it is
//     done by the lifecycle configuration, a bucket action (see
//     [BucketOwnerMay]). Deleting covers every version
//     (s3:DeleteObjectVersion), as AWS documents.
//   - The zero PublicAccessBlock blocks nothing, as S3 does without a
//     configuration; all-on, S3's default for new buckets since 2023, is
//     [BlockAllPublicAccess]. Combine ORs each flag across levels: the most
//     restrictive setting wins.
//   - Bucket names follow S3's current rules for general purpose buckets,
//     including the reserved prefixes and suffixes of S3's naming page;
//     legacy us-east-1 names are refused.
//     The reserved "amzn-s3-demo-" prefix is accepted, because AWS's own
//     examples use it. A name is "formatted as an IP address" when it is
//     four dot-separated groups of one to three digits.
//   - Tags are checked for count, unique keys, length in characters and
//     UTF-8; S3's tag character set and the reserved "aws:" prefix are not
//     checked (AWS itself sets aws: tags on buckets). A bucket's tags take
//     part in access control only when its ABAC field is set, as on S3,
//     where ABAC is off by default for general purpose buckets; the zero
//     Bucket has it off.
//   - E-mail addresses compare case-insensitively as wholes, each rune
//     mapped with unicode.ToLower.
//
// # Concurrency and zero values
//
// Every value is immutable once built and safe to share between goroutines:
// a [Principal] has unexported fields and With methods that return copies;
// [Owner], [Mode], [PublicAccessBlock] and the identity types are plain
// values. [Bucket] and [Object] are plain structs that nothing here
// modifies; treat shared ones (and their Tags) as read-only. A
// [MemoryDirectory] must not be changed with Add while it is being read:
// build it, then share it; its lookups are safe to run concurrently.
// [Directory] lookups take a context, which a directory over a remote
// store honours, and tell found, not known and failed apart.
//
// Zero values: the zero [Mode] is BucketOwnerEnforced (ACLs disabled, most
// restrictive); the zero [PrincipalType] is PrincipalUnknown and the zero
// [Principal], [Owner], [Bucket] and [Object] are invalid; the zero
// [PublicAccessBlock] blocks nothing; the zero [MemoryDirectory] is empty
// and ready for Add. Functions that are given invalid values fail closed:
// [Mode.ObjectOwner] returns the zero Owner, [Mode.AcceptsACL] and
// [Mode.ACLsEnabled] return false.
//
// # Limits and allocation
//
// Bucket names have 3 to 63 characters; object keys 1 to [MaxKeyBytes]
// bytes; buckets at most [MaxBucketTags] tags and objects
// [MaxObjectTags]; tag keys [MaxTagKeyLen] and values [MaxTagValueLen]
// characters; e-mail addresses [MaxEmailBytes] bytes. These do not
// allocate: the accessors and ConditionKey of Principal (strings derived
// from a caller are built when it is parsed), [OwnerOf], the
// MemoryDirectory lookups, [BucketOwnerMay], the Tag lookups,
// [Bucket.EffectiveOwner], [Mode.ObjectOwner], [Mode.AcceptsACL],
// [Mode.ACLsEnabled], [Mode.String] of a valid Mode, [Owner.IsValid],
// [Owner.String], [PublicAccessBlock.Combine] and [PublicAccessBlock.Any].
//
// # Errors
//
// Every error is an [*Error] whose Field names the record field or argument
// at fault ("" for the Parse functions) and which wraps exactly one
// sentinel (ErrInvalidPrincipal, ErrInvalidMode, ErrConflict, ...) for
// errors.Is. Messages read
//
//	ownership: invalid principal "arn:aws:iam::111122223333:role/r": a role ARN names a role, not a caller; ...
//
// with user input quoted and cut to 64 bytes.
package ownership
