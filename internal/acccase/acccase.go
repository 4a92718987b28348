// Package acccase reads the access-review configurations of
// conformance/ANALYSIS-FORMAT.md §2 (access.json) and compares package
// analysis's access review with each configuration's expectation, by the
// matching rules of §2.1. The package tests and, once the Data Protection
// Policy profile exists, the command's test runner share it.
//
// A configuration is a scenario of conformance/FORMAT.md plus the analysis
// members (target, expectAccess, expectPublic, expectPolicyPublic,
// expectDpp, absentDpp). The runner removes them, loads the rest with
// scenario.Parse, runs its requests (all must pass), reviews the target
// bucket and compares. The profile comparison runs only when the Runner
// has a Profile ([Profile] is package analysis's); without one expectDpp
// and absentDpp are read and skipped.
package acccase

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/s3authz/s3authz/internal/jsontext"
	"slices"
	"sort"
	"strings"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/internal/wildcard"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/scenario"
)

// Config is one configuration of an access corpus: the analysis members
// read, and the scenario document that remains once they are removed.
type Config struct {
	Name   string
	Source string
	// Target is the bucket to review.
	Target string
	// ExpectAccess is the complete list of findings.
	ExpectAccess []Expect
	// ExpectPublic is whether some public finding is in effect.
	ExpectPublic bool
	// ExpectPolicyPublic is S3's policy status, nil for null (no policy).
	ExpectPolicyPublic *bool
	// ExpectDpp and AbsentDpp are the profile's expectations.
	ExpectDpp []DPPResult
	AbsentDpp []string
	// Scenario is the configuration without its analysis members.
	Scenario []byte
}

// Expect is one expected access finding (ANALYSIS-FORMAT.md §2.1).
type Expect struct {
	Principal     string    `json:"principal"`
	Actions       []string  `json:"actions"`
	ActionsExcept []string  `json:"actionsExcept"`
	Resources     *[]string `json:"resources"`
	Public        bool      `json:"public"`
	BlockedBy     *string   `json:"blockedBy"`
	Source        string    `json:"source"`
	ConditionKeys *[]string `json:"conditionKeys"`
}

// DPPResult is one Data Protection Policy profile finding as the corpus
// names it: its code and the section of the policy it enforces.
type DPPResult struct {
	Code    string `json:"code"`
	Section string `json:"section"`
}

// Result is the outcome of one configuration, the result line of
// ANALYSIS-FORMAT.md §3.
type Result struct {
	Name string
	// OK is true when the configuration loads, its requests pass and the
	// review meets every expectation.
	OK bool
	// Missing lists unmet expectations; Unexpected the reported findings
	// the completeness rule forbids (and absentDpp codes reported).
	Missing    []string
	Unexpected []string
	// DPPSkipped is set when the Runner has no Profile, so that expectDpp
	// and absentDpp were not compared.
	DPPSkipped bool
	// Err is set when the configuration cannot be run: it does not load,
	// or the review fails.
	Err error
	// Report is the review's report, nil when it did not run.
	Report *analysis.AccessReport
}

// Runner runs configurations.
type Runner struct {
	// Profile runs the Data Protection Policy profile on a bucket of a
	// world. It is the hook for the profile: when nil, expectDpp and
	// absentDpp are not compared and each Result says DPPSkipped.
	Profile func(w *analysis.World, bucket string) ([]DPPResult, error)
}

// analysisMembers are the members ANALYSIS-FORMAT.md §2 adds to a scenario.
var analysisMembers = [...]string{"target", "expectAccess", "expectPublic", "expectPolicyPublic", "expectDpp", "absentDpp"}

// ParseFile reads an access corpus: a JSON array of configurations.
func ParseFile(data []byte) ([]*Config, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("access corpus: %w", err)
	}
	out := make([]*Config, 0, len(raws))
	for i, raw := range raws {
		c, err := ParseConfig(raw)
		if err != nil {
			return nil, fmt.Errorf("access corpus: configuration %d: %w", i, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// member is one member of a JSON object, in document order.
type member struct {
	name  string
	value json.RawMessage
}

// ParseConfig reads one configuration. Its members keep their order; a
// member named twice is an error, as the scenario loader would say.
func ParseConfig(raw []byte) (*Config, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("want an object")
	}
	var members []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		if seen[name] {
			return nil, fmt.Errorf("member %q appears twice", name)
		}
		seen[name] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("member %q: %w", name, err)
		}
		members = append(members, member{name, v})
	}
	c := &Config{}
	var doc bytes.Buffer
	doc.WriteByte('{')
	for _, m := range members {
		var err error
		switch m.name {
		case "target":
			err = json.Unmarshal(m.value, &c.Target)
		case "expectAccess":
			err = jsontext.DecodeStrict(m.value, &c.ExpectAccess)
		case "expectPublic":
			err = json.Unmarshal(m.value, &c.ExpectPublic)
		case "expectPolicyPublic":
			err = json.Unmarshal(m.value, &c.ExpectPolicyPublic)
		case "expectDpp":
			err = jsontext.DecodeStrict(m.value, &c.ExpectDpp)
		case "absentDpp":
			err = json.Unmarshal(m.value, &c.AbsentDpp)
		default:
			switch m.name {
			case "name":
				_ = json.Unmarshal(m.value, &c.Name)
			case "source":
				_ = json.Unmarshal(m.value, &c.Source)
			}
			if doc.Len() > 1 {
				doc.WriteByte(',')
			}
			name, _ := json.Marshal(m.name)
			doc.Write(name)
			doc.WriteByte(':')
			doc.Write(m.value)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("member %q: %w", m.name, err)
		}
	}
	doc.WriteByte('}')
	for _, need := range [...]string{"target", "expectAccess", "expectPublic", "expectPolicyPublic"} {
		if !seen[need] {
			return nil, fmt.Errorf("member %q is missing", need)
		}
	}
	c.Scenario = doc.Bytes()
	return c, nil
}

// Profile is the Data Protection Policy profile of package analysis, at
// its current seed, in the form a Runner's hook takes.
func Profile(w *analysis.World, bucket string) ([]DPPResult, error) {
	fs, err := analysis.Profile(w, bucket, analysis.DefaultDPP())
	if err != nil {
		return nil, err
	}
	out := make([]DPPResult, 0, len(fs))
	for _, f := range fs {
		out = append(out, DPPResult{Code: f.Code, Section: f.Section})
	}
	return out, nil
}

// Run loads a configuration, runs its requests and compares the review of
// its target with the expectation. file names the corpus in errors.
func (r Runner) Run(file string, c *Config) Result {
	res := Result{Name: c.Name}
	sc, err := scenario.Parse(file, c.Scenario)
	if err != nil {
		res.Err = err
		return res
	}
	for _, rr := range sc.Run() {
		if !rr.OK {
			res.Missing = append(res.Missing, fmt.Sprintf("request %d: want %s, got %s", rr.Request, rr.Expect, rr.Decision))
		}
	}
	w := sc.World()
	rep, err := analysis.Review(w, c.Target)
	if err != nil {
		res.Err = err
		return res
	}
	res.Report = rep
	res.Missing, res.Unexpected = Compare(c, rep, res.Missing, nil)
	if r.Profile == nil {
		res.DPPSkipped = true
	} else {
		got, err := r.Profile(w, c.Target)
		if err != nil {
			res.Err = err
			return res
		}
		res.Missing, res.Unexpected = CompareDPP(c, got, res.Missing, res.Unexpected)
	}
	res.OK = len(res.Missing) == 0 && len(res.Unexpected) == 0
	return res
}

// Compare matches a report with a configuration's expectation
// (ANALYSIS-FORMAT.md §2.1 "Matching") and appends what is missing and
// what is unexpected to the given lists.
func Compare(c *Config, rep *analysis.AccessReport, missing, unexpected []string) ([]string, []string) {
	used := make([]bool, len(rep.Findings))
	for _, e := range c.ExpectAccess {
		id := e.Principal + " " + e.Source
		j := -1
		for i := range rep.Findings {
			if !used[i] && rep.Findings[i].Principal == e.Principal && rep.Findings[i].Source.String() == e.Source {
				j = i
				break
			}
		}
		if j < 0 {
			missing = append(missing, "finding "+id)
			continue
		}
		used[j] = true
		if d := findingDiff(&e, &rep.Findings[j]); d != "" {
			missing = append(missing, "finding "+id+": "+d)
		}
	}
	for i := range rep.Findings {
		if !used[i] {
			f := &rep.Findings[i]
			unexpected = append(unexpected, "finding "+f.Principal+" "+f.Source.String())
		}
	}
	if rep.Public != c.ExpectPublic {
		missing = append(missing, fmt.Sprintf("public: want %t, got %t", c.ExpectPublic, rep.Public))
	}
	if show(c.ExpectPolicyPublic) != show(rep.PolicyPublic) {
		missing = append(missing, fmt.Sprintf("policyPublic: want %s, got %s", show(c.ExpectPolicyPublic), show(rep.PolicyPublic)))
	}
	return missing, unexpected
}

func show(b *bool) string {
	if b == nil {
		return "null"
	}
	return fmt.Sprint(*b)
}

// findingDiff compares one matched pair, "" when they agree.
func findingDiff(e *Expect, f *analysis.AccessFinding) string {
	var diffs []string
	want, got := ActionSet(e.Actions, e.ActionsExcept), ActionSet(f.Actions, f.Except)
	if !slices.Equal(want, got) {
		diffs = append(diffs, fmt.Sprintf("actions: want %v, got %v", want, got))
	}
	if e.Public != f.Public {
		diffs = append(diffs, fmt.Sprintf("public: want %t, got %t", e.Public, f.Public))
	}
	wantB, gotB := "null", "null"
	if e.BlockedBy != nil {
		wantB = *e.BlockedBy
	}
	if f.BlockedBy != analysis.BlockedNone {
		gotB = f.BlockedBy.String()
	}
	if wantB != gotB {
		diffs = append(diffs, fmt.Sprintf("blockedBy: want %s, got %s", wantB, gotB))
	}
	if e.Resources != nil && !sameSet(*e.Resources, f.Resources, false) {
		diffs = append(diffs, fmt.Sprintf("resources: want %q, got %q", *e.Resources, f.Resources))
	}
	if e.ConditionKeys != nil && !sameSet(*e.ConditionKeys, f.ConditionKeys, true) {
		diffs = append(diffs, fmt.Sprintf("conditionKeys: want %q, got %q", *e.ConditionKeys, f.ConditionKeys))
	}
	return strings.Join(diffs, "; ")
}

// ActionSet returns the catalog actions (policy.Actions) the patterns
// match, minus those the except patterns match, compared without regard
// to case, as sorted canonical names.
func ActionSet(patterns, except []string) []string {
	match := func(ps []string, name string) bool {
		for _, p := range ps {
			w := wildcard.CompileGlob(p, true)
			if w.Match(name, nil) {
				return true
			}
		}
		return false
	}
	out := []string{}
	for _, a := range policy.Actions() {
		if match(patterns, a.Name) && !match(except, a.Name) {
			out = append(out, a.Name)
		}
	}
	sort.Strings(out)
	return out
}

// sameSet reports whether a and b hold the same strings as sets, with
// ASCII case folded when fold is set.
func sameSet(a, b []string, fold bool) bool {
	in := func(s string, list []string) bool {
		return slices.ContainsFunc(list, func(t string) bool {
			if fold {
				return strings.EqualFold(s, t)
			}
			return s == t
		})
	}
	for _, s := range a {
		if !in(s, b) {
			return false
		}
	}
	for _, s := range b {
		if !in(s, a) {
			return false
		}
	}
	return true
}

// CompareDPP matches the profile's findings with expectDpp (code and
// section) and absentDpp (codes that must not be reported), appending to
// the lists.
func CompareDPP(c *Config, got []DPPResult, missing, unexpected []string) ([]string, []string) {
	for _, e := range c.ExpectDpp {
		if !slices.Contains(got, e) {
			missing = append(missing, "dpp "+e.Code+" ("+e.Section+")")
		}
	}
	for _, code := range c.AbsentDpp {
		for _, g := range got {
			if g.Code == code {
				unexpected = append(unexpected, "dpp "+code)
				break
			}
		}
	}
	return missing, unexpected
}
