package audit

import (
	"bytes"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

// t0 is aligned to the minute, so to the 6s buckets of a 1-minute window.
var t0 = time.Unix(1699999980, 0).UTC()

// testPrincipal returns a distinct IAM user for each i.
func testPrincipal(i int) ownership.Principal {
	return ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/u" + strconv.Itoa(i))
}

// step is one record fed to a Monitor: at is its time after t0. The zero
// step is an implicit denial by principal 0 at t0.
type step struct {
	at        time.Duration
	time      *time.Time // overrides at
	principal int
	decision  evaluate.Decision
	bytes     int64
	canary    bool
}

// fired is an alarm as the tests compare it: the step whose record raised
// it.
type fired struct {
	step      int
	kind      AlarmKind
	count     int64
	principal int
}

func (f fired) String() string {
	return fmt.Sprintf("step %d: %s count %d principal %d", f.step, f.kind, f.count, f.principal)
}

// run feeds steps to a Monitor with options o (OnAlarm set here) and
// returns the alarms, checking what every alarm carries, as fired and as
// they came.
func run(t *testing.T, o MonitorOptions, steps []step) ([]fired, []Alarm) {
	t.Helper()
	var got []fired
	var alarms []Alarm
	principals := map[string]int{}
	o.OnAlarm = func(a Alarm) {
		i, err := strconv.Atoi(a.Record.ID)
		if err != nil {
			t.Fatalf("alarm for a record with ID %q", a.Record.ID)
		}
		if a.Record.Principal != "redacted" {
			t.Errorf("alarm record principal %q, want the record's", a.Record.Principal)
		}
		got = append(got, fired{step: i, kind: a.Kind, count: a.Count, principal: principals[a.Principal.String()]})
		alarms = append(alarms, a)
	}
	m, err := NewMonitor(o)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		p := testPrincipal(s.principal)
		principals[p.String()] = s.principal
		r := Record{ID: strconv.Itoa(i), Time: t0.Add(s.at), Principal: "redacted", Decision: s.decision, Bytes: s.bytes, Canary: s.canary}
		if s.time != nil {
			r.Time = *s.time
		}
		m.Observe(p, &r)
	}
	return got, alarms
}

// only enables one detector.
func only(k AlarmKind, th Threshold) MonitorOptions {
	o := MonitorOptions{Denials: Off(), Rate: Off(), Volume: Off(), Canary: Off()}
	switch k {
	case AlarmDenials:
		o.Denials = th
	case AlarmRate:
		o.Rate = th
	case AlarmVolume:
		o.Volume = th
	case AlarmCanary:
		o.Canary = th
	}
	return o
}

// repeat returns n copies of s, the i-th at s.at + i*every.
func repeat(n int, s step, every time.Duration) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = s
		out[i].at += time.Duration(i) * every
	}
	return out
}

func cat(parts ...[]step) []step {
	var out []step
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func at(d time.Duration) step { return step{at: d} }

func atTime(t time.Time) step { return step{time: &t} }

const sec = time.Second

var allow = evaluate.Allow

func TestMonitorDetectors(t *testing.T) {
	three := Threshold{Count: 3, Window: time.Minute}
	tests := []struct {
		name  string
		opts  MonitorOptions
		steps []step
		want  []fired
	}{
		// Thresholds: the record that reaches Count alarms, not the one
		// before.
		{
			name:  "denials alarm at the third denial",
			opts:  only(AlarmDenials, three),
			steps: []step{at(0), at(sec), at(2 * sec)},
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}},
		},
		{
			name:  "two denials do not alarm",
			opts:  only(AlarmDenials, three),
			steps: []step{at(0), at(sec)},
		},
		{
			name:  "explicit and implicit denials count alike",
			opts:  only(AlarmDenials, three),
			steps: []step{{decision: evaluate.ExplicitDeny}, {decision: evaluate.ImplicitDeny}, {decision: evaluate.ExplicitDeny}},
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}},
		},
		{
			name: "allowed records are not denials",
			opts: only(AlarmDenials, three),
			steps: []step{
				{decision: allow}, {}, {decision: allow}, {}, {decision: allow}, {decision: allow}, {},
			},
			want: []fired{{step: 6, kind: AlarmDenials, count: 3}},
		},
		{
			name:  "rate counts allowed and denied records",
			opts:  only(AlarmRate, Threshold{Count: 4, Window: time.Minute}),
			steps: []step{{decision: allow}, {}, {decision: allow}, {}},
			want:  []fired{{step: 3, kind: AlarmRate, count: 4}},
		},
		{
			name:  "rate: one record short",
			opts:  only(AlarmRate, Threshold{Count: 4, Window: time.Minute}),
			steps: []step{{decision: allow}, {}, {decision: allow}},
		},
		{
			name:  "volume sums bytes up to the threshold exactly",
			opts:  only(AlarmVolume, Threshold{Count: 1000, Window: time.Minute}),
			steps: []step{{bytes: 400}, {}, {bytes: 400}, {bytes: 199}, {bytes: 1}},
			want:  []fired{{step: 4, kind: AlarmVolume, count: 1000}},
		},
		{
			name:  "volume reports the overshoot",
			opts:  only(AlarmVolume, Threshold{Count: 1000, Window: time.Minute}),
			steps: []step{{bytes: 400}, {bytes: 400}, {bytes: 400}},
			want:  []fired{{step: 2, kind: AlarmVolume, count: 1200}},
		},
		{
			name:  "volume ignores negative bytes",
			opts:  only(AlarmVolume, Threshold{Count: 1000, Window: time.Minute}),
			steps: []step{{bytes: 400}, {bytes: -5000}, {bytes: 400}, {bytes: 200}},
			want:  []fired{{step: 3, kind: AlarmVolume, count: 1000}},
		},
		{
			name:  "volume saturates instead of overflowing",
			opts:  only(AlarmVolume, Threshold{Count: math.MaxInt64, Window: time.Minute}),
			steps: []step{{bytes: math.MaxInt64 - 1}, {bytes: math.MaxInt64}},
			want:  []fired{{step: 1, kind: AlarmVolume, count: math.MaxInt64}},
		},
		{
			name:  "principals are counted apart",
			opts:  only(AlarmDenials, three),
			steps: []step{{principal: 0}, {principal: 1}, {principal: 0}, {principal: 1}, {principal: 1}},
			want:  []fired{{step: 4, kind: AlarmDenials, count: 3, principal: 1}},
		},

		// Windows of 1 minute: ten buckets of 6s, aligned on t0.
		{
			name:  "three within exactly the window alarm",
			opts:  only(AlarmDenials, three),
			steps: []step{at(0), at(30 * sec), at(60 * sec)},
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}},
		},
		{
			name:  "a record ten buckets and more behind no longer counts",
			opts:  only(AlarmDenials, three),
			steps: []step{at(5*sec + 999*time.Millisecond), at(30 * sec), at(66 * sec)},
		},
		{
			name:  "a record less than Window+Window/10 behind, in a bucket still in the window, counts",
			opts:  only(AlarmDenials, three),
			steps: []step{at(6 * sec), at(30 * sec), at(71*sec + 999*time.Millisecond)},
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}},
		},
		{
			name:  "records spread more than Window+Window/10 apart never alarm",
			opts:  only(AlarmDenials, three),
			steps: repeat(50, step{}, 33*sec+time.Millisecond),
		},
		{
			name:  "a long pause empties the window",
			opts:  only(AlarmDenials, three),
			steps: []step{at(0), at(sec), at(time.Hour)},
		},
		{
			name: "a window not a multiple of ten nanoseconds rounds its buckets up",
			opts: only(AlarmDenials, Threshold{Count: 2, Window: 15}), // buckets of 2ns
			steps: []step{
				at(0), at(22), // 22ns apart: buckets 0 and 11, no longer together
				at(100), at(121), // buckets 50 and 60: together
			},
			want: []fired{{step: 3, kind: AlarmDenials, count: 2}},
		},

		// Re-arming.
		{
			name:  "no second alarm before Window has passed, one at Window",
			opts:  only(AlarmDenials, three),
			steps: cat(repeat(3, step{}, 0), []step{at(sec), at(2 * sec), at(60*sec - 1), at(60 * sec)}),
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}, {step: 6, kind: AlarmDenials, count: 4}},
		},
		{
			name:  "the records behind an alarm do not count again",
			opts:  only(AlarmDenials, three),
			steps: cat(repeat(3, step{}, 0), []step{at(60 * sec), at(61 * sec), at(62 * sec)}),
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}, {step: 5, kind: AlarmDenials, count: 3}},
		},
		{
			name: "a principal over the threshold alarms once per window",
			opts: only(AlarmDenials, three),
			// Three denials every 10s for 2 minutes: 39 records.
			steps: func() []step {
				var s []step
				for i := range 13 {
					s = append(s, repeat(3, at(time.Duration(i)*10*sec), 0)...)
				}
				return s
			}(),
			want: []fired{
				{step: 2, kind: AlarmDenials, count: 3},   // t=0
				{step: 18, kind: AlarmDenials, count: 16}, // t=60s: 15 since, and itself
				{step: 36, kind: AlarmDenials, count: 18}, // t=120s: 2 left at 60s, 15, itself
			},
		},
		{
			name:  "alarms of one principal do not quiet another",
			opts:  only(AlarmDenials, three),
			steps: cat(repeat(3, step{principal: 0}, sec), repeat(3, step{principal: 1, at: 3 * sec}, sec)),
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}, {step: 5, kind: AlarmDenials, count: 3, principal: 1}},
		},

		// Canaries.
		{
			name:  "the first access to a canary alarms at once, allowed or denied",
			opts:  MonitorOptions{Denials: Off(), Rate: Off(), Volume: Off()},
			steps: []step{{decision: allow}, {decision: allow, canary: true, at: sec}, {principal: 1, canary: true, at: 2 * sec}},
			want:  []fired{{step: 1, kind: AlarmCanary, count: 1}, {step: 2, kind: AlarmCanary, count: 1, principal: 1}},
		},
		{
			name: "canary alarms repeat at most once a window, with the accesses since",
			opts: MonitorOptions{Denials: Off(), Rate: Off(), Volume: Off()},
			steps: []step{
				{canary: true, decision: allow}, {canary: true, at: 10 * sec}, {at: 20 * sec}, {canary: true, at: 59 * sec},
				{canary: true, at: 60 * sec},
			},
			want: []fired{{step: 0, kind: AlarmCanary, count: 1}, {step: 4, kind: AlarmCanary, count: 3}},
		},

		{
			name:  "a canary window of 1ns alarms on every access but those in the same nanosecond",
			opts:  only(AlarmCanary, Threshold{Count: 1, Window: 1}),
			steps: []step{{canary: true}, {canary: true, at: 1}, {canary: true, at: 1}, {canary: true, at: time.Hour}},
			want: []fired{
				{step: 0, kind: AlarmCanary, count: 1}, {step: 1, kind: AlarmCanary, count: 1},
				{step: 3, kind: AlarmCanary, count: 1}, // step 2 has left the window
			},
		},

		// Disabling.
		{
			name:  "Off disables",
			opts:  MonitorOptions{Denials: Off(), Rate: Off(), Volume: Off(), Canary: Off()},
			steps: repeat(100, step{bytes: 1 << 40, canary: true}, 0),
		},
		{
			name:  "a Count of 0 with a Window disables",
			opts:  MonitorOptions{Denials: Threshold{Window: time.Minute}, Rate: Off(), Volume: Off(), Canary: Off()},
			steps: repeat(100, step{}, 0),
		},
		{
			name:  "a zero Window takes the default window",
			opts:  only(AlarmDenials, Threshold{Count: 2}),
			steps: []step{at(0), at(59 * sec)}, // 1 minute by default
			want:  []fired{{step: 1, kind: AlarmDenials, count: 2}},
		},

		// Several alarms from one record, in the order of their kinds.
		{
			name: "one record raising every alarm",
			opts: MonitorOptions{
				Denials: Threshold{Count: 1, Window: time.Minute}, Rate: Threshold{Count: 1, Window: time.Minute},
				Volume: Threshold{Count: 1, Window: time.Minute}, Canary: Threshold{Count: 1, Window: time.Minute},
			},
			steps: []step{{bytes: 10, canary: true}},
			want: []fired{
				{kind: AlarmDenials, count: 1}, {kind: AlarmRate, count: 1},
				{kind: AlarmVolume, count: 10}, {kind: AlarmCanary, count: 1},
			},
		},

		// Times going backwards.
		{
			name:  "a late record counts in its own bucket",
			opts:  only(AlarmDenials, three),
			steps: []step{at(10 * sec), at(5 * sec), at(8 * sec)},
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}},
		},
		{
			name: "a late record counts only while its bucket is in the window",
			opts: only(AlarmDenials, three),
			// At 70s the window is buckets 1..11 (6s to 71.999s): 4s is out.
			steps: []step{at(70 * sec), at(65 * sec), at(6 * sec)},
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}},
		},
		{
			name: "a record older than the window restarts the count",
			opts: only(AlarmDenials, three),
			// At 70s the window is buckets 1..11: 5.999s is out.
			steps: []step{at(70 * sec), at(65 * sec), at(5*sec + 999*time.Millisecond), at(70 * sec)},
		},
		{
			name:  "a late record cannot end the quiet early",
			opts:  only(AlarmDenials, three),
			steps: cat(repeat(3, at(10*sec), 0), repeat(5, at(5*sec), 0)),
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}},
		},
		{
			name:  "a clock stepping back restarts the count",
			opts:  only(AlarmDenials, three),
			steps: []step{at(time.Hour), at(time.Hour), at(0), at(0), at(0)},
			want:  []fired{{step: 4, kind: AlarmDenials, count: 3}},
		},
		{
			name:  "a clock stepping back re-arms",
			opts:  only(AlarmDenials, three),
			steps: cat(repeat(3, at(time.Hour), 0), repeat(3, at(0), 0)),
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}, {step: 5, kind: AlarmDenials, count: 3}},
		},
		{
			name:  "zero times count together",
			opts:  only(AlarmDenials, three),
			steps: []step{atTime(time.Time{}), atTime(time.Time{}), atTime(time.Time{}), at(0), at(0)},
			want:  []fired{{step: 2, kind: AlarmDenials, count: 3}},
		},
		{
			name: "extreme times alternate without harm",
			opts: only(AlarmDenials, three),
			steps: []step{
				atTime(time.Unix(1<<62, 0)), atTime(time.Time{}), atTime(time.Unix(-1<<62, 0)),
				atTime(time.Unix(1<<62, 0)), atTime(time.Unix(0, -1)), atTime(time.Unix(0, 0)), at(0),
			},
		},
		{
			name:  "nanosecond windows across extreme times",
			opts:  only(AlarmDenials, Threshold{Count: 2, Window: 1}),
			steps: []step{atTime(time.Time{}), atTime(time.Unix(1<<62, 0)), atTime(time.Time{}), atTime(time.Time{})},
			want:  []fired{{step: 3, kind: AlarmDenials, count: 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, tt.opts, tt.steps)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("alarms\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestMonitorDefaults checks each default threshold at its edge.
func TestMonitorDefaults(t *testing.T) {
	tests := []struct {
		name       string
		steps      []step
		want       []fired
		wantWindow time.Duration
	}{
		{
			name:       "20 denials within a minute",
			steps:      repeat(20, step{}, 3*sec),
			want:       []fired{{step: 19, kind: AlarmDenials, count: 20}},
			wantWindow: time.Minute,
		},
		{
			name:  "19 denials within a minute",
			steps: repeat(19, step{}, 3*sec),
		},
		{
			name:       "1000 requests within a minute",
			steps:      repeat(1000, step{decision: allow}, 60*time.Millisecond),
			want:       []fired{{step: 999, kind: AlarmRate, count: 1000}},
			wantWindow: time.Minute,
		},
		{
			name:  "999 requests within a minute",
			steps: repeat(999, step{decision: allow}, 60*time.Millisecond),
		},
		{
			name:       "1 GiB within 10 minutes",
			steps:      repeat(4, step{decision: allow, bytes: 256 << 20}, 200*sec),
			want:       []fired{{step: 3, kind: AlarmVolume, count: 1 << 30}},
			wantWindow: 10 * time.Minute,
		},
		{
			name:  "1 GiB less a byte within 10 minutes",
			steps: []step{{decision: allow, bytes: 512 << 20}, {decision: allow, bytes: 512<<20 - 1, at: 10 * time.Minute}},
		},
		{
			name:       "a canary",
			steps:      []step{{decision: allow, canary: true}},
			want:       []fired{{step: 0, kind: AlarmCanary, count: 1}},
			wantWindow: time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, alarms := run(t, MonitorOptions{}, tt.steps)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("alarms\n got %v\nwant %v", got, tt.want)
			}
			for _, a := range alarms {
				if a.Window != tt.wantWindow {
					t.Errorf("window %v, want %v", a.Window, tt.wantWindow)
				}
			}
		})
	}
	m, err := NewMonitor(MonitorOptions{OnAlarm: func(Alarm) {}})
	if err != nil {
		t.Fatal(err)
	}
	want := [numDetectors]detector{
		{count: 20, window: int64(time.Minute), width: int64(6 * sec)},
		{count: 1000, window: int64(time.Minute), width: int64(6 * sec)},
		{count: 1 << 30, window: int64(10 * time.Minute), width: int64(time.Minute)},
		{count: 1, window: int64(time.Minute), width: int64(6 * sec)},
	}
	if m.det != want {
		t.Errorf("detectors %+v, want %+v", m.det, want)
	}
	if len(m.shards) != numShards {
		t.Errorf("%d shards", len(m.shards))
	}
	total := 0
	for i := range m.shards {
		total += m.shards[i].limit
	}
	if total != DefaultMaxPrincipals {
		t.Errorf("shards hold %d principals, want %d", total, DefaultMaxPrincipals)
	}
}

func TestNewMonitorErrors(t *testing.T) {
	on := func(Alarm) {}
	tests := []struct {
		name string
		opts MonitorOptions
		want string // "" for no error
	}{
		{name: "no OnAlarm", opts: MonitorOptions{}, want: "OnAlarm is required"},
		{name: "negative MaxPrincipals", opts: MonitorOptions{OnAlarm: on, MaxPrincipals: -1}, want: "MaxPrincipals is negative"},
		{name: "negative count", opts: MonitorOptions{OnAlarm: on, Rate: Threshold{Count: -1, Window: time.Minute}}, want: "Rate.Count is negative"},
		{name: "negative window", opts: MonitorOptions{OnAlarm: on, Volume: Threshold{Count: 1, Window: -time.Minute}}, want: "Volume.Window is negative"},
		{name: "negative window, disabled", opts: MonitorOptions{OnAlarm: on, Canary: Threshold{Window: -time.Minute}}},
		{name: "defaults", opts: MonitorOptions{OnAlarm: on}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMonitor(tt.opts)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one with %q", err, tt.want)
			case tt.want != "" && m != nil:
				t.Errorf("a Monitor with the error")
			}
		})
	}
}

func TestAlarmKindString(t *testing.T) {
	tests := []struct {
		kind AlarmKind
		want string
	}{
		{kind: AlarmDenials, want: "repeated-denials"},
		{kind: AlarmRate, want: "request-rate"},
		{kind: AlarmVolume, want: "retrieval-volume"},
		{kind: AlarmCanary, want: "canary-access"},
		{kind: 0, want: "AlarmKind(0)"},
		{kind: 5, want: "AlarmKind(5)"},
	}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.want {
			t.Errorf("%d: %q, want %q", tt.kind, got, tt.want)
		}
	}
}

// TestAlarmNoPrincipal checks that printing or logging an Alarm leaves out
// the principal's name.
func TestAlarmNoPrincipal(t *testing.T) {
	p := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/alice.smith")
	red, err := NewRedactor(Omit, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := Alarm{Kind: AlarmDenials, Principal: p, Count: 20, Window: time.Minute,
		Record: Record{ID: "d1", Time: t0, Principal: red.Principal(p), Action: "s3:GetObject", Grant: -1}}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("alarm", "alarm", a)
	for _, s := range []string{a.String(), fmt.Sprint(a), fmt.Sprintf("%+v", a), buf.String()} {
		if strings.Contains(s, "alice") {
			t.Errorf("the principal's name in %s", s)
		}
	}
	if got, want := a.String(), "repeated-denials: 20 within 1m0s"; got != want {
		t.Errorf("String %q, want %q", got, want)
	}
	for _, want := range []string{`"kind":"repeated-denials"`, `"count":20`, `"id":"d1"`, `"principal":"arn:aws:iam::111122223333:user/"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %s lacks %s", buf.String(), want)
		}
	}
}

// TestMonitorEviction feeds 100 000 principals to a Monitor that may track
// 1000, while one principal keeps coming back.
func TestMonitorEviction(t *testing.T) {
	const max, cold, every = 1000, 100000, 10
	tests := []struct {
		name string
		max  int
	}{
		{name: "MaxPrincipals 1000", max: max},
		{name: "fewer principals than shards", max: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var alarms []Alarm
			m, err := NewMonitor(MonitorOptions{
				Denials: Threshold{Count: cold / every, Window: time.Minute}, Rate: Off(), Volume: Off(), Canary: Off(),
				MaxPrincipals: tt.max,
				OnAlarm:       func(a Alarm) { alarms = append(alarms, a) },
			})
			if err != nil {
				t.Fatal(err)
			}
			hot := ownership.MustParsePrincipal("arn:aws:iam::999988887777:user/hot")
			for i := range cold {
				r := Record{Time: t0.Add(time.Duration(i) * 100 * time.Microsecond), Decision: evaluate.Allow}
				m.Observe(testPrincipal(i), &r)
				if i%every == every-1 {
					r.Decision = evaluate.ImplicitDeny
					m.Observe(hot, &r)
				}
				if i%1000 == 999 {
					n, _, ok := m.tracked()
					if n > tt.max || !ok {
						t.Fatalf("after %d principals: %d tracked (consistent %v), at most %d", i+1, n, ok, tt.max)
					}
				}
			}
			// Every principal was added once, the hot one again after each
			// time it was evicted.
			n, evicted, _ := m.tracked()
			if n != tt.max || int64(n)+evicted < cold+1 || tt.max == max && int64(n)+evicted != cold+1 {
				t.Errorf("%d tracked, %d evicted; want %d tracked of %d", n, evicted, tt.max, cold+1)
			}
			// With a shard of its own (5 shards of one), the hot principal
			// is evicted by every cold one that lands there; with room for
			// 15 or so, it survives and its count reaches the threshold.
			if tt.max == max && (len(alarms) != 1 || alarms[0].Principal != hot || alarms[0].Count != cold/every) {
				t.Errorf("alarms %v, want one for the hot principal", alarms)
			}
		})
	}
}

// TestMonitorConcurrent observes from many goroutines at once; each
// principal gets exactly its threshold of denials, so each must alarm
// exactly once, whatever the interleaving.
func TestMonitorConcurrent(t *testing.T) {
	const goroutines, principals, perPrincipal = 8, 50, 5
	var mu sync.Mutex
	alarms := map[string]int64{}
	var lockout LockoutSet
	m, err := NewMonitor(MonitorOptions{
		Denials: Threshold{Count: goroutines * perPrincipal, Window: time.Minute},
		Rate:    Off(), Volume: Off(), Canary: Off(),
		OnAlarm: func(a Alarm) {
			lockout.Disable(a.Principal)
			mu.Lock()
			defer mu.Unlock()
			alarms[a.Principal.String()] += a.Count
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ps := make([]ownership.Principal, principals)
	for i := range ps {
		ps[i] = testPrincipal(i)
	}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perPrincipal * principals {
				// Out of order across goroutines, within one bucket.
				r := Record{Time: t0.Add(time.Duration(g*100+i) * time.Millisecond)}
				m.Observe(ps[(i+g)%principals], &r)
				lockout.Disabled(ps[i%principals])
			}
		}()
	}
	wg.Wait()
	if len(alarms) != principals || lockout.Len() != principals {
		t.Errorf("%d principals alarmed, %d disabled, want %d", len(alarms), lockout.Len(), principals)
	}
	for p, c := range alarms {
		if c != goroutines*perPrincipal {
			t.Errorf("%s: count %d, want %d", p, c, goroutines*perPrincipal)
		}
	}
}

// modelRing is the window of one detector as Monitor's doc states it,
// keeping every record instead of buckets.
type modelRing struct {
	started           bool
	head, last, quiet int64
	events            []struct{ bucket, v int64 }
}

func (r *modelRing) add(d detector, now, v int64) int64 {
	b := now / d.width // times are positive here
	switch {
	case !r.started:
		r.started, r.head, r.last, r.quiet = true, b, now, math.MinInt64
	case b > r.head:
		r.head, r.last = b, now
	case r.head-b <= buckets:
		r.last = max(r.last, now)
	default:
		r.head, r.last, r.quiet, r.events = b, now, math.MinInt64, nil
	}
	r.events = append(r.events, struct{ bucket, v int64 }{b, v})
	var total int64
	for _, e := range r.events {
		if e.bucket >= r.head-buckets {
			total += e.v
		}
	}
	if total < d.count || r.last < r.quiet {
		return 0
	}
	r.quiet, r.events = r.last+d.window, nil
	return total
}

// TestMonitorModel compares the Monitor with modelRing on random streams of
// records, mostly in order, some late, with the clock sometimes jumping.
func TestMonitorModel(t *testing.T) {
	opts := MonitorOptions{
		Denials: Threshold{Count: 5, Window: 20 * sec},
		Rate:    Threshold{Count: 8, Window: 15 * sec},
		Volume:  Threshold{Count: 1000, Window: 30 * sec},
		Canary:  Threshold{Count: 2, Window: 10 * sec},
	}
	for seed := range uint64(20) {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			const principals = 3
			var want []fired
			var model [principals][numDetectors]modelRing
			o := opts
			o.OnAlarm = func(Alarm) {}
			m, err := NewMonitor(o)
			if err != nil {
				t.Fatal(err)
			}
			clock := t0
			var steps []step
			for i := range 3000 {
				switch x := rng.IntN(1000); {
				case x < 5:
					clock = clock.Add(-2 * time.Minute)
				case x < 10:
					clock = clock.Add(5 * time.Minute)
				default:
					clock = clock.Add(time.Duration(rng.Int64N(int64(sec))))
				}
				when := clock
				if rng.IntN(10) == 0 {
					when = when.Add(-time.Duration(rng.Int64N(int64(25 * sec))))
				}
				s := step{time: &when, principal: rng.IntN(principals), bytes: rng.Int64N(300) - 20, canary: rng.IntN(10) == 0}
				if rng.IntN(3) > 0 {
					s.decision = evaluate.Allow
				}
				steps = append(steps, s)
				add := [numDetectors]int64{1: 1}
				if s.decision != evaluate.Allow {
					add[0] = 1
				}
				if s.bytes > 0 {
					add[2] = s.bytes
				}
				if s.canary {
					add[3] = 1
				}
				for k := range add {
					if add[k] == 0 {
						continue
					}
					if c := model[s.principal][k].add(m.det[k], when.UnixNano(), add[k]); c > 0 {
						want = append(want, fired{step: i, kind: AlarmKind(k + 1), count: c, principal: s.principal})
					}
				}
			}
			got, _ := run(t, opts, steps)
			kinds := map[AlarmKind]int{}
			for _, f := range want {
				kinds[f.kind]++
			}
			if len(kinds) != numDetectors {
				t.Errorf("alarms by kind %v: the stream does not exercise every detector", kinds)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("alarm %d: got %v, want %v", i, got[i], want[i])
					}
				}
				t.Fatalf("%d alarms, want %d", len(got), len(want))
			}
		})
	}
}

// benchMonitor returns a Monitor that knows principals, and a record that
// raises no alarm when each principal's records are 1ms times the number
// of principals apart.
func benchMonitor(tb testing.TB, alarms *atomic.Int64) (*Monitor, []ownership.Principal) {
	m, err := NewMonitor(MonitorOptions{OnAlarm: func(Alarm) { alarms.Add(1) }})
	if err != nil {
		tb.Fatal(err)
	}
	ps := make([]ownership.Principal, 1000)
	for i := range ps {
		ps[i] = testPrincipal(i)
		r := benchRecord(t0)
		m.Observe(ps[i], &r)
	}
	return m, ps
}

func benchRecord(t time.Time) Record {
	return Record{
		ID: "d", Time: t, Principal: "arn:aws:iam::111122223333:user/", Action: "s3:GetObject",
		Bucket: "b", Key: "k", Decision: evaluate.Allow, Bytes: 64 << 10,
	}
}

// TestMonitorAllocBudget pins the common path, a known principal and no
// alarm, at no allocation.
func TestMonitorAllocBudget(t *testing.T) {
	var alarms atomic.Int64
	m, ps := benchMonitor(t, &alarms)
	r := benchRecord(t0)
	i := 0
	allocs := testing.AllocsPerRun(5000, func() {
		i++
		r.Time = t0.Add(time.Duration(i) * time.Millisecond)
		m.Observe(ps[i%len(ps)], &r)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per Observe, want 0", allocs)
	}
	if n := alarms.Load(); n != 0 {
		t.Errorf("%d alarms: not the common path", n)
	}
}

func BenchmarkMonitorObserve(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		var alarms atomic.Int64
		m, ps := benchMonitor(b, &alarms)
		r := benchRecord(t0)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			r.Time = t0.Add(time.Duration(i) * time.Millisecond)
			m.Observe(ps[i%len(ps)], &r)
		}
		b.ReportMetric(float64(alarms.Load()), "alarms")
	})
	b.Run("parallel", func(b *testing.B) {
		var alarms atomic.Int64
		m, ps := benchMonitor(b, &alarms)
		var next atomic.Int64
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			// Each goroutine takes its own principals and clock.
			g := int(next.Add(1))
			r := benchRecord(t0)
			i := 0
			for pb.Next() {
				i++
				r.Time = t0.Add(time.Duration(i) * time.Millisecond)
				m.Observe(ps[(i*7+g*131)%len(ps)], &r)
			}
		})
		b.ReportMetric(float64(alarms.Load()), "alarms")
	})
}
