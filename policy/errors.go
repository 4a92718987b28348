package policy

import (
	"errors"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/internal/glob"
)

// Sentinel errors. Every error Parse returns wraps exactly one of them, so
// callers can branch with errors.Is without reading messages.
var (
	// ErrSyntax marks input that is not well-formed UTF-8 JSON; see SyntaxError.
	ErrSyntax = errors.New("invalid JSON")
	// ErrTooLarge marks a document longer than the parser's MaxBytes.
	ErrTooLarge = errors.New("document too large")
	// ErrLimit marks a document over a structural limit: nesting depth,
	// number of statements or number of values.
	ErrLimit = errors.New("limit exceeded")
	// ErrType marks a value of the wrong JSON type.
	ErrType = errors.New("wrong type")
	// ErrDuplicateKey marks an object that names the same member twice.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrUnknownElement marks a member the grammar does not have, or one that
	// the policy kind forbids (Principal in an identity policy).
	ErrUnknownElement = errors.New("unknown element")
	// ErrMissingElement marks a required element that is absent.
	ErrMissingElement = errors.New("missing required element")
	// ErrConflict marks two elements that exclude each other, such as Action
	// and NotAction in one statement.
	ErrConflict = errors.New("conflicting elements")
	// ErrInvalidValue marks a value outside its element's domain: a Version,
	// Id, Sid or Effect, or an empty list.
	ErrInvalidValue = errors.New("invalid value")
	// ErrInvalidPrincipal marks a Principal or NotPrincipal entry.
	ErrInvalidPrincipal = errors.New("invalid principal")
	// ErrInvalidAction marks an Action or NotAction entry.
	ErrInvalidAction = errors.New("invalid action")
	// ErrInvalidResource marks a Resource or NotResource entry.
	ErrInvalidResource = errors.New("invalid resource")
	// ErrInvalidCondition marks a condition operator, key or value list, an
	// operator the key's type does not take, or a value the operator
	// cannot read.
	ErrInvalidCondition = errors.New("invalid condition")
	// ErrInvalidVariable marks a malformed policy variable (${...}), or one
	// the colons of an Arn operator's value cut in two.
	ErrInvalidVariable = glob.ErrInvalidVariable
)

// MaxErrors is the number of problems Parse reports: it stops looking after
// finding that many, and sorts the ones found by offset.
const MaxErrors = 10

// SyntaxError reports input that is not well-formed JSON, or not UTF-8.
type SyntaxError struct {
	// Offset is the number of bytes read before the error was found.
	Offset int64
	// Msg describes the problem.
	Msg string
}

// Error implements the error interface.
func (e *SyntaxError) Error() string {
	return "policy: invalid JSON: " + e.Msg + " (offset " + strconv.FormatInt(e.Offset, 10) + ")"
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Error reports a well-formed JSON document that is not a valid policy.
type Error struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value; "" is the
	// whole document.
	Pointer string
	// Offset is the byte offset in the input of the value Pointer names or,
	// when the fault is a member's name (a duplicate, unknown or conflicting
	// member, an unknown operator, principal type or condition key), of
	// that name.
	Offset int
	// Err wraps one of the Err* sentinels, with detail.
	Err error
}

// Error implements the error interface. The form is
// "policy: /Statement/1/Effect: invalid value "Alow": want "Allow" or "Deny" (offset 57)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("policy: ")
	if e.Pointer != "" {
		b.WriteString(errfmt.Truncate(e.Pointer, 100))
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	b.WriteString(" (offset ")
	b.WriteString(strconv.Itoa(e.Offset))
	b.WriteString(")")
	return b.String()
}

// Unwrap returns the wrapped sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// errf builds the detail of an Error: the sentinel's text followed by a
// formatted explanation.
func errf(sentinel error, format string, args ...any) error {
	return errfmt.Detail(sentinel, format, args...)
}

// errv builds "<sentinel> "<value>": <explanation>", with the value quoted
// and cut so hostile input cannot flood a log.
func errv(sentinel error, value, format string, args ...any) error {
	return errfmt.Value(sentinel, value, format, args...)
}
