package analysis

import (
	"strings"

	"github.com/s3authz/s3authz/policy"
)

// This file holds the iam:PassRole and iam:CreateServiceLinkedRole
// families of identity-policy checks (spec analysis.md §3.4, "PassRole /
// CreateServiceLinkedRole families"): Allow statements that let a
// principal pass any role to a service, or create any service-linked role.

// iamFamily is one of the two families.
type iamFamily struct {
	action   string // the IAM action
	prefix   string // of the codes
	typ      Type
	suppress string // a condition key that restricts the action enough
}

var iamFamilies = [...]iamFamily{
	{action: "iam:PassRole", prefix: "PASS_ROLE", typ: SecurityWarning, suppress: "iam:PassedToService"},
	{action: "iam:CreateServiceLinkedRole", prefix: "CREATE_SLR", typ: Warning},
}

func (v *validator) iamFamilies(s *stmt) {
	if v.kind != policy.Identity || s.effect != "Allow" {
		return
	}
	for _, fam := range iamFamilies {
		v.iamFamily(s, fam)
	}
}

func (v *validator) iamFamily(s *stmt, fam iamFamily) {
	if fam.suppress != "" {
		for _, c := range s.conds {
			if strings.EqualFold(c.key, fam.suppress) {
				return
			}
		}
	}
	// How the statement reaches the action: by name, by a wildcard, or
	// through a NotAction that does not exclude it.
	var how string
	var by *node
	if s.action != nil {
		for _, e := range s.action.list() {
			if e.kind != jString {
				continue
			}
			if strings.EqualFold(e.text, fam.action) {
				how, by = "", e
				break
			}
			if strings.ContainsAny(e.text, "*?") && v.covers(strings.ToLower(e.text), strings.ToLower(fam.action), true) && by == nil {
				how, by = "_STAR_IN_ACTION", e
			}
		}
		if by == nil {
			return
		}
	} else if s.notAction != nil {
		if !listCovers(nil, s.notAction, func(p string) bool { return v.covers(p, fam.action, true) }) {
			return
		}
		how, by = "_NOT_ACTION", s.notAction
	} else {
		return
	}
	if s.notResource != nil {
		var code string
		switch how {
		case "":
			code = fam.prefix + "_WITH_NOT_RESOURCE"
		case "_STAR_IN_ACTION":
			code = fam.prefix + "_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE"
		default:
			code = fam.prefix + "_WITH_NOT_ACTION_AND_NOT_RESOURCE"
		}
		v.add(fam.typ, code, "The statement allows "+fam.action+" on every resource but those listed in NotResource; name the roles.", s.notResource, by)
		return
	}
	for _, r := range s.resources {
		if !starRole(r.text) {
			continue
		}
		var code string
		switch how {
		case "":
			code = fam.prefix + "_WITH_STAR_IN_RESOURCE"
		case "_STAR_IN_ACTION":
			code = fam.prefix + "_WITH_STAR_IN_ACTION_AND_RESOURCE"
		default:
			code = fam.prefix + "_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"
		}
		v.add(fam.typ, code, "The statement allows "+fam.action+" on every role ("+q(r.text)+"); name the roles.", r, by)
	}
}

// starRole reports whether a resource is "*" or an IAM role ARN whose name
// part is "*".
func starRole(r string) bool {
	if r == "*" {
		return true
	}
	f := strings.SplitN(r, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[2] != "iam" {
		return false
	}
	return f[5] == "*" || f[5] == "role/*" || f[5] == "role/aws-service-role/*"
}
