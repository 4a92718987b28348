// Package sigv4 authenticates S3 requests signed with AWS Signature
// Version 4, as an S3-compatible gateway has to before it can hand the
// caller's identity to an authorization engine such as s3authz.
//
// # What is verified
//
// A [Verifier] accepts two ways of signing:
//
//   - header signing: an Authorization header of the form
//     "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/s3/aws4_request,
//     SignedHeaders=...,Signature=...";
//   - query signing (presigned URLs): the X-Amz-Algorithm, X-Amz-Credential,
//     X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature
//     query parameters.
//
// A request with neither is anonymous; [Verifier.Verify] reports it as such
// and leaves the decision to the authorizer.
//
// The canonical request is built the way S3 builds it: the path is taken
// from the request target as the client sent it (r.RequestURI when set),
// decoded once and re-encoded once, with no normalization of "." or ".."
// segments or repeated slashes and no second round of encoding. Query
// parameters are decoded and re-encoded, then sorted by name and value.
// The "host" header is taken from r.Host, and Content-Length and
// Transfer-Encoding, which net/http moves out of r.Header, are recovered
// from r.ContentLength and r.TransferEncoding when they are signed.
//
// The payload is covered according to x-amz-content-sha256: a hexadecimal
// SHA-256 is checked against the body as it is read; UNSIGNED-PAYLOAD is
// not checked; STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies are decoded from
// aws-chunked framing and every chunk signature is checked against the
// chain that starts at the request signature; the two -TRAILER variants
// are decoded likewise and their trailing checksum (CRC32, CRC32C,
// CRC64NVME, SHA1 or SHA256) is checked against the decoded body, and for
// the signed variant the trailer signature too. The x-amz-checksum-*
// headers of a PUT with a hash or UNSIGNED-PAYLOAD are checked against the
// body as well (400 BadDigest).
//
// Every x-amz-* header present must be signed (403 AccessDenied otherwise),
// and with header signing so must host, x-amz-content-sha256 and
// x-amz-date (or Date when x-amz-date is absent).
//
// # Reading the body
//
// Verify checks everything that can be checked from the request head. When
// the payload is covered by a hash, chunk signatures or a trailing
// checksum, it replaces r.Body with a reader that checks them as the body
// is read, and returns an [*Error] from Read instead of the final io.EOF
// when they do not match. Bytes are handed to the caller before the check
// at the end of their chunk or body has run, so a handler must read the
// whole body, and see io.EOF, before it stores or acts on any of it.
//
// For aws-chunked bodies, the replacement reader yields the decoded object
// bytes; r.ContentLength and the Content-Length header are set to
// x-amz-decoded-content-length and "aws-chunked" is removed from
// Content-Encoding (the header is deleted when nothing else remains).
//
// # Guarantees
//
//   - A Verifier is safe for concurrent use once its fields are set; the
//     body readers it installs belong to their request and are not.
//   - It fails closed: anything it does not understand in a request that
//     claims to be signed is an error, never an anonymous or authenticated
//     result.
//   - Signatures are compared in constant time.
//   - Memory is bounded regardless of input: the Authorization header and
//     query are capped ([MaxAuthorizationSize], [MaxSignedHeaders]), a
//     chunk header or trailer line may not exceed [MaxChunkLineSize], a
//     chunk may not exceed [MaxChunkSize] (the data itself is streamed, not
//     buffered), and at most [MaxTrailers] trailer lines are read.
//   - It starts no goroutines and does not panic on any input.
//
// # Not supported
//
// AWS Signature Version 2 ("Authorization: AWS AKID:sig" or a Signature
// query parameter) and SigV4A (AWS4-ECDSA-P256-SHA256 and the
// STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD modes) are rejected with 400
// InvalidRequest. Browser POST uploads (policy documents in a form) and
// S3 Express session authentication are not handled. The signing service
// must be "s3". Session tokens (X-Amz-Security-Token) are returned in
// [Result.SessionToken] for the caller to validate; the Verifier does not
// validate them itself.
package sigv4
