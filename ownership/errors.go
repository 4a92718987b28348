package ownership

import (
	"errors"

	"github.com/s3authz/s3authz/internal/errfmt"
)

// Sentinel errors. Every error this package returns is an [*Error] wrapping
// exactly one of them, so callers can branch with errors.Is without reading
// messages.
var (
	// ErrInvalidAccountID marks a string that is not a 12-digit account ID.
	ErrInvalidAccountID = errors.New("invalid account ID")
	// ErrInvalidCanonicalID marks a string that is not a canonical user ID,
	// or the anonymous canonical ID where an account's ID is needed.
	ErrInvalidCanonicalID = errors.New("invalid canonical ID")
	// ErrInvalidEmail marks an e-mail address MemoryDirectory.Add refuses.
	ErrInvalidEmail = errors.New("invalid e-mail address")
	// ErrConflict marks a MemoryDirectory registration that contradicts an
	// earlier one.
	ErrConflict = errors.New("conflicting registration")
	// ErrInvalidPrincipal marks a caller ARN or service name that does not
	// name a caller, and a With method applied to the wrong kind of caller.
	ErrInvalidPrincipal = errors.New("invalid principal")
	// ErrInvalidUniqueID marks an IAM unique ID that does not fit the caller.
	ErrInvalidUniqueID = errors.New("invalid unique ID")
	// ErrInvalidMode marks an unknown Object Ownership setting.
	ErrInvalidMode = errors.New("invalid object ownership mode")
	// ErrInvalidBucketName marks a bucket name S3 would not accept.
	ErrInvalidBucketName = errors.New("invalid bucket name")
	// ErrInvalidKey marks an object key S3 would not accept.
	ErrInvalidKey = errors.New("invalid object key")
	// ErrInvalidOwner marks a record whose owner is missing or malformed.
	ErrInvalidOwner = errors.New("invalid owner")
	// ErrInvalidTag marks a tag, or a tag set, over S3's limits.
	ErrInvalidTag = errors.New("invalid tag")
)

// Error reports invalid input: to a Parse function, to
// [MemoryDirectory.Add], to a With method of [Principal], to
// [Mode.UnmarshalText] or to a record's Validate method.
type Error struct {
	// Field names the record field or argument at fault, such as "Name",
	// "Tags[3].Key" or "email"; it is "" for the Parse functions, whose
	// input is a single value.
	Field string
	// Input is the offending value as given, not truncated; "" when the
	// fault is not one value (too many tags, say).
	Input string
	// Err wraps one of the Err* sentinels, with detail.
	Err error
}

// Error implements the error interface. The form is
// `ownership: invalid principal "arn:aws:iam::111122223333:role/r": ...`,
// with the field, when there is one, after the prefix.
func (e *Error) Error() string {
	if e.Field == "" {
		return "ownership: " + e.Err.Error()
	}
	return "ownership: " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns the wrapped sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// errv returns an *Error whose message reads
// `<sentinel> "<input>": <explanation>`, the input quoted and cut so that
// hostile input cannot flood a log.
func errv(field string, sentinel error, input, format string, args ...any) error {
	return &Error{
		Field: field,
		Input: input,
		Err:   errfmt.Value(sentinel, input, format, args...),
	}
}

// errn returns an *Error about no single value: `<sentinel>: <explanation>`.
func errn(field string, sentinel error, format string, args ...any) error {
	return &Error{
		Field: field,
		Err:   errfmt.Detail(sentinel, format, args...),
	}
}
