package s3request

import "net/textproto"

// hdr names a header the mapper reads; headerNames gives each its
// canonical form, in which http.Header keys it.
type hdr uint8

const (
	hAuthorization hdr = iota
	hXAmzDate
	hDate
	hContentSHA256
	hUserAgent
	hReferer
	hContentType
	hCopySource
	hACL
	hGrantRead
	hGrantWrite
	hGrantReadACP
	hGrantWriteACP
	hGrantFullControl
	hSSE
	hSSEKMSKeyID
	hSSECustomerAlgorithm
	hStorageClass
	hWebsiteRedirect
	hTagging
	hTaggingDirective
	hMetadataDirective
	hLockMode
	hLockRetainUntil
	hLegalHold
	hBypassGovernance
	hIfMatch
	hIfNoneMatch
	hObjectOwnership
	hBucketNamespace
	hBucketObjectLock
	hObjectAttributes
	numHeaders
)

// headerNames are the canonical names of the headers, by hdr.
var headerNames = [numHeaders]string{
	hAuthorization:        "Authorization",
	hXAmzDate:             "X-Amz-Date",
	hDate:                 "Date",
	hContentSHA256:        "X-Amz-Content-Sha256",
	hUserAgent:            "User-Agent",
	hReferer:              "Referer",
	hContentType:          "Content-Type",
	hCopySource:           "X-Amz-Copy-Source",
	hACL:                  "X-Amz-Acl",
	hGrantRead:            "X-Amz-Grant-Read",
	hGrantWrite:           "X-Amz-Grant-Write",
	hGrantReadACP:         "X-Amz-Grant-Read-Acp",
	hGrantWriteACP:        "X-Amz-Grant-Write-Acp",
	hGrantFullControl:     "X-Amz-Grant-Full-Control",
	hSSE:                  "X-Amz-Server-Side-Encryption",
	hSSEKMSKeyID:          "X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id",
	hSSECustomerAlgorithm: "X-Amz-Server-Side-Encryption-Customer-Algorithm",
	hStorageClass:         "X-Amz-Storage-Class",
	hWebsiteRedirect:      "X-Amz-Website-Redirect-Location",
	hTagging:              "X-Amz-Tagging",
	hTaggingDirective:     "X-Amz-Tagging-Directive",
	hMetadataDirective:    "X-Amz-Metadata-Directive",
	hLockMode:             "X-Amz-Object-Lock-Mode",
	hLockRetainUntil:      "X-Amz-Object-Lock-Retain-Until-Date",
	hLegalHold:            "X-Amz-Object-Lock-Legal-Hold",
	hBypassGovernance:     "X-Amz-Bypass-Governance-Retention",
	hIfMatch:              "If-Match",
	hIfNoneMatch:          "If-None-Match",
	hObjectOwnership:      "X-Amz-Object-Ownership",
	hBucketNamespace:      "X-Amz-Bucket-Namespace",
	hBucketObjectLock:     "X-Amz-Bucket-Object-Lock-Enabled",
	hObjectAttributes:     "X-Amz-Object-Attributes",
}

// headerSlot finds a header by canonical name (a switch, which costs less
// than a map lookup for this few).
func headerSlot(name string) (hdr, bool) {
	switch name {
	case "Authorization":
		return hAuthorization, true
	case "X-Amz-Date":
		return hXAmzDate, true
	case "Date":
		return hDate, true
	case "X-Amz-Content-Sha256":
		return hContentSHA256, true
	case "User-Agent":
		return hUserAgent, true
	case "Referer":
		return hReferer, true
	case "Content-Type":
		return hContentType, true
	case "X-Amz-Copy-Source":
		return hCopySource, true
	case "X-Amz-Acl":
		return hACL, true
	case "X-Amz-Grant-Read":
		return hGrantRead, true
	case "X-Amz-Grant-Write":
		return hGrantWrite, true
	case "X-Amz-Grant-Read-Acp":
		return hGrantReadACP, true
	case "X-Amz-Grant-Write-Acp":
		return hGrantWriteACP, true
	case "X-Amz-Grant-Full-Control":
		return hGrantFullControl, true
	case "X-Amz-Server-Side-Encryption":
		return hSSE, true
	case "X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id":
		return hSSEKMSKeyID, true
	case "X-Amz-Server-Side-Encryption-Customer-Algorithm":
		return hSSECustomerAlgorithm, true
	case "X-Amz-Storage-Class":
		return hStorageClass, true
	case "X-Amz-Website-Redirect-Location":
		return hWebsiteRedirect, true
	case "X-Amz-Tagging":
		return hTagging, true
	case "X-Amz-Tagging-Directive":
		return hTaggingDirective, true
	case "X-Amz-Metadata-Directive":
		return hMetadataDirective, true
	case "X-Amz-Object-Lock-Mode":
		return hLockMode, true
	case "X-Amz-Object-Lock-Retain-Until-Date":
		return hLockRetainUntil, true
	case "X-Amz-Object-Lock-Legal-Hold":
		return hLegalHold, true
	case "X-Amz-Bypass-Governance-Retention":
		return hBypassGovernance, true
	case "If-Match":
		return hIfMatch, true
	case "If-None-Match":
		return hIfNoneMatch, true
	case "X-Amz-Object-Ownership":
		return hObjectOwnership, true
	case "X-Amz-Bucket-Namespace":
		return hBucketNamespace, true
	case "X-Amz-Bucket-Object-Lock-Enabled":
		return hBucketObjectLock, true
	case "X-Amz-Object-Attributes":
		return hObjectAttributes, true
	}
	return 0, false
}

// lookupHeader returns the slot of a header name in any case; it
// allocates only for a name not in canonical form.
func lookupHeader(name string) (hdr, bool) {
	if h, ok := headerSlot(name); ok {
		return h, true
	}
	return headerSlot(textproto.CanonicalMIMEHeaderKey(name))
}

// readHeaders files the request's headers into their slots. Two spellings
// of one header (a Header map built by hand) count as one repeated header.
func (p *mapping) readHeaders() {
	for name, values := range p.req.Header {
		if h, ok := lookupHeader(name); ok && len(values) > 0 {
			if p.hdrs[h] != nil {
				p.hdrs[h] = append(append([]string(nil), p.hdrs[h]...), values...)
				continue
			}
			p.hdrs[h] = values
		}
	}
}

// header returns the value of a single-valued header and whether the
// request has it; the same header given twice is an invalid argument.
func (p *mapping) header(h hdr) (string, bool, *Error) {
	v := p.hdrs[h]
	switch len(v) {
	case 0:
		return "", false, nil
	case 1:
		return v[0], true, nil
	}
	return "", false, fail(ErrInvalidArgument, "header:"+headerNames[h], v[1], "header given more than once")
}

// first returns the first value of a header (User-Agent, Referer) and
// whether the request has it.
func (p *mapping) first(h hdr) (string, bool) {
	if v := p.hdrs[h]; len(v) > 0 {
		return v[0], true
	}
	return "", false
}
