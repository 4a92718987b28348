package analysis

import (
	"strings"

	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/policy"
)

// This file checks Action, NotAction, Resource and NotResource.

func (v *validator) actionsOf(s *stmt) {
	switch {
	case s.action == nil && s.notAction == nil:
		v.add(Error, "MISSING_ACTION", "The statement has no Action or NotAction.", s.n)
	case s.action != nil && s.notAction != nil:
		v.add(Error, "UNSUPPORTED_ELEMENT_COMBINATION", "A statement takes Action or NotAction, not both.", later(s.action, s.notAction))
	}
	if s.notAction != nil && s.effect == "Allow" {
		v.add(Warning, "S3_ALLOW_WITH_NOT_ACTION", "Allow with NotAction grants every action not listed, and every action S3 adds later.", s.notAction)
	}
	for _, el := range [...]*node{s.action, s.notAction} {
		if el == nil {
			continue
		}
		vals, empty := v.stringList(el, "actions")
		if empty {
			v.add(Suggestion, "EMPTY_ARRAY_ACTION", "The action list is empty: the statement matches no action.", el)
		}
		var valid []*node
		for _, e := range vals {
			if v.action(e) {
				valid = append(valid, e)
			}
			if el == s.action && s.effect == "Allow" && (e.text == "*" || strings.EqualFold(e.text, "s3:*")) {
				v.add(Warning, "S3_SERVICE_WILDCARD", "Allow of "+q(e.text)+" grants every S3 action, those S3 adds later included; list the actions needed.", e)
			}
		}
		if el == s.action {
			s.actions = valid
		}
		v.redundant(valid, true, "REDUNDANT_ACTION", "action")
	}
}

// action checks one action entry and reports whether it is a valid one.
func (v *validator) action(e *node) bool {
	t := e.text
	if t == "*" {
		return true
	}
	prefix, name, ok := strings.Cut(t, ":")
	if !ok || prefix == "" || name == "" || !serviceChars(prefix) || !actionChars(name) {
		v.add(Error, "INVALID_ACTION", "Action "+q(t)+` is not of the form "service:Action".`, e)
		return false
	}
	if !strings.EqualFold(prefix, "s3") {
		if !knownService(prefix) {
			v.add(Error, "INVALID_SERVICE_IN_ACTION", "Action "+q(t)+" names service "+q(prefix)+", which does not exist.", e)
			return false
		}
		if v.kind == policy.Bucket {
			v.add(Error, "UNSUPPORTED_ACTION_IN_POLICY", "Action "+q(t)+" is not an S3 action: a bucket policy grants S3 actions only.", e)
			return false
		}
		return true
	}
	if !strings.ContainsAny(name, "*?") {
		if _, ok := policy.LookupAction(t); !ok {
			v.add(Error, "INVALID_ACTION", "Action "+q(t)+" is not an S3 action.", e)
			return false
		}
		return true
	}
	lt := strings.ToLower(t)
	known, seen := v.patterns[lt]
	if !seen {
		for _, a := range catalog {
			if v.covers(lt, a.Name, true) {
				known = true
				break
			}
		}
		if v.budget == 0 {
			return true // out of budget: not proved unknown
		}
		v.patterns[lt] = known
	}
	if known {
		return true
	}
	v.add(Error, "INVALID_ACTION", "Action pattern "+q(t)+" matches no S3 action.", e)
	return false
}

// catalog is the S3 action catalog, read once.
var catalog = policy.Actions()

func serviceChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func actionChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '*' || c == '?') {
			return false
		}
	}
	return true
}

// redundant reports entries of a list wholly covered by another entry
// (the later of two equal ones).
func (v *validator) redundant(list []*node, fold bool, code, what string) {
	if len(list) > 64 {
		list = list[:64] // bounded: the check is quadratic
	}
	for i, e := range list {
		for j, o := range list {
			if i == j || !v.covers(o.text, e.text, fold) {
				continue
			}
			if v.covers(e.text, o.text, fold) && j > i {
				continue // equal patterns: the later one is reported
			}
			v.add(Suggestion, code, "The "+what+" "+q(e.text)+" is already covered by "+q(o.text)+".", e)
			break
		}
	}
}

// Partitions AWS has (spec §3.4, "S3 ARN grammar").
var partitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true,
	"aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// regional S3 resource types: they need an account and (but multi-Region
// access points) a Region.
var regionalTypes = []string{"accesspoint/", "job/", "storage-lens/", "storage-lens-group/", "access-grants/", "async-request/"}

func (v *validator) resourcesOf(s *stmt) {
	switch {
	case s.resource == nil && s.notResource == nil:
		v.add(Error, "MISSING_RESOURCE", "The statement has no Resource or NotResource.", s.n)
	case s.resource != nil && s.notResource != nil:
		v.add(Error, "UNSUPPORTED_ELEMENT_COMBINATION", "A statement takes Resource or NotResource, not both.", later(s.resource, s.notResource))
	}
	if s.notResource != nil && s.effect == "Allow" {
		v.add(SecurityWarning, "S3_ALLOW_WITH_NOT_RESOURCE", "Allow with NotResource grants every resource not listed, in every account.", s.notResource)
	}
	for _, el := range [...]*node{s.resource, s.notResource} {
		if el == nil {
			continue
		}
		vals, empty := v.stringList(el, "resources")
		if empty {
			v.add(Suggestion, "EMPTY_ARRAY_RESOURCE", "The resource list is empty: the statement matches no resource.", el)
		}
		var valid []*node
		for _, e := range vals {
			if v.resourceValue(e) {
				valid = append(valid, e)
			}
		}
		if el == s.resource {
			s.resources = valid
		}
		v.redundant(valid, false, "REDUNDANT_RESOURCE", "resource")
	}
}

// resourceValue checks one resource and reports whether it is valid.
func (v *validator) resourceValue(e *node) bool {
	t := e.text
	if t == "*" {
		return true
	}
	if !v.variables(e) {
		return false
	}
	if !strings.HasPrefix(t, "arn:") {
		v.add(Error, "INVALID_ARN_PREFIX", "Resource "+q(t)+` is neither "*" nor an ARN.`, e)
		return false
	}
	arn, ok := ids.SplitARN(t)
	if !ok {
		v.add(Error, "MISSING_ARN_FIELD", "Resource "+q(t)+" has fewer than six ARN fields.", e)
		return false
	}
	part, svc, region, account, res := arn.Partition, arn.Service, arn.Region, arn.Account, arn.Resource
	if !strings.ContainsAny(part, "*?") && !partitions[part] {
		v.add(Error, "INVALID_PARTITION", "Resource "+q(t)+" names an unknown partition "+q(part)+".", e)
		return false
	}
	if strings.ContainsAny(svc, "*?") {
		v.add(Suggestion, "WILDCARD_IN_SERVICE_NAME", "Resource "+q(t)+" has a wildcard in its service name.", e)
		return false
	}
	if svc != strings.ToLower(svc) {
		v.add(Error, "INVALID_ARN_SERVICE_CASE", "Resource "+q(t)+": the service of an ARN is lowercase.", e)
		return false
	}
	if svc != "s3" {
		if v.kind == policy.Bucket {
			v.add(Error, "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", "Resource "+q(t)+" is not an S3 bucket or object: a bucket policy takes those only.", e)
			return false
		}
		return true
	}
	if res == "" {
		v.add(Error, "INVALID_ARN_RESOURCE", "Resource "+q(t)+" has an empty resource part.", e)
		return false
	}
	for _, rt := range regionalTypes {
		if !strings.HasPrefix(res, rt) {
			continue
		}
		if v.kind == policy.Bucket {
			v.add(Error, "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", "Resource "+q(t)+" is not a bucket or object: a bucket policy takes those only.", e)
			return false
		}
		if account != "" && !strings.ContainsAny(account, "*?") && !ids.IsAccountID(account) {
			v.add(Error, "INVALID_ARN_ACCOUNT", "Resource "+q(t)+": the account field is not 12 digits.", e)
			return false
		}
		if region == "" && !(rt == "accesspoint/" && account != "") {
			v.add(Error, "MISSING_ARN_REGION", "Resource "+q(t)+" needs a Region.", e)
			return false
		}
		if region != "" && !strings.ContainsAny(region, "*?") && !regions[region] {
			v.add(Error, "INVALID_ARN_REGION", "Resource "+q(t)+" names an unknown Region "+q(region)+".", e)
			return false
		}
		return true
	}
	if region != "" {
		v.add(Error, "ARN_REGION_NOT_ALLOWED", "Resource "+q(t)+": bucket and object ARNs have no Region.", e)
		return false
	}
	if account != "" {
		v.add(Error, "ARN_ACCOUNT_NOT_ALLOWED", "Resource "+q(t)+": bucket and object ARNs have no account ID.", e)
		return false
	}
	bucket, _, _ := strings.Cut(res, "/")
	if res[0] == '/' || strings.Contains(stripVars(bucket), ":") {
		v.add(Error, "INVALID_ARN_RESOURCE", "Resource "+q(t)+": a bucket name never starts with '/' or holds ':'.", e)
		return false
	}
	if v.kind == policy.Bucket && v.opts.Bucket != "" {
		p := globText(t)
		if !v.intersects(p, append(tmpl("arn:#:s3:::"), literalTemplate(v.opts.Bucket)...)) &&
			!v.intersects(p, append(append(tmpl("arn:#:s3:::"), literalTemplate(v.opts.Bucket)...), tmpl("/&")...)) {
			v.add(Error, "S3_RESOURCE_OUTSIDE_BUCKET", "Resource "+q(t)+" is outside bucket "+q(v.opts.Bucket)+": S3 refuses the policy.", e)
		}
	}
	return true
}

// later returns whichever of two members comes later in the document.
func later(a, b *node) *node {
	if a.start > b.start {
		return a
	}
	return b
}

// stripVars removes the policy variables (${...}) from s.
func stripVars(s string) string {
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+j+1:]
	}
}

// globText turns a resource as written into a glob for the comparisons:
// every policy variable may stand for any text, so it becomes '*'.
func globText(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s[:i])
			b.WriteByte('*')
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte('*')
		s = s[i+j+1:]
	}
}

// variables checks the policy variables of a value (spec §3.4) and reports
// whether they are well formed.
func (v *validator) variables(e *node) bool {
	t := e.text
	if !strings.Contains(t, "${") {
		return true
	}
	switch v.version {
	case "2012-10-17":
	case "2008-10-17":
		v.add(Error, "VARIABLE_UNSUPPORTED_IN_VERSION", "Policy variables need Version 2012-10-17; under 2008-10-17 "+q(t)+" is literal text.", e)
		return false
	default:
		return true // no Version: literal text, and MISSING_VERSION says so
	}
	for rest := t; ; {
		i := strings.Index(rest, "${")
		if i < 0 {
			return true
		}
		rest = rest[i+2:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			v.add(Error, "MISSING_BRACE_IN_VARIABLE", "The policy variable in "+q(t)+" has no closing brace.", e)
			return false
		}
		body := rest[:j]
		rest = rest[j+1:]
		switch {
		case body == "":
			v.add(Error, "EMPTY_VARIABLE", "The value "+q(t)+" holds an empty policy variable ${}.", e)
			return false
		case body == "*" || body == "?" || body == "$":
			continue
		}
		name, def, hasDef := strings.Cut(body, ",")
		if strings.ContainsAny(name, " \t") {
			v.add(Error, "UNSUPPORTED_SPACE_IN_VARIABLE", "The policy variable name in "+q(t)+" holds a space.", e)
			return false
		}
		if hasDef {
			d := strings.TrimSpace(def)
			if len(d) < 2 || d[0] != '\'' || d[len(d)-1] != '\'' {
				v.add(Error, "MISSING_QUOTE_IN_VARIABLE", "The default value of the policy variable in "+q(t)+" is not in single quotes.", e)
				return false
			}
		}
	}
}
