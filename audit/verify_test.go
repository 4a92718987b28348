package audit_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/s3authz/s3authz/audit"
)

func equalReports(a, b audit.Report) bool {
	return bytes.Equal(a.Key, b.Key) && reflect.DeepEqual(withoutKey(a), withoutKey(b))
}

func withoutKey(r audit.Report) audit.Report {
	r.Key = nil
	return r
}

func verify(t testing.TB, log []byte, pub ed25519.PublicKey) audit.Report {
	t.Helper()
	rep, err := audit.Verify(bytes.NewReader(log), pub)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if rep.Intact != (rep.Problem == audit.ProblemNone) || rep.Intact != (rep.Line == 0) || rep.Intact != (rep.Detail == "") {
		t.Fatalf("inconsistent report %+v", rep)
	}
	return rep
}

func join(ls ...[]byte) []byte {
	var b []byte
	for _, l := range ls {
		b = append(append(b, l...), '\n')
	}
	return b
}

func TestVerifyRoundTrip(t *testing.T) {
	tests := []struct {
		name        string
		records     int
		every       int
		key         ed25519.PrivateKey
		pub         ed25519.PublicKey
		wantDigests int
		wantSigned  bool
	}{
		{name: "empty log, unsigned", records: 0, every: 3, wantDigests: 1},
		{name: "one record, unsigned", records: 1, every: 3, wantDigests: 1},
		{name: "a remainder, unsigned", records: 10, every: 3, wantDigests: 4},
		{name: "exact multiple, signed, checked against the given key", records: 9, every: 3, key: testKey, pub: testPub, wantDigests: 4, wantSigned: true},
		{name: "signed, checked against the header's key", records: 10, every: 3, key: testKey, wantDigests: 4, wantSigned: true},
		{name: "the default interval", records: 2500, key: testKey, pub: testPub, wantDigests: 3, wantSigned: true},
		{name: "a digest after every record", records: 4, every: 1, key: testKey, pub: testPub, wantDigests: 5, wantSigned: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log := writeLog(t, tc.records, audit.ChainOptions{DigestEvery: tc.every, SigningKey: tc.key})
			got := verify(t, log, tc.pub)
			want := audit.Report{Records: tc.records, Digests: tc.wantDigests, Logs: 1, Signed: tc.wantSigned, Intact: true}
			if tc.key != nil {
				want.Key = testPub
			}
			if !equalReports(got, want) {
				t.Errorf("Verify = %+v, want %+v", got, want)
			}
		})
	}
}

// tamperLogs are the logs the tampering tests are run on: records
// records with a digest every 2 — for 5, header, r, r, d, r, r, d, r,
// final: 9 lines — signed and checked with the key, or with the key the
// header names, and unsigned.
func tamperLogs(t testing.TB, records int) []struct {
	name string
	log  []byte
	pub  ed25519.PublicKey
} {
	signed := writeLog(t, records, audit.ChainOptions{DigestEvery: 2, SigningKey: testKey})
	return []struct {
		name string
		log  []byte
		pub  ed25519.PublicKey
	}{
		{name: "signed, given key", log: signed, pub: testPub},
		{name: "signed, header's key", log: signed},
		{name: "unsigned", log: writeLog(t, records, audit.ChainOptions{DigestEvery: 2})},
	}
}

// TestVerifyChangeEveryByte changes every byte of the logs, in several
// ways each: every change is found, at the line that holds the byte. The
// logs have 3 records (header, r, r, d, r, final), each kind of line
// once, since checking a signature is slow.
func TestVerifyChangeEveryByte(t *testing.T) {
	changes := []func(byte) byte{
		func(c byte) byte { return c ^ 0x01 },
		func(c byte) byte { return c ^ 0x20 },
		func(c byte) byte { return c ^ 0x80 },
		func(byte) byte { return '\n' },
		func(byte) byte { return ' ' },
		func(byte) byte { return '"' },
		func(byte) byte { return '0' },
	}
	for _, tl := range tamperLogs(t, 3) {
		t.Run(tl.name, func(t *testing.T) {
			t.Parallel()
			log := tl.log
			no := 1
			for off := range log {
				for i, change := range changes {
					c := change(log[off])
					if c == log[off] {
						continue
					}
					bad := slices.Clone(log)
					bad[off] = c
					rep := verify(t, bad, tl.pub)
					allowed := []audit.Problem{audit.ProblemAltered, audit.ProblemBadSignature}
					switch {
					case off == len(log)-1:
						// The last newline replaced: the log ends mid-line.
						allowed = []audit.Problem{audit.ProblemTruncated}
					case no == 1 && c == '\n':
						// The header split in two: no header.
						allowed = append(allowed, audit.ProblemMalformed)
					}
					if rep.Line != no || !slices.Contains(allowed, rep.Problem) {
						t.Errorf("byte %d (line %d) %q changed to %q (change %d): %+v, want one of %v at line %d",
							off, no, log[off], c, i, rep, allowed, no)
					}
				}
				if log[off] == '\n' {
					no++
				}
			}
		})
	}
}

// TestVerifyDropEachLine removes each line in turn: removed, at the line
// that follows the gap — but for the final digest, whose loss truncates.
func TestVerifyDropEachLine(t *testing.T) {
	for _, tl := range tamperLogs(t, 5) {
		t.Run(tl.name, func(t *testing.T) {
			ls := lines(tl.log)
			for k := range ls {
				bad := join(slices.Delete(slices.Clone(ls), k, k+1)...)
				rep := verify(t, bad, tl.pub)
				want := audit.ProblemRemoved
				if k == len(ls)-1 {
					want = audit.ProblemTruncated
				}
				if rep.Problem != want || rep.Line != k+1 {
					t.Errorf("line %d dropped: %+v, want %v at line %d", k+1, rep, want, k+1)
				}
			}
		})
	}
}

// TestVerifySwapEachPair swaps each pair of adjacent lines: reordered, at
// the first of the two.
func TestVerifySwapEachPair(t *testing.T) {
	for _, tl := range tamperLogs(t, 5) {
		t.Run(tl.name, func(t *testing.T) {
			ls := lines(tl.log)
			for k := 0; k+1 < len(ls); k++ {
				swapped := slices.Clone(ls)
				swapped[k], swapped[k+1] = swapped[k+1], swapped[k]
				rep := verify(t, join(swapped...), tl.pub)
				if rep.Problem != audit.ProblemReordered || rep.Line != k+1 {
					t.Errorf("lines %d and %d swapped: %+v, want reordered at line %d", k+1, k+2, rep, k+1)
				}
			}
		})
	}
}

// TestVerifyTruncateEverywhere cuts the logs short at every byte: never
// intact, always truncated, at the line where the cut is.
func TestVerifyTruncateEverywhere(t *testing.T) {
	for _, tl := range tamperLogs(t, 5) {
		t.Run(tl.name, func(t *testing.T) {
			t.Parallel()
			for off := range len(tl.log) {
				rep := verify(t, tl.log[:off], tl.pub)
				want := bytes.Count(tl.log[:off], []byte("\n")) + 1
				if rep.Problem != audit.ProblemTruncated || rep.Line != want {
					t.Errorf("cut at byte %d: %+v, want truncated at line %d", off, rep, want)
				}
			}
		})
	}
}

// resign replaces a digest line's seal after edit changed its body: signed
// with key, or summed when key is nil.
func resign(t testing.TB, digest []byte, key ed25519.PrivateKey, edit func(body string) string) []byte {
	t.Helper()
	i := bytes.LastIndex(digest, []byte(`,"`))
	body := edit(string(digest[:i]) + "}")
	if key == nil {
		sum := sha256.Sum256([]byte(body))
		return []byte(body[:len(body)-1] + `,"sum":"` + hex.EncodeToString(sum[:]) + `"}`)
	}
	sig := ed25519.Sign(key, []byte(body))
	return []byte(body[:len(body)-1] + `,"sig":"` + base64.StdEncoding.EncodeToString(sig) + `"}`)
}

func same(s string) string { return s }

// forge rewrites a log from line from on (counted from 0) as someone who
// knows the format would: every prev recomputed, every digest's head too,
// and the digests sealed anew, with key (nil: summed).
func forge(t testing.TB, ls [][]byte, from int, key ed25519.PrivateKey) [][]byte {
	t.Helper()
	var head [sha256.Size]byte
	for i := range ls {
		if i >= from {
			rechain(ls[i-1:i+1], 1)
		}
		switch {
		case bytes.Contains(ls[i], []byte(`"kind":"decision"`)):
			head = sha256.Sum256(ls[i])
		case i >= from && bytes.Contains(ls[i], []byte(`"kind":"digest"`)):
			ls[i] = resign(t, ls[i], key, func(b string) string {
				j := strings.Index(b, `"head":"`) + len(`"head":"`)
				return b[:j] + hex.EncodeToString(head[:]) + b[j+64:]
			})
		}
	}
	return ls
}

// rechain recomputes every prev from line from on, as someone rewriting
// the log would.
func rechain(ls [][]byte, from int) [][]byte {
	for i := max(from, 1); i < len(ls); i++ {
		h := sha256.Sum256(ls[i-1])
		j := bytes.Index(ls[i], []byte(`"prev":"`)) + len(`"prev":"`)
		copy(ls[i][j:], hex.EncodeToString(h[:]))
	}
	return ls
}

func TestVerifyTampering(t *testing.T) {
	signed := lines(writeLog(t, 5, audit.ChainOptions{DigestEvery: 2, SigningKey: testKey}))
	unsigned := lines(writeLog(t, 5, audit.ChainOptions{DigestEvery: 2}))
	byOther := writeLog(t, 5, audit.ChainOptions{DigestEvery: 2, SigningKey: otherKey})
	edit := func(ls [][]byte, f func(ls [][]byte) [][]byte) []byte {
		c := make([][]byte, len(ls))
		for i, l := range ls {
			c[i] = slices.Clone(l)
		}
		return join(f(c)...)
	}
	// Lines of the logs: 1 header, 2 r1, 3 r2, 4 digest, 5 r4, 6 r5, 7 digest, 8 r7, 9 final.
	tests := []struct {
		name        string
		log         []byte
		pub         ed25519.PublicKey
		wantProblem audit.Problem
		wantLine    int
		wantDetail  string
	}{
		{name: "a record's content changed", pub: testPub, wantProblem: audit.ProblemAltered, wantLine: 5,
			log: edit(signed, func(ls [][]byte) [][]byte {
				ls[4] = bytes.Replace(ls[4], []byte(`"decision":"allow"`), []byte(`"decision":"deny!"`), 1)
				return ls
			}),
			wantDetail: "line 5 was changed: it does not hash to the prev of line 6"},
		{name: "a record changed and the chain recomputed after it, signed", pub: testPub, wantProblem: audit.ProblemAltered, wantLine: 7,
			log: edit(signed, func(ls [][]byte) [][]byte {
				ls[4] = bytes.Replace(ls[4], []byte(`"decision":"allow"`), []byte(`"decision":"deny!"`), 1)
				return rechain(ls, 5)
			}),
			wantDetail: "digest at line 7 has a head that is not the hash of the log's last decision line"},
		{name: "a record changed, the chain and the digests recomputed, signed", pub: testPub, wantProblem: audit.ProblemBadSignature, wantLine: 7,
			log: edit(signed, func(ls [][]byte) [][]byte {
				ls[4] = bytes.Replace(ls[4], []byte(`"decision":"allow"`), []byte(`"decision":"deny!"`), 1)
				return forge(t, ls, 5, otherKey)
			}),
			wantDetail: "the signature of the digest at line 7 does not verify"},
		// Without a key, the chain cannot stop a forger who rewrites it all.
		{name: "a record changed, the chain and the digests recomputed, unsigned", wantProblem: audit.ProblemNone,
			log: edit(unsigned, func(ls [][]byte) [][]byte {
				ls[4] = bytes.Replace(ls[4], []byte(`"decision":"allow"`), []byte(`"decision":"deny!"`), 1)
				return forge(t, ls, 5, nil)
			})},
		{name: "a digest forged with another key", pub: testPub, wantProblem: audit.ProblemBadSignature, wantLine: 4,
			log:        edit(signed, func(ls [][]byte) [][]byte { ls[3] = resign(t, ls[3], otherKey, same); return rechain(ls, 4) }),
			wantDetail: "the signature of the digest at line 4 does not verify with the key given"},
		{name: "a digest forged with another key, header's key", wantProblem: audit.ProblemBadSignature, wantLine: 4,
			log:        edit(signed, func(ls [][]byte) [][]byte { ls[3] = resign(t, ls[3], otherKey, same); return rechain(ls, 4) }),
			wantDetail: "does not verify with the key the log's header names"},
		{name: "the whole log signed with another key", log: byOther, pub: testPub, wantProblem: audit.ProblemBadSignature, wantLine: 1,
			wantDetail: "the log is signed with another key than the one given"},
		{name: "an unsigned log when a key is given", log: join(unsigned...), pub: testPub, wantProblem: audit.ProblemBadSignature, wantLine: 1,
			wantDetail: "the log is not signed"},
		{name: "a digest of a signed log summed instead of signed", pub: testPub, wantProblem: audit.ProblemBadSignature, wantLine: 7,
			log:        edit(signed, func(ls [][]byte) [][]byte { ls[6] = resign(t, ls[6], nil, same); return rechain(ls, 7) }),
			wantDetail: "digest at line 7 is not signed"},
		{name: "a digest of an unsigned log signed", wantProblem: audit.ProblemAltered, wantLine: 4,
			log: edit(unsigned, func(ls [][]byte) [][]byte { ls[3] = resign(t, ls[3], testKey, same); return rechain(ls, 4) })},
		{name: "a digest's count changed and signed with the key", pub: testPub, wantProblem: audit.ProblemAltered, wantLine: 4,
			log: edit(signed, func(ls [][]byte) [][]byte {
				ls[3] = resign(t, ls[3], testKey, func(b string) string { return strings.Replace(b, `"count":2`, `"count":3`, 1) })
				return rechain(ls, 4)
			}),
			wantDetail: "counts 3 records, but 2 came"},
		{name: "a digest's head changed and signed with the key", pub: testPub, wantProblem: audit.ProblemAltered, wantLine: 4,
			log: edit(signed, func(ls [][]byte) [][]byte {
				ls[3] = resign(t, ls[3], testKey, func(b string) string { return strings.Replace(b, `"head":"`, `"head":"0`, 1)[:len(b)+1] })
				return rechain(ls, 4)
			})},
		{name: "a digest's seqs changed and signed with the key", pub: testPub, wantProblem: audit.ProblemAltered, wantLine: 4,
			log: edit(signed, func(ls [][]byte) [][]byte {
				ls[3] = resign(t, ls[3], testKey, func(b string) string { return strings.Replace(b, `"first_seq":1`, `"first_seq":0`, 1) })
				return rechain(ls, 4)
			}),
			wantDetail: "covers seqs 0 to 2"},
		// Base64 of 64 bytes ends in a character with 4 unused bits: set,
		// a lenient decoder reads the same signature from other text.
		{name: "the final signature's unused bits set", pub: testPub, wantProblem: audit.ProblemAltered, wantLine: 9,
			log: edit(signed, func(ls [][]byte) [][]byte {
				const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
				i := len(ls[8]) - len(`A=="}`)
				ls[8][i] = alphabet[strings.IndexByte(alphabet, ls[8][i])|0x0f]
				return ls
			}),
			wantDetail: `"sig" is not an Ed25519 signature in standard base64`},
		{name: "a record's seq changed", pub: testPub, wantProblem: audit.ProblemAltered, wantLine: 3,
			log: edit(signed, func(ls [][]byte) [][]byte {
				ls[2] = bytes.Replace(ls[2], []byte(`"seq":2,`), []byte(`"seq":3,`), 1)
				return ls
			}),
			wantDetail: "line 3 has seq 3, want 2"},
		{name: "a record's prev changed", pub: testPub, wantProblem: audit.ProblemAltered, wantLine: 3,
			log: edit(signed, func(ls [][]byte) [][]byte {
				i := bytes.Index(ls[2], []byte(`"prev":"`)) + len(`"prev":"`)
				ls[2][i] ^= 1
				return ls
			}),
			wantDetail: "its prev is not the hash of line 2"},
		{name: "the final digest removed", log: join(signed[:8]...), pub: testPub, wantProblem: audit.ProblemTruncated, wantLine: 9,
			wantDetail: "the log ends after line 8 without its final digest"},
		{name: "the last two lines removed", log: join(signed[:7]...), pub: testPub, wantProblem: audit.ProblemTruncated, wantLine: 8},
		{name: "a line duplicated", log: join(slices.Insert(slices.Clone(signed), 3, signed[2])...), pub: testPub, wantProblem: audit.ProblemReordered, wantLine: 4,
			wantDetail: "line 4 repeats seq 2 of line 3"},
		{name: "a line moved to the end", log: join(append(slices.Delete(slices.Clone(signed), 1, 2), signed[1])...), pub: testPub,
			wantProblem: audit.ProblemReordered, wantLine: 2, wantDetail: "line 2 has seq 2, but seq 1 comes later, at line 9"},
		{name: "a line moved to the front", log: join(slices.Insert(slices.Delete(slices.Clone(signed), 7, 8), 1, signed[7])...), pub: testPub,
			wantProblem: audit.ProblemReordered, wantLine: 2},
		{name: "two lines removed", log: join(slices.Delete(slices.Clone(signed), 4, 6)...), pub: testPub, wantProblem: audit.ProblemRemoved, wantLine: 5,
			wantDetail: "line 5 has seq 6 after seq 3 (line 4): 2 line(s) missing"},
		{name: "the header removed", log: join(signed[1:]...), pub: testPub, wantProblem: audit.ProblemRemoved, wantLine: 1,
			wantDetail: "where a log's header should be"},
		{name: "a line inserted", log: join(slices.Insert(slices.Clone(signed), 2, []byte(`{"note":"hello"}`))...), pub: testPub,
			wantProblem: audit.ProblemMalformed, wantLine: 3, wantDetail: "line 3 does not belong to the log"},
		{name: "a line appended after the final digest", log: join(append(slices.Clone(signed), []byte(`{"note":"hello"}`))...), pub: testPub,
			wantProblem: audit.ProblemMalformed, wantLine: 10, wantDetail: "follows a final digest without starting a new log"},
		{name: "a record appended after the final digest", log: join(append(slices.Clone(signed), signed[1])...), pub: testPub,
			wantProblem: audit.ProblemRemoved, wantLine: 10},
		{name: "two logs, one after the other", log: join(append(slices.Clone(signed), signed...)...), pub: testPub, wantProblem: audit.ProblemNone},
		{name: "a log without its final digest, then another", log: join(append(slices.Clone(signed[:8]), signed...)...), pub: testPub,
			wantProblem: audit.ProblemTruncated, wantLine: 9, wantDetail: "line 9 begins a new log, but the log before it has no final digest"},
		{name: "not a log", log: []byte("hello\n"), wantProblem: audit.ProblemMalformed, wantLine: 1, wantDetail: "line 1 is not the header of a log"},
		{name: "empty", log: nil, wantProblem: audit.ProblemTruncated, wantLine: 1, wantDetail: "the log is empty"},
		{name: "an empty line", log: []byte("\n"), wantProblem: audit.ProblemMalformed, wantLine: 1},
		{name: "a header alone", log: join(signed[0]), pub: testPub, wantProblem: audit.ProblemTruncated, wantLine: 2},
		{name: "another version", wantProblem: audit.ProblemMalformed, wantLine: 1, wantDetail: "version 2, want 1",
			log: []byte(`{"v":2,"kind":"header","seq":0}` + "\n")},
		{name: "an unknown kind", wantProblem: audit.ProblemMalformed, wantLine: 1, wantDetail: `unknown kind "footer"`,
			log: []byte(`{"v":1,"kind":"footer","seq":0}` + "\n")},
		{name: "a line too long", wantProblem: audit.ProblemMalformed, wantLine: 2, wantDetail: "line 2 is longer than 1048576 bytes",
			log: append(append(slices.Clone(join(signed[0])), bytes.Repeat([]byte("x"), audit.MaxLineBytes+1)...), '\n')},
		{name: "a line of the longest length", wantProblem: audit.ProblemAltered, wantLine: 2,
			log: append(append(slices.Clone(join(signed[0])), bytes.Repeat([]byte("x"), audit.MaxLineBytes)...), '\n')},
		{name: "a public key of the wrong length", log: join(signed...), pub: testPub[:31], wantProblem: audit.ProblemBadSignature, wantLine: 1,
			wantDetail: "the public key given is 31 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := verify(t, tc.log, tc.pub)
			if rep.Problem != tc.wantProblem || rep.Line != tc.wantLine || !strings.Contains(rep.Detail, tc.wantDetail) {
				t.Errorf("Verify = %+v\nwant %v at line %d, detail with %q", rep, tc.wantProblem, tc.wantLine, tc.wantDetail)
			}
		})
	}
}

// TestVerifyCounts checks what a report counts before the problem.
func TestVerifyCounts(t *testing.T) {
	log := lines(writeLog(t, 5, audit.ChainOptions{DigestEvery: 2, SigningKey: testKey}))
	tests := []struct {
		name        string
		log         []byte
		wantRecords int
		wantDigests int
	}{
		{name: "truncated after the second digest", log: join(log[:7]...), wantRecords: 4, wantDigests: 2},
		{name: "a record altered is not counted", wantRecords: 2, wantDigests: 1,
			log: join(append(append(slices.Clone(log[:4]), bytes.Replace(log[4], []byte("allow"), []byte("denyy"), 1)), log[5:]...)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := verify(t, tc.log, testPub)
			if rep.Records != tc.wantRecords || rep.Digests != tc.wantDigests || rep.Logs != 1 {
				t.Errorf("Verify = %+v, want %d records and %d digests in 1 log", rep, tc.wantRecords, tc.wantDigests)
			}
		})
	}
}

// TestVerifyReadError checks that r's error is returned, with what was
// verified before it.
func TestVerifyReadError(t *testing.T) {
	log := writeLog(t, 5, audit.ChainOptions{DigestEvery: 2})
	errRead := errors.New("read failed")
	rep, err := audit.Verify(io.MultiReader(bytes.NewReader(log[:len(log)/2]), iotest.ErrReader(errRead)), nil)
	if !errors.Is(err, errRead) || rep.Intact {
		t.Errorf("Verify = %+v, %v; want the read error and not intact", rep, err)
	}
	rep, err = audit.Verify(iotest.OneByteReader(bytes.NewReader(log)), nil)
	if err != nil || !rep.Intact {
		t.Errorf("Verify one byte at a time = %+v, %v; want intact", rep, err)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    audit.Problem
		want string
	}{
		{p: audit.ProblemNone, want: "none"},
		{p: audit.ProblemAltered, want: "altered"},
		{p: audit.ProblemRemoved, want: "removed"},
		{p: audit.ProblemReordered, want: "reordered"},
		{p: audit.ProblemTruncated, want: "truncated"},
		{p: audit.ProblemBadSignature, want: "bad-signature"},
		{p: audit.ProblemMalformed, want: "malformed"},
		{p: audit.Problem(42), want: "Problem(42)"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("Problem(%d).String() = %q, want %q", tc.p, got, tc.want)
		}
		if got, _ := tc.p.MarshalText(); string(got) != tc.want {
			t.Errorf("Problem(%d).MarshalText() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// FuzzVerify feeds Verify arbitrary input, with and without the public
// key. It must not panic, must report consistently and deterministically,
// and an input it finds intact must not stay intact when cut short or
// changed.
func FuzzVerify(f *testing.F) {
	signed := writeLog(f, 5, audit.ChainOptions{DigestEvery: 2, SigningKey: testKey})
	unsigned := writeLog(f, 3, audit.ChainOptions{DigestEvery: 1})
	for _, seed := range [][]byte{
		signed, unsigned, append(slices.Clone(signed), signed...),
		signed[:len(signed)/2], nil, []byte("\n"), []byte("{}\n"),
		[]byte(`{"v":1,"kind":"header","seq":0,"time":"2026-01-01T00:00:00Z","digest_every":1}` + "\n"),
	} {
		f.Add(seed, true)
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, data []byte, withKey bool) {
		var pub ed25519.PublicKey
		if withKey {
			pub = testPub
		}
		rep := verify(t, data, pub)
		again := verify(t, data, pub)
		if !equalReports(rep, again) {
			t.Fatalf("two runs differ:\n%+v\n%+v", rep, again)
		}
		n := bytes.Count(data, []byte("\n"))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			n++
		}
		if rep.Line < 0 || rep.Line > n+1 || rep.Records+rep.Digests+rep.Logs > n {
			t.Fatalf("report out of bounds for %d lines: %+v", n, rep)
		}
		if !rep.Intact {
			return
		}
		if withKey && !rep.Signed {
			t.Fatalf("intact with a key but not signed: %+v", rep)
		}
		if cut := verify(t, data[:len(data)-1], pub); cut.Intact {
			t.Fatalf("intact without its last byte")
		}
		changed := slices.Clone(data)
		changed[len(data)/2] ^= 1
		if ch := verify(t, changed, pub); ch.Intact {
			t.Fatalf("intact with byte %d changed", len(data)/2)
		}
	})
}

// BenchmarkVerify measures reading a signed log of 10000 records.
func BenchmarkVerify(b *testing.B) {
	log := writeLog(b, 10000, audit.ChainOptions{SigningKey: testKey})
	b.SetBytes(int64(len(log)))
	b.ReportAllocs()
	for b.Loop() {
		rep, err := audit.Verify(bytes.NewReader(log), testPub)
		if err != nil || !rep.Intact {
			b.Fatal(rep, err)
		}
	}
}
