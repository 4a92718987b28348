package policy_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/policy"
)

// allSentinels are the errors every parse error must wrap one of.
var allSentinels = []error{
	policy.ErrSyntax, policy.ErrTooLarge, policy.ErrLimit, policy.ErrType, policy.ErrDuplicateKey,
	policy.ErrUnknownElement, policy.ErrMissingElement, policy.ErrConflict, policy.ErrInvalidValue,
	policy.ErrInvalidPrincipal, policy.ErrInvalidAction, policy.ErrInvalidResource,
	policy.ErrInvalidCondition, policy.ErrInvalidVariable,
}

// checkErrorShape fails unless err is a *SyntaxError or *Error, or a join of
// them, each wrapping a sentinel and located inside the input.
func checkErrorShape(t *testing.T, err error, inputLen int) {
	t.Helper()
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs := joined.Unwrap()
		if len(errs) < 2 || len(errs) > policy.MaxErrors {
			t.Fatalf("joined error with %d parts", len(errs))
		}
		prev := -1
		for _, e := range errs {
			checkErrorShape(t, e, inputLen)
			pe, ok := e.(*policy.Error)
			if !ok {
				t.Fatalf("joined part %T is not *policy.Error", e)
			}
			if pe.Offset < prev {
				t.Fatalf("joined errors out of offset order: %v", err)
			}
			prev = pe.Offset
		}
		return
	}
	switch e := err.(type) {
	case *policy.SyntaxError:
		if e.Offset < 0 || e.Offset > int64(inputLen) {
			t.Fatalf("syntax error offset %d outside input of %d bytes", e.Offset, inputLen)
		}
	case *policy.Error:
		if e.Offset < 0 || e.Offset > inputLen {
			t.Fatalf("error offset %d outside input of %d bytes: %v", e.Offset, inputLen, e)
		}
		if e.Pointer != "" && !strings.HasPrefix(e.Pointer, "/") {
			t.Fatalf("pointer %q is not an RFC 6901 pointer", e.Pointer)
		}
	default:
		t.Fatalf("error of type %T: %v", err, err)
	}
	n := 0
	for _, s := range allSentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("error wraps %d sentinels, want 1: %v", n, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
		for _, file := range files {
			if strings.HasSuffix(file, ".golden.json") {
				continue
			}
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			kind := uint8(policy.Bucket)
			if strings.HasPrefix(filepath.Base(file), "identity-") {
				kind = uint8(policy.Identity)
			}
			f.Add(kind, data)
		}
	}
	f.Add(uint8(policy.Identity), []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username, 'x'}/${*}"}}`))
	f.Add(uint8(policy.Bucket), []byte(`{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["111122223333"]},"NotAction":"s3:Get*","NotResource":"arn:aws:s3:::b"}]}`))
	f.Fuzz(func(t *testing.T, kindByte uint8, data []byte) {
		kind := policy.Bucket
		if kindByte%2 == 1 {
			kind = policy.Identity
		}
		p, err := policy.Parse(kind, data)
		p2, err2 := policy.Parse(kind, data)
		if err != nil {
			if p != nil {
				t.Fatal("a policy returned with an error")
			}
			checkErrorShape(t, err, len(data))
			if err2 == nil || err.Error() != err2.Error() {
				t.Fatalf("parse is not deterministic: %v then %v", err, err2)
			}
			return
		}
		if err2 != nil || !p.Equal(p2) {
			t.Fatal("parse is not deterministic")
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("a policy Parse returned does not validate: %v\ninput: %q", err, data)
		}
		// gjson must not be more lenient than the standard library.
		if !json.Valid(data) {
			t.Fatalf("accepted input that encoding/json rejects: %q", data)
		}
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(out) {
			t.Fatalf("MarshalJSON wrote invalid JSON: %s", out)
		}
		// Lists become arrays, so the canonical form may be a little larger.
		q, err := policy.Parser{MaxBytes: 1 << 20, MaxValues: 1 << 20}.Parse(kind, out)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\ninput: %q\ncanonical: %s", err, data, out)
		}
		if !p.Equal(q) {
			t.Fatalf("round trip changed the policy\ninput: %q\ncanonical: %s", data, out)
		}
		again, _ := q.MarshalJSON()
		if string(again) != string(out) {
			t.Fatalf("canonical form is not a fixed point:\n%s\n%s", out, again)
		}
	})
}
