package analysis

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/require"
)

// This file checks the proofs of dpp_proof.go against the evaluator: for
// generated bucket policies, whenever a proof holds, every sampled request
// showing its violation is denied by evaluate.Evaluate.

// propCaller is a caller of the property test with its identity policies.
type propCaller struct {
	name     string
	p        ownership.Principal
	identity []*evaluate.Prepared
}

// propCallers are anonymous, another account's root, another account's
// user and the owner's user (both with an identity policy allowing every
// S3 action), and a service. The owner's root is left out: lockout
// protection keeps its bucket-policy actions whatever the policy denies,
// which the profile's doc states.
func propCallers(t *testing.T) []propCaller {
	t.Helper()
	allowAll := evaluate.MustPrepare(policy.MustParse(policy.Identity,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`))
	svc, err := ownership.ServicePrincipal("cloudtrail.amazonaws.com")
	require.NoError(t, err)
	return []propCaller{
		{name: "anonymous", p: ownership.Anonymous()},
		{name: "other root", p: ownership.MustParsePrincipal("arn:aws:iam::210987654321:root")},
		{name: "other user", p: ownership.MustParsePrincipal("arn:aws:iam::210987654321:user/u"), identity: []*evaluate.Prepared{allowAll}},
		{name: "owner user", p: ownership.MustParsePrincipal("arn:aws:iam::123456789012:user/o"), identity: []*evaluate.Prepared{allowAll}},
		{name: "service", p: svc},
	}
}

// propKeys are the object keys requests name; the generator's resources
// single out some of them.
var propKeys = [...]string{"k", "public/x", "pii/y"}

// allowEverything is the statement every generated policy starts with,
// so that without a Deny every calibrated request is allowed.
const allowEverything = `{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}`

// propWorld is a world with bucket b (ACLs disabled, no Block Public
// Access, so that only the policy decides) and the objects of propKeys.
func propWorld(pol *evaluate.Prepared) (*World, *Bucket) {
	b := &Bucket{
		Record:  &ownership.Bucket{Name: "b", Owner: dppOwner, Mode: ownership.BucketOwnerEnforced},
		Policy:  pol,
		Objects: map[string]*Object{},
	}
	for _, k := range propKeys {
		b.Objects[k] = &Object{Record: &ownership.Object{Bucket: "b", Key: k, Owner: ownership.AccountOwner(dppOwner)}}
	}
	return &World{Buckets: map[string]*Bucket{"b": b}}, b
}

// propCall is one (caller, action, key) the evaluator allows under
// allowEverything with compliant keys.
type propCall struct {
	caller int
	action string
	key    string // "" for a bucket action
}

// compliantKeys are the keys of a request over TLS 1.3 with SSE-KMS.
func compliantKeys() *evaluate.Keys {
	k := &evaluate.Keys{}
	k.Set("aws:SecureTransport", "true")
	k.Set("s3:TlsVersion", "1.3")
	k.Set("s3:x-amz-server-side-encryption", "aws:kms")
	return k
}

// calibrate returns the calls the evaluator allows under allowEverything
// alone, for every caller and every bucket and object action: a denial
// later can then only come from the generated statements.
func calibrate(t *testing.T, callers []propCaller) []propCall {
	t.Helper()
	w, b := propWorld(evaluate.MustPrepare(policy.MustParse(policy.Bucket, dppDoc(allowEverything))))
	var calls []propCall
	for ci, c := range callers {
		for _, a := range policy.Actions() {
			key := ""
			switch a.Resource {
			case policy.ResourceBucket:
			case policy.ResourceObject:
				key = "k"
			default:
				continue
			}
			ec := w.Context(b, key)
			ec.Identity = c.identity
			d, _ := evaluate.Evaluate(evaluate.Request{Principal: c.p, Action: a.Name, Bucket: "b", Key: key, Keys: compliantKeys()}, ec)
			if d.Allowed() {
				calls = append(calls, propCall{caller: ci, action: a.Name, key: key})
			}
		}
	}
	return calls
}

// Pools the generator draws statements from: proof material and
// distractors.
var (
	propPrincipals = []string{
		`"Principal":"*"`, `"Principal":{"AWS":"*"}`, `"Principal":"*"`,
		`"Principal":{"AWS":"arn:aws:iam::210987654321:root"}`,
		`"NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"}`,
	}
	propActions = []string{
		`"Action":"s3:*"`, `"Action":"*"`, `"Action":"s3:*"`, `"Action":"s3:Get*"`, `"Action":"s3:PutObject"`,
		`"Action":"s3:Put*"`, `"Action":["s3:GetObject","s3:ListBucket"]`, `"NotAction":"s3:GetObject"`,
	}
	propResources = []string{
		`"Resource":"arn:aws:s3:::b"`, `"Resource":"arn:aws:s3:::b/*"`, `"Resource":"arn:aws:s3:::b*"`,
		`"Resource":"*"`, `"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]`, `"Resource":"arn:aws:s3:::b/pii/*"`,
		`"NotResource":"arn:aws:s3:::other/*"`, `"NotResource":"arn:aws:s3:::b/public/*"`,
	}
	// propAtoms are (operator, key, values) triples.
	propAtoms = [][3]string{
		{"Bool", "aws:SecureTransport", `"false"`},
		{"Bool", "aws:SecureTransport", `"FALSE"`},
		{"Bool", "aws:SecureTransport", `"true"`},
		{"BoolIfExists", "aws:SecureTransport", `"false"`},
		{"BoolIfExists", "aws:SecureTransport", `"true"`},
		{"NumericLessThan", "s3:TlsVersion", `"1.2"`},
		{"NumericLessThan", "s3:TlsVersion", `"1.1"`},
		{"NumericLessThanIfExists", "s3:TlsVersion", `"1.2"`},
		{"NumericLessThanIfExists", "s3:TlsVersion", `["1.0","1.3"]`},
		{"NumericLessThanIfExists", "s3:TlsVersion", `"1.1"`},
		{"NumericLessThanEquals", "s3:TlsVersion", `"1.1"`},
		{"StringNotEquals", "s3:x-amz-server-side-encryption", `["AES256","aws:kms"]`},
		{"StringNotEquals", "s3:x-amz-server-side-encryption", `"aes256"`},
		{"StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", `"aws:kms"`},
		{"Null", "s3:x-amz-server-side-encryption", `"true"`},
		{"Null", "s3:x-amz-server-side-encryption", `"false"`},
		{"NotIpAddress", "aws:SourceIp", `"10.0.0.0/8"`},
		{"StringEquals", "aws:SecureTransport", `"false"`},
		{"StringLike", "s3:prefix", `"home/*"`},
	}
)

// genStatement draws one statement: mostly Denies to everyone with zero to
// two condition atoms.
func genStatement(r *rand.Rand) string {
	effect := "Deny"
	if r.IntN(5) == 0 {
		effect = "Allow"
	}
	principal := propPrincipals[r.IntN(len(propPrincipals))]
	if effect == "Allow" && principal[1] == 'N' {
		principal = `"Principal":"*"`
	}
	s := `{"Effect":"` + effect + `",` + principal + `,` + propActions[r.IntN(len(propActions))] + `,` +
		propResources[r.IntN(len(propResources))]
	cond := map[string]map[string]json.RawMessage{}
	for n := r.IntN(3); n > 0; n-- {
		a := propAtoms[r.IntN(len(propAtoms))]
		if cond[a[0]] == nil {
			cond[a[0]] = map[string]json.RawMessage{}
		}
		cond[a[0]][a[1]] = json.RawMessage(a[2])
	}
	if len(cond) > 0 {
		data, err := json.Marshal(cond)
		if err == nil {
			s += `,"Condition":` + string(data)
		}
	}
	return s + `}`
}

// violating builds the keys of a request showing v: plain HTTP; TLS below
// 1.2; an upload over TLS 1.3 without the encryption header.
func violating(r *rand.Rand, v violation) *evaluate.Keys {
	k := &evaluate.Keys{}
	switch v {
	case violationInsecureTransport:
		if r.IntN(2) == 0 {
			k.Set("aws:SecureTransport", "false") // else the evaluator's default, "false"
		}
		k.Set("aws:SourceIp", "203.0.113.9")
	case violationOldTLS:
		k.Set("aws:SecureTransport", "true")
		k.Set("s3:TlsVersion", [...]string{"1.0", "1.1"}[r.IntN(2)])
		k.Set("aws:SourceIp", "10.1.2.3")
	case violationNoSSE:
		k.Set("aws:SecureTransport", "true")
		k.Set("s3:TlsVersion", "1.3")
	}
	return k
}

// TestDPPProofsSound is the soundness property of the proofs: no
// generated policy the profile calls enforcing lets a violating request
// through. It also counts violating requests allowed where the finding
// stays, to show the sample would catch a wrong proof.
func TestDPPProofsSound(t *testing.T) {
	callers := propCallers(t)
	calls := calibrate(t, callers)
	var puts []propCall
	for _, c := range calls {
		if c.action == "s3:PutObject" {
			puts = append(puts, c)
		}
	}
	require.NotEmpty(t, calls)
	require.NotEmpty(t, puts)
	t.Logf("%d calibrated calls (%d PutObject) over %d callers", len(calls), len(puts), len(callers))

	policies := 3000
	if testing.Short() {
		policies = 600
	}
	violations := []violation{violationInsecureTransport, violationOldTLS, violationNoSSE}
	var (
		parsed             int
		proved, requests   [4]int
		allowedWhenUnknown [4]int
	)
	for seed := uint64(1); seed <= uint64(policies); seed++ {
		r := rand.New(rand.NewPCG(seed, 0xD99))
		stmts := []string{allowEverything}
		for n := 1 + r.IntN(4); n > 0; n-- {
			stmts = append(stmts, genStatement(r))
		}
		doc := dppDoc(stmts...)
		pol, err := policy.Parse(policy.Bucket, []byte(doc))
		if err != nil {
			continue
		}
		prep, err := evaluate.Prepare(pol)
		if err != nil {
			continue
		}
		parsed++
		w, b := propWorld(prep)
		for _, v := range violations {
			ok := checkProof(pol, "b", v) == nil
			if ok {
				proved[v]++
			}
			pool := calls
			if v == violationNoSSE {
				pool = puts
			}
			for i := 0; i < 12; i++ {
				c := pool[r.IntN(len(pool))]
				if v == violationOldTLS && !carriesTLSVersion(c.action) {
					// The request context of this action never holds
					// s3:TlsVersion: no request of it shows the violation.
					continue
				}
				key := c.key
				if key != "" {
					key = propKeys[r.IntN(len(propKeys))]
				}
				ec := w.Context(b, key)
				ec.Identity = callers[c.caller].identity
				req := evaluate.Request{Principal: callers[c.caller].p, Action: c.action, Bucket: "b", Key: key, Keys: violating(r, v)}
				d, diag := evaluate.Evaluate(req, ec)
				if !ok {
					if d.Allowed() {
						allowedWhenUnknown[v]++
					}
					continue
				}
				requests[v]++
				if d.Allowed() {
					t.Fatalf("seed %d: proof of violation %d holds but %s %s key %q is allowed (%s)\npolicy: %s",
						seed, v, callers[c.caller].name, c.action, key, diag.Reason, doc)
				}
			}
		}
	}
	t.Logf("%d policies generated, %d loaded", policies, parsed)
	for _, v := range violations {
		t.Logf("violation %d: proved for %d policies, %d violating requests all denied; %d violating requests allowed where the finding stays",
			v, proved[v], requests[v], allowedWhenUnknown[v])
		require.Positive(t, proved[v], "the generator must produce proofs of violation %d", v)
		require.Positive(t, allowedWhenUnknown[v], "the sample must let some violation %d through where unproved", v)
	}
}

// carriesTLSVersion reports whether an action's request context holds
// s3:TlsVersion, so that a request of it can be over TLS below 1.2.
func carriesTLSVersion(action string) bool {
	a, ok := policy.LookupAction(action)
	return ok && a.HasConditionKey("s3:TlsVersion")
}
