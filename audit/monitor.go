package audit

import (
	"errors"
	"hash/maphash"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

// AlarmKind says which detector of a [Monitor] raised an [Alarm]. The
// Data Protection Policy (§2.6) asks for investigative alarms on "multiple
// unauthorized calls, unexpected request rate and data retrieval volume,
// and access to canary data records": one kind each.
type AlarmKind uint8

const (
	// AlarmDenials: a principal was denied too often ([MonitorOptions].Denials).
	AlarmDenials AlarmKind = iota + 1
	// AlarmRate: a principal made too many requests ([MonitorOptions].Rate).
	AlarmRate
	// AlarmVolume: a principal's requests moved too many bytes
	// ([MonitorOptions].Volume).
	AlarmVolume
	// AlarmCanary: a principal reached a canary bucket or object
	// ([MonitorOptions].Canary).
	AlarmCanary
)

// numDetectors is the number of alarm kinds; detector k raises AlarmKind(k+1).
const numDetectors = 4

var alarmKindNames = [...]string{"", "repeated-denials", "request-rate", "retrieval-volume", "canary-access"}

// String returns "repeated-denials", "request-rate", "retrieval-volume" or
// "canary-access".
func (k AlarmKind) String() string {
	if k > 0 && int(k) < len(alarmKindNames) {
		return alarmKindNames[k]
	}
	return "AlarmKind(" + strconv.Itoa(int(k)) + ")"
}

// Threshold is when a detector alarms: when Count is reached within Window
// (see [Monitor] for exactly which records count together). For the
// volume detector Count is in bytes, for the others in records.
//
// The zero Threshold takes the detector's default; a zero Window alone
// takes the default window. A Count of 0 with any other Window disables
// the detector (spell it [Off]()). A negative Count, or a positive Count with
// a negative Window, is an error.
type Threshold struct {
	Count  int64
	Window time.Duration
}

// Off returns a Threshold that disables its detector.
func Off() Threshold { return Threshold{Count: 0, Window: -1} }

// The detectors' defaults, as MonitorOptions documents them.
var (
	defaultDenials = Threshold{Count: 20, Window: time.Minute}
	defaultRate    = Threshold{Count: 1000, Window: time.Minute}
	defaultVolume  = Threshold{Count: 1 << 30, Window: 10 * time.Minute}
	defaultCanary  = Threshold{Count: 1, Window: time.Minute}
)

// DefaultMaxPrincipals is the default of [MonitorOptions].MaxPrincipals.
const DefaultMaxPrincipals = 10000

// MonitorOptions configures a [Monitor]. Only OnAlarm is required.
type MonitorOptions struct {
	// Denials counts the records whose Decision is not Allow (explicit and
	// implicit denials alike), raising AlarmDenials. Default: 20 within
	// 1 minute.
	Denials Threshold
	// Rate counts every record, raising AlarmRate. Default: 1000 within
	// 1 minute.
	Rate Threshold
	// Volume sums the records' Bytes, the data the host reports each
	// request moved (records with Bytes 0 or less do not count), raising
	// AlarmVolume. Default: 1 GiB within 10 minutes.
	Volume Threshold
	// Canary counts the records whose Canary is set, allowed or denied,
	// raising AlarmCanary. Default: 1 within 1 minute, so
	// the first access alarms at once and a principal that keeps reaching
	// canaries alarms again at most once a minute, each alarm with the
	// number of its accesses within the window since the previous one. A
	// Window of 1ns alarms on every access but those in the same
	// nanosecond.
	Canary Threshold
	// MaxPrincipals bounds the principals tracked at once, and so the
	// memory: about 500 bytes each, some 5 MB at the default of
	// DefaultMaxPrincipals (10 000). See Monitor for the eviction.
	MaxPrincipals int
	// OnAlarm receives every alarm (required). It is called synchronously
	// by the Observe that raised the alarm, after the Monitor released its
	// locks, and may be called from several goroutines at once. It must
	// return quickly — hand anything slow to another goroutine — for the
	// request whose decision raised the alarm waits for it. It may call
	// Observe. A panic in OnAlarm reaches Observe's caller and leaves the
	// Monitor consistent.
	OnAlarm func(Alarm)
}

// Alarm is what a detector raises.
type Alarm struct {
	// Kind is the detector.
	Kind AlarmKind
	// Principal is the caller, as given to Observe, for acting on it —
	// [LockoutSet.Disable] for one. It names a person: it is PII, so never
	// log it; log Record, whose principal is redacted. Alarm's String and
	// LogValue leave it out.
	Principal ownership.Principal
	// Count is the detector's count within Window when it alarmed: at
	// least the threshold's Count (more for the volume detector, whose
	// last record may overshoot). It counts only records since the
	// principal's previous alarm of this kind.
	Count int64
	// Window is the detector's window.
	Window time.Duration
	// Record is the record that reached the threshold.
	Record Record
}

// String describes the alarm without its principal:
// "repeated-denials: 20 within 1m0s".
func (a Alarm) String() string {
	return a.Kind.String() + ": " + strconv.FormatInt(a.Count, 10) + " within " + a.Window.String()
}

// LogValue implements slog.LogValuer: the kind, count, window and record,
// never Principal.
func (a Alarm) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", a.Kind.String()),
		slog.Int64("count", a.Count),
		slog.Duration("window", a.Window),
		slog.Any("record", a.Record),
	)
}

// buckets is the number of buckets a window is divided into; a ring holds
// one more, for the bucket in progress.
const (
	buckets = 10
	slots   = buckets + 1
)

// numShards is the number of independently locked parts of a Monitor.
const numShards = 64

// Monitor watches a stream of decisions for the suspicious patterns the
// Data Protection Policy (§2.6) names, per principal, and calls
// [MonitorOptions].OnAlarm when one appears. Create it with
// [NewMonitor] and give it every decision with [Monitor.Observe]. It is
// safe for concurrent use.
//
// # Windows
//
// A detector's Window is divided into 10 buckets of Window/10 (rounded up
// to the nanosecond), aligned on the Unix epoch: a record falls in bucket
// floor(Time/width). A detector's count for a principal is what the
// principal's counting records put in the newest bucket it has reached and
// the 10 before it. So any Count records within Window of each other
// (inclusive) always alarm, and records more than Window+Window/10 apart
// are never counted together; between the two it depends on where the
// bucket boundaries fall. Time is the Record's: the Monitor reads no
// clock, so a log replayed later alarms as it would have live.
//
// # Alarms and re-arming
//
// A detector alarms on the counting record that makes its count reach the
// threshold's Count (the record before does not). Then, for that principal
// and kind, it starts over and holds still: the count restarts at zero, so
// no record backs two alarms, and it does not alarm again before Window
// has passed since the alarm (by record time). The first counting record
// at or after that time whose count — of records since the alarm, within
// the window — reaches Count alarms again. A principal that stays over a
// threshold therefore alarms once per Window, not once per record.
// Records that do not count for a detector (an allowed record for
// Denials, no Bytes for Volume) never raise its alarm.
//
// # Times out of order
//
// Records may arrive out of order, from concurrent callers. A record
// earlier than the latest one a detector saw for the principal counts in
// its own bucket while that bucket is within the window, and the window
// stays at the latest time. A record whose bucket has left the window —
// more than Window, and at most Window+Window/10, earlier than the
// latest — is taken for the clock stepping back: it restarts that
// principal's detector at the record's time, dropping what it counted and
// re-arming it, so that a single record far in the future cannot silence a
// principal for long. A zero or out-of-range Time is taken as the earliest
// (or latest) time representable; nothing panics.
//
// # Memory
//
// Principals are tracked by a 64-bit hash of [ownership.Principal.String]
// under a random seed per Monitor; the Monitor keeps no names. (Two
// principals sharing a hash would share counts; with the random seed
// nobody can arrange it.) At most MaxPrincipals are tracked, split
// evenly over 64 independently locked shards, so eviction can begin a
// little before MaxPrincipals in all. A new principal in a full shard
// evicts one found by the CLOCK policy: the shard's hand sweeps its
// entries, sparing — once — an entry seen again since the hand last
// passed it and evicting the first that was not. A new principal starts
// unmarked, so principals seen once (an attacker rotating names) are
// evicted before those that keep coming back, and rotating names cannot
// grow memory. Eviction forgets a principal's counts and its re-arm time:
// a slow attacker, seen less often than the hand comes round while many
// new principals arrive, can be forgotten, and its next alarm delayed.
//
// A role session is its own principal, so is each session of a role; the
// anonymous caller is one principal.
//
// The thresholds are fixed and set by the host, not learned: unlike a
// service that learns each principal's baseline (as Amazon GuardDuty's S3
// protection does from CloudTrail data events), a Monitor needs no history
// and alarms the same way for a principal it has never seen.
type Monitor struct {
	seed    maphash.Seed
	det     [numDetectors]detector
	onAlarm func(Alarm)
	shards  []shard
}

// detector is one detector's configuration.
type detector struct {
	count  int64 // threshold; 0 disables
	window int64 // nanoseconds
	width  int64 // bucket width, nanoseconds
}

type shard struct {
	mu      sync.Mutex
	index   map[uint64]int32 // key → position in entries
	entries []entry
	limit   int // the shard's share of MaxPrincipals
	hand    int // CLOCK hand, a position in entries
	evicted int64
	_       [64]byte // keeps shards' locks off each other's cache lines
}

// entry is one tracked principal.
type entry struct {
	key  uint64
	seen bool // CLOCK reference bit
	ring [numDetectors]ring
}

// ring is one detector's sliding window for one principal.
type ring struct {
	head  int64 // the newest bucket reached
	last  int64 // the latest time counted, in nanoseconds since the epoch
	quiet int64 // no alarm before this time
	n     [slots]int64
}

// NewMonitor returns a Monitor with the options o, the zero fields taking
// their defaults. It fails when OnAlarm is nil, a Threshold is invalid or
// MaxPrincipals is negative.
func NewMonitor(o MonitorOptions) (*Monitor, error) {
	if o.OnAlarm == nil {
		return nil, errors.New("audit: MonitorOptions.OnAlarm is required")
	}
	if o.MaxPrincipals < 0 {
		return nil, errors.New("audit: MonitorOptions.MaxPrincipals is negative")
	}
	if o.MaxPrincipals == 0 {
		o.MaxPrincipals = DefaultMaxPrincipals
	}
	m := &Monitor{seed: maphash.MakeSeed(), onAlarm: o.OnAlarm}
	ths := [numDetectors]Threshold{o.Denials, o.Rate, o.Volume, o.Canary}
	defs := [numDetectors]Threshold{defaultDenials, defaultRate, defaultVolume, defaultCanary}
	names := [numDetectors]string{"Denials", "Rate", "Volume", "Canary"}
	for k, t := range ths {
		switch {
		case t == Threshold{}:
			t = defs[k]
		case t.Count < 0:
			return nil, errors.New("audit: MonitorOptions." + names[k] + ".Count is negative")
		case t.Count == 0:
			continue // off
		case t.Window < 0:
			return nil, errors.New("audit: MonitorOptions." + names[k] + ".Window is negative")
		case t.Window == 0:
			t.Window = defs[k].Window
		}
		w := int64(t.Window)
		m.det[k] = detector{count: t.Count, window: w, width: (w + buckets - 1) / buckets}
	}
	n := min(numShards, o.MaxPrincipals)
	m.shards = make([]shard, n)
	for i := range m.shards {
		s := &m.shards[i]
		s.limit = o.MaxPrincipals / n
		if i < o.MaxPrincipals%n {
			s.limit++
		}
		s.index = make(map[uint64]int32)
	}
	return m, nil
}

// Observe counts the decision r of the caller p and calls OnAlarm for
// each alarm it raises, in the order of their kinds. p is the real caller
// — r's principal is redacted, and under Omit all of an account's users
// look alike — and is used only as a hash key and in the Alarm. Observe
// keeps neither p nor r (an Alarm holds a copy of r). A nil r is ignored. On the common path, no alarm, Observe does not allocate.
func (m *Monitor) Observe(p ownership.Principal, r *Record) {
	if r == nil {
		return
	}
	var add [numDetectors]int64
	if r.Decision != evaluate.Allow {
		add[0] = 1
	}
	add[1] = 1
	if r.Bytes > 0 {
		add[2] = r.Bytes
	}
	if r.Canary {
		add[3] = 1
	}
	now := nanos(r.Time)
	key := maphash.String(m.seed, p.String())
	s := &m.shards[key%uint64(len(m.shards))]

	var fired [numDetectors]int64
	alarmed := false
	s.mu.Lock()
	e := s.lookup(key, now, &m.det)
	for k := range m.det {
		d := &m.det[k]
		if d.count == 0 || add[k] == 0 {
			continue
		}
		if c := e.ring[k].add(d, now, add[k]); c > 0 {
			fired[k] = c
			alarmed = true
		}
	}
	s.mu.Unlock()

	if !alarmed {
		return
	}
	for k, c := range fired {
		if c > 0 {
			m.onAlarm(Alarm{Kind: AlarmKind(k + 1), Principal: p, Count: c, Window: time.Duration(m.det[k].window), Record: *r})
		}
	}
}

// lookup returns the entry for key, marked seen, adding one (and evicting
// another when the shard is full) for a new key. s.mu is held.
func (s *shard) lookup(key uint64, now int64, det *[numDetectors]detector) *entry {
	if i, ok := s.index[key]; ok {
		e := &s.entries[i]
		e.seen = true
		return e
	}
	var i int
	if len(s.entries) < s.limit {
		if len(s.entries) == cap(s.entries) {
			// Grow as append would, but never past the limit.
			grown := make([]entry, len(s.entries), min(max(2*cap(s.entries), 8), s.limit))
			copy(grown, s.entries)
			s.entries = grown
		}
		i = len(s.entries)
		s.entries = s.entries[:i+1]
	} else {
		// CLOCK: spare each marked entry once, evict the first unmarked.
		// At most one full turn clears every mark, so this ends.
		for {
			e := &s.entries[s.hand]
			if !e.seen {
				break
			}
			e.seen = false
			s.hand = (s.hand + 1) % len(s.entries)
		}
		i = s.hand
		s.hand = (s.hand + 1) % len(s.entries)
		delete(s.index, s.entries[i].key)
		s.evicted++
	}
	e := &s.entries[i]
	*e = entry{key: key}
	for k := range e.ring {
		if d := &det[k]; d.count > 0 {
			e.ring[k].reset(d, now)
		}
	}
	s.index[key] = int32(i)
	return e
}

// reset starts the ring over at time now, empty and armed.
func (r *ring) reset(d *detector, now int64) {
	r.head = floorDiv(now, d.width)
	r.last = now
	r.quiet = math.MinInt64
	r.n = [slots]int64{}
}

// add counts v at time now and reports the count when it raises an alarm,
// 0 otherwise.
func (r *ring) add(d *detector, now, v int64) int64 {
	b := floorDiv(now, d.width)
	switch {
	case b > r.head:
		// Forward: empty the buckets that leave the window. Differences
		// are taken unsigned: with a width of 1ns they may exceed int64.
		if steps := uint64(b) - uint64(r.head); steps >= slots {
			r.n = [slots]int64{}
		} else {
			for i := uint64(1); i <= steps; i++ {
				r.n[slot(r.head+int64(i))] = 0
			}
		}
		r.head = b
		r.last = now
	case uint64(r.head)-uint64(b) < slots:
		// Within the window: the record's own bucket.
		if now > r.last {
			r.last = now
		}
	default:
		// Older than the window: the clock stepped back.
		r.reset(d, now)
	}
	i := slot(b)
	r.n[i] = addSat(r.n[i], v)
	var total int64
	for _, c := range r.n {
		total = addSat(total, c)
	}
	if total < d.count || r.last < r.quiet {
		return 0
	}
	r.quiet = addSat(r.last, d.window)
	r.n = [slots]int64{}
	return total
}

// slot is the position of bucket b in a ring.
func slot(b int64) int {
	i := b % slots
	if i < 0 {
		i += slots
	}
	return int(i)
}

// nanos is t in nanoseconds since the Unix epoch, clamped to int64 (the
// zero Time, year 1, is math.MinInt64).
func nanos(t time.Time) int64 {
	const maxSec = math.MaxInt64/int64(time.Second) - 1
	s := t.Unix()
	switch {
	case s > maxSec:
		return math.MaxInt64
	case s < -maxSec:
		return math.MinInt64
	}
	return s*1e9 + int64(t.Nanosecond())
}

// floorDiv is a/b rounded toward minus infinity, for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// addSat is a+b for b >= 0, saturating at math.MaxInt64.
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// tracked returns the number of principals tracked and evicted so far,
// and whether every shard's index matches its entries and their memory is
// within its limit; for tests.
func (m *Monitor) tracked() (n int, evicted int64, ok bool) {
	ok = true
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		if len(s.index) != len(s.entries) || cap(s.entries) > s.limit {
			ok = false
		}
		n += len(s.entries)
		evicted += s.evicted
		s.mu.Unlock()
	}
	return n, evicted, ok
}
