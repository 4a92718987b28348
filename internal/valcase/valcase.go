// Package valcase reads the policy validation cases of
// conformance/ANALYSIS-FORMAT.md §1 and compares package analysis's report
// with a case's expectation. The command's test runner uses it.
package valcase

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/s3authz/s3authz/internal/jsontext"
	"strings"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/policy"
)

// Case is one line of a validation corpus.
type Case struct {
	Name    string          `json:"name"`
	Kind    string          `json:"kind"`
	Policy  json.RawMessage `json:"policy"`
	Options struct {
		Bucket string `json:"bucket"`
		Owner  string `json:"owner"`
	} `json:"options"`
	Expect []struct {
		Code    string `json:"code"`
		Type    string `json:"type"`
		Pointer string `json:"pointer"`
	} `json:"expect"`
	Absent []string `json:"absent"`
	Source string   `json:"source"`
	Note   string   `json:"note"`
}

// Parse reads one line; unknown members are an error.
func Parse(line []byte) (*Case, error) {
	var c Case
	if err := jsontext.DecodeStrict(line, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// document returns the bytes to validate: the policy member exactly as
// written on the line, or its decoded text when it is a string.
func (c *Case) document() ([]byte, error) {
	raw := bytes.TrimSpace(c.Policy)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []byte(s), nil
	}
	return raw, nil
}

// Run validates the case's policy and returns the first difference from
// its expectation, "" when it meets it, or an error when the case itself
// cannot be run.
func (c *Case) Run() (string, error) {
	var kind policy.Kind
	switch c.Kind {
	case "bucket":
		kind = policy.Bucket
	case "identity":
		kind = policy.Identity
	default:
		return "", fmt.Errorf("kind %q: want bucket or identity", c.Kind)
	}
	doc, err := c.document()
	if err != nil {
		return "", err
	}
	rep, err := analysis.Validate(kind, doc, analysis.ValidateOptions{Bucket: c.Options.Bucket, Owner: c.Options.Owner})
	if err != nil {
		return "validate: " + err.Error(), nil
	}
	for _, e := range c.Expect {
		if !has(rep, e.Code, e.Type, e.Pointer) {
			return fmt.Sprintf("want %s %s at %q, got %s", e.Type, e.Code, e.Pointer, summary(rep)), nil
		}
	}
	for _, code := range c.Absent {
		for _, f := range rep.Findings {
			if f.Code == code {
				return fmt.Sprintf("unwanted %s at %q", code, f.Locations[0].Pointer), nil
			}
		}
	}
	return "", nil
}

func has(rep *analysis.Report, code, typ, ptr string) bool {
	for _, f := range rep.Findings {
		if f.Code != code || f.Type.String() != typ {
			continue
		}
		for _, l := range f.Locations {
			if l.Pointer == ptr {
				return true
			}
		}
	}
	return false
}

// summary lists a report's findings briefly, for a failure message.
func summary(rep *analysis.Report) string {
	var parts []string
	for _, f := range rep.Findings {
		p := ""
		if len(f.Locations) > 0 {
			p = f.Locations[0].Pointer
		}
		parts = append(parts, fmt.Sprintf("%s %s at %q", f.Type, f.Code, p))
	}
	if len(parts) == 0 {
		return "no finding"
	}
	return "[" + strings.Join(parts, "; ") + "]"
}
