package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/s3authz/s3authz/analysis"
)

func runAccess(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("access", "[-json | -aa] SCENARIO [BUCKET]",
		`Reviews who outside the owner's account can reach a bucket of a scenario
file (package analysis, Review): one finding per principal of each Allow
statement of the bucket policy and per grant of the bucket and object
ACLs, with Deny statements, Block Public Access and Object Ownership
applied. Without BUCKET every bucket of the file is reviewed, in name
order. Each finding prints as

  FILE:LINE:COL: BUCKET: PRINCIPAL ACTIONS on RESOURCES via SOURCE [public] [blocked by FLAG] [if KEYS]

(LINE:COL, from 1, of the statement or ACL in the scenario file) then a
summary line per bucket: public or not, the policy's status, the
effective Block Public Access, and the notes. -json prints one report
per line; -aa the findings in IAM Access Analyzer's finding fields
(principal map, action, resource, condition, isPublic, sources, status).

Exit status: 0 when no bucket is public in effect, 1 when one is, 2 on
usage errors or a file that cannot be loaded.`, stderr)
	jsonOut := fs.Bool("json", false, "print one JSON report per bucket")
	aaOut := fs.Bool("aa", false, "print one JSON line per bucket holding its findings in IAM Access Analyzer's finding fields: {\"bucket\", \"findings\"}")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fs.Usage()
		return exitUsage
	}
	s, w, buckets, ok := scenarioBuckets("access", fs.Args(), stderr)
	if !ok {
		return exitUsage
	}
	enc := newEncoder(stdout)
	status := exitOK
	for _, name := range buckets {
		rep, err := analysis.Review(w, name)
		if err != nil {
			fmt.Fprintln(stderr, "s3authz access:", err)
			return exitUsage
		}
		if rep.Public {
			status = exitFindings
		}
		if *jsonOut || *aaOut {
			var v any = rep
			if *aaOut {
				v = struct {
					Bucket   string               `json:"bucket"`
					Findings []analysis.AAFinding `json:"findings"`
				}{rep.Bucket, rep.AccessAnalyzer()}
			}
			if err := enc.Encode(v); err != nil {
				fmt.Fprintln(stderr, "s3authz access:", err)
				return exitUsage
			}
			continue
		}
		printAccess(stdout, rep, locator{s, w})
	}
	return status
}

// printAccess writes a report as text: a line per finding, then the
// bucket's summary and notes.
func printAccess(w io.Writer, rep *analysis.AccessReport, loc locator) {
	for _, f := range rep.Findings {
		var sb strings.Builder
		fmt.Fprintf(&sb, "%s: %s: %s %s", loc.at(rep.Bucket, &f.Source), rep.Bucket, f.Principal, strings.Join(f.Actions, ","))
		if len(f.Except) > 0 {
			fmt.Fprintf(&sb, " except %s", strings.Join(f.Except, ","))
		}
		fmt.Fprintf(&sb, " on %s", strings.Join(f.Resources, ","))
		if len(f.ExceptResources) > 0 {
			fmt.Fprintf(&sb, " except %s", strings.Join(f.ExceptResources, ","))
		}
		fmt.Fprintf(&sb, " via %s", f.Source)
		if f.Source.Sid != "" {
			fmt.Fprintf(&sb, " (%s)", f.Source.Sid)
		}
		if f.Public {
			sb.WriteString(" [public]")
		}
		if f.BlockedBy != analysis.BlockedNone {
			fmt.Fprintf(&sb, " [blocked by %s]", f.BlockedBy)
		}
		if len(f.ConditionKeys) > 0 {
			fmt.Fprintf(&sb, " [if %s]", strings.Join(f.ConditionKeys, ","))
		}
		fmt.Fprintln(w, sb.String())
	}
	public := "not public"
	if rep.Public {
		var why []string
		for _, f := range rep.Findings {
			if f.Public && f.BlockedBy == analysis.BlockedNone {
				why = append(why, f.Principal+" via "+f.Source.String())
			}
		}
		public = "PUBLIC (" + strings.Join(why, "; ") + ")"
	}
	pol := "no bucket policy"
	if rep.PolicyPublic != nil {
		pol = "policy not public"
		if *rep.PolicyPublic {
			pol = "policy public"
		}
	}
	acls := "ACLs enabled"
	if !rep.ACLsEnabled {
		acls = "ACLs disabled"
	}
	fmt.Fprintf(w, "%s: %s; %s; %s; Block Public Access %s; %d findings\n", rep.Bucket, public, pol, acls, rep.Effective, len(rep.Findings))
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "%s: note: %s\n", rep.Bucket, n)
	}
}
