package main

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/s3request"
)

const owner = "111122223333"

// accessKeys are the callers' access key IDs; principals maps them back.
var (
	accessKeys = map[string]string{"alice": "AKIAALICEEXAMPLE0001"}
	principals = map[string]string{"AKIAALICEEXAMPLE0001": "arn:aws:iam::" + owner + ":user/alice"}
)

// The bucket policy lets anyone read photos/public/*; alice's identity
// policy lets her read, list and write the bucket, and delete under tmp/.
const (
	bucketPolicy = `{"Version":"2012-10-17","Statement":[
	  {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/public/*"}]}`
	alicePolicy = `{"Version":"2012-10-17","Statement":[
	  {"Sid":"ReadWrite","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::photos","arn:aws:s3:::photos/*"]},
	  {"Sid":"CleanTmp","Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::photos/tmp/*"}]}`
)

// store is the world: one bucket's records and objects, and the policies.
type store struct {
	mu       sync.Mutex
	bucket   *ownership.Bucket
	objects  map[string][]byte
	policy   *evaluate.Prepared
	identity map[string][]*evaluate.Prepared
}

func prepare(kind policy.Kind, doc string) (*evaluate.Prepared, error) {
	p, err := policy.Parse(kind, []byte(doc))
	if err != nil {
		return nil, err
	}
	return evaluate.Prepare(p)
}

func newStore() (*store, error) {
	bp, err := prepare(policy.Bucket, bucketPolicy)
	if err != nil {
		return nil, err
	}
	ap, err := prepare(policy.Identity, alicePolicy)
	if err != nil {
		return nil, err
	}
	return &store{
		bucket:   &ownership.Bucket{Name: "photos", Owner: owner},
		objects:  map[string][]byte{"public/cat.jpg": []byte("cat"), "private/diary.txt": []byte("dear diary"), "tmp/a": []byte("a")},
		policy:   bp,
		identity: map[string][]*evaluate.Prepared{principals[accessKeys["alice"]]: {ap}},
	}, nil
}

// Lookup returns the records one check needs (s3request.Store).
func (s *store) Lookup(_ context.Context, _ *s3request.Operation, c *s3request.Check, p ownership.Principal) (evaluate.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ec := evaluate.Context{Identity: s.identity[p.String()]}
	if c.Bucket != s.bucket.Name {
		return ec, nil // no such bucket: evaluate refuses the request
	}
	ec.Bucket, ec.BucketPolicy = s.bucket, s.policy
	if _, ok := s.objects[c.Key]; ok && c.Key != "" {
		ec.Object = &ownership.Object{Bucket: c.Bucket, Key: c.Key, Owner: ownership.AccountOwner(owner)}
	}
	return ec, nil
}

// identify reads the access key from the SigV4 credential scope, in the
// Authorization header or a presigned URL; no credential is anonymous.
// It does not verify the signature (see the package doc).
func identify(r *http.Request) (ownership.Principal, error) {
	cred := r.URL.Query().Get("X-Amz-Credential")
	if auth := r.Header.Get("Authorization"); auth != "" {
		_, after, ok := strings.Cut(auth, "Credential=")
		if !ok {
			return ownership.Principal{}, errors.New("no credential")
		}
		cred = after
	}
	if cred == "" {
		return ownership.Anonymous(), nil
	}
	key, _, _ := strings.Cut(cred, "/")
	arn, ok := principals[key]
	if !ok {
		return ownership.Principal{}, errors.New("unknown access key")
	}
	return ownership.ParsePrincipal(arn)
}

// start serves the store behind the middleware on a loopback port.
func start() (*server, error) {
	st, err := newStore()
	if err != nil {
		return nil, err
	}
	m, err := s3request.New(s3request.Config{Endpoints: []string{"s3.example.com"}})
	if err != nil {
		return nil, err
	}
	mw := &s3request.Middleware{Mapper: m, Store: st, Identify: identify}
	ts := httptest.NewServer(mw.Wrap(http.HandlerFunc(st.serve)))
	return &server{Server: ts, addr: ts.Listener.Addr().String(), store: st}, nil
}

// serve answers the operations the demonstration makes, once the
// middleware has allowed them.
func (s *store) serve(w http.ResponseWriter, r *http.Request) {
	op, _, _ := s3request.FromContext(r.Context())
	s.mu.Lock()
	defer s.mu.Unlock()
	switch op.Name {
	case "GetObject", "HeadObject":
		body, ok := s.objects[op.Key]
		if !ok {
			http.Error(w, "", http.StatusNotFound)
			return
		}
		w.Write(body)
	case "PutObject":
		body, _ := io.ReadAll(r.Body)
		s.objects[op.Key] = body
	case "CopyObject":
		src := op.Checks[0] // the source's check comes first
		s.objects[op.Key] = s.objects[src.Key]
		xml.NewEncoder(w).Encode(struct {
			XMLName xml.Name `xml:"CopyObjectResult"`
			ETag    string
		}{ETag: `"copy"`})
	case "CreateMultipartUpload":
		xml.NewEncoder(w).Encode(struct {
			XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
			Bucket   string
			Key      string
			UploadId string
		}{Bucket: op.Bucket, Key: op.Key, UploadId: "upload-1"})
	case "UploadPart":
		io.Copy(io.Discard, r.Body)
		w.Header().Set("ETag", `"part-1"`)
	case "CompleteMultipartUpload":
		io.Copy(io.Discard, r.Body)
		s.objects[op.Key] = []byte("assembled")
		xml.NewEncoder(w).Encode(struct {
			XMLName xml.Name `xml:"CompleteMultipartUploadResult"`
			Bucket  string
			Key     string
			ETag    string
		}{Bucket: op.Bucket, Key: op.Key, ETag: `"mpu"`})
	case "DeleteObjects":
		var res struct {
			XMLName xml.Name               `xml:"DeleteResult"`
			Deleted []struct{ Key string } `xml:"Deleted"`
		}
		for _, c := range op.Checks {
			delete(s.objects, c.Key)
			res.Deleted = append(res.Deleted, struct{ Key string }{c.Key})
		}
		xml.NewEncoder(w).Encode(res)
	case "ListObjectsV2":
		type content struct{ Key string }
		res := struct {
			XMLName  xml.Name `xml:"ListBucketResult"`
			Name     string
			Prefix   string
			KeyCount int
			Contents []content
		}{Name: op.Bucket, Prefix: r.URL.Query().Get("prefix")}
		var keys []string
		for k := range s.objects {
			if strings.HasPrefix(k, res.Prefix) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			res.Contents = append(res.Contents, content{k})
		}
		res.KeyCount = len(keys)
		xml.NewEncoder(w).Encode(res)
	default:
		http.Error(w, "", http.StatusNotImplemented)
	}
}
