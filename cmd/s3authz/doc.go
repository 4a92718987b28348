// Command s3authz checks S3 authorization material with the s3authz
// library: it runs conformance files, lints bucket and identity policies,
// and explains single decisions.
//
// Usage:
//
//	go run ./cmd/s3authz <command> [flags] [arguments]
//
// Every command takes -h, and -json for JSON output. "s3authz -h" and
// "s3authz help" list the commands; "s3authz help COMMAND" describes one.
//
// # test
//
//	s3authz test [-json] PATH...
//
// Runs conformance files: files as named, folders searched recursively for
// *.json and *.jsonl files (others, such as Markdown, are ignored). The kind
// of a file comes from its extension and shape:
//
//   - a .json file whose top-level value is an object is a scenario
//     (package scenario, conformance FORMAT.md); its requests are
//     run, each printed as one JSON line,
//     {"scenario":"NAME","request":0,"decision":"allow","expect":"allow","ok":true,"reason":"…"};
//     a request without expectation is printed, not counted;
//   - a .json file whose top-level value is an array is an access-review
//     corpus, and a .jsonl file whose lines carry kind and policy is a
//     policy validation corpus (ANALYSIS-FORMAT.md); a .jsonl file whose
//     lines carry method, url and expect holds request-mapping cases
//     (requests/FORMAT.md). These are not run yet: each such file is
//     reported as skipped, with its number of cases (configurations or
//     lines), and those cases are counted as skipped, never as failures.
//
// The last line is "N passed, M failed", followed by ", K skipped" when
// cases were skipped. K counts cases, not files; M counts failed requests
// and files that cannot be loaded (the load error goes to stderr, or is a
// JSON line {"file":…,"error":…,"ok":false} with -json). Without -json a
// failed request also gets a readable FAILED line; with -json only JSON
// lines and the summary are printed, skipped files as
// {"file":"…","skipped":"request-mapping cases are not run yet","cases":N}.
//
// # lint
//
//	s3authz lint [-json] [-kind bucket|identity] FILE...
//
// Parses each file with policy.Parse, which checks everything
// evaluate.Prepare would, and prints a valid policy's kind and statement
// count, or every problem (up to policy.MaxErrors a file) as
//
//	FILE:LINE:COL: POINTER: MESSAGE
//
// where LINE and COL (counting bytes, from 1) locate the error's byte
// offset and POINTER is its RFC 6901 JSON pointer ("" for the whole
// document). Without -kind, a policy with a statement naming Principal or
// NotPrincipal is a bucket policy and any other an identity policy; the
// file name plays no part. -json prints one object per file, with the
// problems' line, col, offset, pointer and message.
//
// # explain
//
//	s3authz explain [-json] SCENARIO REQUEST-INDEX
//
// Evaluates one request of a scenario file (the index counts from 0 in the
// file's requests array) with tracing on, and prints the decision, the
// expectation, the deciding rule, the file's "why", and the full trace:
// every statement and grant considered, "=>" marking those that applied.
// -json prints the same as one JSON document with a "trace" array.
//
// # Exit status
//
//	0  everything passed, every policy is valid, the decision meets its expectation
//	1  findings or failures: a failed request, a scenario file that does
//	   not load (test), a policy with problems (lint), a decision that does
//	   not meet its expectation (explain)
//	2  usage or input errors: unknown command or flag, missing arguments,
//	   an unreadable path or file, no conformance case found (test), a
//	   scenario that does not load or an index out of range (explain)
package main
