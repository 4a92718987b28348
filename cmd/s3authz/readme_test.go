package main

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestREADMECommands runs every "go run ./cmd/s3authz …" line of the
// README from the repository root, so the examples a newcomer copies stay
// true: each must run (exit 0 or 1, never a usage or input error) and
// print something.
func TestREADMECommands(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("../..")
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "go run ./cmd/s3authz ")
		if !ok {
			continue
		}
		n++
		args := shellWords(line)
		t.Run(strings.Join(args[:min(2, len(args))], " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(args, &stdout, &stderr)
			if status != exitOK && status != exitFindings {
				t.Fatalf("%s: exit status %d\n%s%s", line, status, stdout.String(), stderr.String())
			}
			if stdout.Len() == 0 {
				t.Fatalf("%s: no output", line)
			}
		})
	}
	if n < 8 {
		t.Fatalf("found %d s3authz commands in the README, want at least 8", n)
	}
}

// shellWords splits a command line as a POSIX shell does for the README's
// examples: on blanks, with single-quoted words kept whole.
func shellWords(s string) []string {
	var out []string
	var w strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			quoted, inWord = !quoted, true
		case c == ' ' && !quoted:
			if inWord {
				out = append(out, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, w.String())
	}
	return out
}
