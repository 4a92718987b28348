package evaluate_test

import (
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// disabledSet is a Lockout of the named callers.
type disabledSet map[string]bool

func (d disabledSet) Disabled(p ownership.Principal) bool { return d[p.String()] }

// TestLockout checks account lockout: a disabled caller is denied at
// StageLockout before anything else — even the bucket owner's root, even
// with a policy that allows it — and a caller not in the set is decided as
// usual.
func TestLockout(t *testing.T) {
	bp, err := policy.Parse(policy.Bucket, []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := evaluate.Prepare(bp)
	if err != nil {
		t.Fatal(err)
	}
	anon := ownership.Anonymous()
	root := ownership.MustParsePrincipal("arn:aws:iam::111122223333:root")
	ec := evaluate.Context{
		Bucket:       &ownership.Bucket{Name: "photos", Owner: "111122223333"},
		Object:       &ownership.Object{Bucket: "photos", Key: "cat.jpg", Owner: ownership.AccountOwner("111122223333")},
		BucketPolicy: prepared,
	}
	tests := []struct {
		name      string
		caller    ownership.Principal
		lockout   evaluate.Lockout
		want      evaluate.Decision
		wantStage evaluate.Stage
		wantCode  evaluate.Code
	}{
		{name: "no lockout set", caller: anon, want: evaluate.Allow, wantStage: evaluate.StageObject, wantCode: evaluate.CodeBucketPolicyAllows},
		{name: "another caller disabled", caller: anon, lockout: disabledSet{root.String(): true},
			want: evaluate.Allow, wantStage: evaluate.StageObject, wantCode: evaluate.CodeBucketPolicyAllows},
		{name: "disabled despite the allowing policy", caller: anon, lockout: disabledSet{anon.String(): true},
			want: evaluate.ExplicitDeny, wantStage: evaluate.StageLockout, wantCode: evaluate.CodePrincipalDisabled},
		{name: "the owner's root disabled too", caller: root, lockout: disabledSet{root.String(): true},
			want: evaluate.ExplicitDeny, wantStage: evaluate.StageLockout, wantCode: evaluate.CodePrincipalDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ec := ec
			ec.Lockout = tt.lockout
			d, diag := evaluate.Evaluate(evaluate.Request{Principal: tt.caller, Action: "s3:GetObject", Bucket: "photos", Key: "cat.jpg"}, ec)
			if d != tt.want || diag.Reason.Stage != tt.wantStage || diag.Reason.Code != tt.wantCode || diag.Err != nil {
				t.Errorf("got %v %v %v (err %v), want %v %v %v", d, diag.Reason.Stage, diag.Reason.Code, diag.Err, tt.want, tt.wantStage, tt.wantCode)
			}
			if d != evaluate.Allow && diag.Reason.Code.HTTPStatus() != 403 {
				t.Errorf("status %d, want 403", diag.Reason.Code.HTTPStatus())
			}
		})
	}
}

// TestExtraACLPermission checks that an ACL permission asked for an upload
// (Request.Extra) is judged by the ACL the upload carries, while the
// PutObjectAcl call itself is refused when ACLs are disabled: a PutObject
// with bucket-owner-full-control to a BucketOwnerEnforced bucket is
// allowed, with public-read refused, and PutObjectAcl refused either way.
func TestExtraACLPermission(t *testing.T) {
	idp, err := policy.Parse(policy.Identity, []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::photos/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := evaluate.Prepare(idp)
	if err != nil {
		t.Fatal(err)
	}
	alice := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/alice")
	ec := evaluate.Context{
		Bucket:   &ownership.Bucket{Name: "photos", Owner: "111122223333", Mode: ownership.BucketOwnerEnforced},
		Identity: []*evaluate.Prepared{prepared},
	}
	tests := []struct {
		name   string
		canned string
		extra  bool
		want   evaluate.Decision
		code   evaluate.Code
	}{
		{name: "upload's ACL permission, bucket-owner-full-control", canned: "bucket-owner-full-control", extra: true, want: evaluate.Allow, code: evaluate.CodeIdentityAllows},
		{name: "upload's ACL permission, public-read", canned: "public-read", extra: true, want: evaluate.ImplicitDeny, code: evaluate.CodeACLsNotSupported},
		{name: "the PutObjectAcl call, bucket-owner-full-control", canned: "bucket-owner-full-control", want: evaluate.ImplicitDeny, code: evaluate.CodeACLsNotSupported},
		{name: "the PutObjectAcl call, public-read", canned: "public-read", want: evaluate.ImplicitDeny, code: evaluate.CodeACLsNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, diag := evaluate.Evaluate(evaluate.Request{Principal: alice, Action: "s3:PutObjectAcl", Bucket: "photos", Key: "k",
				CannedACL: tt.canned, Extra: tt.extra}, ec)
			if d != tt.want || diag.Reason.Code != tt.code {
				t.Errorf("got %v %v, want %v %v", d, diag.Reason.Code, tt.want, tt.code)
			}
		})
	}
}
