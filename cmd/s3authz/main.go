package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit statuses, as doc.go lists them.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

// command is one subcommand: its name, a one-line summary for the help
// text, and the function that runs it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order help shows them. It is
// filled in by init to break the cycle through the help command.
var commands []command

func init() {
	commands = []command{
		{"test", "run conformance files: scenarios, request mappings, policy validation and access reviews", runTest},
		{"access", "review who outside the owner's account can reach each bucket of a scenario file", runAccess},
		{"lint", "validate bucket and identity policy files: typed, coded findings with line:col", runLint},
		{"dpp", "check buckets of a scenario against the Data Protection Policy profile", runDPP},
		{"explain", "trace the decision of one request of a scenario file", runExplain},
		{"map", "map one S3 REST request to its operation and authorization checks", runMap},
		{"audit", "verify chained audit logs (audit verify): intact, or the first line tampered with", runAudit},
		{"diff", "compare two policies for new access (PASS, FAIL with a witness, UNKNOWN), or check access not granted", runDiff},
		{"help", "describe the subcommands, or one of them", runHelp},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it dispatches args to a subcommand and returns
// the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "s3authz: unknown subcommand %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: s3authz <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "s3authz <command> -h" for a command's flags.`)
	fmt.Fprintln(w, "Exit status: 0 ok, 1 findings or failures, 2 usage or input error.")
}

// runHelp prints the command list, or the flags of the named command.
func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		usage(stdout)
		return exitOK
	}
	if len(args) == 1 {
		for _, c := range commands {
			if c.name == args[0] && c.name != "help" {
				return c.run([]string{"-h"}, stdout, stderr)
			}
		}
	}
	fmt.Fprintf(stderr, "s3authz help: unknown subcommand %q\n", strings.Join(args, " "))
	return exitUsage
}

// newFlags returns the flag set of a subcommand. Its usage text goes to
// stderr on a flag error; -h sends it to stdout (see parseFlags).
func newFlags(name, synopsis, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("s3authz "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: s3authz %s %s\n\n%s\n", name, synopsis, about)
		if hasFlags(fs) {
			fmt.Fprintln(w, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseFlags parses args. It returns done with the exit status when the
// command should stop: 0 after -h (usage on stdout), 2 on a flag error.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (status int, done bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK, true
		}
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage, true
	}
	return 0, false
}

// newEncoder writes one JSON value a line, without HTML escaping.
func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
