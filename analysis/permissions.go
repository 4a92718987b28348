package analysis

import (
	"strings"

	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/policy"
)

// This file holds the checks about who can change permissions (spec
// analysis.md §3.6): S3_CROSS_ACCOUNT_PERMISSIONS_MANAGEMENT and
// S3_RESOURCE_POLICY_PRIVILEGE_ESCALATION.

// permissionsManagement are the S3 actions whose access level is
// "Permissions management" in the Service Authorization Reference. The
// action catalog does not carry access levels; entries not in it are
// dropped when the list is read.
var permissionsManagement = func() []string {
	names := []string{
		"s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl",
		"s3:PutBucketPolicy", "s3:DeleteBucketPolicy",
		"s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls",
		"s3:PutAccountPublicAccessBlock", "s3:PutAccessPointPublicAccessBlock",
		"s3:PutAccessPointPolicy", "s3:DeleteAccessPointPolicy",
		"s3:PutAccessPointPolicyForObjectLambda", "s3:DeleteAccessPointPolicyForObjectLambda",
		"s3:PutMultiRegionAccessPointPolicy", "s3:ObjectOwnerOverrideToBucketOwner",
		"s3:PutAccessGrantsInstanceResourcePolicy", "s3:DeleteAccessGrantsInstanceResourcePolicy",
	}
	var out []string
	for _, n := range names {
		if a, ok := policy.LookupAction(n); ok {
			out = append(out, a.Name)
		}
	}
	return out
}()

// outsideOwner reports whether the statement's principal reaches someone
// outside the owner's account: everyone, NotPrincipal, or an AWS
// principal of another account.
func (v *validator) outsideOwner(s *stmt) bool {
	if s.notPrincipal != nil || everyone(s.principal) {
		return true
	}
	if s.principal == nil || s.principal.kind != jObject {
		return false
	}
	for _, e := range s.principal.get("AWS").list() {
		if e.kind != jString {
			continue
		}
		acct := e.text
		if f := strings.SplitN(acct, ":", 6); len(f) == 6 && f[0] == "arn" {
			acct = f[4]
		}
		if ids.IsAccountID(acct) && acct != v.opts.Owner {
			return true
		}
	}
	return false
}

// crossAccount reports S3_CROSS_ACCOUNT_PERMISSIONS_MANAGEMENT: a bucket
// policy granting a permissions-management action outside the owner's
// account. It needs options.Owner.
func (v *validator) crossAccount(s *stmt) {
	if v.kind != policy.Bucket || v.opts.Owner == "" || s.effect != "Allow" || !v.outsideOwner(s) {
		return
	}
	for _, a := range s.actions {
		for _, pm := range permissionsManagement {
			if v.covers(a.text, pm, true) {
				v.add(SecurityWarning, "S3_CROSS_ACCOUNT_PERMISSIONS_MANAGEMENT", "Action "+q(a.text)+" lets a principal outside account "+q(v.opts.Owner)+" change permissions ("+pm+"); bucket policy calls from another account answer 405, but ACL and other calls do not.", a)
				break
			}
		}
	}
}

var (
	policyWriters = []string{"s3:PutBucketPolicy", "s3:PutBucketAcl"}
	objectAccess  = []string{"s3:PutObject", "s3:GetObject", "s3:DeleteObject"}
)

// escalation reports S3_RESOURCE_POLICY_PRIVILEGE_ESCALATION: an action
// that writes a bucket's policy or ACL, allowed on a resource R whose
// objects (R or R/*) the policy does not allow to get, put or delete:
// whoever holds it can grant itself the rest.
func (v *validator) escalation(stmts []*stmt) {
	allowed := func(action, resource string) bool {
		for _, s := range stmts {
			if s == nil || s.effect != "Allow" {
				continue
			}
			act := false
			for _, a := range s.actions {
				if v.covers(a.text, action, true) {
					act = true
					break
				}
			}
			if !act {
				continue
			}
			for _, r := range s.resources {
				if v.covers(globText(r.text), resource, false) {
					return true
				}
			}
		}
		return false
	}
	for _, s := range stmts {
		if s == nil || s.effect != "Allow" {
			continue
		}
		for _, a := range s.actions {
			writer := false
			for _, w := range policyWriters {
				if v.covers(a.text, w, true) {
					writer = true
				}
			}
			if !writer {
				continue
			}
			for _, r := range s.resources {
				if !v.intersects(globText(r.text), bucketARN) || strings.ContainsAny(r.text, "*?") {
					continue // not one named bucket
				}
				reached := false
				for _, oa := range objectAccess {
					if allowed(oa, r.text) || allowed(oa, r.text+"/*") {
						reached = true
						break
					}
				}
				if !reached {
					v.add(SecurityWarning, "S3_RESOURCE_POLICY_PRIVILEGE_ESCALATION", "Action "+q(a.text)+" on "+q(r.text)+" lets its holder grant itself the object access this policy withholds.", a)
					break
				}
			}
		}
	}
}
