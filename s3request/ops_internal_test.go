package s3request

import (
	"testing"

	"github.com/s3authz/s3authz/internal/s3actions"
)

// TestTableActionsInCatalog holds every action the operation table and
// the builders name to the catalog, so mustLookup cannot fail.
func TestTableActionsInCatalog(t *testing.T) {
	extra := []string{"s3:PutObjectAcl", "s3:PutObjectTagging", "s3:PutObjectRetention", "s3:PutObjectLegalHold",
		"s3:BypassGovernanceRetention", "s3:PutBucketAcl", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning",
		"s3:PutBucketOwnershipControls", "s3:TagResource", "s3:GetObjectAttributes", "s3:GetObjectVersionAttributes",
		"s3:DeleteObjectVersion", "s3:GetObjectVersion", "s3:GetObject", "s3:PutObject"}
	for _, a := range extra {
		if _, ok := s3actions.Lookup(a); !ok {
			t.Errorf("builder action %s is not in the catalog", a)
		}
	}
	for k, row := range table {
		if row.kind == kUnsupported {
			if row.action != "" {
				t.Errorf("%v: an unsupported row names action %s", k, row.action)
			}
			continue
		}
		for _, a := range []string{row.action, row.version} {
			if a == "" {
				continue
			}
			i, ok := s3actions.Lookup(a)
			if !ok || s3actions.At(i).Name != a {
				t.Errorf("%v (%s): action %s is not in the catalog as spelled", k, row.name, a)
			}
		}
		if row.version != "" && !row.vid {
			t.Errorf("%v (%s): a Version action without the versionId parameter", k, row.name)
		}
	}
}

// TestTableRows pins the operation of every request shape of the
// specification's §2 (rows 1 to 96), so a row cannot be lost or changed
// without a failing test.
func TestTableRows(t *testing.T) {
	S, B, O := levelService, levelBucket, levelObject
	rows := []struct {
		key    opKey
		name   string
		action string
	}{
		{opKey{"GET", S, ""}, "ListBuckets", "s3:ListAllMyBuckets"},
		{opKey{"PUT", B, ""}, "CreateBucket", "s3:CreateBucket"},
		{opKey{"HEAD", B, ""}, "HeadBucket", "s3:ListBucket"},
		{opKey{"DELETE", B, ""}, "DeleteBucket", "s3:DeleteBucket"},
		{opKey{"GET", B, ""}, "ListObjects", "s3:ListBucket"},
		{opKey{"GET", B, "list-type"}, "ListObjectsV2", "s3:ListBucket"},
		{opKey{"GET", B, "versions"}, "ListObjectVersions", "s3:ListBucketVersions"},
		{opKey{"GET", B, "uploads"}, "ListMultipartUploads", "s3:ListBucketMultipartUploads"},
		{opKey{"POST", B, "delete"}, "DeleteObjects", "s3:DeleteObject"},
		{opKey{"POST", B, ""}, "PostObject", "s3:PutObject"},
		{opKey{"GET", B, "acl"}, "GetBucketAcl", "s3:GetBucketAcl"},
		{opKey{"PUT", B, "acl"}, "PutBucketAcl", "s3:PutBucketAcl"},
		{opKey{"GET", B, "policy"}, "GetBucketPolicy", "s3:GetBucketPolicy"},
		{opKey{"PUT", B, "policy"}, "PutBucketPolicy", "s3:PutBucketPolicy"},
		{opKey{"DELETE", B, "policy"}, "DeleteBucketPolicy", "s3:DeleteBucketPolicy"},
		{opKey{"GET", B, "policyStatus"}, "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"},
		{opKey{"GET", B, "cors"}, "GetBucketCors", "s3:GetBucketCORS"},
		{opKey{"PUT", B, "cors"}, "PutBucketCors", "s3:PutBucketCORS"},
		{opKey{"DELETE", B, "cors"}, "DeleteBucketCors", "s3:PutBucketCORS"},
		{opKey{"GET", B, "lifecycle"}, "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"},
		{opKey{"PUT", B, "lifecycle"}, "PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"},
		{opKey{"DELETE", B, "lifecycle"}, "DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"},
		{opKey{"GET", B, "encryption"}, "GetBucketEncryption", "s3:GetEncryptionConfiguration"},
		{opKey{"PUT", B, "encryption"}, "PutBucketEncryption", "s3:PutEncryptionConfiguration"},
		{opKey{"DELETE", B, "encryption"}, "DeleteBucketEncryption", "s3:PutEncryptionConfiguration"},
		{opKey{"GET", B, "tagging"}, "GetBucketTagging", "s3:GetBucketTagging"},
		{opKey{"PUT", B, "tagging"}, "PutBucketTagging", "s3:PutBucketTagging"},
		{opKey{"DELETE", B, "tagging"}, "DeleteBucketTagging", "s3:PutBucketTagging"},
		{opKey{"GET", B, "versioning"}, "GetBucketVersioning", "s3:GetBucketVersioning"},
		{opKey{"PUT", B, "versioning"}, "PutBucketVersioning", "s3:PutBucketVersioning"},
		{opKey{"GET", B, "location"}, "GetBucketLocation", "s3:GetBucketLocation"},
		{opKey{"GET", B, "logging"}, "GetBucketLogging", "s3:GetBucketLogging"},
		{opKey{"PUT", B, "logging"}, "PutBucketLogging", "s3:PutBucketLogging"},
		{opKey{"GET", B, "notification"}, "GetBucketNotificationConfiguration", "s3:GetBucketNotification"},
		{opKey{"PUT", B, "notification"}, "PutBucketNotificationConfiguration", "s3:PutBucketNotification"},
		{opKey{"GET", B, "requestPayment"}, "GetBucketRequestPayment", "s3:GetBucketRequestPayment"},
		{opKey{"PUT", B, "requestPayment"}, "PutBucketRequestPayment", "s3:PutBucketRequestPayment"},
		{opKey{"GET", B, "accelerate"}, "GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"},
		{opKey{"PUT", B, "accelerate"}, "PutBucketAccelerateConfiguration", "s3:PutAccelerateConfiguration"},
		{opKey{"GET", B, "website"}, "GetBucketWebsite", "s3:GetBucketWebsite"},
		{opKey{"PUT", B, "website"}, "PutBucketWebsite", "s3:PutBucketWebsite"},
		{opKey{"DELETE", B, "website"}, "DeleteBucketWebsite", "s3:DeleteBucketWebsite"},
		{opKey{"GET", B, "replication"}, "GetBucketReplication", "s3:GetReplicationConfiguration"},
		{opKey{"PUT", B, "replication"}, "PutBucketReplication", "s3:PutReplicationConfiguration"},
		{opKey{"DELETE", B, "replication"}, "DeleteBucketReplication", "s3:PutReplicationConfiguration"},
		{opKey{"GET", B, "object-lock"}, "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"},
		{opKey{"PUT", B, "object-lock"}, "PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"},
		{opKey{"GET", B, "ownershipControls"}, "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"},
		{opKey{"PUT", B, "ownershipControls"}, "PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"},
		{opKey{"DELETE", B, "ownershipControls"}, "DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"},
		{opKey{"GET", B, "publicAccessBlock"}, "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"},
		{opKey{"PUT", B, "publicAccessBlock"}, "PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
		{opKey{"DELETE", B, "publicAccessBlock"}, "DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
		{opKey{"GET", B, "analytics"}, "GetBucketAnalyticsConfiguration", "s3:GetAnalyticsConfiguration"},
		{opKey{"PUT", B, "analytics"}, "PutBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"},
		{opKey{"DELETE", B, "analytics"}, "DeleteBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"},
		{opKey{"GET", B, "inventory"}, "GetBucketInventoryConfiguration", "s3:GetInventoryConfiguration"},
		{opKey{"PUT", B, "inventory"}, "PutBucketInventoryConfiguration", "s3:PutInventoryConfiguration"},
		{opKey{"DELETE", B, "inventory"}, "DeleteBucketInventoryConfiguration", "s3:PutInventoryConfiguration"},
		{opKey{"GET", B, "metrics"}, "GetBucketMetricsConfiguration", "s3:GetMetricsConfiguration"},
		{opKey{"PUT", B, "metrics"}, "PutBucketMetricsConfiguration", "s3:PutMetricsConfiguration"},
		{opKey{"DELETE", B, "metrics"}, "DeleteBucketMetricsConfiguration", "s3:PutMetricsConfiguration"},
		{opKey{"GET", B, "intelligent-tiering"}, "GetBucketIntelligentTieringConfiguration", "s3:GetIntelligentTieringConfiguration"},
		{opKey{"PUT", B, "intelligent-tiering"}, "PutBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"},
		{opKey{"DELETE", B, "intelligent-tiering"}, "DeleteBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"},
		{opKey{"POST", B, "metadataTable"}, "CreateBucketMetadataTableConfiguration", "s3:CreateBucketMetadataTableConfiguration"},
		{opKey{"POST", B, "metadataConfiguration"}, "CreateBucketMetadataConfiguration", "s3:CreateBucketMetadataTableConfiguration"},
		{opKey{"GET", B, "metadataTable"}, "GetBucketMetadataTableConfiguration", "s3:GetBucketMetadataTableConfiguration"},
		{opKey{"GET", B, "metadataConfiguration"}, "GetBucketMetadataConfiguration", "s3:GetBucketMetadataTableConfiguration"},
		{opKey{"DELETE", B, "metadataTable"}, "DeleteBucketMetadataTableConfiguration", "s3:DeleteBucketMetadataTableConfiguration"},
		{opKey{"DELETE", B, "metadataConfiguration"}, "DeleteBucketMetadataConfiguration", "s3:DeleteBucketMetadataTableConfiguration"},
		{opKey{"PUT", B, "metadataInventoryTable"}, "UpdateBucketMetadataInventoryTableConfiguration", "s3:UpdateBucketMetadataInventoryTableConfiguration"},
		{opKey{"PUT", B, "metadataJournalTable"}, "UpdateBucketMetadataJournalTableConfiguration", "s3:UpdateBucketMetadataJournalTableConfiguration"},
		{opKey{"PUT", B, "metadataAnnotationTable"}, "UpdateBucketMetadataAnnotationTableConfiguration", ""},
		{opKey{"GET", B, "abac"}, "GetBucketAbac", "s3:GetBucketAbac"},
		{opKey{"PUT", B, "abac"}, "PutBucketAbac", "s3:PutBucketAbac"},
		{opKey{"GET", B, "session"}, "CreateSession", ""},
		{opKey{"GET", O, ""}, "GetObject", "s3:GetObject"},
		{opKey{"HEAD", O, ""}, "HeadObject", "s3:GetObject"},
		{opKey{"PUT", O, ""}, "PutObject", "s3:PutObject"},
		{opKey{"DELETE", O, ""}, "DeleteObject", "s3:DeleteObject"},
		{opKey{"POST", O, "uploads"}, "CreateMultipartUpload", "s3:PutObject"},
		{opKey{"PUT", O, "uploadId"}, "UploadPart", "s3:PutObject"},
		{opKey{"POST", O, "uploadId"}, "CompleteMultipartUpload", "s3:PutObject"},
		{opKey{"DELETE", O, "uploadId"}, "AbortMultipartUpload", "s3:AbortMultipartUpload"},
		{opKey{"GET", O, "uploadId"}, "ListParts", "s3:ListMultipartUploadParts"},
		{opKey{"GET", O, "acl"}, "GetObjectAcl", "s3:GetObjectAcl"},
		{opKey{"PUT", O, "acl"}, "PutObjectAcl", "s3:PutObjectAcl"},
		{opKey{"GET", O, "tagging"}, "GetObjectTagging", "s3:GetObjectTagging"},
		{opKey{"PUT", O, "tagging"}, "PutObjectTagging", "s3:PutObjectTagging"},
		{opKey{"DELETE", O, "tagging"}, "DeleteObjectTagging", "s3:DeleteObjectTagging"},
		{opKey{"GET", O, "retention"}, "GetObjectRetention", "s3:GetObjectRetention"},
		{opKey{"PUT", O, "retention"}, "PutObjectRetention", "s3:PutObjectRetention"},
		{opKey{"GET", O, "legal-hold"}, "GetObjectLegalHold", "s3:GetObjectLegalHold"},
		{opKey{"PUT", O, "legal-hold"}, "PutObjectLegalHold", "s3:PutObjectLegalHold"},
		{opKey{"GET", O, "attributes"}, "GetObjectAttributes", "s3:GetObject"},
		{opKey{"POST", O, "restore"}, "RestoreObject", "s3:RestoreObject"},
		{opKey{"POST", O, "select"}, "SelectObjectContent", "s3:GetObject"},
		{opKey{"GET", O, "torrent"}, "GetObjectTorrent", "s3:GetObjectTorrent"},
		{opKey{"PUT", O, "encryption"}, "UpdateObjectEncryption", "s3:UpdateObjectEncryption"},
		{opKey{"GET", O, "annotation"}, "GetObjectAnnotation", ""},
		{opKey{"PUT", O, "annotation"}, "PutObjectAnnotation", ""},
		{opKey{"DELETE", O, "annotation"}, "DeleteObjectAnnotation", ""},
		{opKey{"PUT", O, "renameObject"}, "RenameObject", ""},
	}
	if len(rows) != len(table) {
		t.Errorf("%d rows pinned, the table has %d", len(rows), len(table))
	}
	for _, r := range rows {
		got, ok := table[r.key]
		if !ok || got.name != r.name || got.action != r.action {
			t.Errorf("%v: got %q %q, want %q %q", r.key, got.name, got.action, r.name, r.action)
		}
	}
}
