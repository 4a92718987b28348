// Package files lists the files a command or loader is pointed at: files
// named directly and files found in folders searched recursively.
package files

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// List returns, in lexical order, the paths that name a file and that named
// keeps, and the files under the paths that name a folder that found keeps.
// A path that does not exist is an error.
func List(paths []string, named, found func(path string) bool) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			if named(p) {
				out = append(out, p)
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && found(path) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}
