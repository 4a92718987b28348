package analysis_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/analysis"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

const (
	ownerID    = "111111111111"
	otherID    = "222222222222"
	thirdID    = "333333333333"
	bucketName = "amzn-s3-demo-review"
)

var (
	ownerCanon = strings.Repeat("a", 64)
	otherCanon = strings.Repeat("b", 64)
	thirdCanon = strings.Repeat("c", 64)
)

// directory knows the three accounts; the other account has an e-mail.
func directory(t testing.TB) *ownership.MemoryDirectory {
	d := &ownership.MemoryDirectory{}
	require.NoError(t, d.Add(ownerID, ownership.CanonicalID(ownerCanon), "owner@example.com"))
	require.NoError(t, d.Add(otherID, ownership.CanonicalID(otherCanon), "other@example.com"))
	require.NoError(t, d.Add(thirdID, ownership.CanonicalID(thirdCanon), ""))
	return d
}

// grant builds an ACL grant: "all", "auth", "log", "email:ADDR" or a
// canonical ID.
func grant(who string, p acl.Permission) acl.Grant {
	var g acl.Grantee
	switch {
	case who == "all":
		g = acl.Grantee{Type: acl.Group, URI: acl.AllUsers}
	case who == "auth":
		g = acl.Grantee{Type: acl.Group, URI: acl.AuthenticatedUsers}
	case who == "log":
		g = acl.Grantee{Type: acl.Group, URI: acl.LogDelivery}
	case strings.HasPrefix(who, "email:"):
		g = acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: strings.TrimPrefix(who, "email:")}
	default:
		g = acl.Grantee{Type: acl.CanonicalUser, ID: acl.CanonicalID(who)}
	}
	return acl.Grant{Grantee: g, Permission: p}
}

// ownedACL is an ACL of the owner's FULL_CONTROL and the given grants.
func ownedACL(owner string, gs ...acl.Grant) *acl.ACL {
	a := &acl.ACL{Owner: acl.User{ID: acl.CanonicalID(owner)}}
	a.Grants = append([]acl.Grant{grant(owner, acl.FullControl)}, gs...)
	return a
}

// reviewWorld is a one-bucket world.
type reviewWorld struct {
	policy     string
	mode       ownership.Mode
	account    ownership.PublicAccessBlock
	bucketBPA  ownership.PublicAccessBlock
	bucketACL  *acl.ACL
	objects    map[string]*analysis.Object
	noDirector bool
}

func (rw reviewWorld) build(t testing.TB) *analysis.World {
	b := &analysis.Bucket{
		Record:  &ownership.Bucket{Name: bucketName, Owner: ownerID, Mode: rw.mode, PublicAccessBlock: rw.bucketBPA},
		ACL:     rw.bucketACL,
		Objects: rw.objects,
	}
	if rw.policy != "" {
		p, err := policy.Parse(policy.Bucket, []byte(rw.policy))
		require.NoError(t, err)
		b.Policy = evaluate.MustPrepare(p)
	}
	w := &analysis.World{
		AccountBlockPublicAccess: map[ownership.AccountID]ownership.PublicAccessBlock{ownerID: rw.account},
		Buckets:                  map[string]*analysis.Bucket{bucketName: b},
	}
	if !rw.noDirector {
		w.Directory = directory(t)
	}
	return w
}

// stmts wraps statements in a bucket policy.
func stmts(s ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(s, ",") + `]}`
}

// want is a finding's identity and outcome, as a test expects it.
type want struct {
	principal string
	source    string
	public    bool
	blocked   string
	keys      []string
}

func got(rep *analysis.AccessReport) []want {
	out := []want{}
	for _, f := range rep.Findings {
		out = append(out, want{principal: f.Principal, source: f.Source.String(), public: f.Public, blocked: f.BlockedBy.String(), keys: f.ConditionKeys})
	}
	return out
}

const getAll = `"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-review/*"`

// TestReviewRules pins each rule of the procedure (spec §4.2) on a
// hand-built world.
func TestReviewRules(t *testing.T) {
	rpb := ownership.PublicAccessBlock{RestrictPublicBuckets: true}
	ignore := ownership.PublicAccessBlock{IgnorePublicAcls: true}
	tests := []struct {
		name       string
		world      reviewWorld
		want       []want
		wantPublic bool
	}{
		{
			name:  "owner principals are internal",
			world: reviewWorld{policy: stmts(`{"Effect":"Allow","Principal":{"AWS":["` + ownerID + `","arn:aws:iam::` + ownerID + `:root","arn:aws:iam::` + ownerID + `:user/alice","arn:aws:sts::` + ownerID + `:assumed-role/r/s"],"CanonicalUser":"` + ownerCanon + `"},` + getAll + `}`)},
			want:  []want{},
		},
		{
			name:  "an account and its root give one finding",
			world: reviewWorld{policy: stmts(`{"Effect":"Allow","Principal":{"AWS":["` + otherID + `","arn:aws:iam::` + otherID + `:root"]},` + getAll + `}`)},
			want:  []want{{principal: "account:" + otherID, source: "statement /Statement/0", keys: []string{}}},
		},
		{
			name:  "users and roles of other accounts are named by ARN",
			world: reviewWorld{policy: stmts(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::` + otherID + `:user/bob","arn:aws:iam::` + otherID + `:role/r"]},` + getAll + `}`)},
			want: []want{
				{principal: "arn:aws:iam::" + otherID + ":role/r", source: "statement /Statement/0", keys: []string{}},
				{principal: "arn:aws:iam::" + otherID + ":user/bob", source: "statement /Statement/0", keys: []string{}},
			},
		},
		{
			name:       "NotPrincipal in an Allow is everyone",
			world:      reviewWorld{policy: stmts(`{"Effect":"Allow","NotPrincipal":{"AWS":"` + otherID + `"},` + getAll + `}`)},
			want:       []want{{principal: "*", source: "statement /Statement/0", public: true, keys: []string{}}},
			wantPublic: true,
		},
		{
			name:  "service principal",
			world: reviewWorld{policy: stmts(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},` + getAll + `}`)},
			want:  []want{{principal: "service:cloudtrail.amazonaws.com", source: "statement /Statement/0", keys: []string{}}},
		},
		{
			name:       "federated principal is public",
			world:      reviewWorld{policy: stmts(`{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},` + getAll + `}`)},
			want:       []want{{principal: "federated:accounts.google.com", source: "statement /Statement/0", public: true, keys: []string{}}},
			wantPublic: true,
		},
		{
			name:  "canonical user of another account",
			world: reviewWorld{policy: stmts(`{"Effect":"Allow","Principal":{"CanonicalUser":"` + otherCanon + `"},` + getAll + `}`)},
			want:  []want{{principal: "canonical:" + otherCanon, source: "statement /Statement/0", keys: []string{}}},
		},
		{
			name:  "canonical user unknown without a directory is reported, the owner's too",
			world: reviewWorld{noDirector: true, policy: stmts(`{"Effect":"Allow","Principal":{"CanonicalUser":"` + ownerCanon + `"},` + getAll + `}`)},
			want:  []want{{principal: "canonical:" + ownerCanon, source: "statement /Statement/0", keys: []string{}}},
		},
		{
			name:  "group grants of the bucket ACL",
			world: reviewWorld{mode: ownership.BucketOwnerPreferred, bucketACL: ownedACL(ownerCanon, grant("all", acl.Read), grant("auth", acl.ReadACP), grant("log", acl.Write))},
			want: []want{
				{principal: "*", source: "bucket-acl grant 1", public: true, keys: []string{}},
				{principal: "authenticated", source: "bucket-acl grant 2", public: true, keys: []string{}},
				{principal: "group:LogDelivery", source: "bucket-acl grant 3", keys: []string{}},
			},
			wantPublic: true,
		},
		{
			name:  "e-mail grants resolve through the directory",
			world: reviewWorld{mode: ownership.ObjectWriter, bucketACL: ownedACL(ownerCanon, grant("email:other@example.com", acl.Read), grant("email:owner@example.com", acl.Read), grant("email:nobody@example.com", acl.Read))},
			want: []want{
				{principal: "canonical:" + otherCanon, source: "bucket-acl grant 1", keys: []string{}},
				{principal: "email:nobody@example.com", source: "bucket-acl grant 3", keys: []string{}},
			},
		},
		{
			name:  "BucketOwnerEnforced disables ACL findings",
			world: reviewWorld{mode: ownership.BucketOwnerEnforced, bucketACL: ownedACL(ownerCanon, grant("all", acl.Read))},
			want:  []want{},
		},
		{
			name:  "IgnorePublicAcls neutralises public grants only",
			world: reviewWorld{mode: ownership.BucketOwnerPreferred, account: ignore, bucketACL: ownedACL(ownerCanon, grant("all", acl.Read), grant(otherCanon, acl.Read))},
			want: []want{
				{principal: "*", source: "bucket-acl grant 1", public: true, blocked: "IgnorePublicAcls", keys: []string{}},
				{principal: "canonical:" + otherCanon, source: "bucket-acl grant 2", keys: []string{}},
			},
		},
		{
			name: "RestrictPublicBuckets with a public policy blocks all but services",
			world: reviewWorld{bucketBPA: rpb, policy: stmts(
				`{"Effect":"Allow","Principal":"*",`+getAll+`}`,
				`{"Effect":"Allow","Principal":{"AWS":"`+otherID+`"},`+getAll+`}`,
				`{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},`+getAll+`}`)},
			want: []want{
				{principal: "*", source: "statement /Statement/0", public: true, blocked: "RestrictPublicBuckets", keys: []string{}},
				{principal: "account:" + otherID, source: "statement /Statement/1", blocked: "RestrictPublicBuckets", keys: []string{}},
				{principal: "service:logging.s3.amazonaws.com", source: "statement /Statement/2", keys: []string{}},
			},
		},
		{
			name:  "RestrictPublicBuckets without a public policy blocks nothing",
			world: reviewWorld{bucketBPA: rpb, policy: stmts(`{"Effect":"Allow","Principal":{"AWS":"` + otherID + `"},` + getAll + `}`)},
			want:  []want{{principal: "account:" + otherID, source: "statement /Statement/0", keys: []string{}}},
		},
		{
			name: "an unconditional Deny covering the grant removes it",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":"*",`+getAll+`}`,
				`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-review/*"}`)},
			want: []want{},
		},
		{
			name: "a Deny of the grantee's account removes a user's grant",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+otherID+`:user/bob"},`+getAll+`}`,
				`{"Effect":"Deny","Principal":{"AWS":"`+otherID+`"},"Action":"s3:Get*","Resource":"*"}`)},
			want: []want{},
		},
		{
			name: "a Deny of part of the actions keeps the grant",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":"*","Action":"s3:Get*","Resource":"arn:aws:s3:::amzn-s3-demo-review/*"}`,
				`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}`)},
			want:       []want{{principal: "*", source: "statement /Statement/0", public: true, keys: []string{}}},
			wantPublic: true,
		},
		{
			name: "a Deny of part of the resources keeps the grant",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":"*",`+getAll+`}`,
				`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::amzn-s3-demo-review/private/*"}`)},
			want:       []want{{principal: "*", source: "statement /Statement/0", public: true, keys: []string{}}},
			wantPublic: true,
		},
		{
			name: "a Deny of another principal keeps the grant",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":{"AWS":"`+otherID+`"},`+getAll+`}`,
				`{"Effect":"Deny","Principal":{"AWS":"`+thirdID+`"},"Action":"*","Resource":"*"}`)},
			want: []want{{principal: "account:" + otherID, source: "statement /Statement/0", keys: []string{}}},
		},
		{
			name: "a conditional Deny adds its keys",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":{"AWS":"`+otherID+`"},`+getAll+`,"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}`,
				`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`,
				`{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}`)},
			want: []want{{principal: "account:" + otherID, source: "statement /Statement/0", keys: []string{"aws:SourceVpce", "aws:SecureTransport"}}},
		},
		{
			name: "a Deny also removes ACL grants",
			world: reviewWorld{mode: ownership.ObjectWriter, bucketACL: ownedACL(ownerCanon, grant("all", acl.Read)), policy: stmts(
				`{"Effect":"Deny","Principal":"*","Action":"s3:List*","Resource":"arn:aws:s3:::amzn-s3-demo-review"}`)},
			want: []want{},
		},
		{
			name: "NotAction Deny covers a NotAction grant that excepts as much",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":{"AWS":"`+otherID+`"},"NotAction":"s3:Delete*","Resource":"*"}`,
				`{"Effect":"Deny","Principal":"*","NotAction":["s3:Delete*"],"Resource":"*"}`)},
			want: []want{},
		},
		{
			name: "NotAction Deny that leaves granted actions out keeps the grant",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":{"AWS":"`+otherID+`"},"NotAction":"s3:Delete*","Resource":"*"}`,
				`{"Effect":"Deny","Principal":"*","NotAction":["s3:Get*"],"Resource":"*"}`)},
			want: []want{{principal: "account:" + otherID, source: "statement /Statement/0", keys: []string{}}},
		},
		{
			name: "NotResource grant is not covered by a narrower Deny",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":{"AWS":"`+otherID+`"},"Action":"s3:GetObject","NotResource":"arn:aws:s3:::amzn-s3-demo-review/private/*"}`,
				`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::amzn-s3-demo-review/*"}`)},
			want: []want{{principal: "account:" + otherID, source: "statement /Statement/0", keys: []string{}}},
		},
		{
			name: "NotResource Deny covers a grant outside its exclusions",
			world: reviewWorld{policy: stmts(
				`{"Effect":"Allow","Principal":{"AWS":"`+otherID+`"},`+getAll+`}`,
				`{"Effect":"Deny","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::other-bucket/*"}`)},
			want: []want{},
		},
		{
			name: "object ACLs: another account's object is a note, its third-party grants findings",
			world: reviewWorld{mode: ownership.ObjectWriter, objects: map[string]*analysis.Object{
				"mine.txt":   {Record: &ownership.Object{Bucket: bucketName, Key: "mine.txt", Owner: ownership.AccountOwner(ownerID)}, ACL: ownedACL(ownerCanon, grant(thirdCanon, acl.Read))},
				"theirs.txt": {Record: &ownership.Object{Bucket: bucketName, Key: "theirs.txt", Owner: ownership.AccountOwner(otherID)}, ACL: ownedACL(otherCanon, grant(ownerCanon, acl.FullControl), grant("all", acl.Read))},
			}},
			want: []want{
				{principal: "canonical:" + thirdCanon, source: "object-acl mine.txt grant 1", keys: []string{}},
				{principal: "*", source: "object-acl theirs.txt grant 2", public: true, keys: []string{}},
			},
			wantPublic: true,
		},
		{
			name: "an object the anonymous user owns is public",
			world: reviewWorld{mode: ownership.ObjectWriter, objects: map[string]*analysis.Object{
				"anon.txt": {Record: &ownership.Object{Bucket: bucketName, Key: "anon.txt", Owner: ownership.AnonymousOwner()}},
			}},
			want:       []want{{principal: "*", source: "object-acl anon.txt grant 0", public: true, keys: []string{}}},
			wantPublic: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := analysis.Review(tt.world.build(t), bucketName)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got(rep))
			assert.Equal(t, tt.wantPublic, rep.Public, "Public")
		})
	}
}

// TestReviewReport checks the report's other fields: policy status,
// effective Block Public Access, levels, NotAction and NotResource forms,
// the ObjectWriter note, and the JSON shape.
func TestReviewReport(t *testing.T) {
	rw := reviewWorld{
		mode:      ownership.ObjectWriter,
		account:   ownership.PublicAccessBlock{BlockPublicAcls: true},
		bucketBPA: ownership.PublicAccessBlock{BlockPublicPolicy: true},
		policy: stmts(`{"Sid":"X","Effect":"Allow","Principal":{"AWS":"`+otherID+`"},"NotAction":"s3:Delete*","NotResource":"arn:aws:s3:::amzn-s3-demo-review/private/*"}`,
			`{"Effect":"Allow","Principal":{"AWS":"`+thirdID+`"},"Action":["s3:GetObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::amzn-s3-demo-review/*"}`),
		objects: map[string]*analysis.Object{
			"theirs": {Record: &ownership.Object{Bucket: bucketName, Key: "theirs", Owner: ownership.AccountOwner(otherID)}},
		},
	}
	rep, err := analysis.Review(rw.build(t), bucketName)
	require.NoError(t, err)
	require.NotNil(t, rep.PolicyPublic)
	assert.False(t, *rep.PolicyPublic)
	assert.Equal(t, ownership.PublicAccessBlock{BlockPublicAcls: true, BlockPublicPolicy: true}, rep.Effective)
	assert.True(t, rep.ACLsEnabled)
	require.Len(t, rep.Findings, 2)
	f := rep.Findings[0]
	assert.Equal(t, []string{"*"}, f.Actions)
	assert.Equal(t, []string{"s3:Delete*"}, f.Except)
	assert.Equal(t, []string{"*"}, f.Resources)
	assert.Equal(t, []string{"arn:aws:s3:::amzn-s3-demo-review/private/*"}, f.ExceptResources)
	assert.Equal(t, []analysis.Level{analysis.List, analysis.Read, analysis.Write, analysis.Permissions, analysis.Tagging}, f.Levels)
	assert.Equal(t, "X", f.Source.Sid)
	assert.Equal(t, []analysis.Level{analysis.Read, analysis.Permissions}, rep.Findings[1].Levels)
	require.Len(t, rep.Notes, 1)
	assert.Contains(t, rep.Notes[0], "theirs")

	out, err := json.Marshal(rep)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(out, &doc))
	assert.Equal(t, bucketName, doc["bucket"])
	assert.Equal(t, false, doc["policyPublic"])
	assert.Equal(t, map[string]any{"BlockPublicAcls": true, "IgnorePublicAcls": false, "BlockPublicPolicy": true, "RestrictPublicBuckets": false}, doc["effective"])
	f0 := doc["findings"].([]any)[0].(map[string]any)
	assert.Equal(t, "account:"+otherID, f0["principal"])
	assert.Nil(t, f0["blockedBy"])
	assert.Contains(t, f0, "blockedBy")
	assert.Equal(t, "statement /Statement/0", f0["source"])
	assert.Equal(t, []any{"s3:Delete*"}, f0["actionsExcept"])
	assert.Equal(t, []any{"List", "Read", "Write", "Permissions", "Tagging"}, f0["levels"])
	assert.Equal(t, []any{}, f0["conditionKeys"])

	// Without a policy, policyPublic is null.
	rep, err = analysis.Review(reviewWorld{}.build(t), bucketName)
	require.NoError(t, err)
	assert.Nil(t, rep.PolicyPublic)
	out, err = json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"policyPublic":null`)
	assert.Contains(t, string(out), `"findings":[]`)
}

// TestReviewErrors checks the errors of Review.
func TestReviewErrors(t *testing.T) {
	_, err := analysis.Review(nil, bucketName)
	assert.True(t, errors.Is(err, analysis.ErrNoWorld), "%v", err)
	w := reviewWorld{}.build(t)
	_, err = analysis.Review(w, "missing")
	assert.True(t, errors.Is(err, analysis.ErrNoBucket), "%v", err)
	w.Buckets["norecord"] = &analysis.Bucket{}
	_, err = analysis.Review(w, "norecord")
	assert.True(t, errors.Is(err, analysis.ErrNoBucket), "%v", err)
}

// TestDiffReports checks the baseline comparison: added, removed and
// BlockedBy changes, keyed by principal and source.
func TestDiffReports(t *testing.T) {
	base := reviewWorld{mode: ownership.ObjectWriter, bucketACL: ownedACL(ownerCanon, grant("all", acl.Read), grant(otherCanon, acl.Read))}
	cur := base
	cur.account = ownership.PublicAccessBlock{IgnorePublicAcls: true}
	cur.policy = stmts(`{"Effect":"Allow","Principal":{"AWS":"` + thirdID + `"},` + getAll + `}`)
	cur.bucketACL = ownedACL(ownerCanon, grant("all", acl.Read))
	b, err := analysis.Review(base.build(t), bucketName)
	require.NoError(t, err)
	c, err := analysis.Review(cur.build(t), bucketName)
	require.NoError(t, err)
	d := analysis.DiffReports(b, c)
	require.Len(t, d.Added, 1)
	assert.Equal(t, "account:"+thirdID, d.Added[0].Principal)
	require.Len(t, d.Removed, 1)
	assert.Equal(t, "canonical:"+otherCanon, d.Removed[0].Principal)
	require.Len(t, d.Changed, 1)
	assert.Equal(t, analysis.BlockedNone, d.Changed[0].Baseline.BlockedBy)
	assert.Equal(t, analysis.IgnorePublicAcls, d.Changed[0].Current.BlockedBy)
	assert.False(t, d.Empty())
	assert.True(t, analysis.DiffReports(c, c).Empty())
	assert.Len(t, analysis.DiffReports(nil, c).Added, 2)
}

// TestReviewBucketWrite checks that a bucket ACL's WRITE, which creates
// and deletes objects, names the objects among its resources, and that a
// public policy under RestrictPublicBuckets notes the service principals
// it still grants.
func TestReviewBucketWrite(t *testing.T) {
	rw := reviewWorld{mode: ownership.ObjectWriter, bucketACL: ownedACL(ownerCanon, grant("log", acl.Write), grant("all", acl.Read)),
		bucketBPA: ownership.PublicAccessBlock{RestrictPublicBuckets: true},
		policy:    stmts(`{"Effect":"Allow","Principal":"*",` + getAll + `}`)}
	rep, err := analysis.Review(rw.build(t), bucketName)
	require.NoError(t, err)
	require.Len(t, rep.Findings, 3)
	assert.Equal(t, []string{"arn:aws:s3:::" + bucketName, "arn:aws:s3:::" + bucketName + "/*"}, rep.Findings[1].Resources)
	assert.Equal(t, []string{"arn:aws:s3:::" + bucketName}, rep.Findings[2].Resources)
	require.Len(t, rep.Notes, 1)
	assert.Contains(t, rep.Notes[0], "service principal")
}
