package acl_test

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGoldenValid(t *testing.T) {
	files := golden.Corpus(t, "valid", ".xml")
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".xml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			a, err := acl.Parse(data)
			require.NoError(t, err)
			out, err := a.Marshal()
			require.NoError(t, err)
			golden.Check(t, strings.TrimSuffix(file, ".xml")+".golden.xml", append(out, '\n'))
			b, err := acl.Parse(out)
			require.NoError(t, err)
			assert.True(t, a.Equal(b), "Parse(Marshal(a)) is not Equal to a")
			again, _ := b.Marshal()
			assert.Equal(t, string(out), string(again))
		})
	}
}

var sentinels = map[string]error{
	"ErrSyntax":           acl.ErrSyntax,
	"ErrTooLarge":         acl.ErrTooLarge,
	"ErrForbidden":        acl.ErrForbidden,
	"ErrUnknownElement":   acl.ErrUnknownElement,
	"ErrMissingElement":   acl.ErrMissingElement,
	"ErrDuplicateElement": acl.ErrDuplicateElement,
	"ErrInvalidGrantee":   acl.ErrInvalidGrantee,
	"ErrInvalidValue":     acl.ErrInvalidValue,
	"ErrTooManyGrants":    acl.ErrTooManyGrants,
}

func TestGoldenInvalid(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "invalid", "manifest.tsv"))
	require.NoError(t, err)
	defer f.Close()
	type want struct{ sentinel, path string }
	manifest := map[string]want{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		fields := strings.Split(sc.Text(), "\t")
		require.Len(t, fields, 3, "manifest line %q", sc.Text())
		manifest[fields[0]] = want{fields[1], fields[2]}
	}
	require.NoError(t, sc.Err())
	files := golden.Corpus(t, "invalid", ".xml")
	assert.GreaterOrEqual(t, len(files), 25)
	assert.Len(t, manifest, len(files), "every invalid file has one manifest line")
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".xml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			_, err = acl.Parse(data)
			require.Error(t, err)
			golden.Check(t, strings.TrimSuffix(file, ".xml")+".err", []byte(err.Error()+"\n"))
			w, ok := manifest[name]
			require.True(t, ok, "no manifest line")
			require.Contains(t, sentinels, w.sentinel)
			assert.ErrorIs(t, err, sentinels[w.sentinel])
			var ae *acl.Error
			require.True(t, errors.As(err, &ae), "error %T is not *acl.Error", err)
			assert.Equal(t, w.path, ae.Path)
			if !errors.Is(err, acl.ErrTooLarge) {
				assert.Positive(t, ae.Line, "a document error names its line")
			}
		})
	}
}
