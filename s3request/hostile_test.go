package s3request_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/s3request"
)

// TestHostile feeds requests built to cost: each must give its clean error
// with a bounded number of allocations, however large the input.
func TestHostile(t *testing.T) {
	many := strings.Repeat("p=1&", 10000)
	manyNames := make([]string, 10000)
	for i := range manyNames {
		manyNames[i] = "v" + strings.Repeat("x", i%50) + "=1"
	}
	deep := strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000)
	tests := []struct {
		name      string
		req       s3request.Request
		want      error
		maxAllocs float64
	}{
		{name: "10000 query parameters", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/k?" + many},
			want: s3request.ErrInvalidArgument, maxAllocs: 4},
		{name: "10000 distinct query names", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/k?" + strings.Join(manyNames, "&")},
			want: s3request.ErrInvalidArgument, maxAllocs: 8},
		{name: "1 MiB canned ACL header", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k",
			Header: http.Header{"X-Amz-Acl": {strings.Repeat("a", 1<<20)}}}, want: s3request.ErrInvalidArgument, maxAllocs: 6},
		{name: "1 MiB grant header", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k",
			Header: http.Header{"X-Amz-Grant-Read": {strings.Repeat("id=x,", 200000) + "bad"}}}, want: s3request.ErrInvalidArgument, maxAllocs: 6},
		{name: "1 MiB tagging header", req: s3request.Request{Method: "PUT", Host: "bkt.s3.amazonaws.com", Target: "/k",
			Header: http.Header{"X-Amz-Tagging": {strings.Repeat("k=v&", 1<<18)}}}, want: s3request.ErrInvalidTag, maxAllocs: 6},
		{name: "invalid escape in path", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/a%zzb"},
			want: s3request.ErrMalformedURL, maxAllocs: 4},
		{name: "lone percent in query", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/k?prefix=%"},
			want: s3request.ErrMalformedURL, maxAllocs: 4},
		{name: "1 MiB key", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/" + strings.Repeat("k", 1<<20)},
			want: s3request.ErrInvalidKey, maxAllocs: 4},
		{name: "1 MiB escaped key", req: s3request.Request{Method: "GET", Host: "bkt.s3.amazonaws.com", Target: "/" + strings.Repeat("%41", 1<<18)},
			want: s3request.ErrInvalidKey, maxAllocs: 5},
		{name: "1 MiB host", req: s3request.Request{Method: "GET", Host: strings.Repeat("a.", 1<<19) + "s3.amazonaws.com", Target: "/k"},
			want: s3request.ErrInvalidBucketName, maxAllocs: 4},
		{name: "XML nested 100000 deep", req: s3request.Request{Method: "POST", Host: "bkt.s3.amazonaws.com", Target: "/?delete", Body: []byte(deep)},
			want: s3request.ErrMalformedBody, maxAllocs: 400},
		{name: "body over 2 MiB", req: s3request.Request{Method: "POST", Host: "bkt.s3.amazonaws.com", Target: "/?delete", Body: make([]byte, s3request.MaxBody+1)},
			want: s3request.ErrMalformedBody, maxAllocs: 4},
		{name: "entity declaration", req: s3request.Request{Method: "POST", Host: "bkt.s3.amazonaws.com", Target: "/?delete",
			Body: []byte(`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Delete><Object><Key>&b;</Key></Object></Delete>`)},
			want: s3request.ErrMalformedBody, maxAllocs: 40},
		{name: "1001 objects", req: s3request.Request{Method: "POST", Host: "bkt.s3.amazonaws.com", Target: "/?delete",
			Body: []byte("<Delete>" + strings.Repeat("<Object><Key>k</Key></Object>", 1001) + "</Delete>")},
			want: s3request.ErrMalformedBody, maxAllocs: 20000},
	}
	m, err := s3request.New(s3request.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got error
			allocs := testing.AllocsPerRun(3, func() { _, got = m.Map(&tt.req) })
			var e *s3request.Error
			if !errors.Is(got, tt.want) || !errors.As(got, &e) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if len(e.Input) > 64 || len(got.Error()) > 400 {
				t.Errorf("error echoes too much input: %d bytes", len(got.Error()))
			}
			if allocs > tt.maxAllocs {
				t.Errorf("%v allocations, want at most %v", allocs, tt.maxAllocs)
			}
		})
	}
}
