package audit

import (
	"sync"
	"testing"

	"github.com/s3authz/s3authz/ownership"
)

// The evaluator consults a lockout set through this method.
var _ interface {
	Disabled(ownership.Principal) bool
} = (*LockoutSet)(nil)

func TestLockoutSet(t *testing.T) {
	alice := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/alice")
	aliceOther := ownership.MustParsePrincipal("arn:aws:iam::444455556666:user/alice")
	session1 := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/reader/s1")
	session2 := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/reader/s2")
	root := ownership.MustParsePrincipal("arn:aws:iam::111122223333:root")
	logging, err := ownership.ServicePrincipal("logging.s3.amazonaws.com")
	if err != nil {
		t.Fatal(err)
	}
	all := []ownership.Principal{alice, aliceOther, session1, session2, root, logging, ownership.Anonymous()}

	type op struct {
		enable bool
		p      ownership.Principal
	}
	tests := []struct {
		name string
		ops  []op
		want []ownership.Principal // disabled afterwards; the rest enabled
	}{
		{name: "the zero set disables nobody"},
		{
			name: "a user, not the same name in another account",
			ops:  []op{{p: alice}},
			want: []ownership.Principal{alice},
		},
		{
			name: "a role session, not the role's other sessions",
			ops:  []op{{p: session1}},
			want: []ownership.Principal{session1},
		},
		{
			name: "every anonymous caller, and nobody else",
			ops:  []op{{p: ownership.Anonymous()}},
			want: []ownership.Principal{ownership.Anonymous()},
		},
		{
			name: "anonymous, service and root principals",
			ops:  []op{{p: ownership.Anonymous()}, {p: logging}, {p: root}},
			want: []ownership.Principal{ownership.Anonymous(), logging, root},
		},
		{
			name: "disabling twice, enabling once",
			ops:  []op{{p: alice}, {p: alice}, {enable: true, p: alice}},
		},
		{
			name: "enabling one of two",
			ops:  []op{{p: alice}, {p: session2}, {enable: true, p: alice}},
			want: []ownership.Principal{session2},
		},
		{
			name: "enabling a principal never disabled",
			ops:  []op{{enable: true, p: root}, {p: aliceOther}, {enable: true, p: alice}},
			want: []ownership.Principal{aliceOther},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s LockoutSet
			for _, o := range tt.ops {
				if o.enable {
					s.Enable(o.p)
				} else {
					s.Disable(o.p)
				}
			}
			if s.Len() != len(tt.want) {
				t.Errorf("Len %d, want %d", s.Len(), len(tt.want))
			}
			for _, p := range all {
				want := false
				for _, w := range tt.want {
					want = want || w == p
				}
				if got := s.Disabled(p); got != want {
					t.Errorf("Disabled(%v) = %v, want %v", p, got, want)
				}
			}
		})
	}
}

// TestLockoutSetConcurrent disables, enables and reads from many
// goroutines at once; run it under the race detector.
func TestLockoutSetConcurrent(t *testing.T) {
	const goroutines, principals = 8, 100
	var s LockoutSet
	ps := make([]ownership.Principal, principals)
	for i := range ps {
		ps[i] = testPrincipal(i)
	}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, p := range ps {
				switch {
				case i%goroutines != g:
					s.Disabled(p)
				case i%2 == 0:
					s.Disable(p)
				default:
					s.Disable(p)
					s.Enable(p)
				}
				s.Len()
			}
		}()
	}
	wg.Wait()
	if s.Len() != principals/2 {
		t.Errorf("Len %d, want %d", s.Len(), principals/2)
	}
	for i, p := range ps {
		if got := s.Disabled(p); got != (i%2 == 0) {
			t.Errorf("principal %d: Disabled %v", i, got)
		}
	}
}

// TestLockoutSetAllocBudget pins Disabled, which the evaluator calls for
// every request, at no allocation, whether or not the principal is in the
// set.
func TestLockoutSetAllocBudget(t *testing.T) {
	var s LockoutSet
	in := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/reader/s1")
	out := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/reader/s2")
	s.Disable(in)
	tests := []struct {
		name string
		set  *LockoutSet
		p    ownership.Principal
		want bool
	}{
		{name: "disabled", set: &s, p: in, want: true},
		{name: "enabled", set: &s, p: out, want: false},
		{name: "the zero set", set: new(LockoutSet), p: in, want: false},
		{name: "anonymous", set: &s, p: ownership.Anonymous(), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bool
			allocs := testing.AllocsPerRun(1000, func() { got = tt.set.Disabled(tt.p) })
			if got != tt.want {
				t.Errorf("Disabled %v, want %v", got, tt.want)
			}
			if allocs != 0 {
				t.Errorf("%v allocations per Disabled, want 0", allocs)
			}
		})
	}
}
