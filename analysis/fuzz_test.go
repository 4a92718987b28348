package analysis

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/s3authz/s3authz/policy"
)

// FuzzValidate holds Validate to its guarantees on any bytes: no panic,
// the same report twice, findings sorted, every location within the
// document with a well-formed pointer.
func FuzzValidate(f *testing.F) {
	seeds := []string{
		``, `{}`, `[]`, `"x"`, `{"Version":"2012-10-17","Statement":[]}`,
		`{"Version": "2012-10-17" "Statement": []}`,
		`{"Statement":{"Effect":"Allow","Effect":"Deny","Action":[],"Resource":"arn:aws:s3:::b/${aws:username"}}`,
		`{"Statement":[{"Sid":"","Effect":"Allow","Principal":{"AWS":["*"],"Service":"x"},"Action":"s3:Get*","Resource":"*","Condition":{"StringEquals":{"a~/b":["*",1,true]},"IpAddress":{"aws:SourceIp":["10.0.0.1/8","1.2.3.4"]}}}]}`,
		"{\"a\":\"\\ud800\"}",
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
	}
	if fh, err := os.Open(conformancePath); err == nil {
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			var c struct {
				Kind   string          `json:"kind"`
				Policy json.RawMessage `json:"policy"`
			}
			if json.Unmarshal(sc.Bytes(), &c) == nil {
				f.Add([]byte(c.Policy), c.Kind == "identity")
			}
		}
		fh.Close()
	}
	f.Fuzz(func(t *testing.T, doc []byte, identity bool) {
		kind := policy.Bucket
		if identity {
			kind = policy.Identity
		}
		o := ValidateOptions{Bucket: "amzn-s3-demo-bucket", Owner: "111122223333"}
		rep, err := Validate(kind, doc, o)
		rep2, err2 := Validate(kind, doc, o)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("errors differ: %v, %v", err, err2)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(rep.Findings, rep2.Findings) || errString(rep.ParseErr) != errString(rep2.ParseErr) {
			t.Fatal("two runs differ")
		}
		checkReport(t, doc, rep)
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkReport checks the invariants of a report on doc.
func checkReport(t *testing.T, doc []byte, rep *Report) {
	t.Helper()
	for i, f := range rep.Findings {
		if len(f.Locations) == 0 || f.Code == "" || f.Message == "" || f.Learn == "" || f.Type < Error || f.Type > Suggestion {
			t.Fatalf("finding %d incomplete: %+v", i, f)
		}
		if i > 0 {
			p, c := rep.Findings[i-1], f
			if p.Locations[0].Start > c.Locations[0].Start ||
				p.Locations[0].Start == c.Locations[0].Start && p.Code > c.Code {
				t.Fatalf("findings %d and %d out of order", i-1, i)
			}
		}
		for _, l := range f.Locations {
			if l.Start < 0 || l.Start > l.End || l.End > len(doc) {
				t.Fatalf("%s: span [%d,%d) outside the document (%d bytes)", f.Code, l.Start, l.End, len(doc))
			}
			if !wellFormedPointer(l.Pointer) {
				t.Fatalf("%s: malformed pointer %q", f.Code, l.Pointer)
			}
			line := 1 + bytes.Count(doc[:l.Start], []byte{'\n'})
			col := l.Start - (bytes.LastIndexByte(doc[:l.Start], '\n') + 1)
			if l.Line != line || l.Col != col {
				t.Fatalf("%s: line %d col %d, want %d %d", f.Code, l.Line, l.Col, line, col)
			}
		}
	}
	if rep.ParseErr != nil && len(rep.Findings) == 0 && !tooDeep(rep.ParseErr) {
		t.Fatalf("Parse refuses the document (%v) and no finding says so", rep.ParseErr)
	}
}

func tooDeep(err error) bool {
	return err != nil && (errorsIs(err, policy.ErrLimit))
}

// wellFormedPointer reports whether p is "" or an RFC 6901 pointer.
func wellFormedPointer(p string) bool {
	if p == "" {
		return true
	}
	if p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 >= len(p) || p[i+1] != '0' && p[i+1] != '1') {
			return false
		}
	}
	return true
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
