// This file keeps each package's findings under .gopatch/check, keyed as the rewrite cache keys packages, so that an unchanged package is neither type-checked nor analysed again.

package check

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
)

// cacheVersion changes whenever the entry format does; the analysis
// itself is in the key, through the executable's hash.
const cacheVersion = "gopatch-check-1"

// An entry is what one package's analysis found: its findings, with
// absolute file names, and its gopatch generate lines, which the stale
// check needs even when the package is not loaded again.
type entry struct {
	Findings   []Finding
	Directives []Directive
}

func entryPath(dir, key string) string {
	return filepath.Join(dir, key[:2], key+"-"+cacheVersion)
}

// readEntry returns the entry for key, or nil.
func readEntry(dir, key string) *entry {
	data, err := os.ReadFile(entryPath(dir, key))
	if err != nil {
		return nil
	}
	e := new(entry)
	if json.Unmarshal(data, e) != nil {
		return nil // damaged: a miss, written again
	}
	return e
}

// writeEntry stores e for key. The cache only saves time: a failure to
// write it is not an error.
func writeEntry(dir, key string, e *entry) {
	data, err := json.Marshal(e)
	if err != nil {
		return
	}
	path := entryPath(dir, key)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return
	}
	if os.MkdirAll(filepath.Dir(path), 0o777) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil && cerr == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}
