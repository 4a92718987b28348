// Command policysim runs S3 authorization scenarios and says why each
// request is allowed or denied.
//
// Usage:
//
//	go run ./examples/policysim [-explain] [-json] PATH...
//
// PATH is a scenario file or a folder searched recursively for *.json. For
// each request policysim prints a JSON result line
//
//	{"scenario":"NAME","request":0,"decision":"allow","expect":"allow","ok":true,"reason":"…"}
//
// (with -json, only those lines and the summary), then "N passed, M
// failed". -explain adds the readable trace of each decision: every
// statement and grant considered, and whether it applied. A request
// without an expectation is reported, not counted. The exit status is 1
// when a request fails or a file cannot be loaded, 2 on usage errors.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/evaluate/scenario"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("policysim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	explain := fs.Bool("explain", false, "print the trace of each decision")
	jsonOnly := fs.Bool("json", false, "print only the JSON result lines and the summary")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: policysim [-explain] [-json] PATH...")
		return 2
	}
	files, err := scenario.Files(fs.Args()...)
	if err != nil {
		fmt.Fprintln(stderr, "policysim:", err)
		return 1
	}
	passed, failed, loadErrors := 0, 0, 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, f := range files {
		s, err := scenario.Load(f)
		if err != nil {
			loadErrors++
			fmt.Fprintln(stderr, err)
			continue
		}
		for i := range s.Requests {
			r := &s.Requests[i]
			if *explain {
				r.Request.Trace = true
			}
			res := r.Run(s)
			if err := enc.Encode(res); err != nil {
				fmt.Fprintln(stderr, "policysim:", err)
				return 1
			}
			switch {
			case res.Expect == "":
			case res.OK:
				passed++
			default:
				failed++
				if !*jsonOnly {
					fmt.Fprintf(stdout, "  FAILED %s #%d: %s %s %s/%s: got %s, want %s (%s)\n",
						s.File, r.Index, r.Principal, r.Request.Action, r.Request.Bucket, r.Request.Key, res.Decision, res.Expect, r.Why)
				}
			}
			if *explain && !*jsonOnly {
				printTrace(stdout, res.Diagnostic)
			}
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed+loadErrors)
	if failed > 0 || loadErrors > 0 {
		return 1
	}
	return 0
}

func printTrace(w io.Writer, d evaluate.Diagnostic) {
	for _, s := range d.Trace {
		mark := "  "
		if s.Matched {
			mark = "=>"
		}
		where := s.Source.String()
		if s.Sid != "" {
			where += " sid=" + s.Sid
		}
		if s.Pointer != "" {
			where += " " + s.Pointer
		}
		fmt.Fprintf(w, "    %s %-8s %-40s %s\n", mark, s.Stage, where, s.Note)
	}
}
