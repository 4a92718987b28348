package evaluate

import (
	"errors"
	"fmt"
	"sync"

	"github.com/google/cel-go/common/types"

	"github.com/s3authz/s3authz/policy"
)

// Prepared is a policy made ready for evaluation: every condition value
// typed and checked, every condition block compiled to CEL. It is immutable
// and safe for concurrent use.
type Prepared struct {
	policy   *policy.Policy
	stmts    []preparedStatement
	programs int
	index    resourceIndex
	// effects[eff] is the union of the action sets of the statements of
	// effect eff: a request whose action is outside it skips the pass.
	effects [policy.Deny + 1]actionSet
	// public is whether the policy is public in Block Public Access's
	// sense, for RestrictPublicBuckets.
	public bool
}

// indexThreshold is the number of statements from which the index is used.
const indexThreshold = 8

// indexed reports whether the resource index picks the statements to
// consider: not for a small policy, where scanning every statement is
// cheaper than the lookups, and not when a trace must explain each one.
func (p *Prepared) indexed(trace bool) bool {
	return !trace && len(p.stmts) >= indexThreshold
}

// preparedStatement is what a request needs of a statement, worked out
// once: the actions it covers, its principals read into parts, and its
// compiled conditions.
type preparedStatement struct {
	effect  policy.Effect
	actions actionSet
	// principals is the Principal or NotPrincipal element of a bucket
	// policy statement (notPrincipal tells which); nil in identity policies.
	principals   *principalSet
	notPrincipal bool
	// resources is the Resource or NotResource element (notResource
	// tells which), split for matching by parts where it can be.
	resources   []resPattern
	notResource bool
	// vars is whether a Resource or NotResource pattern has a variable.
	vars  bool
	conds []*cond
	// progs[i] evaluates conds[i*maxProgramConds : (i+1)*maxProgramConds].
	progs []*program
}

// Prepare compiles every statement of p. It first checks p with
// [policy.Policy.Validate], which a policy policy.Parse returned always
// passes, and returns its error: for a policy built or changed by hand, a
// value that cannot serve its operator (a bad CIDR block, date, number,
// boolean, base64 or ARN), or an operator that cannot test its key's type
// (IpAddress on s3:prefix), is a *policy.Error naming the JSON pointer of
// the value or key, as Parse would have reported it. Blocks of the same
// shape share one compiled program.
func Prepare(p *policy.Policy) (*Prepared, error) {
	if p == nil {
		return nil, errors.New("evaluate: Prepare of a nil policy")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	vars := p.Version == policy.Version2012
	cache := programCache{}
	actions := newActionSets()
	out := &Prepared{policy: p, stmts: make([]preparedStatement, len(p.Statements))}
	for si := range p.Statements {
		st := &p.Statements[si]
		ps := &out.stmts[si]
		ps.effect = st.Effect
		ps.actions = actions.statement(st)
		out.effects[st.Effect].union(&ps.actions)
		if st.Principal != nil {
			ps.principals = readPrincipals(st.Principal)
		} else if st.NotPrincipal != nil {
			ps.principals, ps.notPrincipal = readPrincipals(st.NotPrincipal), true
		}
		if st.Resource != nil {
			ps.resources = compileResources(st.Resource)
		} else {
			ps.resources, ps.notResource = compileResources(st.NotResource), true
		}
		for _, r := range [2][]policy.Pattern{st.Resource, st.NotResource} {
			for i := range r {
				ps.vars = ps.vars || r[i].HasVars()
			}
		}
		for ci := range st.Conditions {
			c, err := prepareCond(&st.Conditions[ci], vars, actions)
			if err != nil {
				return nil, err
			}
			ps.conds = append(ps.conds, c)
		}
		for from := 0; from < len(st.Conditions); from += maxProgramConds {
			to := min(from+maxProgramConds, len(st.Conditions))
			prg, err := cache.compile(blockExpr(st.Conditions[from:to]))
			if err != nil {
				return nil, err
			}
			ps.progs = append(ps.progs, prg)
		}
	}
	out.programs = len(cache)
	out.public = p.Kind == policy.Bucket && p.IsPublic()
	out.index = buildIndex(out.stmts)
	return out, nil
}

// scratch is the per-evaluation state that conditions need: the CEL
// activation and the request's keys. It is pooled, so evaluating a
// condition block does not allocate, and taken only by evaluations that
// reach a condition or a policy variable.
type scratch struct {
	act  activation
	vars requestVars
	// arn holds the request's resource ARN once a pattern needs it whole.
	arn []byte
}

var scratchPool = sync.Pool{New: func() any {
	return new(scratch)
}}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// maxPooledARN bounds the ARN buffer a pooled scratch keeps: room for any
// S3 key (1024 bytes) in any bucket.
const maxPooledARN = 1280

// release clears what the scratch references and returns it to the pool.
func (s *scratch) release() {
	clear(s.act.keys[:s.act.n])
	s.act.n = 0
	s.vars = requestVars{}
	if cap(s.arn) > maxPooledARN {
		s.arn = nil
	}
	s.arn = s.arn[:0]
	scratchPool.Put(s)
}

// MustPrepare is like Prepare but panics on error. It is intended for tests
// and fixtures with hard-coded policies.
func MustPrepare(p *policy.Policy) *Prepared {
	pp, err := Prepare(p)
	if err != nil {
		panic(fmt.Sprintf("evaluate.MustPrepare: %v", err))
	}
	return pp
}

// Policy returns the policy p was prepared from.
func (p *Prepared) Policy() *policy.Policy { return p.policy }

// ErrCondition marks a condition that could not be evaluated: a request value
// its operator cannot read (a number, date, boolean or address that does
// not parse), or the CEL cost limit exceeded. Callers must treat it as a
// failure to decide, never as a match for an Allow.
var ErrCondition = errors.New("evaluate: condition could not be evaluated")

// Conditions reports whether the condition block of statement i holds for a
// request with the given condition keys (nil for none). A statement without
// conditions holds. An error wraps ErrCondition.
func (p *Prepared) Conditions(i int, keys *Keys) (bool, error) {
	if len(p.stmts[i].conds) == 0 {
		return true, nil
	}
	if keys == nil {
		keys = &Keys{}
	}
	sc := getScratch()
	defer sc.release()
	ok, err := p.holds(i, keys, -1, &sc.act)
	if err != nil {
		st := &p.policy.Statements[i]
		err = &Error{Sid: st.Sid, Pointer: st.Pointer, Err: err}
	}
	return ok, err
}

// holds evaluates the condition block of statement i with the keys of src,
// in act. A block split into several programs is false when any of them is
// false, even if another could not be evaluated; otherwise an error wins.
func (p *Prepared) holds(i int, src keySource, action int, act *activation) (bool, error) {
	ps := &p.stmts[i]
	var failed error
	for pi, prg := range ps.progs {
		conds := ps.conds[pi*maxProgramConds : min((pi+1)*maxProgramConds, len(ps.conds))]
		act.n = len(conds)
		for j, c := range conds {
			k := &act.keys[j]
			if c.inContext(action) {
				k.values, k.present = src.values(c.key, &k.one)
			} else {
				k.values, k.present = nil, false
			}
			k.vars, k.cond = src, c
		}
		out, _, err := prg.prg.Eval(act)
		switch {
		case err != nil:
			if failed == nil {
				failed = fmt.Errorf("%w: %v", ErrCondition, err)
			}
		case types.IsError(out):
			if failed == nil {
				failed = fmt.Errorf("%w: %v", ErrCondition, out)
			}
		case out != types.True:
			return false, nil
		}
	}
	if failed != nil {
		return false, failed
	}
	return true, nil
}
