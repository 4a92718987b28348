package evaluate

import (
	"errors"
	"fmt"
	"slices"
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
}

// resourceIndex finds the statements whose Resource element can match a
// resource ARN without looking at the others. A statement is indexed when
// every entry of its Resource element is exact text or text followed by
// one '*' (no variable, no other wildcard); every other statement (Resource
// "*", general globs, variables, NotResource) is in always and is always a
// candidate. Candidates come out in document order, so the first statement
// that matches is the same as in a full scan.
type resourceIndex struct {
	exact      map[string][]int32
	prefix     map[string][]int32
	prefixLens []int // distinct prefix lengths, ascending
	always     []int32
}

func buildIndex(p *policy.Policy) resourceIndex {
	ix := resourceIndex{exact: map[string][]int32{}, prefix: map[string][]int32{}}
	lens := map[int]bool{}
	for i := range p.Statements {
		st := &p.Statements[i]
		indexable := st.Resource != nil
		for j := range st.Resource {
			_, exact := st.Resource[j].Exact()
			_, prefix := st.Resource[j].Prefix()
			indexable = indexable && (exact || prefix)
		}
		if !indexable {
			ix.always = append(ix.always, int32(i))
			continue
		}
		for j := range st.Resource {
			if lit, ok := st.Resource[j].Exact(); ok {
				ix.exact[lit] = appendOnce(ix.exact[lit], int32(i))
			} else if lit, ok := st.Resource[j].Prefix(); ok {
				ix.prefix[lit] = appendOnce(ix.prefix[lit], int32(i))
				lens[len(lit)] = true
			}
		}
	}
	for l := range lens {
		ix.prefixLens = append(ix.prefixLens, l)
	}
	slices.Sort(ix.prefixLens)
	return ix
}

func appendOnce(s []int32, i int32) []int32 {
	if n := len(s); n > 0 && s[n-1] == i {
		return s
	}
	return append(s, i)
}

// indexThreshold is the number of statements from which the index is used:
// below it, scanning every statement is cheaper than the lookups.
const indexThreshold = 16

// candidates appends to buf, in document order, the statements that may
// match a request on resource: every statement of a small policy, or when
// a trace must explain each one; otherwise those the index finds.
func (p *Prepared) candidates(resource string, all bool, buf []int32) []int32 {
	if all || len(p.stmts) < indexThreshold {
		for i := range p.stmts {
			buf = append(buf, int32(i))
		}
		return buf
	}
	return p.index.candidates(resource, buf)
}

// candidates appends to buf, in ascending order, the statements whose
// Resource element may match resource.
func (ix *resourceIndex) candidates(resource string, buf []int32) []int32 {
	buf = append(buf, ix.exact[resource]...)
	for _, l := range ix.prefixLens {
		if l > len(resource) {
			break
		}
		buf = append(buf, ix.prefix[resource[:l]]...)
	}
	buf = append(buf, ix.always...)
	slices.Sort(buf)
	return slices.Compact(buf)
}

type preparedStatement struct {
	conds []*cond
	// progs[i] evaluates conds[i*maxProgramConds : (i+1)*maxProgramConds].
	progs []*program
}

// Prepare checks and compiles the conditions of every statement of p. A
// value that cannot serve its operator (a bad CIDR block, date, number,
// boolean, base64 or ARN), or an operator that cannot test its key's type
// (IpAddress on s3:prefix), is a *policy.Error naming the JSON pointer of the
// value or key; up to policy.MaxErrors of them are joined. Blocks of the same
// shape share one compiled program.
func Prepare(p *policy.Policy) (*Prepared, error) {
	if p == nil {
		return nil, errors.New("evaluate: Prepare of a nil policy")
	}
	vars := p.Version == policy.Version2012
	cache := programCache{}
	out := &Prepared{policy: p, stmts: make([]preparedStatement, len(p.Statements))}
	var errs []error
	for si := range p.Statements {
		st := &p.Statements[si]
		ps := &out.stmts[si]
		for ci := range st.Conditions {
			c, err := prepareCond(&st.Conditions[ci], vars)
			if err != nil {
				if len(errs) < policy.MaxErrors {
					errs = append(errs, err)
				}
				continue
			}
			ps.conds = append(ps.conds, c)
		}
		if len(errs) > 0 {
			continue
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
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	out.programs = len(cache)
	out.index = buildIndex(p)
	return out, nil
}

// activations recycles the per-evaluation state: with it, evaluating a
// condition block does not allocate (BenchmarkConditions: 1.8 KB and one
// allocation per call without it).
var activations = sync.Pool{New: func() any { return new(activation) }}

// release clears what the activation references and returns it to the pool.
func (a *activation) release() {
	clear(a.buf[:])
	a.keys, a.conds = nil, nil
	activations.Put(a)
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

// Programs returns the number of distinct CEL programs the policy's
// condition blocks compiled to.
func (p *Prepared) Programs() int { return p.programs }

// ErrCondition marks a condition that could not be evaluated: a request value
// its operator cannot read (a number, date, boolean or address that does
// not parse), or the CEL cost limit exceeded. Callers must treat it as a
// failure to decide, never as a match for an Allow.
var ErrCondition = errors.New("evaluate: condition could not be evaluated")

// Conditions reports whether the condition block of statement i holds for a
// request with the given condition keys (nil for none). A statement without
// conditions holds. An error wraps ErrCondition.
func (p *Prepared) Conditions(i int, keys *Keys) (bool, error) {
	ps := &p.stmts[i]
	if len(ps.conds) == 0 {
		return true, nil
	}
	var vars policy.Vars
	if keys != nil {
		vars = keys
	} else {
		keys = &Keys{}
	}
	act := activations.Get().(*activation)
	defer act.release()
	for pi, prg := range ps.progs {
		conds := ps.conds[pi*maxProgramConds : min((pi+1)*maxProgramConds, len(ps.conds))]
		act.conds = conds
		act.keys = act.buf[:len(conds)]
		for j, c := range conds {
			vals, ok := keys.Get(c.key)
			act.keys[j] = requestKey{present: ok, values: vals, vars: vars}
		}
		out, _, err := prg.prg.Eval(act)
		if err != nil {
			return false, fmt.Errorf("%w: %s: %v", ErrCondition, p.policy.Statements[i].Pointer, err)
		}
		if types.IsError(out) {
			return false, fmt.Errorf("%w: %v", ErrCondition, out)
		}
		if out != types.True {
			return false, nil
		}
	}
	return true, nil
}
