package scenario_test

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/internal/testcost"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/scenario"
)

// limSentinels are the sentinels a load error may wrap.
var limSentinels = []error{
	scenario.ErrSyntax, scenario.ErrDuplicate, scenario.ErrUnknownField, scenario.ErrType, scenario.ErrMissing,
	scenario.ErrInvalid, scenario.ErrDangling, scenario.ErrPolicy, scenario.ErrACL, scenario.ErrTooLarge,
}

// requireSentinel checks that err wraps sentinel and no other of
// limSentinels.
func requireSentinel(t *testing.T, err error, sentinel error) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	n := 0
	for _, s := range limSentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	assert.Equal(t, 1, n, "the error wraps exactly one sentinel: %v", err)
}

// requireScenarioError checks that err is a *scenario.Error for file and
// returns it.
func requireScenarioError(t *testing.T, err error, file string) *scenario.Error {
	t.Helper()
	require.Error(t, err)
	var se *scenario.Error
	require.True(t, errors.As(err, &se), "error %T is not *scenario.Error: %v", err, err)
	assert.Equal(t, file, se.File)
	return se
}

// TestLimitMaxFileBytes checks MaxFileBytes (4 MiB) at the limit and one
// byte over it: a valid scenario padded with white space to exactly the
// limit loads; one byte more is an *Error wrapping ErrTooLarge, with no
// pointer and offset -1, refused before any parsing (a handful of
// allocations).
func TestLimitMaxFileBytes(t *testing.T) {
	require.Equal(t, 4<<20, scenario.MaxFileBytes)
	pad := func(size int, where string) []byte {
		require.Contains(t, base, where)
		n := size - len(base)
		fill := strings.Repeat(" \n\t\r", n/4+1)[:n]
		return []byte(strings.Replace(base, where, where+fill, 1))
	}
	tests := []struct {
		name  string
		where string // the padding goes after it
	}{
		{"padding-after-the-document", "\n}"},
		{"padding-between-members", `"name": "base",`},
	}
	for _, tc := range tests {
		t.Run(tc.name+"-at-limit", func(t *testing.T) {
			data := pad(scenario.MaxFileBytes, tc.where)
			require.Len(t, data, scenario.MaxFileBytes)
			s, err := scenario.Parse("max.json", data)
			require.NoError(t, err)
			assert.Equal(t, "base", s.Name)
			require.Len(t, s.Requests, 2)
			for _, res := range s.Run() {
				assert.True(t, res.OK, "request %d: %s", res.Request, res.Rule())
			}
		})
		t.Run(tc.name+"-limit-plus-one", func(t *testing.T) {
			data := pad(scenario.MaxFileBytes+1, tc.where)
			var s *scenario.Scenario
			var err error
			allocs := testing.AllocsPerRun(3, func() { s, err = scenario.Parse("max.json", data) })
			assert.Nil(t, s)
			se := requireScenarioError(t, err, "max.json")
			assert.ErrorIs(t, err, scenario.ErrTooLarge)
			assert.Empty(t, se.Path)
			assert.Equal(t, -1, se.Offset)
			assert.Equal(t, fmt.Sprintf("scenario: max.json: file too large: %d bytes, the limit is %d", scenario.MaxFileBytes+1, scenario.MaxFileBytes), err.Error())
			assert.LessOrEqual(t, allocs, 10.0, "refused before parsing")
		})
	}
	t.Run("LoadFS-at-limit-and-plus-one", func(t *testing.T) {
		fsys := fstest.MapFS{
			"at.json":   {Data: pad(scenario.MaxFileBytes, "\n}")},
			"over.json": {Data: pad(scenario.MaxFileBytes+1, "\n}")},
		}
		_, err := scenario.LoadFS(fsys, "at.json")
		require.NoError(t, err)
		_, err = scenario.LoadFS(fsys, "over.json")
		requireScenarioError(t, err, "over.json")
		assert.ErrorIs(t, err, scenario.ErrTooLarge)
	})
}

// endlessFS serves one file, "big.json", of n spaces, without holding
// them in memory, and counts the bytes read from it in *read.
type endlessFS struct {
	n    int64
	read *int64
}

func (f endlessFS) Open(name string) (fs.File, error) {
	if name != "big.json" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &endlessFile{left: f.n, read: f.read}, nil
}

type endlessFile struct {
	left int64
	read *int64
}

func (f *endlessFile) Stat() (fs.FileInfo, error) { return endlessInfo{}, nil }
func (f *endlessFile) Close() error               { return nil }
func (f *endlessFile) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), f.left)
	for i := range n {
		p[i] = ' '
	}
	f.left -= n
	*f.read += n
	return int(n), nil
}

// endlessInfo reports no size, as a pipe or a special file does.
type endlessInfo struct{}

func (endlessInfo) Name() string       { return "big.json" }
func (endlessInfo) Size() int64        { return 0 }
func (endlessInfo) Mode() fs.FileMode  { return fs.ModeIrregular }
func (endlessInfo) ModTime() time.Time { return time.Time{} }
func (endlessInfo) IsDir() bool        { return false }
func (endlessInfo) Sys() any           { return nil }

// TestLimitLoadReadsAtMostTheLimit checks that Load and LoadFS refuse a
// file over MaxFileBytes without reading all of it into memory: they read
// exactly one byte over the limit, so the error gives that many bytes, and
// the bytes allocated stay a small multiple of the limit (the read buffer
// grows in steps), far under the size of a file 64 times as large.
func TestLimitLoadReadsAtMostTheLimit(t *testing.T) {
	const size = 64 * scenario.MaxFileBytes
	check := func(t *testing.T, file string, load func() (*scenario.Scenario, error)) {
		t.Helper()
		var s *scenario.Scenario
		var err error
		_, bytes := testcost.Measure(1, func() { s, err = load() })
		assert.Nil(t, s)
		se := requireScenarioError(t, err, file)
		requireSentinel(t, err, scenario.ErrTooLarge)
		assert.Empty(t, se.Path)
		assert.Equal(t, -1, se.Offset)
		assert.Equal(t, fmt.Sprintf("scenario: %s: file too large: %d bytes, the limit is %d", file, scenario.MaxFileBytes+1, scenario.MaxFileBytes), err.Error())
		assert.Less(t, bytes, uint64(6*scenario.MaxFileBytes), "bytes allocated to refuse a file of %d bytes", size)
	}
	t.Run("LoadFS", func(t *testing.T) {
		var read int64
		fsys := endlessFS{n: size, read: &read}
		check(t, "big.json", func() (*scenario.Scenario, error) {
			read = 0
			return scenario.LoadFS(fsys, "big.json")
		})
		assert.Equal(t, int64(scenario.MaxFileBytes+1), read, "bytes read from the file")
	})
	t.Run("Load", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "big.json")
		f, err := os.Create(path)
		require.NoError(t, err)
		require.NoError(t, f.Truncate(size), "a sparse file")
		require.NoError(t, f.Close())
		check(t, path, func() (*scenario.Scenario, error) { return scenario.Load(path) })
	})
}

// TestLimitMaxDepth checks the nesting limit: the top-level value is at
// depth 0, values down to depth 32 are read (and then refused for their
// type where the format wants something else), and a value at depth 33 is
// an *Error wrapping ErrTooLarge, naming its JSON pointer and offset. An
// embedded policy meets its own, smaller, depth limit first.
func TestLimitMaxDepth(t *testing.T) {
	nest := func(open, close string, n int, inner string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	// inName puts v at depth 1, as the value of "name".
	inName := func(v string) string { return `{"name": ` + v + `}` }
	// policyAt nests bob's policy to depth containers, counted as
	// policy.Parser counts them: the policy object, the Statement array,
	// the statement, Condition and StringEquals make 5.
	policyAt := func(depth int) string {
		cond := `{"StringEquals":{"aws:x":` + nest("[", "]", depth-5, `"v"`) + `}}`
		return strings.Replace(base, `"Effect": "Allow", "Action": "s3:*", "Resource": "*"}`, `"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": `+cond+`}`, 1)
	}
	tests := []struct {
		name     string
		doc      string
		sentinel error
		path     string // JSON pointer of the error
		offset   int    // -1: not checked
	}{
		{"scalar-at-depth-32", inName(nest("[", "]", 31, "1")), scenario.ErrType, "/name", 9},
		{"empty-array-at-depth-32", inName(nest("[", "]", 32, "")), scenario.ErrType, "/name", 9},
		{"object-at-depth-32", inName(nest(`{"a":`, "}", 31, "{}")), scenario.ErrType, "/name", 9},
		// The offset is where the value too deep starts, or for a member
		// value the colon before it.
		{"scalar-at-depth-33", inName(nest("[", "]", 32, "1")), scenario.ErrTooLarge, "/name" + strings.Repeat("/0", 32), 9 + 32},
		{"empty-array-at-depth-33", inName(nest("[", "]", 33, "")), scenario.ErrTooLarge, "/name" + strings.Repeat("/0", 32), 9 + 32},
		{"object-at-depth-33", inName(nest(`{"a":`, "}", 32, "{}")), scenario.ErrTooLarge, "/name" + strings.Repeat("/a", 32), 9 + 32*5 - 1},
		{"array-top-level-33-deep", nest("[", "]", 33, ""), scenario.ErrType, "", 0},
		{"array-top-level-34-deep", nest("[", "]", 34, ""), scenario.ErrTooLarge, strings.Repeat("/0", 33), 33},
		{"policy-at-its-own-limit", policyAt(policy.DefaultMaxDepth), scenario.ErrPolicy, "/principals/bob/policies/0", -1},
		{"policy-over-its-own-limit", policyAt(policy.DefaultMaxDepth + 1), scenario.ErrPolicy, "/principals/bob/policies/0", -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scenario.Parse("deep.json", []byte(tc.doc))
			assert.Nil(t, s)
			se := requireScenarioError(t, err, "deep.json")
			assert.Equal(t, tc.path, se.Path)
			if tc.offset >= 0 {
				assert.Equal(t, tc.offset, se.Offset)
			}
			requireSentinel(t, err, tc.sentinel)
			switch tc.sentinel {
			case scenario.ErrTooLarge:
				assert.Equal(t, fmt.Sprintf("scenario: deep.json: %s: file too large: nesting deeper than 32 levels (offset %d)", tc.path, tc.offset), err.Error())
			case scenario.ErrPolicy:
				// At its limit the policy is read and refused for nested
				// condition values; over it, for its depth.
				over := tc.name == "policy-over-its-own-limit"
				assert.Equal(t, over, errors.Is(err, policy.ErrLimit), "%v", err)
				var pe *policy.Error
				assert.True(t, errors.As(err, &pe), "the policy's own error is wrapped")
			}
		})
	}
}

// TestLimitHostileJSON feeds hostile files to Parse. Each is refused with
// an *Error naming the file, the JSON pointer and the offset where known,
// wrapping the expected sentinel (and no other); and the work is bounded:
// allocations and bytes allocated stay under a constant when parsing must
// stop early (at the nesting limit, or at invalid UTF-8 or an unpaired
// surrogate escape, which are refused before the file is parsed) whatever
// the file's size, and under a linear bound in the file's size otherwise.
func TestLimitHostileJSON(t *testing.T) {
	const mib = 1 << 20
	r := func(old, new string) string {
		require.Contains(t, base, old)
		return strings.Replace(base, old, new, 1)
	}
	// at is the offset of bad in doc, which holds it once.
	at := func(doc, bad string) int {
		require.Equal(t, 1, strings.Count(doc, bad))
		return strings.Index(doc, bad)
	}
	utf8Policy := r(`"Resource": "*"`, "\"Resource\": \"arn:aws:s3:::b/\xff\"")
	utf8Name := r(`"name": "base"`, "\"name\": \"ba\xffse\"")
	utf8Key := r(`"key": "a.txt"`, "\"key\": \"a\xff.txt\"")
	utf8ObjectKey := r(`"a.txt": {`, "\"a\xc0\xaf.txt\": {")
	surrogateKey := r(`"key": "a.txt"`, `"key": "a\ud800.txt"`)
	lowSurrogateName := r(`"name": "base"`, `"name": "ba\udc00se"`)
	utf8AfterTop := base + "\n\xff"
	tests := []struct {
		name     string
		doc      string
		sentinel error
		path     string
		offset   int // -1: not checked
		// constant: parsing stops early; allocations and bytes are
		// bounded by a constant, not by the file's size.
		constant bool
		text     string // the whole error text; "": not checked
	}{
		{"1MiB-of-open-brackets", strings.Repeat("[", mib), scenario.ErrTooLarge, strings.Repeat("/0", 33), 33, true, ""},
		{"4MiB-of-open-brackets", strings.Repeat("[", scenario.MaxFileBytes), scenario.ErrTooLarge, strings.Repeat("/0", 33), 33, true, ""},
		{"100000-nested-objects", strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000), scenario.ErrTooLarge, strings.Repeat("/a", 33), 33*5 - 1, true, ""},
		{"100000-nested-arrays-in-a-request", r(`"requests": [`, `"requests": [`+strings.Repeat("[", 100000)), scenario.ErrTooLarge, "/requests" + strings.Repeat("/0", 32), -1, true, ""},
		{"raw-nul-in-string", r(`"name": "base"`, "\"name\": \"ba\x00se\""), scenario.ErrSyntax, "/name", 10, false, ""},
		{"raw-nul-between-members", r(`"name": "base",`, "\"name\": \"base\",\x00"), scenario.ErrSyntax, "", 19, false, ""},
		{"raw-nul-in-member-name", r(`"source": "test"`, "\"sou\x00rce\": \"test\""), scenario.ErrSyntax, "", -1, false, ""},
		{"escaped-nul-in-bucket-name", r(`"bucket-one": {`, `"bucket\u0000one": {`), scenario.ErrInvalid, "/buckets/bucket\x00one", -1, false, ""},
		{"escaped-nul-in-account-id", r(`"444455556666": {"canonicalId"`, `"44445555\u00006666": {"canonicalId"`), scenario.ErrInvalid, "/accounts/44445555\x006666", -1, false, ""},
		{"escaped-nul-in-action", r(`"s3:ListBucket"`, `"s3:List\u0000Bucket"`), scenario.ErrInvalid, "/requests/0/action", -1, false, ""},
		{"escaped-nul-in-expectation", r(`"expect": "allow"}`, `"expect": "allow\u0000"}`), scenario.ErrInvalid, "/requests/0/expect", -1, false, ""},
		{"escaped-nul-in-time", r(`"expect": "allow"}`, `"expect": "allow", "time": "2024-01-01T00:00:00Z\u0000"}`), scenario.ErrInvalid, "/requests/0/time", -1, false, ""},
		{"escaped-nul-in-canned-acl", r(`{"canned": "private"}`, `{"canned": "private\u0000"}`), scenario.ErrACL, "/buckets/bucket-one/acl/canned", -1, false, ""},
		{"escaped-nul-in-embedded-policy-action", r(`"Action": "s3:*"`, `"Action": "s3:\u0000*"`), scenario.ErrPolicy, "/principals/bob/policies/0", -1, false, ""},
		{"escaped-nul-in-acl-xml", r(`{"canned": "private"}`, `"<AccessControlPolicy>\u0000</AccessControlPolicy>"`), scenario.ErrACL, "/buckets/bucket-one/acl", -1, false, ""},
		// Invalid UTF-8 and unpaired surrogate escapes are refused before
		// the file is parsed, embedded policies included: the error is the
		// file's, at the offset of the bad byte or escape.
		{"invalid-utf8-in-embedded-policy", utf8Policy, scenario.ErrSyntax, "", at(utf8Policy, "\xff"), true,
			fmt.Sprintf("scenario: hostile.json: invalid JSON: invalid UTF-8 (offset %d)", at(utf8Policy, "\xff"))},
		{"invalid-utf8-in-name", utf8Name, scenario.ErrSyntax, "", at(utf8Name, "\xff"), true,
			fmt.Sprintf("scenario: hostile.json: invalid JSON: invalid UTF-8 (offset %d)", at(utf8Name, "\xff"))},
		{"invalid-utf8-in-request-key", utf8Key, scenario.ErrSyntax, "", at(utf8Key, "\xff"), true, ""},
		{"overlong-utf8-in-object-key", utf8ObjectKey, scenario.ErrSyntax, "", at(utf8ObjectKey, "\xc0"), true, ""},
		{"invalid-utf8-after-the-top-level-value", utf8AfterTop, scenario.ErrSyntax, "", len(base) + 1, true, ""},
		{"lone-surrogate-escape-in-request-key", surrogateKey, scenario.ErrSyntax, "", at(surrogateKey, `\ud800`), true,
			fmt.Sprintf("scenario: hostile.json: invalid JSON: unpaired UTF-16 surrogate escape (offset %d)", at(surrogateKey, `\ud800`))},
		{"lone-low-surrogate-escape-in-name", lowSurrogateName, scenario.ErrSyntax, "", at(lowSurrogateName, `\udc00`), true, ""},
		{"data-after-the-top-level-value", base + "\n{}", scenario.ErrSyntax, "", len(base) + 2, false,
			fmt.Sprintf("scenario: hostile.json: invalid JSON: data after the top-level value (offset %d)", len(base)+2)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			var s *scenario.Scenario
			var err error
			allocs, bytes := testcost.Measure(2, func() { s, err = scenario.Parse("hostile.json", data) })
			assert.Nil(t, s)
			se := requireScenarioError(t, err, "hostile.json")
			assert.Equal(t, tc.path, se.Path)
			if tc.offset >= 0 {
				assert.Equal(t, tc.offset, se.Offset)
			}
			if tc.constant {
				assert.LessOrEqual(t, allocs, 1000.0, "allocations per Parse of %d bytes", len(data))
				assert.LessOrEqual(t, bytes, uint64(256<<10), "bytes allocated per Parse of %d bytes", len(data))
			} else {
				assert.LessOrEqual(t, allocs, 4096+float64(len(data)), "allocations per Parse of %d bytes", len(data))
				assert.LessOrEqual(t, bytes, uint64(1<<20+64*len(data)), "bytes allocated per Parse of %d bytes", len(data))
			}
			requireSentinel(t, err, tc.sentinel)
			if tc.sentinel == scenario.ErrTooLarge {
				assert.Contains(t, err.Error(), "nesting deeper than 32 levels")
			}
			if tc.text != "" {
				assert.Equal(t, tc.text, err.Error())
			}
		})
	}
}

// TestLimitEscapedNUL checks that NUL bytes written as JSON escapes reach
// the values where any character is allowed exactly as written: the
// scenario's name and a request's key.
func TestLimitEscapedNUL(t *testing.T) {
	doc := strings.Replace(base, `"name": "base"`, `"name": "ba\u0000se"`, 1)
	doc = strings.Replace(doc, `"key": "a.txt"`, `"key": "a\u0000.txt"`, 1)
	s, err := scenario.Parse("nul.json", []byte(doc))
	require.NoError(t, err)
	assert.Equal(t, "ba\x00se", s.Name)
	require.Len(t, s.Requests, 2)
	assert.Equal(t, "a\x00.txt", s.Requests[1].Request.Key)
	assert.Nil(t, s.Requests[1].Context.Object, "no object has that key")
}

// TestLimitRequestKey checks that a request's object key is 1 to
// ownership.MaxKeyBytes bytes, as S3's are: the limit loads, one byte more
// and the empty key are ErrInvalid at the key's pointer.
func TestLimitRequestKey(t *testing.T) {
	require.Contains(t, base, `"key": "a.txt"`)
	withKey := func(key string) []byte {
		return []byte(strings.Replace(base, `"key": "a.txt"`, `"key": "`+key+`"`, 1))
	}
	_, err := scenario.Parse("key.json", withKey(strings.Repeat("k", ownership.MaxKeyBytes)))
	require.NoError(t, err)
	for _, key := range []string{strings.Repeat("k", ownership.MaxKeyBytes+1), ""} {
		_, err := scenario.Parse("key.json", withKey(key))
		se := requireScenarioError(t, err, "key.json")
		requireSentinel(t, err, scenario.ErrInvalid)
		assert.True(t, strings.HasSuffix(se.Path, "/key"), se.Path)
	}
}
