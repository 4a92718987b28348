package s3request

// pclass is the class of a query parameter name (spec table of §1.5).
type pclass uint8

const (
	pUnknown   pclass = iota
	pSelector         // chooses the operation (bucket or object level)
	pValuedSel        // list-type, select-type
	pParam            // an operation parameter
	pAuth             // signature parameters and x-amz-* names
	pSDK              // x-id, the marker an SDK appends
)

// selectorLevels says at which levels a selector exists.
type selectorLevels uint8

const (
	atBucket selectorLevels = 1 << iota
	atObject
)

// selectors are the value-less names that choose an operation, with the
// levels each exists at.
var selectors = map[string]selectorLevels{
	"abac": atBucket, "accelerate": atBucket, "acl": atBucket | atObject,
	"analytics": atBucket, "cors": atBucket, "delete": atBucket,
	"encryption": atBucket | atObject, "intelligent-tiering": atBucket,
	"inventory": atBucket, "lifecycle": atBucket, "location": atBucket,
	"logging": atBucket, "metadataConfiguration": atBucket, "metadataTable": atBucket,
	"metadataInventoryTable": atBucket, "metadataJournalTable": atBucket,
	"metadataAnnotationTable": atBucket, "metrics": atBucket, "notification": atBucket,
	"object-lock": atBucket, "ownershipControls": atBucket, "policy": atBucket,
	"policyStatus": atBucket, "publicAccessBlock": atBucket, "replication": atBucket,
	"requestPayment": atBucket, "session": atBucket, "tagging": atBucket | atObject,
	"uploads": atBucket | atObject, "versioning": atBucket, "versions": atBucket,
	"website":    atBucket,
	"annotation": atObject, "attributes": atObject, "legal-hold": atObject,
	"renameObject": atObject, "restore": atObject, "retention": atObject,
	"select": atObject, "torrent": atObject, "uploadId": atObject,
}

// params are the operation parameters: they feed checks and keys and never
// choose the operation.
var params = map[string]bool{
	"versionId": true, "id": true, "prefix": true, "delimiter": true, "max-keys": true,
	"marker": true, "start-after": true, "continuation-token": true, "fetch-owner": true,
	"encoding-type": true, "key-marker": true, "version-id-marker": true,
	"upload-id-marker": true, "max-uploads": true, "max-parts": true,
	"part-number-marker": true, "partNumber": true, "response-cache-control": true,
	"response-content-disposition": true, "response-content-encoding": true,
	"response-content-language": true, "response-content-type": true,
	"response-expires": true, "max-buckets": true, "bucket-region": true,
	"annotationName": true, "annotation-prefix": true, "max-annotation-results": true,
}

// authParams are the query names of the two presigned-URL schemes.
var authParams = map[string]bool{
	"X-Amz-Algorithm": true, "X-Amz-Credential": true, "X-Amz-Date": true,
	"X-Amz-Expires": true, "X-Amz-SignedHeaders": true, "X-Amz-Signature": true,
	"X-Amz-Security-Token": true, "X-Amz-Content-Sha256": true,
	"AWSAccessKeyId": true, "Signature": true, "Expires": true,
}

// classify returns the class of a query parameter name; names compare
// exactly ("acl" is a selector, "ACL" is not).
func classify(name string) pclass {
	if _, ok := selectors[name]; ok {
		return pSelector
	}
	switch {
	case name == "list-type" || name == "select-type":
		return pValuedSel
	case params[name]:
		return pParam
	case authParams[name] || hasPrefixFold(name, "x-amz-"):
		return pAuth
	case name == "x-id":
		return pSDK
	}
	return pUnknown
}
