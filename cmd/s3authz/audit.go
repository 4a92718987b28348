package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"os"

	"github.com/s3authz/s3authz/audit"
)

// runAudit dispatches the audit subcommands.
func runAudit(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		auditUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		auditUsage(stdout)
		return exitOK
	case "verify":
		return runAuditVerify(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "s3authz audit: unknown subcommand %q\n", args[0])
	auditUsage(stderr)
	return exitUsage
}

func auditUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: s3authz audit <subcommand> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "subcommands:")
	fmt.Fprintln(w, "  verify   check chained audit logs: each is intact, or its first altered, removed or reordered line")
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "s3authz audit verify -h" for its flags.`)
}

// verifyResult is the JSON line audit verify prints for one file.
type verifyResult struct {
	File    string `json:"file"`
	Intact  bool   `json:"intact"`
	Records int    `json:"records"`
	Digests int    `json:"digests"`
	Logs    int    `json:"logs"`
	Signed  bool   `json:"signed"`
	// Key is the key the last log names; TrustedKey reports that the
	// signatures were checked against -pubkey rather than against it.
	Key        string `json:"key,omitempty"`
	TrustedKey bool   `json:"trusted_key"`
	Line       int    `json:"line,omitempty"`
	Problem    string `json:"problem,omitempty"`
	Detail     string `json:"detail,omitempty"`
	Error      string `json:"error,omitempty"`
}

func runAuditVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("audit verify", "[-json] [-pubkey FILE] FILE...",
		`Verifies audit logs that audit.Chain wrote and prints, for each file, that
it is intact — its records, digests and how it is signed — or its first
problem as FILE:LINE: PROBLEM: DETAIL, where PROBLEM is altered, removed,
reordered, truncated, bad-signature or malformed.

With -pubkey, every log must be signed with the key it holds: the Ed25519
public key in standard base64 on one line, as a log's header shows it in
its "key" member. Without -pubkey a signed log is checked against the key
its own header names, and an unsigned one only for consistency: that shows
the log was not damaged, not who wrote it.

Exit status: 0 when every log is intact, 1 when one is not, 2 on usage
errors or a log or key file that cannot be read.`, stderr)
	pubFile := fs.String("pubkey", "", "a `FILE` holding the Ed25519 public key that signs the logs, in standard base64")
	jsonOut := fs.Bool("json", false, "print one JSON line per file")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	var pub ed25519.PublicKey
	if *pubFile != "" {
		var err error
		if pub, err = readPublicKey(*pubFile); err != nil {
			fmt.Fprintln(stderr, "s3authz audit verify: -pubkey:", err)
			return exitUsage
		}
	}
	enc := newEncoder(stdout)
	status := exitOK
	for _, file := range fs.Args() {
		res := verifyFile(file, pub)
		switch {
		case res.Error != "":
			status = exitUsage
		case !res.Intact && status == exitOK:
			status = exitFindings
		}
		if *jsonOut {
			if err := enc.Encode(res); err != nil {
				fmt.Fprintln(stderr, "s3authz audit verify:", err)
				return exitFindings
			}
			continue
		}
		switch {
		case res.Error != "":
			fmt.Fprintln(stderr, res.Error)
		case res.Intact:
			fmt.Fprintf(stdout, "%s: intact: %s\n", file, intactSummary(res))
		default:
			fmt.Fprintf(stdout, "%s:%d: %s: %s\n", file, res.Line, res.Problem, res.Detail)
		}
	}
	return status
}

// verifyFile verifies one log, read as a stream.
func verifyFile(file string, pub ed25519.PublicKey) verifyResult {
	f, err := os.Open(file)
	if err != nil {
		return verifyResult{File: file, Error: err.Error()}
	}
	defer f.Close()
	rep, err := audit.Verify(f, pub)
	if err != nil {
		return verifyResult{File: file, Error: fmt.Sprintf("%s: %v", file, err)}
	}
	res := verifyResult{
		File: file, Intact: rep.Intact, Records: rep.Records, Digests: rep.Digests, Logs: rep.Logs,
		Signed: rep.Signed, TrustedKey: pub != nil, Line: rep.Line, Detail: rep.Detail,
	}
	if rep.Key != nil {
		res.Key = base64.StdEncoding.EncodeToString(rep.Key)
	}
	if !rep.Intact {
		res.Problem = rep.Problem.String()
	}
	return res
}

// intactSummary says what an intact file holds and how far to trust it.
func intactSummary(r verifyResult) string {
	s := fmt.Sprintf("%s, %s", plural(r.Records, "record"), plural(r.Digests, "digest"))
	if r.Logs > 1 {
		s += fmt.Sprintf(" in %d logs", r.Logs)
	}
	switch {
	case r.Signed && r.TrustedKey:
		return s + ", signed with the given key"
	case r.Signed:
		return s + ", signed with key " + r.Key + " (named by the log itself: give -pubkey to check it is yours)"
	}
	return s + ", unsigned (consistent, but anyone can write an unsigned log)"
}

// readPublicKey reads an Ed25519 public key in standard base64, with
// surrounding white space.
func readPublicKey(file string) (ed25519.PublicKey, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.Strict().DecodeString(string(bytes.TrimSpace(data)))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%s: want an Ed25519 public key in standard base64 (%d characters)", file, base64.StdEncoding.EncodedLen(ed25519.PublicKeySize))
	}
	return key, nil
}
