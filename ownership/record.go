package ownership

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits that [Bucket.Validate] and [Object.Validate] enforce, from S3.
const (
	// MaxBucketTags is the most tags a bucket may carry.
	MaxBucketTags = 50
	// MaxObjectTags is the most tags an object may carry.
	MaxObjectTags = 10
	// MaxTagKeyLen is the longest tag key, in UTF-8 characters (runes).
	MaxTagKeyLen = 128
	// MaxTagValueLen is the longest tag value, in UTF-8 characters (runes).
	MaxTagValueLen = 256
	// MaxKeyBytes is the longest object key, in bytes of UTF-8.
	MaxKeyBytes = 1024
)

// Tag is one tag of a bucket or object. Keys and values are
// case-sensitive.
type Tag struct {
	Key, Value string
}

// Bucket is what an evaluator needs to know about a bucket. Validate checks
// it; nothing in this package modifies one, and a Bucket shared between
// goroutines must be treated as read-only, Tags included.
//
// The zero Bucket is invalid (no name, no owner). Note the two zero values
// it holds: the zero Mode is BucketOwnerEnforced, the most restrictive
// setting, but the zero PublicAccessBlock blocks nothing, which is what S3
// does for a bucket without a Block Public Access configuration; set it
// with [BlockAllPublicAccess] for a bucket created with S3's defaults.
type Bucket struct {
	// Name is the bucket's name, checked against S3's rules for general
	// purpose buckets.
	Name string
	// Owner is the account that owns the bucket (and pays for it).
	Owner AccountID
	// Mode is the Object Ownership setting.
	Mode Mode
	// Product is the DevPay product code the bucket was created through,
	// "" for none. It binds the bucket and every object in it: only that
	// product reaches them (DevPay rule DP-6), whatever the objects'
	// records say. Validate does not check it; package devpay does.
	Product ProductCode
	// Tags are the bucket's tags. They take part in access control, as
	// aws:ResourceTag/<key> and s3:BucketTag/<key>, only when ABAC is set.
	Tags []Tag
	// ABAC is the bucket's attribute-based access control setting
	// (PutBucketAbac). It is off by default for general purpose buckets:
	// their tags then serve cost allocation only, and S3 evaluates no tag
	// condition key against them ("Using tags with S3 general purpose
	// buckets", Amazon S3 User Guide).
	ABAC bool
	// PublicAccessBlock is the bucket-level Block Public Access setting;
	// combine it with the account's with [PublicAccessBlock.Combine].
	PublicAccessBlock PublicAccessBlock
	// Canary marks a bucket nobody has a reason to touch, kept to detect
	// intruders (the Data Protection Policy's "canary data records"): any
	// access to it, or to an object in it, raises an alarm in package
	// audit's Monitor. Access control ignores it.
	Canary bool
}

// Object is what an evaluator needs to know about one object (one version
// of it). Validate checks it; treat a shared Object as read-only.
type Object struct {
	// Bucket is the name of the bucket holding the object.
	Bucket string
	// Key is the object key: 1 to 1024 bytes of UTF-8.
	Key string
	// Owner is the stored owner: the account (or the anonymous user) that
	// owned the version when it was written. Under BucketOwnerEnforced the
	// bucket owner owns it anyway (see [Bucket.EffectiveOwner]); the stored
	// owner counts again if ACLs are enabled again.
	Owner Owner
	// Product is the DevPay product code the object was written through,
	// "" when the record does not say. It is informative only: the object
	// is bound to its bucket's product, whether or not this names it
	// (DevPay rule DP-6). When set, it must equal the bucket's Product;
	// package evaluate refuses a record naming any other product, or one in
	// a bucket of no product, as invalid. Validate does not check it, as
	// it cannot see the bucket.
	Product ProductCode
	// Tags are the object's tags, for s3:ExistingObjectTag/<key>.
	Tags []Tag
	// Canary marks a canary object, as Bucket.Canary marks a bucket.
	Canary bool
}

// Tag returns the value of the bucket tag whose key is exactly key
// (case-sensitive, as S3 tag keys are), and false when there is none.
func (b *Bucket) Tag(key string) (string, bool) { return lookupTag(b.Tags, key) }

// Tag returns the value of the object tag whose key is exactly key
// (case-sensitive, as S3 tag keys are), and false when there is none.
func (o *Object) Tag(key string) (string, bool) { return lookupTag(o.Tags, key) }

func lookupTag(tags []Tag, key string) (string, bool) {
	for i := range tags {
		if tags[i].Key == key {
			return tags[i].Value, true
		}
	}
	return "", false
}

// EffectiveOwner returns who owns o for authorization: the bucket owner
// when b's Mode disables ACLs (BucketOwnerEnforced owns every object, new
// and existing), o's stored owner otherwise. It does not check that o is
// in b.
func (b *Bucket) EffectiveOwner(o *Object) Owner {
	if !b.Mode.ACLsEnabled() {
		return AccountOwner(b.Owner)
	}
	return o.Owner
}

// Validate checks the name, the owner, the mode and the tags: at most
// [MaxBucketTags], unique keys of 1 to [MaxTagKeyLen] characters, values of
// at most [MaxTagValueLen] characters, all valid UTF-8. Each error is an
// [*Error] whose Field names the field at fault; Validate reports the first
// fault it finds.
func (b *Bucket) Validate() error {
	if err := checkBucketName("Name", b.Name); err != nil {
		return err
	}
	if !b.Owner.IsValid() {
		return errv("Owner", ErrInvalidOwner, string(b.Owner), "want a 12-digit account ID")
	}
	if !b.Mode.IsValid() {
		return errv("Mode", ErrInvalidMode, b.Mode.String(), "not a valid mode")
	}
	return checkTags(b.Tags, MaxBucketTags)
}

// Validate checks the bucket name, the key (1 to [MaxKeyBytes] bytes of
// valid UTF-8), the owner and the tags: at most [MaxObjectTags], with the
// same rules as for a bucket. Each error is an [*Error] whose Field names
// the field at fault; Validate reports the first fault it finds.
func (o *Object) Validate() error {
	if err := checkBucketName("Bucket", o.Bucket); err != nil {
		return err
	}
	switch {
	case o.Key == "":
		return errn("Key", ErrInvalidKey, "empty")
	case len(o.Key) > MaxKeyBytes:
		return errv("Key", ErrInvalidKey, o.Key, "longer than %d bytes", MaxKeyBytes)
	case !utf8.ValidString(o.Key):
		return errv("Key", ErrInvalidKey, o.Key, "not valid UTF-8")
	}
	if !o.Owner.IsValid() {
		return errv("Owner", ErrInvalidOwner, string(o.Owner.Account), "want an account ID, or the anonymous owner with no account")
	}
	return checkTags(o.Tags, MaxObjectTags)
}

// ValidBucketName reports whether name follows S3's naming rules for
// general purpose buckets: 3 to 63 characters of lower-case letters,
// digits, '.' and '-'; starting and ending with a letter or digit; no "..";
// not shaped like an IPv4 address; not starting with "xn--", "sthree-" and
// not ending with "-s3alias", "--ol-s3", ".mrap", "--x-s3" or "--table-s3".
// Names allowed only for old us-east-1 buckets (capitals, '_') are refused.
func ValidBucketName(name string) bool {
	return checkBucketName("", name) == nil
}

var (
	reservedBucketPrefixes = []string{"xn--", "sthree-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

func checkBucketName(field, name string) error {
	if len(name) < 3 || len(name) > 63 {
		return errv(field, ErrInvalidBucketName, name, "want 3 to 63 characters")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return errv(field, ErrInvalidBucketName, name, "only lower-case letters, digits, '.' and '-' are allowed")
		}
	}
	if !isLowerAlnum(name[0]) || !isLowerAlnum(name[len(name)-1]) {
		return errv(field, ErrInvalidBucketName, name, "must start and end with a letter or digit")
	}
	if strings.Contains(name, "..") {
		return errv(field, ErrInvalidBucketName, name, "must not contain \"..\"")
	}
	if looksLikeIPv4(name) {
		return errv(field, ErrInvalidBucketName, name, "must not be formatted as an IP address")
	}
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(name, p) {
			return errv(field, ErrInvalidBucketName, name, "the prefix %q is reserved", p)
		}
	}
	for _, s := range reservedBucketSuffixes {
		if strings.HasSuffix(name, s) {
			return errv(field, ErrInvalidBucketName, name, "the suffix %q is reserved", s)
		}
	}
	return nil
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// looksLikeIPv4 reports whether s is four dot-separated groups of one to
// three digits, such as "192.168.5.4" (or "999.0.0.01": S3's rule is about
// the shape, not about valid addresses).
func looksLikeIPv4(s string) bool {
	groups := 0
	for _, g := range strings.Split(s, ".") {
		if len(g) < 1 || len(g) > 3 {
			return false
		}
		for i := 0; i < len(g); i++ {
			if g[i] < '0' || g[i] > '9' {
				return false
			}
		}
		groups++
	}
	return groups == 4
}

func checkTags(tags []Tag, max int) error {
	if len(tags) > max {
		return errn("Tags", ErrInvalidTag, "%d tags, at most %d are allowed", len(tags), max)
	}
	for i, t := range tags {
		field := "Tags[" + strconv.Itoa(i) + "]"
		switch {
		case t.Key == "":
			return errn(field+".Key", ErrInvalidTag, "empty key")
		case !utf8.ValidString(t.Key):
			return errv(field+".Key", ErrInvalidTag, t.Key, "not valid UTF-8")
		case utf8.RuneCountInString(t.Key) > MaxTagKeyLen:
			return errv(field+".Key", ErrInvalidTag, t.Key, "longer than %d characters", MaxTagKeyLen)
		case !utf8.ValidString(t.Value):
			return errv(field+".Value", ErrInvalidTag, t.Value, "not valid UTF-8")
		case utf8.RuneCountInString(t.Value) > MaxTagValueLen:
			return errv(field+".Value", ErrInvalidTag, t.Value, "longer than %d characters", MaxTagValueLen)
		}
		for j := range i {
			if tags[j].Key == t.Key {
				return errv(field+".Key", ErrInvalidTag, t.Key, "duplicate key (also Tags[%d])", j)
			}
		}
	}
	return nil
}
