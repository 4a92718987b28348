package policy_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/internal/testcost"
	"github.com/s3authz/s3authz/policy"
)

// Minimal valid documents of each kind.
const (
	limIdentityDoc = `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	limBucketDoc   = `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`
)

// limPad pads a valid document with spaces before its closing brace to
// exactly n bytes.
func limPad(t *testing.T, doc string, n int) []byte {
	t.Helper()
	require.LessOrEqual(t, len(doc), n, "document longer than the padded size")
	require.True(t, strings.HasSuffix(doc, "}"))
	out := doc[:len(doc)-1] + strings.Repeat(" ", n-len(doc)) + "}"
	require.Len(t, out, n)
	return []byte(out)
}

// limRequireError requires err to wrap sentinel and to be a *policy.Error,
// and returns it.
func limRequireError(t *testing.T, err, sentinel error) *policy.Error {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, sentinel)
	var pe *policy.Error
	require.True(t, errors.As(err, &pe), "want *policy.Error, got %T: %v", err, err)
	return pe
}

func TestLimitMaxBytes(t *testing.T) {
	tests := []struct {
		name    string
		parser  policy.Parser
		kind    policy.Kind
		doc     string
		size    int
		wantErr bool
		offset  int
	}{
		{name: "maxbytes-bucket-default-at-limit-20480", kind: policy.Bucket, doc: limBucketDoc, size: 20480},
		{name: "maxbytes-bucket-default-over-limit-20481", kind: policy.Bucket, doc: limBucketDoc, size: 20481, wantErr: true, offset: 20480},
		{name: "maxbytes-identity-default-at-limit-65536", kind: policy.Identity, doc: limIdentityDoc, size: 65536},
		{name: "maxbytes-identity-default-over-limit-65537", kind: policy.Identity, doc: limIdentityDoc, size: 65537, wantErr: true, offset: 65536},
		{name: "maxbytes-identity-default-above-bucket-limit", kind: policy.Identity, doc: limIdentityDoc, size: 20481},
		{name: "maxbytes-custom-100-at-limit-bucket", parser: policy.Parser{MaxBytes: 100}, kind: policy.Bucket, doc: limBucketDoc, size: 100},
		{name: "maxbytes-custom-100-over-limit-bucket", parser: policy.Parser{MaxBytes: 100}, kind: policy.Bucket, doc: limBucketDoc, size: 101, wantErr: true, offset: 100},
		{name: "maxbytes-custom-100-at-limit-identity", parser: policy.Parser{MaxBytes: 100}, kind: policy.Identity, doc: limIdentityDoc, size: 100},
		{name: "maxbytes-custom-100-over-limit-identity", parser: policy.Parser{MaxBytes: 100}, kind: policy.Identity, doc: limIdentityDoc, size: 101, wantErr: true, offset: 100},
		{name: "maxbytes-custom-larger-than-default", parser: policy.Parser{MaxBytes: 30000}, kind: policy.Bucket, doc: limBucketDoc, size: 30000},
		{name: "maxbytes-negative-means-default-at-limit", parser: policy.Parser{MaxBytes: -1}, kind: policy.Bucket, doc: limBucketDoc, size: 20480},
		{name: "maxbytes-negative-means-default-over-limit", parser: policy.Parser{MaxBytes: -1}, kind: policy.Bucket, doc: limBucketDoc, size: 20481, wantErr: true, offset: 20480},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := limPad(t, tc.doc, tc.size)
			p, err := tc.parser.Parse(tc.kind, data)
			if !tc.wantErr {
				require.NoError(t, err)
				require.NotNil(t, p)
				assert.Len(t, p.Statements, 1)
				return
			}
			assert.Nil(t, p)
			pe := limRequireError(t, err, policy.ErrTooLarge)
			assert.Equal(t, tc.offset, pe.Offset)
			assert.Empty(t, pe.Pointer)
		})
	}
	assert.Equal(t, 20480, policy.DefaultMaxBytesBucket)
	assert.Equal(t, 65536, policy.DefaultMaxBytesIdentity)
}

// limDepth6Doc nests 6 deep: root{ Statement[ {Condition{ Op{ key[.
const limDepth6Doc = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:x":["a","b"]}}}]}`

func TestLimitMaxDepth(t *testing.T) {
	nest := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name     string
		parser   policy.Parser
		doc      string
		sentinel error // nil: valid
		offset   int   // for ErrLimit
	}{
		{name: "maxdepth-6-accepts-condition-list", parser: policy.Parser{MaxDepth: 6}, doc: limDepth6Doc},
		{name: "maxdepth-5-rejects-condition-list", parser: policy.Parser{MaxDepth: 5}, doc: limDepth6Doc, sentinel: policy.ErrLimit, offset: strings.Index(limDepth6Doc, `["a"`)},
		{name: "maxdepth-2-accepts-statement-object", parser: policy.Parser{MaxDepth: 2}, doc: limIdentityDoc},
		{name: "maxdepth-1-rejects-statement-object", parser: policy.Parser{MaxDepth: 1}, doc: limIdentityDoc, sentinel: policy.ErrLimit, offset: strings.Index(limIdentityDoc, `{"Effect"`)},
		{name: "maxdepth-default-accepts-condition-list", doc: limDepth6Doc},
		{name: "maxdepth-brackets-inside-strings-not-counted", parser: policy.Parser{MaxDepth: 2},
			doc: `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/[[[{{{\\\"[[["}}`},
		{name: "maxdepth-default-16-arrays-pass-limits-then-wrong-type", doc: nest(16), sentinel: policy.ErrType},
		{name: "maxdepth-default-17-arrays-errlimit", doc: nest(17), sentinel: policy.ErrLimit, offset: 16},
		{name: "maxdepth-custom-17-arrays-pass-limits", parser: policy.Parser{MaxDepth: 17}, doc: nest(17), sentinel: policy.ErrType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.parser.Parse(policy.Identity, []byte(tc.doc))
			if tc.sentinel == nil {
				require.NoError(t, err)
				require.NotNil(t, p)
				return
			}
			assert.Nil(t, p)
			pe := limRequireError(t, err, tc.sentinel)
			if tc.sentinel == policy.ErrLimit {
				assert.Equal(t, tc.offset, pe.Offset)
				assert.Empty(t, pe.Pointer)
			}
		})
	}
	assert.Equal(t, 16, policy.DefaultMaxDepth)
}

// limStatements returns an identity policy with n statements.
func limStatements(n int) string {
	st := make([]string, n)
	for i := range st {
		st[i] = `{"Effect":"Allow","Action":"*","Resource":"*"}`
	}
	return `{"Statement":[` + strings.Join(st, ",") + `]}`
}

func TestLimitMaxStatements(t *testing.T) {
	tests := []struct {
		name    string
		parser  policy.Parser
		doc     string
		want    int // statements; 0 means ErrLimit
		wantErr bool
	}{
		{name: "maxstatements-3-accepts-3", parser: policy.Parser{MaxStatements: 3}, doc: limStatements(3), want: 3},
		{name: "maxstatements-3-rejects-4", parser: policy.Parser{MaxStatements: 3}, doc: limStatements(4), wantErr: true},
		{name: "maxstatements-1-accepts-single-object", parser: policy.Parser{MaxStatements: 1}, doc: limIdentityDoc, want: 1},
		{name: "maxstatements-1-rejects-2", parser: policy.Parser{MaxStatements: 1}, doc: limStatements(2), wantErr: true},
		{name: "maxstatements-default-accepts-1000", doc: limStatements(1000), want: 1000},
		{name: "maxstatements-default-rejects-1001", doc: limStatements(1001), wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.parser.Parse(policy.Identity, []byte(tc.doc))
			if !tc.wantErr {
				require.NoError(t, err)
				assert.Len(t, p.Statements, tc.want)
				return
			}
			assert.Nil(t, p)
			pe := limRequireError(t, err, policy.ErrLimit)
			assert.Equal(t, "/Statement", pe.Pointer)
			assert.Equal(t, strings.Index(tc.doc, "["), pe.Offset)
			assert.NotContains(t, err.Error(), "\n", "one limit error, no per-statement errors")
		})
	}
	assert.Equal(t, 1000, policy.DefaultMaxStatements)
}

func TestLimitMaxValues(t *testing.T) {
	manyOnes := func(k int) string {
		return `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":[` +
			strings.TrimSuffix(strings.Repeat("1,", k), ",") + `]}}}}`
	}
	tests := []struct {
		name   string
		kind   policy.Kind // zero: Identity
		parser func(n int) policy.Parser
		doc    string
		// n is the exact number of values: MaxValues n passes the limit,
		// n-1 fails with ErrLimit.
		n int
		// atLimit is the error at MaxValues n (nil: the document is valid).
		atLimit error
	}{
		{
			// root, Statement object, "Allow", "*", "*"; keys are not values.
			name: "maxvalues-minimal-identity-5", doc: limIdentityDoc, n: 5,
		},
		{
			// root, Statement object, "Allow", "*", "s3:*", "*".
			name: "maxvalues-minimal-bucket-6", kind: policy.Bucket, doc: limBucketDoc, n: 6,
		},
		{
			// root, Statement array, statement object, "Allow", Action array,
			// 2 actions, "*", Condition object, NumericLessThan object, value
			// array, 10, 1.5, Bool object, false.
			name: "maxvalues-arrays-numbers-bool-15",
			doc:  `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":[10,1.5]},"Bool":{"aws:SecureTransport":false}}}]}`,
			n:    15,
		},
		{
			// root, Statement object, "Allow", "*", "*", Condition object, Null
			// object, null: the null counts, then fails the grammar.
			name:    "maxvalues-null-counted-8",
			doc:     `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:x":null}}}}`,
			n:       8,
			atLimit: policy.ErrType,
		},
		{
			// root, Statement object, "Allow", "*", "*", 3 empty objects and
			// arrays under an unknown member.
			name:    "maxvalues-empty-containers-counted-8",
			doc:     `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","X":[{},[]]}}`,
			n:       8,
			atLimit: policy.ErrUnknownElement,
		},
		{
			// Escaped quotes inside strings are not string boundaries.
			name: "maxvalues-escaped-quotes-in-string-5",
			doc:  `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/\"x\",\"y\""}}`,
			n:    5,
		},
		{
			// Commas, quotes, colons and brackets inside strings and keys are
			// not structure.
			name: "maxvalues-structure-chars-inside-strings-5",
			doc:  `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/,\\\",[{1,true,null:"}}`,
			n:    5,
		},
		{
			// 8 values around the list, then 19992 ones: 20000 in all.
			name:   "maxvalues-default-20000-accepted",
			parser: func(int) policy.Parser { return policy.Parser{} },
			doc:    manyOnes(19992),
			n:      20000,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parser := func(n int) policy.Parser { return policy.Parser{MaxValues: n} }
			if tc.parser != nil {
				parser = tc.parser
			}
			kind := tc.kind
			if kind == 0 {
				kind = policy.Identity
			}
			_, err := parser(tc.n).Parse(kind, []byte(tc.doc))
			if tc.atLimit == nil {
				require.NoError(t, err, "MaxValues %d", tc.n)
			} else {
				assert.ErrorIs(t, err, tc.atLimit)
				assert.NotErrorIs(t, err, policy.ErrLimit)
			}
			if tc.parser != nil {
				return
			}
			_, err = parser(tc.n-1).Parse(kind, []byte(tc.doc))
			limRequireError(t, err, policy.ErrLimit)
			assert.Contains(t, err.Error(), "values")
		})
	}

	t.Run("maxvalues-default-20001-rejected", func(t *testing.T) {
		doc := manyOnes(19993)
		require.Less(t, len(doc), policy.DefaultMaxBytesIdentity, "under the size limit: the value count decides")
		_, err := policy.Parse(policy.Identity, []byte(doc))
		limRequireError(t, err, policy.ErrLimit)
	})
	assert.Equal(t, 20000, policy.DefaultMaxValues)
}

func TestLimitHostileInputs(t *testing.T) {
	const mib = 1 << 20
	nestedObjects := strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)
	tests := []struct {
		name     string
		parser   policy.Parser
		kind     policy.Kind
		data     []byte
		sentinel error
		check    func(t *testing.T, p *policy.Policy, err error)
	}{
		{
			name:     "hostile-1mib-open-brackets-large-maxbytes-errlimit-depth",
			parser:   policy.Parser{MaxBytes: 2 << 20},
			kind:     policy.Bucket,
			data:     []byte(strings.Repeat("[", mib)),
			sentinel: policy.ErrLimit,
			check: func(t *testing.T, p *policy.Policy, err error) {
				var pe *policy.Error
				require.True(t, errors.As(err, &pe))
				assert.Equal(t, policy.DefaultMaxDepth, pe.Offset, "stops at the first bracket past the depth limit")
				assert.Contains(t, err.Error(), "nesting deeper than 16")
			},
		},
		{
			name:     "hostile-100000-nested-objects-large-maxbytes-errlimit",
			parser:   policy.Parser{MaxBytes: 2 << 20},
			kind:     policy.Identity,
			data:     []byte(nestedObjects),
			sentinel: policy.ErrLimit,
			check: func(t *testing.T, p *policy.Policy, err error) {
				var pe *policy.Error
				require.True(t, errors.As(err, &pe))
				assert.Equal(t, policy.DefaultMaxDepth*len(`{"a":`), pe.Offset)
			},
		},
		{
			name:     "hostile-1mib-open-brackets-default-errtoolarge",
			kind:     policy.Bucket,
			data:     []byte(strings.Repeat("[", mib)),
			sentinel: policy.ErrTooLarge,
		},
		{
			name:     "hostile-1mib-open-brackets-identity-default-errtoolarge",
			kind:     policy.Identity,
			data:     []byte(strings.Repeat("[", mib)),
			sentinel: policy.ErrTooLarge,
		},
		{
			name:     "hostile-raw-nul-in-key-errsyntax",
			kind:     policy.Identity,
			data:     []byte("{\"State\x00ment\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"),
			sentinel: policy.ErrSyntax,
		},
		{
			name:     "hostile-raw-nul-in-value-errsyntax",
			kind:     policy.Identity,
			data:     []byte("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:Get\x00Object\",\"Resource\":\"*\"}}"),
			sentinel: policy.ErrSyntax,
		},
		{
			name:     "hostile-raw-nul-outside-string-errsyntax",
			kind:     policy.Identity,
			data:     []byte("{\"Statement\":\x00{}}"),
			sentinel: policy.ErrSyntax,
		},
		{
			name:     "hostile-invalid-utf8-in-key-errsyntax-offset",
			kind:     policy.Identity,
			data:     []byte("{\"Stat\xffement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"),
			sentinel: policy.ErrSyntax,
			check: func(t *testing.T, p *policy.Policy, err error) {
				var se *policy.SyntaxError
				require.True(t, errors.As(err, &se))
				assert.Equal(t, int64(6), se.Offset, "offset of the first invalid byte")
				assert.Contains(t, se.Msg, "UTF-8")
			},
		},
		{
			name:     "hostile-invalid-utf8-in-value-errsyntax-offset",
			kind:     policy.Identity,
			data:     []byte("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::b/\xc3\x28\"}}"),
			sentinel: policy.ErrSyntax,
			check: func(t *testing.T, p *policy.Policy, err error) {
				var se *policy.SyntaxError
				require.True(t, errors.As(err, &se))
				assert.Equal(t, int64(strings.Index("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::b/\xc3", "\xc3")), se.Offset)
			},
		},
		{
			name:     "hostile-truncated-utf8-at-end-errsyntax",
			kind:     policy.Identity,
			data:     []byte("{\"Id\":\"\xe6\x97"),
			sentinel: policy.ErrSyntax,
		},
		{
			name:     "hostile-escaped-nul-in-action-errinvalidaction",
			kind:     policy.Identity,
			data:     []byte(`{"Statement":{"Effect":"Allow","Action":"s3:Get\u0000Object","Resource":"*"}}`),
			sentinel: policy.ErrInvalidAction,
		},
		{
			name:     "hostile-escaped-nul-in-member-name-errunknownelement",
			kind:     policy.Identity,
			data:     []byte(`{"Statement":{"Effect\u0000":"Allow","Effect":"Allow","Action":"*","Resource":"*"}}`),
			sentinel: policy.ErrUnknownElement,
		},
		{
			name:     "hostile-escaped-nul-in-condition-key-errinvalidcondition",
			kind:     policy.Identity,
			data:     []byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:x\u0000":"v"}}}}`),
			sentinel: policy.ErrInvalidCondition,
		},
		{
			name:     "hostile-escaped-nul-in-effect-errinvalidvalue",
			kind:     policy.Identity,
			data:     []byte(`{"Statement":{"Effect":"Allow\u0000","Action":"*","Resource":"*"}}`),
			sentinel: policy.ErrInvalidValue,
		},
		{
			// checkResource validates the partition, service, region and
			// account of an ARN; the resource part (an object key) is opaque.
			name: "hostile-escaped-nul-in-resource-key-part-accepted-as-opaque",
			kind: policy.Bucket,
			data: []byte(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a\u0000b"}}`),
			check: func(t *testing.T, p *policy.Policy, err error) {
				require.NoError(t, err)
				r := &p.Statements[0].Resource[0]
				assert.Equal(t, "arn:aws:s3:::b/a\x00b", r.String())
				assert.True(t, r.Match("arn:aws:s3:::b/a\x00b"))
				assert.False(t, r.Match("arn:aws:s3:::b/ab"))
				out, err := p.MarshalJSON()
				require.NoError(t, err)
				assert.Contains(t, string(out), `a\u0000b`)
			},
		},
		{
			name:     "hostile-escaped-nul-in-resource-account-errinvalidresource",
			kind:     policy.Identity,
			data:     []byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3::\u0000:b"}}`),
			sentinel: policy.ErrInvalidResource,
		},
		{
			name:     "hostile-lone-surrogate-escape-errsyntax",
			kind:     policy.Bucket,
			data:     []byte(`{"Statement":{"Sid":"\ud800x","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`),
			sentinel: policy.ErrSyntax,
		},
		{
			name:     "hostile-lone-low-surrogate-escape-errsyntax",
			kind:     policy.Bucket,
			data:     []byte(`{"Statement":{"Sid":"\udc00","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`),
			sentinel: policy.ErrSyntax,
		},
		{
			name:     "hostile-lone-surrogate-uppercase-hex-errsyntax",
			kind:     policy.Bucket,
			data:     []byte(`{"Statement":{"Sid":"\uD800x","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`),
			sentinel: policy.ErrSyntax,
		},
		{
			name:     "hostile-high-surrogate-then-non-surrogate-escape-errsyntax",
			kind:     policy.Bucket,
			data:     []byte(`{"Statement":{"Sid":"\ud800\u0041","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`),
			sentinel: policy.ErrSyntax,
		},
		{
			name: "hostile-paired-surrogate-escape-accepted",
			kind: policy.Bucket,
			data: []byte(`{"Statement":{"Sid":"\ud83d\uDE80","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`),
			check: func(t *testing.T, p *policy.Policy, err error) {
				require.NoError(t, err)
				assert.Equal(t, "🚀", p.Statements[0].Sid)
			},
		},
		{
			name: "hostile-huge-numbers-kept-as-written",
			kind: policy.Identity,
			data: []byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:x":[1e999999,-1E-999999,` + strings.Repeat("9", 400) + `]}}}}`),
			check: func(t *testing.T, p *policy.Policy, err error) {
				require.NoError(t, err)
				vs := p.Statements[0].Conditions[0].Values
				require.Len(t, vs, 3)
				assert.Equal(t, "1e999999", vs[0].Text)
				assert.Equal(t, "-1E-999999", vs[1].Text)
				assert.Equal(t, strings.Repeat("9", 400), vs[2].Text)
				for _, v := range vs {
					assert.Equal(t, policy.NumberValue, v.Kind)
				}
				out, err := p.MarshalJSON()
				require.NoError(t, err)
				assert.Contains(t, string(out), `[1e999999,-1E-999999,`+strings.Repeat("9", 400)+`]`)
			},
		},
		{
			// A Numeric operator reads no exponent, and nothing beyond
			// the float64 range: each value is refused at its own pointer.
			name:     "hostile-huge-numbers-refused-by-a-numeric-operator",
			kind:     policy.Identity,
			data:     []byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":[1e999999,-1E-999999,` + strings.Repeat("9", 400) + `]}}}}`),
			sentinel: policy.ErrInvalidCondition,
			check: func(t *testing.T, p *policy.Policy, err error) {
				lines := strings.Split(err.Error(), "\n")
				require.Len(t, lines, 3)
				for i, line := range lines {
					assert.Contains(t, line, fmt.Sprintf("/s3:max-keys/%d: invalid condition", i))
					assert.Contains(t, line, "want an integer or decimal number")
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.parser.Parse(tc.kind, tc.data)
			if tc.sentinel != nil {
				assert.Nil(t, p)
				require.Error(t, err)
				assert.ErrorIs(t, err, tc.sentinel)
				var pe *policy.Error
				var se *policy.SyntaxError
				assert.True(t, errors.As(err, &pe) || errors.As(err, &se), "typed error, got %T", err)
				assert.Less(t, len(err.Error()), 1000, "error text stays short")
			}
			if tc.check != nil {
				tc.check(t, p, err)
			}
		})
	}
}

func TestLimitWildcardResources(t *testing.T) {
	// 19 resources of 510 "*?" pairs each, padded to exactly the 20 KiB
	// limit of a bucket policy.
	const pairs = 510
	glob := "arn:aws:s3:::b/" + strings.Repeat("*?", pairs)
	res := make([]string, 19)
	for i := range res {
		res[i] = `"` + glob + `"`
	}
	doc := `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":[` + strings.Join(res, ",") + `]}}`
	require.Greater(t, len(doc), 19<<10)
	data := limPad(t, doc, policy.DefaultMaxBytesBucket)

	p, err := policy.Parse(policy.Bucket, data)
	require.NoError(t, err)
	require.Len(t, p.Statements[0].Resource, 19)
	pat := &p.Statements[0].Resource[18]
	require.Equal(t, glob, pat.String())

	long := "arn:aws:s3:::b/" + strings.Repeat("x", 1<<10)
	short := "arn:aws:s3:::b/" + strings.Repeat("x", pairs-1)
	tests := []struct {
		name  string
		input string
		want  bool
	}{
		{"wildcard-20k-match-1kib-key", long, true},
		{"wildcard-20k-exactly-as-many-chars-as-question-marks", "arn:aws:s3:::b/" + strings.Repeat("y", pairs), true},
		{"wildcard-20k-too-short-key", short, false},
		{"wildcard-20k-other-bucket", "arn:aws:s3:::c/" + strings.Repeat("x", 1<<10), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got bool
			allocs := testing.AllocsPerRun(10, func() { got = pat.Match(tc.input) })
			assert.Equal(t, tc.want, got)
			assert.Zero(t, allocs, "Match allocates")
		})
	}
}

// limConstVars resolves every variable to the same value.
type limConstVars struct{}

func (limConstVars) Lookup(string) (string, bool) { return "alice", true }

func TestLimitMatchAllocs(t *testing.T) {
	var vars policy.Vars = limConstVars{}
	tests := []struct {
		name  string
		pat   func(t *testing.T) *policy.Pattern
		vars  policy.Vars
		input string
		want  bool
	}{
		{"allocs-resource-exact", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/k") }, nil, "arn:aws:s3:::b/k", true},
		{"allocs-resource-prefix", func(t *testing.T) *policy.Pattern { return ptResource(t, "2012-10-17", "arn:aws:s3:::b/*") }, nil, "arn:aws:s3:::b/dir/key", true},
		{"allocs-resource-general-glob", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/*/x?z/*.txt")
		}, nil, "arn:aws:s3:::b/a/b/xyz/c/d.txt", true},
		{"allocs-resource-general-glob-miss", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/*/x?z/*.txt")
		}, nil, "arn:aws:s3:::b/a/b/xyz/c/d.txz", false},
		{"allocs-action-exact-fold", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:GetObject") }, nil, "S3:GETOBJECT", true},
		{"allocs-action-prefix-fold", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:Get*") }, nil, "S3:GETOBJECT", true},
		{"allocs-action-general-fold", func(t *testing.T) *policy.Pattern { return ptAction(t, "s3:*Object?cl") }, nil, "S3:PUTOBJECTACL", true},
		{"allocs-variable-const-vars", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/home/${aws:username}/*")
		}, vars, "arn:aws:s3:::b/home/alice/docs/x", true},
		{"allocs-variable-const-vars-miss", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/home/${aws:username}/*")
		}, vars, "arn:aws:s3:::b/home/bob/docs/x", false},
		{"allocs-variable-default-nil-vars", func(t *testing.T) *policy.Pattern {
			return ptResource(t, "2012-10-17", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'all'}/*")
		}, nil, "arn:aws:s3:::b/all/x", true},
		{"allocs-cond-value-stringlike-var", func(t *testing.T) *policy.Pattern {
			return &ptCondValue(t, "2012-10-17", "StringLike", `"home/${aws:username}/*"`).Pattern
		}, vars, "home/alice/x", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.pat(t)
			var got bool
			allocs := testing.AllocsPerRun(100, func() { got = p.MatchVars(tc.input, tc.vars) })
			assert.Equal(t, tc.want, got, "MatchVars")
			assert.Zero(t, allocs, "MatchVars allocates")
			if tc.vars == nil {
				allocs = testing.AllocsPerRun(100, func() { got = p.Match(tc.input) })
				assert.Equal(t, tc.want, got, "Match")
				assert.Zero(t, allocs, "Match allocates")
			}
		})
	}
}

// TestLimitConditionValueCost bounds the work of reading condition values
// as their operators read them, on identity policies at the size limit:
// thousands of values of each type, single values as large as the limit
// allows, readable or not. Every document gets a policy or an error with
// allocations and bytes linear in its size, as for the rest of Parse.
func TestLimitConditionValueCost(t *testing.T) {
	const limit = policy.DefaultMaxBytesIdentity
	// many fills one operator's list with values until the document is
	// near the limit.
	many := func(op, key string, value func(i int) string) string {
		head := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"` + op + `":{"` + key + `":[`
		var b strings.Builder
		b.WriteString(head)
		for i := 0; ; i++ {
			v := value(i)
			if b.Len()+len(v)+10 > limit {
				break
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(v)
		}
		return b.String() + `]}}}}`
	}
	// one holds a single string value of n bytes.
	one := func(op, key, prefix string, fill byte) string {
		head := `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"` + op + `":{"` + key + `":"` + prefix
		tail := `"}}}}`
		return head + strings.Repeat(string(fill), limit-len(head)-len(tail)-1) + tail
	}
	tests := []struct {
		name string
		doc  string
		ok   bool
	}{
		{name: "numbers", doc: many("NumericLessThan", "s3:max-keys", func(i int) string { return fmt.Sprintf(`"%d.5"`, i) }), ok: true},
		{name: "dates", doc: many("DateLessThan", "aws:CurrentTime", func(i int) string { return fmt.Sprintf(`"2024-01-01T00:%02d:00+01:00"`, i%60) }), ok: true},
		{name: "base64", doc: many("BinaryEquals", "example:bin", func(i int) string { return fmt.Sprintf(`"%08d"`, i) }), ok: true},
		{name: "cidr-blocks", doc: many("IpAddress", "aws:SourceIp", func(i int) string { return fmt.Sprintf(`"10.%d.%d.0/24"`, i/256%256, i%256) }), ok: true},
		{name: "arns-with-variables", doc: many("ArnLike", "aws:SourceArn", func(i int) string {
			return fmt.Sprintf(`"arn:${aws:x}:s%d:*:${aws:y, 'a:b'}:r/${aws:username}*"`, i)
		}), ok: true},
		{name: "unreadable-dates", doc: many("DateLessThan", "aws:CurrentTime", func(i int) string { return `"2024-13-01"` })},
		{name: "one-64KiB-number", doc: one("NumericEquals", "s3:max-keys", "", '9')},
		{name: "one-64KiB-date", doc: one("DateEquals", "aws:CurrentTime", "2024-01-01T", '0')},
		{name: "one-64KiB-base64", doc: one("BinaryEquals", "example:bin", "", 'A')},
		{name: "one-64KiB-address", doc: one("IpAddress", "aws:SourceIp", "::", '0')},
		{name: "one-64KiB-arn", doc: one("ArnEquals", "aws:SourceArn", "arn:a:b:c:d:", '*'), ok: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			require.LessOrEqual(t, len(data), limit)
			var p *policy.Policy
			var err error
			allocs, bytes := testcost.Measure(2, func() { p, err = policy.Parse(policy.Identity, data) })
			if tc.ok {
				require.NoError(t, err)
				require.NotNil(t, p)
			} else {
				assert.Nil(t, p)
				assert.ErrorIs(t, err, policy.ErrInvalidCondition)
			}
			assert.LessOrEqual(t, allocs, 4096+float64(len(data)), "allocations per Parse of %d bytes", len(data))
			assert.LessOrEqual(t, bytes, uint64(1<<20+64*len(data)), "bytes allocated per Parse of %d bytes", len(data))
		})
	}
}
