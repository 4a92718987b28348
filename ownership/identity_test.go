package ownership_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/ownership"
)

const (
	canonA = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
	canonB = "be2fe74dc7e8125d8f8fcae89d90e6df6e1a69d55e9a0f0e949b009fd95a79fa"
	canonC = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func TestParseAccountID(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"twelve digits", "111122223333", true},
		{"all zeros", "000000000000", true},
		{"eleven digits", "11112222333", false},
		{"thirteen digits", "1111222233334", false},
		{"letter", "11112222333a", false},
		{"dashes", "1111-2222-3333", false},
		{"empty", "", false},
		{"leading space", " 11112222333", false},
		{"full-width digit", "11112222333１", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ownership.ParseAccountID(tc.in)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, ownership.AccountID(tc.in), a)
				return
			}
			assert.ErrorIs(t, err, ownership.ErrInvalidAccountID)
			assert.Empty(t, a)
			var e *ownership.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.in, e.Input)
		})
	}
}

func TestParseCanonicalID(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"64 lowercase hex", canonA, true},
		{"anonymous", "65a011a29cdf8ec533ec3d1ccaae921c", true},
		{"upper-case hex", strings.ToUpper(canonA), false},
		{"63 digits", canonA[:63], false},
		{"65 digits", canonA + "0", false},
		{"non-hex letter", "g" + canonA[1:], false},
		{"anonymous in upper case", "65A011A29CDF8EC533EC3D1CCAAE921C", false},
		{"anonymous with a suffix", "65a011a29cdf8ec533ec3d1ccaae921c0", false},
		{"32 other hex digits", "75a011a29cdf8ec533ec3d1ccaae921c", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ownership.ParseCanonicalID(tc.in)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, ownership.CanonicalID(tc.in), c)
				return
			}
			assert.ErrorIs(t, err, ownership.ErrInvalidCanonicalID)
			assert.Empty(t, c)
		})
	}
	assert.True(t, ownership.AnonymousCanonicalID.IsAnonymous())
	assert.False(t, ownership.CanonicalID(canonA).IsAnonymous())
}

func TestMemoryDirectoryZeroValue(t *testing.T) {
	var d ownership.MemoryDirectory
	_, ok, _ := d.CanonicalID(context.Background(), "111122223333")
	assert.False(t, ok)
	_, ok, _ = d.AccountOf(context.Background(), canonA)
	assert.False(t, ok)
	_, ok, _ = d.AccountByEmail(context.Background(), "a@example.com")
	assert.False(t, ok)
}

func TestMemoryDirectoryLookups(t *testing.T) {
	var d ownership.MemoryDirectory
	require.NoError(t, d.Add("111122223333", canonA, "Owner@Example.com"))
	require.NoError(t, d.Add("444455556666", canonB, ""))
	require.NoError(t, d.Add("777788889999", canonC, "ÉLISE@exemple.fr"))

	canonical := []struct {
		name    string
		account ownership.AccountID
		want    ownership.CanonicalID
		ok      bool
	}{
		{"first account", "111122223333", canonA, true},
		{"account without e-mail", "444455556666", canonB, true},
		{"unknown account", "999999999999", "", false},
		{"empty account", "", "", false},
	}
	for _, tc := range canonical {
		t.Run("CanonicalID "+tc.name, func(t *testing.T) {
			c, ok, _ := d.CanonicalID(context.Background(), tc.account)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, c)
		})
	}
	accountOf := []struct {
		name      string
		canonical ownership.CanonicalID
		want      ownership.AccountID
		ok        bool
	}{
		{"first account", canonA, "111122223333", true},
		{"second account", canonB, "444455556666", true},
		{"anonymous belongs to no account", ownership.AnonymousCanonicalID, "", false},
		{"upper case is another ID", ownership.CanonicalID(strings.ToUpper(canonA)), "", false},
		{"unknown", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "", false},
	}
	for _, tc := range accountOf {
		t.Run("AccountOf "+tc.name, func(t *testing.T) {
			a, ok, _ := d.AccountOf(context.Background(), tc.canonical)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, a)
		})
	}
	byEmail := []struct {
		name  string
		email string
		want  ownership.AccountID
		ok    bool
	}{
		{"as registered", "Owner@Example.com", "111122223333", true},
		{"lower case", "owner@example.com", "111122223333", true},
		{"upper case", "OWNER@EXAMPLE.COM", "111122223333", true},
		{"non-ASCII lower case", "élise@exemple.fr", "777788889999", true},
		{"non-ASCII upper case", "ÉLISE@EXEMPLE.FR", "777788889999", true},
		{"other address", "other@example.com", "", false},
		{"prefix of an address", "owner@example.co", "", false},
		{"empty", "", "", false},
		{"invalid UTF-8", "owner@example.com\xff", "", false},
		{"too long", strings.Repeat("a", 250) + "@example.com", "", false},
	}
	for _, tc := range byEmail {
		t.Run("AccountByEmail "+tc.name, func(t *testing.T) {
			a, ok, _ := d.AccountByEmail(context.Background(), tc.email)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, a)
		})
	}
}

func TestMemoryDirectoryAddErrors(t *testing.T) {
	newDir := func(t *testing.T) *ownership.MemoryDirectory {
		d := &ownership.MemoryDirectory{}
		require.NoError(t, d.Add("111122223333", canonA, "owner@example.com"))
		return d
	}
	tests := []struct {
		name      string
		account   ownership.AccountID
		canonical ownership.CanonicalID
		email     string
		err       error
		field     string
	}{
		{"same triple again", "111122223333", canonA, "owner@example.com", nil, ""},
		{"same triple, e-mail in another case", "111122223333", canonA, "OWNER@example.com", nil, ""},
		{"invalid account", "1111", canonB, "", ownership.ErrInvalidAccountID, "account"},
		{"invalid canonical", "444455556666", "abc", "", ownership.ErrInvalidCanonicalID, "canonical"},
		{"anonymous canonical", "444455556666", ownership.AnonymousCanonicalID, "", ownership.ErrInvalidCanonicalID, "canonical"},
		{"upper-case canonical", "444455556666", ownership.CanonicalID(strings.ToUpper(canonB)), "", ownership.ErrInvalidCanonicalID, "canonical"},
		{"e-mail without @", "444455556666", canonB, "example.com", ownership.ErrInvalidEmail, "email"},
		{"e-mail with two @", "444455556666", canonB, "a@b@example.com", ownership.ErrInvalidEmail, "email"},
		{"e-mail with empty local part", "444455556666", canonB, "@example.com", ownership.ErrInvalidEmail, "email"},
		{"e-mail with empty domain", "444455556666", canonB, "a@", ownership.ErrInvalidEmail, "email"},
		{"e-mail with space", "444455556666", canonB, "a b@example.com", ownership.ErrInvalidEmail, "email"},
		{"e-mail with control character", "444455556666", canonB, "a\x00@example.com", ownership.ErrInvalidEmail, "email"},
		{"e-mail with invalid UTF-8", "444455556666", canonB, "a\xff@example.com", ownership.ErrInvalidEmail, "email"},
		{"e-mail too long", "444455556666", canonB, strings.Repeat("a", 243) + "@example.com", ownership.ErrInvalidEmail, "email"},
		{"account with another canonical", "111122223333", canonB, "owner@example.com", ownership.ErrConflict, "account"},
		{"account with another e-mail", "111122223333", canonA, "other@example.com", ownership.ErrConflict, "account"},
		{"account without its e-mail", "111122223333", canonA, "", ownership.ErrConflict, "account"},
		{"canonical of another account", "444455556666", canonA, "", ownership.ErrConflict, "canonical"},
		{"e-mail of another account", "444455556666", canonB, "Owner@Example.COM", ownership.ErrConflict, "email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDir(t)
			err := d.Add(tc.account, tc.canonical, tc.email)
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.err)
			var e *ownership.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.field, e.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "ownership: "+tc.field+": "), err.Error())
			// The failed Add changed nothing.
			c, ok, _ := d.CanonicalID(context.Background(), "111122223333")
			assert.True(t, ok)
			assert.Equal(t, ownership.CanonicalID(canonA), c)
			a, ok, _ := d.AccountByEmail(context.Background(), "owner@example.com")
			assert.True(t, ok)
			assert.Equal(t, ownership.AccountID("111122223333"), a)
			_, ok, _ = d.CanonicalID(context.Background(), tc.account)
			assert.Equal(t, tc.account == "111122223333", ok)
			if tc.canonical != canonA {
				_, ok, _ = d.AccountOf(context.Background(), tc.canonical)
				assert.False(t, ok)
			}
		})
	}
}

func TestMemoryDirectoryLookupsDoNotAllocate(t *testing.T) {
	var d ownership.MemoryDirectory
	require.NoError(t, d.Add("111122223333", canonA, "owner@example.com"))
	require.NoError(t, d.Add("777788889999", canonC, "élise@exemple.fr"))
	var dir ownership.Directory = &d
	lookups := []struct {
		name string
		f    func() bool
	}{
		{"CanonicalID", func() bool { _, ok, _ := dir.CanonicalID(context.Background(), "111122223333"); return ok }},
		{"AccountOf", func() bool { _, ok, _ := dir.AccountOf(context.Background(), canonA); return ok }},
		{"AccountByEmail lower case", func() bool { _, ok, _ := dir.AccountByEmail(context.Background(), "owner@example.com"); return ok }},
		{"AccountByEmail mixed case", func() bool { _, ok, _ := dir.AccountByEmail(context.Background(), "Owner@EXAMPLE.com"); return ok }},
		{"AccountByEmail non-ASCII", func() bool { _, ok, _ := dir.AccountByEmail(context.Background(), "ÉLISE@exemple.FR"); return ok }},
		{"AccountByEmail miss", func() bool { _, ok, _ := dir.AccountByEmail(context.Background(), "nobody@example.com"); return !ok }},
	}
	for _, tc := range lookups {
		t.Run(tc.name, func(t *testing.T) {
			require.True(t, tc.f())
			assert.Zero(t, testing.AllocsPerRun(1000, func() { tc.f() }))
		})
	}
}

func TestMemoryDirectoryConcurrentReads(t *testing.T) {
	var d ownership.MemoryDirectory
	require.NoError(t, d.Add("111122223333", canonA, "owner@example.com"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_, ok1, _ := d.CanonicalID(context.Background(), "111122223333")
				_, ok2, _ := d.AccountOf(context.Background(), canonA)
				_, ok3, _ := d.AccountByEmail(context.Background(), "OWNER@example.com")
				assert.True(t, ok1 && ok2 && ok3)
			}
		}()
	}
	wg.Wait()
}

func TestErrorMessageCutsOnRuneBoundary(t *testing.T) {
	in := "a" + strings.Repeat("é", 70) // odd offset: byte 64 is inside a rune
	_, err := ownership.ParseAccountID(in)
	require.Error(t, err)
	assert.True(t, utf8.ValidString(err.Error()), err.Error())
	assert.Contains(t, err.Error(), `"a`+strings.Repeat("é", 31)+`…"`)
	var e *ownership.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, in, e.Input)
}
