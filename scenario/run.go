package scenario

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/s3authz/s3authz/evaluate"
)

// Result is the outcome of one request of a scenario.
type Result struct {
	Scenario string
	File     string
	Request  int
	Decision evaluate.Decision
	// Expect is the file's expectation, "" when it states none.
	Expect string
	// OK is true when the decision meets the expectation ("deny" accepts
	// either kind); a request without expectation is OK.
	OK         bool
	Why        string
	Diagnostic evaluate.Diagnostic
}

// Run evaluates every request of the scenario with evaluate.Evaluate.
func (s *Scenario) Run() []Result {
	out := make([]Result, 0, len(s.Requests))
	for i := range s.Requests {
		out = append(out, s.Requests[i].Run(s))
	}
	return out
}

// Run evaluates one request.
func (r *Request) Run(s *Scenario) Result {
	d, diag := evaluate.Evaluate(r.Request, r.Context)
	return Result{Scenario: s.Name, File: s.File, Request: r.Index, Decision: d, Expect: r.Expect,
		OK: Meets(d, r.Expect), Why: r.Why, Diagnostic: diag}
}

// Meets reports whether decision d meets an expectation: "allow",
// "explicit-deny", "implicit-deny", "deny" (either kind), or "" (any).
func Meets(d evaluate.Decision, expect string) bool {
	switch expect {
	case "":
		return true
	case "deny":
		return d != evaluate.Allow
	}
	return d.String() == expect
}

// Rule describes the deciding rule of a result in one line, e.g.
// "object: bucket-policy-allows bucket-policy sid=PublicRead /Statement/1".
func (r *Result) Rule() string {
	s := r.Diagnostic.Reason.String()
	if err := r.Diagnostic.Err; err != nil {
		s += " error: " + err.Error()
	}
	return s
}

// line is the JSON form of a result, as the scenario format shows it.
type line struct {
	Scenario string `json:"scenario"`
	Request  int    `json:"request"`
	Decision string `json:"decision"`
	Expect   string `json:"expect,omitempty"`
	OK       bool   `json:"ok"`
	Reason   string `json:"reason"`
}

// MarshalJSON writes the result line:
// {"scenario":"NAME","request":0,"decision":"allow","expect":"allow","ok":true,"reason":"…"}.
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(line{Scenario: r.Scenario, Request: r.Request, Decision: r.Decision.String(), Expect: r.Expect, OK: r.OK, Reason: r.Rule()})
}

// Test runs scenario files as subtests of t: one subtest per file (by
// scenario name) and one per request, failing with the request, the
// expected and actual decisions, and the deciding rule. paths are files or
// folders searched recursively for *.json. A file that does not load fails
// its subtest.
func Test(t *testing.T, paths ...string) {
	t.Helper()
	files, err := Files(paths...)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no scenario files in %v", paths)
	}
	for _, f := range files {
		s, err := Load(f)
		if err != nil {
			t.Run(f, func(t *testing.T) { t.Fatal(err) })
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			for i := range s.Requests {
				r := &s.Requests[i]
				t.Run(fmt.Sprintf("request-%d", r.Index), func(t *testing.T) {
					res := r.Run(s)
					if !res.OK {
						t.Errorf("%s: %s %s %s/%s: got %s, want %s\n  rule: %s\n  why:  %s",
							s.File, r.Principal, r.Request.Action, r.Request.Bucket, r.Request.Key,
							res.Decision, res.Expect, res.Rule(), r.Why)
					}
				})
			}
		})
	}
}
