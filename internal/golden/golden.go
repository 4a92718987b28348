// Package golden runs golden-file tests: it lists a corpus folder under
// testdata and compares output with the stored expected files, rewriting
// them when the test binary runs with -update.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// Corpus returns the input files testdata/DIR/*EXT, leaving out generated
// golden files (names ending in ".golden"+EXT). It fails the test when there
// are none.
func Corpus(t testing.TB, dir, ext string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*"+ext))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".golden"+ext) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s files in testdata/%s", ext, dir)
	}
	return out
}

// Check compares got with the contents of path, or writes got to path with
// -update.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the tests with -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs:\n got: %s\nwant: %s", path, got, want)
	}
}
