package devpay_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/devpay"
)

func TestStatusString(t *testing.T) {
	tests := []struct {
		name   string
		status devpay.Status
		want   string
	}{
		{"zero is unknown", 0, "unknown"},
		{"active", devpay.StatusActive, "active"},
		{"pending", devpay.StatusPending, "pending"},
		{"cancelled", devpay.StatusCancelled, "cancelled"},
		{"suspended", devpay.StatusSuspended, "suspended"},
		{"out of range", devpay.Status(42), "Status(42)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.status.String())
			assert.Equal(t, tc.name != "out of range", tc.status.IsValid())
		})
	}
}

func TestMemorySubscriptionsTransitions(t *testing.T) {
	type op struct {
		do   string // subscribe, cancel, suspend, resume, pending, forget
		want devpay.Status
	}
	tests := []struct {
		name string
		ops  []op
	}{
		{"never seen", nil},
		{"subscribe", []op{{"subscribe", devpay.StatusActive}}},
		{"subscribe twice", []op{{"subscribe", devpay.StatusActive}, {"subscribe", devpay.StatusActive}}},
		{"cancel", []op{{"subscribe", devpay.StatusActive}, {"cancel", devpay.StatusCancelled}}},
		{"cancel then resubscribe", []op{{"subscribe", devpay.StatusActive}, {"cancel", devpay.StatusCancelled}, {"subscribe", devpay.StatusActive}}},
		{"cancel never seen", []op{{"cancel", devpay.StatusUnknown}}},
		{"suspend", []op{{"subscribe", devpay.StatusActive}, {"suspend", devpay.StatusSuspended}}},
		{"suspend then resume", []op{{"subscribe", devpay.StatusActive}, {"suspend", devpay.StatusSuspended}, {"resume", devpay.StatusActive}}},
		{"suspend then cancel", []op{{"subscribe", devpay.StatusActive}, {"suspend", devpay.StatusSuspended}, {"cancel", devpay.StatusCancelled}}},
		{"resume active does nothing", []op{{"subscribe", devpay.StatusActive}, {"resume", devpay.StatusActive}}},
		{"resume cancelled does nothing", []op{{"subscribe", devpay.StatusActive}, {"cancel", devpay.StatusCancelled}, {"resume", devpay.StatusCancelled}}},
		{"resume never seen does nothing", []op{{"resume", devpay.StatusUnknown}}},
		{"suspend cancelled does nothing", []op{{"subscribe", devpay.StatusActive}, {"cancel", devpay.StatusCancelled}, {"suspend", devpay.StatusCancelled}}},
		{"suspend never seen does nothing", []op{{"suspend", devpay.StatusUnknown}}},
		{"pending then subscribe", []op{{"pending", devpay.StatusPending}, {"subscribe", devpay.StatusActive}}},
		{"pending then cancel", []op{{"pending", devpay.StatusPending}, {"cancel", devpay.StatusCancelled}}},
		{"suspend pending does nothing", []op{{"pending", devpay.StatusPending}, {"suspend", devpay.StatusPending}}},
		{"forget", []op{{"subscribe", devpay.StatusActive}, {"forget", devpay.StatusUnknown}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m devpay.MemorySubscriptions // the zero value is ready
			for i, o := range tc.ops {
				switch o.do {
				case "subscribe":
					require.NoError(t, m.Subscribe(john, magic))
				case "cancel":
					m.Cancel(john, magic)
				case "suspend":
					m.Suspend(john, magic)
				case "resume":
					m.Resume(john, magic)
				case "pending":
					require.NoError(t, m.Set(john, magic, devpay.StatusPending))
				case "forget":
					require.NoError(t, m.Set(john, magic, devpay.StatusUnknown))
				default:
					t.Fatalf("unknown op %q", o.do)
				}
				s, err := m.Status(context.Background(), john, magic)
				require.NoError(t, err)
				assert.Equal(t, o.want, s, "after op %d (%s)", i, o.do)
				// Other pairs are untouched.
				s, err = m.Status(context.Background(), mother, magic)
				require.NoError(t, err)
				assert.Equal(t, devpay.StatusUnknown, s)
				s, err = m.Status(context.Background(), john, other)
				require.NoError(t, err)
				assert.Equal(t, devpay.StatusUnknown, s)
			}
			if len(tc.ops) == 0 {
				s, err := m.Status(context.Background(), john, magic)
				require.NoError(t, err)
				assert.Equal(t, devpay.StatusUnknown, s)
			}
		})
	}
}

func TestMemorySubscriptionsInvalidInput(t *testing.T) {
	tests := []struct {
		name     string
		customer devpay.AccountID
		product  devpay.ProductCode
		status   devpay.Status
		err      error
		field    string
	}{
		{"short account", "1234", magic, devpay.StatusActive, devpay.ErrInvalidAccountID, "customer"},
		{"anonymous", "", magic, devpay.StatusActive, devpay.ErrInvalidAccountID, "customer"},
		{"bad product", john, "bad product", devpay.StatusActive, devpay.ErrInvalidProductCode, "product"},
		{"empty product", john, "", devpay.StatusActive, devpay.ErrInvalidProductCode, "product"},
		{"bad status", john, magic, devpay.Status(9), devpay.ErrInvalidStatus, "status"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m devpay.MemorySubscriptions
			err := m.Set(tc.customer, tc.product, tc.status)
			assert.ErrorIs(t, err, tc.err)
			var e *devpay.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.field, e.Field)
			if tc.status == devpay.StatusActive {
				assert.ErrorIs(t, m.Subscribe(tc.customer, tc.product), tc.err)
			}
			s, err := m.Status(context.Background(), tc.customer, tc.product)
			require.NoError(t, err)
			assert.Equal(t, devpay.StatusUnknown, s, "nothing recorded")
		})
	}
	var nilSubs *devpay.MemorySubscriptions
	s, err := nilSubs.Status(context.Background(), john, magic)
	assert.NoError(t, err)
	assert.Equal(t, devpay.StatusUnknown, s)
	assert.False(t, nilSubs.Complete())
	assert.True(t, (&devpay.MemorySubscriptions{}).Complete())
}

func TestMemorySubscriptionsStatusDoesNotAllocate(t *testing.T) {
	var m devpay.MemorySubscriptions
	require.NoError(t, m.Subscribe(john, magic))
	n := testing.AllocsPerRun(200, func() {
		_, _ = m.Status(context.Background(), john, magic)
		_, _ = m.Status(context.Background(), mother, magic)
	})
	assert.Zero(t, n)
}

// TestMemorySubscriptionsConcurrent runs writers and readers at once; run
// it with -race.
func TestMemorySubscriptionsConcurrent(t *testing.T) {
	cat := seedCatalog(t)
	var m devpay.MemorySubscriptions
	customers := make([]devpay.AccountID, 16)
	for i := range customers {
		customers[i] = devpay.AccountID(fmt.Sprintf("%012d", 400000000000+i))
	}
	const rounds = 200
	var wg sync.WaitGroup
	for w, c := range customers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				if err := m.Subscribe(c, magic); err != nil {
					t.Error(err)
					return
				}
				switch (i + w) % 3 {
				case 0:
					m.Cancel(c, magic)
				case 1:
					m.Suspend(c, magic)
					m.Resume(c, magic)
				case 2:
					m.Suspend(c, magic)
				}
			}
		}()
	}
	for r := 0; r < 8; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				c := customers[(i+r)%len(customers)]
				res := cat.Check(context.Background(), magic, magic, c, &m)
				switch res.Reason {
				case devpay.ReasonAllowed, devpay.ReasonCancelled, devpay.ReasonSuspended, devpay.ReasonNotSubscribed:
				default:
					t.Errorf("Check(%s) = %v", c, res.Reason)
					return
				}
				if res.Allowed != (res.Reason == devpay.ReasonAllowed) {
					t.Errorf("Check(%s) = %+v", c, res)
					return
				}
			}
		}()
	}
	wg.Wait()
	// Each writer's last round decides its final state.
	for w, c := range customers {
		want := []devpay.Status{devpay.StatusCancelled, devpay.StatusActive, devpay.StatusSuspended}[(rounds-1+w)%3]
		s, err := m.Status(context.Background(), c, magic)
		require.NoError(t, err)
		assert.Equal(t, want, s, "customer %s", c)
	}
}
