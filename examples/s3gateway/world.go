package main

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/s3request"
	"github.com/s3authz/s3authz/scenario"
)

// world is the gateway's mutable state: the scenario's callers, products
// and subscriptions (fixed), and its buckets, objects and uploads, which
// requests change. Records handed to the evaluator (ownership.Bucket,
// ownership.Object, ACLs, prepared policies) are never modified: a change
// stores a new one, so a Context built under the read lock stays valid
// after it is released.
type world struct {
	mu sync.RWMutex

	callers    map[string]scenario.Caller // by name; fixed
	anonymous  scenario.Caller
	dir        ownership.Directory
	accountBPA map[ownership.AccountID]ownership.PublicAccessBlock
	products   *devpay.Catalog
	subs       *devpay.MemorySubscriptions
	now        func() time.Time

	buckets map[string]*bucket
	uploads map[string]*upload
}

// bucket is one bucket and its objects.
type bucket struct {
	rec        *ownership.Bucket
	created    time.Time
	policy     *evaluate.Prepared
	policyJSON []byte
	acl        *acl.ACL // nil: the owner's FULL_CONTROL
	versioning string   // "", "Enabled" or "Suspended"
	// bpaSet tells a configured PublicAccessBlock from none (the zero
	// value blocks nothing either way); ownershipSet likewise.
	bpaSet, ownershipSet bool
	objects              map[string][]*version // by key, oldest first
}

// version is one version of an object, or a delete marker.
type version struct {
	id           string // "null" for a version written while unversioned
	deleteMarker bool
	data         []byte
	etag         string // quoted
	contentType  string
	meta         map[string]string // x-amz-meta-* without the prefix, lower case
	modified     time.Time
	rec          *ownership.Object
	acl          *acl.ACL // nil: the owner's FULL_CONTROL
	checksum     [2]string
}

// upload is a multipart upload in progress.
type upload struct {
	id, bucket, key string
	initiator       ownership.Principal
	owner           ownership.Owner
	started         time.Time
	// writeAttrs are what the object will get: content type, metadata,
	// tags, ACL.
	writeAttrs
	parts map[int32]*part
}

// part is one uploaded part.
type part struct {
	data     []byte
	etag     string // quoted
	sum      [md5.Size]byte
	modified time.Time
}

// nullVersion is the version ID of versions written while versioning was
// never enabled or suspended.
const nullVersion = "null"

// loadWorld builds the world from a loaded scenario: its buckets, objects,
// policies, ACLs and Block Public Access settings become the initial state.
// A scenario object has no contents; it is served with the body
// "BUCKET/KEY\n" (see the package documentation).
func loadWorld(s *scenario.Scenario, now func() time.Time) (*world, error) {
	if now == nil {
		now = time.Now
	}
	sw := s.World()
	w := &world{
		callers:    s.Callers(),
		accountBPA: map[ownership.AccountID]ownership.PublicAccessBlock{},
		products:   s.Products(),
		subs:       s.Subscriptions(),
		now:        now,
		buckets:    map[string]*bucket{},
		uploads:    map[string]*upload{},
	}
	w.anonymous = scenario.Caller{Name: "anonymous", Principal: ownership.Anonymous()}
	for _, c := range w.callers {
		if c.Principal.IsAnonymous() {
			w.anonymous = c
		}
	}
	for a, b := range sw.AccountBlockPublicAccess {
		w.accountBPA[a] = b
	}
	// Accounts the scenario names without a canonical ID get one derived
	// from the account ID, so that ACLs can name them.
	extra := &ownership.MemoryDirectory{}
	known := func(a ownership.AccountID) {
		if a == "" || sw.Directory != nil && hasAccount(sw.Directory, a) || hasAccount(extra, a) {
			return
		}
		sum := md5.Sum([]byte("s3gateway canonical " + a))
		id := hex.EncodeToString(sum[:]) + hex.EncodeToString(sum[:])
		_ = extra.Add(a, ownership.CanonicalID(id), "")
	}
	for _, c := range w.callers {
		known(c.Principal.Account())
	}
	t := now().UTC()
	for name, sb := range sw.Buckets {
		rec := *sb.Record
		known(rec.Owner)
		b := &bucket{rec: &rec, created: t, policy: sb.Policy, acl: sb.ACL, objects: map[string][]*version{},
			bpaSet: rec.PublicAccessBlock.Any(), ownershipSet: true}
		if sb.Policy != nil {
			doc, err := sb.Policy.Policy().MarshalJSON()
			if err != nil {
				return nil, fmt.Errorf("bucket %s: policy: %w", name, err)
			}
			b.policyJSON = doc
		}
		for key, so := range sb.Objects {
			or := *so.Record
			known(or.Owner.Account)
			data := []byte(name + "/" + key + "\n")
			b.objects[key] = []*version{{id: nullVersion, data: data, etag: etagOf(data), contentType: "text/plain",
				modified: t, rec: &or, acl: so.ACL}}
		}
		w.buckets[name] = b
	}
	w.dir = layeredDirectory{sw.Directory, extra}
	return w, nil
}

// hasAccount reports whether d knows account a.
func hasAccount(d ownership.Directory, a ownership.AccountID) bool {
	_, ok, err := d.CanonicalID(context.Background(), a)
	return ok && err == nil
}

// layeredDirectory asks the scenario's directory first, then the IDs the
// gateway derived for accounts the scenario gave none.
type layeredDirectory struct {
	base  ownership.Directory // may be nil
	extra *ownership.MemoryDirectory
}

func (d layeredDirectory) CanonicalID(ctx context.Context, a ownership.AccountID) (ownership.CanonicalID, bool, error) {
	if d.base != nil {
		if id, ok, err := d.base.CanonicalID(ctx, a); ok || err != nil {
			return id, ok, err
		}
	}
	return d.extra.CanonicalID(ctx, a)
}

func (d layeredDirectory) AccountOf(ctx context.Context, id ownership.CanonicalID) (ownership.AccountID, bool, error) {
	if d.base != nil {
		if a, ok, err := d.base.AccountOf(ctx, id); ok || err != nil {
			return a, ok, err
		}
	}
	return d.extra.AccountOf(ctx, id)
}

func (d layeredDirectory) AccountByEmail(ctx context.Context, email string) (ownership.AccountID, bool, error) {
	if d.base != nil {
		return d.base.AccountByEmail(ctx, email)
	}
	return "", false, nil
}

// errNoCaller is a Lookup for a request the gateway did not authenticate,
// which cannot happen behind gateway.ServeHTTP: it fails closed.
var errNoCaller = errors.New("s3gateway: request without an authenticated caller")

// Lookup implements s3request.Store: the records check c needs, from the
// current state, with the caller's policies from the scenario.
func (w *world) Lookup(ctx context.Context, _ *s3request.Operation, c *s3request.Check, p ownership.Principal) (evaluate.Context, error) {
	info := infoFrom(ctx)
	if info == nil || info.caller.Principal != p {
		return evaluate.Context{}, errNoCaller
	}
	ec := evaluate.Context{
		Identity:      info.caller.Identity,
		Boundary:      info.caller.Boundary,
		Session:       info.caller.Session,
		Products:      w.products,
		Subscriptions: w.subs,
		Directory:     w.dir,
		Now:           w.now,
	}
	if c.Bucket == "" || c.Action == "s3:ListAllMyBuckets" {
		return ec, nil
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	b := w.buckets[c.Bucket]
	if b == nil {
		// A new bucket (CreateBucket), or one deleted since the gateway
		// checked it exists: the evaluator refuses any other action.
		if c.Action == "s3:CreateBucket" {
			ec.AccountBlockPublicAccess = w.accountBPA[p.Account()]
		}
		return ec, nil
	}
	ec.Bucket, ec.BucketPolicy, ec.BucketACL = b.rec, b.policy, b.acl
	ec.AccountBlockPublicAccess = w.accountBPA[b.rec.Owner]
	if c.Key != "" {
		if v := b.find(c.Key, c.VersionID); v != nil && !v.deleteMarker {
			ec.Object, ec.ObjectACL = v.rec, v.acl
		}
	}
	return ec, nil
}

// caller returns the scenario caller of a name.
func (w *world) caller(name string) (scenario.Caller, bool) {
	c, ok := w.callers[name]
	return c, ok && !c.Principal.IsAnonymous()
}

// signedNames are the names of the callers that can sign: all but the
// anonymous ones.
func (w *world) signedNames() map[string]bool {
	out := map[string]bool{}
	for n, c := range w.callers {
		if !c.Principal.IsAnonymous() {
			out[n] = true
		}
	}
	return out
}

// canonicalUser returns the ACL user of an account.
func (w *world) canonicalUser(ctx context.Context, a ownership.AccountID) (acl.User, error) {
	id, ok, err := w.dir.CanonicalID(ctx, a)
	if err != nil {
		return acl.User{}, err
	}
	if !ok {
		return acl.User{}, fmt.Errorf("s3gateway: account %s has no canonical ID", a)
	}
	return acl.User{ID: id}, nil
}

// ownerUser returns the ACL user of an owner: an account or the anonymous
// user.
func (w *world) ownerUser(ctx context.Context, o ownership.Owner) (acl.User, error) {
	if o.Anonymous {
		return acl.User{ID: ownership.AnonymousCanonicalID}, nil
	}
	return w.canonicalUser(ctx, o.Account)
}

// find returns the version of key named by id ("" for the latest), nil
// when there is none. The caller holds the lock.
func (b *bucket) find(key, id string) *version {
	vs := b.objects[key]
	if len(vs) == 0 {
		return nil
	}
	if id == "" {
		return vs[len(vs)-1]
	}
	for _, v := range vs {
		if v.id == id {
			return v
		}
	}
	return nil
}

// put stores a new version of key as versioning says: appended when it is
// enabled, replacing the null version otherwise. The caller holds the
// write lock.
func (b *bucket) put(key string, v *version) {
	if b.versioning == "Enabled" {
		v.id = newID()
	} else {
		v.id = nullVersion
		b.removeVersion(key, nullVersion)
	}
	b.objects[key] = append(b.objects[key], v)
}

// removeVersion deletes one version of key, and the key when it has none
// left; it reports whether there was such a version.
func (b *bucket) removeVersion(key, id string) bool {
	vs := b.objects[key]
	for i, v := range vs {
		if v.id == id {
			vs = append(vs[:i:i], vs[i+1:]...)
			if len(vs) == 0 {
				delete(b.objects, key)
			} else {
				b.objects[key] = vs
			}
			return true
		}
	}
	return false
}

// liveKeys returns, in order, the keys whose latest version is an object.
func (b *bucket) liveKeys() []string {
	keys := make([]string, 0, len(b.objects))
	for k, vs := range b.objects {
		if !vs[len(vs)-1].deleteMarker {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// allKeys returns every key with a version or delete marker, in order.
func (b *bucket) allKeys() []string {
	keys := make([]string, 0, len(b.objects))
	for k := range b.objects {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// etagOf is S3's ETag of a single-part object: its MD5, quoted.
func etagOf(data []byte) string {
	sum := md5.Sum(data)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// newID returns a random identifier for a version or an upload.
func newID() string {
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	return hex.EncodeToString(raw[:])
}
