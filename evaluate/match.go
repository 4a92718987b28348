package evaluate

// Statement matching: the explicit-deny pass, and the search of a policy
// for the statements that apply to a request, with their traces.

import (
	"strings"

	"github.com/s3authz/s3authz/policy"
)

// policyRef names one prepared policy of the context.
type policyRef struct {
	p      *Prepared
	source Source
	index  int
	stage  Stage
}

// explicitDeny looks for a matching Deny statement in every policy that
// applies: the caller's own (identity policies, boundary and session
// policies, for IAM principals only) and the bucket policy.
func (e *evaluation) explicitDeny() (Decision, bool) {
	d, done := e.explicitDenyPass()
	if !done && e.denyErr != nil {
		// No Deny matched, but one could not be evaluated: it might have.
		e.fail(CodeConditionError, e.denyErr)
		return ImplicitDeny, true
	}
	return d, done
}

// explicitDenyPass decides ExplicitDeny on the first Deny that matches in
// any policy; a Deny that cannot be evaluated is remembered in denyErr and
// the search goes on, so a Deny that does match is found whatever the
// order of policies and statements.
func (e *evaluation) explicitDenyPass() (Decision, bool) {
	ec := e.ec
	if e.iam {
		for i, p := range ec.Identity {
			if d, done := e.denies(policyRef{p, SourceIdentity, i, StageUser}); done {
				return d, true
			}
		}
		if ec.Boundary != nil {
			if d, done := e.denies(policyRef{ec.Boundary, SourceBoundary, 0, StageUser}); done {
				return d, true
			}
		}
		for i, p := range ec.Session {
			if d, done := e.denies(policyRef{p, SourceSession, i, StageUser}); done {
				return d, true
			}
		}
	}
	if ec.BucketPolicy != nil {
		return e.denies(policyRef{ec.BucketPolicy, SourceBucketPolicy, 0, StageBucket})
	}
	return 0, false
}

// denies decides ExplicitDeny when a Deny statement of r matches.
func (e *evaluation) denies(r policyRef) (Decision, bool) {
	i, _, err := e.firstMatch(r, policy.Deny)
	if err != nil && e.denyErr == nil {
		e.denyErr = err
	}
	if i < 0 {
		return 0, false
	}
	st := &r.p.policy.Statements[i]
	return e.decide(ExplicitDeny, Reason{Stage: r.stage, Code: CodeExplicitDeny, Source: r.source, Index: r.index, Sid: st.Sid, Pointer: st.Pointer}), true
}

// grantKind is how a resource policy statement names the caller, which
// decides what else the caller needs (IAM's rules for resource-based
// policies in the same account).
type grantKind uint8

const (
	grantNone    grantKind = iota
	grantAccount           // the caller's account: a delegation
	grantRole              // the role of a role session
	grantDirect            // the user, the session, the federated user, a service, or everyone
)

// firstMatch returns a statement of effect eff in r that matches the
// request, and how it names the caller (for resource policies): the first
// Deny that matches, or the first Allow of the strongest kind (a grant to
// the caller's account does not hide a later grant to the caller itself).
// A statement whose conditions cannot be evaluated neither matches nor
// stops the search, so the answer never depends on statement order: its
// error is returned when no statement matches, or beside an Allow that
// names the caller less strongly than it might have. Only the statements
// the resource index finds are considered, cheapest test first: effect and
// action (bits), principal, resource, then conditions.
func (e *evaluation) firstMatch(r policyRef, eff policy.Effect) (int, grantKind, error) {
	pp := r.p
	trace := e.req.Trace
	if !trace && !pp.effects[eff].has(e.info.Index) {
		return -1, grantNone, nil // no statement of this effect covers the action
	}
	var buf [32]int32
	var cands []int32
	n := len(pp.stmts)
	if pp.indexed(trace) {
		cands = pp.index.candidates(&e.target, buf[:0])
		n = len(cands)
	}
	best, bestKind := -1, grantNone
	var failed error
	failedKind := grantNone // the strongest kind among the statements that failed
	for c := range n {
		i := c
		if cands != nil {
			i = int(cands[c])
		}
		ps := &pp.stmts[i]
		if ps.effect != eff || (best >= 0 && !trace && ps.principals == nil) {
			// Past a match, only a statement that may name the caller
			// more strongly is of interest.
			continue
		}
		if !ps.actions.has(e.info.Index) {
			if trace {
				e.traceStatement(r, i, false, "action does not match")
			}
			continue
		}
		kind := grantDirect
		if ps.principals != nil {
			kind = e.principalMatch(ps)
			if kind == grantNone {
				if trace {
					note := "principal does not match"
					if ps.notPrincipal {
						note = "NotPrincipal leaves the caller out"
					}
					e.traceStatement(r, i, false, note)
				}
				continue
			}
		}
		st := &pp.policy.Statements[i]
		if !e.resourceMatches(st, ps) {
			if trace {
				e.traceStatement(r, i, false, "resource does not match")
			}
			continue
		}
		if kind <= bestKind {
			continue
		}
		if len(ps.conds) > 0 {
			sc := e.vars()
			ok, err := pp.holds(i, &sc.vars, e.info.Index, &sc.act)
			if err != nil {
				if failed == nil || kind > failedKind {
					failed, failedKind = statementError(r, i, err), kind
				}
				if trace {
					e.traceStatement(r, i, false, "conditions could not be evaluated: "+e.explainConditions(pp, i))
				}
				continue
			}
			if !ok {
				if trace {
					e.traceStatement(r, i, false, "conditions do not hold: "+e.explainConditions(pp, i))
				}
				continue
			}
		}
		if trace {
			e.traceStatement(r, i, true, st.Effect.String()+" statement matches"+e.outOfContext(ps))
		}
		if eff == policy.Deny || kind == grantDirect {
			return i, kind, nil
		}
		best, bestKind = i, kind
	}
	// A statement that could not be evaluated is reported even beside a
	// match, when it might have named the caller more strongly.
	if best >= 0 && failedKind <= bestKind {
		failed = nil
	}
	return best, bestKind, failed
}

// outOfContext names, for a trace, the keys of a statement's conditions
// that the action's request context does not hold, which the conditions
// then found absent whatever the request supplied: "; s3:prefix is not in
// the request context of s3:GetObject".
func (e *evaluation) outOfContext(ps *preparedStatement) string {
	var b strings.Builder
	for _, c := range ps.conds {
		if c.inContext(e.info.Index) {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("; ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(c.src.Key)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString(" not in the request context of " + e.info.Name)
	return b.String()
}

//go:noinline
func (e *evaluation) traceStatement(r policyRef, i int, matched bool, note string) {
	st := &r.p.policy.Statements[i]
	e.step(Step{Stage: r.stage, Source: r.source, Index: r.index, Sid: st.Sid, Pointer: st.Pointer, Matched: matched, Note: note})
}

// resourceMatches matches the statement's Resource or NotResource element,
// by parts where the patterns allow, otherwise against the whole ARN.
func (e *evaluation) resourceMatches(st *policy.Statement, ps *preparedStatement) bool {
	pats := st.Resource
	if ps.notResource {
		pats = st.NotResource
	}
	found := false
	for i := range ps.resources {
		m, whole := ps.resources[i].matchParts(&e.target)
		if whole {
			var v policy.Vars
			if ps.vars {
				v = &e.vars().vars
			}
			m = pats[i].MatchVars(e.arn(), v)
		}
		if m {
			found = true
			break
		}
	}
	return found != ps.notResource
}

// principalMatch tells whether a bucket policy statement's Principal (or
// NotPrincipal) covers the caller, and how it names it.
func (e *evaluation) principalMatch(ps *preparedStatement) grantKind {
	if ps.principals.everyone {
		if ps.notPrincipal {
			return grantNone
		}
		return grantDirect
	}
	if len(ps.principals.canonical) > 0 {
		e.lookupCanonical()
	}
	if !e.whoDone {
		e.who, e.whoDone = newCaller(&e.req.Principal, string(e.caller), e.who.canonical), true
	}
	if !ps.notPrincipal {
		return ps.principals.match(&e.who, &e.req.Principal)
	}
	if ps.principals.excludes(&e.who, &e.req.Principal) {
		return grantNone
	}
	return grantDirect
}
