// Package reqcase reads the request-mapping cases of
// conformance/requests/FORMAT.md and compares a mapper's answer with a
// case's expectation. The command's test runner and the package tests
// share it.
package reqcase

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/s3authz/s3authz/internal/jsontext"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/s3authz/s3authz/s3request"
)

// Case is one line of a request-mapping file
// (conformance/requests/FORMAT.md).
type Case struct {
	Name       string                     `json:"name"`
	Method     string                     `json:"method"`
	URL        string                     `json:"url"`
	Headers    map[string]json.RawMessage `json:"headers"`
	TLS        bool                       `json:"tls"`
	TLSVersion string                     `json:"tlsVersion"`
	RemoteAddr string                     `json:"remoteAddr"`
	Time       string                     `json:"time"`
	Body       *string                    `json:"body"`
	Form       json.RawMessage            `json:"form"`
	Expect     struct {
		Checks []ExpectCheck `json:"checks"`
		Error  string        `json:"error"`
	} `json:"expect"`
	Source string `json:"source"`
}

// ExpectCheck is a check a case expects.
type ExpectCheck struct {
	Action    string              `json:"action"`
	Bucket    string              `json:"bucket"`
	Key       string              `json:"key"`
	VersionID string              `json:"versionId"`
	Keys      map[string][]string `json:"keys"`
	Absent    []string            `json:"absent"`
}

// Map builds the case's request and maps it with m. An error that is not
// an *s3request.Error is a fault of the case itself.
func (c *Case) Map(m *s3request.Mapper) (*s3request.Operation, error) {
	r, err := c.request()
	if err != nil {
		return nil, err
	}
	return m.Map(r)
}

// request builds the case's request as the format says.
func (c *Case) request() (*s3request.Request, error) {
	r, err := BuildRequest(c.Method, c.URL, c.TLS)
	if err != nil {
		return nil, err
	}
	r.TLSVersion, r.RemoteAddr = c.TLSVersion, c.RemoteAddr
	for name, raw := range c.Headers {
		var one string
		var many []string
		switch {
		case json.Unmarshal(raw, &one) == nil:
			r.Header.Add(name, one)
		case json.Unmarshal(raw, &many) == nil:
			for _, v := range many {
				r.Header.Add(name, v)
			}
		default:
			return nil, fmt.Errorf("header %q is neither a string nor an array of strings", name)
		}
	}
	if c.Time != "" {
		if r.Now, err = time.Parse(time.RFC3339Nano, c.Time); err != nil {
			return nil, err
		}
	}
	if c.Body != nil {
		r.Body = []byte(*c.Body)
	}
	if c.Form != nil {
		body, ctype, err := formBody(c.Form)
		if err != nil {
			return nil, err
		}
		r.Body = body
		r.Header.Set("Content-Type", ctype)
	}
	return r, nil
}

// BuildRequest splits a URL into Host and request target by hand, so that
// the path and query stay exactly as written.
func BuildRequest(method, rawURL string, tls bool) (*s3request.Request, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return nil, fmt.Errorf("url %q: want http:// or https://", rawURL)
	}
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	target := rest[end:]
	switch {
	case target == "":
		target = "/"
	case target[0] == '?':
		target = "/" + target
	}
	return &s3request.Request{Method: method, Host: rest[:end], Target: target, Header: http.Header{}, TLS: tls}, nil
}

// formBody writes a browser upload's multipart body: the fields in the
// order given, then a file part.
func formBody(raw json.RawMessage) ([]byte, string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, "", errors.New("form: want an object")
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, "", err
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return nil, "", fmt.Errorf("form field %v: %w", tok, err)
		}
		if err := w.WriteField(tok.(string), v); err != nil {
			return nil, "", err
		}
	}
	fw, err := w.CreateFormFile("file", "upload.bin")
	if err != nil {
		return nil, "", err
	}
	fw.Write([]byte("x"))
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// Compare returns the first difference between the mapper's answer and the
// case's expectation, "" when they agree (FORMAT.md "Comparison").
func (c *Case) Compare(op *s3request.Operation, err error) string {
	if c.Expect.Error != "" {
		var e *s3request.Error
		switch {
		case err == nil:
			return fmt.Sprintf("want error %s, got %s with %d checks", c.Expect.Error, op.Name, len(op.Checks))
		case !errors.As(err, &e):
			return "want error " + c.Expect.Error + ", got " + err.Error()
		case e.Class.Error() != c.Expect.Error:
			return fmt.Sprintf("want error %s, got %s (%v)", c.Expect.Error, e.Class, err)
		}
		return ""
	}
	if err != nil {
		return "want checks, got " + err.Error()
	}
	if len(op.Checks) != len(c.Expect.Checks) {
		return fmt.Sprintf("want %d checks, got %d: %s", len(c.Expect.Checks), len(op.Checks), describeChecks(op.Checks))
	}
	used := make([]bool, len(op.Checks))
	for _, want := range c.Expect.Checks {
		firstDiff := ""
		found := false
		for i := range op.Checks {
			got := &op.Checks[i]
			if used[i] || !strings.EqualFold(got.Action, want.Action) || got.Bucket != want.Bucket || got.Key != want.Key || got.VersionID != want.VersionID {
				continue
			}
			if d := keysDiff(got, want); d != "" {
				if firstDiff == "" {
					firstDiff = d
				}
				continue
			}
			used[i], found = true, true
			break
		}
		if !found {
			id := fmt.Sprintf("%s %s/%s", want.Action, want.Bucket, want.Key)
			if want.VersionID != "" {
				id += "@" + want.VersionID
			}
			if firstDiff != "" {
				return id + ": " + firstDiff
			}
			return "no check " + id + " among " + describeChecks(op.Checks)
		}
	}
	return ""
}

// keysDiff compares the keys a check must carry and must not.
func keysDiff(got *s3request.Check, want ExpectCheck) string {
	names := make([]string, 0, len(want.Keys))
	for name := range want.Keys {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		vals, ok := got.Get(name)
		if !ok {
			return "key " + name + " absent"
		}
		if !sameSet(vals, want.Keys[name]) {
			return fmt.Sprintf("key %s = %q, want %q", name, vals, want.Keys[name])
		}
	}
	for _, name := range want.Absent {
		if vals, ok := got.Get(name); ok {
			return fmt.Sprintf("key %s = %q, want absent", name, vals)
		}
	}
	return ""
}

// sameSet reports whether a and b hold the same strings, as sets.
func sameSet(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}

// describeChecks lists checks briefly, for a failure message.
func describeChecks(cs []s3request.Check) string {
	var parts []string
	for _, c := range cs {
		s := c.Action + " " + c.Bucket + "/" + c.Key
		if c.VersionID != "" {
			s += "@" + c.VersionID
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Parse reads one line of a request-mapping file; unknown members are an
// error, so a misspelt field cannot silently drop an expectation.
func Parse(line []byte) (*Case, error) {
	var c Case
	if err := jsontext.DecodeStrict(line, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Run maps the case with m and returns the first difference from its
// expectation ("" when it meets it), the mapper's error if any, and an
// error when the case itself cannot be built.
func (c *Case) Run(m *s3request.Mapper) (diff string, mapErr, caseErr error) {
	op, err := c.Map(m)
	if err != nil && !errors.As(err, new(*s3request.Error)) {
		return "", nil, err
	}
	return c.Compare(op, err), err, nil
}

// MapInto runs the case as Run does, mapping into op (which MapInto
// reuses) instead of a new Operation; it returns the first difference, or
// an error when the case cannot be built.
func (c *Case) MapInto(m *s3request.Mapper, op *s3request.Operation) (string, error) {
	r, err := c.request()
	if err != nil {
		return "", err
	}
	if err := m.MapInto(op, r); err != nil {
		return c.Compare(nil, err), nil
	}
	return c.Compare(op, nil), nil
}

// Mapper returns the mapper configuration the format prescribes: the AWS
// endpoint forms plus s3.example.com, CNAME addressing on.
func Mapper() *s3request.Mapper {
	m, err := s3request.New(s3request.Config{Endpoints: []string{"s3.example.com"}})
	if err != nil {
		panic(err) // a constant, valid configuration
	}
	return m
}
