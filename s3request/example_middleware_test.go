package s3request_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/s3request"
)

// records is a host's store of one bucket, "photos", whose policy lets
// anyone read the objects under public/.
type records struct {
	bucket *ownership.Bucket
	policy *evaluate.Prepared
}

func (s *records) Lookup(_ context.Context, _ *s3request.Operation, c *s3request.Check, _ ownership.Principal) (evaluate.Context, error) {
	if c.Bucket != s.bucket.Name {
		return evaluate.Context{}, fmt.Errorf("no bucket %q", c.Bucket)
	}
	ec := evaluate.Context{Bucket: s.bucket, BucketPolicy: s.policy}
	if c.Key != "" {
		ec.Object = &ownership.Object{Bucket: c.Bucket, Key: c.Key, Owner: ownership.AccountOwner(s.bucket.Owner)}
	}
	return ec, nil
}

func ExampleMiddleware() {
	mapper, err := s3request.New(s3request.Config{Endpoints: []string{"s3.example.com"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	mw := &s3request.Middleware{
		Mapper: mapper,
		Store: &records{
			bucket: &ownership.Bucket{Name: "photos", Owner: "111122223333"},
			policy: evaluate.MustPrepare(policy.MustParse(policy.Bucket, `{"Version": "2012-10-17", "Statement": [
			  {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/public/*"}]}`)),
		},
		// This host takes every request as unsigned.
		Identify: func(*http.Request) (ownership.Principal, error) { return ownership.Anonymous(), nil },
	}
	h := mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op, _, _ := s3request.FromContext(r.Context())
		fmt.Fprint(w, "serving ", op.Name, " ", op.Key)
	}))

	for _, target := range []string{"/photos/public/cat.jpg", "/photos/private/dog.jpg"} {
		r := httptest.NewRequest("GET", target, nil)
		r.Host = "s3.example.com"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			var e struct{ Code, Resource string }
			if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil {
				fmt.Println(err)
				return
			}
			fmt.Println(w.Code, e.Code, e.Resource)
			continue
		}
		fmt.Println(w.Code, w.Body)
	}
	// Output:
	// 200 serving GetObject public/cat.jpg
	// 403 AccessDenied /photos/private/dog.jpg
}
