package devpay_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/devpay"
)

// Token bodies are long and distinctive, so that finding one in any output
// is a leak, not a coincidence.
const (
	userBody     = "AAAHVXNlclRrbgfOpSykBAXO7g/zGexampleUSERsecret0001"
	userBody2    = "AAAHVXNlclRrbgfOpSykBAXO7g/zGexampleUSERsecret0002"
	productBody  = "MIIBzTCCATagAwIBAgIGARB1qeexamplePRODUCTsecret0001"
	productBody2 = "MIIBzTCCATagAwIBAgIGARB1qeexamplePRODUCTsecret0002"
	stsToken     = "IQoJb3JpZ2luX2VjEXAMPLEstsSESSIONsecret0001//////wEaCXVzLWVhc3QtMSJH"
	stsToken2    = "FwoGZXIvYXdzEXAMPLEstsSESSIONsecret0002"

	user     = devpay.UserTokenPrefix + userBody
	user2    = devpay.UserTokenPrefix + userBody2
	product  = devpay.ProductTokenPrefix + productBody
	product2 = devpay.ProductTokenPrefix + productBody2
)

var (
	longUserBody = strings.Repeat("L0ngUserTokenBody", 490)[:devpay.MaxTokenBytes-len(devpay.UserTokenPrefix)]
	tooLongBody  = strings.Repeat("T00LongUserTokenBody", 420)
	longSTS      = strings.Repeat("L0ngSTSsessionToken", 1100)
)

// secrets lists every token text the tests use; none may appear in any
// output but User and Product.
var secrets = []string{userBody, userBody2, productBody, productBody2, stsToken, stsToken2,
	longUserBody[:64], tooLongBody[:64], longSTS[:64], "sp ace in the user token", "ctl\x00char", "nonascii\u00e9token"}

func assertNoSecret(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range secrets {
		assert.NotContains(t, out, s, "%s leaks a token", what)
	}
}

func TestParseTokens(t *testing.T) {
	tests := []struct {
		name    string
		values  []string
		err     error
		field   string
		user    string
		product string
	}{
		{"two headers user first", []string{user, product}, nil, "", user, product},
		{"two headers product first", []string{product, user}, nil, "", user, product},
		{"one value user first", []string{user + "," + product}, nil, "", user, product},
		{"one value product first", []string{product + "," + user}, nil, "", user, product},
		{"one value with spaces", []string{"  " + user + " , " + product + "  "}, nil, "", user, product},
		{"two headers with spaces and tabs", []string{"\t" + user + " ", " " + product + "\t"}, nil, "", user, product},
		{"both forms at once", []string{user + ",", "," + product}, nil, "", user, product},
		{"empty pieces around tokens", []string{",", " , " + user + ",,", "", product + " ,"}, nil, "", user, product},
		{"user token only", []string{user}, nil, "", user, ""},
		{"user token only with trailing comma", []string{user + ", "}, nil, "", user, ""},
		{"very long user token", []string{devpay.UserTokenPrefix + longUserBody, product}, nil, "", devpay.UserTokenPrefix + longUserBody, product},
		{"braces inside the body", []string{devpay.UserTokenPrefix + "{x}" + userBody}, nil, "", devpay.UserTokenPrefix + "{x}" + userBody, ""},

		{"product token only", []string{product}, devpay.ErrMissingUserToken, "values[0][0]", "", ""},
		{"product token only with spaces", []string{" , " + product}, devpay.ErrMissingUserToken, "values[0][1]", "", ""},

		{"duplicate user headers identical", []string{user, user}, devpay.ErrDuplicateToken, "values[1][0]", "", ""},
		{"duplicate user headers different", []string{user, product, user2}, devpay.ErrDuplicateToken, "values[2][0]", "", ""},
		{"duplicate product in one value", []string{user + "," + product + "," + product2}, devpay.ErrDuplicateToken, "values[0][2]", "", ""},
		{"duplicate product across forms", []string{product + "," + user, product}, devpay.ErrDuplicateToken, "values[1][0]", "", ""},

		{"session token only", []string{stsToken}, devpay.ErrNotDevPay, "", "", ""},
		{"two session tokens", []string{stsToken, stsToken2}, devpay.ErrNotDevPay, "", "", ""},
		{"very long session token", []string{longSTS}, devpay.ErrNotDevPay, "", "", ""},
		{"prefix without braces", []string{"UserToken" + userBody}, devpay.ErrNotDevPay, "", "", ""},
		{"session token with user token", []string{user, stsToken}, devpay.ErrMixedTokens, "values[1][0]", "", ""},
		{"session token first in one value", []string{stsToken + "," + user + "," + product}, devpay.ErrMixedTokens, "values[0][0]", "", ""},
		{"session token with product token only", []string{product, stsToken}, devpay.ErrMixedTokens, "values[1][0]", "", ""},
		{"session token with duplicate users", []string{user, user2, stsToken}, devpay.ErrDuplicateToken, "values[1][0]", "", ""},

		{"no values", nil, devpay.ErrNoTokens, "", "", ""},
		{"empty value", []string{""}, devpay.ErrNoTokens, "", "", ""},
		{"empty values", []string{"", ""}, devpay.ErrNoTokens, "", "", ""},
		{"only commas and spaces", []string{" , ,\t", ","}, devpay.ErrNoTokens, "", "", ""},

		{"user prefix alone", []string{devpay.UserTokenPrefix}, devpay.ErrMalformedToken, "values[0][0]", "", ""},
		{"user prefix then spaces", []string{devpay.UserTokenPrefix + "   ", product}, devpay.ErrMalformedToken, "values[0][0]", "", ""},
		{"product prefix alone", []string{user, devpay.ProductTokenPrefix}, devpay.ErrMalformedToken, "values[1][0]", "", ""},
		{"user prefix lower case", []string{"{usertoken}" + userBody}, devpay.ErrMalformedToken, "values[0][0]", "", ""},
		{"product prefix upper case", []string{user + ",{PRODUCTTOKEN}" + productBody}, devpay.ErrMalformedToken, "values[0][1]", "", ""},
		{"space inside user token", []string{devpay.UserTokenPrefix + "sp ace in the user token"}, devpay.ErrMalformedToken, "values[0][0]", "", ""},
		{"control character in token", []string{user, devpay.ProductTokenPrefix + "ctl\x00char"}, devpay.ErrMalformedToken, "values[1][0]", "", ""},
		{"non-ASCII in token", []string{devpay.UserTokenPrefix + "nonascii\u00e9token"}, devpay.ErrMalformedToken, "values[0][0]", "", ""},
		{"token too long", []string{devpay.UserTokenPrefix + tooLongBody}, devpay.ErrMalformedToken, "values[0][0]", "", ""},
		{"malformed beats duplicate", []string{user, user2, devpay.UserTokenPrefix}, devpay.ErrMalformedToken, "values[2][0]", "", ""},
		{"malformed beats session token", []string{stsToken, "{userTOKEN}" + userBody}, devpay.ErrMalformedToken, "values[1][0]", "", ""},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		require.False(t, seen[tc.name], "duplicate test name %q", tc.name)
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			tok, err := devpay.ParseTokens(tc.values...)
			if tc.err != nil {
				require.Error(t, err)
				assert.ErrorIs(t, err, tc.err)
				var e *devpay.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.field, e.Field)
				assert.Empty(t, e.Input, "token errors carry no input")
				assert.True(t, strings.HasPrefix(err.Error(), "devpay: "), err.Error())
				assert.True(t, tok.IsZero())
				assertNoSecret(t, "error", err.Error())
				assertNoSecret(t, "%+v of error", fmt.Sprintf("%+v", err))
				assertNoSecret(t, "%#v of error", fmt.Sprintf("%#v", err))
				return
			}
			require.NoError(t, err)
			assert.False(t, tok.IsZero())
			assert.Equal(t, tc.user, tok.User())
			assert.Equal(t, tc.product, tok.Product())
			assertRedacted(t, tok)
		})
	}
}

// assertRedacted checks every way of printing tok.
func assertRedacted(t *testing.T, tok devpay.Tokens) {
	t.Helper()
	type wrapper struct {
		Exported devpay.Tokens
		hidden   devpay.Tokens
	}
	w := wrapper{tok, tok}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T"} {
		assertNoSecret(t, verb, fmt.Sprintf(verb, tok))
		assertNoSecret(t, verb+" of pointer", fmt.Sprintf(verb, &tok))
		assertNoSecret(t, verb+" of struct", fmt.Sprintf(verb, w))
		assertNoSecret(t, verb+" of slice", fmt.Sprintf(verb, []devpay.Tokens{tok}))
	}
	assertNoSecret(t, "String", tok.String())
	assertNoSecret(t, "GoString", tok.GoString())
	assertNoSecret(t, "Fingerprint", tok.Fingerprint())
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("request", "tokens", tok, "wrapped", w)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("request", "tokens", tok, "wrapped", w)
	assertNoSecret(t, "slog", buf.String())
	assert.Contains(t, buf.String(), tok.Fingerprint())
}

var fingerprintRE = regexp.MustCompile(`^sha256:[0-9a-f]{16}$`)

func TestFingerprint(t *testing.T) {
	parse := func(values ...string) devpay.Tokens {
		t.Helper()
		tok, err := devpay.ParseTokens(values...)
		require.NoError(t, err)
		return tok
	}
	a := parse(user, product)
	sum := sha256.Sum256([]byte(user + "\n" + product))
	assert.Equal(t, "sha256:"+hex.EncodeToString(sum[:8]), a.Fingerprint())
	assert.Regexp(t, fingerprintRE, a.Fingerprint())

	tests := []struct {
		name string
		b    devpay.Tokens
		same bool
	}{
		{"parsed again", parse(user, product), true},
		{"other order", parse(product, user), true},
		{"comma-joined with spaces", parse(" " + product + " , " + user), true},
		{"other user", parse(user2, product), false},
		{"other product", parse(user, product2), false},
		{"no product", parse(user), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Regexp(t, fingerprintRE, tc.b.Fingerprint())
			if tc.same {
				assert.Equal(t, a.Fingerprint(), tc.b.Fingerprint())
				assert.Equal(t, a.String(), tc.b.String())
			} else {
				assert.NotEqual(t, a.Fingerprint(), tc.b.Fingerprint())
			}
		})
	}
	// The newline separates the two tokens: moving bytes between them
	// changes the fingerprint.
	assert.NotEqual(t, parse(user+"X", product).Fingerprint(),
		parse(user, devpay.ProductTokenPrefix+"X"+productBody).Fingerprint())
}

func TestTokensString(t *testing.T) {
	var zero devpay.Tokens
	assert.True(t, zero.IsZero())
	assert.Empty(t, zero.User())
	assert.Empty(t, zero.Product())
	assert.Empty(t, zero.Fingerprint())
	assert.Equal(t, "devpay.Tokens{}", zero.String())
	assert.Equal(t, "devpay.Tokens{}", fmt.Sprintf("%#v", zero))

	both, err := devpay.ParseTokens(user, product)
	require.NoError(t, err)
	assert.Equal(t, "devpay.Tokens{fingerprint:"+both.Fingerprint()+", product:present}", both.String())
	assert.Equal(t, both.String(), fmt.Sprintf("%v", both))
	assert.Equal(t, both.String(), fmt.Sprintf("%#v", both))
	assert.Equal(t, both.String(), both.LogValue().String())

	only, err := devpay.ParseTokens(user)
	require.NoError(t, err)
	assert.Equal(t, "devpay.Tokens{fingerprint:"+only.Fingerprint()+", product:absent}", only.String())
}

func TestParseTokensOrderInsensitive(t *testing.T) {
	// Every permutation of the same pieces, as separate values and joined,
	// gives the same tokens or the same sentinel.
	sets := [][]string{
		{user, product},
		{user, product, stsToken},
		{user, user2, product},
		{product, devpay.UserTokenPrefix, user},
		{stsToken, stsToken2},
	}
	sentinels := []error{devpay.ErrNoTokens, devpay.ErrNotDevPay, devpay.ErrDuplicateToken,
		devpay.ErrMixedTokens, devpay.ErrMissingUserToken, devpay.ErrMalformedToken}
	kind := func(tok devpay.Tokens, err error) string {
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return s.Error()
			}
		}
		require.NoError(t, err)
		return tok.Fingerprint()
	}
	for i, set := range sets {
		var want string
		permute(set, func(p []string) {
			got := kind(devpay.ParseTokens(p...))
			joined := kind(devpay.ParseTokens(strings.Join(p, ",")))
			if want == "" {
				want = got
			}
			assert.Equal(t, want, got, "set %d, order %q", i, p)
			assert.Equal(t, want, joined, "set %d joined, order %q", i, p)
		})
	}
}

func permute(s []string, f func([]string)) {
	var rec func(int)
	rec = func(k int) {
		if k == len(s) {
			f(append([]string(nil), s...))
			return
		}
		for i := k; i < len(s); i++ {
			s[k], s[i] = s[i], s[k]
			rec(k + 1)
			s[k], s[i] = s[i], s[k]
		}
	}
	rec(0)
}

func TestTokensAccessorsDoNotAllocate(t *testing.T) {
	tok, err := devpay.ParseTokens(user, product)
	require.NoError(t, err)
	n := testing.AllocsPerRun(100, func() {
		_ = tok.User()
		_ = tok.Product()
		_ = tok.Fingerprint()
		_ = tok.IsZero()
	})
	assert.Zero(t, n)
}
