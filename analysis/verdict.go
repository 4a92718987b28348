package analysis

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

// Verdict is the answer to a semantic question about policies
// (shared/spec/analysis.md §2.3). Pass is a proof, Fail carries a witness
// the evaluator confirmed, and Unknown says the analysis could not decide.
// The zero Verdict is Unknown, so a verdict never set never reads as a
// proof.
type Verdict uint8

const (
	// Unknown: neither proved nor refuted (an unsupported construct, a
	// counterexample that could not be confirmed, or the budget).
	Unknown Verdict = iota
	// Pass: the property holds for every request.
	Pass
	// Fail: a concrete request, replayed through the evaluator, shows
	// the property does not hold.
	Fail
)

// String returns "PASS", "FAIL" or "UNKNOWN".
func (v Verdict) String() string {
	switch v {
	case Pass:
		return "PASS"
	case Fail:
		return "FAIL"
	}
	return "UNKNOWN"
}

// MarshalText implements encoding.TextMarshaler with String's names.
func (v Verdict) MarshalText() ([]byte, error) {
	if v > Fail {
		return nil, fmt.Errorf("analysis: invalid verdict %d", uint8(v))
	}
	return []byte(v.String()), nil
}

// Reason is one statement behind a verdict, or, without a statement, why
// the analysis could not decide.
type Reason struct {
	// Pointer is the statement's RFC 6901 JSON pointer in the policy it
	// belongs to, "" when the reason names no statement.
	Pointer string `json:"pointer,omitempty"`
	// Sid is the statement's Sid, "" when absent.
	Sid string `json:"sid,omitempty"`
	// Index is the statement's position in its policy, -1 for none.
	Index int `json:"index"`
	// Description says what the statement does for the verdict, in one
	// sentence.
	Description string `json:"description"`
}

// Result is the answer to NoNewAccess, AccessNotGranted or NoPublicAccess.
type Result struct {
	Verdict Verdict `json:"verdict"`
	// Reasons name the statements that grant the access (Fail), that
	// prove the property (Pass), or say why it is Unknown.
	Reasons []Reason `json:"reasons,omitempty"`
	// Witness is set exactly when Verdict is Fail.
	Witness *Witness `json:"witness,omitempty"`
}

// Witness is a concrete request that shows a Fail: the evaluator allows it
// under the policy that should not allow it (the new one for NoNewAccess,
// the checked one for AccessNotGranted and NoPublicAccess) and, for
// NoNewAccess, does not allow it under the old one. Request and Context
// rebuild exactly what was replayed.
type Witness struct {
	// Principal is the caller's ARN, "anonymous" for an unsigned request,
	// or "service:NAME" for a service principal.
	Principal string `json:"principal"`
	// Action is the S3 action, e.g. "s3:GetObject".
	Action string `json:"action"`
	// Bucket and Key name the resource; Key is "" for bucket actions.
	Bucket string `json:"bucket"`
	Key    string `json:"key,omitempty"`
	// Keys are the condition keys the request supplies, by name; the keys
	// the evaluator derives from the principal are not listed.
	Keys map[string][]string `json:"keys,omitempty"`
	// BucketOwner is the account that owns the bucket in the replay.
	BucketOwner string `json:"bucketOwner"`
	// Kind is the kind of the policies replayed: "bucket" or "identity";
	// "configuration" (WitnessKindConfiguration) for NoNewConfigAccess,
	// whose witness is replayed in the two worlds with World.ReplayWitness
	// rather than in the setup Context builds.
	Kind string `json:"kind"`
	// Time is the request time (RFC 3339), fixed so replays are
	// deterministic.
	Time string `json:"time"`
}

// String returns the witness on one line, as in
// `anonymous s3:GetObject arn:aws:s3:::bucket/x aws:SecureTransport=false`.
func (w *Witness) String() string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(w.Principal)
	b.WriteByte(' ')
	b.WriteString(w.Action)
	b.WriteString(" arn:aws:s3:::")
	b.WriteString(w.Bucket)
	if w.Key != "" {
		b.WriteByte('/')
		b.WriteString(w.Key)
	}
	names := make([]string, 0, len(w.Keys))
	for k := range w.Keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(&b, " %s=%s", k, strings.Join(w.Keys[k], ","))
	}
	return b.String()
}

// errWitness marks a witness that does not describe a request the evaluator
// can take.
var errWitness = errors.New("analysis: invalid witness")

// principal parses Principal.
func (w *Witness) principal() (ownership.Principal, error) {
	switch {
	case w.Principal == "anonymous":
		return ownership.Anonymous(), nil
	case strings.HasPrefix(w.Principal, "service:"):
		return ownership.ServicePrincipal(strings.TrimPrefix(w.Principal, "service:"))
	}
	return ownership.ParsePrincipal(w.Principal)
}

// Request returns the request the witness stands for. Its Keys hold the
// supplied condition keys.
func (w *Witness) Request() (evaluate.Request, error) {
	p, err := w.principal()
	if err != nil {
		return evaluate.Request{}, fmt.Errorf("%w: %w", errWitness, err)
	}
	keys := &evaluate.Keys{}
	for k, v := range w.Keys {
		keys.Set(k, v...)
	}
	req := evaluate.Request{Principal: p, Action: w.Action, Bucket: w.Bucket, Key: w.Key, Keys: keys}
	if w.Time != "" {
		if req.Time, err = time.Parse(time.RFC3339Nano, w.Time); err != nil {
			return evaluate.Request{}, fmt.Errorf("%w: %w", errWitness, err)
		}
	}
	return req, nil
}

// Context returns the stored state the witness was replayed in, with
// policy (prepared) in the place the witness's Kind gives it: the bucket
// policy, or the caller's identity policy. The setup is that of the package
// documentation (# No new access).
func (w *Witness) Context(p *evaluate.Prepared) (evaluate.Context, error) {
	if w.Kind == WitnessKindConfiguration {
		return evaluate.Context{}, fmt.Errorf("%w: a configuration witness is replayed in its worlds (World.ReplayWitness)", errWitness)
	}
	owner, err := ownership.ParseAccountID(w.BucketOwner)
	if err != nil {
		return evaluate.Context{}, fmt.Errorf("%w: %w", errWitness, err)
	}
	ec := evaluate.Context{
		Bucket: &ownership.Bucket{Name: w.Bucket, Owner: owner, Mode: ownership.BucketOwnerEnforced},
	}
	if w.Kind == "identity" {
		ec.Identity = []*evaluate.Prepared{p}
		return ec, nil
	}
	ec.BucketPolicy = p
	ec.Identity = []*evaluate.Prepared{dfAllowAll}
	return ec, nil
}
