package audit_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
)

// TestRecordJSON pins the schema: member names, order and omission, the
// enumerations as names, and JSON escaping of every string.
func TestRecordJSON(t *testing.T) {
	r := audit.Record{
		Seq: 7, Prev: "ab", ID: "id-1", Time: time.Date(2026, 3, 1, 12, 0, 0, 5, time.FixedZone("x", 3600)),
		Principal: "arn:aws:iam::111122223333:user/h:00", PrincipalType: "User", Account: "111122223333",
		Action: "s3:GetObject", Operation: "GetObject", Bucket: "photos", Key: "a\"b\n\x01\xff\u2028",
		Decision: evaluate.ExplicitDeny, Stage: evaluate.StageBucket, Code: evaluate.CodeExplicitDeny,
		Source: evaluate.SourceBucketPolicy, Index: 0, Sid: "DenyAll", Pointer: "/Statement/0", Grant: -1,
		Bytes: 10, Canary: true,
	}
	want := `{"v":1,"kind":"decision","seq":7,"prev":"ab","id":"id-1","time":"2026-03-01T11:00:00.000000005Z",` +
		`"principal":"arn:aws:iam::111122223333:user/h:00","principal_type":"User","account":"111122223333",` +
		`"action":"s3:GetObject","operation":"GetObject","bucket":"photos","key":"a\"b\n\u0001\ufffd\u2028",` +
		`"decision":"explicit-deny","stage":"bucket","code":"explicit-deny","source":"bucket-policy","index":0,` +
		`"sid":"DenyAll","pointer":"/Statement/0","bytes":10,"canary":true}`
	got := string(r.AppendJSON(nil))
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Error("not valid JSON")
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(got), &m); err != nil || m["key"] != "a\"b\n\x01\ufffd\u2028" {
		t.Errorf("key decodes to %q (%v)", m["key"], err)
	}
	min := audit.Record{Grant: 2}
	if got := string(min.AppendJSON(nil)); got != `{"v":1,"kind":"decision","seq":0,"time":"0001-01-01T00:00:00Z","decision":"implicit-deny","stage":"none","code":"none","grant":2}` {
		t.Errorf("minimal record: %s", got)
	}
}

// TestRecordSlog checks that slog prints names, not numbers.
func TestRecordSlog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("decision", "record", audit.Record{Action: "s3:GetObject", Decision: evaluate.Allow, Stage: evaluate.StageObject, Grant: -1})
	out := buf.String()
	for _, want := range []string{`"decision":"allow"`, `"stage":"object"`, `"action":"s3:GetObject"`} {
		if !strings.Contains(out, want) {
			t.Errorf("slog output lacks %s: %s", want, out)
		}
	}
}

// TestRecordTime checks the record's time: RFC 3339 in UTC with the
// fraction's trailing zeros dropped, for instants with every length of
// fraction, in several zones and years.
func TestRecordTime(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("east", 5*3600+1800), time.FixedZone("west", -8*3600)}
	for _, ns := range []int{0, 1, 10, 120, 999999999, 500000000, 123456789, 100} {
		for _, year := range []int{1, 999, 1970, 2026, 9999, 10000, -5} {
			for _, z := range zones {
				tm := time.Date(year, 12, 31, 23, 59, 58, ns, z)
				r := audit.Record{Time: tm, Grant: -1}
				line := string(r.AppendJSON(nil))
				want := `"time":"` + tm.UTC().Format(time.RFC3339Nano) + `"`
				if !strings.Contains(line, want) {
					t.Errorf("%v: %s lacks %s", tm, line, want)
				}
			}
		}
	}
}
