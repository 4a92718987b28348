package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"strconv"
	"sync"

	"github.com/s3authz/s3authz/ownership"
)

// Redaction is how a Logger writes the strings a person could be named by
// — principal names, bucket names, object keys. IP addresses are never
// written, whatever the mode: a Record has no member for one.
type Redaction uint8

const (
	// Omit leaves them out: a principal is written as its account and
	// type ("arn:aws:iam::111122223333:user/"), buckets and keys not at
	// all. The zero Redaction, and the safe choice without a key.
	Omit Redaction = iota
	// Pseudonymize writes each as "h:" and the first 16 bytes, in hex, of
	// its HMAC-SHA-256 under the host's key: one person's events correlate,
	// and without the key nobody can tell whose they are (nor test a
	// guess). Rotating the key unlinks earlier logs from later ones.
	Pseudonymize
	// Clear writes them as they are. It exists for hosts that must keep
	// them by law or contract; the Data Protection Policy (§2.6, "logs must
	// not contain PII") forbids it for Amazon information.
	Clear
)

var redactionNames = [...]string{"omit", "pseudonymize", "clear"}

// String returns "omit", "pseudonymize" or "clear".
func (m Redaction) String() string {
	if int(m) < len(redactionNames) {
		return redactionNames[m]
	}
	return "Redaction(" + strconv.Itoa(int(m)) + ")"
}

// ParseRedaction reads the names String returns.
func ParseRedaction(s string) (Redaction, error) {
	for i, n := range redactionNames {
		if s == n {
			return Redaction(i), nil
		}
	}
	return 0, errors.New("audit: redaction " + strconv.Quote(s) + ": want omit, pseudonymize or clear")
}

// MinKeyLen is the shortest pseudonymization key accepted, in bytes.
const MinKeyLen = 16

// ErrKey reports a pseudonymization key that is missing or too short.
var ErrKey = errors.New("audit: pseudonymize needs a key of at least 16 bytes")

// Redactor applies a Redaction. It is safe for concurrent use; the zero
// Redactor omits.
type Redactor struct {
	mode Redaction
	pool *sync.Pool // of keyed HMAC-SHA-256 hashes, for Pseudonymize

	// texts and principals map recent inputs to their pseudonyms, so that
	// a principal or bucket seen again costs a map lookup rather than an
	// HMAC. Each holds at most cacheSize entries and is emptied when full.
	mu         sync.Mutex
	texts      map[string]string
	principals map[string]string
}

// cacheSize bounds a Redactor's cache of pseudonyms.
const cacheSize = 4096

// NewRedactor returns a Redactor for mode; Pseudonymize needs a key of at
// least MinKeyLen bytes (ErrKey otherwise), which the Redactor copies.
func NewRedactor(mode Redaction, key []byte) (*Redactor, error) {
	switch mode {
	case Omit, Clear:
		return &Redactor{mode: mode}, nil
	case Pseudonymize:
		if len(key) < MinKeyLen {
			return nil, ErrKey
		}
		k := append([]byte(nil), key...)
		return &Redactor{mode: mode, pool: &sync.Pool{New: func() any { return hmac.New(sha256.New, k) }},
			texts: make(map[string]string), principals: make(map[string]string)}, nil
	}
	return nil, errors.New("audit: unknown redaction " + mode.String())
}

// Mode returns the Redactor's mode.
func (r *Redactor) Mode() Redaction {
	if r == nil {
		return Omit
	}
	return r.mode
}

// Text returns s redacted: "" under Omit, its pseudonym under
// Pseudonymize, s under Clear. An empty s stays empty.
func (r *Redactor) Text(s string) string {
	if s == "" {
		return ""
	}
	switch r.Mode() {
	case Clear:
		return s
	case Pseudonymize:
		return r.cached(r.texts, s, "", s)
	}
	return ""
}

// cached returns the pseudonym of name with prefix before it, from cache
// when key has been seen.
func (r *Redactor) cached(cache map[string]string, key, prefix, name string) string {
	r.mu.Lock()
	v, ok := cache[key]
	r.mu.Unlock()
	if ok {
		return v
	}
	b := make([]byte, 0, len(prefix)+2+32)
	v = string(r.appendPseudonym(append(b, prefix...), name))
	r.mu.Lock()
	if len(cache) >= cacheSize {
		clear(cache)
	}
	cache[key] = v
	r.mu.Unlock()
	return v
}

// appendPseudonym appends "h:" and the hex of the first 16 bytes of the
// HMAC of s.
func (r *Redactor) appendPseudonym(b []byte, s string) []byte {
	h := r.pool.Get().(hash.Hash)
	h.Reset()
	h.Write([]byte(s)) // no copy: the conversion does not escape
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	r.pool.Put(h)
	b = append(b, "h:"...)
	return hex.AppendEncode(b, sum[:16])
}

// Principal returns the caller as a Record writes it: an ARN keeps its
// partition, account and type, and its name (user path and name, role and
// session, federated user) is redacted; the root user, service principals
// and the anonymous caller have no name and are written as they are.
func (r *Redactor) Principal(p ownership.Principal) string {
	switch p.Type() {
	case ownership.PrincipalUser, ownership.PrincipalAssumedRole, ownership.PrincipalFederatedUser:
	default:
		return p.String()
	}
	arn := p.ARN()
	// The name follows the resource type: "...:user/", "...:assumed-role/".
	i := 0
	for j := len(arn) - 1; j >= 0; j-- {
		if arn[j] == ':' {
			i = j + 1
			break
		}
	}
	for i < len(arn) && arn[i] != '/' {
		i++
	}
	if i < len(arn) {
		i++
	}
	prefix, name := arn[:i], arn[i:]
	switch r.Mode() {
	case Clear:
		return arn
	case Pseudonymize:
		return r.cached(r.principals, arn, prefix, name)
	}
	return prefix
}
