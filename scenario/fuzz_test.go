package scenario_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/scenario"
)

// fuzzSentinels are the sentinels of package scenario; every load error
// wraps exactly one of them.
var fuzzSentinels = []error{
	scenario.ErrSyntax, scenario.ErrDuplicate, scenario.ErrUnknownField, scenario.ErrType, scenario.ErrMissing,
	scenario.ErrInvalid, scenario.ErrDangling, scenario.ErrPolicy, scenario.ErrACL, scenario.ErrTooLarge,
}

// fuzzMaxInput caps the inputs FuzzParse loads, to keep iterations cheap;
// the seed files are far smaller.
const fuzzMaxInput = 64 << 10

// fuzzFile is the file name FuzzParse gives the loader.
const fuzzFile = "fuzz.json"

// fuzzErrText is the text of err, "" for nil.
func fuzzErrText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// fuzzCheckError checks that a load error is a *scenario.Error for the
// fuzzed file, located inside the input, wrapping exactly one sentinel, and
// wrapping the policy or ACL error when an embedded one is at fault.
func fuzzCheckError(t *testing.T, err error, size int) {
	t.Helper()
	var se *scenario.Error
	if !errors.As(err, &se) {
		t.Fatalf("error of type %T: %v", err, err)
	}
	if se.File != fuzzFile {
		t.Fatalf("error names file %q, not %q: %v", se.File, fuzzFile, err)
	}
	if se.Offset < -1 || se.Offset > size {
		t.Fatalf("error offset %d outside input of %d bytes: %v", se.Offset, size, err)
	}
	if se.Path != "" && !strings.HasPrefix(se.Path, "/") {
		t.Fatalf("path %q is not a JSON pointer: %v", se.Path, err)
	}
	n := 0
	for _, s := range fuzzSentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("error wraps %d sentinels, want 1: %v", n, err)
	}
	// The errors of embedded policies and ACLs are wrapped, not flattened.
	var pe *policy.Error
	var pse *policy.SyntaxError
	if errors.Is(err, scenario.ErrPolicy) && !errors.As(err, &pe) && !errors.As(err, &pse) {
		t.Fatalf("policy error wraps no *policy.Error or *policy.SyntaxError: %v", err)
	}
	var ae *acl.Error
	if errors.Is(err, scenario.ErrACL) && !errors.As(err, &ae) {
		t.Fatalf("ACL error wraps no *acl.Error: %v", err)
	}
}

// fuzzCheckResult checks that a result agrees with the request it ran.
func fuzzCheckResult(t *testing.T, s *scenario.Scenario, i int, res scenario.Result) {
	t.Helper()
	r := &s.Requests[i]
	if res.Scenario != s.Name || res.File != s.File || res.Request != r.Index || res.Expect != r.Expect || res.Why != r.Why {
		t.Fatalf("request %d: result %+v does not describe the request", i, res)
	}
	if res.Decision > evaluate.ExplicitDeny {
		t.Fatalf("request %d: decision %v", i, res.Decision)
	}
	if res.OK != scenario.Meets(res.Decision, res.Expect) {
		t.Fatalf("request %d: OK is %v for %v against %q", i, res.OK, res.Decision, res.Expect)
	}
	if err := res.Diagnostic.Err; err != nil && (res.Decision != evaluate.ImplicitDeny || res.Diagnostic.Reason.Stage != evaluate.StageError) {
		t.Fatalf("request %d: error %v comes with %v at stage %v", i, err, res.Decision, res.Diagnostic.Reason.Stage)
	}
	if res.Diagnostic.Reason.Stage == evaluate.StageNone {
		t.Fatalf("request %d: %v without a deciding stage", i, res.Decision)
	}
	if res.Rule() == "" {
		t.Fatalf("request %d: empty rule", i)
	}
	line, err := json.Marshal(res)
	if err != nil || !json.Valid(line) {
		t.Fatalf("request %d: result line %s: %v", i, line, err)
	}
}

// FuzzParse loads arbitrary scenario documents and checks that Parse never
// panics and is deterministic; that a failure is a *scenario.Error naming
// the file, located inside the input and wrapping exactly one of the
// package's sentinels; and that a loaded scenario has a request for each
// entry of its file whose runs never panic, give the same decisions every
// time, and report results consistent with the request and its
// expectation.
func FuzzParse(f *testing.F) {
	n := 0
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".json") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f.Add(data)
		n++
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	if n == 0 {
		f.Fatal("no seed scenarios under testdata")
	}
	f.Add([]byte(base))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			return
		}
		s, err := scenario.Parse(fuzzFile, data)
		s2, err2 := scenario.Parse(fuzzFile, data)
		if err != nil {
			if s != nil {
				t.Fatal("a scenario returned with an error")
			}
			fuzzCheckError(t, err, len(data))
			if fuzzErrText(err) != fuzzErrText(err2) {
				t.Fatalf("not deterministic: %v then %v", err, err2)
			}
			return
		}
		if err2 != nil || s2 == nil {
			t.Fatalf("not deterministic: loaded, then %v", err2)
		}
		if s.Name == "" || s.File != fuzzFile {
			t.Fatalf("scenario named %q from file %q", s.Name, s.File)
		}
		if len(s.Requests) != len(s2.Requests) || s.Name != s2.Name || s.Source != s2.Source {
			t.Fatalf("not deterministic: %d requests, then %d", len(s.Requests), len(s2.Requests))
		}
		for i := range s.Requests {
			if s.Requests[i].Index != i {
				t.Fatalf("request %d has index %d", i, s.Requests[i].Index)
			}
		}
		res, res2 := s.Run(), s2.Run()
		if len(res) != len(s.Requests) || len(res2) != len(res) {
			t.Fatalf("%d results for %d requests", len(res), len(s.Requests))
		}
		for i := range res {
			fuzzCheckResult(t, s, i, res[i])
			a, b := res[i], res2[i]
			if a.Decision != b.Decision || a.Diagnostic.Reason != b.Diagnostic.Reason || fuzzErrText(a.Diagnostic.Err) != fuzzErrText(b.Diagnostic.Err) {
				t.Fatalf("request %d: not deterministic: %s, then %s", i, a.Rule(), b.Rule())
			}
			if one := s.Requests[i].Run(s); one.Decision != a.Decision || one.Diagnostic.Reason != a.Diagnostic.Reason {
				t.Fatalf("request %d: Request.Run gives %s, Scenario.Run %s", i, one.Rule(), a.Rule())
			}
		}
	})
}
