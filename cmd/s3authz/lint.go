package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/s3authz/s3authz/policy"
)

// problem is one fault of a policy file, located by line and column (1-based,
// the column counting bytes), byte offset and JSON pointer.
type problem struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Offset  int    `json:"offset"`
	Pointer string `json:"pointer"`
	Message string `json:"message"`
}

// lintResult is the JSON line lint prints for one file.
type lintResult struct {
	File       string    `json:"file"`
	Kind       string    `json:"kind,omitempty"`
	OK         bool      `json:"ok"`
	Statements int       `json:"statements,omitempty"`
	Problems   []problem `json:"problems,omitempty"`
	Error      string    `json:"error,omitempty"`
}

func runLint(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("lint", "[-json] [-kind bucket|identity] FILE...",
		`Checks each policy file with policy.Parse, which checks everything
evaluate.Prepare would, and prints every problem as FILE:LINE:COL: POINTER:
MESSAGE (the column counts bytes; Parse reports at most policy.MaxErrors
problems a file). Without -kind, a file with a statement that names Principal
or NotPrincipal is a bucket policy and any other an identity policy; the
file name plays no part.

Exit status: 0 when every file is valid, 1 when a file has problems, 2 on
usage errors or a file that cannot be read.`, stderr)
	kindName := fs.String("kind", "", `policy kind: "bucket" or "identity" (default: from the content)`)
	jsonOut := fs.Bool("json", false, "print one JSON line per file")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	var fixed policy.Kind
	switch *kindName {
	case "":
	case "bucket":
		fixed = policy.Bucket
	case "identity":
		fixed = policy.Identity
	default:
		fmt.Fprintf(stderr, "s3authz lint: unknown -kind %q: want bucket or identity\n", *kindName)
		return exitUsage
	}
	enc := newEncoder(stdout)
	status := exitOK
	for _, file := range fs.Args() {
		res := lintFile(file, fixed)
		switch {
		case res.Error != "":
			status = exitUsage
		case !res.OK && status == exitOK:
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
		case res.OK:
			fmt.Fprintf(stdout, "%s: valid %s policy, %d statement(s)\n", file, res.Kind, res.Statements)
		default:
			for _, p := range res.Problems {
				where := p.Pointer
				if where == "" {
					where = `""`
				}
				fmt.Fprintf(stdout, "%s:%d:%d: %s: %s\n", file, p.Line, p.Col, where, p.Message)
			}
		}
	}
	return status
}

// lintFile parses one file as a policy of kind, or of the kind its content
// shows when kind is 0.
func lintFile(file string, kind policy.Kind) lintResult {
	data, err := os.ReadFile(file)
	if err != nil {
		return lintResult{File: file, Error: err.Error()}
	}
	if kind == 0 {
		kind = detectKind(data)
	}
	res := lintResult{File: file, Kind: kind.String()}
	p, err := policy.Parse(kind, data)
	if err == nil {
		res.OK = true
		res.Statements = len(p.Statements)
		return res
	}
	for _, e := range flatten(err) {
		res.Problems = append(res.Problems, toProblem(data, e))
	}
	return res
}

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

// flatten lists the errors errors.Join put together.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// toProblem locates one Parse error in data.
func toProblem(data []byte, err error) problem {
	var pe *policy.Error
	var se *policy.SyntaxError
	p := problem{Message: err.Error()}
	switch {
	case errors.As(err, &pe):
		p.Offset, p.Pointer, p.Message = pe.Offset, pe.Pointer, pe.Err.Error()
	case errors.As(err, &se):
		p.Offset, p.Message = int(se.Offset), "invalid JSON: "+se.Msg
	}
	if errors.Is(err, policy.ErrTooLarge) {
		p.Message += " (policy.Parser{MaxBytes: ...} raises the limit)"
	}
	p.Line, p.Col = lineCol(data, p.Offset)
	return p
}

// lineCol converts a byte offset to a 1-based line and byte column.
func lineCol(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}
