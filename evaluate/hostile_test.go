package evaluate_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/jsonptr"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// hosCondPolicy is an identity policy whose one statement has the given
// Condition element.
func hosCondPolicy(cond string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":` + cond + `}]}`
}

// TestHostilePolicyValues checks Parse and Prepare on hostile condition
// values: numbers that overflow, are not decimal or are not numbers at
// all; dates out of range or invalid; NUL bytes and huge values. A value
// its operator cannot read is refused by Parse with a *policy.Error
// wrapping policy.ErrInvalidCondition whose Pointer names the value (with
// its index in a list) and whose Offset points at it, with the value
// quoted short, and by Prepare alike when a policy is changed by hand to
// hold it; values at the edge of what is readable parse and prepare. The
// epoch-seconds bound (2^40) and the float64 range are checked at the
// limit and one past it.
func TestHostilePolicyValues(t *testing.T) {
	huge := strings.Repeat("9", 20<<10)
	tests := []struct {
		name  string
		op    string
		key   string
		value string // the value's JSON
		ok    bool
	}{
		{"number-1e400-string", "NumericEquals", "s3:signatureAge", `"1e400"`, false},
		{"number-1e400-json", "NumericLessThan", "s3:signatureAge", `1e400`, false},
		{"number-23-nines", "NumericEquals", "s3:signatureAge", `"99999999999999999999999"`, true},
		{"number-23-nines-json", "NumericGreaterThan", "s3:signatureAge", `99999999999999999999999`, true},
		{"number-308-digits-at-float64-range", "NumericEquals", "s3:signatureAge", `"` + strings.Repeat("9", 308) + `"`, true},
		{"number-309-digits-over-float64-range", "NumericEquals", "s3:signatureAge", `"` + strings.Repeat("9", 309) + `"`, false},
		{"number-20KiB-of-digits", "NumericEquals", "s3:signatureAge", `"` + huge + `"`, false},
		{"number-minus-zero", "NumericEquals", "s3:signatureAge", `"-0"`, true},
		{"number-NaN", "NumericEquals", "s3:signatureAge", `"NaN"`, false},
		{"number-Inf", "NumericEquals", "s3:signatureAge", `"Inf"`, false},
		{"number-plus-Infinity", "NumericEquals", "s3:signatureAge", `"+Infinity"`, false},
		{"number-hex", "NumericEquals", "s3:signatureAge", `"0x10"`, false},
		{"number-underscores", "NumericEquals", "s3:signatureAge", `"1_000"`, false},
		{"number-arabic-digit", "NumericEquals", "s3:signatureAge", `"\u0661"`, false},
		{"number-trailing-nul", "NumericEquals", "s3:signatureAge", `"5\u0000"`, false},
		{"number-empty", "NumericEquals", "s3:signatureAge", `""`, false},
		{"number-second-of-a-list", "NumericEquals", "s3:signatureAge", `["5","0x10"]`, false},

		{"date-year-0", "DateEquals", "aws:CurrentTime", `"0000-01-01T00:00:00Z"`, true},
		{"date-year-9999", "DateEquals", "aws:CurrentTime", `"9999-12-31T23:59:59Z"`, true},
		{"date-year-10000", "DateEquals", "aws:CurrentTime", `"10000-01-01T00:00:00Z"`, false},
		{"date-epoch-at-2^40", "DateLessThan", "aws:CurrentTime", `"1099511627776"`, true},
		{"date-epoch-2^40-plus-one", "DateLessThan", "aws:CurrentTime", `"1099511627777"`, false},
		{"date-epoch-1e20-digits", "DateLessThan", "aws:CurrentTime", `"100000000000000000000"`, false},
		{"date-epoch-1e20-exponent", "DateLessThan", "aws:CurrentTime", `"1e20"`, false},
		{"date-epoch-negative", "DateLessThan", "aws:CurrentTime", `"-1"`, false},
		{"date-month-13-day-45-time-99", "DateLessThan", "aws:CurrentTime", `"2024-13-45T99:99:99Z"`, false},
		{"date-february-30", "DateLessThan", "aws:CurrentTime", `"2024-02-30"`, false},
		{"date-hour-24", "DateLessThan", "aws:CurrentTime", `"2024-02-29T24:00:00Z"`, false},
		{"date-leap-second", "DateLessThan", "aws:CurrentTime", `"2016-12-31T23:59:60Z"`, false},
		{"date-offset-25-hours", "DateLessThan", "aws:CurrentTime", `"2024-01-01T00:00:00+25:00"`, false},
		{"date-trailing-nul", "DateLessThan", "aws:CurrentTime", `"2024-01-01T00:00:00Z\u0000"`, false},
		{"date-second-of-a-list", "DateLessThan", "aws:CurrentTime", `["2024-01-01","2024-13-45T99:99:99Z"]`, false},

		{"bool-upper-case", "Bool", "aws:SecureTransport", `"TRUE"`, true},
		{"bool-one", "Bool", "aws:SecureTransport", `"1"`, false},
		{"bool-trailing-nul", "Bool", "aws:SecureTransport", `"true\u0000"`, false},

		{"cidr-slash-33", "IpAddress", "aws:SourceIp", `"1.2.3.4/33"`, false},
		{"cidr-slash-129", "NotIpAddress", "aws:SourceIp", `"::/129"`, false},
		{"cidr-octet-256", "IpAddress", "aws:SourceIp", `"1.2.3.256"`, false},
		{"cidr-leading-zero", "IpAddress", "aws:SourceIp", `"010.2.3.4"`, false},
		{"cidr-trailing-nul", "IpAddress", "aws:SourceIp", `"10.0.0.0/8\u0000"`, false},
		{"cidr-second-of-a-list", "IpAddress", "aws:SourceIp", `["10.0.0.0/8","10.0.0.0/8/8"]`, false},
		{"cidr-host-bits-set", "IpAddress", "aws:SourceIp", `"10.0.0.1/8"`, true},
		{"cidr-everything", "IpAddress", "aws:SourceIp", `"0.0.0.0/0"`, true},

		{"base64-nul", "BinaryEquals", "custom:bin", `"AA\u0000A"`, false},
		{"arn-nul-instead-of-colons", "ArnLike", "aws:SourceArn", `"arn\u0000aws\u0000s3\u0000\u0000\u0000b"`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := hosCondPolicy(`{"` + tc.op + `":{"` + tc.key + `":` + tc.value + `}}`)
			p, err := policy.Parse(policy.Identity, []byte(doc))
			if tc.ok {
				require.NoError(t, err)
				pp, err := evaluate.Prepare(p)
				require.NoError(t, err)
				require.NotNil(t, pp)
				return
			}
			assert.Nil(t, p)
			require.Error(t, err)
			assert.ErrorIs(t, err, policy.ErrInvalidCondition)
			var pe *policy.Error
			require.True(t, errors.As(err, &pe), "error %T is not *policy.Error", err)
			pointer := "/Statement/0/Condition/" + tc.op + string(jsonptr.AppendKey(nil, tc.key))
			value := tc.value
			if strings.HasPrefix(tc.value, "[") {
				pointer += "/1"
				value = value[strings.IndexByte(value, ',')+1 : len(value)-1]
			}
			assert.Equal(t, pointer, pe.Pointer)
			require.Less(t, pe.Offset, len(doc))
			assert.True(t, strings.HasPrefix(doc[pe.Offset:], value), "the offset points at the value: %.40q", doc[pe.Offset:])
			assert.Less(t, len(err.Error()), 300, "the error quotes a short cut of the value")

			// Built by hand from the document with a readable value
			// there, the policy is refused by Prepare alike.
			byHand, err := policy.Parse(policy.Identity, vaSplice(t, []byte(doc), pe.Offset, hosReadable[tc.op]))
			require.NoError(t, err)
			vaSetValue(t, byHand, pe.Offset, value)
			vaRefusedAlike(t, policy.Identity, []byte(doc), byHand)
		})
	}
}

// hosReadable is a value each operator of TestHostilePolicyValues reads.
var hosReadable = map[string]string{
	"NumericEquals": `"5"`, "NumericLessThan": `5`, "NumericGreaterThan": `5`,
	"DateEquals": `"2024"`, "DateLessThan": `"2024"`, "Bool": `"true"`,
	"IpAddress": `"10.0.0.0/8"`, "NotIpAddress": `"::/0"`,
	"BinaryEquals": `"aGk="`, "ArnLike": `"arn:aws:s3:::b"`,
}

// Outcomes of a condition block for one request.
const (
	hosNoMatch = iota // the block does not hold
	hosMatch          // the block holds
	hosFail           // evaluation fails: the request is denied with ErrCondition
)

// hosPolicies caches the bucket policies of hosEvaluate.
type hosPolicies map[string]*evaluate.Prepared

// hosEvaluate evaluates an anonymous GetObject of bkt/k with request keys
// against a bucket policy that either allows with the condition block
// (deny=false) or allows everyone and denies with the block (deny=true).
func (c hosPolicies) hosEvaluate(t *testing.T, cond string, deny bool, keys *evaluate.Keys) (evaluate.Decision, evaluate.Diagnostic) {
	t.Helper()
	stmt := `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":` + cond + `}`
	if deny {
		stmt = `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},` +
			`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":` + cond + `}`
	}
	if c[stmt] == nil {
		c[stmt] = bucketPolicy(t, stmt)
	}
	ec := with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = c[stmt] })
	req := getObject(ownership.Anonymous())
	req.Keys = keys
	return evaluate.Evaluate(req, ec)
}

// TestHostileRequestValues checks Evaluate on hostile request values under
// every operator family, each in an Allow statement and in a Deny
// statement (beside an Allow for everyone). A value a Numeric, Date, Bool
// or IpAddress operator cannot read fails closed in both: ImplicitDeny,
// Stage StageError, Diagnostic.Err wrapping ErrCondition and naming the
// condition, with the value quoted short. Values that are readable at the
// edge of the range compare; ARN operators do not match what is not an
// ARN; string operators compare bytes, NUL and invalid UTF-8 included,
// except that under the IgnoreCase operators a value with invalid UTF-8
// equals no policy value. A key name with a NUL, invalid UTF-8 or a
// non-ASCII letter that folds to the key's is another key.
func TestHostileRequestValues(t *testing.T) {
	const (
		numeric = `{"NumericLessThan":{"s3:signatureAge":"1000"}}`
		date    = `{"DateLessThan":{"aws:TokenIssueTime":"2030-01-01T00:00:00Z"}}`
		boolean = `{"Bool":{"aws:SecureTransport":"true"}}`
		ip      = `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`
		notIP   = `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`
		arnLike = `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::bkt*"}}`
		arnNot  = `{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::bkt*"}}`
	)
	mib := strings.Repeat("7", 1<<20)
	tests := []struct {
		name   string
		cond   string
		key    string // the request key set; "" means the condition's own
		values []string
		want   int
	}{
		{"numeric-1e400", numeric, "", []string{"1e400"}, hosFail},
		{"numeric-23-nines", numeric, "", []string{"99999999999999999999999"}, hosNoMatch},
		{"numeric-minus-23-nines", numeric, "", []string{"-99999999999999999999999"}, hosMatch},
		{"numeric-minus-zero", numeric, "", []string{"-0"}, hosMatch},
		{"numeric-NaN", numeric, "", []string{"NaN"}, hosFail},
		{"numeric-Inf", numeric, "", []string{"Inf"}, hosFail},
		{"numeric-minus-Inf", numeric, "", []string{"-Inf"}, hosFail},
		{"numeric-hex", numeric, "", []string{"0x10"}, hosFail},
		{"numeric-empty", numeric, "", []string{""}, hosFail},
		{"numeric-trailing-nul", numeric, "", []string{"5\x00"}, hosFail},
		{"numeric-invalid-utf8", numeric, "", []string{"5\xff"}, hosFail},
		{"numeric-400-digits-overflow", numeric, "", []string{strings.Repeat("9", 400)}, hosFail},
		{"numeric-1MiB-of-digits", numeric, "", []string{mib}, hosFail},
		// Without a set qualifier a multivalued key matches when any value
		// does: a value read before the garbage can decide.
		{"numeric-garbage-after-a-matching-value", numeric, "", []string{"1", "NaN"}, hosMatch},
		{"numeric-garbage-after-a-non-matching-value", numeric, "", []string{"2000", "NaN"}, hosFail},
		{"numeric-garbage-before-a-matching-value", numeric, "", []string{"NaN", "1"}, hosMatch},

		{"date-year-0", date, "", []string{"0000-01-01T00:00:00Z"}, hosMatch},
		{"date-year-10000", date, "", []string{"10000-01-01T00:00:00Z"}, hosFail},
		{"date-five-digits-are-epoch-seconds", date, "", []string{"10000"}, hosMatch},
		{"date-epoch-1e20-digits", date, "", []string{"100000000000000000000"}, hosFail},
		{"date-epoch-1e20-exponent", date, "", []string{"1e20"}, hosFail},
		{"date-epoch-2^40-plus-one", date, "", []string{"1099511627777"}, hosFail},
		{"date-month-13-day-45-time-99", date, "", []string{"2024-13-45T99:99:99Z"}, hosFail},
		{"date-nul", date, "", []string{"\x00"}, hosFail},
		{"date-trailing-invalid-utf8", date, "", []string{"2024-01-01T00:00:00Z\xff"}, hosFail},
		{"date-1MiB", date, "", []string{mib}, hosFail},

		{"bool-upper-case", boolean, "", []string{"TRUE"}, hosMatch},
		{"bool-one", boolean, "", []string{"1"}, hosFail},
		{"bool-trailing-nul", boolean, "", []string{"true\x00"}, hosFail},
		{"bool-invalid-utf8", boolean, "", []string{"tru\xe9"}, hosFail},
		{"bool-empty", boolean, "", []string{""}, hosFail},

		{"ip-mapped-ipv6-in-block", ip, "", []string{"::ffff:10.0.0.1"}, hosMatch},
		{"ip-cidr-is-not-an-address", ip, "", []string{"10.0.0.1/8"}, hosFail},
		{"ip-octet-256", ip, "", []string{"10.0.0.256"}, hosFail},
		{"ip-ipv4-with-zone", ip, "", []string{"10.0.0.1%eth0"}, hosFail},
		{"ip-trailing-nul", ip, "", []string{"10.0.0.1\x00"}, hosFail},
		{"ip-invalid-utf8", ip, "", []string{"10.0.0.\xff"}, hosFail},
		{"not-ip-unreadable", notIP, "", []string{"10.0.0.1/8"}, hosFail},
		// A zoned address is in no CIDR block: it is unreadable, so a Deny
		// on the block fails closed instead of letting the request through.
		{"ip-ipv6-with-zone-in-block", `{"IpAddress":{"aws:SourceIp":"fe80::/10"}}`, "", []string{"fe80::1%eth0"}, hosFail},

		{"arn-not-an-arn", arnLike, "", []string{"not-an-arn"}, hosNoMatch},
		{"arn-too-few-parts", arnLike, "", []string{"arn:aws"}, hosNoMatch},
		{"arn-nul-in-prefix", arnLike, "", []string{"arn\x00:aws:s3:::bkt"}, hosNoMatch},
		{"arn-upper-case-prefix", arnLike, "", []string{"ARN:aws:s3:::bkt"}, hosNoMatch},
		{"arn-not-like-holds-for-a-non-arn", arnNot, "", []string{"not-an-arn"}, hosMatch},
		{"arn-invalid-utf8-in-resource", arnLike, "", []string{"arn:aws:s3:::bkt\xff"}, hosMatch},

		{"string-nul-in-policy-and-request", `{"StringEquals":{"aws:Referer":"a\u0000b"}}`, "", []string{"a\x00b"}, hosMatch},
		{"string-nul-dropped", `{"StringEquals":{"aws:Referer":"a\u0000b"}}`, "", []string{"ab"}, hosNoMatch},
		{"like-question-matches-one-invalid-byte", `{"StringLike":{"aws:Referer":"a?b"}}`, "", []string{"a\xffb"}, hosMatch},
		{"like-question-not-two-invalid-bytes", `{"StringLike":{"aws:Referer":"a?b"}}`, "", []string{"a\xff\xfeb"}, hosNoMatch},
		{"like-question-matches-nul", `{"StringLike":{"aws:Referer":"a?b"}}`, "", []string{"a\x00b"}, hosMatch},
		{"ignore-case-invalid-utf8-is-not-a-letter", `{"StringEqualsIgnoreCase":{"aws:Referer":"a\u00e9b"}}`, "", []string{"a\xffb"}, hosNoMatch},
		// A request value with invalid UTF-8 equals no policy value under
		// the IgnoreCase operators, not even one holding U+FFFD where the
		// invalid byte is: the negated operator holds for it, so a Deny
		// with it applies.
		{"ignore-case-invalid-utf8-is-not-replacement-char", `{"StringEqualsIgnoreCase":{"aws:Referer":"a\ufffdb"}}`, "", []string{"a\xfeb"}, hosNoMatch},
		{"ignore-case-no-invalid-byte-equals-replacement-char", `{"StringEqualsIgnoreCase":{"aws:Referer":"a\ufffdb"}}`, "", []string{"a\xffb", "A\xfeB"}, hosNoMatch},
		{"not-ignore-case-holds-for-invalid-utf8", `{"StringNotEqualsIgnoreCase":{"aws:Referer":"a\ufffdb"}}`, "", []string{"a\xfeb"}, hosMatch},
		{"not-ignore-case-holds-for-invalid-utf8-beside-a-letter", `{"StringNotEqualsIgnoreCase":{"aws:Referer":["a\ufffdb","A\u00c9B"]}}`, "", []string{"a\xffb"}, hosMatch},
		{"ignore-case-valid-value-still-folds", `{"StringEqualsIgnoreCase":{"aws:Referer":"a\ufffdb"}}`, "", []string{"A\ufffdB"}, hosMatch},

		{"key-name-with-nul-is-another-key", numeric, "s3:signatureAge\x00", []string{"1"}, hosNoMatch},
		{"key-name-with-invalid-utf8-is-another-key", numeric, "s3:signatureAge\xff", []string{"1"}, hosNoMatch},
		{"key-name-kelvin-sign-is-another-key", date, "aws:To\u212aenIssueTime", []string{"2020-01-01T00:00:00Z"}, hosNoMatch},
		{"key-name-upper-case-is-the-key", numeric, "S3:SIGNATUREAGE", []string{"1"}, hosMatch},
		{"key-name-with-nul-holds-garbage-unread", numeric, "s3:signatureAge\x00", []string{"NaN"}, hosNoMatch},
	}
	policies := hosPolicies{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key := tc.key
			if key == "" {
				// The condition's key: {"Operator":{"key":...}}.
				_, rest, _ := strings.Cut(tc.cond, `":{"`)
				key, _, _ = strings.Cut(rest, `"`)
			}
			keys := &evaluate.Keys{}
			keys.Set(key, tc.values...)
			for _, deny := range []bool{false, true} {
				d, diag := policies.hosEvaluate(t, tc.cond, deny, keys)
				where := map[bool]string{false: "in an Allow statement", true: "in a Deny statement"}[deny]
				switch tc.want {
				case hosFail:
					assert.Equal(t, evaluate.ImplicitDeny, d, where)
					require.Error(t, diag.Err, where)
					assert.ErrorIs(t, diag.Err, evaluate.ErrCondition, where)
					assert.Equal(t, evaluate.StageError, diag.Reason.Stage, where)
					assert.Contains(t, failedCodes, diag.Reason.Code, where)
					stmt := map[bool]string{false: "/Statement/0", true: "/Statement/1"}[deny]
					assert.Contains(t, diag.Err.Error(), stmt+"/Condition/", "the error names the condition %s", where)
					assert.Less(t, len(diag.Err.Error()), 400, "the error quotes a short cut of the value %s", where)
				case hosMatch:
					assert.NoError(t, diag.Err, where)
					assert.Equal(t, map[bool]evaluate.Decision{false: evaluate.Allow, true: evaluate.ExplicitDeny}[deny], d, "%s: %+v", where, diag.Reason)
				case hosNoMatch:
					assert.NoError(t, diag.Err, where)
					assert.Equal(t, map[bool]evaluate.Decision{false: evaluate.ImplicitDeny, true: evaluate.Allow}[deny], d, "%s: %+v", where, diag.Reason)
				}
			}
		})
	}
}

// TestHostileBucketAndObjectKeys checks Resource matching on bucket names
// and object keys with NUL bytes, invalid UTF-8 and lengths past what S3
// stores: they are compared byte for byte, '?' taking one character (an
// invalid byte counts as one), and the decision is right.
func TestHostileBucketAndObjectKeys(t *testing.T) {
	long := strings.Repeat("k", 2000)
	tests := []struct {
		name     string
		bucket   string
		key      string
		resource string
		want     evaluate.Decision
	}{
		{"key-nul-under-star", "bkt", "a\x00b", "arn:aws:s3:::bkt/a*", evaluate.Allow},
		{"key-nul-is-one-character", "bkt", "a\x00b", "arn:aws:s3:::bkt/a?b", evaluate.Allow},
		{"key-nul-not-dropped", "bkt", "a\x00b", "arn:aws:s3:::bkt/ab", evaluate.ImplicitDeny},
		{"key-invalid-utf8-is-one-character", "bkt", "a\xffb", "arn:aws:s3:::bkt/a?b", evaluate.Allow},
		{"key-invalid-utf8-not-two-characters", "bkt", "a\xffb", "arn:aws:s3:::bkt/a??b", evaluate.ImplicitDeny},
		{"key-invalid-utf8-not-the-replacement-char", "bkt", "a\xffb", "arn:aws:s3:::bkt/a\ufffdb", evaluate.ImplicitDeny},
		{"key-2000-bytes-prefix", "bkt", long, "arn:aws:s3:::bkt/k*", evaluate.Allow},
		{"key-2000-bytes-inner-glob", "bkt", long, "arn:aws:s3:::bkt/*k?k*", evaluate.Allow},
		{"key-2000-bytes-inner-glob-miss", "bkt", long, "arn:aws:s3:::bkt/*x?k*", evaluate.ImplicitDeny},
		{"bucket-nul-not-the-bucket", "bkt\x00", "k", "arn:aws:s3:::bkt/*", evaluate.ImplicitDeny},
		{"bucket-nul-is-one-character", "bkt\x00", "k", "arn:aws:s3:::bkt?/*", evaluate.Allow},
		{"bucket-invalid-utf8-is-one-character", "bk\xff", "k", "arn:aws:s3:::bk?/*", evaluate.Allow},
		// A bucket name holding '/' would read as another bucket's
		// object: the request is refused.
		{"bucket-slash-in-name-does-not-shift-the-key", "bkt/a", "k", "arn:aws:s3:::bkt/a/*", evaluate.ImplicitDeny},
		{"bucket-slash-in-name-whole-arn-glob", "bkt/a", "k", "arn:aws:s3:::bkt/a/?", evaluate.ImplicitDeny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ec := evaluate.Context{
				Bucket:    &ownership.Bucket{Name: tc.bucket, Owner: acctA, Mode: ownership.ObjectWriter},
				Object:    &ownership.Object{Bucket: tc.bucket, Key: tc.key, Owner: ownership.AccountOwner(acctA)},
				Directory: directory(t),
			}
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"`+
				strings.ReplaceAll(tc.resource, "\x00", `\u0000`)+`"}`)
			req := evaluate.Request{Principal: ownership.Anonymous(), Action: "s3:GetObject", Bucket: tc.bucket, Key: tc.key}
			d, diag := evaluate.Evaluate(req, ec)
			if strings.Contains(tc.bucket, "/") {
				require.ErrorIs(t, diag.Err, evaluate.ErrInvalidRequest)
			} else {
				require.NoError(t, diag.Err)
			}
			assert.Equal(t, tc.want, d, "%+v", diag.Reason)
		})
	}
}

// hosGlob is "*?" repeated n times: a pattern that makes a matcher that
// backtracks do exponential work.
func hosGlob(n int) string { return strings.Repeat("*?", n) }

// hosWildcardPolicy returns a bucket policy of exactly
// policy.DefaultMaxBytesBucket (20 KiB) bytes: a Deny of keys ending in
// "q", a Deny conditioned on referers ending in "w", and Allow statements
// of four "*?*?…x" resources and four "*?*?…z" StringLike values on
// aws:Referer, the last of them with values ending in "y" instead; every
// pattern has about 100 "*?" pairs.
func hosWildcardPolicy(t *testing.T) (doc []byte, allows int) {
	t.Helper()
	quote := func(s []string) string { return `"` + strings.Join(s, `","`) + `"` }
	resources := func(end string) string {
		r := make([]string, 4)
		for i := range r {
			r[i] = "arn:aws:s3:::bkt/" + hosGlob(100-i) + end
		}
		return quote(r)
	}
	values := func(end string) string {
		v := make([]string, 4)
		for i := range v {
			v[i] = hosGlob(100-i) + end
		}
		return quote(v)
	}
	allow := func(i int, end string) string {
		return fmt.Sprintf(`{"Sid":"Allow%d","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":[%s],"Condition":{"StringLike":{"aws:Referer":[%s]}}}`,
			i, resources("x"), values(end))
	}
	stmts := []string{
		`{"Sid":"DenyQ","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":[` + resources("q") + `]}`,
		`{"Sid":"DenyW","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":[` + resources("x") + `],"Condition":{"StringLike":{"aws:Referer":[` + values("w") + `]}}}`,
	}
	size := len(`{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`)
	for size+1+len(allow(allows, "z")) <= policy.DefaultMaxBytesBucket {
		stmts = append(stmts, allow(allows, "z"))
		size += 1 + len(stmts[len(stmts)-1])
		allows++
	}
	require.GreaterOrEqual(t, allows, 5)
	stmts[len(stmts)-1] = allow(allows-1, "y")
	text := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	require.LessOrEqual(t, len(text), policy.DefaultMaxBytesBucket)
	return []byte(text + strings.Repeat(" ", policy.DefaultMaxBytesBucket-len(text))), allows
}

// TestHostileWildcardPolicy evaluates requests with a 1 KiB key and a 1 KiB
// referer against a bucket policy of exactly 20 KiB whose every Resource
// and StringLike value is a "*?*?…" glob, so that each decision must try
// most of the globs. The decisions are right, and Evaluate allocates
// nothing: the globs never backtrack into allocation and the work is
// bounded without any per-evaluation cost tracking.
func TestHostileWildcardPolicy(t *testing.T) {
	doc, allows := hosWildcardPolicy(t)
	require.Len(t, doc, policy.DefaultMaxBytesBucket)
	p, err := policy.Parse(policy.Bucket, doc)
	require.NoError(t, err)
	pp, err := evaluate.Prepare(p)
	require.NoError(t, err)
	assert.Equal(t, 1, evaluate.Programs(pp), "one block shape")
	kib := func(end string) string { return strings.Repeat("r", 1<<10-1) + end }
	last := fmt.Sprintf("Allow%d", allows-1)
	tests := []struct {
		name    string
		key     string
		referer string
		want    evaluate.Decision
		sid     string
	}{
		{"only-the-last-allow-holds", kib("x"), kib("y"), evaluate.Allow, last},
		{"the-first-allow-holds", kib("x"), kib("z"), evaluate.Allow, "Allow0"},
		{"no-condition-holds", kib("x"), kib("v"), evaluate.ImplicitDeny, ""},
		{"conditioned-deny", kib("x"), kib("w"), evaluate.ExplicitDeny, "DenyW"},
		{"resource-deny", kib("q"), kib("y"), evaluate.ExplicitDeny, "DenyQ"},
		{"key-too-short-for-any-resource", strings.Repeat("k", 90) + "x", kib("y"), evaluate.ImplicitDeny, ""},
		{"referer-too-short-for-any-value", kib("x"), strings.Repeat("r", 90) + "y", evaluate.ImplicitDeny, ""},
		{"no-referer", kib("x"), "", evaluate.ImplicitDeny, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ec := with(world(t, ""), func(ec *evaluate.Context) { ec.BucketPolicy = pp })
			req := evaluate.Request{Principal: ownership.Anonymous(), Action: "s3:GetObject", Bucket: "bkt", Key: tc.key}
			if tc.referer != "" {
				req.Keys = &evaluate.Keys{}
				req.Keys.Set("aws:Referer", tc.referer)
			}
			d, diag := evaluate.Evaluate(req, ec)
			require.NoError(t, diag.Err)
			assert.Equal(t, tc.want, d, "%+v", diag.Reason)
			assert.Equal(t, tc.sid, diag.Reason.Sid)
			if raceEnabled {
				return
			}
			allocs := testing.AllocsPerRun(5, func() { evaluate.Evaluate(req, ec) })
			assert.Zero(t, allocs, "allocations per Evaluate")
		})
	}
}
