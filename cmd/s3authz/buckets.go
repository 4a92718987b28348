package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/scenario"
)

// scenarioBuckets loads the scenario file args[0] for the analysis
// commands and lists the buckets to analyse: args[1] when given (it must
// be a bucket of the scenario), else every bucket, sorted. A problem is
// printed to stderr, prefixed with the command's name, and ok is false.
func scenarioBuckets(cmd string, args []string, stderr io.Writer) (s *scenario.Scenario, w *analysis.World, buckets []string, ok bool) {
	s, err := scenario.Load(args[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, nil, nil, false
	}
	w = s.World()
	if len(args) == 2 {
		if w.Buckets[args[1]] == nil {
			fmt.Fprintf(stderr, "s3authz %s: %s has no bucket %q\n", cmd, args[0], args[1])
			return nil, nil, nil, false
		}
		return s, w, []string{args[1]}, true
	}
	for name := range w.Buckets {
		buckets = append(buckets, name)
	}
	slices.Sort(buckets)
	return s, w, buckets, true
}

// parseFailOn reads a -fail-on list of finding types; an unknown type is
// printed to stderr, prefixed with the command's name, and ok is false.
func parseFailOn(cmd, list string, stderr io.Writer) (types map[string]bool, ok bool) {
	types = map[string]bool{}
	for _, t := range splitList(list) {
		switch t {
		case "ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION":
			types[t] = true
		default:
			fmt.Fprintf(stderr, "s3authz %s: unknown finding type %q in -fail-on\n", cmd, t)
			return nil, false
		}
	}
	return types, true
}
