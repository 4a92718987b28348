package analysis

import (
	"strings"

	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/policy"
)

// This file holds the checks of the document and of statements other than
// conditions (spec analysis.md §3.4, §3.6).

// Size quotas (spec §3.4, "Sizes").
const (
	identityQuotaChars = 6144
	bucketQuotaBytes   = 20480
)

var typeNamesJSON = [...]string{"", "an object", "an array", "a string", "a number", "a boolean", "null"}

func (v *validator) typeMismatch(n *node, want string) {
	v.add(Error, "DATA_TYPE_MISMATCH", "The element is "+typeNamesJSON[n.kind]+"; want "+want+".", n)
}

// document runs every check on the read document.
func (v *validator) document() {
	v.duplicates(v.root)
	v.size()
	root := v.root
	if root.kind != jObject {
		v.typeMismatch(root, "an object")
		return
	}
	for _, m := range root.members {
		switch m.name {
		case "Version", "Id", "Statement":
		default:
			v.add(Error, "INVALID_POLICY_ELEMENT", "The policy has no element "+q(m.name)+".", m.val)
		}
	}
	if ver := root.get("Version"); ver == nil {
		v.add(Warning, "MISSING_VERSION", `The policy has no Version: add "Version": "2012-10-17" so that policy variables are read.`, root)
	} else if ver.kind != jString {
		v.typeMismatch(ver, "a string")
	} else if ver.text != "2012-10-17" && ver.text != "2008-10-17" {
		v.add(Error, "INVALID_VERSION", "Version "+q(ver.text)+` is not "2012-10-17" or "2008-10-17".`, ver)
	} else {
		v.version = ver.text
	}
	if id := root.get("Id"); id != nil && id.kind != jString {
		v.typeMismatch(id, "a string")
	}
	st := root.get("Statement")
	var stmts []*node
	switch {
	case st == nil:
		v.add(Error, "MISSING_STATEMENT", "The policy has no Statement.", root)
		return
	case st.kind == jObject:
		stmts = []*node{st}
	case st.kind == jArray:
		if len(st.elems) == 0 {
			v.add(Error, "MISSING_STATEMENT", "The Statement list is empty.", st)
		}
		for _, e := range st.elems {
			if e.kind != jObject {
				v.typeMismatch(e, "an object")
				continue
			}
			stmts = append(stmts, e)
		}
	default:
		v.typeMismatch(st, "an object or an array of objects")
		return
	}
	sids := map[string]bool{}
	var read []*stmt
	for _, s := range stmts {
		read = append(read, v.statement(s, sids))
	}
	v.escalation(read)
	v.redundantStatements(stmts)
	v.public(stmts)
}

// duplicates reports members named twice in one object (S3_DUPLICATE_MEMBER,
// at the later one), at any depth.
func (v *validator) duplicates(n *node) {
	if n.kind == jObject && len(n.members) > 1 {
		seen := make(map[string]bool, len(n.members))
		for _, m := range n.members {
			if seen[m.name] {
				v.add(Error, "S3_DUPLICATE_MEMBER", "The object names member "+q(m.name)+" twice; JSON readers disagree on which copy counts.", m.val)
			}
			seen[m.name] = true
		}
	}
	for i := range n.members {
		v.duplicates(n.members[i].val)
	}
	for _, e := range n.elems {
		v.duplicates(e)
	}
}

func (v *validator) size() {
	if v.kind == policy.Bucket {
		if len(v.doc) > bucketQuotaBytes {
			v.add(Warning, "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", "The bucket policy is larger than S3's 20 KB quota.", v.root)
		}
		return
	}
	chars := 0
	for _, r := range string(v.doc) {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			chars++
		}
	}
	if chars > identityQuotaChars {
		v.add(Warning, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "The identity policy has more than 6,144 characters without white space.", v.root)
	}
}

// stmt is what the checks of one statement share.
type stmt struct {
	n                       *node
	effect                  string
	principal, notPrincipal *node
	action, notAction       *node
	resource, notResource   *node
	condition               *node
	actions                 []*node // string entries of Action
	resources               []*node // string entries of Resource
	conds                   []cond
}

// cond is one key under one operator of a Condition block.
type cond struct {
	opNode   *node // the operator's object
	opName   string
	op       policy.Operator // 0 when unknown
	set      policy.SetOp
	ifExists bool
	key      string
	keyNode  *node // the key's value
	values   []*node
}

var statementMembers = map[string]bool{
	"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true, "Action": true,
	"NotAction": true, "Resource": true, "NotResource": true, "Condition": true,
}

func (v *validator) statement(n *node, sids map[string]bool) *stmt {
	for _, m := range n.members {
		if !statementMembers[m.name] {
			v.add(Error, "INVALID_POLICY_ELEMENT", "A statement has no element "+q(m.name)+".", m.val)
		}
	}
	s := &stmt{n: n,
		principal: n.get("Principal"), notPrincipal: n.get("NotPrincipal"),
		action: n.get("Action"), notAction: n.get("NotAction"),
		resource: n.get("Resource"), notResource: n.get("NotResource"),
		condition: n.get("Condition"),
	}
	if sid := n.get("Sid"); sid != nil {
		switch {
		case sid.kind != jString:
			v.typeMismatch(sid, "a string")
		case sid.text == "":
			v.add(Suggestion, "EMPTY_SID_VALUE", "The Sid is empty: remove it or name the statement.", sid)
		default:
			if v.kind == policy.Identity && !alnum(sid.text) {
				v.add(Error, "UNSUPPORTED_SID", "Sid "+q(sid.text)+" of an identity policy takes ASCII letters and digits only.", sid)
			}
			if sids[sid.text] {
				if v.kind == policy.Identity {
					v.add(Error, "UNIQUE_SIDS_REQUIRED", "Sid "+q(sid.text)+" names an earlier statement too; identity policies need unique Sids.", sid)
				} else {
					v.add(Warning, "UNIQUE_SIDS_RECOMMENDED", "Sid "+q(sid.text)+" names an earlier statement too.", sid)
				}
			}
			sids[sid.text] = true
		}
	}
	switch e := n.get("Effect"); {
	case e == nil:
		v.add(Error, "MISSING_EFFECT", "The statement has no Effect.", n)
	case e.kind != jString:
		v.typeMismatch(e, "a string")
	case e.text != "Allow" && e.text != "Deny":
		v.add(Error, "INVALID_EFFECT", "Effect "+q(e.text)+` is not "Allow" or "Deny" (case matters).`, e)
	default:
		s.effect = e.text
	}
	v.principals(s)
	v.actionsOf(s)
	v.resourcesOf(s)
	v.conditions(s)
	v.actionKeys(s)
	v.resourceMismatch(s)
	v.resourceStar(s)
	v.lockout(s)
	v.servicePrincipal(s)
	v.iamFamilies(s)
	v.crossAccount(s)
	return s
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// strings returns the string entries of a string-or-array element,
// reporting the other JSON types; empty reports an empty array.
func (v *validator) stringList(n *node, what string) (out []*node, empty bool) {
	switch n.kind {
	case jString:
		return []*node{n}, false
	case jArray:
		for _, e := range n.elems {
			if e.kind != jString {
				v.typeMismatch(e, "a string")
				continue
			}
			out = append(out, e)
		}
		return out, len(n.elems) == 0
	}
	v.typeMismatch(n, "a string or an array of strings ("+what+")")
	return nil, false
}

// principals checks Principal and NotPrincipal.
func (v *validator) principals(s *stmt) {
	if v.kind == policy.Identity {
		for _, p := range [...]*node{s.principal, s.notPrincipal} {
			if p != nil {
				v.add(Error, "UNSUPPORTED_PRINCIPAL", "An identity policy applies to the identity it is attached to: it takes no Principal or NotPrincipal.", p)
			}
		}
		return
	}
	switch {
	case s.principal == nil && s.notPrincipal == nil:
		v.add(Error, "MISSING_PRINCIPAL", "A bucket policy statement needs a Principal or NotPrincipal.", s.n)
	case s.principal != nil && s.notPrincipal != nil:
		v.add(Error, "UNSUPPORTED_ELEMENT_COMBINATION", "A statement takes Principal or NotPrincipal, not both.", later(s.principal, s.notPrincipal))
	}
	if s.notPrincipal != nil && s.effect == "Allow" {
		v.add(SecurityWarning, "ALLOW_WITH_NOT_PRINCIPAL", "Allow with NotPrincipal grants everyone not listed, anonymous users included.", s.notPrincipal)
	}
	for _, p := range [...]*node{s.principal, s.notPrincipal} {
		if p == nil {
			continue
		}
		switch p.kind {
		case jString:
			if p.text != "*" {
				v.add(Error, "INVALID_PRINCIPAL_FORMAT", `A principal is "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}.`, p)
			}
			continue
		case jObject:
		default:
			v.typeMismatch(p, `"*" or an object`)
			continue
		}
		if len(p.members) == 0 {
			v.add(Suggestion, "EMPTY_OBJECT_PRINCIPAL", "The principal object is empty: it names no one.", p)
		}
		for _, m := range p.members {
			switch m.name {
			case "AWS", "CanonicalUser", "Service", "Federated":
			default:
				v.add(Error, "INVALID_PRINCIPAL_KEY", "Principal type "+q(m.name)+" is not AWS, CanonicalUser, Service or Federated.", m.val)
				continue
			}
			vals, empty := v.stringList(m.val, "principals")
			if empty {
				v.add(Suggestion, "EMPTY_ARRAY_PRINCIPAL", "The principal list is empty: it names no one.", m.val)
			}
			if m.name == "Federated" {
				v.add(Error, "FEDERATED_PRINCIPAL_NOT_SUPPORTED", "A bucket policy takes no Federated principal.", m.val)
			}
			for _, e := range vals {
				v.principalValue(m.name, e)
			}
		}
	}
}

func (v *validator) principalValue(typ string, e *node) {
	t := e.text
	if strings.Contains(t, "${") {
		v.add(Error, "VARIABLE_UNSUPPORTED_IN_ELEMENT", "Policy variables are read only in Resource and Condition, not in principal "+q(t)+".", e)
		return
	}
	if t != "*" && strings.ContainsAny(t, "*?") {
		v.add(Error, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "Principal "+q(t)+` has a partial wildcard: only "*" alone means everyone; use aws:PrincipalArn in a condition.`, e)
		return
	}
	switch typ {
	case "AWS":
		switch {
		case strings.HasPrefix(t, "AIDA") && ids.IsUniqueID(t):
			v.add(Warning, "INVALID_USER_REFERENCE", "Principal "+q(t)+" is the unique ID of a deleted IAM user: it matches no one.", e)
		case strings.HasPrefix(t, "AROA") && ids.IsUniqueID(t):
			v.add(Warning, "INVALID_ROLE_REFERENCE", "Principal "+q(t)+" is the unique ID of a deleted IAM role: it matches no one.", e)
		}
	case "Service":
		if t != "*" && !strings.HasSuffix(t, ".amazonaws.com") && !strings.HasSuffix(t, ".amazonaws.com.cn") {
			v.add(Error, "INVALID_SERVICE_PRINCIPAL_FORMAT", "Service principal "+q(t)+` is not of the form "name.amazonaws.com".`, e)
		}
	}
}
