package analysis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/wildcard"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// WitnessKindConfiguration is the Kind of a witness of NoNewConfigAccess:
// it is replayed in the two worlds' stored configuration with
// World.ReplayWitness, not in the synthetic setup of Witness.Context.
const WitnessKindConfiguration = "configuration"

// cfgMaxReplays bounds the candidate requests one NoNewConfigAccess call
// replays (each in both worlds).
const cfgMaxReplays = 256

// cfgWitnessKey is the object key of a witness that creates an object; a
// digit is added while a world holds an object of that name.
const cfgWitnessKey = "s3authz-witness"

// NoNewConfigAccess reports whether the new configuration of one bucket
// (newW) lets a principal outside the bucket owner's account make a request
// the old configuration (oldW) does not allow: the access review's scope
// (shared/spec/analysis.md §5.6). The owner account's own users and roles
// are internal and out of scope. Pass is a proof over every request of
// such a principal; Fail carries a witness of Kind
// WitnessKindConfiguration that World.ReplayWitness allows in newW and not
// in oldW; Unknown gives the reasons the question was not settled. See the
// package documentation (# No new access) for the parts of the proof.
//
// The bucket must be in both worlds with the same owner and DevPay
// product; otherwise, and for nil worlds, the verdict is Unknown.
func NoNewConfigAccess(oldW, newW *World, bucket string, o DiffOptions) (res Result) {
	defer dfRecover(&res)
	c, res, ok := cfgStart(oldW, newW, bucket, o)
	if !ok {
		return res
	}
	return c.run()
}

// ReplayWitness evaluates a witness request against the world's stored
// configuration of the witness's bucket, as NoNewConfigAccess replays it:
// the context of World.Context, and, for a caller of an account other than
// the bucket owner's, an identity policy that allows everything (the
// review assumes other accounts' administrators delegate). A caller of the
// owner's account gets no identity policy. The request is dated at the
// witness's Time. An error says the witness or the world could not be
// replayed; the decision is then not an Allow.
func (w *World) ReplayWitness(wit *Witness) (evaluate.Decision, error) {
	if w == nil || wit == nil {
		return evaluate.ImplicitDeny, ErrNoWorld
	}
	b := w.Buckets[wit.Bucket]
	if b == nil || b.Record == nil {
		return evaluate.ImplicitDeny, fmt.Errorf("%w: %q", ErrNoBucket, wit.Bucket)
	}
	req, err := wit.Request()
	if err != nil {
		return evaluate.ImplicitDeny, err
	}
	if req.Time.IsZero() {
		req.Time = dfReplayTime
	}
	ec := w.Context(b, req.Key)
	p := req.Principal
	if !p.IsAnonymous() && !p.IsService() && p.Account() != b.Record.Owner {
		ec.Identity = []*evaluate.Prepared{dfAllowAll}
	}
	d, diag := evaluate.Evaluate(req, ec)
	if diag.Err != nil {
		return evaluate.ImplicitDeny, diag.Err
	}
	return d, nil
}

// cfgRun is one NoNewConfigAccess question.
type cfgRun struct {
	ctx            context.Context
	o              DiffOptions
	oldW, newW     *World
	ob, nb         *Bucket
	name           string
	owner          ownership.AccountID
	oldRep, newRep *AccessReport
	oldPol, newPol *policy.Policy
	proved         []Reason
	unknown        []Reason
	cands          []cfgCand
	witnessKey     string
	outsider       string // an account other than the owner's
}

// cfgCand is a candidate request with the reason that names where it
// comes from.
type cfgCand struct {
	w      *Witness
	reason Reason
}

func cfgUnknown(format string, args ...any) Result {
	return dfUnknown(fmt.Sprintf(format, args...))
}

func cfgStart(oldW, newW *World, name string, o DiffOptions) (*cfgRun, Result, bool) {
	if oldW == nil || newW == nil {
		return nil, cfgUnknown("a world is missing"), false
	}
	ob, nb := oldW.Buckets[name], newW.Buckets[name]
	switch {
	case ob == nil || ob.Record == nil:
		return nil, cfgUnknown("bucket %q is not in the old world: there is no old configuration to compare with", name), false
	case nb == nil || nb.Record == nil:
		return nil, cfgUnknown("bucket %q is not in the new world", name), false
	case ob.Record.Owner != nb.Record.Owner:
		return nil, cfgUnknown("the bucket's owner changed (%s to %s): who is outside the owner's account differs, so the configurations are not compared", ob.Record.Owner, nb.Record.Owner), false
	case ob.Record.Product != nb.Record.Product:
		return nil, cfgUnknown("the bucket's DevPay product changed (%q to %q)", ob.Record.Product, nb.Record.Product), false
	case !ob.Record.Mode.IsValid() || !nb.Record.Mode.IsValid():
		return nil, cfgUnknown("an Object Ownership setting is not valid"), false
	}
	if ob.Record.Validate() != nil || nb.Record.Validate() != nil {
		return nil, cfgUnknown("a bucket record is not valid"), false
	}
	c := &cfgRun{ctx: context.Background(), o: o, oldW: oldW, newW: newW, ob: ob, nb: nb, name: name, owner: nb.Record.Owner}
	var err error
	if c.oldPol, err = cfgPolicy(ob); err != nil {
		return nil, cfgUnknown("the old bucket policy %v", err), false
	}
	if c.newPol, err = cfgPolicy(nb); err != nil {
		return nil, cfgUnknown("the new bucket policy %v", err), false
	}
	if c.oldRep, err = Review(oldW, name); err != nil {
		return nil, cfgUnknown("the old configuration cannot be reviewed: %v", err), false
	}
	if c.newRep, err = Review(newW, name); err != nil {
		return nil, cfgUnknown("the new configuration cannot be reviewed: %v", err), false
	}
	if why := c.sameRecords(); why != "" {
		return nil, cfgUnknown("%s", why), false
	}
	if why := c.sameDirectory(); why != "" {
		return nil, cfgUnknown("%s", why), false
	}
	c.witnessKey = cfgWitnessKey
	for i := 0; ob.Objects[c.witnessKey] != nil || nb.Objects[c.witnessKey] != nil; i++ {
		c.witnessKey = fmt.Sprintf("%s-%d", cfgWitnessKey, i)
	}
	for _, a := range []string{"999999999999", "888888888888"} {
		if a != string(c.owner) {
			c.outsider = a
			break
		}
	}
	return c, Result{}, true
}

// cfgPolicy returns a bucket's policy document; no policy is a bucket
// policy without statements.
func cfgPolicy(b *Bucket) (*policy.Policy, error) {
	if b.Policy == nil {
		return &policy.Policy{Kind: policy.Bucket, Version: policy.Version2012}, nil
	}
	p := b.Policy.Policy()
	if p == nil {
		return nil, errors.New("cannot be read")
	}
	if p.Kind != policy.Bucket {
		return nil, errors.New("is not a bucket policy")
	}
	return p, nil
}

// sameRecords checks what the evaluator derives from the records besides
// ownership: object records must be valid alike and name the same product,
// and when a policy reads tags, the tags must be the same.
func (c *cfgRun) sameRecords() string {
	tags := cfgReadsTags(c.oldPol) || cfgReadsTags(c.newPol)
	if tags && (c.ob.Record.ABAC != c.nb.Record.ABAC || !slices.Equal(c.ob.Record.Tags, c.nb.Record.Tags)) {
		return "a bucket policy reads tags and the bucket's tags or ABAC setting changed"
	}
	for _, k := range c.keys() {
		or, nr := cfgRecord(c.ob, k), cfgRecord(c.nb, k)
		if (or != nil && or.Validate() != nil) != (nr != nil && nr.Validate() != nil) {
			return fmt.Sprintf("object %s: the record is valid in one world only", k)
		}
		var op, np ownership.ProductCode
		var ot, nt []ownership.Tag
		if or != nil {
			op, ot = or.Product, or.Tags
		}
		if nr != nil {
			np, nt = nr.Product, nr.Tags
		}
		if op != np {
			return fmt.Sprintf("object %s: the record's product changed", k)
		}
		if tags && !slices.Equal(ot, nt) {
			return fmt.Sprintf("object %s: a bucket policy reads tags and the object's tags changed", k)
		}
	}
	return ""
}

// cfgReadsTags reports whether a policy may read a tag key derived from
// the records (s3:ExistingObjectTag, aws:ResourceTag, s3:BucketTag), as a
// condition key or a policy variable.
func cfgReadsTags(p *policy.Policy) bool {
	j, err := p.MarshalJSON()
	if err != nil {
		return true
	}
	s := strings.ToLower(string(j))
	return strings.Contains(s, "existingobjecttag") || strings.Contains(s, "resourcetag") || strings.Contains(s, "buckettag")
}

func cfgRecord(b *Bucket, key string) *ownership.Object {
	if o := b.Objects[key]; o != nil {
		return o.Record
	}
	return nil
}

// keys returns the object keys of either world, sorted.
func (c *cfgRun) keys() []string {
	var ks []string
	for k := range c.ob.Objects {
		ks = append(ks, k)
	}
	for k := range c.nb.Objects {
		if c.ob.Objects[k] == nil {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// sameDirectory checks that the two worlds' directories agree on every
// canonical ID and e-mail address the configurations name, and on the
// canonical IDs of the accounts that own the bucket and its objects: the
// same grant must name the same account in both.
func (c *cfgRun) sameDirectory() string {
	ids := map[string]bool{}
	emails := map[string]bool{}
	accounts := map[ownership.AccountID]bool{c.owner: true}
	addACL := func(a *acl.ACL) {
		if a == nil {
			return
		}
		for _, g := range a.Grants {
			switch g.Grantee.Type {
			case acl.CanonicalUser:
				ids[string(g.Grantee.ID)] = true
			case acl.AmazonCustomerByEmail:
				emails[g.Grantee.Email] = true
			}
		}
	}
	for _, b := range []*Bucket{c.ob, c.nb} {
		addACL(b.ACL)
		for _, o := range b.Objects {
			if o == nil {
				continue
			}
			addACL(o.ACL)
			if o.Record != nil && !o.Record.Owner.Anonymous {
				accounts[o.Record.Owner.Account] = true
			}
		}
	}
	for _, p := range []*policy.Policy{c.oldPol, c.newPol} {
		for i := range p.Statements {
			for _, pr := range []*policy.Principals{p.Statements[i].Principal, p.Statements[i].NotPrincipal} {
				if pr != nil {
					for _, id := range pr.CanonicalUser {
						ids[id] = true
					}
				}
			}
		}
	}
	type answer struct {
		v      string
		ok     bool
		failed bool
	}
	look := func(w *World, f func(ownership.Directory) (string, bool, error)) answer {
		if w.Directory == nil {
			return answer{}
		}
		v, ok, err := f(w.Directory)
		return answer{v: v, ok: ok, failed: err != nil}
	}
	same := func(what string, f func(ownership.Directory) (string, bool, error)) string {
		a, b := look(c.oldW, f), look(c.newW, f)
		if a.failed || b.failed {
			return "a directory lookup of " + what + " failed"
		}
		if a.ok != b.ok || a.v != b.v {
			return "the worlds' directories disagree on " + what
		}
		return ""
	}
	for _, id := range cfgSorted(ids) {
		if why := same("canonical ID "+id, func(d ownership.Directory) (string, bool, error) {
			a, ok, err := d.AccountOf(c.ctx, ownership.CanonicalID(id))
			return string(a), ok, err
		}); why != "" {
			return why
		}
		if c.newW.Directory != nil {
			// The account's own canonical ID must agree too: the
			// evaluator matches its callers by it.
			if a, ok, err := c.newW.Directory.AccountOf(c.ctx, ownership.CanonicalID(id)); ok && err == nil {
				accounts[a] = true
			}
		}
	}
	for _, e := range cfgSorted(emails) {
		if why := same("e-mail address "+e, func(d ownership.Directory) (string, bool, error) {
			a, ok, err := d.AccountByEmail(c.ctx, e)
			return string(a), ok, err
		}); why != "" {
			return why
		}
	}
	accts := map[string]bool{}
	for a := range accounts {
		accts[string(a)] = true
	}
	for _, a := range cfgSorted(accts) {
		if why := same("account "+a, func(d ownership.Directory) (string, bool, error) {
			id, ok, err := d.CanonicalID(c.ctx, ownership.AccountID(a))
			return string(id), ok, err
		}); why != "" {
			return why
		}
	}
	return ""
}

func cfgSorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// run checks every part, then replays the candidates.
func (c *cfgRun) run() Result {
	c.policyPart()
	c.denyPart()
	c.aclPart()
	c.ownershipPart()
	c.writePart()
	if w, r, ok := c.replay(); ok {
		return Result{Verdict: Fail, Witness: w, Reasons: []Reason{r}}
	}
	if len(c.unknown) > 0 {
		return Result{Verdict: Unknown, Reasons: c.unknown}
	}
	return Result{Verdict: Pass, Reasons: c.proved}
}

func (c *cfgRun) prove(part, desc string) {
	c.proved = append(c.proved, Reason{Index: -1, Description: part + ": " + desc})
}

func (c *cfgRun) undecided(part, desc string) {
	c.unknown = append(c.unknown, Reason{Index: -1, Description: part + ": " + desc})
}

func (c *cfgRun) candidate(w *Witness, r Reason) {
	c.cands = append(c.cands, cfgCand{w: w, reason: r})
}

// replay tries the candidates in order and returns the first the new
// world allows and the old does not.
func (c *cfgRun) replay() (*Witness, Reason, bool) {
	seen := map[string]bool{}
	n := 0
	for _, cd := range c.cands {
		k := cd.w.String()
		if seen[k] {
			continue
		}
		seen[k] = true
		if n++; n > cfgMaxReplays {
			c.undecided("replay", fmt.Sprintf("the replay budget (%d requests) ran out", cfgMaxReplays))
			break
		}
		if c.confirm(cd.w) {
			return cd.w, cd.reason, true
		}
	}
	return nil, Reason{}, false
}

// confirm reports whether the new world allows w and the old does not,
// both replays without error, from a caller outside the owner's account.
func (c *cfgRun) confirm(w *Witness) bool {
	req, err := w.Request()
	if err != nil || c.internal(req.Principal) {
		return false
	}
	d, err := c.newW.ReplayWitness(w)
	if err != nil || !d.Allowed() {
		return false
	}
	d, err = c.oldW.ReplayWitness(w)
	return err == nil && !d.Allowed()
}

// internal reports whether a caller belongs to the owner's account.
func (c *cfgRun) internal(p ownership.Principal) bool {
	return !p.IsAnonymous() && !p.IsService() && p.Account() == c.owner
}

// witness builds a configuration witness.
func (c *cfgRun) witness(principal, action, key string, keys map[string][]string) *Witness {
	return &Witness{Principal: principal, Action: action, Bucket: c.name, Key: key, Keys: keys,
		BucketOwner: string(c.owner), Kind: WitnessKindConfiguration, Time: dfReplayTime.Format(time.RFC3339)}
}

// restricted reports whether RestrictPublicBuckets keeps a world's policy
// from granting anything outside the owner's account but to services.
func restricted(r *AccessReport) bool {
	return r.Effective.RestrictPublicBuckets && r.PolicyPublic != nil && *r.PolicyPublic
}

// policyPart: every request of an outside principal that the new bucket
// policy grants in the new world is granted by the old policy in the old
// world (objects whose owner changed aside, see ownershipPart).
func (c *cfgRun) policyPart() {
	const part = "bucket policy"
	r := NoNewAccess(c.oldPol, c.newPol, c.o)
	oldR, newR := restricted(c.oldRep), restricted(c.newRep)
	if r.Verdict == Pass && (!oldR || newR) {
		desc := "every request the new policy allows, the old one allows"
		if newR {
			desc += "; RestrictPublicBuckets limits the new one further"
		}
		c.prove(part, desc)
		return
	}
	if r.Verdict == Fail && r.Witness != nil {
		w := *r.Witness
		w.Bucket, w.BucketOwner, w.Kind = c.name, string(c.owner), WitnessKindConfiguration
		c.candidate(&w, cfgPolicyReason(r))
	}
	// Other candidates: the new policy's grants.
	nonService := false
	for i := range c.newRep.Findings {
		f := &c.newRep.Findings[i]
		if f.Source.Kind != SourceStatement {
			continue
		}
		service := strings.HasPrefix(f.Principal, "service:") || f.Principal == "*"
		if f.BlockedBy == BlockedNone && !strings.HasPrefix(f.Principal, "service:") {
			nonService = true
		}
		if f.BlockedBy != BlockedNone && !service {
			continue
		}
		c.findingCandidates(f, "", f.BlockedBy != BlockedNone)
	}
	switch {
	case r.Verdict == Pass && oldR && !nonService:
		// Old restricted, new not: only services had access through the
		// old policy, and the new one grants nobody else.
		c.prove(part, "every request the new policy allows, the old one allows, and the new policy grants nobody outside the owner's account but services")
	case newR:
		c.undecided(part, "RestrictPublicBuckets limits the new policy to AWS service principals outside the owner's account; whether it grants them more than the old one was not decided: "+cfgReasonText(r))
	case r.Verdict == Pass:
		c.undecided(part, "RestrictPublicBuckets no longer limits the policy: the grants it blocked in the old configuration may now apply")
	default:
		c.undecided(part, "new access was not ruled out: "+cfgReasonText(r))
	}
}

func cfgPolicyReason(r Result) Reason {
	for _, x := range r.Reasons {
		if x.Pointer != "" {
			return Reason{Pointer: x.Pointer, Sid: x.Sid, Index: x.Index, Description: "bucket policy: statement " + x.Pointer + " of the new policy allows the witness request, which the old configuration does not allow"}
		}
	}
	return Reason{Index: -1, Description: "bucket policy: the new policy allows the witness request, which the old configuration does not allow"}
}

func cfgReasonText(r Result) string {
	if r.Verdict == Fail && r.Witness != nil {
		return "the policies alone allow " + r.Witness.String() + " under the new policy only"
	}
	var parts []string
	for _, x := range r.Reasons {
		parts = append(parts, x.Description)
	}
	if len(parts) == 0 {
		return r.Verdict.String()
	}
	return strings.Join(parts, "; ")
}

// denyPart: the new policy keeps every Deny of the old, so that grants
// outside the policy (ACLs, the owners of objects) are denied no less.
// Needed only when the new world has such grants.
func (c *cfgRun) denyPart() {
	const part = "Deny statements"
	needed := c.newRep.ACLsEnabled && slices.ContainsFunc(c.newRep.Findings, func(f AccessFinding) bool {
		return f.Source.Kind != SourceStatement && f.BlockedBy == BlockedNone
	})
	outside := c.outsideOwned()
	if !needed && len(outside) == 0 {
		return
	}
	oldDeny, newDeny := cfgDenies(c.oldPol), cfgDenies(c.newPol)
	if len(oldDeny.Statements) == 0 {
		c.prove(part, "the old policy has none")
		return
	}
	texts := map[string]bool{}
	for i := range newDeny.Statements {
		texts[cfgStmtText(c.newPol, &newDeny.Statements[i])] = true
	}
	all := true
	for i := range oldDeny.Statements {
		all = all && texts[cfgStmtText(c.oldPol, &oldDeny.Statements[i])]
	}
	if all {
		c.prove(part, "the new policy keeps every Deny statement of the old one")
		return
	}
	// A Deny set is an Allow set with the effect flipped: old ⊆ new.
	r := NoNewAccess(cfgFlip(newDeny), cfgFlip(oldDeny), c.o)
	if r.Verdict == Pass {
		c.prove(part, "every request the old policy denies, the new one denies")
		return
	}
	for i := range c.newRep.Findings {
		f := &c.newRep.Findings[i]
		if f.Source.Kind != SourceStatement && f.BlockedBy == BlockedNone {
			c.findingCandidates(f, part, false)
		}
	}
	for _, k := range outside {
		c.ownerCandidates(k, part)
	}
	c.undecided(part, "the new policy may deny less than the old one ("+cfgReasonText(r)+"), and the new configuration grants access outside the policy (ACLs or objects other accounts own)")
}

// outsideOwned lists the keys of new objects owned, for authorization, by
// someone outside the owner's account.
func (c *cfgRun) outsideOwned() []string {
	var out []string
	for _, k := range c.keys() {
		if o, ok := c.effOwner(c.nb, k); ok && (o.Anonymous || o.Account != c.owner) {
			out = append(out, k)
		}
	}
	return out
}

// effOwner returns who owns key for authorization, and false when the
// bucket holds no such object (the bucket owner's policy then answers).
func (c *cfgRun) effOwner(b *Bucket, key string) (ownership.Owner, bool) {
	r := cfgRecord(b, key)
	if r == nil {
		return ownership.AccountOwner(c.owner), false
	}
	return b.Record.EffectiveOwner(r), true
}

// cfgDenies returns the policy's Deny statements as a policy.
func cfgDenies(p *policy.Policy) *policy.Policy {
	out := &policy.Policy{Kind: p.Kind, Version: p.Version}
	for i := range p.Statements {
		if p.Statements[i].Effect == policy.Deny {
			out.Statements = append(out.Statements, p.Statements[i])
		}
	}
	return out
}

// cfgFlip returns a copy of the policy with every statement an Allow.
func cfgFlip(p *policy.Policy) *policy.Policy {
	out := &policy.Policy{Kind: p.Kind, Version: p.Version, Statements: slices.Clone(p.Statements)}
	for i := range out.Statements {
		out.Statements[i].Effect = policy.Allow
	}
	return out
}

// cfgStmtText is a statement's JSON without its Sid and place, for
// comparing statements of two policies (with the policy's version).
func cfgStmtText(p *policy.Policy, st *policy.Statement) string {
	s := *st
	s.Sid, s.Pointer, s.Offset = "", "", 0
	j, err := (&policy.Policy{Kind: p.Kind, Version: p.Version, Statements: []policy.Statement{s}}).MarshalJSON()
	if err != nil {
		return fmt.Sprintf("unreadable %p", st)
	}
	return string(j)
}

// aclPart: every ACL grant in effect in the new world is matched by one in
// effect in the old world with the same grantee and resource and at least
// its actions (grants are matched by content, not by index).
func (c *cfgRun) aclPart() {
	const part = "ACLs"
	if !c.newRep.ACLsEnabled {
		c.prove(part, "ACLs are disabled in the new configuration (BucketOwnerEnforced)")
		return
	}
	ok := true
	for i := range c.newRep.Findings {
		f := &c.newRep.Findings[i]
		if f.Source.Kind == SourceStatement || f.BlockedBy != BlockedNone {
			continue
		}
		missing := c.uncoveredActions(f)
		if len(missing) == 0 {
			continue
		}
		if strings.HasPrefix(f.Principal, "email:") {
			// An address no account is registered under names nobody
			// (the directories agree on it).
			continue
		}
		ok = false
		desc := fmt.Sprintf("%s grants %s %s, which no grant in effect in the old configuration does", f.Source, f.Principal, strings.Join(missing, ", "))
		c.undecided(part, desc+"; no request showing it was confirmed")
		reason := Reason{Index: -1, Description: part + ": " + desc}
		p, good := c.principalOf(f.Principal)
		if !good {
			continue
		}
		for _, a := range missing {
			key := f.Source.Key
			if f.Source.Kind == SourceBucketACL {
				key = ""
				if info, found := policy.LookupAction(a); !found || info.Resource == policy.ResourceObject {
					key = c.witnessKey
				}
			}
			c.candidate(c.witness(p, a, key, nil), reason)
		}
	}
	if ok {
		c.prove(part, "every ACL grant in effect in the new configuration is in effect in the old one")
	}
}

// uncoveredActions returns the actions of an ACL finding of the new world
// that no ACL finding in effect in the old world with the same principal,
// ACL and resources grants.
func (c *cfgRun) uncoveredActions(f *AccessFinding) []string {
	var have []string
	if c.oldRep.ACLsEnabled {
		for i := range c.oldRep.Findings {
			g := &c.oldRep.Findings[i]
			if g.BlockedBy != BlockedNone || !cfgGranteeCovers(g.Principal, f.Principal) || g.Source.Kind != f.Source.Kind || g.Source.Key != f.Source.Key {
				continue
			}
			if !cfgSubset(f.Resources, g.Resources) || len(g.Except) > 0 || len(g.ExceptResources) > 0 {
				continue
			}
			have = append(have, g.Actions...)
		}
	}
	if len(f.Except) > 0 || len(f.ExceptResources) > 0 {
		// Not an ACL grant's shape: nothing covers it.
		return f.Actions
	}
	var missing []string
	for _, a := range f.Actions {
		if !slices.Contains(have, a) && !slices.Contains(have, "*") {
			missing = append(missing, a)
		}
	}
	return missing
}

// cfgGranteeCovers reports whether an ACL grant to old reaches every
// caller a grant to nw reaches: the same grantee; AllUsers ("*") covers
// AuthenticatedUsers and accounts; AuthenticatedUsers covers accounts.
func cfgGranteeCovers(old, nw string) bool {
	if old == nw {
		return true
	}
	account := strings.HasPrefix(nw, "canonical:") || strings.HasPrefix(nw, "account:")
	switch old {
	case "*":
		return nw == "authenticated" || account
	case "authenticated":
		return account
	}
	return false
}

func cfgSubset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// principalOf turns a finding principal into a witness caller; false when
// it names no caller that can be built.
func (c *cfgRun) principalOf(form string) (string, bool) {
	switch {
	case form == "*":
		return "anonymous", true
	case form == "authenticated":
		return "arn:aws:iam::" + c.outsider + ":user/witness", true
	case form == "group:LogDelivery":
		return "service:logging.s3.amazonaws.com", true
	case strings.HasPrefix(form, "service:"):
		return form, true
	case strings.HasPrefix(form, "account:"):
		return "arn:aws:iam::" + strings.TrimPrefix(form, "account:") + ":root", true
	case strings.HasPrefix(form, "canonical:"):
		if c.newW.Directory == nil {
			return "", false
		}
		a, ok, err := c.newW.Directory.AccountOf(c.ctx, ownership.CanonicalID(strings.TrimPrefix(form, "canonical:")))
		if !ok || err != nil {
			return "", false
		}
		return "arn:aws:iam::" + string(a) + ":root", true
	case strings.HasPrefix(form, "arn:"):
		if _, err := ownership.ParsePrincipal(form); err == nil {
			return form, true
		}
	}
	return "", false
}

// findingCandidates adds requests a finding of the new world grants: its
// principal (an AWS service principal when only services pass), a few
// catalog actions of it, and a resource of each action's kind.
func (c *cfgRun) findingCandidates(f *AccessFinding, part string, servicesOnly bool) {
	if part == "" {
		part = "bucket policy"
	}
	who, ok := c.principalOf(f.Principal)
	if servicesOnly || f.Principal == "*" && !ok {
		who, ok = "service:witness.amazonaws.com", true
	}
	if !ok {
		return
	}
	reason := Reason{Index: -1, Description: fmt.Sprintf("%s: %s grants %s the witness request, which the old configuration does not allow", part, f.Source, f.Principal)}
	if f.Source.Kind == SourceStatement {
		reason.Pointer, reason.Sid = f.Source.Pointer, f.Source.Sid
	}
	keys := c.findingKeys(f)
	n := 0
	for _, a := range policy.Actions() {
		if n >= 6 {
			break
		}
		if a.Name == "s3:CreateBucket" || a.Resource == policy.ResourceNone || !cfgMatchAny(f.Actions, a.Name, true) || cfgMatchAny(f.Except, a.Name, true) {
			continue
		}
		for _, key := range keys {
			if (key == "") != (a.Resource == policy.ResourceBucket) {
				continue
			}
			n++
			c.candidate(c.witness(who, a.Name, key, nil), reason)
		}
	}
	if servicesOnly && f.Principal == "*" {
		return
	}
	if who == "anonymous" {
		// Also a caller of another account, which "*" names too.
		c.findingCandidates(&AccessFinding{Principal: "authenticated", Actions: f.Actions, Except: f.Except, Resources: f.Resources,
			ExceptResources: f.ExceptResources, Source: f.Source}, part, false)
	}
}

// findingKeys returns the resources a finding's requests name: "" for the
// bucket, or object keys.
func (c *cfgRun) findingKeys(f *AccessFinding) []string {
	bucketARN := "arn:aws:s3:::" + c.name
	var keys []string
	add := func(k string) {
		if !slices.Contains(keys, k) && len(keys) < 4 {
			keys = append(keys, k)
		}
	}
	for _, r := range f.Resources {
		switch {
		case r == bucketARN:
			add("")
		case strings.HasPrefix(r, bucketARN+"/"):
			k := strings.NewReplacer("*", "x", "?", "x").Replace(strings.TrimPrefix(r, bucketARN+"/"))
			if k != "" && !strings.Contains(k, "${") {
				add(k)
			}
		default:
			if cfgMatchAny([]string{r}, bucketARN, false) {
				add("")
			}
			for _, k := range []string{c.witnessKey, "x"} {
				if cfgMatchAny([]string{r}, bucketARN+"/"+k, false) {
					add(k)
				}
			}
		}
	}
	// Stored objects the finding reaches.
	for _, k := range c.keys() {
		if cfgMatchAny(f.Resources, bucketARN+"/"+k, false) {
			add(k)
		}
	}
	return keys
}

func cfgMatchAny(patterns []string, s string, fold bool) bool {
	for _, q := range patterns {
		if strings.Contains(q, "${") {
			continue
		}
		p := wildcard.CompileGlob(q, fold)
		if p.Match(s, nil) {
			return true
		}
	}
	return false
}

// ownerCandidates adds requests of the outside owner of an object to it.
func (c *cfgRun) ownerCandidates(key, part string) {
	o, _ := c.effOwner(c.nb, key)
	who := "anonymous"
	if !o.Anonymous {
		who = "arn:aws:iam::" + string(o.Account) + ":root"
	}
	reason := Reason{Index: -1, Description: fmt.Sprintf("%s: object %s is owned by %s in the new configuration, which the old configuration does not let make the witness request", part, key, o)}
	for _, a := range []string{"s3:GetObject", "s3:GetObjectAcl", "s3:PutObjectAcl", "s3:GetObjectVersion"} {
		c.candidate(c.witness(who, a, key, nil), reason)
	}
}

// ownershipPart: an object whose owner for authorization changed changes
// who grants access to it. A new outside owner gains its owner's access;
// an object the bucket owner now owns comes under the bucket policy.
func (c *cfgRun) ownershipPart() {
	const part = "object ownership"
	ok := true
	policyGrants := slices.ContainsFunc(c.newRep.Findings, func(f AccessFinding) bool {
		return f.Source.Kind == SourceStatement && (f.BlockedBy == BlockedNone || f.Principal == "*" || strings.HasPrefix(f.Principal, "service:"))
	})
	for _, k := range c.keys() {
		oo, _ := c.effOwner(c.ob, k)
		no, _ := c.effOwner(c.nb, k)
		if oo == no {
			continue
		}
		switch {
		case no.Anonymous || no.Account != c.owner:
			ok = false
			c.ownerCandidates(k, part)
			c.undecided(part, fmt.Sprintf("object %s is owned by %s in the new configuration and by %s in the old; the new owner's access was not confirmed as new", k, no, oo))
		case policyGrants:
			ok = false
			for i := range c.newRep.Findings {
				f := &c.newRep.Findings[i]
				if f.Source.Kind == SourceStatement && (f.BlockedBy == BlockedNone || f.Principal == "*" || strings.HasPrefix(f.Principal, "service:")) {
					c.findingCandidates(f, part, f.BlockedBy != BlockedNone)
				}
			}
			c.undecided(part, fmt.Sprintf("object %s is owned by the bucket owner in the new configuration and by %s in the old, so the bucket policy now grants access to it", k, oo))
		}
	}
	if ok {
		c.prove(part, "no object's owner changed in a way that grants access")
	}
}

// writePart: requests that store ACLs (PutBucketAcl, PutObjectAcl,
// uploads with ACL headers) are refused under BucketOwnerEnforced and, when
// public, under BlockPublicAcls. If the new configuration refuses fewer of
// them, anyone who may write there may now make such requests.
func (c *cfgRun) writePart() {
	const part = "ACL writes"
	oldEff, newEff := c.oldRep.Effective, c.newRep.Effective
	looser := (!c.oldRep.ACLsEnabled && c.newRep.ACLsEnabled) || (oldEff.BlockPublicAcls && !newEff.BlockPublicAcls)
	if !looser {
		return
	}
	writers := c.outsideOwned()
	for i := range c.newRep.Findings {
		f := &c.newRep.Findings[i]
		inEffect := f.BlockedBy == BlockedNone || f.Principal == "*" || strings.HasPrefix(f.Principal, "service:")
		if !inEffect {
			continue
		}
		for _, a := range []string{"s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:PutBucketAcl"} {
			if cfgMatchAny(f.Actions, a, true) && !cfgMatchAny(f.Except, a, true) {
				writers = append(writers, f.Source.String())
				break
			}
		}
	}
	if len(writers) == 0 {
		c.prove(part, "the new configuration refuses fewer ACLs on writes, but grants nobody outside the owner's account a write that carries one")
		return
	}
	c.undecided(part, "the new configuration refuses fewer ACLs on writes (Object Ownership or BlockPublicAcls), and "+writers[0]+" lets someone outside the owner's account write: requests carrying an ACL are not replayed")
}
