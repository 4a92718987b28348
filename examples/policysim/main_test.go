package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const world = `{
  "name": "sim",
  "source": "test",
  "accounts": {"111122223333": {"canonicalId": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}},
  "principals": {"anon": {"anonymous": true}},
  "buckets": {"bkt1": {"owner": "111122223333", "publicAccessBlock": {"BlockPublicAcls": false, "IgnorePublicAcls": false, "BlockPublicPolicy": false, "RestrictPublicBuckets": false},
    "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt1/pub/*"}]}}},
  "requests": [
    {"principal": "anon", "action": "s3:GetObject", "bucket": "bkt1", "key": "pub/x", "expect": "allow"},
    {"principal": "anon", "action": "s3:GetObject", "bucket": "bkt1", "key": "priv/x", "expect": "EXPECT"},
    {"principal": "anon", "action": "s3:ListBucket", "bucket": "bkt1"}
  ]
}`

func write(t *testing.T, dir, name, doc string) string {
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(doc), 0o644))
	return p
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "good.json", strings.Replace(world, "EXPECT", "implicit-deny", 1))
	bad := write(t, filepath.Join(dir), "bad.json.txt", strings.Replace(world, "EXPECT", "allow", 1))
	broken := write(t, dir, "broken.json", `{"name": "x", "requests": [], "extra": 1}`)
	tests := []struct {
		name     string
		args     []string
		status   int
		contains []string
	}{
		{"passing file", []string{good}, 0, []string{`{"scenario":"sim","request":0,"decision":"allow","expect":"allow","ok":true,"reason":"object: bucket-policy-allows bucket-policy sid=Public /Statement/0"}`, `"request":2,"decision":"implicit-deny","ok":true`, "2 passed, 0 failed"}},
		{"failing file", []string{bad}, 1, []string{`"ok":false`, "FAILED", "1 passed, 1 failed"}},
		{"explain prints the trace", []string{"-explain", good}, 0, []string{"=> object", "sid=Public", "Allow statement matches"}},
		{"json only", []string{"-json", bad}, 1, []string{"1 passed, 1 failed"}},
		{"load error counts", []string{broken}, 1, []string{"0 passed, 1 failed"}},
		{"folder is searched", []string{dir}, 1, []string{"2 passed, 1 failed"}},
		{"no paths", nil, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			assert.Equal(t, tc.status, run(tc.args, &out, &errOut), "stderr: %s", errOut.String())
			for _, c := range tc.contains {
				assert.Contains(t, out.String(), c)
			}
			if tc.name == "json only" {
				assert.NotContains(t, out.String(), "FAILED")
			}
			if tc.name == "load error counts" {
				assert.Contains(t, errOut.String(), `unknown field "extra"`)
			}
		})
	}
}
