// Command s3authz checks S3 authorization material with the s3authz
// library: it runs conformance files, lints bucket and identity policies,
// reviews who can reach buckets, checks them against the Data Protection
// Policy, compares policies for new access, explains single decisions, maps
// S3 REST requests to their checks, and verifies tamper-evident audit logs.
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
//	s3authz test [-json] [-audit FILE [-redact MODE] [-redact-key-file FILE]] PATH...
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
//   - a .jsonl file whose lines carry method, url and expect holds
//     request-mapping cases (requests/FORMAT.md); each is mapped by package
//     s3request, configured as the format says, and printed as
//     {"file":"…","case":"NAME","ok":true}, with "error" when the mapper
//     refused the request and "diff", the first difference from the
//     expectation, when the case fails;
//   - a .jsonl file whose lines carry kind and policy is a policy
//     validation corpus (ANALYSIS-FORMAT.md §1); each case's policy is
//     validated by package analysis and printed like a request-mapping
//     case, with "diff" naming the first expected finding missing or the
//     first unwanted one;
//   - a .json file whose top-level value is an array is an access-review
//     corpus (ANALYSIS-FORMAT.md §2): each configuration loads as a
//     scenario whose requests must pass, and the access review and Data
//     Protection Policy profile of its target must meet its expectations;
//     it is printed as {"file":"…","case":"NAME","ok":true,"missing":[],
//     "unexpected":[]}, with "error" when it cannot be run.
//
// The last line is "N passed, M failed". M counts failed cases
// and files that cannot be loaded (the load error goes to stderr, or is a
// JSON line {"file":…,"error":…,"ok":false} with -json). Without -json a
// failed request also gets a readable FAILED line; with -json only JSON
// lines and the summary are printed.
//
// With -audit, every decision the run takes is also written to FILE as a
// chained audit log (package audit) that "s3authz audit verify" checks:
// names, buckets and keys redacted as -redact says (omit, pseudonymize —
// the default — or clear), pseudonyms keyed by the contents of
// -redact-key-file (at least 16 bytes; without the flag a random key is
// used and the run says so on stderr).
//
// # lint
//
//	s3authz lint [-json] [-kind bucket|identity] [-fail-on TYPES] [-ignore CODES] FILE...
//
// Validates each file with package analysis — Access Analyzer's checks and
// the S3_ checks beyond them, on any document, including one policy.Parse
// refuses — and prints every finding, in document order, as
//
//	FILE:LINE:COL: TYPE CODE message
//
// where LINE and COL (counting bytes, from 1) locate the start of the
// element the finding is about, TYPE is ERROR, SECURITY_WARNING, WARNING or
// SUGGESTION, and CODE the issue code; a file without findings prints
// "FILE: KIND policy, no findings". Without -kind, a policy with a
// statement naming Principal or NotPrincipal is a bucket policy and any
// other an identity policy; the file name plays no part. -fail-on lists
// the types that fail the run (default ERROR,SECURITY_WARNING); -ignore
// drops findings by CODE, or by SID.CODE in the statement with that Sid.
// -json prints one object per file: its kind, its findings (type, code,
// message, line, col, byte span, pointer, Sid), the number failing, and
// policy.Parse's error when the file does not load.
//
// # access
//
//	s3authz access [-json | -aa] SCENARIO [BUCKET]
//
// Reviews who outside the bucket owner's account can reach BUCKET, or every
// bucket of the scenario file in name order (package analysis, Review):
// one finding per principal of each Allow statement of the bucket policy
// and per grant of the bucket and object ACLs, with Deny statements, Block
// Public Access and Object Ownership applied. Each finding prints as
//
//	FILE:LINE:COL: BUCKET: PRINCIPAL ACTIONS on RESOURCES via SOURCE [public] [blocked by FLAG] [if KEYS]
//
// (LINE:COL, from 1, where the statement or the ACL behind it sits in the
// scenario file) followed by one summary line per bucket (public or not, and through
// which findings; the policy's status; whether ACLs are enabled; the
// effective Block Public Access) and the report's notes. -json prints one
// report per line in the shape of ANALYSIS-FORMAT.md's expectAccess; -aa
// one line per bucket with its findings in IAM Access Analyzer's finding
// fields (analysis.AccessReport.AccessAnalyzer). The
// exit status is 1 when some bucket is public in effect.
//
// # dpp
//
//	s3authz dpp [-json] [-fail-on TYPES] SCENARIO [BUCKET]
//
// Checks BUCKET of a scenario file, or every bucket in name order, against
// the Data Protection Policy profile (analysis.Profile, seed
// 001_dfb217a7b7b3dbe5): public access in effect, Block Public Access not
// fully on, ACLs enabled, wildcard principals, full access for other
// accounts, and proofs that the bucket policy denies plain HTTP, TLS below
// 1.2 and uploads without an accepted server-side encryption. Each finding
// prints as
//
//	FILE:LINE:COL: TYPE CODE BUCKET: message (DPP §SECTION)
//
// at the first statement or ACL grant behind it in the scenario file, the
// bucket policy for what the policy lacks, or the bucket for its
// settings, followed by its evidence — statement pointers, ACL grants,
// settings — one per indented line; a bucket without findings prints
// "FILE:LINE:COL: BUCKET: meets the profile". -fail-on lists the types that fail the run (default
// SECURITY_WARNING). -json prints one object per bucket:
// {"scenario","file","bucket","seed","findings":[{"code","type","section","message","evidence","sources"}],"failing"},
// with "error" when the bucket cannot be checked.
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
// # map
//
//	s3authz map [-json] [-X METHOD] [-H 'Name: value']... [-d BODY] [-remote IP:PORT] [-tls-version V] [-time RFC3339] URL
//
// Maps one S3 REST request with package s3request and prints its operation,
// its addressing style, partition and signature type, then each check —
// action, resource, version — with the condition keys the request supplies
// for that action, and the advisory checks. The URL's host is the Host
// header and its path and query are used exactly as written; an https URL
// is a TLS request. The endpoints are AWS's and s3.example.com, CNAME
// addressing on. A refused request prints the error class and S3's answer
// (status and code) and exits 1. -json prints one JSON document.
//
// # audit verify
//
//	s3authz audit verify [-json] [-pubkey FILE] FILE...
//
// Verifies audit logs that audit.Chain wrote (package audit describes the
// chain format), each read as a stream, and prints, for each file, that it
// is intact,
//
//	FILE: intact: 3 records, 2 digests, signed with the given key
//
// or its first problem,
//
//	FILE:LINE: PROBLEM: DETAIL
//
// where PROBLEM is altered, removed, reordered, truncated, bad-signature or
// malformed and LINE counts from 1 (for a log that ends without its final
// digest, it is the line after the last). -pubkey names a file holding the
// Ed25519 public key that signs the logs, in standard base64 on one line —
// the 44 characters a log's header holds in its "key" member — and every
// log must then be signed with it. Without -pubkey, a signed log is checked
// against the key its own header names and an unsigned one for consistency
// only: that shows the log was not damaged, not who wrote it, and the
// intact line says so. -json prints one object per file:
// {"file","intact","records","digests","logs","signed","key","trusted_key"},
// with "line", "problem" and "detail" when it is not intact, or "error"
// when it cannot be read.
//
// # diff
//
//	s3authz diff [-json] [-kind bucket|identity] [-max-cells N] OLD NEW
//	s3authz diff -not-granted [-actions A,B] [-resources R,S] [-json] [-kind K] POLICY
//	s3authz diff -config [-json] [-max-cells N] OLD.json NEW.json BUCKET
//
// Compares two policy files of one kind with analysis.NoNewAccess and
// prints PASS (every request NEW allows is allowed by OLD: a proof), FAIL
// with the witness request on one line and the statements of NEW that
// grant it, or UNKNOWN with the reasons; with -not-granted, checks POLICY
// with analysis.AccessNotGranted against the listed actions and resources.
// With -config, OLD.json and NEW.json are scenario files and BUCKET's whole
// configuration is compared with analysis.NoNewConfigAccess: PASS when no
// principal outside the bucket owner's account can make a request in NEW
// that OLD refuses, FAIL with a witness request replayed in both scenarios'
// configurations, UNKNOWN with the reasons (a bucket missing from either
// file is UNKNOWN). -json prints one document {"old","new" or "policy",
// "bucket" (with -config),"kind" ("configuration" with -config),"verdict",
// "reasons","witness"}. Exit status 0 PASS, 1 FAIL, 3 UNKNOWN, 2 for usage
// errors and files that cannot be read or parsed (the message names the
// file and the parser's error).
//
// # Exit status
//
//	0  everything passed, every policy is valid, the decision meets its expectation
//	1  findings or failures: a failed request or case, a scenario file that
//	   does not load (test), a finding of a failing type (lint, dpp), a
//	   decision that does not meet its expectation (explain), a request the
//	   mapper refuses (map), a log that is not intact (audit verify)
//	2  usage or input errors: unknown command or flag, missing arguments,
//	   an unreadable path or file, no conformance case found (test), a
//	   scenario that does not load or an index out of range (explain), an
//	   unknown bucket or one the profile cannot check (dpp), a log or key
//	   file that cannot be read (audit verify)
//	3  the analysis could not decide (diff)
package main
