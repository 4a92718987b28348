// Package testcost measures the work of a call the way the hostile-input
// tests bound it: in allocations and bytes allocated, which do not depend
// on the machine's speed, never in time.
package testcost

import (
	"runtime"
	"testing"
)

// Measure returns the mean number of allocations and of bytes allocated by
// one call of f, over runs calls. The bytes are read from the runtime's
// total, so the runtime's own background allocations, a few bytes per
// call at most, may be counted with f's.
func Measure(runs int, f func()) (allocs float64, bytes uint64) {
	allocs = testing.AllocsPerRun(runs, f)
	// As AllocsPerRun does: one processor, so that other goroutines of the
	// test binary allocate as little as possible while f runs.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return allocs, (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}
