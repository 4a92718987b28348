package s3request

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/s3authz/s3authz/internal/s3actions"
)

// check appends a required check.
func (p *mapping) check(action, bucket, key, version string) {
	p.checks = append(p.checks, Check{Action: action, Bucket: bucket, Key: key, VersionID: version})
}

// extra appends a check of a permission the operation needs besides its
// own action (Check.Extra).
func (p *mapping) extra(action, bucket, key, version string) {
	p.checks = append(p.checks, Check{Action: action, Bucket: bucket, Key: key, VersionID: version, Extra: true})
}

// main appends the operation's own check: the Version action when the
// request names a version and the operation has one.
func (p *mapping) main() {
	action := p.row.action
	if p.out.VersionID != "" && p.row.version != "" {
		action = p.row.version
	}
	p.check(action, p.bucket, p.key, p.out.VersionID)
}

// build appends the operation's checks and its action keys (spec §2, §3.3).
func (p *mapping) build() *Error {
	switch p.row.kind {
	case kPlain:
		p.main()
		switch p.out.Name {
		case "PutBucketAcl", "PutObjectAcl":
			if _, err := p.aclKeys(); err != nil {
				return err
			}
		}
	case kList:
		p.main()
		p.listKeys()
	case kCreateBucket:
		return p.createBucket()
	case kDeleteObjects:
		return p.deleteObjects()
	case kPostObject:
		return p.putFamily(true, false, "true")
	case kPutObject:
		if _, ok := p.first(hCopySource); ok {
			p.out.Name = "CopyObject"
			if err := p.copySource(); err != nil {
				return err
			}
			return p.putFamily(true, true, "true")
		}
		return p.putFamily(true, false, "true")
	case kCreateUpload:
		return p.putFamily(true, false, "false")
	case kUploadPart:
		if _, ok := p.first(hCopySource); ok {
			p.out.Name = "UploadPartCopy"
			if err := p.copySource(); err != nil {
				return err
			}
			return p.putFamily(false, true, "false")
		}
		return p.putFamily(false, false, "false")
	case kCompleteUpload:
		return p.putFamily(false, false, "true")
	case kDeleteObject:
		p.main()
		return p.bypass(p.bucket, p.key, p.out.VersionID)
	case kPutTagging:
		p.main()
		n, err := p.readBody("Tagging", false)
		if err != nil {
			return err
		}
		return p.tagsFromXML(n.child("TagSet"), true)
	case kPutRetention:
		p.main()
		if err := p.retentionBody(); err != nil {
			return err
		}
		return p.bypass(p.bucket, p.key, p.out.VersionID)
	case kPutLegalHold:
		p.main()
		n, err := p.readBody("LegalHold", false)
		if err != nil {
			return err
		}
		st := n.child("Status")
		if st == nil {
			return fail(ErrMalformedBody, "body", "", "LegalHold needs a Status")
		}
		return p.legalHold(st.text, "body")
	case kAttributes:
		p.main()
		attrs := "s3:GetObjectAttributes"
		if p.out.VersionID != "" {
			attrs = "s3:GetObjectVersionAttributes"
		}
		p.check(attrs, p.bucket, p.key, p.out.VersionID)
	case kPutInventory:
		p.main()
		n, err := p.readBody("InventoryConfiguration", true)
		if err != nil {
			return err
		}
		if n != nil {
			var fields []string
			if of := n.child("OptionalFields"); of != nil {
				for _, f := range of.all("Field") {
					fields = append(fields, f.text)
				}
			}
			p.addMulti("s3:InventoryAccessibleOptionalFields", s3actions.KeyInventoryAccessibleOptionalFields, fields)
		}
	}
	return nil
}

// listKeys adds s3:prefix, s3:delimiter and s3:max-keys: present whenever
// the parameter is, even empty; max-keys 1000 when absent (spec §6.6).
func (p *mapping) listKeys() {
	if v, ok := p.query("prefix"); ok {
		p.add("s3:prefix", s3actions.KeyPrefix, v)
	}
	if v, ok := p.query("delimiter"); ok {
		p.add("s3:delimiter", s3actions.KeyDelimiter, v)
	}
	if v, ok := p.query("max-keys"); ok {
		p.add("s3:max-keys", s3actions.KeyMaxKeys, v)
	} else {
		p.add("s3:max-keys", s3actions.KeyMaxKeys, "1000")
	}
}

// cannedACLs are the canned ACLs of the ACL overview.
var cannedACLs = [...]string{"private", "public-read", "public-read-write", "authenticated-read",
	"aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"}

// grantHeaders are the x-amz-grant-* headers with their keys.
var grantHeaders = [...]struct {
	h   hdr
	key string
	bit s3actions.KeySet
}{
	{hGrantRead, "s3:x-amz-grant-read", s3actions.KeyGrantRead},
	{hGrantWrite, "s3:x-amz-grant-write", s3actions.KeyGrantWrite},
	{hGrantReadACP, "s3:x-amz-grant-read-acp", s3actions.KeyGrantReadACP},
	{hGrantWriteACP, "s3:x-amz-grant-write-acp", s3actions.KeyGrantWriteACP},
	{hGrantFullControl, "s3:x-amz-grant-full-control", s3actions.KeyGrantFullControl},
}

// aclKeys validates x-amz-acl and the x-amz-grant-* headers and adds their
// keys. It reports the canned ACL ("" if none) and whether any ACL header
// is present.
func (p *mapping) aclKeys() (aclInfo, *Error) {
	var info aclInfo
	canned, ok, err := p.header(hACL)
	if err != nil {
		return info, err
	}
	if ok {
		valid := false
		for _, c := range cannedACLs {
			valid = valid || c == canned
		}
		if !valid {
			return info, fail(ErrInvalidArgument, "header:X-Amz-Acl", canned, "not a canned ACL")
		}
		p.add("s3:x-amz-acl", s3actions.KeyACL, canned)
		info.canned, info.any = canned, true
	}
	for _, g := range grantHeaders {
		v, ok, err := p.header(g.h)
		if err != nil {
			return info, err
		}
		if !ok {
			continue
		}
		if info.canned != "" {
			return info, fail(ErrInvalidArgument, "header:"+headerNames[g.h], v, "a canned ACL and grant headers together")
		}
		if err := checkGrantees(v, headerNames[g.h]); err != nil {
			return info, err
		}
		p.add(g.key, g.bit, v)
		info.any, info.grants = true, true
	}
	return info, nil
}

type aclInfo struct {
	canned      string
	any, grants bool
}

// checkGrantees checks a grant header: comma-separated id=, uri= or
// emailAddress= grantees, each with a value.
func checkGrantees(v, name string) *Error {
	for g := range strings.SplitSeq(v, ",") {
		g = strings.TrimSpace(g)
		typ, val, ok := strings.Cut(g, "=")
		if !ok || val == "" || !(equalFold(typ, "id") || equalFold(typ, "uri") || equalFold(typ, "emailAddress")) {
			return fail(ErrInvalidArgument, "header:"+name, g, "a grantee is id=, uri= or emailAddress=")
		}
	}
	return nil
}

// putFamily adds the s3:PutObject check of PutObject, CopyObject,
// CreateMultipartUpload, UploadPart(Copy), CompleteMultipartUpload and
// PostObject, with the extra checks of the operations that set ACL, tags
// and lock state (extras), the copy keys (copying), and
// s3:ObjectCreationOperation (creation).
func (p *mapping) putFamily(extras, copying bool, creation string) *Error {
	p.check("s3:PutObject", p.bucket, p.key, "")
	p.add("s3:ObjectCreationOperation", s3actions.KeyObjectCreationOperation, creation)
	if copying {
		if v, ok, err := p.header(hMetadataDirective); err != nil {
			return err
		} else if ok {
			if v != "COPY" && v != "REPLACE" {
				return fail(ErrInvalidArgument, "header:X-Amz-Metadata-Directive", v, "COPY or REPLACE")
			}
			p.add("s3:x-amz-metadata-directive", s3actions.KeyMetadataDirective, v)
		}
	}
	if !extras {
		return nil
	}
	acl, err := p.aclKeys()
	if err != nil {
		return err
	}
	if acl.any {
		p.extra("s3:PutObjectAcl", p.bucket, p.key, "")
	}
	// CopyObject applies x-amz-tagging only with the REPLACE directive.
	tags := true
	if copying {
		d, _, err := p.header(hTaggingDirective)
		if err != nil {
			return err
		}
		tags = d == "REPLACE"
	}
	if v, ok, err := p.header(hTagging); err != nil {
		return err
	} else if ok && tags && v != "" {
		if p.form != nil && strings.HasPrefix(strings.TrimSpace(v), "<") {
			// A browser upload's tagging field is a Tagging document.
			n, perr := parseXML([]byte(v))
			if perr != nil || n.name != "Tagging" {
				return fail(ErrInvalidTag, "form:tagging", v, "not a Tagging document")
			}
			if err := p.tagsFromXML(n.child("TagSet"), true); err != nil {
				return err
			}
		} else if err := p.tagsFromQuery(v, "header:X-Amz-Tagging"); err != nil {
			return err
		}
		p.extra("s3:PutObjectTagging", p.bucket, p.key, "")
	}
	mode, hasMode, err := p.header(hLockMode)
	if err != nil {
		return err
	}
	date, hasDate, err := p.header(hLockRetainUntil)
	if err != nil {
		return err
	}
	if hasMode || hasDate {
		if err := p.lockKeys(mode, hasMode, date, hasDate, "header:X-Amz-Object-Lock-Mode"); err != nil {
			return err
		}
		p.extra("s3:PutObjectRetention", p.bucket, p.key, "")
	}
	if v, ok, err := p.header(hLegalHold); err != nil {
		return err
	} else if ok {
		if err := p.legalHold(v, "header:X-Amz-Object-Lock-Legal-Hold"); err != nil {
			return err
		}
		p.extra("s3:PutObjectLegalHold", p.bucket, p.key, "")
	}
	return nil
}

// verbatimKeys are the keys whose value is a header's, unchecked: S3
// adds encryption values and storage classes over time.
var verbatimKeys = [...]struct {
	h   hdr
	key string
	bit s3actions.KeySet
}{
	{hSSE, "s3:x-amz-server-side-encryption", s3actions.KeyServerSideEncryption},
	{hSSEKMSKeyID, "s3:x-amz-server-side-encryption-aws-kms-key-id", s3actions.KeyServerSideEncryptionKMSKeyID},
	{hSSECustomerAlgorithm, "s3:x-amz-server-side-encryption-customer-algorithm", s3actions.KeyServerSideEncryptionCustomerAlgorithm},
	{hStorageClass, "s3:x-amz-storage-class", s3actions.KeyStorageClass},
	{hWebsiteRedirect, "s3:x-amz-website-redirect-location", s3actions.KeyWebsiteRedirectLocation},
	{hIfMatch, "s3:if-match", s3actions.KeyIfMatch},
	{hIfNoneMatch, "s3:if-none-match", s3actions.KeyIfNoneMatch},
}

// headerKeys adds the verbatim header keys that some check's action lists
// (the SAR's action rows): x-amz-storage-class reaches PutObjectAcl,
// If-Match DeleteObject, and neither reaches GetObject.
func (p *mapping) headerKeys() *Error {
	var union s3actions.KeySet
	for i := range p.checks {
		union |= s3actions.At(mustLookup(p.checks[i].Action)).Keys
	}
	for _, h := range verbatimKeys {
		if union&h.bit == 0 {
			continue
		}
		v, ok, err := p.header(h.h)
		if err != nil {
			return err
		}
		if ok {
			p.add(h.key, h.bit, v)
		}
	}
	return nil
}

// lockKeys validates an Object Lock mode and retain-until date, given
// together or not at all, and adds their keys and the remaining days.
func (p *mapping) lockKeys(mode string, hasMode bool, date string, hasDate bool, part string) *Error {
	if hasMode != hasDate {
		return fail(ErrInvalidArgument, part, "", "an Object Lock mode and retain-until date go together")
	}
	if mode != "GOVERNANCE" && mode != "COMPLIANCE" {
		return fail(ErrInvalidArgument, part, mode, "GOVERNANCE or COMPLIANCE")
	}
	t, err := time.Parse(time.RFC3339Nano, date)
	if err != nil {
		return fail(ErrInvalidArgument, part, date, "retain-until date is not ISO 8601")
	}
	p.add("s3:object-lock-mode", s3actions.KeyObjectLockMode, mode)
	p.add("s3:object-lock-retain-until-date", s3actions.KeyObjectLockRetainUntilDate, date)
	if !p.req.Now.IsZero() {
		days := int64(math.Ceil(t.Sub(p.req.Now).Hours() / 24))
		start := len(p.arena)
		p.arena = strconv.AppendInt(p.arena, days, 10)
		p.addSpan("s3:object-lock-remaining-retention-days", s3actions.KeyObjectLockRemainingRetentionDays, span{start, len(p.arena)})
	}
	return nil
}

// legalHold validates a legal hold status and adds its key.
func (p *mapping) legalHold(v, part string) *Error {
	if v != "ON" && v != "OFF" {
		return fail(ErrInvalidArgument, part, v, "ON or OFF")
	}
	p.add("s3:object-lock-legal-hold", s3actions.KeyObjectLockLegalHold, v)
	return nil
}

// retentionBody reads PutObjectRetention's Retention document.
func (p *mapping) retentionBody() *Error {
	n, err := p.readBody("Retention", false)
	if err != nil {
		return err
	}
	mode, date := n.child("Mode"), n.child("RetainUntilDate")
	if mode == nil && date == nil {
		return nil // an empty Retention removes the retention
	}
	var m, d string
	if mode != nil {
		m = mode.text
	}
	if date != nil {
		d = date.text
	}
	return p.lockKeys(m, mode != nil, d, date != nil, "body")
}

// bypass adds s3:BypassGovernanceRetention when the request sets
// x-amz-bypass-governance-retention to true.
func (p *mapping) bypass(bucket, key, version string) *Error {
	v, ok, err := p.header(hBypassGovernance)
	if err != nil || !ok {
		return err
	}
	switch {
	case equalFold(v, "true"):
		p.extra("s3:BypassGovernanceRetention", bucket, key, version)
	case equalFold(v, "false"):
	default:
		return fail(ErrInvalidArgument, "header:X-Amz-Bypass-Governance-Retention", v, "true or false")
	}
	return nil
}

// maxTags and the tag lengths are the object tagging limits.
const (
	maxTags        = 10
	maxTagKeyRunes = 128
	maxTagValRunes = 256
)

// tagsFromQuery reads tags in URL-query encoding ("k1=v1&k2=v2").
func (p *mapping) tagsFromQuery(v, part string) *Error {
	if cap(p.out.tagStore) < maxTags {
		p.out.tagStore = make([]string, 0, maxTags)
	}
	keys := p.out.tagStore[:0:maxTags]
	for pair := range strings.SplitSeq(v, "&") {
		rk, rv, _ := strings.Cut(pair, "=")
		k, ok1 := unescape(rk, true)
		val, ok2 := unescape(rv, true)
		if !ok1 || !ok2 {
			return fail(ErrInvalidTag, part, pair, "bad percent-escape")
		}
		var err *Error
		if keys, err = p.addTag(keys, k, val, part); err != nil {
			return err
		}
	}
	p.addMulti("s3:RequestObjectTagKeys", s3actions.KeyRequestObjectTagKeys, keys)
	return nil
}

// tagsFromXML reads a TagSet of Tag elements; required says an absent
// TagSet is malformed.
func (p *mapping) tagsFromXML(set *node, required bool) *Error {
	if set == nil {
		if required {
			return fail(ErrMalformedBody, "body", "", "Tagging needs a TagSet")
		}
		return nil
	}
	keys := []string{}
	for _, t := range set.all("Tag") {
		k, v := t.child("Key"), t.child("Value")
		if k == nil {
			return fail(ErrMalformedBody, "body", "", "a Tag needs a Key")
		}
		val := ""
		if v != nil {
			val = v.text
		}
		var err *Error
		if keys, err = p.addTag(keys, k.text, val, "body"); err != nil {
			return err
		}
	}
	p.addMulti("s3:RequestObjectTagKeys", s3actions.KeyRequestObjectTagKeys, keys)
	return nil
}

// addTag checks one tag against the limits and the keys seen, and adds its
// s3:RequestObjectTag/<key> key.
func (p *mapping) addTag(keys []string, k, v, part string) ([]string, *Error) {
	switch {
	case k == "":
		return keys, fail(ErrInvalidTag, part, "", "empty tag key")
	case len(keys) == maxTags:
		return keys, fail(ErrInvalidTag, part, "", "more than 10 tags")
	case runeCount(k) > maxTagKeyRunes:
		return keys, fail(ErrInvalidTag, part, k, "tag key longer than 128 characters")
	case runeCount(v) > maxTagValRunes:
		return keys, fail(ErrInvalidTag, part, v, "tag value longer than 256 characters")
	}
	for _, seen := range keys {
		if seen == k {
			return keys, fail(ErrInvalidTag, part, k, "tag key given twice")
		}
	}
	start := len(p.arena)
	p.arena = append(append(p.arena, "s3:RequestObjectTag/"...), k...)
	p.pool = append(p.pool, poolKey{bit: s3actions.KeyRequestObjectTag, value: v, nameAt: span{start, len(p.arena)}})
	return append(keys, k), nil
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }
