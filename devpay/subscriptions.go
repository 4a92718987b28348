package devpay

import (
	"context"
	"strconv"
	"sync"
)

// Status is the state of a customer's subscription to a product. The zero
// Status, [StatusUnknown], means the state could not be told; [Catalog.Check]
// treats it as a failure of the subscription source and denies.
type Status uint8

const (
	// StatusUnknown is the zero Status: no answer. Check fails closed on
	// it.
	StatusUnknown Status = iota
	// StatusActive is a subscription in force: the only Status through
	// which a customer reaches product-bound data.
	StatusActive
	// StatusPending is a subscription signed up for but not yet in force,
	// for example while the customer's payment method is checked:
	// activating a product does not make its subscription active.
	StatusPending
	// StatusCancelled is a subscription the customer ended. Subscribing
	// again makes it active; whether the data is still there is the host's
	// retention policy.
	StatusCancelled
	// StatusSuspended is a subscription whose access was turned off because
	// the customer did not pay.
	StatusSuspended
)

var statusNames = [...]string{
	StatusUnknown:   "unknown",
	StatusActive:    "active",
	StatusPending:   "pending",
	StatusCancelled: "cancelled",
	StatusSuspended: "suspended",
}

// IsValid reports whether s is one of the named statuses.
func (s Status) IsValid() bool { return int(s) < len(statusNames) }

// String returns "unknown", "active", "pending", "cancelled" or
// "suspended", and "Status(N)" for other values.
func (s Status) String() string {
	if s.IsValid() {
		return statusNames[s]
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Subscriptions tells whether a customer is subscribed to a product now.
// The host implements it, over the License Service or its own billing
// records, and decides how long it may cache an answer: [Catalog.Check]
// asks on every request and keeps nothing.
//
// Status returns the state of the subscription of customer, an account,
// to product. ctx bounds the lookup: a source that asks a remote service
// passes it on, and returns the context's error (or one wrapping it) when
// ctx is cancelled or its deadline passes. A source that cannot answer returns an error or
// [StatusUnknown], and Check denies with [ReasonSubscriptionError]. A
// source that knows a customer never subscribed says so with
// [StatusPending], or implements [Complete].
//
// Implementations must be safe for concurrent use and should not allocate:
// Check calls Status on its hot path.
type Subscriptions interface {
	Status(ctx context.Context, customer AccountID, product ProductCode) (Status, error)
}

// Complete is implemented by a [Subscriptions] source that records every
// subscription there is, such as [MemorySubscriptions]. When Complete
// returns true, a [StatusUnknown] answer with a nil error means the pair
// was never subscribed: [Catalog.Check] denies it with
// [ReasonNotSubscribed] rather than [ReasonSubscriptionError]. Wrappers
// around a complete source should forward it.
type Complete interface {
	Complete() bool
}

// MemorySubscriptions is an in-memory [Subscriptions], safe for concurrent
// use: hosts may subscribe, cancel and suspend while requests are checked.
// The zero value holds no subscription and is ready for use; a
// MemorySubscriptions must not be copied after first use.
//
// The pair of a customer and a product moves between states with the
// methods below; a pair never seen has [StatusUnknown], with a nil error,
// which [Catalog.Check] reads as never subscribed because a
// MemorySubscriptions is [Complete].
type MemorySubscriptions struct {
	mu   sync.RWMutex
	subs map[subKey]Status
}

type subKey struct {
	customer AccountID
	product  ProductCode
}

var (
	_ Subscriptions = (*MemorySubscriptions)(nil)
	_ Complete      = (*MemorySubscriptions)(nil)
)

// Status implements [Subscriptions]. It returns [StatusUnknown] and a nil
// error for a pair never seen (and for a nil receiver), and does not
// allocate. It answers from memory at once, so it does not read ctx.
func (m *MemorySubscriptions) Status(_ context.Context, customer AccountID, product ProductCode) (Status, error) {
	if m == nil {
		return StatusUnknown, nil
	}
	m.mu.RLock()
	s := m.subs[subKey{customer, product}]
	m.mu.RUnlock()
	return s, nil
}

// Complete implements [Complete]: a MemorySubscriptions holds every
// subscription, so a pair it has never seen was never subscribed. It
// returns false for a nil receiver, which holds nothing.
func (m *MemorySubscriptions) Complete() bool { return m != nil }

// Subscribe records an active subscription of customer to product,
// whatever the pair's state was: a new subscription, a subscription made
// again after a cancellation, or the end of a pending one. It returns an
// [*Error] wrapping ErrInvalidAccountID (Field "customer") or
// ErrInvalidProductCode (Field "product") for malformed input, and then
// changes nothing.
func (m *MemorySubscriptions) Subscribe(customer AccountID, product ProductCode) error {
	return m.Set(customer, product, StatusActive)
}

// Set records the state of customer's subscription to product as the
// host's source of truth reports it, [StatusPending] included;
// [StatusUnknown] forgets the pair. It returns an [*Error] wrapping
// ErrInvalidAccountID, ErrInvalidProductCode or ErrInvalidStatus for
// malformed input, and then changes nothing.
func (m *MemorySubscriptions) Set(customer AccountID, product ProductCode, s Status) error {
	if !customer.IsValid() {
		return errv("customer", ErrInvalidAccountID, string(customer), "want 12 digits")
	}
	if err := checkCode("product", string(product)); err != nil {
		return err
	}
	if !s.IsValid() {
		return errv("status", ErrInvalidStatus, s.String(), "not a valid status")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s == StatusUnknown {
		delete(m.subs, subKey{customer, product})
		return nil
	}
	if m.subs == nil {
		m.subs = make(map[subKey]Status)
	}
	m.subs[subKey{customer, product}] = s
	return nil
}

// Cancel records that customer cancelled the subscription to product. An
// active, pending or suspended pair becomes [StatusCancelled]; a pair never
// seen, or malformed input, is left alone.
func (m *MemorySubscriptions) Cancel(customer AccountID, product ProductCode) {
	m.move(customer, product, StatusCancelled, StatusActive, StatusPending, StatusSuspended)
}

// Suspend records that customer did not pay for product: an active pair
// becomes [StatusSuspended]. Other pairs are left alone.
func (m *MemorySubscriptions) Suspend(customer AccountID, product ProductCode) {
	m.move(customer, product, StatusSuspended, StatusActive)
}

// Resume records that customer paid what was owed for product: a suspended
// pair becomes [StatusActive] again. Other pairs, cancelled ones included,
// are left alone.
func (m *MemorySubscriptions) Resume(customer AccountID, product ProductCode) {
	m.move(customer, product, StatusActive, StatusSuspended)
}

// move sets the pair to state to if its state is one of from.
func (m *MemorySubscriptions) move(customer AccountID, product ProductCode, to Status, from ...Status) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := subKey{customer, product}
	cur, ok := m.subs[k]
	if !ok {
		return
	}
	for _, f := range from {
		if cur == f {
			m.subs[k] = to
			return
		}
	}
}
