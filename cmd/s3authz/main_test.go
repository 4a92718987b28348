package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/audit"
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
	badPol   = filepath.Join("testdata", "policy", "bad-bucket.json")
	bucketPo = filepath.Join("testdata", "policy", "public-read.json")
	identPol = filepath.Join("testdata", "policy", "read-only.json")
	twoPub   = filepath.Join("testdata", "policy", "two-public.json")
	syntaxPo = filepath.Join("testdata", "policy", "syntax.json")
)

func TestMain(t *testing.T) {
	tests := []runCase{
		{name: "no arguments", args: nil, wantStatus: 2, wantErr: []string{"usage: s3authz", "explain"}},
		{name: "-h lists the subcommands", args: []string{"-h"}, wantStatus: 0, wantOut: []string{"  test ", "  lint ", "  explain ", "  help "}},
		{name: "help lists the subcommands", args: []string{"help"}, wantStatus: 0, wantOut: []string{"  test ", "  lint ", "  explain "}},
		{name: "help -h", args: []string{"help", "-h"}, wantStatus: 0, wantOut: []string{"  test ", "  explain "}},
		{name: "help on a subcommand", args: []string{"help", "lint"}, wantStatus: 0, wantOut: []string{"usage: s3authz lint", "-kind"}},
		{name: "help on an unknown subcommand", args: []string{"help", "fly"}, wantStatus: 2, wantErr: []string{`unknown subcommand "fly"`}},
		{name: "unknown subcommand", args: []string{"fly"}, wantStatus: 2, wantErr: []string{`unknown subcommand "fly"`, "usage: s3authz"}},
		{name: "test -h", args: []string{"test", "-h"}, wantStatus: 0, wantOut: []string{"usage: s3authz test", "-json"}},
		{name: "lint -h", args: []string{"lint", "-h"}, wantStatus: 0, wantOut: []string{"usage: s3authz lint"}},
		{name: "explain -h", args: []string{"explain", "-h"}, wantStatus: 0, wantOut: []string{"usage: s3authz explain"}},
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
			name: "folder with every kind: all run", args: []string{passDir}, wantStatus: 0,
			absentOut: []string{"README", "SKIPPED", "FAILED"},
			wantLast:  "6 passed, 0 failed",
		},
		{
			name: "every kind as JSON lines", args: []string{"-json", passDir}, wantStatus: 0,
			wantLines: []string{
				`{"file":"` + requests + `","case":"path-style-get","ok":true}`,
				`{"file":"` + requests + `","case":"bad-bucket-name","ok":true,"error":"s3request: invalid-bucket-name: bucket \"B_K\": only a-z, 0-9, '.' and '-' are allowed"}`,
				`{"file":"` + access + `","case":"private-bucket","ok":true,"missing":[],"unexpected":[]}`,
				`{"file":"` + validate + `","case":"missing-version","ok":true}`,
			},
			wantLast: "6 passed, 0 failed",
		},
		{
			name: "a failing access configuration names what is missing", args: []string{filepath.Join("testdata", "fail", "access-wrong.json")}, wantStatus: 1,
			wantOut:  []string{`FAILED testdata/fail/access-wrong.json private-bucket-said-public: missing ["finding * statement /Statement/0" "public: want true, got false"], unexpected []`},
			wantLast: "0 passed, 1 failed",
		},
		{
			name: "request-mapping cases run", args: []string{requests}, wantStatus: 0,
			wantLast: "2 passed, 0 failed",
		},
		{
			name: "a failing request-mapping case names its first difference", args: []string{filepath.Join("testdata", "fail", "requests-wrong.jsonl")}, wantStatus: 1,
			wantOut:  []string{"FAILED testdata/fail/requests-wrong.jsonl list-versions-as-list-bucket: no check s3:ListBucket sample-bucket/ among [s3:ListBucketVersions sample-bucket/]"},
			wantLast: "0 passed, 1 failed",
		},
		{
			name: "several paths add up", args: []string{passDir, failDir}, wantStatus: 1,
			wantLast: "7 passed, 3 failed",
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

func TestLint(t *testing.T) {
	tests := []runCase{
		{
			name: "findings with line:col, type and code", args: []string{badPol}, wantStatus: 1,
			wantLines: []string{
				badPol + `:5:17: ERROR INVALID_EFFECT Effect "Alow" is not "Allow" or "Deny" (case matters).`,
				badPol + `:7:17: ERROR INVALID_ACTION Action "s3" is not of the form "service:Action".`,
				badPol + `:9:51: WARNING TYPE_MISMATCH_IP_RANGE Value "10.0.0.0/33" is not an IP address or CIDR block.`,
			},
		},
		{
			name: "a public bucket policy is a security warning", args: []string{bucketPo}, wantStatus: 1,
			wantOut: []string{bucketPo + ":3:49: SECURITY_WARNING S3_PUBLIC_STATEMENT "},
		},
		{
			name: "-fail-on ERROR lets a security warning pass", args: []string{"-fail-on", "ERROR", bucketPo}, wantStatus: 0,
			wantOut: []string{"S3_PUBLIC_STATEMENT"},
		},
		{
			name: "-ignore by code", args: []string{"-ignore", "S3_PUBLIC_STATEMENT", bucketPo}, wantStatus: 0,
			wantLines: []string{bucketPo + ": bucket policy, no findings"},
		},
		{
			name: "-ignore by Sid and code drops that statement's finding only", args: []string{"-ignore", "Public.S3_PUBLIC_STATEMENT", twoPub}, wantStatus: 1,
			wantOut:   []string{twoPub + ":5:53: SECURITY_WARNING S3_PUBLIC_STATEMENT "},
			absentOut: []string{twoPub + ":4:"},
		},
		{
			name: "-ignore by Sid and code, both statements", args: []string{"-ignore", "Public.S3_PUBLIC_STATEMENT,Site.S3_PUBLIC_STATEMENT", twoPub}, wantStatus: 0,
			wantLines: []string{twoPub + ": bucket policy, no findings"},
		},
		{
			name: "no Principal makes an identity policy", args: []string{identPol}, wantStatus: 0,
			wantLines: []string{identPol + ": identity policy, no findings"},
		},
		{
			name: "-kind overrides the content", args: []string{"-kind", "identity", bucketPo}, wantStatus: 1,
			wantOut: []string{bucketPo + ":3:49: ERROR UNSUPPORTED_PRINCIPAL "},
		},
		{
			name: "syntax error at the document", args: []string{syntaxPo}, wantStatus: 1,
			wantOut: []string{syntaxPo + `:2:22: ERROR JSON_SYNTAX_ERROR `},
		},
		{
			name: "one bad file of several fails the run", args: []string{identPol, badPol}, wantStatus: 1,
			wantOut: []string{identPol + ": identity policy, no findings", badPol + ":5:17:"},
		},
		{
			name: "-json prints one line per file", args: []string{"-json", identPol, badPol}, wantStatus: 1,
			wantLines: []string{
				`{"file":"` + identPol + `","kind":"identity","findings":[],"failing":0}`,
			},
			wantOut: []string{
				`{"file":"` + badPol + `","kind":"bucket","findings":[{"type":"ERROR","code":"INVALID_EFFECT","message":"Effect \"Alow\" is not \"Allow\" or \"Deny\" (case matters).","line":5,"col":17,"start":68,"end":74,"pointer":"/Statement/0/Effect"`,
				`"failing":2,"parse_error":`,
				// Access Analyzer's location shape, for tools that read it.
				`"locations":[{"path":[{"value":"Statement"},{"index":0},{"value":"Effect"}],"span":{"start":{"line":5,"column":16,"offset":68},"end":{"line":5,"column":22,"offset":74}}}]`,
			},
		},
		{name: "bad -fail-on", args: []string{"-fail-on", "FATAL", bucketPo}, wantStatus: 2, wantErr: []string{`unknown finding type "FATAL"`}},
		{name: "no files", args: nil, wantStatus: 2, wantErr: []string{"usage: s3authz lint"}},
		{name: "bad kind", args: []string{"-kind", "user", bucketPo}, wantStatus: 2, wantErr: []string{`unknown -kind "user"`}},
		{name: "missing file", args: []string{filepath.Join("testdata", "nope.json")}, wantStatus: 2, wantErr: []string{"nope.json"}},
	}
	for _, tc := range tests {
		tc.args = append([]string{"lint"}, tc.args...)
		t.Run(tc.name, tc.check)
	}
}

func TestExplain(t *testing.T) {
	tests := []runCase{
		{
			name: "readable trace", args: []string{passFile, "0"}, wantStatus: 0,
			wantLines: []string{
				"scenario public-read (" + passFile + "), request 0",
				"  anon s3:GetObject bkt1/pub/x",
				"decision: allow (expected allow: ok)",
				"reason:   object: bucket-policy-allows bucket-policy sid=Public /Statement/0",
				"why:      The Public statement allows anyone to read pub/.",
			},
			wantOut: []string{"trace:\n", "  => object: bucket-policy sid=Public /Statement/0: Allow statement matches"},
		},
		{
			name: "a request that fails its expectation", args: []string{failFile, "1"}, wantStatus: 1,
			wantLines: []string{"decision: implicit-deny (expected allow: FAILED)"},
		},
		{name: "index out of range", args: []string{passFile, "3"}, wantStatus: 2, wantErr: []string{"requests 0 to 2"}},
		{name: "index not a number", args: []string{passFile, "one"}, wantStatus: 2, wantErr: []string{`"one"`}},
		{name: "file that does not load", args: []string{broken, "0"}, wantStatus: 2, wantErr: []string{`unknown field "extra"`}},
		{name: "missing index", args: []string{passFile}, wantStatus: 2, wantErr: []string{"usage: s3authz explain"}},
	}
	for _, tc := range tests {
		tc.args = append([]string{"explain"}, tc.args...)
		t.Run(tc.name, tc.check)
	}
}

func TestExplainJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := run([]string{"explain", "-json", passFile, "0"}, &stdout, &stderr); status != 0 {
		t.Fatalf("status %d, stderr: %s", status, stderr.String())
	}
	var got explanation
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if got.Decision != "allow" || got.Expect != "allow" || !got.OK || got.Reason != "object: bucket-policy-allows bucket-policy sid=Public /Statement/0" {
		t.Errorf("got %+v", got)
	}
	var matched []traceStep
	for _, s := range got.Trace {
		if s.Matched {
			matched = append(matched, s)
		}
	}
	want := traceStep{Stage: "object", Source: "bucket-policy", Sid: "Public", Pointer: "/Statement/0", Matched: true, Note: "Allow statement matches"}
	if len(matched) != 1 || matched[0] != want {
		t.Errorf("matched steps = %+v, want [%+v]", matched, want)
	}
}

// Example_test shows a conformance run over a folder holding a scenario,
// request-mapping cases, validation cases and an access-review corpus.
func Example_test() {
	run([]string{"test", "-json", "testdata/pass"}, os.Stdout, os.Stderr)
	// Output:
	// {"file":"testdata/pass/access.json","case":"private-bucket","ok":true,"missing":[],"unexpected":[]}
	// {"scenario":"public-read","request":0,"decision":"allow","expect":"allow","ok":true,"reason":"object: bucket-policy-allows bucket-policy sid=Public /Statement/0"}
	// {"scenario":"public-read","request":1,"decision":"implicit-deny","expect":"implicit-deny","ok":true,"reason":"object: no-resource-grant"}
	// {"scenario":"public-read","request":2,"decision":"implicit-deny","ok":true,"reason":"bucket: no-resource-grant"}
	// {"file":"testdata/pass/requests.jsonl","case":"path-style-get","ok":true}
	// {"file":"testdata/pass/requests.jsonl","case":"bad-bucket-name","ok":true,"error":"s3request: invalid-bucket-name: bucket \"B_K\": only a-z, 0-9, '.' and '-' are allowed"}
	// {"file":"testdata/pass/validate.jsonl","case":"missing-version","ok":true}
	// 6 passed, 0 failed
}

// TestMapCommand runs s3authz map on requests a person debugging a policy
// would try.
func TestMapCommand(t *testing.T) {
	for _, tc := range []runCase{
		{
			name: "PutObject with ACL and tagging headers needs three checks",
			args: []string{"map", "-X", "PUT", "-H", "x-amz-acl: public-read", "-H", "x-amz-tagging: team=web", "-remote", "203.0.113.9:4000",
				"https://photos.s3.amazonaws.com/2026/cat.jpg"},
			wantStatus: 0,
			wantLines: []string{
				"PutObject (virtual-hosted style, partition aws, anonymous)",
				"  check s3:PutObject on photos/2026/cat.jpg",
				"  check s3:PutObjectAcl on photos/2026/cat.jpg",
				"  check s3:PutObjectTagging on photos/2026/cat.jpg",
				`    s3:RequestObjectTag/team = "web"`,
				`    aws:SourceIp = "203.0.113.9"`,
			},
		},
		{
			name: "a refused request prints the class and S3's answer", args: []string{"map", "https://photos.s3.amazonaws.com/?acl&policy"},
			wantStatus: 1,
			wantLines:  []string{"S3 answers 400 InvalidArgument"},
			wantOut:    []string{"conflicting-subresources"},
		},
		{
			name: "JSON", args: []string{"map", "-json", "https://s3.amazonaws.com/"}, wantStatus: 0,
			wantLines: []string{`{"operation":"ListBuckets","style":"path","partition":"aws","checks":[{"action":"s3:ListAllMyBuckets","bucket":"","keys":{"aws:SecureTransport":["true"]}}]}`},
		},
		{
			name: "a body and a version", args: []string{"map", "-X", "POST", "-d", "<Delete><Object><Key>a</Key><VersionId>7</VersionId></Object></Delete>", "http://bkt.s3.example.com/?delete"},
			wantStatus: 0,
			wantLines:  []string{"  check s3:DeleteObjectVersion on bkt/a (version 7)", `    s3:VersionId = "7"`},
		},
		{name: "no URL", args: []string{"map"}, wantStatus: 2},
		{name: "not a URL", args: []string{"map", "photos/cat.jpg"}, wantStatus: 2, wantErr: []string{"want http:// or https://"}},
		{name: "bad header flag", args: []string{"map", "-H", "nocolon", "https://s3.amazonaws.com/"}, wantStatus: 2, wantErr: []string{"want 'Name: value'"}},
	} {
		t.Run(tc.name, tc.check)
	}
}

// TestTestAudit runs the scenarios with -audit and checks the log: one
// chained record per decision, intact, names pseudonymized with the key
// from the file.
func TestTestAudit(t *testing.T) {
	dir := t.TempDir()
	logFile := filepath.Join(dir, "audit.log")
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte("a key of at least sixteen bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	runCase{name: "audit", args: []string{"test", "-audit", logFile, "-redact-key-file", keyFile, passFile}, wantStatus: 0,
		wantLast: "2 passed, 0 failed"}.check(t)
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(bytes.NewReader(data), nil)
	if err != nil || !rep.Intact || rep.Records != 3 {
		t.Errorf("Verify = %+v, %v; want intact with a record for each of the 3 requests", rep, err)
	}
	if !strings.Contains(string(data), `"bucket":"h:`) || strings.Contains(string(data), `"bucket":"bkt1"`) {
		t.Errorf("buckets not pseudonymized:\n%s", data)
	}
	runCase{name: "bad mode", args: []string{"test", "-audit", logFile, "-redact", "hash", passFile}, wantStatus: 2,
		wantErr: []string{"want omit, pseudonymize or clear"}}.check(t)
	short := filepath.Join(dir, "short")
	if err := os.WriteFile(short, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	runCase{name: "short key", args: []string{"test", "-audit", logFile, "-redact-key-file", short, passFile}, wantStatus: 2,
		wantErr: []string{"at least 16 bytes"}}.check(t)
}
