package audit

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// Problem is the kind of the first fault Verify finds in a log.
type Problem uint8

const (
	// ProblemNone: the log is intact.
	ProblemNone Problem = iota
	// ProblemAltered: a line's bytes changed — they no longer hash to the
	// next line's prev, a line's own prev or seq does not fit where its
	// neighbours show it stands, a digest's count, seqs or head do not
	// match the records before it, or a line inside a log is not a valid
	// line at all.
	ProblemAltered
	// ProblemRemoved: lines are missing — the seq jumps forward, and the
	// missing seqs appear nowhere later in the log.
	ProblemRemoved
	// ProblemReordered: lines are out of order — the seq jumps forward and
	// a missing seq appears later in the log, or it goes backwards or
	// repeats (a line moved, swapped or duplicated).
	ProblemReordered
	// ProblemTruncated: the log ends without its final digest (also when
	// another log begins in its place), or in the middle of a line.
	ProblemTruncated
	// ProblemBadSignature: a digest's signature does not verify, a
	// digest is unsigned in a signed log or when a public key is given, or
	// the log's header names another key than the one given.
	ProblemBadSignature
	// ProblemMalformed: a line that belongs to no log — the input does not
	// begin with a header, a line is not JSON or lacks a member and its
	// neighbours do not show it was changed, a line was inserted between
	// two that follow each other, a line follows a final digest without
	// starting a new log, or a line is longer than MaxLineBytes.
	ProblemMalformed
)

var problemNames = [...]string{"none", "altered", "removed", "reordered", "truncated", "bad-signature", "malformed"}

// String returns "none", "altered", "removed", "reordered", "truncated",
// "bad-signature" or "malformed".
func (p Problem) String() string {
	if int(p) < len(problemNames) {
		return problemNames[p]
	}
	return "Problem(" + strconv.Itoa(int(p)) + ")"
}

// MarshalText implements encoding.TextMarshaler with String.
func (p Problem) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Report is what Verify found: the first problem of a log, or that it is
// intact.
type Report struct {
	// Records, Digests and Logs count the decision records, digests and
	// headers verified, before the problem's line when there is one.
	Records, Digests, Logs int
	// Signed reports that every log read names a signing key in its header
	// and had its digests' signatures checked: against the pub given to
	// Verify or, when pub is nil, against Key — which proves only that the
	// log is consistent, not who wrote it.
	Signed bool
	// Key is the public key the last header read names, nil if none.
	Key ed25519.PublicKey
	// Intact reports that the input is one or more whole logs, one after
	// the other, without any problem.
	Intact bool
	// Line is the 1-based line of the first problem, 0 when intact. For a
	// log that ends without its final digest, it is the line after the
	// last.
	Line int
	// Problem is the kind of the first problem, ProblemNone when intact,
	// and Detail says what is wrong with which line, "" when intact.
	Problem Problem
	Detail  string
}

// Verify reads a log that Chain wrote — or several, one after the other —
// and reports the first problem: a line altered, removed, moved, or one
// that does not belong, or the log cut short. With pub, every log must be
// signed with its private half; without, signed logs are checked against
// the key their header names. It reads one line at a time (and, when lines
// are missing, the rest of the log to tell a removed line from a moved
// one), never holding more than two lines of up to MaxLineBytes. The error is
// r's, other than io.EOF; the Report then holds what was verified before
// it.
func Verify(r io.Reader, pub ed25519.PublicKey) (Report, error) {
	v := verifier{lr: lineReader{br: bufio.NewReaderSize(r, 16<<10)}, allSigned: true}
	if len(pub) > 0 {
		v.pub = pub
	}
	v.run()
	v.rep.Signed = v.rep.Logs > 0 && v.allSigned
	return v.rep, v.lr.err
}

// kindNames are the kinds as the lines spell them.
var kindNames = map[string]Kind{"decision": KindDecision, "digest": KindDigest, "header": KindHeader}

// line is one line of a log, read and parsed.
type line struct {
	no   int    // 1-based
	raw  []byte // without the newline
	nl   bool   // ended by a newline
	long bool   // longer than MaxLineBytes; raw is cut short
	hash [sha256.Size]byte

	// bad says why the line is not a valid line of a log, "" if it is.
	bad  string
	kind Kind
	seq  uint64
	prev [sha256.Size]byte

	every int64             // header: digest_every
	key   ed25519.PublicKey // header: key, nil if absent

	count       int64 // digest: count
	head        [sha256.Size]byte
	first, last uint64
	final       bool
	sig         []byte            // digest: the signature, nil when sealed by a sum
	sum         [sha256.Size]byte // digest: the sum
	sealAt      int               // digest: where the sig or sum member starts in raw
}

// lineReader reads lines of at most MaxLineBytes.
type lineReader struct {
	br  *bufio.Reader
	no  int
	err error // a read error other than io.EOF
}

// read reads the next line into l, reusing its buffer, and parses it. It
// returns false at the end of the input or on a read error.
func (lr *lineReader) read(l *line) bool {
	if lr.err != nil {
		return false
	}
	*l = line{raw: l.raw[:0], sig: l.sig[:0]}
	n := 0
	for {
		frag, err := lr.br.ReadSlice('\n')
		n += len(frag)
		if !l.long {
			if len(l.raw)+len(frag) > MaxLineBytes+1 {
				l.long = true
			} else {
				l.raw = append(l.raw, frag...)
			}
		}
		if err == nil {
			l.nl = true
			break
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != io.EOF {
			lr.err = err
			return false
		}
		if n == 0 {
			return false
		}
		break
	}
	lr.no++
	l.no = lr.no
	if l.nl && !l.long {
		l.raw = l.raw[:len(l.raw)-1]
	}
	if len(l.raw) > MaxLineBytes {
		l.long = true
	}
	if l.long {
		l.bad = "longer than MaxLineBytes"
		return true
	}
	l.hash = sha256.Sum256(l.raw)
	l.parse()
	return true
}

// parse reads l.raw, setting l.bad when it is not a line of a log. The
// header and digests must be exactly as Chain writes them, members in
// order; a decision record must begin as AppendJSON writes it and be valid
// JSON.
func (l *line) parse() {
	s := scanner{b: l.raw}
	s.lit(`{"v":`)
	if v, ok := s.uint(); ok && v != SchemaVersion {
		l.bad = "version " + strconv.FormatUint(v, 10) + ", want " + strconv.Itoa(SchemaVersion)
		return
	}
	s.lit(`,"kind":"`)
	kind := s.until('"')
	s.lit(`","seq":`)
	seq, _ := s.uint()
	if s.bad != "" {
		l.bad = s.bad
		return
	}
	l.kind, l.seq = kindNames[string(kind)], seq
	switch {
	case l.kind == 0:
		l.bad = "unknown kind " + strconv.Quote(string(kind))
	case l.kind == KindHeader && seq != 0:
		l.bad = "a header with seq " + strconv.FormatUint(seq, 10) + ", want 0"
	case l.kind == KindHeader:
		l.parseHeader(&s)
	case seq == 0:
		l.bad = "a " + l.kind.String() + " with seq 0"
	default:
		s.lit(`,"prev":`)
		l.prev = s.hash()
		if l.kind == KindDigest {
			l.parseDigest(&s)
		} else if s.bad == "" && !json.Valid(l.raw) {
			s.bad = "not valid JSON"
		}
	}
	if l.bad == "" {
		l.bad = s.bad
	}
}

// parseHeader reads a header's members after its seq.
func (l *line) parseHeader(s *scanner) {
	s.lit(`,"time":`)
	s.time()
	s.lit(`,"digest_every":`)
	every, _ := s.uint()
	if s.peek(`,"key":"`) {
		s.lit(`,"key":"`)
		k, err := base64.StdEncoding.Strict().DecodeString(string(s.until('"')))
		if s.bad == "" && (err != nil || len(k) != ed25519.PublicKeySize) {
			s.bad = `"key" is not an Ed25519 public key in standard base64`
		}
		l.key = k
		s.lit(`"`)
	}
	s.lit(`}`)
	s.end()
	if s.bad == "" && (every < 1 || every > math.MaxInt64) {
		s.bad = `"digest_every" out of range`
	}
	l.every = int64(every)
}

// parseDigest reads a digest's members after its prev.
func (l *line) parseDigest(s *scanner) {
	s.lit(`,"time":`)
	s.time()
	s.lit(`,"count":`)
	count, _ := s.uint()
	s.lit(`,"head":`)
	l.head = s.hash()
	if count > 0 {
		s.lit(`,"first_seq":`)
		l.first, _ = s.uint()
		s.lit(`,"last_seq":`)
		l.last, _ = s.uint()
	}
	if s.peek(`,"final":`) {
		s.lit(`,"final":true`)
		l.final = true
	}
	l.sealAt = s.i
	switch {
	case s.peek(`,"sig":"`):
		s.lit(`,"sig":"`)
		text := s.until('"')
		sig, err := base64.StdEncoding.Strict().AppendDecode(l.sig[:0], text)
		if s.bad == "" && (err != nil || len(sig) != ed25519.SignatureSize) {
			s.bad = `"sig" is not an Ed25519 signature in standard base64`
		}
		l.sig = sig
		s.lit(`"`)
	default:
		s.lit(`,"sum":`)
		l.sum = s.hash()
		l.sig = nil
	}
	s.lit(`}`)
	s.end()
	if s.bad == "" && count > math.MaxInt64 {
		s.bad = `"count" out of range`
	}
	l.count = int64(count)
}

// scanner reads a line of the exact format. The first mismatch sets bad,
// and every read after it does nothing.
type scanner struct {
	b   []byte
	i   int
	bad string
}

func (s *scanner) fail(want string) {
	if s.bad == "" {
		s.bad = fmt.Sprintf("at byte %d, want %s", s.i+1, want)
	}
}

func (s *scanner) peek(lit string) bool {
	return s.bad == "" && bytes.HasPrefix(s.b[s.i:], []byte(lit))
}

// lit reads the literal text lit.
func (s *scanner) lit(lit string) {
	if s.peek(lit) {
		s.i += len(lit)
		return
	}
	s.fail(lit)
}

// end checks that the line is all read.
func (s *scanner) end() {
	if s.bad == "" && s.i != len(s.b) {
		s.fail("the end of the line")
	}
}

// uint reads a decimal number without leading zeros that fits a uint64.
func (s *scanner) uint() (uint64, bool) {
	if s.bad != "" {
		return 0, false
	}
	j := s.i
	for j < len(s.b) && '0' <= s.b[j] && s.b[j] <= '9' {
		j++
	}
	digits := s.b[s.i:j]
	n, err := strconv.ParseUint(string(digits), 10, 64)
	if err != nil || len(digits) > 1 && digits[0] == '0' {
		s.fail("a number")
		return 0, false
	}
	s.i = j
	return n, true
}

// until reads the text up to the byte c, which it leaves unread.
func (s *scanner) until(c byte) []byte {
	if s.bad != "" {
		return nil
	}
	j := bytes.IndexByte(s.b[s.i:], c)
	if j < 0 {
		s.fail(strconv.QuoteRune(rune(c)))
		return nil
	}
	text := s.b[s.i : s.i+j]
	s.i += j
	return text
}

// hash reads a quoted hash: 64 lowercase hex digits.
func (s *scanner) hash() (h [sha256.Size]byte) {
	s.lit(`"`)
	if s.bad != "" {
		return h
	}
	var ok bool
	if s.i+len(h)*2 > len(s.b) {
		ok = false
	} else {
		h, ok = parseHash(s.b[s.i : s.i+len(h)*2])
	}
	if !ok {
		s.fail("a hash of 64 lowercase hex digits")
		return h
	}
	s.i += len(h) * 2
	s.lit(`"`)
	return h
}

// time reads a quoted RFC 3339 time.
func (s *scanner) time() {
	s.lit(`"`)
	text := s.until('"')
	if s.bad == "" {
		if _, err := time.Parse(time.RFC3339Nano, string(text)); err != nil {
			s.fail("an RFC 3339 time")
		}
	}
	s.lit(`"`)
}

// chained reports whether l is a valid line that links to a predecessor:
// a decision or a digest.
func (l *line) chained() bool { return l != nil && l.bad == "" && l.kind != KindHeader }

// parseHash decodes 64 lowercase hex digits.
func parseHash(s []byte) (h [sha256.Size]byte, ok bool) {
	if len(s) != 2*sha256.Size {
		return h, false
	}
	for i := range h {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return h, false
		}
		h[i] = hi<<4 | lo
	}
	return h, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// verifier holds the state of Verify.
type verifier struct {
	lr        lineReader
	pub       ed25519.PublicKey
	rep       Report
	allSigned bool

	// inLog is set from a header to its log's final digest.
	inLog bool
	key   ed25519.PublicKey // the log's key
	every int64

	// p is the last line accepted.
	p struct {
		no   int
		seq  uint64
		hash [sha256.Size]byte
		kind Kind
	}
	// The records since the last digest: how many, the seqs of the first
	// and last, and the hash of the last decision line of the log (of the
	// header before the first).
	count       int64
	first, last uint64
	head        [sha256.Size]byte

	body []byte // scratch for a digest's body
}

func (v *verifier) run() {
	var a, b line
	c, n := &a, &b
	if !v.lr.read(c) {
		if v.lr.err == nil {
			v.fail(1, ProblemTruncated, "the log is empty")
		}
		return
	}
	for {
		more := v.lr.read(n)
		if v.lr.err != nil {
			return
		}
		next := n
		if !more {
			next = nil
		}
		if v.step(c, next) {
			return
		}
		if next == nil {
			break
		}
		c, n = n, c
	}
	if v.inLog {
		v.fail(c.no+1, ProblemTruncated, fmt.Sprintf("the log ends after line %d without its final digest", c.no))
		return
	}
	v.rep.Intact = true
}

func (v *verifier) fail(no int, p Problem, detail string) {
	v.rep.Line, v.rep.Problem, v.rep.Detail = no, p, detail
}

// step checks line c, whose successor is n (nil at the end), and accepts
// it; it returns true when it found a problem.
func (v *verifier) step(c, n *line) bool {
	switch {
	case c.long:
		v.fail(c.no, ProblemMalformed, fmt.Sprintf("line %d is longer than %d bytes", c.no, MaxLineBytes))
		return true
	case !c.nl:
		v.fail(c.no, ProblemTruncated, fmt.Sprintf("the log ends in the middle of line %d", c.no))
		return true
	case c.bad != "":
		v.invalid(c, n)
		return true
	case !v.inLog && c.kind == KindHeader:
		return v.header(c)
	case !v.inLog:
		// A log begins with its header.
		v.gap(c, n, 0, c.seq-1)
		return true
	case c.kind == KindHeader:
		v.fail(c.no, ProblemTruncated, fmt.Sprintf("line %d begins a new log, but the log before it has no final digest", c.no))
		return true
	}
	linked := c.prev == v.p.hash
	want := v.p.seq + 1
	switch {
	case linked && c.seq != want:
		v.fail(c.no, ProblemAltered, fmt.Sprintf("line %d has seq %d, want %d: its prev shows it follows line %d", c.no, c.seq, want, v.p.no))
		return true
	case linked:
	case c.seq == want && v.vouched(c, n):
		v.uncount()
		v.fail(v.p.no, ProblemAltered, fmt.Sprintf("line %d was changed: it does not hash to the prev of line %d, which follows it", v.p.no, c.no))
		return true
	case c.seq == want:
		v.fail(c.no, ProblemAltered, fmt.Sprintf("line %d was changed: its prev is not the hash of line %d", c.no, v.p.no))
		return true
	case c.seq > want:
		v.gap(c, n, want, c.seq-1)
		return true
	case c.seq == v.p.seq:
		v.fail(c.no, ProblemReordered, fmt.Sprintf("line %d repeats seq %d of line %d", c.no, c.seq, v.p.no))
		return true
	default:
		v.fail(c.no, ProblemReordered, fmt.Sprintf("line %d has seq %d after seq %d (line %d)", c.no, c.seq, v.p.seq, v.p.no))
		return true
	}
	if c.kind == KindDigest {
		if v.digest(c) {
			return true
		}
	} else {
		v.rep.Records++
		if v.count == 0 {
			v.first = c.seq
		}
		v.count++
		v.last = c.seq
		v.head = c.hash
	}
	v.accept(c)
	return false
}

func (v *verifier) accept(c *line) {
	v.p.no, v.p.seq, v.p.hash, v.p.kind = c.no, c.seq, c.hash, c.kind
}

// uncount takes back the count of the last line accepted, found altered.
func (v *verifier) uncount() {
	switch v.p.kind {
	case KindDecision:
		v.rep.Records--
	case KindDigest:
		v.rep.Digests--
	case KindHeader:
		v.rep.Logs--
	}
}

// header starts a log.
func (v *verifier) header(c *line) bool {
	v.rep.Logs++
	v.rep.Key = c.key
	if c.key == nil {
		v.allSigned = false
	}
	if v.pub != nil {
		switch {
		case len(v.pub) != ed25519.PublicKeySize:
			v.fail(c.no, ProblemBadSignature, fmt.Sprintf("the public key given is %d bytes, want %d", len(v.pub), ed25519.PublicKeySize))
		case c.key == nil:
			v.fail(c.no, ProblemBadSignature, fmt.Sprintf("the log is not signed: its header, line %d, names no key", c.no))
		case !bytes.Equal(c.key, v.pub):
			v.fail(c.no, ProblemBadSignature, fmt.Sprintf("the log is signed with another key than the one given: %s", base64.StdEncoding.EncodeToString(c.key)))
		}
		if v.rep.Problem != ProblemNone {
			v.rep.Logs--
			return true
		}
	}
	v.inLog, v.key, v.every = true, c.key, c.every
	v.count, v.head = 0, c.hash
	v.accept(c)
	return false
}

// digest checks a digest that follows the line before it.
func (v *verifier) digest(c *line) bool {
	var detail string
	switch {
	case c.count != v.count:
		detail = fmt.Sprintf("digest at line %d counts %d records, but %d came since the last digest", c.no, c.count, v.count)
	case c.count > 0 && (c.first != v.first || c.last != v.last):
		detail = fmt.Sprintf("digest at line %d covers seqs %d to %d, but the records since the last digest are %d to %d", c.no, c.first, c.last, v.first, v.last)
	case c.head != v.head:
		detail = fmt.Sprintf("digest at line %d has a head that is not the hash of the log's last decision line", c.no)
	case !c.final && c.count != v.every:
		detail = fmt.Sprintf("digest at line %d comes after %d records, but the header says every %d", c.no, c.count, v.every)
	case c.final && c.count >= v.every:
		detail = fmt.Sprintf("final digest at line %d comes after %d records, but the header says a digest every %d", c.no, c.count, v.every)
	}
	if detail != "" {
		v.fail(c.no, ProblemAltered, detail)
		return true
	}
	if p, detail := v.seal(c); p != ProblemNone {
		v.fail(c.no, p, detail)
		return true
	}
	v.rep.Digests++
	v.count = 0
	if c.final {
		v.inLog = false
	}
	return false
}

// seal checks a digest's signature, or its sum in an unsigned log.
func (v *verifier) seal(c *line) (Problem, string) {
	key, whose := v.pub, "the key given"
	if key == nil {
		key, whose = v.key, "the key the log's header names"
	}
	body := append(append(v.body[:0], c.raw[:c.sealAt]...), '}')
	v.body = body
	switch {
	case key != nil && c.sig == nil:
		return ProblemBadSignature, fmt.Sprintf("digest at line %d is not signed", c.no)
	case key != nil && !ed25519.Verify(key, body, c.sig):
		return ProblemBadSignature, fmt.Sprintf("the signature of the digest at line %d does not verify with %s", c.no, whose)
	case key == nil && c.sig != nil:
		return ProblemAltered, fmt.Sprintf("digest at line %d is signed, but the log's header names no key", c.no)
	case key == nil && sha256.Sum256(body) != c.sum:
		return ProblemAltered, fmt.Sprintf("the sum of the digest at line %d does not match its content", c.no)
	}
	return ProblemNone, ""
}

// vouched reports whether c is as it was written: the line after it
// carries its hash, or it is a digest whose seal holds.
func (v *verifier) vouched(c, n *line) bool {
	if n.chained() && n.prev == c.hash {
		return true
	}
	if c.kind != KindDigest {
		return false
	}
	p, _ := v.seal(c)
	return p == ProblemNone
}

// invalid reports a complete line that is not a valid line of a log.
func (v *verifier) invalid(c, n *line) {
	switch {
	case !v.inLog && n.chained():
		v.fail(c.no, ProblemAltered, fmt.Sprintf("line %d is not a valid header (%s), and line %d continues a log after it", c.no, c.bad, n.no))
	case !v.inLog && v.rep.Logs > 0:
		v.fail(c.no, ProblemMalformed, fmt.Sprintf("line %d follows a final digest without starting a new log: %s", c.no, c.bad))
	case !v.inLog:
		v.fail(c.no, ProblemMalformed, fmt.Sprintf("line %d is not the header of a log: %s", c.no, c.bad))
	case n.chained() && n.prev == v.p.hash:
		v.fail(c.no, ProblemMalformed, fmt.Sprintf("line %d does not belong to the log (%s): line %d follows line %d", c.no, c.bad, n.no, v.p.no))
	default:
		v.fail(c.no, ProblemAltered, fmt.Sprintf("line %d was changed: %s", c.no, c.bad))
	}
}

// gap reports line c, whose seq is past lo..hi, the seqs the log wants
// before it: removed, or reordered when a line with one of those seqs
// comes later in the log. It reads on from n, up to the next header (the
// lines of the next log have seqs of their own), or, when the log's
// header is what is missing, up to the log's final digest (the next
// log's header is not this one's).
func (v *verifier) gap(c, n *line, lo, hi uint64) {
	no, seq := c.no, c.seq
	x := n
	for x != nil {
		if x.bad == "" {
			if lo <= x.seq && x.seq <= hi {
				v.fail(no, ProblemReordered, fmt.Sprintf("line %d has seq %d, but seq %d comes later, at line %d", no, seq, x.seq, x.no))
				return
			}
			if x.kind == KindHeader || lo == 0 && x.kind == KindDigest && x.final {
				break
			}
		}
		if !v.lr.read(c) {
			break
		}
		x = c
	}
	missing := hi - lo + 1
	if lo == 0 {
		v.fail(no, ProblemRemoved, fmt.Sprintf("line %d has seq %d where a log's header should be: the header and %d line(s) after it are missing", no, seq, missing-1))
		return
	}
	v.fail(no, ProblemRemoved, fmt.Sprintf("line %d has seq %d after seq %d (line %d): %d line(s) missing", no, seq, lo-1, v.p.no, missing))
}
