package analysis_test

import (
	"bufio"
	"bytes"
	"os"
	"testing"

	"github.com/s3authz/s3authz/internal/valcase"
)

// TestConformance runs the public validation cases beside the repository
// (ANALYSIS-FORMAT.md §1) with the matching rules the command's runner
// uses.
func TestConformance(t *testing.T) {
	data, err := os.ReadFile("../../shared/conformance/analysis/validate.jsonl")
	if os.IsNotExist(err) {
		t.Skip("conformance cases not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	n := 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		c, err := valcase.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			diff, err := c.Run()
			if err != nil || diff != "" {
				t.Errorf("%s (%v) [%s]", diff, err, c.Source)
			}
		})
	}
	if n == 0 {
		t.Fatal("no case")
	}
	t.Logf("%d cases", n)
}
