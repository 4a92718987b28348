package analysis_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/internal/acccase"
	"github.com/s3authz/s3authz/scenario"
)

// dppConfig is the part of an access.json configuration the profile test
// reads (ANALYSIS-FORMAT.md §2, §2.2); the rest loads as a scenario.
type dppConfig struct {
	Name      string `json:"name"`
	Target    string `json:"target"`
	ExpectDpp []struct {
		Code    string `json:"code"`
		Section string `json:"section"`
	} `json:"expectDpp"`
	AbsentDpp    []string `json:"absentDpp"`
	ExpectPublic bool     `json:"expectPublic"`
	ExpectAccess []struct {
		Principal     string   `json:"principal"`
		Actions       []string `json:"actions"`
		ActionsExcept []string `json:"actionsExcept"`
		Public        bool     `json:"public"`
		BlockedBy     *string  `json:"blockedBy"`
		Source        string   `json:"source"`
	} `json:"expectAccess"`
}

// expectedReport builds the access report a configuration expects, so
// that the profile's review-based checks can be pinned before the review
// itself is in the tree.
func expectedReport(t *testing.T, c dppConfig) *analysis.AccessReport {
	t.Helper()
	r := &analysis.AccessReport{Bucket: c.Target, Public: c.ExpectPublic}
	for _, e := range c.ExpectAccess {
		f := analysis.AccessFinding{Principal: e.Principal, Actions: e.Actions, Except: e.ActionsExcept, Public: e.Public}
		if e.BlockedBy != nil {
			switch *e.BlockedBy {
			case "IgnorePublicAcls":
				f.BlockedBy = analysis.IgnorePublicAcls
			case "RestrictPublicBuckets":
				f.BlockedBy = analysis.RestrictPublicBuckets
			default:
				t.Fatalf("blockedBy %q", *e.BlockedBy)
			}
		}
		var n int
		var key string
		switch {
		case strings.HasPrefix(e.Source, "statement "):
			f.Source = analysis.Source{Kind: analysis.SourceStatement, Pointer: strings.TrimPrefix(e.Source, "statement ")}
		case fmtScan(e.Source, "bucket-acl grant %d", &n):
			f.Source = analysis.Source{Kind: analysis.SourceBucketACL, Grant: n}
		case fmtScan(e.Source, "object-acl %s grant %d", &key, &n):
			f.Source = analysis.Source{Kind: analysis.SourceObjectACL, Key: key, Grant: n}
		default:
			t.Fatalf("source %q", e.Source)
		}
		require.Equal(t, e.Source, f.Source.String())
		r.Findings = append(r.Findings, f)
	}
	return r
}

// fmtScan reports whether s reads entirely as format.
func fmtScan(s, format string, args ...any) bool {
	n, err := fmt.Sscanf(s, format, args...)
	return err == nil && n == len(args)
}

// analysisMembers are the members a configuration adds to a scenario.
var analysisMembers = []string{"target", "expectAccess", "expectPublic", "expectPolicyPublic", "expectDpp", "absentDpp"}

// loadAccessConfigs reads the public access configurations and loads
// each as a scenario, the analysis members removed.
func loadAccessConfigs(t *testing.T) ([]dppConfig, []*scenario.Scenario) {
	t.Helper()
	data, err := os.ReadFile("../../shared/conformance/analysis/access.json")
	if os.IsNotExist(err) {
		t.Skip("access configurations not present")
	}
	require.NoError(t, err)
	var raws []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &raws))
	var cfgs []dppConfig
	var scs []*scenario.Scenario
	for _, raw := range raws {
		var c dppConfig
		whole, err := json.Marshal(raw)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(whole, &c))
		for _, m := range analysisMembers {
			delete(raw, m)
		}
		rest, err := json.Marshal(raw)
		require.NoError(t, err)
		sc, err := scenario.Parse(c.Name+".json", rest)
		require.NoError(t, err, c.Name)
		cfgs = append(cfgs, c)
		scs = append(scs, sc)
	}
	require.NotEmpty(t, cfgs)
	return cfgs, scs
}

// dppAllCodes are the profile's codes; each configuration lists every one
// in expectDpp or absentDpp.
var dppAllCodes = []string{
	analysis.DPPPublicAccess, analysis.DPPBPANotAllOn, analysis.DPPACLsEnabled, analysis.DPPWildcardPrincipal,
	analysis.DPPCrossAccountFullAccess, analysis.DPPTLSNotEnforced, analysis.DPPTLSVersionNotEnforced, analysis.DPPSSENotRequired,
}

// checkDpp compares reported findings with a configuration's expectations,
// restricted to the codes in scope.
func checkDpp(t *testing.T, c dppConfig, got []analysis.ProfileFinding, scope map[string]bool) {
	t.Helper()
	reported := map[string]string{}
	for _, f := range got {
		reported[f.Code] = f.Section
	}
	listed := map[string]bool{}
	for _, e := range c.ExpectDpp {
		listed[e.Code] = true
		if !scope[e.Code] {
			continue
		}
		sec, ok := reported[e.Code]
		if assert.True(t, ok, "missing %s", e.Code) {
			assert.Equal(t, e.Section, sec, e.Code)
		}
	}
	for _, code := range c.AbsentDpp {
		listed[code] = true
		if scope[code] {
			_, ok := reported[code]
			assert.False(t, ok, "unexpected %s", code)
		}
	}
	for _, code := range dppAllCodes {
		assert.True(t, listed[code], "configuration does not pin %s", code)
	}
}

// TestDPPAccessConfigurations runs the profile on the target of every
// public access configuration and compares the whole outcome with
// expectDpp and absentDpp.
func TestDPPAccessConfigurations(t *testing.T) {
	cfgs, scs := loadAccessConfigs(t)
	all := map[string]bool{}
	for _, code := range dppAllCodes {
		all[code] = true
	}
	for i, c := range cfgs {
		t.Run(c.Name, func(t *testing.T) {
			got, err := analysis.Profile(scs[i].World(), c.Target, analysis.DPPProfile{})
			require.NoError(t, err)
			checkDpp(t, c, got, all)
		})
	}
}

// TestDPPAccessConfigurationsSettings pins the Block Public Access, ACL
// and proof checks on every public access configuration.
func TestDPPAccessConfigurationsSettings(t *testing.T) {
	cfgs, scs := loadAccessConfigs(t)
	scope := map[string]bool{
		analysis.DPPBPANotAllOn: true, analysis.DPPACLsEnabled: true,
		analysis.DPPTLSNotEnforced: true, analysis.DPPTLSVersionNotEnforced: true, analysis.DPPSSENotRequired: true,
	}
	for i, c := range cfgs {
		t.Run(c.Name, func(t *testing.T) {
			got := analysis.ProfileWithoutReview(scs[i].World(), c.Target)
			checkDpp(t, c, got, scope)
		})
	}
	t.Logf("%d configurations", len(cfgs))
}

// TestDPPAccessConfigurationsExpectedReview runs every check of the
// profile on each configuration with the access report the configuration
// expects standing for the review: the whole outcome is pinned.
func TestDPPAccessConfigurationsExpectedReview(t *testing.T) {
	cfgs, scs := loadAccessConfigs(t)
	all := map[string]bool{}
	for _, code := range dppAllCodes {
		all[code] = true
	}
	for i, c := range cfgs {
		t.Run(c.Name, func(t *testing.T) {
			got := analysis.ProfileOfReport(scs[i].World(), c.Target, expectedReport(t, c))
			checkDpp(t, c, got, all)
		})
	}
}

// TestDPPAccessCorpusRunner runs the public configurations through the
// corpus runner with the profile hooked in: requests, access review and
// profile together, by the runner's matching rules (ANALYSIS-FORMAT.md
// §2.1, §2.2).
func TestDPPAccessCorpusRunner(t *testing.T) {
	data, err := os.ReadFile("../../shared/conformance/analysis/access.json")
	if os.IsNotExist(err) {
		t.Skip("access configurations not present")
	}
	require.NoError(t, err)
	configs, err := acccase.ParseFile(data)
	require.NoError(t, err)
	require.NotEmpty(t, configs)
	for _, c := range configs {
		t.Run(c.Name, func(t *testing.T) {
			res := acccase.Runner{Profile: acccase.Profile}.Run("access.json", c)
			require.NoError(t, res.Err)
			assert.False(t, res.DPPSkipped)
			assert.True(t, res.OK, "missing %q, unexpected %q", res.Missing, res.Unexpected)
		})
	}
}
