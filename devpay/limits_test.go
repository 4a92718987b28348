package devpay_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/devpay"
)

// limBody returns a token body of n visible ASCII bytes.
func limBody(n int) string {
	return strings.Repeat("Ab0/+=", n/6+1)[:n]
}

// requireDevpayError checks that err is a *devpay.Error wrapping sentinel
// and returns it.
func requireDevpayError(t *testing.T, err error, sentinel error) *devpay.Error {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, sentinel)
	var e *devpay.Error
	require.True(t, errors.As(err, &e), "error %T is not *devpay.Error: %v", err, err)
	return e
}

// TestLimitTokenBytes checks MaxTokenBytes (8192 bytes, prefix included)
// at the limit and one byte over it, for user and product tokens, with and
// without the spaces and tabs ParseTokens trims (which do not count).
func TestLimitTokenBytes(t *testing.T) {
	require.Equal(t, 8192, devpay.MaxTokenBytes)
	userAt := devpay.UserTokenPrefix + limBody(devpay.MaxTokenBytes-len(devpay.UserTokenPrefix))
	productAt := devpay.ProductTokenPrefix + limBody(devpay.MaxTokenBytes-len(devpay.ProductTokenPrefix))
	require.Len(t, userAt, devpay.MaxTokenBytes)
	require.Len(t, productAt, devpay.MaxTokenBytes)
	shortUser := devpay.UserTokenPrefix + "u"
	tests := []struct {
		name          string
		values        []string
		field         string // "" when accepted
		user, product string // the tokens accepted
	}{
		{"user-at-limit", []string{userAt}, "", userAt, ""},
		{"user-at-limit-with-product", []string{userAt, productAt}, "", userAt, productAt},
		{"user-at-limit-padded-with-spaces-and-tabs", []string{" \t" + userAt + "\t ", productAt}, "", userAt, productAt},
		{"user-at-limit-in-comma-joined-value", []string{productAt + "," + userAt}, "", userAt, productAt},
		{"product-at-limit", []string{shortUser, productAt}, "", shortUser, productAt},
		{"user-limit-plus-one", []string{userAt + "x"}, "values[0][0]", "", ""},
		{"user-limit-plus-one-after-product", []string{productAt, userAt + "x"}, "values[1][0]", "", ""},
		{"product-limit-plus-one", []string{shortUser, productAt + "x"}, "values[1][0]", "", ""},
		{"product-limit-plus-one-in-comma-joined-value", []string{shortUser + "," + productAt + "x"}, "values[0][1]", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := devpay.ParseTokens(tc.values...)
			if tc.field == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.user, tok.User())
				assert.Equal(t, tc.product, tok.Product())
				assert.NotContains(t, tok.String(), limBody(16), "String holds no token text")
				return
			}
			assert.True(t, tok.IsZero())
			e := requireDevpayError(t, err, devpay.ErrMalformedToken)
			assert.Equal(t, tc.field, e.Field)
			assert.Empty(t, e.Input, "token errors carry no input")
			assert.Contains(t, err.Error(), "longer than 8192 bytes")
			assert.NotContains(t, err.Error(), limBody(16), "the error holds no token text")
		})
	}
}

// TestLimitProductCodeLen checks MaxProductCodeLen (64 bytes) at the limit
// and one over it everywhere a product code enters the package:
// ParseProductCode, ProductCode.IsValid, NewCatalog and
// MemorySubscriptions.Set. Catalog.Check treats an over-long code as a
// product it does not know.
func TestLimitProductCodeLen(t *testing.T) {
	require.Equal(t, 64, devpay.MaxProductCodeLen)
	at := devpay.ProductCode(strings.Repeat("P", devpay.MaxProductCodeLen))
	over := at + "P"
	const owner, customer = "111122223333", "222233334444"
	tests := []struct {
		name string
		code devpay.ProductCode
		ok   bool
	}{
		{"at-limit", at, true},
		{"limit-plus-one", over, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := devpay.ParseProductCode(string(tc.code))
			assert.Equal(t, tc.ok, err == nil, "ParseProductCode: %v", err)
			assert.Equal(t, tc.ok, tc.code.IsValid())

			cat, err := devpay.NewCatalog(devpay.Product{Code: tc.code, Owner: owner})
			var subs devpay.MemorySubscriptions
			serr := subs.Subscribe(customer, tc.code)
			if tc.ok {
				require.NoError(t, err)
				require.NoError(t, serr)
				assert.Equal(t, devpay.Result{Allowed: true, Reason: devpay.ReasonAllowed}, cat.Check(context.Background(), tc.code, tc.code, customer, &subs))
				return
			}
			assert.Nil(t, cat)
			e := requireDevpayError(t, err, devpay.ErrInvalidProductCode)
			assert.Equal(t, "products[0].Code", e.Field)
			assert.Equal(t, string(tc.code), e.Input, "Input holds the code uncut")
			assert.Contains(t, err.Error(), "longer than 64 bytes")
			e = requireDevpayError(t, serr, devpay.ErrInvalidProductCode)
			assert.Equal(t, "product", e.Field)
			st, _ := subs.Status(context.Background(), customer, tc.code)
			assert.Equal(t, devpay.StatusUnknown, st, "a refused Subscribe changes nothing")

			good, err := devpay.NewCatalog(devpay.Product{Code: at, Owner: owner})
			require.NoError(t, err)
			assert.Equal(t, devpay.ReasonUnknownProduct, good.Check(context.Background(), tc.code, tc.code, customer, &subs).Reason)
		})
	}
}

// TestLimitHostileTokens checks ParseTokens on hostile values: NUL and
// other control bytes, invalid UTF-8, huge tokens and huge numbers of
// pieces or values. Each is refused with an *Error wrapping the expected
// sentinel, naming the piece by position, quoting no token text, with a
// short message; and the allocations of one call stay under a small
// constant whatever the size of the tokens (ParseTokens checks a token's
// length before its bytes), plus at most 3 per DevPay piece (ParseTokens
// names every DevPay piece's position as it reads it).
func TestLimitHostileTokens(t *testing.T) {
	const mib = 1 << 20
	u := devpay.UserTokenPrefix + "UserBodyABCDEF"
	p := devpay.ProductTokenPrefix + "ProductBodyABCDEF"
	many := func(piece string, n int) []string {
		v := make([]string, n)
		for i := range v {
			v[i] = piece
		}
		return v
	}
	tests := []struct {
		name      string
		values    []string
		sentinel  error
		field     string
		maxAllocs float64
		// devpayPieces is the number of pieces that start like a DevPay
		// token; each may cost 3 allocations more.
		devpayPieces int
	}{
		{"nul-in-user-token", []string{devpay.UserTokenPrefix + "abc\x00def"}, devpay.ErrMalformedToken, "values[0][0]", 32, 0},
		{"nul-alone-after-prefix", []string{u, devpay.ProductTokenPrefix + "\x00"}, devpay.ErrMalformedToken, "values[1][0]", 32, 0},
		{"nul-inside-prefix-is-not-devpay", []string{"{User\x00Token}abc"}, devpay.ErrNotDevPay, "", 32, 0},
		{"nul-piece-next-to-tokens", []string{u + ",\x00," + p}, devpay.ErrMixedTokens, "values[0][1]", 32, 0},
		{"escape-and-del-bytes", []string{devpay.UserTokenPrefix + "a\x1bb\x7f"}, devpay.ErrMalformedToken, "values[0][0]", 32, 0},
		{"tab-inside-token", []string{devpay.UserTokenPrefix + "a\tb"}, devpay.ErrMalformedToken, "values[0][0]", 32, 0},
		{"newline-inside-token", []string{u, devpay.ProductTokenPrefix + "a\r\nX-Injected: 1"}, devpay.ErrMalformedToken, "values[1][0]", 32, 0},
		{"invalid-utf8-in-token", []string{devpay.UserTokenPrefix + "abc\xff\xfe"}, devpay.ErrMalformedToken, "values[0][0]", 32, 0},
		{"overlong-utf8-in-token", []string{u, devpay.ProductTokenPrefix + "\xc0\xaf"}, devpay.ErrMalformedToken, "values[1][0]", 32, 0},
		{"invalid-utf8-prefix-is-not-devpay", []string{"{UserTok\xffn}abc"}, devpay.ErrNotDevPay, "", 32, 0},
		{"unicode-fold-of-prefix-is-not-devpay", []string{"{U\u017ferToken}abc"}, devpay.ErrNotDevPay, "", 32, 0},
		{"upper-case-prefix", []string{"{USERTOKEN}abc"}, devpay.ErrMalformedToken, "values[0][0]", 32, 0},
		{"1MiB-user-token", []string{devpay.UserTokenPrefix + limBody(mib)}, devpay.ErrMalformedToken, "values[0][0]", 32, 0},
		{"1MiB-product-token-with-nul-at-end", []string{u, devpay.ProductTokenPrefix + limBody(mib) + "\x00"}, devpay.ErrMalformedToken, "values[1][0]", 32, 0},
		{"1MiB-session-token", []string{limBody(mib)}, devpay.ErrNotDevPay, "", 32, 0},
		{"1MiB-session-token-next-to-user-token", []string{u, limBody(mib)}, devpay.ErrMixedTokens, "values[1][0]", 32, 0},
		{"1MiB-of-commas", []string{strings.Repeat(",", mib)}, devpay.ErrNoTokens, "", 32, 0},
		{"1MiB-of-spaces-and-tabs", []string{strings.Repeat(" \t", mib/2)}, devpay.ErrNoTokens, "", 32, 0},
		{"100000-user-tokens-in-one-value", []string{strings.Repeat(u+",", 100000)}, devpay.ErrDuplicateToken, "values[0][1]", 32, 100000},
		{"100000-user-token-values", many(u, 100000), devpay.ErrDuplicateToken, "values[1][0]", 32, 100000},
		{"100000-empty-values", many("", 100000), devpay.ErrNoTokens, "", 32, 0},
		{"100000-session-token-values", many(limBody(64), 100000), devpay.ErrNotDevPay, "", 32, 0},
		{"100000-product-tokens-then-malformed", append(many(p, 100000), devpay.UserTokenPrefix), devpay.ErrMalformedToken, "values[100000][0]", 32, 100001},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tok devpay.Tokens
			var err error
			allocs := testing.AllocsPerRun(1, func() { tok, err = devpay.ParseTokens(tc.values...) })
			assert.True(t, tok.IsZero())
			e := requireDevpayError(t, err, tc.sentinel)
			assert.Equal(t, tc.field, e.Field)
			assert.Empty(t, e.Input, "token errors carry no input")
			assert.Less(t, len(err.Error()), 200, "error text: %.200q", err.Error())
			for _, secret := range []string{"UserBody", "ProductBody", limBody(16), "abc", "X-Injected"} {
				assert.NotContains(t, err.Error(), secret, "the error holds no token text")
				assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), secret)
			}
			assert.LessOrEqual(t, allocs, tc.maxAllocs+3*float64(tc.devpayPieces), "allocations per ParseTokens call")
		})
	}
}

// TestLimitHostileProductCodes checks ParseProductCode on hostile codes:
// each is refused with ErrInvalidProductCode, Input holds the code as
// given, and the message quotes at most a short cut of it.
func TestLimitHostileProductCodes(t *testing.T) {
	tests := []struct {
		name string
		code string
	}{
		{"nul", "Magic\x00Product"},
		{"nul-only", "\x00"},
		{"invalid-utf8", "Magic\xffProduct"},
		{"utf8-letter", "Magic\u00c9"},
		{"newline", "Magic\nProduct"},
		{"1MiB", strings.Repeat("P", 1<<20)},
		{"1MiB-with-nul-at-end", strings.Repeat("P", 1<<20) + "\x00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := devpay.ParseProductCode(tc.code)
			assert.Empty(t, c)
			e := requireDevpayError(t, err, devpay.ErrInvalidProductCode)
			assert.Equal(t, tc.code, e.Input)
			assert.Less(t, len(err.Error()), 200, "error text: %.200q", err.Error())
			assert.False(t, devpay.ProductCode(tc.code).IsValid())
		})
	}
}
