package scenario_test

import (
	"os"
	"testing"

	"github.com/s3authz/s3authz/scenario"
)

// TestCorpus runs the project's scenarios: one rule per file, with
// requests that allow and deny.
func TestCorpus(t *testing.T) {
	scenario.Test(t, "testdata")
}

// TestPublicConformance runs the public conformance corpus when it sits
// beside the repository, as it does in CI.
func TestPublicConformance(t *testing.T) {
	const dir = "../../shared/conformance/cases"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no public conformance corpus beside the repository")
	}
	scenario.Test(t, dir)
}
