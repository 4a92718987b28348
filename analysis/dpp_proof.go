package analysis

import (
	"strings"

	"github.com/s3authz/s3authz/internal/condval"
	"github.com/s3authz/s3authz/policy"
)

// This file holds the proofs of shared/spec/analysis.md §6.3: that the
// bucket policy denies every request showing a violation — plain HTTP,
// TLS below 1.2, an upload without an accepted server-side encryption.
// A proof is a set of covering Denies; anything the rules below do not
// recognise is no proof, so the profile never says "enforced" when a
// request could get through.

// violation is a kind of request the Data Protection Policy forbids.
type violation uint8

const (
	// violationInsecureTransport: any S3 request with aws:SecureTransport
	// false (plain HTTP, no s3:TlsVersion).
	violationInsecureTransport violation = iota + 1
	// violationOldTLS: any S3 request over TLS (aws:SecureTransport true)
	// with s3:TlsVersion below 1.2.
	violationOldTLS
	// violationNoSSE: s3:PutObject without an accepted
	// s3:x-amz-server-side-encryption value.
	violationNoSSE
)

// The resources a proof must cover, as bits.
const (
	targetBucket  uint8 = 1 << iota // arn:aws:s3:::B
	targetObjects                   // arn:aws:s3:::B/*
)

// targets returns the resources the violation's requests name: the bucket
// and its objects for every S3 action, the objects for s3:PutObject.
func (v violation) targets() uint8 {
	if v == violationNoSSE {
		return targetObjects
	}
	return targetBucket | targetObjects
}

// action is the action the covering Deny's Action element must cover.
func (v violation) action() string {
	if v == violationNoSSE {
		return "s3:PutObject"
	}
	return "s3:*"
}

// Condition keys of the proofs, lower case.
const (
	keySecureTransport = "aws:securetransport"
	keyTLSVersion      = "s3:tlsversion"
	keySSE             = "s3:x-amz-server-side-encryption"
)

// minTLSVersion is the lowest TLS version the DPP accepts (1.5: "TLS
// 1.2+").
const minTLSVersion = 1.2

// proveDenied reports whether the statements of pol deny every request to
// bucket showing v, and names the covering Denies it found. Each covering
// Deny must itself name everyone, cover v's action and carry only
// condition atoms that hold for every such request; together their
// resources must cover v's targets.
func proveDenied(pol *policy.Policy, bucket string, v violation) (proved bool, denies []Source, missing uint8) {
	need := v.targets()
	if pol == nil {
		return false, nil, need
	}
	var got uint8
	for i := range pol.Statements {
		st := &pol.Statements[i]
		if !coveringDeny(st, v) {
			continue
		}
		t := resourceTargets(st, bucket) & need
		if t == 0 {
			continue
		}
		got |= t
		denies = append(denies, Source{Kind: SourceStatement, Pointer: st.Pointer, Sid: st.Sid})
	}
	return got == need, denies, need &^ got
}

// coveringDeny reports whether st is a Deny to everyone whose actions and
// conditions cover v (resources aside).
func coveringDeny(st *policy.Statement, v violation) bool {
	if st.Effect != policy.Deny || st.NotPrincipal != nil || st.Principal == nil || !st.Principal.Everyone() {
		return false
	}
	// A NotAction Deny is not read: no proof rests on what it leaves out.
	if len(st.NotAction) > 0 || !actionsCover(st.Action, v.action()) {
		return false
	}
	for i := range st.Conditions {
		if !atomHolds(&st.Conditions[i], v) {
			return false
		}
	}
	return true
}

// actionsCover reports whether one pattern of acts covers action, which
// may itself be a pattern ("s3:*"). Actions compare without regard to
// case; a pattern with a policy variable covers nothing.
func actionsCover(acts []policy.Pattern, action string) bool {
	for i := range acts {
		p := acts[i].String()
		if !strings.Contains(p, "${") && covers(p, action, true) {
			return true
		}
	}
	return false
}

// proofBucketARN and proofObjectsARN are the resources a proof covers.
func proofBucketARN(bucket string) string  { return "arn:aws:s3:::" + bucket }
func proofObjectsARN(bucket string) string { return "arn:aws:s3:::" + bucket + "/*" }

// resourceTargets returns the targets st's Resource (or NotResource)
// element covers. A Resource pattern covers a target when it matches every
// ARN the target stands for (glob inclusion, case-sensitive); a
// NotResource element covers a target when none of its patterns can match
// any ARN of it (compared in lower case, so a pattern that might exclude
// the target by case is taken to). Patterns with policy variables cover
// nothing and, under NotResource, are taken to exclude everything.
func resourceTargets(st *policy.Statement, bucket string) uint8 {
	var t uint8
	if len(st.NotResource) > 0 {
		lb := strings.ToLower(proofBucketARN(bucket))
		bucketT := literalTemplate(lb)
		objT := append(literalTemplate(lb+"/"), tok{run: true})
		t = targetBucket | targetObjects
		for i := range st.NotResource {
			p := st.NotResource[i].String()
			if strings.Contains(p, "${") {
				return 0
			}
			lp := strings.ToLower(p)
			if intersects(lp, bucketT) {
				t &^= targetBucket
			}
			if intersects(lp, objT) {
				t &^= targetObjects
			}
		}
		return t
	}
	for i := range st.Resource {
		p := st.Resource[i].String()
		if strings.Contains(p, "${") {
			continue
		}
		if covers(p, proofBucketARN(bucket), false) {
			t |= targetBucket
		}
		if covers(p, proofObjectsARN(bucket), false) {
			t |= targetObjects
		}
	}
	return t
}

// atomHolds reports whether condition c holds for every request showing
// v, by the accepted atoms of §6.3:
//
//	insecure transport: Bool or BoolIfExists aws:SecureTransport false;
//	                    NumericLessThanIfExists s3:TlsVersion v (the key is
//	                    absent on plain HTTP)
//	TLS below 1.2:      NumericLessThan or NumericLessThanIfExists
//	                    s3:TlsVersion v with v >= 1.2; Bool
//	                    aws:SecureTransport true
//	write without SSE:  StringNotEquals s3:x-amz-server-side-encryption
//	                    with values among AES256, aws:kms, aws:kms:dsse;
//	                    Null s3:x-amz-server-side-encryption true
//
// Keys compare without regard to case, operators exactly; a set qualifier,
// a policy variable or a value that does not read is no proof. A request
// shows "TLS below 1.2" when its context holds s3:TlsVersion below 1.2, so
// NumericLessThan without IfExists proves it as the spec's table says: an
// action whose context never holds the key (s3:InitiateReplication, which
// S3 checks for its own batch replication requests) has no such request.
func atomHolds(c *policy.Condition, v violation) bool {
	if c.Set != policy.SetNone || len(c.Values) == 0 {
		return false
	}
	for i := range c.Values {
		if strings.Contains(c.Values[i].Text, "${") || c.Values[i].Pattern.HasVars() {
			return false
		}
	}
	key := strings.ToLower(c.Key)
	switch v {
	case violationInsecureTransport:
		switch {
		case c.Operator == policy.Bool && key == keySecureTransport:
			return boolValues(c.Values, false)
		case c.Operator == policy.NumericLessThan && c.IfExists && key == keyTLSVersion:
			_, ok := maxNumber(c.Values)
			return ok
		}
	case violationOldTLS:
		switch {
		case c.Operator == policy.NumericLessThan && key == keyTLSVersion:
			m, ok := maxNumber(c.Values)
			return ok && m >= minTLSVersion
		case c.Operator == policy.Bool && !c.IfExists && key == keySecureTransport:
			return boolValues(c.Values, true)
		}
	case violationNoSSE:
		switch {
		case c.Operator == policy.StringNotEquals && !c.IfExists && key == keySSE:
			for i := range c.Values {
				if !isAcceptedSSE(c.Values[i].Text) {
					return false
				}
			}
			return true
		case c.Operator == policy.Null && !c.IfExists && key == keySSE:
			return boolValues(c.Values, true)
		}
	}
	return false
}

// boolValues reports whether every value reads as a boolean (any case)
// and one of them is want.
func boolValues(vals []policy.Value, want bool) bool {
	found := false
	for i := range vals {
		b, ok := condval.Bool(vals[i].Text)
		if !ok {
			return false
		}
		found = found || b == want
	}
	return found
}

// maxNumber returns the greatest of the values, false when one does not
// read as a number.
func maxNumber(vals []policy.Value) (float64, bool) {
	var m float64
	for i := range vals {
		n, ok := condval.Number(vals[i].Text)
		if !ok {
			return 0, false
		}
		if i == 0 || n > m {
			m = n
		}
	}
	return m, len(vals) > 0
}

// isAcceptedSSE reports whether s is a server-side encryption value that
// satisfies DPP 2.4 — SSE-S3, SSE-KMS or dual-layer SSE-KMS — exactly.
func isAcceptedSSE(s string) bool {
	switch s {
	case "AES256", "aws:kms", "aws:kms:dsse":
		return true
	}
	return false
}

// checkProof is DPP_TLS_NOT_ENFORCED, DPP_TLS_VERSION_NOT_ENFORCED or
// DPP_SSE_NOT_REQUIRED: the finding for v unless pol proves every request
// showing v to bucket denied.
func checkProof(pol *policy.Policy, bucket string, v violation) *ProfileFinding {
	proved, denies, missing := proveDenied(pol, bucket, v)
	if proved {
		return nil
	}
	var ev []string
	switch {
	case pol == nil:
		ev = []string{"no bucket policy"}
	case len(denies) == 0:
		ev = []string{"no Deny statement of the bucket policy covers it"}
	default:
		for _, d := range denies {
			ev = append(ev, d.String())
		}
	}
	if len(denies) > 0 {
		if missing&targetBucket != 0 {
			ev = append(ev, proofBucketARN(bucket)+" not covered")
		}
		if missing&targetObjects != 0 {
			ev = append(ev, proofObjectsARN(bucket)+" not covered")
		}
	}
	f := &ProfileFinding{Evidence: ev, Sources: denies}
	switch v {
	case violationInsecureTransport:
		f.Code, f.Type, f.Section = DPPTLSNotEnforced, SecurityWarning, dppTLSSection
		f.Message = "The bucket policy is not proved to deny every request over plain HTTP (aws:SecureTransport false) to the bucket and its objects: Information may travel unencrypted (DPP 1.5)."
	case violationOldTLS:
		f.Code, f.Type, f.Section = DPPTLSVersionNotEnforced, Warning, dppTLSSection
		f.Message = "The bucket policy is not proved to deny every request over TLS below 1.2 (s3:TlsVersion) to the bucket and its objects (DPP 1.5: TLS 1.2+)."
	default:
		f.Code, f.Type, f.Section = DPPSSENotRequired, Warning, dppSSESection
		f.Message = "The bucket policy is not proved to deny every s3:PutObject without an accepted s3:x-amz-server-side-encryption (AES256, aws:kms, aws:kms:dsse), so PII may be stored without an encryption the developer chose (DPP 2.4). " +
			"S3 encrypts new objects with SSE-S3 when a request names none, and the bucket's default encryption setting is outside the model: this says only that the policy does not require a chosen encryption on writes."
	}
	return f
}
