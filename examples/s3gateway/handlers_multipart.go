package main

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/s3authz/s3authz/ownership"
)

// minPartSize is the smallest part but the last that S3 accepts in
// CompleteMultipartUpload: 5 MiB.
const minPartSize = 5 << 20

// maxUploads bounds the uploads in progress, so that the gateway's memory
// is bounded by them too.
const maxUploads = 1000

// createMultipartUpload answers CreateMultipartUpload: the upload keeps the
// ACL, tags, metadata and content type the object will get.
func (g *gateway) createMultipartUpload(w http.ResponseWriter, r *http.Request, c *call) error {
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
	if len(g.world.uploads) >= maxUploads {
		return &s3Error{http.StatusServiceUnavailable, "SlowDown", "Too many multipart uploads in progress."}
	}
	u := &upload{id: newID(), bucket: c.op.Bucket, key: c.op.Key, initiator: c.info.caller.Principal,
		owner:   b.rec.Mode.ObjectOwner(b.rec.Owner, ownership.OwnerOf(c.info.caller.Principal), c.reqCanned()),
		started: g.now().UTC(), writeAttrs: at, parts: map[int32]*part{}}
	g.world.uploads[u.id] = u
	return writeXML(w, struct {
		XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
		Bucket   string
		Key      string
		UploadId string
	}{Bucket: c.op.Bucket, Key: c.op.Key, UploadId: u.id})
}

// uploadOf returns the upload the request names, which must be of its
// bucket and key; the caller holds the lock.
func (g *gateway) uploadOf(c *call) (*upload, error) {
	u := g.world.uploads[c.q.Get("uploadId")]
	if u == nil || u.bucket != c.op.Bucket || u.key != c.op.Key {
		return nil, errNoSuchUpload
	}
	return u, nil
}

// uploadPart answers UploadPart and UploadPartCopy (with
// x-amz-copy-source-range).
func (g *gateway) uploadPart(w http.ResponseWriter, r *http.Request, c *call) error {
	n, err := strconv.Atoi(c.q.Get("partNumber"))
	if err != nil || n < 1 || n > 10000 {
		return &s3Error{http.StatusBadRequest, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive"}
	}
	copying := c.op.Name == "UploadPartCopy"
	var data []byte
	var sum [2]string
	if !copying {
		if data, sum, err = readPayload(r, g.maxObject); err != nil {
			return err
		}
	}
	g.world.mu.Lock()
	defer g.world.mu.Unlock()
	u, err := g.uploadOf(c)
	if err != nil {
		return err
	}
	if copying {
		src, err := g.copySource(c)
		if err != nil {
			return err
		}
		data = src.data
		if rg := r.Header.Get("X-Amz-Copy-Source-Range"); rg != "" {
			start, end, ok, err := parseRange(rg, int64(len(data)))
			if err != nil || !ok {
				return &s3Error{http.StatusBadRequest, "InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy"}
			}
			data = data[start : end+1]
		}
	}
	p := &part{data: data, etag: etagOf(data), sum: md5.Sum(data), modified: g.now().UTC()}
	u.parts[int32(n)] = p
	if copying {
		return writeXML(w, struct {
			XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
			LastModified string
			ETag         string
		}{LastModified: s3Time(p.modified), ETag: p.etag})
	}
	w.Header().Set("ETag", p.etag)
	if sum[0] != "" {
		w.Header().Set(sum[0], sum[1])
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// completeMultipartUpload answers CompleteMultipartUpload: the parts named,
// in ascending order, with their ETags, every one but the last at least
// 5 MiB; the object's ETag is the MD5 of the parts' MD5s, "-" and their
// number.
func (g *gateway) completeMultipartUpload(w http.ResponseWriter, r *http.Request, c *call) error {
	var doc struct {
		XMLName xml.Name `xml:"CompleteMultipartUpload"`
		Parts   []struct {
			PartNumber int32
			ETag       string
		} `xml:"Part"`
	}
	if err := readXML(r, &doc); err != nil {
		return err
	}
	if len(doc.Parts) == 0 || len(doc.Parts) > 10000 {
		return errMalformedXML
	}
	g.world.mu.Lock()
	defer g.world.mu.Unlock()
	b, err := g.bucketOf(c)
	if err != nil {
		return err
	}
	u, err := g.uploadOf(c)
	if err != nil {
		return err
	}
	var data []byte
	sums := md5.New()
	for i, dp := range doc.Parts {
		if i > 0 && dp.PartNumber <= doc.Parts[i-1].PartNumber {
			return errInvalidPartOrder
		}
		p := u.parts[dp.PartNumber]
		if p == nil || strings.Trim(dp.ETag, `"`) != strings.Trim(p.etag, `"`) {
			return errInvalidPart
		}
		if i < len(doc.Parts)-1 && len(p.data) < minPartSize {
			return &s3Error{http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size."}
		}
		if int64(len(data)+len(p.data)) > g.maxObject {
			return errEntityTooLarge
		}
		data = append(data, p.data...)
		sums.Write(p.sum[:])
	}
	etag := fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(sums.Sum(nil)), len(doc.Parts))
	v := g.newVersion(b, c, data, etag, u.writeAttrs)
	v.rec.Owner = u.owner
	b.put(c.op.Key, v)
	delete(g.world.uploads, u.id)
	if b.versioning != "" {
		w.Header().Set("X-Amz-Version-Id", v.id)
	}
	return writeXML(w, struct {
		XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
		Location string
		Bucket   string
		Key      string
		ETag     string
	}{Location: "/" + c.op.Bucket + "/" + c.op.Key, Bucket: c.op.Bucket, Key: c.op.Key, ETag: etag})
}

// abortMultipartUpload answers AbortMultipartUpload.
func (g *gateway) abortMultipartUpload(w http.ResponseWriter, _ *http.Request, c *call) error {
	g.world.mu.Lock()
	defer g.world.mu.Unlock()
	u, err := g.uploadOf(c)
	if err != nil {
		return err
	}
	delete(g.world.uploads, u.id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// initiator is the Initiator element of upload listings.
type initiator struct {
	ID string
}

// listParts answers ListParts, with max-parts and part-number-marker.
func (g *gateway) listParts(w http.ResponseWriter, r *http.Request, c *call) error {
	max, err := maxKeys(c.q, "max-parts")
	if err != nil {
		return err
	}
	marker := 0
	if s := c.q.Get("part-number-marker"); s != "" {
		if marker, err = strconv.Atoi(s); err != nil || marker < 0 {
			return errInvalidArgument
		}
	}
	type partXML struct {
		PartNumber   int32
		LastModified string
		ETag         string
		Size         int
	}
	res := struct {
		XMLName              xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
		Bucket               string
		Key                  string
		UploadId             string
		Initiator            initiator
		Owner                owner
		StorageClass         string
		PartNumberMarker     int
		NextPartNumberMarker int
		MaxParts             int
		IsTruncated          bool
		Parts                []partXML `xml:"Part"`
	}{Bucket: c.op.Bucket, Key: c.op.Key, UploadId: c.q.Get("uploadId"), StorageClass: "STANDARD", PartNumberMarker: marker, MaxParts: max}
	g.world.mu.RLock()
	defer g.world.mu.RUnlock()
	u, err := g.uploadOf(c)
	if err != nil {
		return err
	}
	res.Initiator.ID = u.initiator.ARN()
	if u.initiator.IsAnonymous() {
		res.Initiator.ID = string(ownership.AnonymousCanonicalID)
	}
	if ou, err := g.world.ownerUser(r.Context(), u.owner); err == nil {
		res.Owner.ID = string(ou.ID)
	}
	nums := make([]int, 0, len(u.parts))
	for n := range u.parts {
		nums = append(nums, int(n))
	}
	sort.Ints(nums)
	for _, n := range nums {
		if n <= marker {
			continue
		}
		if len(res.Parts) == max {
			res.IsTruncated = true
			break
		}
		p := u.parts[int32(n)]
		res.Parts = append(res.Parts, partXML{PartNumber: int32(n), LastModified: s3Time(p.modified), ETag: p.etag, Size: len(p.data)})
		res.NextPartNumberMarker = n
	}
	return writeXML(w, res)
}

// listMultipartUploads answers ListMultipartUploads, with prefix,
// key-marker, upload-id-marker and max-uploads (no delimiter rollup).
func (g *gateway) listMultipartUploads(w http.ResponseWriter, r *http.Request, c *call) error {
	max, err := maxKeys(c.q, "max-uploads")
	if err != nil {
		return err
	}
	prefix, keyMarker, idMarker := c.q.Get("prefix"), c.q.Get("key-marker"), c.q.Get("upload-id-marker")
	type uploadXML struct {
		Key          string
		UploadId     string
		Initiator    initiator
		Owner        owner
		StorageClass string
		Initiated    string
	}
	res := struct {
		XMLName            xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
		Bucket             string
		KeyMarker          string
		UploadIdMarker     string
		NextKeyMarker      string
		NextUploadIdMarker string
		Prefix             string
		MaxUploads         int
		IsTruncated        bool
		Uploads            []uploadXML `xml:"Upload"`
	}{Bucket: c.op.Bucket, KeyMarker: keyMarker, UploadIdMarker: idMarker, Prefix: prefix, MaxUploads: max}
	g.world.mu.RLock()
	defer g.world.mu.RUnlock()
	var ups []*upload
	for _, u := range g.world.uploads {
		if u.bucket == c.op.Bucket && strings.HasPrefix(u.key, prefix) &&
			(u.key > keyMarker || u.key == keyMarker && idMarker != "" && u.id > idMarker) {
			ups = append(ups, u)
		}
	}
	sort.Slice(ups, func(i, j int) bool {
		if ups[i].key != ups[j].key {
			return ups[i].key < ups[j].key
		}
		return ups[i].id < ups[j].id
	})
	for _, u := range ups {
		if len(res.Uploads) == max {
			res.IsTruncated = true
			break
		}
		e := uploadXML{Key: u.key, UploadId: u.id, Initiator: initiator{u.initiator.ARN()}, StorageClass: "STANDARD", Initiated: s3Time(u.started)}
		if ou, err := g.world.ownerUser(r.Context(), u.owner); err == nil {
			e.Owner.ID = string(ou.ID)
		}
		res.Uploads = append(res.Uploads, e)
		res.NextKeyMarker, res.NextUploadIdMarker = u.key, u.id
	}
	return writeXML(w, res)
}
