package ownership

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/s3authz/s3authz/internal/ids"
)

// AccountID is a 12-digit AWS account ID, such as "111122223333". Buckets
// and objects are owned by accounts; policies name them by account ID or by
// "arn:aws:iam::111122223333:root". Use [ParseAccountID] to check one; its
// IsValid method reports whether it has the 12 digits.
//
// It is the same type as acl.AccountID and devpay.AccountID, so an account
// passes between the packages without conversion.
type AccountID = ids.AccountID

// ParseAccountID returns s as an AccountID if it is exactly 12 ASCII
// digits, and an [*Error] wrapping [ErrInvalidAccountID] otherwise.
func ParseAccountID(s string) (AccountID, error) {
	if !ids.IsAccountID(s) {
		return "", errv("", ErrInvalidAccountID, s, "want 12 digits")
	}
	return AccountID(s), nil
}

// CanonicalID is an S3 canonical user ID: the obfuscated account identifier
// ACLs use, 64 lowercase hexadecimal digits, or [AnonymousCanonicalID]. Use
// [ParseCanonicalID] to check one. Its methods: IsValid reports whether
// ParseCanonicalID would accept it, IsAnonymous whether it is
// AnonymousCanonicalID.
//
// It is the same type as acl.CanonicalID, the type of ACL grantees' and
// owners' IDs.
type CanonicalID = ids.CanonicalID

// AnonymousCanonicalID is the canonical user ID S3 gives the anonymous
// user: ACL grants to it apply to unsigned requests, and it owns objects
// uploaded anonymously to ObjectWriter buckets. It belongs to no account.
// It is the same constant as acl.AnonymousID.
const AnonymousCanonicalID = ids.AnonymousCanonicalID

// ParseCanonicalID returns s as a CanonicalID if it is 64 lowercase
// hexadecimal digits or exactly [AnonymousCanonicalID], and an [*Error]
// wrapping [ErrInvalidCanonicalID] otherwise. Upper-case hexadecimal is
// rejected: S3 writes canonical IDs in lower case and ACL grants compare
// them exactly.
func ParseCanonicalID(s string) (CanonicalID, error) {
	if !CanonicalID(s).IsValid() {
		return "", errv("", ErrInvalidCanonicalID, s, "want 64 lowercase hexadecimal digits or the anonymous canonical ID")
	}
	return CanonicalID(s), nil
}

// ProductCode is a DevPay product code, such as "6883959E": the product a
// bucket was created through ([Bucket].Product). Package devpay checks
// codes (devpay.ParseProductCode); IsValid reports whether it would accept
// one. It is the same type as devpay.ProductCode.
type ProductCode = ids.ProductCode

// Directory maps between the ways S3 names an account. ACLs name grantees
// by canonical user ID or by e-mail address; policies and [Owner] values
// name accounts by account ID. An evaluator that reads both needs the
// mapping; the host supplies it.
//
// Each method tells three outcomes apart: found (the value and true),
// not known (false and a nil error: the directory knows no such account),
// and failed (a non-nil error: the directory could not tell). ctx bounds
// the lookup: a directory over a remote store passes it on, and returns
// the context's error (or one wrapping it) when ctx is cancelled or its
// deadline passes. An evaluator denies when a lookup fails, never reading
// a failure as "not known".
//
// Implementations must be safe for concurrent use by the readers the host
// runs, and should not allocate: an evaluator calls them on its hot path.
type Directory interface {
	// CanonicalID returns the canonical user ID of an account, and false
	// when the account is unknown.
	CanonicalID(ctx context.Context, account AccountID) (CanonicalID, bool, error)
	// AccountOf returns the account that a canonical user ID belongs to,
	// and false when it is unknown. [AnonymousCanonicalID] belongs to no
	// account.
	AccountOf(ctx context.Context, id CanonicalID) (AccountID, bool, error)
	// AccountByEmail returns the account registered under an e-mail
	// address (the root user's address, which ACL grants by e-mail name),
	// and false when none is. Addresses compare case-insensitively.
	AccountByEmail(ctx context.Context, email string) (AccountID, bool, error)
}

// MaxEmailBytes is the longest e-mail address [MemoryDirectory.Add]
// accepts, in bytes: the 254-octet limit of an SMTP path (RFC 5321).
const MaxEmailBytes = 254

// MemoryDirectory is an in-memory [Directory]. The zero value is an empty
// directory, ready for Add.
//
// A MemoryDirectory is not synchronized: build it fully with Add, then
// only read it. Any number of goroutines may call its lookup methods at
// once, but Add must not run while any other method does. Lookups do not
// allocate, answer from memory at once (so they do not read their
// context), and never fail.
type MemoryDirectory struct {
	accounts   map[AccountID]dirEntry
	canonicals map[CanonicalID]AccountID
	emails     map[string]AccountID // key: foldEmail of the address
}

type dirEntry struct {
	canonical CanonicalID
	email     string // folded; "" when none was registered
}

var _ Directory = (*MemoryDirectory)(nil)

// Add registers an account, its canonical user ID and optionally the
// e-mail address of its root user ("" for none). It returns an [*Error]
// wrapping ErrInvalidAccountID, ErrInvalidCanonicalID (also for
// [AnonymousCanonicalID], which belongs to no account) or ErrInvalidEmail
// for malformed input, and ErrConflict when the account is already
// registered with a different canonical ID or e-mail, or when the canonical
// ID or e-mail already belongs to another account. Registering the same
// triple again (the e-mail compared case-insensitively) does nothing. On
// error the directory is unchanged.
//
// An e-mail address must be valid UTF-8, at most [MaxEmailBytes] bytes,
// without spaces or control characters, with one '@' that has text on both
// sides.
func (d *MemoryDirectory) Add(account AccountID, canonical CanonicalID, email string) error {
	if !ids.IsAccountID(string(account)) {
		return errv("account", ErrInvalidAccountID, string(account), "want 12 digits")
	}
	if canonical == AnonymousCanonicalID {
		return errv("canonical", ErrInvalidCanonicalID, string(canonical), "the anonymous canonical ID belongs to no account")
	}
	if !ids.IsCanonicalID(string(canonical)) {
		return errv("canonical", ErrInvalidCanonicalID, string(canonical), "want 64 lowercase hexadecimal digits")
	}
	key := ""
	if email != "" {
		if err := checkEmail(email); err != nil {
			return err
		}
		var buf [foldBufBytes]byte
		b, _ := foldEmail(buf[:0], email)
		key = string(b)
	}
	if e, ok := d.accounts[account]; ok {
		if e.canonical != canonical {
			return errv("account", ErrConflict, string(account), "already registered with canonical ID %q", e.canonical)
		}
		if e.email != key {
			return errv("account", ErrConflict, string(account), "already registered with another e-mail address")
		}
		return nil
	}
	if a, ok := d.canonicals[canonical]; ok {
		return errv("canonical", ErrConflict, string(canonical), "already registered to account %q", a)
	}
	if key != "" {
		if a, ok := d.emails[key]; ok {
			return errv("email", ErrConflict, email, "already registered to account %q", a)
		}
	}
	if d.accounts == nil {
		d.accounts = make(map[AccountID]dirEntry)
		d.canonicals = make(map[CanonicalID]AccountID)
		d.emails = make(map[string]AccountID)
	}
	d.accounts[account] = dirEntry{canonical: canonical, email: key}
	d.canonicals[canonical] = account
	if key != "" {
		d.emails[key] = account
	}
	return nil
}

// CanonicalID implements [Directory].
func (d *MemoryDirectory) CanonicalID(_ context.Context, account AccountID) (CanonicalID, bool, error) {
	e, ok := d.accounts[account]
	return e.canonical, ok, nil
}

// AccountOf implements [Directory].
func (d *MemoryDirectory) AccountOf(_ context.Context, canonical CanonicalID) (AccountID, bool, error) {
	a, ok := d.canonicals[canonical]
	return a, ok, nil
}

// AccountByEmail implements [Directory]. Letters compare case-insensitively
// (each rune is mapped with unicode.ToLower); an address that is not valid
// UTF-8 or longer than [MaxEmailBytes] matches nothing.
func (d *MemoryDirectory) AccountByEmail(_ context.Context, email string) (AccountID, bool, error) {
	if email == "" || len(email) > MaxEmailBytes {
		return "", false, nil
	}
	var buf [foldBufBytes]byte
	b, ok := foldEmail(buf[:0], email)
	if !ok {
		return "", false, nil
	}
	a, ok := d.emails[string(b)]
	return a, ok, nil
}

// foldBufBytes holds any folded address of at most MaxEmailBytes bytes:
// unicode.ToLower at most turns a 2-byte rune into a 3-byte one.
const foldBufBytes = 2 * MaxEmailBytes

// foldEmail appends the lower-case form of s to buf and reports whether s
// was valid UTF-8.
func foldEmail(buf []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return buf, false
		}
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
		i += n
	}
	return buf, true
}

func checkEmail(email string) error {
	if len(email) > MaxEmailBytes {
		return errv("email", ErrInvalidEmail, email, "longer than %d bytes", MaxEmailBytes)
	}
	if !utf8.ValidString(email) {
		return errv("email", ErrInvalidEmail, email, "not valid UTF-8")
	}
	for _, r := range email {
		if r <= ' ' || r == 0x7f || unicode.IsSpace(r) || unicode.IsControl(r) {
			return errv("email", ErrInvalidEmail, email, "spaces and control characters are not allowed")
		}
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return errv("email", ErrInvalidEmail, email, "want one '@' with text on both sides")
	}
	return nil
}
