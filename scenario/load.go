package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/internal/files"
	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/internal/jsontext"
	"github.com/s3authz/s3authz/internal/s3actions"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// MaxFileBytes caps a scenario file: 4 MiB.
const MaxFileBytes = 4 << 20

// Scenario is a loaded scenario: its world built once, and its requests
// ready for evaluate.Evaluate.
type Scenario struct {
	Name   string
	Source string
	// File is the name the scenario was loaded from.
	File     string
	Requests []Request
}

// Request is one request of a scenario with the context it runs in.
type Request struct {
	// Index is the request's position in the file's requests array.
	Index int
	// Principal is the principal's name in the file.
	Principal string
	Request   evaluate.Request
	Context   evaluate.Context
	// Expect is "allow", "deny", "explicit-deny", "implicit-deny", or ""
	// when the file states no expectation.
	Expect string
	Why    string
}

// Load reads and checks one scenario file. It reads at most one byte over
// MaxFileBytes.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Offset: -1, Err: err}
	}
	defer f.Close()
	return read(f, path)
}

// LoadFS reads and checks one scenario file of fsys. It reads at most one
// byte over MaxFileBytes.
func LoadFS(fsys fs.FS, name string) (*Scenario, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &Error{File: name, Offset: -1, Err: err}
	}
	defer f.Close()
	return read(f, name)
}

// read reads a scenario file, at most one byte over MaxFileBytes, and
// parses it.
func read(f io.Reader, file string) (*Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &Error{File: file, Offset: -1, Err: err}
	}
	return Parse(file, data)
}

// Files lists the scenario files of paths: files as given, folders searched
// recursively for *.json, in lexical order.
func Files(paths ...string) ([]string, error) {
	return files.List(paths, func(string) bool { return true }, func(path string) bool { return strings.HasSuffix(path, ".json") })
}

// Parse checks a scenario document as strictly as the policy and ACL
// parsers check theirs: unknown fields, wrong types, duplicate members,
// undeclared principal, bucket, product or account names, object actions
// without a key, bad account and canonical IDs, and an object's product
// other than its bucket's are errors, each an *Error naming the file and
// the JSON pointer of the bad value. Policies go through policy.Parse and
// evaluate.Prepare, ACLs through acl.Parse or acl.Canned, so their own
// errors are wrapped too.
func Parse(file string, data []byte) (*Scenario, error) {
	if len(data) > MaxFileBytes {
		return nil, &Error{File: file, Offset: -1, Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), MaxFileBytes)}
	}
	if off, what := jsontext.Check(data); off >= 0 {
		// encoding/json would read these as U+FFFD; the policy parser
		// refuses them, and so does the loader.
		return nil, &Error{File: file, Offset: off, Err: fmt.Errorf("%w: %s", ErrSyntax, what)}
	}
	root, err := parseTree(data)
	if err != nil {
		var pe *pathError
		if errors.As(err, &pe) {
			return nil, &Error{File: file, Path: pe.ptr, Offset: pe.off, Err: pe.err}
		}
		return nil, &Error{File: file, Offset: -1, Err: err}
	}
	l := &loader{file: file, data: data}
	s := l.scenario(root)
	if l.err != nil {
		return nil, l.err
	}
	s.File = file
	return s, nil
}

type loader struct {
	file string
	data []byte
	err  error

	dir        *ownership.MemoryDirectory
	canonical  map[string]string // account → canonical ID
	principals map[string]*principal
	products   *devpay.Catalog
	productSet map[string]bool
	subs       *devpay.MemorySubscriptions
	accountBPA map[string]ownership.PublicAccessBlock
	buckets    map[string]*bucket
}

type principal struct {
	p        ownership.Principal
	tags     []ownership.Tag
	identity []*evaluate.Prepared
	boundary *evaluate.Prepared
	session  []*evaluate.Prepared
}

type bucket struct {
	rec     *ownership.Bucket
	policy  *evaluate.Prepared
	acl     *acl.ACL
	objects map[string]*object
}

type object struct {
	rec *ownership.Object
	acl *acl.ACL
}

// fail records the first error.
func (l *loader) fail(ptr string, n *node, err error) {
	if l.err == nil {
		off := -1
		if n != nil {
			off = n.start
		}
		l.err = &Error{File: l.file, Path: ptr, Offset: off, Err: err}
	}
}

func (l *loader) failed() bool { return l.err != nil }

// object checks that n is an object with only the allowed members.
func (l *loader) object(n *node, ptr string, allowed ...string) bool {
	if n.kind != kObject {
		l.fail(ptr, n, fmt.Errorf("%w: want an object, not %s", ErrType, n.kind))
		return false
	}
	if allowed == nil {
		return true
	}
	for i, k := range n.keys {
		found := false
		for _, a := range allowed {
			found = found || a == k
		}
		if !found {
			l.fail(member(ptr, k), n.elems[i], fmt.Errorf("%w %q: want one of %s", ErrUnknownField, k, strings.Join(allowed, ", ")))
			return false
		}
	}
	return true
}

func (l *loader) str(n *node, ptr string) (string, bool) {
	if n.kind != kString {
		l.fail(ptr, n, fmt.Errorf("%w: want a string, not %s", ErrType, n.kind))
		return "", false
	}
	return n.str, true
}

func (l *loader) boolean(n *node, ptr string) (bool, bool) {
	if n.kind != kBool {
		l.fail(ptr, n, fmt.Errorf("%w: want true or false, not %s", ErrType, n.kind))
		return false, false
	}
	return n.b, true
}

func (l *loader) account(n *node, ptr string) (string, bool) {
	s, ok := l.str(n, ptr)
	if !ok {
		return "", false
	}
	if !ids.IsAccountID(s) {
		l.fail(ptr, n, fmt.Errorf("%w: account ID %q: want 12 digits", ErrInvalid, s))
		return "", false
	}
	if _, declared := l.canonical[s]; !declared {
		l.fail(ptr, n, fmt.Errorf("%w: account %s is not in accounts", ErrDangling, s))
		return "", false
	}
	return s, true
}

func (l *loader) scenario(root *node) *Scenario {
	s := &Scenario{}
	if !l.object(root, "", "name", "source", "accounts", "principals", "products", "subscriptions", "blockPublicAccess", "buckets", "requests") {
		return s
	}
	for i, k := range root.keys {
		v := root.elems[i]
		switch k {
		case "name":
			s.Name, _ = l.str(v, "/name")
		case "source":
			s.Source, _ = l.str(v, "/source")
		}
	}
	if s.Name == "" && !l.failed() {
		l.fail("/name", root, fmt.Errorf("%w: name", ErrMissing))
	}
	// Sections in dependency order, whatever their order in the file.
	section := func(name string, f func(n *node, ptr string)) {
		if l.failed() {
			return
		}
		if n, ok := root.get(name); ok {
			f(n, "/"+name)
		}
	}
	l.canonical = map[string]string{}
	l.dir = &ownership.MemoryDirectory{}
	section("accounts", l.accounts)
	section("products", l.productsSection)
	l.principals = map[string]*principal{}
	section("principals", l.principalsSection)
	l.subs = &devpay.MemorySubscriptions{}
	section("subscriptions", l.subscriptions)
	l.accountBPA = map[string]ownership.PublicAccessBlock{}
	section("blockPublicAccess", l.blockPublicAccess)
	l.buckets = map[string]*bucket{}
	section("buckets", l.bucketsSection)
	reqs, ok := root.get("requests")
	if !ok && !l.failed() {
		l.fail("/requests", root, fmt.Errorf("%w: requests", ErrMissing))
	}
	if ok && !l.failed() {
		s.Requests = l.requests(reqs, "/requests")
	}
	return s
}

func (l *loader) accounts(n *node, ptr string) {
	if !l.object(n, ptr) {
		return
	}
	for i, acct := range n.keys {
		aptr := member(ptr, acct)
		v := n.elems[i]
		if !ids.IsAccountID(acct) {
			l.fail(aptr, v, fmt.Errorf("%w: account ID %q: want 12 digits", ErrInvalid, acct))
			return
		}
		if !l.object(v, aptr, "canonicalId", "email", "displayName") {
			return
		}
		var canonical, email string
		for j, k := range v.keys {
			s, ok := l.str(v.elems[j], aptr+"/"+k)
			if !ok {
				return
			}
			switch k {
			case "canonicalId":
				canonical = s
			case "email":
				email = s
			}
		}
		if err := l.dir.Add(ownership.AccountID(acct), ownership.CanonicalID(canonical), email); err != nil {
			l.fail(aptr, v, fmt.Errorf("%w: %v", ErrInvalid, err))
			return
		}
		l.canonical[acct] = canonical
	}
}

func (l *loader) productsSection(n *node, ptr string) {
	if !l.object(n, ptr) {
		return
	}
	var prods []devpay.Product
	l.productSet = map[string]bool{}
	for i, code := range n.keys {
		pptr := member(ptr, code)
		v := n.elems[i]
		if !l.object(v, pptr, "owner") {
			return
		}
		o, ok := v.get("owner")
		if !ok {
			l.fail(pptr+"/owner", v, fmt.Errorf("%w: owner", ErrMissing))
			return
		}
		owner, ok := l.account(o, pptr+"/owner")
		if !ok {
			return
		}
		prods = append(prods, devpay.Product{Code: devpay.ProductCode(code), Owner: devpay.AccountID(owner)})
		l.productSet[code] = true
	}
	c, err := devpay.NewCatalog(prods...)
	if err != nil {
		l.fail(ptr, n, fmt.Errorf("%w: %v", ErrInvalid, err))
		return
	}
	l.products = c
}

func (l *loader) principalsSection(n *node, ptr string) {
	if !l.object(n, ptr) {
		return
	}
	for i, name := range n.keys {
		pptr := member(ptr, name)
		v := n.elems[i]
		if !l.object(v, pptr, "arn", "service", "anonymous", "policies", "permissionsBoundary", "sessionPolicies", "tags") {
			return
		}
		pr := &principal{}
		set := 0
		for j, k := range v.keys {
			e, eptr := v.elems[j], pptr+"/"+k
			switch k {
			case "arn":
				s, ok := l.str(e, eptr)
				if !ok {
					return
				}
				p, err := ownership.ParsePrincipal(s)
				if err != nil {
					l.fail(eptr, e, fmt.Errorf("%w: %v", ErrInvalid, err))
					return
				}
				if _, declared := l.canonical[string(p.Account())]; !declared {
					l.fail(eptr, e, fmt.Errorf("%w: account %s is not in accounts", ErrDangling, p.Account()))
					return
				}
				pr.p, set = p, set+1
			case "service":
				s, ok := l.str(e, eptr)
				if !ok {
					return
				}
				p, err := ownership.ServicePrincipal(s)
				if err != nil {
					l.fail(eptr, e, fmt.Errorf("%w: %v", ErrInvalid, err))
					return
				}
				pr.p, set = p, set+1
			case "anonymous":
				b, ok := l.boolean(e, eptr)
				if !ok {
					return
				}
				if !b {
					l.fail(eptr, e, fmt.Errorf("%w: anonymous is true or absent", ErrInvalid))
					return
				}
				pr.p, set = ownership.Anonymous(), set+1
			case "policies", "sessionPolicies":
				if e.kind != kArray {
					l.fail(eptr, e, fmt.Errorf("%w: want an array, not %s", ErrType, e.kind))
					return
				}
				for x, pe := range e.elems {
					pp := l.policy(pe, fmt.Sprintf("%s/%d", eptr, x), policy.Identity)
					if pp == nil {
						return
					}
					if k == "policies" {
						pr.identity = append(pr.identity, pp)
					} else {
						pr.session = append(pr.session, pp)
					}
				}
			case "permissionsBoundary":
				if pr.boundary = l.policy(e, eptr, policy.Identity); pr.boundary == nil {
					return
				}
			case "tags":
				if pr.tags = l.tags(e, eptr); l.failed() {
					return
				}
			}
		}
		if set != 1 {
			l.fail(pptr, v, fmt.Errorf("%w: a principal has exactly one of arn, service and anonymous", ErrInvalid))
			return
		}
		l.principals[name] = pr
	}
}

// policy parses and prepares an embedded policy document.
func (l *loader) policy(n *node, ptr string, kind policy.Kind) *evaluate.Prepared {
	if n.kind != kObject {
		l.fail(ptr, n, fmt.Errorf("%w: want a policy object, not %s", ErrType, n.kind))
		return nil
	}
	p, err := policy.Parse(kind, n.raw(l.data))
	if err != nil {
		l.fail(ptr, n, fmt.Errorf("%w: %w", ErrPolicy, err))
		return nil
	}
	pp, err := evaluate.Prepare(p)
	if err != nil {
		l.fail(ptr, n, fmt.Errorf("%w: %w", ErrPolicy, err))
		return nil
	}
	return pp
}

func (l *loader) tags(n *node, ptr string) []ownership.Tag {
	if !l.object(n, ptr) {
		return nil
	}
	tags := make([]ownership.Tag, 0, len(n.keys))
	for i, k := range n.keys {
		v, ok := l.str(n.elems[i], member(ptr, k))
		if !ok {
			return nil
		}
		tags = append(tags, ownership.Tag{Key: k, Value: v})
	}
	return tags
}

func (l *loader) subscriptions(n *node, ptr string) {
	if !l.object(n, ptr) {
		return
	}
	for i, name := range n.keys {
		sptr := member(ptr, name)
		v := n.elems[i]
		pr, ok := l.principals[name]
		if !ok {
			l.fail(sptr, v, fmt.Errorf("%w: principal %q is not in principals", ErrDangling, name))
			return
		}
		if v.kind != kArray {
			l.fail(sptr, v, fmt.Errorf("%w: want an array of product codes, not %s", ErrType, v.kind))
			return
		}
		for x, e := range v.elems {
			eptr := fmt.Sprintf("%s/%d", sptr, x)
			code, ok := l.str(e, eptr)
			if !ok {
				return
			}
			if !l.productSet[code] {
				l.fail(eptr, e, fmt.Errorf("%w: product %q is not in products", ErrDangling, code))
				return
			}
			acct := pr.p.Account()
			if acct == "" {
				l.fail(sptr, v, fmt.Errorf("%w: %s has no account to subscribe", ErrInvalid, name))
				return
			}
			if err := l.subs.Subscribe(acct, devpay.ProductCode(code)); err != nil {
				l.fail(eptr, e, fmt.Errorf("%w: %v", ErrInvalid, err))
				return
			}
		}
	}
}

func (l *loader) bpa(n *node, ptr string) (ownership.PublicAccessBlock, bool) {
	var b ownership.PublicAccessBlock
	if !l.object(n, ptr, "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets") {
		return b, false
	}
	for i, k := range n.keys {
		v, ok := l.boolean(n.elems[i], ptr+"/"+k)
		if !ok {
			return b, false
		}
		switch k {
		case "BlockPublicAcls":
			b.BlockPublicAcls = v
		case "IgnorePublicAcls":
			b.IgnorePublicAcls = v
		case "BlockPublicPolicy":
			b.BlockPublicPolicy = v
		case "RestrictPublicBuckets":
			b.RestrictPublicBuckets = v
		}
	}
	return b, true
}

func (l *loader) blockPublicAccess(n *node, ptr string) {
	if !l.object(n, ptr) {
		return
	}
	for i, acct := range n.keys {
		aptr := member(ptr, acct)
		if _, declared := l.canonical[acct]; !declared {
			l.fail(aptr, n.elems[i], fmt.Errorf("%w: account %s is not in accounts", ErrDangling, acct))
			return
		}
		b, ok := l.bpa(n.elems[i], aptr)
		if !ok {
			return
		}
		l.accountBPA[acct] = b
	}
}

func (l *loader) product(n *node, ptr string) (ownership.ProductCode, bool) {
	code, ok := l.str(n, ptr)
	if ok && !l.productSet[code] {
		l.fail(ptr, n, fmt.Errorf("%w: product %q is not in products", ErrDangling, code))
		return "", false
	}
	return ownership.ProductCode(code), ok
}

func (l *loader) bucketsSection(n *node, ptr string) {
	if !l.object(n, ptr) {
		return
	}
	for i, name := range n.keys {
		bptr := member(ptr, name)
		v := n.elems[i]
		if !l.object(v, bptr, "owner", "objectOwnership", "policy", "acl", "publicAccessBlock", "product", "objects") {
			return
		}
		b := &bucket{rec: &ownership.Bucket{Name: name}, objects: map[string]*object{}}
		o, ok := v.get("owner")
		if !ok {
			l.fail(bptr+"/owner", v, fmt.Errorf("%w: owner", ErrMissing))
			return
		}
		owner, ok := l.account(o, bptr+"/owner")
		if !ok {
			return
		}
		b.rec.Owner = ownership.AccountID(owner)
		if err := b.rec.Validate(); err != nil {
			l.fail(bptr, v, fmt.Errorf("%w: %v", ErrInvalid, err))
			return
		}
		ownerACL := acl.User{ID: acl.CanonicalID(l.canonical[owner])}
		for j, k := range v.keys {
			e, eptr := v.elems[j], bptr+"/"+k
			switch k {
			case "objectOwnership":
				s, ok := l.str(e, eptr)
				if !ok {
					return
				}
				m, err := ownership.ParseMode(s)
				if err != nil {
					l.fail(eptr, e, fmt.Errorf("%w: %v", ErrInvalid, err))
					return
				}
				b.rec.Mode = m
			case "policy":
				if b.policy = l.policy(e, eptr, policy.Bucket); b.policy == nil {
					return
				}
			case "acl":
				if b.acl = l.acl(e, eptr, acl.Bucket, ownerACL, ownerACL); b.acl == nil {
					return
				}
			case "publicAccessBlock":
				if b.rec.PublicAccessBlock, ok = l.bpa(e, eptr); !ok {
					return
				}
			case "product":
				if b.rec.Product, ok = l.product(e, eptr); !ok {
					return
				}
			}
		}
		if objs, ok := v.get("objects"); ok {
			l.objects(objs, bptr+"/objects", b, ownerACL)
			if l.failed() {
				return
			}
		}
		l.buckets[name] = b
	}
}

func (l *loader) objects(n *node, ptr string, b *bucket, bucketOwner acl.User) {
	if !l.object(n, ptr) {
		return
	}
	for i, key := range n.keys {
		optr := member(ptr, key)
		v := n.elems[i]
		if !l.object(v, optr, "owner", "acl", "product", "tags") {
			return
		}
		o := &object{rec: &ownership.Object{Bucket: b.rec.Name, Key: key, Owner: ownership.AccountOwner(b.rec.Owner)}}
		ownerACL := bucketOwner
		if e, ok := v.get("owner"); ok {
			owner, ok := l.account(e, optr+"/owner")
			if !ok {
				return
			}
			o.rec.Owner = ownership.AccountOwner(ownership.AccountID(owner))
			ownerACL = acl.User{ID: acl.CanonicalID(l.canonical[owner])}
		}
		for j, k := range v.keys {
			e, eptr := v.elems[j], optr+"/"+k
			var ok bool
			switch k {
			case "acl":
				if o.acl = l.acl(e, eptr, acl.Object, ownerACL, bucketOwner); o.acl == nil {
					return
				}
			case "product":
				if o.rec.Product, ok = l.product(e, eptr); !ok {
					return
				}
				// A product binds its bucket and every object in it
				// (DevPay DP-6): an object names its bucket's product or
				// none.
				if o.rec.Product != b.rec.Product {
					l.fail(eptr, e, fmt.Errorf("%w: object product %s: %s", ErrInvalid, errfmt.Quote(string(o.rec.Product)), bucketProduct(string(b.rec.Product))))
					return
				}
			case "tags":
				if o.rec.Tags = l.tags(e, eptr); l.failed() {
					return
				}
			}
		}
		if err := o.rec.Validate(); err != nil {
			l.fail(optr, v, fmt.Errorf("%w: %v", ErrInvalid, err))
			return
		}
		b.objects[key] = o
	}
}

// bucketProduct explains why an object cannot name another product than
// its bucket's.
func bucketProduct(product string) string {
	if product == "" {
		return "its bucket was created through no product"
	}
	return "its bucket was created through " + errfmt.Quote(product) + ", which binds every object in it"
}

// acl reads an ACL: an AccessControlPolicy XML string or {"canned": name}.
func (l *loader) acl(n *node, ptr string, kind acl.Kind, owner, bucketOwner acl.User) *acl.ACL {
	switch n.kind {
	case kString:
		a, err := acl.Parse([]byte(n.str))
		if err != nil {
			l.fail(ptr, n, fmt.Errorf("%w: %w", ErrACL, err))
			return nil
		}
		return a
	case kObject:
		if !l.object(n, ptr, "canned") {
			return nil
		}
		c, ok := n.get("canned")
		if !ok {
			l.fail(ptr+"/canned", n, fmt.Errorf("%w: canned", ErrMissing))
			return nil
		}
		name, ok := l.str(c, ptr+"/canned")
		if !ok {
			return nil
		}
		a, err := acl.Canned(name, kind, owner, bucketOwner)
		if err != nil {
			l.fail(ptr+"/canned", c, fmt.Errorf("%w: %w", ErrACL, err))
			return nil
		}
		return a
	}
	l.fail(ptr, n, fmt.Errorf("%w: want an ACL XML string or {\"canned\": name}, not %s", ErrType, n.kind))
	return nil
}

var expectations = map[string]bool{"allow": true, "deny": true, "explicit-deny": true, "implicit-deny": true}

func (l *loader) requests(n *node, ptr string) []Request {
	if n.kind != kArray {
		l.fail(ptr, n, fmt.Errorf("%w: want an array, not %s", ErrType, n.kind))
		return nil
	}
	out := make([]Request, 0, len(n.elems))
	for i, v := range n.elems {
		rptr := fmt.Sprintf("%s/%d", ptr, i)
		r, ok := l.request(v, rptr)
		if !ok {
			return nil
		}
		r.Index = i
		out = append(out, r)
	}
	return out
}

func (l *loader) request(n *node, ptr string) (Request, bool) {
	var r Request
	if !l.object(n, ptr, "principal", "action", "bucket", "key", "product", "context", "time", "body", "expect", "why") {
		return r, false
	}
	fields := map[string]string{}
	for i, k := range n.keys {
		e, eptr := n.elems[i], ptr+"/"+k
		switch k {
		case "principal", "action", "bucket", "key", "product", "time", "expect", "why":
			s, ok := l.str(e, eptr)
			if !ok {
				return r, false
			}
			fields[k] = s
		}
	}
	for _, req := range []string{"principal", "action"} {
		if _, ok := fields[req]; !ok {
			l.fail(ptr+"/"+req, n, fmt.Errorf("%w: %s", ErrMissing, req))
			return r, false
		}
	}
	at := func(k string) (*node, string) {
		e, _ := n.get(k)
		return e, ptr + "/" + k
	}
	pr, ok := l.principals[fields["principal"]]
	if !ok {
		e, eptr := at("principal")
		l.fail(eptr, e, fmt.Errorf("%w: principal %q is not in principals", ErrDangling, fields["principal"]))
		return r, false
	}
	r.Principal = fields["principal"]
	info, ok := policy.LookupAction(fields["action"])
	if !ok {
		e, eptr := at("action")
		l.fail(eptr, e, fmt.Errorf("%w: %s is not an S3 action", ErrInvalid, errfmt.Quote(fields["action"])))
		return r, false
	}
	_, hasKey := fields["key"]
	if (info.Resource == policy.ResourceObject) != hasKey {
		e, eptr := at("action")
		l.fail(eptr, e, fmt.Errorf("%w: %s is %s-level: a request has a key exactly for object actions", ErrInvalid, info.Name, info.Resource))
		return r, false
	}
	if key := fields["key"]; hasKey && (key == "" || len(key) > ownership.MaxKeyBytes) {
		e, eptr := at("key")
		l.fail(eptr, e, fmt.Errorf("%w: an object key is 1 to %d bytes, not %d", ErrInvalid, ownership.MaxKeyBytes, len(key)))
		return r, false
	}
	req := evaluate.Request{Principal: pr.p, PrincipalTags: pr.tags, Action: info.Name, Bucket: fields["bucket"], Key: fields["key"]}
	ec := evaluate.Context{Identity: pr.identity, Boundary: pr.boundary, Session: pr.session, Directory: l.dir, Products: l.products, Subscriptions: l.subs}
	if name, ok := fields["bucket"]; ok {
		b, ok := l.buckets[name]
		if !ok && s3actions.At(info.Index).Has(s3actions.CreatesBucket) {
			// The bucket to create: it is in no world yet, and its
			// account's Block Public Access is the caller's.
			if a := pr.p.Account(); a != "" {
				ec.AccountBlockPublicAccess = l.accountBPA[string(a)]
			}
		} else if !ok {
			e, eptr := at("bucket")
			l.fail(eptr, e, fmt.Errorf("%w: bucket %q is not in buckets", ErrDangling, name))
			return r, false
		} else {
			ec.Bucket, ec.BucketPolicy, ec.BucketACL = b.rec, b.policy, b.acl
			ec.AccountBlockPublicAccess = l.accountBPA[string(b.rec.Owner)]
			if o, ok := b.objects[req.Key]; ok && hasKey {
				ec.Object, ec.ObjectACL = o.rec, o.acl
			}
		}
	} else if info.Resource == policy.ResourceBucket || info.Resource == policy.ResourceObject {
		l.fail(ptr+"/bucket", n, fmt.Errorf("%w: bucket", ErrMissing))
		return r, false
	}
	if code, ok := fields["product"]; ok {
		e, eptr := at("product")
		if _, ok := l.product(e, eptr); !ok {
			return r, false
		}
		req.Product = devpay.ProductCode(code)
	}
	if ts, ok := fields["time"]; ok {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			e, eptr := at("time")
			l.fail(eptr, e, fmt.Errorf("%w: time %q: want RFC 3339", ErrInvalid, ts))
			return r, false
		}
		req.Time = t
	}
	if e, ok := n.get("context"); ok {
		if req.Keys = l.context(e, ptr+"/context"); req.Keys == nil {
			return r, false
		}
	}
	if e, ok := n.get("body"); ok && !l.body(e, ptr+"/body", &req) {
		return r, false
	}
	if x, ok := fields["expect"]; ok {
		if !expectations[x] {
			e, eptr := at("expect")
			l.fail(eptr, e, fmt.Errorf("%w: expect %q: want allow, deny, explicit-deny or implicit-deny", ErrInvalid, x))
			return r, false
		}
		r.Expect = x
	}
	r.Why = fields["why"]
	r.Request, r.Context = req, ec
	return r, true
}

func (l *loader) context(n *node, ptr string) *evaluate.Keys {
	if !l.object(n, ptr) {
		return nil
	}
	keys := &evaluate.Keys{}
	for i, k := range n.keys {
		e, eptr := n.elems[i], member(ptr, k)
		switch e.kind {
		case kString:
			keys.Set(k, e.str)
		case kArray:
			vals := make([]string, 0, len(e.elems))
			for x, v := range e.elems {
				s, ok := l.str(v, fmt.Sprintf("%s/%d", eptr, x))
				if !ok {
					return nil
				}
				vals = append(vals, s)
			}
			keys.Set(k, vals...)
		default:
			l.fail(eptr, e, fmt.Errorf("%w: want a string or an array of strings, not %s", ErrType, e.kind))
			return nil
		}
	}
	return keys
}

func (l *loader) body(n *node, ptr string, req *evaluate.Request) bool {
	if !l.object(n, ptr, "policy", "acl") {
		return false
	}
	if e, ok := n.get("policy"); ok {
		p, err := policy.Parse(policy.Bucket, e.raw(l.data))
		if e.kind != kObject || err != nil {
			l.fail(ptr+"/policy", e, fmt.Errorf("%w: %w", ErrPolicy, err))
			return false
		}
		req.Policy = p
	}
	if e, ok := n.get("acl"); ok {
		owner := acl.User{}
		if a := req.Principal.Account(); a != "" {
			owner.ID = acl.CanonicalID(l.canonical[string(a)])
		}
		kind := acl.Bucket
		if req.Key != "" {
			kind = acl.Object
		}
		if e.kind == kObject {
			if c, ok := e.get("canned"); ok && c.kind == kString {
				req.CannedACL = c.str
			}
		}
		if owner.ID == "" {
			owner.ID = acl.AnonymousID
		}
		if req.ACL = l.acl(e, ptr+"/acl", kind, owner, owner); req.ACL == nil {
			return false
		}
	}
	return true
}
