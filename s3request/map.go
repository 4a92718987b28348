package s3request

import (
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/s3authz/s3authz/internal/s3actions"
)

// mapping is the state of one Map call: scratch space that stays on the
// stack, and the Operation it builds on the heap.
type mapping struct {
	out *Operation
	req *Request
	m   *Mapper

	addr        addressing
	level       level
	bucket, key string
	row         op
	sel         string // the selector, "" for none

	params    []param
	hdrs      [numHeaders][]string
	presigned bool
	form      map[string]string // a browser upload's fields, names lowercased

	// pool holds the keys the request supplies, each with the bit of the
	// catalog's key set that attaches it to an action (0: every action).
	pool  []poolKey
	arena []byte

	checks []Check
}

// scratch is a mapping with the buffers its slices start in. Scratches are
// reused through scratchPool, so that a Map call's only allocations are
// the ones its Operation keeps.
type scratch struct {
	mapping
	paramBuf [12]param
	poolBuf  [24]poolKey
	arenaBuf [160]byte
}

// scratchPool holds idle scratches; it never holds one in use.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// release clears what a scratch refers to, so that an idle one keeps no
// request alive, and returns it to the pool.
func (s *scratch) release() {
	clear(s.paramBuf[:min(len(s.params), len(s.paramBuf))])
	clear(s.poolBuf[:min(len(s.pool), len(s.poolBuf))])
	s.mapping = mapping{}
	scratchPool.Put(s)
}

// opStore is an Operation with inline room for the checks of most
// requests and for tag keys: one allocation holds them all.
type opStore struct {
	Operation
	checkBuf [3]Check
	tagKeys  [maxTags]string
}

// poolKey is one condition key of the request before it is attached to
// checks; a name or value written to the arena is resolved once the arena
// is a string.
type poolKey struct {
	name    string
	bit     s3actions.KeySet
	value   string   // a single-valued key's value
	multi   []string // a multivalued key's values
	isMulti bool
	// nameAt and valAt are arena spans (end > 0) standing for name and
	// value.
	nameAt, valAt span
}

type span struct{ start, end int }

// Map returns the operation a request asks for, with the checks it needs,
// or an *Error of one of the classes of the package doc. It never returns
// both, and never an operation without checks. It reads r and never
// modifies it; the Operation shares no memory with r except strings.
func (m *Mapper) Map(r *Request) (*Operation, error) {
	st := new(opStore)
	st.Checks = st.checkBuf[:0]
	st.tagStore = st.tagKeys[:0]
	if err := m.MapInto(&st.Operation, r); err != nil {
		return nil, err
	}
	return &st.Operation, nil
}

// MapInto is Map writing into op, whose storage (checks, keys) it reuses:
// a server that keeps one Operation per connection, or pools them, maps
// most requests with one allocation (the string of the values it
// formats) or none. Everything op held before is overwritten, so nothing
// taken from it earlier — its Checks, their Keys — may be read after.
// On an error, op holds no operation.
func (m *Mapper) MapInto(op *Operation, r *Request) error {
	clear(op.Checks)
	clear(op.keyStore)
	*op = Operation{Checks: op.Checks[:0], keyStore: op.keyStore[:0], tagStore: op.tagStore[:0]}
	s := scratchPool.Get().(*scratch)
	defer s.release()
	p := &s.mapping // zero: release cleared it
	p.req, p.m, p.out = r, m, op
	p.params = s.paramBuf[:0]
	p.pool = s.poolBuf[:0]
	p.arena = s.arenaBuf[:0]
	p.checks = op.Checks
	if err := p.run(); err != nil {
		*op = Operation{Checks: op.Checks[:0], keyStore: op.keyStore[:0], tagStore: op.tagStore[:0]}
		return err
	}
	return nil
}

// run takes the steps of spec §1.8 in order; the first failure is the
// answer.
func (p *mapping) run() *Error {
	r := p.req
	switch r.Method {
	case "GET", "HEAD", "PUT", "POST", "DELETE":
	default:
		return fail(ErrUnsupportedOperation, "method", r.Method, "not an S3 REST method")
	}
	var err *Error
	if p.addr, err = p.m.readHost(r.Host); err != nil {
		return err
	}
	path, query, _ := strings.Cut(r.Target, "?")
	if err := p.readPath(path); err != nil {
		return err
	}
	// An access-point alias or directory bucket name is another resource,
	// unless the request creates a bucket, whose reserved names the
	// operation's own check refuses; that waits for the operation.
	var notABucket *Error
	if p.level != levelService {
		if err := p.m.checkBucket(p.bucket, p.addr.style, false); err != nil {
			if err.Class != ErrUnsupportedEndpoint {
				return err
			}
			notABucket = err
		}
	}
	if err := p.readQuery(query); err != nil {
		return err
	}
	p.readHeaders()
	if err := p.chooseOperation(); err != nil {
		return err
	}
	if notABucket != nil && p.row.kind != kCreateBucket {
		return notABucket
	}
	if err := p.requiredParams(); err != nil {
		return err
	}
	if p.row.kind == kPostObject {
		if err := p.readForm(); err != nil {
			return err
		}
	}
	if err := p.readAuth(); err != nil {
		return err
	}
	if err := p.requestKeys(); err != nil {
		return err
	}
	if err := p.build(); err != nil {
		return err
	}
	if err := p.headerKeys(); err != nil {
		return err
	}
	p.finish()
	return nil
}

// chooseOperation classifies the query names, refuses unknown value-less
// names and conflicting selectors, and picks the row.
func (p *mapping) chooseOperation() *Error {
	r := p.req
	nsel := 0
	for i := range p.params {
		q := &p.params[i]
		switch classify(q.name) {
		case pSelector:
			nsel++
			if nsel == 1 {
				p.sel = q.name
			}
		case pValuedSel:
			if q.name == "list-type" {
				if q.value != "2" {
					return fail(ErrInvalidArgument, "query:list-type", q.value, "list-type must be 2")
				}
				nsel++
				if nsel == 1 {
					p.sel = q.name
				}
			}
		case pUnknown:
			if !q.hasValue {
				return fail(ErrUnknownSubresource, partName("query:", q.name), "", "not a sub-resource of S3")
			}
		}
	}
	if nsel > 1 {
		return fail(ErrConflictingSubresources, "query", cut(r.Target[strings.IndexByte(r.Target, '?')+1:], maxEcho), "two operation selectors")
	}
	if st, ok := p.query("select-type"); ok {
		if p.sel != "select" {
			return fail(ErrInvalidArgument, "query:select-type", st, "select-type without select")
		}
		if st != "2" {
			return fail(ErrInvalidArgument, "query:select-type", st, "select-type must be 2")
		}
	}
	row, ok := table[opKey{r.Method, p.level, p.sel}]
	if !ok || row.kind == kUnsupported {
		what := r.Method + " on the "
		switch p.level {
		case levelService:
			what += "service"
		case levelBucket:
			what += "bucket"
		default:
			what += "object"
		}
		if p.sel != "" {
			what += " with ?" + p.sel
		}
		if ok {
			what = row.name + " has no action in the catalog or is for directory buckets"
		}
		return fail(ErrUnsupportedOperation, "query", "", what)
	}
	if row.kind == kPostObject && !p.isForm() {
		return fail(ErrUnsupportedOperation, "header:Content-Type", "", "a POST to a bucket without a selector is a browser upload and needs multipart/form-data")
	}
	if row.kind == kCreateBucket {
		if err := p.m.checkBucket(p.bucket, p.addr.style, true); err != nil {
			return err
		}
	}
	p.row = row
	p.out.Name = row.name
	if row.nameNoID != "" {
		if _, ok := p.query("id"); !ok {
			p.out.Name = row.nameNoID
		}
	}
	if p.sel == "select" && !p.has("select-type") {
		return fail(ErrInvalidArgument, "query:select-type", "", "select needs select-type=2")
	}
	return nil
}

func (p *mapping) has(name string) bool { _, ok := p.query(name); return ok }

// isForm reports whether the body is multipart/form-data.
func (p *mapping) isForm() bool {
	ct, _ := p.first(hContentType)
	ct, _, _ = strings.Cut(ct, ";")
	return equalFold(strings.TrimSpace(ct), "multipart/form-data")
}

// requiredParams checks the parameters the operation needs or refuses.
func (p *mapping) requiredParams() *Error {
	row := &p.row
	if v, ok := p.query("versionId"); ok {
		if !row.vid {
			return fail(ErrInvalidArgument, "query:versionId", v, p.out.Name+" takes no versionId")
		}
		if v == "" {
			return fail(ErrInvalidArgument, "query:versionId", "", "empty versionId")
		}
		p.out.VersionID = v
	}
	if row.needID {
		if id, ok := p.query("id"); !ok || id == "" {
			return fail(ErrInvalidArgument, "query:id", "", p.out.Name+" needs an id")
		}
	}
	_, part := p.query("partNumber")
	switch {
	case row.kind == kUploadPart && !part:
		return fail(ErrInvalidArgument, "query:uploadId", "", "uploadId without partNumber")
	case row.kind == kPutObject && part:
		return fail(ErrInvalidArgument, "query:partNumber", "", "partNumber without uploadId")
	}
	if row.kind == kAttributes && p.hdrs[hObjectAttributes] == nil {
		return fail(ErrInvalidArgument, "header:X-Amz-Object-Attributes", "", "GetObjectAttributes needs x-amz-object-attributes")
	}
	if v, ok := p.query("max-keys"); ok && row.kind == kList && !allDigits(v) {
		return fail(ErrInvalidArgument, "query:max-keys", v, "not a non-negative integer")
	}
	return nil
}

// readAuth classifies how the request is signed (spec §1.7) and, for a
// presigned URL, reads its x-amz-* parameters as headers.
func (p *mapping) readAuth() *Error {
	a := &p.out.Auth
	a.Age = -1
	mechanisms := 0
	if v, ok := p.first(hAuthorization); ok {
		if len(p.hdrs[hAuthorization]) > 1 {
			return fail(ErrInvalidAuth, "header:Authorization", "", "Authorization given more than once")
		}
		mechanisms++
		switch {
		case strings.HasPrefix(v, "AWS4-HMAC-SHA256 "):
			a.Type, a.SignatureVersion = RESTHeader, "AWS4-HMAC-SHA256"
			if t, ok := p.signingTimeHeader(); ok {
				a.Age = p.age(t)
			}
		case strings.HasPrefix(v, "AWS "):
			a.Type, a.SignatureVersion, a.Age = RESTHeader, "AWS", 0
		default:
			return fail(ErrInvalidAuth, "header:Authorization", cut(v, 24), "not AWS4-HMAC-SHA256 or AWS")
		}
	}
	if alg, ok := p.query("X-Amz-Algorithm"); ok {
		mechanisms++
		if alg != "AWS4-HMAC-SHA256" {
			return fail(ErrInvalidAuth, "query:X-Amz-Algorithm", alg, "not AWS4-HMAC-SHA256")
		}
		d, _ := p.query("X-Amz-Date")
		t, ok := parseAMZDate(d)
		if !ok {
			return fail(ErrInvalidAuth, "query:X-Amz-Date", d, "not YYYYMMDDTHHMMSSZ")
		}
		a.Type, a.SignatureVersion, a.Age = RESTQueryString, "AWS4-HMAC-SHA256", p.age(t)
		p.presigned = true
	}
	if p.has("AWSAccessKeyId") || p.has("Signature") {
		mechanisms++
		a.Type, a.SignatureVersion, a.Age = RESTQueryString, "AWS", 0
		p.presigned = true
	}
	if p.form != nil {
		if alg, ok := p.form["x-amz-algorithm"]; ok {
			mechanisms++
			if alg != "AWS4-HMAC-SHA256" {
				return fail(ErrInvalidAuth, "form:x-amz-algorithm", alg, "not AWS4-HMAC-SHA256")
			}
			a.Type, a.SignatureVersion, a.Age = POST, "AWS4-HMAC-SHA256", -1
			if t, ok := parseAMZDate(p.form["x-amz-date"]); ok {
				a.Age = p.age(t)
			}
		} else if _, ok := p.form["awsaccesskeyid"]; ok {
			mechanisms++
			a.Type, a.SignatureVersion, a.Age = POST, "AWS", 0
		}
	}
	if mechanisms > 1 {
		return fail(ErrInvalidAuth, "query", "", "only one auth mechanism allowed")
	}
	if !p.presigned {
		return nil
	}
	for i := range p.params {
		q := &p.params[i]
		if authParams[q.name] || !hasPrefixFold(q.name, "x-amz-") {
			continue
		}
		h, ok := lookupHeader(q.name)
		if !ok {
			continue
		}
		if p.hdrs[h] != nil {
			return fail(ErrInvalidArgument, partName("query:", q.name), "", "given both as a header and in the query")
		}
		p.hdrs[h] = []string{q.value}
	}
	return nil
}

// signingTimeHeader reads x-amz-date, or Date, of a header-signed request.
func (p *mapping) signingTimeHeader() (time.Time, bool) {
	if d, ok := p.first(hXAmzDate); ok {
		return parseAMZDate(d)
	}
	if d, ok := p.first(hDate); ok {
		t, err := time.Parse(time.RFC1123, d)
		return t, err == nil
	}
	return time.Time{}, false
}

// age is the milliseconds from t to the request's Now, 0 when t is later,
// -1 when Now is unknown.
func (p *mapping) age(t time.Time) int64 {
	if p.req.Now.IsZero() {
		return -1
	}
	d := p.req.Now.Sub(t)
	if d < 0 {
		return 0
	}
	return d.Milliseconds()
}

// requestKeys builds the request-wide keys (spec §3.2).
func (p *mapping) requestKeys() *Error {
	r := p.req
	p.out.Style, p.out.Partition = p.addr.style, p.addr.partition
	p.out.Bucket, p.out.Key = p.bucket, p.key
	if r.TLS {
		p.add("aws:SecureTransport", 0, "true")
	} else {
		p.add("aws:SecureTransport", 0, "false")
	}
	if r.RemoteAddr != "" {
		ip, err := parseRemote(r.RemoteAddr)
		if err != nil {
			return err
		}
		start := len(p.arena)
		p.arena = ip.AppendTo(p.arena)
		p.addSpan("aws:SourceIp", 0, span{start, len(p.arena)})
	}
	if v, ok := p.first(hUserAgent); ok {
		p.add("aws:UserAgent", 0, v)
	}
	if v, ok := p.first(hReferer); ok {
		p.add("aws:Referer", 0, v)
	}
	if !r.Now.IsZero() {
		start := len(p.arena)
		p.arena = appendRFC3339(p.arena, r.Now)
		p.addSpan("aws:CurrentTime", 0, span{start, len(p.arena)})
		start = len(p.arena)
		p.arena = strconv.AppendInt(p.arena, r.Now.Unix(), 10)
		p.addSpan("aws:EpochTime", 0, span{start, len(p.arena)})
	}
	if r.TLS && r.TLSVersion != "" {
		p.add("s3:TlsVersion", s3actions.KeyTLSVersion, r.TLSVersion)
	}
	if a := p.out.Auth; a.Type != Anonymous {
		p.add("s3:signatureversion", s3actions.KeySignatureVersion, a.SignatureVersion)
		p.add("s3:authType", s3actions.KeyAuthType, a.Type.String())
		if a.Age >= 0 {
			start := len(p.arena)
			p.arena = strconv.AppendInt(p.arena, a.Age, 10)
			p.addSpan("s3:signatureAge", s3actions.KeySignatureAge, span{start, len(p.arena)})
		}
	}
	// From the header only: SigV4 keys do not read it from a query.
	if v, ok, err := p.header(hContentSHA256); err != nil {
		return err
	} else if ok {
		p.add("s3:x-amz-content-sha256", s3actions.KeyContentSHA256, v)
	}
	return nil
}

// parseRemote reads "ip:port", "[v6]:port" or a bare IP; an IPv4-mapped
// IPv6 address is its IPv4 address, and a zone is dropped.
func parseRemote(s string) (netip.Addr, *Error) {
	// A link-local peer's zone names the server's own interface, not the
	// caller: it is dropped in either form.
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().WithZone("").Unmap(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.WithZone("").Unmap(), nil
	}
	return netip.Addr{}, fail(ErrInvalidRemoteAddress, "remote-address", s, "not ip:port")
}

// add puts a key with one value in the pool.
func (p *mapping) add(name string, bit s3actions.KeySet, value string) {
	p.pool = append(p.pool, poolKey{name: name, bit: bit, value: value})
}

// addSpan puts a key whose one value is in the arena in the pool.
func (p *mapping) addSpan(name string, bit s3actions.KeySet, at span) {
	p.pool = append(p.pool, poolKey{name: name, bit: bit, valAt: at})
}

// addMulti puts a multivalued key in the pool.
func (p *mapping) addMulti(name string, bit s3actions.KeySet, values []string) {
	p.pool = append(p.pool, poolKey{name: name, bit: bit, multi: values, isMulti: true})
}

// finish turns the arena into one string, resolves the spans, and attaches
// each check's keys, all in one slice sized to fit.
func (p *mapping) finish() {
	s := string(p.arena)
	for i := range p.pool {
		k := &p.pool[i]
		if k.nameAt.end > 0 {
			k.name = s[k.nameAt.start:k.nameAt.end]
		}
		if k.valAt.end > 0 {
			k.value = s[k.valAt.start:k.valAt.end]
		}
	}
	// Each check takes at most every pool key and its version: storage of
	// that size (a reused Operation's, mostly) needs no count first.
	keys := p.out.keyStore[:0]
	if cap(keys) < len(p.checks)*(len(p.pool)+1) {
		total := 0
		for i := range p.checks {
			total += p.attach(&p.checks[i], nil)
		}
		if cap(keys) < total {
			keys = make([]Key, 0, total)
		}
	}
	for i := range p.checks {
		start := len(keys)
		p.attach(&p.checks[i], &keys)
		p.checks[i].Keys = keys[start:len(keys):len(keys)]
	}
	p.out.Checks = p.checks
	p.out.keyStore = keys
	p.out.Time = p.req.Now
}

// attach appends to *dst the keys of the pool that check c's action lists,
// and its s3:VersionId, and returns how many; with dst nil it only counts.
func (p *mapping) attach(c *Check, dst *[]Key) int {
	keys := s3actions.At(mustLookup(c.Action)).Keys
	n := 0
	for j := range p.pool {
		k := &p.pool[j]
		if k.bit != 0 && keys&k.bit == 0 {
			continue
		}
		n++
		if dst == nil {
			continue
		}
		if k.isMulti {
			*dst = append(*dst, Key{Name: k.name, Values: k.multi, Multi: true})
			continue
		}
		*dst = append(*dst, Key{Name: k.name})
		last := &(*dst)[len(*dst)-1]
		last.one[0] = k.value
		last.Values = last.one[:]
	}
	if c.VersionID != "" && keys&s3actions.KeyVersionID != 0 {
		n++
		if dst != nil {
			*dst = append(*dst, Key{Name: "s3:VersionId"})
			last := &(*dst)[len(*dst)-1]
			last.one[0] = c.VersionID
			last.Values = last.one[:]
		}
	}
	return n
}

// mustLookup finds an action of the operation table, which a test holds
// to the catalog.
func mustLookup(name string) int {
	i, ok := s3actions.Lookup(name)
	if !ok {
		panic("s3request: action " + name + " is not in the catalog")
	}
	return i
}
