package main

import (
	"fmt"
	"io"

	"github.com/s3authz/s3authz/analysis"
)

// dppResult is the JSON line dpp prints for one bucket.
type dppResult struct {
	Scenario string                    `json:"scenario"`
	File     string                    `json:"file"`
	Bucket   string                    `json:"bucket"`
	Seed     string                    `json:"seed"`
	Findings []analysis.ProfileFinding `json:"findings"`
	// Failing counts the findings of a type -fail-on names.
	Failing int    `json:"failing"`
	Error   string `json:"error,omitempty"`
}

func runDPP(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("dpp", "[-json] [-fail-on TYPES] SCENARIO [BUCKET]",
		`Checks a bucket of a scenario file — every bucket, in name order, without
BUCKET — against the Data Protection Policy profile of package analysis
(seed `+analysis.CurrentDPPSeed+`): public access, Block Public Access,
ACLs, wildcard principals, full access for other accounts, and proofs that
the bucket policy denies plain HTTP, TLS below 1.2 and uploads without
server-side encryption. Each finding prints as

  FILE:LINE:COL: TYPE CODE BUCKET: message (DPP §SECTION)

(at the statement or ACL grant behind it in the scenario file, the policy
for what it lacks, the bucket for its settings) followed by its evidence
(statements, ACL grants, settings), indented; a bucket without findings
prints "FILE:LINE:COL: BUCKET: meets the profile".

Exit status: 0 when no finding of a -fail-on type remains, 1 when one does,
2 on usage errors, a scenario that does not load, an unknown bucket or a
bucket the profile cannot check.`, stderr)
	jsonOut := fs.Bool("json", false, "print one JSON line per bucket")
	failOn := fs.String("fail-on", "SECURITY_WARNING", "finding `types` that fail the run, comma-separated: SECURITY_WARNING, WARNING (ERROR and SUGGESTION are accepted; the profile reports neither)")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fs.Usage()
		return exitUsage
	}
	failing, ok := parseFailOn("dpp", *failOn, stderr)
	if !ok {
		return exitUsage
	}
	s, w, buckets, ok := scenarioBuckets("dpp", fs.Args(), stderr)
	if !ok {
		return exitUsage
	}
	profile := analysis.DefaultDPP()
	enc := newEncoder(stdout)
	status := exitOK
	for _, name := range buckets {
		res := dppResult{Scenario: s.Name, File: s.File, Bucket: name, Seed: profile.Seed, Findings: []analysis.ProfileFinding{}}
		fsFound, err := analysis.Profile(w, name, profile)
		if err != nil {
			res.Error = err.Error()
			status = exitUsage
		}
		for _, f := range fsFound {
			if f.Evidence == nil {
				f.Evidence = []string{}
			}
			res.Findings = append(res.Findings, f)
			if failing[f.Type.String()] {
				res.Failing++
			}
		}
		if res.Failing > 0 && status == exitOK {
			status = exitFindings
		}
		if *jsonOut {
			if err := enc.Encode(res); err != nil {
				fmt.Fprintln(stderr, "s3authz dpp:", err)
				return exitFindings
			}
			continue
		}
		printDPP(stdout, stderr, &res, locator{s, w})
	}
	return status
}

// printDPP prints one bucket's profile as text; an error goes to stderr.
func printDPP(stdout, stderr io.Writer, res *dppResult, loc locator) {
	switch {
	case res.Error != "":
		fmt.Fprintf(stderr, "s3authz dpp: %s: %s\n", res.Bucket, res.Error)
	case len(res.Findings) == 0:
		fmt.Fprintf(stdout, "%s: %s: meets the profile\n", loc.at(res.Bucket, nil), res.Bucket)
	default:
		for _, f := range res.Findings {
			var src *analysis.Source
			switch {
			case len(f.Sources) > 0:
				src = &f.Sources[0]
			case f.Code == analysis.DPPTLSNotEnforced || f.Code == analysis.DPPTLSVersionNotEnforced || f.Code == analysis.DPPSSENotRequired:
				// What the policy lacks: point at the policy.
				src = &analysis.Source{Kind: analysis.SourceStatement}
			}
			fmt.Fprintf(stdout, "%s: %s %s %s: %s (DPP §%s)\n", loc.at(res.Bucket, src), f.Type, f.Code, res.Bucket, f.Message, f.Section)
			for _, e := range f.Evidence {
				fmt.Fprintf(stdout, "    %s\n", e)
			}
		}
	}
}
