package scenario

import (
	"errors"
	"strconv"
)

// Sentinel errors; every load error wraps one, and policy and ACL errors
// are wrapped too, so errors.As finds a *policy.Error or *acl.Error.
var (
	// ErrSyntax marks a file that is not well-formed JSON.
	ErrSyntax = errors.New("invalid JSON")
	// ErrDuplicate marks an object naming a member twice.
	ErrDuplicate = errors.New("duplicate member")
	// ErrUnknownField marks a member the format does not have.
	ErrUnknownField = errors.New("unknown field")
	// ErrType marks a value of the wrong JSON type.
	ErrType = errors.New("wrong type")
	// ErrMissing marks a required field that is absent.
	ErrMissing = errors.New("missing field")
	// ErrInvalid marks a value outside its domain: an account ID, a
	// canonical ID, an ARN, an action, an expectation, a time, an
	// object's product other than its bucket's.
	ErrInvalid = errors.New("invalid value")
	// ErrDangling marks a name that refers to nothing declared: a
	// principal, bucket, product or account.
	ErrDangling = errors.New("undeclared name")
	// ErrPolicy marks an embedded policy that does not parse or prepare.
	ErrPolicy = errors.New("invalid policy")
	// ErrACL marks an embedded ACL that does not parse or expand.
	ErrACL = errors.New("invalid ACL")
	// ErrTooLarge marks a file over MaxFileBytes, or nested deeper than
	// 32 levels.
	ErrTooLarge = errors.New("file too large")
)

// Error reports a scenario file that cannot be loaded.
type Error struct {
	// File is the file's name as given to the loader.
	File string
	// Path is the RFC 6901 JSON pointer of the bad value in the file.
	Path string
	// Offset is its byte offset, -1 when unknown.
	Offset int
	// Err wraps a sentinel, and the policy or ACL error when there is one.
	Err error
}

// Error implements the error interface: "scenario: FILE: /buckets/b/policy: ...".
func (e *Error) Error() string {
	s := "scenario: " + e.File + ": "
	if e.Path != "" {
		s += e.Path + ": "
	}
	s += e.Err.Error()
	if e.Offset >= 0 {
		s += " (offset " + strconv.Itoa(e.Offset) + ")"
	}
	return s
}

// Unwrap returns the wrapped error.
func (e *Error) Unwrap() error { return e.Err }
