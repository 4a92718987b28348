package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/policy"
)

func TestLookupAction(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		want   string
		res    policy.ResourceType
		wantOK bool
	}{
		{"object upper case", "S3:GETOBJECT", "s3:GetObject", policy.ResourceObject, true},
		{"object mixed case prefix", "S3:getobject", "s3:GetObject", policy.ResourceObject, true},
		{"object canonical", "s3:PutObject", "s3:PutObject", policy.ResourceObject, true},
		{"object only", "s3:GetObjectTorrent", "s3:GetObjectTorrent", policy.ResourceObject, true},
		{"none lower case", "s3:listallmybuckets", "s3:ListAllMyBuckets", policy.ResourceNone, true},
		{"none account bpa", "s3:PutAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock", policy.ResourceNone, true},
		{"bucket", "s3:ListBucket", "s3:ListBucket", policy.ResourceBucket, true},
		{"bucket only", "s3:CreateBucket", "s3:CreateBucket", policy.ResourceBucket, true},
		{"bucket acronym", "s3:getbucketcors", "s3:GetBucketCORS", policy.ResourceBucket, true},
		{"other access point", "s3:CreateAccessPoint", "s3:CreateAccessPoint", policy.ResourceOther, true},
		{"other family", "s3:GetStorageLensDashboard", "s3:GetStorageLensDashboard", policy.ResourceOther, true},
		{"other tagging", "s3:TagResource", "s3:TagResource", policy.ResourceOther, true},
		{"none job", "s3:CreateJob", "s3:CreateJob", policy.ResourceNone, true},
		{"none list jobs", "s3:LISTJOBS", "s3:ListJobs", policy.ResourceNone, true},
		{"first entry", "s3:AbortMultipartUpload", "s3:AbortMultipartUpload", policy.ResourceObject, true},
		{"last entry", "s3:UpdateStorageLensGroup", "s3:UpdateStorageLensGroup", policy.ResourceOther, true},
		{"unknown action", "s3:Nope", "", policy.ResourceUnknown, false},
		{"bare prefix", "s3:", "", policy.ResourceUnknown, false},
		{"no prefix", "GetObject", "", policy.ResourceUnknown, false},
		{"other service", "ec2:GetObject", "", policy.ResourceUnknown, false},
		{"empty", "", "", policy.ResourceUnknown, false},
		{"longer name", "s3:GetObject2", "", policy.ResourceUnknown, false},
		{"shorter name", "s3:GetObjec", "", policy.ResourceUnknown, false},
		{"short input", "s3", "", policy.ResourceUnknown, false},
		{"s3express", "s3express:CreateSession", "", policy.ResourceUnknown, false},
		{"wildcard", "s3:Get*", "", policy.ResourceUnknown, false},
		{"leading space", " s3:GetObject", "", policy.ResourceUnknown, false},
		{"trailing space", "s3:GetObject ", "", policy.ResourceUnknown, false},
		{"non-ASCII prefix fold", "\u017f3:GetObject", "", policy.ResourceUnknown, false},
		{"non-ASCII name fold", "s3:ListAllMyBucket\u017f", "", policy.ResourceUnknown, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := policy.LookupAction(tt.query)
			require.Equal(t, tt.wantOK, ok)
			if !ok {
				assert.Equal(t, policy.ActionInfo{}, got)
				return
			}
			assert.Equal(t, tt.want, got.Name)
			assert.Equal(t, tt.res, got.Resource)
			assert.Equal(t, got, policy.Actions()[got.Index], "Index is the position in the catalog")
		})
	}
}

// TestActionIndex checks that every catalog entry's Index is its position,
// and that the hash lookup finds every entry in any case.
func TestActionIndex(t *testing.T) {
	all := policy.Actions()
	require.Len(t, all, policy.NumActions)
	for i, a := range all {
		require.Equal(t, i, a.Index, a.Name)
		for _, q := range []string{a.Name, strings.ToLower(a.Name), strings.ToUpper(a.Name)} {
			got, ok := policy.LookupAction(q)
			require.True(t, ok, q)
			require.Equal(t, a, got, q)
		}
		_, ok := policy.LookupAction(a.Name + "x")
		require.False(t, ok, a.Name+"x")
	}
}

// specCoreTable is the Action and Resource columns of the Service Authorization
// Reference table for S3, in the table's order.
var specCoreTable = []struct {
	action   string
	resource string
}{
	{"AbortMultipartUpload", "object/ap-object"},
	{"BypassGovernanceRetention", "object/ap-object"},
	{"CreateAccessPoint", "accesspoint"},
	{"CreateBucket", "bucket"},
	{"CreateBucketMetadataTableConfiguration", "bucket"},
	{"DeleteAccessPoint", "accesspoint"},
	{"DeleteAccessPointPolicy", "accesspoint"},
	{"DeleteBucket", "bucket"},
	{"DeleteBucketMetadataTableConfiguration", "bucket"},
	{"DeleteBucketPolicy", "bucket"},
	{"DeleteBucketWebsite", "bucket"},
	{"DeleteObject", "object/ap-object"},
	{"DeleteObjectTagging", "object/ap-object"},
	{"DeleteObjectVersion", "object/ap-object"},
	{"DeleteObjectVersionTagging", "object/ap-object"},
	{"GetAccelerateConfiguration", "bucket"},
	{"GetAccessPoint", "none → *"},
	{"GetAccessPointPolicy", "accesspoint"},
	{"GetAccessPointPolicyStatus", "accesspoint"},
	{"GetAccountPublicAccessBlock", "none → *"},
	{"GetAnalyticsConfiguration", "bucket"},
	{"GetBucketAbac", "bucket"},
	{"GetBucketAcl", "bucket/accesspoint"},
	{"GetBucketCORS", "bucket/accesspoint"},
	{"GetBucketLocation", "bucket/accesspoint"},
	{"GetBucketLogging", "bucket"},
	{"GetBucketMetadataTableConfiguration", "bucket"},
	{"GetBucketNotification", "bucket/accesspoint"},
	{"GetBucketObjectLockConfiguration", "bucket"},
	{"GetBucketOwnershipControls", "bucket"},
	{"GetBucketPolicy", "bucket/accesspoint"},
	{"GetBucketPolicyStatus", "bucket"},
	{"GetBucketPublicAccessBlock", "bucket"},
	{"GetBucketRequestPayment", "bucket"},
	{"GetBucketTagging", "bucket"},
	{"GetBucketVersioning", "bucket"},
	{"GetBucketWebsite", "bucket"},
	{"GetEncryptionConfiguration", "bucket"},
	{"GetIntelligentTieringConfiguration", "bucket"},
	{"GetInventoryConfiguration", "bucket"},
	{"GetLifecycleConfiguration", "bucket"},
	{"GetMetricsConfiguration", "bucket"},
	{"GetObject", "object/ap-object"},
	{"GetObjectAcl", "object/ap-object"},
	{"GetObjectAttributes", "object/ap-object"},
	{"GetObjectLegalHold", "object/ap-object"},
	{"GetObjectRetention", "object/ap-object"},
	{"GetObjectTagging", "object/ap-object"},
	{"GetObjectTorrent", "object"},
	{"GetObjectVersion", "object/ap-object"},
	{"GetObjectVersionAcl", "object/ap-object"},
	{"GetObjectVersionAttributes", "object/ap-object"},
	{"GetObjectVersionForReplication", "object"},
	{"GetObjectVersionTagging", "object/ap-object"},
	{"GetObjectVersionTorrent", "object"},
	{"GetReplicationConfiguration", "bucket"},
	{"InitiateReplication", "object"},
	{"ListAccessPoints", "none → *"},
	{"ListAllMyBuckets", "none → *"},
	{"ListBucket", "bucket/accesspoint"},
	{"ListBucketMultipartUploads", "bucket"},
	{"ListBucketVersions", "bucket/accesspoint"},
	{"ListMultipartUploadParts", "object/ap-object"},
	{"ObjectOwnerOverrideToBucketOwner", "object"},
	{"PauseReplication", "bucket"},
	{"PutAccelerateConfiguration", "bucket"},
	{"PutAccessPointPolicy", "accesspoint"},
	{"PutAccessPointPublicAccessBlock", "none → *"},
	{"PutAccountPublicAccessBlock", "none → *"},
	{"PutAnalyticsConfiguration", "bucket"},
	{"PutBucketAbac", "bucket"},
	{"PutBucketAcl", "bucket"},
	{"PutBucketCORS", "bucket"},
	{"PutBucketLogging", "bucket"},
	{"PutBucketNotification", "bucket"},
	{"PutBucketObjectLockConfiguration", "bucket"},
	{"PutBucketOwnershipControls", "bucket"},
	{"PutBucketPolicy", "bucket"},
	{"PutBucketPublicAccessBlock", "bucket"},
	{"PutBucketRequestPayment", "bucket"},
	{"PutBucketTagging", "bucket"},
	{"PutBucketVersioning", "bucket"},
	{"PutBucketWebsite", "bucket"},
	{"PutEncryptionConfiguration", "bucket"},
	{"PutIntelligentTieringConfiguration", "bucket"},
	{"PutInventoryConfiguration", "bucket"},
	{"PutLifecycleConfiguration", "bucket"},
	{"PutMetricsConfiguration", "bucket"},
	{"PutObject", "object/ap-object"},
	{"PutObjectAcl", "object/ap-object"},
	{"PutObjectLegalHold", "object/ap-object"},
	{"PutObjectRetention", "object/ap-object"},
	{"PutObjectTagging", "object/ap-object"},
	{"PutObjectVersionAcl", "object/ap-object"},
	{"PutObjectVersionTagging", "object/ap-object"},
	{"PutReplicationConfiguration", "bucket"},
	{"ReplicateDelete", "object"},
	{"ReplicateObject", "object"},
	{"ReplicateTags", "object"},
	{"RestoreObject", "object/ap-object"},
	{"UpdateBucketMetadataInventoryTableConfiguration", "bucket"},
	{"UpdateBucketMetadataJournalTableConfiguration", "bucket"},
	{"UpdateObjectEncryption", "object/ap-object"},
}

// specOtherFamilies lists the other S3 action families (access points, jobs, ...).
var specOtherFamilies = []string{
	"AssociateAccessGrantsIdentityCenter", "CreateAccessGrant",
	"CreateAccessGrantsInstance", "CreateAccessGrantsLocation",
	"CreateAccessPointForObjectLambda", "CreateJob", "CreateMultiRegionAccessPoint",
	"CreateStorageLensGroup", "DeleteAccessGrant", "DeleteAccessGrantsInstance",
	"DeleteAccessGrantsInstanceResourcePolicy", "DeleteAccessGrantsLocation",
	"DeleteAccessPointForObjectLambda", "DeleteAccessPointPolicyForObjectLambda",
	"DeleteJobTagging", "DeleteMultiRegionAccessPoint", "DeleteStorageLensConfiguration",
	"DeleteStorageLensConfigurationTagging", "DeleteStorageLensGroup", "DescribeJob",
	"DescribeMultiRegionAccessPointOperation", "DissociateAccessGrantsIdentityCenter",
	"GetAccessGrant", "GetAccessGrantsInstance", "GetAccessGrantsInstanceForPrefix",
	"GetAccessGrantsInstanceResourcePolicy", "GetAccessGrantsLocation",
	"GetAccessPointConfigurationForObjectLambda", "GetAccessPointForObjectLambda",
	"GetAccessPointPolicyForObjectLambda", "GetAccessPointPolicyStatusForObjectLambda",
	"GetDataAccess", "GetJobTagging", "GetMultiRegionAccessPoint",
	"GetMultiRegionAccessPointPolicy", "GetMultiRegionAccessPointPolicyStatus",
	"GetMultiRegionAccessPointRoutes", "GetStorageLensConfiguration",
	"GetStorageLensConfigurationTagging", "GetStorageLensDashboard", "GetStorageLensGroup",
	"ListAccessGrants", "ListAccessGrantsInstances", "ListAccessGrantsLocations",
	"ListAccessPointsForObjectLambda", "ListCallerAccessGrants", "ListJobs",
	"ListMultiRegionAccessPoints", "ListStorageLensConfigurations", "ListStorageLensGroups",
	"ListTagsForResource", "PutAccessGrantsInstanceResourcePolicy",
	"PutAccessPointConfigurationForObjectLambda", "PutAccessPointPolicyForObjectLambda",
	"PutJobTagging", "PutMultiRegionAccessPointPolicy", "PutStorageLensConfiguration",
	"PutStorageLensConfigurationTagging", "SubmitMultiRegionAccessPointRoutes",
	"TagResource", "UntagResource", "UpdateAccessGrantsLocation", "UpdateJobPriority",
	"UpdateJobStatus", "UpdateStorageLensGroup",
}

func TestCatalogCoreTable(t *testing.T) {
	columnToType := map[string]policy.ResourceType{
		"object":             policy.ResourceObject,
		"object/ap-object":   policy.ResourceObject,
		"bucket":             policy.ResourceBucket,
		"bucket/accesspoint": policy.ResourceBucket,
		"accesspoint":        policy.ResourceOther,
		"none → *":           policy.ResourceNone,
	}
	require.Len(t, specCoreTable, 103)
	for _, row := range specCoreTable {
		want, ok := columnToType[row.resource]
		require.True(t, ok, "unexpected resource column %q for %s", row.resource, row.action)
		name := "s3:" + row.action
		got, ok := policy.LookupAction(name)
		if assert.True(t, ok, "%s missing from the catalog", name) {
			assert.Equal(t, name, got.Name)
			assert.Equal(t, want, got.Resource, "%s", name)
		}
	}
}

func TestCatalogOtherFamilies(t *testing.T) {
	noResource := map[string]bool{"CreateJob": true, "ListJobs": true}
	require.Len(t, specOtherFamilies, 65)
	for _, action := range specOtherFamilies {
		name := "s3:" + action
		want := policy.ResourceOther
		if noResource[action] {
			want = policy.ResourceNone
		}
		got, ok := policy.LookupAction(name)
		if assert.True(t, ok, "%s missing from the catalog", name) {
			assert.Equal(t, name, got.Name)
			assert.Equal(t, want, got.Resource, "%s", name)
		}
	}
}

func TestActions(t *testing.T) {
	all := policy.Actions()
	// The catalog is exactly the core table plus the other families.
	require.Len(t, all, len(specCoreTable)+len(specOtherFamilies))
	seen := make(map[string]bool, len(all))
	for i, a := range all {
		assert.True(t, strings.HasPrefix(a.Name, "s3:"), "%q lacks the s3: prefix", a.Name)
		assert.NotEqual(t, policy.ResourceUnknown, a.Resource, "%s", a.Name)
		lower := strings.ToLower(a.Name)
		assert.False(t, seen[lower], "duplicate %s", a.Name)
		seen[lower] = true
		if i > 0 {
			assert.Less(t, strings.ToLower(all[i-1].Name), lower, "catalog not sorted at %d", i)
		}
		got, ok := policy.LookupAction(a.Name)
		assert.True(t, ok, "%s not found", a.Name)
		assert.Equal(t, a, got)
	}

	// The caller owns the slice: changing it must not affect the catalog.
	want := policy.Actions()
	all[0] = policy.ActionInfo{Name: "s3:Changed", Resource: policy.ResourceUnknown}
	all[len(all)-1].Resource = policy.ResourceUnknown
	assert.Equal(t, want, policy.Actions())
	got, ok := policy.LookupAction(want[0].Name)
	assert.True(t, ok)
	assert.Equal(t, want[0], got)
	_, ok = policy.LookupAction("s3:Changed")
	assert.False(t, ok)
}

func TestLookupActionAllocs(t *testing.T) {
	var sink policy.ActionInfo
	hit := testing.AllocsPerRun(1000, func() {
		sink, _ = policy.LookupAction("S3:GetObjectVersionTagging")
	})
	assert.Zero(t, hit, "allocations on a hit")
	miss := testing.AllocsPerRun(1000, func() {
		sink, _ = policy.LookupAction("s3:NoSuchAction")
	})
	assert.Zero(t, miss, "allocations on a miss")
	badPrefix := testing.AllocsPerRun(1000, func() {
		sink, _ = policy.LookupAction("ec2:RunInstances")
	})
	assert.Zero(t, badPrefix, "allocations on a foreign name")
	_ = sink
}

func TestResourceTypeString(t *testing.T) {
	tests := []struct {
		r    policy.ResourceType
		want string
	}{
		{policy.ResourceUnknown, "unknown"},
		{policy.ResourceNone, "none"},
		{policy.ResourceBucket, "bucket"},
		{policy.ResourceObject, "object"},
		{policy.ResourceOther, "other"},
		{policy.ResourceType(5), "ResourceType(5)"},
		{policy.ResourceType(9), "ResourceType(9)"},
		{policy.ResourceType(255), "ResourceType(255)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.r.String())
			assert.Equal(t, tt.want, fmt.Sprint(tt.r))
		})
	}
	var zero policy.ResourceType
	assert.Equal(t, policy.ResourceUnknown, zero)
}

func ExampleLookupAction() {
	a, ok := policy.LookupAction("S3:getobject")
	fmt.Println(a.Name, a.Resource, ok)
	a, ok = policy.LookupAction("s3:ListAllMyBuckets")
	fmt.Println(a.Name, a.Resource, ok)
	_, ok = policy.LookupAction("s3:Nope")
	fmt.Println(ok)
	// Output:
	// s3:GetObject object true
	// s3:ListAllMyBuckets none true
	// false
}

func BenchmarkLookupAction(b *testing.B) {
	names := []string{"s3:GetObject", "S3:LISTBUCKET", "s3:UpdateStorageLensGroup", "s3:Nope"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		policy.LookupAction(names[i%len(names)])
		i++
	}
}
