package layout

import (
	"go/build"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/s3authz/s3authz"

// leaves import none of each other.
var leaves = []string{"policy", "acl", "devpay", "ownership"}

// celImporters are the only packages that may import cel-go.
var celImporters = []string{"evaluate"}

const celGo = "github.com/google/cel-go"

// packageImports reads the imports of every package of the module, by
// directory relative to the module root, from the source files alone
// (go/build's ImportDir runs no go command). Test files do not count:
// the rules are about what a package pulls into its importers.
func packageImports(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	out := map[string][]string{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		pkg, err := build.Default.ImportDir(p, 0)
		if err != nil {
			if _, ok := err.(*build.NoGoError); ok {
				return nil
			}
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = pkg.Imports
		return nil
	})
	require.NoError(t, err)
	return out
}

// violations lists the broken rules, one line each, for a map from package
// directory to imports.
func violations(imports map[string][]string) []string {
	var out []string
	for dir, imps := range imports {
		for _, imp := range imps {
			if (imp == celGo || strings.HasPrefix(imp, celGo+"/")) && !slices.Contains(celImporters, dir) {
				out = append(out, dir+" imports "+imp+": only evaluate may use cel-go")
			}
			if !slices.Contains(leaves, dir) {
				continue
			}
			for _, other := range leaves {
				if other != dir && imp == path.Join(module, other) {
					out = append(out, dir+" imports "+imp+": the leaves import none of each other")
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestImportRules(t *testing.T) {
	imports := packageImports(t)
	for _, dir := range append(slices.Clone(leaves), celImporters...) {
		require.Contains(t, imports, dir, "the walk must find every package the rules name")
	}
	assert.Empty(t, violations(imports))
}

// TestViolations checks that the rules catch what they should, on made-up
// import lists.
func TestViolations(t *testing.T) {
	tests := []struct {
		name    string
		imports map[string][]string
		want    []string
	}{
		{
			name:    "leaf importing a leaf",
			imports: map[string][]string{"acl": {"strings", module + "/ownership"}},
			want:    []string{"acl imports " + module + "/ownership: the leaves import none of each other"},
		},
		{
			name:    "leaf importing internal",
			imports: map[string][]string{"acl": {module + "/internal/ids"}, "ownership": {module + "/internal/ids"}},
			want:    nil,
		},
		{
			name:    "leaf importing cel-go",
			imports: map[string][]string{"policy": {celGo + "/cel"}},
			want:    []string{"policy imports " + celGo + "/cel: only evaluate may use cel-go"},
		},
		{
			name:    "consumer importing cel-go",
			imports: map[string][]string{"scenario": {celGo + "/common/types"}},
			want:    []string{"scenario imports " + celGo + "/common/types: only evaluate may use cel-go"},
		},
		{
			name:    "evaluate importing cel-go and every leaf",
			imports: map[string][]string{"evaluate": {celGo + "/cel", module + "/acl", module + "/ownership"}},
			want:    nil,
		},
		{
			name:    "consumer importing every leaf",
			imports: map[string][]string{"scenario": {module + "/acl", module + "/devpay", module + "/ownership", module + "/policy"}},
			want:    nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, violations(tc.imports))
		})
	}
}
