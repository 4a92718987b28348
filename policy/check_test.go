package policy_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/policy"
)

// ckDoc is an identity policy of the given Version ("" for none) whose one
// statement has the Condition element cond.
func ckDoc(version, cond string) string {
	return `{` + ptVersionMember(version) + `"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":` + cond + `}]}`
}

// TestParseChecksConditions checks what Parse checks of each condition: the
// operator against the key's type in the catalog, and every value read as
// the operator's type. A fault is a *policy.Error wrapping
// ErrInvalidCondition (ErrInvalidVariable for a variable an ARN's colons
// cut), at the key's pointer and the offset of its value for a type
// mismatch, at the value's pointer and offset for a value that does not
// read. at is the text the offset must point at.
func TestParseChecksConditions(t *testing.T) {
	tests := []struct {
		name     string
		version  string
		cond     string
		sentinel error
		pointer  string
		at       string
		detail   string
	}{
		// The three examples of the issue.
		{name: "source-ip-prefix-length-33", cond: `{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp",
			at: `"10.0.0.0/33"`, detail: `invalid condition "10.0.0.0/33": want an IPv4 or IPv6 address or CIDR block`},
		{name: "max-keys-ten", cond: `{"NumericLessThan":{"s3:max-keys":"ten"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/NumericLessThan/s3:max-keys",
			at: `"ten"`, detail: `invalid condition "ten": want an integer or decimal number`},
		{name: "ip-address-on-prefix", cond: `{"IpAddress":{"s3:prefix":"10.0.0.0/8"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/IpAddress/s3:prefix",
			at: `"10.0.0.0/8"`, detail: `invalid condition "s3:prefix": IpAddress cannot test a key of type String`},

		// Each type of value.
		{name: "second-block-of-a-list", cond: `{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","fe80::1%eth0"]}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/NotIpAddress/aws:SourceIp/1",
			at: `"fe80::1%eth0"`, detail: "CIDR block"},
		{name: "number-with-an-exponent", cond: `{"NumericEquals":{"s3:signatureAge":1e3}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/NumericEquals/s3:signatureAge",
			at: `1e3}`, detail: `invalid condition "1e3"`},
		{name: "date-without-a-zone", cond: `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T10:00:00"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/DateLessThan/aws:CurrentTime",
			at: `"2020-01-01T10:00:00"`, detail: "ISO 8601"},
		{name: "bool-one", cond: `{"Bool":{"aws:SecureTransport":"1"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/Bool/aws:SecureTransport",
			at: `"1"`, detail: "want true or false"},
		{name: "null-maybe", cond: `{"Null":{"aws:SecureTransport":[true,"maybe"]}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/Null/aws:SecureTransport/1",
			at: `"maybe"`, detail: "want true or false"},
		// A variable is text in a 2008-10-17 policy, and no boolean; in a
		// 2012-10-17 policy it is read once substituted.
		{name: "bool-variable-in-a-2008-policy-is-text", version: "2008-10-17", cond: `{"Bool":{"aws:SecureTransport":"${aws:x}"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/Bool/aws:SecureTransport",
			at: `"${aws:x}"`, detail: "want true or false"},
		{name: "base64-unpadded", cond: `{"BinaryEquals":{"example:bin":"aGVsbG8"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/BinaryEquals/example:bin",
			at: `"aGVsbG8"`, detail: "want base64"},
		{name: "arn-of-another-scheme", cond: `{"ArnLike":{"aws:SourceArn":"urn:aws:sns:*:1:*"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/ArnLike/aws:SourceArn",
			at: `"urn:aws:sns:*:1:*"`, detail: "want an ARN"},
		{name: "arn-variable-cut-by-a-colon", version: "2012-10-17", cond: `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:${aws:username, '}:'}:1:t"}}`,
			sentinel: policy.ErrInvalidVariable, pointer: "/Statement/0/Condition/ArnEquals/aws:SourceArn",
			at: `"arn:aws:sns:`, detail: "cut a variable in component 4"},

		// The operator against the key's type.
		{name: "string-operator-on-an-ip-key", cond: `{"StringEquals":{"aws:SourceIp":["10.0.0.1","x"]}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/StringEquals/aws:SourceIp",
			at: `["10.0.0.1"`, detail: "StringEquals cannot test a key of type IP address"},
		{name: "numeric-on-a-date-key", cond: `{"NumericLessThanIfExists":{"AWS:CURRENTTIME":"5"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/NumericLessThanIfExists/AWS:CURRENTTIME",
			at: `"5"`, detail: "NumericLessThanIfExists cannot test a key of type Date"},
		{name: "bool-on-a-tag-key", cond: `{"ForAnyValue:Bool":{"aws:PrincipalTag/x":"true"}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/ForAnyValue:Bool/aws:PrincipalTag~1x",
			at: `"true"}`, detail: "ForAnyValue:Bool cannot test a key of type String"},
		{name: "binary-on-a-catalog-key", cond: `{"BinaryEquals":{"aws:RequestTag/c":"aGk="}}`,
			sentinel: policy.ErrInvalidCondition, pointer: "/Statement/0/Condition/BinaryEquals/aws:RequestTag~1c",
			at: `"aGk="`, detail: "BinaryEquals cannot test a key of type String"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := ckDoc(tc.version, tc.cond)
			p, err := policy.Parse(policy.Identity, []byte(doc))
			assert.Nil(t, p)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var pe *policy.Error
			require.True(t, errors.As(err, &pe), "error %T", err)
			assert.Equal(t, tc.pointer, pe.Pointer)
			assert.Equal(t, ptIndex(t, doc, tc.at), pe.Offset)
			assert.Contains(t, err.Error(), tc.detail)
			assert.NotContains(t, err.Error(), "\n", "one fault, one error")
		})
	}
}

// TestParseAcceptsReadableConditions checks values at the edge of what
// reads, keys outside the catalog under any operator, and operators on the
// keys whose types take them.
func TestParseAcceptsReadableConditions(t *testing.T) {
	tests := []struct {
		name    string
		version string
		cond    string
	}{
		{name: "unknown-key-takes-any-operator", cond: `{"IpAddress":{"example:addr":"10.0.0.0/8"},"NumericLessThan":{"example:n":"3"},"DateEquals":{"example:d":"2024"},"ArnLike":{"example:a":"arn:*:*:*:*:*"}}`},
		{name: "host-bits-and-bare-addresses", cond: `{"IpAddress":{"aws:SourceIp":["10.1.2.3/8","192.0.2.1","2001:db8::/32","::ffff:10.0.0.1"]}}`},
		{name: "numbers-as-json-and-strings", cond: `{"NumericLessThan":{"s3:max-keys":[10,"-0.5","+7",` + strings.Repeat("9", 308) + `]}}`},
		{name: "dates-of-every-form", cond: `{"DateGreaterThan":{"aws:CurrentTime":["2024","2024-02","2024-02-29","2024-01-31T23:59:59Z","2024-01-01T10:00+02:00","1099511627776"]}}`},
		{name: "epoch-time-takes-numbers-and-dates", cond: `{"NumericLessThan":{"aws:EpochTime":"1700000000"},"DateLessThan":{"aws:EpochTime":"2030-01-01"}}`},
		{name: "bool-and-null-in-any-case", cond: `{"Bool":{"aws:SecureTransport":[true,"FALSE"]},"Null":{"s3:prefix":"True"}}`},
		{name: "string-operators-on-arn-and-bool-keys", cond: `{"StringLike":{"aws:SourceArn":"arn:*"},"StringEquals":{"aws:SecureTransport":"true"}}`},
		{name: "arn-with-variables", version: "2012-10-17", cond: `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username, 'x:y'}"}}`},
		{name: "arn-brace-in-a-default-under-2008-is-text", version: "2008-10-17", cond: `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:${aws:username, '}:'}:1:t"}}`},
		{name: "base64-empty", cond: `{"BinaryEquals":{"example:bin":""}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ptMustParse(t, policy.Identity, ckDoc(tc.version, tc.cond))
			assert.NoError(t, p.Validate())
		})
	}
}

// TestParseReportsEveryBadValue checks that Parse collects the faults of
// conditions as it does others: every bad value of a list, in each block,
// ordered by offset among the other faults; and that an operator the key's
// type does not take is one fault, its values unread.
func TestParseReportsEveryBadValue(t *testing.T) {
	doc := `{"Statement":[{"Effect":"Alow","Action":"s3:*","Resource":"*","Condition":{` +
		`"IpAddress":{"aws:SourceIp":["1.2.3.4/33","10.0.0.0/8","x"],"s3:prefix":["y","z"]},` +
		`"NumericEquals":{"s3:max-keys":"ten"}}}]}`
	_, err := policy.Parse(policy.Identity, []byte(doc))
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	want := []struct {
		pointer string
		at      string
	}{
		{pointer: "/Statement/0/Effect", at: `"Alow"`},
		{pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp/0", at: `"1.2.3.4/33"`},
		{pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp/2", at: `"x"`},
		{pointer: "/Statement/0/Condition/IpAddress/s3:prefix", at: `["y"`},
		{pointer: "/Statement/0/Condition/NumericEquals/s3:max-keys", at: `"ten"`},
	}
	require.Len(t, lines, len(want), "%s", err)
	offsets := ptOffsets(t, err.Error())
	for i, w := range want {
		assert.Contains(t, lines[i], "policy: "+w.pointer+": ")
		assert.Equal(t, ptIndex(t, doc, w.at), offsets[i], "line %d", i)
	}
}

// TestValidate checks Validate on policies built or changed by hand: it
// refuses what Parse would, with Parse's pointer and offset, and what Parse
// never produces (an operator or qualifier out of range, Null with a
// qualifier, no values); a parsed policy passes.
func TestValidate(t *testing.T) {
	const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}}]}`
	tests := []struct {
		name    string
		change  func(c *policy.Condition)
		pointer string
		offset  func(c *policy.Condition) int
		detail  string
	}{
		{name: "a-bad-block", change: func(c *policy.Condition) { c.Values[1].Text = "192.0.2.0/33" },
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp/1",
			offset:  func(c *policy.Condition) int { return c.Values[1].Offset }, detail: `invalid condition "192.0.2.0/33"`},
		{name: "a-key-of-another-type", change: func(c *policy.Condition) { c.Key = "s3:prefix" },
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp",
			offset:  func(c *policy.Condition) int { return c.Offset }, detail: "IpAddress cannot test a key of type String"},
		{name: "no-operator", change: func(c *policy.Condition) { c.Operator = 0 },
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp",
			offset:  func(c *policy.Condition) int { return c.Offset }, detail: `invalid condition "Operator(0)": unknown operator`},
		{name: "operator-past-the-last", change: func(c *policy.Condition) { c.Operator = policy.Null + 1 },
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp",
			offset:  func(c *policy.Condition) int { return c.Offset }, detail: "unknown operator"},
		{name: "qualifier-past-the-last", change: func(c *policy.Condition) { c.Set = policy.ForAnyValue + 1 },
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp",
			offset:  func(c *policy.Condition) int { return c.Offset }, detail: "unknown operator"},
		{name: "null-if-exists", change: func(c *policy.Condition) {
			c.Operator, c.IfExists, c.Values = policy.Null, true, c.Values[:1]
			c.Values[0].Text = "true"
		},
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp",
			offset:  func(c *policy.Condition) int { return c.Offset }, detail: `invalid condition "NullIfExists": unknown operator`},
		{name: "no-values", change: func(c *policy.Condition) { c.Values = nil },
			pointer: "/Statement/0/Condition/IpAddress/aws:SourceIp",
			offset:  func(c *policy.Condition) int { return c.Offset }, detail: "empty value list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := policy.MustParse(policy.Identity, doc)
			require.NoError(t, p.Validate(), "a parsed policy validates")
			c := &p.Statements[0].Conditions[0]
			tc.change(c)
			err := p.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, policy.ErrInvalidCondition)
			var pe *policy.Error
			require.True(t, errors.As(err, &pe), "error %T", err)
			assert.Equal(t, tc.pointer, pe.Pointer)
			assert.Equal(t, tc.offset(c), pe.Offset)
			assert.Contains(t, err.Error(), tc.detail)
		})
	}
	t.Run("errors-are-capped-and-ordered-as-parse-orders-them", func(t *testing.T) {
		p := policy.MustParse(policy.Identity, doc)
		st := p.Statements[0]
		for range 2 * policy.MaxErrors {
			st.Conditions = append(st.Conditions, st.Conditions[0])
		}
		for i := range st.Conditions {
			c := &st.Conditions[i]
			c.Values = []policy.Value{{Text: "x", Offset: 1000 - i}}
		}
		p.Statements = []policy.Statement{st}
		err := p.Validate()
		require.Error(t, err)
		offsets := ptOffsets(t, err.Error())
		require.Len(t, offsets, policy.MaxErrors)
		for i := 1; i < len(offsets); i++ {
			assert.Less(t, offsets[i-1], offsets[i])
		}
	})
}

// TestValidateStatements checks Validate on statements built or changed by
// hand: what Parse refuses in the elements evaluation relies on (the
// Effect, the pairs Action/NotAction, Resource/NotResource and, by kind,
// Principal/NotPrincipal), at the statement's offset; a parsed policy of
// each kind passes.
func TestValidateStatements(t *testing.T) {
	const bucketDoc = `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},` +
		`{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":"arn:aws:s3:::b"}]}`
	const identityDoc = `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	tests := []struct {
		name     string
		kind     policy.Kind
		change   func(p *policy.Policy)
		sentinel error
		pointer  string
		detail   string
	}{
		{name: "zero-effect", kind: policy.Identity, change: func(p *policy.Policy) { p.Statements[0].Effect = 0 },
			sentinel: policy.ErrInvalidValue, pointer: "/Statement/0/Effect", detail: `invalid value "Effect(0)"`},
		{name: "effect-past-deny", kind: policy.Bucket, change: func(p *policy.Policy) { p.Statements[1].Effect = policy.Deny + 1 },
			sentinel: policy.ErrInvalidValue, pointer: "/Statement/1/Effect", detail: `want "Allow" or "Deny"`},
		{name: "no-action", kind: policy.Identity, change: func(p *policy.Policy) { p.Statements[0].Action = nil },
			sentinel: policy.ErrMissingElement, pointer: "/Statement/0", detail: "Action or NotAction"},
		{name: "action-and-not-action", kind: policy.Identity, change: func(p *policy.Policy) { p.Statements[0].NotAction = p.Statements[0].Action },
			sentinel: policy.ErrConflict, pointer: "/Statement/0/NotAction", detail: "not both"},
		{name: "empty-not-action", kind: policy.Bucket, change: func(p *policy.Policy) { p.Statements[1].NotAction = []policy.Pattern{} },
			sentinel: policy.ErrInvalidValue, pointer: "/Statement/1/NotAction", detail: "empty list"},
		{name: "no-resource", kind: policy.Bucket, change: func(p *policy.Policy) { p.Statements[1].NotResource = nil },
			sentinel: policy.ErrMissingElement, pointer: "/Statement/1", detail: "Resource or NotResource"},
		{name: "empty-resource", kind: policy.Identity, change: func(p *policy.Policy) { p.Statements[0].Resource = []policy.Pattern{} },
			sentinel: policy.ErrInvalidValue, pointer: "/Statement/0/Resource", detail: "empty list"},
		{name: "resource-and-not-resource", kind: policy.Bucket, change: func(p *policy.Policy) { p.Statements[0].NotResource = p.Statements[0].Resource },
			sentinel: policy.ErrConflict, pointer: "/Statement/0/NotResource", detail: "not both"},
		{name: "bucket-statement-without-principal", kind: policy.Bucket, change: func(p *policy.Policy) { p.Statements[0].Principal = nil },
			sentinel: policy.ErrMissingElement, pointer: "/Statement/0", detail: "Principal or NotPrincipal"},
		{name: "empty-principal", kind: policy.Bucket, change: func(p *policy.Policy) { p.Statements[0].Principal = &policy.Principals{} },
			sentinel: policy.ErrInvalidPrincipal, pointer: "/Statement/0/Principal", detail: "empty principal object"},
		{name: "empty-not-principal", kind: policy.Bucket, change: func(p *policy.Policy) { p.Statements[1].NotPrincipal = &policy.Principals{} },
			sentinel: policy.ErrInvalidPrincipal, pointer: "/Statement/1/NotPrincipal", detail: "empty principal object"},
		{name: "principal-and-not-principal", kind: policy.Bucket, change: func(p *policy.Policy) { p.Statements[0].NotPrincipal = &policy.Principals{All: true} },
			sentinel: policy.ErrConflict, pointer: "/Statement/0/NotPrincipal", detail: "not both"},
		{name: "identity-statement-with-principal", kind: policy.Identity, change: func(p *policy.Policy) { p.Statements[0].Principal = &policy.Principals{All: true} },
			sentinel: policy.ErrUnknownElement, pointer: "/Statement/0/Principal", detail: "an identity policy names no principal"},
		{name: "identity-statement-with-not-principal", kind: policy.Identity, change: func(p *policy.Policy) { p.Statements[0].NotPrincipal = &policy.Principals{All: true} },
			sentinel: policy.ErrUnknownElement, pointer: "/Statement/0/NotPrincipal", detail: "an identity policy names no principal"},
		{name: "no-kind", kind: policy.Identity, change: func(p *policy.Policy) { p.Kind = 0 },
			sentinel: policy.ErrInvalidValue, pointer: "", detail: "unknown policy kind 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := identityDoc
			if tc.kind == policy.Bucket {
				doc = bucketDoc
			}
			p := policy.MustParse(tc.kind, doc)
			require.NoError(t, p.Validate(), "a parsed policy validates")
			tc.change(p)
			err := p.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var pe *policy.Error
			require.True(t, errors.As(err, &pe), "error %T", err)
			assert.Equal(t, tc.pointer, pe.Pointer)
			want := 0
			if tc.pointer != "" {
				i, _ := strconv.Atoi(strings.Split(tc.pointer, "/")[2])
				want = p.Statements[i].Offset
			}
			assert.Equal(t, want, pe.Offset)
			assert.Contains(t, err.Error(), tc.detail)
			assert.NotContains(t, err.Error(), "\n", "one fault")
		})
	}
}

// TestValidateDoesNotAllocate pins the cost of Validate on a valid policy
// whose values read without allocating (numbers, dates in UTC, booleans,
// CIDR blocks, ARNs without variables): Prepare pays it for every policy.
func TestValidateDoesNotAllocate(t *testing.T) {
	p := policy.MustParse(policy.Bucket, `{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
	   "Condition":{"NumericLessThan":{"s3:max-keys":"10"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},
	     "Bool":{"aws:SecureTransport":"true"},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},
	     "ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"},"StringLike":{"s3:prefix":"home/${aws:username}/*"}}},
	  {"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":"arn:aws:s3:::b"}]}`)
	var err error
	assert.Zero(t, testing.AllocsPerRun(100, func() { err = p.Validate() }))
	assert.NoError(t, err)
}
