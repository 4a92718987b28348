package devpay

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
	"strings"
)

const (
	// UserTokenPrefix starts every DevPay user token. It identifies one
	// customer in relation to one product.
	UserTokenPrefix = "{UserToken}"
	// ProductTokenPrefix starts every DevPay product token, one per
	// product.
	ProductTokenPrefix = "{ProductToken}"
	// MaxTokenBytes is the longest DevPay token [ParseTokens] accepts, in
	// bytes, prefix included: S3 limits a request's headers to 8 KB, so a
	// longer token cannot reach it in a header.
	MaxTokenBytes = 8192
)

// Tokens are the DevPay tokens a request carries in x-amz-security-token:
// a user token and, optionally, a product token. They identify the
// customer and the product for billing; they do not authenticate (the
// request signature does), and resolving them to a customer account and a
// product is the host's job, with the License Service or its own records.
//
// Tokens are secrets. String, GoString and LogValue print a fingerprint,
// never the tokens, so %v, %+v, %#v, %s and log/slog output are safe. The
// token text is held where reflection cannot reach it (inside a closure),
// so even fmt's printing of a struct that holds Tokens in an unexported
// field, with any verb, shows the fingerprint and an address, not a token.
// Only [Tokens.User] and [Tokens.Product] return the text, for the host's
// License Service calls.
//
// The zero Tokens holds no token. Tokens are immutable and safe to share;
// compare them by [Tokens.Fingerprint], not with ==, which compares
// identity.
type Tokens struct {
	s *secret
}

// secret holds the tokens inside a closure: fmt prints a func as an
// address, whatever the verb and however deep, and reflection cannot read
// what a closure captured.
type secret struct {
	fingerprint string
	hasProduct  bool
	tokens      func() (user, product string)
}

// ParseTokens reads the DevPay tokens of a request from every value of its
// x-amz-security-token headers (or POST form fields, or query parameter):
// several values, one comma-joined value, or both, as S3's signature
// canonicalization merges repeated headers into one comma-joined value.
//
// Each value is split on ',' and each piece trimmed of spaces and tabs;
// empty pieces are skipped. A piece starting with "{UserToken}" is the user
// token, one starting with "{ProductToken}" the product token (the prefixes
// compare case-sensitively; the piece, prefix included, is the token).
// Order does not matter. ParseTokens returns an [*Error] wrapping
//
//   - [ErrNoTokens] when there are no values or only empty pieces;
//   - [ErrMalformedToken] for a piece with nothing after its prefix, with
//     the prefix in the wrong case, longer than [MaxTokenBytes], or with a
//     byte that is not visible ASCII (a space, a control character, a
//     non-ASCII byte);
//   - [ErrDuplicateToken] for a second token of the same kind;
//   - [ErrNotDevPay] when no piece is a DevPay token: an STS session token
//     alone, say;
//   - [ErrMixedTokens] when DevPay tokens come with another piece, such as
//     an STS session token;
//   - [ErrMissingUserToken] for a product token without a user token;
//
// checked in that order, so the error does not depend on the order of the
// pieces. A user token alone is accepted: web products may leave the
// product token out. Errors name pieces by position and never hold token
// text.
func ParseTokens(values ...string) (Tokens, error) {
	var (
		user, product           string
		userAt, productAt       string // locations, "" when absent
		pieces, unknown         int
		unknownAt               string
		malformedAt, malformed  string
		dupAt, dupKind, dupPrev string
	)
	for vi, v := range values {
		for pi := 0; ; pi++ {
			piece, rest, more := strings.Cut(v, ",")
			v = rest
			piece = strings.Trim(piece, " \t")
			if piece != "" {
				pieces++
				kind, problem := classify(piece)
				if kind != kindNone {
					at := location(vi, pi)
					switch {
					case problem != "":
						if malformedAt == "" {
							malformedAt, malformed = at, problem
						}
					case kind == kindUser && userAt == "":
						user, userAt = piece, at
					case kind == kindProduct && productAt == "":
						product, productAt = piece, at
					case dupAt == "":
						dupAt, dupKind, dupPrev = at, kindNames[kind], userAt
						if kind == kindProduct {
							dupPrev = productAt
						}
					}
				} else {
					if unknown == 0 {
						unknownAt = location(vi, pi)
					}
					unknown++
				}
			}
			if !more {
				break
			}
		}
	}
	devpay := userAt != "" || productAt != "" || malformedAt != "" || dupAt != ""
	switch {
	case pieces == 0 && len(values) == 0:
		return Tokens{}, errn("", ErrNoTokens, "no x-amz-security-token value")
	case pieces == 0:
		return Tokens{}, errn("", ErrNoTokens, "%d value(s), all pieces empty", len(values))
	case malformedAt != "":
		return Tokens{}, errn(malformedAt, ErrMalformedToken, "%s", malformed)
	case dupAt != "":
		return Tokens{}, errn(dupAt, ErrDuplicateToken, "a second %s; the first is %s", dupKind, dupPrev)
	case !devpay:
		return Tokens{}, errn("", ErrNotDevPay, "%d piece(s), none starting with %q or %q", unknown, UserTokenPrefix, ProductTokenPrefix)
	case unknown > 0:
		return Tokens{}, errn(unknownAt, ErrMixedTokens, "not a DevPay token (an STS session token?); %d such piece(s) in all", unknown)
	case userAt == "":
		return Tokens{}, errn(productAt, ErrMissingUserToken, "a product token without a user token")
	}
	return Tokens{s: &secret{
		fingerprint: fingerprint(user, product),
		hasProduct:  product != "",
		tokens:      func() (string, string) { return user, product },
	}}, nil
}

type tokenKind uint8

const (
	kindNone tokenKind = iota
	kindUser
	kindProduct
)

var kindNames = [...]string{kindNone: "piece", kindUser: "user token", kindProduct: "product token"}

// classify says which kind of DevPay token piece is, kindNone for a piece
// that does not start like one, and what is wrong with it, "" if nothing.
// It never returns token text.
func classify(piece string) (tokenKind, string) {
	kind, prefix := kindNone, ""
	switch {
	case hasPrefixFold(piece, UserTokenPrefix):
		kind, prefix = kindUser, UserTokenPrefix
	case hasPrefixFold(piece, ProductTokenPrefix):
		kind, prefix = kindProduct, ProductTokenPrefix
	default:
		return kindNone, ""
	}
	switch {
	case !strings.HasPrefix(piece, prefix):
		return kind, "the prefix is case-sensitive: want " + strconv.Quote(prefix)
	case len(piece) == len(prefix):
		return kind, "nothing after " + strconv.Quote(prefix)
	case len(piece) > MaxTokenBytes:
		return kind, kindNames[kind] + " longer than " + strconv.Itoa(MaxTokenBytes) + " bytes"
	}
	for i := len(prefix); i < len(piece); i++ {
		if c := piece[i]; c <= ' ' || c >= 0x7f {
			return kind, kindNames[kind] + " with a space, control character or non-ASCII byte at offset " + strconv.Itoa(i)
		}
	}
	return kind, ""
}

// hasPrefixFold reports whether s starts with prefix, ASCII letters
// compared case-insensitively; no other byte folds.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != lowerASCII(prefix[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func location(value, piece int) string {
	return "values[" + strconv.Itoa(value) + "][" + strconv.Itoa(piece) + "]"
}

// fingerprint returns "sha256:" and the hexadecimal first 8 bytes of the
// SHA-256 of user, a newline and product.
func fingerprint(user, product string) string {
	h := sha256.New()
	h.Write([]byte(user))
	h.Write([]byte{'\n'})
	h.Write([]byte(product))
	var sum [sha256.Size]byte
	return "sha256:" + hex.EncodeToString(h.Sum(sum[:0])[:8])
}

// IsZero reports whether t holds no token: the zero Tokens, or the result
// of a failed [ParseTokens].
func (t Tokens) IsZero() bool { return t.s == nil }

// User returns the user token, prefix included, as the request carried it,
// for the host's License Service calls only; "" for the zero Tokens. Never
// log it.
func (t Tokens) User() string {
	if t.s == nil {
		return ""
	}
	u, _ := t.s.tokens()
	return u
}

// Product returns the product token, prefix included, as the request
// carried it; "" when the request carried none. Never log it.
func (t Tokens) Product() string {
	if t.s == nil {
		return ""
	}
	_, p := t.s.tokens()
	return p
}

// Fingerprint returns "sha256:" followed by the first 8 bytes, in lowercase
// hexadecimal, of the SHA-256 of the user token, a newline and the product
// token ("" when absent): a stable name for the pair that decision logs can
// keep. It is "" for the zero Tokens. It does not allocate.
func (t Tokens) Fingerprint() string {
	if t.s == nil {
		return ""
	}
	return t.s.fingerprint
}

// String returns a redacted description, such as
// "devpay.Tokens{fingerprint:sha256:0f1e2d3c4b5a6978, product:present}",
// or "devpay.Tokens{}" for the zero Tokens. It never contains token text.
func (t Tokens) String() string {
	if t.s == nil {
		return "devpay.Tokens{}"
	}
	product := "absent"
	if t.s.hasProduct {
		product = "present"
	}
	return "devpay.Tokens{fingerprint:" + t.s.fingerprint + ", product:" + product + "}"
}

// GoString returns the same redacted description as String, so that %#v
// is safe too.
func (t Tokens) GoString() string { return t.String() }

// LogValue implements [slog.LogValuer] with the redacted description, so
// that log/slog handlers, JSON ones included, never see the tokens.
func (t Tokens) LogValue() slog.Value { return slog.StringValue(t.String()) }
