package analysis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// Errors of Review; each error it returns wraps one of them.
var (
	// ErrNoWorld marks a nil World.
	ErrNoWorld = errors.New("analysis: no world")
	// ErrNoBucket marks a bucket the World does not hold, or holds without
	// its record.
	ErrNoBucket = errors.New("analysis: no such bucket")
)

// Review lists who outside the bucket owner's account the stored
// configuration of one bucket lets reach it: one finding per principal of
// each Allow statement of the bucket policy, and one per grant of the
// bucket ACL and of every object ACL, with the Deny statements, Block
// Public Access and Object Ownership applied as shared/spec/analysis.md
// §4.2 says. See the package documentation, section "Access review", for
// the rules and for what a finding claims.
//
// It fails with an error wrapping ErrNoWorld for a nil World and
// ErrNoBucket for a bucket the World does not hold. Anything else it
// cannot read is reported as access, never dropped.
func Review(w *World, bucket string) (*AccessReport, error) {
	if w == nil {
		return nil, ErrNoWorld
	}
	b := w.Buckets[bucket]
	if b == nil || b.Record == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoBucket, bucket)
	}
	r := newReviewer(w, b, bucket)
	return r.run(), nil
}

// reviewer holds what one Review call works out once: the owner's
// identities, the effective Block Public Access, the bucket policy, and
// the caches of action expansions.
type reviewer struct {
	ctx        context.Context
	w          *World
	b          *Bucket
	name       string
	owner      ownership.AccountID
	ownerCanon ownership.CanonicalID // "" when the directory does not know it
	eff        ownership.PublicAccessBlock
	pol        *policy.Policy
	polPublic  bool
	acls       bool
	rep        *AccessReport
	actions    actionCache
}

func newReviewer(w *World, b *Bucket, name string) *reviewer {
	r := &reviewer{ctx: context.Background(), w: w, b: b, name: name, owner: b.Record.Owner}
	if w.Directory != nil {
		if id, ok, err := w.Directory.CanonicalID(r.ctx, r.owner); ok && err == nil {
			r.ownerCanon = id
		}
	}
	r.eff = w.BlockPublicAccess(b)
	r.rep = &AccessReport{Bucket: name, Owner: r.owner, Effective: r.eff, Findings: []AccessFinding{}, Notes: []string{}}
	mode := b.Record.Mode
	// Fail closed: an Object Ownership setting that is not one of the
	// three is read as ACLs enabled, so that no grant goes unreported.
	r.acls = mode.ACLsEnabled() || !mode.IsValid()
	if !mode.IsValid() {
		r.note("Object Ownership setting %s is not valid: ACL grants are reported as if ACLs were enabled", mode)
	}
	r.rep.ACLsEnabled = r.acls
	if b.Policy != nil {
		r.pol = b.Policy.Policy()
	}
	return r
}

func (r *reviewer) note(format string, args ...any) {
	r.rep.Notes = append(r.rep.Notes, fmt.Sprintf(format, args...))
}

// run performs steps 3 to 8 of the procedure and returns the report.
func (r *reviewer) run() *AccessReport {
	if r.b.Policy != nil {
		if r.pol == nil {
			// A prepared policy without its document cannot be read: say
			// so, and report everyone as having every access, public.
			r.note("the bucket policy cannot be read: every access is reported")
			t := true
			r.rep.PolicyPublic = &t
			r.polPublic = true
			r.add(AccessFinding{Principal: "*", Actions: []string{"*"}, Resources: []string{"*"}, Public: true,
				Source: Source{Kind: SourceStatement, Pointer: ""}})
		} else {
			pub := r.pol.IsPublic()
			r.rep.PolicyPublic = &pub
			r.polPublic = pub
			r.policyFindings()
		}
	}
	if r.acls {
		r.aclFindings()
	}
	r.finish()
	return r.rep
}

// add completes a finding (levels, neutralisation, Deny statements) and
// appends it unless an unconditional Deny covers it.
func (r *reviewer) add(f AccessFinding) {
	if r.denied(&f) {
		return
	}
	f.Levels = r.actions.levels(f.Actions, f.Except)
	f.ConditionKeys = conditionKeys(f.Conditions)
	r.rep.Findings = append(r.rep.Findings, f)
}

// finish sorts the findings and sets Public.
func (r *reviewer) finish() {
	slices.SortStableFunc(r.rep.Findings, func(a, b AccessFinding) int {
		if c := compareSource(a.Source, b.Source); c != 0 {
			return c
		}
		return strings.Compare(a.Principal, b.Principal)
	})
	for i := range r.rep.Findings {
		f := &r.rep.Findings[i]
		if f.Public && f.BlockedBy == BlockedNone {
			r.rep.Public = true
		}
	}
}

// compareSource orders sources: policy statements in document order, then
// the bucket ACL's grants, then each object's ACL by key.
func compareSource(a, b Source) int {
	if a.Kind != b.Kind {
		return int(a.Kind) - int(b.Kind)
	}
	switch a.Kind {
	case SourceStatement:
		return comparePointer(a.Pointer, b.Pointer)
	case SourceObjectACL:
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
	}
	return a.Grant - b.Grant
}

// comparePointer orders statement pointers by statement index
// ("/Statement/2" before "/Statement/10").
func comparePointer(a, b string) int {
	ia, ea := strconv.Atoi(strings.TrimPrefix(a, "/Statement/"))
	ib, eb := strconv.Atoi(strings.TrimPrefix(b, "/Statement/"))
	if ea == nil && eb == nil {
		return ia - ib
	}
	return strings.Compare(a, b)
}

// conditionKeys lists the keys of conditions, each once (compared without
// regard to ASCII case), in order.
func conditionKeys(cs []AccessCondition) []string {
	keys := []string{}
	for _, c := range cs {
		if !slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, c.Key) }) {
			keys = append(keys, c.Key)
		}
	}
	return keys
}

// bucketARN and objectARN name the reviewed bucket and one of its objects.
func (r *reviewer) bucketARN() string           { return "arn:aws:s3:::" + r.name }
func (r *reviewer) objectARN(key string) string { return "arn:aws:s3:::" + r.name + "/" + key }

// accountPrincipal is the finding principal of an account.
func accountPrincipal(id ownership.AccountID) string { return "account:" + string(id) }

// isOwnerCanonical reports whether a canonical user ID belongs to the
// bucket owner's account: it is the owner's ID, or the directory says so.
// A lookup that fails is not the owner's, so the grant is reported.
func (r *reviewer) isOwnerCanonical(id string) bool {
	if id == "" {
		return false
	}
	if r.ownerCanon != "" && id == string(r.ownerCanon) {
		return true
	}
	if r.w.Directory == nil {
		return false
	}
	acct, ok, err := r.w.Directory.AccountOf(r.ctx, ownership.CanonicalID(id))
	return ok && err == nil && acct == r.owner
}
