package audit_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/golden"
	"github.com/s3authz/s3authz/internal/testcost"
)

// testKey signs the test logs; otherKey is someone else's.
var (
	testKey  = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	otherKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	testPub  = testKey.Public().(ed25519.PublicKey)
)

// clock returns a Now that starts at a fixed time and ticks a second a
// call, so that logs are the same on every run.
func clock() func() time.Time {
	t := time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

// record returns the i-th decision of a typical workload, every member set.
func record(i int) *audit.Record {
	return &audit.Record{
		ID:            fmt.Sprintf("d-%08d", i),
		Time:          time.Date(2026, 12, 6, 20, 0, 0, i*1000, time.UTC),
		Principal:     "arn:aws:iam::111122223333:user/h:5f1e4b8a2c9d7e6f0a1b2c3d4e5f6a7b",
		PrincipalType: "user",
		Account:       "111122223333",
		Action:        "s3:GetObject",
		Operation:     "GetObject",
		Bucket:        "h:0a1b2c3d4e5f60718293a4b5c6d7e8f9",
		Key:           "h:f9e8d7c6b5a4938271605f4e3d2c1b0a",
		Decision:      evaluate.Allow,
		Stage:         evaluate.StageObject,
		Code:          evaluate.CodeBucketPolicyAllows,
		Source:        evaluate.SourceBucketPolicy,
		Sid:           "PublicRead",
		Pointer:       "/Statement/0",
		Grant:         -1,
		Bytes:         int64(4096 + i),
	}
}

// writeLog writes n records through a Chain with o (its Now set to a
// clock when nil) and closes it.
func writeLog(t testing.TB, n int, o audit.ChainOptions) []byte {
	t.Helper()
	if o.Now == nil {
		o.Now = clock()
	}
	var buf bytes.Buffer
	c, err := audit.NewChain(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := c.Write(record(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// lines splits a log into its lines, each without its newline.
func lines(log []byte) [][]byte {
	return bytes.Split(bytes.TrimSuffix(log, []byte("\n")), []byte("\n"))
}

func TestNewChainOptions(t *testing.T) {
	tests := []struct {
		name    string
		w       io.Writer
		opts    audit.ChainOptions
		wantErr string
	}{
		{name: "zero options", w: io.Discard},
		{name: "signed", w: io.Discard, opts: audit.ChainOptions{SigningKey: testKey, DigestEvery: 5}},
		{name: "an empty key is no key", w: io.Discard, opts: audit.ChainOptions{SigningKey: ed25519.PrivateKey{}}},
		{name: "negative DigestEvery", w: io.Discard, opts: audit.ChainOptions{DigestEvery: -1}, wantErr: "DigestEvery is -1"},
		{name: "a seed is not a key", w: io.Discard, opts: audit.ChainOptions{SigningKey: ed25519.PrivateKey(testKey.Seed())}, wantErr: "SigningKey is 32 bytes"},
		{name: "a key whose public half is another's", w: io.Discard,
			opts:    audit.ChainOptions{SigningKey: append(append(ed25519.PrivateKey(nil), testKey.Seed()...), otherKey[32:]...)},
			wantErr: "public half does not match"},
		{name: "nil writer", w: nil, wantErr: "nil writer"},
		{name: "the writer fails", w: failAfter(0), wantErr: "chain broken at seq 0: disk full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := audit.NewChain(tc.w, tc.opts)
			if tc.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("NewChain: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("NewChain error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// failingWriter accepts n bytes, then fails every Write.
type failingWriter struct{ n int }

func failAfter(n int) *failingWriter { return &failingWriter{n} }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestChainGolden pins the format: a small log, signed and unsigned, byte
// for byte (go test -update rewrites the files after a deliberate change).
func TestChainGolden(t *testing.T) {
	tests := []struct {
		name string
		opts audit.ChainOptions
	}{
		{name: "signed", opts: audit.ChainOptions{DigestEvery: 2, SigningKey: testKey}},
		{name: "unsigned", opts: audit.ChainOptions{DigestEvery: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log := writeLog(t, 3, tc.opts)
			golden.Check(t, filepath.Join("testdata", "chain", tc.name+".log"), log)
		})
	}
}

// TestChainLines checks every line of logs against the format: seq
// numbering, prev hashes, where the digests are and what they count.
func TestChainLines(t *testing.T) {
	tests := []struct {
		name     string
		records  int
		every    int
		key      ed25519.PrivateKey
		wantKind string // the kinds of the lines in order: h, r(ecord), d(igest), f(inal)
	}{
		{name: "no records", records: 0, every: 3, wantKind: "hf"},
		{name: "fewer than a digest's worth", records: 2, every: 3, wantKind: "hrrf"},
		{name: "exactly a digest's worth: the final counts none", records: 3, every: 3, wantKind: "hrrrdf"},
		{name: "signed, two digests and a remainder", records: 7, every: 3, key: testKey, wantKind: "hrrrdrrrdrf"},
		{name: "a digest after every record", records: 3, every: 1, key: testKey, wantKind: "hrdrdrdf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log := writeLog(t, tc.records, audit.ChainOptions{DigestEvery: tc.every, SigningKey: tc.key})
			ls := lines(log)
			var kinds strings.Builder
			var prev, head [sha256.Size]byte
			sinceDigest := 0
			for i, l := range ls {
				var m struct {
					V        int     `json:"v"`
					Kind     string  `json:"kind"`
					Seq      *uint64 `json:"seq"`
					Prev     string  `json:"prev"`
					Count    int     `json:"count"`
					Head     string  `json:"head"`
					Final    bool    `json:"final"`
					FirstSeq uint64  `json:"first_seq"`
					LastSeq  uint64  `json:"last_seq"`
					Sig      string  `json:"sig"`
					Sum      string  `json:"sum"`
					Key      string  `json:"key"`
				}
				if err := json.Unmarshal(l, &m); err != nil {
					t.Fatalf("line %d: %v: %s", i+1, err, l)
				}
				if m.V != 1 || m.Seq == nil || *m.Seq != uint64(i) {
					t.Errorf("line %d: v %d seq %v, want v 1 seq %d", i+1, m.V, m.Seq, i)
				}
				if i > 0 && m.Prev != hex.EncodeToString(prev[:]) {
					t.Errorf("line %d: prev %s is not the hash of line %d", i+1, m.Prev, i)
				}
				switch m.Kind {
				case "header":
					kinds.WriteByte('h')
					head = sha256.Sum256(l)
					if (m.Key != "") != (tc.key != nil) {
						t.Errorf("header key %q with signing key %v", m.Key, tc.key != nil)
					}
				case "decision":
					kinds.WriteByte('r')
					head = sha256.Sum256(l)
					sinceDigest++
				case "digest":
					if m.Final {
						kinds.WriteByte('f')
					} else {
						kinds.WriteByte('d')
					}
					if m.Count != sinceDigest || m.Head != hex.EncodeToString(head[:]) {
						t.Errorf("line %d: count %d head %s, want %d and the last decision's hash", i+1, m.Count, m.Head, sinceDigest)
					}
					if m.Count > 0 && (m.FirstSeq != uint64(i-m.Count) || m.LastSeq != uint64(i-1)) {
						t.Errorf("line %d: first_seq %d last_seq %d, want %d and %d", i+1, m.FirstSeq, m.LastSeq, i-m.Count, i-1)
					}
					if (m.Sig != "") != (tc.key != nil) || (m.Sum != "") != (tc.key == nil) {
						t.Errorf("line %d: sig %q sum %q with signing key %v", i+1, m.Sig, m.Sum, tc.key != nil)
					}
					sinceDigest = 0
				default:
					t.Errorf("line %d: kind %q", i+1, m.Kind)
				}
				prev = sha256.Sum256(l)
			}
			if got := kinds.String(); got != tc.wantKind {
				t.Errorf("kinds of lines %s, want %s\n%s", got, tc.wantKind, log)
			}
		})
	}
}

// TestChainSetsSeqAndPrev checks that Write fills in the record's place in
// the chain, as written.
func TestChainSetsSeqAndPrev(t *testing.T) {
	var buf bytes.Buffer
	c, err := audit.NewChain(&buf, audit.ChainOptions{DigestEvery: 2, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	wantSeq := []uint64{1, 2, 4, 5, 7}
	for i, want := range wantSeq {
		before := lines(buf.Bytes())
		r := record(i)
		if err := c.Write(r); err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(before[len(before)-1])
		if r.Seq != want || r.Prev != hex.EncodeToString(h[:]) {
			t.Errorf("record %d: Seq %d Prev %s, want %d and the hash of the line before", i, r.Seq, r.Prev, want)
		}
		after := lines(buf.Bytes())
		if got := after[len(before)]; !bytes.Equal(got, r.AppendJSON(nil)) {
			t.Errorf("record %d written as\n%s\nwant\n%s", i, got, r.AppendJSON(nil))
		}
	}
}

// writeRecorder keeps each Write call's bytes.
type writeRecorder struct {
	mu    sync.Mutex
	calls [][]byte
}

func (w *writeRecorder) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, append([]byte(nil), p...))
	return len(p), nil
}

// TestChainOneWritePerLine checks that every line reaches the writer in
// one call, so that O_APPEND writers never interleave half lines.
func TestChainOneWritePerLine(t *testing.T) {
	w := &writeRecorder{}
	c, err := audit.NewChain(w, audit.ChainOptions{DigestEvery: 2, SigningKey: testKey, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := c.Write(record(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if len(w.calls) != 9 { // header, 5 records, 2 digests, final
		t.Errorf("%d Write calls, want 9", len(w.calls))
	}
	for i, p := range w.calls {
		if bytes.IndexByte(p, '\n') != len(p)-1 {
			t.Errorf("call %d is not one whole line: %q", i, p)
		}
	}
}

// TestChainConcurrent writes from many goroutines at once: every record
// gets its own seq, and the log verifies.
func TestChainConcurrent(t *testing.T) {
	const goroutines, each, every = 16, 100, 7
	var buf bytes.Buffer
	c, err := audit.NewChain(&buf, audit.ChainOptions{DigestEvery: every, SigningKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	seqs := make(chan uint64, goroutines*each)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := record(g*each + i)
				if err := c.Write(r); err != nil {
					t.Error(err)
					return
				}
				seqs <- r.Seq
			}
		}()
	}
	wg.Wait()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	close(seqs)
	seen := map[uint64]bool{}
	for s := range seqs {
		if seen[s] {
			t.Errorf("seq %d given twice", s)
		}
		seen[s] = true
	}
	rep, err := audit.Verify(bytes.NewReader(buf.Bytes()), testPub)
	if err != nil {
		t.Fatal(err)
	}
	want := audit.Report{Records: goroutines * each, Digests: goroutines*each/every + 1, Logs: 1, Signed: true, Key: testPub, Intact: true}
	if !equalReports(rep, want) {
		t.Errorf("Verify = %+v, want %+v", rep, want)
	}
}

// TestChainClose checks that Close writes the final digest and closes.
func TestChainClose(t *testing.T) {
	var buf bytes.Buffer
	c, err := audit.NewChain(&buf, audit.ChainOptions{DigestEvery: 2, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := c.Write(record(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	n := buf.Len()
	if err := c.Write(record(3)); !errors.Is(err, audit.ErrClosed) {
		t.Errorf("Write after Close: %v, want ErrClosed", err)
	}
	if err := c.Close(); !errors.Is(err, audit.ErrClosed) {
		t.Errorf("second Close: %v, want ErrClosed", err)
	}
	if buf.Len() != n {
		t.Errorf("the log grew after Close:\n%s", buf.Bytes()[n:])
	}
	last := lines(buf.Bytes())
	if final := string(last[len(last)-1]); !strings.Contains(final, `"count":0,`) || !strings.Contains(final, `"final":true`) {
		t.Errorf("last line %s, want a final digest of no records", final)
	}
}

// TestChainWriterError checks that a writer's error breaks the chain for
// good, and that what was written verifies as truncated.
func TestChainWriterError(t *testing.T) {
	ls := lines(writeLog(t, 2, audit.ChainOptions{}))
	// Room for the header, one record and part of the next.
	w := &failingWriterTo{failingWriter: failAfter(len(ls[0]) + 1 + len(ls[1]) + 1 + 40)}
	c, err := audit.NewChain(w, audit.ChainOptions{Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Write(record(0)); err != nil {
		t.Fatal(err)
	}
	err = c.Write(record(1))
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Write = %v, want the writer's error", err)
	}
	if err2 := c.Write(record(2)); !errors.Is(err2, errDiskFull) {
		t.Errorf("Write after the error = %v, want the writer's error again", err2)
	}
	if err2 := c.Close(); !errors.Is(err2, errDiskFull) {
		t.Errorf("Close after the error = %v, want the writer's error again", err2)
	}
	rep, _ := audit.Verify(bytes.NewReader(w.buf.Bytes()), nil)
	if rep.Intact || rep.Problem != audit.ProblemTruncated || rep.Line != 3 || rep.Records != 1 {
		t.Errorf("Verify = %+v, want truncated at line 3 after 1 record", rep)
	}
}

// failingWriterTo keeps what a failingWriter accepted.
type failingWriterTo struct {
	*failingWriter
	buf bytes.Buffer
}

func (w *failingWriterTo) Write(p []byte) (int, error) {
	n, err := w.failingWriter.Write(p)
	w.buf.Write(p[:n])
	return n, err
}

// TestChainLongRecord checks that a record too long for a line is refused
// and the chain goes on without it.
func TestChainLongRecord(t *testing.T) {
	var buf bytes.Buffer
	c, err := audit.NewChain(&buf, audit.ChainOptions{DigestEvery: 2, Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	long := record(1)
	long.Error = strings.Repeat("x", audit.MaxLineBytes)
	for i, r := range []*audit.Record{record(0), long, record(2), record(3)} {
		err := c.Write(r)
		if (err != nil) != (r == long) {
			t.Errorf("Write of record %d: %v", i, err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(bytes.NewReader(buf.Bytes()), nil)
	if err != nil || !rep.Intact || rep.Records != 3 {
		t.Errorf("Verify = %+v, %v; want intact with 3 records", rep, err)
	}
}

// TestChainWriteAllocBudget pins what Write allocates with a warm buffer:
// the record's Prev string, 64 bytes, and nothing else. Digests (one
// signature each) are left out by a DigestEvery larger than the runs.
func TestChainWriteAllocBudget(t *testing.T) {
	for _, key := range []ed25519.PrivateKey{nil, testKey} {
		c, err := audit.NewChain(io.Discard, audit.ChainOptions{DigestEvery: 1 << 30, SigningKey: key})
		if err != nil {
			t.Fatal(err)
		}
		r := record(1)
		if err := c.Write(r); err != nil {
			t.Fatal(err)
		}
		allocs, bytes := testcost.Measure(640, func() {
			if err := c.Write(r); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > 1 || bytes > 64 {
			t.Errorf("signed %v: %v allocations and %d bytes a Write, budget 1 and 64", key != nil, allocs, bytes)
		}
	}
}

// BenchmarkChainWrite measures the chain's cost of a record: encoding,
// hashing and the digests' amortized share (signing every 1000 records),
// written to io.Discard.
func BenchmarkChainWrite(b *testing.B) {
	for _, bc := range []struct {
		name string
		key  ed25519.PrivateKey
	}{
		{name: "unsigned"},
		{name: "signed", key: testKey},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c, err := audit.NewChain(io.Discard, audit.ChainOptions{SigningKey: bc.key})
			if err != nil {
				b.Fatal(err)
			}
			r := record(1)
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Write(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAppendJSON is the record's own encoding, for comparison.
func BenchmarkAppendJSON(b *testing.B) {
	r := record(1)
	r.Seq, r.Prev = 1, strings.Repeat("ab", 32)
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = r.AppendJSON(buf[:0])
	}
}
