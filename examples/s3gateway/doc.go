// Command s3gateway is a small S3-compatible server that shows s3authz
// deciding every request of a real S3 client: an in-memory object store
// behind s3request.Middleware, configured from the same scenario files
// that test the evaluator.
//
//	go -C examples/s3gateway run . -world testdata/world.json -creds testdata/creds.json
//
// from the repository's root (the example is its own module, so that the
// library's go.mod never names the AWS SDK), or go run . with the same
// flags from this folder.
//
// It prints the endpoint to give an SDK — http://127.0.0.1:PORT in path
// style, http://s3.localhost:PORT in virtual-hosted style
// (BUCKET.s3.localhost) — and the region, us-east-1, and serves until
// interrupted.
//
// # Flags
//
//	-world FILE     the scenario file of the world (required)
//	-creds FILE     the credentials file (required)
//	-addr ADDR      the address to listen on (default 127.0.0.1:0, a free port)
//	-audit FILE     the decision log, appended to (default a new temporary file)
//	-endpoint HOST  the virtual-hosted endpoint (default s3.localhost)
//
// # The world file
//
// A scenario of format version 1 (see package scenario, and FORMAT.md of the
// conformance corpus), loaded strictly: its accounts, principals with their
// identity policies, boundaries, session policies and tags, buckets with
// owners, Object Ownership, policies, ACLs, Block Public Access and DevPay
// products, objects with owners, ACLs and tags, products and subscriptions.
// The buckets and objects are the server's initial state; a scenario
// object has no contents, so it is served with the body "BUCKET/KEY\n" and
// content type text/plain. The scenario's requests are not run by the
// gateway.
//
// # The credentials file
//
// JSON, read strictly (unknown members are errors):
//
//	{
//	  "accessKeys": {
//	    "AKIAALICE0000EXAMPLE": {"secret": "…", "principal": "alice"}
//	  },
//	  "devpay": {
//	    "productTokens": {"{ProductToken}…": "PHOTOAPP"},
//	    "userTokens":    {"{UserToken}…": "carol"}
//	  }
//	}
//
// accessKeys maps an access key ID to its secret access key and the name of
// the scenario principal that signs with it (which must be declared, and
// not anonymous). devpay stands in for the DevPay License Service: a
// request's x-amz-security-token is read as DevPay tokens (package devpay);
// its product token names the product it comes through and its user token
// must be one issued to the caller. Tokens that name no known product, or
// a user token of someone else, deny the request (403 AccessDenied); a
// security token that is no DevPay token is refused (400 InvalidToken), as
// the gateway issues no session tokens.
//
// # Requests
//
// Each request is authenticated first by package sigv4 (AWS Signature
// Version 4, standard library only): header-signed and presigned requests,
// the 15-minute clock skew and presigned expiry, constant-time signature
// comparison, the payload hash or aws-chunked chunk signatures and
// trailers checked as the body is read. A request signed with an unknown
// access key is refused with 403 InvalidAccessKeyId, a signature that does
// not verify with 403 SignatureDoesNotMatch, an expired URL with 403
// AccessDenied; an unsigned one is anonymous. The gateway then
// maps the request once to answer as S3 does before authorization — 404
// NoSuchBucket for a bucket that does not exist, 409 for a CreateBucket of
// one that does — and reads ahead the ACL or policy document a write
// carries. The middleware authorizes every check of the operation against
// the current state (the world is the s3request.Store), with the caller's
// tags, its DevPay product and the ACL or policy the write would store
// (Complete); a refusal is S3's error, AccessDenied 403 or the documented
// code. Every decision is written to a chained audit log, names
// pseudonymized (audit.Pseudonymize, a key per run), and watched by an
// audit.Monitor whose alarms are printed on standard error. Writes to
// policies, ACLs, Object Ownership, Block Public Access and tags change
// what later requests are authorized against.
//
// # Operations
//
// ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation,
// ListObjects, ListObjectsV2, ListObjectVersions, PutObject, GetObject,
// HeadObject, DeleteObject, DeleteObjects, CopyObject, Get/Put/DeleteObjectTagging,
// Get/PutObjectAcl, CreateMultipartUpload, UploadPart, UploadPartCopy,
// CompleteMultipartUpload, AbortMultipartUpload, ListParts,
// ListMultipartUploads, Get/Put/DeleteBucketPolicy, GetBucketPolicyStatus,
// Get/PutBucketAcl, Get/Put/DeleteBucketTagging, Get/PutBucketVersioning,
// Get/Put/DeletePublicAccessBlock and Get/Put/DeleteBucketOwnershipControls.
// Any other operation the mapper knows is authorized and then answered 501
// NotImplemented.
//
// # Load
//
// BenchmarkLoad (load_test.go) drives 8 concurrent SDK clients — bob and
// anonymous, both URL styles — through 2,000 requests (reads, listings,
// heads, uploads and a refused read) with authorization on and then off,
// and reports requests per second, p50 and p99 latency, and the time spent
// in the middleware outside the S3 handler (mapping, store lookups,
// evaluation, the audit record) as a share of the request time. On two
// cores: about 9,500 requests/s, p50 0.7 ms, and authorization about 20 µs
// a request, 2.4 % of it. TestLoadLosesNothing checks under the same load
// that every request is decided, every decision is in the audit log, and
// the log's chain verifies.
//
// # What the SDK sends
//
// The AWS SDK for Go v2 (service/s3 v1.116.0), over plain HTTP as in the
// tests, sends requests the mapper reads without any change on either side:
//
//   - an x-id=OPERATION query parameter on object operations, which the
//     mapper knows as the SDK's marker;
//   - sub-resources with an empty value ("?acl=", "?versions=",
//     "?uploads="), not bare names;
//   - a signed payload hash (x-amz-content-sha256 is the body's SHA-256)
//     on every request: it refuses an unseekable body over HTTP ("request
//     stream is not seekable") instead of streaming it aws-chunked, which it
//     does only over TLS, so package sigv4's aws-chunked decoding is driven
//     by the SDK over TLS in its own tests; UNSIGNED-PAYLOAD is sent when
//     asked for;
//   - x-amz-checksum-crc32 on every request with an XML or JSON body, and on
//     PutBucketAcl with a canned ACL and no body at all (the CRC32 of
//     nothing, AAAAAA==); none on PutObject and UploadPart over HTTP;
//   - presigned URLs signing the host header only (X-Amz-SignedHeaders=host),
//     with x-id in the query;
//   - x-amz-security-token carrying the session token of the static
//     credentials as one value, which is how the tests send DevPay tokens
//     ("{UserToken}…,{ProductToken}…").
//
// HEAD errors have no body, so the SDK names them by status: 403 is
// "Forbidden" and 404 "NotFound", where S3's code would be AccessDenied or
// NoSuchKey.
//
// # What minio-go sends
//
// minio-go (v7.3.0), a client written independently of the SDK, drives the
// gateway too (minio_test.go, testdata/minio-operations.md); where its
// requests differ from the SDK's, the gateway and the mapper take them as
// they are:
//
//   - with no region configured, a GET BUCKET?location= before its first
//     call on a bucket, presigning included, signed for us-east-1; a 403
//     makes it assume us-east-1, a 404 NoSuchBucket ends the call;
//     unsigned and virtual-hosted, the sub-resource is bare (?location);
//   - MakeBucket to the endpoint's host in path style whatever the
//     bucket lookup, PUT /BUCKET/ with a trailing slash (HEAD /BUCKET/ for
//     BucketExists) and UNSIGNED-PAYLOAD;
//   - object and part bodies over plain HTTP streamed aws-chunked with
//     chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, Content-Encoding
//     aws-chunked, x-amz-decoded-content-length), with no checksum;
//   - listings with encoding-type=url always (keys are decoded), and for
//     ListObjectsV2 fetch-owner=true and empty delimiter= and prefix=;
//   - Content-MD5 rather than x-amz-checksum-crc32 on PutObjectTagging and
//     DeleteObjects, and nothing on PutBucketPolicy; UNSIGNED-PAYLOAD on
//     several calls, GetObjectTagging's GET among them; XML of
//     CompleteMultipartUpload as application/octet-stream;
//   - no x-id parameter, in requests or presigned URLs; the User-Agent
//     "MinIO (OS; ARCH) minio-go/VERSION" and no amz-sdk-* headers; no
//     x-amz-content-sha256 when anonymous (the SDK sends the empty
//     payload's hash unsigned).
//
// It names a bodiless HEAD error 403 AccessDenied and 404 NoSuchKey, and
// reads GetBucketPolicy's 404 NoSuchBucketPolicy as an empty policy.
//
// # Simplified S3 behaviour
//
//   - One region, us-east-1; no storage classes, encryption, Object Lock,
//     lifecycle, replication, website, CORS, logging or notifications.
//   - Objects and parts are capped at 64 MiB, XML bodies at 1 MiB, ACLs at
//     64 KiB and policies at 20 KiB; at most 1,000 uploads in progress.
//   - Listings show object owners without evaluating the advisory
//     s3:GetObjectAcl check; ListMultipartUploads ignores delimiter.
//   - A missing key is 404 NoSuchKey only to callers the advisory
//     s3:ListBucket check allows (logged too), 403 AccessDenied otherwise.
//   - A DeleteObjects runs only when every key may be deleted (the
//     middleware's rule), so its result never lists AccessDenied keys.
//   - Preconditions: If-Match, If-None-Match, If-Modified-Since and
//     If-Unmodified-Since on GetObject and HeadObject; one byte range.
//   - Checksums: Content-MD5, and x-amz-checksum-crc32, -crc32c, -sha1 and
//     -sha256 in headers or aws-chunked trailers, are verified (on objects,
//     parts and XML, ACL and policy bodies) and echoed on uploads; other
//     algorithms are accepted unverified.
//   - New buckets get S3's defaults: BucketOwnerEnforced unless
//     x-amz-object-ownership says otherwise, and Block Public Access all
//     on. DeleteBucketOwnershipControls makes a bucket ObjectWriter.
//   - Accounts have no display names in ACLs and listings; an account the
//     scenario gives no canonical ID gets one derived from its account ID.
//   - Account-level Block Public Access is the scenario's and cannot be
//     changed through the gateway (that is the s3control API).
package main
