package main

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/s3request"
)

// call is one authorized request, as the handlers see it.
type call struct {
	op   *s3request.Operation
	info *reqInfo
	q    url.Values
}

// handler serves one S3 operation; an error it returns is written as S3's
// error answer, so it returns one only before writing anything.
type handler func(g *gateway, w http.ResponseWriter, r *http.Request, c *call) error

// handlers are the operations the gateway serves, by API name.
var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"ListBuckets":        (*gateway).listBuckets,
		"CreateBucket":       (*gateway).createBucket,
		"DeleteBucket":       (*gateway).deleteBucket,
		"HeadBucket":         (*gateway).headBucket,
		"GetBucketLocation":  (*gateway).getBucketLocation,
		"ListObjects":        (*gateway).listObjects,
		"ListObjectsV2":      (*gateway).listObjects,
		"ListObjectVersions": (*gateway).listObjectVersions,

		"PutObject":           (*gateway).putObject,
		"GetObject":           (*gateway).getObject,
		"HeadObject":          (*gateway).getObject,
		"DeleteObject":        (*gateway).deleteObject,
		"DeleteObjects":       (*gateway).deleteObjects,
		"CopyObject":          (*gateway).copyObject,
		"GetObjectTagging":    (*gateway).getObjectTagging,
		"PutObjectTagging":    (*gateway).putObjectTagging,
		"DeleteObjectTagging": (*gateway).deleteObjectTagging,
		"GetObjectAcl":        (*gateway).getObjectAcl,
		"PutObjectAcl":        (*gateway).putObjectAcl,

		"CreateMultipartUpload":   (*gateway).createMultipartUpload,
		"UploadPart":              (*gateway).uploadPart,
		"UploadPartCopy":          (*gateway).uploadPart,
		"CompleteMultipartUpload": (*gateway).completeMultipartUpload,
		"AbortMultipartUpload":    (*gateway).abortMultipartUpload,
		"ListParts":               (*gateway).listParts,
		"ListMultipartUploads":    (*gateway).listMultipartUploads,

		"GetBucketPolicy":               (*gateway).getBucketPolicy,
		"PutBucketPolicy":               (*gateway).putBucketPolicy,
		"DeleteBucketPolicy":            (*gateway).deleteBucketPolicy,
		"GetBucketPolicyStatus":         (*gateway).getBucketPolicyStatus,
		"GetBucketAcl":                  (*gateway).getBucketAcl,
		"PutBucketAcl":                  (*gateway).putBucketAcl,
		"GetBucketTagging":              (*gateway).getBucketTagging,
		"PutBucketTagging":              (*gateway).putBucketTagging,
		"DeleteBucketTagging":           (*gateway).deleteBucketTagging,
		"GetBucketVersioning":           (*gateway).getBucketVersioning,
		"PutBucketVersioning":           (*gateway).putBucketVersioning,
		"GetPublicAccessBlock":          (*gateway).getPublicAccessBlock,
		"PutPublicAccessBlock":          (*gateway).putPublicAccessBlock,
		"DeletePublicAccessBlock":       (*gateway).deletePublicAccessBlock,
		"GetBucketOwnershipControls":    (*gateway).getBucketOwnershipControls,
		"PutBucketOwnershipControls":    (*gateway).putBucketOwnershipControls,
		"DeleteBucketOwnershipControls": (*gateway).deleteBucketOwnershipControls,
	}
}

// serveS3 serves a request the middleware allowed.
func (g *gateway) serveS3(w http.ResponseWriter, r *http.Request) {
	op, _, ok := s3request.FromContext(r.Context())
	info := infoFrom(r.Context())
	if !ok && g.withoutAuthorization && info != nil && info.op != nil {
		op, ok = info.op, true
	}
	id := w.Header().Get("X-Amz-Request-Id")
	if !ok || info == nil {
		writeS3Error(w, r, id, errInternal, requestResource(r))
		return
	}
	h := handlers[op.Name]
	if h == nil {
		writeS3Error(w, r, id, &s3Error{http.StatusNotImplemented, "NotImplemented", "The gateway does not implement " + op.Name + "."}, op.Resource())
		return
	}
	if err := h(g, w, r, &call{op: op, info: info, q: r.URL.Query()}); err != nil {
		writeS3Error(w, r, id, asS3Error(err), op.Resource())
	}
}

// bucketOf returns the operation's bucket; the caller holds the lock.
func (g *gateway) bucketOf(c *call) (*bucket, error) {
	b := g.world.buckets[c.op.Bucket]
	if b == nil {
		return nil, errNoSuchBucket
	}
	return b, nil
}

// listBuckets answers ListBuckets with the buckets the caller's account
// owns.
func (g *gateway) listBuckets(w http.ResponseWriter, r *http.Request, c *call) error {
	type bucketEntry struct {
		Name         string
		CreationDate string
		BucketRegion string `xml:",omitempty"`
	}
	res := struct {
		XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
		Owner   owner
		Buckets []bucketEntry `xml:"Buckets>Bucket"`
	}{}
	acct := c.info.caller.Principal.Account()
	u, err := g.world.canonicalUser(r.Context(), acct)
	if err != nil {
		return err
	}
	res.Owner.ID = string(u.ID)
	g.world.mu.RLock()
	for name, b := range g.world.buckets {
		if b.rec.Owner == acct {
			res.Buckets = append(res.Buckets, bucketEntry{Name: name, CreationDate: s3Time(b.created)})
		}
	}
	g.world.mu.RUnlock()
	sort.Slice(res.Buckets, func(i, j int) bool { return res.Buckets[i].Name < res.Buckets[j].Name })
	return writeXML(w, res)
}

// createBucket answers CreateBucket: the caller's account owns the new
// bucket, with S3's defaults for new buckets (BucketOwnerEnforced unless
// x-amz-object-ownership says otherwise, Block Public Access all on).
func (g *gateway) createBucket(w http.ResponseWriter, r *http.Request, c *call) error {
	if !ownership.ValidBucketName(c.op.Bucket) {
		return &s3Error{http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid."}
	}
	var cfg struct {
		LocationConstraint string
	}
	if r.ContentLength != 0 && r.Body != nil {
		var doc struct {
			XMLName            xml.Name `xml:"CreateBucketConfiguration"`
			LocationConstraint string
		}
		if err := readXML(r, &doc); err != nil && r.ContentLength > 0 {
			return err
		}
		cfg.LocationConstraint = doc.LocationConstraint
	}
	if cfg.LocationConstraint != "" && cfg.LocationConstraint != "us-east-1" {
		return &s3Error{http.StatusBadRequest, "IllegalLocationConstraintException", "The gateway serves us-east-1 only."}
	}
	mode := ownership.BucketOwnerEnforced
	if h := r.Header.Get("X-Amz-Object-Ownership"); h != "" {
		m, err := ownership.ParseMode(h)
		if err != nil {
			return &s3Error{http.StatusBadRequest, "InvalidArgument", "Invalid x-amz-object-ownership header: " + cut(h)}
		}
		mode = m
	}
	a, has, err := g.requestACL(r.Context(), r, c.op, c.info)
	if err != nil {
		return &s3Error{http.StatusBadRequest, "InvalidArgument", "The ACL headers are invalid."}
	}
	canned := r.Header.Get("X-Amz-Acl")
	if has && canned != "private" && !mode.AcceptsACL(canned, canned == "") {
		return &s3Error{http.StatusBadRequest, "InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"}
	}
	rec := &ownership.Bucket{Name: c.op.Bucket, Owner: c.info.caller.Principal.Account(), Mode: mode,
		Product: c.info.product, PublicAccessBlock: ownership.BlockAllPublicAccess()}
	if err := rec.Validate(); err != nil {
		return &s3Error{http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid."}
	}
	wd := g.world
	wd.mu.Lock()
	defer wd.mu.Unlock()
	if old := wd.buckets[c.op.Bucket]; old != nil {
		if old.rec.Owner == rec.Owner {
			return &s3Error{http.StatusConflict, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it."}
		}
		return &s3Error{http.StatusConflict, "BucketAlreadyExists", "The requested bucket name is not available."}
	}
	wd.buckets[c.op.Bucket] = &bucket{rec: rec, created: g.now().UTC(), acl: a, bpaSet: true, ownershipSet: true,
		objects: map[string][]*version{}}
	w.Header().Set("Location", "/"+c.op.Bucket)
	w.WriteHeader(http.StatusOK)
	return nil
}

// deleteBucket answers DeleteBucket: only an empty bucket, without
// uploads in progress, is deleted.
func (g *gateway) deleteBucket(w http.ResponseWriter, _ *http.Request, c *call) error {
	wd := g.world
	wd.mu.Lock()
	defer wd.mu.Unlock()
	b, err := g.bucketOf(c)
	if err != nil {
		return err
	}
	busy := len(b.objects) > 0
	for _, u := range wd.uploads {
		busy = busy || u.bucket == c.op.Bucket
	}
	if busy {
		return &s3Error{http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty"}
	}
	delete(wd.buckets, c.op.Bucket)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// headBucket answers HeadBucket.
func (g *gateway) headBucket(w http.ResponseWriter, _ *http.Request, c *call) error {
	g.world.mu.RLock()
	_, err := g.bucketOf(c)
	g.world.mu.RUnlock()
	if err != nil {
		return err
	}
	w.Header().Set("X-Amz-Bucket-Region", "us-east-1")
	w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketLocation answers GetBucketLocation: us-east-1, which S3 writes
// as an empty LocationConstraint.
func (g *gateway) getBucketLocation(w http.ResponseWriter, _ *http.Request, c *call) error {
	return writeXML(w, struct {
		XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
		Value   string   `xml:",chardata"`
	}{})
}

// maxKeys reads a max-keys style parameter: default 1000, at most 1000.
func maxKeys(q url.Values, name string) (int, error) {
	s := q.Get(name)
	if s == "" {
		return 1000, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, &s3Error{http.StatusBadRequest, "InvalidArgument", "Provided " + name + " not an integer or within integer range"}
	}
	return min(n, 1000), nil
}

// listEntry is one key or common prefix of a listing.
type listEntry struct {
	key    string // "" for a common prefix
	prefix string
}

// name is the entry's key or common prefix.
func (e listEntry) name() string {
	if e.key != "" {
		return e.key
	}
	return e.prefix
}

// walk lists keys after start with prefix, rolling keys up to common
// prefixes at delimiter, at most max entries; it reports whether more
// follow.
func walk(keys []string, prefix, delimiter, start string, max int) ([]listEntry, bool) {
	var out []listEntry
	last := ""
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) || k <= start {
			continue
		}
		e := listEntry{key: k}
		if delimiter != "" {
			if i := strings.Index(k[len(prefix):], delimiter); i >= 0 {
				cp := k[:len(prefix)+i+len(delimiter)]
				if cp == last || cp <= start {
					continue
				}
				e = listEntry{prefix: cp}
			}
		}
		if len(out) == max {
			return out, true
		}
		out = append(out, e)
		last = e.name()
	}
	return out, false
}

// listObjects answers ListObjects (v1, marker) and ListObjectsV2
// (continuation-token, start-after).
func (g *gateway) listObjects(w http.ResponseWriter, r *http.Request, c *call) error {
	q := c.q
	max, err := maxKeys(q, "max-keys")
	if err != nil {
		return err
	}
	prefix, delimiter := q.Get("prefix"), q.Get("delimiter")
	encURL := q.Get("encoding-type") == "url"
	if et := q.Get("encoding-type"); et != "" && !encURL {
		return &s3Error{http.StatusBadRequest, "InvalidArgument", "Invalid Encoding Method specified in Request"}
	}
	enc := func(s string) string {
		if encURL {
			return urlEncode(s)
		}
		return s
	}
	v2 := c.op.Name == "ListObjectsV2"
	start := q.Get("marker")
	if v2 {
		start = q.Get("start-after")
		if tok := q.Get("continuation-token"); tok != "" {
			raw, err := base64.RawURLEncoding.DecodeString(tok)
			if err != nil {
				return &s3Error{http.StatusBadRequest, "InvalidArgument", "The continuation token provided is incorrect"}
			}
			start = string(raw)
		}
	}
	g.world.mu.RLock()
	b, err := g.bucketOf(c)
	if err != nil {
		g.world.mu.RUnlock()
		return err
	}
	entries, truncated := walk(b.liveKeys(), prefix, delimiter, start, max)
	type content struct {
		Key          string
		LastModified string
		ETag         string
		Size         int
		Owner        *owner `xml:",omitempty"`
		StorageClass string
	}
	type commonPrefix struct{ Prefix string }
	var contents []content
	var prefixes []commonPrefix
	for _, e := range entries {
		if e.key == "" {
			prefixes = append(prefixes, commonPrefix{enc(e.prefix)})
			continue
		}
		v := b.find(e.key, "")
		ct := content{Key: enc(e.key), LastModified: s3Time(v.modified), ETag: v.etag, Size: len(v.data), StorageClass: "STANDARD"}
		if !v2 || q.Get("fetch-owner") == "true" {
			if u, err := g.world.ownerUser(r.Context(), b.rec.EffectiveOwner(v.rec)); err == nil {
				ct.Owner = &owner{ID: string(u.ID)}
			}
		}
		contents = append(contents, ct)
	}
	g.world.mu.RUnlock()
	next := ""
	if truncated && len(entries) > 0 {
		next = entries[len(entries)-1].name()
	}
	encType := ""
	if encURL {
		encType = "url"
	}
	if v2 {
		res := struct {
			XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
			Name                  string
			Prefix                string
			Delimiter             string `xml:",omitempty"`
			MaxKeys               int
			KeyCount              int
			IsTruncated           bool
			EncodingType          string `xml:",omitempty"`
			ContinuationToken     string `xml:",omitempty"`
			NextContinuationToken string `xml:",omitempty"`
			StartAfter            string `xml:",omitempty"`
			Contents              []content
			CommonPrefixes        []commonPrefix
		}{Name: c.op.Bucket, Prefix: enc(prefix), Delimiter: enc(delimiter), MaxKeys: max, KeyCount: len(entries),
			IsTruncated: truncated, EncodingType: encType, ContinuationToken: q.Get("continuation-token"),
			StartAfter: enc(q.Get("start-after")), Contents: contents, CommonPrefixes: prefixes}
		if truncated {
			res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(next))
		}
		return writeXML(w, res)
	}
	res := struct {
		XMLName        xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
		Name           string
		Prefix         string
		Marker         string
		NextMarker     string `xml:",omitempty"`
		Delimiter      string `xml:",omitempty"`
		MaxKeys        int
		IsTruncated    bool
		EncodingType   string `xml:",omitempty"`
		Contents       []content
		CommonPrefixes []commonPrefix
	}{Name: c.op.Bucket, Prefix: enc(prefix), Marker: enc(start), Delimiter: enc(delimiter), MaxKeys: max,
		IsTruncated: truncated, EncodingType: encType, Contents: contents, CommonPrefixes: prefixes}
	if truncated && delimiter != "" {
		res.NextMarker = enc(next)
	}
	return writeXML(w, res)
}

// listObjectVersions answers ListObjectVersions: every version and delete
// marker, newest first for each key, keys in order.
func (g *gateway) listObjectVersions(w http.ResponseWriter, r *http.Request, c *call) error {
	q := c.q
	max, err := maxKeys(q, "max-keys")
	if err != nil {
		return err
	}
	prefix, delimiter := q.Get("prefix"), q.Get("delimiter")
	keyMarker, vidMarker := q.Get("key-marker"), q.Get("version-id-marker")
	type entry struct {
		XMLName      xml.Name
		Key          string
		VersionId    string
		IsLatest     bool
		LastModified string
		ETag         string `xml:",omitempty"`
		Size         *int   `xml:",omitempty"`
		StorageClass string `xml:",omitempty"`
		Owner        owner
	}
	type commonPrefix struct{ Prefix string }
	res := struct {
		XMLName             xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListVersionsResult"`
		Name                string
		Prefix              string
		KeyMarker           string
		VersionIdMarker     string
		NextKeyMarker       string `xml:",omitempty"`
		NextVersionIdMarker string `xml:",omitempty"`
		Delimiter           string `xml:",omitempty"`
		MaxKeys             int
		IsTruncated         bool
		Entries             []entry
		CommonPrefixes      []commonPrefix
	}{Name: c.op.Bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: vidMarker, Delimiter: delimiter, MaxKeys: max}
	g.world.mu.RLock()
	defer g.world.mu.RUnlock()
	b, err := g.bucketOf(c)
	if err != nil {
		return err
	}
	n := 0
	lastCP := ""
	pastMarker := vidMarker == ""
keys:
	for _, k := range b.allKeys() {
		if !strings.HasPrefix(k, prefix) || k < keyMarker || (k == keyMarker && vidMarker == "") {
			continue
		}
		if delimiter != "" {
			if i := strings.Index(k[len(prefix):], delimiter); i >= 0 {
				cp := k[:len(prefix)+i+len(delimiter)]
				if cp == lastCP || cp <= keyMarker {
					continue
				}
				if n == max {
					res.IsTruncated = true
					break
				}
				res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{cp})
				res.NextKeyMarker, res.NextVersionIdMarker = cp, ""
				lastCP = cp
				n++
				continue
			}
		}
		vs := b.objects[k]
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i]
			if k == keyMarker && !pastMarker {
				if v.id == vidMarker {
					pastMarker = true
				}
				continue
			}
			if n == max {
				res.IsTruncated = true
				break keys
			}
			e := entry{XMLName: xml.Name{Local: "Version"}, Key: k, VersionId: v.id, IsLatest: i == len(vs)-1, LastModified: s3Time(v.modified)}
			if v.deleteMarker {
				e.XMLName.Local = "DeleteMarker"
			} else {
				size := len(v.data)
				e.ETag, e.Size, e.StorageClass = v.etag, &size, "STANDARD"
			}
			if u, err := g.world.ownerUser(r.Context(), b.rec.EffectiveOwner(v.rec)); err == nil {
				e.Owner.ID = string(u.ID)
			}
			res.Entries = append(res.Entries, e)
			res.NextKeyMarker, res.NextVersionIdMarker = k, v.id
			n++
		}
	}
	if !res.IsTruncated {
		res.NextKeyMarker, res.NextVersionIdMarker = "", ""
	}
	return writeXML(w, res)
}

// urlEncode is S3's encoding-type=url: percent-encoding, '/' kept.
func urlEncode(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(url.QueryEscape(s), "+", "%20"), "%2F", "/")
}

// cut shortens client input quoted in a message.
func cut(s string) string {
	if len(s) > 64 {
		return s[:64]
	}
	return s
}

// defaultACL is the ACL S3 shows for a resource without one: its owner's
// FULL_CONTROL.
func defaultACL(owner acl.User) *acl.ACL {
	return &acl.ACL{Owner: owner, Grants: []acl.Grant{{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: owner.ID}, Permission: acl.FullControl}}}
}
