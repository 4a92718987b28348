package acl

import (
	"errors"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/internal/errfmt"
)

// Sentinel errors: every error of this package wraps exactly one.
var (
	// ErrSyntax marks a document that is not well-formed XML or UTF-8.
	ErrSyntax = errors.New("invalid XML")
	// ErrTooLarge marks a document longer than the parser's MaxBytes.
	ErrTooLarge = errors.New("document too large")
	// ErrForbidden marks XML features an ACL never needs and attackers use:
	// DOCTYPE and entity declarations, processing instructions.
	ErrForbidden = errors.New("forbidden XML construct")
	// ErrUnknownElement marks an element or attribute the schema does not
	// have at that place.
	ErrUnknownElement = errors.New("unknown element")
	// ErrMissingElement marks a required element that is absent.
	ErrMissingElement = errors.New("missing required element")
	// ErrDuplicateElement marks a second occurrence of a single element.
	ErrDuplicateElement = errors.New("duplicate element")
	// ErrInvalidGrantee marks a grantee with a missing or unknown xsi:type,
	// or with elements of another type.
	ErrInvalidGrantee = errors.New("invalid grantee")
	// ErrInvalidValue marks element text outside its domain, or a canned ACL
	// name or grant header that does not apply.
	ErrInvalidValue = errors.New("invalid value")
	// ErrTooManyGrants marks an ACL with more than MaxGrants grants.
	ErrTooManyGrants = errors.New("too many grants")
)

// Error reports an invalid ACL document, canned ACL or grant header.
type Error struct {
	// Path is the element path, e.g.
	// "AccessControlPolicy/AccessControlList/Grant[2]/Permission"; "" for the
	// whole document. Grant elements carry their 1-based index.
	Path string
	// Line locates the fault in the document (1-based; 0 when unknown, as
	// for canned ACLs and headers).
	Line int
	// Err wraps one of the Err* sentinels, with detail.
	Err error
}

// Error implements the error interface, e.g.
// "acl: AccessControlPolicy/AccessControlList/Grant[2]/Permission: invalid value "read": want READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL (line 12)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("acl: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	if e.Line > 0 {
		b.WriteString(" (line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the wrapped sentinel.
func (e *Error) Unwrap() error { return e.Err }

func errf(sentinel error, format string, args ...any) error {
	return errfmt.Detail(sentinel, format, args...)
}

// errv formats "<sentinel> "<value>": <explanation>" with the value quoted
// and cut to 64 bytes.
func errv(sentinel error, value, format string, args ...any) error {
	return errfmt.Value(sentinel, value, format, args...)
}
