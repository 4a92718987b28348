package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/internal/acccase"
	"github.com/s3authz/s3authz/internal/files"
	"github.com/s3authz/s3authz/scenario"
)

// caseKind is one kind of conformance file. The runner reads a file,
// asks each kind of its extension in turn whether the content has its
// shape, and hands the file to the first that does, which runs its cases.
// A new kind of case is a new entry in caseKinds.
type caseKind struct {
	// ext is the file name extension the kind uses: ".json" or ".jsonl".
	ext string
	// match reports whether data has the kind's shape.
	match func(data []byte) bool
	// run runs the file's cases.
	run func(t *tester, file string, data []byte)
}

// caseKinds are the kinds of conformance files, in the order they are
// tried. Scenario files (FORMAT.md) are JSON objects; access corpora
// (ANALYSIS-FORMAT.md §2) are JSON arrays; request-mapping cases
// (requests/FORMAT.md) and validation corpora (ANALYSIS-FORMAT.md §1) are
// JSON lines told apart by their members. A .json file that is not an
// array goes to the scenario loader, which reports what is wrong with it.
var caseKinds = []caseKind{
	{ext: ".json", match: isJSONArray, run: runAccessFile},
	{ext: ".json", match: func([]byte) bool { return true }, run: runScenarioFile},
	{ext: ".jsonl", match: linesHave("method", "url", "expect"), run: runRequestFile},
	{ext: ".jsonl", match: linesHave("kind", "policy"), run: runValidateFile},
}

// tester runs conformance files and keeps the counts.
type tester struct {
	stdout, stderr io.Writer
	enc            *json.Encoder
	jsonOnly       bool

	passed, failed, loadErrors int
	// reported counts the result lines of requests without expectation,
	// which are printed but neither passed nor failed.
	reported int
	// audit, when set, logs every decision taken.
	audit *audit.Logger
}

// openAudit starts the audit log of a run: a new file, the redaction
// mode, and the key (read from keyFile, or random and said so). It
// returns the function that writes the final digest and closes the file.
func (t *tester) openAudit(file, redact, keyFile string) (func() error, error) {
	mode, err := audit.ParseRedaction(redact)
	if err != nil {
		return nil, err
	}
	var key []byte
	if mode == audit.Pseudonymize {
		if keyFile != "" {
			if key, err = os.ReadFile(keyFile); err != nil {
				return nil, err
			}
		} else {
			key = make([]byte, 32)
			if _, err := rand.Read(key); err != nil {
				return nil, err
			}
			fmt.Fprintln(t.stderr, "s3authz test: no -redact-key-file: pseudonyms use a random key, so they match within this log only")
		}
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	l, err := audit.New(f, audit.Options{Redaction: mode, Key: key})
	if err != nil {
		f.Close()
		return nil, err
	}
	t.audit = l
	return func() error {
		err := l.Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}, nil
}

func runTest(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("test", "[-json] [-audit FILE [-redact MODE] [-redact-key-file FILE]] PATH...",
		`Runs conformance files: files as named, folders searched recursively for
*.json and *.jsonl (other files are ignored). Scenario, request-mapping,
policy validation and access-review files are run, each request, case or
configuration printed as one JSON line. The last line is "N passed, M
failed"; M counts files that failed to load as well as failed cases.

With -audit, every decision taken is also written to FILE as a chained,
redacted audit log (package audit), which "s3authz audit verify" checks.

Exit status: 0 when all passed, 1 on a failure or a file that cannot be
loaded, 2 on usage errors, unreadable paths, or when no case was found.`, stderr)
	jsonOnly := fs.Bool("json", false, "print only JSON lines (results, load errors) and the summary")
	auditFile := fs.String("audit", "", "write the chained audit log of every decision taken to this `file`")
	redact := fs.String("redact", "pseudonymize", "how the audit log writes names, buckets and keys: omit, pseudonymize or clear")
	keyFile := fs.String("redact-key-file", "", "the pseudonymization key, a `file` of at least 16 bytes; without it a random key is used")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	files, err := conformanceFiles(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "s3authz test:", err)
		return exitUsage
	}
	t := &tester{stdout: stdout, stderr: stderr, enc: newEncoder(stdout), jsonOnly: *jsonOnly}
	if *auditFile != "" {
		closeLog, err := t.openAudit(*auditFile, *redact, *keyFile)
		if err != nil {
			fmt.Fprintln(stderr, "s3authz test:", err)
			return exitUsage
		}
		defer func() {
			if err := closeLog(); err != nil {
				fmt.Fprintln(stderr, "s3authz test: audit log:", err)
			}
		}()
	}
	for _, f := range files {
		t.file(f)
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", t.passed, t.failed+t.loadErrors)
	switch {
	case t.failed > 0 || t.loadErrors > 0:
		return exitFindings
	case t.passed+t.reported == 0:
		fmt.Fprintf(stderr, "s3authz test: no conformance case in %s\n", strings.Join(fs.Args(), " "))
		return exitUsage
	}
	return exitOK
}

// conformanceFiles lists the files of paths the runner considers: files
// named with a .json or .jsonl extension, and those found in folders, in
// lexical order. A named file of another extension is ignored, like one
// found in a folder.
func conformanceFiles(paths []string) ([]string, error) {
	return files.List(paths, isCaseFile, isCaseFile)
}

func isCaseFile(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".json" || ext == ".jsonl"
}

// file runs one conformance file.
func (t *tester) file(file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.loadError(file, err)
		return
	}
	ext := filepath.Ext(file)
	for _, k := range caseKinds {
		if k.ext != ext || !k.match(data) {
			continue
		}
		k.run(t, file, data)
		return
	}
	t.loadError(file, errors.New("not a conformance file of a known kind: want JSON lines carrying method, url and expect, or kind and policy"))
}

// loadError counts a file that cannot be read or loaded: on stderr, or as a
// JSON line with -json.
func (t *tester) loadError(file string, err error) {
	t.loadErrors++
	if t.jsonOnly {
		t.encode(struct {
			File  string `json:"file"`
			Error string `json:"error"`
			OK    bool   `json:"ok"`
		}{file, err.Error(), false})
		return
	}
	fmt.Fprintln(t.stderr, err)
}

func (t *tester) encode(v any) {
	if err := t.enc.Encode(v); err != nil {
		fmt.Fprintln(t.stderr, "s3authz test:", err)
	}
}

// runScenarioFile loads a scenario file and runs its requests, printing
// one result line each. A request without expectation is printed, not
// counted.
func runScenarioFile(t *tester, file string, data []byte) {
	s, err := scenario.Parse(file, data)
	if err != nil {
		t.loadError(file, err)
		return
	}
	for i := range s.Requests {
		r := &s.Requests[i]
		res := r.Run(s)
		t.encode(res)
		if t.audit != nil {
			if _, err := t.audit.Log(&audit.Event{Request: &r.Request, Context: &r.Context, Decision: res.Decision, Diagnostic: &res.Diagnostic}); err != nil {
				t.loadError(file, fmt.Errorf("audit log: %w", err))
			}
		}
		switch {
		case res.Expect == "":
			t.reported++
		case res.OK:
			t.passed++
		default:
			t.failed++
			if !t.jsonOnly {
				fmt.Fprintf(t.stdout, "  FAILED %s #%d: %s %s %s/%s: got %s, want %s (%s)\n",
					s.File, r.Index, r.Principal, r.Request.Action, r.Request.Bucket, r.Request.Key, res.Decision, res.Expect, r.Why)
			}
		}
	}
}

// runAccessFile runs the configurations of an access corpus
// (ANALYSIS-FORMAT.md §2): each loads as a scenario whose requests must
// pass, and its target's access review and Data Protection Policy profile
// must meet the expectations. One result line each, as §3 writes it.
func runAccessFile(t *tester, file string, data []byte) {
	configs, err := acccase.ParseFile(data)
	if err != nil {
		t.loadError(file, fmt.Errorf("%s: %w", file, err))
		return
	}
	for _, c := range configs {
		res := acccase.Runner{Profile: acccase.Profile}.Run(file, c)
		line := accessResult{File: file, Case: c.Name, OK: res.OK, Missing: res.Missing, Unexpected: res.Unexpected}
		if res.Err != nil {
			line.Error = res.Err.Error()
		}
		if line.Missing == nil {
			line.Missing = []string{}
		}
		if line.Unexpected == nil {
			line.Unexpected = []string{}
		}
		t.encode(line)
		if res.OK {
			t.passed++
			continue
		}
		t.failed++
		if !t.jsonOnly {
			why := line.Error
			if why == "" {
				why = fmt.Sprintf("missing %q, unexpected %q", line.Missing, line.Unexpected)
			}
			fmt.Fprintf(t.stdout, "  FAILED %s %s: %s\n", file, c.Name, why)
		}
	}
}

// accessResult is the result line of one access configuration.
type accessResult struct {
	File       string   `json:"file"`
	Case       string   `json:"case"`
	OK         bool     `json:"ok"`
	Missing    []string `json:"missing"`
	Unexpected []string `json:"unexpected"`
	Error      string   `json:"error,omitempty"`
}

// isJSONArray reports whether data's top-level value starts as an array.
func isJSONArray(data []byte) bool {
	tok, err := json.NewDecoder(bytes.NewReader(data)).Token()
	return err == nil && tok == json.Delim('[')
}

// linesHave returns a matcher for JSON lines files in which every non-blank
// line is an object with all the named members.
func linesHave(members ...string) func([]byte) bool {
	return func(data []byte) bool {
		n := 0
		ok := eachLine(data, func(line []byte) bool {
			var obj map[string]json.RawMessage
			if json.Unmarshal(line, &obj) != nil {
				return false
			}
			for _, m := range members {
				if _, ok := obj[m]; !ok {
					return false
				}
			}
			n++
			return true
		})
		return ok && n > 0
	}
}

// eachLine calls f on each non-blank line of data until f returns false,
// and reports whether it never did.
func eachLine(data []byte, f func(line []byte) bool) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if !f(line) {
			return false
		}
	}
	return sc.Err() == nil
}

// plural writes "1 case", "2 cases".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
