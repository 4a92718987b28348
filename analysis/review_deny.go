package analysis

import (
	"strings"

	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// This file applies the bucket policy's Deny statements to a finding
// (step 5 of the procedure). A finding is removed only when one
// unconditional Deny is proved to cover all of it; the proofs below are
// sound under-approximations of "covers", so that when unsure the finding
// stays. A conditional Deny that may overlap the finding adds its
// conditions: the access holds only when they fail.

// denied reports whether an unconditional Deny covers the whole finding,
// and otherwise appends the conditions of the conditional Denies that may
// overlap it.
func (r *reviewer) denied(f *AccessFinding) bool {
	if r.pol == nil {
		return false
	}
	var extra []AccessCondition
	for i := range r.pol.Statements {
		st := &r.pol.Statements[i]
		if st.Effect != policy.Deny {
			continue
		}
		if len(st.Conditions) == 0 {
			if r.denyCoversPrincipal(st, f.Principal) && denyCoversActions(st, f) && denyCoversResources(st, f) {
				return true
			}
			continue
		}
		if r.denyMayOverlap(st, f) {
			extra = append(extra, statementConditions(st, true)...)
		}
	}
	if len(extra) > 0 {
		f.Conditions = append(append([]AccessCondition(nil), f.Conditions...), extra...)
	}
	return false
}

// denyCoversPrincipal reports whether the Deny's principals are proved to
// include every caller the finding's principal names: everyone does; else
// the same account, ARN, canonical user or service, or the account an
// ARN or canonical user belongs to. NotPrincipal is never taken to cover.
func (r *reviewer) denyCoversPrincipal(st *policy.Statement, principal string) bool {
	pr := st.Principal
	if pr == nil {
		return false
	}
	if pr.Everyone() {
		return true
	}
	switch {
	case principal == "*" || principal == "authenticated" || strings.HasPrefix(principal, "group:") ||
		strings.HasPrefix(principal, "federated:") || strings.HasPrefix(principal, "email:"):
		return false
	case strings.HasPrefix(principal, "service:"):
		name := strings.TrimPrefix(principal, "service:")
		for _, s := range pr.Service {
			if s == name {
				return true
			}
		}
		return false
	}
	// The account the finding's principal belongs to, when known.
	account := ""
	switch {
	case strings.HasPrefix(principal, "account:"):
		account = strings.TrimPrefix(principal, "account:")
	case strings.HasPrefix(principal, "canonical:"):
		id := strings.TrimPrefix(principal, "canonical:")
		for _, c := range pr.CanonicalUser {
			if c == id {
				return true
			}
		}
		account = r.accountOfCanonical(id)
	default:
		for _, e := range pr.AWS {
			if e == principal {
				return true
			}
		}
		_, account = awsPrincipalForm(principal)
	}
	if account == "" {
		return false
	}
	for _, e := range pr.AWS {
		// A bare account ID names the account in every partition; a root
		// ARN only in its own, so only the reviewed bucket's is taken.
		if e == account || e == "arn:aws:iam::"+account+":root" {
			return true
		}
	}
	if r.w.Directory != nil {
		for _, c := range pr.CanonicalUser {
			if r.accountOfCanonical(c) == account {
				return true
			}
		}
	}
	return false
}

// accountOfCanonical returns the account of a canonical user ID, "" when
// the directory does not know it.
func (r *reviewer) accountOfCanonical(id string) string {
	if r.w.Directory == nil {
		return ""
	}
	acct, ok, err := r.w.Directory.AccountOf(r.ctx, ownership.CanonicalID(id))
	if !ok || err != nil {
		return ""
	}
	return string(acct)
}

// denyCoversActions reports whether the Deny's actions include every
// action the finding grants (Actions minus Except), whatever actions the
// patterns come to match: each granted pattern within a denied one, or,
// for a NotAction Deny, no granted pattern meeting an excluded one that
// the finding does not except itself.
func denyCoversActions(st *policy.Statement, f *AccessFinding) bool {
	return setCovers(patternTexts(st.Action), patternTexts(st.NotAction), st.NotAction != nil, f.Actions, f.Except, true)
}

// denyCoversResources is denyCoversActions for resources.
func denyCoversResources(st *policy.Statement, f *AccessFinding) bool {
	return setCovers(patternTexts(st.Resource), patternTexts(st.NotResource), st.NotResource != nil, f.Resources, f.ExceptResources, false)
}

// setCovers reports whether the strings of (grant minus except) are all in
// the Deny's set: those of pos, or, when not is set, those matching no
// pattern of neg. fold compares ASCII letters without case. Patterns with
// policy variables are never proved to cover.
func setCovers(pos, neg []string, not bool, grant, except []string, fold bool) bool {
	if len(grant) == 0 {
		return false
	}
	if !not {
		for _, g := range grant {
			ok := false
			for _, d := range pos {
				if !hasVar(d) && !hasVar(g) && covers(d, g, fold) {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
	// The Deny covers everything but neg: each n of neg must be outside
	// the grant, because the grant excepts it or no granted pattern
	// meets it.
	for _, n := range neg {
		excepted := false
		for _, e := range except {
			if !hasVar(e) && !hasVar(n) && covers(e, n, fold) {
				excepted = true
				break
			}
		}
		if excepted {
			continue
		}
		for _, g := range grant {
			if globsMeet(g, n, fold) {
				return false
			}
		}
	}
	return true
}

// denyMayOverlap reports whether a conditional Deny may apply to some
// request of the finding: its principals, actions and resources each may
// meet the finding's.
func (r *reviewer) denyMayOverlap(st *policy.Statement, f *AccessFinding) bool {
	if st.Principal != nil && !st.Principal.Everyone() {
		switch f.Principal {
		case "*", "authenticated":
		default:
			if !r.denyCoversPrincipal(st, f.Principal) {
				return false
			}
		}
	}
	return setsMayMeet(patternTexts(st.Action), st.NotAction != nil, f.Actions, true) &&
		setsMayMeet(patternTexts(st.Resource), st.NotResource != nil, f.Resources, false)
}

// setsMayMeet reports whether the Deny's patterns (or, with not, their
// complement, which is taken to meet anything) may meet the granted ones.
func setsMayMeet(pos []string, not bool, grant []string, fold bool) bool {
	if not {
		return true
	}
	for _, d := range pos {
		for _, g := range grant {
			if globsMeet(d, g, fold) {
				return true
			}
		}
	}
	return false
}

// hasVar reports whether a pattern holds a policy variable, whose value is
// only known per request.
func hasVar(p string) bool { return strings.Contains(p, "${") }

// globsMeet reports whether some string matches both glob patterns ('*'
// any run, '?' one character). It answers true when unsure: patterns with
// variables, non-ASCII text with '?' (a '?' matches a whole character),
// or patterns over maxGlob bytes.
func globsMeet(p, q string, fold bool) bool {
	if hasVar(p) || hasVar(q) || len(p) > maxGlob || len(q) > maxGlob {
		return true
	}
	if (strings.ContainsRune(p, '?') || strings.ContainsRune(q, '?')) && (!ascii(p) || !ascii(q)) {
		return true
	}
	n, m := len(p), len(q)
	// reach[i*(m+1)+j]: some string takes p[:i] and q[:j] to the same
	// point. Every move keeps i and j or raises them, so one pass in
	// order settles it.
	reach := make([]bool, (n+1)*(m+1))
	at := func(i, j int) *bool { return &reach[i*(m+1)+j] }
	*at(0, 0) = true
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			if !*at(i, j) {
				continue
			}
			pStar := i < n && p[i] == '*'
			qStar := j < m && q[j] == '*'
			if pStar {
				*at(i+1, j) = true
			}
			if qStar {
				*at(i, j+1) = true
			}
			if i == n || j == m || pStar && qStar {
				continue
			}
			// One byte read by both; a star stays where it is.
			pc, qc := p[i], q[j]
			if pStar || qStar || pc == '?' || qc == '?' || eqByte(pc, qc, fold) {
				ni, nj := i+1, j+1
				if pStar {
					ni = i
				}
				if qStar {
					nj = j
				}
				*at(ni, nj) = true
			}
		}
	}
	return reach[n*(m+1)+m]
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
