package ascii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFold(t *testing.T) {
	assert.Equal(t, "s3:getobject", Lower("S3:GetObject"))
	assert.Equal(t, "été", Lower("été"), "non-ASCII letters stay")
	assert.Equal(t, "Été", Lower("ÉTé"), "only ASCII folds")
	assert.True(t, HasLowerPrefix("S3:GetObject", "s3:get"))
	assert.False(t, HasLowerPrefix("s3", "s3:"))
	assert.True(t, EqualLower("AWS:SourceIp", "aws:sourceip"))
	assert.False(t, EqualLower("aws:sourceipx", "aws:sourceip"))
	s := "already-lower"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Lower(s) }))
}
