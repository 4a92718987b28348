package audit_test

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

// A Monitor's alarms feed a LockoutSet: a principal denied too often, or
// reaching a canary, is disabled, and the evaluator denies it from then
// on. The handler acts on Alarm.Principal but logs only the alarm, whose
// record names the principal redacted.
func ExampleMonitor() {
	var lockout audit.LockoutSet
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // the clock's time: for a stable output
			}
			return a
		},
	}))
	m, err := audit.NewMonitor(audit.MonitorOptions{
		Denials: audit.Threshold{Count: 3, Window: time.Minute},
		OnAlarm: func(a audit.Alarm) {
			switch a.Kind {
			case audit.AlarmDenials, audit.AlarmCanary:
				lockout.Disable(a.Principal)
			}
			log.Warn("audit alarm", "alarm", a)
		},
	})
	if err != nil {
		panic(err)
	}
	red, err := audit.NewRedactor(audit.Omit, nil)
	if err != nil {
		panic(err)
	}

	// Each decision becomes a record, redacted, and the Monitor sees it
	// with the real caller.
	observe := func(p ownership.Principal, at time.Time, bucket string, d evaluate.Decision, canary bool) {
		r := audit.Record{
			ID: fmt.Sprintf("d%d", at.Second()), Time: at, Principal: red.Principal(p), Account: string(p.Account()),
			Action: "s3:GetObject", Bucket: red.Text(bucket), Decision: d, Grant: -1, Canary: canary,
		}
		m.Observe(p, &r)
	}
	t := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	mallory := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/mallory")
	trent := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/trent")
	for i := range 3 {
		observe(mallory, t.Add(time.Duration(i)*time.Second), "payroll", evaluate.ImplicitDeny, false)
	}
	observe(trent, t.Add(5*time.Second), "honeypot", evaluate.Allow, true)

	fmt.Println("mallory disabled:", lockout.Disabled(mallory))
	fmt.Println("trent disabled:", lockout.Disabled(trent))
	fmt.Println("disabled:", lockout.Len())
	// Output:
	// level=WARN msg="audit alarm" alarm.kind=repeated-denials alarm.count=3 alarm.window=1m0s alarm.record.id=d2 alarm.record.time=2026-05-04T12:00:02.000Z alarm.record.principal=arn:aws:iam::111122223333:user/ alarm.record.account=111122223333 alarm.record.action=s3:GetObject alarm.record.decision=implicit-deny alarm.record.stage=none alarm.record.code=none
	// level=WARN msg="audit alarm" alarm.kind=canary-access alarm.count=1 alarm.window=1m0s alarm.record.id=d5 alarm.record.time=2026-05-04T12:00:05.000Z alarm.record.principal=arn:aws:iam::111122223333:user/ alarm.record.account=111122223333 alarm.record.action=s3:GetObject alarm.record.decision=allow alarm.record.stage=none alarm.record.code=none alarm.record.canary=true
	// mallory disabled: true
	// trent disabled: true
	// disabled: 2
}
