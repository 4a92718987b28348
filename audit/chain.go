package audit

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// MaxLineBytes is the longest line, without its newline, that Chain writes
// and Verify reads: 1 MiB. A record that would encode longer is refused.
const MaxLineBytes = 1 << 20

// DefaultDigestEvery is the number of decision records between digests when
// ChainOptions.DigestEvery is 0.
const DefaultDigestEvery = 1000

// ErrClosed is the error of Write and Close on a closed Chain.
var ErrClosed = errors.New("audit: chain is closed")

// ChainOptions configure a Chain. The zero value digests every
// DefaultDigestEvery records, unsigned, dated by time.Now.
type ChainOptions struct {
	// DigestEvery is the number of decision records between two digest
	// lines: 0 means DefaultDigestEvery; it must not be negative.
	DigestEvery int
	// SigningKey, when set, signs every digest, and the header names its
	// public half. It must be a whole ed25519.PrivateKey (64 bytes, its
	// public half matching its seed). Keep it where whoever can write the
	// log cannot read it: with the key, a log can be rewritten at will.
	SigningKey ed25519.PrivateKey
	// Now dates the header and the digests; nil means time.Now.
	Now func() time.Time
}

// Chain writes decision records as a tamper-evident log: every line but
// the first carries the SHA-256 of the line before it, and a digest line,
// signed when the Chain has a key, follows every DigestEvery records and
// ends the log. Verify reads such a log and reports the first line that
// was altered, removed or moved, or where the log was cut short. A Chain
// is safe for concurrent use: lines are written in the order Write is
// called, each with one Write call to the underlying writer, so a file
// opened with O_APPEND holds no half lines, except after a crash.
//
// Chain format. A log is lines of JSON, each ending in "\n" and at most
// MaxLineBytes long without it, each an object whose first members are
// {"v":1,"kind":KIND,"seq":N, members always in the order shown below (in
// which T, K, P, H and S stand for JSON strings, E, N, C, F and L for
// numbers). There are three kinds of line:
//
//   - the header, the first line of the log and its genesis:
//     {"v":1,"kind":"header","seq":0,"time":T,"digest_every":E,"key":K}
//     where T is when the chain began, E is DigestEvery and K the
//     signing key's public half, in standard base64 with padding (the
//     member is absent when digests are not signed). It has no prev.
//   - decision records, as Record.AppendJSON writes them.
//   - digests:
//     {"v":1,"kind":"digest","seq":N,"prev":P,"time":T,"count":C,"head":H,"first_seq":F,"last_seq":L,"final":true,"sig":S}
//     A digest follows every E decision records, and Close writes the
//     final one, after however many records (maybe none) came since the
//     last. C is that number of records, F and L the seqs of the first and
//     last of them (both members absent when C is 0), H the hash of the
//     last decision line of the log (of the header when there is none; so
//     H equals P when C is not 0), T when the digest was written. "final"
//     is present, and true, on the final digest only. The last member
//     seals the digest: with a key, "sig", the Ed25519 signature of the
//     digest's body in standard base64 with padding; without one, "sum",
//     the SHA-256 of the body. The body is the line without that member:
//     its bytes up to the comma before "sig" (or "sum"), then "}".
//
// seq numbers the lines of a log: the header 0, every other line one more
// than the line before it, whatever its kind, so decision records take 1
// to E, E+2 to 2E+1, and so on. prev, on every line but the header, is the
// SHA-256 of the line before it, its bytes without the newline. Hashes are
// 64 lowercase hex digits, times RFC 3339 in UTC with nanoseconds
// (time.RFC3339Nano), numbers decimal.
//
// What it proves. Given the public key (Verify's pub), a change to any
// byte of a log, a line removed, added or moved, and a log cut short
// anywhere — its final digest missing — are detected: forging the log
// needs the private key. Records written after the last digest are sealed
// by the final one only, so a crash leaves them chained but unsigned, and
// Verify reports the log truncated. Two things are not detected, by
// design: a log replaced as a whole by another log signed with the same
// key, and whole logs removed from a file that holds several one after
// the other (as a host appending to one file across restarts writes):
// each log stands alone. Keep the header times and the final digests'
// heads elsewhere to detect those. Unsigned, or verified without a trusted
// public key, the chain only detects damage and edits made without
// rewriting every line after them: anyone can write a consistent unsigned
// log.
type Chain struct {
	mu    sync.Mutex
	w     io.Writer
	key   ed25519.PrivateKey
	now   func() time.Time
	every int

	seq   uint64            // seq of the last line written
	prev  [sha256.Size]byte // hash of the last line written
	head  [sha256.Size]byte // hash of the last decision line, or of the header
	count int               // decision records since the last digest
	first uint64            // seq of the first of them

	buf []byte // the line being written, reused
	err error  // ErrClosed, or the writer's error that broke the chain
}

// NewChain writes the header of a new log to w and returns the Chain that
// continues it. It fails on a negative DigestEvery, a SigningKey that is
// not a whole Ed25519 private key, or the writer's error.
func NewChain(w io.Writer, o ChainOptions) (*Chain, error) {
	if w == nil {
		return nil, errors.New("audit: NewChain with a nil writer")
	}
	every := o.DigestEvery
	switch {
	case every == 0:
		every = DefaultDigestEvery
	case every < 0:
		return nil, fmt.Errorf("audit: DigestEvery is %d, want 0 (for %d) or more", every, DefaultDigestEvery)
	}
	c := &Chain{w: w, every: every, now: o.Now}
	if c.now == nil {
		c.now = time.Now
	}
	if len(o.SigningKey) > 0 {
		if len(o.SigningKey) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("audit: SigningKey is %d bytes, want %d (an ed25519.PrivateKey)", len(o.SigningKey), ed25519.PrivateKeySize)
		}
		if !bytes.Equal(ed25519.NewKeyFromSeed(o.SigningKey.Seed()), o.SigningKey) {
			return nil, errors.New("audit: SigningKey's public half does not match its seed")
		}
		c.key = append(ed25519.PrivateKey(nil), o.SigningKey...)
	}
	b := append(c.buf, `{"v":`...)
	b = strconv.AppendInt(b, SchemaVersion, 10)
	b = append(b, `,"kind":"header","seq":0,"time":"`...)
	b = c.now().UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","digest_every":`...)
	b = strconv.AppendInt(b, int64(every), 10)
	if c.key != nil {
		b = append(b, `,"key":"`...)
		b = base64.StdEncoding.AppendEncode(b, c.key.Public().(ed25519.PublicKey))
		b = append(b, '"')
	}
	b = append(b, '}')
	c.prev = sha256.Sum256(b)
	c.head = c.prev
	c.buf = append(b, '\n')
	if err := c.emit(0); err != nil {
		return nil, err
	}
	return c, nil
}

// Write sets r.Seq and r.Prev to the record's place in the chain, writes
// it as one line, and, when it is the DigestEvery-th record since the last
// digest, writes a digest after it. After an error from the writer the
// chain is broken — the log may hold part of a line — and every later
// Write and Close returns that error; after Close, Write returns
// ErrClosed. A record that would encode longer than MaxLineBytes is
// refused and the chain goes on without it.
func (c *Chain) Write(r *Record) error {
	if r == nil {
		return errors.New("audit: Write of a nil Record")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	r.Seq = c.seq + 1
	r.Prev = c.prevString()
	b := r.AppendJSON(c.buf[:0])
	if len(b) > MaxLineBytes {
		return fmt.Errorf("audit: record %s encodes to %d bytes, more than MaxLineBytes", r.ID, len(b))
	}
	c.head = sha256.Sum256(b)
	c.buf = append(b, '\n')
	if err := c.emit(r.Seq); err != nil {
		return err
	}
	c.seq++
	c.prev = c.head
	if c.count == 0 {
		c.first = c.seq
	}
	c.count++
	if c.count == c.every {
		return c.digest(false)
	}
	return nil
}

// Close writes the final digest, even when no record came since the last
// one, and closes the chain: later calls of Write and Close return
// ErrClosed. It does not close the underlying writer.
func (c *Chain) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	if err := c.digest(true); err != nil {
		return err
	}
	c.err = ErrClosed
	return nil
}

// digest writes a digest line of the records since the last one.
func (c *Chain) digest(final bool) error {
	b := append(c.buf[:0], `{"v":`...)
	b = strconv.AppendInt(b, SchemaVersion, 10)
	b = append(b, `,"kind":"digest","seq":`...)
	b = strconv.AppendUint(b, c.seq+1, 10)
	b = append(b, `,"prev":"`...)
	b = hex.AppendEncode(b, c.prev[:])
	b = append(b, `","time":"`...)
	b = c.now().UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","count":`...)
	b = strconv.AppendInt(b, int64(c.count), 10)
	b = append(b, `,"head":"`...)
	b = hex.AppendEncode(b, c.head[:])
	b = append(b, '"')
	if c.count > 0 {
		b = append(b, `,"first_seq":`...)
		b = strconv.AppendUint(b, c.first, 10)
		b = append(b, `,"last_seq":`...)
		b = strconv.AppendUint(b, c.seq, 10)
	}
	if final {
		b = append(b, `,"final":true`...)
	}
	b = append(b, '}')
	if c.key != nil {
		sig := ed25519.Sign(c.key, b)
		b = append(b[:len(b)-1], `,"sig":"`...)
		b = base64.StdEncoding.AppendEncode(b, sig)
	} else {
		sum := sha256.Sum256(b)
		b = append(b[:len(b)-1], `,"sum":"`...)
		b = hex.AppendEncode(b, sum[:])
	}
	b = append(b, `"}`...)
	h := sha256.Sum256(b)
	c.buf = append(b, '\n')
	if err := c.emit(c.seq + 1); err != nil {
		return err
	}
	c.seq++
	c.prev = h
	c.count = 0
	return nil
}

// emit writes c.buf, the line of seq, in one call; an error breaks the
// chain.
func (c *Chain) emit(seq uint64) error {
	if _, err := c.w.Write(c.buf); err != nil {
		c.err = fmt.Errorf("audit: chain broken at seq %d: %w", seq, err)
		return c.err
	}
	return nil
}

// prevString returns c.prev in hex, for Record.Prev.
func (c *Chain) prevString() string {
	var b [2 * sha256.Size]byte
	hex.Encode(b[:], c.prev[:])
	return string(b[:])
}
