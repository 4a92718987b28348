package devpay

import (
	"errors"

	"github.com/s3authz/s3authz/internal/errfmt"
)

// Sentinel errors. Every error this package returns is an [*Error] wrapping
// exactly one of them, so callers can branch with errors.Is without reading
// messages.
var (
	// ErrNoTokens marks a call to [ParseTokens] with no values, or with
	// values that hold only empty pieces.
	ErrNoTokens = errors.New("no security token")
	// ErrNotDevPay marks x-amz-security-token values none of whose pieces
	// is a DevPay token: an STS session token, say. The request is not a
	// DevPay request; the host handles the value as it would without
	// DevPay.
	ErrNotDevPay = errors.New("not a DevPay request")
	// ErrDuplicateToken marks a second user token or a second product
	// token, identical to the first or not.
	ErrDuplicateToken = errors.New("duplicate token")
	// ErrMixedTokens marks DevPay tokens next to a piece that is not a
	// DevPay token, such as an STS session token.
	ErrMixedTokens = errors.New("DevPay tokens mixed with another security token")
	// ErrMissingUserToken marks a product token without a user token.
	ErrMissingUserToken = errors.New("missing user token")
	// ErrMalformedToken marks a piece that starts like a DevPay token but
	// is not one: nothing after the prefix, the prefix in the wrong case,
	// spaces, control characters or non-ASCII bytes in the token, or a
	// token longer than [MaxTokenBytes].
	ErrMalformedToken = errors.New("malformed token")
	// ErrInvalidProductCode marks a product code [ParseProductCode] would
	// refuse.
	ErrInvalidProductCode = errors.New("invalid product code")
	// ErrInvalidAccountID marks a string that is not a 12-digit AWS
	// account ID where one is needed.
	ErrInvalidAccountID = errors.New("invalid account ID")
	// ErrDuplicateProduct marks a product code given twice to
	// [NewCatalog].
	ErrDuplicateProduct = errors.New("duplicate product")
	// ErrInvalidStatus marks a [Status] that is not one of the named
	// values, given to [MemorySubscriptions.Set].
	ErrInvalidStatus = errors.New("invalid subscription status")
)

// Error reports invalid input to [ParseTokens], [ParseProductCode],
// [NewCatalog] or a [MemorySubscriptions] method.
//
// Errors about tokens never carry token text: DevPay tokens are secrets.
// Their Field names the piece at fault by position and their Input is
// always "".
type Error struct {
	// Field names the argument or piece at fault: "products[2].Owner",
	// "customer", or for a token "values[1][0]", the first piece of the
	// second value given to ParseTokens (pieces are the comma-separated
	// parts of a value, empty ones counted). It is "" when the fault is
	// not one argument or piece: a ParseProductCode input, no tokens at
	// all, no DevPay token among the pieces.
	Field string
	// Input is the offending value as given, not truncated, for product
	// codes, account IDs and statuses; "" for every token error.
	Input string
	// Err wraps one of the Err* sentinels, with detail.
	Err error
}

// Error implements the error interface. The form is
// `devpay: invalid product code "x y": ...`, with the field, when there is
// one, after the prefix: `devpay: values[1][0]: duplicate token: ...`.
func (e *Error) Error() string {
	if e.Field == "" {
		return "devpay: " + e.Err.Error()
	}
	return "devpay: " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns the wrapped sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// errv returns an *Error whose message reads
// `<sentinel> "<input>": <explanation>`, the input quoted and cut so that
// hostile input cannot flood a log. It must never be given token text.
func errv(field string, sentinel error, input, format string, args ...any) error {
	return &Error{
		Field: field,
		Input: input,
		Err:   errfmt.Value(sentinel, input, format, args...),
	}
}

// errn returns an *Error about no single value, or about a token, whose
// text it leaves out: `<sentinel>: <explanation>`.
func errn(field string, sentinel error, format string, args ...any) error {
	return &Error{
		Field: field,
		Err:   errfmt.Detail(sentinel, format, args...),
	}
}
