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
	// Index is the action's position in the catalog, from 0 to
	// NumActions-1: a compact identity for tables and bit sets. It may
	// change from one release to the next as actions are added.
	Index int
}

// actionRow is one row of the catalog: the action and the per-action
// condition keys its row of the Service Authorization Reference lists
// (see HasConditionKey).
type actionRow struct {
	ActionInfo
	keys keySet
}

// NumActions is the number of actions in the catalog.
const NumActions = len(actionTable)

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
var actionTable = [...]actionRow{
	{ActionInfo{"s3:AbortMultipartUpload", ResourceObject, 0}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:AssociateAccessGrantsIdentityCenter", ResourceOther, 1}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:BypassGovernanceRetention", ResourceObject, 2}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kRequestObjectTag | kRequestObjectTagKeys | kACL | kCopySource | kGrantFullControl | kGrantRead | kGrantReadACP | kGrantWrite | kGrantWriteACP | kMetadataDirective | kServerSideEncryption | kServerSideEncryptionKMSKeyID | kServerSideEncryptionCustomerAlgorithm | kStorageClass | kWebsiteRedirectLocation},
	{ActionInfo{"s3:CreateAccessGrant", ResourceOther, 3}, s3Common | kRequestTag | kResourceTag | kTagKeys | kAccessGrantScope},
	{ActionInfo{"s3:CreateAccessGrantsInstance", ResourceOther, 4}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:CreateAccessGrantsLocation", ResourceOther, 5}, s3Common | kRequestTag | kResourceTag | kTagKeys | kAccessGrantsLocationScope},
	{ActionInfo{"s3:CreateAccessPoint", ResourceOther, 6}, s3Common | accessPointKeys | kRequestTag | kResourceTag | kTagKeys | kAccessPointTag | kLocationConstraint | kACL},
	{ActionInfo{"s3:CreateAccessPointForObjectLambda", ResourceOther, 7}, s3Common | accessPointKeys},
	{ActionInfo{"s3:CreateBucket", ResourceBucket, 8}, s3Common | kRequestTag | kResourceTag | kTagKeys | kBucketTag | kLocationConstraint | kACL | kBucketNamespace | kGrantFullControl | kGrantRead | kGrantReadACP | kGrantWrite | kGrantWriteACP | kObjectOwnership},
	{ActionInfo{"s3:CreateBucketMetadataTableConfiguration", ResourceBucket, 9}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:CreateJob", ResourceNone, 10}, s3Common | kRequestTag | kTagKeys | kRequestJobOperation | kRequestJobPriority},
	{ActionInfo{"s3:CreateMultiRegionAccessPoint", ResourceOther, 11}, accessPointKeys | kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:CreateStorageLensGroup", ResourceOther, 12}, s3Common | kRequestTag | kTagKeys},
	{ActionInfo{"s3:DeleteAccessGrant", ResourceOther, 13}, s3Common | kRequestTag | kResourceTag | kTagKeys | kAccessGrantScope},
	{ActionInfo{"s3:DeleteAccessGrantsInstance", ResourceOther, 14}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:DeleteAccessGrantsInstanceResourcePolicy", ResourceOther, 15}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:DeleteAccessGrantsLocation", ResourceOther, 16}, s3Common | kRequestTag | kResourceTag | kTagKeys | kAccessGrantsLocationScope},
	{ActionInfo{"s3:DeleteAccessPoint", ResourceOther, 17}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag},
	{ActionInfo{"s3:DeleteAccessPointForObjectLambda", ResourceOther, 18}, s3Common | accessPointKeys},
	{ActionInfo{"s3:DeleteAccessPointPolicy", ResourceOther, 19}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag},
	{ActionInfo{"s3:DeleteAccessPointPolicyForObjectLambda", ResourceOther, 20}, s3Common | accessPointKeys},
	{ActionInfo{"s3:DeleteBucket", ResourceBucket, 21}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:DeleteBucketMetadataTableConfiguration", ResourceBucket, 22}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:DeleteBucketPolicy", ResourceBucket, 23}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:DeleteBucketWebsite", ResourceBucket, 24}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:DeleteJobTagging", ResourceOther, 25}, s3Common | kRequestTag | kResourceTag | kTagKeys | kExistingJobOperation | kExistingJobPriority},
	{ActionInfo{"s3:DeleteMultiRegionAccessPoint", ResourceOther, 26}, accessPointKeys | kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:DeleteObject", ResourceObject, 27}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kIfMatch},
	{ActionInfo{"s3:DeleteObjectTagging", ResourceObject, 28}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag},
	{ActionInfo{"s3:DeleteObjectVersion", ResourceObject, 29}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kVersionID},
	{ActionInfo{"s3:DeleteObjectVersionTagging", ResourceObject, 30}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag | kVersionID},
	{ActionInfo{"s3:DeleteStorageLensConfiguration", ResourceOther, 31}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:DeleteStorageLensConfigurationTagging", ResourceOther, 32}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:DeleteStorageLensGroup", ResourceOther, 33}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:DescribeJob", ResourceOther, 34}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:DescribeMultiRegionAccessPointOperation", ResourceOther, 35}, kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:DissociateAccessGrantsIdentityCenter", ResourceOther, 36}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetAccelerateConfiguration", ResourceBucket, 37}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetAccessGrant", ResourceOther, 38}, s3Common | kRequestTag | kResourceTag | kTagKeys | kAccessGrantScope},
	{ActionInfo{"s3:GetAccessGrantsInstance", ResourceOther, 39}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetAccessGrantsInstanceForPrefix", ResourceOther, 40}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetAccessGrantsInstanceResourcePolicy", ResourceOther, 41}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetAccessGrantsLocation", ResourceOther, 42}, s3Common | kRequestTag | kResourceTag | kTagKeys | kAccessGrantsLocationScope},
	{ActionInfo{"s3:GetAccessPoint", ResourceNone, 43}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag},
	{ActionInfo{"s3:GetAccessPointConfigurationForObjectLambda", ResourceOther, 44}, s3Common | accessPointKeys},
	{ActionInfo{"s3:GetAccessPointForObjectLambda", ResourceOther, 45}, s3Common | accessPointKeys},
	{ActionInfo{"s3:GetAccessPointPolicy", ResourceOther, 46}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag},
	{ActionInfo{"s3:GetAccessPointPolicyForObjectLambda", ResourceOther, 47}, s3Common | accessPointKeys},
	{ActionInfo{"s3:GetAccessPointPolicyStatus", ResourceOther, 48}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag},
	{ActionInfo{"s3:GetAccessPointPolicyStatusForObjectLambda", ResourceOther, 49}, s3Common | accessPointKeys},
	{ActionInfo{"s3:GetAccountPublicAccessBlock", ResourceNone, 50}, s3Common},
	{ActionInfo{"s3:GetAnalyticsConfiguration", ResourceBucket, 51}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketAbac", ResourceBucket, 52}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketAcl", ResourceBucket, 53}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:GetBucketCORS", ResourceBucket, 54}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:GetBucketLocation", ResourceBucket, 55}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:GetBucketLogging", ResourceBucket, 56}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketMetadataTableConfiguration", ResourceBucket, 57}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketNotification", ResourceBucket, 58}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:GetBucketObjectLockConfiguration", ResourceBucket, 59}, kResourceTag | kAuthType | kBucketTag | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:GetBucketOwnershipControls", ResourceBucket, 60}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketPolicy", ResourceBucket, 61}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:GetBucketPolicyStatus", ResourceBucket, 62}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketPublicAccessBlock", ResourceBucket, 63}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketRequestPayment", ResourceBucket, 64}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketTagging", ResourceBucket, 65}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketVersioning", ResourceBucket, 66}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetBucketWebsite", ResourceBucket, 67}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetDataAccess", ResourceOther, 68}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetEncryptionConfiguration", ResourceBucket, 69}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetIntelligentTieringConfiguration", ResourceBucket, 70}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetInventoryConfiguration", ResourceBucket, 71}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetJobTagging", ResourceOther, 72}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetLifecycleConfiguration", ResourceBucket, 73}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetMetricsConfiguration", ResourceBucket, 74}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetMultiRegionAccessPoint", ResourceOther, 75}, accessPointKeys | kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:GetMultiRegionAccessPointPolicy", ResourceOther, 76}, accessPointKeys | kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:GetMultiRegionAccessPointPolicyStatus", ResourceOther, 77}, accessPointKeys | kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:GetMultiRegionAccessPointRoutes", ResourceOther, 78}, accessPointKeys | kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:GetObject", ResourceObject, 79}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kExistingObjectTag},
	{ActionInfo{"s3:GetObjectAcl", ResourceObject, 80}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kExistingObjectTag},
	{ActionInfo{"s3:GetObjectAttributes", ResourceObject, 81}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag},
	{ActionInfo{"s3:GetObjectLegalHold", ResourceObject, 82}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:GetObjectRetention", ResourceObject, 83}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:GetObjectTagging", ResourceObject, 84}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag},
	{ActionInfo{"s3:GetObjectTorrent", ResourceObject, 85}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetObjectVersion", ResourceObject, 86}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kExistingObjectTag | kVersionID},
	{ActionInfo{"s3:GetObjectVersionAcl", ResourceObject, 87}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kExistingObjectTag | kVersionID},
	{ActionInfo{"s3:GetObjectVersionAttributes", ResourceObject, 88}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag | kVersionID},
	{ActionInfo{"s3:GetObjectVersionForReplication", ResourceObject, 89}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetObjectVersionTagging", ResourceObject, 90}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag | kVersionID},
	{ActionInfo{"s3:GetObjectVersionTorrent", ResourceObject, 91}, s3Common | kResourceTag | kBucketTag | kVersionID},
	{ActionInfo{"s3:GetReplicationConfiguration", ResourceBucket, 92}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:GetStorageLensConfiguration", ResourceOther, 93}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetStorageLensConfigurationTagging", ResourceOther, 94}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetStorageLensDashboard", ResourceOther, 95}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:GetStorageLensGroup", ResourceOther, 96}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:InitiateReplication", ResourceObject, 97}, kResourceTag | kBucketTag | kResourceAccount},
	{ActionInfo{"s3:ListAccessGrants", ResourceOther, 98}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:ListAccessGrantsInstances", ResourceOther, 99}, s3Common},
	{ActionInfo{"s3:ListAccessGrantsLocations", ResourceOther, 100}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:ListAccessPoints", ResourceNone, 101}, s3Common},
	{ActionInfo{"s3:ListAccessPointsForObjectLambda", ResourceOther, 102}, s3Common},
	{ActionInfo{"s3:ListAllMyBuckets", ResourceNone, 103}, s3Common},
	{ActionInfo{"s3:ListBucket", ResourceBucket, 104}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kDelimiter | kMaxKeys | kPrefix},
	{ActionInfo{"s3:ListBucketMultipartUploads", ResourceBucket, 105}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:ListBucketVersions", ResourceBucket, 106}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kDelimiter | kMaxKeys | kPrefix},
	{ActionInfo{"s3:ListCallerAccessGrants", ResourceOther, 107}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:ListJobs", ResourceNone, 108}, s3Common},
	{ActionInfo{"s3:ListMultipartUploadParts", ResourceObject, 109}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:ListMultiRegionAccessPoints", ResourceOther, 110}, kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:ListStorageLensConfigurations", ResourceOther, 111}, s3Common},
	{ActionInfo{"s3:ListStorageLensGroups", ResourceOther, 112}, s3Common},
	{ActionInfo{"s3:ListTagsForResource", ResourceOther, 113}, s3Common | accessPointKeys | kRequestTag | kResourceTag | kTagKeys | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:ObjectOwnerOverrideToBucketOwner", ResourceObject, 114}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PauseReplication", ResourceBucket, 115}, s3Common | kResourceTag | kBucketTag | kDestinationRegion},
	{ActionInfo{"s3:PutAccelerateConfiguration", ResourceBucket, 116}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutAccessGrantsInstanceResourcePolicy", ResourceOther, 117}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:PutAccessPointConfigurationForObjectLambda", ResourceOther, 118}, s3Common | accessPointKeys},
	{ActionInfo{"s3:PutAccessPointPolicy", ResourceOther, 119}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag},
	{ActionInfo{"s3:PutAccessPointPolicyForObjectLambda", ResourceOther, 120}, s3Common | accessPointKeys},
	{ActionInfo{"s3:PutAccessPointPublicAccessBlock", ResourceNone, 121}, 0},
	{ActionInfo{"s3:PutAccountPublicAccessBlock", ResourceNone, 122}, s3Common},
	{ActionInfo{"s3:PutAnalyticsConfiguration", ResourceBucket, 123}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketAbac", ResourceBucket, 124}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketAcl", ResourceBucket, 125}, s3Common | kResourceTag | kBucketTag | kACL | kGrantFullControl | kGrantRead | kGrantReadACP | kGrantWrite | kGrantWriteACP},
	{ActionInfo{"s3:PutBucketCORS", ResourceBucket, 126}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketLogging", ResourceBucket, 127}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketNotification", ResourceBucket, 128}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketObjectLockConfiguration", ResourceBucket, 129}, kResourceTag | kAuthType | kBucketTag | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:PutBucketOwnershipControls", ResourceBucket, 130}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketPolicy", ResourceBucket, 131}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketPublicAccessBlock", ResourceBucket, 132}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketRequestPayment", ResourceBucket, 133}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketTagging", ResourceBucket, 134}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketVersioning", ResourceBucket, 135}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutBucketWebsite", ResourceBucket, 136}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutEncryptionConfiguration", ResourceBucket, 137}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutIntelligentTieringConfiguration", ResourceBucket, 138}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutInventoryConfiguration", ResourceBucket, 139}, s3Common | kResourceTag | kBucketTag | kInventoryAccessibleOptionalFields},
	{ActionInfo{"s3:PutJobTagging", ResourceOther, 140}, s3Common | kRequestTag | kResourceTag | kTagKeys | kExistingJobOperation | kExistingJobPriority},
	{ActionInfo{"s3:PutLifecycleConfiguration", ResourceBucket, 141}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutMetricsConfiguration", ResourceBucket, 142}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:PutMultiRegionAccessPointPolicy", ResourceOther, 143}, accessPointKeys | kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:PutObject", ResourceObject, 144}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kIfMatch | kIfNoneMatch | kObjectLockLegalHold | kObjectLockMode | kObjectLockRemainingRetentionDays | kObjectLockRetainUntilDate | kObjectCreationOperation | kRequestObjectTag | kRequestObjectTagKeys | kACL | kCopySource | kGrantFullControl | kGrantRead | kGrantReadACP | kGrantWrite | kGrantWriteACP | kMetadataDirective | kObjectAnnotationDirective | kServerSideEncryption | kServerSideEncryptionKMSKeyID | kServerSideEncryptionCustomerAlgorithm | kStorageClass | kWebsiteRedirectLocation},
	{ActionInfo{"s3:PutObjectAcl", ResourceObject, 145}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kExistingObjectTag | kACL | kGrantFullControl | kGrantRead | kGrantReadACP | kGrantWrite | kGrantWriteACP | kStorageClass},
	{ActionInfo{"s3:PutObjectLegalHold", ResourceObject, 146}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kObjectLockLegalHold},
	{ActionInfo{"s3:PutObjectRetention", ResourceObject, 147}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kObjectLockMode | kObjectLockRemainingRetentionDays | kObjectLockRetainUntilDate},
	{ActionInfo{"s3:PutObjectTagging", ResourceObject, 148}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag | kRequestObjectTag | kRequestObjectTagKeys},
	{ActionInfo{"s3:PutObjectVersionAcl", ResourceObject, 149}, s3Common | accessPointKeys | kResourceTag | kAccessGrantsInstanceARN | kAccessPointTag | kBucketTag | kExistingObjectTag | kVersionID | kACL | kGrantFullControl | kGrantRead | kGrantReadACP | kGrantWrite | kGrantWriteACP | kStorageClass},
	{ActionInfo{"s3:PutObjectVersionTagging", ResourceObject, 150}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag | kRequestObjectTag | kRequestObjectTagKeys | kVersionID},
	{ActionInfo{"s3:PutReplicationConfiguration", ResourceBucket, 151}, s3Common | kResourceTag | kBucketTag | kIsReplicationPauseRequest},
	{ActionInfo{"s3:PutStorageLensConfiguration", ResourceOther, 152}, s3Common | kRequestTag | kTagKeys},
	{ActionInfo{"s3:PutStorageLensConfigurationTagging", ResourceOther, 153}, s3Common | kRequestTag | kResourceTag | kTagKeys},
	{ActionInfo{"s3:ReplicateDelete", ResourceObject, 154}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:ReplicateObject", ResourceObject, 155}, s3Common | kResourceTag | kBucketTag | kServerSideEncryption | kServerSideEncryptionKMSKeyID | kServerSideEncryptionCustomerAlgorithm},
	{ActionInfo{"s3:ReplicateTags", ResourceObject, 156}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:RestoreObject", ResourceObject, 157}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:SubmitMultiRegionAccessPointRoutes", ResourceOther, 158}, accessPointKeys | kAuthType | kResourceAccount | kSignatureAge | kSignatureVersion | kTLSVersion},
	{ActionInfo{"s3:TagResource", ResourceOther, 159}, s3Common | accessPointKeys | kRequestTag | kResourceTag | kTagKeys | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:UntagResource", ResourceOther, 160}, s3Common | accessPointKeys | kRequestTag | kResourceTag | kTagKeys | kAccessPointTag | kBucketTag},
	{ActionInfo{"s3:UpdateAccessGrantsLocation", ResourceOther, 161}, s3Common | kRequestTag | kResourceTag | kTagKeys | kAccessGrantsLocationScope},
	{ActionInfo{"s3:UpdateBucketMetadataInventoryTableConfiguration", ResourceBucket, 162}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:UpdateBucketMetadataJournalTableConfiguration", ResourceBucket, 163}, s3Common | kResourceTag | kBucketTag},
	{ActionInfo{"s3:UpdateJobPriority", ResourceOther, 164}, s3Common | kRequestTag | kResourceTag | kTagKeys | kExistingJobOperation | kExistingJobPriority | kRequestJobPriority},
	{ActionInfo{"s3:UpdateJobStatus", ResourceOther, 165}, s3Common | kRequestTag | kResourceTag | kTagKeys | kExistingJobOperation | kExistingJobPriority | kJobSuspendedCause},
	{ActionInfo{"s3:UpdateObjectEncryption", ResourceObject, 166}, s3Common | accessPointKeys | kResourceTag | kAccessPointTag | kBucketTag | kExistingObjectTag | kServerSideEncryption | kServerSideEncryptionKMSKeyID},
	{ActionInfo{"s3:UpdateStorageLensGroup", ResourceOther, 167}, s3Common | kRequestTag | kResourceTag | kTagKeys},
}

// LookupAction finds the action called name, ignoring ASCII case, so that
// "S3:getobject" finds s3:GetObject. The name must carry the "s3:" prefix;
// any other name, and any name not in the catalog, yields (ActionInfo{},
// false). LookupAction does not allocate and costs one hash of the name
// and one comparison.
func LookupAction(name string) (ActionInfo, bool) {
	if len(name) < minActionLen || len(name) > maxActionLen ||
		lowerASCII(name[0]) != 's' || name[1] != '3' || name[2] != ':' {
		return ActionInfo{}, false
	}
	h := foldHash(name)
	for i := uint32(0); i < actionSlots; i++ {
		slot := actionIndex[(h+i)&(actionSlots-1)]
		if slot == 0 {
			return ActionInfo{}, false
		}
		if a := &actionTable[slot-1]; a.Name == name || compareFold(name, a.Name) == 0 {
			return a.ActionInfo, true
		}
	}
	return ActionInfo{}, false
}

// minActionLen and maxActionLen bound the length of the catalog's names.
var minActionLen, maxActionLen = func() (lo, hi int) {
	lo = len(actionTable[0].Name)
	for _, a := range actionTable {
		lo, hi = min(lo, len(a.Name)), max(hi, len(a.Name))
	}
	return lo, hi
}()

// actionSlots is the size of actionIndex, a power of two over twice the
// catalog so that probe runs stay short.
const actionSlots = 512

// actionIndex is an open-addressing hash table over the catalog: slot
// foldHash(name) (or the next free one) holds the action's Index+1, 0 when
// empty. It is computed once, from the constant table, and never modified.
var actionIndex = func() (t [actionSlots]uint16) {
	for i := range actionTable {
		h := foldHash(actionTable[i].Name)
		for t[h&(actionSlots-1)] != 0 {
			h++
		}
		t[h&(actionSlots-1)] = uint16(i + 1)
	}
	return t
}()

// foldHash hashes a name of at least 11 bytes that starts with "s3:": its
// length and the eight bytes after the prefix and the last eight, each
// folded so that ASCII letters hash alike in either case (other bytes may
// collide, which the comparison after the lookup settles).
func foldHash(name string) uint32 {
	const fold = 0x2020202020202020
	n := len(name)
	a := load64(name[3:]) | fold
	b := load64(name[n-8:]) | fold
	h := a*0x9e3779b97f4a7c15 ^ b*0xc2b2ae3d27d4eb4f ^ uint64(n)
	return uint32(h>>32) ^ uint32(h)
}

// load64 reads the first eight bytes of s, little-endian.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// Actions returns the whole catalog sorted by name, ignoring case. The caller
// owns the returned slice.
func Actions() []ActionInfo {
	out := make([]ActionInfo, len(actionTable))
	for i := range actionTable {
		out[i] = actionTable[i].ActionInfo
	}
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
