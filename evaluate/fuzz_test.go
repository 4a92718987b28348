package evaluate_test

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// fuzzTime is the request time of FuzzEvaluate, for date conditions.
var fuzzTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// fuzzDenyAll is the statement FuzzEvaluate appends to every policy: it
// denies every action on every resource to everyone.
const fuzzDenyAll = `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}`

// fuzzWideParser parses the policy with the deny-all statement appended,
// which may take it over the default limits.
var fuzzWideParser = policy.Parser{MaxBytes: 1 << 20, MaxStatements: 1 << 20, MaxValues: 1 << 20}

// fuzzBucketARN finds the first bucket a seed policy names, so that seeds
// request a resource their policy mentions.
var fuzzBucketARN = regexp.MustCompile(`arn:aws:s3:::([a-z0-9][a-z0-9.-]*[a-z0-9])`)

// fuzzPolicies are hand-written bucket policies for bucket "bkt" with the
// condition operators and elements FuzzEvaluate should start from.
var fuzzPolicies = []string{
	`{"Version":"2012-10-17","Statement":[{"Sid":"IPAllow","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"],"Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/*"},{"Sid":"IPDeny","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/*","Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:user/alice"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}},{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bkt/home/${aws:username}/*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"OnlyAlice","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::` + acctA + `:user/alice","` + acctA + `"]},"Action":"s3:*","Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]},{"Effect":"Allow","Principal":{"AWS":"` + acctB + `"},"Action":"s3:Get*","Resource":"arn:aws:s3:::bkt/*"}]}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","NotAction":["s3:Delete*","s3:PutBucketPolicy"],"NotResource":["arn:aws:s3:::bkt/private/*","arn:aws:s3:::other"]}}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"NeedIP","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/*","Condition":{"Null":{"aws:SourceIp":"true"}}},{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"Null":{"s3:prefix":"false"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]},"ForAnyValue:StringLike":{"aws:TagKeys":"t*"},"Bool":{"aws:SecureTransport":"true"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"NumericGreaterThan":{"s3:max-keys":"100"}}},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"],"Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"StringEqualsIfExists":{"s3:ExistingObjectTag/team":"home/alice/"}}}]}`,
	`{"Statement":{"Effect":"Allow","Principal":{"AWS":["` + acctA + `","arn:aws:iam::` + acctB + `:root"]},"Action":"S3:GETOBJECT","Resource":"arn:aws:s3:::bkt/${aws:username}"}}`,
	fuzzManyStatements(),
}

// fuzzManyStatements is a policy long enough for the evaluator's resource
// index to pick the statements it considers.
func fuzzManyStatements() string {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := range 10 {
		if i > 0 {
			b.WriteByte(',')
		}
		effect := "Allow"
		if i%3 == 2 {
			effect = "Deny"
		}
		n := strconv.Itoa(i)
		b.WriteString(`{"Sid":"S` + n + `","Effect":"` + effect + `","Principal":"*","Action":"s3:*Object","Resource":["arn:aws:s3:::bkt/d` + n + `/*","arn:aws:s3:::b` + n + `*"]`)
		if i%4 == 1 {
			b.WriteString(`,"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.` + n + `/32"}}`)
		}
		b.WriteByte('}')
	}
	b.WriteString(`,{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"StringLike":{"s3:prefix":"d*"}}}]}`)
	return b.String()
}

// fuzzCallers are the principals every FuzzEvaluate input is evaluated
// for: the anonymous user, IAM principals of the bucket owner's account
// and of another one, and both accounts' roots.
var fuzzCallers = []ownership.Principal{
	ownership.Anonymous(),
	user(acctA, "alice"),
	session(acctA, "reader", "alice"),
	user(acctB, "bob"),
	root(acctB),
	root(acctA),
}

// fuzzErrText is the text of err, "" for nil.
func fuzzErrText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// fuzzOwnerRootExempt reports whether the bucket owner's root may perform
// action whatever the bucket policy says (its lock-out protection).
func fuzzOwnerRootExempt(caller ownership.Principal, action string) bool {
	info, ok := policy.LookupAction(action)
	if !ok || !caller.IsRoot() || caller.Account() != acctA {
		return false
	}
	switch info.Name {
	case "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy":
		return true
	}
	return false
}

// fuzzEvaluate evaluates req in ec and checks what holds for every
// evaluation: it is deterministic, an error always denies implicitly with
// the error stage and wraps exactly one of the package's error sentinels,
// and tracing changes neither the decision nor the reason.
func fuzzEvaluate(t *testing.T, req evaluate.Request, ec evaluate.Context) (evaluate.Decision, evaluate.Diagnostic) {
	t.Helper()
	d, diag := evaluate.Evaluate(req, ec)
	d2, diag2 := evaluate.Evaluate(req, ec)
	if d != d2 || diag.Reason != diag2.Reason || fuzzErrText(diag.Err) != fuzzErrText(diag2.Err) {
		t.Fatalf("%s %s: not deterministic: %v %+v %v, then %v %+v %v",
			req.Principal, req.Action, d, diag.Reason, diag.Err, d2, diag2.Reason, diag2.Err)
	}
	if d > evaluate.ExplicitDeny {
		t.Fatalf("%s %s: decision %v", req.Principal, req.Action, d)
	}
	if diag.Reason.Stage == evaluate.StageNone {
		t.Fatalf("%s %s: %v without a deciding stage: %+v", req.Principal, req.Action, d, diag.Reason)
	}
	if diag.Trace != nil {
		t.Fatalf("%s %s: a trace that was not asked for", req.Principal, req.Action)
	}
	if !diag.Reason.Code.IsValid() || diag.Reason.Code == evaluate.CodeNone {
		t.Fatalf("%s %s: %v with code %v", req.Principal, req.Action, d, diag.Reason.Code)
	}
	if ok := diag.Reason.Code.HTTPStatus() == http.StatusOK; ok != (d == evaluate.Allow) {
		t.Fatalf("%s %s: %v, but code %v answers %d", req.Principal, req.Action, d, diag.Reason.Code, diag.Reason.Code.HTTPStatus())
	}
	if diag.Err != nil {
		var located *evaluate.Error
		if !errors.As(diag.Err, &located) {
			t.Fatalf("%s %s: error %v is not an *evaluate.Error", req.Principal, req.Action, diag.Err)
		}
		if strings.ContainsAny(diag.Err.Error(), "\r\n") {
			t.Fatalf("%s %s: error on more than one line: %q", req.Principal, req.Action, diag.Err)
		}
		if d != evaluate.ImplicitDeny || diag.Reason.Stage != evaluate.StageError {
			t.Fatalf("%s %s: error %v comes with %v at stage %v", req.Principal, req.Action, diag.Err, d, diag.Reason.Stage)
		}
		n := 0
		for _, sentinel := range []error{evaluate.ErrInvalidRequest, evaluate.ErrInvalidRecord, evaluate.ErrCondition} {
			if errors.Is(diag.Err, sentinel) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%s %s: error wraps %d of the sentinels, not one: %v", req.Principal, req.Action, n, diag.Err)
		}
	} else if diag.Reason.Stage == evaluate.StageError {
		t.Fatalf("%s %s: %v at the error stage without an error", req.Principal, req.Action, d)
	}
	_ = diag.Reason.String()

	traced := req
	traced.Trace = true
	dt, diagt := evaluate.Evaluate(traced, ec)
	if dt != d || diagt.Reason != diag.Reason || fuzzErrText(diagt.Err) != fuzzErrText(diag.Err) {
		t.Fatalf("%s %s: tracing changes the outcome: %v %+v %v untraced, %v %+v %v traced",
			req.Principal, req.Action, d, diag.Reason, diag.Err, dt, diagt.Reason, diagt.Err)
	}
	return d, diag
}

// fuzzPrepare parses and prepares a bucket policy, returning nil when it
// does not parse; it checks that failures are errors, and the same errors
// every time, and that a policy Parse accepts Prepare accepts.
func fuzzPrepare(t *testing.T, data []byte) (*policy.Policy, *evaluate.Prepared) {
	t.Helper()
	p, err := policy.Parse(policy.Bucket, data)
	if err != nil {
		p2, err2 := policy.Parse(policy.Bucket, data)
		if p != nil || p2 != nil || err2 == nil || err.Error() != err2.Error() {
			t.Fatalf("parse errors are not deterministic: %v then %v", err, err2)
		}
		return nil, nil
	}
	pp, err := evaluate.Prepare(p)
	if err != nil {
		t.Fatalf("Parse accepts a policy Prepare refuses: %v\n%s", err, data)
	}
	if pp.Policy() != p {
		t.Fatal("Prepared.Policy is not the prepared policy")
	}
	return p, pp
}

// fuzzWithDenyAll returns the canonical form of p with fuzzDenyAll appended
// to its statements, and the pointer the appended statement gets.
func fuzzWithDenyAll(t *testing.T, p *policy.Policy) ([]byte, string) {
	t.Helper()
	canon, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	// The canonical form always writes Statement as an array, last.
	if !bytes.HasSuffix(canon, []byte("]}")) {
		t.Fatalf("canonical form does not end with the statement array: %s", canon)
	}
	out := append([]byte(nil), canon[:len(canon)-2]...)
	if len(p.Statements) > 0 {
		out = append(out, ',')
	}
	out = append(out, fuzzDenyAll...)
	out = append(out, "]}"...)
	return out, "/Statement/" + strconv.Itoa(len(p.Statements))
}

// fuzzCanonicalPointer returns the pointer the statement at ptr in p has in
// p's canonical form, where Statement is always an array.
func fuzzCanonicalPointer(t *testing.T, p *policy.Policy, ptr string) string {
	t.Helper()
	for i := range p.Statements {
		if p.Statements[i].Pointer == ptr {
			return "/Statement/" + strconv.Itoa(i)
		}
	}
	t.Fatalf("reason names pointer %q, which is no statement's", ptr)
	return ""
}

// FuzzEvaluate evaluates requests of several callers against a bucket
// policy and checks that a policy Parse accepts Prepare accepts, that
// Evaluate never panics and is deterministic, that
// an Allow never comes with an error and an error always denies
// implicitly, that tracing changes neither the decision nor the reason,
// and that appending a Deny of everything to the policy makes every valid
// request explicitly denied, by that statement unless an earlier Deny
// matched, or fail closed where the original policy failed.
func FuzzEvaluate(f *testing.F) {
	actions := []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketPolicy", "S3:getobject", "s3:Nope", "s3:DeleteBucketPolicy", "s3:ListAllMyBuckets"}
	keys := []string{"a/b.txt", "", "home/alice/x", "private/y"}
	ips := []string{"192.0.2.1", "2001:db8::1", "not-an-ip", "", "192.0.2.5"}
	prefixes := []string{"home/alice/", "", "team,env", "d1"}
	secure := []string{"true", "false", "maybe", "150"}

	files, err := filepath.Glob(filepath.Join("..", "policy", "testdata", "valid", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, file := range files {
		if strings.HasSuffix(file, ".golden.json") {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if _, err := policy.Parse(policy.Bucket, data); err != nil {
			continue
		}
		bucket := "bkt"
		if m := fuzzBucketARN.FindSubmatch(data); m != nil {
			bucket = string(m[1])
		}
		f.Add(data, actions[n%len(actions)], bucket, keys[n%len(keys)], ips[n%len(ips)], prefixes[n%len(prefixes)], secure[n%len(secure)])
		n++
	}
	if n == 0 {
		f.Fatal("no seed policy parses as a bucket policy")
	}
	for i, doc := range fuzzPolicies {
		for j, action := range actions {
			k := i + j
			f.Add([]byte(doc), action, "bkt", keys[k%len(keys)], ips[k%len(ips)], prefixes[k%len(prefixes)], secure[k%len(secure)])
		}
	}

	dir := directory(f)
	f.Fuzz(func(t *testing.T, policyJSON []byte, action, bucket, key, sourceIP, prefix, secure string) {
		if len(policyJSON) > policy.DefaultMaxBytesBucket {
			return
		}
		p, pp := fuzzPrepare(t, policyJSON)
		if pp == nil {
			return
		}
		withDeny, denyPointer := fuzzWithDenyAll(t, p)
		q, err := fuzzWideParser.Parse(policy.Bucket, withDeny)
		if err != nil {
			t.Fatalf("the policy with a Deny of everything appended does not parse: %v\n%s", err, withDeny)
		}
		qp, err := evaluate.Prepare(q)
		if err != nil {
			t.Fatalf("the policy with a Deny of everything appended does not prepare: %v\n%s", err, withDeny)
		}

		b := &ownership.Bucket{Name: bucket, Owner: acctA, Mode: ownership.ObjectWriter}
		if b.Validate() != nil {
			b.Name = "bkt"
		}
		// A key belongs to object actions only.
		if info, ok := policy.LookupAction(action); ok && info.Resource != policy.ResourceObject {
			key = ""
		}
		ec := evaluate.Context{Bucket: b, BucketPolicy: pp, Directory: dir}
		if key != "" {
			o := &ownership.Object{Bucket: b.Name, Key: key, Owner: ownership.AccountOwner(acctA), Tags: []ownership.Tag{{Key: "team", Value: prefix}}}
			if o.Validate() == nil {
				ec.Object = o
			}
		}
		denyEC := ec
		denyEC.BucketPolicy = qp

		var keys evaluate.Keys
		keys.Set("aws:SourceIp", sourceIP)
		keys.Set("s3:prefix", prefix)
		keys.Set("aws:SecureTransport", secure)
		keys.Set("s3:max-keys", secure)
		keys.Set("aws:TagKeys", strings.Split(prefix, ",")...)

		for _, caller := range fuzzCallers {
			req := evaluate.Request{Principal: caller, Action: action, Bucket: b.Name, Key: key, Keys: &keys, Time: fuzzTime}
			d, diag := fuzzEvaluate(t, req, ec)
			if fuzzOwnerRootExempt(caller, action) {
				continue
			}
			dd, ddiag := fuzzEvaluate(t, req, denyEC)
			invalid := errors.Is(diag.Err, evaluate.ErrInvalidRequest)
			if invalid != errors.Is(ddiag.Err, evaluate.ErrInvalidRequest) {
				t.Fatalf("%s %s: the policy decides whether the request is valid: %v, then %v", caller, action, diag.Err, ddiag.Err)
			}
			if invalid {
				continue
			}
			switch {
			case ddiag.Err != nil:
				// A condition of a Deny statement before the appended one
				// failed; the same statement fails without it.
				if diag.Err == nil || !errors.Is(diag.Err, evaluate.ErrCondition) {
					t.Fatalf("%s %s: fails with a Deny of everything appended (%v) but not without (%v %+v)\n%s",
						caller, action, ddiag.Err, d, diag.Reason, withDeny)
				}
			case dd != evaluate.ExplicitDeny:
				t.Fatalf("%s %s: %v %+v with a Deny of everything appended\n%s", caller, action, dd, ddiag.Reason, withDeny)
			case d == evaluate.ExplicitDeny:
				// The original deciding statement still decides.
				want := diag.Reason
				want.Pointer = fuzzCanonicalPointer(t, p, want.Pointer)
				if ddiag.Reason != want {
					t.Fatalf("%s %s: denied by %+v, then with a Deny of everything appended by %+v", caller, action, diag.Reason, ddiag.Reason)
				}
			default:
				// Nothing denied before: the appended statement decides.
				want := evaluate.Reason{Stage: evaluate.StageBucket, Code: evaluate.CodeExplicitDeny, Source: evaluate.SourceBucketPolicy, Pointer: denyPointer}
				if ddiag.Reason != want {
					t.Fatalf("%s %s: denied by %+v, not by the appended statement %s", caller, action, ddiag.Reason, denyPointer)
				}
			}
		}
	})
}
