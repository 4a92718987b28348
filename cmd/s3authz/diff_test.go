package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	diffOld   = `{"Version":"2012-10-17","Statement":[{"Sid":"Acct","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"}]}`
	diffNew   = `{"Version":"2012-10-17","Statement":[{"Sid":"Acct","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:Get*","Resource":"arn:aws:s3:::my-bucket/*"}]}`
	diffTLS   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}}]}`
	diffHTTPS = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`
)

func diffFiles(t *testing.T) map[string]string {
	dir := t.TempDir()
	files := map[string]string{"old": diffOld, "new": diffNew, "tls": diffTLS, "https": diffHTTPS, "bad": `{"Statement":[{"Effect":"Alow"}]}`}
	paths := map[string]string{}
	for name, text := range files {
		p := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		paths[name] = p
	}
	paths["missing"] = filepath.Join(dir, "missing.json")
	return paths
}

func TestDiff(t *testing.T) {
	f := diffFiles(t)
	tests := map[string]struct {
		args      []string
		status    int
		stdout    []string
		stderrHas string
	}{
		"pass":                {args: []string{f["new"], f["old"]}, status: 0, stdout: []string{"PASS"}},
		"fail":                {args: []string{f["old"], f["new"]}, status: 1, stdout: []string{"FAIL", "witness: arn:aws:iam::222222222222:"}},
		"unknown":             {args: []string{f["https"], f["tls"]}, status: 3, stdout: []string{"UNKNOWN"}},
		"bucket kind":         {args: []string{"-kind", "bucket", f["old"], f["new"]}, status: 1},
		"identity kind":       {args: []string{"-kind", "identity", f["old"], f["new"]}, status: 2, stderrHas: "old.json"},
		"parse error":         {args: []string{f["old"], f["bad"]}, status: 2, stderrHas: "bad.json"},
		"missing file":        {args: []string{f["old"], f["missing"]}, status: 2, stderrHas: "missing.json"},
		"one file":            {args: []string{f["old"]}, status: 2},
		"bad kind":            {args: []string{"-kind", "x", f["old"], f["new"]}, status: 2},
		"not granted pass":    {args: []string{"-not-granted", "-actions", "s3:PutObject", f["new"]}, status: 0, stdout: []string{"PASS"}},
		"not granted fail":    {args: []string{"-not-granted", "-actions", "s3:GetObjectAcl", "-resources", "arn:aws:s3:::my-bucket/*", f["new"]}, status: 1, stdout: []string{"FAIL"}},
		"not granted no list": {args: []string{"-not-granted", f["new"]}, status: 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(append([]string{"diff"}, tc.args...), &stdout, &stderr)
			assert.Equal(t, tc.status, status, "stdout %s stderr %s", stdout.String(), stderr.String())
			for _, s := range tc.stdout {
				assert.Contains(t, stdout.String(), s)
			}
			if tc.stderrHas != "" {
				assert.Contains(t, stderr.String(), tc.stderrHas)
			}
		})
	}
}

func TestDiffJSON(t *testing.T) {
	f := diffFiles(t)
	tests := map[string]struct {
		args    []string
		status  int
		verdict string
		witness bool
	}{
		"fail":    {args: []string{f["old"], f["new"]}, status: 1, verdict: "FAIL", witness: true},
		"pass":    {args: []string{f["new"], f["old"]}, status: 0, verdict: "PASS"},
		"unknown": {args: []string{f["https"], f["tls"]}, status: 3, verdict: "UNKNOWN"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(append([]string{"diff", "-json"}, tc.args...), &stdout, &stderr)
			require.Equal(t, tc.status, status, stderr.String())
			var got struct {
				Verdict string `json:"verdict"`
				Kind    string `json:"kind"`
				Reasons []struct {
					Description string `json:"description"`
				} `json:"reasons"`
				Witness *struct {
					Principal, Action, Bucket, Key string
				} `json:"witness"`
			}
			require.NoError(t, json.Unmarshal(stdout.Bytes(), &got), stdout.String())
			assert.Equal(t, tc.verdict, got.Verdict)
			assert.Equal(t, "bucket", got.Kind)
			assert.NotEmpty(t, got.Reasons)
			assert.Equal(t, tc.witness, got.Witness != nil)
			if tc.witness {
				assert.Equal(t, "my-bucket", got.Witness.Bucket)
				assert.NotEmpty(t, got.Witness.Action)
			}
		})
	}
}

func TestDiffConfig(t *testing.T) {
	dir := filepath.Join("testdata", "diff")
	f := func(name string) string { return filepath.Join(dir, name) }
	tests := map[string]struct {
		args      []string
		status    int
		stdout    []string
		stderrHas string
		verdict   string
	}{
		"pass":             {args: []string{"-config", f("old.json"), f("same.json"), "aa-site"}, status: 0, stdout: []string{"PASS", "ACLs:"}},
		"fail":             {args: []string{"-config", f("old.json"), f("open.json"), "aa-site"}, status: 1, stdout: []string{"FAIL", "witness: anonymous s3:ListBucket arn:aws:s3:::aa-site", "bucket-acl grant 1"}},
		"unknown":          {args: []string{"-config", f("old.json"), f("other-owner.json"), "aa-site"}, status: 3, stdout: []string{"UNKNOWN", "owner changed"}},
		"unknown bucket":   {args: []string{"-config", f("old.json"), f("same.json"), "no-such-bucket"}, status: 3, stdout: []string{"UNKNOWN"}},
		"json fail":        {args: []string{"-config", "-json", f("old.json"), f("open.json"), "aa-site"}, status: 1, verdict: "FAIL"},
		"json pass":        {args: []string{"-config", "-json", f("old.json"), f("same.json"), "aa-site"}, status: 0, verdict: "PASS"},
		"missing bucket":   {args: []string{"-config", f("old.json"), f("same.json")}, status: 2},
		"missing file":     {args: []string{"-config", f("old.json"), f("missing.json"), "aa-site"}, status: 2, stderrHas: "missing.json"},
		"not a scenario":   {args: []string{"-config", f("old.json"), filepath.Join("testdata", "broken", "unknown-field.json"), "aa-site"}, status: 2, stderrHas: "unknown-field.json"},
		"with not-granted": {args: []string{"-config", "-not-granted", f("old.json"), f("same.json"), "aa-site"}, status: 2},
		"with kind":        {args: []string{"-config", "-kind", "bucket", f("old.json"), f("same.json"), "aa-site"}, status: 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(append([]string{"diff"}, tc.args...), &stdout, &stderr)
			assert.Equal(t, tc.status, status, "stdout %s stderr %s", stdout.String(), stderr.String())
			for _, s := range tc.stdout {
				assert.Contains(t, stdout.String(), s)
			}
			if tc.stderrHas != "" {
				assert.Contains(t, stderr.String(), tc.stderrHas)
			}
			if tc.verdict == "" {
				return
			}
			var doc struct {
				Bucket  string         `json:"bucket"`
				Kind    string         `json:"kind"`
				Verdict string         `json:"verdict"`
				Witness map[string]any `json:"witness"`
			}
			require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
			assert.Equal(t, tc.verdict, doc.Verdict)
			assert.Equal(t, "aa-site", doc.Bucket)
			assert.Equal(t, "configuration", doc.Kind)
			assert.Equal(t, tc.verdict == "FAIL", doc.Witness != nil)
			if doc.Witness != nil {
				assert.Equal(t, "configuration", doc.Witness["kind"])
			}
		})
	}
}
