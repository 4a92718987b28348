// Command policylint checks S3 bucket policies and IAM identity policies
// with package policy: for each file it prints the canonical form of a valid
// policy, or every problem found, each with its JSON pointer and byte offset.
// Problems include condition values their operator cannot read (a CIDR
// block of /33, a number "ten") and operators the key's type does not take
// (IpAddress on s3:prefix): a policy it calls valid, package evaluate
// prepares.
//
// Usage:
//
//	go run ./examples/policylint [-kind bucket|identity] FILE...
//
// With -kind omitted, a file whose name starts with "identity-" is read as
// an identity policy and any other as a bucket policy. The exit status is 1
// when any file is invalid, 2 on usage errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/s3authz/s3authz/policy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("policylint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kindName := fs.String("kind", "", `policy kind: "bucket" or "identity" (default: from the file name)`)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: policylint [-kind bucket|identity] FILE...")
		return 2
	}
	status := 0
	for _, file := range fs.Args() {
		kind, err := kindFor(*kindName, file)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(stderr, err)
			status = 1
			continue
		}
		p, err := policy.Parse(kind, data)
		if err != nil {
			status = 1
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(stdout, "%s: %s\n", file, line)
			}
			if errors.Is(err, policy.ErrTooLarge) {
				fmt.Fprintf(stdout, "%s: (the %s limit can be raised with policy.Parser{MaxBytes: ...})\n", file, kind)
			}
			continue
		}
		out, _ := p.MarshalJSON()
		fmt.Fprintf(stdout, "%s: valid %s policy, %d statement(s)\n%s\n", file, kind, len(p.Statements), out)
	}
	return status
}

func kindFor(name, file string) (policy.Kind, error) {
	switch name {
	case "bucket":
		return policy.Bucket, nil
	case "identity":
		return policy.Identity, nil
	case "":
		if strings.HasPrefix(filepath.Base(file), "identity-") {
			return policy.Identity, nil
		}
		return policy.Bucket, nil
	}
	return 0, fmt.Errorf("policylint: unknown -kind %q: want bucket or identity", name)
}
