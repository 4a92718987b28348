package acl_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/stretchr/testify/assert"
)

// TestBucketWriteDeleteObjectVersionRule: WRITE in a bucket ACL maps to
// s3:PutObject (and, as this package chooses, s3:DeleteObject) for every
// grantee; it allows s3:DeleteObjectVersion on any version only when the
// grantee is the bucket owner, the ACL's owner, named by canonical ID or by
// e-mail. A group's WRITE gives it to nobody, the owner included.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
func TestBucketWriteDeleteObjectVersionRule(t *testing.T) {
	dir := accounts(t)
	owner := acl.Requester{CanonicalID: alice, Authenticated: true, Directory: dir}
	other := acl.Requester{CanonicalID: bob, Authenticated: true, Directory: dir}
	bucket := func(grants ...acl.Grant) *acl.ACL { return &acl.ACL{Owner: acl.User{ID: alice}, Grants: grants} }
	tests := []struct {
		name   string
		a      *acl.ACL
		r      acl.Requester
		action string
		kind   acl.Kind
		index  int
	}{
		{"the owner's WRITE", bucket(user(alice, acl.Read), user(alice, acl.Write)), owner, "s3:DeleteObjectVersion", acl.Bucket, 1},
		{"the owner's FULL_CONTROL", bucket(user(alice, acl.FullControl)), owner, "s3:DeleteObjectVersion", acl.Bucket, 0},
		{"the owner's WRITE by e-mail", bucket(user(alice, acl.Read), email("ALICE@example.com", acl.Write)), owner, "s3:DeleteObjectVersion", acl.Bucket, 1},
		{"action names ignore case", bucket(user(alice, acl.Write)), owner, "S3:DELETEOBJECTVERSION", acl.Bucket, 0},
		{"the owner's READ", bucket(user(alice, acl.Read), user(alice, acl.ReadACP), user(alice, acl.WriteACP)), owner, "s3:DeleteObjectVersion", acl.Bucket, -1},
		{"AllUsers WRITE does not give it to the owner", bucket(user(alice, acl.Read), group(acl.AllUsers, acl.Write)), owner, "s3:DeleteObjectVersion", acl.Bucket, -1},
		{"AuthenticatedUsers FULL_CONTROL does not give it to the owner", bucket(group(acl.AuthenticatedUsers, acl.FullControl)), owner, "s3:DeleteObjectVersion", acl.Bucket, -1},
		{"the owner's WRITE after a group's", bucket(group(acl.AllUsers, acl.Write), user(alice, acl.Write)), owner, "s3:DeleteObjectVersion", acl.Bucket, 1},
		{"another account's WRITE", bucket(user(alice, acl.FullControl), user(bob, acl.Write)), other, "s3:DeleteObjectVersion", acl.Bucket, -1},
		{"another account's FULL_CONTROL by e-mail", bucket(user(alice, acl.FullControl), email("bob@example.com", acl.FullControl)), other, "s3:DeleteObjectVersion", acl.Bucket, -1},
		{"another account's WRITE deletes objects", bucket(user(alice, acl.FullControl), user(bob, acl.Write)), other, "s3:DeleteObject", acl.Bucket, 1},
		{"another account's WRITE by e-mail deletes objects", bucket(user(alice, acl.FullControl), email("bob@example.com", acl.Write)), other, "s3:DeleteObject", acl.Bucket, 1},
		{"AllUsers WRITE deletes objects", bucket(user(alice, acl.FullControl), group(acl.AllUsers, acl.Write)), other, "s3:DeleteObject", acl.Bucket, 1},
		{"an object ACL never gives it", &acl.ACL{Owner: acl.User{ID: alice}, Grants: []acl.Grant{user(alice, acl.FullControl)}}, owner, "s3:DeleteObjectVersion", acl.Object, -1},
		{"a requester without ID is not the owner of an ACL without one", &acl.ACL{Grants: []acl.Grant{user(alice, acl.FullControl), group(acl.AllUsers, acl.Write)}}, acl.Requester{Authenticated: true}, "s3:DeleteObjectVersion", acl.Bucket, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i, ok, _ := tc.a.Permits(context.Background(), &tc.r, tc.action, tc.kind)
			assert.Equal(t, tc.index, i)
			assert.Equal(t, tc.index >= 0, ok)
		})
	}
}

// fakeDirectory is a Directory whose answers the test chooses, to reach
// what MemoryDirectory refuses to hold.
type fakeDirectory struct {
	byEmail   map[string]acl.AccountID
	canonical map[acl.AccountID]acl.CanonicalID
	err       error // returned by every lookup when set
}

func (d fakeDirectory) CanonicalID(_ context.Context, a acl.AccountID) (acl.CanonicalID, bool, error) {
	if d.err != nil {
		return "", false, d.err
	}
	c, ok := d.canonical[a]
	return c, ok, nil
}

func (d fakeDirectory) AccountByEmail(_ context.Context, e string) (acl.AccountID, bool, error) {
	if d.err != nil {
		return "", false, d.err
	}
	a, ok := d.byEmail[e]
	return a, ok, nil
}

// TestPermitsLookupFailure checks that a directory that fails is reported,
// never read as an unknown address: with no other grant the answer is no,
// with the failure; a grant that permits anyway answers yes, whatever the
// order of the grants.
func TestPermitsLookupFailure(t *testing.T) {
	down := errors.New("directory down")
	bob := acl.CanonicalID(strings.Repeat("b", 64))
	owner := acl.User{ID: acl.CanonicalID(strings.Repeat("a", 64))}
	byEmail := acl.Grant{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: "bob@example.com"}, Permission: acl.Read}
	public := acl.Grant{Grantee: acl.Grantee{Type: acl.Group, URI: acl.AllUsers}, Permission: acl.Read}
	r := &acl.Requester{CanonicalID: bob, Directory: fakeDirectory{err: down}}
	tests := []struct {
		name    string
		grants  []acl.Grant
		wantI   int
		wantOK  bool
		wantErr error
	}{
		{name: "the e-mail grant alone", grants: []acl.Grant{byEmail}, wantI: -1, wantErr: down},
		{name: "a public grant after it", grants: []acl.Grant{byEmail, public}, wantI: 1, wantOK: true},
		{name: "a public grant before it", grants: []acl.Grant{public, byEmail}, wantI: 0, wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &acl.ACL{Owner: owner, Grants: tc.grants}
			i, ok, err := a.Permits(context.Background(), r, "s3:GetObject", acl.Object)
			assert.Equal(t, tc.wantI, i)
			assert.Equal(t, tc.wantOK, ok)
			if tc.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.wantErr)
			}
		})
	}
}

// TestEmailGrantee: S3 stored a grant to an e-mail address as a grant to
// the canonical user ID of the account registered under it, so an e-mail
// grantee is exactly that canonical user: it matches the requester that a
// CanonicalUser grant to that ID matches, and nobody when the address
// resolves to no account. Grants by e-mail name accounts, never a group or
// the anonymous user, so they are never public.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Grantee.html
func TestEmailGrantee(t *testing.T) {
	dir := accounts(t)
	addresses := []string{"alice@example.com", "ALICE@Example.Com", "bob@example.com", "carol@example.com", "nobody@example.com", ""}
	requesters := []acl.Requester{
		{CanonicalID: alice, Directory: dir, Authenticated: true}, {CanonicalID: bob, Directory: dir, Authenticated: true},
		{CanonicalID: carol, Directory: dir}, {CanonicalID: acl.AnonymousID, Directory: dir}, {Directory: dir, Authenticated: true},
		{CanonicalID: alice, Authenticated: true}, {CanonicalID: alice, Directory: dir, IgnorePublic: true},
	}
	actions := []struct {
		action string
		kind   acl.Kind
	}{{"s3:GetObject", acl.Object}, {"s3:PutObjectAcl", acl.Object}, {"s3:ListBucket", acl.Bucket}, {"s3:PutObject", acl.Bucket}, {"s3:DeleteObjectVersion", acl.Bucket}}
	perms := []acl.Permission{acl.Read, acl.Write, acl.ReadACP, acl.WriteACP, acl.FullControl}
	for _, address := range addresses {
		g := acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: address}
		id, resolved, _ := g.CanonicalID(context.Background(), dir)
		for _, r := range requesters {
			for _, p := range perms {
				for _, a := range actions {
					owner := acl.User{ID: alice}
					byEmail := &acl.ACL{Owner: owner, Grants: []acl.Grant{{Grantee: g, Permission: p}}}
					var want acl.ACL // the grant to the canonical ID, or none
					want.Owner = owner
					if resolved {
						want.Grants = []acl.Grant{user(id, p)}
					}
					// The requester's own directory resolves the address.
					if r.Directory == nil {
						want.Grants = nil
					}
					i, ok, _ := byEmail.Permits(context.Background(), &r, a.action, a.kind)
					wi, wok, _ := want.Permits(context.Background(), &r, a.action, a.kind)
					assert.Equal(t, wok, ok, "%q %s %s for %+v", address, p, a.action, r)
					assert.Equal(t, wi, i, "%q %s %s for %+v", address, p, a.action, r)
				}
			}
		}
	}

	t.Run("CanonicalID", func(t *testing.T) {
		byEmail := func(e string) *acl.Grantee { return &acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: e} }
		odd := fakeDirectory{
			byEmail:   map[string]acl.AccountID{"anon@example.com": "444444444444", "lost@example.com": "555555555555"},
			canonical: map[acl.AccountID]acl.CanonicalID{"444444444444": acl.AnonymousID},
		}
		tests := []struct {
			name string
			g    *acl.Grantee
			d    acl.Directory
			id   acl.CanonicalID
			ok   bool
		}{
			{"canonical user", &acl.Grantee{Type: acl.CanonicalUser, ID: bob}, nil, bob, true},
			{"canonical user without ID", &acl.Grantee{Type: acl.CanonicalUser}, dir, "", false},
			{"e-mail", byEmail("carol@example.com"), dir, carol, true},
			{"e-mail in another case", byEmail("Carol@EXAMPLE.com"), dir, carol, true},
			{"unregistered e-mail", byEmail("nobody@example.com"), dir, "", false},
			{"e-mail without a directory", byEmail("carol@example.com"), nil, "", false},
			{"empty e-mail", byEmail(""), dir, "", false},
			{"e-mail of an account without canonical ID", byEmail("lost@example.com"), odd, "", false},
			{"e-mail resolving to the anonymous user", byEmail("anon@example.com"), odd, "", false},
			{"group", &acl.Grantee{Type: acl.Group, URI: acl.AllUsers}, dir, "", false},
		}
		for _, tc := range tests {
			id, ok, _ := tc.g.CanonicalID(context.Background(), tc.d)
			assert.Equal(t, tc.ok, ok, tc.name)
			assert.Equal(t, tc.id, id, tc.name)
		}
		anon := &acl.ACL{Owner: acl.User{ID: alice}, Grants: []acl.Grant{email("anon@example.com", acl.Read)}}
		_, ok, _ := anon.Permits(context.Background(), &acl.Requester{CanonicalID: acl.AnonymousID, Directory: odd}, "s3:GetObject", acl.Object)
		assert.False(t, ok, "an e-mail never names the anonymous user")
	})

	t.Run("never public", func(t *testing.T) {
		a := &acl.ACL{Owner: acl.User{ID: alice}, Grants: []acl.Grant{user(alice, acl.FullControl), email("bob@example.com", acl.FullControl)}}
		assert.False(t, a.IsPublic())
		assert.Same(t, a, acl.WithoutPublic(a))
		pub := &acl.ACL{Owner: a.Owner, Grants: append([]acl.Grant{group(acl.AllUsers, acl.Read)}, a.Grants...)}
		assert.Equal(t, a.Grants, acl.WithoutPublic(pub).Grants, "IgnorePublicAcls keeps e-mail grants")
		i, ok, _ := pub.Permits(context.Background(), &acl.Requester{CanonicalID: bob, Directory: dir, IgnorePublic: true}, "s3:GetObject", acl.Object)
		assert.True(t, ok)
		assert.Equal(t, 2, i)
	})
}

// TestActionsOrder pins the order Actions documents: by permission, READ
// to WRITE_ACP, each group in catalog order.
func TestActionsOrder(t *testing.T) {
	assert.Equal(t, []string{
		"s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListBucketVersions",
		"s3:DeleteObject", "s3:PutObject",
		"s3:GetBucketAcl",
		"s3:PutBucketAcl",
	}, acl.Actions(acl.FullControl, acl.Bucket))
	assert.Equal(t, []string{"s3:GetObjectAcl", "s3:GetObjectVersionAcl"}, acl.Actions(acl.ReadACP, acl.Object))
	assert.Empty(t, acl.Actions(acl.Read, acl.Kind(0)))
}

// TestPermissionForAllocs pins PermissionFor, which the evaluator's ACL
// checks resolve through, to no allocation.
func TestPermissionForAllocs(t *testing.T) {
	var sink acl.Permission
	for _, q := range []string{"s3:GetObject", "S3:DELETEOBJECTVERSION", "s3:PutBucketPolicy", "s3:Nope", "ec2:RunInstances"} {
		for _, kind := range []acl.Kind{acl.Bucket, acl.Object} {
			assert.Zero(t, testing.AllocsPerRun(1000, func() { sink, _ = acl.PermissionFor(q, kind) }), "%s on a %s", q, kind)
		}
	}
	_ = sink
}
