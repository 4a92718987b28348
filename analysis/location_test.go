package analysis

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLocations pins the spans, lines and columns of spec §2.2 on a small
// document: a string's span includes its quotes, Line counts from 1, Col
// from 0 in bytes, and "" is the whole document.
func TestLocations(t *testing.T) {
	doc := "{\n" +
		"  \"Statement\": [\n" +
		"    {\"Sid\": \"\", \"Effect\": \"Allow\",\n" +
		"     \"Action\": [\"s3:GetObject\", \"s3:GetObjekt\"], \"Resource\": \"*\"}\n" +
		"  ]\n" +
		"}"
	rep, err := Validate(policy.Identity, []byte(doc), ValidateOptions{})
	require.NoError(t, err)
	got := map[string]Location{}
	for _, f := range rep.Findings {
		got[f.Code] = f.Locations[0]
	}
	sid := strings.Index(doc, `""`)
	stmt0 := []PathElement{{Value: "Statement"}, {Index: 0, IsIndex: true}}
	assert.Equal(t, Location{Pointer: "/Statement/0/Sid", Start: sid, End: sid + 2, Line: 3, Col: 12, EndLine: 3, EndCol: 14,
		Path: append(stmt0[:2:2], PathElement{Value: "Sid"})}, got["EMPTY_SID_VALUE"])
	bad := strings.Index(doc, `"s3:GetObjekt"`)
	assert.Equal(t, Location{Pointer: "/Statement/0/Action/1", Start: bad, End: bad + len(`"s3:GetObjekt"`), Line: 4, Col: 32, EndLine: 4, EndCol: 46,
		Path: append(stmt0[:2:2], PathElement{Value: "Action"}, PathElement{Index: 1, IsIndex: true})}, got["INVALID_ACTION"])
	assert.Equal(t, Location{Pointer: "", Start: 0, End: len(doc), Line: 1, Col: 0, EndLine: 6, EndCol: 1, Path: []PathElement{}}, got["MISSING_VERSION"])

	// Paths marshal as Access Analyzer writes them.
	b, err := json.Marshal(got["INVALID_ACTION"].Path)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"value":"Statement"},{"index":0},{"value":"Action"},{"index":1}]`, string(b))

	// The types marshal by name.
	b, err = json.Marshal(rep.Findings[0].Type)
	require.NoError(t, err)
	assert.Equal(t, `"WARNING"`, string(b))
}

// TestSyntaxErrorLocation: a syntax error points at the document, with the
// offset where reading stopped.
func TestSyntaxErrorLocation(t *testing.T) {
	doc := "{\"Version\": \"2012-10-17\",\n \"Statement\": [}"
	rep, err := Validate(policy.Bucket, []byte(doc), ValidateOptions{})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	f := rep.Findings[0]
	assert.Equal(t, "JSON_SYNTAX_ERROR", f.Code)
	at := strings.Index(doc, "}")
	col := at - strings.Index(doc, "\n") - 1
	assert.Equal(t, Location{Pointer: "", Start: at, End: at, Line: 2, Col: col, EndLine: 2, EndCol: col, Path: []PathElement{}}, f.Locations[0])
	assert.Error(t, rep.ParseErr)
}

// TestUnreadable: only input Validate cannot read at all is an error.
func TestUnreadable(t *testing.T) {
	_, err := Validate(policy.Bucket, []byte("{\"Id\":\"\xff\"}"), ValidateOptions{})
	assert.ErrorIs(t, err, ErrUnreadable)
	_, err = Validate(policy.Bucket, make([]byte, MaxDocumentBytes+1), ValidateOptions{})
	assert.ErrorIs(t, err, ErrUnreadable)
	_, err = Validate(0, []byte(`{}`), ValidateOptions{})
	assert.Error(t, err)
	rep, err := Validate(policy.Bucket, []byte(strings.Repeat("[", 40)+strings.Repeat("]", 40)), ValidateOptions{})
	require.NoError(t, err)
	assert.Empty(t, rep.Findings, "beyond the depth limit: the parser's error and no findings")
	assert.ErrorIs(t, rep.ParseErr, policy.ErrLimit)
}

func TestTypeString(t *testing.T) {
	assert.Equal(t, "ERROR", Error.String())
	assert.Equal(t, "SECURITY_WARNING", SecurityWarning.String())
	assert.Equal(t, "WARNING", Warning.String())
	assert.Equal(t, "SUGGESTION", Suggestion.String())
	assert.Equal(t, "Type(9)", Type(9).String())
}

// TestPath: a pointer becomes Access Analyzer's path by reading the
// document, so a member named like a number stays a member, and a token
// past the document's values is an index only when it is a number.
func TestPath(t *testing.T) {
	root, _, _, _ := readJSON([]byte(`{"Statement":[{"Condition":{"StringEquals":{"0":"a"}}}],"a/b":{"~":1}}`), 32, 1000)
	require.NotNil(t, root)
	for _, tc := range []struct {
		name, ptr string
		want      []PathElement
	}{
		{name: "document", ptr: "", want: []PathElement{}},
		{name: "numeric member name", ptr: "/Statement/0/Condition/StringEquals/0",
			want: []PathElement{{Value: "Statement"}, {Index: 0, IsIndex: true}, {Value: "Condition"}, {Value: "StringEquals"}, {Value: "0"}}},
		{name: "escaped tokens", ptr: "/a~1b/~0", want: []PathElement{{Value: "a/b"}, {Value: "~"}}},
		{name: "missing member, then an index", ptr: "/Statement/3/Action/2",
			want: []PathElement{{Value: "Statement"}, {Index: 3, IsIndex: true}, {Value: "Action"}, {Index: 2, IsIndex: true}}},
		{name: "leading zero is a name", ptr: "/Statement/01", want: []PathElement{{Value: "Statement"}, {Value: "01"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, path(root, tc.ptr))
		})
	}
}
