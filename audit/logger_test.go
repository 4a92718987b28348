package audit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

var logKey = []byte("a-pseudonymization-key-32-bytes!")

// genEvent builds a decision event with a generated principal name,
// bucket, key and source address, and returns the strings that are PII.
func genEvent(rng *rand.Rand) (*audit.Event, []string) {
	name := fmt.Sprintf("person%04d.%s", rng.IntN(10000), []string{"smith", "garcia", "o'brien", "müller"}[rng.IntN(4)][:5])
	name = strings.NewReplacer("'", "", "ü", "u").Replace(name)
	var arn string
	switch rng.IntN(3) {
	case 0:
		arn = "arn:aws:iam::111122223333:user/staff/" + name
	case 1:
		arn = "arn:aws:sts::111122223333:assumed-role/Reader/" + name + "@example.com"
	default:
		arn = "arn:aws:sts::111122223333:federated-user/" + name
	}
	p := ownership.MustParsePrincipal(arn)
	bucket := fmt.Sprintf("%s-photos-%d", strings.ReplaceAll(strings.ToLower(name), ".", "-"), rng.IntN(100))
	key := fmt.Sprintf("home/%s/tax-return-%d.pdf", name, rng.IntN(1000))
	ip := netip.AddrFrom4([4]byte{byte(rng.IntN(223) + 1), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(254) + 1)}).String()
	keys := &evaluate.Keys{}
	keys.Set("aws:SourceIp", ip)
	keys.Set("aws:UserAgent", "client/"+name)
	req := &evaluate.Request{Principal: p, Action: "s3:GetObject", Bucket: bucket, Key: key, Keys: keys,
		Time: time.Date(2026, 3, 1, 12, 0, rng.IntN(60), 0, time.UTC)}
	ec := &evaluate.Context{Bucket: &ownership.Bucket{Name: bucket, Owner: "111122223333"}}
	diag := &evaluate.Diagnostic{Reason: evaluate.Reason{Stage: evaluate.StageError, Code: evaluate.CodeInvalidRequest},
		Err: fmt.Errorf("no record of bucket %q for %s from %s: %w", bucket, name, ip, evaluate.ErrInvalidRequest)}
	return &audit.Event{Request: req, Context: ec, Decision: evaluate.ImplicitDeny, Diagnostic: diag, Operation: "GetObject"},
		[]string{name, bucket, key, ip, strings.ToLower(name), p.Session(), p.Name()}
}

// TestNoPII logs generated events under every mode and searches the
// output for the principal's name, the bucket, the key and the source
// address: under omit and pseudonymize none may appear, under clear the
// names do (the mode works) but the address never does.
func TestNoPII(t *testing.T) {
	for _, mode := range []audit.Redaction{audit.Omit, audit.Pseudonymize, audit.Clear} {
		t.Run(mode.String(), func(t *testing.T) {
			var out bytes.Buffer
			l, err := audit.New(&out, audit.Options{Redaction: mode, Key: logKey})
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, uint64(mode)))
			for range 300 {
				e, pii := genEvent(rng)
				before := out.Len()
				if _, err := l.Log(e); err != nil {
					t.Fatal(err)
				}
				line := out.String()[before:]
				for i, s := range pii {
					if s == "" {
						continue
					}
					found := strings.Contains(line, s)
					isAddress := i == 3
					switch {
					case found && (mode != audit.Clear || isAddress):
						t.Fatalf("%q reaches the log under %v: %s", s, mode, line)
					case !found && mode == audit.Clear && (i == 1 || i == 2):
						t.Fatalf("clear mode lost %q: %s", s, line)
					}
				}
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			rep, err := audit.Verify(&out, nil)
			if err != nil || !rep.Intact || rep.Records != 300 {
				t.Fatalf("Verify = %+v, %v", rep, err)
			}
		})
	}
}

// TestLoggerRecord checks what a record says of a decision: the deciding
// rule, the time by the evaluator's clock, the canary mark, the error as
// location and class, the IDs unique.
func TestLoggerRecord(t *testing.T) {
	clock := time.Date(2026, 5, 1, 9, 30, 0, 0, time.UTC)
	l, err := audit.New(io.Discard, audit.Options{Redaction: audit.Clear, Now: func() time.Time { return clock.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	alice := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/alice")
	condErr := &evaluate.Error{Stage: evaluate.StageBucket, Source: evaluate.SourceBucketPolicy, Pointer: "/Statement/1", Err: evaluate.ErrCondition}
	tests := []struct {
		name  string
		event audit.Event
		check func(r audit.Record) string
	}{
		{name: "time from the request", event: audit.Event{Request: &evaluate.Request{Principal: alice, Action: "s3:GetObject", Bucket: "b", Key: "k", Time: clock}},
			check: func(r audit.Record) string { return want(r.Time.Equal(clock), "time %v", r.Time) }},
		{name: "time from the context's clock", event: audit.Event{Request: &evaluate.Request{Principal: alice, Action: "s3:GetObject"},
			Context: &evaluate.Context{Now: func() time.Time { return clock.Add(time.Minute) }}},
			check: func(r audit.Record) string { return want(r.Time.Equal(clock.Add(time.Minute)), "time %v", r.Time) }},
		{name: "time from the logger's clock", event: audit.Event{Request: &evaluate.Request{Principal: alice, Action: "s3:GetObject"}},
			check: func(r audit.Record) string { return want(r.Time.Equal(clock.Add(time.Hour)), "time %v", r.Time) }},
		{name: "deciding statement", event: audit.Event{Request: &evaluate.Request{Principal: alice, Action: "s3:GetObject"}, Decision: evaluate.ExplicitDeny,
			Diagnostic: &evaluate.Diagnostic{Reason: evaluate.Reason{Stage: evaluate.StageBucket, Code: evaluate.CodeExplicitDeny, Source: evaluate.SourceBucketPolicy, Sid: "NoTLS", Pointer: "/Statement/2"}}},
			check: func(r audit.Record) string {
				return want(r.Decision == evaluate.ExplicitDeny && r.Code == evaluate.CodeExplicitDeny && r.Sid == "NoTLS" && r.Pointer == "/Statement/2" && r.Grant == -1,
					"%+v", r)
			}},
		{name: "canary object", event: audit.Event{Request: &evaluate.Request{Principal: alice, Action: "s3:GetObject"},
			Context: &evaluate.Context{Object: &ownership.Object{Canary: true}}},
			check: func(r audit.Record) string { return want(r.Canary, "canary not set") }},
		{name: "condition error: location and class only", event: audit.Event{Request: &evaluate.Request{Principal: alice, Action: "s3:GetObject"},
			Diagnostic: &evaluate.Diagnostic{Err: condErr}},
			check: func(r audit.Record) string {
				return want(r.Error == "bucket bucket-policy[0] /Statement/1: condition could not be evaluated", "error %q", r.Error)
			}},
		{name: "timed-out lookup", event: audit.Event{Request: &evaluate.Request{Principal: alice, Action: "s3:GetObject"},
			Diagnostic: &evaluate.Diagnostic{Err: fmt.Errorf("directory at 10.0.0.7: %w", context.DeadlineExceeded)}},
			check: func(r audit.Record) string { return want(r.Error == "lookup timed out", "error %q", r.Error) }},
		{name: "a host's error text is not written", event: audit.Event{Request: &evaluate.Request{Principal: alice, Action: "s3:GetObject"},
			Diagnostic: &evaluate.Diagnostic{Err: errors.New("user alice@example.com unknown")}},
			check: func(r audit.Record) string { return want(r.Error == "lookup failed", "error %q", r.Error) }},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := l.Log(&tt.event)
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.check(r); msg != "" {
				t.Error(msg)
			}
			if r.ID == "" || seen[r.ID] {
				t.Errorf("ID %q empty or repeated", r.ID)
			}
			seen[r.ID] = true
		})
	}
}

func want(ok bool, format string, args ...any) string {
	if ok {
		return ""
	}
	return fmt.Sprintf(format, args...)
}

// TestLoggerFeedsMonitor checks that every logged record reaches the
// monitor with the real caller, so an alarm can lock the caller out.
func TestLoggerFeedsMonitor(t *testing.T) {
	var lockout audit.LockoutSet
	mon, err := audit.NewMonitor(audit.MonitorOptions{
		Denials: audit.Threshold{Count: 3, Window: time.Minute},
		OnAlarm: func(a audit.Alarm) { lockout.Disable(a.Principal) },
	})
	if err != nil {
		t.Fatal(err)
	}
	l, err := audit.New(io.Discard, audit.Options{Redaction: audit.Pseudonymize, Key: logKey, Monitor: mon})
	if err != nil {
		t.Fatal(err)
	}
	mallory := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/mallory")
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		if lockout.Disabled(mallory) {
			t.Fatalf("locked out after %d denials", i)
		}
		l.Log(&audit.Event{Request: &evaluate.Request{Principal: mallory, Action: "s3:GetObject", Bucket: "b", Key: "k", Time: start.Add(time.Duration(i) * time.Second)},
			Decision: evaluate.ImplicitDeny})
	}
	if !lockout.Disabled(mallory) {
		t.Error("not locked out after 3 denials in a minute")
	}
}

// BenchmarkLog measures building, redacting and writing one record to
// io.Discard (the chain's hashing included, I/O excluded).
func BenchmarkLog(b *testing.B) {
	for _, mode := range []audit.Redaction{audit.Omit, audit.Pseudonymize} {
		b.Run(mode.String(), func(b *testing.B) {
			l, err := audit.New(io.Discard, audit.Options{Redaction: mode, Key: logKey})
			if err != nil {
				b.Fatal(err)
			}
			e, _ := genEvent(rand.New(rand.NewPCG(1, 2)))
			e.Diagnostic = &evaluate.Diagnostic{Reason: evaluate.Reason{Stage: evaluate.StageObject, Code: evaluate.CodeBucketPolicyAllows, Source: evaluate.SourceBucketPolicy, Sid: "Read", Pointer: "/Statement/0"}}
			e.Decision = evaluate.Allow
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Log(e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
