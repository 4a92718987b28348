package evaluate

import (
	"errors"
	"strconv"
)

// Decision is the outcome of Evaluate. The zero Decision is ImplicitDeny, so
// a Decision that was never set denies.
type Decision uint8

const (
	// ImplicitDeny: nothing allowed the request (or a gate refused it).
	ImplicitDeny Decision = iota
	// Allow: the request is allowed.
	Allow
	// ExplicitDeny: a Deny statement matched; no Allow can override it.
	ExplicitDeny
)

// String returns "implicit-deny", "allow" or "explicit-deny".
func (d Decision) String() string {
	if int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return "Decision(" + strconv.Itoa(int(d)) + ")"
}

// Allowed reports whether the decision is Allow.
func (d Decision) Allowed() bool { return d == Allow }

var decisionNames = [...]string{"implicit-deny", "allow", "explicit-deny"}

// MarshalText implements encoding.TextMarshaler: the name String returns,
// so that JSON and log/slog print "allow", not 1. A value out of range is
// an error.
func (d Decision) MarshalText() ([]byte, error) {
	return marshalName(decisionNames[:], int(d), "Decision")
}

// UnmarshalText implements encoding.TextUnmarshaler for the names
// MarshalText writes.
func (d *Decision) UnmarshalText(b []byte) error {
	i, err := unmarshalName(decisionNames[:], b, "Decision")
	if err == nil {
		*d = Decision(i)
	}
	return err
}

// Stage is the step of the evaluation that decided.
type Stage uint8

const (
	// StageNone: not decided (never returned by Evaluate).
	StageNone Stage = iota
	// StageDevPay: the DevPay product restriction.
	StageDevPay
	// StageBlockPublicAccess: Block Public Access refused a public ACL or
	// policy at write time.
	StageBlockPublicAccess
	// StageOwnership: an ownership rule decided — the bucket owner root's
	// lock-out protection, the bucket owner's powers over objects others
	// own, the root of the owning account, or Object Ownership refusing
	// ACLs.
	StageOwnership
	// StageUser: the user context (the caller's account: identity
	// policies, boundary, session policies, and same-account resource
	// policies and ACLs).
	StageUser
	// StageBucket: the bucket context (the bucket owner's policy and ACL).
	StageBucket
	// StageObject: the object context (the object owner's ACL).
	StageObject
	// StageError: evaluation failed; the decision denies.
	StageError
	// StageLockout: the caller is disabled (Context.Lockout), which is
	// consulted before anything else.
	StageLockout
)

var stageNames = [...]string{"none", "devpay", "block-public-access", "ownership", "user", "bucket", "object", "error", "lockout"}

// String names the stage.
func (s Stage) String() string {
	if int(s) < len(stageNames) {
		return stageNames[s]
	}
	return "Stage(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText implements encoding.TextMarshaler: the name String returns.
// A value out of range is an error.
func (s Stage) MarshalText() ([]byte, error) { return marshalName(stageNames[:], int(s), "Stage") }

// UnmarshalText implements encoding.TextUnmarshaler for the names
// MarshalText writes.
func (s *Stage) UnmarshalText(b []byte) error {
	i, err := unmarshalName(stageNames[:], b, "Stage")
	if err == nil {
		*s = Stage(i)
	}
	return err
}

// Source says which policy or ACL a reason points into.
type Source uint8

const (
	// SourceNone: no policy or ACL (a gate or ownership rule decided).
	SourceNone Source = iota
	// SourceIdentity: one of the caller's identity policies (Index).
	SourceIdentity
	// SourceBoundary: the caller's permissions boundary.
	SourceBoundary
	// SourceSession: one of the session policies (Index).
	SourceSession
	// SourceBucketPolicy: the bucket policy.
	SourceBucketPolicy
	// SourceBucketACL: the bucket ACL (Grant).
	SourceBucketACL
	// SourceObjectACL: the object ACL (Grant).
	SourceObjectACL
)

var sourceNames = [...]string{"", "identity-policy", "permissions-boundary", "session-policy", "bucket-policy", "bucket-acl", "object-acl"}

// String names the source.
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText implements encoding.TextMarshaler: the name String returns,
// "" for SourceNone. A value out of range is an error.
func (s Source) MarshalText() ([]byte, error) { return marshalName(sourceNames[:], int(s), "Source") }

// UnmarshalText implements encoding.TextUnmarshaler for the names
// MarshalText writes.
func (s *Source) UnmarshalText(b []byte) error {
	i, err := unmarshalName(sourceNames[:], b, "Source")
	if err == nil {
		*s = Source(i)
	}
	return err
}

func marshalName(names []string, i int, typ string) ([]byte, error) {
	if i < 0 || i >= len(names) {
		return nil, errors.New("evaluate: " + typ + "(" + strconv.Itoa(i) + ") has no name")
	}
	return []byte(names[i]), nil
}

func unmarshalName(names []string, b []byte, typ string) (int, error) {
	for i, n := range names {
		if n == string(b) {
			return i, nil
		}
	}
	return 0, errors.New("evaluate: " + strconv.Quote(string(b)) + " names no " + typ)
}

// Reason is why a decision was taken: the deciding stage, a short stable
// code, and where in which policy or ACL.
type Reason struct {
	Stage Stage
	// Code says why, from a closed set; it also gives the answer S3
	// sends for the decision (Code.HTTPStatus, Code.S3ErrorCode).
	Code   Code
	Source Source
	// Index is the position of the policy in Context.Identity or
	// Context.Session.
	Index int
	// Sid and Pointer name the deciding statement.
	Sid     string
	Pointer string
	// grant is the index of the deciding ACL grant plus one: the zero
	// Reason names no grant.
	grant int
}

// Grant returns the index of the ACL grant that decided, in the Grants of
// the ACL Source names, and whether a grant decided at all. The zero
// Reason names none.
func (r Reason) Grant() (index int, ok bool) { return r.grant - 1, r.grant > 0 }

// WithGrant returns r naming grant index of its ACL as the decider; a
// negative index names none.
func (r Reason) WithGrant(index int) Reason {
	r.grant = max(index+1, 0)
	return r
}

// String describes the reason on one line: the stage, the code, and the
// policy, statement or grant that decided, as in
// "object: bucket-policy-allows bucket-policy sid=PublicRead /Statement/1"
// or "user: identity-allows identity-policy[2] /Statement/0".
func (r Reason) String() string {
	b := make([]byte, 0, 64)
	b = append(b, r.Stage.String()...)
	b = append(b, ": "...)
	b = append(b, r.Code.String()...)
	return string(appendWhere(b, r.Source, r.Index, r.Sid, r.Pointer, r.grant-1))
}

// appendWhere appends " source[index] sid=Sid pointer grant=N" to b, each
// part only when it names something (grant when it is not negative).
func appendWhere(b []byte, src Source, index int, sid, pointer string, grant int) []byte {
	if src != SourceNone {
		b = append(b, ' ')
		b = append(b, src.String()...)
		if src == SourceIdentity || src == SourceSession {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(index), 10)
			b = append(b, ']')
		}
	}
	if sid != "" {
		b = append(b, " sid="...)
		b = append(b, sid...)
	}
	if pointer != "" {
		b = append(b, ' ')
		b = append(b, pointer...)
	}
	if grant >= 0 {
		b = append(b, " grant="...)
		b = strconv.AppendInt(b, int64(grant), 10)
	}
	return b
}

// Diagnostic explains a decision.
type Diagnostic struct {
	Reason Reason
	// Err is set when evaluation failed; the decision then denies.
	Err error
	// Trace lists every step when the request asked for it.
	Trace []Step
}

// Step is one entry of a trace: a statement or grant considered, or a rule
// applied.
type Step struct {
	Stage   Stage
	Source  Source
	Index   int
	Sid     string
	Pointer string
	// Matched is whether the statement or grant applied to the request.
	Matched bool
	// Note says what was checked, e.g. "Deny statement does not match the action".
	Note string
}

// String describes the step on one line: whether it applied ("=>") or not
// ("  "), the stage, where, and the note, as in
// "   bucket: bucket-policy /Statement/0: conditions do not hold: StringLike s3:prefix: key absent".
// An ACL step names the grant it found in Index.
func (s Step) String() string {
	b := make([]byte, 0, 96)
	if s.Matched {
		b = append(b, "=> "...)
	} else {
		b = append(b, "   "...)
	}
	b = append(b, s.Stage.String()...)
	b = append(b, ':')
	n := len(b)
	grant := -1
	index := s.Index
	if s.Source == SourceBucketACL || s.Source == SourceObjectACL {
		grant, index = s.Index, 0
	}
	b = appendWhere(b, s.Source, index, s.Sid, s.Pointer, grant)
	if s.Note != "" {
		if len(b) > n {
			b = append(b, ':')
		}
		b = append(b, ' ')
		b = append(b, s.Note...)
	}
	return string(b)
}
