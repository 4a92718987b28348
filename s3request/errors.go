package s3request

import (
	"errors"
	"net/http"
	"strconv"
)

// The error classes. Every error Map returns is an *Error whose Class is one
// of these; errors.Is(err, ErrInvalidArgument) tests the class.
var (
	// ErrMalformedURL: a bad percent-escape, or a target not in origin form.
	ErrMalformedURL = errors.New("malformed-url")
	// ErrInvalidBucketName: a bucket name against the naming rules.
	ErrInvalidBucketName = errors.New("invalid-bucket-name")
	// ErrInvalidKey: a key over 1,024 bytes, not UTF-8, or empty where an
	// object is needed.
	ErrInvalidKey = errors.New("invalid-key")
	// ErrUnknownSubresource: a value-less query name that is no known
	// sub-resource.
	ErrUnknownSubresource = errors.New("unknown-subresource")
	// ErrConflictingSubresources: two operation selectors in one request.
	ErrConflictingSubresources = errors.New("conflicting-subresources")
	// ErrUnsupportedOperation: no S3 operation has this method, level and
	// selector, or its action is outside the catalog.
	ErrUnsupportedOperation = errors.New("unsupported-operation")
	// ErrUnsupportedEndpoint: an endpoint or resource of another API
	// (website, access point, directory bucket, Object Lambda, control).
	ErrUnsupportedEndpoint = errors.New("unsupported-endpoint")
	// ErrInvalidArgument: a parameter or header S3 refuses.
	ErrInvalidArgument = errors.New("invalid-argument")
	// ErrInvalidCopySource: an x-amz-copy-source S3 cannot read.
	ErrInvalidCopySource = errors.New("invalid-copy-source")
	// ErrInvalidTag: object tags against the tagging rules.
	ErrInvalidTag = errors.New("invalid-tag")
	// ErrInvalidAuth: two authentication mechanisms, or one S3 does not know.
	ErrInvalidAuth = errors.New("invalid-auth")
	// ErrMissingBody: an operation that needs a body has none.
	ErrMissingBody = errors.New("missing-body")
	// ErrMalformedBody: a body that is not the document the operation takes.
	ErrMalformedBody = errors.New("malformed-body")
	// ErrInvalidRemoteAddress: a RemoteAddr that is neither "" nor ip[:port].
	ErrInvalidRemoteAddress = errors.New("invalid-remote-address")
)

// classes lists every class with S3's own answer to it.
var classes = [...]struct {
	err    error
	status int
	code   string
}{
	{ErrMalformedURL, http.StatusBadRequest, "InvalidURI"},
	{ErrInvalidBucketName, http.StatusBadRequest, "InvalidBucketName"},
	{ErrInvalidKey, http.StatusBadRequest, "KeyTooLongError"},
	{ErrUnknownSubresource, http.StatusBadRequest, "InvalidArgument"},
	{ErrConflictingSubresources, http.StatusBadRequest, "InvalidArgument"},
	{ErrUnsupportedOperation, http.StatusMethodNotAllowed, "MethodNotAllowed"},
	{ErrUnsupportedEndpoint, http.StatusBadRequest, "InvalidRequest"},
	{ErrInvalidArgument, http.StatusBadRequest, "InvalidArgument"},
	{ErrInvalidCopySource, http.StatusBadRequest, "InvalidArgument"},
	{ErrInvalidTag, http.StatusBadRequest, "InvalidTag"},
	{ErrInvalidAuth, http.StatusBadRequest, "InvalidArgument"},
	{ErrMissingBody, http.StatusBadRequest, "MalformedXML"},
	{ErrMalformedBody, http.StatusBadRequest, "MalformedXML"},
	{ErrInvalidRemoteAddress, http.StatusInternalServerError, "InternalError"},
}

// maxEcho is the most client input an error message repeats.
const maxEcho = 64

// Error is a request the mapper refuses: its class, the part of the request
// at fault, and why.
type Error struct {
	// Class is one of the Err* sentinels.
	Class error
	// Part names where the fault is: "method", "host", "path", "query:NAME",
	// "header:NAME", "body", "form:NAME" or "remote-address".
	Part string
	// Input is the offending input, at most 64 bytes of it.
	Input string
	// Reason says what is wrong, in a few words.
	Reason string
}

// Error returns one line: "s3request: CLASS: PART "INPUT": REASON".
func (e *Error) Error() string {
	s := "s3request: " + e.Class.Error() + ": " + e.Part
	if e.Input != "" {
		s += " " + strconv.Quote(e.Input)
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns the class, for errors.Is.
func (e *Error) Unwrap() error { return e.Class }

// HTTPStatus is the status S3 answers the request with: 400 for most
// classes, 405 for an unsupported operation, 500 for a RemoteAddr the
// host supplied wrongly.
func (e *Error) HTTPStatus() int {
	for _, c := range classes {
		if c.err == e.Class {
			return c.status
		}
	}
	return http.StatusBadRequest
}

// S3ErrorCode is the S3 error code of that answer ("InvalidArgument",
// "MalformedXML", ...).
func (e *Error) S3ErrorCode() string {
	for _, c := range classes {
		if c.err == e.Class {
			return c.code
		}
	}
	return "InvalidRequest"
}

func fail(class error, part, input, reason string) *Error {
	return &Error{Class: class, Part: part, Input: cut(input, maxEcho), Reason: reason}
}
