package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/internal/jsonptr"
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

// locator finds where a bucket's statements and grants sit in its
// scenario file, for FILE:LINE:COL output.
type locator struct {
	s *scenario.Scenario
	w *analysis.World
}

// at returns "FILE:LINE:COL" of a finding's source in bucket: the
// statement in the embedded policy (the policy, for a statement source
// with no pointer), the bucket or object ACL, or, without a source or
// when the file has none of these, the bucket itself.
func (l locator) at(bucket string, src *analysis.Source) string {
	bptr := string(jsonptr.AppendKey([]byte("/buckets"), bucket))
	ptr := bptr
	extra := 0
	if src != nil {
		switch src.Kind {
		case analysis.SourceStatement:
			// The statement, or the policy when it has no such one.
			ptr = bptr + "/policy"
			if b := l.w.Buckets[bucket]; b != nil && b.Policy != nil && b.Policy.Policy() != nil {
				for _, st := range b.Policy.Policy().Statements {
					if st.Pointer == src.Pointer {
						extra = st.Offset
						break
					}
				}
			}
		case analysis.SourceBucketACL:
			ptr = bptr + "/acl"
		case analysis.SourceObjectACL:
			ptr = string(jsonptr.AppendKey([]byte(bptr+"/objects"), src.Key)) + "/acl"
		}
	}
	p, ok := l.s.Position(ptr)
	if !ok {
		p, _ = l.s.Position(bptr)
	} else if extra > 0 {
		p = l.s.PositionAt(p.Offset + extra)
	}
	return fmt.Sprintf("%s:%d:%d", l.s.File, p.Line, p.Col)
}
