package main

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/s3authz/s3authz/examples/s3gateway/sigv4"
)

// s3NS is the namespace of S3's XML documents.
const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

// s3Error is an S3 error answer: status, code and message.
type s3Error struct {
	status        int
	code, message string
}

func (e *s3Error) Error() string { return e.code + ": " + e.message }

// The errors the handlers answer with, as S3 words them.
var (
	errAccessDenied     = &s3Error{http.StatusForbidden, "AccessDenied", "Access Denied"}
	errNoSuchBucket     = &s3Error{http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist"}
	errNoSuchKey        = &s3Error{http.StatusNotFound, "NoSuchKey", "The specified key does not exist."}
	errNoSuchVersion    = &s3Error{http.StatusNotFound, "NoSuchVersion", "The specified version does not exist."}
	errNoSuchUpload     = &s3Error{http.StatusNotFound, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."}
	errMalformedXML     = &s3Error{http.StatusBadRequest, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema."}
	errMalformedACL     = &s3Error{http.StatusBadRequest, "MalformedACLError", "The XML you provided was not well-formed or did not validate against our published schema."}
	errMalformedPolicy  = &s3Error{http.StatusBadRequest, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'"}
	errEntityTooLarge   = &s3Error{http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size."}
	errIncompleteBody   = &s3Error{http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header."}
	errBadDigest        = &s3Error{http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received."}
	errInvalidDigest    = &s3Error{http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified was invalid."}
	errInvalidRange     = &s3Error{http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable"}
	errPrecondition     = &s3Error{http.StatusPreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold"}
	errInvalidArgument  = &s3Error{http.StatusBadRequest, "InvalidArgument", "Invalid Argument"}
	errInvalidPart      = &s3Error{http.StatusBadRequest, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."}
	errInvalidPartOrder = &s3Error{http.StatusBadRequest, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number."}
	errNotImplemented   = &s3Error{http.StatusNotImplemented, "NotImplemented", "A header you provided implies functionality that is not implemented."}
	errInternal         = &s3Error{http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again."}
)

// writeS3Error writes S3's error answer: status, x-amz-request-id and, but
// for HEAD, the Error document.
func writeS3Error(w http.ResponseWriter, r *http.Request, id string, e *s3Error, resource string) {
	h := w.Header()
	h.Set("X-Amz-Request-Id", id)
	if r.Method == http.MethodHead {
		w.WriteHeader(e.status)
		return
	}
	doc := struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		Resource  string
		RequestId string
	}{Code: e.code, Message: e.message, Resource: resource, RequestId: id}
	body, err := xml.Marshal(doc)
	if err != nil {
		body = nil
	}
	body = append([]byte(xml.Header), body...)
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}

// writeXML writes a 200 answer with an XML document; v's root element
// carries the S3 namespace (its XMLName's Space).
func writeXML(w http.ResponseWriter, v any) error {
	body, err := xml.Marshal(v)
	if err != nil {
		return err
	}
	writeBody(w, "application/xml", append([]byte(xml.Header), body...))
	return nil
}

// writeBody writes a 200 answer with a body of the content type.
func writeBody(w http.ResponseWriter, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// bodyError is S3's answer to a request body that could not be read: the
// verifier's (a payload hash, chunk signature or checksum that does not
// match, bad aws-chunked framing), or IncompleteBody.
func bodyError(err error) *s3Error {
	var se *sigv4.Error
	if errors.As(err, &se) {
		return &s3Error{se.Status, se.Code, se.Message}
	}
	return errIncompleteBody
}

// readXML decodes a bounded XML request body into v. A body over the limit,
// with a DTD, or that does not decode is MalformedXML.
func readXML(r *http.Request, v any) error {
	if r.Body == nil {
		return errMalformedXML
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxXMLBody+1))
	if err != nil {
		return bodyError(err)
	}
	if len(data) > maxXMLBody || strings.Contains(string(data), "<!") {
		return errMalformedXML
	}
	if _, err := verifyChecksums(r, data); err != nil {
		return err
	}
	if err := xml.Unmarshal(data, v); err != nil {
		return errMalformedXML
	}
	return nil
}

// s3Time formats a time as S3's XML documents do.
func s3Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// requestResource is the Resource of an error about a request that did
// not map: its path.
func requestResource(r *http.Request) string {
	p := r.URL.EscapedPath()
	if p == "" {
		p = "/"
	}
	if len(p) > 1100 {
		p = p[:1100]
	}
	return p
}

// asS3Error returns err as an *s3Error, InternalError for any other.
func asS3Error(err error) *s3Error {
	var e *s3Error
	if errors.As(err, &e) {
		return e
	}
	return errInternal
}

// owner is the Owner element of listings and ACL-less answers.
type owner struct {
	ID string `xml:"ID"`
}
