package policy_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/internal/golden"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kindOf reads the policy kind from a corpus file name: bucket-*.json or
// identity-*.json.
func kindOf(t testing.TB, name string) policy.Kind {
	switch {
	case strings.HasPrefix(name, "bucket-"):
		return policy.Bucket
	case strings.HasPrefix(name, "identity-"):
		return policy.Identity
	}
	t.Fatalf("%s: name must start with bucket- or identity-", name)
	return 0
}

func TestGoldenValid(t *testing.T) {
	files := golden.Corpus(t, "valid", ".json")
	assert.GreaterOrEqual(t, len(files), 40)
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			kind := kindOf(t, name)
			p, err := policy.Parse(kind, data)
			require.NoError(t, err)
			require.NoError(t, p.Validate(), "a parsed policy validates")
			out, err := p.MarshalJSON()
			require.NoError(t, err)
			golden.Check(t, strings.TrimSuffix(file, ".json")+".golden.json", append(out, '\n'))

			// The canonical form is JSON that encoding/json accepts, it is a
			// fixed point, and it means the same policy.
			require.True(t, json.Valid(out))
			q, err := policy.Parse(kind, out)
			require.NoError(t, err)
			assert.True(t, p.Equal(q), "Parse(MarshalJSON(p)) is not Equal to p")
			again, _ := q.MarshalJSON()
			assert.Equal(t, string(out), string(again))
		})
	}
}

// sentinels maps the names used in testdata/invalid/manifest.tsv.
var sentinels = map[string]error{
	"ErrSyntax":           policy.ErrSyntax,
	"ErrTooLarge":         policy.ErrTooLarge,
	"ErrLimit":            policy.ErrLimit,
	"ErrType":             policy.ErrType,
	"ErrDuplicateKey":     policy.ErrDuplicateKey,
	"ErrUnknownElement":   policy.ErrUnknownElement,
	"ErrMissingElement":   policy.ErrMissingElement,
	"ErrConflict":         policy.ErrConflict,
	"ErrInvalidValue":     policy.ErrInvalidValue,
	"ErrInvalidPrincipal": policy.ErrInvalidPrincipal,
	"ErrInvalidAction":    policy.ErrInvalidAction,
	"ErrInvalidResource":  policy.ErrInvalidResource,
	"ErrInvalidCondition": policy.ErrInvalidCondition,
	"ErrInvalidVariable":  policy.ErrInvalidVariable,
}

type expectation struct{ sentinel, pointer string }

func readManifest(t *testing.T) map[string]expectation {
	f, err := os.Open(filepath.Join("testdata", "invalid", "manifest.tsv"))
	require.NoError(t, err)
	defer f.Close()
	m := map[string]expectation{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		fields := strings.Split(sc.Text(), "\t")
		require.Len(t, fields, 3, "manifest line %q", sc.Text())
		m[fields[0]] = expectation{fields[1], fields[2]}
	}
	require.NoError(t, sc.Err())
	return m
}

func TestGoldenInvalid(t *testing.T) {
	manifest := readManifest(t)
	files := golden.Corpus(t, "invalid", ".json")
	assert.GreaterOrEqual(t, len(files), 40)
	assert.Len(t, manifest, len(files), "every invalid file has one manifest line")
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			_, err = policy.Parse(kindOf(t, name), data)
			require.Error(t, err)
			golden.Check(t, strings.TrimSuffix(file, ".json")+".err", []byte(err.Error()+"\n"))

			want, ok := manifest[name]
			require.True(t, ok, "no manifest line")
			sentinel := sentinels[want.sentinel]
			require.NotNil(t, sentinel, "unknown sentinel %q", want.sentinel)
			assert.ErrorIs(t, err, sentinel)
			var pe *policy.Error
			var se *policy.SyntaxError
			switch {
			case errors.As(err, &pe):
				assert.Equal(t, want.pointer, pe.Pointer)
				assert.False(t, errors.As(err, &se), "one problem, one error type")
			case errors.As(err, &se):
				assert.Empty(t, want.pointer)
			default:
				t.Fatalf("error %T is neither *policy.Error nor *policy.SyntaxError", err)
			}
			assert.NotContains(t, err.Error(), "\n", "each invalid file has exactly one problem")
		})
	}
}
