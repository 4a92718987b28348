package analysis

import "strconv"

// Type is the severity class of a finding, as Access Analyzer's
// findingType.
type Type uint8

const (
	// Error marks a policy AWS refuses or that cannot do what it says.
	Error Type = iota + 1
	// SecurityWarning marks a policy that grants more than it seems to.
	SecurityWarning
	// Warning marks a policy that works but not as it was probably meant.
	Warning
	// Suggestion marks a policy that can be written more simply.
	Suggestion
)

var typeNames = [...]string{"", "ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"}

// String returns Access Analyzer's name of the type: "ERROR",
// "SECURITY_WARNING", "WARNING" or "SUGGESTION".
func (t Type) String() string {
	if t > 0 && int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// MarshalText returns the type's String form, so that a Type is written
// by name in JSON.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// Location is where a finding points in the validated document.
type Location struct {
	// Pointer is the RFC 6901 JSON pointer of the element, such as
	// "/Statement/0/Action/1"; "" is the whole document.
	Pointer string
	// Start and End are the byte offsets of the element's JSON value
	// token, End exclusive; a string's span includes its quotes.
	Start, End int
	// Line (from 1) and Col (from 0, in bytes) are the position of Start,
	// Access Analyzer's convention; EndLine and EndCol that of End.
	Line, Col       int
	EndLine, EndCol int
	// Path is Pointer as Access Analyzer writes a location: member names
	// as {"value"} and array indexes as {"index"} elements.
	Path []PathElement
}

// Finding is one problem found in a policy.
type Finding struct {
	// Type is the finding's severity class.
	Type Type
	// Code is the Access Analyzer issue code, such as "INVALID_ACTION",
	// or an S3_ code for a check beyond Access Analyzer.
	Code string
	// Message is one sentence; user text in it is quoted and cut.
	Message string
	// Locations are the elements the finding concerns; the first is the
	// primary location. Every finding has at least one.
	Locations []Location
	// Learn is the address of the check's documentation, or the name of
	// the peer tool or AWS rule it comes from.
	Learn string
}
