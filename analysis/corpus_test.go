package analysis

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/policy"
)

// TestParserCorpus runs Validate on package policy's own documents: every
// problem Parse reports in an invalid one has a finding at Parse's pointer
// (spec §3.2), and every report keeps the guarantees.
func TestParserCorpus(t *testing.T) {
	for _, dir := range []string{"invalid", "valid"} {
		files, _ := filepath.Glob(filepath.Join("..", "policy", "testdata", dir, "*.json"))
		if len(files) == 0 {
			t.Skip("no parser corpus")
		}
		for _, file := range files {
			base := filepath.Base(file)
			if strings.HasSuffix(base, ".golden.json") {
				continue
			}
			kind := policy.Bucket
			if strings.HasPrefix(base, "identity") {
				kind = policy.Identity
			}
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Validate(kind, doc, ValidateOptions{})
			if err != nil {
				continue // unreadable input, tested elsewhere
			}
			checkReport(t, doc, rep)
			if dir == "valid" && rep.ParseErr != nil {
				t.Errorf("%s: Parse refuses a valid document: %v", base, rep.ParseErr)
			}
			if errors.Is(rep.ParseErr, policy.ErrLimit) {
				continue
			}
			for _, e := range unjoin(rep.ParseErr) {
				var pe *policy.Error
				if errors.As(e, &pe) && !reportedAt(rep, pe.Pointer) {
					t.Errorf("%s: no finding at %q, where Parse says %v; got %s", base, pe.Pointer, pe, summary(rep))
				}
			}
		}
	}
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func reportedAt(rep *Report, ptr string) bool {
	for _, f := range rep.Findings {
		for _, l := range f.Locations {
			if l.Pointer == ptr {
				return true
			}
		}
	}
	return false
}
