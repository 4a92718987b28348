package analysis

import (
	"strings"
	"testing"

	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dppDoc wraps statements (JSON objects, comma-separated) in a 2012-10-17
// bucket policy.
func dppDoc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// denyAll is a Deny to everyone of every S3 action on res (a JSON value)
// under cond (a JSON object, "" for none).
func denyAll(res, cond string) string {
	s := `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":` + res
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + `}`
}

const (
	bothRes     = `["arn:aws:s3:::b","arn:aws:s3:::b/*"]`
	httpFalse   = `{"Bool":{"aws:SecureTransport":"false"}}`
	tlsBelow12  = `{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`
	sseNullTrue = `{"Null":{"s3:x-amz-server-side-encryption":"true"}}`
)

// denyPut is a Deny to everyone of s3:PutObject on b's objects under cond.
func denyPut(cond string) string {
	return `{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":` + cond + `}`
}

// proofCodes returns the proof codes the profile reports for doc ("" for
// no bucket policy) on bucket b.
func proofCodes(t *testing.T, doc string) map[string]bool {
	t.Helper()
	var pol *policy.Policy
	if doc != "" {
		var err error
		pol, err = policy.Parse(policy.Bucket, []byte(doc))
		require.NoError(t, err)
	}
	got := map[string]bool{}
	for _, v := range []violation{violationInsecureTransport, violationOldTLS, violationNoSSE} {
		if f := checkProof(pol, "b", v); f != nil {
			got[f.Code] = true
			assert.NotEmpty(t, f.Evidence, f.Code)
		}
	}
	return got
}

// TestDPPProofs decides the proofs of §6.3 case by case, the peer traps
// the spec lists among them. tls, ver and sse say whether
// DPP_TLS_NOT_ENFORCED, DPP_TLS_VERSION_NOT_ENFORCED and
// DPP_SSE_NOT_REQUIRED stay reported.
func TestDPPProofs(t *testing.T) {
	tests := []struct {
		name          string
		doc           string
		tls, ver, sse bool
	}{
		{name: "no bucket policy", doc: "", tls: true, ver: true, sse: true},
		{name: "hardened sample", doc: dppDoc(
			denyAll(`"arn:aws:s3:::b*"`, `{"BoolIfExists":{"aws:SecureTransport":"false"}}`),
			`{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":`+bothRes+`,"Condition":{"NumericLessThanIfExists":{"s3:TlsVersion":"1.2"}}}`,
			denyPut(sseNullTrue))},
		{name: "unconditional deny of everything proves all", doc: dppDoc(denyAll(`"*"`, ""))},

		// Peer traps of §6.3.
		{name: "trap: deny on bucket/* only leaves the bucket open (prowler#1481)",
			doc: dppDoc(denyAll(`"arn:aws:s3:::b/*"`, httpFalse)), tls: true, ver: true, sse: true},
		{name: "trap: allow conditioned on SecureTransport true is no enforcement (CKV_AWS_379)",
			doc: dppDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`),
			tls: true, ver: true, sse: true},
		{name: "trap: multi-statement policy with a proper deny is enforced (cloudsploit#579)",
			doc: dppDoc(
				`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`,
				denyAll(bothRes, httpFalse),
				`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`),
			ver: true, sse: true},
		{name: "trap: SecureTransport true plus TlsVersion leaves HTTP open (mp-environments#4693)",
			doc: dppDoc(denyAll(bothRes, `{"Bool":{"aws:SecureTransport":"true"},"NumericLessThanIfExists":{"s3:TlsVersion":"1.2"}}`)),
			tls: true, sse: true},
		{name: "trap: NotPrincipal deny is not a proof",
			doc: dppDoc(`{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:*","Resource":` + bothRes + `,"Condition":` + httpFalse + `}`),
			tls: true, ver: true, sse: true},
		{name: "trap: extra condition on another key is not a proof",
			doc: dppDoc(denyAll(bothRes, `{"Bool":{"aws:SecureTransport":"false"},"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`)),
			tls: true, ver: true, sse: true},
		{name: "trap: BoolIfExists is accepted",
			doc: dppDoc(denyAll(bothRes, `{"BoolIfExists":{"aws:SecureTransport":"false"}}`)), ver: true, sse: true},
		{name: "trap: arn:aws:s3:::b* covers bucket and objects",
			doc: dppDoc(denyAll(`"arn:aws:s3:::b*"`, httpFalse)), ver: true, sse: true},
		{name: "trap: two denies splitting bucket and objects are accepted",
			doc: dppDoc(denyAll(`"arn:aws:s3:::b"`, httpFalse), denyAll(`"arn:aws:s3:::b/*"`, httpFalse)), ver: true, sse: true},
		{name: "trap: a deny on another bucket's prefix matches nothing here (fixinventory#1922)",
			doc: dppDoc(denyAll(`["arn:aws:s3:::b-logs*"]`, httpFalse)), tls: true, ver: true, sse: true},

		// Principals and actions.
		{name: "AWS star principal qualifies",
			doc: dppDoc(`{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":` + bothRes + `,"Condition":` + httpFalse + `}`), ver: true, sse: true},
		{name: "named principal does not qualify",
			doc: dppDoc(`{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"s3:*","Resource":` + bothRes + `,"Condition":` + httpFalse + `}`),
			tls: true, ver: true, sse: true},
		{name: "deny of some actions does not cover every action",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":` + bothRes + `,"Condition":` + httpFalse + `}`),
			tls: true, ver: true, sse: true},
		{name: "NotAction deny is not read",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":` + bothRes + `,"Condition":` + httpFalse + `}`),
			tls: true, ver: true, sse: true},
		{name: "action case does not matter",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":"S3:*","Resource":` + bothRes + `,"Condition":` + httpFalse + `}`), ver: true, sse: true},

		// Resources.
		{name: "NotResource that leaves the bucket alone covers it",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::other/*","Condition":` + httpFalse + `}`), ver: true, sse: true},
		{name: "NotResource that excludes some objects does not cover them",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::b/public/*","Condition":` + httpFalse + `}`),
			tls: true, ver: true, sse: true},
		{name: "NotResource naming the bucket leaves the bucket open",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::b","Condition":` + httpFalse + `}`),
			tls: true, ver: true, sse: true},
		{name: "NotResource matching every bucket covers nothing",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::*","Condition":` + httpFalse + `}`),
			tls: true, ver: true, sse: true},
		{name: "resource with a policy variable covers nothing",
			doc: dppDoc(denyAll(`["arn:aws:s3:::b","arn:aws:s3:::b/${aws:username}*"]`, httpFalse)), tls: true, ver: true, sse: true},
		{name: "deny on the bucket only leaves the objects open",
			doc: dppDoc(denyAll(`"arn:aws:s3:::b"`, httpFalse)), tls: true, ver: true, sse: true},

		// Condition atoms: transport.
		{name: "Bool false in any case, key in any case",
			doc: dppDoc(denyAll(bothRes, `{"Bool":{"AWS:securetransport":"FALSE"}}`)), ver: true, sse: true},
		{name: "Bool true does not prove plain HTTP denied",
			doc: dppDoc(denyAll(bothRes, `{"Bool":{"aws:SecureTransport":"true"}}`)), tls: true, sse: true},
		{name: "NumericLessThanIfExists TlsVersion proves both",
			doc: dppDoc(denyAll(bothRes, `{"NumericLessThanIfExists":{"s3:TlsVersion":"1.2"}}`)), sse: true},
		{name: "NumericLessThanIfExists below 1.2 proves transport only",
			doc: dppDoc(denyAll(bothRes, `{"NumericLessThanIfExists":{"s3:TlsVersion":"1.1"}}`)), ver: true, sse: true},
		{name: "NumericLessThan without IfExists proves TLS 1.2, not transport",
			doc: dppDoc(denyAll(bothRes, tlsBelow12)), tls: true, sse: true},
		{name: "NumericLessThan 1.1 does not prove TLS 1.2",
			doc: dppDoc(denyAll(bothRes, `{"NumericLessThan":{"s3:TlsVersion":"1.1"}}`)), tls: true, ver: true, sse: true},
		{name: "NumericLessThanIfExists with several values takes the greatest",
			doc: dppDoc(denyAll(bothRes, `{"NumericLessThanIfExists":{"s3:TlsVersion":["1.0","1.3"]}}`)), sse: true},
		{name: "NumericLessThanIfExists with every value below 1.2 is no version proof",
			doc: dppDoc(denyAll(bothRes, `{"NumericLessThanIfExists":{"s3:TlsVersion":["1.0","1.1"]}}`)), ver: true, sse: true},
		{name: "Bool SecureTransport true with NumericLessThanIfExists proves the version",
			doc: dppDoc(denyAll(bothRes, `{"Bool":{"aws:SecureTransport":"true"},"NumericLessThanIfExists":{"s3:TlsVersion":"1.2"}}`)), tls: true, sse: true},
		{name: "NumericLessThanEquals is not accepted",
			doc: dppDoc(denyAll(bothRes, `{"NumericLessThanEquals":{"s3:TlsVersion":"1.1"}}`)), tls: true, ver: true, sse: true},
		{name: "BoolIfExists true is not in the TLS version table",
			doc: dppDoc(denyAll(bothRes, `{"BoolIfExists":{"aws:SecureTransport":"true"},"NumericLessThan":{"s3:TlsVersion":"1.2"}}`)), tls: true, ver: true, sse: true},
		{name: "StringEquals on SecureTransport is not accepted",
			doc: dppDoc(denyAll(bothRes, `{"StringEquals":{"aws:SecureTransport":"false"}}`)), tls: true, ver: true, sse: true},

		// Condition atoms: encryption.
		{name: "StringNotEquals accepted values proves SSE",
			doc: dppDoc(denyPut(`{"StringNotEquals":{"s3:x-amz-server-side-encryption":["AES256","aws:kms"]}}`)), tls: true, ver: true},
		{name: "StringNotEquals with a value outside the set is not a proof",
			doc: dppDoc(denyPut(`{"StringNotEquals":{"s3:x-amz-server-side-encryption":["aes256"]}}`)), tls: true, ver: true, sse: true},
		{name: "StringNotEqualsIfExists is not in the table",
			doc: dppDoc(denyPut(`{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":"aws:kms"}}`)), tls: true, ver: true, sse: true},
		{name: "Null false is not a proof",
			doc: dppDoc(denyPut(`{"Null":{"s3:x-amz-server-side-encryption":"false"}}`)), tls: true, ver: true, sse: true},
		{name: "SSE deny on every action and resource proves SSE",
			doc: dppDoc(denyAll(`"*"`, sseNullTrue)), tls: true, ver: true},
		{name: "SSE deny with s3:Put* proves SSE",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:Put*","Resource":"arn:aws:s3:::b/*","Condition":` + sseNullTrue + `}`), tls: true, ver: true},
		{name: "SSE deny on another action is no proof",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:PutObjectAcl","Resource":"arn:aws:s3:::b/*","Condition":` + sseNullTrue + `}`), tls: true, ver: true, sse: true},
		{name: "SSE deny on some objects is no proof",
			doc: dppDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/pii/*","Condition":` + sseNullTrue + `}`), tls: true, ver: true, sse: true},
		{name: "SSE key on the wrong operator set is no proof",
			doc: dppDoc(denyPut(`{"ForAllValues:StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}`)), tls: true, ver: true, sse: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := proofCodes(t, tt.doc)
			assert.Equal(t, tt.tls, got[DPPTLSNotEnforced], DPPTLSNotEnforced)
			assert.Equal(t, tt.ver, got[DPPTLSVersionNotEnforced], DPPTLSVersionNotEnforced)
			assert.Equal(t, tt.sse, got[DPPSSENotRequired], DPPSSENotRequired)
		})
	}
}

// TestDPPProofEvidence checks that an unproved finding names the Denies it
// found and the resources they leave out, and that the SSE message says
// what is outside the model.
func TestDPPProofEvidence(t *testing.T) {
	pol := policy.MustParse(policy.Bucket, dppDoc(denyAll(`"arn:aws:s3:::b/*"`, httpFalse)))
	f := checkProof(pol, "b", violationInsecureTransport)
	require.NotNil(t, f)
	assert.Equal(t, []string{"statement /Statement/0", "arn:aws:s3:::b not covered"}, f.Evidence)
	assert.Equal(t, SecurityWarning, f.Type)
	assert.Equal(t, "1.5", f.Section)

	f = checkProof(nil, "b", violationNoSSE)
	require.NotNil(t, f)
	assert.Equal(t, []string{"no bucket policy"}, f.Evidence)
	assert.Equal(t, Warning, f.Type)
	assert.Equal(t, "2.4", f.Section)
	assert.Contains(t, f.Message, "default encryption setting is outside the model")

	f = checkProof(policy.MustParse(policy.Bucket, dppDoc(denyAll(bothRes, tlsBelow12))), "b", violationInsecureTransport)
	require.NotNil(t, f)
	assert.Equal(t, []string{"no Deny statement of the bucket policy covers it"}, f.Evidence)
}

// TestTLSVersionContext: NumericLessThan s3:TlsVersion 1.2 without
// IfExists holds for every request over TLS below 1.2, the requests whose
// context holds the key; an action whose context never holds it
// (s3:InitiateReplication in the catalog) has no such request.
func TestTLSVersionContext(t *testing.T) {
	c := policy.Condition{Operator: policy.NumericLessThan, Key: "s3:TlsVersion", Values: []policy.Value{{Text: "1.2"}}}
	assert.True(t, atomHolds(&c, violationOldTLS))
	assert.False(t, atomHolds(&c, violationInsecureTransport), "absent on plain HTTP: the operator is false")
	c.Values[0].Text = "1.1"
	assert.False(t, atomHolds(&c, violationOldTLS), "a bound below 1.2 lets TLS 1.1 through")
}
