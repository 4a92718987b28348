package testcost

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var sink []byte

func TestMeasure(t *testing.T) {
	allocs, bytes := Measure(50, func() { sink = make([]byte, 1000) })
	assert.Equal(t, 1.0, allocs)
	assert.GreaterOrEqual(t, bytes, uint64(1000))
	allocs, bytes = Measure(50, func() {})
	assert.Zero(t, allocs)
	// The runtime's background allocations may land in the byte count.
	assert.Less(t, bytes, uint64(64))
}
