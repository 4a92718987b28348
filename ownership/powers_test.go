package ownership_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3authz/s3authz/ownership"
)

func TestBucketOwnerMay(t *testing.T) {
	tests := []struct {
		action string
		want   bool
	}{
		{"s3:DeleteObject", true},
		{"s3:DeleteObjectVersion", true},
		{"s3:RestoreObject", true},
		{"S3:deleteobject", true},
		{"s3:DELETEOBJECTVERSION", true},
		{"s3:restoreObject", true},
		{"s3:GetObject", false},
		{"s3:GetObjectAcl", false},
		{"s3:PutObjectAcl", false},
		{"s3:PutObject", false},
		{"s3:DeleteObjectTagging", false},
		{"s3:DeleteObjectVersionTagging", false},
		{"s3:PutLifecycleConfiguration", false},
		{"s3:PutObjectRetention", false},
		{"s3:*", false},
		{"s3:Delete*", false},
		{"*", false},
		{"DeleteObject", false},
		{"iam:DeleteObject", false},
		{"s3:DeleteObject ", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.action, func(t *testing.T) {
			assert.Equal(t, tc.want, ownership.BucketOwnerMay(tc.action))
		})
	}
	var sink int
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		if ownership.BucketOwnerMay("S3:DeleteObjectVersion") {
			sink++
		}
	}))
	_ = sink
}

func TestBucketOwnerActions(t *testing.T) {
	got := ownership.BucketOwnerActions()
	assert.Equal(t, []string{"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:RestoreObject"}, got)
	for _, a := range got {
		assert.True(t, ownership.BucketOwnerMay(a), a)
	}
	got[0] = "s3:GetObject"
	assert.Equal(t, "s3:DeleteObject", ownership.BucketOwnerActions()[0], "a fresh copy each time")
	assert.False(t, ownership.BucketOwnerMay("s3:GetObject"))
}
