package s3request

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"strings"

	"github.com/s3authz/s3authz/internal/s3actions"
)

// copySource parses x-amz-copy-source (spec §2.5) and adds the source's
// check: s3:GetObject, or s3:GetObjectVersion for a named version. The
// destination's s3:x-amz-copy-source key is the header minus one leading
// '/', escapes and version suffix kept.
func (p *mapping) copySource() *Error {
	raw, _, err := p.header(hCopySource)
	if err != nil {
		return err
	}
	const part = "header:X-Amz-Copy-Source"
	head, tail, hasTail := strings.Cut(raw, "?")
	version := ""
	if hasTail {
		v, ok := strings.CutPrefix(tail, "versionId=")
		if !ok || v == "" || strings.ContainsAny(v, "&=") {
			return fail(ErrInvalidCopySource, part, raw, "the only suffix is ?versionId=ID")
		}
		if version, ok = unescape(v, false); !ok {
			return fail(ErrInvalidCopySource, part, raw, "bad percent-escape")
		}
	}
	src, ok := unescape(head, false)
	if !ok {
		return fail(ErrInvalidCopySource, part, raw, "bad percent-escape")
	}
	if strings.HasPrefix(src, "arn:") {
		return fail(ErrUnsupportedEndpoint, part, raw, "access point and Outposts sources are another resource type")
	}
	src = strings.TrimPrefix(src, "/")
	bucket, key, ok := strings.Cut(src, "/")
	if !ok || bucket == "" || key == "" {
		return fail(ErrInvalidCopySource, part, raw, "not bucket/key")
	}
	if err := p.m.checkBucket(bucket, PathStyle, false); err != nil {
		if err.Class == ErrUnsupportedEndpoint {
			return err
		}
		return fail(ErrInvalidCopySource, part, raw, err.Reason)
	}
	if err := checkKey(key, part); err != nil {
		return fail(ErrInvalidCopySource, part, raw, err.Reason)
	}
	if version != "" {
		p.check("s3:GetObjectVersion", bucket, key, version)
	} else {
		p.check("s3:GetObject", bucket, key, "")
	}
	p.add("s3:x-amz-copy-source", s3actions.KeyCopySource, strings.TrimPrefix(raw, "/"))
	return nil
}

// createBucket adds CreateBucket's checks (API:CreateBucket): the ACL check
// for any ACL but private, the Object Lock pair, Object Ownership, and
// s3:TagResource for tags in the body.
func (p *mapping) createBucket() *Error {
	p.main()
	// The body is read before header values are checked (spec §1.8).
	n, err := p.readBody("CreateBucketConfiguration", true)
	if err != nil {
		return err
	}
	acl, err := p.aclKeys()
	if err != nil {
		return err
	}
	if acl.grants || acl.canned != "" && acl.canned != "private" {
		p.extra("s3:PutBucketAcl", p.bucket, "", "")
	}
	if v, ok, err := p.header(hBucketObjectLock); err != nil {
		return err
	} else if ok {
		switch {
		case equalFold(v, "true"):
			p.extra("s3:PutBucketObjectLockConfiguration", p.bucket, "", "")
			p.extra("s3:PutBucketVersioning", p.bucket, "", "")
		case equalFold(v, "false"):
		default:
			return fail(ErrInvalidArgument, "header:X-Amz-Bucket-Object-Lock-Enabled", v, "true or false")
		}
	}
	if v, ok, err := p.header(hObjectOwnership); err != nil {
		return err
	} else if ok {
		if v != "BucketOwnerEnforced" && v != "BucketOwnerPreferred" && v != "ObjectWriter" {
			return fail(ErrInvalidArgument, "header:X-Amz-Object-Ownership", v, "BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter")
		}
		p.add("s3:x-amz-object-ownership", s3actions.KeyObjectOwnership, v)
		p.extra("s3:PutBucketOwnershipControls", p.bucket, "", "")
	}
	if v, ok, err := p.header(hBucketNamespace); err != nil {
		return err
	} else if ok {
		p.add("s3:x-amz-bucket-namespace", s3actions.KeyBucketNamespace, v)
	}
	if n == nil {
		return nil
	}
	if lc := n.child("LocationConstraint"); lc != nil {
		p.add("s3:LocationConstraint", s3actions.KeyLocationConstraint, lc.text)
	}
	if tags := n.child("Tags"); tags != nil {
		keys := []string{}
		for _, t := range tags.all("Tag") {
			k, v := t.child("Key"), t.child("Value")
			if k == nil || k.text == "" {
				return fail(ErrInvalidTag, "body", "", "a Tag needs a Key")
			}
			for _, seen := range keys {
				if seen == k.text {
					return fail(ErrInvalidTag, "body", k.text, "tag key given twice")
				}
			}
			val := ""
			if v != nil {
				val = v.text
			}
			keys = append(keys, k.text)
			start := len(p.arena)
			p.arena = append(append(p.arena, "aws:RequestTag/"...), k.text...)
			p.pool = append(p.pool, poolKey{bit: s3actions.KeyRequestTag, value: val, nameAt: span{start, len(p.arena)}})
		}
		if len(keys) > 0 {
			p.addMulti("aws:TagKeys", s3actions.KeyTagKeys, keys)
			p.extra("s3:TagResource", p.bucket, "", "")
		}
	}
	return nil
}

// maxDeleteObjects is the most keys one DeleteObjects names.
const maxDeleteObjects = 1000

// deleteObjects adds one check per object of the Delete document:
// s3:DeleteObject, or s3:DeleteObjectVersion with a VersionId, and
// s3:BypassGovernanceRetention on each when the header asks for it.
func (p *mapping) deleteObjects() *Error {
	n, err := p.readBody("Delete", false)
	if err != nil {
		return err
	}
	objs := n.all("Object")
	if len(objs) == 0 || len(objs) > maxDeleteObjects {
		return fail(ErrMalformedBody, "body", "", "a Delete names 1 to 1000 objects")
	}
	for _, o := range objs {
		k := o.child("Key")
		if k == nil {
			return fail(ErrMalformedBody, "body", "", "an Object needs a Key")
		}
		if k.text == "" {
			return fail(ErrInvalidKey, "body", "", "empty key")
		}
		if err := checkKey(k.text, "body"); err != nil {
			return err
		}
		version := ""
		if v := o.child("VersionId"); v != nil {
			if v.text == "" {
				return fail(ErrInvalidArgument, "body", "", "empty VersionId")
			}
			version = v.text
			p.check("s3:DeleteObjectVersion", p.bucket, k.text, version)
		} else {
			p.check("s3:DeleteObject", p.bucket, k.text, "")
		}
		if err := p.bypass(p.bucket, k.text, version); err != nil {
			return err
		}
	}
	return nil
}

// readForm reads a browser upload's form fields, up to the file part: the
// key (with ${filename} resolved), the fields that stand for headers, and
// the signature fields.
func (p *mapping) readForm() *Error {
	_, params, err := mime.ParseMediaType(strings.Join(p.hdrs[hContentType], ","))
	if err != nil || params["boundary"] == "" {
		return fail(ErrMalformedBody, "header:Content-Type", "", "multipart/form-data needs a boundary")
	}
	if len(p.req.Body) == 0 {
		return fail(ErrMissingBody, "body", "", "a browser upload needs its form")
	}
	if len(p.req.Body) > MaxBody {
		return fail(ErrMalformedBody, "body", "", "form larger than 2 MiB")
	}
	mr := multipart.NewReader(bytes.NewReader(p.req.Body), params["boundary"])
	fields := map[string]string{}
	filename, sawFile := "", false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(ErrMalformedBody, "body", "", "not a multipart form")
		}
		name := part.FormName()
		if name == "file" {
			filename, sawFile = part.FileName(), true
			break
		}
		v, err := io.ReadAll(io.LimitReader(part, MaxBody))
		if err != nil {
			return fail(ErrMalformedBody, partName("form:", name), "", "unreadable field")
		}
		lname := strings.ToLower(name)
		if _, dup := fields[lname]; dup {
			return fail(ErrInvalidArgument, partName("form:", name), "", "field given twice")
		}
		fields[lname] = string(v)
	}
	if !sawFile {
		return fail(ErrMalformedBody, "body", "", "the form has no file field")
	}
	key, ok := fields["key"]
	if !ok || key == "" {
		return fail(ErrInvalidArgument, "form:key", "", "a browser upload needs a key field")
	}
	if strings.Contains(key, "${filename}") {
		if filename == "" {
			return fail(ErrInvalidArgument, "form:key", key, "${filename} without a file name")
		}
		key = strings.ReplaceAll(key, "${filename}", filename)
	}
	if err := checkKey(key, "form:key"); err != nil {
		return err
	}
	p.key, p.level = key, levelObject
	for name, v := range fields {
		var h hdr
		switch {
		case name == "acl":
			h = hACL
		case name == "tagging":
			h = hTagging
		case strings.HasPrefix(name, "x-amz-"):
			var ok bool
			if h, ok = lookupHeader(name); !ok {
				continue
			}
		default:
			continue
		}
		p.hdrs[h] = []string{v}
	}
	p.form = fields
	return nil
}
