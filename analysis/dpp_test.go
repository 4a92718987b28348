package analysis

import (
	"errors"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	dppOwner   ownership.AccountID = "123456789012"
	dppOtherID                     = "b1be5a7ed36b262d254afc2898d1c3e89839c50e145e0233bf8945eff809993f"
)

// hardenedDoc is the policy of the corpus's sample-dpp-hardened bucket,
// for bucket b: every proof holds.
var hardenedDoc = dppDoc(
	denyAll(`"arn:aws:s3:::b*"`, `{"BoolIfExists":{"aws:SecureTransport":"false"}}`),
	denyAll(bothRes, `{"NumericLessThanIfExists":{"s3:TlsVersion":"1.2"}}`),
	denyPut(sseNullTrue))

// dppWorld is a world with one bucket "b" owned by dppOwner, hardened: ACLs
// disabled, Block Public Access all on at the bucket, hardenedDoc as its
// policy.
func dppWorld(t *testing.T) (*World, *Bucket) {
	t.Helper()
	b := &Bucket{
		Record: &ownership.Bucket{Name: "b", Owner: dppOwner, Mode: ownership.BucketOwnerEnforced,
			PublicAccessBlock: ownership.BlockAllPublicAccess()},
		Policy:  evaluate.MustPrepare(policy.MustParse(policy.Bucket, hardenedDoc)),
		Objects: map[string]*Object{},
	}
	return &World{Buckets: map[string]*Bucket{"b": b}}, b
}

func stmtFinding(principal string, actions ...string) AccessFinding {
	return AccessFinding{Principal: principal, Actions: actions, Resources: []string{"arn:aws:s3:::b/*"},
		Source: Source{Kind: SourceStatement, Pointer: "/Statement/0"}}
}

// codes returns the codes of fs in order.
func codes(fs []ProfileFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// TestDPPReportChecks covers the five checks that read the access review
// and the bucket's settings, each firing and not firing; want lists the
// codes reported, in order (the proofs hold in every row).
func TestDPPReportChecks(t *testing.T) {
	fullACL := &acl.ACL{Owner: acl.User{ID: "owner"}, Grants: []acl.Grant{
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: "owner"}, Permission: acl.FullControl},
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: dppOtherID}, Permission: acl.FullControl},
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: dppOtherID}, Permission: acl.Read},
	}}
	aclFinding := func(grant int) AccessFinding {
		return AccessFinding{Principal: "canonical:" + dppOtherID, Actions: []string{"s3:ListBucket"},
			Source: Source{Kind: SourceBucketACL, Grant: grant}}
	}
	tests := []struct {
		name     string
		mutate   func(w *World, b *Bucket)
		report   AccessReport
		nilRep   bool
		want     []string
		evidence map[string][]string
	}{
		{name: "hardened bucket with an empty review: nothing"},
		{name: "public finding in effect",
			report: AccessReport{Public: true, Findings: []AccessFinding{
				func() AccessFinding { f := stmtFinding("*", "s3:GetObject"); f.Public = true; return f }()}},
			want:     []string{DPPPublicAccess, DPPWildcardPrincipal},
			evidence: map[string][]string{DPPPublicAccess: {"statement /Statement/0"}}},
		{name: "public finding neutralised: neither public nor wildcard",
			report: AccessReport{Findings: []AccessFinding{
				func() AccessFinding {
					f := stmtFinding("*", "s3:GetObject")
					f.Public, f.BlockedBy = true, RestrictPublicBuckets
					return f
				}()}}},
		{name: "missing review is not compliance", nilRep: true, want: []string{DPPPublicAccess}},
		{name: "bucket BPA flag off",
			mutate: func(w *World, b *Bucket) { b.Record.PublicAccessBlock.BlockPublicPolicy = false },
			want:   []string{DPPBPANotAllOn},
			evidence: map[string][]string{DPPBPANotAllOn: {
				"Block Public Access BlockPublicPolicy off (account and bucket)"}}},
		{name: "bucket RestrictPublicBuckets off",
			mutate: func(w *World, b *Bucket) { b.Record.PublicAccessBlock.RestrictPublicBuckets = false },
			want:   []string{DPPBPANotAllOn}},
		{name: "account BPA makes up for the bucket's",
			mutate: func(w *World, b *Bucket) {
				b.Record.PublicAccessBlock = ownership.PublicAccessBlock{BlockPublicAcls: true}
				w.AccountBlockPublicAccess = map[ownership.AccountID]ownership.PublicAccessBlock{
					dppOwner: {IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}}
			}},
		{name: "ACLs enabled under ObjectWriter",
			mutate:   func(w *World, b *Bucket) { b.Record.Mode = ownership.ObjectWriter },
			want:     []string{DPPACLsEnabled},
			evidence: map[string][]string{DPPACLsEnabled: {"objectOwnership ObjectWriter"}}},
		{name: "ACLs enabled under BucketOwnerPreferred",
			mutate: func(w *World, b *Bucket) { b.Record.Mode = ownership.BucketOwnerPreferred },
			want:   []string{DPPACLsEnabled}},
		{name: "wildcard principal restricted by a condition, not public",
			report: AccessReport{Findings: []AccessFinding{stmtFinding("*", "s3:GetObject")}},
			want:   []string{DPPWildcardPrincipal}},
		{name: "authenticated users",
			report: AccessReport{Findings: []AccessFinding{stmtFinding("authenticated", "s3:GetObject")}},
			want:   []string{DPPWildcardPrincipal}},
		{name: "federated provider",
			report: AccessReport{Findings: []AccessFinding{stmtFinding("federated:accounts.google.com", "s3:GetObject")}},
			want:   []string{DPPWildcardPrincipal}},
		{name: "service and log delivery principals are neither wildcard nor cross-account",
			report: AccessReport{Findings: []AccessFinding{stmtFinding("service:cloudtrail.amazonaws.com", "s3:*"),
				stmtFinding("group:LogDelivery", "*")}}},
		{name: "other account with s3:*",
			report: AccessReport{Findings: []AccessFinding{stmtFinding("account:210987654321", "s3:*")}},
			want:   []string{DPPCrossAccountFullAccess}},
		{name: "IAM role with *",
			report: AccessReport{Findings: []AccessFinding{stmtFinding("arn:aws:iam::210987654321:role/r", "*")}},
			want:   []string{DPPCrossAccountFullAccess}},
		{name: "other account with a pattern covering every s3 action",
			report: AccessReport{Findings: []AccessFinding{stmtFinding("account:210987654321", "S3:*")}},
			want:   []string{DPPCrossAccountFullAccess}},
		{name: "other account through NotAction",
			report: AccessReport{Findings: []AccessFinding{
				func() AccessFinding {
					f := stmtFinding("account:210987654321", "*")
					f.Actions, f.Except = []string{"s3:GetObject"}, []string{"s3:DeleteObject"}
					return f
				}()}},
			want: []string{DPPCrossAccountFullAccess}},
		{name: "other account with named actions: need-to-know",
			report: AccessReport{Findings: []AccessFinding{stmtFinding("account:210987654321", "s3:GetObject", "s3:Get*")}}},
		{name: "other account with s3:* but neutralised",
			report: AccessReport{Findings: []AccessFinding{
				func() AccessFinding {
					f := stmtFinding("account:210987654321", "s3:*")
					f.BlockedBy = RestrictPublicBuckets
					return f
				}()}}},
		{name: "canonical user with an ACL FULL_CONTROL grant",
			mutate:   func(w *World, b *Bucket) { b.Record.Mode, b.ACL = ownership.ObjectWriter, fullACL },
			report:   AccessReport{Findings: []AccessFinding{aclFinding(1)}},
			want:     []string{DPPACLsEnabled, DPPCrossAccountFullAccess},
			evidence: map[string][]string{DPPCrossAccountFullAccess: {"bucket-acl grant 1"}}},
		{name: "canonical user with an ACL READ grant",
			mutate: func(w *World, b *Bucket) { b.Record.Mode, b.ACL = ownership.ObjectWriter, fullACL },
			report: AccessReport{Findings: []AccessFinding{aclFinding(2)}},
			want:   []string{DPPACLsEnabled}},
		{name: "object ACL FULL_CONTROL grant",
			mutate: func(w *World, b *Bucket) {
				b.Record.Mode = ownership.ObjectWriter
				b.Objects["k"] = &Object{Record: &ownership.Object{Bucket: "b", Key: "k"}, ACL: fullACL}
			},
			report: AccessReport{Findings: []AccessFinding{{Principal: "canonical:" + dppOtherID,
				Actions: []string{"s3:GetObject"}, Source: Source{Kind: SourceObjectACL, Key: "k", Grant: 1}}}},
			want:     []string{DPPACLsEnabled, DPPCrossAccountFullAccess},
			evidence: map[string][]string{DPPCrossAccountFullAccess: {"object-acl k grant 1"}}},
		{name: "ACL grant the world cannot show counts as full access",
			mutate: func(w *World, b *Bucket) { b.Record.Mode = ownership.ObjectWriter },
			report: AccessReport{Findings: []AccessFinding{aclFinding(7)}},
			want:   []string{DPPACLsEnabled, DPPCrossAccountFullAccess}},
		{name: "everything at once, in the table's order",
			mutate: func(w *World, b *Bucket) {
				b.Record.Mode, b.Policy, b.Record.PublicAccessBlock = ownership.ObjectWriter, nil, ownership.PublicAccessBlock{}
			},
			report: AccessReport{Public: true, Findings: []AccessFinding{
				func() AccessFinding { f := stmtFinding("*", "s3:GetObject"); f.Public = true; return f }(),
				stmtFinding("account:210987654321", "s3:*")}},
			want: []string{DPPPublicAccess, DPPBPANotAllOn, DPPACLsEnabled, DPPWildcardPrincipal,
				DPPCrossAccountFullAccess, DPPTLSNotEnforced, DPPTLSVersionNotEnforced, DPPSSENotRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, b := dppWorld(t)
			if tt.mutate != nil {
				tt.mutate(w, b)
			}
			r := &tt.report
			if tt.nilRep {
				r = nil
			}
			got := profileOf(w, b, r)
			assert.Equal(t, tt.want, codes(got))
			for _, f := range got {
				assert.Contains(t, []Type{SecurityWarning, Warning}, f.Type, f.Code)
				assert.NotEmpty(t, f.Message, f.Code)
				assert.NotEmpty(t, f.Evidence, f.Code)
				if ev, ok := tt.evidence[f.Code]; ok {
					assert.Equal(t, ev, f.Evidence, f.Code)
				}
			}
		})
	}
}

// TestDPPSectionsAndTypes pins each code's section and type to the
// ANALYSIS-FORMAT §2.2 table and spec §6.2.
func TestDPPSectionsAndTypes(t *testing.T) {
	w, b := dppWorld(t)
	b.Record.Mode, b.Policy, b.Record.PublicAccessBlock = ownership.ObjectWriter, nil, ownership.PublicAccessBlock{}
	pub := stmtFinding("*", "s3:GetObject")
	pub.Public = true
	got := profileOf(w, b, &AccessReport{Public: true, Findings: []AccessFinding{pub, stmtFinding("account:210987654321", "s3:*")}})
	want := []struct {
		code, section string
		typ           Type
	}{
		{DPPPublicAccess, "1.1, 2.3", SecurityWarning},
		{DPPBPANotAllOn, "1.1", Warning},
		{DPPACLsEnabled, "1.3", Warning},
		{DPPWildcardPrincipal, "1.2", Warning},
		{DPPCrossAccountFullAccess, "1.3", SecurityWarning},
		{DPPTLSNotEnforced, "1.5", SecurityWarning},
		{DPPTLSVersionNotEnforced, "1.5", Warning},
		{DPPSSENotRequired, "2.4", Warning},
	}
	require.Len(t, got, len(want))
	for i, w := range want {
		assert.Equal(t, w.code, got[i].Code)
		assert.Equal(t, w.section, got[i].Section, w.code)
		assert.Equal(t, w.typ, got[i].Type, w.code)
	}
}

// TestProfileArguments checks the errors Profile gives: an unknown seed
// before anything else, and the review's for a missing world or bucket.
func TestProfileArguments(t *testing.T) {
	w, _ := dppWorld(t)
	_, err := Profile(w, "b", DPPProfile{Seed: "002_other"})
	assert.True(t, errors.Is(err, ErrUnknownDPPSeed), "%v", err)
	for _, tt := range []struct {
		name   string
		w      *World
		bucket string
	}{
		{name: "no bucket", w: w, bucket: "nope"},
		{name: "nil world", w: nil, bucket: "b"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Profile(tt.w, tt.bucket, DefaultDPP())
			assert.Error(t, err)
			assert.Nil(t, got)
		})
	}
	assert.Equal(t, CurrentDPPSeed, DPPProfile{}.seed())
	assert.Equal(t, DPPProfile{}.seed(), DefaultDPP().seed())
}
