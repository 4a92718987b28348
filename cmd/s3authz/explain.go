package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/scenario"
)

// traceStep is the JSON form of one evaluate.Step.
type traceStep struct {
	Stage   string `json:"stage"`
	Source  string `json:"source,omitempty"`
	Index   int    `json:"index,omitempty"`
	Sid     string `json:"sid,omitempty"`
	Pointer string `json:"pointer,omitempty"`
	Matched bool   `json:"matched"`
	Note    string `json:"note"`
}

// explanation is the JSON document explain -json prints.
type explanation struct {
	Scenario  string             `json:"scenario"`
	File      string             `json:"file"`
	Request   int                `json:"request"`
	Principal string             `json:"principal"`
	Action    string             `json:"action"`
	Bucket    string             `json:"bucket"`
	Key       string             `json:"key,omitempty"`
	Product   devpay.ProductCode `json:"product,omitempty"`
	Decision  string             `json:"decision"`
	Expect    string             `json:"expect,omitempty"`
	OK        bool               `json:"ok"`
	Reason    string             `json:"reason"`
	Why       string             `json:"why,omitempty"`
	Error     string             `json:"error,omitempty"`
	Trace     []traceStep        `json:"trace"`
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explain", "[-json] SCENARIO REQUEST-INDEX",
		`Evaluates one request of a scenario file (REQUEST-INDEX counts from 0 in
the file's requests array) and prints its decision, the deciding rule and
the full trace: every statement and grant considered, and whether it
applied ("=>" marks those that did).

Exit status: 0 when the decision meets the file's expectation (or there is
none), 1 when it does not, 2 on usage errors, a file that cannot be loaded
or an index out of range.`, stderr)
	jsonOut := fs.Bool("json", false, "print the decision, reason and trace as one JSON document")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return exitUsage
	}
	file := fs.Arg(0)
	s, err := scenario.Load(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	i, err := strconv.Atoi(fs.Arg(1))
	if err != nil || i < 0 || i >= len(s.Requests) {
		has := "no requests"
		if len(s.Requests) > 0 {
			has = fmt.Sprintf("requests 0 to %d", len(s.Requests)-1)
		}
		fmt.Fprintf(stderr, "s3authz explain: request index %q: %s has %s\n", fs.Arg(1), file, has)
		return exitUsage
	}
	r := &s.Requests[i]
	r.Request.Trace = true
	res := r.Run(s)
	e := explanation{
		Scenario: s.Name, File: s.File, Request: r.Index, Principal: r.Principal,
		Action: r.Request.Action, Bucket: r.Request.Bucket, Key: r.Request.Key, Product: r.Request.Product,
		Decision: res.Decision.String(), Expect: res.Expect, OK: res.OK, Reason: res.Rule(), Why: r.Why,
		Trace: []traceStep{},
	}
	if err := res.Diagnostic.Err; err != nil {
		e.Error = err.Error()
	}
	for _, st := range res.Diagnostic.Trace {
		e.Trace = append(e.Trace, traceStep{Stage: st.Stage.String(), Source: st.Source.String(), Index: st.Index,
			Sid: st.Sid, Pointer: st.Pointer, Matched: st.Matched, Note: st.Note})
	}
	if *jsonOut {
		enc := newEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(e); err != nil {
			fmt.Fprintln(stderr, "s3authz explain:", err)
			return exitFindings
		}
	} else {
		printExplanation(stdout, &e, res.Diagnostic.Trace)
	}
	if !res.OK {
		return exitFindings
	}
	return exitOK
}

func printExplanation(w io.Writer, e *explanation, trace []evaluate.Step) {
	fmt.Fprintf(w, "scenario %s (%s), request %d\n", e.Scenario, e.File, e.Request)
	resource := e.Bucket
	if e.Key != "" {
		resource += "/" + e.Key
	}
	fmt.Fprintf(w, "  %s %s %s", e.Principal, e.Action, resource)
	if e.Product != "" {
		fmt.Fprintf(w, " through product %s", e.Product)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "decision: %s", e.Decision)
	switch {
	case e.Expect == "":
		fmt.Fprintln(w, " (no expectation)")
	case e.OK:
		fmt.Fprintf(w, " (expected %s: ok)\n", e.Expect)
	default:
		fmt.Fprintf(w, " (expected %s: FAILED)\n", e.Expect)
	}
	fmt.Fprintf(w, "reason:   %s\n", e.Reason)
	if e.Why != "" {
		fmt.Fprintf(w, "why:      %s\n", e.Why)
	}
	fmt.Fprintln(w, "trace:")
	for _, s := range trace {
		fmt.Fprintf(w, "  %s\n", s)
	}
}
