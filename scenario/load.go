package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/internal/files"
	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/internal/jsontext"
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
	l := &loader{file: file, data: data, dir: &ownership.MemoryDirectory{}, subs: &devpay.MemorySubscriptions{},
		canonical: map[string]string{}, principals: map[string]*principal{}, productSet: map[string]bool{},
		accountBPA: map[string]ownership.PublicAccessBlock{}, buckets: map[string]*bucket{}}
	s := l.scenario(root)
	if l.err != nil {
		return nil, l.err
	}
	s.File = file
	return s, nil
}

// loader builds the world of a scenario file as it checks it, section by
// section; it stops at the first error.
type loader struct {
	file string
	data []byte
	err  error

	dir        *ownership.MemoryDirectory
	canonical  map[string]string // account → canonical ID
	principals map[string]*principal
	products   *devpay.Catalog // nil without a products section
	productSet map[string]bool
	subs       *devpay.MemorySubscriptions
	accountBPA map[string]ownership.PublicAccessBlock
	buckets    map[string]*bucket
}

// scenarioFields is the top level of a scenario file. Its sections are
// read after name and source, in the order of sections.
var scenarioFields = fields[Scenario]{
	{name: "name", want: kString, required: true},
	{name: "source", want: kString},
	{name: "accounts", want: kObject, later: true, read: section((*loader).accountsSection)},
	{name: "principals", want: kObject, later: true, read: section((*loader).principalsSection)},
	{name: "products", want: kObject, later: true, read: section((*loader).productsSection)},
	{name: "subscriptions", want: kObject, later: true, read: section((*loader).subscriptionsSection)},
	{name: "blockPublicAccess", want: kObject, later: true, read: section((*loader).blockPublicAccessSection)},
	{name: "buckets", want: kObject, later: true, read: section((*loader).bucketsSection)},
	{name: "requests", want: kArray, required: true, later: true, read: (*loader).requestsSection},
}

// sections is the order in which the sections are read, whatever their
// order in the file: each refers only to names the ones before it declare.
var sections = [...]string{"accounts", "products", "principals", "subscriptions", "blockPublicAccess", "buckets", "requests"}

// section adapts the reader of a section that builds the world, not the
// Scenario, to scenarioFields.
func section(read func(l *loader, n *node, ptr string) error) func(*loader, *Scenario, *node, string) error {
	return func(l *loader, _ *Scenario, n *node, ptr string) error { return read(l, n, ptr) }
}

func (l *loader) scenario(root *node) *Scenario {
	s := &Scenario{}
	if !scenarioFields.walk(l, root, "", s) {
		return s
	}
	s.Name, s.Source = root.text("name"), root.text("source")
	if s.Name == "" { // present but empty
		l.missing(root, "", "name")
		return s
	}
	for _, name := range sections {
		if !scenarioFields.read(l, root, "", s, name) {
			break
		}
	}
	return s
}

// A field describes one member of an object of the format: the JSON type
// of its value, whether it is required, and how it is read into a T.
type field[T any] struct {
	name string
	// want is the JSON type of the value, checked before read is called;
	// kNull, the zero value, leaves the check to read.
	want nodeKind
	// required makes an absent member ErrMissing, at the member's pointer
	// and the offset of the object.
	required bool
	// later leaves the member to the object's own code, which reads it
	// with fields.read when its turn comes.
	later bool
	// read reads the value n, at ptr, into t. The error it returns is
	// the member's; a reader that failed deeper returns l.err. read is nil
	// when the type is all there is to check, and the value is then read
	// from the node.
	read func(l *loader, t *T, n *node, ptr string) error
}

// fields is the table of one kind of object, in the order in which
// unknown field errors list its members.
//
// An object is read in steps, each stopping at the first error: check;
// members, which reads the members that are not later in file order, then
// fails at the first required one absent; and the object's own code,
// which reads its later members and checks what no table says, between
// or after these steps. walk is check then members.
type fields[T any] []field[T]

// walk checks that n is an object of the kind and reads the members that
// are not later.
func (fs fields[T]) walk(l *loader, n *node, ptr string, t *T) bool {
	return fs.check(l, n, ptr) && fs.members(l, n, ptr, t)
}

// check checks that n is an object with no member outside the table.
func (fs fields[T]) check(l *loader, n *node, ptr string) bool {
	if n.kind != kObject {
		return l.at(ptr, n, typeError(n, "an object"))
	}
	for i, k := range n.keys {
		if fs.get(k) == nil {
			names := make([]string, len(fs))
			for j := range fs {
				names[j] = fs[j].name
			}
			return l.at(member(ptr, k), n.elems[i], fmt.Errorf("%w %q: want one of %s", ErrUnknownField, k, strings.Join(names, ", ")))
		}
	}
	return true
}

// members reads the members of object n that are not later, in file
// order, then fails at the first required one that is absent.
func (fs fields[T]) members(l *loader, n *node, ptr string, t *T) bool {
	for i, k := range n.keys {
		if f := fs.get(k); !f.later && !f.value(l, t, n.elems[i], member(ptr, k)) {
			return false
		}
	}
	for _, f := range fs {
		if _, ok := n.get(f.name); f.required && !f.later && !ok {
			return l.missing(n, ptr, f.name)
		}
	}
	return true
}

// read reads member name of object n, which the table has; it fails if
// the member is absent and required.
func (fs fields[T]) read(l *loader, n *node, ptr string, t *T, name string) bool {
	f := fs.get(name)
	if v, ok := n.get(name); ok {
		return f.value(l, t, v, member(ptr, name))
	}
	return !f.required || l.missing(n, ptr, name)
}

// get returns the field called name, nil if there is none.
func (fs fields[T]) get(name string) *field[T] {
	for i := range fs {
		if fs[i].name == name {
			return &fs[i]
		}
	}
	return nil
}

// value checks the type of a member's value n, then reads it.
func (f *field[T]) value(l *loader, t *T, n *node, ptr string) bool {
	var err error
	switch {
	case f.want != kNull && n.kind != f.want:
		want := f.want.String()
		if f.want == kBool {
			want = "true or false"
		}
		err = typeError(n, want)
	case f.read != nil:
		err = f.read(l, t, n, ptr)
	}
	return l.at(ptr, n, err)
}

// each calls f with each member of object n, in file order; the first
// error f returns fails at that member.
func (l *loader) each(n *node, ptr string, f func(name string, v *node, ptr string) error) error {
	for i, k := range n.keys {
		if vptr := member(ptr, k); !l.at(vptr, n.elems[i], f(k, n.elems[i], vptr)) {
			return l.err
		}
	}
	return nil
}

// items calls f with each element of array n, in order; the first error
// f returns fails at that element.
func (l *loader) items(n *node, ptr string, f func(e *node, ptr string) error) error {
	for i, e := range n.elems {
		if eptr := ptr + "/" + strconv.Itoa(i); !l.at(eptr, e, f(e, eptr)) {
			return l.err
		}
	}
	return nil
}

// at fails with err, unless it is nil, at ptr and the offset of n, and
// reports whether err is nil. Only the first failure is kept, so a reader
// that failed deeper can return l.err to the walker.
func (l *loader) at(ptr string, n *node, err error) bool {
	if err != nil && l.err == nil {
		off := -1
		if n != nil {
			off = n.start
		}
		l.err = &Error{File: l.file, Path: ptr, Offset: off, Err: err}
	}
	return err == nil
}

// missing fails because object n has no member name.
func (l *loader) missing(n *node, ptr, name string) bool {
	return l.at(member(ptr, name), n, fmt.Errorf("%w: %s", ErrMissing, name))
}

// typeError reports that n is not what the format wants.
func typeError(n *node, want string) error {
	return fmt.Errorf("%w: want %s, not %s", ErrType, want, n.kind)
}

// wantString reports a value that is not a string: an array element, or
// a value of a map such as tags.
func wantString(n *node) error {
	if n.kind != kString {
		return typeError(n, "a string")
	}
	return nil
}

// embedded wraps the error of an embedded policy or ACL, unless it is nil,
// in sentinel.
func embedded(sentinel, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", sentinel, err)
}

// invalid wraps err, unless it is nil, in ErrInvalid.
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}

// accountFields is an account of the accounts section, under its ID.
var accountFields = fields[struct{}]{
	{name: "canonicalId", want: kString},
	{name: "email", want: kString},
	{name: "displayName", want: kString},
}

func (l *loader) accountsSection(n *node, ptr string) error {
	return l.each(n, ptr, func(acct string, v *node, aptr string) error {
		if err := accountID(acct); err != nil {
			return err
		}
		if !accountFields.walk(l, v, aptr, nil) {
			return l.err
		}
		canonical := v.text("canonicalId")
		l.canonical[acct] = canonical
		return invalid(l.dir.Add(ownership.AccountID(acct), ownership.CanonicalID(canonical), v.text("email")))
	})
}

// blockPublicAccessSection reads the accounts' Block Public Access
// settings.
func (l *loader) blockPublicAccessSection(n *node, ptr string) error {
	return l.each(n, ptr, func(acct string, v *node, aptr string) error {
		if err := l.declared(acct); err != nil {
			return err
		}
		var b ownership.PublicAccessBlock
		err := l.bpa(&b, v, aptr)
		l.accountBPA[acct] = b
		return err
	})
}

// account checks that acct names a declared account.
func (l *loader) account(acct string) error {
	if err := accountID(acct); err != nil {
		return err
	}
	return l.declared(acct)
}

// accountID checks that acct is 12 digits.
func accountID(acct string) error {
	if !ids.IsAccountID(acct) {
		return fmt.Errorf("%w: account ID %q: want 12 digits", ErrInvalid, acct)
	}
	return nil
}

// declared checks that acct is in the accounts section.
func (l *loader) declared(acct string) error {
	if _, ok := l.canonical[acct]; !ok {
		return fmt.Errorf("%w: account %s is not in accounts", ErrDangling, acct)
	}
	return nil
}

// productFields is a DevPay product of the products section, under its
// code.
var productFields = fields[devpay.Product]{
	{name: "owner", want: kString, required: true, read: func(l *loader, p *devpay.Product, n *node, _ string) error {
		p.Owner = n.str
		return l.account(n.str)
	}},
}

func (l *loader) productsSection(n *node, ptr string) error {
	var prods []devpay.Product
	err := l.each(n, ptr, func(code string, v *node, pptr string) error {
		p := devpay.Product{Code: devpay.ProductCode(code)}
		if productFields.walk(l, v, pptr, &p) {
			prods = append(prods, p)
			l.productSet[code] = true
		}
		return l.err
	})
	if err != nil {
		return err
	}
	l.products, err = devpay.NewCatalog(prods...)
	return invalid(err)
}

// subscriptionsSection subscribes the principals' accounts to products.
func (l *loader) subscriptionsSection(n *node, ptr string) error {
	return l.each(n, ptr, func(name string, v *node, sptr string) error {
		pr, ok := l.principals[name]
		if !ok {
			return fmt.Errorf("%w: principal %q is not in principals", ErrDangling, name)
		}
		if v.kind != kArray {
			return typeError(v, "an array of product codes")
		}
		return l.items(v, sptr, func(e *node, _ string) error {
			if err := wantString(e); err != nil {
				return err
			}
			if err := l.product(e.str); err != nil {
				return err
			}
			acct, ok := pr.p.ParentAccount()
			if !ok {
				l.at(sptr, v, fmt.Errorf("%w: %s has no account to subscribe", ErrInvalid, name))
				return l.err
			}
			return invalid(l.subs.Subscribe(string(acct), devpay.ProductCode(e.str)))
		})
	})
}

// product checks that code is in the products section.
func (l *loader) product(code string) error {
	if !l.productSet[code] {
		return fmt.Errorf("%w: product %q is not in products", ErrDangling, code)
	}
	return nil
}

type principal struct {
	p        ownership.Principal
	tags     []ownership.Tag
	identity []*evaluate.Prepared
	boundary *evaluate.Prepared
	session  []*evaluate.Prepared
}

// principalFields is a principal of the principals section, under its
// name: exactly one of arn, service and anonymous, and its policies.
var principalFields = fields[principal]{
	{name: "arn", want: kString, read: func(l *loader, pr *principal, n *node, _ string) (err error) {
		if pr.p, err = ownership.ParsePrincipal(n.str); err != nil {
			return invalid(err)
		}
		return l.declared(string(pr.p.Account()))
	}},
	{name: "service", want: kString, read: func(_ *loader, pr *principal, n *node, _ string) (err error) {
		pr.p, err = ownership.ServicePrincipal(n.str)
		return invalid(err)
	}},
	{name: "anonymous", want: kBool, read: func(_ *loader, pr *principal, n *node, _ string) error {
		if !n.b {
			return fmt.Errorf("%w: anonymous is true or absent", ErrInvalid)
		}
		pr.p = ownership.Anonymous()
		return nil
	}},
	{name: "policies", want: kArray, read: func(l *loader, pr *principal, n *node, ptr string) error {
		return l.policies(&pr.identity, n, ptr)
	}},
	{name: "permissionsBoundary", read: func(l *loader, pr *principal, n *node, _ string) error {
		return l.policy(&pr.boundary, n, policy.Identity)
	}},
	{name: "sessionPolicies", want: kArray, read: func(l *loader, pr *principal, n *node, ptr string) error {
		return l.policies(&pr.session, n, ptr)
	}},
	{name: "tags", want: kObject, read: func(l *loader, pr *principal, n *node, ptr string) error {
		return l.tags(&pr.tags, n, ptr)
	}},
}

func (l *loader) principalsSection(n *node, ptr string) error {
	return l.each(n, ptr, func(name string, v *node, pptr string) error {
		pr := &principal{}
		if !principalFields.walk(l, v, pptr, pr) {
			return l.err
		}
		set := 0
		for _, k := range [...]string{"arn", "service", "anonymous"} {
			if _, ok := v.get(k); ok {
				set++
			}
		}
		if set != 1 {
			return fmt.Errorf("%w: a principal has exactly one of arn, service and anonymous", ErrInvalid)
		}
		l.principals[name] = pr
		return nil
	})
}

// policies appends an array of identity policies, parsed and prepared,
// to dst.
func (l *loader) policies(dst *[]*evaluate.Prepared, n *node, ptr string) error {
	return l.items(n, ptr, func(e *node, _ string) error {
		var pp *evaluate.Prepared
		err := l.policy(&pp, e, policy.Identity)
		*dst = append(*dst, pp)
		return err
	})
}

// policy parses and prepares an embedded policy document into dst.
func (l *loader) policy(dst **evaluate.Prepared, n *node, kind policy.Kind) error {
	if n.kind != kObject {
		return typeError(n, "a policy object")
	}
	p, err := policy.Parse(kind, n.raw(l.data))
	if err == nil {
		*dst, err = evaluate.Prepare(p)
	}
	return embedded(ErrPolicy, err)
}

// tags reads tags, an object of strings, into dst; no tags are an empty
// list, not nil.
func (l *loader) tags(dst *[]ownership.Tag, n *node, ptr string) error {
	*dst = make([]ownership.Tag, 0, len(n.keys))
	return l.each(n, ptr, func(k string, v *node, _ string) error {
		*dst = append(*dst, ownership.Tag{Key: k, Value: v.str})
		return wantString(v)
	})
}

type bucket struct {
	rec     *ownership.Bucket
	policy  *evaluate.Prepared
	acl     *acl.ACL
	objects map[string]*object
	owner   acl.Owner // the bucket owner, as ACLs name it
}

type object struct {
	rec *ownership.Object
	acl *acl.ACL
}

// bucketFields is a bucket of the buckets section, under its name. Its
// owner is read first, and its objects last.
var bucketFields = fields[bucket]{
	{name: "owner", want: kString, required: true, later: true, read: func(l *loader, b *bucket, n *node, _ string) error {
		b.rec.Owner = ownership.AccountID(n.str)
		b.owner = acl.Owner{ID: l.canonical[n.str]}
		return l.account(n.str)
	}},
	{name: "objectOwnership", want: kString, read: func(_ *loader, b *bucket, n *node, _ string) (err error) {
		b.rec.Mode, err = ownership.ParseMode(n.str)
		return invalid(err)
	}},
	{name: "policy", read: func(l *loader, b *bucket, n *node, _ string) error {
		return l.policy(&b.policy, n, policy.Bucket)
	}},
	{name: "acl", read: func(l *loader, b *bucket, n *node, ptr string) error {
		return l.acl(&b.acl, n, ptr, acl.Bucket, b.owner, b.owner)
	}},
	{name: "publicAccessBlock", read: func(l *loader, b *bucket, n *node, ptr string) error {
		return l.bpa(&b.rec.PublicAccessBlock, n, ptr)
	}},
	{name: "product", want: kString, read: func(l *loader, b *bucket, n *node, _ string) error {
		b.rec.Product = n.str
		return l.product(n.str)
	}},
	{name: "objects", want: kObject, later: true, read: (*loader).objects},
}

func (l *loader) bucketsSection(n *node, ptr string) error {
	return l.each(n, ptr, func(name string, v *node, bptr string) error {
		b := &bucket{rec: &ownership.Bucket{Name: name}, objects: map[string]*object{}}
		if !bucketFields.check(l, v, bptr) || !bucketFields.read(l, v, bptr, b, "owner") {
			return l.err
		}
		if err := b.rec.Validate(); err != nil {
			return invalid(err)
		}
		if bucketFields.members(l, v, bptr, b) && bucketFields.read(l, v, bptr, b, "objects") {
			l.buckets[name] = b
		}
		return l.err
	})
}

// objectIn is an object being read, with its bucket.
type objectIn struct {
	*object
	b     *bucket
	owner acl.Owner // the object owner, as ACLs name it
}

// objectFields is an object of a bucket, under its key. Its owner, the
// bucket owner when absent, is read first.
var objectFields = fields[objectIn]{
	{name: "owner", want: kString, later: true, read: func(l *loader, o *objectIn, n *node, _ string) error {
		o.rec.Owner = ownership.AccountOwner(ownership.AccountID(n.str))
		o.owner = acl.Owner{ID: l.canonical[n.str]}
		return l.account(n.str)
	}},
	{name: "acl", read: func(l *loader, o *objectIn, n *node, ptr string) error {
		return l.acl(&o.acl, n, ptr, acl.Object, o.owner, o.b.owner)
	}},
	{name: "product", want: kString, read: func(l *loader, o *objectIn, n *node, _ string) error {
		if err := l.product(n.str); err != nil {
			return err
		}
		// A product binds its bucket and every object in it (DevPay
		// DP-6): an object names its bucket's product or none.
		if o.rec.Product = n.str; o.rec.Product != o.b.rec.Product {
			return fmt.Errorf("%w: object product %s: %s", ErrInvalid, errfmt.Quote(o.rec.Product), bucketProduct(o.b.rec.Product))
		}
		return nil
	}},
	{name: "tags", want: kObject, read: func(l *loader, o *objectIn, n *node, ptr string) error {
		return l.tags(&o.rec.Tags, n, ptr)
	}},
}

func (l *loader) objects(b *bucket, n *node, ptr string) error {
	return l.each(n, ptr, func(key string, v *node, optr string) error {
		rec := &ownership.Object{Bucket: b.rec.Name, Key: key, Owner: ownership.AccountOwner(b.rec.Owner)}
		o := &objectIn{object: &object{rec: rec}, b: b, owner: b.owner}
		if !objectFields.check(l, v, optr) || !objectFields.read(l, v, optr, o, "owner") || !objectFields.members(l, v, optr, o) {
			return l.err
		}
		if err := rec.Validate(); err != nil {
			return invalid(err)
		}
		b.objects[key] = o.object
		return nil
	})
}

// bucketProduct explains why an object cannot name another product than
// its bucket's.
func bucketProduct(product string) string {
	if product == "" {
		return "its bucket was created through no product"
	}
	return "its bucket was created through " + errfmt.Quote(product) + ", which binds every object in it"
}

// bpaFields is a set of Block Public Access settings, of a bucket or an
// account.
var bpaFields = fields[struct{}]{
	{name: "BlockPublicAcls", want: kBool},
	{name: "IgnorePublicAcls", want: kBool},
	{name: "BlockPublicPolicy", want: kBool},
	{name: "RestrictPublicBuckets", want: kBool},
}

// bpa reads Block Public Access settings into dst.
func (l *loader) bpa(dst *ownership.PublicAccessBlock, n *node, ptr string) error {
	if !bpaFields.walk(l, n, ptr, nil) {
		return l.err
	}
	*dst = ownership.PublicAccessBlock{BlockPublicAcls: n.flag("BlockPublicAcls"), IgnorePublicAcls: n.flag("IgnorePublicAcls"),
		BlockPublicPolicy: n.flag("BlockPublicPolicy"), RestrictPublicBuckets: n.flag("RestrictPublicBuckets")}
	return nil
}

// cannedFields is the object form of an ACL.
var cannedFields = fields[struct{}]{{name: "canned", want: kString, required: true}}

// acl reads an ACL into dst: an AccessControlPolicy XML string or
// {"canned": name}.
func (l *loader) acl(dst **acl.ACL, n *node, ptr string, kind acl.Kind, owner, bucketOwner acl.Owner) (err error) {
	switch n.kind {
	case kString:
		*dst, err = acl.Parse([]byte(n.str))
		return embedded(ErrACL, err)
	case kObject:
		if !cannedFields.walk(l, n, ptr, nil) {
			return l.err
		}
		c, _ := n.get("canned")
		*dst, err = acl.Canned(c.str, kind, owner, bucketOwner)
		l.at(ptr+"/canned", c, embedded(ErrACL, err))
		return l.err
	}
	return typeError(n, `an ACL XML string or {"canned": name}`)
}

var expectations = map[string]bool{"allow": true, "deny": true, "explicit-deny": true, "implicit-deny": true}

func (l *loader) requestsSection(s *Scenario, n *node, ptr string) error {
	s.Requests = make([]Request, 0, len(n.elems))
	return l.items(n, ptr, func(e *node, eptr string) error {
		r := l.request(e, eptr)
		r.Index = len(s.Requests)
		s.Requests = append(s.Requests, r)
		return l.err
	})
}

// requestFields is a request. request reads its strings once the walker
// has checked them, then its context and body.
var requestFields = fields[evaluate.Request]{
	{name: "principal", want: kString, required: true},
	{name: "action", want: kString, required: true},
	{name: "bucket", want: kString},
	{name: "key", want: kString},
	{name: "product", want: kString},
	{name: "context", want: kObject, later: true, read: func(l *loader, req *evaluate.Request, n *node, ptr string) error {
		return l.context(&req.Keys, n, ptr)
	}},
	{name: "time", want: kString},
	{name: "body", later: true, read: (*loader).body},
	{name: "expect", want: kString},
	{name: "why", want: kString},
}

// request reads a request and checks it against the world; on failure,
// l.err is set.
func (l *loader) request(n *node, ptr string) Request {
	if !requestFields.walk(l, n, ptr, nil) {
		return Request{}
	}
	// at fails with err at member k, which is present.
	at := func(k string, err error) Request {
		e, _ := n.get(k)
		l.at(member(ptr, k), e, err)
		return Request{}
	}
	name, action, key := n.text("principal"), n.text("action"), n.text("key")
	pr, ok := l.principals[name]
	if !ok {
		return at("principal", fmt.Errorf("%w: principal %q is not in principals", ErrDangling, name))
	}
	info, ok := policy.LookupAction(action)
	if !ok {
		return at("action", fmt.Errorf("%w: %s is not an S3 action", ErrInvalid, errfmt.Quote(action)))
	}
	_, hasKey := n.get("key")
	if (info.Resource == policy.ResourceObject) != hasKey {
		return at("action", fmt.Errorf("%w: %s is %s-level: a request has a key exactly for object actions", ErrInvalid, info.Name, info.Resource))
	}
	if hasKey && (key == "" || len(key) > ownership.MaxKeyBytes) {
		return at("key", fmt.Errorf("%w: an object key is 1 to %d bytes, not %d", ErrInvalid, ownership.MaxKeyBytes, len(key)))
	}
	req := evaluate.Request{Principal: pr.p, PrincipalTags: pr.tags, Action: info.Name, Bucket: n.text("bucket"), Key: key}
	ec := evaluate.Context{Identity: pr.identity, Boundary: pr.boundary, Session: pr.session, Directory: l.dir, Products: l.products, Subscriptions: l.subs}
	if _, ok := n.get("bucket"); ok {
		b, ok := l.buckets[req.Bucket]
		if !ok && info.Name == "s3:CreateBucket" {
			// The bucket to create: it is in no world yet, and its
			// account's Block Public Access is the caller's.
			if a, ok := pr.p.ParentAccount(); ok {
				ec.AccountBlockPublicAccess = l.accountBPA[string(a)]
			}
		} else if !ok {
			return at("bucket", fmt.Errorf("%w: bucket %q is not in buckets", ErrDangling, req.Bucket))
		} else {
			ec.Bucket, ec.BucketPolicy, ec.BucketACL = b.rec, b.policy, b.acl
			ec.AccountBlockPublicAccess = l.accountBPA[string(b.rec.Owner)]
			if o, ok := b.objects[req.Key]; ok && hasKey {
				ec.Object, ec.ObjectACL = o.rec, o.acl
			}
		}
	} else if info.Resource == policy.ResourceBucket || info.Resource == policy.ResourceObject {
		l.missing(n, ptr, "bucket")
		return Request{}
	}
	if code, ok := n.get("product"); ok {
		if err := l.product(code.str); err != nil {
			return at("product", err)
		}
		req.Product = devpay.ProductCode(code.str)
	}
	if ts, ok := n.get("time"); ok {
		t, err := time.Parse(time.RFC3339, ts.str)
		if err != nil {
			return at("time", fmt.Errorf("%w: time %q: want RFC 3339", ErrInvalid, ts.str))
		}
		req.Time = t
	}
	if !requestFields.read(l, n, ptr, &req, "context") || !requestFields.read(l, n, ptr, &req, "body") {
		return Request{}
	}
	expect := n.text("expect")
	if _, ok := n.get("expect"); ok && !expectations[expect] {
		return at("expect", fmt.Errorf("%w: expect %q: want allow, deny, explicit-deny or implicit-deny", ErrInvalid, expect))
	}
	return Request{Principal: name, Request: req, Context: ec, Expect: expect, Why: n.text("why")}
}

// context reads a request's condition keys into dst: each a string or an
// array of strings.
func (l *loader) context(dst **evaluate.Keys, n *node, ptr string) error {
	keys := &evaluate.Keys{}
	*dst = keys
	return l.each(n, ptr, func(k string, e *node, eptr string) error {
		switch e.kind {
		case kString:
			keys.Set(k, e.str)
			return nil
		case kArray:
			vals := make([]string, 0, len(e.elems))
			err := l.items(e, eptr, func(v *node, _ string) error {
				vals = append(vals, v.str)
				return wantString(v)
			})
			keys.Set(k, vals...)
			return err
		}
		return typeError(e, "a string or an array of strings")
	})
}

// bodyFields is the body of a request: the policy or ACL it would store,
// read in this order.
var bodyFields = fields[evaluate.Request]{
	{name: "policy", later: true, read: func(l *loader, req *evaluate.Request, n *node, _ string) (err error) {
		req.Policy, err = policy.Parse(policy.Bucket, n.raw(l.data))
		if n.kind != kObject || err != nil {
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		return nil
	}},
	{name: "acl", later: true, read: func(l *loader, req *evaluate.Request, n *node, ptr string) error {
		// The ACL as S3 would store it: for the requester's account as
		// the resource owner.
		owner := acl.Owner{}
		if a, ok := req.Principal.ParentAccount(); ok {
			owner.ID = l.canonical[string(a)]
		}
		kind := acl.Bucket
		if req.Key != "" {
			kind = acl.Object
		}
		if n.kind == kObject {
			if c, ok := n.get("canned"); ok && c.kind == kString {
				req.CannedACL = c.str
			}
		}
		if owner.ID == "" {
			owner.ID = acl.AnonymousID
		}
		return l.acl(&req.ACL, n, ptr, kind, owner, owner)
	}},
}

func (l *loader) body(req *evaluate.Request, n *node, ptr string) error {
	if bodyFields.check(l, n, ptr) && bodyFields.read(l, n, ptr, req, "policy") {
		bodyFields.read(l, n, ptr, req, "acl")
	}
	return l.err
}
