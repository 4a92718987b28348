package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/globlang"
	"github.com/s3authz/s3authz/policy"
)

// DefaultMaxCells is the cell budget of the zero DiffOptions
// (shared/spec/analysis.md §5.5).
const DefaultMaxCells = 100_000

// dfWorkBudget bounds the work of one question beyond its cells: every
// emptiness question counts one, and a pattern question the positions
// its automata visit.
const dfWorkBudget = 1 << 22

// DiffOptions bound NoNewAccess and AccessNotGranted. The zero value uses
// the defaults.
type DiffOptions struct {
	// MaxCells bounds the cells of the request space the procedure walks;
	// past it the verdict is Unknown. 0 means DefaultMaxCells.
	MaxCells int
}

// NoNewAccess reports whether every request newPolicy allows is allowed by
// oldPolicy: Pass is a proof, Fail carries a witness request the evaluator
// allows under newPolicy and not under oldPolicy, and Unknown gives the
// reason the question was not settled. Both policies must be of the same
// Kind; a nil policy, policies of different kinds, or a policy the
// evaluator does not prepare give Unknown with the reason. See the package
// documentation (# No new access) for the procedure and the replay setup.
func NoNewAccess(oldPolicy, newPolicy *policy.Policy, o DiffOptions) (res Result) {
	defer dfRecover(&res)
	if oldPolicy == nil || newPolicy == nil {
		return dfUnknown("a policy is missing")
	}
	if oldPolicy.Kind != newPolicy.Kind {
		return dfUnknown(fmt.Sprintf("the policies are of different kinds (%s and %s)", oldPolicy.Kind, newPolicy.Kind))
	}
	r, res, ok := dfStart(o, newPolicy, oldPolicy)
	if !ok {
		return res
	}
	for i := range oldPolicy.Statements {
		r.m.addStatement(dfOld, i, &oldPolicy.Statements[i], oldPolicy.Version)
	}
	for i := range newPolicy.Statements {
		r.m.addStatement(dfNew, i, &newPolicy.Statements[i], newPolicy.Version)
	}
	if res, ok := r.fastPath(); ok {
		return res
	}
	return r.walk(nil)
}

// AccessNotGranted reports whether p allows none of the listed access, with
// Access Analyzer's rules for an empty list (shared/spec/analysis.md §1.3):
// with actions only, any listed action on any resource; with resources
// only, any action on a listed resource; with both, any listed action on
// any listed resource. Actions are matched as action patterns (ASCII case
// ignored, wildcards allowed), resources as resource patterns. Pass proves
// no listed access is allowed; Fail carries a witness p allows; both lists
// empty, or p nil, give Unknown.
func AccessNotGranted(p *policy.Policy, actions, resources []string, o DiffOptions) (res Result) {
	defer dfRecover(&res)
	if p == nil {
		return dfUnknown("the policy is missing")
	}
	if len(actions) == 0 && len(resources) == 0 {
		return dfUnknown("no actions and no resources to check")
	}
	r, res, ok := dfStart(o, p, nil)
	if !ok {
		return res
	}
	for i := range p.Statements {
		r.m.addStatement(dfNew, i, &p.Statements[i], p.Version)
	}
	access := dfConj{}
	if len(actions) > 0 {
		d := r.m.dim(dfAction, "", "")
		ps := make([]globlang.Pattern, len(actions))
		for i, a := range actions {
			ps[i] = globlang.Glob(a, true)
		}
		access[d] = []dfLit{{base: r.m.addBase(d, dfBase{pats: ps})}}
	}
	if len(resources) > 0 {
		d := r.m.dim(dfResource, "", "")
		ps := make([]globlang.Pattern, len(resources))
		for i, s := range resources {
			ps[i] = globlang.Glob(s, false)
		}
		access[d] = []dfLit{{base: r.m.addBase(d, dfBase{pats: ps})}}
	}
	return r.walk(access)
}

// NoPublicAccess reports whether p is not public in the sense of S3 Block
// Public Access: Pass iff !p.IsPublic(). A public policy is Fail when a
// request from another account or an anonymous caller that p allows is
// found and replayed, and Unknown otherwise (public in S3's sense, which
// is sound by construction, without a confirmed request).
func NoPublicAccess(p *policy.Policy) (res Result) {
	defer dfRecover(&res)
	if p == nil {
		return dfUnknown("the policy is missing")
	}
	if !p.IsPublic() {
		return Result{Verdict: Pass, Reasons: []Reason{{Index: -1, Description: "no Allow statement is public in the sense of S3 Block Public Access"}}}
	}
	var reasons []Reason
	for i := range p.Statements {
		st := &p.Statements[i]
		if st.Effect == policy.Allow && st.IsPublic() {
			reasons = append(reasons, Reason{Pointer: st.Pointer, Sid: st.Sid, Index: i, Description: "this Allow statement is public"})
		}
	}
	r, res, ok := dfStart(DiffOptions{}, p, nil)
	if !ok {
		return res
	}
	r.public = true
	for i := range p.Statements {
		r.m.addStatement(dfNew, i, &p.Statements[i], p.Version)
	}
	out := r.walk(nil)
	if out.Verdict == Fail {
		out.Reasons = reasons
		return out
	}
	return Result{Verdict: Unknown, Reasons: append(reasons, Reason{Index: -1, Description: "the policy is public, but no request from outside was confirmed"})}
}

func dfUnknown(why string) Result {
	return Result{Verdict: Unknown, Reasons: []Reason{{Index: -1, Description: why}}}
}

// dfRecover turns a panic, which no input should cause, into Unknown:
// errors fail closed.
func dfRecover(res *Result) {
	if e := recover(); e != nil {
		*res = dfUnknown(fmt.Sprintf("internal error: %v", e))
	}
}

// dfRun is one question being walked.
type dfRun struct {
	m          *dfModel
	newP, oldP *evaluate.Prepared // oldP nil: nothing is allowed on the old side
	newPol     *policy.Policy
	oldPol     *policy.Policy
	maxCells   int
	cells      int
	public     bool // NoPublicAccess: only callers outside are of interest
	witness    *Witness
	failStmt   *dfStmt
	covering   map[*policy.Statement]int
	unconf     []string
	stop       string // why the walk stopped without a verdict
	fresh      []string
}

func dfStart(o DiffOptions, newPol, oldPol *policy.Policy) (*dfRun, Result, bool) {
	np, err := evaluate.Prepare(newPol)
	if err != nil {
		return nil, dfUnknown("the policy does not prepare: " + err.Error()), false
	}
	var op *evaluate.Prepared
	if oldPol != nil {
		if op, err = evaluate.Prepare(oldPol); err != nil {
			return nil, dfUnknown("the old policy does not prepare: " + err.Error()), false
		}
	}
	max := o.MaxCells
	if max <= 0 {
		max = DefaultMaxCells
	}
	m := &dfModel{kind: newPol.Kind, dimByID: map[string]int{}, cache: map[string]dfTri{}, globBudget: 1 << 18, workBudget: dfWorkBudget}
	pols := []*policy.Policy{newPol}
	if oldPol != nil {
		pols = append(pols, oldPol)
	}
	if m.kind == policy.Bucket {
		m.collectClasses(pols...)
	}
	r := &dfRun{m: m, newP: np, oldP: op, newPol: newPol, oldPol: oldPol, maxCells: max, covering: map[*policy.Statement]int{}}
	r.fresh = dfFreshAccounts(pols)
	return r, Result{}, true
}

// dfFreshAccounts returns account IDs that appear in none of the policies.
func dfFreshAccounts(pols []*policy.Policy) []string {
	var texts []string
	for _, p := range pols {
		j, _ := p.MarshalJSON()
		texts = append(texts, string(j))
	}
	var out []string
	for d := 9; d >= 1 && len(out) < 3; d-- {
		id := strings.Repeat(fmt.Sprint(d), 12)
		used := false
		for _, t := range texts {
			used = used || strings.Contains(t, id)
		}
		if !used {
			out = append(out, id)
		}
	}
	for len(out) < 3 {
		out = append(out, fmt.Sprintf("10000000000%d", len(out)))
	}
	return out
}

// contains reports whether region R lies inside statement s in every
// dimension; Unknown when a question ran out of budget.
func (r *dfRun) contains(R dfConj, s *dfStmt) dfTri {
	for d, lits := range s.conj {
		for _, l := range lits {
			q := append(append([]dfLit(nil), R[d]...), dfLit{base: l.base, neg: !l.neg})
			switch r.m.empty(d, q) {
			case dfTriUnknown:
				return dfTriUnknown
			case dfTriNo:
				return dfTriNo
			}
		}
	}
	return dfTriYes
}

// meets reports whether region R and statement s intersect.
func (r *dfRun) meets(R dfConj, s *dfStmt) dfTri {
	for d, lits := range s.conj {
		q := append(append([]dfLit(nil), R[d]...), lits...)
		switch r.m.empty(d, q) {
		case dfTriUnknown:
			return dfTriUnknown
		case dfTriYes:
			return dfTriNo
		}
	}
	return dfTriYes
}

// splitLit returns a literal of s that cuts R in two.
func (r *dfRun) splitLit(R dfConj, s *dfStmt) (int, dfLit, bool) {
	dims := make([]int, 0, len(s.conj))
	for d := range s.conj {
		dims = append(dims, d)
	}
	sort.Ints(dims)
	for _, d := range dims {
		for _, l := range s.conj[d] {
			q := append(append([]dfLit(nil), R[d]...), dfLit{base: l.base, neg: !l.neg})
			if r.m.empty(d, q) == dfTriNo {
				return d, l, true
			}
		}
	}
	return 0, dfLit{}, false
}

// fastPath is §5.5's first step: every Allow of new inside one Allow of
// old, and every Deny of old inside a Deny of new.
func (r *dfRun) fastPath() (Result, bool) {
	var reasons []Reason
	seen := map[*policy.Statement]bool{}
	for i := range r.m.stmts {
		s := &r.m.stmts[i]
		want := (s.side == dfNew && s.effect == policy.Allow) || (s.side == dfOld && s.effect == policy.Deny)
		if !want {
			continue
		}
		found := false
		for j := range r.m.stmts {
			t := &r.m.stmts[j]
			if t.side == s.side || t.effect != s.effect {
				continue
			}
			if r.contains(s.conj, t) == dfTriYes {
				found = true
				if !seen[t.st] && t.effect == policy.Allow {
					seen[t.st] = true
					reasons = append(reasons, Reason{Pointer: t.st.Pointer, Sid: t.st.Sid, Index: t.index,
						Description: "this Allow statement of the old policy allows everything a statement of the new one allows"})
				}
				break
			}
		}
		if !found {
			return Result{}, false
		}
	}
	sort.Slice(reasons, func(i, j int) bool { return reasons[i].Index < reasons[j].Index })
	return Result{Verdict: Pass, Reasons: reasons}, true
}

// walk checks every Allow of the new side (restricted to access when
// given) against the old side.
func (r *dfRun) walk(access dfConj) Result {
	var cands []int
	for i := range r.m.stmts {
		s := &r.m.stmts[i]
		if s.side == dfOld || s.effect == policy.Deny {
			cands = append(cands, i)
		}
	}
	for i := range r.m.stmts {
		a := &r.m.stmts[i]
		if a.side != dfNew || a.effect != policy.Allow {
			continue
		}
		R := a.conj.clone()
		for d, l := range access {
			R[d] = append(R[d], l...)
		}
		if r.public && r.m.kind == policy.Bucket {
			// Only callers outside every named account: anonymous and
			// other accounts.
			d := r.m.dim(dfPrincipal, "", "")
			set := make([]bool, len(r.m.classes))
			for c, cl := range r.m.classes {
				set[c] = cl.kind == dfClsAnon || cl.kind == dfClsOtherAccount
			}
			R[d] = append(R[d], dfLit{base: r.m.addBase(d, dfBase{cls: set})})
		}
		empty := false
		for d, lits := range R {
			switch r.m.empty(d, lits) {
			case dfTriYes:
				empty = true
			case dfTriUnknown:
				r.stop = r.m.unknown
				return r.unknownResult()
			}
		}
		if empty {
			continue
		}
		if r.check(R, a, cands) {
			break
		}
		if r.stop != "" {
			return r.unknownResult()
		}
	}
	if r.witness != nil {
		st := r.failStmt.st
		return Result{Verdict: Fail, Witness: r.witness, Reasons: []Reason{{Pointer: st.Pointer, Sid: st.Sid, Index: r.failStmt.index,
			Description: "this Allow statement of the new policy allows the witness request, which the old policy does not allow"}}}
	}
	if r.stop != "" || len(r.unconf) > 0 {
		return r.unknownResult()
	}
	res := Result{Verdict: Pass}
	var sts []*policy.Statement
	for st := range r.covering {
		sts = append(sts, st)
	}
	sort.Slice(sts, func(i, j int) bool { return r.covering[sts[i]] < r.covering[sts[j]] })
	for _, st := range sts {
		res.Reasons = append(res.Reasons, Reason{Pointer: st.Pointer, Sid: st.Sid, Index: r.covering[st],
			Description: "this statement of the old policy allows requests of the new one"})
	}
	if r.oldP == nil {
		res.Reasons = []Reason{{Index: -1, Description: "no Allow statement of the policy allows the access"}}
	}
	return res
}

func (r *dfRun) unknownResult() Result {
	var reasons []Reason
	if r.stop != "" {
		reasons = append(reasons, Reason{Index: -1, Description: r.stop})
	}
	for _, u := range r.unconf {
		reasons = append(reasons, Reason{Index: -1, Description: u})
	}
	if len(reasons) == 0 {
		reasons = append(reasons, Reason{Index: -1, Description: "undecided"})
	}
	return Result{Verdict: Unknown, Reasons: reasons}
}

// check walks region R (inside Allow statement a of the new side) and
// reports true when the walk is over: a witness was confirmed or the
// budget ran out (r.stop).
func (r *dfRun) check(R dfConj, a *dfStmt, cands []int) bool {
	r.cells++
	if r.cells > r.maxCells {
		r.stop = fmt.Sprintf("the cell budget (%d) ran out", r.maxCells)
		return true
	}
	var (
		rel                                 []int
		newDenyContains, oldDenyContains    bool
		oldDenyRel, oldAllowRel             bool
		oldAllowContains                    *dfStmt
		partNewDeny, partOldDeny, partAllow = -1, -1, -1
	)
	for _, i := range cands {
		s := &r.m.stmts[i]
		switch r.meets(R, s) {
		case dfTriUnknown:
			r.stop = r.m.unknown
			return true
		case dfTriNo:
			continue
		}
		rel = append(rel, i)
		c := r.contains(R, s)
		if c == dfTriUnknown {
			r.stop = r.m.unknown
			return true
		}
		in := c == dfTriYes
		switch {
		case s.side != dfOld && s.effect == policy.Deny:
			if in {
				newDenyContains = true
			} else if partNewDeny < 0 {
				partNewDeny = i
			}
		case s.effect == policy.Deny:
			oldDenyRel = true
			if in {
				oldDenyContains = true
			} else if partOldDeny < 0 {
				partOldDeny = i
			}
		default:
			oldAllowRel = true
			if in && oldAllowContains == nil {
				oldAllowContains = s
			} else if !in && partAllow < 0 {
				partAllow = i
			}
		}
	}
	if newDenyContains {
		return false
	}
	if !oldDenyRel && oldAllowContains != nil {
		if _, ok := r.covering[oldAllowContains.st]; !ok {
			r.covering[oldAllowContains.st] = oldAllowContains.index
		}
		return false
	}
	split := partNewDeny
	if split < 0 && (oldDenyContains || !oldAllowRel) {
		return r.candidate(R, a)
	}
	if split < 0 {
		split = partOldDeny
	}
	if split < 0 {
		split = partAllow
	}
	if split < 0 {
		// Every relevant statement contains R, yet none decided: cannot
		// happen; fail closed.
		r.stop = "internal error: a cell could not be decided"
		return true
	}
	d, l, ok := r.splitLit(R, &r.m.stmts[split])
	if !ok {
		r.stop = "internal error: no literal splits a cell"
		return true
	}
	for _, side := range []dfLit{l, {base: l.base, neg: !l.neg}} {
		sub := R.clone()
		sub[d] = append(sub[d], side)
		if r.m.empty(d, sub[d]) == dfTriYes {
			continue
		}
		if r.check(sub, a, rel) {
			return true
		}
	}
	return false
}

// candidate handles a region every point of which the model says new
// allows and old does not: it builds witness requests and replays them.
func (r *dfRun) candidate(R dfConj, a *dfStmt) bool {
	if r.oldP != nil {
		for d := range R {
			dim := &r.m.dims[d]
			if dim.kind != dfOpaque || dim.inOld {
				continue
			}
			for _, l := range R[d] {
				if !l.neg {
					r.addUnconf(fmt.Sprintf("the new access depends on %s, which the old policy does not have: its extent is not modelled", dim.desc))
					return false
				}
			}
		}
	}
	w, why := r.buildWitness(R)
	if w == nil {
		r.addUnconf(why)
		return false
	}
	r.witness, r.failStmt = w, a
	return true
}

func (r *dfRun) addUnconf(s string) {
	for _, u := range r.unconf {
		if u == s {
			return
		}
	}
	if len(r.unconf) < 8 {
		r.unconf = append(r.unconf, s)
	}
}
