package analysis

import (
	"errors"
	"fmt"
	"strings"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// CurrentDPPSeed names the text of the Data Protection Policy the profile
// checks: the seed file shared/seeds/001_dfb217a7b7b3dbe5.txt. Its
// sections are what ProfileFinding.Section cites.
const CurrentDPPSeed = "001_dfb217a7b7b3dbe5"

// DPPProfile pins the version of the Data Protection Policy a profile run
// checks, so that a report says which text it measured the bucket
// against. The zero DPPProfile means the current seed, CurrentDPPSeed.
type DPPProfile struct {
	// Seed is the DPP text version, such as "001_dfb217a7b7b3dbe5"; ""
	// means CurrentDPPSeed. Any other value is refused by Profile.
	Seed string
}

// DefaultDPP returns the profile of the current Data Protection Policy
// text, CurrentDPPSeed.
func DefaultDPP() DPPProfile { return DPPProfile{Seed: CurrentDPPSeed} }

// seed returns the seed the profile pins, resolving the zero value.
func (p DPPProfile) seed() string {
	if p.Seed == "" {
		return CurrentDPPSeed
	}
	return p.Seed
}

// ProfileFinding is one way a bucket's configuration falls short of the
// Data Protection Policy (shared/spec/analysis.md §6).
type ProfileFinding struct {
	// Code is the check's code, such as "DPP_TLS_NOT_ENFORCED".
	Code string `json:"code"`
	// Type is SecurityWarning or Warning; the profile reports no Error,
	// as the configuration works but falls short of the policy.
	Type Type `json:"type"`
	// Section is the DPP section the check enforces, as the analysis
	// corpus writes it: "1.1, 2.3", "1.5", ...
	Section string `json:"section"`
	// Message is one sentence saying what is missing.
	Message string `json:"message"`
	// Evidence names what the finding rests on: statements ("statement
	// /Statement/0"), ACL grants ("bucket-acl grant 1"), settings
	// ("BlockPublicPolicy off").
	Evidence []string `json:"evidence"`
	// Sources are the statements and ACL grants of Evidence, for tools
	// that point at them; empty when the finding rests on settings or on
	// what the policy lacks.
	Sources []Source `json:"sources,omitempty"`
}

// The profile's codes, in the order Profile reports them.
const (
	DPPPublicAccess           = "DPP_PUBLIC_ACCESS"
	DPPBPANotAllOn            = "DPP_BPA_NOT_ALL_ON"
	DPPACLsEnabled            = "DPP_ACLS_ENABLED"
	DPPWildcardPrincipal      = "DPP_WILDCARD_PRINCIPAL"
	DPPCrossAccountFullAccess = "DPP_CROSS_ACCOUNT_FULL_ACCESS"
	DPPTLSNotEnforced         = "DPP_TLS_NOT_ENFORCED"
	DPPTLSVersionNotEnforced  = "DPP_TLS_VERSION_NOT_ENFORCED"
	DPPSSENotRequired         = "DPP_SSE_NOT_REQUIRED"
)

// The DPP sections the checks enforce, as the analysis corpus writes them.
const (
	dppPublicAccessSection = "1.1, 2.3"
	dppBPASection          = "1.1"
	dppACLsSection         = "1.3"
	dppWildcardSection     = "1.2"
	dppCrossAccountSection = "1.3"
	dppTLSSection          = "1.5"
	dppSSESection          = "2.4"
)

// ErrUnknownDPPSeed is returned by Profile for a DPPProfile whose Seed
// names a text the profile does not know.
var ErrUnknownDPPSeed = errors.New("analysis: unknown Data Protection Policy seed")

// Profile checks bucket in w against the Data Protection Policy p pins:
// the access review of the bucket (Review) plus the proofs that insecure
// transport, TLS below 1.2 and unencrypted writes are denied. Findings
// come one per code at most, in a fixed order: DPP_PUBLIC_ACCESS,
// DPP_BPA_NOT_ALL_ON, DPP_ACLS_ENABLED, DPP_WILDCARD_PRINCIPAL,
// DPP_CROSS_ACCOUNT_FULL_ACCESS, DPP_TLS_NOT_ENFORCED,
// DPP_TLS_VERSION_NOT_ENFORCED, DPP_SSE_NOT_REQUIRED. An empty result
// means the bucket meets every check. The error wraps ErrUnknownDPPSeed,
// or is the review's (a nil World or a bucket w does not hold among
// them).
func Profile(w *World, bucket string, p DPPProfile) ([]ProfileFinding, error) {
	if p.seed() != CurrentDPPSeed {
		return nil, fmt.Errorf("%w: %q", ErrUnknownDPPSeed, p.Seed)
	}
	r, err := Review(w, bucket)
	if err != nil {
		return nil, err
	}
	b := w.bucket(bucket)
	if b == nil {
		// Review vouched for the bucket; a world without it is not one
		// the profile can check.
		return nil, fmt.Errorf("analysis: profile: no bucket %q in the world", bucket)
	}
	return profileOf(w, b, r), nil
}

// bucket returns the named bucket of w, nil when w or the bucket (or its
// record) is missing.
func (w *World) bucket(name string) *Bucket {
	if w == nil {
		return nil
	}
	b := w.Buckets[name]
	if b == nil || b.Record == nil {
		return nil
	}
	return b
}

// profileOf runs the eight checks on bucket b of w, given its access
// review r. A nil r is read as a review that found nothing it could
// vouch for: the checks that rest on it report as if public access were
// possible, so a missing review never reads as compliance.
func profileOf(w *World, b *Bucket, r *AccessReport) []ProfileFinding {
	var out []ProfileFinding
	add := func(f *ProfileFinding) {
		if f != nil {
			out = append(out, *f)
		}
	}
	add(checkPublicAccess(r))
	add(checkBPA(w, b))
	add(checkACLs(b))
	add(checkWildcard(r))
	add(checkCrossAccountFull(b, r))
	name := b.Record.Name
	pol := bucketPolicy(b)
	add(checkProof(pol, name, violationInsecureTransport))
	add(checkProof(pol, name, violationOldTLS))
	add(checkProof(pol, name, violationNoSSE))
	return out
}

// bucketPolicy returns the parsed bucket policy of b, nil without one.
func bucketPolicy(b *Bucket) *policy.Policy {
	if b.Policy == nil {
		return nil
	}
	return b.Policy.Policy()
}

// inEffect reports whether a finding gives access: no Block Public
// Access flag neutralises it.
func inEffect(f *AccessFinding) bool { return f.BlockedBy == BlockedNone }

// appendOnce appends s to list unless it is there already.
func appendOnce(list []string, s string) []string {
	for _, e := range list {
		if e == s {
			return list
		}
	}
	return append(list, s)
}

// addSource adds a statement or grant to a finding's evidence and sources,
// once.
func (f *ProfileFinding) addSource(src Source) {
	n := len(f.Evidence)
	if f.Evidence = appendOnce(f.Evidence, src.String()); len(f.Evidence) > n {
		f.Sources = append(f.Sources, src)
	}
}

// checkPublicAccess is DPP_PUBLIC_ACCESS: the review finds public access
// in effect.
func checkPublicAccess(r *AccessReport) *ProfileFinding {
	if r == nil {
		return &ProfileFinding{Code: DPPPublicAccess, Type: SecurityWarning, Section: dppPublicAccessSection,
			Message:  "No access review of the bucket is available, so public access cannot be ruled out (DPP 1.1: restrict public access to approved users; 2.3: no PII on public links).",
			Evidence: []string{"no access review"}}
	}
	if !r.Public {
		return nil
	}
	pf := &ProfileFinding{Code: DPPPublicAccess, Type: SecurityWarning, Section: dppPublicAccessSection,
		Message: "The bucket or some of its objects are public: anyone can reach them without being an approved user (DPP 1.1), and PII stored there sits behind a public link (DPP 2.3)."}
	for i := range r.Findings {
		if f := &r.Findings[i]; f.Public && inEffect(f) {
			pf.addSource(f.Source)
		}
	}
	return pf
}

// checkBPA is DPP_BPA_NOT_ALL_ON: the effective Block Public Access
// (account OR bucket) lacks a flag.
func checkBPA(w *World, b *Bucket) *ProfileFinding {
	eff := w.BlockPublicAccess(b)
	var ev []string
	for _, f := range [...]struct {
		on   bool
		name string
	}{
		{eff.BlockPublicAcls, "BlockPublicAcls"},
		{eff.IgnorePublicAcls, "IgnorePublicAcls"},
		{eff.BlockPublicPolicy, "BlockPublicPolicy"},
		{eff.RestrictPublicBuckets, "RestrictPublicBuckets"},
	} {
		if !f.on {
			ev = append(ev, "Block Public Access "+f.name+" off (account and bucket)")
		}
	}
	if ev == nil {
		return nil
	}
	return &ProfileFinding{Code: DPPBPANotAllOn, Type: Warning, Section: dppBPASection,
		Message:  "Block Public Access is not fully on for the bucket (account OR bucket setting): a policy or ACL change can make it public without another safeguard (DPP 1.1).",
		Evidence: ev}
}

// checkACLs is DPP_ACLS_ENABLED: Object Ownership is not
// BucketOwnerEnforced, so ACLs grant access outside the policies.
func checkACLs(b *Bucket) *ProfileFinding {
	if b.Record.Mode == ownership.BucketOwnerEnforced {
		return nil
	}
	return &ProfileFinding{Code: DPPACLsEnabled, Type: Warning, Section: dppACLsSection,
		Message:  "ACLs are enabled (Object Ownership is not BucketOwnerEnforced): access can be granted per object, outside the bucket policy and outside fine-grained review (DPP 1.3).",
		Evidence: []string{"objectOwnership " + b.Record.Mode.String()}}
}

// wildcardPrincipal reports whether a review principal stands for
// callers no unique ID names: everyone, any authenticated caller, or a
// federated identity provider.
func wildcardPrincipal(p string) bool {
	return p == "*" || p == "authenticated" || strings.HasPrefix(p, "federated:")
}

// checkWildcard is DPP_WILDCARD_PRINCIPAL: a finding in effect for "*",
// "authenticated" or a federated provider, public or not.
func checkWildcard(r *AccessReport) *ProfileFinding {
	if r == nil {
		return nil
	}
	pf := &ProfileFinding{Code: DPPWildcardPrincipal, Type: Warning, Section: dppWildcardSection,
		Message: "Access is granted to a wildcard principal (everyone, any authenticated caller or a federated provider), not to principals with a unique ID assigned to each person (DPP 1.2)."}
	for i := range r.Findings {
		if f := &r.Findings[i]; inEffect(f) && wildcardPrincipal(f.Principal) {
			pf.addSource(f.Source)
		}
	}
	if pf.Evidence == nil {
		return nil
	}
	return pf
}

// externalNamed reports whether a review principal is another account, an
// IAM user or role, or a canonical user: a named party outside the owner's
// account.
func externalNamed(p string) bool {
	return strings.HasPrefix(p, "account:") || strings.HasPrefix(p, "arn:") || strings.HasPrefix(p, "canonical:")
}

// everyS3Action reports whether an action pattern matches every S3
// action: "*", "s3:*" or another pattern that covers "s3:*".
func everyS3Action(p string) bool {
	return !strings.Contains(p, "${") && covers(p, "s3:*", true)
}

// checkCrossAccountFull is DPP_CROSS_ACCOUNT_FULL_ACCESS: a finding in
// effect for a named external party comes from "*" or "s3:*", a NotAction
// statement, or an ACL FULL_CONTROL grant.
func checkCrossAccountFull(b *Bucket, r *AccessReport) *ProfileFinding {
	if r == nil {
		return nil
	}
	pf := &ProfileFinding{Code: DPPCrossAccountFullAccess, Type: SecurityWarning, Section: dppCrossAccountSection,
		Message: "Another account, user, role or canonical user is granted every action (\"*\", \"s3:*\", NotAction or ACL FULL_CONTROL) rather than what it needs to know (DPP 1.3)."}
	for i := range r.Findings {
		f := &r.Findings[i]
		if inEffect(f) && externalNamed(f.Principal) && fullAccess(b, f) {
			pf.addSource(f.Source)
		}
	}
	if pf.Evidence == nil {
		return nil
	}
	return pf
}

// fullAccess reports whether a finding grants all access: from a
// statement, an action pattern covering every S3 action or a NotAction
// element; from an ACL, a FULL_CONTROL grant. An ACL grant the world
// cannot show is counted as full access, so an unreadable source never
// hides one.
func fullAccess(b *Bucket, f *AccessFinding) bool {
	switch f.Source.Kind {
	case SourceBucketACL, SourceObjectACL:
		g, ok := grantOf(b, f.Source)
		return !ok || g.Permission == acl.FullControl
	}
	if len(f.Except) > 0 {
		return true
	}
	for _, a := range f.Actions {
		if everyS3Action(a) {
			return true
		}
	}
	return false
}

// grantOf returns the ACL grant a source names, false when the world
// does not hold it. A nil ACL is the owner's FULL_CONTROL alone.
func grantOf(b *Bucket, s Source) (acl.Grant, bool) {
	var a *acl.ACL
	switch s.Kind {
	case SourceBucketACL:
		a = b.ACL
	case SourceObjectACL:
		o := b.Objects[s.Key]
		if o == nil {
			return acl.Grant{}, false
		}
		a = o.ACL
	default:
		return acl.Grant{}, false
	}
	if a == nil || s.Grant < 0 || s.Grant >= len(a.Grants) {
		return acl.Grant{}, false
	}
	return a.Grants[s.Grant], true
}
