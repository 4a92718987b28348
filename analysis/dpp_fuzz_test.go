package analysis

import (
	"reflect"
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// FuzzProfile holds Profile to its guarantees on any bucket policy the
// parser and evaluator accept, under any Object Ownership and Block Public
// Access: no panic, the same findings twice, codes in the table's order
// with their sections and types, and no proof of a violation the policy
// has no Deny for.
func FuzzProfile(f *testing.F) {
	for _, s := range []string{
		hardenedDoc,
		dppDoc(denyAll(`"arn:aws:s3:::b/*"`, httpFalse)),
		dppDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`),
		dppDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::b/public/*","Condition":` + httpFalse + `}`),
		dppDoc(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::210987654321:root"},"NotAction":"s3:GetObject","Resource":"*"}`),
	} {
		f.Add([]byte(s), uint8(0), uint8(0))
	}
	order := map[string]int{}
	meta := map[string][2]string{}
	for i, c := range []struct{ code, section, typ string }{
		{DPPPublicAccess, "1.1, 2.3", "SECURITY_WARNING"}, {DPPBPANotAllOn, "1.1", "WARNING"},
		{DPPACLsEnabled, "1.3", "WARNING"}, {DPPWildcardPrincipal, "1.2", "WARNING"},
		{DPPCrossAccountFullAccess, "1.3", "SECURITY_WARNING"}, {DPPTLSNotEnforced, "1.5", "SECURITY_WARNING"},
		{DPPTLSVersionNotEnforced, "1.5", "WARNING"}, {DPPSSENotRequired, "2.4", "WARNING"},
	} {
		order[c.code] = i
		meta[c.code] = [2]string{c.section, c.typ}
	}
	f.Fuzz(func(t *testing.T, doc []byte, mode, bpa uint8) {
		pol, err := policy.Parse(policy.Bucket, doc)
		if err != nil {
			return
		}
		prep, err := evaluate.Prepare(pol)
		if err != nil {
			return
		}
		b := &Bucket{
			Record: &ownership.Bucket{Name: "b", Owner: dppOwner, Mode: ownership.Mode(mode % 4),
				PublicAccessBlock: ownership.PublicAccessBlock{BlockPublicAcls: bpa&1 != 0, IgnorePublicAcls: bpa&2 != 0,
					BlockPublicPolicy: bpa&4 != 0, RestrictPublicBuckets: bpa&8 != 0}},
			Policy: prep,
		}
		w := &World{Buckets: map[string]*Bucket{"b": b}}
		got, err := Profile(w, "b", DPPProfile{})
		if err != nil {
			t.Fatal(err)
		}
		again, _ := Profile(w, "b", DefaultDPP())
		if !reflect.DeepEqual(got, again) {
			t.Fatal("two runs differ")
		}
		last := -1
		for _, fd := range got {
			i, ok := order[fd.Code]
			if !ok || i <= last {
				t.Fatalf("code %q out of order in %v", fd.Code, got)
			}
			last = i
			if m := meta[fd.Code]; fd.Section != m[0] || fd.Type.String() != m[1] || len(fd.Evidence) == 0 || fd.Message == "" {
				t.Fatalf("finding %+v", fd)
			}
		}
		deny := false
		for i := range pol.Statements {
			deny = deny || pol.Statements[i].Effect == policy.Deny
		}
		if !deny && len(got) > 0 && order[got[len(got)-1].Code] != order[DPPSSENotRequired] {
			t.Fatalf("a policy without Deny proved something: %v", got)
		}
	})
}
