package main

import (
	"fmt"
	"io"
	"os"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/scenario"
)

// exitUnknown is diff's status when the analysis could not decide.
const exitUnknown = 3

// diffResult is the JSON document diff prints.
type diffResult struct {
	Old     string            `json:"old,omitempty"`
	New     string            `json:"new,omitempty"`
	Policy  string            `json:"policy,omitempty"`
	Bucket  string            `json:"bucket,omitempty"`
	Kind    string            `json:"kind"`
	Verdict analysis.Verdict  `json:"verdict"`
	Reasons []analysis.Reason `json:"reasons"`
	Witness *analysis.Witness `json:"witness,omitempty"`
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", "[-json] [-kind bucket|identity] OLD NEW | -not-granted -actions A,B -resources R,S POLICY | -config OLD.json NEW.json BUCKET",
		`Compares two policy files of one kind: PASS when every request NEW allows
is allowed by OLD (a proof), FAIL with a witness request the evaluator
allows under NEW and not under OLD, UNKNOWN with the reason when the
analysis cannot decide (unsupported constructs, a counterexample that
depends on keys assumed independent, the budget). With -not-granted, checks
one policy against a list of actions and resources instead (Access
Analyzer's CheckAccessNotGranted): PASS when it allows none of them.
Without -kind, a policy with a statement naming Principal or NotPrincipal
is a bucket policy and any other an identity policy. With -config, OLD and
NEW are scenario files and the whole configuration of BUCKET is compared
(policy, ACLs, Object Ownership, Block Public Access, object owners):
PASS when no principal outside the owner's account gains a request, FAIL
with a witness request the new configuration allows and the old does not.

Exit status: 0 PASS, 1 FAIL, 3 UNKNOWN, 2 on usage errors or a file that
cannot be read or parsed.`, stderr)
	kindName := fs.String("kind", "", `policy kind: "bucket" or "identity" (default: from the content)`)
	jsonOut := fs.Bool("json", false, "print one JSON document")
	notGranted := fs.Bool("not-granted", false, "check that POLICY grants none of -actions on -resources")
	config := fs.Bool("config", false, "compare the configuration of BUCKET in two scenario files")
	actions := fs.String("actions", "", "`actions` for -not-granted, comma-separated")
	resources := fs.String("resources", "", "`resources` for -not-granted, comma-separated")
	maxCells := fs.Int("max-cells", 0, "cell budget (0: the default, 100000)")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	want := 2
	switch {
	case *notGranted && *config:
		fmt.Fprintln(stderr, "s3authz diff: -config and -not-granted do not combine")
		return exitUsage
	case *notGranted:
		want = 1
	case *config:
		want = 3
	}
	if fs.NArg() != want {
		fs.Usage()
		return exitUsage
	}
	var kind policy.Kind
	switch *kindName {
	case "":
	case "bucket":
		kind = policy.Bucket
	case "identity":
		kind = policy.Identity
	default:
		fmt.Fprintf(stderr, "s3authz diff: unknown -kind %q: want bucket or identity\n", *kindName)
		return exitUsage
	}
	o := analysis.DiffOptions{MaxCells: *maxCells}
	var res diffResult
	if *config {
		if *kindName != "" {
			fmt.Fprintln(stderr, "s3authz diff: -kind does not apply to -config")
			return exitUsage
		}
		oldW, status := diffLoadWorld(fs.Arg(0), stderr)
		if oldW == nil {
			return status
		}
		newW, status := diffLoadWorld(fs.Arg(1), stderr)
		if newW == nil {
			return status
		}
		r := analysis.NoNewConfigAccess(oldW, newW, fs.Arg(2), o)
		res = diffResult{Old: fs.Arg(0), New: fs.Arg(1), Bucket: fs.Arg(2), Kind: analysis.WitnessKindConfiguration, Verdict: r.Verdict, Reasons: r.Reasons, Witness: r.Witness}
	} else if *notGranted {
		acts, ress := splitList(*actions), splitList(*resources)
		if len(acts) == 0 && len(ress) == 0 {
			fmt.Fprintln(stderr, "s3authz diff: -not-granted needs -actions, -resources or both")
			return exitUsage
		}
		p, status := diffLoad(fs.Arg(0), kind, stderr)
		if p == nil {
			return status
		}
		r := analysis.AccessNotGranted(p, acts, ress, o)
		res = diffResult{Policy: fs.Arg(0), Kind: p.Kind.String(), Verdict: r.Verdict, Reasons: r.Reasons, Witness: r.Witness}
	} else {
		old, status := diffLoad(fs.Arg(0), kind, stderr)
		if old == nil {
			return status
		}
		if kind == 0 {
			kind = old.Kind
		}
		nw, status := diffLoad(fs.Arg(1), kind, stderr)
		if nw == nil {
			return status
		}
		r := analysis.NoNewAccess(old, nw, o)
		res = diffResult{Old: fs.Arg(0), New: fs.Arg(1), Kind: old.Kind.String(), Verdict: r.Verdict, Reasons: r.Reasons, Witness: r.Witness}
	}
	if res.Reasons == nil {
		res.Reasons = []analysis.Reason{}
	}
	if *jsonOut {
		if err := newEncoder(stdout).Encode(res); err != nil {
			fmt.Fprintln(stderr, "s3authz diff:", err)
			return exitUsage
		}
	} else {
		fmt.Fprintln(stdout, res.Verdict)
		if res.Witness != nil {
			fmt.Fprintln(stdout, "witness:", res.Witness)
		}
		for _, r := range res.Reasons {
			switch {
			case r.Pointer != "" && r.Sid != "":
				fmt.Fprintf(stdout, "  %s (Sid %q): %s\n", r.Pointer, r.Sid, r.Description)
			case r.Pointer != "":
				fmt.Fprintf(stdout, "  %s: %s\n", r.Pointer, r.Description)
			default:
				fmt.Fprintf(stdout, "  %s\n", r.Description)
			}
		}
	}
	switch res.Verdict {
	case analysis.Pass:
		return exitOK
	case analysis.Fail:
		return exitFindings
	}
	return exitUnknown
}

// diffLoad reads and parses one policy file, of kind or, when kind is 0,
// of the kind its content shows. A nil policy comes with the exit status.
func diffLoad(file string, kind policy.Kind, stderr io.Writer) (*policy.Policy, int) {
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(stderr, "s3authz diff:", err)
		return nil, exitUsage
	}
	if kind == 0 {
		kind = detectKind(data)
	}
	p, err := policy.Parse(kind, data)
	if err != nil {
		fmt.Fprintf(stderr, "s3authz diff: %s: %s\n", file, oneLine(err.Error()))
		return nil, exitUsage
	}
	return p, exitOK
}

// diffLoadWorld loads one scenario file's world. A nil world comes with
// the exit status.
func diffLoadWorld(file string, stderr io.Writer) (*analysis.World, int) {
	s, err := scenario.Load(file)
	if err != nil {
		fmt.Fprintf(stderr, "s3authz diff: %s: %s\n", file, oneLine(err.Error()))
		return nil, exitUsage
	}
	return s.World(), exitOK
}
