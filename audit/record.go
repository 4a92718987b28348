package audit

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/jsontext"
)

// SchemaVersion is the version of the record schema, the "v" member of
// every line. It changes only when a member changes meaning or type.
const SchemaVersion = 1

// Kind is the kind of a line of an audit log.
type Kind uint8

const (
	// KindDecision is one authorization decision.
	KindDecision Kind = iota + 1
	// KindDigest closes a run of records: the chain's head, signed when the
	// writer has a key (see Chain).
	KindDigest
	// KindHeader is the first line of a chained log, its genesis: when the
	// chain began, how often it digests and the key that signs (see Chain).
	KindHeader
)

// String returns "decision", "digest" or "header".
func (k Kind) String() string {
	switch k {
	case KindDecision:
		return "decision"
	case KindDigest:
		return "digest"
	case KindHeader:
		return "header"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Record is one decision as the audit log holds it. Every string a person
// could be named by — the principal's name, the bucket, the object key —
// is already redacted when a Record is built (see Redaction); a Record has
// no member for an IP address, a token or a condition value, so none can
// be written. The JSON names are the schema (see the package doc).
type Record struct {
	// Seq and Prev are the record's place in the chain, set by Chain.Write:
	// its sequence number from 1, and the SHA-256 of the previous line.
	Seq  uint64
	Prev string
	// ID identifies the decision, unique within the Logger's lifetime and
	// across Loggers with high probability.
	ID string
	// Time is when the request was decided, by the evaluator's clock.
	Time time.Time
	// Principal is the caller's ARN with its name redacted;
	// PrincipalType its kind ("user", "assumed-role", "anonymous", ...);
	// Account its account ID.
	Principal     string
	PrincipalType string
	Account       string
	// Action is the S3 action, Operation the S3 API operation when the
	// request mapper produced the request ("" otherwise).
	Action    string
	Operation string
	// Bucket and Key name the resource, redacted.
	Bucket, Key string
	// Product is the DevPay product code, "" for a direct request.
	Product string
	// Decision, Stage and Code say what was decided, where and why.
	Decision evaluate.Decision
	Stage    evaluate.Stage
	Code     evaluate.Code
	// Source, Index, Sid, Pointer and Grant locate the deciding statement or
	// grant; Grant is -1 when no grant decided.
	Source  evaluate.Source
	Index   int
	Sid     string
	Pointer string
	Grant   int
	// Error is the evaluation error on one line, its location and class
	// only: a host's error text may hold anything, so it is not written.
	Error string
	// Bytes is the data the host reports the request moved (GetObject's
	// body), 0 when unknown.
	Bytes int64
	// Canary is set when the bucket or object is a canary record.
	Canary bool
}

// AppendJSON appends the record as one line of JSON (no newline) in the
// schema's member order, omitting empty optional members. It does not
// allocate beyond growing b.
func (r *Record) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, SchemaVersion, 10)
	b = append(b, `,"kind":"decision","seq":`...)
	b = strconv.AppendUint(b, r.Seq, 10)
	b = appendStr(b, "prev", r.Prev)
	b = appendStr(b, "id", r.ID)
	b = append(b, `,"time":"`...)
	b = r.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	b = appendStr(b, "principal", r.Principal)
	b = appendStr(b, "principal_type", r.PrincipalType)
	b = appendStr(b, "account", r.Account)
	b = appendStr(b, "action", r.Action)
	b = appendStr(b, "operation", r.Operation)
	b = appendStr(b, "bucket", r.Bucket)
	b = appendStr(b, "key", r.Key)
	b = appendStr(b, "product", r.Product)
	b = appendStr(b, "decision", r.Decision.String())
	b = appendStr(b, "stage", r.Stage.String())
	b = appendStr(b, "code", r.Code.String())
	if r.Source != evaluate.SourceNone {
		b = appendStr(b, "source", r.Source.String())
		b = append(b, `,"index":`...)
		b = strconv.AppendInt(b, int64(r.Index), 10)
	}
	b = appendStr(b, "sid", r.Sid)
	b = appendStr(b, "pointer", r.Pointer)
	if r.Grant >= 0 {
		b = append(b, `,"grant":`...)
		b = strconv.AppendInt(b, int64(r.Grant), 10)
	}
	b = appendStr(b, "error", r.Error)
	if r.Bytes > 0 {
		b = append(b, `,"bytes":`...)
		b = strconv.AppendInt(b, r.Bytes, 10)
	}
	if r.Canary {
		b = append(b, `,"canary":true`...)
	}
	return append(b, '}')
}

// MarshalJSON implements json.Marshaler with AppendJSON.
func (r Record) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// LogValue implements slog.LogValuer: the record as a group of the
// schema's members, names for the enumerations.
func (r Record) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 20)
	add := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	add("id", r.ID)
	attrs = append(attrs, slog.Time("time", r.Time))
	add("principal", r.Principal)
	add("principal_type", r.PrincipalType)
	add("account", r.Account)
	add("action", r.Action)
	add("operation", r.Operation)
	add("bucket", r.Bucket)
	add("key", r.Key)
	add("product", r.Product)
	add("decision", r.Decision.String())
	add("stage", r.Stage.String())
	add("code", r.Code.String())
	if r.Source != evaluate.SourceNone {
		add("source", r.Source.String())
		attrs = append(attrs, slog.Int("index", r.Index))
	}
	add("sid", r.Sid)
	add("pointer", r.Pointer)
	if r.Grant >= 0 {
		attrs = append(attrs, slog.Int("grant", r.Grant))
	}
	add("error", r.Error)
	if r.Bytes > 0 {
		attrs = append(attrs, slog.Int64("bytes", r.Bytes))
	}
	if r.Canary {
		attrs = append(attrs, slog.Bool("canary", true))
	}
	return slog.GroupValue(attrs...)
}

// appendStr appends `,"name":"value"` with value JSON-escaped, nothing when
// value is empty.
func appendStr(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return jsontext.AppendString(b, value)
}
