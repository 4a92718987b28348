// Package s3request maps an S3 REST request — method, Host, raw target,
// headers, a bounded body and the connection's facts — to the S3
// operation it asks for and the authorization checks that operation
// needs: each an IAM action of the catalog, a bucket, a key, a version,
// and the condition keys S3 derives from the request for that action.
// The host evaluates every check (evaluate.Evaluate) and allows the
// request only if all are allowed.
//
//	m, _ := s3request.New(s3request.Config{Endpoints: []string{"s3.example.com"}})
//	op, err := m.Map(&s3request.Request{Method: "GET", Host: "photos.s3.example.com",
//		Target: "/cat.jpg?versionId=3", TLS: true, RemoteAddr: "203.0.113.9:5000"})
//	// op.Name == "GetObject"; op.Checks[0].Action == "s3:GetObjectVersion"
//
// # Principles
//
// One request is exactly one operation: a request that could be two (two
// selectors) or none (an unknown value-less query name, a method no row
// has) is an error, never a guess. Nothing the client sends is a fact
// about the connection: aws:SourceIp is Request.RemoteAddr (never
// X-Forwarded-For), aws:SecureTransport is Request.TLS, the time keys are
// Request.Now. The key is the bytes the client named, decoded once: no
// path cleaning, no "//" collapsing, no dot-segment removal, no case
// folding. Every check the operation needs is returned (CopyObject's
// source and destination, PutObject's ACL, tagging and Object Lock checks,
// one check per key of a DeleteObjects), and each carries only the keys
// the Service Authorization Reference lists for its action.
//
// # From net/http
//
// FromHTTP reads a Request from an *http.Request: the raw target as
// received, TLS facts from the connection, the socket peer (X-Forwarded-For
// only from HTTPOptions.TrustedProxies), and the body only for the
// operations that need it, put back for the next reader.
// Operation.EvaluateRequest turns a check into an evaluate.Request.
// Middleware does all of it in front of a handler: it maps, asks the
// host's Identity for the caller and its Store for each check's records,
// lets the host's Complete fill what the mapper cannot know (the caller's
// tags, the DevPay product, the ACL or policy a write would store),
// evaluates every check, and answers a refusal with S3's XML error and
// status, so an S3 client reports it as S3 would; given an audit.Logger it
// logs every decision (and feeds the logger's monitor). A check marked
// Extra is a permission the operation needs besides its own action and is
// evaluated as such (evaluate.Request.Extra).
//
// # Errors
//
// Map returns an *Error whose Class is one of the Err* sentinels
// (errors.Is) and whose Part names the fault ("query:versionId",
// "header:X-Amz-Acl", "body"); it repeats at most 64 bytes of client
// input. HTTPStatus and S3ErrorCode give S3's own answer.
//
// # Choices where AWS is silent
//
//   - A value-less query name that is no known sub-resource ("?foo") is
//     refused (unknown-subresource), where S3 ignores it: it may be a
//     sub-resource newer than this catalog, and ignoring it would
//     authorize the request as another operation.
//   - A query parameter given twice is refused.
//   - GetObjectAttributes needs s3:GetObject and s3:GetObjectAttributes
//     (its API page), where the permissions table lists only the first.
//   - GetObjectTorrent is checked as s3:GetObjectTorrent, the action the
//     Service Authorization Reference lists.
//   - Any x-amz-acl or x-amz-grant-* header on an object write needs
//     s3:PutObjectAcl, "private" included; on CreateBucket every canned
//     ACL but "private" needs s3:PutBucketAcl.
//   - s3:x-amz-copy-source is the header minus one leading '/', escapes
//     and a "?versionId=" suffix kept.
//   - s3:max-keys is "1000" on a listing without max-keys, and absent on
//     HeadBucket. s3:prefix and s3:delimiter are present, even empty,
//     whenever the parameter is.
//   - s3:signatureAge is computed for header-signed SigV4 requests too (from
//     x-amz-date, or Date); it is 0 for SigV2 and for a signing time after
//     Now.
//   - s3:TlsVersion is absent over plain HTTP; s3:LocationConstraint is
//     absent without a body; s3:object-lock-remaining-retention-days
//     rounds up to whole days.
//   - A presigned URL's x-amz-* query parameters count as the same-named
//     headers (both at once is refused), except X-Amz-Content-Sha256.
//   - A browser upload's tagging field may be a Tagging document (as the
//     POST Object page says) or URL-query encoded.
//   - A Host with a final dot ("photos.s3.amazonaws.com.") is the same host
//     without it; two Authorization headers are refused (invalid-auth).
//   - SigV4a, access points, directory buckets, Object Lambda and website
//     endpoints are refused (invalid-auth, unsupported-endpoint).
//
// # Guarantees
//
// Map is total: any Request gives an Operation or an *Error, never a
// panic, in time linear in the request (at most 256 query parameters, a
// body of at most MaxBody bytes parsed at most 32 elements deep, no DTDs).
// It is deterministic and reads nothing but its arguments. It allocates the
// Operation (with room for three checks), one slice for every check's keys
// and one string for every value it formats (the source IP, the time keys,
// the signature age, tag key names); bodies and escaped input cost more.
// MapInto reuses an Operation's storage and allocates only that string. A
// Mapper is immutable and safe for concurrent use; an Operation is never
// modified after Map returns it.
package s3request
