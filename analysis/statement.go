package analysis

import (
	"sort"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/policy"
)

// This file holds the checks that read a statement as a whole.

// hasService reports whether the statement's Principal names a service.
func (s *stmt) hasService() bool {
	return s.principal != nil && s.principal.get("Service") != nil
}

// exactActions returns the Action entries that name one S3 catalog action,
// without wildcards, with their catalog entries.
func (s *stmt) exactActions() ([]*node, []policy.ActionInfo) {
	var ns []*node
	var infos []policy.ActionInfo
	for _, a := range s.actions {
		if strings.ContainsAny(a.text, "*?") {
			continue
		}
		if info, ok := policy.LookupAction(a.text); ok {
			ns = append(ns, a)
			infos = append(infos, info)
		}
	}
	return ns, infos
}

// actionKeys reports UNSUPPORTED_ACTION_FOR_CONDITION_KEY: a listed action
// whose request context never has an S3 key the statement tests. Actions
// written with wildcards are skipped, as Access Analyzer does.
func (v *validator) actionKeys(s *stmt) {
	ns, infos := s.exactActions()
	for _, c := range s.conds {
		if c.op == 0 || !strings.HasPrefix(strings.ToLower(c.key), "s3:") {
			continue
		}
		if _, ok := policy.LookupConditionKey(c.key); !ok {
			continue
		}
		for i, info := range infos {
			if !info.HasConditionKey(c.key) {
				v.add(Error, "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", "Action "+q(ns[i].text)+" never has condition key "+q(c.key)+", so the condition never holds for it.", ns[i], c.keyNode)
			}
		}
	}
}

// Templates of the resources of each resource type (spec §3.6,
// S3_RESOURCE_MISMATCH): bucket ARNs, object ARNs, and access point object
// ARNs for object actions; access points for bucket actions too.
var (
	bucketARN            = tmpl("arn:#:s3:::%")
	objectARN            = tmpl("arn:#:s3:::%/&")
	accessPointARN       = tmpl("arn:#:s3:#:#:accesspoint/%")
	accessPointObjectARN = tmpl("arn:#:s3:#:#:accesspoint/%/object/&")
)

// resourceMismatch reports an S3 action none of whose resource types any
// listed resource can be.
func (v *validator) resourceMismatch(s *stmt) {
	if s.resource == nil || len(s.resources) == 0 {
		return
	}
	if s.resource.kind == jArray && len(s.resources) != len(s.resource.elems) {
		return // some entries are invalid: not read
	}
	if s.resource.kind != jArray && s.resource.kind != jString {
		return
	}
	ns, infos := s.exactActions()
	// Whether some listed resource is of each kind, asked once per kind.
	matches := map[policy.ResourceType]bool{}
	for i, info := range infos {
		var ts [][]tok
		switch info.Resource {
		case policy.ResourceBucket:
			ts = [][]tok{bucketARN, accessPointARN}
		case policy.ResourceObject:
			ts = [][]tok{objectARN, accessPointObjectARN}
		case policy.ResourceNone:
			ts = [][]tok{literalTemplate("*")}
		default:
			continue
		}
		ok, seen := matches[info.Resource]
		if !seen {
			ok = v.anyIntersects(s.resources, ts)
			matches[info.Resource] = ok
		}
		if !ok {
			v.add(Error, "S3_RESOURCE_MISMATCH", "Action "+q(ns[i].text)+" applies to "+resourceName(info.Resource)+", and no listed resource is one.", ns[i])
		}
	}
}

func resourceName(r policy.ResourceType) string {
	switch r {
	case policy.ResourceBucket:
		return "buckets"
	case policy.ResourceObject:
		return "objects"
	}
	return `the resource "*" only`
}

func (v *validator) anyIntersects(resources []*node, ts [][]tok) bool {
	for _, r := range resources {
		p := globText(r.text)
		for _, t := range ts {
			if v.intersects(p, t) {
				return true
			}
		}
	}
	return false
}

// resourceStar reports S3_RESOURCE_STAR: an identity-policy Allow on every
// bucket or object for actions that have a resource type.
func (v *validator) resourceStar(s *stmt) {
	if v.kind != policy.Identity || s.effect != "Allow" || len(s.actions) == 0 {
		return
	}
	typed := false
	for _, a := range s.actions {
		if strings.ContainsAny(a.text, "*?") {
			if a.text == "*" || strings.HasPrefix(strings.ToLower(a.text), "s3") {
				typed = true
			}
			continue
		}
		if info, ok := policy.LookupAction(a.text); ok && info.Resource != policy.ResourceNone {
			typed = true
		}
	}
	if !typed {
		return
	}
	for _, r := range s.resources {
		p := globText(r.text)
		if v.covers(p, "arn:aws:s3:::*", false) || v.covers(p, "arn:aws:s3:::*/*", false) {
			v.add(Warning, "S3_RESOURCE_STAR", "Resource "+q(r.text)+" is every bucket or every object; name the buckets.", r)
		}
	}
}

// everyone reports whether a Principal names everyone: "*", {"AWS": "*"}.
func everyone(p *node) bool {
	if p == nil {
		return false
	}
	if p.kind == jString {
		return p.text == "*"
	}
	for _, e := range p.get("AWS").list() {
		if e.kind == jString && e.text == "*" {
			return true
		}
	}
	return false
}

// lockout reports S3_POLICY_LOCKOUT: an unconditional Deny to everyone of
// s3:PutBucketPolicy on the bucket.
func (v *validator) lockout(s *stmt) {
	if v.kind != policy.Bucket || s.effect != "Deny" || s.condition != nil || !everyone(s.principal) {
		return
	}
	const action = "s3:PutBucketPolicy"
	if !listCovers(s.action, s.notAction, func(p string) bool { return v.covers(p, action, true) }) {
		return
	}
	bucket := []tok(bucketARN)
	if v.opts.Bucket != "" {
		bucket = append(tmpl("arn:#:s3:::"), literalTemplate(v.opts.Bucket)...)
	}
	matches := func(p string) bool { return v.intersects(globText(p), bucket) }
	if v.opts.Bucket != "" {
		matches = func(p string) bool { return v.covers(globText(p), "arn:aws:s3:::"+v.opts.Bucket, false) }
	}
	if !listCovers(s.resource, s.notResource, matches) {
		return
	}
	v.add(Warning, "S3_POLICY_LOCKOUT", "This Deny stops everyone, the bucket owner's users and roles included, from changing the bucket policy; only the account root user can then.", s.n)
}

// listCovers reports whether a positive list (or its negation) reaches the
// thing match tests: some entry of pos matches, or neg exists and none of
// its entries does.
func listCovers(pos, neg *node, match func(string) bool) bool {
	if pos != nil {
		for _, e := range pos.list() {
			if e.kind == jString && match(e.text) {
				return true
			}
		}
		return false
	}
	if neg != nil {
		for _, e := range neg.list() {
			if e.kind != jString || match(e.text) {
				return false
			}
		}
		return true
	}
	return false
}

// sourceKeys restrict a service principal to one source (spec §3.4).
var sourceKeys = []string{"aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"}

// servicePrincipal reports RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL and
// RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL.
func (v *validator) servicePrincipal(s *stmt) {
	if v.kind != policy.Bucket || s.effect != "Allow" || !s.hasService() {
		return
	}
	for _, c := range s.conds {
		if containsFold(sourceKeys, c.key) {
			return
		}
	}
	if len(s.conds) > 0 {
		v.add(Suggestion, "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", "Restrict a service principal with aws:SourceArn or aws:SourceAccount rather than "+q(s.conds[0].key)+".", s.conds[0].keyNode)
		return
	}
	for _, e := range s.principal.get("Service").list() {
		if e.kind == jString {
			v.add(SecurityWarning, "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "Service "+q(e.text)+" acts for every AWS account; restrict it with aws:SourceArn or aws:SourceAccount.", e)
		}
	}
}

// redundantStatements reports a statement equal to an earlier one (its Sid
// aside), at the later one.
func (v *validator) redundantStatements(stmts []*node) {
	seen := map[string]bool{}
	for _, n := range stmts {
		var b strings.Builder
		canonical(&b, n, true)
		k := b.String()
		if seen[k] {
			v.add(Suggestion, "REDUNDANT_STATEMENT", "The statement repeats an earlier one.", n)
		}
		seen[k] = true
	}
}

// canonical writes a form of n that ignores member order and, at the
// top, the Sid.
func canonical(b *strings.Builder, n *node, top bool) {
	switch n.kind {
	case jObject:
		ms := make([]member, 0, len(n.members))
		for _, m := range n.members {
			if !(top && m.name == "Sid") {
				ms = append(ms, m)
			}
		}
		sort.SliceStable(ms, func(i, j int) bool { return ms[i].name < ms[j].name })
		b.WriteByte('{')
		for _, m := range ms {
			b.WriteString(strconv.Quote(m.name))
			b.WriteByte(':')
			canonical(b, m.val, false)
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case jArray:
		b.WriteByte('[')
		for _, e := range n.elems {
			canonical(b, e, false)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case jString:
		b.WriteString(strconv.Quote(n.text))
	default:
		b.WriteString(n.text)
	}
}

// public reports S3_PUBLIC_STATEMENT for the statements of a bucket policy
// that policy.Statement.IsPublic calls public.
func (v *validator) public(stmts []*node) {
	if v.kind != policy.Bucket || v.parsed == nil {
		return
	}
	byPtr := make(map[string]*node, len(stmts))
	for _, n := range stmts {
		byPtr[n.pointer()] = n
	}
	for i := range v.parsed.Statements {
		st := &v.parsed.Statements[i]
		n := byPtr[st.Pointer]
		if n == nil || !st.IsPublic() {
			continue
		}
		at := n.get("Principal")
		if at == nil {
			at = n.get("NotPrincipal")
		}
		v.add(SecurityWarning, "S3_PUBLIC_STATEMENT", "The statement is public in S3's Block Public Access sense: it grants access to anyone not restricted by a fixed principal or condition value.", at)
	}
}
