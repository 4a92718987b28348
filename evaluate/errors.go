package evaluate

import (
	"strconv"
	"strings"
)

// Error is an error met while evaluating a request, with where it was met.
// Whenever evaluation fails, Diagnostic.Err holds an *Error; errors.Is
// reaches the sentinel it wraps (ErrInvalidRequest, ErrInvalidRecord,
// ErrCondition, a context's error, or the error a host lookup returned)
// through Unwrap. Its message is one line.
type Error struct {
	// Stage is the step of the evaluation that met the error: StageNone
	// for a request refused before any step, StageDevPay for a failed
	// subscription lookup, the stage of the policy otherwise.
	Stage Stage
	// Source, Index, Sid and Pointer name the policy and statement whose
	// conditions could not be evaluated; Source is SourceNone when the
	// error is not a statement's.
	Source  Source
	Index   int
	Sid     string
	Pointer string
	// Err is the cause.
	Err error
}

// Error returns the cause's message on one line, followed by where it was
// met, as in
//
//	evaluate: condition could not be evaluated: ... (bucket-policy, statement /Statement/1, Sid "DenyOld")
func (e *Error) Error() string {
	msg := "evaluate: error"
	if e.Err != nil {
		msg = oneLine(e.Err.Error())
	}
	var loc []string
	switch {
	case e.Source == SourceIdentity || e.Source == SourceSession:
		loc = append(loc, e.Source.String()+" "+strconv.Itoa(e.Index))
	case e.Source != SourceNone:
		loc = append(loc, e.Source.String())
	case e.Stage != StageNone:
		loc = append(loc, "stage "+e.Stage.String())
	}
	if e.Pointer != "" {
		loc = append(loc, "statement "+e.Pointer)
	}
	if e.Sid != "" {
		loc = append(loc, "Sid "+strconv.Quote(e.Sid))
	}
	if len(loc) == 0 {
		return msg
	}
	return msg + " (" + strings.Join(loc, ", ") + ")"
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// oneLine folds a message onto one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var lines []string
	for l := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == '\r' || r == '\n' }) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " ; ")
}

// statementError locates err in statement i of r. It is kept out of line:
// only a statement that cannot be evaluated reaches it.
//
//go:noinline
func statementError(r policyRef, i int, err error) error {
	st := &r.p.policy.Statements[i]
	return &Error{Stage: r.stage, Source: r.source, Index: r.index, Sid: st.Sid, Pointer: st.Pointer, Err: err}
}
