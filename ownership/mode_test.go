package ownership_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/ownership"
)

var allModes = []ownership.Mode{ownership.BucketOwnerEnforced, ownership.BucketOwnerPreferred, ownership.ObjectWriter}

func TestModeZeroValue(t *testing.T) {
	var m ownership.Mode
	assert.Equal(t, ownership.BucketOwnerEnforced, m)
	assert.False(t, m.ACLsEnabled())
}

func TestModeText(t *testing.T) {
	tests := []struct {
		mode ownership.Mode
		text string
		acls bool
	}{
		{ownership.BucketOwnerEnforced, "BucketOwnerEnforced", false},
		{ownership.BucketOwnerPreferred, "BucketOwnerPreferred", true},
		{ownership.ObjectWriter, "ObjectWriter", true},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			assert.True(t, tc.mode.IsValid())
			assert.Equal(t, tc.text, tc.mode.String())
			assert.Equal(t, tc.acls, tc.mode.ACLsEnabled())

			m, err := ownership.ParseMode(tc.text)
			require.NoError(t, err)
			assert.Equal(t, tc.mode, m)

			b, err := tc.mode.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.text, string(b))

			var back ownership.Mode = 99
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tc.mode, back)

			j, err := json.Marshal(map[string]ownership.Mode{"m": tc.mode})
			require.NoError(t, err)
			assert.JSONEq(t, fmt.Sprintf(`{"m":%q}`, tc.text), string(j))
			var decoded map[string]ownership.Mode
			require.NoError(t, json.Unmarshal(j, &decoded))
			assert.Equal(t, tc.mode, decoded["m"])
		})
	}
}

func TestModeRejectsUnknownText(t *testing.T) {
	for _, text := range []string{
		"", "bucketownerenforced", "BUCKETOWNERENFORCED", "BucketOwnerEnforced ", " ObjectWriter",
		"Enforced", "BucketOwnerFullControl", "ObjectWriter\x00", "Mode(0)", "0",
	} {
		t.Run(fmt.Sprintf("%q", text), func(t *testing.T) {
			m, err := ownership.ParseMode(text)
			assert.ErrorIs(t, err, ownership.ErrInvalidMode)
			assert.Equal(t, ownership.BucketOwnerEnforced, m)
			var e *ownership.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, text, e.Input)

			for _, start := range allModes {
				got := start
				err := got.UnmarshalText([]byte(text))
				assert.ErrorIs(t, err, ownership.ErrInvalidMode)
				assert.Equal(t, start, got, "UnmarshalText must not modify on error")
			}
		})
	}
}

func TestInvalidMode(t *testing.T) {
	m := ownership.Mode(3)
	assert.False(t, m.IsValid())
	assert.Equal(t, "Mode(3)", m.String())
	assert.False(t, m.ACLsEnabled())
	_, err := m.MarshalText()
	assert.ErrorIs(t, err, ownership.ErrInvalidMode)
	assert.False(t, m.AcceptsACL("", false), "an invalid mode accepts nothing")
	assert.Equal(t, ownership.Owner{}, m.ObjectOwner("111122223333", ownership.AccountOwner("444455556666"), ""))
}

// TestObjectOwner covers every mode × canned ACL × writer.
func TestObjectOwner(t *testing.T) {
	const bucketOwner = ownership.AccountID("111122223333")
	acct := ownership.AccountOwner("444455556666")
	anon := ownership.AnonymousOwner()
	bo := ownership.AccountOwner(bucketOwner)
	tests := []struct {
		name   string
		mode   ownership.Mode
		canned string
		writer ownership.Owner
		want   ownership.Owner
	}{
		{"enforced, bucket-owner-full-control, account writer", ownership.BucketOwnerEnforced, "bucket-owner-full-control", acct, bo},
		{"enforced, bucket-owner-full-control, anonymous writer", ownership.BucketOwnerEnforced, "bucket-owner-full-control", anon, bo},
		{"enforced, public-read, account writer", ownership.BucketOwnerEnforced, "public-read", acct, bo},
		{"enforced, public-read, anonymous writer", ownership.BucketOwnerEnforced, "public-read", anon, bo},
		{"enforced, no ACL, account writer", ownership.BucketOwnerEnforced, "", acct, bo},
		{"enforced, no ACL, anonymous writer", ownership.BucketOwnerEnforced, "", anon, bo},
		{"preferred, bucket-owner-full-control, account writer", ownership.BucketOwnerPreferred, "bucket-owner-full-control", acct, bo},
		{"preferred, bucket-owner-full-control, anonymous writer", ownership.BucketOwnerPreferred, "bucket-owner-full-control", anon, bo},
		{"preferred, public-read, account writer", ownership.BucketOwnerPreferred, "public-read", acct, acct},
		{"preferred, public-read, anonymous writer", ownership.BucketOwnerPreferred, "public-read", anon, anon},
		{"preferred, bucket-owner-read, account writer", ownership.BucketOwnerPreferred, "bucket-owner-read", acct, acct},
		{"preferred, no ACL, account writer", ownership.BucketOwnerPreferred, "", acct, acct},
		{"preferred, no ACL, anonymous writer", ownership.BucketOwnerPreferred, "", anon, anon},
		{"preferred, canned ACL in other case, account writer", ownership.BucketOwnerPreferred, "Bucket-Owner-Full-Control", acct, acct},
		{"object writer, bucket-owner-full-control, account writer", ownership.ObjectWriter, "bucket-owner-full-control", acct, acct},
		{"object writer, bucket-owner-full-control, anonymous writer", ownership.ObjectWriter, "bucket-owner-full-control", anon, anon},
		{"object writer, public-read, account writer", ownership.ObjectWriter, "public-read", acct, acct},
		{"object writer, public-read, anonymous writer", ownership.ObjectWriter, "public-read", anon, anon},
		{"object writer, no ACL, account writer", ownership.ObjectWriter, "", acct, acct},
		{"object writer, no ACL, anonymous writer", ownership.ObjectWriter, "", anon, anon},
		{"object writer, bucket owner writes", ownership.ObjectWriter, "", bo, bo},
		{"object writer, invalid writer", ownership.ObjectWriter, "", ownership.Owner{}, ownership.Owner{}},
		{"object writer, malformed writer account", ownership.ObjectWriter, "", ownership.AccountOwner("1"), ownership.Owner{}},
		{"preferred, invalid writer", ownership.BucketOwnerPreferred, "", ownership.Owner{}, ownership.Owner{}},
		{"enforced, invalid writer", ownership.BucketOwnerEnforced, "", ownership.Owner{}, bo},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.mode.ObjectOwner(bucketOwner, tc.writer, tc.canned))
		})
	}
	t.Run("invalid bucket owner", func(t *testing.T) {
		assert.Equal(t, ownership.Owner{}, ownership.BucketOwnerEnforced.ObjectOwner("", acct, ""))
		assert.Equal(t, ownership.Owner{}, ownership.BucketOwnerPreferred.ObjectOwner("x", acct, "bucket-owner-full-control"))
	})
}

func TestAcceptsACL(t *testing.T) {
	tests := []struct {
		name      string
		mode      ownership.Mode
		canned    string
		hasGrants bool
		want      bool
	}{
		{"enforced, no ACL", ownership.BucketOwnerEnforced, "", false, true},
		{"enforced, bucket-owner-full-control", ownership.BucketOwnerEnforced, "bucket-owner-full-control", false, true},
		{"enforced, private", ownership.BucketOwnerEnforced, "private", false, false},
		{"enforced, public-read", ownership.BucketOwnerEnforced, "public-read", false, false},
		{"enforced, public-read-write", ownership.BucketOwnerEnforced, "public-read-write", false, false},
		{"enforced, authenticated-read", ownership.BucketOwnerEnforced, "authenticated-read", false, false},
		{"enforced, bucket-owner-read", ownership.BucketOwnerEnforced, "bucket-owner-read", false, false},
		{"enforced, log-delivery-write", ownership.BucketOwnerEnforced, "log-delivery-write", false, false},
		{"enforced, aws-exec-read", ownership.BucketOwnerEnforced, "aws-exec-read", false, false},
		{"enforced, canned ACL in other case", ownership.BucketOwnerEnforced, "BUCKET-OWNER-FULL-CONTROL", false, false},
		{"enforced, grants", ownership.BucketOwnerEnforced, "", true, false},
		{"enforced, bucket-owner-full-control with grants", ownership.BucketOwnerEnforced, "bucket-owner-full-control", true, false},
		{"preferred, no ACL", ownership.BucketOwnerPreferred, "", false, true},
		{"preferred, public-read", ownership.BucketOwnerPreferred, "public-read", false, true},
		{"preferred, grants", ownership.BucketOwnerPreferred, "", true, true},
		{"object writer, no ACL", ownership.ObjectWriter, "", false, true},
		{"object writer, public-read-write", ownership.ObjectWriter, "public-read-write", false, true},
		{"object writer, grants", ownership.ObjectWriter, "", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.mode.AcceptsACL(tc.canned, tc.hasGrants))
		})
	}
}

func TestOwner(t *testing.T) {
	var d ownership.MemoryDirectory
	require.NoError(t, d.Add("111122223333", canonA, ""))
	tests := []struct {
		name      string
		o         ownership.Owner
		valid     bool
		str       string
		canonical ownership.CanonicalID
		known     bool
	}{
		{"account", ownership.AccountOwner("111122223333"), true, "111122223333", canonA, true},
		{"account unknown to the directory", ownership.AccountOwner("444455556666"), true, "444455556666", "", false},
		{"anonymous", ownership.AnonymousOwner(), true, "anonymous", ownership.AnonymousCanonicalID, true},
		{"zero", ownership.Owner{}, false, "invalid", "", false},
		{"malformed account", ownership.AccountOwner("12"), false, "invalid", "", false},
		{"anonymous with account", ownership.Owner{Account: "111122223333", Anonymous: true}, false, "invalid", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.valid, tc.o.IsValid())
			assert.Equal(t, tc.str, tc.o.String())
			c, ok, _ := tc.o.CanonicalID(context.Background(), &d)
			assert.Equal(t, tc.known, ok)
			assert.Equal(t, tc.canonical, c)
		})
	}
	assert.True(t, ownership.AnonymousOwner() == ownership.Owner{Anonymous: true}, "Owner is comparable")

	// A lookup that fails is reported, not read as an unknown account; the
	// anonymous owner needs no lookup.
	var failing failingDirectory
	_, ok, err := ownership.AccountOwner("111122223333").CanonicalID(context.Background(), failing)
	assert.False(t, ok)
	assert.ErrorIs(t, err, errDirectoryDown)
	c, ok, err := ownership.AnonymousOwner().CanonicalID(context.Background(), failing)
	assert.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, ownership.AnonymousCanonicalID, c)
}

var errDirectoryDown = errors.New("directory down")

// failingDirectory fails every lookup.
type failingDirectory struct{}

func (failingDirectory) CanonicalID(context.Context, ownership.AccountID) (ownership.CanonicalID, bool, error) {
	return "", false, errDirectoryDown
}

func (failingDirectory) AccountOf(context.Context, ownership.CanonicalID) (ownership.AccountID, bool, error) {
	return "", false, errDirectoryDown
}

func (failingDirectory) AccountByEmail(context.Context, string) (ownership.AccountID, bool, error) {
	return "", false, errDirectoryDown
}

func TestModeMethodsDoNotAllocate(t *testing.T) {
	acct := ownership.AccountOwner("444455556666")
	var sink int
	allocs := testing.AllocsPerRun(1000, func() {
		for _, m := range allModes {
			o := m.ObjectOwner("111122223333", acct, "bucket-owner-full-control")
			if o.IsValid() && m.AcceptsACL("public-read", false) && m.ACLsEnabled() {
				sink++
			}
			sink += len(m.String()) + len(o.String())
		}
		m, err := ownership.ParseMode("ObjectWriter")
		if err == nil {
			sink += int(m)
		}
	})
	assert.Zero(t, allocs)
	_ = sink
}

func TestOwnerAndEffectiveOwnerDoNotAllocate(t *testing.T) {
	b := &ownership.Bucket{Name: "b-1", Owner: "111122223333", Mode: ownership.ObjectWriter}
	o := &ownership.Object{Bucket: "b-1", Key: "k", Owner: ownership.AccountOwner("444455556666")}
	var sink int
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		e := b.EffectiveOwner(o)
		if e.IsValid() {
			sink += len(e.String())
		}
	}))
	_ = sink
}
