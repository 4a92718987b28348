package policy

import "strconv"

// ResourceType is the kind of resource an S3 action applies to. The zero
// value is ResourceUnknown.
type ResourceType uint8

const (
	// ResourceUnknown marks a name that is not an S3 action in the catalog.
	ResourceUnknown ResourceType = iota
	// ResourceNone marks an action without resource-level permission: it is
	// granted with "Resource": "*" (for example s3:ListAllMyBuckets).
	ResourceNone
	// ResourceBucket marks an action on a bucket, arn:PARTITION:s3:::BUCKET
	// (or, for some actions, an access point used in place of the bucket).
	ResourceBucket
	// ResourceObject marks an action on an object, arn:PARTITION:s3:::BUCKET/KEY
	// (or, for some actions, an object reached through an access point).
	ResourceObject
	// ResourceOther marks an action on another S3 resource: access points,
	// batch jobs, Storage Lens, Access Grants, multi-region and object-lambda
	// access points.
	ResourceOther
)

// String returns the lower-case name of r ("unknown", "none", "bucket",
// "object" or "other"), or "ResourceType(N)" for a value out of range.
func (r ResourceType) String() string {
	switch r {
	case ResourceUnknown:
		return "unknown"
	case ResourceNone:
		return "none"
	case ResourceBucket:
		return "bucket"
	case ResourceObject:
		return "object"
	case ResourceOther:
		return "other"
	}
	return "ResourceType(" + strconv.Itoa(int(r)) + ")"
}

// ActionInfo describes one S3 action of the catalog.
type ActionInfo struct {
	// Name is the canonical spelling of the action with its prefix, for
	// example "s3:GetObject".
	Name string
	// Resource is the kind of resource the action applies to.
	Resource ResourceType
}

// actionTable is the S3 action catalog of the Service Authorization
// Reference (the core bucket, object and account actions, and the access
// point, batch job, Storage Lens and Access Grants families; s3express
// actions are out of scope). It is sorted by lower-case name, which
// LookupAction relies on, and is never modified.
//
// Resource mapping: "object" and "object/ap-object" → ResourceObject;
// "bucket" and "bucket/accesspoint" → ResourceBucket; "accesspoint" →
// ResourceOther; "none → *" → ResourceNone. Of the other families only
// s3:CreateJob and s3:ListJobs are documented as having no resource type;
// the rest are ResourceOther.
var actionTable = [...]ActionInfo{
	{"s3:AbortMultipartUpload", ResourceObject},
	{"s3:AssociateAccessGrantsIdentityCenter", ResourceOther},
	{"s3:BypassGovernanceRetention", ResourceObject},
	{"s3:CreateAccessGrant", ResourceOther},
	{"s3:CreateAccessGrantsInstance", ResourceOther},
	{"s3:CreateAccessGrantsLocation", ResourceOther},
	{"s3:CreateAccessPoint", ResourceOther},
	{"s3:CreateAccessPointForObjectLambda", ResourceOther},
	{"s3:CreateBucket", ResourceBucket},
	{"s3:CreateBucketMetadataTableConfiguration", ResourceBucket},
	{"s3:CreateJob", ResourceNone},
	{"s3:CreateMultiRegionAccessPoint", ResourceOther},
	{"s3:CreateStorageLensGroup", ResourceOther},
	{"s3:DeleteAccessGrant", ResourceOther},
	{"s3:DeleteAccessGrantsInstance", ResourceOther},
	{"s3:DeleteAccessGrantsInstanceResourcePolicy", ResourceOther},
	{"s3:DeleteAccessGrantsLocation", ResourceOther},
	{"s3:DeleteAccessPoint", ResourceOther},
	{"s3:DeleteAccessPointForObjectLambda", ResourceOther},
	{"s3:DeleteAccessPointPolicy", ResourceOther},
	{"s3:DeleteAccessPointPolicyForObjectLambda", ResourceOther},
	{"s3:DeleteBucket", ResourceBucket},
	{"s3:DeleteBucketMetadataTableConfiguration", ResourceBucket},
	{"s3:DeleteBucketPolicy", ResourceBucket},
	{"s3:DeleteBucketWebsite", ResourceBucket},
	{"s3:DeleteJobTagging", ResourceOther},
	{"s3:DeleteMultiRegionAccessPoint", ResourceOther},
	{"s3:DeleteObject", ResourceObject},
	{"s3:DeleteObjectTagging", ResourceObject},
	{"s3:DeleteObjectVersion", ResourceObject},
	{"s3:DeleteObjectVersionTagging", ResourceObject},
	{"s3:DeleteStorageLensConfiguration", ResourceOther},
	{"s3:DeleteStorageLensConfigurationTagging", ResourceOther},
	{"s3:DeleteStorageLensGroup", ResourceOther},
	{"s3:DescribeJob", ResourceOther},
	{"s3:DescribeMultiRegionAccessPointOperation", ResourceOther},
	{"s3:DissociateAccessGrantsIdentityCenter", ResourceOther},
	{"s3:GetAccelerateConfiguration", ResourceBucket},
	{"s3:GetAccessGrant", ResourceOther},
	{"s3:GetAccessGrantsInstance", ResourceOther},
	{"s3:GetAccessGrantsInstanceForPrefix", ResourceOther},
	{"s3:GetAccessGrantsInstanceResourcePolicy", ResourceOther},
	{"s3:GetAccessGrantsLocation", ResourceOther},
	{"s3:GetAccessPoint", ResourceNone},
	{"s3:GetAccessPointConfigurationForObjectLambda", ResourceOther},
	{"s3:GetAccessPointForObjectLambda", ResourceOther},
	{"s3:GetAccessPointPolicy", ResourceOther},
	{"s3:GetAccessPointPolicyForObjectLambda", ResourceOther},
	{"s3:GetAccessPointPolicyStatus", ResourceOther},
	{"s3:GetAccessPointPolicyStatusForObjectLambda", ResourceOther},
	{"s3:GetAccountPublicAccessBlock", ResourceNone},
	{"s3:GetAnalyticsConfiguration", ResourceBucket},
	{"s3:GetBucketAbac", ResourceBucket},
	{"s3:GetBucketAcl", ResourceBucket},
	{"s3:GetBucketCORS", ResourceBucket},
	{"s3:GetBucketLocation", ResourceBucket},
	{"s3:GetBucketLogging", ResourceBucket},
	{"s3:GetBucketMetadataTableConfiguration", ResourceBucket},
	{"s3:GetBucketNotification", ResourceBucket},
	{"s3:GetBucketObjectLockConfiguration", ResourceBucket},
	{"s3:GetBucketOwnershipControls", ResourceBucket},
	{"s3:GetBucketPolicy", ResourceBucket},
	{"s3:GetBucketPolicyStatus", ResourceBucket},
	{"s3:GetBucketPublicAccessBlock", ResourceBucket},
	{"s3:GetBucketRequestPayment", ResourceBucket},
	{"s3:GetBucketTagging", ResourceBucket},
	{"s3:GetBucketVersioning", ResourceBucket},
	{"s3:GetBucketWebsite", ResourceBucket},
	{"s3:GetDataAccess", ResourceOther},
	{"s3:GetEncryptionConfiguration", ResourceBucket},
	{"s3:GetIntelligentTieringConfiguration", ResourceBucket},
	{"s3:GetInventoryConfiguration", ResourceBucket},
	{"s3:GetJobTagging", ResourceOther},
	{"s3:GetLifecycleConfiguration", ResourceBucket},
	{"s3:GetMetricsConfiguration", ResourceBucket},
	{"s3:GetMultiRegionAccessPoint", ResourceOther},
	{"s3:GetMultiRegionAccessPointPolicy", ResourceOther},
	{"s3:GetMultiRegionAccessPointPolicyStatus", ResourceOther},
	{"s3:GetMultiRegionAccessPointRoutes", ResourceOther},
	{"s3:GetObject", ResourceObject},
	{"s3:GetObjectAcl", ResourceObject},
	{"s3:GetObjectAttributes", ResourceObject},
	{"s3:GetObjectLegalHold", ResourceObject},
	{"s3:GetObjectRetention", ResourceObject},
	{"s3:GetObjectTagging", ResourceObject},
	{"s3:GetObjectTorrent", ResourceObject},
	{"s3:GetObjectVersion", ResourceObject},
	{"s3:GetObjectVersionAcl", ResourceObject},
	{"s3:GetObjectVersionAttributes", ResourceObject},
	{"s3:GetObjectVersionForReplication", ResourceObject},
	{"s3:GetObjectVersionTagging", ResourceObject},
	{"s3:GetObjectVersionTorrent", ResourceObject},
	{"s3:GetReplicationConfiguration", ResourceBucket},
	{"s3:GetStorageLensConfiguration", ResourceOther},
	{"s3:GetStorageLensConfigurationTagging", ResourceOther},
	{"s3:GetStorageLensDashboard", ResourceOther},
	{"s3:GetStorageLensGroup", ResourceOther},
	{"s3:InitiateReplication", ResourceObject},
	{"s3:ListAccessGrants", ResourceOther},
	{"s3:ListAccessGrantsInstances", ResourceOther},
	{"s3:ListAccessGrantsLocations", ResourceOther},
	{"s3:ListAccessPoints", ResourceNone},
	{"s3:ListAccessPointsForObjectLambda", ResourceOther},
	{"s3:ListAllMyBuckets", ResourceNone},
	{"s3:ListBucket", ResourceBucket},
	{"s3:ListBucketMultipartUploads", ResourceBucket},
	{"s3:ListBucketVersions", ResourceBucket},
	{"s3:ListCallerAccessGrants", ResourceOther},
	{"s3:ListJobs", ResourceNone},
	{"s3:ListMultipartUploadParts", ResourceObject},
	{"s3:ListMultiRegionAccessPoints", ResourceOther},
	{"s3:ListStorageLensConfigurations", ResourceOther},
	{"s3:ListStorageLensGroups", ResourceOther},
	{"s3:ListTagsForResource", ResourceOther},
	{"s3:ObjectOwnerOverrideToBucketOwner", ResourceObject},
	{"s3:PauseReplication", ResourceBucket},
	{"s3:PutAccelerateConfiguration", ResourceBucket},
	{"s3:PutAccessGrantsInstanceResourcePolicy", ResourceOther},
	{"s3:PutAccessPointConfigurationForObjectLambda", ResourceOther},
	{"s3:PutAccessPointPolicy", ResourceOther},
	{"s3:PutAccessPointPolicyForObjectLambda", ResourceOther},
	{"s3:PutAccessPointPublicAccessBlock", ResourceNone},
	{"s3:PutAccountPublicAccessBlock", ResourceNone},
	{"s3:PutAnalyticsConfiguration", ResourceBucket},
	{"s3:PutBucketAbac", ResourceBucket},
	{"s3:PutBucketAcl", ResourceBucket},
	{"s3:PutBucketCORS", ResourceBucket},
	{"s3:PutBucketLogging", ResourceBucket},
	{"s3:PutBucketNotification", ResourceBucket},
	{"s3:PutBucketObjectLockConfiguration", ResourceBucket},
	{"s3:PutBucketOwnershipControls", ResourceBucket},
	{"s3:PutBucketPolicy", ResourceBucket},
	{"s3:PutBucketPublicAccessBlock", ResourceBucket},
	{"s3:PutBucketRequestPayment", ResourceBucket},
	{"s3:PutBucketTagging", ResourceBucket},
	{"s3:PutBucketVersioning", ResourceBucket},
	{"s3:PutBucketWebsite", ResourceBucket},
	{"s3:PutEncryptionConfiguration", ResourceBucket},
	{"s3:PutIntelligentTieringConfiguration", ResourceBucket},
	{"s3:PutInventoryConfiguration", ResourceBucket},
	{"s3:PutJobTagging", ResourceOther},
	{"s3:PutLifecycleConfiguration", ResourceBucket},
	{"s3:PutMetricsConfiguration", ResourceBucket},
	{"s3:PutMultiRegionAccessPointPolicy", ResourceOther},
	{"s3:PutObject", ResourceObject},
	{"s3:PutObjectAcl", ResourceObject},
	{"s3:PutObjectLegalHold", ResourceObject},
	{"s3:PutObjectRetention", ResourceObject},
	{"s3:PutObjectTagging", ResourceObject},
	{"s3:PutObjectVersionAcl", ResourceObject},
	{"s3:PutObjectVersionTagging", ResourceObject},
	{"s3:PutReplicationConfiguration", ResourceBucket},
	{"s3:PutStorageLensConfiguration", ResourceOther},
	{"s3:PutStorageLensConfigurationTagging", ResourceOther},
	{"s3:ReplicateDelete", ResourceObject},
	{"s3:ReplicateObject", ResourceObject},
	{"s3:ReplicateTags", ResourceObject},
	{"s3:RestoreObject", ResourceObject},
	{"s3:SubmitMultiRegionAccessPointRoutes", ResourceOther},
	{"s3:TagResource", ResourceOther},
	{"s3:UntagResource", ResourceOther},
	{"s3:UpdateAccessGrantsLocation", ResourceOther},
	{"s3:UpdateBucketMetadataInventoryTableConfiguration", ResourceBucket},
	{"s3:UpdateBucketMetadataJournalTableConfiguration", ResourceBucket},
	{"s3:UpdateJobPriority", ResourceOther},
	{"s3:UpdateJobStatus", ResourceOther},
	{"s3:UpdateObjectEncryption", ResourceObject},
	{"s3:UpdateStorageLensGroup", ResourceOther},
}

// LookupAction finds the action called name, ignoring ASCII case, so that
// "S3:getobject" finds s3:GetObject. The name must carry the "s3:" prefix;
// any other name, and any name not in the catalog, yields (ActionInfo{},
// false). LookupAction does not allocate.
func LookupAction(name string) (ActionInfo, bool) {
	if len(name) < 3 || lowerASCII(name[0]) != 's' || name[1] != '3' || name[2] != ':' {
		return ActionInfo{}, false
	}
	lo, hi := 0, len(actionTable)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := compareFold(name, actionTable[mid].Name); {
		case c == 0:
			return actionTable[mid], true
		case c > 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return ActionInfo{}, false
}

// Actions returns the whole catalog sorted by name, ignoring case. The caller
// owns the returned slice.
func Actions() []ActionInfo {
	out := make([]ActionInfo, len(actionTable))
	copy(out, actionTable[:])
	return out
}

// compareFold compares a and b byte by byte with ASCII letters folded to lower
// case and returns -1, 0 or +1.
func compareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := lowerASCII(a[i]), lowerASCII(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// lowerASCII folds an ASCII upper-case letter to lower case and returns any
// other byte unchanged.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}
