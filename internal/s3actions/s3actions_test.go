package s3actions_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/internal/s3actions"
)

// TestTableInvariants checks what every row must satisfy: one row per
// name, sorted by lower-case name (the index's order), a known resource,
// keys among the NumKeys bits, and ACL permissions and traits only on the
// kinds of resource they can apply to.
func TestTableInvariants(t *testing.T) {
	const allKeys = s3actions.KeySet(1)<<s3actions.NumKeys - 1
	seen := map[string]int{}
	creates := 0
	for i := range s3actions.Count {
		a := s3actions.At(i)
		lower := strings.ToLower(a.Name)
		if j, dup := seen[lower]; dup {
			t.Errorf("%s: rows %d and %d have the same name", a.Name, j, i)
		}
		seen[lower] = i
		if i > 0 {
			assert.Less(t, strings.ToLower(s3actions.At(i-1).Name), lower, "the table is not sorted at %d", i)
		}
		assert.True(t, strings.HasPrefix(a.Name, "s3:"), "%q lacks the s3: prefix", a.Name)
		assert.GreaterOrEqual(t, len(a.Name), 11, "%s: the lookup's hash reads eight bytes after the prefix", a.Name)
		assert.NotContains(t, a.Name[3:], ":", a.Name)
		assert.NotContains(t, a.Name, "*", a.Name)
		assert.Contains(t, []s3actions.Resource{s3actions.ResourceNone, s3actions.ResourceBucket, s3actions.ResourceObject, s3actions.ResourceOther}, a.Resource, a.Name)
		assert.Zero(t, a.Keys&^allKeys, "%s: keys outside the NumKeys bits", a.Name)

		assert.LessOrEqual(t, a.BucketACL, s3actions.PermWriteACP, a.Name)
		assert.LessOrEqual(t, a.ObjectACL, s3actions.PermWriteACP, a.Name)
		if a.BucketACL != s3actions.PermNone {
			// A bucket ACL grants bucket actions, and the object actions
			// the bucket's WRITE governs.
			assert.True(t, a.Resource == s3actions.ResourceBucket || a.Resource == s3actions.ResourceObject && a.BucketACL == s3actions.PermWrite, "%s: bucket ACL permission on a %d action", a.Name, a.Resource)
		}
		if a.ObjectACL != s3actions.PermNone {
			assert.Equal(t, s3actions.ResourceObject, a.Resource, "%s: object ACL permission on a non-object action", a.Name)
			assert.Equal(t, s3actions.PermNone, a.BucketACL, "%s: granted by both ACLs", a.Name)
		}
		if a.Has(s3actions.OwnerGrantOnly) {
			assert.Equal(t, s3actions.PermWrite, a.BucketACL, "%s: an owner-only grant is a bucket WRITE", a.Name)
		}
		if a.Has(s3actions.BucketOwnerMay) {
			assert.Equal(t, s3actions.ResourceObject, a.Resource, "%s: the bucket owner's powers are over objects", a.Name)
		}
		// An action stores an ACL exactly when WRITE_ACP grants it, and
		// its request may carry the ACL in headers.
		setsACL := a.BucketACL == s3actions.PermWriteACP || a.ObjectACL == s3actions.PermWriteACP
		assert.Equal(t, setsACL, a.Has(s3actions.SetsACL), "%s: SetsACL and WRITE_ACP disagree", a.Name)
		if setsACL {
			assert.NotZero(t, a.Keys&s3actions.KeyACL, "%s: stores an ACL without s3:x-amz-acl", a.Name)
		}
		if a.Has(s3actions.SetsBucketPolicy) {
			assert.True(t, a.Has(s3actions.BucketPolicyAccess), "%s: setting the bucket policy is bucket policy access", a.Name)
		}
		if a.Has(s3actions.BucketPolicyAccess) || a.Has(s3actions.CreatesBucket) {
			assert.Equal(t, s3actions.ResourceBucket, a.Resource, a.Name)
		}
		if a.Has(s3actions.CreatesBucket) {
			creates++
		}
	}
	assert.Equal(t, 1, creates, "one action creates a bucket")
}

// aclOverview is the permission to action table of the S3 ACL overview,
// as package acl documents it: which permission grants each action on a
// bucket ACL and on an object ACL.
var aclOverview = []struct {
	action    string
	bucket    bool
	perm      s3actions.Permission
	ownerOnly bool
}{
	{"s3:ListBucket", true, s3actions.PermRead, false},
	{"s3:ListBucketVersions", true, s3actions.PermRead, false},
	{"s3:ListBucketMultipartUploads", true, s3actions.PermRead, false},
	{"s3:PutObject", true, s3actions.PermWrite, false},
	{"s3:DeleteObject", true, s3actions.PermWrite, false},
	{"s3:DeleteObjectVersion", true, s3actions.PermWrite, true},
	{"s3:GetBucketAcl", true, s3actions.PermReadACP, false},
	{"s3:PutBucketAcl", true, s3actions.PermWriteACP, false},
	{"s3:GetObject", false, s3actions.PermRead, false},
	{"s3:GetObjectVersion", false, s3actions.PermRead, false},
	{"s3:GetObjectTorrent", false, s3actions.PermRead, false},
	{"s3:GetObjectAcl", false, s3actions.PermReadACP, false},
	{"s3:GetObjectVersionAcl", false, s3actions.PermReadACP, false},
	{"s3:PutObjectAcl", false, s3actions.PermWriteACP, false},
	{"s3:PutObjectVersionAcl", false, s3actions.PermWriteACP, false},
}

// TestACLOverview checks that each row of the ACL overview names an action
// of the table and that the table's ACL columns are exactly the overview.
func TestACLOverview(t *testing.T) {
	var bucket, object [s3actions.Count]s3actions.Permission
	var ownerOnly [s3actions.Count]bool
	for _, row := range aclOverview {
		i, ok := s3actions.Lookup(row.action)
		require.True(t, ok, "%s is not an action of the table", row.action)
		require.Equal(t, row.action, s3actions.At(i).Name, "canonical spelling")
		if row.bucket {
			bucket[i] = row.perm
		} else {
			object[i] = row.perm
		}
		ownerOnly[i] = row.ownerOnly
	}
	for i := range s3actions.Count {
		a := s3actions.At(i)
		assert.Equal(t, bucket[i], a.BucketACL, "%s: bucket ACL permission", a.Name)
		assert.Equal(t, object[i], a.ObjectACL, "%s: object ACL permission", a.Name)
		assert.Equal(t, ownerOnly[i], a.Has(s3actions.OwnerGrantOnly), "%s: owner-only grant", a.Name)
	}
}

// TestTraits checks each trait against the actions the rules name.
func TestTraits(t *testing.T) {
	want := map[s3actions.Trait][]string{
		s3actions.BucketOwnerMay:     {"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:RestoreObject"},
		s3actions.OwnerGrantOnly:     {"s3:DeleteObjectVersion"},
		s3actions.SetsACL:            {"s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"},
		s3actions.BucketPolicyAccess: {"s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"},
		s3actions.SetsBucketPolicy:   {"s3:PutBucketPolicy"},
		s3actions.CreatesBucket:      {"s3:CreateBucket"},
	}
	var all s3actions.Trait
	for trait, names := range want {
		all |= trait
		var got []string
		for i := range s3actions.Count {
			if a := s3actions.At(i); a.Has(trait) {
				got = append(got, a.Name)
			}
		}
		assert.Equal(t, names, got, "trait %#x", trait)
	}
	for i := range s3actions.Count {
		a := s3actions.At(i)
		assert.Zero(t, a.Traits&^all, "%s: a trait without a rule", a.Name)
	}
	var zero s3actions.Action
	assert.True(t, zero.Has(0))
	assert.False(t, zero.Has(s3actions.SetsACL))
}

func TestLookup(t *testing.T) {
	for i := range s3actions.Count {
		name := s3actions.At(i).Name
		for _, q := range []string{name, strings.ToLower(name), strings.ToUpper(name)} {
			got, ok := s3actions.Lookup(q)
			require.True(t, ok, q)
			require.Equal(t, i, got, q)
		}
		for _, q := range []string{name + "x", name[:len(name)-1], " " + name, name + " ", "s4" + name[2:], "s3" + name[3:]} {
			got, ok := s3actions.Lookup(q)
			assert.False(t, ok, "%q", q)
			assert.Zero(t, got, "%q", q)
		}
	}
	for _, q := range []string{"", "s", "s3", "s3:", "s3:*", "s3:Get*", "GetObject", "ec2:GetObject", "s3express:CreateSession",
		"\u017f3:GetObject", "s3:ListAllMyBucket\u017f", "s3:GETOBJECT\x00", "s3:GetObjec\u212a"} {
		_, ok := s3actions.Lookup(q)
		assert.False(t, ok, "%q", q)
	}
}

// TestLookupAllocs pins Lookup, on the path of every evaluation and ACL
// check, to no allocation for a hit, a miss and a foreign name.
func TestLookupAllocs(t *testing.T) {
	var sink int
	for _, q := range []string{"S3:GetObjectVersionTagging", "s3:NoSuchAction", "ec2:RunInstances", "s3:deleteobjectversion"} {
		assert.Zero(t, testing.AllocsPerRun(1000, func() {
			sink, _ = s3actions.Lookup(q)
		}), q)
	}
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		a := s3actions.At(sink)
		if a.Has(s3actions.SetsACL) {
			sink++
		}
	}), "At")
	_ = sink
}

func BenchmarkLookup(b *testing.B) {
	names := []string{"s3:GetObject", "S3:LISTBUCKET", "s3:UpdateStorageLensGroup", "s3:Nope"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s3actions.Lookup(names[i%len(names)])
		i++
	}
}

// TestLevels pins the access level of well-known rows of the Service
// Authorization Reference, and checks that every row has one.
func TestLevels(t *testing.T) {
	for i := range s3actions.Count {
		a := s3actions.At(i)
		assert.True(t, a.Level >= s3actions.LevelList && a.Level <= s3actions.LevelTagging, "%s: no access level", a.Name)
	}
	tests := []struct {
		name  string
		level s3actions.Level
	}{
		{name: "s3:GetObject", level: s3actions.LevelRead},
		{name: "s3:ListBucket", level: s3actions.LevelList},
		{name: "s3:ListAllMyBuckets", level: s3actions.LevelList},
		{name: "s3:PutObject", level: s3actions.LevelWrite},
		{name: "s3:DeleteObject", level: s3actions.LevelWrite},
		{name: "s3:PutBucketPolicy", level: s3actions.LevelPermissions},
		{name: "s3:PutBucketAcl", level: s3actions.LevelPermissions},
		{name: "s3:PutObjectAcl", level: s3actions.LevelPermissions},
		{name: "s3:PutObjectTagging", level: s3actions.LevelTagging},
		{name: "s3:PutBucketTagging", level: s3actions.LevelTagging},
		{name: "s3:GetObjectAcl", level: s3actions.LevelRead},
		{name: "s3:GetBucketPolicy", level: s3actions.LevelRead},
		{name: "s3:GetObjectTagging", level: s3actions.LevelRead},
	}
	for _, tt := range tests {
		i, ok := s3actions.Lookup(tt.name)
		require.True(t, ok, tt.name)
		assert.Equal(t, tt.level, s3actions.At(i).Level, tt.name)
	}
}
