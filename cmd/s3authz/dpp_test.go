package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/analysis"
)

var dppFile = filepath.Join("testdata", "dpp", "two-buckets.json")

// TestDPPUsage covers the runs that stop before the profile.
func TestDPPUsage(t *testing.T) {
	for _, tc := range []runCase{
		{name: "no arguments", args: []string{"dpp"}, wantStatus: exitUsage, wantErr: []string{"usage: s3authz dpp"}},
		{name: "too many arguments", args: []string{"dpp", dppFile, "open", "extra"}, wantStatus: exitUsage},
		{name: "help", args: []string{"dpp", "-h"}, wantStatus: exitOK, wantOut: []string{"usage: s3authz dpp", "DPP §SECTION"}},
		{name: "unknown type", args: []string{"dpp", "-fail-on", "FATAL", dppFile}, wantStatus: exitUsage,
			wantErr: []string{`unknown finding type "FATAL"`}},
		{name: "missing file", args: []string{"dpp", filepath.Join("testdata", "dpp", "none.json")}, wantStatus: exitUsage},
		{name: "broken scenario", args: []string{"dpp", broken}, wantStatus: exitUsage},
		{name: "unknown bucket", args: []string{"dpp", dppFile, "nope"}, wantStatus: exitUsage,
			wantErr: []string{`has no bucket "nope"`}},
		{name: "listed in help", args: []string{"help"}, wantStatus: exitOK, wantOut: []string{"dpp"}},
	} {
		t.Run(tc.name, tc.check)
	}
}

// TestDPPRun checks the findings, their order and the exit status.
func TestDPPRun(t *testing.T) {
	for _, tc := range []runCase{
		{name: "hardened bucket meets the profile", args: []string{"dpp", dppFile, "hardened"}, wantStatus: exitOK,
			wantLines: []string{"testdata/dpp/two-buckets.json:8:17: hardened: meets the profile"}},
		{name: "every bucket in name order", args: []string{"dpp", dppFile}, wantStatus: exitFindings,
			wantLines: []string{"testdata/dpp/two-buckets.json:8:17: hardened: meets the profile", "    statement /Statement/0", "    no Deny statement of the bucket policy covers it"},
			// FILE:LINE:COL at the statement behind a finding, the policy
			// for what it lacks, the bucket for its settings.
			wantOut: []string{
				"testdata/dpp/two-buckets.json:32:11: SECURITY_WARNING DPP_PUBLIC_ACCESS open: ",
				"testdata/dpp/two-buckets.json:27:13: WARNING DPP_BPA_NOT_ALL_ON open: ",
				"testdata/dpp/two-buckets.json:32:11: WARNING DPP_WILDCARD_PRINCIPAL open: ",
				"testdata/dpp/two-buckets.json:29:17: SECURITY_WARNING DPP_TLS_NOT_ENFORCED open: ",
				"testdata/dpp/two-buckets.json:29:17: WARNING DPP_TLS_VERSION_NOT_ENFORCED open: ",
				"testdata/dpp/two-buckets.json:29:17: WARNING DPP_SSE_NOT_REQUIRED open: ",
				"(DPP §1.1, 2.3)\n", "(DPP §1.2)\n", "(DPP §2.4)\n",
			},
			absentOut: []string{"DPP_ACLS_ENABLED", "DPP_CROSS_ACCOUNT_FULL_ACCESS"}},
		{name: "security warnings fail by default", args: []string{"dpp", dppFile, "open"}, wantStatus: exitFindings},
		{name: "nothing fails when only errors do", args: []string{"dpp", "-fail-on", "ERROR", dppFile, "open"}, wantStatus: exitOK},
		{name: "warnings fail when asked", args: []string{"dpp", "-fail-on", "WARNING", dppFile, "open"}, wantStatus: exitFindings},
	} {
		t.Run(tc.name, tc.check)
	}
}

// TestDPPJSON checks the JSON lines: one per bucket, in name order, with
// the findings' code, type, section and evidence.
func TestDPPJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := run([]string{"dpp", "-json", dppFile}, &stdout, &stderr); status != exitFindings {
		t.Fatalf("status %d, stderr %s", status, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), stdout.String())
	}
	type line struct {
		Bucket   string `json:"bucket"`
		Seed     string `json:"seed"`
		Failing  int    `json:"failing"`
		Findings []struct {
			Code, Type, Section string
			Evidence            []string
		} `json:"findings"`
	}
	var got []line
	for _, l := range lines {
		var one line
		if err := json.Unmarshal([]byte(l), &one); err != nil {
			t.Fatal(err)
		}
		got = append(got, one)
	}
	if got[0].Bucket != "hardened" || len(got[0].Findings) != 0 || got[0].Failing != 0 {
		t.Errorf("first line %+v, want hardened without findings", got[0])
	}
	if got[1].Bucket != "open" || got[1].Seed != analysis.CurrentDPPSeed || got[1].Failing != 2 {
		t.Errorf("second line %+v, want open with 2 failing", got[1])
	}
	if f := got[1].Findings; len(f) == 0 || f[0].Code != "DPP_PUBLIC_ACCESS" || f[0].Type != "SECURITY_WARNING" ||
		f[0].Section != "1.1, 2.3" || len(f[0].Evidence) == 0 {
		t.Errorf("open findings %+v", f)
	}
}
