package main

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/s3request"
)

// maxMetadata caps the user metadata of an object, as S3 does: 2 KB.
const maxMetadata = 2 << 10

// checksums are the x-amz-checksum-* algorithms the gateway verifies.
var checksums = []struct {
	header string
	hash   func() hash.Hash
}{
	{"X-Amz-Checksum-Crc32", func() hash.Hash { return crc32.NewIEEE() }},
	{"X-Amz-Checksum-Crc32c", func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) }},
	{"X-Amz-Checksum-Sha1", sha1.New},
	{"X-Amz-Checksum-Sha256", sha256.New},
}

// readPayload reads an object or part body, at most max bytes, and checks
// its length, Content-MD5 and any x-amz-checksum-* header or trailer. It
// returns the data and the checksum it verified (header name and value),
// to echo.
func readPayload(r *http.Request, max int64) ([]byte, [2]string, error) {
	var sum [2]string
	if r.Body == nil {
		return nil, sum, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return nil, sum, bodyError(err)
	}
	if int64(len(data)) > max {
		return nil, sum, errEntityTooLarge
	}
	if r.ContentLength >= 0 && int64(len(data)) != r.ContentLength {
		return nil, sum, errIncompleteBody
	}
	if h := r.Header.Get("Content-Md5"); h != "" {
		want, err := base64.StdEncoding.DecodeString(h)
		if err != nil || len(want) != md5.Size {
			return nil, sum, errInvalidDigest
		}
		got := md5.Sum(data)
		if !bytes.Equal(got[:], want) {
			return nil, sum, errBadDigest
		}
	}
	sum, err = verifyChecksums(r, data)
	if err != nil {
		return nil, sum, err
	}
	return data, sum, nil
}

// verifyChecksums checks data against the request's x-amz-checksum-*
// header or trailer, and returns the one it verified (name and value).
func verifyChecksums(r *http.Request, data []byte) ([2]string, error) {
	var sum [2]string
	for _, c := range checksums {
		v := r.Header.Get(c.header)
		if v == "" && r.Trailer != nil {
			v = r.Trailer.Get(c.header)
		}
		if v == "" {
			continue
		}
		h := c.hash()
		h.Write(data)
		if base64.StdEncoding.EncodeToString(h.Sum(nil)) != v {
			return sum, &s3Error{http.StatusBadRequest, "BadDigest", "The " + strings.TrimPrefix(c.header, "X-Amz-Checksum-") + " you specified did not match the calculated checksum."}
		}
		sum = [2]string{c.header, v}
	}
	return sum, nil
}

// requestTags reads the x-amz-tagging header (URL-query encoded).
func requestTags(r *http.Request, bucket, key string) ([]ownership.Tag, error) {
	h := r.Header.Get("X-Amz-Tagging")
	if h == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(h)
	if err != nil {
		return nil, errInvalidTag
	}
	tags := make([]ownership.Tag, 0, len(q))
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, errInvalidTag
		}
		tags = append(tags, ownership.Tag{Key: k, Value: vs[0]})
	}
	return checkTags(tags, bucket, key)
}

var errInvalidTag = &s3Error{http.StatusBadRequest, "InvalidTag", "The TagValue you have provided is invalid"}

// checkTags sorts object tags and checks them against S3's limits.
func checkTags(tags []ownership.Tag, bucket, key string) ([]ownership.Tag, error) {
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	o := ownership.Object{Bucket: bucket, Key: key, Owner: ownership.AnonymousOwner(), Tags: tags}
	if err := o.Validate(); err != nil {
		return nil, errInvalidTag
	}
	return tags, nil
}

// requestMeta reads the x-amz-meta-* headers.
func requestMeta(r *http.Request) (map[string]string, error) {
	meta := map[string]string{}
	size := 0
	for name, vals := range r.Header {
		lower := strings.ToLower(name)
		if m, ok := strings.CutPrefix(lower, "x-amz-meta-"); ok {
			v := strings.Join(vals, ",")
			meta[m] = v
			size += len(m) + len(v)
		}
	}
	if size > maxMetadata {
		return nil, &s3Error{http.StatusBadRequest, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size."}
	}
	return meta, nil
}

// objectACL returns the ACL headers of an object write, checked against
// the bucket's Object Ownership (the evaluator has refused what
// BucketOwnerEnforced refuses; this is the same rule for the handler).
func (g *gateway) objectACL(r *http.Request, c *call) (*acl.ACL, error) {
	a, _, err := g.requestACL(r.Context(), r, c.op, c.info)
	if err != nil {
		return nil, &s3Error{http.StatusBadRequest, "InvalidArgument", "The ACL headers are invalid."}
	}
	return a, nil
}

// putObject answers PutObject.
func (g *gateway) putObject(w http.ResponseWriter, r *http.Request, c *call) error {
	data, sum, err := readPayload(r, g.maxObject)
	if err != nil {
		return err
	}
	at, err := g.writeAttrs(r, c)
	if err != nil {
		return err
	}
	wd := g.world
	wd.mu.Lock()
	defer wd.mu.Unlock()
	b, err := g.bucketOf(c)
	if err != nil {
		return err
	}
	v := g.newVersion(b, c, data, etagOf(data), at)
	v.checksum = sum
	b.put(c.op.Key, v)
	h := w.Header()
	h.Set("ETag", v.etag)
	if sum[0] != "" {
		h.Set(sum[0], sum[1])
	}
	if b.versioning != "" {
		h.Set("X-Amz-Version-Id", v.id)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// writeAttrs are what a write (PutObject, CreateMultipartUpload) says of
// the object it makes: its content type, metadata, tags and ACL.
type writeAttrs struct {
	contentType string
	meta        map[string]string
	tags        []ownership.Tag
	acl         *acl.ACL
}

// writeAttrs reads the attributes of the object a write makes from its
// headers.
func (g *gateway) writeAttrs(r *http.Request, c *call) (writeAttrs, error) {
	var at writeAttrs
	var err error
	if at.tags, err = requestTags(r, c.op.Bucket, c.op.Key); err != nil {
		return at, err
	}
	if at.meta, err = requestMeta(r); err != nil {
		return at, err
	}
	if at.acl, err = g.objectACL(r, c); err != nil {
		return at, err
	}
	if at.contentType = r.Header.Get("Content-Type"); at.contentType == "" {
		at.contentType = "binary/octet-stream"
	}
	return at, nil
}

// newVersion makes a version written by the caller into b: its owner by
// the bucket's Object Ownership, bound to the bucket's DevPay product.
func (g *gateway) newVersion(b *bucket, c *call, data []byte, etag string, at writeAttrs) *version {
	o := b.rec.Mode.ObjectOwner(b.rec.Owner, ownership.OwnerOf(c.info.caller.Principal), c.reqCanned())
	return &version{data: data, etag: etag, contentType: at.contentType, meta: at.meta, modified: g.now().UTC(), acl: at.acl,
		rec: &ownership.Object{Bucket: c.op.Bucket, Key: c.op.Key, Owner: o, Product: b.rec.Product, Tags: at.tags}}
}

// reqCanned is the request's x-amz-acl header, from the operation's
// checks (the mapper read it).
func (c *call) reqCanned() string {
	for i := range c.op.Checks {
		if v, ok := c.op.Checks[i].Get("s3:x-amz-acl"); ok && len(v) == 1 {
			return v[0]
		}
	}
	return ""
}

// advisoryAllows evaluates the operation's advisory check of action — the
// one that decides between 404 and 403 for a missing key — and logs it.
func (g *gateway) advisoryAllows(r *http.Request, c *call, action string) bool {
	for _, chk := range c.op.Advisory() {
		if chk.Action != action {
			continue
		}
		p := c.info.caller.Principal
		ec, err := g.world.Lookup(r.Context(), c.op, &chk, p)
		if err != nil {
			return false
		}
		req := evaluate.Request{Principal: p, PrincipalTags: c.info.caller.Tags, Action: chk.Action,
			Bucket: chk.Bucket, Key: chk.Key, Product: c.info.product, Time: c.op.Time}
		d, diag := evaluate.EvaluateContext(r.Context(), req, ec)
		_, _ = g.log.Log(&audit.Event{Request: &req, Context: &ec, Decision: d, Diagnostic: &diag, Operation: c.op.Name})
		return d == evaluate.Allow
	}
	return false
}

// missingKey is the answer for a key that does not exist: 404 NoSuchKey to
// a caller that may list the bucket, 403 AccessDenied to anyone else.
func (g *gateway) missingKey(r *http.Request, c *call) error {
	if g.advisoryAllows(r, c, "s3:ListBucket") {
		return errNoSuchKey
	}
	return errAccessDenied
}

// getObject answers GetObject and HeadObject: versions, a single byte
// range, the If-Match, If-None-Match, If-Modified-Since and
// If-Unmodified-Since preconditions, and the response-* overrides.
func (g *gateway) getObject(w http.ResponseWriter, r *http.Request, c *call) error {
	g.world.mu.RLock()
	b, err := g.bucketOf(c)
	var v *version
	versioned := false
	if err == nil {
		v = b.find(c.op.Key, c.op.VersionID)
		versioned = b.versioning != ""
	}
	g.world.mu.RUnlock()
	h := w.Header()
	switch {
	case err != nil:
		return err
	case v == nil && c.op.VersionID != "":
		return errNoSuchVersion
	case v == nil:
		return g.missingKey(r, c)
	case v.deleteMarker && c.op.VersionID != "":
		h.Set("X-Amz-Delete-Marker", "true")
		h.Set("X-Amz-Version-Id", v.id)
		return &s3Error{http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource."}
	case v.deleteMarker:
		h.Set("X-Amz-Delete-Marker", "true")
		h.Set("X-Amz-Version-Id", v.id)
		return g.missingKey(r, c)
	}
	// v is immutable but for its ACL and tags record, which are not read
	// here: the data may be served without the lock.
	if e := preconditions(r, v); e != nil {
		if e.status == http.StatusNotModified {
			h.Set("ETag", v.etag)
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		return e
	}
	h.Set("ETag", v.etag)
	h.Set("Last-Modified", v.modified.Format(http.TimeFormat))
	h.Set("Content-Type", v.contentType)
	h.Set("Accept-Ranges", "bytes")
	if versioned || v.id != nullVersion {
		h.Set("X-Amz-Version-Id", v.id)
	}
	for k, val := range v.meta {
		h.Set("X-Amz-Meta-"+k, val)
	}
	g.world.mu.RLock()
	if n := len(v.rec.Tags); n > 0 {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(n))
	}
	g.world.mu.RUnlock()
	for param, header := range map[string]string{"response-content-type": "Content-Type",
		"response-content-disposition": "Content-Disposition", "response-cache-control": "Cache-Control",
		"response-content-encoding": "Content-Encoding", "response-content-language": "Content-Language",
		"response-expires": "Expires"} {
		if val := c.q.Get(param); val != "" {
			h.Set(header, val)
		}
	}
	body := v.data
	status := http.StatusOK
	if rg := r.Header.Get("Range"); rg != "" {
		start, end, ok, err := parseRange(rg, int64(len(body)))
		if err != nil {
			h.Set("Content-Range", fmt.Sprintf("bytes */%d", len(body)))
			return err
		}
		if ok {
			h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, len(body)))
			body, status = body[start:end+1], http.StatusPartialContent
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return nil
}

// preconditions checks If-Match, If-None-Match, If-Unmodified-Since and
// If-Modified-Since; 304 comes back as an *s3Error with that status.
func preconditions(r *http.Request, v *version) *s3Error {
	notModified := &s3Error{status: http.StatusNotModified}
	match := func(list string) bool {
		for _, e := range strings.Split(list, ",") {
			e = strings.TrimSpace(e)
			if e == "*" || strings.Trim(e, `"`) == strings.Trim(v.etag, `"`) {
				return true
			}
		}
		return false
	}
	if im := r.Header.Get("If-Match"); im != "" {
		if !match(im) {
			return errPrecondition
		}
	} else if t, err := http.ParseTime(r.Header.Get("If-Unmodified-Since")); err == nil && v.modified.Truncate(time.Second).After(t) {
		return errPrecondition
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if match(inm) {
			return notModified
		}
	} else if t, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !v.modified.Truncate(time.Second).After(t) {
		return notModified
	}
	return nil
}

// parseRange reads a single "bytes=" range of a body of size bytes; ok is
// false for a header the gateway ignores (several ranges, another unit),
// as S3 serves the whole object then.
func parseRange(h string, size int64) (start, end int64, ok bool, err error) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, nil
	}
	a, b, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false, nil
	}
	switch {
	case a == "":
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil {
			return 0, 0, false, nil
		}
		if n == 0 || size == 0 {
			return 0, 0, false, errInvalidRange
		}
		return max(size-n, 0), size - 1, true, nil
	default:
		s, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			return 0, 0, false, nil
		}
		e := size - 1
		if b != "" {
			if e, err = strconv.ParseInt(b, 10, 64); err != nil || e < s {
				return 0, 0, false, nil
			}
		}
		if s >= size {
			return 0, 0, false, errInvalidRange
		}
		return s, min(e, size-1), true, nil
	}
}

// deleteResult is what deleting one key did.
type deleteResult struct {
	versionID     string // the version removed, or the marker added
	deleteMarker  bool   // a marker was added, or the version removed was one
	markerVersion string
}

// deleteKey deletes key (one version of it with id) as versioning says;
// the caller holds the write lock.
func (g *gateway) deleteKey(b *bucket, c *call, key, id string) deleteResult {
	if id != "" {
		v := b.find(key, id)
		if v == nil {
			return deleteResult{versionID: id}
		}
		b.removeVersion(key, id)
		return deleteResult{versionID: id, deleteMarker: v.deleteMarker}
	}
	if b.versioning == "" {
		b.removeVersion(key, nullVersion)
		return deleteResult{}
	}
	// Versioning enabled or suspended: a delete marker, with the null ID
	// (replacing the null version) when suspended.
	o := b.rec.Mode.ObjectOwner(b.rec.Owner, ownership.OwnerOf(c.info.caller.Principal), "")
	m := &version{deleteMarker: true, modified: g.now().UTC(),
		rec: &ownership.Object{Bucket: b.rec.Name, Key: key, Owner: o, Product: b.rec.Product}}
	b.put(key, m)
	return deleteResult{versionID: m.id, deleteMarker: true, markerVersion: m.id}
}

// deleteObject answers DeleteObject.
func (g *gateway) deleteObject(w http.ResponseWriter, _ *http.Request, c *call) error {
	g.world.mu.Lock()
	defer g.world.mu.Unlock()
	b, err := g.bucketOf(c)
	if err != nil {
		return err
	}
	res := g.deleteKey(b, c, c.op.Key, c.op.VersionID)
	if res.deleteMarker {
		w.Header().Set("X-Amz-Delete-Marker", "true")
	}
	if res.versionID != "" {
		w.Header().Set("X-Amz-Version-Id", res.versionID)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteObjects answers DeleteObjects. The middleware let it through
// because every key may be deleted, so every key is.
func (g *gateway) deleteObjects(w http.ResponseWriter, r *http.Request, c *call) error {
	var doc struct {
		XMLName xml.Name `xml:"Delete"`
		Quiet   bool
		Objects []struct {
			Key       string
			VersionId string
		} `xml:"Object"`
	}
	if err := readXML(r, &doc); err != nil {
		return err
	}
	if len(doc.Objects) == 0 || len(doc.Objects) > 1000 {
		return errMalformedXML
	}
	type deleted struct {
		Key                   string
		VersionId             string `xml:",omitempty"`
		DeleteMarker          bool   `xml:",omitempty"`
		DeleteMarkerVersionId string `xml:",omitempty"`
	}
	res := struct {
		XMLName xml.Name  `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
		Deleted []deleted `xml:"Deleted"`
	}{}
	g.world.mu.Lock()
	b, err := g.bucketOf(c)
	if err != nil {
		g.world.mu.Unlock()
		return err
	}
	for _, o := range doc.Objects {
		d := g.deleteKey(b, c, o.Key, o.VersionId)
		if !doc.Quiet {
			e := deleted{Key: o.Key, VersionId: o.VersionId, DeleteMarker: d.deleteMarker, DeleteMarkerVersionId: d.markerVersion}
			if o.VersionId != "" {
				e.DeleteMarkerVersionId = ""
			}
			res.Deleted = append(res.Deleted, e)
		}
	}
	g.world.mu.Unlock()
	return writeXML(w, res)
}

// sourceCheck returns the copy source's check: the first check reading an
// object (the mapper puts it first).
func sourceCheck(op *s3request.Operation) (*s3request.Check, bool) {
	for i := range op.Checks {
		c := &op.Checks[i]
		if c.Action == "s3:GetObject" || c.Action == "s3:GetObjectVersion" {
			return c, true
		}
	}
	return nil, false
}

// copySource returns the version a copy reads.
func (g *gateway) copySource(c *call) (*version, error) {
	src, ok := sourceCheck(c.op)
	if !ok {
		return nil, &s3Error{http.StatusBadRequest, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey"}
	}
	b := g.world.buckets[src.Bucket]
	if b == nil {
		return nil, errNoSuchBucket
	}
	v := b.find(src.Key, src.VersionID)
	switch {
	case v == nil && src.VersionID != "":
		return nil, errNoSuchVersion
	case v == nil:
		return nil, errNoSuchKey
	case v.deleteMarker && src.VersionID != "":
		return nil, &s3Error{http.StatusBadRequest, "InvalidRequest", "The source of a copy request may not specifically refer to a delete marker by version id."}
	case v.deleteMarker:
		return nil, errNoSuchKey
	}
	return v, nil
}

// copyObject answers CopyObject, within a bucket or across buckets, with
// the metadata and tagging directives.
func (g *gateway) copyObject(w http.ResponseWriter, r *http.Request, c *call) error {
	metaDir, tagDir := r.Header.Get("X-Amz-Metadata-Directive"), r.Header.Get("X-Amz-Tagging-Directive")
	for _, d := range []string{metaDir, tagDir} {
		if d != "" && d != "COPY" && d != "REPLACE" {
			return &s3Error{http.StatusBadRequest, "InvalidArgument", "Unknown directive: " + cut(d)}
		}
	}
	at, err := g.writeAttrs(r, c)
	if err != nil {
		return err
	}
	g.world.mu.Lock()
	defer g.world.mu.Unlock()
	b, err := g.bucketOf(c)
	if err != nil {
		return err
	}
	src, err := g.copySource(c)
	if err != nil {
		return err
	}
	if s, _ := sourceCheck(c.op); s.Bucket == c.op.Bucket && s.Key == c.op.Key && metaDir != "REPLACE" && at.acl == nil && tagDir != "REPLACE" {
		return &s3Error{http.StatusBadRequest, "InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."}
	}
	// The copy keeps the source's content type, metadata and tags unless
	// a directive replaces them with the request's.
	copied := at
	if metaDir != "REPLACE" {
		copied.meta, copied.contentType = src.meta, src.contentType
	}
	if tagDir != "REPLACE" {
		copied.tags = src.rec.Tags
	}
	etag := src.etag
	if strings.Contains(etag, "-") {
		etag = etagOf(src.data) // a copy is stored in one part
	}
	v := g.newVersion(b, c, src.data, etag, copied)
	b.put(c.op.Key, v)
	if s, _ := sourceCheck(c.op); s.VersionID != "" || src.id != nullVersion {
		w.Header().Set("X-Amz-Copy-Source-Version-Id", src.id)
	}
	if b.versioning != "" {
		w.Header().Set("X-Amz-Version-Id", v.id)
	}
	return writeXML(w, struct {
		XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
		LastModified string
		ETag         string
	}{LastModified: s3Time(v.modified), ETag: v.etag})
}

// tagging is the Tagging document of object and bucket tagging.
type tagging struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Tagging"`
	TagSet  []tagXML `xml:"TagSet>Tag"`
}

type tagXML struct {
	Key, Value string
}

// readTagging reads a Tagging body.
func readTagging(r *http.Request) ([]ownership.Tag, error) {
	var doc struct {
		XMLName xml.Name `xml:"Tagging"`
		TagSet  []tagXML `xml:"TagSet>Tag"`
	}
	if err := readXML(r, &doc); err != nil {
		return nil, err
	}
	tags := make([]ownership.Tag, 0, len(doc.TagSet))
	for _, t := range doc.TagSet {
		tags = append(tags, ownership.Tag{Key: t.Key, Value: t.Value})
	}
	return tags, nil
}

// writeTagging answers with a Tagging document.
func writeTagging(w http.ResponseWriter, tags []ownership.Tag) error {
	doc := tagging{TagSet: []tagXML{}}
	for _, t := range tags {
		doc.TagSet = append(doc.TagSet, tagXML{t.Key, t.Value})
	}
	return writeXML(w, doc)
}

// objectVersion returns the version an object sub-resource request names;
// the caller holds the lock.
func (g *gateway) objectVersion(r *http.Request, c *call) (*bucket, *version, error) {
	b, err := g.bucketOf(c)
	if err != nil {
		return nil, nil, err
	}
	v := b.find(c.op.Key, c.op.VersionID)
	switch {
	case v == nil && c.op.VersionID != "":
		return nil, nil, errNoSuchVersion
	case v == nil:
		return nil, nil, errNoSuchKey
	case v.deleteMarker:
		return nil, nil, &s3Error{http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource."}
	}
	return b, v, nil
}

// getObjectTagging answers GetObjectTagging.
func (g *gateway) getObjectTagging(w http.ResponseWriter, r *http.Request, c *call) error {
	g.world.mu.RLock()
	b, v, err := g.objectVersion(r, c)
	var tags []ownership.Tag
	if err == nil {
		tags = v.rec.Tags
		if b.versioning != "" {
			w.Header().Set("X-Amz-Version-Id", v.id)
		}
	}
	g.world.mu.RUnlock()
	if err != nil {
		return err
	}
	return writeTagging(w, tags)
}

// putObjectTagging answers PutObjectTagging: the version gets a new record
// with the tags.
func (g *gateway) putObjectTagging(w http.ResponseWriter, r *http.Request, c *call) error {
	tags, err := readTagging(r)
	if err != nil {
		return err
	}
	if tags, err = checkTags(tags, c.op.Bucket, c.op.Key); err != nil {
		return err
	}
	return g.setObjectTags(w, r, c, tags, http.StatusOK)
}

// deleteObjectTagging answers DeleteObjectTagging.
func (g *gateway) deleteObjectTagging(w http.ResponseWriter, r *http.Request, c *call) error {
	return g.setObjectTags(w, r, c, nil, http.StatusNoContent)
}

func (g *gateway) setObjectTags(w http.ResponseWriter, r *http.Request, c *call, tags []ownership.Tag, status int) error {
	g.world.mu.Lock()
	defer g.world.mu.Unlock()
	b, v, err := g.objectVersion(r, c)
	if err != nil {
		return err
	}
	rec := *v.rec
	rec.Tags = tags
	v.rec = &rec
	if b.versioning != "" {
		w.Header().Set("X-Amz-Version-Id", v.id)
	}
	w.WriteHeader(status)
	return nil
}

// getObjectAcl answers GetObjectAcl: the stored ACL, or the owner's
// FULL_CONTROL.
func (g *gateway) getObjectAcl(w http.ResponseWriter, r *http.Request, c *call) error {
	g.world.mu.RLock()
	b, v, err := g.objectVersion(r, c)
	var a *acl.ACL
	var o ownership.Owner
	if err == nil {
		a, o = v.acl, b.rec.EffectiveOwner(v.rec)
		if !b.rec.Mode.ACLsEnabled() {
			a = nil // ignored under BucketOwnerEnforced
		}
	}
	g.world.mu.RUnlock()
	if err != nil {
		return err
	}
	return g.writeACL(w, r, a, o)
}

// writeACL answers with an ACL, or the default one of owner.
func (g *gateway) writeACL(w http.ResponseWriter, r *http.Request, a *acl.ACL, o ownership.Owner) error {
	if a == nil {
		u, err := g.world.ownerUser(r.Context(), o)
		if err != nil {
			return err
		}
		a = defaultACL(u)
	}
	body, err := a.Marshal()
	if err != nil {
		return err
	}
	writeBody(w, "application/xml", append([]byte(xml.Header), body...))
	return nil
}

// putObjectAcl answers PutObjectAcl, from the body or the ACL headers.
func (g *gateway) putObjectAcl(w http.ResponseWriter, r *http.Request, c *call) error {
	a, has, err := g.requestACL(r.Context(), r, c.op, c.info)
	if err != nil || !has {
		return errMalformedACL
	}
	g.world.mu.Lock()
	defer g.world.mu.Unlock()
	b, v, err := g.objectVersion(r, c)
	if err != nil {
		return err
	}
	v.acl = a
	if b.versioning != "" {
		w.Header().Set("X-Amz-Version-Id", v.id)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
