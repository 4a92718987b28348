package evaluate_test

import (
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
)

// Tests named after one rule each, which the reference evaluators did not
// reach: the bucket owner's powers over other accounts' objects, derived
// keys, Block Public Access on canned ACLs, and bucket WRITE. Each cites
// the AWS page its rule comes from.

// TestRuleBucketOwnerPowerNeedsIdentityAllow: the bucket owner may delete
// and restore objects other accounts own, but that power is the account's;
// its IAM principals use it only with their own identity allow (S3's user
// context), like any other permission of their account.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-overview.html#about-resource-owner
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html
func TestRuleBucketOwnerPowerNeedsIdentityAllow(t *testing.T) {
	restore := allowAll(t, "s3:RestoreObject", "arn:aws:s3:::bkt/*")
	other := allowAll(t, "s3:GetObject", "arn:aws:s3:::bkt/*")
	foreign := world(t, acctB) // bucket of A, object k of B
	withID := func(ids ...*evaluate.Prepared) evaluate.Context {
		return with(foreign, func(ec *evaluate.Context) { ec.Identity = ids })
	}
	runRules(t, []ruleCase{
		{"the owner's root restores", request(root(acctA), "s3:RestoreObject", "k"), foreign, evaluate.Allow, evaluate.StageOwnership, evaluate.CodeBucketOwnerPower, 0},
		{"the owner's user without an identity allow does not", request(user(acctA, "dave"), "s3:RestoreObject", "k"), foreign, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"the owner's user with an identity allow for another action does not", request(user(acctA, "dave"), "s3:RestoreObject", "k"), withID(other), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNone, 0},
		{"the owner's user with an identity allow does", request(user(acctA, "dave"), "s3:RestoreObject", "k"), withID(restore), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeBucketOwnerPower, 0},
		{"the owner's user within a boundary that does not allow does not", request(user(acctA, "dave"), "s3:RestoreObject", "k"), with(withID(restore), func(ec *evaluate.Context) { ec.Boundary = other }), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeBoundaryDoesNotAllow, 0},
		{"the owner's role session without an identity allow does not", request(session(acctA, "ops", "s1"), "s3:RestoreObject", "k"), foreign, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNone, 0},
		{"the owner's role session with an identity allow does", request(session(acctA, "ops", "s1"), "s3:RestoreObject", "k"), withID(restore), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeBucketOwnerPower, 0},
		{"the owner's federated user without a session policy does not", request(federated(acctA, "fed"), "s3:RestoreObject", "k"), withID(restore), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeSessionPolicyDoesNotAllow, 0},
		{"the owner's federated user with both does", request(federated(acctA, "fed"), "s3:RestoreObject", "k"), with(withID(restore), func(ec *evaluate.Context) { ec.Session = []*evaluate.Prepared{restore} }), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeBucketOwnerPower, 0},
		{"the power does not read", request(user(acctA, "dave"), "s3:GetObject", "k"), withID(other), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
	})
}

// TestRuleAnonymousHasNoPrincipalTags: aws:PrincipalTag/* is in the
// request context only for IAM principals with tags; an unsigned request
// has none, whatever tags or keys the host passes with it.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
func TestRuleAnonymousHasNoPrincipalTags(t *testing.T) {
	ifTag := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}}`)
	})
	ifNoTag := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"Null":{"aws:PrincipalTag/team":"true"}}}`)
	})
	tagged := func(p ownership.Principal) evaluate.Request {
		r := getObject(p)
		r.PrincipalTags = []ownership.Tag{{Key: "team", Value: "red"}}
		return r
	}
	claimed := getObject(ownership.Anonymous())
	claimed.Keys = &evaluate.Keys{}
	claimed.Keys.Set("aws:PrincipalTag/team", "red")
	runRules(t, []ruleCase{
		{"anonymous with tags passed along has none", tagged(ownership.Anonymous()), ifTag, evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"anonymous claiming a tag key has none", claimed, ifTag, evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"anonymous with tags passed along: the key is absent", tagged(ownership.Anonymous()), ifNoTag, evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, 0},
		{"a tagged IAM user has the key", tagged(user(acctA, "dave")), ifTag, evaluate.Allow, evaluate.StageUser, evaluate.CodeBucketPolicyAllows, 0},
		{"a tagged IAM user: the key is present", tagged(user(acctA, "dave")), ifNoTag, evaluate.ImplicitDeny, 0, evaluate.CodeNone, 0},
	})
}

// TestRuleResourceAccountIsTheBucketOwner: s3:ResourceAccount and
// aws:ResourceAccount are the account that owns the resource (for S3, the
// bucket owner), set by AWS: never the caller's account, never a value the
// request carries.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
func TestRuleResourceAccountIsTheBucketOwner(t *testing.T) {
	for _, key := range []string{"s3:ResourceAccount", "aws:ResourceAccount"} {
		t.Run(key, func(t *testing.T) {
			bucketIf := func(acct string) evaluate.Context {
				return with(world(t, acctA), func(ec *evaluate.Context) {
					ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringEquals":{"`+key+`":"`+acct+`"}}}`)
				})
			}
			identityIf := func(acct string) evaluate.Context {
				return with(world(t, acctA), func(ec *evaluate.Context) {
					ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
					ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"`+key+`":"`+acct+`"}}}]}`)}
				})
			}
			claiming := func(p ownership.Principal, acct string) evaluate.Request {
				r := getObject(p)
				r.Keys = &evaluate.Keys{}
				r.Keys.Set("s3:ResourceAccount", acct)
				r.Keys.Set("aws:ResourceAccount", acct)
				return r
			}
			runRules(t, []ruleCase{
				{"the bucket owner's account holds", getObject(root(acctB)), bucketIf(acctA), evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, 0},
				{"the caller's account does not", getObject(root(acctB)), bucketIf(acctB), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
				{"a value the request claims is ignored", claiming(root(acctB), acctB), bucketIf(acctB), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
				{"a value the request claims does not hide the real one", claiming(root(acctB), acctB), bucketIf(acctA), evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, 0},
				{"in the caller's identity policy: the bucket owner's account", getObject(user(acctB, "bob")), identityIf(acctA), evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, 0},
				{"in the caller's identity policy: not the caller's own", claiming(user(acctB, "bob"), acctB), identityIf(acctB), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
			})
		})
	}
}

// TestRuleBlockPublicAclsRefusesPublicCannedACLs: BlockPublicAcls refuses
// a request carrying a public ACL, and an ACL is public when it grants
// anything to AllUsers or AuthenticatedUsers; of the canned ACLs that is
// public-read, public-read-write and authenticated-read. The same ACLs
// written out as grants are refused alike.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
func TestRuleBlockPublicAclsRefusesPublicCannedACLs(t *testing.T) {
	public := map[string]bool{"public-read": true, "public-read-write": true, "authenticated-read": true}
	ec := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.Bucket.PublicAccessBlock = ownership.PublicAccessBlock{BlockPublicAcls: true}
	})
	for _, name := range acl.CannedNames() {
		for _, target := range []struct {
			action string
			key    string
			kind   acl.Kind
		}{{"s3:PutObject", "n", acl.Object}, {"s3:PutObjectAcl", "k", acl.Object}, {"s3:PutBucketAcl", "", acl.Bucket}} {
			want, code := evaluate.Allow, evaluate.CodeResourceOwnerRoot
			if public[name] {
				want, code = evaluate.ImplicitDeny, evaluate.CodeBlockPublicACLs
			}
			t.Run(name+" "+target.action, func(t *testing.T) {
				req := evaluate.Request{Principal: root(acctA), Action: target.action, Bucket: "bkt", Key: target.key, CannedACL: name}
				d, diag := evaluate.Evaluate(req, at(ec, target.key))
				assert.Equal(t, want, d, "%+v", diag.Reason)
				assert.Equal(t, code, diag.Reason.Code)
				expanded, err := acl.Canned(name, target.kind, acl.User{ID: canonA}, acl.User{ID: canonA})
				if err != nil {
					return // log-delivery-write on an object
				}
				req.CannedACL, req.ACL = "", expanded
				d, diag = evaluate.Evaluate(req, at(ec, target.key))
				assert.Equal(t, want, d, "as grants: %+v", diag.Reason)
				assert.Equal(t, code, diag.Reason.Code, "as grants")
			})
		}
	}
}

// TestRuleBucketWriteDeleteObjectVersion: WRITE on a bucket lets its
// grantee create and delete objects; deleting any version
// (s3:DeleteObjectVersion) comes with it only when the grantee is the
// bucket owner. A group's WRITE, and another account's, does not give it.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
func TestRuleBucketWriteDeleteObjectVersion(t *testing.T) {
	bucketACL := func(grants ...acl.Grant) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: append([]acl.Grant{canonicalGrant(canonA, acl.FullControl)}, grants...)}
		})
	}
	everyone := bucketACL(groupGrant(acl.AllUsers, acl.Write))
	// An ACL whose owner kept no grant of its own: the group's is the only
	// one the owner's principals match.
	onlyEveryone := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketACL = &acl.ACL{Owner: acl.User{ID: canonA}, Grants: []acl.Grant{groupGrant(acl.AllUsers, acl.Write)}}
	})
	toB := bucketACL(canonicalGrant(canonB, acl.Write))
	byEmail := bucketACL(emailGrant(emailB, acl.FullControl))
	runRules(t, []ruleCase{
		{"AllUsers WRITE: anyone deletes", request(ownership.Anonymous(), "s3:DeleteObject", "k"), everyone, evaluate.Allow, evaluate.StageBucket, evaluate.CodeACLGrants, evaluate.SourceBucketACL},
		{"AllUsers WRITE: anyone but the owner may not delete versions", request(ownership.Anonymous(), "s3:DeleteObjectVersion", "k"), everyone, evaluate.ImplicitDeny, evaluate.StageBucket, evaluate.CodeNoResourceGrant, 0},
		{"AllUsers WRITE: the owner's user deletes", request(user(acctA, "dave"), "s3:DeleteObject", "k"), everyone, evaluate.Allow, evaluate.StageUser, evaluate.CodeACLGrants, 0},
		{"AllUsers WRITE: the owner's user may not delete versions through it", request(user(acctA, "dave"), "s3:DeleteObjectVersion", "k"), everyone, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"AllUsers WRITE alone: the owner's user may not delete versions through it", request(user(acctA, "dave"), "s3:DeleteObjectVersion", "k"), onlyEveryone, evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"AllUsers WRITE alone: the owner's user deletes", request(user(acctA, "dave"), "s3:DeleteObject", "k"), onlyEveryone, evaluate.Allow, evaluate.StageUser, evaluate.CodeACLGrants, 0},
		{"another account's WRITE: it deletes", request(root(acctB), "s3:DeleteObject", "k"), toB, evaluate.Allow, evaluate.StageBucket, evaluate.CodeACLGrants, 0},
		{"another account's WRITE: it may not delete versions", request(root(acctB), "s3:DeleteObjectVersion", "k"), toB, evaluate.ImplicitDeny, evaluate.StageBucket, evaluate.CodeNoResourceGrant, 0},
		{"another account's FULL_CONTROL by e-mail: it may not delete versions", request(root(acctB), "s3:DeleteObjectVersion", "k"), byEmail, evaluate.ImplicitDeny, evaluate.StageBucket, evaluate.CodeNoResourceGrant, 0},
		{"the owner's root deletes versions", request(root(acctA), "s3:DeleteObjectVersion", "k"), everyone, evaluate.Allow, evaluate.StageOwnership, evaluate.CodeResourceOwnerRoot, 0},
	})
}
