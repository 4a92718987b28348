package ownership_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/ownership"
)

func TestValidBucketName(t *testing.T) {
	tests := []struct {
		name   string
		bucket string
		ok     bool
	}{
		{"simple", "docexamplebucket1", true},
		{"hyphens", "doc-example-bucket", true},
		{"dots", "logs.example.com", true},
		{"three characters", "abc", true},
		{"sixty-three characters", strings.Repeat("a", 63), true},
		{"digits only", "123456", true},
		{"three digit groups", "1.2.3", true},
		{"five digit groups", "1.2.3.4.5", true},
		{"IP-like with letter", "192.168.5.4a", true},
		{"demo prefix accepted", "amzn-s3-demo-bucket", true},
		{"xn inside", "a-xn--b", true},
		{"alias suffix inside", "a-s3alias-b", true},
		{"two characters", "ab", false},
		{"sixty-four characters", strings.Repeat("a", 64), false},
		{"empty", "", false},
		{"upper case", "DocExampleBucket", false},
		{"underscore", "doc_example", false},
		{"space", "doc example", false},
		{"slash", "doc/example", false},
		{"non-ASCII", "bücket", false},
		{"starts with hyphen", "-bucket", false},
		{"ends with hyphen", "bucket-", false},
		{"starts with dot", ".bucket", false},
		{"ends with dot", "bucket.", false},
		{"two adjacent dots", "my..bucket", false},
		{"IP address", "192.168.5.4", false},
		{"IP-shaped out of range", "999.0.0.01", false},
		{"prefix xn--", "xn--bucket", false},
		{"prefix sthree-", "sthree-bucket", false},
		{"prefix sthree-configurator", "sthree-configurator", false},
		{"suffix -s3alias", "bucket-s3alias", false},
		{"suffix --ol-s3", "bucket--ol-s3", false},
		{"suffix .mrap", "bucket.mrap", false},
		{"suffix --x-s3", "bucket--usw2-az1--x-s3", false},
		{"suffix --table-s3", "bucket--table-s3", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.ok, ownership.ValidBucketName(tc.bucket))
			b := ownership.Bucket{Name: tc.bucket, Owner: "111122223333"}
			err := b.Validate()
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ownership.ErrInvalidBucketName)
			var e *ownership.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "Name", e.Field)
			assert.Equal(t, tc.bucket, e.Input)
		})
	}
}

func tags(n int) []ownership.Tag {
	t := make([]ownership.Tag, n)
	for i := range t {
		t[i] = ownership.Tag{Key: fmt.Sprintf("k%d", i), Value: "v"}
	}
	return t
}

func TestBucketValidate(t *testing.T) {
	valid := func() ownership.Bucket {
		return ownership.Bucket{Name: "awsexamplebucket1", Owner: "111122223333", Mode: ownership.ObjectWriter,
			Product: "ignored", Tags: []ownership.Tag{{Key: "team", Value: "data"}}}
	}
	tests := []struct {
		name   string
		modify func(*ownership.Bucket)
		err    error
		field  string
	}{
		{"valid", func(*ownership.Bucket) {}, nil, ""},
		{"zero mode is valid", func(b *ownership.Bucket) { b.Mode = 0 }, nil, ""},
		{"fifty tags", func(b *ownership.Bucket) { b.Tags = tags(50) }, nil, ""},
		{"no tags", func(b *ownership.Bucket) { b.Tags = nil }, nil, ""},
		{"empty tag value", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: "k"}} }, nil, ""},
		{"aws: tag key", func(b *ownership.Bucket) {
			b.Tags = []ownership.Tag{{Key: "aws:cloudformation:stack-name", Value: "s"}}
		}, nil, ""},
		{"keys differing in case", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: "Team"}, {Key: "team"}} }, nil, ""},
		{"128-character key", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: strings.Repeat("é", 128)}} }, nil, ""},
		{"256-character value", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: "k", Value: strings.Repeat("é", 256)}} }, nil, ""},
		{"bad name", func(b *ownership.Bucket) { b.Name = "Bad" }, ownership.ErrInvalidBucketName, "Name"},
		{"no owner", func(b *ownership.Bucket) { b.Owner = "" }, ownership.ErrInvalidOwner, "Owner"},
		{"malformed owner", func(b *ownership.Bucket) { b.Owner = "1111-2222-3333" }, ownership.ErrInvalidOwner, "Owner"},
		{"invalid mode", func(b *ownership.Bucket) { b.Mode = 9 }, ownership.ErrInvalidMode, "Mode"},
		{"fifty-one tags", func(b *ownership.Bucket) { b.Tags = tags(51) }, ownership.ErrInvalidTag, "Tags"},
		{"empty tag key", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: "a"}, {Key: ""}} }, ownership.ErrInvalidTag, "Tags[1].Key"},
		{"duplicate tag key", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: "a"}, {Key: "b"}, {Key: "a"}} }, ownership.ErrInvalidTag, "Tags[2].Key"},
		{"129-character key", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: strings.Repeat("k", 129)}} }, ownership.ErrInvalidTag, "Tags[0].Key"},
		{"257-character value", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: "k", Value: strings.Repeat("v", 257)}} }, ownership.ErrInvalidTag, "Tags[0].Value"},
		{"key not UTF-8", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: "k\xff"}} }, ownership.ErrInvalidTag, "Tags[0].Key"},
		{"value not UTF-8", func(b *ownership.Bucket) { b.Tags = []ownership.Tag{{Key: "k", Value: "\xc3"}} }, ownership.ErrInvalidTag, "Tags[0].Value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := valid()
			tc.modify(&b)
			err := b.Validate()
			if tc.err == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.err)
			var e *ownership.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.field, e.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "ownership: "+tc.field+": "), err.Error())
		})
	}
	t.Run("zero bucket", func(t *testing.T) {
		assert.ErrorIs(t, (&ownership.Bucket{}).Validate(), ownership.ErrInvalidBucketName)
	})
}

func TestObjectValidate(t *testing.T) {
	valid := func() ownership.Object {
		return ownership.Object{Bucket: "awsexamplebucket1", Key: "photos/2006/February/sample.jpg",
			Owner: ownership.AccountOwner("111122223333")}
	}
	tests := []struct {
		name   string
		modify func(*ownership.Object)
		err    error
		field  string
	}{
		{"valid", func(*ownership.Object) {}, nil, ""},
		{"anonymous owner", func(o *ownership.Object) { o.Owner = ownership.AnonymousOwner() }, nil, ""},
		{"1024-byte key", func(o *ownership.Object) { o.Key = strings.Repeat("k", 1024) }, nil, ""},
		{"key of slashes", func(o *ownership.Object) { o.Key = "1///test///object.jpg" }, nil, ""},
		{"key with colon and non-ASCII", func(o *ownership.Object) { o.Key = "a:b/ü" }, nil, ""},
		{"ten tags", func(o *ownership.Object) { o.Tags = tags(10) }, nil, ""},
		{"bad bucket", func(o *ownership.Object) { o.Bucket = "x" }, ownership.ErrInvalidBucketName, "Bucket"},
		{"empty key", func(o *ownership.Object) { o.Key = "" }, ownership.ErrInvalidKey, "Key"},
		{"1025-byte key", func(o *ownership.Object) { o.Key = strings.Repeat("k", 1025) }, ownership.ErrInvalidKey, "Key"},
		{"key not UTF-8", func(o *ownership.Object) { o.Key = "a\xffb" }, ownership.ErrInvalidKey, "Key"},
		{"zero owner", func(o *ownership.Object) { o.Owner = ownership.Owner{} }, ownership.ErrInvalidOwner, "Owner"},
		{"malformed owner", func(o *ownership.Object) { o.Owner = ownership.AccountOwner("abc") }, ownership.ErrInvalidOwner, "Owner"},
		{"anonymous owner with account", func(o *ownership.Object) { o.Owner = ownership.Owner{Account: "111122223333", Anonymous: true} }, ownership.ErrInvalidOwner, "Owner"},
		{"eleven tags", func(o *ownership.Object) { o.Tags = tags(11) }, ownership.ErrInvalidTag, "Tags"},
		{"duplicate tag key", func(o *ownership.Object) { o.Tags = []ownership.Tag{{Key: "a"}, {Key: "a"}} }, ownership.ErrInvalidTag, "Tags[1].Key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := valid()
			tc.modify(&o)
			err := o.Validate()
			if tc.err == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.err)
			var e *ownership.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.field, e.Field)
		})
	}
}

func TestTagLookup(t *testing.T) {
	b := &ownership.Bucket{Tags: []ownership.Tag{{Key: "Team", Value: "data"}, {Key: "env", Value: ""}}}
	o := &ownership.Object{Tags: b.Tags}
	tests := []struct {
		name  string
		key   string
		value string
		ok    bool
	}{
		{"exact key", "Team", "data", true},
		{"empty value is present", "env", "", true},
		{"other case is another key", "team", "", false},
		{"missing", "owner", "", false},
		{"empty key", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := b.Tag(tc.key)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.value, v)
			v, ok = o.Tag(tc.key)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.value, v)
		})
	}
	var sink int
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		v, _ := b.Tag("env")
		w, _ := o.Tag("Team")
		sink += len(v) + len(w)
	}))
	_ = sink
}

func TestEffectiveOwner(t *testing.T) {
	other := ownership.AccountOwner("444455556666")
	tests := []struct {
		name string
		mode ownership.Mode
		obj  ownership.Owner
		want ownership.Owner
	}{
		{"enforced, foreign object", ownership.BucketOwnerEnforced, other, ownership.AccountOwner("111122223333")},
		{"enforced, anonymous object", ownership.BucketOwnerEnforced, ownership.AnonymousOwner(), ownership.AccountOwner("111122223333")},
		{"preferred, foreign object", ownership.BucketOwnerPreferred, other, other},
		{"object writer, foreign object", ownership.ObjectWriter, other, other},
		{"object writer, anonymous object", ownership.ObjectWriter, ownership.AnonymousOwner(), ownership.AnonymousOwner()},
		{"invalid mode acts as enforced", ownership.Mode(7), other, ownership.AccountOwner("111122223333")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &ownership.Bucket{Name: "b-1", Owner: "111122223333", Mode: tc.mode}
			o := &ownership.Object{Bucket: "b-1", Key: "k", Owner: tc.obj}
			assert.Equal(t, tc.want, b.EffectiveOwner(o))
		})
	}
}
