package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/files"
	"github.com/s3authz/s3authz/internal/jsontext"
	"github.com/s3authz/s3authz/ownership"
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

	world    *analysis.World
	root     *node  // the file's tree, for Position
	data     []byte // the file's bytes
	lines    []int  // offsets of its line starts
	callers  map[string]Caller
	products *devpay.Catalog
	subs     *devpay.MemorySubscriptions
}

// Caller is a principal of a scenario's principals section, with the
// policies and tags it calls with.
type Caller struct {
	// Name is the principal's name in the file.
	Name      string
	Principal ownership.Principal
	Tags      []ownership.Tag
	// Identity are its prepared identity policies, Boundary its
	// permissions boundary (nil without one), Session its session
	// policies.
	Identity []*evaluate.Prepared
	Boundary *evaluate.Prepared
	Session  []*evaluate.Prepared
}

// Callers returns the scenario's principals by name, for hosts that serve
// a scenario's world, such as a gateway configured from the same fixtures
// that test the evaluator. The map is the caller's; the policies are
// shared and immutable.
func (s *Scenario) Callers() map[string]Caller {
	out := make(map[string]Caller, len(s.callers))
	for name, c := range s.callers {
		out[name] = c
	}
	return out
}

// Products returns the scenario's DevPay products, nil without a products
// section.
func (s *Scenario) Products() *devpay.Catalog { return s.products }

// Subscriptions returns the scenario's DevPay subscriptions. They are the
// scenario's own: a host may subscribe, cancel and resume on them (they are
// safe for concurrent use), which changes later decisions of the
// scenario's requests too.
func (s *Scenario) Subscriptions() *devpay.MemorySubscriptions { return s.subs }

// World returns the scenario's world for the analyses of package analysis:
// its buckets with their records, policies, ACLs and objects, the accounts'
// Block Public Access settings, and the account directory. It is built once
// at load and shared: treat it as read-only.
func (s *Scenario) World() *analysis.World { return s.world }

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
	s.world = l.analysisWorld()
	s.root, s.data, s.lines = root, data, lineStarts(data)
	s.products, s.subs = l.products, l.subs
	s.callers = make(map[string]Caller, len(l.principals))
	for name, pr := range l.principals {
		s.callers[name] = Caller{Name: name, Principal: pr.p, Tags: pr.tags, Identity: pr.identity, Boundary: pr.boundary, Session: pr.session}
	}
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
