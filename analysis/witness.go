package analysis

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/globlang"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// dfAllowAll is the identity policy the caller of a bucket-policy replay
// holds, so that the bucket policy alone decides. It is never modified.
var dfAllowAll = evaluate.MustPrepare(policy.MustParse(policy.Identity,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))

// dfReplayTime is the time of every replayed request that no date
// condition constrains, so that replays are deterministic.
var dfReplayTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// dfDerived are the keys the evaluator derives from the caller (or the
// records) and overrides.
var dfDerived = map[string]bool{
	"aws:principalarn": true, "aws:principalaccount": true, "aws:principaltype": true, "aws:username": true,
	"aws:userid": true, "aws:principalisawsservice": true, "aws:principalservicename": true,
	"s3:resourceaccount": true, "aws:resourceaccount": true,
}

const (
	dfMaxPrincipals = 3
	dfMaxActions    = 8
)

// buildWitness makes concrete requests from region R and replays them;
// it returns the first one the evaluator confirms, or why none was.
func (r *dfRun) buildWitness(R dfConj) (*Witness, string) {
	principals := r.principalCandidates(R)
	actions := r.actionCandidates(R)
	if len(actions) == 0 {
		return nil, "the new access is to actions outside the S3 catalog (future actions or other services), which cannot be replayed"
	}
	why := "no concrete request of the new access could be replayed"
	for _, p := range principals {
		for _, a := range actions {
			w, reason := r.tryWitness(R, p, a)
			if w != nil {
				return w, ""
			}
			if reason != "" {
				why = reason
			}
		}
	}
	return nil, why
}

func (r *dfRun) tryWitness(R dfConj, p ownership.Principal, a policy.ActionInfo) (*Witness, string) {
	w := &Witness{Principal: dfPrincipalText(p), Action: a.Name, Kind: r.m.kind.String()}
	// Resource.
	arn, ok := r.resourceFor(R, p, a)
	if !ok {
		return nil, ""
	}
	rest := strings.TrimPrefix(arn, "arn:aws:s3:::")
	bucket, key, _ := strings.Cut(rest, "/")
	if !ownership.ValidBucketName(bucket) {
		return nil, ""
	}
	w.Bucket, w.Key = bucket, key
	// Owner.
	if r.m.kind == policy.Identity {
		w.BucketOwner = string(p.Account())
	} else {
		for _, f := range r.fresh {
			if f != string(p.Account()) {
				w.BucketOwner = f
				break
			}
		}
	}
	// Keys.
	keys, when, ok, why := r.keysFor(R, a)
	if !ok {
		return nil, why
	}
	w.Keys = keys
	if !when.IsZero() {
		w.Time = when.Format(time.RFC3339Nano)
	} else {
		w.Time = dfReplayTime.Format(time.RFC3339)
	}
	if v, ok := dfGet(w.Keys, "s3:TlsVersion"); ok && v != "" {
		st, _ := dfGet(w.Keys, "aws:SecureTransport")
		if !strings.EqualFold(st, "true") {
			return nil, "counterexample depends on keys assumed independent: s3:TlsVersion with aws:SecureTransport not true"
		}
	}
	_, ip := dfGet(w.Keys, "aws:SourceIp")
	_, vpce := dfGet(w.Keys, "aws:SourceVpce")
	if ip && vpce {
		return nil, "counterexample depends on keys assumed independent: aws:SourceIp with aws:SourceVpce"
	}
	newOK, err := dfReplay(w, r.newP)
	if err != nil || !newOK {
		return nil, "counterexample depends on keys assumed independent: the evaluator does not allow the request under the new policy"
	}
	if r.oldP != nil {
		oldOK, err := dfReplay(w, r.oldP)
		if err != nil || oldOK {
			return nil, "counterexample depends on keys assumed independent: the evaluator allows the request under the old policy"
		}
	}
	return w, ""
}

func dfGet(keys map[string][]string, name string) (string, bool) {
	for k, v := range keys {
		if strings.EqualFold(k, name) {
			if len(v) == 0 {
				return "", true
			}
			return v[0], true
		}
	}
	return "", false
}

// dfReplay evaluates the witness against one prepared policy in the setup
// the package documentation describes.
func dfReplay(w *Witness, p *evaluate.Prepared) (bool, error) {
	req, err := w.Request()
	if err != nil {
		return false, err
	}
	ec, err := w.Context(p)
	if err != nil {
		return false, err
	}
	d, diag := evaluate.Evaluate(req, ec)
	if diag.Err != nil {
		return false, diag.Err
	}
	return d.Allowed(), nil
}

func dfPrincipalText(p ownership.Principal) string {
	switch {
	case p.IsAnonymous():
		return "anonymous"
	case p.IsService():
		return "service:" + p.Service()
	}
	return p.ARN()
}

// globIn reports whether s is in the conjunction lits of glob dimension d.
func (r *dfRun) globIn(d int, lits []dfLit, s string) bool {
	for _, l := range lits {
		in := false
		for _, p := range r.m.dims[d].bases[l.base].pats {
			if p.Match(s) {
				in = true
				break
			}
		}
		if in == l.neg {
			return false
		}
	}
	return true
}

func (r *dfRun) actionCandidates(R dfConj) []policy.ActionInfo {
	d := r.m.dim(dfAction, "", "")
	// Object actions first, then bucket actions, a few of each.
	var objs, buckets []policy.ActionInfo
	for _, a := range policy.Actions() {
		if a.Name == "s3:CreateBucket" || !r.globIn(d, R[d], a.Name) {
			continue
		}
		switch {
		case a.Resource == policy.ResourceObject && len(objs) < dfMaxActions:
			objs = append(objs, a)
		case a.Resource == policy.ResourceBucket && len(buckets) < dfMaxActions:
			buckets = append(buckets, a)
		}
	}
	return append(objs, buckets...)
}

// resourceFor picks the resource ARN of a witness for action a.
func (r *dfRun) resourceFor(R dfConj, p ownership.Principal, a policy.ActionInfo) (string, bool) {
	d := r.m.dim(dfResource, "", "")
	var shape []globlang.Lit
	if a.Resource == policy.ResourceObject {
		shape = []globlang.Lit{
			{Pats: []globlang.Pattern{globlang.Glob("arn:aws:s3:::???*/?*", false)}},
			{Pats: []globlang.Pattern{globlang.Glob("arn:aws:s3:::/*", false), globlang.Glob("arn:aws:s3:::?/*", false), globlang.Glob("arn:aws:s3:::??/*", false)}, Neg: true},
		}
	} else {
		shape = []globlang.Lit{
			{Pats: []globlang.Pattern{globlang.Glob("arn:aws:s3:::???*", false)}},
			{Pats: []globlang.Pattern{globlang.Glob("*/*", false)}, Neg: true},
		}
	}
	// A resource with a policy variable the region needs: expand it with
	// the caller's values.
	for od, lits := range R {
		dim := &r.m.dims[od]
		if dim.kind != dfOpaque || dim.varRes == nil {
			continue
		}
		for _, l := range lits {
			if l.neg {
				continue
			}
			s, ok := dfExpand(dim.varRes.String(), p)
			if !ok || !r.globIn(d, R[d], s) {
				return "", false
			}
			for _, sl := range shape {
				in := false
				for _, sp := range sl.Pats {
					in = in || sp.Match(s)
				}
				if in == sl.Neg {
					return "", false
				}
			}
			return s, true
		}
	}
	lits := append(r.m.globLits(d, R[d]), shape...)
	res := r.m.solve(lits)
	if res.Nonempty != globlang.Yes {
		return "", false
	}
	return res.Member, true
}

// dfExpand substitutes the caller's values for the variables of a
// resource pattern and "x" for its wildcards.
func dfExpand(text string, p ownership.Principal) (string, bool) {
	var b strings.Builder
	for len(text) > 0 {
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(strings.NewReplacer("*", "x", "?", "x").Replace(text))
			break
		}
		b.WriteString(strings.NewReplacer("*", "x", "?", "x").Replace(text[:i]))
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			return "", false
		}
		inner := text[i+2 : i+j]
		text = text[i+j+1:]
		switch inner {
		case "*", "?", "$":
			b.WriteString(inner)
			continue
		}
		name, def, hasDef := strings.Cut(inner, ",")
		name = strings.TrimSpace(name)
		if v, ok := p.ConditionKey(name); ok {
			b.WriteString(v)
			continue
		}
		if !hasDef {
			return "", false
		}
		b.WriteString(strings.Trim(strings.TrimSpace(def), "'"))
	}
	return b.String(), true
}

// keysFor chooses the condition keys of a witness: per key, a value of
// the first of its dimensions that needs one, or no value when every
// dimension admits absence. An s3: key with a value must be in the
// action's request context.
func (r *dfRun) keysFor(R dfConj, a policy.ActionInfo) (keys map[string][]string, when time.Time, ok bool, why string) {
	type pick struct {
		name  string
		value string
		need  bool
	}
	picks := map[string]*pick{}
	var order []string
	dims := make([]int, 0, len(R))
	for d := range R {
		dims = append(dims, d)
	}
	sort.Ints(dims)
	for _, d := range dims {
		dim := &r.m.dims[d]
		lits := R[d]
		var value string
		need := false
		switch dim.kind {
		case dfStr, dfARN:
			if dfAbsentIn(dim, lits) {
				break
			}
			res := r.m.solve(r.m.globLits(d, lits))
			if res.Nonempty != globlang.Yes {
				return nil, when, false, "no value of " + dim.name + " fits"
			}
			value, need = res.Member, true
		case dfNum, dfDate, dfIP:
			if dfAbsentIn(dim, lits) {
				break
			}
			ivs := r.m.ivsOf(d, lits)
			if len(ivs) == 0 {
				return nil, when, false, "no value of " + dim.name + " fits"
			}
			value, need = dfPickValue(dim.kind, ivs), true
			if dim.kind == dfDate && (dim.key == "aws:currenttime") {
				t, _ := dfPtTime(dfPickPt(ivs))
				when = t
			}
		case dfBool:
			mask := dfMask(dim, lits, 7)
			switch {
			case mask&4 != 0 && !dfAlwaysPresent[dim.key]:
			case mask&1 != 0:
				value, need = "true", true
			case mask&2 != 0:
				value, need = "false", true
			}
		case dfNull:
			mask := dfMask(dim, lits, 5)
			if mask&4 == 0 {
				value, need = dfDefaultValue(dim.name), true
			}
		default:
			continue
		}
		if dfDerived[dim.key] || !need {
			continue
		}
		if pk, ok := picks[dim.key]; ok {
			if dim.kind != dfNull && pk.value == "" {
				pk.value = value
			}
			continue
		}
		picks[dim.key] = &pick{name: dim.name, value: value, need: need}
		order = append(order, dim.key)
	}
	keys = map[string][]string{}
	for _, k := range order {
		pk := picks[k]
		if strings.HasPrefix(k, "s3:") && !a.HasConditionKey(pk.name) {
			return nil, when, false, ""
		}
		keys[pk.name] = []string{pk.value}
	}
	// TLS implies HTTPS: give aws:SecureTransport "true" when the region
	// lets it.
	if _, ok := dfGet(keys, "s3:TlsVersion"); ok {
		if _, set := dfGet(keys, "aws:SecureTransport"); !set && r.boolAllows(R, "aws:securetransport", 1) {
			keys["aws:SecureTransport"] = []string{"true"}
		}
	}
	if len(keys) == 0 {
		keys = nil
	}
	return keys, when, true, ""
}

// boolAllows reports whether every Bool dimension of key in R admits the
// value bit.
func (r *dfRun) boolAllows(R dfConj, key string, bit uint8) bool {
	for d, lits := range R {
		dim := &r.m.dims[d]
		if dim.key != key {
			continue
		}
		if dim.kind == dfStr || dim.kind == dfARN {
			if !r.globIn(d, lits, "true") {
				return false
			}
			continue
		}
		if dim.kind != dfBool {
			continue
		}
		for _, l := range lits {
			b := dim.bases[l.base].mask
			if l.neg {
				b = ^b & 7
			}
			if b&bit == 0 {
				return false
			}
		}
	}
	return true
}

func dfDefaultValue(name string) string {
	info, _ := policy.LookupConditionKey(name)
	switch info.Type {
	case policy.KeyNumeric, policy.KeyDateOrNumeric:
		return "1"
	case policy.KeyDate:
		return "2025-01-01T00:00:00Z"
	case policy.KeyIP:
		return "192.0.2.1"
	case policy.KeyBool:
		return "true"
	}
	return "x"
}

// dfPickPt prefers a round value: an interval's lower end, one above it
// (an address ending in .0 is a network's), or its upper end.
func dfPickPt(ivs dfIvs) dfPt {
	iv := ivs[0]
	if iv.lo.cmp(dfFloatDom.lo) <= 0 && len(ivs) == 1 {
		return iv.hi
	}
	return iv.lo
}

func dfPickValue(kind dfDimKind, ivs dfIvs) string {
	switch kind {
	case dfNum:
		for _, f := range []float64{0, 1, 2, 10, 100, -1} {
			if ivs.has(dfFloatPt(f)) {
				return fmt.Sprint(f)
			}
		}
		for _, iv := range ivs {
			for _, p := range []dfPt{iv.lo, iv.hi} {
				if p.cmp(dfFloatDom.lo) > 0 && p.cmp(dfFloatDom.hi) < 0 {
					return dfFormatFloat(p)
				}
			}
		}
		return dfFormatFloat(ivs[0].lo)
	case dfDate:
		if ivs.has(dfTimePt(dfReplayTime)) {
			return dfReplayTime.Format(time.RFC3339)
		}
		t, _ := dfPtTime(dfPickPt(ivs))
		return t.Format(time.RFC3339Nano)
	}
	for _, iv := range ivs {
		if iv.hi.cmp(dfMapped.lo) < 0 || iv.lo.cmp(dfMapped.hi) > 0 {
			continue
		}
		lo := iv.lo
		if lo.cmp(dfMapped.lo) < 0 {
			lo = dfMapped.lo
		}
		if next := lo.succ(); lo.lo&0xff == 0 && next.cmp(iv.hi) <= 0 {
			lo = next
		}
		return dfPtAddr(lo).String()
	}
	lo := ivs[0].lo
	if next := lo.succ(); lo.lo&0xff == 0 && next.cmp(ivs[0].hi) <= 0 {
		lo = next
	}
	a := dfPtAddr(lo)
	if a.Is4() {
		return netip.AddrFrom16(a.As16()).String()
	}
	return a.String()
}

// principalCandidates returns callers for a witness: callers whose ARN the
// region's aws:PrincipalArn needs, then one caller per class of the
// region, those consistent with the derived keys first.
func (r *dfRun) principalCandidates(R dfConj) []ownership.Principal {
	var cands []ownership.Principal
	add := func(arn string) {
		p, err := ownership.ParsePrincipal(arn)
		if err == nil {
			cands = append(cands, p)
		}
	}
	for d, lits := range R {
		dim := &r.m.dims[d]
		if (dim.kind != dfStr && dim.kind != dfARN) || dfAbsentIn(dim, lits) {
			continue
		}
		res := r.m.solve(r.m.globLits(d, lits))
		if res.Nonempty != globlang.Yes {
			continue
		}
		v := res.Member
		switch dim.key {
		case "aws:principalarn":
			if ref, ok := dfReadPrincipal("AWS", v); ok {
				switch ref.kind {
				case dfClsRoleSession:
					add(fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/witness", ref.account, ref.name))
				case dfClsRoot:
					add("arn:aws:iam::" + ref.account + ":root")
				default:
					add(v)
				}
			}
		case "aws:principalaccount":
			add("arn:aws:iam::" + v + ":user/witness")
		case "aws:username":
			add("arn:aws:iam::" + r.fresh[0] + ":user/" + v)
		}
	}
	if r.m.kind == policy.Identity {
		add("arn:aws:iam::" + r.fresh[0] + ":user/alice")
		add("arn:aws:sts::" + r.fresh[0] + ":assumed-role/witness-role/alice")
	} else {
		d := r.m.dim(dfPrincipal, "", "")
		for c := range r.m.classes {
			in := true
			for _, l := range R[d] {
				if r.m.dims[d].bases[l.base].cls[c] == l.neg {
					in = false
				}
			}
			if in {
				if p, ok := r.representative(c); ok {
					cands = append(cands, p)
				}
			}
		}
	}
	// Consistent ones first: in the region's classes and derived keys.
	var good, rest []ownership.Principal
	for _, p := range cands {
		if r.consistent(R, p) {
			good = append(good, p)
		} else {
			rest = append(rest, p)
		}
	}
	out := append(good, rest...)
	if len(out) > dfMaxPrincipals {
		out = out[:dfMaxPrincipals]
	}
	return out
}

func (r *dfRun) representative(c int) (ownership.Principal, bool) {
	cl := r.m.classes[c]
	var arn string
	switch cl.kind {
	case dfClsAnon:
		return ownership.Anonymous(), true
	case dfClsOtherService:
		p, err := ownership.ServicePrincipal("witness.amazonaws.com")
		return p, err == nil
	case dfClsService:
		p, err := ownership.ServicePrincipal(cl.name)
		return p, err == nil
	case dfClsOtherAccount:
		arn = "arn:aws:iam::" + r.fresh[0] + ":user/witness"
	case dfClsRoot:
		arn = "arn:aws:iam::" + cl.account + ":root"
	case dfClsOtherInAccount:
		arn = "arn:aws:iam::" + cl.account + ":user/witness-" + fmt.Sprint(c)
	case dfClsUser:
		arn = "arn:aws:iam::" + cl.account + ":user/" + cl.name
	case dfClsRoleSession:
		arn = "arn:aws:sts::" + cl.account + ":assumed-role/" + cl.name + "/witness-" + fmt.Sprint(c)
	case dfClsSession:
		arn = "arn:aws:sts::" + cl.account + ":assumed-role/" + cl.name + "/" + cl.session
	case dfClsFederated:
		arn = "arn:aws:sts::" + cl.account + ":federated-user/" + cl.name
	}
	p, err := ownership.ParsePrincipal(arn)
	return p, err == nil
}

// classOf is the class a concrete caller falls in.
func (r *dfRun) classOf(p ownership.Principal) int {
	if p.IsAnonymous() {
		return r.m.class(dfClass{kind: dfClsAnon})
	}
	find := func(c dfClass) int {
		for i, x := range r.m.classes {
			if x == c {
				return i
			}
		}
		return -1
	}
	if p.IsService() {
		if i := find(dfClass{kind: dfClsService, name: p.Service()}); i >= 0 {
			return i
		}
		return find(dfClass{kind: dfClsOtherService})
	}
	acct := string(p.Account())
	if find(dfClass{kind: dfClsRoot, account: acct}) < 0 {
		return find(dfClass{kind: dfClsOtherAccount})
	}
	if p.IsRoot() {
		return find(dfClass{kind: dfClsRoot, account: acct})
	}
	if ref, ok := dfReadPrincipal("AWS", p.ARN()); ok {
		for _, c := range []dfClass{
			{kind: dfClsSession, account: acct, name: ref.name, session: ref.session},
			{kind: dfClsRoleSession, account: acct, name: ref.name},
			{kind: ref.kind, account: acct, name: ref.name},
		} {
			if c.kind == dfClsRoleSession && ref.kind != dfClsSession {
				continue
			}
			if i := find(c); i >= 0 {
				return i
			}
		}
	}
	return find(dfClass{kind: dfClsOtherInAccount, account: acct})
}

// consistent reports whether caller p is in R's principal classes and
// its derived keys are in R's sets for them.
func (r *dfRun) consistent(R dfConj, p ownership.Principal) bool {
	if r.m.kind == policy.Bucket {
		d := r.m.dim(dfPrincipal, "", "")
		c := r.classOf(p)
		if c < 0 {
			return false
		}
		for _, l := range R[d] {
			if r.m.dims[d].bases[l.base].cls[c] == l.neg {
				return false
			}
		}
	}
	for d, lits := range R {
		dim := &r.m.dims[d]
		if !dfDerived[dim.key] || (dim.kind != dfStr && dim.kind != dfARN) {
			continue
		}
		v, ok := p.ConditionKey(dim.key)
		if !ok {
			if !dfAbsentIn(dim, lits) {
				return false
			}
			continue
		}
		if !r.globIn(d, lits, v) {
			return false
		}
	}
	return true
}
