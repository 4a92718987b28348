package analysis

import (
	"strings"

	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/policy"
)

// This file turns the Allow statements of the bucket policy into findings
// (step 3 of the procedure), and reads principal entries.

// policyFindings adds one finding per principal of each Allow statement
// outside the owner's account.
func (r *reviewer) policyFindings() {
	for i := range r.pol.Statements {
		st := &r.pol.Statements[i]
		if st.Effect != policy.Allow {
			continue
		}
		principals := r.statementPrincipals(st)
		if len(principals) == 0 {
			continue
		}
		public := st.IsPublic()
		actions, except := []string{"*"}, []string(nil)
		if st.NotAction != nil {
			except = patternTexts(st.NotAction)
		} else {
			actions = patternTexts(st.Action)
		}
		resources, exceptRes := []string{"*"}, []string(nil)
		if st.NotResource != nil {
			exceptRes = patternTexts(st.NotResource)
		} else {
			resources = patternTexts(st.Resource)
		}
		conds := statementConditions(st, false)
		for _, p := range principals {
			f := AccessFinding{
				Principal: p, Actions: actions, Except: except,
				Resources: resources, ExceptResources: exceptRes,
				Conditions: conds, Public: public,
				Source: Source{Kind: SourceStatement, Pointer: st.Pointer, Sid: st.Sid},
			}
			// RestrictPublicBuckets: a public policy grants nothing
			// outside the owner's account but to service principals.
			if r.eff.RestrictPublicBuckets && r.polPublic && !strings.HasPrefix(p, "service:") {
				f.BlockedBy = RestrictPublicBuckets
				if p == "*" {
					// S3 keeps the grant for AWS service principals,
					// which "*" names too.
					r.note("statement %s still grants every AWS service principal: RestrictPublicBuckets does not restrict them", st.Pointer)
				}
			}
			r.add(f)
		}
	}
}

// statementPrincipals lists the finding principals of an Allow statement,
// each once, in the order of the element: "*" for NotPrincipal and for
// everyone; none for the owner's own principals.
func (r *reviewer) statementPrincipals(st *policy.Statement) []string {
	if st.NotPrincipal != nil {
		// NotPrincipal in an Allow grants everyone not listed.
		return []string{"*"}
	}
	pr := st.Principal
	if pr == nil {
		return nil // an identity policy statement grants nothing external
	}
	if pr.Everyone() {
		return []string{"*"}
	}
	var out []string
	add := func(p string) {
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	for _, e := range pr.AWS {
		if e == "*" {
			add("*")
			continue
		}
		p, acct := awsPrincipalForm(e)
		if acct != "" && acct == string(r.owner) {
			continue
		}
		add(p)
	}
	for _, e := range pr.CanonicalUser {
		if r.isOwnerCanonical(e) {
			continue
		}
		add("canonical:" + e)
	}
	for _, e := range pr.Service {
		add("service:" + e)
	}
	for _, e := range pr.Federated {
		add("federated:" + e)
	}
	return out
}

// awsPrincipalForm returns the finding principal of an {"AWS": ...} entry
// other than "*" and the account it belongs to ("" when it cannot tell,
// as for the unique ID of a deleted user): "account:ID" for an account ID
// or root ARN, the ARN as written for users, roles and sessions, the entry
// as written otherwise.
func awsPrincipalForm(e string) (principal, account string) {
	if ids.IsAccountID(e) {
		return "account:" + e, e
	}
	a, ok := ids.SplitARN(e)
	if !ok {
		return e, ""
	}
	if a.Service == "iam" && a.Resource == "root" && ids.IsAccountID(a.Account) {
		return "account:" + a.Account, a.Account
	}
	return e, a.Account
}

// patternTexts returns the patterns as written.
func patternTexts(ps []policy.Pattern) []string {
	out := make([]string, len(ps))
	for i := range ps {
		out[i] = ps[i].String()
	}
	return out
}

// statementConditions returns a statement's conditions for a finding.
func statementConditions(st *policy.Statement, deny bool) []AccessCondition {
	var out []AccessCondition
	for i := range st.Conditions {
		c := &st.Conditions[i]
		vals := make([]string, len(c.Values))
		for j := range c.Values {
			vals[j] = c.Values[j].Text
		}
		out = append(out, AccessCondition{Operator: c.OperatorName(), Key: c.Key, Values: vals, Deny: deny, Pointer: c.Pointer})
	}
	return out
}
