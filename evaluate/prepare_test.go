package evaluate_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// TestPrepareErrors checks what Prepare refuses in a policy changed by hand
// after Parse: a value its operator cannot read, or an operator its key's
// type does not take, with the error Parse reports for the equivalent
// document (pointer, offset and text); and a nil policy. The rows' cond
// holds the bad value; good is a readable one for the same operator, to
// parse before the change.
func TestPrepareErrors(t *testing.T) {
	tests := []struct {
		name    string
		cond    string
		good    string
		pointer string
		text    string
	}{
		{name: "bad CIDR", cond: `{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","10.0.0.0/33"]}}`, good: `"10.0.0.0/9"`,
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp/1", text: `"10.0.0.0/33"`},
		{name: "IP with zone", cond: `{"IpAddress":{"aws:SourceIp":"fe80::1%eth0"}}`, good: `"fe80::1"`,
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp", text: "IPv6"},
		{name: "bad date", cond: `{"DateLessThan":{"aws:CurrentTime":"2020-13-01"}}`, good: `"2020-12-01"`,
			pointer: "/Statement/0/Condition/DateLessThan/aws:CurrentTime", text: "ISO 8601"},
		{name: "date offset of a day", cond: `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00-24:00"}}`, good: `"2020"`,
			pointer: "/Statement/0/Condition/DateLessThan/aws:CurrentTime", text: "ISO 8601"},
		{name: "date without zone", cond: `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T10:00:00"}}`, good: `"2020"`,
			pointer: "/Statement/0/Condition/DateLessThan/aws:CurrentTime", text: "ISO 8601"},
		{name: "bad number", cond: `{"NumericLessThan":{"s3:max-keys":"ten"}}`, good: `"10"`,
			pointer: "/Statement/0/Condition/NumericLessThan/s3:max-keys", text: "number"},
		{name: "exponent refused", cond: `{"NumericLessThan":{"s3:max-keys":1e3}}`, good: `1000`,
			pointer: "/Statement/0/Condition/NumericLessThan/s3:max-keys", text: "number"},
		{name: "huge number", cond: `{"NumericLessThan":{"s3:max-keys":"` + strings.Repeat("9", 400) + `"}}`, good: `"9"`,
			pointer: "/Statement/0/Condition/NumericLessThan/s3:max-keys", text: "number"},
		{name: "bad boolean", cond: `{"Bool":{"aws:SecureTransport":"yes"}}`, good: `true`,
			pointer: "/Statement/0/Condition/Bool/aws:SecureTransport", text: "true or false"},
		{name: "bad Null value", cond: `{"Null":{"aws:SecureTransport":["true","maybe"]}}`, good: `"false"`,
			pointer: "/Statement/0/Condition/Null/aws:SecureTransport/1", text: "true or false"},
		{name: "bad base64", cond: `{"BinaryEquals":{"test:key":"not base64!"}}`, good: `"aGk="`,
			pointer: "/Statement/0/Condition/BinaryEquals/test:key", text: "base64"},
		{name: "bad ARN", cond: `{"ArnLike":{"aws:SourceArn":"arn:aws:sns"}}`, good: `"arn:aws:sns:*:*:*"`,
			pointer: "/Statement/0/Condition/ArnLike/aws:SourceArn", text: "ARN"},
		{name: "ARN with another prefix", cond: `{"ArnLike":{"aws:SourceArn":"urn:aws:sns:*:1:*"}}`, good: `"arn:aws:sns:*:1:*"`,
			pointer: "/Statement/0/Condition/ArnLike/aws:SourceArn", text: "ARN"},
		{name: "ARN variable cut by a colon", cond: `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:${aws:username, '}:'}:1:t"}}`, good: `"arn:aws:sns:${aws:username}:1:t"`,
			pointer: "/Statement/0/Condition/ArnLike/aws:SourceArn", text: "policy variable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":` + tc.cond + `}]}`)
			_, err := policy.Parse(policy.Identity, doc)
			var pe *policy.Error
			require.True(t, errors.As(err, &pe), "error %T", err)
			assert.Equal(t, tc.pointer, pe.Pointer)
			assert.Contains(t, err.Error(), tc.text)
			assert.Contains(t, `"[0123456789-tf`, string(doc[pe.Offset]), "the offset points at the start of a JSON value")

			p, err := policy.Parse(policy.Identity, vaSplice(t, doc, pe.Offset, tc.good))
			require.NoError(t, err)
			_, err = evaluate.Prepare(p)
			require.NoError(t, err, "the control prepares")
			bad := gjson.ParseBytes(doc[pe.Offset:]).Raw
			vaSetValue(t, p, pe.Offset, bad)
			vaRefusedAlike(t, policy.Identity, doc, p)
		})
	}
	t.Run("unknown keys take any operator", func(t *testing.T) {
		p := policy.MustParse(policy.Identity, `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"custom:addr":"10.0.0.0/8"},"NumericLessThan":{"custom:n":"3"}}}]}`)
		_, err := evaluate.Prepare(p)
		assert.NoError(t, err)
	})
	t.Run("several errors are joined", func(t *testing.T) {
		p := policy.MustParse(policy.Identity, `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"}}}]}`)
		p.Statements[0].Conditions[0].Values[0].Text = "x"
		p.Statements[0].Conditions[1].Values[0].Text = "y"
		_, err := evaluate.Prepare(p)
		require.Error(t, err)
		assert.Len(t, strings.Split(err.Error(), "\n"), 2)
	})
	t.Run("statements built by hand", func(t *testing.T) {
		// Before Prepare validated statements, an Effect out of range
		// panicked, and a statement without Action, Resource or (in a
		// bucket policy) Principal matched every action, resource or
		// caller.
		changes := []struct {
			name     string
			change   func(st *policy.Statement)
			sentinel error
		}{
			{name: "effect-out-of-range", change: func(st *policy.Statement) { st.Effect = 7 }, sentinel: policy.ErrInvalidValue},
			{name: "no-action", change: func(st *policy.Statement) { st.Action = nil }, sentinel: policy.ErrMissingElement},
			{name: "no-resource", change: func(st *policy.Statement) { st.Resource = nil }, sentinel: policy.ErrMissingElement},
			{name: "no-principal", change: func(st *policy.Statement) { st.Principal = nil }, sentinel: policy.ErrMissingElement},
			{name: "empty-not-principal", change: func(st *policy.Statement) { st.Principal, st.NotPrincipal = nil, &policy.Principals{} }, sentinel: policy.ErrInvalidPrincipal},
		}
		for _, tc := range changes {
			t.Run(tc.name, func(t *testing.T) {
				p := policy.MustParse(policy.Bucket, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`)
				tc.change(&p.Statements[0])
				var pp *evaluate.Prepared
				var err error
				require.NotPanics(t, func() { pp, err = evaluate.Prepare(p) })
				assert.Nil(t, pp)
				assert.ErrorIs(t, err, tc.sentinel)
			})
		}
	})
	t.Run("nil policy", func(t *testing.T) {
		_, err := evaluate.Prepare(nil)
		assert.Error(t, err)
		assert.Panics(t, func() { evaluate.MustPrepare(nil) })
	})
}

func TestProgramsShared(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := range 50 {
		if i > 0 {
			b.WriteByte(',')
		}
		// Two shapes only, with different values in every statement.
		if i%2 == 0 {
			fmt.Fprintf(&b, `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"},"StringLike":{"s3:prefix":"u%d/*"}}}`, i, i)
		} else {
			fmt.Fprintf(&b, `{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`)
		}
	}
	b.WriteString(`]}`)
	pp := evaluate.MustPrepare(policy.MustParse(policy.Identity, b.String()))
	assert.Equal(t, 2, evaluate.Programs(pp), "50 blocks of two shapes compile to two programs")
	var keys evaluate.Keys
	keys.Set("aws:SourceIp", "10.4.1.1")
	keys.Set("s3:prefix", "u4/x")
	for i := 0; i < 50; i += 2 {
		ok, err := pp.Conditions(i, &keys)
		require.NoError(t, err)
		assert.Equal(t, i == 4, ok, "statement %d keeps its own values", i)
	}
}

func TestManyConditionsInOneBlock(t *testing.T) {
	// More conditions than one program takes: the block is split and ANDed.
	var b strings.Builder
	b.WriteString(`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{`)
	for i := range 70 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"custom:k%d":"v%d"`, i, i)
	}
	b.WriteString(`}}}]}`)
	pp := evaluate.MustPrepare(policy.MustParse(policy.Identity, b.String()))
	var keys evaluate.Keys
	for i := range 70 {
		keys.Set(fmt.Sprintf("custom:k%d", i), fmt.Sprintf("v%d", i))
	}
	ok, err := pp.Conditions(0, &keys)
	require.NoError(t, err)
	assert.True(t, ok)
	keys.Set("custom:k69", "other")
	ok, err = pp.Conditions(0, &keys)
	require.NoError(t, err)
	assert.False(t, ok, "the last condition, in the third program, still counts")
}

func TestConditionsWithoutKeys(t *testing.T) {
	pp := evaluate.MustPrepare(policy.MustParse(policy.Identity, `{"Statement":[
	  {"Effect":"Allow","Action":"s3:*","Resource":"*"},
	  {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"s3:prefix":"a"}}}]}`))
	ok, err := pp.Conditions(0, nil)
	require.NoError(t, err)
	assert.True(t, ok, "no Condition element holds")
	ok, err = pp.Conditions(1, nil)
	require.NoError(t, err)
	assert.True(t, ok, "a negated operator on an absent key holds")
	assert.NotNil(t, pp.Policy())
}

func TestConcurrentConditions(t *testing.T) {
	pp := evaluate.MustPrepare(policy.MustParse(policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",
	  "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"StringLike":{"s3:prefix":"home/${aws:username}/*"}}}]}`))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keys evaluate.Keys
			user := fmt.Sprintf("u%d", g)
			keys.Set("aws:username", user)
			keys.Set("aws:SourceIp", "10.1.2.3")
			for i := range 200 {
				prefix := "home/" + user + "/x"
				if i%2 == 1 {
					prefix = "home/other/x"
				}
				keys.Set("s3:prefix", prefix)
				ok, err := pp.Conditions(0, &keys)
				if err != nil || ok != (i%2 == 0) {
					t.Errorf("goroutine %d iteration %d: %v %v", g, i, ok, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestKeys(t *testing.T) {
	var k evaluate.Keys
	k.Set("AWS:SourceIp", "10.0.0.1")
	k.Set("aws:TagKeys", "a", "b")
	k.Set("aws:sourceip", "10.0.0.2")
	assert.Equal(t, 2, k.Len(), "names are case-insensitive: Set replaces")
	v, ok := k.Get("Aws:SourceIP")
	assert.True(t, ok)
	assert.Equal(t, []string{"10.0.0.2"}, v)
	s, ok := k.Lookup("aws:sourceip")
	assert.True(t, ok)
	assert.Equal(t, "10.0.0.2", s)
	_, ok = k.Lookup("aws:tagkeys")
	assert.False(t, ok, "a multivalued key is no variable value")
	_, ok = k.Get("aws:nope")
	assert.False(t, ok)
	assert.Zero(t, testing.AllocsPerRun(100, func() { k.Lookup("AWS:SOURCEIP") }))
	k.Reset()
	assert.Zero(t, k.Len())
}
