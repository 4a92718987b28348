package audit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/s3authz/s3authz/evaluate"
)

// Options configures a Logger.
type Options struct {
	// Redaction and Key say how names are written (see Redaction); Key is
	// needed for Pseudonymize.
	Redaction Redaction
	Key       []byte
	// Chain configures the chained writer: digest interval, signing key.
	Chain ChainOptions
	// Monitor, when set, observes every record the Logger writes.
	Monitor *Monitor
	// Now dates a decision whose request has no time and whose context has
	// no clock; nil means time.Now.
	Now func() time.Time
}

// Logger writes every decision it is given as a chained, redacted record,
// and feeds its Monitor. It is safe for concurrent use.
type Logger struct {
	red      *Redactor
	chain    *Chain
	mon      *Monitor
	now      func() time.Time
	idPrefix [16]byte // hex of 8 random bytes
	n        atomic.Uint64
}

// New returns a Logger writing to w.
func New(w io.Writer, o Options) (*Logger, error) {
	red, err := NewRedactor(o.Redaction, o.Key)
	if err != nil {
		return nil, err
	}
	chain, err := NewChain(w, o.Chain)
	if err != nil {
		return nil, err
	}
	l := &Logger{red: red, chain: chain, mon: o.Monitor, now: o.Now}
	if l.now == nil {
		l.now = time.Now
	}
	var seed [8]byte
	if _, err := rand.Read(seed[:]); err != nil {
		return nil, err
	}
	hex.Encode(l.idPrefix[:], seed[:])
	return l, nil
}

// Event is one decision to log: the request and context it was decided
// on, and what Evaluate returned.
type Event struct {
	Request    *evaluate.Request
	Context    *evaluate.Context
	Decision   evaluate.Decision
	Diagnostic *evaluate.Diagnostic
	// Operation is the S3 API operation when a request mapper produced the
	// request, "" otherwise.
	Operation string
	// Bytes is the data the request moved, as the host counted it.
	Bytes int64
}

// Record builds the redacted record of an event without writing it: Seq
// and Prev are left for the chain.
func (l *Logger) Record(e *Event) Record {
	req := e.Request
	r := Record{
		ID:            l.nextID(),
		Time:          l.time(e),
		Principal:     l.red.Principal(req.Principal),
		PrincipalType: principalType(req),
		Account:       string(req.Principal.Account()),
		Action:        req.Action,
		Operation:     e.Operation,
		Bucket:        l.red.Text(req.Bucket),
		Key:           l.red.Text(req.Key),
		Product:       string(req.Product),
		Decision:      e.Decision,
		Bytes:         e.Bytes,
		Grant:         -1,
	}
	if d := e.Diagnostic; d != nil {
		r.Stage, r.Code, r.Source, r.Index, r.Sid, r.Pointer = d.Reason.Stage, d.Reason.Code, d.Reason.Source, d.Reason.Index, d.Reason.Sid, d.Reason.Pointer
		if g, ok := d.Reason.Grant(); ok {
			r.Grant = g
		}
		r.Error = errorLine(d.Err)
	}
	if ec := e.Context; ec != nil {
		r.Canary = ec.Bucket != nil && ec.Bucket.Canary || ec.Object != nil && ec.Object.Canary
	}
	return r
}

// Log builds the event's record, writes it to the chain, and gives it to
// the Monitor. It returns the record as written.
func (l *Logger) Log(e *Event) (Record, error) {
	r := l.Record(e)
	if err := l.chain.Write(&r); err != nil {
		return r, err
	}
	if l.mon != nil {
		l.mon.Observe(e.Request.Principal, &r)
	}
	return r, nil
}

// Close writes the chain's final digest. The Logger writes nothing after.
func (l *Logger) Close() error { return l.chain.Close() }

// nextID returns the next decision ID: the Logger's random prefix and a
// counter, "3f9c0a1b2c3d4e5f-1a".
func (l *Logger) nextID() string {
	var b [16 + 1 + 16]byte
	n := copy(b[:], l.idPrefix[:])
	b[n] = '-'
	return string(strconv.AppendUint(b[:n+1], l.n.Add(1), 16))
}

// time is the evaluator's clock: the request's time, else the context's
// clock, else the Logger's.
func (l *Logger) time(e *Event) time.Time {
	switch {
	case !e.Request.Time.IsZero():
		return e.Request.Time
	case e.Context != nil && e.Context.Now != nil:
		return e.Context.Now()
	}
	return l.now()
}

func principalType(req *evaluate.Request) string {
	if v, ok := req.Principal.ConditionKey("aws:PrincipalType"); ok {
		return v
	}
	if req.Principal.IsAnonymous() {
		return "Anonymous"
	}
	return ""
}

// errorLine writes an evaluation error as its location and class. The
// error's own text is not written: it may quote the request (a bucket or
// key) or a host's error, which may hold anything.
func errorLine(err error) string {
	if err == nil {
		return ""
	}
	var class string
	switch {
	case errors.Is(err, evaluate.ErrInvalidRequest):
		class = "invalid request"
	case errors.Is(err, evaluate.ErrInvalidRecord):
		class = "invalid record"
	case errors.Is(err, evaluate.ErrCondition):
		class = "condition could not be evaluated"
	case errors.Is(err, context.Canceled):
		class = "lookup cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		class = "lookup timed out"
	default:
		class = "lookup failed"
	}
	var e *evaluate.Error
	if !errors.As(err, &e) {
		return class
	}
	b := make([]byte, 0, 64)
	b = append(b, e.Stage.String()...)
	if e.Source != evaluate.SourceNone {
		b = append(b, ' ')
		b = append(b, e.Source.String()...)
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(e.Index), 10)
		b = append(b, ']')
	}
	if e.Pointer != "" {
		b = append(b, ' ')
		b = append(b, e.Pointer...)
	}
	b = append(b, ": "...)
	b = append(b, class...)
	return string(b)
}
