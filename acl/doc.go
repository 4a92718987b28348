// Package acl models S3 access control lists: the AccessControlPolicy XML
// document, the canned ACLs of the x-amz-acl header, the x-amz-grant-*
// headers, and which S3 actions each ACL permission grants.
//
// # Parsing
//
// [Parse] reads an AccessControlPolicy document strictly: exactly one Owner
// (ID required, DisplayName optional; ACL.Owner, a [User]) and one AccessControlList of at most
// [MaxGrants] Grants, each with one Grantee and one Permission. A Grantee's
// xsi:type is CanonicalUser (ID, optional DisplayName), Group (URI: AllUsers,
// AuthenticatedUsers or LogDelivery) or AmazonCustomerByEmail
// (EmailAddress), and it may hold only its type's elements. Values are
// matched exactly, without trimming white space: canonical IDs are 64
// lowercase hex digits or the anonymous user's [AnonymousID]; permissions
// are upper case. The root may be in the S3 namespace or in none; child
// elements must be in the root's. Unknown, missing and repeated elements,
// unknown attributes and text where elements belong are errors.
//
// DOCTYPE and entity declarations and processing instructions other than
// the XML declaration are rejected before they can take effect, so entity
// expansion attacks (billion laughs) cannot start; the decoder knows only
// XML's five predefined entities. Documents over 64 KiB (configurable with
// [Parser]) are rejected before decoding, and invalid UTF-8 before that.
// What the decoder would let through although XML forbids it is refused
// too: NUL bytes (comments included), character references to
// non-characters such as surrogates, and an attribute given twice on one
// element. Nesting is bounded by the schema: the first element the schema
// does not allow stops the parse, so a document of 100,000 nested elements
// costs what its first few do. Error messages cut names from the input to
// 64 bytes. Parse stops at the first problem and never panics.
//
// # Limits
//
// 64 KiB per document ([DefaultMaxBytes], or [Parser.MaxBytes]) and
// [MaxGrants] grants per ACL, in documents and in the x-amz-grant-*
// headers alike.
//
// # Errors
//
// Every error is an [*Error] with the element path
// (AccessControlPolicy/AccessControlList/Grant[2]/Permission; Grant carries
// its 1-based index) and line, wrapping one sentinel (ErrSyntax,
// ErrForbidden, ErrUnknownElement, ErrMissingElement, ErrDuplicateElement,
// ErrInvalidGrantee, ErrInvalidValue, ErrTooManyGrants, ErrTooLarge).
//
// # Canonical output
//
// [ACL.MarshalXML] (and [ACL.Marshal]) writes a deterministic document in
// the S3 namespace that parses back to an [ACL.Equal] ACL.
//
// # Grants and actions
//
// [ACL.Permits] answers whether an ACL grants an S3 action to a [Requester]
// (its account's canonical ID or the anonymous user's, signed or not) and
// which grant does, without allocating (unless the directory below does).
// A grantee named by e-mail (AmazonCustomerByEmail) is the canonical user
// S3 turned it into on write: the account the requester's [Directory]
// registers the address under ([Grantee.CanonicalID]). Directory asks for
// two of the methods of ownership.Directory, with the same signatures, so
// an ownership.MemoryDirectory or any other ownership.Directory serves;
// this package does not import package ownership. A grant by e-mail therefore applies exactly as
// the grant to that account's canonical ID does, and to nobody when the
// address is unknown or there is no directory; the directory is asked only
// when such a grant with the needed permission is reached. The permission
// to action table of the S3 ACL overview is [PermissionFor] and [Actions]:
//
//	permission    bucket ACL                                             object ACL
//	READ          s3:ListBucket, s3:ListBucketVersions,                  s3:GetObject, s3:GetObjectVersion,
//	              s3:ListBucketMultipartUploads                          s3:GetObjectTorrent
//	WRITE         s3:PutObject, s3:DeleteObject (and, through a grant    (none)
//	              to the bucket owner only, s3:DeleteObjectVersion)
//	READ_ACP      s3:GetBucketAcl                                        s3:GetObjectAcl, s3:GetObjectVersionAcl
//	WRITE_ACP     s3:PutBucketAcl                                        s3:PutObjectAcl, s3:PutObjectVersionAcl
//	FULL_CONTROL  all of the above                                       all of the above
//
// Choices where the documentation leaves room: bucket WRITE lets its
// grantee create and delete objects, as the S3 ACL overview long documented
// (its current wording limits deletes to owners), while deleting every
// version stays the bucket owner's, through a grant naming it (by canonical
// ID or e-mail), not a group's; object READ includes
// s3:GetObjectTorrent as the 2021 documentation listed; no ACL permission
// grants any other action.
//
// [ACL.IsPublic] is Block Public Access's test (a grant to AllUsers or
// AuthenticatedUsers; a grant by e-mail names one account and is never
// public); a [Requester] with IgnorePublic set is the requester
// IgnorePublicAcls leaves: public grants apply to nobody, without a copy.
//
// # Canned ACLs and grant headers
//
// [Canned] expands the eight canned ACLs for a bucket or an object, given
// the resource owner and the bucket owner as Users; see its documentation
// for the table and the bucket/object differences. aws-exec-read grants READ to
// [EC2ID], the ID S3 is observed to use (AWS does not document it).
// [ParseGrantHeader] and [GrantHeaders] read the x-amz-grant-* headers.
//
// # Identifiers
//
// Canonical user IDs are [CanonicalID] values, the type package ownership
// names its canonical IDs by too (both are aliases of one type), and the
// accounts a [Directory] returns are [AccountID] values: IDs pass between
// the packages without conversions.
//
// # Concurrency and zero values
//
// An *ACL is not modified after it is built and may be shared between
// goroutines; treat its slice as read-only. The zero Parser is ready to use.
// The zero values of GranteeType, Permission and Kind are invalid and never
// produced by this package.
package acl
