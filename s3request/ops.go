package s3request

// kind says how an operation builds its checks beyond its one action.
type kind uint8

const (
	kPlain          kind = iota // one check: action (or version action with versionId)
	kList                       // ListObjects(V2), ListObjectVersions: listing keys
	kCreateBucket               // + ACL, Object Lock, ownership and tag checks
	kDeleteObjects              // one check per object of the body
	kPostObject                 // browser upload: the PutObject family from form fields
	kPutObject                  // PutObject or, with x-amz-copy-source, CopyObject
	kDeleteObject               // + s3:BypassGovernanceRetention
	kCreateUpload               // CreateMultipartUpload: the PutObject extras
	kUploadPart                 // UploadPart or, with x-amz-copy-source, UploadPartCopy
	kCompleteUpload             // CompleteMultipartUpload
	kPutTagging                 // tags from the Tagging body
	kPutRetention               // Retention body, + s3:BypassGovernanceRetention
	kPutLegalHold               // LegalHold body
	kAttributes                 // two checks
	kPutInventory               // inventory fields from the body
	kUnsupported                // an S3 operation this catalog cannot express
)

// op is one row of the operation table (spec §2): the request shape and
// what it needs.
type op struct {
	name    string // S3 API operation
	action  string // the check's action
	version string // the action instead of action when the request has a versionId
	vid     bool   // versionId is a parameter of the operation
	needID  bool   // the id parameter is required
	kind    kind
	// nameNoID is the operation's name when the id parameter is absent
	// (Get... with an id, List... without).
	nameNoID string
}

// opKey selects a row: method, level and selector ("" for none).
type opKey struct {
	method string
	level  level
	sel    string
}

// table is the operation table of spec §2, one entry per request shape.
// Rows cite "Required permissions for Amazon S3 API operations" unless a
// comment names another page.
var table = map[opKey]op{
	// §2.1 service level.
	{"GET", levelService, ""}: {name: "ListBuckets", action: "s3:ListAllMyBuckets"},

	// §2.2 bucket level.
	{"PUT", levelBucket, ""}:          {name: "CreateBucket", action: "s3:CreateBucket", kind: kCreateBucket},
	{"HEAD", levelBucket, ""}:         {name: "HeadBucket", action: "s3:ListBucket"},
	{"DELETE", levelBucket, ""}:       {name: "DeleteBucket", action: "s3:DeleteBucket"},
	{"GET", levelBucket, ""}:          {name: "ListObjects", action: "s3:ListBucket", kind: kList},
	{"GET", levelBucket, "list-type"}: {name: "ListObjectsV2", action: "s3:ListBucket", kind: kList},
	// API:ListObjectVersions: "Be aware of the name difference".
	{"GET", levelBucket, "versions"}:       {name: "ListObjectVersions", action: "s3:ListBucketVersions", kind: kList},
	{"GET", levelBucket, "uploads"}:        {name: "ListMultipartUploads", action: "s3:ListBucketMultipartUploads"},
	{"POST", levelBucket, "delete"}:        {name: "DeleteObjects", action: "s3:DeleteObject", kind: kDeleteObjects},
	{"POST", levelBucket, ""}:              {name: "PostObject", action: "s3:PutObject", kind: kPostObject},
	{"GET", levelBucket, "acl"}:            {name: "GetBucketAcl", action: "s3:GetBucketAcl"},
	{"PUT", levelBucket, "acl"}:            {name: "PutBucketAcl", action: "s3:PutBucketAcl"},
	{"GET", levelBucket, "policy"}:         {name: "GetBucketPolicy", action: "s3:GetBucketPolicy"},
	{"PUT", levelBucket, "policy"}:         {name: "PutBucketPolicy", action: "s3:PutBucketPolicy"},
	{"DELETE", levelBucket, "policy"}:      {name: "DeleteBucketPolicy", action: "s3:DeleteBucketPolicy"},
	{"GET", levelBucket, "policyStatus"}:   {name: "GetBucketPolicyStatus", action: "s3:GetBucketPolicyStatus"},
	{"GET", levelBucket, "cors"}:           {name: "GetBucketCors", action: "s3:GetBucketCORS"},
	{"PUT", levelBucket, "cors"}:           {name: "PutBucketCors", action: "s3:PutBucketCORS"},
	{"DELETE", levelBucket, "cors"}:        {name: "DeleteBucketCors", action: "s3:PutBucketCORS"},
	{"GET", levelBucket, "lifecycle"}:      {name: "GetBucketLifecycleConfiguration", action: "s3:GetLifecycleConfiguration"},
	{"PUT", levelBucket, "lifecycle"}:      {name: "PutBucketLifecycleConfiguration", action: "s3:PutLifecycleConfiguration"},
	{"DELETE", levelBucket, "lifecycle"}:   {name: "DeleteBucketLifecycle", action: "s3:PutLifecycleConfiguration"},
	{"GET", levelBucket, "encryption"}:     {name: "GetBucketEncryption", action: "s3:GetEncryptionConfiguration"},
	{"PUT", levelBucket, "encryption"}:     {name: "PutBucketEncryption", action: "s3:PutEncryptionConfiguration"},
	{"DELETE", levelBucket, "encryption"}:  {name: "DeleteBucketEncryption", action: "s3:PutEncryptionConfiguration"},
	{"GET", levelBucket, "tagging"}:        {name: "GetBucketTagging", action: "s3:GetBucketTagging"},
	{"PUT", levelBucket, "tagging"}:        {name: "PutBucketTagging", action: "s3:PutBucketTagging"},
	{"DELETE", levelBucket, "tagging"}:     {name: "DeleteBucketTagging", action: "s3:PutBucketTagging"},
	{"GET", levelBucket, "versioning"}:     {name: "GetBucketVersioning", action: "s3:GetBucketVersioning"},
	{"PUT", levelBucket, "versioning"}:     {name: "PutBucketVersioning", action: "s3:PutBucketVersioning"},
	{"GET", levelBucket, "location"}:       {name: "GetBucketLocation", action: "s3:GetBucketLocation"},
	{"GET", levelBucket, "logging"}:        {name: "GetBucketLogging", action: "s3:GetBucketLogging"},
	{"PUT", levelBucket, "logging"}:        {name: "PutBucketLogging", action: "s3:PutBucketLogging"},
	{"GET", levelBucket, "notification"}:   {name: "GetBucketNotificationConfiguration", action: "s3:GetBucketNotification"},
	{"PUT", levelBucket, "notification"}:   {name: "PutBucketNotificationConfiguration", action: "s3:PutBucketNotification"},
	{"GET", levelBucket, "requestPayment"}: {name: "GetBucketRequestPayment", action: "s3:GetBucketRequestPayment"},
	{"PUT", levelBucket, "requestPayment"}: {name: "PutBucketRequestPayment", action: "s3:PutBucketRequestPayment"},
	{"GET", levelBucket, "accelerate"}:     {name: "GetBucketAccelerateConfiguration", action: "s3:GetAccelerateConfiguration"},
	{"PUT", levelBucket, "accelerate"}:     {name: "PutBucketAccelerateConfiguration", action: "s3:PutAccelerateConfiguration"},
	{"GET", levelBucket, "website"}:        {name: "GetBucketWebsite", action: "s3:GetBucketWebsite"},
	{"PUT", levelBucket, "website"}:        {name: "PutBucketWebsite", action: "s3:PutBucketWebsite"},
	{"DELETE", levelBucket, "website"}:     {name: "DeleteBucketWebsite", action: "s3:DeleteBucketWebsite"},
	{"GET", levelBucket, "replication"}:    {name: "GetBucketReplication", action: "s3:GetReplicationConfiguration"},
	// SAR: iam:PassRole on the role in the body is another service's check.
	{"PUT", levelBucket, "replication"}:            {name: "PutBucketReplication", action: "s3:PutReplicationConfiguration"},
	{"DELETE", levelBucket, "replication"}:         {name: "DeleteBucketReplication", action: "s3:PutReplicationConfiguration"},
	{"GET", levelBucket, "object-lock"}:            {name: "GetObjectLockConfiguration", action: "s3:GetBucketObjectLockConfiguration"},
	{"PUT", levelBucket, "object-lock"}:            {name: "PutObjectLockConfiguration", action: "s3:PutBucketObjectLockConfiguration"},
	{"GET", levelBucket, "ownershipControls"}:      {name: "GetBucketOwnershipControls", action: "s3:GetBucketOwnershipControls"},
	{"PUT", levelBucket, "ownershipControls"}:      {name: "PutBucketOwnershipControls", action: "s3:PutBucketOwnershipControls"},
	{"DELETE", levelBucket, "ownershipControls"}:   {name: "DeleteBucketOwnershipControls", action: "s3:PutBucketOwnershipControls"},
	{"GET", levelBucket, "publicAccessBlock"}:      {name: "GetPublicAccessBlock", action: "s3:GetBucketPublicAccessBlock"},
	{"PUT", levelBucket, "publicAccessBlock"}:      {name: "PutPublicAccessBlock", action: "s3:PutBucketPublicAccessBlock"},
	{"DELETE", levelBucket, "publicAccessBlock"}:   {name: "DeletePublicAccessBlock", action: "s3:PutBucketPublicAccessBlock"},
	{"GET", levelBucket, "analytics"}:              {name: "GetBucketAnalyticsConfiguration", nameNoID: "ListBucketAnalyticsConfigurations", action: "s3:GetAnalyticsConfiguration"},
	{"PUT", levelBucket, "analytics"}:              {name: "PutBucketAnalyticsConfiguration", action: "s3:PutAnalyticsConfiguration", needID: true},
	{"DELETE", levelBucket, "analytics"}:           {name: "DeleteBucketAnalyticsConfiguration", action: "s3:PutAnalyticsConfiguration", needID: true},
	{"GET", levelBucket, "inventory"}:              {name: "GetBucketInventoryConfiguration", nameNoID: "ListBucketInventoryConfigurations", action: "s3:GetInventoryConfiguration"},
	{"PUT", levelBucket, "inventory"}:              {name: "PutBucketInventoryConfiguration", action: "s3:PutInventoryConfiguration", needID: true, kind: kPutInventory},
	{"DELETE", levelBucket, "inventory"}:           {name: "DeleteBucketInventoryConfiguration", action: "s3:PutInventoryConfiguration", needID: true},
	{"GET", levelBucket, "metrics"}:                {name: "GetBucketMetricsConfiguration", nameNoID: "ListBucketMetricsConfigurations", action: "s3:GetMetricsConfiguration"},
	{"PUT", levelBucket, "metrics"}:                {name: "PutBucketMetricsConfiguration", action: "s3:PutMetricsConfiguration", needID: true},
	{"DELETE", levelBucket, "metrics"}:             {name: "DeleteBucketMetricsConfiguration", action: "s3:PutMetricsConfiguration", needID: true},
	{"GET", levelBucket, "intelligent-tiering"}:    {name: "GetBucketIntelligentTieringConfiguration", nameNoID: "ListBucketIntelligentTieringConfigurations", action: "s3:GetIntelligentTieringConfiguration"},
	{"PUT", levelBucket, "intelligent-tiering"}:    {name: "PutBucketIntelligentTieringConfiguration", action: "s3:PutIntelligentTieringConfiguration", needID: true},
	{"DELETE", levelBucket, "intelligent-tiering"}: {name: "DeleteBucketIntelligentTieringConfiguration", action: "s3:PutIntelligentTieringConfiguration", needID: true},
	// PERMS: also s3tables:* and kms:DescribeKey, other services' checks.
	{"POST", levelBucket, "metadataTable"}:           {name: "CreateBucketMetadataTableConfiguration", action: "s3:CreateBucketMetadataTableConfiguration"},
	{"POST", levelBucket, "metadataConfiguration"}:   {name: "CreateBucketMetadataConfiguration", action: "s3:CreateBucketMetadataTableConfiguration"},
	{"GET", levelBucket, "metadataTable"}:            {name: "GetBucketMetadataTableConfiguration", action: "s3:GetBucketMetadataTableConfiguration"},
	{"GET", levelBucket, "metadataConfiguration"}:    {name: "GetBucketMetadataConfiguration", action: "s3:GetBucketMetadataTableConfiguration"},
	{"DELETE", levelBucket, "metadataTable"}:         {name: "DeleteBucketMetadataTableConfiguration", action: "s3:DeleteBucketMetadataTableConfiguration"},
	{"DELETE", levelBucket, "metadataConfiguration"}: {name: "DeleteBucketMetadataConfiguration", action: "s3:DeleteBucketMetadataTableConfiguration"},
	{"PUT", levelBucket, "metadataInventoryTable"}:   {name: "UpdateBucketMetadataInventoryTableConfiguration", action: "s3:UpdateBucketMetadataInventoryTableConfiguration"},
	{"PUT", levelBucket, "metadataJournalTable"}:     {name: "UpdateBucketMetadataJournalTableConfiguration", action: "s3:UpdateBucketMetadataJournalTableConfiguration"},
	{"PUT", levelBucket, "metadataAnnotationTable"}:  {name: "UpdateBucketMetadataAnnotationTableConfiguration", kind: kUnsupported},
	{"GET", levelBucket, "abac"}:                     {name: "GetBucketAbac", action: "s3:GetBucketAbac"},
	{"PUT", levelBucket, "abac"}:                     {name: "PutBucketAbac", action: "s3:PutBucketAbac"},
	{"GET", levelBucket, "session"}:                  {name: "CreateSession", kind: kUnsupported},

	// §2.3 object level. API:GetObject: with a versionId "the s3:GetObject
	// permission is not required".
	{"GET", levelObject, ""}:            {name: "GetObject", action: "s3:GetObject", version: "s3:GetObjectVersion", vid: true},
	{"HEAD", levelObject, ""}:           {name: "HeadObject", action: "s3:GetObject", version: "s3:GetObjectVersion", vid: true},
	{"PUT", levelObject, ""}:            {name: "PutObject", action: "s3:PutObject", kind: kPutObject},
	{"DELETE", levelObject, ""}:         {name: "DeleteObject", action: "s3:DeleteObject", version: "s3:DeleteObjectVersion", vid: true, kind: kDeleteObject},
	{"POST", levelObject, "uploads"}:    {name: "CreateMultipartUpload", action: "s3:PutObject", kind: kCreateUpload},
	{"PUT", levelObject, "uploadId"}:    {name: "UploadPart", action: "s3:PutObject", kind: kUploadPart},
	{"POST", levelObject, "uploadId"}:   {name: "CompleteMultipartUpload", action: "s3:PutObject", kind: kCompleteUpload},
	{"DELETE", levelObject, "uploadId"}: {name: "AbortMultipartUpload", action: "s3:AbortMultipartUpload"},
	{"GET", levelObject, "uploadId"}:    {name: "ListParts", action: "s3:ListMultipartUploadParts"},
	{"GET", levelObject, "acl"}:         {name: "GetObjectAcl", action: "s3:GetObjectAcl", version: "s3:GetObjectVersionAcl", vid: true},
	{"PUT", levelObject, "acl"}:         {name: "PutObjectAcl", action: "s3:PutObjectAcl", version: "s3:PutObjectVersionAcl", vid: true},
	{"GET", levelObject, "tagging"}:     {name: "GetObjectTagging", action: "s3:GetObjectTagging", version: "s3:GetObjectVersionTagging", vid: true},
	{"PUT", levelObject, "tagging"}:     {name: "PutObjectTagging", action: "s3:PutObjectTagging", version: "s3:PutObjectVersionTagging", vid: true, kind: kPutTagging},
	{"DELETE", levelObject, "tagging"}:  {name: "DeleteObjectTagging", action: "s3:DeleteObjectTagging", version: "s3:DeleteObjectVersionTagging", vid: true},
	{"GET", levelObject, "retention"}:   {name: "GetObjectRetention", action: "s3:GetObjectRetention", vid: true},
	{"PUT", levelObject, "retention"}:   {name: "PutObjectRetention", action: "s3:PutObjectRetention", vid: true, kind: kPutRetention},
	{"GET", levelObject, "legal-hold"}:  {name: "GetObjectLegalHold", action: "s3:GetObjectLegalHold", vid: true},
	{"PUT", levelObject, "legal-hold"}:  {name: "PutObjectLegalHold", action: "s3:PutObjectLegalHold", vid: true, kind: kPutLegalHold},
	// API:GetObjectAttributes: "you need both" (spec §6.2).
	{"GET", levelObject, "attributes"}: {name: "GetObjectAttributes", action: "s3:GetObject", version: "s3:GetObjectVersion", vid: true, kind: kAttributes},
	{"POST", levelObject, "restore"}:   {name: "RestoreObject", action: "s3:RestoreObject", vid: true},
	{"POST", levelObject, "select"}:    {name: "SelectObjectContent", action: "s3:GetObject"},
	// The SAR's action (spec §6.3).
	{"GET", levelObject, "torrent"}:       {name: "GetObjectTorrent", action: "s3:GetObjectTorrent"},
	{"PUT", levelObject, "encryption"}:    {name: "UpdateObjectEncryption", action: "s3:UpdateObjectEncryption", vid: true},
	{"GET", levelObject, "annotation"}:    {name: "GetObjectAnnotation", kind: kUnsupported},
	{"PUT", levelObject, "annotation"}:    {name: "PutObjectAnnotation", kind: kUnsupported},
	{"DELETE", levelObject, "annotation"}: {name: "DeleteObjectAnnotation", kind: kUnsupported},
	{"PUT", levelObject, "renameObject"}:  {name: "RenameObject", kind: kUnsupported},
}
