package devpay_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/devpay"
)

var tokenSentinels = []error{
	devpay.ErrNoTokens, devpay.ErrNotDevPay, devpay.ErrDuplicateToken,
	devpay.ErrMixedTokens, devpay.ErrMissingUserToken, devpay.ErrMalformedToken,
}

// FuzzParseTokens checks that ParseTokens never panics, is deterministic,
// returns only typed errors wrapping one token sentinel, reads two values
// and their comma-joined form alike in either order, and never prints a
// piece of its input: no error, String, GoString or fmt output contains a
// piece longer than 12 bytes unless User or Product returned it. The
// output must moreover not change when the letters and digits of every
// piece are changed in a way that keeps its kind: it depends on the
// pieces' shape only, never on their text.
func FuzzParseTokens(f *testing.F) {
	for _, s := range [][2]string{
		{user, product},
		{product, user},
		{user + "," + product, ""},
		{" " + product + " ,\t" + user + " ", ","},
		{user, ""},
		{product, ""},
		{user, user2},
		{user + "," + product, product2},
		{stsToken, ""},
		{stsToken, user},
		{stsToken + "," + product, user},
		{"", ""},
		{" , ,", "\t"},
		{devpay.UserTokenPrefix, product},
		{"{usertoken}" + userBody, ""},
		{user, "{PRODUCTTOKEN}" + productBody},
		{devpay.UserTokenPrefix + "a b", ""},
		{devpay.UserTokenPrefix + "a\x00b", ""},
		{devpay.UserTokenPrefix + "\u00e9t\u00e9", ""},
		{devpay.UserTokenPrefix + tooLongBody, ""},
		{devpay.UserTokenPrefix + longUserBody, product},
		{longSTS, ""},
		{"{UserToken}{ProductToken}x", "{ProductToken}{UserToken}y"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		inputs := [][]string{{a}, {a, b}, {b, a}, {a + "," + b}}
		var kinds []string
		for _, values := range inputs {
			kinds = append(kinds, checkParse(t, values))
		}
		for i := 2; i < len(inputs); i++ {
			if kinds[i] != kinds[1] {
				t.Fatalf("ParseTokens(%q) gives %s but ParseTokens(%q) gives %s", inputs[1], kinds[1], inputs[i], kinds[i])
			}
		}
	})
}

// checkParse parses values, checks the properties above and returns the
// result's kind: the sentinel's text, or the fingerprint.
func checkParse(t *testing.T, values []string) string {
	t.Helper()
	tok, err := devpay.ParseTokens(values...)
	out := render(tok, err)

	// Deterministic.
	tok2, err2 := devpay.ParseTokens(values...)
	if render(tok2, err2) != out || tok2.User() != tok.User() || tok2.Product() != tok.Product() {
		t.Fatalf("ParseTokens(%q) is not deterministic:\n%s\n%s", values, out, render(tok2, err2))
	}

	kind := ""
	if err != nil {
		var e *devpay.Error
		if !errors.As(err, &e) {
			t.Fatalf("ParseTokens(%q): untyped error %v", values, err)
		}
		n := 0
		for _, s := range tokenSentinels {
			if errors.Is(err, s) {
				n++
				kind = s.Error()
			}
		}
		if n != 1 {
			t.Fatalf("ParseTokens(%q): error wraps %d token sentinels: %v", values, n, err)
		}
		if e.Input != "" {
			t.Fatalf("ParseTokens(%q): error carries input %q", values, e.Input)
		}
		if !strings.HasPrefix(err.Error(), "devpay: ") {
			t.Fatalf("ParseTokens(%q): message %q", values, err)
		}
		if !tok.IsZero() {
			t.Fatalf("ParseTokens(%q): non-zero Tokens with an error", values)
		}
	} else {
		kind = tok.Fingerprint()
		if tok.IsZero() || !strings.HasPrefix(tok.User(), devpay.UserTokenPrefix) ||
			(tok.Product() != "" && !strings.HasPrefix(tok.Product(), devpay.ProductTokenPrefix)) ||
			!fingerprintRE.MatchString(tok.Fingerprint()) {
			t.Fatalf("ParseTokens(%q) = user %q, product %q, fingerprint %q", values, tok.User(), tok.Product(), tok.Fingerprint())
		}
		joined := strings.Join(values, ",")
		if !strings.Contains(joined, tok.User()) || !strings.Contains(joined, tok.Product()) {
			t.Fatalf("ParseTokens(%q) returned tokens it was not given", values)
		}
		for _, s := range []string{tok.User(), tok.Product()} {
			if s != "" && strings.Contains(out, s) {
				t.Fatalf("ParseTokens(%q): output leaks a token: %s", values, out)
			}
		}
	}

	// Shape only: changing the text of every piece, keeping its kind,
	// changes nothing but the fingerprint.
	mutated := make([]string, len(values))
	for i, v := range values {
		mutated[i] = mutate(v)
	}
	mtok, merr := devpay.ParseTokens(mutated...)
	mout := render(mtok, merr)
	if err != nil && mout != out {
		t.Fatalf("ParseTokens output depends on the pieces' text:\n%q: %s\n%q: %s", values, out, mutated, mout)
	}
	if (err == nil) != (merr == nil) || mtok.User() != mutate(tok.User()) || mtok.Product() != mutate(tok.Product()) {
		t.Fatalf("ParseTokens(%q) and ParseTokens(%q) disagree: %v, %v", values, mutated, err, merr)
	}

	// No piece longer than 12 bytes appears in the output, unless it is a
	// returned token or text the output holds whatever the pieces say.
	out, mout = renderAll(tok, err), renderAll(mtok, merr)
	for _, s := range []string{tok.User(), tok.Product()} {
		if s != "" && strings.Contains(out, s) {
			t.Fatalf("ParseTokens(%q): output leaks a token: %s", values, out)
		}
	}
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			p = strings.Trim(p, " \t")
			if len(p) <= 12 || p == tok.User() || p == tok.Product() {
				continue
			}
			if strings.Contains(out, p) && !strings.Contains(mout, p) {
				t.Fatalf("ParseTokens(%q): output leaks piece %q: %s", values, p, out)
			}
		}
	}
	return kind
}

// render is what ParseTokens's result prints through the package's own
// methods: the error, String, GoString, Fingerprint and LogValue, and the
// fmt verbs that use them.
func render(tok devpay.Tokens, err error) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "%v|%+v|%s|%q|", err, err, err, err)
	}
	fmt.Fprintf(&b, "%s|%s|%s|%s|", tok.String(), tok.GoString(), tok.Fingerprint(), tok.LogValue())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		fmt.Fprintf(&b, verb+"|", tok)
	}
	return b.String()
}

// renderAll adds what fmt prints by reflection: Tokens in an unexported
// field, and verbs no method handles. It holds addresses, which differ
// between runs.
func renderAll(tok devpay.Tokens, err error) string {
	type holder struct {
		Exported devpay.Tokens
		hidden   devpay.Tokens
	}
	h := holder{tok, tok}
	var b strings.Builder
	b.WriteString(render(tok, err))
	fmt.Fprintf(&b, "%#v|", err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		fmt.Fprintf(&b, verb+"|"+verb+"|"+verb+"|", tok, h, &h)
	}
	return b.String()
}

// mutate changes the letters and digits of every comma-separated piece of
// v without changing what kind of piece it is: in a piece that starts like
// a DevPay token (its prefix in any case) the prefix is kept and the rest
// rotated (a→b, z→a, 9→0); in any other piece the case of letters is
// swapped, which cannot make it start like a DevPay token, and digits are
// rotated. Commas, spaces and every other byte are kept.
func mutate(v string) string {
	b := []byte(v)
	start := 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] != ',' {
			continue
		}
		piece := b[start:i]
		lead := 0
		for lead < len(piece) && (piece[lead] == ' ' || piece[lead] == '\t') {
			lead++
		}
		body := piece[lead:]
		if skip := devpayPrefixLen(string(body)); skip > 0 {
			for j := skip; j < len(body); j++ {
				body[j] = rotate(body[j])
			}
		} else {
			for j := range body {
				body[j] = swapCase(body[j])
			}
		}
		start = i + 1
	}
	return string(b)
}

func devpayPrefixLen(s string) int {
	for _, p := range []string{devpay.UserTokenPrefix, devpay.ProductTokenPrefix} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

func rotate(c byte) byte {
	switch {
	case c == 'z':
		return 'a'
	case c == 'Z':
		return 'A'
	case c == '9':
		return '0'
	case 'a' <= c && c < 'z', 'A' <= c && c < 'Z', '0' <= c && c < '9':
		return c + 1
	}
	return c
}

func swapCase(c byte) byte {
	switch {
	case 'a' <= c && c <= 'z':
		return c - 'a' + 'A'
	case 'A' <= c && c <= 'Z':
		return c - 'A' + 'a'
	case c == '9':
		return '0'
	case '0' <= c && c < '9':
		return c + 1
	}
	return c
}
