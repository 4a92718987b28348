package audit

import (
	"sync"

	"github.com/s3authz/s3authz/ownership"
)

// LockoutSet is a set of disabled principals: the "account lockout" of the
// Data Protection Policy (§1.2), which asks for detecting anomalous usage
// and disabling the accounts concerned. A [Monitor]'s OnAlarm can feed it
// (see the Monitor example), and so can the host. The evaluator consults
// it through an interface with the one method Disabled(ownership.Principal)
// bool, which *LockoutSet has, so that a disabled principal is denied
// before anything else is evaluated.
//
// Principals are told apart by [ownership.Principal.String]: an IAM user
// by its ARN, a role session by its session ARN — so disabling one session
// leaves the role's other sessions, and its future ones, enabled — a
// service by its name, and every anonymous caller is the one principal
// "anonymous". Entries stay until Enable removes them; the set does not
// expire them, and holds whatever the host and its alarms put in it, so a
// host should review it (Len) and re-enable principals after
// investigation.
//
// The zero LockoutSet is empty and ready to use. It is safe for concurrent
// use; Disabled takes only a read lock and does not allocate. A
// LockoutSet must not be copied after first use.
type LockoutSet struct {
	mu       sync.RWMutex
	disabled map[string]struct{}
}

// Disable adds p to the set. Disabling a disabled principal does nothing.
func (s *LockoutSet) Disable(p ownership.Principal) {
	s.mu.Lock()
	if s.disabled == nil {
		s.disabled = make(map[string]struct{})
	}
	s.disabled[p.String()] = struct{}{}
	s.mu.Unlock()
}

// Enable removes p from the set. Enabling a principal that is not disabled
// does nothing.
func (s *LockoutSet) Enable(p ownership.Principal) {
	s.mu.Lock()
	delete(s.disabled, p.String())
	s.mu.Unlock()
}

// Disabled reports whether p is in the set.
func (s *LockoutSet) Disabled(p ownership.Principal) bool {
	s.mu.RLock()
	_, ok := s.disabled[p.String()]
	s.mu.RUnlock()
	return ok
}

// Len returns the number of disabled principals.
func (s *LockoutSet) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.disabled)
}
