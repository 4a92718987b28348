package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits applied to every request. They are far above what any SDK sends and
// keep the memory a hostile request can make the Verifier use small.
const (
	// MaxAuthorizationSize caps the Authorization header, in bytes.
	MaxAuthorizationSize = 8 << 10
	// MaxSignedHeaders caps the number of names in SignedHeaders.
	MaxSignedHeaders = 128
	// MaxQuerySize caps the raw query string of a signed request, in bytes.
	MaxQuerySize = 64 << 10
	// MaxChunkLineSize caps an aws-chunked chunk header or trailer line,
	// CRLF included, in bytes.
	MaxChunkLineSize = 4 << 10
	// MaxChunkSize caps the data of one aws-chunked chunk, in bytes. Chunk
	// data is streamed, so this bounds time between checks, not memory.
	MaxChunkSize = 16 << 20
	// MaxTrailers caps the number of trailer lines of an aws-chunked body.
	MaxTrailers = 16
	// MaxPresignExpires is the longest validity of a presigned URL, in
	// seconds (seven days), as in S3.
	MaxPresignExpires = 7 * 24 * 60 * 60
	// DefaultMaxSkew is the clock skew S3 tolerates for header-signed
	// requests; it is used when Verifier.MaxSkew is zero.
	DefaultMaxSkew = 15 * time.Minute
)

// Values of the x-amz-content-sha256 header that are not a hash.
const (
	// UnsignedPayload leaves the body unchecked; it is also the payload hash
	// of every presigned URL that does not send x-amz-content-sha256.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// StreamingPayload is an aws-chunked body whose chunks are signed.
	StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	// StreamingPayloadTrailer is an aws-chunked body whose chunks and
	// trailer are signed.
	StreamingPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	// StreamingUnsignedTrailer is an aws-chunked body with unsigned chunks
	// and a trailing checksum; only the request head is signed.
	StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

const (
	streamingECDSAPrefix      = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
	algorithmHMAC             = "AWS4-HMAC-SHA256"
	algorithmECDSA            = "AWS4-ECDSA-P256-SHA256"
	amzDateLayout             = "20060102T150405Z"
	scopeDateLayout           = "20060102"
	scopeTerminator           = "aws4_request"
	serviceS3                 = "s3"
	emptySHA256               = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	headerContentSHA256       = "x-amz-content-sha256"
	headerDecodedLength       = "x-amz-decoded-content-length"
	headerSecurityToken       = "x-amz-security-token"
	queryAlgorithm            = "X-Amz-Algorithm"
	queryCredential           = "X-Amz-Credential"
	queryDate                 = "X-Amz-Date"
	queryExpires              = "X-Amz-Expires"
	querySignedHeaders        = "X-Amz-SignedHeaders"
	querySignature            = "X-Amz-Signature"
	querySecurityToken        = "X-Amz-Security-Token"
	maxAccessKeyIDSize        = 128
	maxRegionOrServiceSize    = 64
	maxSignedHeaderNameLength = 128
)

// Verifier checks S3 requests signed with AWS Signature Version 4.
//
// The zero value rejects every signed request (it knows no keys) and reports
// unsigned ones as anonymous. A Verifier is safe for concurrent use as long
// as its fields are not changed while it is in use.
type Verifier struct {
	// Secret returns the secret access key of an access key ID and true, or
	// false when the key is unknown. It must be safe for concurrent use.
	Secret func(accessKeyID string) (secret string, ok bool)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxSkew is how far the request time of a header-signed request may be
	// from Now, either way, and how far in the future a presigned URL's
	// X-Amz-Date may be. Zero means DefaultMaxSkew (15 minutes, S3's).
	MaxSkew time.Duration
	// Region, when not empty, is the only region accepted in the credential
	// scope; a signature for another region is rejected with
	// AuthorizationHeaderMalformed (or AuthorizationQueryParametersError).
	// Empty accepts any region and reports it in Result.Region.
	Region string
}

// Result describes an authenticated (or anonymous) request.
type Result struct {
	// AccessKeyID is the access key that signed the request; empty when
	// Anonymous.
	AccessKeyID string
	// Anonymous is true when the request carried no signature at all.
	Anonymous bool
	// Presigned is true when the signature came from the query string.
	Presigned bool
	// Region and Service are those of the credential scope.
	Region, Service string
	// Time is the signing time (X-Amz-Date, or Date when x-amz-date is
	// absent).
	Time time.Time
	// Expires is when a presigned URL stops being valid; zero otherwise.
	Expires time.Time
	// SessionToken is the signed X-Amz-Security-Token, if any. The Verifier
	// does not validate it; a caller issuing temporary credentials must.
	SessionToken string
	// PayloadHash is the x-amz-content-sha256 value the signature covers (a
	// hexadecimal hash, UNSIGNED-PAYLOAD or one of the STREAMING- values).
	PayloadHash string
}

// Error is an authentication failure, carrying the HTTP status and the S3
// error code and message a gateway should answer with.
type Error struct {
	// Status is the HTTP status code, 400 or 403 (411 for a streaming upload
	// without x-amz-decoded-content-length).
	Status int
	// Code is the S3 error code, such as SignatureDoesNotMatch.
	Code string
	// Message is a human-readable explanation; it never contains secrets.
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("sigv4: %d %s: %s", e.Status, e.Code, e.Message)
}

func newError(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func errSignature() *Error {
	return newError(http.StatusForbidden, "SignatureDoesNotMatch",
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.")
}

// authInput is what either way of signing provides, once parsed.
type authInput struct {
	presigned     bool
	accessKeyID   string
	scopeDate     string
	region        string
	service       string
	signedHeaders []string
	signature     []byte
	amzDate       string // the string that goes into the string to sign
	time          time.Time
	expires       time.Duration
	malformed     string // error code for malformed input of this kind
}

// Verify authenticates r.
//
// A request with neither an Authorization header nor an X-Amz-Algorithm query
// parameter is anonymous: Verify returns a Result with Anonymous set and a nil
// error, without looking at anything else. Otherwise it returns the signer's
// identity, or an *Error describing the failure in S3's terms.
//
// On success Verify may replace r.Body with a reader that decodes aws-chunked
// bodies and checks the payload hash, chunk signatures and trailing checksums
// as the body is read, returning an *Error from Read at the end of the body
// (or of the offending chunk) when they do not match. A handler must therefore
// read the whole body before it commits anything. Verify must see the request
// target as received: call it before anything rewrites r.URL or r.RequestURI.
func (v *Verifier) Verify(r *http.Request) (Result, error) {
	if r == nil || r.URL == nil {
		return Result{}, newError(http.StatusBadRequest, "InvalidRequest", "no request")
	}
	path, rawQuery, err := requestTarget(r)
	if err != nil {
		return Result{}, err
	}
	authz := r.Header.Values("Authorization")
	presigned := strings.Contains(rawQuery, queryAlgorithm)
	if len(authz) == 0 && !presigned {
		if strings.Contains(rawQuery, "Signature=") && strings.Contains(rawQuery, "AWSAccessKeyId=") {
			return Result{}, newError(http.StatusBadRequest, "InvalidRequest",
				"The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
		}
		return Result{Anonymous: true}, nil
	}
	if len(rawQuery) > MaxQuerySize {
		return Result{}, newError(http.StatusBadRequest, "InvalidArgument", "query string too long")
	}
	query, err := parseQuery(rawQuery)
	if err != nil {
		return Result{}, err
	}
	_, presigned = query.get(queryAlgorithm)
	if len(authz) > 0 && presigned {
		return Result{}, newError(http.StatusBadRequest, "InvalidArgument",
			"Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified")
	}
	if len(authz) == 0 && !presigned {
		// The query mentions X-Amz-Algorithm only in a value or in another
		// spelling; without a signature the request is anonymous.
		return Result{Anonymous: true}, nil
	}

	var in authInput
	if presigned {
		in, err = parsePresigned(query)
	} else {
		in, err = parseAuthorization(authz, r.Header)
	}
	if err != nil {
		return Result{}, err
	}
	if in.service != serviceS3 {
		return Result{}, newError(http.StatusBadRequest, in.malformed,
			"The authorization %s is malformed; incorrect service %q. This endpoint belongs to %q.",
			headerOrQuery(in.presigned), in.service, serviceS3)
	}
	if v.Region != "" && in.region != v.Region {
		return Result{}, newError(http.StatusBadRequest, in.malformed,
			"The authorization %s is malformed; the region %q is wrong; expecting %q",
			headerOrQuery(in.presigned), in.region, v.Region)
	}
	if in.time.Format(scopeDateLayout) != in.scopeDate {
		return Result{}, newError(http.StatusBadRequest, in.malformed,
			"The authorization %s is malformed; Invalid credential date %q. This date is not the same as X-Amz-Date: %q.",
			headerOrQuery(in.presigned), in.scopeDate, in.time.Format(scopeDateLayout))
	}
	if err := v.checkTime(in); err != nil {
		return Result{}, err
	}
	if err := checkSignedHeaders(r, in); err != nil {
		return Result{}, err
	}

	payload, err := payloadMode(r, in)
	if err != nil {
		return Result{}, err
	}

	secret, ok := "", false
	if v.Secret != nil {
		secret, ok = v.Secret(in.accessKeyID)
	}
	if !ok {
		return Result{}, newError(http.StatusForbidden, "InvalidAccessKeyId",
			"The AWS Access Key Id you provided does not exist in our records.")
	}

	canonical := canonicalRequest(r, path, query, in, payload)
	scope := in.scopeDate + "/" + in.region + "/" + in.service + "/" + scopeTerminator
	key := signingKey(secret, in.scopeDate, in.region, in.service)
	stringToSign := algorithmHMAC + "\n" + in.amzDate + "\n" + scope + "\n" + hexSHA256([]byte(canonical))
	want := hmacSHA256(key, []byte(stringToSign))
	if !hmac.Equal(want, in.signature) {
		return Result{}, errSignature()
	}

	res := Result{
		AccessKeyID: in.accessKeyID,
		Presigned:   in.presigned,
		Region:      in.region,
		Service:     in.service,
		Time:        in.time,
		PayloadHash: payload,
	}
	if in.presigned {
		res.Expires = in.time.Add(in.expires)
		res.SessionToken, _ = query.get(querySecurityToken)
	} else if signedHeader(in.signedHeaders, headerSecurityToken) {
		res.SessionToken = r.Header.Get(headerSecurityToken)
	}
	if err := installBody(r, payload, streamState{
		key:     key,
		prev:    want,
		amzDate: in.amzDate,
		scope:   scope,
	}); err != nil {
		return Result{}, err
	}
	return res, nil
}

func headerOrQuery(presigned bool) string {
	if presigned {
		return "query parameters are"
	}
	return "header is"
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) checkTime(in authInput) error {
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	now := v.now()
	if in.presigned {
		if in.time.Sub(now) > skew {
			return newError(http.StatusForbidden, "AccessDenied", "Request is not valid yet")
		}
		if now.After(in.time.Add(in.expires)) {
			return newError(http.StatusForbidden, "AccessDenied", "Request has expired")
		}
		return nil
	}
	d := now.Sub(in.time)
	if d > skew || d < -skew {
		return newError(http.StatusForbidden, "RequestTimeTooSkewed",
			"The difference between the request time and the current time is too large.")
	}
	return nil
}

// requestTarget returns the decoded path and the raw query of the request as
// the client sent it. r.RequestURI is preferred because middleware such as
// http.StripPrefix rewrites r.URL but not r.RequestURI.
func requestTarget(r *http.Request) (path, rawQuery string, err error) {
	u := r.URL
	if r.RequestURI != "" && r.RequestURI != "*" {
		parsed, perr := url.ParseRequestURI(r.RequestURI)
		if perr != nil {
			return "", "", newError(http.StatusBadRequest, "InvalidURI", "Couldn't parse the specified URI.")
		}
		u = parsed
	}
	path = u.Path
	if path == "" {
		path = "/"
	}
	return path, u.RawQuery, nil
}

// parseAuthorization parses an Authorization header of the form
//
//	AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex
//
// and finds the request time in x-amz-date or Date.
func parseAuthorization(values []string, h http.Header) (authInput, error) {
	in := authInput{malformed: "AuthorizationHeaderMalformed"}
	malformed := func(why string) (authInput, error) {
		return authInput{}, newError(http.StatusBadRequest, "AuthorizationHeaderMalformed",
			"The authorization header is malformed; %s", why)
	}
	if len(values) != 1 {
		return malformed("more than one Authorization header")
	}
	v := values[0]
	if len(v) > MaxAuthorizationSize {
		return malformed("too long")
	}
	alg, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
	switch alg {
	case algorithmHMAC:
	case "AWS", algorithmECDSA:
		return authInput{}, newError(http.StatusBadRequest, "InvalidRequest",
			"The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	default:
		return authInput{}, newError(http.StatusBadRequest, "InvalidArgument", "Unsupported Authorization Type")
	}
	var cred, signed, sig string
	var seen [3]bool
	for _, part := range strings.Split(rest, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return malformed(fmt.Sprintf("the component %q is not of the form name=value", truncate(part)))
		}
		var i int
		switch name {
		case "Credential":
			i, cred = 0, value
		case "SignedHeaders":
			i, signed = 1, value
		case "Signature":
			i, sig = 2, value
		default:
			return malformed(fmt.Sprintf("unknown component %q", truncate(name)))
		}
		if seen[i] {
			return malformed(fmt.Sprintf("duplicate component %q", name))
		}
		seen[i] = true
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return malformed("it must contain Credential, SignedHeaders and Signature")
	}
	if err := parseCredential(&in, cred); err != "" {
		return malformed(err)
	}
	var err string
	if in.signedHeaders, err = parseSignedHeaders(signed); err != "" {
		return malformed(err)
	}
	if in.signature, err = parseSignature(sig); err != "" {
		return malformed(err)
	}

	// x-amz-date wins over Date; whichever is used must be signed.
	if d := h.Values("X-Amz-Date"); len(d) > 0 {
		t, perr := time.Parse(amzDateLayout, d[0])
		if len(d) != 1 || perr != nil {
			return authInput{}, newError(http.StatusForbidden, "AccessDenied",
				"AWS authentication requires a valid Date or x-amz-date header")
		}
		if !signedHeader(in.signedHeaders, "x-amz-date") {
			return malformed("x-amz-date must be a signed header")
		}
		in.time, in.amzDate = t, d[0]
	} else if d := h.Values("Date"); len(d) > 0 {
		t, perr := http.ParseTime(d[0])
		if len(d) != 1 || perr != nil {
			return authInput{}, newError(http.StatusForbidden, "AccessDenied",
				"AWS authentication requires a valid Date or x-amz-date header")
		}
		if !signedHeader(in.signedHeaders, "date") {
			return malformed("date must be a signed header")
		}
		t = t.UTC()
		in.time, in.amzDate = t, t.Format(amzDateLayout)
	} else {
		return authInput{}, newError(http.StatusForbidden, "AccessDenied",
			"AWS authentication requires a valid Date or x-amz-date header")
	}
	if !signedHeader(in.signedHeaders, headerContentSHA256) {
		return malformed("x-amz-content-sha256 must be a signed header")
	}
	return in, nil
}

// parsePresigned reads the X-Amz-* query parameters of a presigned URL.
func parsePresigned(q query) (authInput, error) {
	in := authInput{presigned: true, malformed: "AuthorizationQueryParametersError"}
	malformed := func(why string) (authInput, error) {
		return authInput{}, newError(http.StatusBadRequest, "AuthorizationQueryParametersError", "%s", why)
	}
	one := func(name string) (string, bool) {
		vs := q.all(name)
		if len(vs) != 1 {
			return "", false
		}
		return vs[0], true
	}
	alg, _ := one(queryAlgorithm)
	switch alg {
	case algorithmHMAC:
	case algorithmECDSA:
		return authInput{}, newError(http.StatusBadRequest, "InvalidRequest",
			"The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	default:
		return malformed("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
	}
	cred, ok1 := one(queryCredential)
	date, ok2 := one(queryDate)
	exp, ok3 := one(queryExpires)
	signed, ok4 := one(querySignedHeaders)
	sig, ok5 := one(querySignature)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return malformed("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters, each exactly once.")
	}
	if len(q.all(querySecurityToken)) > 1 {
		return malformed("X-Amz-Security-Token must appear at most once")
	}
	if err := parseCredential(&in, cred); err != "" {
		return malformed("Error parsing the X-Amz-Credential parameter; " + err)
	}
	var err string
	if in.signedHeaders, err = parseSignedHeaders(signed); err != "" {
		return malformed("Error parsing the X-Amz-SignedHeaders parameter; " + err)
	}
	if in.signature, err = parseSignature(sig); err != "" {
		return malformed("Error parsing the X-Amz-Signature parameter; " + err)
	}
	t, perr := time.Parse(amzDateLayout, date)
	if perr != nil {
		return malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
	}
	in.time, in.amzDate = t, date
	n, perr := strconv.Atoi(exp)
	if perr != nil || !allDigits(exp) {
		return malformed("X-Amz-Expires should be a number")
	}
	if n < 1 {
		return malformed("X-Amz-Expires must be non-negative")
	}
	if n > MaxPresignExpires {
		return malformed("X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	in.expires = time.Duration(n) * time.Second
	return in, nil
}

// parseCredential fills the scope fields of in from AKID/DATE/REGION/SERVICE/aws4_request.
// It returns a description of the problem, or "".
func parseCredential(in *authInput, cred string) string {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return "the Credential must have the form AKID/date/region/service/aws4_request"
	}
	akid, date, region, service, term := parts[0], parts[1], parts[2], parts[3], parts[4]
	switch {
	case akid == "" || len(akid) > maxAccessKeyIDSize || !printable(akid):
		return "the access key ID is not valid"
	case len(date) != 8 || !allDigits(date):
		return fmt.Sprintf("invalid credential date %q", truncate(date))
	case region == "" || len(region) > maxRegionOrServiceSize || !printable(region):
		return "the region is not valid"
	case service == "" || len(service) > maxRegionOrServiceSize || !printable(service):
		return "the service is not valid"
	case term != scopeTerminator:
		return fmt.Sprintf("the credential must end in %q", scopeTerminator)
	}
	if _, err := time.Parse(scopeDateLayout, date); err != nil {
		return fmt.Sprintf("invalid credential date %q", date)
	}
	in.accessKeyID, in.scopeDate, in.region, in.service = akid, date, region, service
	return ""
}

// parseSignedHeaders splits a SignedHeaders list; names must be lower case,
// distinct and include host.
func parseSignedHeaders(s string) ([]string, string) {
	if s == "" {
		return nil, "SignedHeaders is empty"
	}
	names := strings.Split(s, ";")
	if len(names) > MaxSignedHeaders {
		return nil, "too many signed headers"
	}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if n == "" || len(n) > maxSignedHeaderNameLength || !isLowerToken(n) {
			return nil, fmt.Sprintf("invalid signed header name %q", truncate(n))
		}
		if seen[n] {
			return nil, fmt.Sprintf("duplicate signed header %q", n)
		}
		seen[n] = true
	}
	if !seen["host"] {
		return nil, "host must be a signed header"
	}
	return names, ""
}

func parseSignature(s string) ([]byte, string) {
	if len(s) != 64 || !isLowerHex(s) {
		return nil, "the signature must be 64 lower-case hexadecimal digits"
	}
	b, _ := hex.DecodeString(s)
	return b, ""
}

// checkSignedHeaders rejects requests carrying x-amz-* headers that the
// signature does not cover: their meaning (ACLs, copy sources, SSE keys...)
// would otherwise be open to tampering.
func checkSignedHeaders(r *http.Request, in authInput) error {
	for name := range r.Header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-amz-") && !signedHeader(in.signedHeaders, lower) {
			return newError(http.StatusForbidden, "AccessDenied",
				"There were headers present in the request which were not signed: %s", truncate(lower))
		}
	}
	return nil
}

// payloadMode returns the payload hash that goes into the canonical request.
func payloadMode(r *http.Request, in authInput) (string, error) {
	vs := r.Header.Values(headerContentSHA256)
	if len(vs) > 1 {
		return "", newError(http.StatusBadRequest, "InvalidArgument", "x-amz-content-sha256 must appear at most once")
	}
	if len(vs) == 0 {
		if in.presigned {
			return UnsignedPayload, nil
		}
		// Unreachable: parseAuthorization insists the header is signed, and a
		// signed header that is absent is an error below.
		return "", newError(http.StatusBadRequest, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
	}
	p := vs[0]
	switch {
	case len(p) == 64 && isHex(p):
		return p, nil
	case p == UnsignedPayload:
		return p, nil
	case p == StreamingPayload, p == StreamingPayloadTrailer, p == StreamingUnsignedTrailer:
		if in.presigned {
			return "", newError(http.StatusBadRequest, "InvalidRequest",
				"aws-chunked uploads cannot be authenticated with query parameters")
		}
		return p, nil
	case strings.HasPrefix(p, streamingECDSAPrefix):
		return "", newError(http.StatusBadRequest, "InvalidRequest",
			"The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	default:
		return "", newError(http.StatusBadRequest, "InvalidArgument",
			"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
	}
}

func signedHeader(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// signingKey derives the key of one day, region and service from the secret.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), []byte(date))
	k = hmacSHA256(k, []byte(region))
	k = hmacSHA256(k, []byte(service))
	return hmacSHA256(k, []byte(scopeTerminator))
}

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isLowerToken reports whether s is an HTTP header name token with no upper
// case letters.
func isLowerToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// printable reports whether s is visible ASCII.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// truncate shortens attacker-provided text quoted in error messages.
func truncate(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
