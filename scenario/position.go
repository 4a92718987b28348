package scenario

import (
	"slices"
	"strconv"
	"strings"
)

// Position is a place in a scenario file, for tools that point at it
// ("FILE:LINE:COL").
type Position struct {
	// Offset is the byte offset from the start of the file.
	Offset int
	// Line counts from 1; Col from 1, in bytes, as editors and compilers
	// write them.
	Line, Col int
}

// Position returns where the value at an RFC 6901 JSON pointer of the file
// starts, such as "/buckets/photos/policy"; ok is false when the file
// holds no value there.
func (s *Scenario) Position(pointer string) (p Position, ok bool) {
	if s.root == nil || (pointer != "" && pointer[0] != '/') {
		return Position{}, false
	}
	n := s.root
	if pointer != "" {
		for _, tok := range strings.Split(pointer[1:], "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch n.kind {
			case kObject:
				if n, ok = n.get(tok); !ok {
					return Position{}, false
				}
			case kArray:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(n.elems) || tok != strconv.Itoa(i) {
					return Position{}, false
				}
				n = n.elems[i]
			default:
				return Position{}, false
			}
		}
	}
	return s.PositionAt(n.begin), true
}

// PositionAt returns the line and column of a byte offset of the file,
// such as that of a value's Position plus an offset within it (a
// statement's policy.Statement.Offset within its embedded policy). An
// offset outside the file is clamped to it.
func (s *Scenario) PositionAt(offset int) Position {
	offset = max(0, min(offset, len(s.data)))
	line, _ := slices.BinarySearch(s.lines, offset+1) // line starts <= offset
	return Position{Offset: offset, Line: line, Col: offset - s.lines[line-1] + 1}
}

// lineStarts returns the offsets at which the lines of data start.
func lineStarts(data []byte) []int {
	lines := []int{0}
	for i, c := range data {
		if c == '\n' {
			lines = append(lines, i+1)
		}
	}
	return lines
}
