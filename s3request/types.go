package s3request

import (
	"net/http"
	"time"
)

// Request is what the mapper reads of one S3 REST request. Every field is
// taken as given: the mapper never normalises the target, never trusts a
// header for a fact about the connection, and reads Body only for the
// operations that carry a document it needs (see the package doc).
type Request struct {
	// Method is the HTTP method exactly as sent; case matters ("GET").
	Method string
	// Host is the Host header (the URL's authority), with its port if any;
	// "" for an HTTP/1.0 request without one, which is path style.
	Host string
	// Target is the request target in origin form: the escaped path and,
	// after "?", the raw query, exactly as received ("/b/k%20x?acl").
	Target string
	// Header holds the request headers with canonical names, as net/http
	// gives them (http.Header.Add canonicalises). May be nil.
	Header http.Header
	// Body is the request body, for DeleteObjects, PutObjectTagging,
	// PutObjectRetention, PutObjectLegalHold, CreateBucket,
	// PutBucketInventoryConfiguration and browser POST uploads; at most
	// MaxBody bytes. The mapper never keeps it.
	Body []byte
	// TLS reports that the connection is TLS (aws:SecureTransport), and
	// TLSVersion its version, "1.0" to "1.3" (s3:TlsVersion).
	TLS        bool
	TLSVersion string
	// RemoteAddr is the socket peer, "ip:port" or "[v6]:port" (a bare IP is
	// accepted too), or "" when the host does not know it. It is the only
	// source of aws:SourceIp.
	RemoteAddr string
	// Now is when the request was received, by the server's clock; the zero
	// time means unknown, and the time keys are then absent.
	Now time.Time
}

// MaxBody is the largest body the mapper reads, in bytes; a longer one is
// a malformed body.
const MaxBody = 2 << 20

// Style is how a request names its bucket.
type Style uint8

// The addressing styles of "Virtual hosting of buckets".
const (
	// PathStyle names the bucket in the first path segment of a request to
	// a service endpoint (or an IP address).
	PathStyle Style = iota + 1
	// VirtualHosted names the bucket in the host, before a service
	// endpoint: bucket.s3.us-east-2.amazonaws.com.
	VirtualHosted
	// CNAME names the bucket by the whole host, a DNS alias of S3.
	CNAME
)

// String returns "path", "virtual-hosted" or "cname".
func (s Style) String() string {
	switch s {
	case PathStyle:
		return "path"
	case VirtualHosted:
		return "virtual-hosted"
	case CNAME:
		return "cname"
	}
	return "none"
}

// AuthType is how a request claims to be signed, the s3:authType key; the
// mapper does not verify signatures.
type AuthType uint8

// The authentication types of "Amazon S3 Signature Version 4 Authentication
// Specific Policy Keys".
const (
	// Anonymous requests carry no signature.
	Anonymous AuthType = iota
	// RESTHeader requests are signed in the Authorization header.
	RESTHeader
	// RESTQueryString requests are presigned URLs.
	RESTQueryString
	// POST requests are browser uploads signed in form fields.
	POST
)

// String returns the s3:authType value: "REST-HEADER",
// "REST-QUERY-STRING", "POST", or "" for an anonymous request.
func (a AuthType) String() string {
	switch a {
	case RESTHeader:
		return "REST-HEADER"
	case RESTQueryString:
		return "REST-QUERY-STRING"
	case POST:
		return "POST"
	}
	return ""
}

// Auth is what a request claims about its signature.
type Auth struct {
	// Type is how it is signed; Anonymous when it carries no signature.
	Type AuthType
	// SignatureVersion is "AWS" (SigV2) or "AWS4-HMAC-SHA256" (SigV4); ""
	// when anonymous.
	SignatureVersion string
	// Age is the signature's age in milliseconds (s3:signatureAge): the
	// request's Now minus its signing time, 0 for SigV2 and for a signing
	// time after Now; -1 when unknown (anonymous, or Now zero).
	Age int64
}

// Operation is what a request asks: one S3 operation and the checks that
// must all be allowed for it to run. An Operation is never modified after
// Map returns it; it may be read by several goroutines.
type Operation struct {
	// Name is the S3 API operation, as the API Reference names it
	// ("GetObject", "ListObjectsV2", "DeleteObjects").
	Name string
	// Style is how the request named its bucket; Partition is the AWS
	// partition of its endpoint ("aws", "aws-cn", or Config.Partition).
	Style     Style
	Partition string
	// Bucket and Key are the bucket and object the request addresses; ""
	// where it addresses none. VersionID is the versionId parameter.
	Bucket, Key, VersionID string
	// Auth is how the request claims to be signed.
	Auth Auth
	// Time is the request's Now.
	Time time.Time
	// Checks are the required checks: the request is allowed only if every
	// one is. Never empty.
	Checks []Check

	// keyStore and tagStore are the storage of the checks' keys and of
	// s3:RequestObjectTagKeys, kept for MapInto to reuse.
	keyStore []Key
	tagStore []string
}

// Advisory returns the checks that change what the operation's response
// shows, never whether it runs, so they must not be combined with Checks:
// for GetObject, HeadObject and GetObjectAttributes, s3:GetObjectRetention
// and s3:GetObjectLegalHold (without them the lock headers are left out)
// and s3:ListBucket on the bucket (404 rather than 403 for a missing key);
// for ListObjects(V2) and ListObjectVersions, s3:GetObjectAcl (the owner
// of each object). The checks carry no condition keys. It returns a new
// slice on each call, nil for other operations.
func (op *Operation) Advisory() []Check {
	switch op.Name {
	case "GetObject", "HeadObject", "GetObjectAttributes":
		return []Check{
			{Action: "s3:GetObjectRetention", Bucket: op.Bucket, Key: op.Key, VersionID: op.VersionID},
			{Action: "s3:GetObjectLegalHold", Bucket: op.Bucket, Key: op.Key, VersionID: op.VersionID},
			{Action: "s3:ListBucket", Bucket: op.Bucket},
		}
	case "ListObjects", "ListObjectsV2", "ListObjectVersions":
		return []Check{{Action: "s3:GetObjectAcl", Bucket: op.Bucket}}
	}
	return nil
}

// Check is one authorization question: may the caller perform Action on
// the resource, given the condition keys the request supplies?
type Check struct {
	// Action is an action of the catalog, canonically spelled
	// ("s3:GetObjectVersion").
	Action string
	// Bucket is the bucket; "" only for s3:ListAllMyBuckets. Key is the
	// object key, decoded and verbatim; "" for a bucket-level action.
	Bucket, Key string
	// VersionID is the object version the check is about, "" for none.
	VersionID string
	// Extra marks a permission the operation needs besides its own
	// action — PutObject's s3:PutObjectAcl for an ACL header, CreateBucket's
	// s3:PutBucketVersioning for Object Lock, s3:BypassGovernanceRetention
	// — as opposed to the API call of that name; EvaluateRequest passes it
	// on as evaluate.Request.Extra.
	Extra bool
	// Keys are the condition keys the request supplies for this action:
	// the request-wide keys and the action's own keys. Keys the evaluator
	// derives from stored state are never here.
	Keys []Key
}

// Key is one condition key and its values.
type Key struct {
	// Name is the key as IAM spells it ("s3:prefix", "aws:SourceIp").
	Name string
	// Values are its values; one for a single-valued key.
	Values []string
	// Multi marks a multivalued key (s3:RequestObjectTagKeys, aws:TagKeys),
	// which stays multivalued with one value or none.
	Multi bool
	// one holds a single value, so that a key needs no storage of its own.
	one [1]string
}

// Get returns the values of the key called name, ignoring ASCII case, and
// whether the check carries it.
func (c *Check) Get(name string) ([]string, bool) {
	for i := range c.Keys {
		if equalFold(c.Keys[i].Name, name) {
			return c.Keys[i].Values, true
		}
	}
	return nil, false
}
