package acl_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/ownership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	alice = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
	bob   = "e55efb21ded74d4fcae3c4987a33a31c4f87438090acd5eb53e1d4f8efe98899"
	carol = "719ca90e578684ef04f8f99f1f28dbb84d993fc01114a0f0b575c7de70b8157f"
)

func user(id acl.CanonicalID, p acl.Permission) acl.Grant {
	return acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: id}, Permission: p}
}

func group(uri string, p acl.Permission) acl.Grant {
	return acl.Grant{Grantee: acl.Grantee{Type: acl.Group, URI: uri}, Permission: p}
}

func email(address string, p acl.Permission) acl.Grant {
	return acl.Grant{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: address}, Permission: p}
}

// accounts registers alice, bob and carol's accounts with the e-mail
// addresses of their root users (carol's differs from the one the e-mail
// grants below name only by case).
func accounts(t testing.TB) *ownership.MemoryDirectory {
	d := &ownership.MemoryDirectory{}
	require.NoError(t, d.Add("111111111111", alice, "alice@example.com"))
	require.NoError(t, d.Add("222222222222", bob, "bob@example.com"))
	require.NoError(t, d.Add("333333333333", carol, "carol@example.com"))
	return d
}

func TestCanned(t *testing.T) {
	owner := acl.User{ID: alice}
	bucketOwner := acl.User{ID: bob}
	ownerFC := user(alice, acl.FullControl)
	tests := []struct {
		name string
		acl  string
		kind acl.Kind
		want []acl.Grant
		err  error
	}{
		{"private bucket", "private", acl.Bucket, []acl.Grant{ownerFC}, nil},
		{"private object", "private", acl.Object, []acl.Grant{ownerFC}, nil},
		{"public-read bucket", "public-read", acl.Bucket, []acl.Grant{ownerFC, group(acl.AllUsers, acl.Read)}, nil},
		{"public-read object", "public-read", acl.Object, []acl.Grant{ownerFC, group(acl.AllUsers, acl.Read)}, nil},
		{"public-read-write bucket", "public-read-write", acl.Bucket, []acl.Grant{ownerFC, group(acl.AllUsers, acl.Read), group(acl.AllUsers, acl.Write)}, nil},
		{"public-read-write object", "public-read-write", acl.Object, []acl.Grant{ownerFC, group(acl.AllUsers, acl.Read), group(acl.AllUsers, acl.Write)}, nil},
		{"aws-exec-read bucket", "aws-exec-read", acl.Bucket, []acl.Grant{ownerFC, user(acl.EC2ID, acl.Read)}, nil},
		{"aws-exec-read object", "aws-exec-read", acl.Object, []acl.Grant{ownerFC, user(acl.EC2ID, acl.Read)}, nil},
		{"authenticated-read bucket", "authenticated-read", acl.Bucket, []acl.Grant{ownerFC, group(acl.AuthenticatedUsers, acl.Read)}, nil},
		{"authenticated-read object", "authenticated-read", acl.Object, []acl.Grant{ownerFC, group(acl.AuthenticatedUsers, acl.Read)}, nil},
		{"bucket-owner-read bucket is private", "bucket-owner-read", acl.Bucket, []acl.Grant{ownerFC}, nil},
		{"bucket-owner-read object", "bucket-owner-read", acl.Object, []acl.Grant{ownerFC, user(bob, acl.Read)}, nil},
		{"bucket-owner-full-control bucket is private", "bucket-owner-full-control", acl.Bucket, []acl.Grant{ownerFC}, nil},
		{"bucket-owner-full-control object", "bucket-owner-full-control", acl.Object, []acl.Grant{ownerFC, user(bob, acl.FullControl)}, nil},
		{"log-delivery-write bucket", "log-delivery-write", acl.Bucket, []acl.Grant{ownerFC, group(acl.LogDelivery, acl.Write), group(acl.LogDelivery, acl.ReadACP)}, nil},
		{"log-delivery-write object", "log-delivery-write", acl.Object, nil, acl.ErrInvalidValue},
		{"unknown name", "public", acl.Object, nil, acl.ErrInvalidValue},
		{"names are case-sensitive", "Private", acl.Bucket, nil, acl.ErrInvalidValue},
		{"unknown kind", "private", acl.Kind(0), nil, acl.ErrInvalidValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := acl.Canned(tc.acl, tc.kind, owner, bucketOwner)
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				assert.Nil(t, a)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, owner, a.Owner)
			assert.Equal(t, tc.want, a.Grants)
		})
	}
	t.Run("every listed name expands", func(t *testing.T) {
		names := acl.CannedNames()
		assert.Len(t, names, 8)
		for _, n := range names {
			_, err := acl.Canned(n, acl.Bucket, owner, bucketOwner)
			assert.NoError(t, err, n)
		}
	})
	t.Run("bucket owner owning the object gets no second grant", func(t *testing.T) {
		a, err := acl.Canned("bucket-owner-full-control", acl.Object, owner, owner)
		require.NoError(t, err)
		assert.Equal(t, []acl.Grant{ownerFC}, a.Grants)
	})
	t.Run("owner without canonical ID", func(t *testing.T) {
		_, err := acl.Canned("private", acl.Object, acl.User{ID: "alice"}, bucketOwner)
		assert.ErrorIs(t, err, acl.ErrInvalidValue)
	})
	t.Run("anonymous owner", func(t *testing.T) {
		a, err := acl.Canned("private", acl.Object, acl.User{ID: acl.AnonymousID}, bucketOwner)
		require.NoError(t, err)
		assert.Equal(t, []acl.Grant{user(acl.AnonymousID, acl.FullControl)}, a.Grants)
	})
}

// TestPermissionActions walks the ACL overview's permission table row by row, both ways.
func TestPermissionActions(t *testing.T) {
	tests := []struct {
		name   string
		kind   acl.Kind
		action string
		perm   acl.Permission
		ok     bool
	}{
		{"bucket READ ListBucket", acl.Bucket, "s3:ListBucket", acl.Read, true},
		{"bucket READ ListBucketVersions", acl.Bucket, "s3:ListBucketVersions", acl.Read, true},
		{"bucket READ ListBucketMultipartUploads", acl.Bucket, "s3:ListBucketMultipartUploads", acl.Read, true},
		{"bucket WRITE PutObject", acl.Bucket, "s3:PutObject", acl.Write, true},
		{"bucket READ_ACP GetBucketAcl", acl.Bucket, "s3:GetBucketAcl", acl.ReadACP, true},
		{"bucket WRITE_ACP PutBucketAcl", acl.Bucket, "s3:PutBucketAcl", acl.WriteACP, true},
		{"object READ GetObject", acl.Object, "s3:GetObject", acl.Read, true},
		{"object READ GetObjectVersion", acl.Object, "s3:GetObjectVersion", acl.Read, true},
		{"object READ GetObjectTorrent", acl.Object, "s3:GetObjectTorrent", acl.Read, true},
		{"object READ_ACP GetObjectAcl", acl.Object, "s3:GetObjectAcl", acl.ReadACP, true},
		{"object READ_ACP GetObjectVersionAcl", acl.Object, "s3:GetObjectVersionAcl", acl.ReadACP, true},
		{"object WRITE_ACP PutObjectAcl", acl.Object, "s3:PutObjectAcl", acl.WriteACP, true},
		{"object WRITE_ACP PutObjectVersionAcl", acl.Object, "s3:PutObjectVersionAcl", acl.WriteACP, true},
		{"case-insensitive action", acl.Object, "S3:GETOBJECT", acl.Read, true},
		{"object ACL has no PutObject", acl.Object, "s3:PutObject", 0, false},
		{"bucket ACL has no GetObject", acl.Bucket, "s3:GetObject", 0, false},
		{"tagging is not an ACL permission", acl.Object, "s3:PutObjectTagging", 0, false},
		{"bucket policy is not an ACL permission", acl.Bucket, "s3:PutBucketPolicy", 0, false},
		{"bucket WRITE DeleteObject", acl.Bucket, "s3:DeleteObject", acl.Write, true},
		{"version delete is not a plain bucket permission", acl.Bucket, "s3:DeleteObjectVersion", 0, false},
		{"wildcards are not actions", acl.Object, "s3:Get*", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := acl.PermissionFor(tc.action, tc.kind)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.perm, p)
			if ok {
				assert.True(t, slices.ContainsFunc(acl.Actions(tc.perm, tc.kind), func(a string) bool { return strings.EqualFold(a, tc.action) }))
			}
		})
	}
	t.Run("FULL_CONTROL covers every row", func(t *testing.T) {
		assert.ElementsMatch(t, []string{"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads", "s3:PutObject", "s3:DeleteObject", "s3:GetBucketAcl", "s3:PutBucketAcl"}, acl.Actions(acl.FullControl, acl.Bucket))
		assert.ElementsMatch(t, []string{"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent", "s3:GetObjectAcl", "s3:GetObjectVersionAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"}, acl.Actions(acl.FullControl, acl.Object))
		assert.Empty(t, acl.Actions(acl.Write, acl.Object))
	})
}

func TestPermits(t *testing.T) {
	objectACL := &acl.ACL{Owner: acl.User{ID: alice}, Grants: []acl.Grant{
		user(alice, acl.FullControl),
		user(bob, acl.Read),
		email("Carol@Example.com", acl.ReadACP),
		group(acl.AuthenticatedUsers, acl.WriteACP),
	}}
	dir := accounts(t)
	bucketACL := &acl.ACL{Owner: acl.User{ID: alice}, Grants: []acl.Grant{
		user(alice, acl.FullControl),
		group(acl.AllUsers, acl.Read),
		group(acl.LogDelivery, acl.Write),
		user(bob, acl.Write),
	}}
	anon := acl.Requester{CanonicalID: acl.AnonymousID}
	tests := []struct {
		name   string
		a      *acl.ACL
		r      acl.Requester
		action string
		kind   acl.Kind
		index  int
	}{
		{"owner full control reads", objectACL, acl.Requester{CanonicalID: alice, Authenticated: true}, "s3:GetObject", acl.Object, 0},
		{"owner full control writes acl", objectACL, acl.Requester{CanonicalID: alice, Authenticated: true}, "s3:PutObjectAcl", acl.Object, 0},
		{"reader reads", objectACL, acl.Requester{CanonicalID: bob, Authenticated: true}, "s3:GetObjectVersion", acl.Object, 1},
		{"reader cannot read acl", objectACL, acl.Requester{CanonicalID: bob}, "s3:GetObjectAcl", acl.Object, -1},
		{"email grantee resolved by the directory", objectACL, acl.Requester{CanonicalID: carol, Directory: dir}, "s3:GetObjectAcl", acl.Object, 2},
		{"email grantee is not another account", objectACL, acl.Requester{CanonicalID: bob, Directory: dir}, "s3:GetObjectAcl", acl.Object, -1},
		{"email grantee without a directory", objectACL, acl.Requester{CanonicalID: carol}, "s3:GetObjectAcl", acl.Object, -1},
		{"authenticated users signed", objectACL, acl.Requester{CanonicalID: carol, Authenticated: true}, "s3:PutObjectAcl", acl.Object, 3},
		{"authenticated users not anonymous", objectACL, anon, "s3:PutObjectAcl", acl.Object, -1},
		{"action outside the table", objectACL, acl.Requester{CanonicalID: alice}, "s3:PutObjectTagging", acl.Object, -1},
		{"all users anonymous list", bucketACL, anon, "s3:ListBucket", acl.Bucket, 1},
		{"all users signed list", bucketACL, acl.Requester{CanonicalID: carol, Authenticated: true}, "s3:ListBucketVersions", acl.Bucket, 1},
		{"log delivery writes", bucketACL, acl.Requester{CanonicalID: carol, LogDelivery: true}, "s3:PutObject", acl.Bucket, 2},
		{"writer writes", bucketACL, acl.Requester{CanonicalID: bob, Authenticated: true}, "s3:PutObject", acl.Bucket, 3},
		{"writer deletes", bucketACL, acl.Requester{CanonicalID: bob, Authenticated: true}, "s3:DeleteObject", acl.Bucket, 3},
		{"writer cannot delete versions", bucketACL, acl.Requester{CanonicalID: bob, Authenticated: true}, "s3:DeleteObjectVersion", acl.Bucket, -1},
		{"bucket owner deletes", bucketACL, acl.Requester{CanonicalID: alice, Authenticated: true}, "s3:DeleteObjectVersion", acl.Bucket, 0},
		{"anonymous cannot write", bucketACL, anon, "s3:PutObject", acl.Bucket, -1},
		{"bucket acl for object action", bucketACL, anon, "s3:GetObject", acl.Bucket, -1},
		{"empty requester matches no user", objectACL, acl.Requester{}, "s3:GetObject", acl.Object, -1},
		{"IgnorePublic: all users grant ignored", bucketACL, acl.Requester{CanonicalID: acl.AnonymousID, IgnorePublic: true}, "s3:ListBucket", acl.Bucket, -1},
		{"IgnorePublic: authenticated users grant ignored", objectACL, acl.Requester{CanonicalID: carol, Authenticated: true, IgnorePublic: true}, "s3:PutObjectAcl", acl.Object, -1},
		{"IgnorePublic: log delivery is not public", bucketACL, acl.Requester{CanonicalID: carol, LogDelivery: true, IgnorePublic: true}, "s3:PutObject", acl.Bucket, 2},
		{"IgnorePublic: index counts every grant", bucketACL, acl.Requester{CanonicalID: bob, Authenticated: true, IgnorePublic: true}, "s3:PutObject", acl.Bucket, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i, ok, _ := tc.a.Permits(context.Background(), &tc.r, tc.action, tc.kind)
			assert.Equal(t, tc.index, i)
			assert.Equal(t, tc.index >= 0, ok)
		})
	}
	t.Run("no allocations", func(t *testing.T) {
		r := acl.Requester{CanonicalID: carol, Directory: dir, Authenticated: true}
		allocs := testing.AllocsPerRun(1000, func() {
			objectACL.Permits(context.Background(), &r, "s3:GetObjectAcl", acl.Object)
			objectACL.Permits(context.Background(), &r, "s3:PutObjectAcl", acl.Object)
			bucketACL.Permits(context.Background(), &r, "s3:DeleteObject", acl.Bucket)
		})
		assert.Zero(t, allocs)
	})
}

func TestPublic(t *testing.T) {
	public := &acl.ACL{Owner: acl.User{ID: alice}, Grants: []acl.Grant{
		user(alice, acl.FullControl), group(acl.AllUsers, acl.Read), group(acl.LogDelivery, acl.Write), group(acl.AuthenticatedUsers, acl.ReadACP),
	}}
	private := &acl.ACL{Owner: acl.User{ID: alice}, Grants: []acl.Grant{user(alice, acl.FullControl), group(acl.LogDelivery, acl.Write)}}
	assert.True(t, public.IsPublic())
	assert.False(t, private.IsPublic())
	filtered := acl.WithoutPublic(public)
	assert.Equal(t, private.Grants, filtered.Grants)
	assert.False(t, filtered.IsPublic())
	assert.Len(t, public.Grants, 4, "WithoutPublic does not modify its receiver")
	assert.Same(t, private, acl.WithoutPublic(private))
	_, ok, _ := filtered.Permits(context.Background(), &acl.Requester{CanonicalID: acl.AnonymousID}, "s3:ListBucket", acl.Bucket)
	assert.False(t, ok)
}

func TestGrantHeaders(t *testing.T) {
	tests := []struct {
		name  string
		perm  acl.Permission
		value string
		want  []acl.Grant
		err   error
	}{
		{"quoted id", acl.Read, `id="` + alice + `"`, []acl.Grant{user(alice, acl.Read)}, nil},
		{"unquoted id", acl.Read, `id=` + alice, []acl.Grant{user(alice, acl.Read)}, nil},
		{"several with spaces", acl.FullControl, ` id="` + alice + `" , uri="` + acl.AllUsers + `"`, []acl.Grant{user(alice, acl.FullControl), group(acl.AllUsers, acl.FullControl)}, nil},
		{"email", acl.WriteACP, `emailAddress="x@example.com"`, []acl.Grant{{Grantee: acl.Grantee{Type: acl.AmazonCustomerByEmail, Email: "x@example.com"}, Permission: acl.WriteACP}}, nil},
		{"type names ignore case", acl.Write, `URI="` + acl.LogDelivery + `"`, []acl.Grant{group(acl.LogDelivery, acl.Write)}, nil},
		{"bad id", acl.Read, `id="alice"`, nil, acl.ErrInvalidValue},
		{"bad uri", acl.Read, `uri="http://acs.amazonaws.com/groups/global/Everyone"`, nil, acl.ErrInvalidValue},
		{"bad email", acl.Read, `emailAddress="nobody"`, nil, acl.ErrInvalidValue},
		{"no equals", acl.Read, alice, nil, acl.ErrInvalidValue},
		{"unknown type", acl.Read, `arn="arn:aws:iam::111122223333:root"`, nil, acl.ErrInvalidGrantee},
		{"empty item", acl.Read, `id="` + alice + `",`, nil, acl.ErrInvalidValue},
		{"unknown permission", acl.Permission(9), `id="` + alice + `"`, nil, acl.ErrInvalidValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := acl.ParseGrantHeader(tc.perm, tc.value)
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("all headers in order", func(t *testing.T) {
		h := acl.GrantHeaders{Read: `uri="` + acl.AllUsers + `"`, FullControl: `id="` + alice + `"`, WriteACP: `id="` + bob + `"`}
		assert.False(t, h.IsZero())
		got, err := h.Grants()
		require.NoError(t, err)
		assert.Equal(t, []acl.Grant{user(alice, acl.FullControl), group(acl.AllUsers, acl.Read), user(bob, acl.WriteACP)}, got)
	})
	t.Run("error names the header", func(t *testing.T) {
		_, err := acl.GrantHeaders{ReadACP: `id="x"`}.Grants()
		var ae *acl.Error
		require.True(t, errors.As(err, &ae))
		assert.Equal(t, "x-amz-grant-read-acp", ae.Path)
	})
	t.Run("more than 100 grants", func(t *testing.T) {
		items := make([]string, 101)
		for i := range items {
			items[i] = `uri="` + acl.AllUsers + `"`
		}
		_, err := acl.GrantHeaders{Read: strings.Join(items, ",")}.Grants()
		assert.ErrorIs(t, err, acl.ErrTooManyGrants)
	})
	assert.True(t, acl.GrantHeaders{}.IsZero())
}

func document(grants int) string {
	var b strings.Builder
	b.WriteString(`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>` + alice + `</ID></Owner><AccessControlList>`)
	for range grants {
		b.WriteString(`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` + bob + `</ID></Grantee><Permission>READ</Permission></Grant>`)
	}
	b.WriteString(`</AccessControlList></AccessControlPolicy>`)
	return b.String()
}

func TestLimits(t *testing.T) {
	t.Run("100 grants", func(t *testing.T) {
		a, err := acl.Parse([]byte(document(100)))
		require.NoError(t, err)
		assert.Len(t, a.Grants, 100)
	})
	t.Run("101 grants", func(t *testing.T) {
		_, err := acl.Parse([]byte(document(101)))
		assert.ErrorIs(t, err, acl.ErrTooManyGrants)
	})
	t.Run("size at and over the limit", func(t *testing.T) {
		doc := []byte(document(1))
		_, err := acl.Parser{MaxBytes: len(doc)}.Parse(doc)
		assert.NoError(t, err)
		_, err = acl.Parser{MaxBytes: len(doc) - 1}.Parse(doc)
		assert.ErrorIs(t, err, acl.ErrTooLarge)
	})
	t.Run("deep nesting stops at the first unknown element", func(t *testing.T) {
		doc := `<AccessControlPolicy><Owner><ID>` + strings.Repeat("<x>", 100000) + `</ID></Owner></AccessControlPolicy>`
		_, err := acl.Parser{MaxBytes: 1 << 20}.Parse([]byte(doc))
		var ae *acl.Error
		require.True(t, errors.As(err, &ae))
		assert.ErrorIs(t, err, acl.ErrUnknownElement)
		assert.Equal(t, "AccessControlPolicy/Owner/ID/x", ae.Path)
	})
	t.Run("billion laughs is refused before expansion", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`)
		for i := 1; i < 10; i++ {
			fmt.Fprintf(&b, `<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
		}
		b.WriteString(`]><AccessControlPolicy>&lol9;</AccessControlPolicy>`)
		allocs := testing.AllocsPerRun(10, func() {
			_, err := acl.Parse([]byte(b.String()))
			assert.ErrorIs(t, err, acl.ErrForbidden)
		})
		assert.Less(t, allocs, 200.0, "work stays proportional to the input")
	})
	t.Run("NUL bytes are not XML", func(t *testing.T) {
		_, err := acl.Parse([]byte("<AccessControlPolicy>\x00</AccessControlPolicy>"))
		assert.ErrorIs(t, err, acl.ErrSyntax)
	})
}

func TestErrorFormat(t *testing.T) {
	doc := "<AccessControlPolicy>\n<Owner><ID>" + alice + "</ID></Owner>\n<AccessControlList>\n<Grant>\n" +
		`<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>` + acl.AllUsers + "</URI></Grantee>\n" +
		"<Permission>read</Permission>\n</Grant>\n</AccessControlList>\n</AccessControlPolicy>"
	_, err := acl.Parse([]byte(doc))
	assert.EqualError(t, err, `acl: AccessControlPolicy/AccessControlList/Grant[1]/Permission: invalid value "read": want READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL (line 6)`)
	_, err = acl.Parse([]byte(`<AccessControlPolicy><Owner><ID>` + strings.Repeat("A", 200) + `</ID></Owner><AccessControlList/></AccessControlPolicy>`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "…")
	assert.Less(t, len(err.Error()), 200)
}

func TestEqualAndEnums(t *testing.T) {
	a := acl.MustParse(document(2))
	b := acl.MustParse(document(2))
	assert.True(t, a.Equal(b))
	assert.False(t, a.Equal(acl.MustParse(document(1))))
	assert.False(t, a.Equal(nil))
	assert.True(t, (*acl.ACL)(nil).Equal(nil))
	assert.Panics(t, func() { acl.MustParse("<x/>") })
	assert.Equal(t, "FULL_CONTROL", acl.FullControl.String())
	assert.Equal(t, "Permission(0)", acl.Permission(0).String())
	assert.Equal(t, "Group", acl.Group.String())
	assert.Equal(t, "GranteeType(7)", acl.GranteeType(7).String())
	assert.Equal(t, "object", acl.Object.String())
	for p := acl.Read; p <= acl.FullControl; p++ {
		q, err := acl.ParsePermission(p.String())
		assert.NoError(t, err)
		assert.Equal(t, p, q)
		assert.True(t, acl.FullControl.Implies(p))
		assert.Equal(t, p == acl.Read, acl.Read.Implies(p))
	}
	_, err := acl.ParsePermission("read")
	assert.ErrorIs(t, err, acl.ErrInvalidValue)
}
