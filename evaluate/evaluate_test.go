package evaluate_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The world of these tests: account A owns bucket "bkt"; B and C are other
// accounts; P is a DevPay product of developer D.
const (
	acctA, acctB, acctC, acctD = "111111111111", "222222222222", "333333333333", "444444444444"
	canonA                     = "aaaa111111111111111111111111111111111111111111111111111111111111"
	canonB                     = "bbbb222222222222222222222222222222222222222222222222222222222222"
	canonC                     = "cccc333333333333333333333333333333333333333333333333333333333333"
	canonD                     = "dddd444444444444444444444444444444444444444444444444444444444444"
	// The e-mail addresses of the accounts' root users, which ACL grants
	// by e-mail name.
	emailA, emailB, emailC, emailD = "owner@a.example.com", "owner@b.example.com", "owner@c.example.com", "owner@d.example.com"
)

func directory(t testing.TB) *ownership.MemoryDirectory {
	d := &ownership.MemoryDirectory{}
	for _, a := range [][3]string{{acctA, canonA, emailA}, {acctB, canonB, emailB}, {acctC, canonC, emailC}, {acctD, canonD, emailD}} {
		require.NoError(t, d.Add(ownership.AccountID(a[0]), ownership.CanonicalID(a[1]), a[2]))
	}
	return d
}

func prep(t testing.TB, kind policy.Kind, doc string) *evaluate.Prepared {
	t.Helper()
	p, err := policy.Parse(kind, []byte(doc))
	require.NoError(t, err)
	pp, err := evaluate.Prepare(p)
	require.NoError(t, err)
	return pp
}

func allowAll(t testing.TB, action, resource string) *evaluate.Prepared {
	return prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"`+action+`","Resource":"`+resource+`"}]}`)
}

func bucketPolicy(t testing.TB, statements string) *evaluate.Prepared {
	return prep(t, policy.Bucket, `{"Version":"2012-10-17","Statement":[`+statements+`]}`)
}

func user(acct, name string) ownership.Principal {
	return ownership.MustParsePrincipal("arn:aws:iam::" + acct + ":user/" + name)
}

func root(acct string) ownership.Principal {
	return ownership.MustParsePrincipal("arn:aws:iam::" + acct + ":root")
}

func session(acct, role, name string) ownership.Principal {
	return ownership.MustParsePrincipal("arn:aws:sts::" + acct + ":assumed-role/" + role + "/" + name)
}

// world returns a context for bucket "bkt" of account A with ObjectWriter
// ownership and object "k" owned by objOwner.
func world(t testing.TB, objOwner string) evaluate.Context {
	ec := evaluate.Context{
		Bucket:    &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.ObjectWriter},
		Directory: directory(t),
	}
	if objOwner != "" {
		ec.Object = &ownership.Object{Bucket: "bkt", Key: "k", Owner: ownership.AccountOwner(ownership.AccountID(objOwner))}
	}
	return ec
}

type ruleCase struct {
	name   string
	req    evaluate.Request
	ec     evaluate.Context
	want   evaluate.Decision
	stage  evaluate.Stage
	code   evaluate.Code
	source evaluate.Source
}

func runRules(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, diag := evaluate.Evaluate(tc.req, tc.ec)
			assert.Equal(t, tc.want, d, "reason %+v err %v", diag.Reason, diag.Err)
			if tc.stage != evaluate.StageNone {
				assert.Equal(t, tc.stage, diag.Reason.Stage)
			}
			if tc.code != evaluate.CodeNone {
				assert.Equal(t, tc.code, diag.Reason.Code)
			}
			if tc.source != evaluate.SourceNone {
				assert.Equal(t, tc.source, diag.Reason.Source)
			}
		})
	}
}

func getObject(p ownership.Principal) evaluate.Request {
	return evaluate.Request{Principal: p, Action: "s3:GetObject", Bucket: "bkt", Key: "k"}
}

func listBucket(p ownership.Principal) evaluate.Request {
	return evaluate.Request{Principal: p, Action: "s3:ListBucket", Bucket: "bkt"}
}

// at returns ec with its object record moved to key, so that a request for
// key meets the record of the object it names; without a record it stays
// without one.
func at(ec evaluate.Context, key string) evaluate.Context {
	if ec.Object != nil {
		o := *ec.Object
		o.Key = key
		ec.Object = &o
	}
	return ec
}

func with(ec evaluate.Context, f func(*evaluate.Context)) evaluate.Context {
	f(&ec)
	return ec
}

func TestOwnershipAndContexts(t *testing.T) {
	read := allowAll(t, "s3:*", "*")
	runRules(t, []ruleCase{
		{"owner root reads its own object", getObject(root(acctA)), world(t, acctA), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeResourceOwnerRoot, 0},
		{"owner root lists its bucket", listBucket(root(acctA)), world(t, acctA), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeResourceOwnerRoot, 0},
		{"IAM user without policies is denied", getObject(user(acctA, "dave")), world(t, acctA), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"IAM user with identity allow, same account", getObject(user(acctA, "dave")), with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read} }), evaluate.Allow, evaluate.StageUser, evaluate.CodeIdentityAllows, evaluate.SourceIdentity},
		{"same account: bucket policy naming the user suffices", getObject(user(acctA, "dave")), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctA+`:user/dave"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.Allow, evaluate.StageUser, evaluate.CodeBucketPolicyAllows, evaluate.SourceBucketPolicy},
		{"same account: naming the account is a delegation", getObject(user(acctA, "dave")), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctA+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"cross-account: identity allow alone is not enough", getObject(user(acctB, "bob")), with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read} }), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"cross-account: both sides allow", getObject(user(acctB, "bob")), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.Identity = []*evaluate.Prepared{read}
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, 0},
		{"cross-account: resource grant without identity allow", getObject(user(acctB, "bob")), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctB+`:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"other account's root needs the resource grant only", getObject(root(acctB)), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, 0},
		{"foreign object: bucket policy allow does not grant", getObject(root(acctC)), with(world(t, acctB), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"foreign object: only the object ACL grants", getObject(root(acctC)), with(world(t, acctB), func(ec *evaluate.Context) {
			ec.ObjectACL = &acl.ACL{Owner: acl.User{ID: canonB}, Grants: []acl.Grant{{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonC}, Permission: acl.Read}}}
		}), evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, evaluate.SourceObjectACL},
		{"foreign object: bucket owner cannot read it", getObject(root(acctA)), world(t, acctB), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"foreign object: bucket owner may delete it", evaluate.Request{Principal: root(acctA), Action: "s3:DeleteObjectVersion", Bucket: "bkt", Key: "k"}, world(t, acctB), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeNone, 0},
		{"foreign object: bucket owner may restore it", evaluate.Request{Principal: root(acctA), Action: "s3:RestoreObject", Bucket: "bkt", Key: "k"}, world(t, acctB), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeBucketOwnerPower, 0},
		{"foreign object: bucket policy deny still applies", getObject(root(acctB)), with(world(t, acctB), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Sid":"NoReads","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.ExplicitDeny, evaluate.StageBucket, evaluate.CodeExplicitDeny, evaluate.SourceBucketPolicy},
		{"BucketOwnerEnforced: bucket owner owns every object", getObject(root(acctA)), with(world(t, acctB), func(ec *evaluate.Context) {
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.BucketOwnerEnforced}
		}), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeResourceOwnerRoot, 0},
		{"BucketOwnerEnforced: ACLs are ignored", listBucket(root(acctB)), with(world(t, ""), func(ec *evaluate.Context) {
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.BucketOwnerEnforced}
			ec.BucketACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonB}, Permission: acl.Read}}}
		}), evaluate.ImplicitDeny, evaluate.StageBucket, evaluate.CodeNoResourceGrant, 0},
		{"BucketOwnerEnforced: ACL writes refused", evaluate.Request{Principal: root(acctA), Action: "s3:PutObject", Bucket: "bkt", Key: "n", CannedACL: "public-read"}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.BucketOwnerEnforced}
		}), evaluate.ImplicitDeny, evaluate.StageOwnership, evaluate.CodeACLsNotSupported, 0},
		{"BucketOwnerEnforced: an equivalent XML ACL is accepted", evaluate.Request{Principal: root(acctB), Action: "s3:PutObject", Bucket: "bkt", Key: "n", ACL: &acl.ACL{Owner: acl.User{ID: canonB}, Grants: []acl.Grant{
			{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonB}, Permission: acl.FullControl}, {Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.FullControl}}}}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.BucketOwnerEnforced}
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"BucketOwnerEnforced: an XML ACL granting others is refused", evaluate.Request{Principal: root(acctA), Action: "s3:PutObject", Bucket: "bkt", Key: "n", ACL: &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{
			{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.FullControl}, {Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonC}, Permission: acl.Read}}}}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.BucketOwnerEnforced}
		}), evaluate.ImplicitDeny, evaluate.StageOwnership, evaluate.CodeACLsNotSupported, 0},
		{"BucketOwnerEnforced: bucket-owner-full-control accepted", evaluate.Request{Principal: root(acctA), Action: "s3:PutObject", Bucket: "bkt", Key: "n", CannedACL: "bucket-owner-full-control"}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.BucketOwnerEnforced}
		}), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeResourceOwnerRoot, 0},
	})
}

func TestAnonymousServiceAndLockOut(t *testing.T) {
	svc, err := ownership.ServicePrincipal("logging.s3.amazonaws.com")
	require.NoError(t, err)
	public := bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
	runRules(t, []ruleCase{
		{"anonymous with a public policy", getObject(ownership.Anonymous()), with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = public }), evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, 0},
		{"anonymous without grants", getObject(ownership.Anonymous()), world(t, acctA), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"anonymous and an account grant", getObject(ownership.Anonymous()), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.ImplicitDeny, 0, evaluate.CodeNone, 0},
		{"anonymous through AllUsers", listBucket(ownership.Anonymous()), with(world(t, ""), func(ec *evaluate.Context) {
			ec.BucketACL, _ = acl.Canned("public-read", acl.Bucket, acl.User{ID: canonA}, acl.User{ID: canonA})
		}), evaluate.Allow, evaluate.StageBucket, evaluate.CodeACLGrants, evaluate.SourceBucketACL},
		{"signed cross-account IAM user needs its own allow even on a public bucket", getObject(user(acctB, "bob")), with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = public }), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"service principal named by Service", evaluate.Request{Principal: svc, Action: "s3:PutObject", Bucket: "bkt", Key: "log"}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/*"}`)
		}), evaluate.Allow, evaluate.StageBucket, evaluate.CodeBucketPolicyAllows, 0},
		{"log delivery through the ACL group", evaluate.Request{Principal: svc, Action: "s3:PutObject", Bucket: "bkt", Key: "log"}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.BucketACL, _ = acl.Canned("log-delivery-write", acl.Bucket, acl.User{ID: canonA}, acl.User{ID: canonA})
		}), evaluate.Allow, evaluate.StageBucket, evaluate.CodeACLGrants, 0},
		{"owner root keeps bucket policy access despite a deny", evaluate.Request{Principal: root(acctA), Action: "s3:PutBucketPolicy", Bucket: "bkt"}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]}`)
		}), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeOwnerRootPolicyLockoutProtection, 0},
		{"owner root is denied other actions by that deny", listBucket(root(acctA)), with(world(t, ""), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]}`)
		}), evaluate.ExplicitDeny, evaluate.StageBucket, evaluate.CodeExplicitDeny, 0},
		{"another account's root has no lock-out protection", evaluate.Request{Principal: root(acctB), Action: "s3:GetBucketPolicy", Bucket: "bkt"}, world(t, ""), evaluate.ImplicitDeny, 0, evaluate.CodeNone, 0},
		{"bucket policy actions stay in the owner's account despite a grant", evaluate.Request{Principal: root(acctB), Action: "s3:GetBucketPolicy", Bucket: "bkt"}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetBucketPolicy","Resource":"arn:aws:s3:::bkt"}`)
		}), evaluate.ImplicitDeny, evaluate.StageOwnership, evaluate.CodeBucketPolicyOwnerAccountOnly, 0},
		{"owner account IAM user with permission may read the policy", evaluate.Request{Principal: user(acctA, "admin"), Action: "s3:GetBucketPolicy", Bucket: "bkt"}, with(world(t, ""), func(ec *evaluate.Context) {
			ec.Identity = []*evaluate.Prepared{allowAll(t, "s3:GetBucketPolicy", "*")}
		}), evaluate.Allow, evaluate.StageUser, evaluate.CodeIdentityAllows, 0},
		{"ListAllMyBuckets by a root", evaluate.Request{Principal: root(acctB), Action: "s3:ListAllMyBuckets"}, evaluate.Context{}, evaluate.Allow, evaluate.StageOwnership, evaluate.CodeAccountRoot, 0},
		{"ListAllMyBuckets by an IAM user needs Resource *", evaluate.Request{Principal: user(acctB, "bob"), Action: "s3:ListAllMyBuckets"}, evaluate.Context{Identity: []*evaluate.Prepared{allowAll(t, "s3:ListAllMyBuckets", "*")}}, evaluate.Allow, evaluate.StageUser, evaluate.CodeIdentityAllows, 0},
	})
}

func TestIAMLimits(t *testing.T) {
	read := allowAll(t, "s3:GetObject", "arn:aws:s3:::bkt/*")
	denyRead := prep(t, policy.Identity, `{"Statement":[{"Sid":"NoGet","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`)
	other := allowAll(t, "s3:PutObject", "*")
	roleGrant := bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctA+`:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
	sessionGrant := bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::`+acctA+`:assumed-role/reader/s1"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
	s1 := session(acctA, "reader", "s1")
	runRules(t, []ruleCase{
		{"identity deny wins over allow", getObject(user(acctA, "dave")), with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read, denyRead} }), evaluate.ExplicitDeny, evaluate.StageUser, evaluate.CodeExplicitDeny, evaluate.SourceIdentity},
		{"boundary that does not allow", getObject(user(acctA, "dave")), with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read}; ec.Boundary = other }), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeBoundaryDoesNotAllow, 0},
		{"boundary that allows", getObject(user(acctA, "dave")), with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read}; ec.Boundary = read }), evaluate.Allow, evaluate.StageUser, evaluate.CodeIdentityAllows, 0},
		{"deny in the boundary is explicit", getObject(user(acctA, "dave")), with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read}; ec.Boundary = denyRead }), evaluate.ExplicitDeny, evaluate.StageUser, evaluate.CodeExplicitDeny, evaluate.SourceBoundary},
		{"session policy that does not allow", getObject(s1), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.Identity = []*evaluate.Prepared{read}
			ec.Session = []*evaluate.Prepared{other}
		}), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeSessionPolicyDoesNotAllow, 0},
		{"role session without session policy", getObject(s1), with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read} }), evaluate.Allow, evaluate.StageUser, evaluate.CodeIdentityAllows, 0},
		{"role ARN grant: identity silent is fine", getObject(s1), with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = roleGrant }), evaluate.Allow, evaluate.StageUser, evaluate.CodeBucketPolicyAllows, 0},
		{"role ARN grant: boundary silent denies", getObject(s1), with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = roleGrant; ec.Boundary = other }), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNone, 0},
		{"role ARN grant: session policy silent denies", getObject(s1), with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = roleGrant; ec.Session = []*evaluate.Prepared{other} }), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNone, 0},
		{"session ARN grant: boundary silent is fine", getObject(s1), with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = sessionGrant; ec.Boundary = other }), evaluate.Allow, evaluate.StageUser, evaluate.CodeBucketPolicyAllows, 0},
		{"session ARN grant names one session only", getObject(session(acctA, "reader", "s2")), with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = sessionGrant }), evaluate.ImplicitDeny, 0, evaluate.CodeNone, 0},
		{"federated user without session policy has nothing", getObject(ownership.MustParsePrincipal("arn:aws:sts::" + acctA + ":federated-user/fed")), with(world(t, acctA), func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read} }), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeSessionPolicyDoesNotAllow, 0},
	})
}

func TestBlockPublicAccess(t *testing.T) {
	public := `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`
	publicACL, _ := acl.Canned("public-read", acl.Object, acl.User{ID: canonA}, acl.User{ID: canonA})
	bpa := func(f func(*ownership.PublicAccessBlock)) func(*evaluate.Context) {
		return func(ec *evaluate.Context) { f(&ec.Bucket.PublicAccessBlock) }
	}
	runRules(t, []ruleCase{
		{"IgnorePublicAcls drops the public grant", getObject(ownership.Anonymous()), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.ObjectACL = publicACL
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.ObjectWriter, PublicAccessBlock: ownership.PublicAccessBlock{IgnorePublicAcls: true}}
		}), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"account-level IgnorePublicAcls combines", getObject(ownership.Anonymous()), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.ObjectACL = publicACL
			ec.AccountBlockPublicAccess = ownership.PublicAccessBlock{IgnorePublicAcls: true}
		}), evaluate.ImplicitDeny, 0, evaluate.CodeNone, 0},
		{"without BPA the public ACL grants", getObject(ownership.Anonymous()), with(world(t, acctA), func(ec *evaluate.Context) { ec.ObjectACL = publicACL }), evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, 0},
		{"RestrictPublicBuckets blocks outsiders", getObject(ownership.Anonymous()), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, public)
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.ObjectWriter, PublicAccessBlock: ownership.PublicAccessBlock{RestrictPublicBuckets: true}}
		}), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeRestrictPublicBuckets, 0},
		{"RestrictPublicBuckets blocks even named other accounts", getObject(root(acctB)), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, public+`,{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.ObjectWriter, PublicAccessBlock: ownership.PublicAccessBlock{RestrictPublicBuckets: true}}
		}), evaluate.ImplicitDeny, 0, evaluate.CodeRestrictPublicBuckets, 0},
		{"RestrictPublicBuckets keeps the owner account", getObject(user(acctA, "dave")), with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, public)
			ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.ObjectWriter, PublicAccessBlock: ownership.PublicAccessBlock{RestrictPublicBuckets: true}}
		}), evaluate.Allow, evaluate.StageUser, evaluate.CodeBucketPolicyAllows, 0},
		{"BlockPublicPolicy refuses a public policy", evaluate.Request{Principal: root(acctA), Action: "s3:PutBucketPolicy", Bucket: "bkt", Policy: policy.MustParse(policy.Bucket, `{"Statement":[`+public+`]}`)}, with(world(t, ""), bpa(func(b *ownership.PublicAccessBlock) { b.BlockPublicPolicy = true })), evaluate.ImplicitDeny, evaluate.StageBlockPublicAccess, evaluate.CodeBlockPublicPolicy, 0},
		{"BlockPublicPolicy accepts a private policy", evaluate.Request{Principal: root(acctA), Action: "s3:PutBucketPolicy", Bucket: "bkt", Policy: policy.MustParse(policy.Bucket, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}]}`)}, with(world(t, ""), bpa(func(b *ownership.PublicAccessBlock) { b.BlockPublicPolicy = true })), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"BlockPublicAcls refuses a public ACL", evaluate.Request{Principal: root(acctA), Action: "s3:PutObjectAcl", Bucket: "bkt", Key: "k", ACL: publicACL}, with(world(t, acctA), bpa(func(b *ownership.PublicAccessBlock) { b.BlockPublicAcls = true })), evaluate.ImplicitDeny, evaluate.StageBlockPublicAccess, evaluate.CodeBlockPublicACLs, 0},
		{"BlockPublicAcls refuses a public canned ACL on upload", evaluate.Request{Principal: root(acctA), Action: "s3:PutObject", Bucket: "bkt", Key: "n", CannedACL: "public-read"}, with(world(t, ""), bpa(func(b *ownership.PublicAccessBlock) { b.BlockPublicAcls = true })), evaluate.ImplicitDeny, evaluate.StageBlockPublicAccess, evaluate.CodeBlockPublicACLs, 0},
	})
}

func TestDevPay(t *testing.T) {
	catalog, err := devpay.NewCatalog(devpay.Product{Code: "Magic", Owner: acctD}, devpay.Product{Code: "Other", Owner: acctD})
	require.NoError(t, err)
	subs := &devpay.MemorySubscriptions{}
	require.NoError(t, subs.Subscribe(acctA, "Magic"))
	require.NoError(t, subs.Subscribe(acctB, "Other"))
	require.NoError(t, subs.Subscribe(acctC, "Magic"))
	subs.Cancel(acctC, "Magic")
	grantB := &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonA}, Permission: acl.FullControl},
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonB}, Permission: acl.Read},
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonD}, Permission: acl.Read},
	}}
	dp := func(objOwner string) evaluate.Context {
		return with(world(t, objOwner), func(ec *evaluate.Context) {
			ec.Bucket.Product = "Magic"
			ec.Object.Product = "Magic"
			ec.Products, ec.Subscriptions = catalog, subs
			ec.ObjectACL = grantB
		})
	}
	through := func(r evaluate.Request, p devpay.ProductCode) evaluate.Request { r.Product = p; return r }
	runRules(t, []ruleCase{
		{"owner through the product", through(getObject(root(acctA)), "Magic"), dp(acctA), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"owner directly", getObject(root(acctA)), dp(acctA), evaluate.ImplicitDeny, evaluate.StageDevPay, evaluate.CodeDevPayNoProduct, 0},
		{"owner through another product", through(getObject(root(acctA)), "Other"), dp(acctA), evaluate.ImplicitDeny, evaluate.StageDevPay, evaluate.CodeDevPayWrongProduct, 0},
		{"granted but not subscribed", through(getObject(root(acctB)), "Magic"), dp(acctA), evaluate.ImplicitDeny, evaluate.StageDevPay, evaluate.CodeNone, 0},
		{"cancelled subscriber", through(getObject(root(acctC)), "Magic"), dp(acctA), evaluate.ImplicitDeny, evaluate.StageDevPay, evaluate.CodeDevPayCancelled, 0},
		{"developer through the product with an ACL grant", through(getObject(root(acctD)), "Magic"), dp(acctA), evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, 0},
		{"developer directly", getObject(root(acctD)), dp(acctA), evaluate.ImplicitDeny, evaluate.StageDevPay, evaluate.CodeNone, 0},
		{"product request to plain data", through(getObject(root(acctA)), "Magic"), world(t, acctA), evaluate.ImplicitDeny, evaluate.StageDevPay, evaluate.CodeNone, 0},
		{"no catalog fails closed", through(getObject(root(acctA)), "Magic"), with(dp(acctA), func(ec *evaluate.Context) { ec.Products = nil }), evaluate.ImplicitDeny, evaluate.StageDevPay, evaluate.CodeNone, 0},
	})
	t.Run("the owner cancelling ends everyone's access", func(t *testing.T) {
		s := &devpay.MemorySubscriptions{}
		require.NoError(t, s.Subscribe(acctA, "Magic"))
		require.NoError(t, s.Subscribe(acctB, "Magic"))
		ec := with(dp(acctA), func(ec *evaluate.Context) { ec.Subscriptions = s })
		req := through(getObject(root(acctB)), "Magic")
		d, _ := evaluate.Evaluate(req, ec)
		require.Equal(t, evaluate.Allow, d)
		s.Cancel(acctA, "Magic")
		d, diag := evaluate.Evaluate(req, ec)
		assert.Equal(t, evaluate.ImplicitDeny, d)
		assert.Equal(t, evaluate.CodeDevPayOwnerCancelled, diag.Reason.Code)
		require.NoError(t, s.Subscribe(acctA, "Magic"))
		s.Suspend(acctA, "Magic")
		_, diag = evaluate.Evaluate(req, ec)
		assert.Equal(t, evaluate.CodeDevPayOwnerSuspended, diag.Reason.Code)
	})
	t.Run("subscribing later grants the mother", func(t *testing.T) {
		s := &devpay.MemorySubscriptions{}
		require.NoError(t, s.Subscribe(acctA, "Magic"))
		ec := with(dp(acctA), func(ec *evaluate.Context) { ec.Subscriptions = s })
		req := through(getObject(root(acctB)), "Magic")
		d, _ := evaluate.Evaluate(req, ec)
		assert.Equal(t, evaluate.ImplicitDeny, d)
		require.NoError(t, s.Subscribe(acctB, "Magic"))
		d, _ = evaluate.Evaluate(req, ec)
		assert.Equal(t, evaluate.Allow, d)
	})
}

func TestDerivedKeysAreNotTrusted(t *testing.T) {
	bp := bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"`+acctB+`"}}}`)
	ec := with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = bp })
	req := getObject(ownership.Anonymous())
	req.Keys = &evaluate.Keys{}
	req.Keys.Set("aws:PrincipalAccount", acctB)
	d, _ := evaluate.Evaluate(req, ec)
	assert.Equal(t, evaluate.ImplicitDeny, d, "a caller cannot claim another account")
	d, _ = evaluate.Evaluate(getObject(root(acctB)), ec)
	assert.Equal(t, evaluate.Allow, d, "the derived key holds for the real account")

	tagged := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.Object.Tags = []ownership.Tag{{Key: "class", Value: "public"}}
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/class":"public"}}}`)
	})
	d, _ = evaluate.Evaluate(getObject(ownership.Anonymous()), tagged)
	assert.Equal(t, evaluate.Allow, d, "s3:ExistingObjectTag comes from the object record")

	timed := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}`)
	})
	req = getObject(ownership.Anonymous())
	req.Time = time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	d, _ = evaluate.Evaluate(req, timed)
	assert.Equal(t, evaluate.Allow, d)
	req.Time = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	d, _ = evaluate.Evaluate(req, timed)
	assert.Equal(t, evaluate.ImplicitDeny, d)
}

func TestFailClosed(t *testing.T) {
	deny := bucketPolicy(t, `{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"NumericLessThan":{"s3:signatureAge":"5"}}}`)
	allow := bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"NumericLessThan":{"s3:signatureAge":"5"}}}`)
	// The anonymous caller depends on both statements: the Deny must be
	// ruled out, the Allow must hold.
	for _, bp := range []*evaluate.Prepared{deny, allow} {
		req := getObject(ownership.Anonymous())
		req.Keys = &evaluate.Keys{}
		req.Keys.Set("s3:signatureAge", "lots")
		d, diag := evaluate.Evaluate(req, with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = bp }))
		assert.Equal(t, evaluate.ImplicitDeny, d)
		assert.ErrorIs(t, diag.Err, evaluate.ErrCondition)
		assert.Equal(t, evaluate.StageError, diag.Reason.Stage)
	}
	invalid := []struct {
		name string
		req  evaluate.Request
		ec   evaluate.Context
	}{
		{"zero principal", evaluate.Request{Action: "s3:GetObject", Bucket: "bkt", Key: "k"}, world(t, acctA)},
		{"unknown action", evaluate.Request{Principal: root(acctA), Action: "s3:Teleport", Bucket: "bkt"}, world(t, acctA)},
		{"object action without key", evaluate.Request{Principal: root(acctA), Action: "s3:GetObject", Bucket: "bkt"}, world(t, acctA)},
		{"bucket action without bucket", evaluate.Request{Principal: root(acctA), Action: "s3:ListBucket"}, world(t, acctA)},
		{"no bucket record", listBucket(root(acctA)), evaluate.Context{}},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			d, diag := evaluate.Evaluate(tc.req, tc.ec)
			assert.Equal(t, evaluate.ImplicitDeny, d)
			assert.ErrorIs(t, diag.Err, evaluate.ErrInvalidRequest)
		})
	}
	var zero evaluate.Decision
	assert.False(t, zero.Allowed(), "the zero Decision denies")
}

func TestTraceAndRecord(t *testing.T) {
	ec := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Sid":"Other","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/*"},{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
	})
	req := getObject(ownership.Anonymous())
	d, diag := evaluate.Evaluate(req, ec)
	require.Equal(t, evaluate.Allow, d)
	assert.Empty(t, diag.Trace, "no trace unless asked")
	assert.Equal(t, "Read", diag.Reason.Sid)
	assert.Equal(t, "/Statement/1", diag.Reason.Pointer)
	req.Trace = true
	req.Time = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	req.Keys = &evaluate.Keys{}
	req.Keys.Set("aws:SourceIp", "203.0.113.9")
	_, diag = evaluate.Evaluate(req, ec)
	require.Len(t, diag.Trace, 2)
	assert.Equal(t, "Other", diag.Trace[0].Sid)
	assert.False(t, diag.Trace[0].Matched)
	assert.Contains(t, diag.Trace[0].Note, "action")
	assert.True(t, diag.Trace[1].Matched)
	assert.Equal(t, evaluate.Allow, d)
	assert.Equal(t, "Read", diag.Reason.Sid)
	assert.NotContains(t, diag.Reason.String(), "203.0.113.9", "no addresses in the reason")
}

func TestEvaluateConcurrent(t *testing.T) {
	ec := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringLike":{"aws:Referer":"${aws:username}*"}}}]}`)}
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`)
	})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				req := getObject(user(acctA, "dave"))
				req.Keys = &evaluate.Keys{}
				req.Keys.Set("aws:Referer", "dave/x")
				want := evaluate.Allow
				if (g+i)%2 == 0 {
					req.Keys.Set("aws:SourceIp", "10.1.1.1")
				} else {
					req.Keys.Set("aws:SourceIp", "192.0.2.1")
					want = evaluate.ExplicitDeny
				}
				if d, diag := evaluate.Evaluate(req, ec); d != want {
					t.Errorf("goroutine %d: %v (%+v)", g, d, diag.Reason)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestDecisionNames(t *testing.T) {
	assert.Equal(t, "allow", evaluate.Allow.String())
	assert.Equal(t, "explicit-deny", evaluate.ExplicitDeny.String())
	assert.Equal(t, "implicit-deny", evaluate.ImplicitDeny.String())
	assert.Equal(t, "devpay", evaluate.StageDevPay.String())
	assert.Equal(t, "bucket-policy", evaluate.SourceBucketPolicy.String())
	assert.True(t, errors.Is(errors.Join(evaluate.ErrInvalidRequest), evaluate.ErrInvalidRequest))
}

// TestResourceIndexKeepsDocumentOrder checks that the resource index of a
// large policy finds the same first statement as a scan: indexed statements
// (exact and prefix resources) and the others ("*", variables, NotResource)
// interleave in document order.
func TestResourceIndexKeepsDocumentOrder(t *testing.T) {
	var stmts []string
	for i := range 40 {
		switch {
		case i == 7:
			stmts = append(stmts, `{"Sid":"Prefix7","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/docs/*"}`)
		case i == 3:
			stmts = append(stmts, `{"Sid":"Star3","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}`)
		case i == 12:
			stmts = append(stmts, `{"Sid":"Var12","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/${aws:username}/*"}`)
		case i == 20:
			stmts = append(stmts, `{"Sid":"Exact20","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/docs/a.txt"}`)
		case i == 30:
			stmts = append(stmts, `{"Sid":"NotRes30","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","NotResource":"arn:aws:s3:::bkt/docs/*"}`)
		default:
			stmts = append(stmts, `{"Sid":"Other`+strconv.Itoa(i)+`","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/u`+strconv.Itoa(i)+`/*"}`)
		}
	}
	ec := with(world(t, acctA), func(ec *evaluate.Context) { ec.BucketPolicy = bucketPolicy(t, strings.Join(stmts, ",")) })
	tests := []struct {
		name, action, key, sid string
		want                   evaluate.Decision
	}{
		{"prefix before exact", "s3:GetObject", "docs/a.txt", "Prefix7", evaluate.Allow},
		{"indexed prefix of another statement", "s3:GetObject", "u25/x", "Other25", evaluate.Allow},
		{"no statement for the key", "s3:GetObject", "nothing/x", "", evaluate.ImplicitDeny},
		{"NotResource deny outside docs", "s3:DeleteObject", "secret/x", "NotRes30", evaluate.ExplicitDeny},
		{"NotResource spares docs", "s3:DeleteObject", "docs/a.txt", "", evaluate.ImplicitDeny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := evaluate.Request{Principal: root(acctB), Action: tc.action, Bucket: "bkt", Key: tc.key}
			ec := at(ec, tc.key)
			d, diag := evaluate.Evaluate(req, ec)
			assert.Equal(t, tc.want, d)
			assert.Equal(t, tc.sid, diag.Reason.Sid)
			req.Trace = true
			d2, diag2 := evaluate.Evaluate(req, ec)
			assert.Equal(t, d, d2, "a trace never changes the decision")
			assert.Equal(t, diag.Reason, diag2.Reason)
		})
	}
	t.Run("variable resource with a user", func(t *testing.T) {
		ecU := at(ec, "zoe/x")
		ecU.Identity = []*evaluate.Prepared{allowAll(t, "s3:GetObject", "*")}
		d, diag := evaluate.Evaluate(evaluate.Request{Principal: user(acctB, "zoe"), Action: "s3:GetObject", Bucket: "bkt", Key: "zoe/x"}, ecU)
		assert.Equal(t, evaluate.Allow, d)
		assert.Equal(t, "Var12", diag.Reason.Sid)
	})
}

// TestIgnorePublicAclsGrantIndex checks that IgnorePublicAcls leaves the
// stored ACL as it is: the public grant applies to nobody, and the reason
// names the deciding grant by its index in the stored ACL, without copying
// the ACL.
func TestIgnorePublicAclsGrantIndex(t *testing.T) {
	ec := world(t, acctA)
	ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.ObjectWriter, PublicAccessBlock: ownership.PublicAccessBlock{IgnorePublicAcls: true}}
	ec.ObjectACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{
		{Grantee: acl.Grantee{Type: acl.Group, URI: acl.AllUsers}, Permission: acl.Read},
		{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: canonB}, Permission: acl.Read},
	}}
	req := getObject(root(acctB))
	d, diag := evaluate.Evaluate(req, ec)
	require.Equal(t, evaluate.Allow, d, "%+v", diag.Reason)
	assert.Equal(t, evaluate.SourceObjectACL, diag.Reason.Source)
	i, ok := diag.Reason.Grant()
	assert.True(t, ok)
	assert.Equal(t, 1, i, "the index in the stored ACL")
	d, _ = evaluate.Evaluate(getObject(ownership.Anonymous()), ec)
	assert.Equal(t, evaluate.ImplicitDeny, d, "the public grant applies to nobody")
	if !raceEnabled {
		assert.Zero(t, testing.AllocsPerRun(100, func() { evaluate.Evaluate(req, ec) }))
	}
}
