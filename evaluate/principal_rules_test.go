package evaluate_test

import (
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

// Bucket policy principals that name an account by canonical user ID, and
// NotPrincipal's levels for federated users. Each test cites the AWS page
// its rule comes from.

// TestRuleCanonicalUserPrincipalNamesTheAccount: {"CanonicalUser": ID} in a
// bucket policy names the account whose canonical user ID it is, exactly as
// its account ID does: the account's root is granted, its IAM users, roles
// and federated users only by delegation — they also need their own
// identity allow.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
func TestRuleCanonicalUserPrincipalNamesTheAccount(t *testing.T) {
	read := allowAll(t, "s3:GetObject", "arn:aws:s3:::bkt/*")
	grantTo := func(canonical string) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"CanonicalUser":"`+canonical+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		})
	}
	withID := func(ec evaluate.Context, ids ...*evaluate.Prepared) evaluate.Context {
		return with(ec, func(ec *evaluate.Context) { ec.Identity = ids; ec.Session = ids })
	}
	runRules(t, []ruleCase{
		{"another account's root is granted", getObject(root(acctB)), grantTo(canonB), evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, evaluate.SourceBucketPolicy},
		{"another account's user without its identity allow is not", getObject(user(acctB, "bob")), grantTo(canonB), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"another account's user with its identity allow is", getObject(user(acctB, "bob")), withID(grantTo(canonB), read), evaluate.Allow, evaluate.StageObject, evaluate.CodeBucketPolicyAllows, 0},
		{"a third account is not named", getObject(root(acctC)), grantTo(canonB), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
		{"anonymous is not named", getObject(ownership.Anonymous()), grantTo(canonB), evaluate.ImplicitDeny, 0, evaluate.CodeNone, 0},
		{"the owner's user is granted only by delegation", getObject(user(acctA, "dave")), grantTo(canonA), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"the owner's role session is granted only by delegation", getObject(session(acctA, "ops", "s1")), grantTo(canonA), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNoIdentityAllow, 0},
		{"the owner's federated user is granted only by delegation", getObject(federated(acctA, "fed")), grantTo(canonA), evaluate.ImplicitDeny, evaluate.StageUser, evaluate.CodeNone, 0},
		{"the owner's user with an identity allow", getObject(user(acctA, "dave")), withID(grantTo(canonA), read), evaluate.Allow, evaluate.StageUser, evaluate.CodeIdentityAllows, 0},
		{"no directory: the ID names nobody", getObject(root(acctB)), with(grantTo(canonB), func(ec *evaluate.Context) { ec.Directory = nil }), evaluate.ImplicitDeny, evaluate.StageObject, evaluate.CodeNoResourceGrant, 0},
	})
}

// TestRuleCanonicalUserInNotPrincipal: NotPrincipal takes the same entries
// as Principal, so a CanonicalUser entry lists the account level of a
// caller's identity, as an account ID or root ARN does; a caller is left
// out only when every level of its identity is listed.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func TestRuleCanonicalUserInNotPrincipal(t *testing.T) {
	denyAllBut := func(notPrincipal string) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},`+
				`{"Sid":"Fence","Effect":"Deny","NotPrincipal":`+notPrincipal+`,"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		})
	}
	daveARN := `"arn:aws:iam::` + acctA + `:user/dave"`
	roleChain := `["arn:aws:iam::` + acctA + `:role/ops","arn:aws:sts::` + acctA + `:assumed-role/ops/s1"]`
	runRules(t, []ruleCase{
		{"another account's root left out by its canonical ID", getObject(root(acctB)), denyAllBut(`{"CanonicalUser":"` + canonB + `"}`), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"another account's root not left out by a third one's", getObject(root(acctC)), denyAllBut(`{"CanonicalUser":"` + canonB + `"}`), evaluate.ExplicitDeny, evaluate.StageBucket, evaluate.CodeExplicitDeny, 0},
		{"the owner's root left out by its canonical ID", listBucket(root(acctA)), with(denyAllBut(`{"CanonicalUser":"`+canonA+`"}`), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Deny","NotPrincipal":{"CanonicalUser":"`+canonA+`"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt"}`)
		}), evaluate.Allow, evaluate.StageOwnership, evaluate.CodeResourceOwnerRoot, 0},
		{"a user left out by its canonical account and its ARN", getObject(user(acctA, "dave")), denyAllBut(`{"CanonicalUser":"` + canonA + `","AWS":` + daveARN + `}`), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"another user of that account stays in", getObject(user(acctA, "alice")), denyAllBut(`{"CanonicalUser":"` + canonA + `","AWS":` + daveARN + `}`), evaluate.ExplicitDeny, 0, evaluate.CodeExplicitDeny, 0},
		{"a user with only its canonical account listed stays in", getObject(user(acctA, "dave")), denyAllBut(`{"CanonicalUser":"` + canonA + `"}`), evaluate.ExplicitDeny, 0, evaluate.CodeExplicitDeny, 0},
		{"a user with only its ARN listed stays in", getObject(user(acctA, "dave")), denyAllBut(`{"AWS":` + daveARN + `}`), evaluate.ExplicitDeny, 0, evaluate.CodeExplicitDeny, 0},
		{"a role session left out by its canonical account, role and session", getObject(session(acctA, "ops", "s1")), denyAllBut(`{"CanonicalUser":"` + canonA + `","AWS":` + roleChain + `}`), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"a federated user left out by its canonical account and its ARN", getObject(federated(acctA, "fed")), denyAllBut(`{"CanonicalUser":"` + canonA + `","AWS":"arn:aws:sts::` + acctA + `:federated-user/fed"}`), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"anonymous stays in", getObject(ownership.Anonymous()), denyAllBut(`{"CanonicalUser":"` + canonA + `"}`), evaluate.ExplicitDeny, 0, evaluate.CodeExplicitDeny, 0},
		{"no directory: the ID lists nobody", getObject(root(acctB)), with(denyAllBut(`{"CanonicalUser":"`+canonB+`"}`), func(ec *evaluate.Context) { ec.Directory = nil }), evaluate.ExplicitDeny, 0, evaluate.CodeExplicitDeny, 0},
	})
}

// TestRuleNotPrincipalFederatedUserLevels: a federated user's identity has
// two levels, its account and its federated-user session; a NotPrincipal
// leaves it out only when both are listed.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func TestRuleNotPrincipalFederatedUserLevels(t *testing.T) {
	fedARN := `"arn:aws:sts::` + acctA + `:federated-user/fed"`
	denyAllBut := func(entries string) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},`+
				`{"Effect":"Deny","NotPrincipal":{"AWS":[`+entries+`]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		})
	}
	fed := getObject(federated(acctA, "fed"))
	runRules(t, []ruleCase{
		{"its account ID and its ARN: left out", fed, denyAllBut(`"` + acctA + `",` + fedARN), evaluate.Allow, evaluate.StageUser, evaluate.CodeBucketPolicyAllows, 0},
		{"its root ARN and its ARN: left out", fed, denyAllBut(`"arn:aws:iam::` + acctA + `:root",` + fedARN), evaluate.Allow, 0, evaluate.CodeNone, 0},
		{"its ARN alone: stays in", fed, denyAllBut(fedARN), evaluate.ExplicitDeny, evaluate.StageBucket, evaluate.CodeExplicitDeny, 0},
		{"its account alone: stays in", fed, denyAllBut(`"` + acctA + `"`), evaluate.ExplicitDeny, evaluate.StageBucket, evaluate.CodeExplicitDeny, 0},
		{"its account and another federated user: stays in", fed, denyAllBut(`"` + acctA + `","arn:aws:sts::` + acctA + `:federated-user/other"`), evaluate.ExplicitDeny, 0, evaluate.CodeExplicitDeny, 0},
		{"another account and its ARN: stays in", fed, denyAllBut(`"` + acctB + `",` + fedARN), evaluate.ExplicitDeny, 0, evaluate.CodeExplicitDeny, 0},
		{"a user of the same name is another principal", fed, denyAllBut(`"` + acctA + `","arn:aws:iam::` + acctA + `:user/fed"`), evaluate.ExplicitDeny, 0, evaluate.CodeExplicitDeny, 0},
	})
}
