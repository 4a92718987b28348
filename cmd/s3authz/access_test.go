package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestAccess runs the access subcommand: text and JSON output, one bucket
// or all, and the exit statuses.
func TestAccess(t *testing.T) {
	const two = "testdata/access/two-buckets.json"
	const private = "testdata/access/private.json"
	tests := []runCase{
		{
			name:       "every bucket in name order, one public",
			args:       []string{"access", two},
			wantStatus: exitFindings,
			wantLines: []string{
				"testdata/access/two-buckets.json:24:11: aa-partner: account:210987654321 s3:ListBucket,s3:GetObject on arn:aws:s3:::aa-partner,arn:aws:s3:::aa-partner/* via statement /Statement/0 [if aws:SourceVpce]",
				"aa-partner: not public; policy not public; ACLs disabled; Block Public Access none; 1 findings",
				"testdata/access/two-buckets.json:14:11: zz-site: * s3:GetObject on arn:aws:s3:::zz-site/* via statement /Statement/0 (Public) [public]",
				"zz-site: PUBLIC (* via statement /Statement/0); policy public; ACLs disabled; Block Public Access none; 1 findings",
			},
			absentOut: []string{"123456789012:root"},
		},
		{
			name:       "one bucket that is not public",
			args:       []string{"access", two, "aa-partner"},
			wantStatus: exitOK,
			absentOut:  []string{"zz-site"},
			wantOut:    []string{"aa-partner: not public"},
		},
		{
			name:       "a public grant neutralised",
			args:       []string{"access", private},
			wantStatus: exitOK,
			wantOut:    []string{"via bucket-acl grant 1 [public] [blocked by IgnorePublicAcls]", "aa-private: not public; no bucket policy; ACLs enabled"},
		},
		{
			name:       "Access Analyzer's finding fields",
			args:       []string{"access", "-aa", two, "zz-site"},
			wantStatus: exitFindings,
			wantLines: []string{`{"bucket":"zz-site","findings":[{"principal":{"AWS":"*"},"action":["s3:GetObject"],"resource":"arn:aws:s3:::zz-site",` +
				`"condition":{},"isPublic":true,"sources":[{"type":"POLICY"}],"status":"ACTIVE","resourceOwnerAccount":"123456789012","resourceType":"AWS::S3::Bucket"}]}`},
		},
		{name: "unknown bucket", args: []string{"access", two, "nope"}, wantStatus: exitUsage, wantErr: []string{`has no bucket "nope"`}},
		{name: "missing file", args: []string{"access", "testdata/access/none.json"}, wantStatus: exitUsage},
		{name: "not a scenario", args: []string{"access", "testdata/pass/access.json"}, wantStatus: exitUsage},
		{name: "no arguments", args: []string{"access"}, wantStatus: exitUsage, wantErr: []string{"usage: s3authz access"}},
		{name: "too many arguments", args: []string{"access", two, "a", "b"}, wantStatus: exitUsage},
		{name: "help", args: []string{"access", "-h"}, wantStatus: exitOK, wantOut: []string{"usage: s3authz access [-json | -aa] SCENARIO [BUCKET]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

// TestAccessJSON checks that -json prints one report per bucket in the
// expectAccess shape.
func TestAccessJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	status := run([]string{"access", "-json", "testdata/access/two-buckets.json"}, &stdout, &stderr)
	if status != exitFindings {
		t.Fatalf("status %d, stderr %s", status, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", lines)
	}
	var rep struct {
		Bucket       string `json:"bucket"`
		Public       bool   `json:"public"`
		PolicyPublic *bool  `json:"policyPublic"`
		Findings     []struct {
			Principal string   `json:"principal"`
			BlockedBy *string  `json:"blockedBy"`
			Source    string   `json:"source"`
			Levels    []string `json:"levels"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Bucket != "zz-site" || !rep.Public || rep.PolicyPublic == nil || !*rep.PolicyPublic {
		t.Errorf("report %+v", rep)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Principal != "*" || rep.Findings[0].BlockedBy != nil ||
		rep.Findings[0].Source != "statement /Statement/0" || strings.Join(rep.Findings[0].Levels, ",") != "Read" {
		t.Errorf("findings %+v", rep.Findings)
	}
}
