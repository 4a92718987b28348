package analysis

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/internal/condval"
	"github.com/s3authz/s3authz/internal/globlang"
	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/policy"
)

// The request space of the diff (shared/spec/analysis.md §5.2) is a product
// of dimensions: the action, the resource, the principal (bucket policies),
// one dimension per condition key and family of operators, and one opaque
// Boolean dimension per construct the model does not interpret (a
// resource with a policy variable, a set operator, NotPrincipal, ...).
// A statement is a union of products; each product is a conjunction of
// literals, one list per dimension, and a literal is a base set of its
// dimension or the complement of one.

type dfDimKind uint8

const (
	dfAction dfDimKind = iota
	dfResource
	dfPrincipal
	dfStr  // String operators: literal and glob sets, plus absent
	dfARN  // Arn operators: component-wise globs, plus absent
	dfNum  // Numeric: intervals, plus absent
	dfDate // Date: intervals, plus absent
	dfIP   // IpAddress: intervals, plus absent
	dfBool // Bool: {true, false, absent}
	dfNull // Null: {present, absent}
	dfOpaque
)

// dfBase is a base set. Its meaning depends on the dimension's kind:
// glob dimensions use pats (and absent), interval dimensions ivs (and
// absent), Bool and Null a bit mask, the principal dimension a set of
// classes; an opaque dimension's base is "the construct holds".
type dfBase struct {
	pats   []globlang.Pattern
	ivs    dfIvs
	absent bool
	mask   uint8 // dfBool: 1 true, 2 false, 4 absent; dfNull: 1 present, 4 absent
	cls    []bool
}

type dfDim struct {
	kind dfDimKind
	// key is the condition key in lower case (condition dimensions), or the
	// opaque construct's identity.
	key string
	// name is the key as first written.
	name  string
	bases []dfBase
	// Opaque dimensions: what the construct is, for reasons; the resource
	// pattern with variables, when it is one; where it occurs.
	desc             string
	varRes           *policy.Pattern
	inOld, inNewAllw bool
}

type dfLit struct {
	base int
	neg  bool
}

// dfConj is a conjunction of literals over several dimensions.
type dfConj map[int][]dfLit

func (c dfConj) clone() dfConj {
	d := make(dfConj, len(c))
	for k, v := range c {
		d[k] = append([]dfLit(nil), v...)
	}
	return d
}

type dfSide uint8

const (
	dfOld dfSide = iota
	dfNew
	dfAccess // the access AccessNotGranted asks about
)

type dfStmt struct {
	side   dfSide
	effect policy.Effect
	index  int
	st     *policy.Statement
	conj   dfConj
}

type dfClass struct {
	kind    uint8 // see dfCls*
	account string
	name    string // user, role, federated user or service name
	session string
}

const (
	dfClsAnon uint8 = iota
	dfClsOtherAccount
	dfClsOtherService
	dfClsService
	dfClsRoot
	dfClsOtherInAccount
	dfClsUser
	dfClsRoleSession // any other session of a named role
	dfClsSession     // a named session
	dfClsFederated
)

// dfModel holds the dimensions built from the policies compared.
type dfModel struct {
	kind    policy.Kind
	dims    []dfDim
	dimByID map[string]int
	classes []dfClass
	stmts   []dfStmt
	cache   map[string]dfTri
	work    int
	budget  int
	// globBudget bounds each language question; workBudget all the work
	// of one run, counted in emptiness questions and pattern positions
	// visited (see globlang).
	globBudget int
	workBudget int
	unknown    string // set when a question ran out of budget
}

type dfTri uint8

const (
	dfTriUnknown dfTri = iota
	dfTriYes
	dfTriNo
)

func (m *dfModel) dim(kind dfDimKind, key, name string) int {
	id := fmt.Sprintf("%d|%s", kind, key)
	if i, ok := m.dimByID[id]; ok {
		return i
	}
	m.dims = append(m.dims, dfDim{kind: kind, key: key, name: name})
	m.dimByID[id] = len(m.dims) - 1
	return len(m.dims) - 1
}

func (m *dfModel) addBase(d int, b dfBase) int {
	m.dims[d].bases = append(m.dims[d].bases, b)
	return len(m.dims[d].bases) - 1
}

// opaque returns the literal "construct id holds" of an opaque dimension.
func (m *dfModel) opaque(id, desc string, side dfSide, effect policy.Effect) (int, dfLit) {
	d := m.dim(dfOpaque, id, "")
	dd := &m.dims[d]
	if len(dd.bases) == 0 {
		dd.desc = desc
		dd.bases = append(dd.bases, dfBase{})
	}
	switch {
	case side == dfOld:
		dd.inOld = true
	case side == dfNew && effect == policy.Allow:
		dd.inNewAllw = true
	}
	return d, dfLit{}
}

// Principal classes.

func (m *dfModel) class(c dfClass) int {
	for i, x := range m.classes {
		if x == c {
			return i
		}
	}
	m.classes = append(m.classes, c)
	return len(m.classes) - 1
}

// dfPrincipalRef is a principal entry read into its parts.
type dfPrincipalRef struct {
	kind                   uint8 // dfClsRoot (whole account), dfClsUser, dfClsRoleSession (role), dfClsSession, dfClsFederated, dfClsService
	account, name, session string
}

func dfReadPrincipal(typ, s string) (dfPrincipalRef, bool) {
	if typ == "Service" {
		return dfPrincipalRef{kind: dfClsService, name: s}, true
	}
	if typ != "AWS" {
		return dfPrincipalRef{}, false
	}
	if ids.IsAccountID(s) {
		return dfPrincipalRef{kind: dfClsRoot, account: s}, true
	}
	arn, ok := ids.SplitARN(s)
	if !ok || arn.Partition != "aws" || arn.Region != "" || !ids.IsAccountID(arn.Account) {
		return dfPrincipalRef{}, false
	}
	acct, res := arn.Account, arn.Resource
	last := func(r string) string { return r[strings.LastIndexByte(r, '/')+1:] }
	switch {
	case arn.Service == "iam" && res == "root":
		return dfPrincipalRef{kind: dfClsRoot, account: acct}, true
	case arn.Service == "iam" && strings.HasPrefix(res, "user/"):
		return dfPrincipalRef{kind: dfClsUser, account: acct, name: last(res)}, true
	case arn.Service == "iam" && strings.HasPrefix(res, "role/"):
		return dfPrincipalRef{kind: dfClsRoleSession, account: acct, name: last(res)}, true
	case arn.Service == "sts" && strings.HasPrefix(res, "assumed-role/"):
		rs := strings.Split(res, "/")
		if len(rs) != 3 {
			return dfPrincipalRef{}, false
		}
		return dfPrincipalRef{kind: dfClsSession, account: acct, name: rs[1], session: rs[2]}, true
	case arn.Service == "sts" && strings.HasPrefix(res, "federated-user/"):
		return dfPrincipalRef{kind: dfClsFederated, account: acct, name: strings.TrimPrefix(res, "federated-user/")}, true
	}
	return dfPrincipalRef{}, false
}

func dfEntries(p *policy.Principals) [][2]string {
	var out [][2]string
	if p == nil {
		return nil
	}
	for _, s := range p.AWS {
		out = append(out, [2]string{"AWS", s})
	}
	for _, s := range p.CanonicalUser {
		out = append(out, [2]string{"CanonicalUser", s})
	}
	for _, s := range p.Service {
		out = append(out, [2]string{"Service", s})
	}
	for _, s := range p.Federated {
		out = append(out, [2]string{"Federated", s})
	}
	return out
}

// collectClasses makes the classes of callers that no Principal element of
// either policy tells apart.
func (m *dfModel) collectClasses(ps ...*policy.Policy) {
	m.class(dfClass{kind: dfClsAnon})
	m.class(dfClass{kind: dfClsOtherAccount})
	m.class(dfClass{kind: dfClsOtherService})
	for _, p := range ps {
		for i := range p.Statements {
			st := &p.Statements[i]
			for _, el := range []*policy.Principals{st.Principal, st.NotPrincipal} {
				for _, e := range dfEntries(el) {
					r, ok := dfReadPrincipal(e[0], e[1])
					if !ok || e[1] == "*" {
						continue
					}
					if r.kind == dfClsService {
						m.class(dfClass{kind: dfClsService, name: r.name})
						continue
					}
					m.class(dfClass{kind: dfClsRoot, account: r.account})
					m.class(dfClass{kind: dfClsOtherInAccount, account: r.account})
					switch r.kind {
					case dfClsUser, dfClsFederated:
						m.class(dfClass{kind: r.kind, account: r.account, name: r.name})
					case dfClsRoleSession:
						m.class(dfClass{kind: dfClsRoleSession, account: r.account, name: r.name})
					case dfClsSession:
						m.class(dfClass{kind: dfClsRoleSession, account: r.account, name: r.name})
						m.class(dfClass{kind: dfClsSession, account: r.account, name: r.name, session: r.session})
					}
				}
			}
		}
	}
}

// classesOf returns the classes an entry names.
func (m *dfModel) classesOf(r dfPrincipalRef) []bool {
	set := make([]bool, len(m.classes))
	for i, c := range m.classes {
		switch r.kind {
		case dfClsService:
			set[i] = c.kind == dfClsService && c.name == r.name
		case dfClsRoot:
			set[i] = c.account == r.account
		case dfClsUser, dfClsFederated:
			set[i] = c.kind == r.kind && c.account == r.account && c.name == r.name
		case dfClsRoleSession:
			set[i] = (c.kind == dfClsRoleSession || c.kind == dfClsSession) && c.account == r.account && c.name == r.name
		case dfClsSession:
			set[i] = c.kind == dfClsSession && c.account == r.account && c.name == r.name && c.session == r.session
		}
	}
	return set
}

// alt is one alternative of a statement element: literals to add.
type dfAlt []struct {
	dim int
	lit dfLit
}

func (m *dfModel) addStatement(side dfSide, index int, st *policy.Statement, version policy.Version) {
	var alts [][]dfAlt // one list of alternatives per element; the statement is their product

	// Principal.
	if m.kind == policy.Bucket {
		var pa []dfAlt
		switch {
		case st.Principal != nil && st.Principal.Everyone():
			pa = append(pa, nil)
		case st.Principal != nil:
			d := m.dim(dfPrincipal, "", "")
			set := make([]bool, len(m.classes))
			any := false
			for _, e := range dfEntries(st.Principal) {
				if e[0] == "AWS" && e[1] == "*" {
					for i := range set {
						set[i] = true
					}
					any = true
					continue
				}
				r, ok := dfReadPrincipal(e[0], e[1])
				if !ok {
					od, l := m.opaque("principal|"+e[0]+"|"+e[1], fmt.Sprintf("Principal %s %q", e[0], e[1]), side, st.Effect)
					pa = append(pa, dfAlt{{od, l}})
					continue
				}
				for i, in := range m.classesOf(r) {
					set[i] = set[i] || in
				}
				any = true
			}
			if any {
				b := m.addBase(d, dfBase{cls: set})
				pa = append(pa, dfAlt{{d, dfLit{base: b}}})
			}
		case st.NotPrincipal != nil:
			j, _ := (&policy.Policy{Kind: policy.Bucket, Statements: []policy.Statement{{Effect: policy.Allow, Principal: st.NotPrincipal, Action: []policy.Pattern{}, Resource: []policy.Pattern{}}}}).MarshalJSON()
			od, l := m.opaque("notprincipal|"+string(j), "NotPrincipal", side, st.Effect)
			pa = append(pa, dfAlt{{od, l}})
		}
		alts = append(alts, pa)
	}

	// Action.
	{
		d := m.dim(dfAction, "", "")
		pats, neg := st.Action, false
		if st.NotAction != nil {
			pats, neg = st.NotAction, true
		}
		ps := make([]globlang.Pattern, len(pats))
		for i := range pats {
			ps[i] = globlang.Glob(pats[i].String(), true)
		}
		b := m.addBase(d, dfBase{pats: ps})
		alts = append(alts, []dfAlt{{{d, dfLit{base: b, neg: neg}}}})
	}

	// Resource.
	{
		d := m.dim(dfResource, "", "")
		pats, neg := st.Resource, false
		if st.NotResource != nil {
			pats, neg = st.NotResource, true
		}
		var ground []globlang.Pattern
		var vars []dfAlt
		for i := range pats {
			p := &pats[i]
			if p.HasVars() {
				od, l := m.opaque("resource|"+p.String(), fmt.Sprintf("resource %q with a policy variable", p.String()), side, st.Effect)
				m.dims[od].varRes = p
				vars = append(vars, dfAlt{{od, dfLit{base: l.base, neg: neg}}})
				continue
			}
			ground = append(ground, dfPatternGlob(p.String(), version, false))
		}
		b := m.addBase(d, dfBase{pats: ground})
		groundAlt := dfAlt{{d, dfLit{base: b, neg: neg}}}
		if neg {
			// NotResource: outside every pattern, variables included.
			all := groundAlt
			for _, v := range vars {
				all = append(all, v...)
			}
			alts = append(alts, []dfAlt{all})
		} else {
			ra := vars
			if len(ground) > 0 || len(vars) == 0 {
				ra = append([]dfAlt{groundAlt}, vars...)
			}
			alts = append(alts, ra)
		}
	}

	// Conditions: each one literal, ANDed.
	var conds dfAlt
	for i := range st.Conditions {
		d, l := m.condition(&st.Conditions[i], side, st.Effect, version)
		conds = append(conds, struct {
			dim int
			lit dfLit
		}{d, l})
	}
	alts = append(alts, []dfAlt{conds})

	// The product of the alternatives.
	var rec func(k int, acc dfConj)
	rec = func(k int, acc dfConj) {
		if k == len(alts) {
			m.stmts = append(m.stmts, dfStmt{side: side, effect: st.Effect, index: index, st: st, conj: acc})
			return
		}
		for _, a := range alts[k] {
			c := acc.clone()
			for _, x := range a {
				c[x.dim] = append(c[x.dim], x.lit)
			}
			rec(k+1, c)
		}
	}
	rec(0, dfConj{})
}

// dfPatternGlob compiles a resource or condition pattern without
// variables; under Version 2012-10-17 the escapes ${*}, ${?} and ${$}
// are literal characters.
func dfPatternGlob(text string, version policy.Version, fold bool) globlang.Pattern {
	if version != policy.Version2012 || !strings.Contains(text, "${") {
		return globlang.Glob(text, fold)
	}
	var parts []globlang.Part
	for {
		i := strings.Index(text, "${")
		if i < 0 || i+3 >= len(text) || text[i+3] != '}' {
			parts = append(parts, globlang.Part{Text: text, Glob: true, Fold: fold})
			break
		}
		parts = append(parts, globlang.Part{Text: text[:i], Glob: true, Fold: fold}, globlang.Part{Text: text[i+2 : i+3], Fold: fold})
		text = text[i+4:]
	}
	return globlang.Concat(parts...)
}

// dfAlwaysPresent are keys the evaluator always puts in the context.
var dfAlwaysPresent = map[string]bool{
	"aws:securetransport": true, "aws:viaawsservice": true, "aws:currenttime": true, "aws:epochtime": true,
}

// condition returns the literal of one condition.
func (m *dfModel) condition(c *policy.Condition, side dfSide, effect policy.Effect, version policy.Version) (int, dfLit) {
	key := strings.ToLower(c.Key)
	opaque := func(why string) (int, dfLit) {
		var vals []string
		for _, v := range c.Values {
			vals = append(vals, v.Text)
		}
		id := fmt.Sprintf("cond|%d|%s|%s|%q", version, c.OperatorName(), key, vals)
		return m.opaque(id, fmt.Sprintf("%s %s (%s)", c.OperatorName(), c.Key, why), side, effect)
	}
	if c.Set != policy.SetNone {
		return opaque("set operator")
	}
	info, known := policy.LookupConditionKey(c.Key)
	if !known {
		return opaque("key outside the catalog")
	}
	if info.Multi {
		return opaque("multivalued key")
	}
	for _, v := range c.Values {
		if v.Pattern.HasVars() {
			return opaque("policy variable")
		}
	}
	op := c.Operator
	var (
		kind dfDimKind
		base dfBase
	)
	switch op {
	case policy.StringEquals, policy.StringNotEquals, policy.StringLike, policy.StringNotLike:
		kind = dfStr
		for _, v := range c.Values {
			if op.Wildcards() {
				base.pats = append(base.pats, dfPatternGlob(v.Text, version, false))
			} else {
				base.pats = append(base.pats, globlang.Literal(v.Text, false))
			}
		}
	case policy.ArnEquals, policy.ArnNotEquals, policy.ArnLike, policy.ArnNotLike:
		kind = dfARN
		for _, v := range c.Values {
			if strings.Contains(v.Text, "${") {
				return opaque("escape in ARN")
			}
			if p, ok := globlang.ARN(v.Text, true); ok {
				base.pats = append(base.pats, p)
			}
		}
	case policy.NumericEquals, policy.NumericNotEquals, policy.NumericLessThan, policy.NumericLessThanEquals,
		policy.NumericGreaterThan, policy.NumericGreaterThanEquals:
		kind = dfNum
		for _, v := range c.Values {
			f, ok := condval.Number(v.Text)
			if !ok {
				return opaque("unreadable number")
			}
			base.ivs = append(base.ivs, dfOrderIv(op, dfFloatPt(f), dfFloatDom))
		}
	case policy.DateEquals, policy.DateNotEquals, policy.DateLessThan, policy.DateLessThanEquals,
		policy.DateGreaterThan, policy.DateGreaterThanEquals:
		kind = dfDate
		for _, v := range c.Values {
			t, ok := condval.Date(v.Text)
			if !ok {
				return opaque("unreadable date")
			}
			base.ivs = append(base.ivs, dfOrderIv(op, dfTimePt(t), dfDateDom))
		}
	case policy.IpAddress, policy.NotIpAddress:
		kind = dfIP
		for _, v := range c.Values {
			p, ok := condval.CIDR(v.Text)
			if !ok {
				return opaque("unreadable address")
			}
			base.ivs = append(base.ivs, dfPrefixIvs(p)...)
		}
	case policy.Bool:
		kind = dfBool
		for _, v := range c.Values {
			b, ok := condval.Bool(v.Text)
			if !ok {
				return opaque("unreadable boolean")
			}
			if b {
				base.mask |= 1
			} else {
				base.mask |= 2
			}
		}
	case policy.Null:
		kind = dfNull
		for _, v := range c.Values {
			b, ok := condval.Bool(v.Text)
			if !ok {
				return opaque("unreadable boolean")
			}
			if b {
				base.mask |= 4 // absent
			} else {
				base.mask |= 1 // present
			}
		}
		d := m.dim(kind, key, c.Key)
		return d, dfLit{base: m.addBase(d, base)}
	default:
		return opaque("operator not modelled")
	}
	base.ivs = dfNormIvs(base.ivs)
	neg := op.Negated()
	if !neg && c.IfExists {
		base.absent = true
		base.mask |= 4
	}
	d := m.dim(kind, key, c.Key)
	return d, dfLit{base: m.addBase(d, base), neg: neg}
}

// dfOrderIv is the set of values v such that "v OP x" holds.
func dfOrderIv(op policy.Operator, x dfPt, dom dfIv) dfIv {
	switch op {
	case policy.NumericLessThan, policy.DateLessThan:
		if x.cmp(dom.lo) <= 0 {
			return dfIv{dom.hi, dom.lo} // empty
		}
		return dfIv{dom.lo, x.pred()}
	case policy.NumericLessThanEquals, policy.DateLessThanEquals:
		return dfIv{dom.lo, x}
	case policy.NumericGreaterThan, policy.DateGreaterThan:
		if x.cmp(dom.hi) >= 0 {
			return dfIv{dom.hi, dom.lo}
		}
		return dfIv{x.succ(), dom.hi}
	case policy.NumericGreaterThanEquals, policy.DateGreaterThanEquals:
		return dfIv{x, dom.hi}
	}
	return dfIv{x, x} // Equals and NotEquals (negated by the caller)
}

// Emptiness of a conjunction of literals of one dimension.

func (m *dfModel) empty(d int, lits []dfLit) dfTri {
	if len(lits) == 0 {
		return dfTriNo
	}
	sorted := append([]dfLit(nil), lits...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].base != sorted[j].base {
			return sorted[i].base < sorted[j].base
		}
		return !sorted[i].neg && sorted[j].neg
	})
	kb := make([]byte, 0, 8+6*len(sorted))
	kb = strconv.AppendInt(kb, int64(d), 10)
	for i, l := range sorted {
		if i > 0 && l == sorted[i-1] {
			continue
		}
		kb = append(kb, ',')
		kb = strconv.AppendInt(kb, int64(l.base), 10)
		if l.neg {
			kb = append(kb, '!')
		}
	}
	k := string(kb)
	m.work++
	if t, ok := m.cache[k]; ok {
		return t
	}
	if m.work > m.workBudget {
		m.unknown = "the work budget ran out"
		return dfTriUnknown
	}
	t := m.emptyNow(d, sorted)
	m.cache[k] = t
	return t
}

// dfMask intersects the value masks of a Bool or Null dimension's
// literals within full (7 for Bool, 5 for Null), a negated literal taking
// the complement of its mask.
func dfMask(dim *dfDim, lits []dfLit, full uint8) uint8 {
	mask := full
	for _, l := range lits {
		b := dim.bases[l.base].mask
		if l.neg {
			b = ^b
		}
		mask &= b & full
	}
	return mask
}

func (m *dfModel) emptyNow(d int, lits []dfLit) dfTri {
	dim := &m.dims[d]
	tri := func(b bool) dfTri {
		if b {
			return dfTriYes
		}
		return dfTriNo
	}
	switch dim.kind {
	case dfOpaque:
		pos, neg := false, false
		for _, l := range lits {
			pos = pos || !l.neg
			neg = neg || l.neg
		}
		return tri(pos && neg)
	case dfBool:
		return tri(dfMask(dim, lits, 7) == 0)
	case dfNull:
		return tri(dfMask(dim, lits, 5) == 0)
	case dfPrincipal:
		for c := range m.classes {
			in := true
			for _, l := range lits {
				if dim.bases[l.base].cls[c] == l.neg {
					in = false
					break
				}
			}
			if in {
				return dfTriNo
			}
		}
		return dfTriYes
	case dfNum, dfDate, dfIP:
		if dfAbsentIn(dim, lits) {
			return dfTriNo
		}
		return tri(len(m.ivsOf(d, lits)) == 0)
	}
	// Glob dimensions.
	if dim.kind != dfAction && dim.kind != dfResource && dfAbsentIn(dim, lits) {
		return dfTriNo
	}
	budget := min(m.globBudget, m.workBudget-m.work+1)
	r := globlang.Solve(m.globLits(d, lits), globlang.Options{Budget: budget})
	m.work += r.Work
	switch r.Nonempty {
	case globlang.Yes:
		return dfTriNo
	case globlang.No:
		return dfTriYes
	}
	m.unknown = "a pattern comparison ran out of its work budget"
	return dfTriUnknown
}

// solve answers a language question for a witness within what is left of
// the work budget, and charges its work to it: building witnesses counts
// against the same budget as the walk, so a question with many candidates
// that cannot be replayed still ends in bounded work. Past the budget the
// answer is Unknown.
func (m *dfModel) solve(lits []globlang.Lit) globlang.Result {
	left := m.workBudget - m.work
	if left <= 0 {
		m.unknown = "the work budget ran out"
		return globlang.Result{}
	}
	r := globlang.Solve(lits, globlang.Options{Budget: min(m.globBudget, left)})
	m.work += r.Work
	return r
}

func (m *dfModel) globLits(d int, lits []dfLit) []globlang.Lit {
	gl := make([]globlang.Lit, len(lits))
	for i, l := range lits {
		gl[i] = globlang.Lit{Pats: m.dims[d].bases[l.base].pats, Neg: l.neg}
	}
	return gl
}

// dfAbsentIn reports whether "absent" is in every literal.
func dfAbsentIn(dim *dfDim, lits []dfLit) bool {
	for _, l := range lits {
		if dim.bases[l.base].absent == l.neg {
			return false
		}
	}
	return true
}

// ivsOf is the intersection of the literals' value sets (absent aside).
func (m *dfModel) ivsOf(d int, lits []dfLit) dfIvs {
	dim := &m.dims[d]
	dom := dfIv{dfPt{}, dfMaxPt}
	switch dim.kind {
	case dfNum:
		dom = dfFloatDom
	case dfDate:
		dom = dfDateDom
	}
	cur := dfIvs{dom}
	for _, l := range lits {
		s := dim.bases[l.base].ivs
		if l.neg {
			s = dfComplementIvs(s, dom)
		}
		cur = dfIntersectIvs(cur, s)
	}
	return cur
}
