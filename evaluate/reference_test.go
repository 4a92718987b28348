package evaluate_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks Evaluate against a reference evaluator for the setting
// of one caller's own account: an IAM user of account A — or a federated
// user of A (GetFederationToken) with the session policy it was given —
// whose account owns the bucket, one identity policy, no bucket policy. The
// bucket is under BucketOwnerEnforced, where A owns every object and ACLs
// take no part, or under ObjectWriter, where the object may belong to A or
// to another account and the bucket and object ACLs take part (read in
// reference_acl_test.go). The rules come from the IAM User Guide ("Policy
// evaluation logic", "Session policies", the GetFederationToken API) and
// Amazon S3's pages on how it authorizes a request:
//
//   - An explicit Deny in the identity or session policy wins; otherwise the
//     caller's own account allows when the identity policy allows and, for
//     a federated user, its session policy does too: without one, a
//     federated user has no permissions.
//   - When A owns the resource (the bucket, or an object of A, or any object
//     under BucketOwnerEnforced), that allow suffices; so does an ACL grant
//     naming the caller itself, a group grant (AllUsers, AuthenticatedUsers)
//     — a grant to A's account is a delegation that needs the identity
//     allow.
//   - On an object another account owns, the caller needs its account's
//     allow and the object owner's grant: the object ACL granting A (by
//     canonical ID or e-mail) or a group. Creating and deleting objects are
//     the bucket's (the package's documented choice); A, owning the bucket,
//     may also restore any object (with its identity allow).
//
// The reference is written from the AWS documentation and shares nothing
// with the evaluator but the parsed policy and ACL models: it matches with
// its own glob matcher, substitutes policy variables itself and reads
// numbers, dates and addresses with the standard library. It is meant to be
// slow and obviously right.

// refTri is a three-valued truth: a test holds, does not, or cannot be
// decided because a request value is unreadable (the evaluator then fails
// closed). AND and OR are Kleene's: false decides an AND and true decides
// an OR whatever the other side is.
type refTri int8

const (
	refNo refTri = iota
	refYes
	refErr
)

func triAnd(a, b refTri) refTri {
	switch {
	case a == refNo || b == refNo:
		return refNo
	case a == refErr || b == refErr:
		return refErr
	}
	return refYes
}

func triOr(a, b refTri) refTri {
	switch {
	case a == refYes || b == refYes:
		return refYes
	case a == refErr || b == refErr:
		return refErr
	}
	return refNo
}

func triNot(a refTri) refTri {
	switch a {
	case refYes:
		return refNo
	case refNo:
		return refYes
	}
	return refErr
}

func boolTri(b bool) refTri {
	if b {
		return refYes
	}
	return refNo
}

// refKey is one condition key a request supplies.
type refKey struct {
	name   string
	values []string
}

// refRequest is a request of IAM user user of account A, or of federated
// user fed of A.
type refRequest struct {
	user     string // the part after "user/": a name, or path/name
	fed      string // a federated user's name; "" for the IAM user
	action   string
	bucket   string // "" for s3:ListAllMyBuckets
	key      string // "" for bucket actions
	keys     []refKey
	time     time.Time
	tags     []ownership.Tag
	enforced bool // BucketOwnerEnforced rather than ObjectWriter
	// cannedACL and acl are the ACL a write carries (the x-amz-acl header,
	// or grants), for Object Ownership and Block Public Access.
	cannedACL string
	acl       *acl.ACL
	// objOwner is the object record's owner ("" for A) and bucketACL and
	// objectACL the stored ACLs (nil for the default), which take part
	// unless enforced is set.
	objOwner             string
	bucketACL, objectACL *acl.ACL
}

func (r *refRequest) arn() string {
	if r.fed != "" {
		return "arn:aws:sts::" + acctA + ":federated-user/" + r.fed
	}
	return "arn:aws:iam::" + acctA + ":user/" + r.user
}

func (r *refRequest) userName() string { return r.user[strings.LastIndexByte(r.user, '/')+1:] }

// owner is the object's owning account: A under BucketOwnerEnforced,
// otherwise the record's owner.
func (r *refRequest) owner() string {
	if r.enforced || r.objOwner == "" {
		return acctA
	}
	return r.objOwner
}

// resource is the request's resource ARN. An action on no bucket
// (s3:ListAllMyBuckets) is granted with "Resource": "*"; the package
// documents that arn:aws:s3:::* matches it too, which reading its resource
// as that ARN gives.
func (r *refRequest) resource() string {
	if r.bucket == "" {
		return "arn:aws:s3:::*"
	}
	if r.key == "" {
		return "arn:aws:s3:::" + r.bucket
	}
	return "arn:aws:s3:::" + r.bucket + "/" + r.key
}

func (r *refRequest) String() string {
	var b strings.Builder
	if r.fed != "" {
		fmt.Fprintf(&b, "federated user %s, %s on %s", r.fed, r.action, r.resource())
	} else {
		fmt.Fprintf(&b, "user %s, %s on %s", r.user, r.action, r.resource())
	}
	for _, k := range r.keys {
		fmt.Fprintf(&b, ", %s=%q", k.name, k.values)
	}
	if !r.time.IsZero() {
		fmt.Fprintf(&b, ", time %s", r.time.Format(time.RFC3339))
	}
	for _, t := range r.tags {
		fmt.Fprintf(&b, ", tag %s=%s", t.Key, t.Value)
	}
	if r.enforced {
		b.WriteString(", BucketOwnerEnforced")
	}
	if r.objOwner != "" && r.objOwner != acctA {
		fmt.Fprintf(&b, ", object of %s", r.objOwner)
	}
	for _, a := range []struct {
		name string
		acl  *acl.ACL
	}{{"bucket", r.bucketACL}, {"object", r.objectACL}} {
		if a.acl != nil && !r.enforced {
			fmt.Fprintf(&b, ", %s ACL %+v", a.name, a.acl.Grants)
		}
	}
	return b.String()
}

// evaluation builds the library's request and context for r with the
// prepared identity policy pp.
func (r *refRequest) evaluation(dir ownership.Directory, pp *evaluate.Prepared) (evaluate.Request, evaluate.Context) {
	return r.evaluationWith(dir, pp, nil)
}

// evaluationWith is evaluation with the prepared session policy of a
// federated caller (nil for none).
func (r *refRequest) evaluationWith(dir ownership.Directory, pp, session *evaluate.Prepared) (evaluate.Request, evaluate.Context) {
	req := evaluate.Request{
		Principal:     ownership.MustParsePrincipal(r.arn()),
		Action:        r.action,
		Bucket:        r.bucket,
		Key:           r.key,
		Time:          r.time,
		PrincipalTags: r.tags,
	}
	if len(r.keys) > 0 {
		req.Keys = &evaluate.Keys{}
		for _, k := range r.keys {
			req.Keys.Set(k.name, k.values...)
		}
	}
	ec := evaluate.Context{Identity: []*evaluate.Prepared{pp}, Directory: dir, Now: refClock}
	if r.fed != "" && session != nil {
		ec.Session = []*evaluate.Prepared{session}
	}
	if r.bucket != "" {
		mode := ownership.ObjectWriter
		if r.enforced {
			mode = ownership.BucketOwnerEnforced
		}
		ec.Bucket = &ownership.Bucket{Name: r.bucket, Owner: acctA, Mode: mode}
		ec.BucketACL = r.bucketACL
		if r.key != "" {
			owner := acctA
			if r.objOwner != "" {
				owner = r.objOwner
			}
			ec.Object = &ownership.Object{Bucket: r.bucket, Key: r.key, Owner: ownership.AccountOwner(ownership.AccountID(owner))}
			ec.ObjectACL = r.objectACL
		}
	}
	return req, ec
}

// refContext is the request context the conditions see: every key's values
// by lowercase name ("Condition keys are case-insensitive", IAM JSON policy
// elements: Condition).
type refContext map[string][]string

// refDerivedKeys are the keys AWS sets from the request itself; a value the
// caller supplies for one of them is never seen.
var refDerivedKeys = []string{
	"aws:username", "aws:userid", "aws:principalarn", "aws:principalaccount", "aws:principaltype",
	"aws:principalisawsservice", "aws:currenttime", "aws:epochtime", "s3:resourceaccount", "aws:resourceaccount",
}

func refDerived(lower string) bool {
	for _, k := range refDerivedKeys {
		if k == lower {
			return true
		}
	}
	return strings.HasPrefix(lower, "aws:principaltag/") || strings.HasPrefix(lower, "s3:existingobjecttag/") ||
		strings.HasPrefix(lower, "aws:resourcetag/") || strings.HasPrefix(lower, "s3:buckettag/")
}

// context lists the global condition keys AWS sets for an IAM user or a
// federated user ("AWS global condition context keys"), then the keys the
// request supplies.
func (r *refRequest) context() refContext {
	c := refContext{}
	for _, k := range r.keys {
		if n := strings.ToLower(k.name); !refDerived(n) {
			c[n] = k.values
		}
	}
	if r.fed != "" {
		// A federated user has no user name; its aws:userid is the
		// account and the name it was given.
		c["aws:principaltype"] = []string{"FederatedUser"}
		c["aws:userid"] = []string{acctA + ":" + r.fed}
	} else {
		c["aws:username"] = []string{r.userName()}
		c["aws:principaltype"] = []string{"User"}
	}
	c["aws:principalarn"] = []string{r.arn()}
	c["aws:principalaccount"] = []string{acctA}
	c["aws:principalisawsservice"] = []string{"false"}
	if r.bucket != "" {
		c["s3:resourceaccount"] = []string{acctA}
		c["aws:resourceaccount"] = []string{acctA}
	}
	// aws:CurrentTime and aws:EpochTime: "This key is always included in
	// the request context"; a request without a time of its own is dated
	// by the host's clock.
	when := r.time
	if when.IsZero() {
		when = refClock()
	}
	c["aws:currenttime"] = []string{when.UTC().Format(time.RFC3339)}
	c["aws:epochtime"] = []string{strconv.FormatInt(when.Unix(), 10)}
	for _, t := range r.tags {
		c["aws:principaltag/"+strings.ToLower(t.Key)] = []string{t.Value}
	}
	c.defaults()
	c.restrict(r.action)
	return c
}

// refClock is the host's clock in the reference tests: a fixed instant.
func refClock() time.Time { return time.Date(2020, 6, 15, 12, 0, 0, 0, time.UTC) }

// refSAR is the Service Authorization Reference's list of the S3 condition
// keys each action's request context holds, read from the facts file
// policy/testdata/sar-s3-condition-keys.tsv rather than from the
// evaluator's tables: lowercase key (a tag family ends in "/") → lowercase
// actions.
var refSAR = sync.OnceValue(func() map[string]map[string]bool {
	b, err := os.ReadFile("../policy/testdata/sar-s3-condition-keys.tsv")
	if err != nil {
		panic(err)
	}
	m := map[string]map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		key, acts, _ := strings.Cut(line, "\t")
		key = strings.ToLower(strings.TrimSuffix(key, "<key>"))
		m[key] = map[string]bool{}
		for _, a := range strings.Fields(acts) {
			m[key]["s3:"+strings.ToLower(a)] = true
		}
	}
	return m
})

// refInContext reports whether S3 puts the key called lower in the request
// context of action: a key the Service Authorization Reference gives
// action by action when the action's row lists it, any other s3: key
// never, any other global key always.
func refInContext(action, lower string) bool {
	sar := refSAR()
	if acts, ok := sar[lower]; ok {
		return acts[strings.ToLower(action)]
	}
	if i := strings.IndexByte(lower, '/'); i > 0 {
		if acts, ok := sar[lower[:i+1]]; ok && i < len(lower)-1 {
			return acts[strings.ToLower(action)]
		}
	}
	return !strings.HasPrefix(lower, "s3:")
}

// defaults sets the keys AWS always includes in the request context when
// the request does not supply them: aws:SecureTransport and
// aws:ViaAWSService are "always included" ("AWS global condition context
// keys"), false unless the request says otherwise.
func (c refContext) defaults() {
	for _, k := range []string{"aws:securetransport", "aws:viaawsservice"} {
		if _, ok := c[k]; !ok {
			c[k] = []string{"false"}
		}
	}
}

// restrict drops the keys that are not in the request context of action.
func (c refContext) restrict(action string) {
	for k := range c {
		if !refInContext(action, k) {
			delete(c, k)
		}
	}
}

func (c refContext) get(name string) ([]string, bool) {
	v, ok := c[strings.ToLower(name)]
	return v, ok
}

// variable is a policy variable's value: only a key with a single value can
// be one ("IAM policy elements: Variables and tags").
func (c refContext) variable(name string) (string, bool) {
	v, ok := c.get(name)
	if !ok || len(v) != 1 {
		return "", false
	}
	return v[0], true
}

// refElem is one character of a pattern: a literal rune, or the wildcard
// '*' (any run of characters) or '?' (exactly one).
type refElem struct {
	r    rune
	wild byte
}

// refGlob matches s against p by dynamic programming over runes.
func refGlob(p []refElem, s string) bool {
	t := []rune(s)
	prev := make([]bool, len(t)+1) // prev[j]: the elements so far match t[:j]
	cur := make([]bool, len(t)+1)
	prev[0] = true
	for _, e := range p {
		for j := 0; j <= len(t); j++ {
			switch e.wild {
			case '*':
				cur[j] = prev[j] || (j > 0 && cur[j-1])
			case '?':
				cur[j] = j > 0 && prev[j-1]
			default:
				cur[j] = j > 0 && prev[j-1] && t[j-1] == e.r
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(t)]
}

// refTemplate reads a policy value into pattern elements: '*' and '?' are
// wildcards when wild is set; with vars set (Version 2012-10-17), ${key} is
// replaced by the key's value, taken literally, ${key, 'default'} falls back
// on the default, and ${*}, ${?} and ${$} are the literal characters. It
// reports false when a variable has neither a value nor a default: the value
// then matches nothing.
func refTemplate(text string, vars, wild bool, c refContext) ([]refElem, bool) {
	var out []refElem
	literal := func(s string) {
		for _, r := range s {
			out = append(out, refElem{r: r})
		}
	}
	glob := func(s string) {
		for _, r := range s {
			if wild && (r == '*' || r == '?') {
				out = append(out, refElem{wild: byte(r)})
			} else {
				out = append(out, refElem{r: r})
			}
		}
	}
	for vars {
		i := strings.Index(text, "${")
		if i < 0 {
			break
		}
		glob(text[:i])
		body, rest, ok := strings.Cut(text[i+2:], "}")
		if !ok {
			break
		}
		text = rest
		switch body {
		case "*", "?", "$":
			literal(body)
			continue
		}
		name, def, hasDefault := strings.Cut(body, ",")
		v, ok := c.variable(strings.TrimSpace(name))
		if !ok {
			if !hasDefault {
				return nil, false
			}
			v = strings.Trim(strings.TrimSpace(def), "'")
		}
		literal(v)
	}
	glob(text)
	return out, true
}

// refExpand is a template without wildcards as text.
func refExpand(text string, vars bool, c refContext) (string, bool) {
	elems, ok := refTemplate(text, vars, false, c)
	if !ok {
		return "", false
	}
	rs := make([]rune, len(elems))
	for i, e := range elems {
		rs[i] = e.r
	}
	return string(rs), true
}

// refAction matches an action pattern: '*' and '?' wildcards, without
// regard to case ("IAM JSON policy elements: Action").
func refAction(pattern, action string) bool {
	elems, _ := refTemplate(strings.ToLower(pattern), false, true, nil)
	return refGlob(elems, strings.ToLower(action))
}

var (
	refDecimal = regexp.MustCompile(`^[-+]?[0-9]+(\.[0-9]+)?$`)
	refEpoch   = regexp.MustCompile(`^[0-9]{5,}$`)
)

// refNumber reads an integer or a decimal, the numbers the numeric condition
// operators compare.
func refNumber(s string) (float64, bool) {
	if !refDecimal.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// refDate reads the W3C profile of ISO 8601 the date condition operators
// take, or epoch seconds (more than four digits; four are a year).
func refDate(s string) (time.Time, bool) {
	if refEpoch.MatchString(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		return time.Unix(n, 0), err == nil
	}
	for _, layout := range []string{"2006", "2006-01", "2006-01-02", time.RFC3339, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// refBlock reads a policy address block; a bare address is a /32 or /128.
func refBlock(s string) netip.Prefix {
	if strings.Contains(s, "/") {
		return netip.MustParsePrefix(s).Masked()
	}
	a := netip.MustParseAddr(s).Unmap()
	return netip.PrefixFrom(a, a.BitLen())
}

// refSplitARN splits an ARN into its six components at its first five colons;
// with vars set, colons inside ${...} do not count (variable keys have
// colons of their own).
func refSplitARN(s string, vars bool) ([]string, bool) {
	var parts []string
	start, depth := 0, 0
	for i := 0; i < len(s) && len(parts) < 5; i++ {
		switch {
		case vars && strings.HasPrefix(s[i:], "${"):
			depth++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if len(parts) != 5 {
		return nil, false
	}
	parts = append(parts, s[start:])
	return parts, parts[0] == "arn"
}

// refMatchValue is the positive comparison of one request value with one
// policy value ("IAM JSON policy elements: Condition operators").
func refMatchValue(op policy.Operator, pv, r string, vars bool, c refContext) refTri {
	switch op {
	case policy.StringEquals, policy.StringNotEquals:
		s, ok := refExpand(pv, vars, c)
		return boolTri(ok && s == r)
	case policy.StringEqualsIgnoreCase, policy.StringNotEqualsIgnoreCase:
		// Bytes that are not UTF-8 are no text whose case could be
		// ignored: they equal nothing (the package's reading).
		s, ok := refExpand(pv, vars, c)
		return boolTri(ok && utf8.ValidString(r) && utf8.ValidString(s) && strings.EqualFold(s, r))
	case policy.StringLike, policy.StringNotLike:
		elems, ok := refTemplate(pv, vars, true, c)
		return boolTri(ok && refGlob(elems, r))
	case policy.NumericEquals, policy.NumericNotEquals, policy.NumericLessThan, policy.NumericLessThanEquals,
		policy.NumericGreaterThan, policy.NumericGreaterThanEquals:
		n, ok := refNumber(r)
		if !ok {
			return refErr
		}
		p, _ := refNumber(pv)
		switch op {
		case policy.NumericLessThan:
			return boolTri(n < p)
		case policy.NumericLessThanEquals:
			return boolTri(n <= p)
		case policy.NumericGreaterThan:
			return boolTri(n > p)
		case policy.NumericGreaterThanEquals:
			return boolTri(n >= p)
		}
		return boolTri(n == p)
	case policy.DateEquals, policy.DateNotEquals, policy.DateLessThan, policy.DateLessThanEquals,
		policy.DateGreaterThan, policy.DateGreaterThanEquals:
		t, ok := refDate(r)
		if !ok {
			return refErr
		}
		p, _ := refDate(pv)
		switch op {
		case policy.DateLessThan:
			return boolTri(t.Before(p))
		case policy.DateLessThanEquals:
			return boolTri(!t.After(p))
		case policy.DateGreaterThan:
			return boolTri(t.After(p))
		case policy.DateGreaterThanEquals:
			return boolTri(!t.Before(p))
		}
		return boolTri(t.Equal(p))
	case policy.Bool:
		if r != "true" && r != "false" {
			return refErr
		}
		// The operators page allows policy variables in Bool values; one
		// without a value, or whose value is no boolean, matches nothing.
		s, ok := refExpand(pv, vars, c)
		if !ok || (s != "true" && s != "false") {
			return refNo
		}
		return boolTri(r == s)
	case policy.BinaryEquals:
		b, err := base64.StdEncoding.DecodeString(pv)
		return boolTri(err == nil && string(b) == r)
	case policy.IpAddress, policy.NotIpAddress:
		a, err := netip.ParseAddr(r)
		if err != nil {
			return refErr
		}
		return boolTri(refBlock(pv).Contains(a.Unmap()))
	case policy.ArnEquals, policy.ArnLike, policy.ArnNotEquals, policy.ArnNotLike:
		// ArnEquals and ArnLike alike match each of the six components
		// separately, with wildcards; a request value that is no ARN
		// matches nothing.
		rp, ok := refSplitARN(r, false)
		if !ok {
			return refNo
		}
		pp, _ := refSplitARN(pv, vars)
		for i := range pp {
			elems, ok := refTemplate(pp[i], vars, true, c)
			if !ok || !refGlob(elems, rp[i]) {
				return refNo
			}
		}
		return refYes
	}
	panic("reference: unknown operator " + op.String())
}

// refCondition evaluates one key under one operator ("Condition operators",
// "...IfExists condition operators", "Condition operator to check existence
// of condition keys" and "Set operators for multivalued context keys").
func refCondition(cd *policy.Condition, vars bool, c refContext) refTri {
	values, present := c.get(cd.Key)
	if cd.Operator == policy.Null {
		out := refNo
		for _, v := range cd.Values {
			out = triOr(out, boolTri((v.Text == "true") != present))
		}
		return out
	}
	if cd.IfExists && !present {
		return refYes
	}
	// matches: the request value matches one of the listed values (OR).
	matches := func(r string) refTri {
		out := refNo
		for _, v := range cd.Values {
			out = triOr(out, refMatchValue(cd.Operator, v.Text, r, vars, c))
		}
		return out
	}
	neg := cd.Operator.Negated()
	switch cd.Set {
	case policy.ForAnyValue:
		// Some request value satisfies the operator: false for none.
		out := refNo
		for _, r := range values {
			m := matches(r)
			if neg {
				m = triNot(m)
			}
			out = triOr(out, m)
		}
		return out
	case policy.ForAllValues:
		// Every request value satisfies the operator: true for none.
		out := refYes
		for _, r := range values {
			m := matches(r)
			if neg {
				m = triNot(m)
			}
			out = triAnd(out, m)
		}
		return out
	}
	// Without a qualifier a key with several values matches when any does;
	// a negated operator holds when none does, and so when the key is
	// absent.
	out := refNo
	for _, r := range values {
		out = triOr(out, matches(r))
	}
	if neg {
		return triNot(out)
	}
	return out
}

// refStatement decides whether a statement applies to the request: the
// action, the resource and every condition (AND).
func refStatement(st *policy.Statement, vars bool, r *refRequest, c refContext) refTri {
	action := false
	for _, p := range st.Action {
		action = action || refAction(p.String(), r.action)
	}
	for _, p := range st.NotAction {
		action = action || refAction(p.String(), r.action)
	}
	if action == (st.NotAction != nil) {
		return refNo
	}
	res := false
	for _, p := range append(st.Resource, st.NotResource...) {
		elems, ok := refTemplate(p.String(), vars, true, c)
		res = res || (ok && refGlob(elems, r.resource()))
	}
	if res == (st.NotResource != nil) {
		return refNo
	}
	out := refYes
	for i := range st.Conditions {
		out = triAnd(out, refCondition(&st.Conditions[i], vars, c))
	}
	return out
}

// refResult is a decision; err marks a failed evaluation, which denies
// implicitly.
type refResult struct {
	d   evaluate.Decision
	err bool
}

func (r refResult) String() string {
	if r.err {
		return "error (implicit-deny)"
	}
	return r.d.String()
}

// refDecide is IAM's decision for one identity policy ("Policy evaluation
// logic": an explicit deny overrides any allow; without an allow the request
// is implicitly denied), with the S3 rules of this world for ACLs and
// objects of other accounts (the file comment). A Deny statement that cannot
// be decided leaves the request undecidable unless another Deny applies;
// an Allow statement that cannot be decided counts as not matching, and
// leaves the request undecidable when it is then denied and no other Allow
// of its policy matched.
func refDecide(p *policy.Policy, r *refRequest) refResult {
	return refDecideWorld(p, nil, r, r.context()).refResult
}

// refOutcome is a reference decision and the rule that took it.
type refOutcome struct {
	refResult
	rule string
	// byEmail: an ACL grant by e-mail gave the caller what it needed.
	byEmail bool
}

// refDecideWorld decides r under identity policy p and, for a federated
// caller, session policy session (nil for none).
func refDecideWorld(p, session *policy.Policy, r *refRequest, c refContext) refOutcome {
	deny, allow := refNo, refNo
	read := func(p *policy.Policy, allow *refTri) {
		vars := p.Version == policy.Version2012
		for i := range p.Statements {
			st := &p.Statements[i]
			m := refStatement(st, vars, r, c)
			if st.Effect == policy.Deny {
				deny = triOr(deny, m)
			} else {
				*allow = triOr(*allow, m)
			}
		}
	}
	read(p, &allow)
	// A federated user's permissions are those its identity policy and
	// its session policy both allow; without a session policy it has none.
	sessionAllow := refYes
	if r.fed != "" {
		sessionAllow = refNo
		if session != nil {
			read(session, &sessionAllow)
		}
	}
	switch deny {
	case refYes:
		return refOutcome{refResult: refResult{d: evaluate.ExplicitDeny}, rule: "explicit deny"}
	case refErr:
		return refOutcome{refResult: refResult{err: true}, rule: "deny not evaluable"}
	}
	identity := allow == refYes && sessionAllow == refYes
	failed := allow == refErr || sessionAllow == refErr
	decide := func(allowed bool, rule string) refOutcome {
		o := refOutcome{rule: rule}
		switch {
		case allowed:
			o.d = evaluate.Allow
		case failed:
			o.err = true
		default:
			o.d = evaluate.ImplicitDeny
		}
		return o
	}
	if r.bucket == "" {
		return decide(identity, "identity")
	}
	// The owning account, and its ACL for the request.
	object := r.key != ""
	bucketWrite := object && slices.Contains([]string{"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"}, r.action)
	owning, kind, stored := acctA, acl.Bucket, r.bucketACL
	if object && !bucketWrite {
		owning, kind, stored = r.owner(), acl.Object, r.objectACL
	}
	var acls refACLResult
	if !r.enforced {
		if stored == nil {
			stored = refDefaultACL(refCanonical(owning))
		}
		acls = refACL(stored, kind, owning, r.action, refACLCaller{account: acctA})
	}
	if owning == acctA {
		if !identity && acls.level == bktSelf {
			return decide(true, "an ACL names the caller")
		}
		return decide(identity, "identity")
	}
	if identity && slices.Contains([]string{"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:RestoreObject"}, r.action) {
		return decide(true, "bucket owner's power")
	}
	o := decide(identity && acls.level >= bktAccount, "another owner's object")
	o.byEmail = o.d == evaluate.Allow && acls.byEmail
	return o
}

// refAgree reports whether the library's outcome is the reference's: the same
// decision, and a failed evaluation exactly when the reference fails, then
// denied implicitly.
func refAgree(want refResult, d evaluate.Decision, diag evaluate.Diagnostic) bool {
	if want.err {
		return d == evaluate.ImplicitDeny && diag.Err != nil
	}
	return d == want.d && diag.Err == nil
}

// --- Generation of policies and requests ---

// genKind is the type of a condition key in the AWS documentation of the
// global and S3 condition keys.
type genKind uint8

const (
	kString genKind = iota
	kARN
	kNumeric
	kDate
	kDateNumeric // aws:EpochTime: date and numeric operators
	kBool
	kIP
	kUnknown // a key outside AWS's lists: read as a string, any operator
)

// genKey is a condition key the generator uses, with the values policies
// and requests give it.
type genKey struct {
	name    string
	kind    genKind
	multi   bool
	derived bool     // AWS sets it; what a request supplies is a decoy
	vals    []string // policy values for its own operators
	like    []string // extra policy values with wildcards (Like, Arn)
	req     []string // readable request values
	bad     []string // request values its operators cannot read
}

var (
	genIPBlocks = []string{"203.0.113.0/24", "203.0.113.7", "198.51.100.0/22", "2001:db8::/32", "2001:db8::1", "0.0.0.0/0", "203.0.113.7/24"}
	genNumbers  = []string{"0", "5", "10", "10.5", "-3", "1.2", "1.3", "100"}
	genDates    = []string{"2020", "2020-06", "2020-06-15", "2020-06-15T12:00:00Z", "2020-06-15T12:00+02:00", "2020-06-15T12:00:00.5Z", "1592222400", "2030-01-01T00:00:00Z"}
	genARNs     = []string{
		"arn:aws:sns:us-east-1:111111111111:topic", "arn:aws:s3:::bkt", "arn:aws:iam::111111111111:user/dave",
		"arn:aws:sns:us-east-1:${aws:PrincipalAccount}:topic", "arn:aws:iam::111111111111:user/${aws:username}",
	}
	genARNLikes = []string{
		"arn:aws:sns:*:111111111111:*", "arn:aws:s3:::b*", "arn:aws:*:*:*:*", "arn:aws:lambda:*:111111111111:function:*",
		"arn:aws:iam::*:user/d*", "arn:aws:sns:*:*:Topic", "arn:aws:sns:us-east-?:111111111111:t*", "arn:*:sns:*:*:topic",
		"arn:aws:iam::111111111111:user/*/${aws:username}",
	}
	genStrings = []string{"x", "home/", "a*b", "dave"}
)

var genKeys = []genKey{
	{name: "aws:SourceIp", kind: kIP, vals: genIPBlocks,
		req: []string{"203.0.113.7", "203.0.113.8", "198.51.101.5", "198.51.104.1", "2001:db8::1", "2001:db8:1::5", "::ffff:203.0.113.9", "10.0.0.1"},
		bad: []string{"example.com", ""}},
	{name: "s3:prefix", kind: kString,
		vals: []string{"", "home/", "home/dave/", "dave", "a*b", "Home/Dave/", "é", "${aws:username}", "home/${aws:username}/", "${aws:PrincipalTag/team, 'none'}", "${s3:delimiter}", "a${*}b", "${aws:CurrentTime}"},
		like: []string{"home/*", "home/${aws:username}/*", "*", "?", "a*b", "a?b", "public/*", "*/", "home/${s3:delimiter}*", "a${?}b", "?é*"},
		req:  []string{"", "home/", "home/dave/", "home/dave/x", "home/alice/", "public/", "Home/Dave/", "a*b", "a?b", "axb", "dave", "é", "É", "none", "éa"}},
	{name: "s3:delimiter", kind: kString, vals: []string{"/", "-"}, like: []string{"*", "?"}, req: []string{"/", "-", "*"}},
	{name: "s3:max-keys", kind: kNumeric, vals: genNumbers,
		req: []string{"5", "10", "10.0", "9.99", "11", "-3", "1.2", "1.20", "007", "100"}, bad: []string{"ten", "", "0x10"}},
	{name: "s3:TlsVersion", kind: kNumeric, vals: []string{"1.2", "1.3", "1.0"}, req: []string{"1.2", "1.20", "1.3", "1.1"}, bad: []string{"TLSv1.2"}},
	{name: "aws:SecureTransport", kind: kBool, vals: []string{"true", "false", "${aws:PrincipalTag/team, 'true'}"}, req: []string{"true", "false"}, bad: []string{"yes"}},
	{name: "aws:MultiFactorAuthPresent", kind: kBool, vals: []string{"true", "false"}, req: []string{"true", "false"}, bad: []string{"1"}},
	{name: "aws:TagKeys", kind: kString, multi: true, vals: []string{"a", "b", "team", "Team"}, like: []string{"t*", "?", "*"},
		req: []string{"a", "b", "c", "team", "Team", "tx"}},
	// S3 puts aws:TagKeys in the context of the tagging and create actions
	// only; the tag keys of a PutObject or PutObjectTagging request are
	// s3:RequestObjectTagKeys.
	{name: "s3:RequestObjectTagKeys", kind: kString, multi: true, vals: []string{"a", "b", "team", "Team"}, like: []string{"t*", "?", "*"},
		req: []string{"a", "b", "c", "team", "Team", "tx"}},
	{name: "aws:SourceArn", kind: kARN, vals: genARNs, like: genARNLikes,
		req: []string{"arn:aws:sns:us-east-1:111111111111:topic", "arn:aws:sns:eu-west-1:111111111111:Topic", "arn:aws:s3:::bkt",
			"arn:aws:lambda:us-east-1:111111111111:function:f:1", "arn:aws:sns:us-east-1:222222222222:topic", "not-an-arn", "arn:aws:sns",
			"arn:aws:sns:us-east-1:111111111111:a:b", "arn:aws-cn:sns:cn-north-1:111111111111:topic"}},
	{name: "aws:PrincipalArn", kind: kARN, derived: true, vals: genARNs, like: genARNLikes, req: []string{"arn:aws:iam::111111111111:user/mallory"}},
	{name: "aws:TokenIssueTime", kind: kDate, vals: genDates,
		req: []string{"2020-06-15T12:00:00Z", "2020-06-15T10:00:00Z", "2020-06-15T09:59:59Z", "2019-12-31T23:59:59Z", "2020-01-01T00:00:00Z",
			"2021-01-01T00:00:00Z", "2020-06-15", "1592222400", "2020-06-15T12:00:00.5Z"},
		bad: []string{"yesterday", ""}},
	{name: "aws:CurrentTime", kind: kDate, derived: true, vals: genDates, req: []string{"2020-06-15T12:00:00Z"}},
	{name: "aws:EpochTime", kind: kDateNumeric, derived: true, vals: genDates, req: []string{"1592222400"}},
	{name: "aws:username", kind: kString, derived: true, vals: []string{"dave", "Dave", "alice", "${aws:PrincipalTag/team, 'dave'}"},
		like: []string{"d*", "*", "?lice"}, req: []string{"mallory"}},
	{name: "aws:PrincipalAccount", kind: kString, derived: true, vals: []string{acctA, acctB}, like: []string{"1111*"}, req: []string{acctB}},
	{name: "s3:ResourceAccount", kind: kString, derived: true, vals: []string{acctA, acctB}, like: []string{"1111*", "2222*"}, req: []string{acctB}},
	{name: "aws:ResourceAccount", kind: kString, derived: true, vals: []string{acctA, acctB}, like: []string{"1111*"}, req: []string{acctB}},
	{name: "aws:PrincipalTag/team", kind: kString, derived: true, vals: []string{"red", "RED", "blue", "${aws:username}"}, like: []string{"r*"}, req: []string{"red"}},
	{name: "test:bin", kind: kUnknown,
		vals: []string{"QmluYXJ5VmFsdWU=", "YWJj", "AP8="}, // base64 of "BinaryValue", "abc", "\x00\xff"
		req:  []string{"BinaryValue", "abc", "\x00\xff", "QmluYXJ5VmFsdWU="}},
}

var (
	genStringOps  = []string{"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"}
	genNumericOps = []string{"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"}
	genDateOps    = []string{"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"}
	genIPOps      = []string{"IpAddress", "NotIpAddress"}
	genARNOps     = []string{"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}

	genActions = []string{
		"*", "s3:*", "s3:Get*", "s3:get*", "S3:GETOBJECT", "s3:GetObject", "s3:*Object", "s3:List*", "s3:?etObject", "s3:PutObject*",
		"s3:*Bucket*", "ec2:*", "s3:Get?ucket*", "iam:GetUser", "s3:ListAllMyBuckets", "s3:DeleteObject", "s3:*Policy", "s3:ListBucket",
	}
	genResources = []string{
		"*", "arn:aws:s3:::*", "arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*", "arn:aws:s3:::bkt*", "arn:aws:s3:::bk?", "arn:aws:s3:::bkt/k",
		"arn:aws:s3:::bkt/home/*", "arn:aws:s3:::bkt/home/${aws:username}/*", "arn:aws:s3:::bkt/${aws:username}*", "arn:aws:s3:::*/home/*",
		"arn:aws:s3:::bkt/a${*}b", "arn:aws:s3:::bkt/${s3:prefix}", "arn:aws:s3:::bkt/${s3:prefix, 'k'}", "arn:aws:s3:::logs-*",
		"arn:aws-cn:s3:::bkt/*", "arn:aws:s3:::bkt/*/x", "arn:aws:s3:::?kt/?", "arn:*:s3:::bkt/*", "arn:aws:s3:::BKT/*",
		"arn:aws:s3:::logs-2024/${aws:PrincipalTag/team}/*", "arn:aws:sns:*:*:*", "arn:aws:s3:us-east-1::bkt/*", "arn:aws:s3:::bkt/",
	}

	genObjectActions = []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging", "s3:AbortMultipartUpload"}
	genBucketActions = []string{"s3:ListBucket", "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:GetBucketTagging", "s3:ListBucketVersions"}
	genObjectKeys    = []string{"k", "home/dave/x", "home/alice/y", "dave/x", "davexyz", "a*b", "axb", "${aws:username}/x", "home/", "public/p", "x/x", "red/r", "é/x"}
)

func genPick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

func genJSONString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// genList writes one to three picks as a JSON string or array.
func genList(rng *rand.Rand, pool []string, max int) string {
	n := 1 + rng.IntN(max)
	if n == 1 && rng.IntN(2) == 0 {
		return genJSONString(genPick(rng, pool))
	}
	var items []string
	for range n {
		items = append(items, genJSONString(genPick(rng, pool)))
	}
	return "[" + strings.Join(items, ",") + "]"
}

// genPolicyValue is one policy value of operator family fam for key k, as
// JSON: numbers and booleans are sometimes written as JSON numbers and
// booleans.
func genPolicyValue(rng *rand.Rand, k *genKey, fam string) string {
	switch fam {
	case "String":
		switch k.kind {
		case kARN:
			return genJSONString(genPick(rng, slices.Concat(k.vals, k.like)))
		case kUnknown:
			return genJSONString(genPick(rng, k.req))
		}
		return genJSONString(genPick(rng, k.vals))
	case "Like":
		return genJSONString(genPick(rng, slices.Concat(k.vals, k.like)))
	case "Numeric":
		pool := genNumbers
		if k.kind == kNumeric {
			pool = k.vals
		}
		if k.kind == kDateNumeric {
			pool = []string{"1592222400", "1600000000", "1500000000"}
		}
		v := genPick(rng, pool)
		if rng.IntN(3) == 0 {
			return v
		}
		return genJSONString(v)
	case "Date":
		return genJSONString(genPick(rng, genDates))
	case "Bool":
		v := genPick(rng, []string{"true", "false"})
		if rng.IntN(2) == 0 {
			return v
		}
		return genJSONString(v)
	case "Binary":
		return genJSONString(genPick(rng, k.vals))
	case "IP":
		return genJSONString(genPick(rng, genIPBlocks))
	case "Arn":
		return genJSONString(genPick(rng, slices.Concat(genARNs, genARNLikes)))
	case "Null":
		return genPick(rng, []string{`"true"`, `"false"`, `true`, `false`})
	}
	panic(fam)
}

var genFamilyOps = map[string][]string{
	"String":  {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"},
	"Like":    {"StringLike", "StringNotLike"},
	"Numeric": genNumericOps, "Date": genDateOps, "Bool": {"Bool"}, "Binary": {"BinaryEquals"},
	"IP": genIPOps, "Arn": genARNOps, "Null": {"Null"},
}

// genFamily picks an operator family for k: one its type takes or, when
// invalid is set, one its type clearly refuses (IpAddress on a string key).
func genFamily(rng *rand.Rand, k *genKey, invalid bool) string {
	if invalid {
		switch k.kind {
		case kString:
			return genPick(rng, []string{"IP", "Numeric", "Date", "Arn"})
		case kNumeric:
			return genPick(rng, []string{"IP", "Arn", "Date"})
		case kIP:
			return genPick(rng, []string{"Numeric", "String", "Like", "Date", "Arn"})
		case kDate:
			return genPick(rng, []string{"IP", "Numeric", "Arn"})
		}
		return ""
	}
	if rng.IntN(12) == 0 {
		return "Null"
	}
	switch k.kind {
	case kString:
		return genPick(rng, []string{"String", "Like"})
	case kARN:
		return genPick(rng, []string{"Arn", "Arn", "String", "Like"})
	case kNumeric:
		return "Numeric"
	case kDate:
		return "Date"
	case kDateNumeric:
		return genPick(rng, []string{"Date", "Numeric"})
	case kBool:
		return "Bool"
	case kIP:
		return "IP"
	}
	return genPick(rng, []string{"Binary", "Binary", "String", "Like"})
}

// genCondition is one condition: the full operator name, the key as
// written (case varies) and the JSON of its values.
type genCondition struct{ op, key, values string }

func genConditionFor(rng *rand.Rand, invalid bool) (genCondition, bool) {
	k := &genKeys[rng.IntN(len(genKeys))]
	fam := genFamily(rng, k, invalid)
	if fam == "" {
		return genCondition{}, false
	}
	op := genPick(rng, genFamilyOps[fam])
	name := k.name
	switch rng.IntN(10) {
	case 0:
		name = strings.ToUpper(name)
	case 1:
		name = strings.ToLower(name)
	}
	if op != "Null" {
		if rng.IntN(4) == 0 {
			op += "IfExists"
		}
		qualify := 12
		if k.multi {
			qualify = 2
		}
		if rng.IntN(qualify) == 0 {
			op = genPick(rng, []string{"ForAnyValue:", "ForAllValues:"}) + op
		}
	}
	n := 1 + rng.IntN(3)
	if fam == "Null" {
		n = 1 + rng.IntN(2)
	}
	values := genPolicyValue(rng, k, fam)
	if n > 1 || rng.IntN(3) == 0 {
		items := []string{values}
		for range n - 1 {
			items = append(items, genPolicyValue(rng, k, fam))
		}
		values = "[" + strings.Join(items, ",") + "]"
	}
	return genCondition{op: op, key: name, values: values}, true
}

// genPolicy returns a random identity policy and whether it holds a
// condition Prepare must refuse (one in invalidRate conditions, none for 0).
func genPolicy(rng *rand.Rand, invalidRate int) (string, bool) {
	return genDocument(rng, func(sp *genSpec) {
		sp.actions, sp.resources, sp.invalidRate = genActions, genResources, invalidRate
	})
}

// genDocument returns a random policy of one to four statements, each
// drawn by genStatement after fill completes its spec (fill may draw from
// rng too), and whether a condition is one Prepare must refuse.
func genDocument(rng *rand.Rand, fill func(*genSpec)) (string, bool) {
	invalid := false
	version := `"Version":"2012-10-17",`
	switch rng.IntN(12) {
	case 0:
		version = `"Version":"2008-10-17",`
	case 1:
		version = ""
	}
	var stmts []string
	for si := range 1 + rng.IntN(4) {
		sp := genSpec{effect: "Allow"}
		if rng.IntN(3) == 0 {
			sp.effect = "Deny"
		}
		if rng.IntN(2) == 0 {
			sp.sid = fmt.Sprintf("S%d", si)
		}
		fill(&sp)
		st, bad := genStatement(rng, sp)
		invalid = invalid || bad
		stmts = append(stmts, st)
	}
	return "{" + version + `"Statement":[` + strings.Join(stmts, ",") + "]}", invalid
}

// genSpec says what genStatement draws from.
type genSpec struct {
	sid, effect string
	principal   string // the Principal or NotPrincipal member, "" for none
	actions     []string
	resources   []string
	invalidRate int
}

// genStatement returns one statement: Action or NotAction, Resource or
// NotResource, and two times in three a Condition block of one to four
// conditions; and whether a condition is one Prepare must refuse.
func genStatement(rng *rand.Rand, sp genSpec) (string, bool) {
	invalid := false
	var b strings.Builder
	b.WriteString("{")
	if sp.sid != "" {
		fmt.Fprintf(&b, `"Sid":%q,`, sp.sid)
	}
	fmt.Fprintf(&b, `"Effect":%q,`, sp.effect)
	if sp.principal != "" {
		b.WriteString(sp.principal + ",")
	}
	elem := "Action"
	if rng.IntN(5) == 0 {
		elem = "NotAction"
	}
	fmt.Fprintf(&b, `%q:%s,`, elem, genList(rng, sp.actions, 3))
	elem = "Resource"
	if rng.IntN(7) == 0 {
		elem = "NotResource"
	}
	fmt.Fprintf(&b, `%q:%s`, elem, genList(rng, sp.resources, 3))
	if rng.IntN(3) != 0 {
		blocks := map[string][]string{}
		var order []string
		seen := map[string]bool{}
		for range 1 + rng.IntN(4) {
			bad := sp.invalidRate > 0 && rng.IntN(sp.invalidRate) == 0
			c, ok := genConditionFor(rng, bad)
			if !ok || seen[c.op+" "+strings.ToLower(c.key)] {
				continue
			}
			seen[c.op+" "+strings.ToLower(c.key)] = true
			invalid = invalid || bad
			if _, ok := blocks[c.op]; !ok {
				order = append(order, c.op)
			}
			blocks[c.op] = append(blocks[c.op], genJSONString(c.key)+":"+c.values)
		}
		if len(order) > 0 {
			b.WriteString(`,"Condition":{`)
			for i, op := range order {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "%q:{%s}", op, strings.Join(blocks[op], ","))
			}
			b.WriteString("}")
		}
	}
	b.WriteString("}")
	return b.String(), invalid
}

// genRequest returns a random request of an IAM user of account A; with bad
// set, a typed key may carry a value its operators cannot read.
func genRequest(rng *rand.Rand, bad bool) *refRequest {
	r := &refRequest{user: genPick(rng, []string{"dave", "dave", "alice", "div/dave"}), enforced: rng.IntN(2) == 0}
	switch n := rng.IntN(12); {
	case n < 6:
		r.action, r.bucket, r.key = genPick(rng, genObjectActions), genPick(rng, []string{"bkt", "bkt", "logs-2024"}), genPick(rng, genObjectKeys)
	case n < 11:
		r.action, r.bucket = genPick(rng, genBucketActions), genPick(rng, []string{"bkt", "bkt", "logs-2024"})
	default:
		r.action = "s3:ListAllMyBuckets"
	}
	for i := range genKeys {
		k := &genKeys[i]
		if rng.IntN(9) >= 5 || len(k.req) == 0 {
			continue
		}
		var values []string
		switch {
		case k.multi:
			for range rng.IntN(4) {
				values = append(values, genPick(rng, k.req))
			}
		case bad && len(k.bad) > 0 && rng.IntN(5) == 0:
			values = []string{genPick(rng, k.bad)}
		case rng.IntN(10) == 0:
			values = []string{genPick(rng, k.req), genPick(rng, k.req)}
		default:
			values = []string{genPick(rng, k.req)}
		}
		name := k.name
		if rng.IntN(8) == 0 {
			name = strings.ToUpper(name)
		}
		r.keys = append(r.keys, refKey{name: name, values: values})
	}
	if rng.IntN(2) == 0 {
		r.time = genPick(rng, []time.Time{
			time.Date(2020, 6, 15, 10, 0, 0, 0, time.UTC), time.Date(2020, 6, 15, 12, 0, 0, 0, time.UTC),
			time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2020, 6, 15, 12, 0, 0, 0, time.FixedZone("", 2*3600)),
		})
	}
	if rng.IntN(2) == 0 {
		r.tags = []ownership.Tag{{Key: genPick(rng, []string{"team", "Team"}), Value: genPick(rng, []string{"red", "Red", "blue", "dave"})}}
	}
	return r
}

// genIdentityWorld completes a request of genRequest for the identity
// world: one time in three the caller is a federated user; under
// ObjectWriter the object belongs to A or another account and the ACLs are
// random (an object of another account is often shared with A by e-mail);
// one time in four the action is one an ACL permission grants.
func genIdentityWorld(rng *rand.Rand, r *refRequest) {
	if rng.IntN(3) == 0 {
		r.fed = genPick(rng, []string{"fed", "dave"})
	}
	r.objOwner = genPick(rng, []string{acctA, acctA, acctB, acctC})
	if !r.enforced && r.bucket != "" {
		r.bucketACL, r.objectACL = genACL(rng, acctA), genACL(rng, r.objOwner)
		if r.objOwner != acctA && r.objectACL != nil && rng.IntN(3) == 0 {
			// The other owner shares with the caller's account, by e-mail.
			r.objectACL.Grants = append(r.objectACL.Grants, acl.Grant{
				Grantee:    acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: genPick(rng, []string{emailA, strings.ToUpper(emailA)})},
				Permission: genPick(rng, []acl.Permission{acl.Read, acl.FullControl, acl.ReadACP}),
			})
		}
	}
	if rng.IntN(4) == 0 && r.bucket != "" {
		if r.key != "" {
			r.action = genPick(rng, []string{"s3:GetObjectAcl", "s3:GetObjectVersion", "s3:RestoreObject", "s3:DeleteObjectVersion", "s3:GetObject"})
		} else {
			r.action = genPick(rng, []string{"s3:GetBucketAcl", "s3:ListBucketMultipartUploads", "s3:ListBucket"})
		}
	}
}

// refWorldStats counts what the identity world's comparison reached.
type refWorldStats struct {
	rules map[string]map[string]int // by deciding rule, then outcome
	// federated users: allowed; allowed by identity but refused for want
	// of a session policy; refused by their session policy
	fedAllowed, fedNoSession, fedSessionRefused int
	// ACL grants by e-mail that gave an object of another account;
	// BucketOwnerEnforced decisions on a record of another account
	emailAllowed, enforcedForeign int
}

func (s *refWorldStats) add(p, session *policy.Policy, r *refRequest, c refContext, want refOutcome) {
	out := want.String()
	if s.rules[want.rule] == nil {
		s.rules[want.rule] = map[string]int{}
	}
	s.rules[want.rule][out]++
	if want.byEmail {
		s.emailAllowed++
	}
	if r.enforced && r.key != "" && r.objOwner != acctA {
		s.enforcedForeign++
	}
	if r.fed == "" || want.d == evaluate.ExplicitDeny || want.err {
		return
	}
	if want.d == evaluate.Allow {
		s.fedAllowed++
		return
	}
	// Would the identity policy alone have allowed it?
	alone := *r
	alone.fed, alone.user = "", "dave"
	if refDecideWorld(p, nil, &alone, c).d != evaluate.Allow {
		return
	}
	if session == nil {
		s.fedNoSession++
	} else {
		s.fedSessionRefused++
	}
}

// TestReferenceIdentityPolicies compares Evaluate with the reference on
// random identity policies, session policies, ACLs and requests: policies of
// one to four statements of both effects, Action or NotAction, Resource or
// NotResource with wildcards and policy variables, and condition blocks of
// every operator family with IfExists and the set qualifiers, over keys
// present, absent, multivalued, derived from the request, and now and then
// unreadable; asked by an IAM user or a federated user (with a random
// session policy, or none), on objects of the caller's account or of
// others, under random bucket and object ACLs.
func TestReferenceIdentityPolicies(t *testing.T) {
	policies, requests := 2500, 8
	if testing.Short() || raceEnabled {
		policies = 600
	}
	rng := rand.New(rand.NewPCG(20240615, 1))
	dir := directory(t)
	var generated, refused, valid, compared, failures int
	outcomes := map[evaluate.Decision]int{}
	var errs int
	cov := newRefCoverage()
	stats := &refWorldStats{rules: map[string]map[string]int{}}
	for range policies {
		doc, invalid := genPolicy(rng, 25)
		generated++
		p, err := policy.Parse(policy.Identity, []byte(doc))
		if invalid {
			require.ErrorIs(t, err, policy.ErrInvalidCondition, "Parse must refuse an operator the key's type does not take: %s", doc)
			refused++
			continue
		}
		require.NoError(t, err, "the generator writes valid documents: %s", doc)
		pp, err := evaluate.Prepare(p)
		require.NoError(t, err, doc)
		valid++
		// The session policy of the federated requests, one time in three
		// none.
		var session *policy.Policy
		var spp *evaluate.Prepared
		sdoc := "(none)"
		if rng.IntN(3) != 0 {
			sdoc, _ = genPolicy(rng, 0)
			session, err = policy.Parse(policy.Identity, []byte(sdoc))
			require.NoError(t, err, sdoc)
			spp, err = evaluate.Prepare(session)
			require.NoError(t, err, sdoc)
		}
		for range requests {
			r := genRequest(rng, true)
			genIdentityWorld(rng, r)
			c := r.context()
			want := refDecideWorld(p, session, r, c)
			cov.add(p, c)
			cov.supplied(r, c)
			stats.add(p, session, r, c, want)
			req, ec := r.evaluationWith(dir, pp, spp)
			d, diag := evaluate.Evaluate(req, ec)
			compared++
			if want.err {
				errs++
			} else {
				outcomes[want.d]++
			}
			if refAgree(want.refResult, d, diag) {
				continue
			}
			failures++
			if failures <= 10 {
				if r.fed == "" {
					sdoc = "(not used)"
				}
				t.Errorf("disagreement\npolicy:  %s\nsession: %s\nrequest: %s\nwant:    %s (%s)\ngot:     %s (%+v, err %v)", doc, sdoc, r, want, want.rule, d, diag.Reason, diag.Err)
			}
		}
	}
	t.Logf("%d policies generated, %d refused by Prepare as intended, %d valid; %d evaluations compared: %d allow, %d explicit deny, %d implicit deny, %d errors",
		generated, refused, valid, compared, outcomes[evaluate.Allow], outcomes[evaluate.ExplicitDeny], outcomes[evaluate.ImplicitDeny], errs)
	t.Logf("federated users: %d allowed, %d refused for want of a session policy, %d refused by it; %d objects of other accounts granted by e-mail; %d BucketOwnerEnforced requests on records of other accounts",
		stats.fedAllowed, stats.fedNoSession, stats.fedSessionRefused, stats.emailAllowed, stats.enforcedForeign)
	for _, rule := range slices.Sorted(maps.Keys(stats.rules)) {
		t.Logf("%-24s %v", rule, stats.rules[rule])
	}
	assert.Zero(t, failures, "disagreements with the reference")
	assert.Greater(t, valid, generated*8/10, "most generated policies are valid")
	for _, d := range []evaluate.Decision{evaluate.Allow, evaluate.ExplicitDeny, evaluate.ImplicitDeny} {
		assert.Greater(t, outcomes[d], compared/20, "the generator reaches %s often", d)
	}
	assert.Greater(t, errs, compared/200, "the generator reaches unreadable request values")
	cov.check(t)
	assert.Positive(t, stats.fedAllowed, "federated users are allowed at times")
	assert.Positive(t, stats.fedNoSession, "a federated user without a session policy has no permissions")
	assert.Positive(t, stats.fedSessionRefused, "a session policy limits a federated user")
	assert.Positive(t, stats.emailAllowed, "an ACL grant by e-mail gives an object of another account")
	assert.Positive(t, stats.enforcedForeign, "BucketOwnerEnforced meets records of other accounts")
	allow, implicit := evaluate.Allow.String(), evaluate.ImplicitDeny.String()
	for _, rule := range []string{"identity", "another owner's object"} {
		assert.Positive(t, stats.rules[rule][allow], "%s allows at times", rule)
		assert.Positive(t, stats.rules[rule][implicit], "%s denies at times", rule)
	}
	assert.Positive(t, stats.rules["an ACL names the caller"][allow], "an ACL group grant allows without an identity allow")
	assert.Positive(t, stats.rules["bucket owner's power"][allow], "the bucket owner's power is used")
}

// refCoverage counts how conditions come out in the reference, to check
// that the generator makes every operator both hold and fail.
type refCoverage struct {
	ops   map[policy.Operator]*[3]int // by outcome: refNo, refYes, refErr
	forms map[string]*[3]int          // ForAnyValue, ForAllValues, IfExists
	// perAction counts, for each supplied key whose presence depends on
	// the action, the requests whose context kept it ([1]) and dropped it
	// ([0]).
	perAction map[string]*[2]int
}

func newRefCoverage() *refCoverage {
	return &refCoverage{ops: map[policy.Operator]*[3]int{}, forms: map[string]*[3]int{}, perAction: map[string]*[2]int{}}
}

// supplied counts what the request context made of the keys r supplied.
func (cv *refCoverage) supplied(r *refRequest, c refContext) {
	for _, k := range r.keys {
		lower := strings.ToLower(k.name)
		if refDerived(lower) || (!strings.HasPrefix(lower, "s3:") && refInContext("s3:ListAllMyBuckets", lower)) {
			continue // in every context
		}
		if cv.perAction[lower] == nil {
			cv.perAction[lower] = &[2]int{}
		}
		_, kept := c[lower]
		if kept {
			cv.perAction[lower][1]++
		} else {
			cv.perAction[lower][0]++
		}
	}
}

func (cv *refCoverage) add(p *policy.Policy, c refContext) {
	count := func(m map[string]*[3]int, k string, out refTri) {
		if m[k] == nil {
			m[k] = &[3]int{}
		}
		m[k][out]++
	}
	for i := range p.Statements {
		for j := range p.Statements[i].Conditions {
			cd := &p.Statements[i].Conditions[j]
			out := refCondition(cd, p.Version == policy.Version2012, c)
			if cv.ops[cd.Operator] == nil {
				cv.ops[cd.Operator] = &[3]int{}
			}
			cv.ops[cd.Operator][out]++
			if cd.Set != policy.SetNone {
				count(cv.forms, cd.Set.String(), out)
			}
			if cd.IfExists {
				count(cv.forms, "IfExists", out)
			}
		}
	}
}

func (cv *refCoverage) check(t *testing.T) {
	t.Helper()
	// The keys the Service Authorization Reference gives action by action
	// are supplied with actions that have them and with actions that do
	// not.
	for _, k := range []string{"s3:prefix", "s3:delimiter", "s3:max-keys", "s3:requestobjecttagkeys"} {
		n := cv.perAction[k]
		if assert.NotNil(t, n, "%s is supplied", k) {
			assert.Positive(t, n[1], "%s is in the context at times", k)
			assert.Positive(t, n[0], "%s is dropped from the context at times", k)
		}
	}
	if n := cv.perAction["aws:tagkeys"]; assert.NotNil(t, n, "aws:TagKeys is supplied") {
		assert.Positive(t, n[0], "aws:TagKeys is dropped from the context at times")
	}
	for op := policy.StringEquals; op <= policy.Null; op++ {
		n := cv.ops[op]
		if !assert.NotNil(t, n, "%s is generated", op) {
			continue
		}
		assert.Positive(t, n[refYes], "%s holds at times", op)
		assert.Positive(t, n[refNo], "%s fails at times", op)
		switch op.String()[:3] {
		case "Num", "Dat", "Boo", "IpA", "Not":
			assert.Positive(t, n[refErr], "%s meets unreadable values", op)
		}
	}
	for _, f := range []string{"ForAnyValue", "ForAllValues", "IfExists"} {
		n := cv.forms[f]
		if assert.NotNil(t, n, "%s is generated", f) {
			assert.Positive(t, n[refYes], "%s holds at times", f)
			assert.Positive(t, n[refNo], "%s fails at times", f)
		}
	}
}

// TestReferenceCases pins cases the random comparison found or relies on:
// the reference's answer, then the library's. Each row names the AWS
// documentation whose rule it checks.
func TestReferenceCases(t *testing.T) {
	doc := func(stmts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	allowAllStmt := `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`
	get := func(key string, keys ...refKey) *refRequest {
		return &refRequest{user: "dave", action: "s3:GetObject", bucket: "bkt", key: key, keys: keys}
	}
	at := func(r *refRequest, when time.Time) *refRequest { r.time = when; return r }
	maxKeys := func(v ...string) refKey { return refKey{name: "s3:signatureAge", values: v} }
	prefix := func(v ...string) refKey { return refKey{name: "aws:UserAgent", values: v} }
	// A block of 33 conditions, compiled in two parts: the first holds but
	// meets an unreadable value, the last one fails.
	var nulls []string
	for i := range 31 {
		nulls = append(nulls, fmt.Sprintf(`"test:k%d":"true"`, i))
	}
	split := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"s3:signatureAge":"10"},"Null":{` +
		strings.Join(nulls, ",") + `},"StringEquals":{"aws:UserAgent":"x"}}}`
	putOnly := `{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}`
	fed := func(r *refRequest) *refRequest { r.fed, r.user = "fed", ""; return r }
	enforced := func(r *refRequest) *refRequest { r.enforced = true; return r }
	// withObjectACL makes the object owner's; grants after its own
	// FULL_CONTROL.
	withObjectACL := func(r *refRequest, owner string, grants ...acl.Grant) *refRequest {
		r.objOwner = owner
		r.objectACL = &acl.ACL{Owner: acl.User{ID: refCanonical(owner)}, Grants: append([]acl.Grant{
			{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: refCanonical(owner)}, Permission: acl.FullControl}}, grants...)}
		return r
	}
	readTo := func(id acl.CanonicalID) acl.Grant {
		return acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: id}, Permission: acl.Read}
	}
	readByEmail := func(address string) acl.Grant {
		return acl.Grant{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: address}, Permission: acl.Read}
	}
	allUsersRead := acl.Grant{Grantee: acl.Grantee{Type: acl.Group, URI: acl.AllUsers}, Permission: acl.Read}

	tests := []struct {
		name   string
		aws    string // the AWS documentation the row relies on
		policy string
		req    *refRequest
		want   refResult
	}{
		{"escape in StringEquals is a literal star", "IAM policy variables: special characters",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:UserAgent":"a${*}b"}}}`),
			get("k", prefix("a*b")), refResult{d: evaluate.Allow}},
		{"escape in StringEqualsIgnoreCase is a literal star", "IAM policy variables: special characters",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"aws:UserAgent":"a${*}b"}}}`),
			get("k", prefix("A*B")), refResult{d: evaluate.Allow}},
		{"variable in Resource", "IAM policy variables",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/home/${aws:username}/*"}`),
			get("home/dave/x"), refResult{d: evaluate.Allow}},
		{"variable value is literal in Resource", "IAM policy variables",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/${s3:prefix}"}`),
			get("k", prefix("*")), refResult{d: evaluate.ImplicitDeny}},
		{"Version 2008-10-17 keeps variables literal", "IAM JSON policy elements: Version",
			`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/${aws:username}/*"}]}`,
			get("${aws:username}/x"), refResult{d: evaluate.Allow}},
		{"unresolved variable makes NotResource apply", "IAM policy variables",
			doc(`{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::bkt/${s3:prefix}"}`, allowAllStmt),
			get("k"), refResult{d: evaluate.ExplicitDeny}},
		{"s3:ListAllMyBuckets and arn:aws:s3:::*", "Actions, resources and condition keys for Amazon S3",
			doc(`{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::*"}`),
			&refRequest{user: "dave", action: "s3:ListAllMyBuckets"}, refResult{d: evaluate.Allow}},
		{"NotAction wildcard ignores case", "IAM JSON policy elements: NotAction",
			doc(`{"Effect":"Allow","NotAction":"S3:GET*","Resource":"*"}`),
			get("k"), refResult{d: evaluate.ImplicitDeny}},
		{"aws:username comes from the caller", "AWS global condition context keys",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:username":"mallory"}}}`),
			get("k", refKey{name: "aws:username", values: []string{"mallory"}}), refResult{d: evaluate.ImplicitDeny}},
		{"aws:CurrentTime comes from the request time", "AWS global condition context keys",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020"}}}`),
			at(get("k", refKey{name: "aws:CurrentTime", values: []string{"2021-01-01T00:00:00Z"}}), time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)),
			refResult{d: evaluate.ImplicitDeny}},
		{"aws:CurrentTime is present without a request time: the host's clock dates it", "AWS global condition context keys: aws:CurrentTime",
			doc(`{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}`, allowAllStmt),
			get("k"), refResult{d: evaluate.ExplicitDeny}},
		{"aws:EpochTime is present without a request time", "AWS global condition context keys: aws:EpochTime",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:EpochTime":"false"},"NumericGreaterThan":{"aws:EpochTime":"1500000000"}}}`),
			get("k"), refResult{d: evaluate.Allow}},
		{"IgnoreCase folds beyond ASCII", "IAM condition operators: string",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"aws:UserAgent":"é"}}}`),
			get("k", prefix("É")), refResult{d: evaluate.Allow}},
		{"'?' matches one character, not one byte", "IAM condition operators: string",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:UserAgent":"?a"}}}`),
			get("k", prefix("éa")), refResult{d: evaluate.Allow}},
		{"date with an offset is the same instant", "IAM condition operators: date",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateEquals":{"aws:TokenIssueTime":"2020-06-15T12:00+02:00"}}}`),
			get("k", refKey{name: "aws:TokenIssueTime", values: []string{"2020-06-15T10:00:00Z"}}), refResult{d: evaluate.Allow}},
		{"IPv4-mapped request address", "IAM condition operators: IP address",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`),
			get("k", refKey{name: "aws:SourceIp", values: []string{"::ffff:203.0.113.9"}}), refResult{d: evaluate.Allow}},
		{"unreadable value in a Deny fails closed", "IAM condition operators: numeric",
			doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:signatureAge":"10"}}}`, allowAllStmt),
			get("k", maxKeys("ten")), refResult{err: true}},
		{"a failing condition decides despite an unreadable value", "IAM condition element: evaluation logic",
			doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:signatureAge":"10"},"StringEquals":{"aws:UserAgent":"x"}}}`, allowAllStmt),
			get("k", maxKeys("ten")), refResult{d: evaluate.Allow}},
		// Neither the order of statements nor the order of a key's request
		// values changes a decision.
		{"unreadable value in an Allow before another Allow", "Policy evaluation logic",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"s3:signatureAge":"10"}}}`, allowAllStmt),
			get("k", maxKeys("ten")), refResult{d: evaluate.Allow}},
		{"unreadable value in a Deny before another Deny", "Policy evaluation logic",
			doc(`{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"s3:signatureAge":"10"}}}`,
				`{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}`, allowAllStmt),
			get("k", maxKeys("ten")), refResult{d: evaluate.ExplicitDeny}},
		{"unreadable request value before a matching one", "IAM multivalued context keys",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericEquals":{"s3:signatureAge":"5"}}}`),
			get("k", maxKeys("ten", "5")), refResult{d: evaluate.Allow}},
		// The conditions of a block are ANDed however many there are: one
		// that is false decides it.
		{"a block of more than 32 conditions", "IAM condition element: evaluation logic",
			doc(split), get("k", maxKeys("ten")), refResult{d: evaluate.ImplicitDeny}},
		// Federated users, ACLs and objects of other accounts.
		{"a federated user without a session policy has no permissions", "AWS STS API: GetFederationToken",
			doc(allowAllStmt), fed(get("k")), refResult{d: evaluate.ImplicitDeny}},
		{"an AllUsers grant names a federated user of the owning account", "Amazon S3: how Amazon S3 authorizes a request (user context)",
			doc(putOnly), fed(withObjectACL(get("k"), acctA, allUsersRead)), refResult{d: evaluate.Allow}},
		{"a grant to the caller's own account is a delegation", "Amazon S3: ACL overview; how Amazon S3 authorizes a request (user context)",
			doc(putOnly), withObjectACL(get("k"), acctA, readTo(canonA)), refResult{d: evaluate.ImplicitDeny}},
		{"an object of another account needs its owner's grant", "Amazon S3: how Amazon S3 authorizes a request for an object operation",
			doc(allowAllStmt), withObjectACL(get("k"), acctB), refResult{d: evaluate.ImplicitDeny}},
		{"an object of another account granted to the caller's account by e-mail", "Amazon S3: ACL overview (grantee by e-mail)",
			doc(allowAllStmt), withObjectACL(get("k"), acctB, readByEmail(emailA)), refResult{d: evaluate.Allow}},
		{"an object of another account granted to a third account by e-mail", "Amazon S3: ACL overview (grantee by e-mail)",
			doc(allowAllStmt), withObjectACL(get("k"), acctB, readByEmail(emailC)), refResult{d: evaluate.ImplicitDeny}},
		{"the owner's grant does not replace the caller's own account's allow", "Amazon S3: how Amazon S3 authorizes a request for an object operation",
			doc(putOnly), withObjectACL(get("k"), acctB, readTo(canonA)), refResult{d: evaluate.ImplicitDeny}},
		{"the bucket owner restores an object of another account", "Amazon S3: access control overview (bucket owner's powers)",
			doc(allowAllStmt), withObjectACL(&refRequest{user: "dave", action: "s3:RestoreObject", bucket: "bkt", key: "k"}, acctB), refResult{d: evaluate.Allow}},
		{"under BucketOwnerEnforced the bucket owner owns every object", "Amazon S3: controlling ownership of objects",
			doc(allowAllStmt), enforced(withObjectACL(get("k"), acctB)), refResult{d: evaluate.Allow}},
	}
	dir := directory(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEmpty(t, tc.aws, "each row cites the documentation it relies on")
			p, err := policy.Parse(policy.Identity, []byte(tc.policy))
			require.NoError(t, err)
			pp, err := evaluate.Prepare(p)
			require.NoError(t, err)
			require.Equal(t, tc.want, refDecide(p, tc.req), "the reference")
			req, ec := tc.req.evaluation(dir, pp)
			d, diag := evaluate.Evaluate(req, ec)
			assert.True(t, refAgree(tc.want, d, diag), "want %s, got %s (%+v, err %v)", tc.want, d, diag.Reason, diag.Err)
		})
	}
}
