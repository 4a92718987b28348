package analysis

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const conformancePath = "../../shared/conformance/analysis/validate.jsonl"

// validateCase is one line of validate.jsonl (ANALYSIS-FORMAT.md §1).
type validateCase struct {
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
}

// document returns the bytes the runner validates: the policy member as
// written on the line, or the decoded text when it is a string.
func (c *validateCase) document(t *testing.T) []byte {
	raw := bytes.TrimSpace(c.Policy)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		require.NoError(t, json.Unmarshal(raw, &s))
		return []byte(s)
	}
	return raw
}

func kindOf(t *testing.T, s string) policy.Kind {
	switch s {
	case "bucket":
		return policy.Bucket
	case "identity":
		return policy.Identity
	}
	t.Fatalf("unknown kind %q", s)
	return 0
}

func TestConformance(t *testing.T) {
	f, err := os.Open(conformancePath)
	if os.IsNotExist(err) {
		t.Skip("conformance cases not present")
	}
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<20)
	n := 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var c validateCase
		require.NoError(t, json.Unmarshal(line, &c))
		n++
		t.Run(c.Name, func(t *testing.T) {
			doc := c.document(t)
			rep, err := Validate(kindOf(t, c.Kind), doc, ValidateOptions{Bucket: c.Options.Bucket, Owner: c.Options.Owner})
			require.NoError(t, err)
			for _, e := range c.Expect {
				assert.Truef(t, hasFinding(rep, e.Code, e.Type, e.Pointer), "want %s %s at %q; got %s", e.Type, e.Code, e.Pointer, summary(rep))
			}
			for _, code := range c.Absent {
				for _, f := range rep.Findings {
					assert.NotEqualf(t, code, f.Code, "unwanted finding %s at %q", f.Code, f.Locations[0].Pointer)
				}
			}
		})
	}
	require.NoError(t, sc.Err())
	t.Logf("%d cases", n)
}

func hasFinding(rep *Report, code, typ, ptr string) bool {
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

func summary(rep *Report) string {
	var b bytes.Buffer
	for _, f := range rep.Findings {
		b.WriteString(f.Type.String() + " " + f.Code + " @" + f.Locations[0].Pointer + "; ")
	}
	return b.String()
}
