// Package audit turns authorization decisions into the security log, the
// alarms and the account lockout that the Data Protection Policy asks of
// anyone holding Amazon information (§2.6 Logging and Monitoring, §1.2
// Access Management).
//
//	mon, _ := audit.NewMonitor(audit.MonitorOptions{OnAlarm: func(a audit.Alarm) {
//		lockout.Disable(a.Principal) // then investigate: a.Record says what happened
//	}})
//	log, _ := audit.New(file, audit.Options{Redaction: audit.Pseudonymize, Key: key, Monitor: mon})
//	d, diag := evaluate.Evaluate(req, ec) // with ec.Lockout = &lockout
//	log.Log(&audit.Event{Request: &req, Context: &ec, Decision: d, Diagnostic: &diag})
//
// A Logger builds a Record of each decision, writes it as one line of JSON
// to a Chain, and gives it to its Monitor. s3request.Middleware does this
// for every check of every S3 request when given a Logger.
//
// # The record schema (version 1)
//
// One JSON object per line, members in this order, empty optional members
// left out:
//
//	v               number  schema version, 1
//	kind            string  "decision" (the chain adds "header" and "digest" lines)
//	seq             number  position in the log, from 1 (the header is 0)
//	prev            string  SHA-256 of the previous line, 64 hex digits
//	id              string  decision ID, unique per Logger: random prefix, "-", counter in hex
//	time            string  when it was decided, RFC 3339 UTC with nanoseconds, by the
//	                        evaluator's clock (the request's time, else the context's clock)
//	principal       string  the caller: ARN with the name redacted, "anonymous", or a service
//	principal_type  string  aws:PrincipalType: "Account", "User", "AssumedRole", ...
//	account         string  the caller's account ID
//	action          string  the S3 action, "s3:GetObject"
//	operation       string  the S3 API operation, when a request mapper produced the request
//	bucket, key     string  the resource, redacted
//	product         string  the DevPay product code
//	decision        string  "allow", "explicit-deny" or "implicit-deny"
//	stage, code     string  where and why (evaluate.Stage, evaluate.Code names)
//	source, index           the deciding policy: "bucket-policy", "identity-policy" and its
//	                        index, ...; absent when no policy or ACL decided
//	sid, pointer    string  the deciding statement's Sid and JSON pointer
//	grant           number  the deciding ACL grant's index
//	error           string  the evaluation error: its location and class only
//	bytes           number  the data the request moved, as the host counted it
//	canary          bool    the resource is a canary record
//
// Record.LogValue gives the same members to log/slog.
//
// # No personal information, by construction
//
// The policy says logs "must not contain PII", and names IP addresses,
// names and e-mail addresses as PII. So: a Record has no member for an IP
// address, a token, a header or a condition value, and the Logger never
// reads them; the strings that can name a person — the principal's name
// (user, role session, federated user), the bucket and the object key —
// are written only through the host's Redaction: Omit (left out),
// Pseudonymize (keyed HMAC-SHA-256: one person's events correlate, nobody
// without the key can tell whose they are), or Clear, for a host that must
// keep them by law, which the policy allows ("unless the PII is necessary
// to meet legal requirements") and forbids otherwise. An evaluation error
// is written as its location and class: its text may quote a bucket, a
// key or a host's message. Sids and JSON pointers are written as they are:
// they are the policy author's labels, not data about anyone. The account
// ID is written: it identifies an AWS account, not a person.
//
// # Tamper evidence
//
// A Chain (see its documentation for the exact format) links every line
// to the one before by SHA-256 and closes each run of records with a
// digest, signed with Ed25519 when the host gives a key. Verify, and the
// command "s3authz audit verify", report the first line altered, removed,
// moved, or where the log was cut short. Retention (the policy asks for 90
// days at least) and access control on the files are the host's.
//
// # Monitoring and lockout
//
// A Monitor watches the decisions for the policy's "suspicious actions":
// repeated denials, request rate and data retrieval volume per principal,
// and any access to a canary record (ownership.Bucket.Canary,
// ownership.Object.Canary), each with a documented window and threshold
// (see MonitorOptions), in bounded memory. An Alarm carries the real
// caller, to act on, and the redacted record, to log. A LockoutSet is a
// set of disabled callers for evaluate.Context.Lockout, which evaluate
// consults before anything else.
//
// # Guarantees
//
// Logger, Chain, Monitor, LockoutSet and Redactor are safe for concurrent
// use; a Record is a value. The zero LockoutSet is an empty set; the zero
// Redaction is Omit. A line is at most MaxLineBytes. Nothing in the
// package starts a goroutine.
package audit
