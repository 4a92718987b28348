package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCase is one run of the command: its arguments, the exit status
// expected, and text that stdout and stderr must (or must not) hold.
type runCase struct {
	name       string
	args       []string
	wantStatus int
	// wantLines are whole lines stdout must contain.
	wantLines []string
	// wantLast is stdout's last line, when set.
	wantLast string
	// wantOut and wantErr are substrings of stdout and stderr.
	wantOut   []string
	wantErr   []string
	absentOut []string
}

func (tc runCase) check(t *testing.T) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := run(tc.args, &stdout, &stderr)
	out, errOut := stdout.String(), stderr.String()
	if status != tc.wantStatus {
		t.Errorf("run(%q) = %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.args, status, tc.wantStatus, out, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, want := range tc.wantLines {
		if !contains(lines, want) {
			t.Errorf("stdout has no line\n  %s\nstdout:\n%s", want, out)
		}
	}
	if tc.wantLast != "" && lines[len(lines)-1] != tc.wantLast {
		t.Errorf("last line = %q, want %q", lines[len(lines)-1], tc.wantLast)
	}
	for _, want := range tc.wantOut {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q\nstdout:\n%s", want, out)
		}
	}
	for _, absent := range tc.absentOut {
		if strings.Contains(out, absent) {
			t.Errorf("stdout has %q\nstdout:\n%s", absent, out)
		}
	}
	for _, want := range tc.wantErr {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q\nstderr:\n%s", want, errOut)
		}
	}
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

var (
	passDir  = filepath.Join("testdata", "pass")
	failDir  = filepath.Join("testdata", "fail")
	passFile = filepath.Join("testdata", "pass", "public-read.json")
	failFile = filepath.Join("testdata", "fail", "public-read-wrong.json")
	broken   = filepath.Join("testdata", "broken", "unknown-field.json")
	requests = filepath.Join("testdata", "pass", "requests.jsonl")
	access   = filepath.Join("testdata", "pass", "access.json")
	validate = filepath.Join("testdata", "pass", "validate.jsonl")
	emptyDir = filepath.Join("testdata", "empty")
)

func TestMain(t *testing.T) {
	tests := []runCase{
		{name: "no arguments", args: nil, wantStatus: 2, wantErr: []string{"usage: s3authz", "test"}},
		{name: "-h lists the subcommands", args: []string{"-h"}, wantStatus: 0, wantOut: []string{"  test ", "  help "}},
		{name: "help lists the subcommands", args: []string{"help"}, wantStatus: 0, wantOut: []string{"  test "}},
		{name: "help on a subcommand", args: []string{"help", "test"}, wantStatus: 0, wantOut: []string{"usage: s3authz test", "-json"}},
		{name: "help on an unknown subcommand", args: []string{"help", "fly"}, wantStatus: 2, wantErr: []string{`unknown subcommand "fly"`}},
		{name: "unknown subcommand", args: []string{"fly"}, wantStatus: 2, wantErr: []string{`unknown subcommand "fly"`, "usage: s3authz"}},
		{name: "test -h", args: []string{"test", "-h"}, wantStatus: 0, wantOut: []string{"usage: s3authz test", "-json"}},
		{name: "unknown flag", args: []string{"test", "-explain", passDir}, wantStatus: 2, wantErr: []string{"-explain"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

func TestTest(t *testing.T) {
	tests := []runCase{
		{
			name: "passing scenario file", args: []string{passFile}, wantStatus: 0,
			wantLines: []string{
				`{"scenario":"public-read","request":0,"decision":"allow","expect":"allow","ok":true,"reason":"object: bucket-policy-allows bucket-policy sid=Public /Statement/0"}`,
				`{"scenario":"public-read","request":1,"decision":"implicit-deny","expect":"implicit-deny","ok":true,"reason":"object: no-resource-grant"}`,
				// Without expectation: reported, not counted.
				`{"scenario":"public-read","request":2,"decision":"implicit-deny","ok":true,"reason":"bucket: no-resource-grant"}`,
			},
			wantLast: "2 passed, 0 failed",
		},
		{
			name: "failing scenario file", args: []string{failFile}, wantStatus: 1,
			wantLines: []string{`{"scenario":"public-read-wrong","request":1,"decision":"implicit-deny","expect":"allow","ok":false,"reason":"object: no-resource-grant"}`},
			wantOut:   []string{"FAILED " + failFile + " #1: anon s3:GetObject bkt1/priv/x: got implicit-deny, want allow"},
			wantLast:  "1 passed, 1 failed",
		},
		{
			name: "failing file with -json prints JSON lines only", args: []string{"-json", failFile}, wantStatus: 1,
			absentOut: []string{"FAILED"}, wantLast: "1 passed, 1 failed",
		},
		{
			name: "folder with every kind: scenarios run, the others skipped by case", args: []string{passDir}, wantStatus: 0,
			wantOut: []string{
				"SKIPPED " + requests + ": request-mapping cases are not run yet (2 cases)",
				"SKIPPED " + access + ": access-review configurations are not run yet (1 case)",
				"SKIPPED " + validate + ": policy validation cases are not run yet (1 case)",
			},
			absentOut: []string{"README"},
			wantLast:  "2 passed, 0 failed, 4 skipped",
		},
		{
			name: "skipped files as JSON lines", args: []string{"-json", passDir}, wantStatus: 0,
			wantLines: []string{
				`{"file":"` + requests + `","skipped":"request-mapping cases are not run yet","cases":2}`,
				`{"file":"` + access + `","skipped":"access-review configurations are not run yet","cases":1}`,
				`{"file":"` + validate + `","skipped":"policy validation cases are not run yet","cases":1}`,
			},
			wantLast: "2 passed, 0 failed, 4 skipped",
		},
		{
			name: "only skipped cases pass", args: []string{requests}, wantStatus: 0,
			wantLast: "0 passed, 0 failed, 2 skipped",
		},
		{
			name: "several paths add up", args: []string{passDir, failDir}, wantStatus: 1,
			wantLast: "3 passed, 1 failed, 4 skipped",
		},
		{
			name: "load error counts as a failure", args: []string{broken}, wantStatus: 1,
			wantErr: []string{`unknown field "extra"`}, wantLast: "0 passed, 1 failed",
		},
		{
			name: "load error as a JSON line", args: []string{"-json", broken}, wantStatus: 1,
			wantOut: []string{`{"file":"` + broken + `","error":"scenario: ` + broken + `: /extra: unknown field \"extra\"`, `"ok":false}`},
		},
		{
			name: "folder without conformance files", args: []string{emptyDir}, wantStatus: 2,
			wantErr: []string{"no conformance case"}, wantLast: "0 passed, 0 failed",
		},
		{name: "no paths", args: []string{"test"}, wantStatus: 2, wantErr: []string{"usage: s3authz test"}},
		{name: "missing path", args: []string{filepath.Join("testdata", "nope")}, wantStatus: 2, wantErr: []string{"nope"}},
	}
	for _, tc := range tests {
		if tc.name != "no paths" {
			tc.args = append([]string{"test"}, tc.args...)
		}
		t.Run(tc.name, tc.check)
	}
}

// TestTestUnknownJSONLines checks that a JSON lines file of no known kind
// is a load error, not skipped silently.
func TestTestUnknownJSONLines(t *testing.T) {
	f := filepath.Join(t.TempDir(), "other.jsonl")
	if err := os.WriteFile(f, []byte(`{"name":"x","method":"GET"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runCase{name: "unknown kind", args: []string{"test", f}, wantStatus: 1,
		wantErr: []string{"not a conformance file of a known kind"}, wantLast: "0 passed, 1 failed"}.check(t)
}

// Example_test shows the summary of a conformance run over a folder holding
// a scenario and three kinds of files that are not run yet.
func Example_test() {
	run([]string{"test", "-json", "testdata/pass"}, os.Stdout, os.Stderr)
	// Output:
	// {"file":"testdata/pass/access.json","skipped":"access-review configurations are not run yet","cases":1}
	// {"scenario":"public-read","request":0,"decision":"allow","expect":"allow","ok":true,"reason":"object: bucket-policy-allows bucket-policy sid=Public /Statement/0"}
	// {"scenario":"public-read","request":1,"decision":"implicit-deny","expect":"implicit-deny","ok":true,"reason":"object: no-resource-grant"}
	// {"scenario":"public-read","request":2,"decision":"implicit-deny","ok":true,"reason":"bucket: no-resource-grant"}
	// {"file":"testdata/pass/requests.jsonl","skipped":"request-mapping cases are not run yet","cases":2}
	// {"file":"testdata/pass/validate.jsonl","skipped":"policy validation cases are not run yet","cases":1}
	// 2 passed, 0 failed, 4 skipped
}
