package s3request

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

// Store is the host's record of what one check needs: the bucket and
// object records, the bucket's prepared policy, the ACLs, the caller's
// prepared identity policies, boundary and session policies, and the
// account's Block Public Access.
type Store interface {
	// Lookup returns the evaluate.Context of check c of op, made by
	// principal. The middleware asks once per check, in order (a
	// DeleteObjects of 1,000 keys asks 1,000 times), and stops at the first
	// check denied. c.Bucket, c.Key and c.VersionID name the records: the
	// Context's Bucket must be nil for s3:ListAllMyBuckets and for a
	// s3:CreateBucket of a bucket that does not exist, and its Object nil
	// for an object that does not exist (a new PutObject). An error denies
	// the request with 500 InternalError; ctx is the request's.
	Lookup(ctx context.Context, op *Operation, c *Check, principal ownership.Principal) (evaluate.Context, error)
}

// Identity is the host's authentication: it returns the caller of r. This
// package verifies no signature; an Identity that does returns the
// principal the request is signed as, and ownership.Anonymous() for an
// unsigned request. An error (a signature that does not verify, an
// unknown access key) denies the request with 403 AccessDenied.
type Identity func(r *http.Request) (ownership.Principal, error)

// Middleware authorizes S3 REST requests before the handler that serves
// them. For each request it reads the Request (FromHTTP with Options),
// maps it, identifies the caller, and evaluates every required check of the
// operation against what Store returns for it. The first check that is not
// allowed ends the request with S3's XML error for the evaluator's reason
// code (Code.HTTPStatus, Code.S3ErrorCode, Code.S3ErrorMessage); only a
// request whose checks are all allowed reaches the next handler, whose
// request context then carries the operation and the decisions
// (FromContext). Advisory checks are not evaluated; they change what a
// response shows, which is the next handler's business. A DeleteObjects
// runs only if every key it names may be deleted, where S3 deletes the
// allowed keys and lists the others as AccessDenied in its result; a host
// that wants S3's answer maps and evaluates the keys itself.
//
// It fails closed: a mapping error is answered as S3 answers it
// (Error.HTTPStatus, Error.S3ErrorCode); a body that cannot be read with
// 400 IncompleteBody; an Identity error with 403 AccessDenied; a Store
// error, an invalid principal, or a Middleware missing its Mapper, Store or
// Identify with 500 InternalError. None reaches the next handler.
//
// Every error response has an x-amz-request-id header and, but for HEAD
// requests, an S3 XML error body:
//
//	<?xml version="1.0" encoding="UTF-8"?>
//	<Error><Code>AccessDenied</Code><Message>Access Denied</Message><Resource>/bucket/key</Resource><RequestId>4F1A2B3C4D5E6F70</RequestId></Error>
//
// The request ID is the X-Amz-Request-Id response header when a handler in
// front has set it, otherwise 16 random hexadecimal digits. Resource is the
// bucket and key of the operation, or the request's path when mapping
// failed. A Middleware is safe for concurrent use once set up; do not
// change its fields while it serves.
type Middleware struct {
	// Mapper maps requests; it says which hosts are endpoints.
	Mapper *Mapper
	// Store looks up what each check needs.
	Store Store
	// Identify authenticates the caller.
	Identify Identity
	// Options say how requests are read (trusted proxies, body limit,
	// clock).
	Options HTTPOptions
	// Complete, when set, fills what the mapper cannot know into the
	// evaluate.Request of each check before it is evaluated: the caller's
	// tags (PrincipalTags), the DevPay product its tokens name (Product),
	// and the ACL or policy a write would store (ACL, Policy) for Block
	// Public Access. It runs after Store.Lookup, with the check's index in
	// op.Checks; it must not keep req or read req.Keys after it returns.
	// An error denies the request with 403 AccessDenied: a DevPay token
	// that names no product the host knows, say.
	Complete func(r *http.Request, op *Operation, i int, req *evaluate.Request) error
	// OnDecision, when set, is called after each check is evaluated, with
	// the check's index in op.Checks, for logging and metrics; diag is
	// valid only during the call. It must not write to the response.
	OnDecision func(r *http.Request, op *Operation, i int, d evaluate.Decision, diag *evaluate.Diagnostic)
	// Audit, when set, logs every decision the middleware takes, with the
	// operation's name (and feeds the Logger's Monitor). A denied check is
	// logged before the error is written. The checks of an allowed request
	// are logged after the next handler returns, the first with the bytes
	// it wrote to the response (the data retrieved), so that the monitor
	// sees retrieval volume. A denial whose record cannot be written is
	// still a denial; for an allowed request the response is already
	// written, and the error goes to AuditError.
	Audit *audit.Logger
	// AuditError receives errors writing the audit log of allowed
	// requests; nil drops them. The host should treat one as an incident:
	// the Data Protection Policy asks that every access be logged.
	AuditError func(error)
}

// ctxKey keys the authorization result in a request context.
type ctxKey struct{}

// authorized is the context of an allowed request: its parent, and the
// operation and decisions it carries under ctxKey. It is a context of its
// own, rather than one made by context.WithValue, to save an allocation.
type authorized struct {
	context.Context
	op        *Operation
	decisions []evaluate.Decision
	buf       [4]evaluate.Decision
}

// Value returns a itself for ctxKey, and asks the parent for any other key.
func (a *authorized) Value(key any) any {
	if _, ok := key.(ctxKey); ok {
		return a
	}
	return a.Context.Value(key)
}

// FromContext returns the operation and the decisions of its checks (one
// per op.Checks, all Allow) that the middleware stored in the context of a
// request it let through, and false for any other context.
func FromContext(ctx context.Context) (*Operation, []evaluate.Decision, bool) {
	a, ok := ctx.Value(ctxKey{}).(*authorized)
	if !ok || a == nil {
		return nil, nil, false
	}
	return a.op, a.decisions, true
}

// keysPool holds the Keys requests reuse: one per request, for all its
// checks in turn.
var keysPool = sync.Pool{New: func() any { return new(evaluate.Keys) }}

// Wrap returns a handler that authorizes each request and passes the
// allowed ones to next.
func (m *Middleware) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.serve(w, r, next)
	})
}

func (m *Middleware) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if m.Mapper == nil || m.Store == nil || m.Identify == nil || next == nil {
		writeError(w, r, http.StatusInternalServerError, "InternalError", internalMessage, requestPath(r))
		return
	}
	req, err := FromHTTP(r, m.Options)
	if err != nil {
		writeMappingError(w, r, err, requestPath(r))
		return
	}
	op, err := m.Mapper.Map(req)
	if err != nil {
		writeMappingError(w, r, err, requestPath(r))
		return
	}
	principal, err := m.Identify(r)
	if err != nil {
		writeError(w, r, http.StatusForbidden, "AccessDenied", "Access Denied", op.Resource())
		return
	}
	if !principal.IsValid() {
		writeError(w, r, http.StatusInternalServerError, "InternalError", internalMessage, op.Resource())
		return
	}
	ctx := r.Context()
	a := &authorized{Context: ctx, op: op}
	a.decisions = a.buf[:0]
	keys := keysPool.Get().(*evaluate.Keys)
	defer func() {
		keys.Reset()
		keysPool.Put(keys)
	}()
	var logged []audit.Event // the allowed checks, logged once served
	for i := range op.Checks {
		ec, err := m.Store.Lookup(ctx, op, &op.Checks[i], principal)
		if err != nil {
			writeError(w, r, http.StatusInternalServerError, "InternalError", internalMessage, op.Resource())
			return
		}
		req := op.EvaluateRequest(i, principal, keys)
		if m.Complete != nil {
			if err := m.Complete(r, op, i, &req); err != nil {
				writeError(w, r, http.StatusForbidden, "AccessDenied", "Access Denied", op.Resource())
				return
			}
		}
		d, diag := evaluate.EvaluateContext(ctx, req, ec)
		if m.OnDecision != nil {
			// A copy, so that diag itself stays off the heap when nobody
			// asks for it.
			dg := diag
			m.OnDecision(r, op, i, d, &dg)
		}
		if m.Audit != nil {
			req.Keys = nil // the logger reads no condition key; keys is reused
			e := audit.Event{Request: &req, Context: &ec, Decision: d, Diagnostic: &diag, Operation: op.Name}
			if d != evaluate.Allow {
				m.Audit.Log(&e) // the request is denied whatever the log says
			} else {
				logged = append(logged, e)
			}
		}
		if d != evaluate.Allow {
			code := diag.Reason.Code
			status, s3code, msg := code.HTTPStatus(), code.S3ErrorCode(), code.S3ErrorMessage()
			if status < 400 || s3code == "" {
				// A deny never answers as a success.
				status, s3code, msg = http.StatusForbidden, "AccessDenied", "Access Denied"
			}
			writeError(w, r, status, s3code, msg, op.Resource())
			return
		}
		a.decisions = append(a.decisions, d)
	}
	if len(a.decisions) == 0 {
		// Map never returns an operation without checks; should one come,
		// nothing allowed it.
		writeError(w, r, http.StatusForbidden, "AccessDenied", "Access Denied", op.Resource())
		return
	}
	if m.Audit == nil {
		next.ServeHTTP(w, r.WithContext(a))
		return
	}
	cw := &countingWriter{ResponseWriter: w}
	next.ServeHTTP(cw, r.WithContext(a))
	for i := range logged {
		if i == 0 {
			logged[i].Bytes = cw.n
		}
		if _, err := m.Audit.Log(&logged[i]); err != nil && m.AuditError != nil {
			m.AuditError(err)
		}
	}
}

// countingWriter counts the body bytes a handler writes.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

// Write writes b to the response and counts the bytes written.
func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

// Unwrap gives http.ResponseController the writer underneath.
func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

const internalMessage = "We encountered an internal error. Please try again."

// writeMappingError answers an error of FromHTTP or Map: an *Error as S3
// answers its class, any other (an unreadable body) 400 IncompleteBody.
func writeMappingError(w http.ResponseWriter, r *http.Request, err error, res string) {
	var e *Error
	if !errors.As(err, &e) {
		writeError(w, r, http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", res)
		return
	}
	status, msg := e.HTTPStatus(), e.Reason
	if status >= 500 {
		msg = internalMessage
	}
	writeError(w, r, status, e.S3ErrorCode(), cut(msg, 256), res)
}

// Resource is the Resource element of an S3 error document about the
// operation: "/bucket/key", "/bucket", or "/" for an operation on no
// bucket.
func (op *Operation) Resource() string {
	switch {
	case op.Bucket == "":
		return "/"
	case op.Key == "":
		return "/" + op.Bucket
	}
	return "/" + op.Bucket + "/" + op.Key
}

// requestPath is the Resource of an error about a request that did not
// map: its path as sent, at most 1,100 bytes.
func requestPath(r *http.Request) string {
	p, _, _ := strings.Cut(target(r), "?")
	return cut(p, 1100)
}

// writeError writes S3's error response: the status, x-amz-request-id,
// and, but for HEAD, the XML error document.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message, res string) {
	h := w.Header()
	id := h.Get("X-Amz-Request-Id")
	if id == "" {
		id = newRequestID()
		h.Set("X-Amz-Request-Id", id)
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	var b strings.Builder
	b.Grow(160 + len(res))
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>")
	escape(&b, code)
	b.WriteString("</Code><Message>")
	escape(&b, message)
	b.WriteString("</Message><Resource>")
	escape(&b, res)
	b.WriteString("</Resource><RequestId>")
	escape(&b, id)
	b.WriteString("</RequestId></Error>")
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, b.String())
}

// escape writes s as XML character data.
func escape(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s))
}

// newRequestID returns 16 random upper-case hexadecimal digits, as S3's
// request IDs are.
func newRequestID() string {
	var raw [8]byte
	_, _ = rand.Read(raw[:]) // never fails (crypto/rand)
	var out [16]byte
	hex.Encode(out[:], raw[:])
	return strings.ToUpper(string(out[:]))
}
