// Package testcost measures the work of a call the way the hostile-input
// tests bound it: in allocations and bytes allocated, which do not depend
// on the machine's speed, never in time.
package testcost

import (
	"runtime"
	"testing"
)

// Measure returns the mean number of allocations and of bytes allocated by
// one call of f, over runs calls.
func Measure(runs int, f func()) (allocs float64, bytes uint64) {
	allocs = testing.AllocsPerRun(runs, f)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return allocs, (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}
