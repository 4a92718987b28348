package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/policy"
)

// lintFinding is the JSON form of one finding: its type, code and
// message, and its primary location (line from 1, col from 1 counting
// bytes, byte span, JSON pointer).
type lintFinding struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Pointer string `json:"pointer"`
	Sid     string `json:"sid,omitempty"`
	// Locations are every location of the finding in Access Analyzer's
	// shape (path and span), and Learn its learnMoreLink.
	Locations []aaLocation `json:"locations"`
	Learn     string       `json:"learnMoreLink,omitempty"`
}

// aaLocation is a location as Access Analyzer's ValidatePolicy writes it:
// a path of {"value"} and {"index"} elements and a span of positions
// (line from 1, column from 0, offset from 0; end exclusive).
type aaLocation struct {
	Path []analysis.PathElement `json:"path"`
	Span struct {
		Start aaPosition `json:"start"`
		End   aaPosition `json:"end"`
	} `json:"span"`
}

type aaPosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

func aaLocations(locs []analysis.Location) []aaLocation {
	out := make([]aaLocation, len(locs))
	for i, l := range locs {
		out[i].Path = l.Path
		out[i].Span.Start = aaPosition{Line: l.Line, Column: l.Col, Offset: l.Start}
		out[i].Span.End = aaPosition{Line: l.EndLine, Column: l.EndCol, Offset: l.End}
	}
	return out
}

// lintResult is the JSON line lint prints for one file.
type lintResult struct {
	File     string        `json:"file"`
	Kind     string        `json:"kind,omitempty"`
	Findings []lintFinding `json:"findings"`
	// Failing counts the findings of a type -fail-on names.
	Failing int `json:"failing"`
	// ParseError is what policy.Parse says of the file, "" when it loads.
	ParseError string `json:"parse_error,omitempty"`
	Error      string `json:"error,omitempty"`
}

// lintOptions are lint's filters: the failing types and the suppressed
// codes (CODE, or SID.CODE for one statement).
type lintOptions struct {
	kind   policy.Kind
	failOn map[string]bool
	ignore map[string]bool
}

func runLint(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("lint", "[-json] [-kind bucket|identity] [-fail-on TYPES] [-ignore CODES] FILE...",
		`Validates each policy file with package analysis — Access Analyzer's
checks and the S3_ checks beyond them, on any document, including one
policy.Parse refuses — and prints every finding as

  FILE:LINE:COL: TYPE CODE message

(LINE from 1, COL from 1 counting bytes, at the start of the element the
finding is about), in document order. Without -kind, a file with a statement
that names Principal or NotPrincipal is a bucket policy and any other an
identity policy; the file name plays no part. -ignore drops findings by code
(CODE) or by code in one statement (SID.CODE).

Exit status: 0 when no finding of a -fail-on type remains, 1 when one does,
2 on usage errors or a file that cannot be read.`, stderr)
	kindName := fs.String("kind", "", `policy kind: "bucket" or "identity" (default: from the content)`)
	jsonOut := fs.Bool("json", false, "print one JSON line per file")
	failOn := fs.String("fail-on", "ERROR,SECURITY_WARNING", "finding `types` that fail the run, comma-separated: ERROR, SECURITY_WARNING, WARNING, SUGGESTION")
	ignore := fs.String("ignore", "", "finding `codes` to drop, comma-separated: CODE, or SID.CODE for one statement")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	o := lintOptions{ignore: map[string]bool{}}
	switch *kindName {
	case "":
	case "bucket":
		o.kind = policy.Bucket
	case "identity":
		o.kind = policy.Identity
	default:
		fmt.Fprintf(stderr, "s3authz lint: unknown -kind %q: want bucket or identity\n", *kindName)
		return exitUsage
	}
	var ok bool
	if o.failOn, ok = parseFailOn("lint", *failOn, stderr); !ok {
		return exitUsage
	}
	for _, c := range splitList(*ignore) {
		o.ignore[c] = true
	}
	enc := newEncoder(stdout)
	status := exitOK
	for _, file := range fs.Args() {
		res := lintFile(file, o)
		switch {
		case res.Error != "":
			status = exitUsage
		case res.Failing > 0 && status == exitOK:
			status = exitFindings
		}
		if *jsonOut {
			if err := enc.Encode(res); err != nil {
				fmt.Fprintln(stderr, "s3authz lint:", err)
				return exitFindings
			}
			continue
		}
		switch {
		case res.Error != "":
			fmt.Fprintln(stderr, res.Error)
		case len(res.Findings) == 0:
			fmt.Fprintf(stdout, "%s: %s policy, no findings\n", file, res.Kind)
		default:
			for _, f := range res.Findings {
				fmt.Fprintf(stdout, "%s:%d:%d: %s %s %s\n", file, f.Line, f.Col, f.Type, f.Code, f.Message)
			}
		}
	}
	return status
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// lintFile validates one file as a policy of o.kind, or of the kind its
// content shows when o.kind is 0.
func lintFile(file string, o lintOptions) lintResult {
	data, err := os.ReadFile(file)
	if err != nil {
		return lintResult{File: file, Error: err.Error()}
	}
	kind := o.kind
	if kind == 0 {
		kind = detectKind(data)
	}
	res := lintResult{File: file, Kind: kind.String(), Findings: []lintFinding{}}
	rep, err := analysis.Validate(kind, data, analysis.ValidateOptions{})
	if err != nil {
		return lintResult{File: file, Error: file + ": " + err.Error()}
	}
	if rep.ParseErr != nil {
		res.ParseError = oneLine(rep.ParseErr.Error())
	}
	for _, f := range rep.Findings {
		loc := f.Locations[0]
		lf := lintFinding{Type: f.Type.String(), Code: f.Code, Message: f.Message,
			Line: loc.Line, Col: loc.Col + 1, Start: loc.Start, End: loc.End, Pointer: loc.Pointer, Sid: statementSid(data, loc.Pointer),
			Locations: aaLocations(f.Locations), Learn: f.Learn}
		if o.ignore[f.Code] || lf.Sid != "" && o.ignore[lf.Sid+"."+f.Code] {
			continue
		}
		res.Findings = append(res.Findings, lf)
		if o.failOn[lf.Type] {
			res.Failing++
		}
	}
	return res
}

// statementSid returns the Sid of the statement a pointer is in
// ("/Statement/2/Action" → statement 2's Sid; "/Statement/Effect" → the
// single statement's), "" when there is none.
func statementSid(data []byte, pointer string) string {
	rest, ok := strings.CutPrefix(pointer, "/Statement")
	if !ok || (rest != "" && rest[0] != '/') {
		return ""
	}
	stmts := gjson.GetBytes(data, "Statement")
	if stmts.IsObject() {
		return stmts.Get("Sid").String()
	}
	idx, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	if idx == "" || strings.Trim(idx, "0123456789") != "" {
		return ""
	}
	return stmts.Get(idx + ".Sid").String()
}

// oneLine joins a multi-line error text into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// detectKind reads a policy as a bucket policy when one of its statements
// names Principal or NotPrincipal, and as an identity policy otherwise
// (also when it is not JSON: then Parse reports the syntax error either
// way).
func detectKind(data []byte) policy.Kind {
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal(data, &doc) != nil {
		return policy.Identity
	}
	var stmts []map[string]json.RawMessage
	if bytes.HasPrefix(bytes.TrimSpace(doc.Statement), []byte("{")) {
		var one map[string]json.RawMessage
		if json.Unmarshal(doc.Statement, &one) == nil {
			stmts = append(stmts, one)
		}
	} else {
		var many []json.RawMessage
		_ = json.Unmarshal(doc.Statement, &many)
		for _, raw := range many {
			var s map[string]json.RawMessage
			if json.Unmarshal(raw, &s) == nil {
				stmts = append(stmts, s)
			}
		}
	}
	for _, s := range stmts {
		if _, ok := s["Principal"]; ok {
			return policy.Bucket
		}
		if _, ok := s["NotPrincipal"]; ok {
			return policy.Bucket
		}
	}
	return policy.Identity
}
