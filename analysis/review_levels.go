package analysis

import (
	"strings"

	"github.com/s3authz/s3authz/internal/s3actions"
)

// This file expands action patterns over the catalog to find the access
// levels a finding grants.

// actionSet is a set of catalog actions by index.
type actionSet [(s3actions.Count + 63) / 64]uint64

func (s *actionSet) add(i int)      { s[i/64] |= 1 << (i % 64) }
func (s *actionSet) has(i int) bool { return s[i/64]&(1<<(i%64)) != 0 }

func (s *actionSet) union(t *actionSet) {
	for i := range s {
		s[i] |= t[i]
	}
}

// actionCache remembers the expansion of each pattern within one review,
// since statements repeat their patterns.
type actionCache struct {
	m map[string]actionSet
}

// expand returns the catalog actions a pattern matches, ignoring ASCII
// case.
func (c *actionCache) expand(p string) actionSet {
	var s actionSet
	if !strings.ContainsAny(p, "*?") {
		if i, ok := s3actions.Lookup(p); ok {
			s.add(i)
		}
		return s
	}
	if v, ok := c.m[p]; ok {
		return v
	}
	for i := range s3actions.Count {
		if covers(p, s3actions.At(i).Name, true) {
			s.add(i)
		}
	}
	if c.m == nil {
		c.m = map[string]actionSet{}
	}
	c.m[p] = s
	return s
}

// set returns the catalog actions of the patterns minus those of except.
func (c *actionCache) set(actions, except []string) actionSet {
	var s, x actionSet
	for _, a := range actions {
		e := c.expand(a)
		s.union(&e)
	}
	for _, a := range except {
		e := c.expand(a)
		x.union(&e)
	}
	for i := range s {
		s[i] &^= x[i]
	}
	return s
}

// levels returns the access levels of the actions the patterns grant, in
// the order List, Read, Write, Permissions, Tagging, each once. A pattern
// that matches no catalog action (a future action) adds no level.
func (c *actionCache) levels(actions, except []string) []Level {
	s := c.set(actions, except)
	var seen [Tagging + 1]bool
	for i := range s3actions.Count {
		if s.has(i) {
			seen[levelOf(s3actions.At(i).Level)] = true
		}
	}
	out := []Level{}
	for l := List; l <= Tagging; l++ {
		if seen[l] {
			out = append(out, l)
		}
	}
	return out
}

// levelOf maps the table's access level to a Level.
func levelOf(l s3actions.Level) Level {
	switch l {
	case s3actions.LevelList:
		return List
	case s3actions.LevelRead:
		return Read
	case s3actions.LevelWrite:
		return Write
	case s3actions.LevelPermissions:
		return Permissions
	case s3actions.LevelTagging:
		return Tagging
	}
	return 0
}
