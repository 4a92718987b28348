package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/s3authz/s3authz/internal/reqcase"
	"github.com/s3authz/s3authz/s3request"
)

// repeated collects a flag given several times (-H).
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ", ") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// mappedCheck and mappedOp are the JSON forms map -json prints.
type mappedCheck struct {
	Action    string              `json:"action"`
	Bucket    string              `json:"bucket"`
	Key       string              `json:"key,omitempty"`
	VersionID string              `json:"versionId,omitempty"`
	Keys      map[string][]string `json:"keys"`
}

type mappedOp struct {
	Operation string        `json:"operation,omitempty"`
	Style     string        `json:"style,omitempty"`
	Partition string        `json:"partition,omitempty"`
	AuthType  string        `json:"authType,omitempty"`
	Checks    []mappedCheck `json:"checks,omitempty"`
	Advisory  []mappedCheck `json:"advisory,omitempty"`
	Error     string        `json:"error,omitempty"`
	Class     string        `json:"class,omitempty"`
	Status    int           `json:"status,omitempty"`
	S3Code    string        `json:"s3Code,omitempty"`
}

func runMap(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("map", "[-json] [-X METHOD] [-H 'Name: value']... [-d BODY] [-remote IP:PORT] URL",
		`Maps one S3 REST request to its operation and the authorization checks
it needs: each check's action, bucket, key, version and the condition keys
the request supplies for that action. The URL's host is the Host header;
its path and query are used exactly as written. The service endpoints are
AWS's and s3.example.com; a host that is neither names a bucket (CNAME).

Exit status: 0 when the request maps, 1 when the mapper refuses it (the
error class and S3's answer are printed), 2 on usage errors.`, stderr)
	jsonOut := fs.Bool("json", false, "print the operation as one JSON document")
	method := fs.String("X", "GET", "the HTTP method")
	var headers repeated
	fs.Var(&headers, "H", "a request header, 'Name: value' (repeatable)")
	body := fs.String("d", "", "the request body")
	remote := fs.String("remote", "", "the socket peer, ip:port (aws:SourceIp); none when empty")
	tlsVersion := fs.String("tls-version", "", "the TLS version of an https URL (s3:TlsVersion)")
	at := fs.String("time", "", "when the request was received, RFC 3339 (time keys, signature age)")
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	url := fs.Arg(0)
	r, err := reqcase.BuildRequest(*method, url, strings.HasPrefix(url, "https://"))
	if err != nil {
		fmt.Fprintln(stderr, "s3authz map:", err)
		return exitUsage
	}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			fmt.Fprintf(stderr, "s3authz map: header %q: want 'Name: value'\n", h)
			return exitUsage
		}
		r.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if r.TLS {
		r.TLSVersion = *tlsVersion
	}
	r.RemoteAddr = *remote
	if *body != "" {
		r.Body = []byte(*body)
	}
	if *at != "" {
		if r.Now, err = time.Parse(time.RFC3339Nano, *at); err != nil {
			fmt.Fprintln(stderr, "s3authz map: -time:", err)
			return exitUsage
		}
	}
	op, err := reqcase.Mapper().Map(r)
	out := describeOperation(op, err)
	if *jsonOut {
		newEncoder(stdout).Encode(out)
	} else {
		printOperation(stdout, out)
	}
	if err != nil {
		return exitFindings
	}
	return exitOK
}

// describeOperation turns the mapper's answer into its printed form.
func describeOperation(op *s3request.Operation, err error) mappedOp {
	var e *s3request.Error
	if errors.As(err, &e) {
		return mappedOp{Error: err.Error(), Class: e.Class.Error(), Status: e.HTTPStatus(), S3Code: e.S3ErrorCode()}
	}
	out := mappedOp{Operation: op.Name, Style: op.Style.String(), Partition: op.Partition, AuthType: op.Auth.Type.String()}
	conv := func(cs []s3request.Check) []mappedCheck {
		var mc []mappedCheck
		for _, c := range cs {
			keys := map[string][]string{}
			for _, k := range c.Keys {
				keys[k.Name] = k.Values
			}
			mc = append(mc, mappedCheck{Action: c.Action, Bucket: c.Bucket, Key: c.Key, VersionID: c.VersionID, Keys: keys})
		}
		return mc
	}
	out.Checks, out.Advisory = conv(op.Checks), conv(op.Advisory())
	return out
}

// printOperation writes the readable form: the operation, then each check
// with its keys, then the advisory checks.
func printOperation(w io.Writer, op mappedOp) {
	if op.Error != "" {
		fmt.Fprintf(w, "refused: %s\nS3 answers %d %s\n", op.Error, op.Status, op.S3Code)
		return
	}
	auth := op.AuthType
	if auth == "" {
		auth = "anonymous"
	}
	fmt.Fprintf(w, "%s (%s style, partition %s, %s)\n", op.Operation, op.Style, op.Partition, auth)
	print := func(title string, cs []mappedCheck) {
		for _, c := range cs {
			res := c.Bucket
			if c.Key != "" {
				res += "/" + c.Key
			}
			if res == "" {
				res = "*"
			}
			if c.VersionID != "" {
				res += " (version " + c.VersionID + ")"
			}
			fmt.Fprintf(w, "%s%s on %s\n", title, c.Action, res)
			for _, name := range sortedKeys(c.Keys) {
				fmt.Fprintf(w, "    %s = %s\n", name, strings.Join(quoteAll(c.Keys[name]), ", "))
			}
		}
	}
	print("  check ", op.Checks)
	print("  advisory ", op.Advisory)
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func quoteAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}
