package analysis_test

import (
	"os"
	"testing"

	"github.com/s3authz/s3authz/internal/acccase"
)

// TestAccessCorpus runs the public access-review configurations beside the
// repository (ANALYSIS-FORMAT.md §2) with the matching rules of §2.1, the
// review alone: a Runner without a Profile skips the profile comparison
// (TestDPPAccessCorpusRunner runs both).
func TestAccessCorpus(t *testing.T) {
	data, err := os.ReadFile("../../shared/conformance/analysis/access.json")
	if os.IsNotExist(err) {
		t.Skip("conformance configurations not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	configs, err := acccase.ParseFile(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(configs) == 0 {
		t.Fatal("no configuration")
	}
	for _, c := range configs {
		t.Run(c.Name, func(t *testing.T) {
			res := acccase.Runner{}.Run("access.json", c)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if !res.OK {
				t.Errorf("missing %q, unexpected %q [%s]", res.Missing, res.Unexpected, c.Source)
			}
			if !res.DPPSkipped {
				t.Error("the profile ran without a Profile")
			}
		})
	}
	t.Logf("%d configurations", len(configs))
}
