package evaluate_test

import (
	"fmt"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Grants to accounts named by e-mail: who they name and what else the
// caller then needs. Each test cites the AWS page its rule comes from.

func federated(acct, name string) ownership.Principal {
	return ownership.MustParsePrincipal("arn:aws:sts::" + acct + ":federated-user/" + name)
}

func emailGrant(address string, p acl.Permission) acl.Grant {
	return acl.Grant{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: address}, Permission: p}
}

func canonicalGrant(id acl.CanonicalID, p acl.Permission) acl.Grant {
	return acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: id}, Permission: p}
}

func groupGrant(uri string, p acl.Permission) acl.Grant {
	return acl.Grant{Grantee: acl.Grantee{Type: acl.Group, URI: uri}, Permission: p}
}

func request(p ownership.Principal, action, key string) evaluate.Request {
	return evaluate.Request{Principal: p, Action: action, Bucket: "bkt", Key: key}
}

// TestRuleEmailGrantIsAnAccountGrant: S3 resolves a grantee named by
// e-mail (AmazonCustomerByEmail) to the canonical user ID of the account
// registered under that address, so the grant is a grant to that account:
// its root is granted, its IAM identities only by delegation. An address no
// account is registered under grants nothing.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Grantee.html
func TestRuleEmailGrantIsAnAccountGrant(t *testing.T) {
	read := allowAll(t, "s3:GetObject", "arn:aws:s3:::bkt/*")
	objectACL := func(objOwner string, ownerID acl.CanonicalID, g acl.Grant) evaluate.Context {
		return with(world(t, objOwner), func(ec *evaluate.Context) {
			ec.ObjectACL = &acl.ACL{Owner: acl.User{ID: ownerID}, Grants: []acl.Grant{canonicalGrant(ownerID, acl.FullControl), g}}
		})
	}
	// The owner's account granted only by e-mail: its FULL_CONTROL written
	// that way.
	toA := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.ObjectACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{emailGrant(emailA, acl.FullControl)}}
	})
	toB := objectACL(acctA, canonA, emailGrant(emailB, acl.Read))
	foreignToA := objectACL(acctB, canonB, emailGrant(emailA, acl.Read))
	withID := func(ec evaluate.Context) evaluate.Context {
		return with(ec, func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{read}; ec.Session = ec.Identity })
	}
	runRules(t, []ruleCase{
		{"another account's root is granted", getObject(root(acctB)), toB, evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, evaluate.SourceObjectACL},
		{"the address compares as the directory compares it", getObject(root(acctB)), objectACL(acctA, canonA, emailGrant("OWNER@B.Example.COM", acl.Read)), evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, 0},
		{"another account's user without its identity allow is not", getObject(user(acctB, "bob")), toB, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"another account's user with its identity allow is", getObject(user(acctB, "bob")), withID(toB), evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, evaluate.SourceObjectACL},
		{"a third account is not granted", getObject(root(acctC)), toB, evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"anonymous is not granted", getObject(ownership.Anonymous()), toB, evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"the owner's user is granted only by delegation", getObject(user(acctA, "dave")), toA, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"the owner's role session is granted only by delegation", getObject(session(acctA, "ops", "s1")), toA, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"the owner's federated user is granted only by delegation", getObject(federated(acctA, "fed")), toA, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNone, 0},
		{"the owner's user with an identity allow", getObject(user(acctA, "dave")), withID(toA), evaluate.Allow, evaluate.StageUser, evaluate.CodeIdentityAllows, 0},
		{"foreign object: the bucket owner's root is granted", getObject(root(acctA)), foreignToA, evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, evaluate.SourceObjectACL},
		{"foreign object: the bucket owner's user only with its identity allow", getObject(user(acctA, "dave")), foreignToA, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"foreign object: the bucket owner's user with its identity allow", getObject(user(acctA, "dave")), withID(foreignToA), evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, evaluate.SourceObjectACL},
		{"an address no account is registered under grants nothing", getObject(root(acctB)), objectACL(acctA, canonA, emailGrant("nobody@example.com", acl.Read)), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"no directory: the address names nobody", getObject(root(acctB)), with(toB, func(ec *evaluate.Context) { ec.Directory = nil }), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"a bucket ACL grant by e-mail", listBucket(root(acctB)), with(world(t, ""), func(ec *evaluate.Context) {
			ec.BucketACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{canonicalGrant(canonA, acl.FullControl), emailGrant(emailB, acl.Read)}}
		}), evaluate.Allow, evaluate.StageBucket, evaluate.CodeACLGrants, evaluate.SourceBucketACL},
	})
}

// TestEmailGrantActsAsCanonicalGrant checks the rule above over every
// caller kind, ACL permission, requested action and resource owner: a
// grant by e-mail decides exactly as the grant to the canonical ID of the
// account the directory registers the address under, with the same reason;
// a grant to an unregistered address decides as no grant at all.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee
func TestEmailGrantActsAsCanonicalGrant(t *testing.T) {
	dir := directory(t)
	callers := []ownership.Principal{
		ownership.Anonymous(), root(acctA), user(acctA, "dave"), session(acctA, "ops", "s1"), federated(acctA, "fed"),
		root(acctB), user(acctB, "bob"), federated(acctB, "fed"), root(acctC),
	}
	anything := allowAll(t, "s3:*", "*")
	type account struct {
		acct      string
		canonical acl.CanonicalID
		email     string
	}
	accounts := []account{{acctA, canonA, emailA}, {acctB, canonB, emailB}, {acctC, canonC, emailC}}
	objectActions := []string{"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl", "s3:PutObjectAcl", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectTagging"}
	bucketActions := []string{"s3:ListBucket", "s3:GetBucketAcl", "s3:PutBucketAcl"}
	perms := []acl.Permission{acl.Read, acl.Write, acl.ReadACP, acl.WriteACP, acl.FullControl}
	compared := 0
	for _, objOwner := range accounts[:2] {
		for _, to := range accounts {
			for _, perm := range perms {
				for _, onObject := range []bool{false, true} {
					build := func(g *acl.Grant) evaluate.Context {
						ec := evaluate.Context{
							Bucket:    &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.ObjectWriter},
							Object:    &ownership.Object{Bucket: "bkt", Key: "k", Owner: ownership.AccountOwner(ownership.AccountID(objOwner.acct))},
							Directory: dir,
						}
						bucket := &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{canonicalGrant(canonA, acl.FullControl)}}
						object := &acl.ACL{Owner: acl.User{ID: objOwner.canonical}, Grants: []acl.Grant{canonicalGrant(objOwner.canonical, acl.FullControl)}}
						target := bucket
						if onObject {
							target = object
						}
						if g != nil {
							target.Grants = append(target.Grants, *g)
						}
						ec.BucketACL, ec.ObjectACL = bucket, object
						return ec
					}
					byEmail := build(&acl.Grant{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: to.email}, Permission: perm})
					byID := build(&acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: to.canonical}, Permission: perm})
					unknown := build(&acl.Grant{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: "nobody@example.com"}, Permission: perm})
					none := build(nil)
					for _, p := range callers {
						for _, identity := range [][]*evaluate.Prepared{nil, {anything}} {
							for i, action := range append(append([]string{}, objectActions...), bucketActions...) {
								req := evaluate.Request{Principal: p, Action: action, Bucket: "bkt"}
								if i < len(objectActions) {
									req.Key = "k"
								}
								set := func(ec evaluate.Context) evaluate.Context { ec.Identity, ec.Session = identity, identity; return ec }
								d1, g1 := evaluate.Evaluate(req, set(byEmail))
								d2, g2 := evaluate.Evaluate(req, set(byID))
								d3, _ := evaluate.Evaluate(req, set(unknown))
								d4, _ := evaluate.Evaluate(req, set(none))
								compared++
								where := fmt.Sprintf("%s %s, %s granted to %s on the %s ACL, object of %s, identity %v", p, action, perm, to.acct, map[bool]string{false: "bucket", true: "object"}[onObject], objOwner.acct, identity != nil)
								if !assert.Equal(t, d2, d1, where) || !assert.Equal(t, g2.Reason, g1.Reason, where) {
									return
								}
								if !assert.Equal(t, d4, d3, "unregistered address: "+where) {
									return
								}
							}
						}
					}
				}
			}
		}
	}
	require.Positive(t, compared)
	t.Logf("%d requests compared", compared)
}

// TestEmailGranteeSiblings: the other places that read grantees treat an
// e-mail grantee as the account it resolves to. Block Public Access calls
// public only grants to the AllUsers and AuthenticatedUsers groups, so a
// grant by e-mail is never public: BlockPublicAcls accepts it and
// IgnorePublicAcls keeps it. Under BucketOwnerEnforced, an explicit ACL
// equivalent to bucket-owner-full-control is accepted whether it names the
// owners by canonical ID or by e-mail. Reasons and audit records point at
// the e-mail grant that decided.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func TestEmailGranteeSiblings(t *testing.T) {
	mixed := &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{
		canonicalGrant(canonA, acl.FullControl), groupGrant(acl.AllUsers, acl.Read), emailGrant(emailB, acl.Read),
	}}
	private := &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{canonicalGrant(canonA, acl.FullControl), emailGrant(emailB, acl.Read)}}
	bpa := func(b ownership.PublicAccessBlock) func(*evaluate.Context) {
		return func(ec *evaluate.Context) { ec.Bucket.PublicAccessBlock = b }
	}
	enforced := func(ec *evaluate.Context) {
		ec.Bucket = &ownership.Bucket{Name: "bkt", Owner: acctA, Mode: ownership.BucketOwnerEnforced}
	}
	upload := func(grants ...acl.Grant) evaluate.Request {
		return evaluate.Request{Principal: root(acctB), Action: "s3:PutObject", Bucket: "bkt", Key: "n", ACL: &acl.ACL{Owner: acl.User{ID: canonB}, Grants: grants}}
	}
	uploadGrant := func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::bkt/*"}`)
	}
	assert.False(t, private.IsPublic(), "a grant by e-mail is not public")
	runRules(t, []ruleCase{
		{"BlockPublicAcls accepts an ACL granting by e-mail", evaluate.Request{Principal: root(acctA), Action: "s3:PutObjectAcl", Bucket: "bkt", Key: "k", ACL: private},
			with(world(t, acctA), bpa(ownership.PublicAccessBlock{BlockPublicAcls: true})), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeResourceOwnerRoot, 0},
		{"BlockPublicAcls refuses it beside a public grant", evaluate.Request{Principal: root(acctA), Action: "s3:PutObjectAcl", Bucket: "bkt", Key: "k", ACL: mixed},
			with(world(t, acctA), bpa(ownership.PublicAccessBlock{BlockPublicAcls: true})), evaluate.ImplicitDeny, evaluate.StageBlockPublicAccess, evaluate.CodeBlockPublicACLs, 0},
		{"IgnorePublicAcls keeps the grant by e-mail", getObject(root(acctB)),
			with(with(world(t, acctA), bpa(ownership.PublicAccessBlock{IgnorePublicAcls: true})), func(ec *evaluate.Context) { ec.ObjectACL = mixed }), evaluate.Allow, evaluate.StageObject, evaluate.CodeACLGrants, evaluate.SourceObjectACL},
		{"IgnorePublicAcls drops the public one", getObject(ownership.Anonymous()),
			with(with(world(t, acctA), bpa(ownership.PublicAccessBlock{IgnorePublicAcls: true})), func(ec *evaluate.Context) { ec.ObjectACL = mixed }), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"BucketOwnerEnforced: owners by e-mail are bucket-owner-full-control", upload(emailGrant(emailB, acl.FullControl), emailGrant(emailA, acl.FullControl)),
			with(with(world(t, ""), enforced), uploadGrant), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"BucketOwnerEnforced: the bucket owner by e-mail beside the writer by ID", upload(canonicalGrant(canonB, acl.FullControl), emailGrant("Owner@A.example.com", acl.FullControl)),
			with(with(world(t, ""), enforced), uploadGrant), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"BucketOwnerEnforced: a third account by e-mail is refused", upload(canonicalGrant(canonB, acl.FullControl), canonicalGrant(canonA, acl.FullControl), emailGrant(emailC, acl.FullControl)),
			with(with(world(t, ""), enforced), uploadGrant), evaluate.ImplicitDeny, evaluate.StageOwnership, evaluate.CodeACLsNotSupported, 0},
		{"BucketOwnerEnforced: less than FULL_CONTROL by e-mail is refused", upload(canonicalGrant(canonB, acl.FullControl), emailGrant(emailA, acl.Read)),
			with(with(world(t, ""), enforced), uploadGrant), evaluate.ImplicitDeny, evaluate.StageOwnership, evaluate.CodeACLsNotSupported, 0},
		{"BucketOwnerEnforced: an unregistered address is refused", upload(canonicalGrant(canonB, acl.FullControl), canonicalGrant(canonA, acl.FullControl), emailGrant("nobody@example.com", acl.FullControl)),
			with(with(world(t, ""), enforced), uploadGrant), evaluate.ImplicitDeny, evaluate.StageOwnership, evaluate.CodeACLsNotSupported, 0},
	})

	t.Run("the reason and the record name the e-mail grant", func(t *testing.T) {
		ec := with(world(t, acctA), func(ec *evaluate.Context) { ec.ObjectACL = private })
		req := getObject(root(acctB))
		d, diag := evaluate.Evaluate(req, ec)
		require.Equal(t, evaluate.Allow, d)
		assert.Equal(t, evaluate.Reason{Stage: evaluate.StageObject, Code: evaluate.CodeACLGrants, Source: evaluate.SourceObjectACL}.WithGrant(1), diag.Reason)
		assert.Equal(t, "object: acl-grants object-acl grant=1", diag.Reason.String())
	})
}
