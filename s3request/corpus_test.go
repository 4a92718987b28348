package s3request_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/s3authz/s3authz/internal/reqcase"
	"github.com/s3authz/s3authz/s3request"
)

// TestCorpus runs the request-mapping cases: the module's own under
// testdata/ and the public ones beside the repository when present. Each
// case names the AWS page its expectation comes from.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.jsonl")
	public, _ := filepath.Glob("../../shared/conformance/requests/*.jsonl")
	files = append(files, public...)
	if len(files) == 0 {
		t.Fatal("no request-mapping cases found")
	}
	m := reqcase.Mapper()
	reused := new(s3request.Operation)
	total := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, len(data)+1)
		for line := 1; sc.Scan(); line++ {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			c, err := reqcase.Parse(sc.Bytes())
			if err != nil {
				t.Errorf("%s:%d: %v", file, line, err)
				continue
			}
			total++
			diff, _, caseErr := c.Run(m)
			if diff == "" && caseErr == nil {
				// The same answer from an Operation reused across cases.
				if got, err := c.MapInto(m, reused); err != nil || got != "" {
					t.Errorf("%s:%d %s: MapInto into a reused Operation: %s %v", file, line, c.Name, got, err)
				}
			}
			switch {
			case caseErr != nil:
				t.Errorf("%s:%d %s: %v", file, line, c.Name, caseErr)
			case diff != "":
				t.Errorf("%s:%d %s: %s (%s)", file, line, c.Name, diff, c.Source)
			}
		}
	}
	t.Logf("%d cases in %d files", total, len(files))
}
