package evaluate_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/jsonptr"
	"github.com/s3authz/s3authz/policy"
)

// What "valid" means is one thing: a policy policy.Parse accepts, Prepare
// accepts, and a condition Prepare refuses in a policy built by hand, Parse
// refuses in the equivalent document, with the same error.

// vaSplice returns doc with the JSON scalar that starts at off replaced by
// the JSON text repl. Offsets before off are unchanged, so a value at off
// keeps its offset.
func vaSplice(t testing.TB, doc []byte, off int, repl string) []byte {
	t.Helper()
	old := gjson.ParseBytes(doc[off:])
	require.True(t, old.Type == gjson.String || old.Type == gjson.Number || old.Type == gjson.True || old.Type == gjson.False,
		"a scalar at offset %d: %.20q", off, doc[off:])
	out := append([]byte(nil), doc[:off]...)
	out = append(out, repl...)
	return append(out, doc[off+len(old.Raw):]...)
}

// vaSetValue changes by hand the condition value of p at offset off to the
// JSON scalar text repl says (a string's contents, a number's or boolean's
// literal text), as Parse would have read it, and returns it; it fails the
// test when p has no value at off.
func vaSetValue(t testing.TB, p *policy.Policy, off int, repl string) *policy.Value {
	t.Helper()
	r := gjson.Parse(repl)
	for si := range p.Statements {
		for ci := range p.Statements[si].Conditions {
			c := &p.Statements[si].Conditions[ci]
			for vi := range c.Values {
				if v := &c.Values[vi]; v.Offset == off {
					switch r.Type {
					case gjson.String:
						v.Text, v.Kind = r.Str, policy.StringValue
					case gjson.Number:
						v.Text, v.Kind = r.Raw, policy.NumberValue
					default:
						v.Text, v.Kind = r.Raw, policy.BoolValue
					}
					return v
				}
			}
		}
	}
	t.Fatalf("no condition value at offset %d", off)
	return nil
}

// vaRefusedAlike checks that Parse refuses bad with one *policy.Error and
// that Prepare refuses p, the equivalent policy built by hand, with an
// error that reads the same, at the same pointer and offset.
func vaRefusedAlike(t testing.TB, kind policy.Kind, bad []byte, p *policy.Policy) {
	t.Helper()
	q, parseErr := policy.Parse(kind, bad)
	require.Nil(t, q)
	require.Error(t, parseErr, "Parse accepts %s", bad)
	pp, prepErr := evaluate.Prepare(p)
	require.Nil(t, pp)
	require.Error(t, prepErr, "Prepare accepts the policy built by hand")
	var pe, re *policy.Error
	require.True(t, errors.As(parseErr, &pe), "Parse: %T %v", parseErr, parseErr)
	require.True(t, errors.As(prepErr, &re), "Prepare: %T %v", prepErr, prepErr)
	assert.Equal(t, pe.Pointer, re.Pointer)
	assert.Equal(t, pe.Offset, re.Offset)
	assert.Equal(t, parseErr.Error(), prepErr.Error())
	assert.NotContains(t, parseErr.Error(), "\n", "one fault")
}

// vaBadValues are, per operator, a value it cannot read; the String
// operators read any text.
func vaBadValue(op policy.Operator) (string, bool) {
	switch {
	case op >= policy.NumericEquals && op <= policy.NumericGreaterThanEquals:
		return `"ten"`, true
	case op >= policy.DateEquals && op <= policy.DateGreaterThanEquals:
		return `"2030-13-01T00:00:00Z"`, true
	case op == policy.Bool || op == policy.Null:
		return `"maybe"`, true
	case op == policy.BinaryEquals:
		return `"not base64!"`, true
	case op == policy.IpAddress || op == policy.NotIpAddress:
		return `"10.0.0.0/33"`, true
	case op >= policy.ArnEquals && op <= policy.ArnNotLike:
		return `"arn:aws:sns"`, true
	}
	return "", false
}

// vaCheckDocument checks a document Parse accepts: Prepare accepts it, and
// each typed condition value replaced by one its operator cannot read is
// refused alike by Parse (in the document) and Prepare (by hand). It
// returns the number of values replaced.
func vaCheckDocument(t *testing.T, kind policy.Kind, doc []byte) int {
	t.Helper()
	p, err := policy.Parse(kind, doc)
	require.NoError(t, err)
	_, err = evaluate.Prepare(p)
	require.NoError(t, err, "Parse accepts a policy Prepare refuses: %s", doc)
	n := 0
	for si := range p.Statements {
		for _, c := range p.Statements[si].Conditions {
			bad, typed := vaBadValue(c.Operator)
			if !typed {
				continue
			}
			for _, v := range c.Values {
				byHand, err := policy.Parse(kind, doc)
				require.NoError(t, err)
				vaSetValue(t, byHand, v.Offset, bad)
				vaRefusedAlike(t, kind, vaSplice(t, doc, v.Offset, bad), byHand)
				n++
			}
		}
	}
	return n
}

// vaDocuments returns the policies of the repository's test data: the
// policy corpus, and the policies embedded in the scenarios (any object
// with a Statement member), each with the kinds it parses as.
func vaDocuments(t *testing.T) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	for _, pattern := range []string{"../policy/testdata/*/*.json", "../scenario/testdata/*.json"} {
		files, err := filepath.Glob(pattern)
		require.NoError(t, err)
		require.NotEmpty(t, files, pattern)
		for _, file := range files {
			if strings.HasSuffix(file, ".golden.json") {
				continue
			}
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			if strings.HasPrefix(file, filepath.Join("..", "scenario")) {
				var walk func(path string, r gjson.Result)
				walk = func(path string, r gjson.Result) {
					if r.IsObject() && r.Get("Statement").Exists() {
						docs[file+"#"+path] = []byte(r.Raw)
						return
					}
					if !r.IsObject() && !r.IsArray() {
						return
					}
					r.ForEach(func(k, v gjson.Result) bool {
						walk(path+"/"+k.String(), v)
						return true
					})
				}
				walk("", gjson.ParseBytes(data))
				continue
			}
			docs[file] = data
		}
	}
	return docs
}

// TestParseAcceptanceImpliesPrepare checks, over every policy of the test
// data (the policy corpus, valid and invalid, and the scenarios'
// policies), that a document Parse accepts as either kind Prepare accepts,
// and that each typed condition value made unreadable is refused alike by
// Parse and, built by hand, by Prepare.
func TestParseAcceptanceImpliesPrepare(t *testing.T) {
	accepted, replaced := 0, 0
	for name, doc := range vaDocuments(t) {
		for _, kind := range []policy.Kind{policy.Bucket, policy.Identity} {
			if _, err := policy.Parse(kind, doc); err != nil {
				continue
			}
			t.Run(filepath.Base(name)+"-"+kind.String(), func(t *testing.T) {
				replaced += vaCheckDocument(t, kind, doc)
			})
			accepted++
		}
	}
	t.Logf("%d documents accepted, %d values made unreadable", accepted, replaced)
	assert.Greater(t, accepted, 150, "documents accepted")
	assert.Greater(t, replaced, 50, "values made unreadable")
}

// TestParseAcceptanceImpliesPrepareGenerated checks the same over the
// reference tests' generated identity and bucket policies; a generated
// condition whose operator its key's type does not take is refused by
// Parse now.
func TestParseAcceptanceImpliesPrepareGenerated(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 100
	}
	rng := rand.New(rand.NewPCG(20240617, 3))
	refused := 0
	for i := range n {
		doc, invalid := genPolicy(rng, 10)
		kind := policy.Identity
		if i%2 == 1 {
			doc, invalid = genBucketPolicy(rng), false
			kind = policy.Bucket
		}
		_, err := policy.Parse(kind, []byte(doc))
		if invalid {
			require.ErrorIs(t, err, policy.ErrInvalidCondition, "Parse accepts an operator its key's type does not take: %s", doc)
			refused++
			continue
		}
		require.NoError(t, err, "the generator writes valid documents: %s", doc)
		t.Run(strconv.Itoa(i), func(t *testing.T) { vaCheckDocument(t, kind, []byte(doc)) })
	}
	assert.Positive(t, refused, "the generator writes conditions of the wrong type")
}

// TestKeyTypeRefusedAlike checks operators on keys whose type they do not
// take: Parse refuses the document and Prepare the policy built by hand
// (a key outside the catalog, of the same length, renamed), alike.
func TestKeyTypeRefusedAlike(t *testing.T) {
	tests := []struct {
		name  string
		cond  string // the Condition element, with %s for the key
		key   string // a catalog key the operator cannot test
		stand string // a key outside the catalog, as long as key
	}{
		{name: "ip-address-on-prefix", cond: `{"IpAddress":{"%s":"10.0.0.0/8"}}`, key: "s3:prefix", stand: "ex:prefix"},
		{name: "string-on-source-ip", cond: `{"StringEquals":{"%s":["10.0.0.1","10.0.0.2"]}}`, key: "aws:SourceIp", stand: "example:addr"},
		{name: "numeric-on-current-time", cond: `{"NumericLessThanIfExists":{"%s":"5"}}`, key: "aws:CurrentTime", stand: "example:clock12"},
		{name: "arn-on-prefix", cond: `{"ForAnyValue:ArnLike":{"%s":"arn:*:*:*:*:*"}}`, key: "s3:prefix", stand: "ex:prefix"},
		{name: "date-on-max-keys", cond: `{"DateLessThan":{"%s":"2020-01-01"}}`, key: "s3:max-keys", stand: "ex:max-keys"},
		{name: "bool-on-a-tag", cond: `{"Bool":{"%s":"true"}}`, key: "aws:PrincipalTag/x", stand: "xyz:PrincipalTag/x"},
		{name: "binary-on-a-tag", cond: `{"BinaryEquals":{"%s":"aGk="}}`, key: "aws:RequestTag/c", stand: "xyz:RequestTag/c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Len(t, tc.stand, len(tc.key), "the stand-in keeps the offsets")
			_, known := policy.LookupConditionKey(tc.stand)
			require.False(t, known, "the stand-in is outside the catalog")
			doc := func(key string) []byte {
				return []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":` +
					strings.Replace(tc.cond, "%s", key, 1) + `}]}`)
			}
			p, err := policy.Parse(policy.Identity, doc(tc.stand))
			require.NoError(t, err)
			c := &p.Statements[0].Conditions[0]
			c.Key = tc.key
			ptr := func(key string) string { return string(jsonptr.AppendKey(nil, key)) }
			c.Pointer = strings.TrimSuffix(c.Pointer, ptr(tc.stand)) + ptr(tc.key)
			vaRefusedAlike(t, policy.Identity, doc(tc.key), p)
		})
	}
}
