package condval

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want float64
		ok   bool
	}{
		{name: "integer", in: "42", want: 42, ok: true},
		{name: "negative-decimal", in: "-1.50", want: -1.5, ok: true},
		{name: "plus-sign", in: "+7", want: 7, ok: true},
		{name: "fraction-only", in: ".5", want: 0.5, ok: true},
		{name: "trailing-dot", in: "5.", want: 5, ok: true},
		{name: "308-digits-in-range", in: strings.Repeat("9", 308), want: 1e308, ok: true},
		{name: "309-digits-overflow", in: strings.Repeat("9", 309)},
		{name: "empty", in: ""},
		{name: "sign-alone", in: "-"},
		{name: "dot-alone", in: "."},
		{name: "exponent", in: "1e3"},
		{name: "hex", in: "0x10"},
		{name: "inf", in: "Inf"},
		{name: "nan", in: "NaN"},
		{name: "underscore", in: "1_000"},
		{name: "word", in: "ten"},
		{name: "trailing-nul", in: "5\x00"},
		{name: "two-signs", in: "--5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Number(tc.in)
			assert.Equal(t, tc.ok, ok)
			if tc.ok {
				assert.InEpsilon(t, tc.want, got, 1e-9)
			}
		})
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time
		ok   bool
	}{
		{name: "year", in: "2024", want: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), ok: true},
		{name: "four-digits-are-a-year", in: "1000", want: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), ok: true},
		{name: "month", in: "2024-02", want: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), ok: true},
		{name: "day", in: "2024-02-29", want: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), ok: true},
		{name: "seconds-utc", in: "2024-01-31T23:59:59Z", want: time.Date(2024, 1, 31, 23, 59, 59, 0, time.UTC), ok: true},
		{name: "fractional-seconds", in: "2024-01-31T23:59:59.5Z", want: time.Date(2024, 1, 31, 23, 59, 59, 5e8, time.UTC), ok: true},
		{name: "minutes-with-offset", in: "2024-01-01T10:00+02:00", want: time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC), ok: true},
		{name: "offset-23:59", in: "2024-01-01T00:00:00+23:59", want: time.Date(2023, 12, 31, 0, 1, 0, 0, time.UTC), ok: true},
		{name: "five-digits-are-epoch-seconds", in: "10000", want: time.Unix(10000, 0), ok: true},
		{name: "epoch-at-2^40", in: "1099511627776", want: time.Unix(1<<40, 0), ok: true},
		{name: "epoch-2^40-plus-one", in: "1099511627777"},
		{name: "epoch-overflows-int64", in: "100000000000000000000"},
		{name: "offset-24-hours", in: "2024-01-01T00:00:00-24:00"},
		{name: "no-zone", in: "2024-01-01T10:00:00"},
		{name: "month-13", in: "2020-13-01"},
		{name: "february-30", in: "2024-02-30"},
		{name: "leap-second", in: "2016-12-31T23:59:60Z"},
		{name: "negative", in: "-1"},
		{name: "exponent", in: "1e20"},
		{name: "empty", in: ""},
		{name: "trailing-nul", in: "2024-01-01T00:00:00Z\x00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Date(tc.in)
			assert.Equal(t, tc.ok, ok)
			if tc.ok {
				assert.True(t, tc.want.Equal(got), "got %v", got)
			}
		})
	}
}

func TestBoolAndBinary(t *testing.T) {
	bools := []struct {
		in        string
		want, ok  bool
		hasBinary bool
	}{
		{in: "true", want: true, ok: true},
		{in: "TRUE", want: true, ok: true},
		{in: "False", ok: true},
		{in: "1"},
		{in: "yes"},
		{in: "true\x00"},
		{in: ""},
	}
	for _, tc := range bools {
		got, ok := Bool(tc.in)
		assert.Equal(t, tc.ok, ok, "%q", tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
	}
	binaries := []struct {
		in, want string
		ok       bool
	}{
		{in: "aGVsbG8=", want: "hello", ok: true},
		{in: "", want: "", ok: true},
		{in: "aGVsbG8"},
		{in: "not base64!"},
		{in: "AA\x00A"},
		{in: "aGVsbG8-"},
	}
	for _, tc := range binaries {
		got, ok := Binary(tc.in)
		assert.Equal(t, tc.ok, ok, "%q", tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
	}
}

func TestCIDRAndAddr(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		prefix string // CIDR's result, "" when it refuses
		addr   string // Addr's result, "" when it refuses
	}{
		{name: "ipv4-block", in: "10.0.0.0/8", prefix: "10.0.0.0/8"},
		{name: "host-bits-cleared", in: "10.1.2.3/8", prefix: "10.0.0.0/8"},
		{name: "bare-ipv4", in: "192.0.2.1", prefix: "192.0.2.1/32", addr: "192.0.2.1"},
		{name: "bare-ipv6", in: "2001:db8::1", prefix: "2001:db8::1/128", addr: "2001:db8::1"},
		{name: "mapped-ipv6-is-ipv4", in: "::ffff:10.0.0.1", prefix: "10.0.0.1/32", addr: "10.0.0.1"},
		{name: "slash-33", in: "10.0.0.0/33"},
		{name: "slash-129", in: "::/129"},
		{name: "zone", in: "fe80::1%eth0"},
		{name: "octet-256", in: "1.2.3.256"},
		{name: "leading-zero", in: "010.2.3.4"},
		{name: "two-slashes", in: "10.0.0.0/8/8"},
		{name: "empty", in: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := CIDR(tc.in)
			assert.Equal(t, tc.prefix != "", ok)
			if ok {
				assert.Equal(t, netip.MustParsePrefix(tc.prefix), p)
			}
			a, ok := Addr(tc.in)
			assert.Equal(t, tc.addr != "", ok)
			if ok {
				assert.Equal(t, netip.MustParseAddr(tc.addr), a)
			}
		})
	}
}

func TestSplitARN(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string // nil when SplitARN refuses
		template []string // nil when SplitARNTemplate refuses
	}{
		{name: "s3-object", in: "arn:aws:s3:::b/k:x",
			want:     []string{"arn", "aws", "s3", "", "", "b/k:x"},
			template: []string{"arn", "aws", "s3", "", "", "b/k:x"}},
		{name: "variable-keeps-its-colon", in: "arn:aws:iam::${aws:userid}:user/x",
			want:     []string{"arn", "aws", "iam", "", "${aws", "userid}:user/x"},
			template: []string{"arn", "aws", "iam", "", "${aws:userid}", "user/x"}},
		{name: "escape-is-no-variable", in: "arn:${$}:s3:::b",
			want:     []string{"arn", "${$}", "s3", "", "", "b"},
			template: []string{"arn", "${$}", "s3", "", "", "b"}},
		{name: "brace-in-a-default-closes-the-variable", in: "arn:aws:s3:${aws:username, '}:'}:x:y",
			want:     []string{"arn", "aws", "s3", "${aws", "username, '}", "'}:x:y"},
			template: []string{"arn", "aws", "s3", "${aws:username, '}", "'}", "x:y"}},
		{name: "unclosed-variable-hides-the-colons", in: "arn:aws:s3:${x:y:::b",
			want: []string{"arn", "aws", "s3", "${x", "y", "::b"}},
		{name: "too-few-colons", in: "arn:aws:sns"},
		{name: "other-prefix", in: "urn:aws:sns:*:1:*"},
		{name: "upper-case-prefix", in: "ARN:aws:s3:::b"},
		{name: "empty", in: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var parts [ARNParts]string
			ok := SplitARN(tc.in, &parts)
			assert.Equal(t, tc.want != nil, ok)
			if ok {
				assert.Equal(t, tc.want, parts[:])
			}
			var tparts [ARNParts]string
			ok = SplitARNTemplate(tc.in, &tparts)
			assert.Equal(t, tc.template != nil, ok)
			if ok {
				assert.Equal(t, tc.template, tparts[:])
			}
		})
	}
}

// TestReadersDoNotAllocate pins the readers evaluation calls for every
// request value, on values that read and values that do not.
func TestReadersDoNotAllocate(t *testing.T) {
	var parts [ARNParts]string
	for name, f := range map[string]func(){
		"number":            func() { Number("123.5") },
		"number-refused":    func() { Number("12e3") },
		"bool":              func() { Bool("TRUE") },
		"bool-refused":      func() { Bool("yes") },
		"date-utc":          func() { Date("2024-01-31T23:59:59Z") },
		"date-epoch":        func() { Date("1700000000") },
		"addr":              func() { Addr("2001:db8::1") },
		"split-arn":         func() { SplitARN("arn:aws:s3:::b/k", &parts) },
		"split-arn-refused": func() { SplitARN("arn:aws", &parts) },
		"split-template":    func() { SplitARNTemplate("arn:aws:iam::${aws:userid}:user/x", &parts) },
	} {
		assert.Zero(t, testing.AllocsPerRun(100, f), name)
	}
}
