package s3request_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/s3request"
)

const (
	ownerAccount = "111122223333"
	otherAccount = "444455556666"
	bobARN       = "arn:aws:iam::111122223333:user/bob"
)

// memStore is a host's records in memory: buckets with their policies,
// objects, and the identity policies of each caller.
type memStore struct {
	buckets  map[string]*ownership.Bucket
	policies map[string]*evaluate.Prepared
	objects  map[string]*ownership.Object // by "bucket/key"
	identity map[string][]*evaluate.Prepared
	err      error
	lookups  atomic.Int32
}

func (s *memStore) Lookup(_ context.Context, _ *s3request.Operation, c *s3request.Check, p ownership.Principal) (evaluate.Context, error) {
	s.lookups.Add(1)
	if s.err != nil {
		return evaluate.Context{}, s.err
	}
	ec := evaluate.Context{Identity: s.identity[p.ARN()]}
	if b, ok := s.buckets[c.Bucket]; ok {
		ec.Bucket, ec.BucketPolicy = b, s.policies[c.Bucket]
	}
	if c.Key != "" {
		ec.Object = s.objects[c.Bucket+"/"+c.Key]
	}
	return ec, nil
}

func prepare(t testing.TB, kind policy.Kind, doc string) *evaluate.Prepared {
	t.Helper()
	p, err := policy.Parse(kind, []byte(doc))
	require.NoError(t, err)
	pp, err := evaluate.Prepare(p)
	require.NoError(t, err)
	return pp
}

// newStore returns the records of the tests: account 111122223333 owns
// "photos", whose public/ objects anyone may read, and "private"; its user
// bob may read and write photos and delete under photos/tmp/.
func newStore(t testing.TB) *memStore {
	obj := func(bucket, key string) *ownership.Object {
		return &ownership.Object{Bucket: bucket, Key: key, Owner: ownership.AccountOwner(ownerAccount)}
	}
	return &memStore{
		buckets: map[string]*ownership.Bucket{
			"photos":  {Name: "photos", Owner: ownerAccount},
			"private": {Name: "private", Owner: ownerAccount},
		},
		policies: map[string]*evaluate.Prepared{
			"photos": prepare(t, policy.Bucket, `{"Version": "2012-10-17", "Statement": [
			  {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/public/*"}]}`),
		},
		objects: map[string]*ownership.Object{
			"photos/public/cat.jpg": obj("photos", "public/cat.jpg"),
			"photos/tmp/a":          obj("photos", "tmp/a"),
			"photos/keep/b":         obj("photos", "keep/b"),
			"private/secret.txt":    obj("private", "secret.txt"),
		},
		identity: map[string][]*evaluate.Prepared{
			bobARN: {prepare(t, policy.Identity, `{"Version": "2012-10-17", "Statement": [
			  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::photos/*"},
			  {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::photos/tmp/*"}]}`)},
		},
	}
}

// identify reads the caller from X-Test-Principal: none is anonymous,
// "bad" a signature that does not verify.
func identify(r *http.Request) (ownership.Principal, error) {
	switch arn := r.Header.Get("X-Test-Principal"); arn {
	case "":
		return ownership.Anonymous(), nil
	case "bad":
		return ownership.Principal{}, errors.New("signature does not match")
	default:
		return ownership.ParsePrincipal(arn)
	}
}

// s3Error is S3's XML error document.
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string
	Message   string
	Resource  string
	RequestID string `xml:"RequestId"`
}

func TestMiddleware(t *testing.T) {
	twoKeys := `<Delete><Object><Key>tmp/a</Key></Object><Object><Key>keep/b</Key></Object></Delete>`
	tmpKeys := `<Delete><Object><Key>tmp/a</Key></Object><Object><Key>tmp/c</Key></Object></Delete>`
	tests := []struct {
		name       string
		method     string
		target     string
		header     map[string]string
		body       string
		storeErr   error
		status     int
		code       string // the XML Code, "" when next runs
		resource   string
		nextRuns   bool
		wantOp     string
		decisions  int // OnDecision calls
		checkCount int // checks of the operation that reached next
	}{
		{name: "an allowed GET reaches next with the operation", method: "GET", target: "/photos/public/cat.jpg",
			status: http.StatusOK, nextRuns: true, wantOp: "GetObject", decisions: 1, checkCount: 1},
		{name: "a denied GET is AccessDenied", method: "GET", target: "/private/secret.txt",
			status: http.StatusForbidden, code: "AccessDenied", resource: "/private/secret.txt", decisions: 1},
		{name: "a denied HEAD has no body", method: "HEAD", target: "/private/secret.txt",
			status: http.StatusForbidden, decisions: 1},
		{name: "two selectors are InvalidArgument", method: "GET", target: "/photos?acl&policy",
			status: http.StatusBadRequest, code: "InvalidArgument", resource: "/photos"},
		{name: "an unknown method is MethodNotAllowed", method: "PATCH", target: "/photos/k",
			status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", resource: "/photos/k"},
		{name: "the bucket policy by another account is MethodNotAllowed", method: "GET", target: "/photos?policy",
			header: map[string]string{"X-Test-Principal": "arn:aws:iam::" + otherAccount + ":root"},
			status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", resource: "/photos", decisions: 1},
		{name: "DeleteObjects with one key denied is denied whole", method: "POST", target: "/photos?delete", body: twoKeys,
			header: map[string]string{"X-Test-Principal": bobARN},
			status: http.StatusForbidden, code: "AccessDenied", resource: "/photos", decisions: 2},
		{name: "DeleteObjects with every key allowed reaches next with the body", method: "POST", target: "/photos?delete", body: tmpKeys,
			header: map[string]string{"X-Test-Principal": bobARN},
			status: http.StatusOK, nextRuns: true, wantOp: "DeleteObjects", decisions: 2, checkCount: 2},
		{name: "CopyObject from a denied source is denied", method: "PUT", target: "/photos/copy.txt",
			header: map[string]string{"X-Test-Principal": bobARN, "X-Amz-Copy-Source": "/private/secret.txt"},
			status: http.StatusForbidden, code: "AccessDenied", resource: "/photos/copy.txt", decisions: 1}, // the source is the first check
		{name: "CopyObject from an allowed source reaches next", method: "PUT", target: "/photos/copy.jpg",
			header: map[string]string{"X-Test-Principal": bobARN, "X-Amz-Copy-Source": "/photos/public/cat.jpg"},
			status: http.StatusOK, nextRuns: true, wantOp: "CopyObject", decisions: 2, checkCount: 2},
		{name: "a store error fails closed", method: "GET", target: "/photos/public/cat.jpg", storeErr: errors.New("database down"),
			status: http.StatusInternalServerError, code: "InternalError", resource: "/photos/public/cat.jpg"},
		{name: "an identity error is AccessDenied", method: "GET", target: "/photos/public/cat.jpg",
			header: map[string]string{"X-Test-Principal": "bad"},
			status: http.StatusForbidden, code: "AccessDenied", resource: "/photos/public/cat.jpg"},
		{name: "an XML body that does not parse is MalformedXML", method: "POST", target: "/photos?delete", body: "<Delete>",
			status: http.StatusBadRequest, code: "MalformedXML", resource: "/photos"},
		{name: "the Resource is escaped", method: "GET", target: "/private/a%3Cb%26c%22",
			status: http.StatusForbidden, code: "AccessDenied", resource: `/private/a<b&c"`, decisions: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newStore(t)
			store.err = tt.storeErr
			var nextRan, decisions atomic.Int32
			var nextBody atomic.Value
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				nextRan.Add(1)
				op, ds, ok := s3request.FromContext(r.Context())
				if !ok {
					w.WriteHeader(http.StatusTeapot)
					return
				}
				b, _ := io.ReadAll(r.Body)
				nextBody.Store(string(b))
				for _, d := range ds {
					if d != evaluate.Allow {
						w.WriteHeader(http.StatusTeapot)
						return
					}
				}
				w.Header().Set("X-Op", op.Name)
				w.Header().Set("X-Decisions", strconv.Itoa(len(ds)))
				w.Header().Set("X-Checks", strconv.Itoa(len(op.Checks)))
			})
			mw := &s3request.Middleware{
				Mapper: newMapper(t), Store: store, Identify: identify,
				OnDecision: func(_ *http.Request, op *s3request.Operation, i int, _ evaluate.Decision, diag *evaluate.Diagnostic) {
					assert.Less(t, i, len(op.Checks))
					assert.NotNil(t, diag)
					decisions.Add(1)
				},
			}
			srv := httptest.NewServer(mw.Wrap(next))
			defer srv.Close()

			req, err := http.NewRequest(tt.method, srv.URL+tt.target, strings.NewReader(tt.body))
			require.NoError(t, err)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)

			assert.Equal(t, tt.status, resp.StatusCode, string(body))
			assert.Equal(t, tt.nextRuns, nextRan.Load() == 1, "whether next ran")
			assert.Equal(t, int32(tt.decisions), decisions.Load(), "checks evaluated")
			if tt.nextRuns {
				assert.Equal(t, tt.wantOp, resp.Header.Get("X-Op"))
				assert.Equal(t, strconv.Itoa(tt.checkCount), resp.Header.Get("X-Decisions"), "one decision per check")
				assert.Equal(t, strconv.Itoa(tt.checkCount), resp.Header.Get("X-Checks"))
				assert.Equal(t, tt.body, nextBody.Load(), "next reads the whole body")
				return
			}
			id := resp.Header.Get("X-Amz-Request-Id")
			assert.Regexp(t, `^[0-9A-F]{16}$`, id)
			if tt.method == "HEAD" {
				assert.Empty(t, body)
				return
			}
			assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
			assert.True(t, strings.HasPrefix(string(body), `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>"), string(body))
			var e s3Error
			require.NoError(t, xml.Unmarshal(body, &e), string(body))
			assert.Equal(t, tt.code, e.Code)
			assert.NotEmpty(t, e.Message)
			assert.Equal(t, tt.resource, e.Resource)
			assert.Equal(t, id, e.RequestID, "the header and the body name one request")
		})
	}
}

func TestMiddlewareErrorDocument(t *testing.T) {
	mw := &s3request.Middleware{Mapper: newMapper(t), Store: newStore(t), Identify: identify}
	h := mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a denied request reached next")
	}))
	r := httptest.NewRequest("GET", "/private/secret.txt", nil)
	r.Host = "s3.example.com"
	w := httptest.NewRecorder()
	w.Header().Set("X-Amz-Request-Id", "0123456789ABCDEF") // set by a handler in front
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<Error><Code>AccessDenied</Code><Message>Access Denied</Message><Resource>/private/secret.txt</Resource><RequestId>0123456789ABCDEF</RequestId></Error>`,
		w.Body.String())
	assert.Equal(t, strconv.Itoa(w.Body.Len()), w.Header().Get("Content-Length"))
}

func TestMiddlewareMisconfigured(t *testing.T) {
	tests := []struct {
		name string
		mw   *s3request.Middleware
	}{
		{name: "no Mapper", mw: &s3request.Middleware{Store: newStore(t), Identify: identify}},
		{name: "no Store", mw: &s3request.Middleware{Mapper: newMapper(t), Identify: identify}},
		{name: "no Identify", mw: &s3request.Middleware{Mapper: newMapper(t), Store: newStore(t)}},
		{name: "an invalid principal", mw: &s3request.Middleware{Mapper: newMapper(t), Store: newStore(t),
			Identify: func(*http.Request) (ownership.Principal, error) { return ownership.Principal{}, nil }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := false
			h := tt.mw.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran = true }))
			r := httptest.NewRequest("GET", "/photos/public/cat.jpg", nil)
			r.Host = "s3.example.com"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, http.StatusInternalServerError, w.Code)
			assert.False(t, ran, "fails closed")
			var e s3Error
			require.NoError(t, xml.Unmarshal(w.Body.Bytes(), &e))
			assert.Equal(t, "InternalError", e.Code)
		})
	}
}

type outerKey struct{}

func TestMiddlewareKeepsTheContext(t *testing.T) {
	mw := &s3request.Middleware{Mapper: newMapper(t), Store: newStore(t), Identify: identify}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), outerKey{}, "outer"))
	var seen any
	var done <-chan struct{}
	h := mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, done = r.Context().Value(outerKey{}), r.Context().Done()
		_, _, ok := s3request.FromContext(r.Context())
		assert.True(t, ok)
	}))
	r := httptest.NewRequest("GET", "/photos/public/cat.jpg", nil).WithContext(ctx)
	r.Host = "s3.example.com"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "outer", seen, "the next handler sees the values of the request's context")
	require.NotNil(t, done)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling the request's context does not reach the next handler")
	}
}

func TestFromContextWithout(t *testing.T) {
	op, ds, ok := s3request.FromContext(context.Background())
	assert.False(t, ok)
	assert.Nil(t, op)
	assert.Nil(t, ds)
}

// fixedStore returns one Context whatever the check, so that a benchmark
// measures the middleware, not the host's lookups.
type fixedStore struct{ ec evaluate.Context }

func (s *fixedStore) Lookup(context.Context, *s3request.Operation, *s3request.Check, ownership.Principal) (evaluate.Context, error) {
	return s.ec, nil
}

func benchContext(b *testing.B) evaluate.Context {
	st := newStore(b)
	return evaluate.Context{Bucket: st.buckets["photos"], BucketPolicy: st.policies["photos"], Object: st.objects["photos/public/cat.jpg"]}
}

func benchRequest() *http.Request {
	r := httptest.NewRequest("GET", "/photos/public/cat.jpg", nil)
	r.Host = "s3.example.com"
	r.RemoteAddr = "203.0.113.9:5000"
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.30")
	return r
}

func BenchmarkMiddlewareOverhead(b *testing.B) {
	mw := &s3request.Middleware{
		Mapper:   newMapper(b),
		Store:    &fixedStore{ec: benchContext(b)},
		Identify: func(*http.Request) (ownership.Principal, error) { return ownership.Anonymous(), nil },
	}
	ran := 0
	h := mw.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran++ }))
	r := benchRequest()
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
	if w.Code != http.StatusOK || ran == 0 {
		b.Fatalf("status %d, next ran %d times", w.Code, ran)
	}
}

func BenchmarkMapAndEvaluate(b *testing.B) {
	m := newMapper(b)
	ec := benchContext(b)
	r := benchRequest()
	p := ownership.Anonymous()
	var keys evaluate.Keys
	b.ReportAllocs()
	for b.Loop() {
		req, err := s3request.FromHTTP(r, s3request.HTTPOptions{})
		if err != nil {
			b.Fatal(err)
		}
		op, err := m.Map(req)
		if err != nil {
			b.Fatal(err)
		}
		if d, _ := evaluate.Evaluate(op.EvaluateRequest(0, p, &keys), ec); d != evaluate.Allow {
			b.Fatal(d)
		}
	}
}

// TestMiddlewareComplete: the host's Complete hook fills what the mapper
// cannot know before each check is evaluated — here the caller's tags,
// which a bucket policy condition reads — and an error from it denies.
func TestMiddlewareComplete(t *testing.T) {
	st := newStore(t)
	st.buckets["tagged"] = &ownership.Bucket{Name: "tagged", Owner: ownerAccount}
	st.policies["tagged"] = prepare(t, policy.Bucket, `{"Version": "2012-10-17", "Statement": [
	  {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::tagged/*",
	   "Condition": {"StringEquals": {"aws:PrincipalTag/team": "web"}}}]}`)
	tests := []struct {
		name     string
		tag      string
		err      error
		wantCode int
	}{
		{name: "tag filled in: allowed", tag: "web", wantCode: http.StatusOK},
		{name: "other tag: denied", tag: "db", wantCode: http.StatusForbidden},
		{name: "no hook result: denied", wantCode: http.StatusForbidden},
		{name: "hook error: denied", tag: "web", err: errors.New("unknown product token"), wantCode: http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			mw := &s3request.Middleware{Mapper: newMapper(t), Store: st, Identify: identify,
				Complete: func(_ *http.Request, op *s3request.Operation, i int, req *evaluate.Request) error {
					calls++
					assert.Equal(t, "s3:GetObject", op.Checks[i].Action)
					if tc.tag != "" {
						req.PrincipalTags = []ownership.Tag{{Key: "team", Value: tc.tag}}
					}
					return tc.err
				}}
			r := httptest.NewRequest("GET", "/tagged/x", nil)
			r.Host = "s3.example.com"
			r.Header.Set("X-Test-Principal", bobARN)
			w := httptest.NewRecorder()
			mw.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(w, r)
			assert.Equal(t, tc.wantCode, w.Code)
			assert.Equal(t, 1, calls)
		})
	}
}
