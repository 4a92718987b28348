package scenario_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/scenario"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// base is a valid scenario; rows replace one part of it.
const base = `{
  "name": "base",
  "source": "test",
  "accounts": {
    "111122223333": {"canonicalId": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
    "444455556666": {"canonicalId": "e55efb21ded74d4fcae3c4987a33a31c4f87438090acd5eb53e1d4f8efe98899"}
  },
  "principals": {
    "owner": {"arn": "arn:aws:iam::111122223333:root"},
    "bob": {"arn": "arn:aws:iam::444455556666:user/bob", "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}]}
  },
  "products": {"Magic": {"owner": "111122223333"}},
  "subscriptions": {"bob": ["Magic"]},
  "buckets": {
    "bucket-one": {"owner": "111122223333", "objectOwnership": "ObjectWriter",
      "acl": {"canned": "private"},
      "objects": {"a.txt": {"owner": "444455556666", "acl": {"canned": "bucket-owner-read"}}}}
  },
  "requests": [
    {"principal": "owner", "action": "s3:ListBucket", "bucket": "bucket-one", "expect": "allow"},
    {"principal": "owner", "action": "s3:GetObject", "bucket": "bucket-one", "key": "a.txt", "expect": "allow", "why": "bucket-owner-read"}
  ]
}`

func TestParseValid(t *testing.T) {
	s, err := scenario.Parse("base.json", []byte(base))
	require.NoError(t, err)
	assert.Equal(t, "base", s.Name)
	assert.Equal(t, "base.json", s.File)
	require.Len(t, s.Requests, 2)
	r := s.Requests[1]
	assert.Equal(t, "owner", r.Principal)
	assert.Equal(t, "a.txt", r.Request.Key)
	require.NotNil(t, r.Context.Object)
	assert.Equal(t, "444455556666", string(r.Context.Object.Owner.Account))
	require.NotNil(t, r.Context.ObjectACL)
	assert.Len(t, r.Context.ObjectACL.Grants, 2)
	for _, res := range s.Run() {
		assert.True(t, res.OK, "request %d: %s", res.Request, res.Rule())
	}
	_, err = scenario.LoadFS(fstest.MapFS{"x/base.json": {Data: []byte(base)}}, "x/base.json")
	assert.NoError(t, err)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		path     string
		sentinel error
	}{
		{"syntax", `"name": "base",`, `"name": "base"`, "", scenario.ErrSyntax},
		{"duplicate member", `"name": "base",`, `"name": "base", "name": "again",`, "/name", scenario.ErrDuplicate},
		{"unknown top-level field", `"source": "test",`, `"source": "test", "sources": [],`, "/sources", scenario.ErrUnknownField},
		{"unknown principal field", `"owner": {"arn"`, `"owner": {"role": "x", "arn"`, "/principals/owner/role", scenario.ErrUnknownField},
		{"missing name", `"name": "base",`, ``, "/name", scenario.ErrMissing},
		{"missing requests", `"requests": [`, `"requests2": [`, "/requests2", scenario.ErrUnknownField},
		{"bad account ID", `"444455556666": {"canonicalId"`, `"44445555666": {"canonicalId"`, "/accounts/44445555666", scenario.ErrInvalid},
		{"bad canonical ID", `"e55efb21ded74d4fcae3c4987a33a31c4f87438090acd5eb53e1d4f8efe98899"`, `"E55"`, "/accounts/444455556666", scenario.ErrInvalid},
		{"principal of an undeclared account", `arn:aws:iam::444455556666:user/bob`, `arn:aws:iam::777788889999:user/bob`, "/principals/bob/arn", scenario.ErrDangling},
		{"role ARN is not a caller", `arn:aws:iam::444455556666:user/bob`, `arn:aws:iam::444455556666:role/r`, "/principals/bob/arn", scenario.ErrInvalid},
		{"principal with two identities", `"owner": {"arn": "arn:aws:iam::111122223333:root"}`, `"owner": {"arn": "arn:aws:iam::111122223333:root", "anonymous": true}`, "/principals/owner", scenario.ErrInvalid},
		{"identity policy with a principal", `"Effect": "Allow", "Action": "s3:*"`, `"Effect": "Allow", "Principal": "*", "Action": "s3:*"`, "/principals/bob/policies/0", scenario.ErrPolicy},
		{"subscription of an undeclared principal", `"subscriptions": {"bob"`, `"subscriptions": {"carol"`, "/subscriptions/carol", scenario.ErrDangling},
		{"subscription to an undeclared product", `"bob": ["Magic"]`, `"bob": ["Tragic"]`, "/subscriptions/bob/0", scenario.ErrDangling},
		{"product of an undeclared account", `"Magic": {"owner": "111122223333"}`, `"Magic": {"owner": "999999999999"}`, "/products/Magic/owner", scenario.ErrDangling},
		{"bucket of an undeclared account", `"bucket-one": {"owner": "111122223333"`, `"bucket-one": {"owner": "999999999999"`, "/buckets/bucket-one/owner", scenario.ErrDangling},
		{"bad bucket name", `"bucket-one": {`, `"Bucket_One": {`, "/buckets/Bucket_One", scenario.ErrInvalid},
		{"bad object ownership", `"ObjectWriter"`, `"ObjectWriters"`, "/buckets/bucket-one/objectOwnership", scenario.ErrInvalid},
		{"unknown canned ACL", `{"canned": "private"}`, `{"canned": "secret"}`, "/buckets/bucket-one/acl/canned", scenario.ErrACL},
		{"bad ACL XML", `{"canned": "private"}`, `"<AccessControlPolicy/>"`, "/buckets/bucket-one/acl", scenario.ErrACL},
		{"wrong type", `"expect": "allow"}`, `"expect": true}`, "/requests/0/expect", scenario.ErrType},
		{"bad expectation", `"expect": "allow", "why"`, `"expect": "allowed", "why"`, "/requests/1/expect", scenario.ErrInvalid},
		{"request of an undeclared principal", `{"principal": "owner", "action": "s3:ListBucket"`, `{"principal": "root", "action": "s3:ListBucket"`, "/requests/0/principal", scenario.ErrDangling},
		{"request on an undeclared bucket", `"action": "s3:ListBucket", "bucket": "bucket-one"`, `"action": "s3:ListBucket", "bucket": "bucket-two"`, "/requests/0/bucket", scenario.ErrDangling},
		{"unknown action", `"s3:ListBucket"`, `"s3:ListBuckets"`, "/requests/0/action", scenario.ErrInvalid},
		{"object action without key", `"key": "a.txt", "expect"`, `"expect"`, "/requests/1/action", scenario.ErrInvalid},
		{"bucket action with key", `"bucket": "bucket-one", "expect": "allow"}`, `"bucket": "bucket-one", "key": "k", "expect": "allow"}`, "/requests/0/action", scenario.ErrInvalid},
		{"bad time", `"expect": "allow"}`, `"expect": "allow", "time": "yesterday"}`, "/requests/0/time", scenario.ErrInvalid},
		{"context value of wrong type", `"expect": "allow"}`, `"expect": "allow", "context": {"aws:SourceIp": 1}}`, "/requests/0/context/aws:SourceIp", scenario.ErrType},
		{"context key with a slash", `"expect": "allow"}`, `"expect": "allow", "context": {"aws:RequestTag/a": {}}}`, "/requests/0/context/aws:RequestTag~1a", scenario.ErrType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, base, tc.old)
			doc := strings.Replace(base, tc.old, tc.new, 1)
			_, err := scenario.Parse("case.json", []byte(doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var se *scenario.Error
			require.True(t, errors.As(err, &se))
			assert.Equal(t, "case.json", se.File)
			assert.Equal(t, tc.path, se.Path)
			assert.Contains(t, err.Error(), "scenario: case.json: ")
		})
	}
	t.Run("policy errors keep their pointer", func(t *testing.T) {
		doc := strings.Replace(base, `"Effect": "Allow", "Action": "s3:*"`, `"Effect": "Alow", "Action": "s3:*"`, 1)
		_, err := scenario.Parse("case.json", []byte(doc))
		var pe *policy.Error
		require.True(t, errors.As(err, &pe))
		assert.Equal(t, "/Statement/0/Effect", pe.Pointer)
	})
	t.Run("ACL errors keep their path", func(t *testing.T) {
		doc := strings.Replace(base, `{"canned": "private"}`, `"<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList/></AccessControlPolicy>"`, 1)
		_, err := scenario.Parse("case.json", []byte(doc))
		var ae *acl.Error
		require.True(t, errors.As(err, &ae))
		assert.Equal(t, "AccessControlPolicy/Owner/ID", ae.Path)
	})
	t.Run("too large", func(t *testing.T) {
		_, err := scenario.Parse("big.json", make([]byte, scenario.MaxFileBytes+1))
		assert.ErrorIs(t, err, scenario.ErrTooLarge)
	})
	t.Run("too deep", func(t *testing.T) {
		_, err := scenario.Parse("deep.json", []byte(strings.Repeat("[", 100)))
		assert.Error(t, err)
	})
}

// TestParseMembers checks the members of each kind of object of the
// format: an unknown member, a value of the wrong type and a missing
// required member are errors at the pointer of the value at fault, or of
// the missing member, and at the offset of the value, or of its object.
func TestParseMembers(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		path     string
		sentinel error
		msg      string
		before   string // the document up to the error's offset ends with it
	}{
		{name: "unknown top-level member", old: `"source": "test",`, new: `"source": "test", "version": 1,`,
			path: "/version", sentinel: scenario.ErrUnknownField, before: `"version": `,
			msg: `unknown field "version": want one of name, source, accounts, principals, products, subscriptions, blockPublicAccess, buckets, requests`},
		{name: "scenario name of the wrong type", old: `"name": "base"`, new: `"name": ["base"]`,
			path: "/name", sentinel: scenario.ErrType, msg: "wrong type: want a string, not an array", before: `"name": `},
		{name: "section of the wrong type", old: `"subscriptions": {"bob": ["Magic"]}`, new: `"subscriptions": ["bob"]`,
			path: "/subscriptions", sentinel: scenario.ErrType, msg: "wrong type: want an object, not an array", before: `"subscriptions": `},
		{name: "unknown account member", old: `"111122223333": {"canonicalId"`, new: `"111122223333": {"name": "x", "canonicalId"`,
			path: "/accounts/111122223333/name", sentinel: scenario.ErrUnknownField, before: `{"name": "x"`,
			msg: `unknown field "name": want one of canonicalId, email, displayName`},
		{name: "account email of the wrong type", old: `"111122223333": {"canonicalId"`, new: `"111122223333": {"email": 7, "canonicalId"`,
			path: "/accounts/111122223333/email", sentinel: scenario.ErrType, msg: "wrong type: want a string, not a number", before: `{"email": `},
		{name: "unknown product member", old: `"Magic": {"owner": "111122223333"}`, new: `"Magic": {"owner": "111122223333", "price": 1}`,
			path: "/products/Magic/price", sentinel: scenario.ErrUnknownField, msg: `unknown field "price": want one of owner`, before: `"price": `},
		{name: "product without owner", old: `"Magic": {"owner": "111122223333"}`, new: `"Magic": {}`,
			path: "/products/Magic/owner", sentinel: scenario.ErrMissing, msg: "missing field: owner", before: `"Magic": `},
		{name: "anonymous of the wrong type", old: `"owner": {"arn": "arn:aws:iam::111122223333:root"}`, new: `"owner": {"anonymous": "yes"}`,
			path: "/principals/owner/anonymous", sentinel: scenario.ErrType, msg: "wrong type: want true or false, not a string", before: `"anonymous": "yes"`},
		{name: "policies of the wrong type", old: `"owner": {"arn": "arn:aws:iam::111122223333:root"}`, new: `"owner": {"arn": "arn:aws:iam::111122223333:root", "policies": {}}`,
			path: "/principals/owner/policies", sentinel: scenario.ErrType, msg: "wrong type: want an array, not an object", before: `"policies": `},
		{name: "unknown bucket member", old: `"objectOwnership": "ObjectWriter",`, new: `"objectOwnership": "ObjectWriter", "versioning": true,`,
			path: "/buckets/bucket-one/versioning", sentinel: scenario.ErrUnknownField, before: `"versioning": `,
			msg: `unknown field "versioning": want one of owner, objectOwnership, policy, acl, publicAccessBlock, product, objects`},
		{name: "bucket without owner", old: `"bucket-one": {"owner": "111122223333", `, new: `"bucket-one": {`,
			path: "/buckets/bucket-one/owner", sentinel: scenario.ErrMissing, msg: "missing field: owner", before: `"bucket-one": `},
		{name: "unknown bucket Block Public Access member", old: `"objectOwnership": "ObjectWriter",`, new: `"objectOwnership": "ObjectWriter", "publicAccessBlock": {"BlockPublicAcl": true},`,
			path: "/buckets/bucket-one/publicAccessBlock/BlockPublicAcl", sentinel: scenario.ErrUnknownField, before: `"BlockPublicAcl": `,
			msg: `unknown field "BlockPublicAcl": want one of BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets`},
		{name: "account Block Public Access setting of the wrong type", old: `"buckets": {`, new: `"blockPublicAccess": {"111122223333": {"BlockPublicAcls": "true"}}, "buckets": {`,
			path: "/blockPublicAccess/111122223333/BlockPublicAcls", sentinel: scenario.ErrType, msg: "wrong type: want true or false, not a string", before: `"BlockPublicAcls": "true"`},
		{name: "unknown object member", old: `"a.txt": {"owner"`, new: `"a/b.txt": {"size": 1, "owner"`,
			path: "/buckets/bucket-one/objects/a~1b.txt/size", sentinel: scenario.ErrUnknownField, before: `"size": `,
			msg: `unknown field "size": want one of owner, acl, product, tags`},
		{name: "object owner of the wrong type", old: `"a.txt": {"owner": "444455556666"`, new: `"a.txt": {"owner": 444455556666`,
			path: "/buckets/bucket-one/objects/a.txt/owner", sentinel: scenario.ErrType, msg: "wrong type: want a string, not a number", before: `"a.txt": {"owner": `},
		{name: "unknown ACL member", old: `{"canned": "private"}`, new: `{"canned": "private", "grants": []}`,
			path: "/buckets/bucket-one/acl/grants", sentinel: scenario.ErrUnknownField, msg: `unknown field "grants": want one of canned`, before: `"grants": `},
		{name: "ACL without canned", old: `{"canned": "private"}`, new: `{}`,
			path: "/buckets/bucket-one/acl/canned", sentinel: scenario.ErrMissing, msg: "missing field: canned", before: `"acl": `},
		{name: "unknown request member", old: `"expect": "allow"}`, new: `"expect": "allow", "expected": "allow"}`,
			path: "/requests/0/expected", sentinel: scenario.ErrUnknownField, before: `"expected": "allow"`,
			msg: `unknown field "expected": want one of principal, action, bucket, key, product, context, time, body, expect, why`},
		{name: "request without action", old: `{"principal": "owner", "action": "s3:ListBucket", `, new: `{"principal": "owner", `,
			path: "/requests/0/action", sentinel: scenario.ErrMissing, msg: "missing field: action", before: `"requests": [` + "\n    "},
		{name: "request without principal", old: `{"principal": "owner", "action": "s3:GetObject"`, new: `{"action": "s3:GetObject"`,
			path: "/requests/1/principal", sentinel: scenario.ErrMissing, msg: "missing field: principal", before: `"allow"},` + "\n    "},
		{name: "request context of the wrong type", old: `"expect": "allow"}`, new: `"expect": "allow", "context": ["aws:SourceIp"]}`,
			path: "/requests/0/context", sentinel: scenario.ErrType, msg: "wrong type: want an object, not an array", before: `"context": `},
		{name: "unknown body member", old: `"expect": "allow"}`, new: `"expect": "allow", "body": {"tags": {}}}`,
			path: "/requests/0/body/tags", sentinel: scenario.ErrUnknownField, msg: `unknown field "tags": want one of policy, acl`, before: `"tags": `},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, base, tc.old)
			doc := strings.Replace(base, tc.old, tc.new, 1)
			_, err := scenario.Parse("case.json", []byte(doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var se *scenario.Error
			require.True(t, errors.As(err, &se))
			assert.Equal(t, tc.path, se.Path)
			assert.Equal(t, tc.msg, se.Err.Error())
			require.Positive(t, se.Offset)
			assert.True(t, strings.HasSuffix(doc[:se.Offset], tc.before), "the document before offset %d ends %q", se.Offset, doc[max(0, se.Offset-40):se.Offset])
		})
	}
}

// TestParseObjectProduct checks the loader's rule for an object's DevPay
// product: it may be left out or name its bucket's product, and naming any
// other is an error at the object's "product" member.
//
// Source: rule DP-6 of the DevPay spec (devpay.md): once a product has
// created a customer's bucket and put objects in it, "only your product
// can access that bucket and the objects in it", DevPay Developer Guide,
// http://docs.aws.amazon.com/AmazonDevPay/latest/DevPayDeveloperGuide/DesktopOverallProcess.html .
// An object cannot belong to another product than its bucket, nor to a
// product when its bucket belongs to none.
func TestParseObjectProduct(t *testing.T) {
	const products = `"products": {"Magic": {"owner": "111122223333"}, "Other": {"owner": "111122223333"}}`
	const object = `"objects": {"a.txt": {"owner": "444455556666",`
	tests := []struct {
		name          string
		bucketProduct string // "" for a bucket of no product
		objectProduct string // "" to leave the member out
		wantErr       bool
		wantMsg       string
	}{
		{name: "plain object in a plain bucket"},
		{name: "unstamped object in a product bucket", bucketProduct: "Magic"},
		{name: "object of the bucket's product", bucketProduct: "Magic", objectProduct: "Magic"},
		{name: "object of another product", bucketProduct: "Magic", objectProduct: "Other", wantErr: true,
			wantMsg: `object product "Other": its bucket was created through "Magic"`},
		{name: "object of a product in a plain bucket", objectProduct: "Magic", wantErr: true,
			wantMsg: `object product "Magic": its bucket was created through no product`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(base, `"products": {"Magic": {"owner": "111122223333"}}`, products, 1)
			if tc.bucketProduct != "" {
				doc = strings.Replace(doc, `"objectOwnership": "ObjectWriter",`, `"objectOwnership": "ObjectWriter", "product": "`+tc.bucketProduct+`",`, 1)
			}
			if tc.objectProduct != "" {
				doc = strings.Replace(doc, object, object+` "product": "`+tc.objectProduct+`",`, 1)
			}
			s, err := scenario.Parse("case.json", []byte(doc))
			if !tc.wantErr {
				require.NoError(t, err)
				obj := s.Requests[1].Context.Object
				require.NotNil(t, obj)
				assert.Equal(t, ownership.ProductCode(tc.objectProduct), obj.Product)
				assert.Equal(t, ownership.ProductCode(tc.bucketProduct), s.Requests[1].Context.Bucket.Product)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, scenario.ErrInvalid)
			var se *scenario.Error
			require.True(t, errors.As(err, &se))
			assert.Equal(t, "/buckets/bucket-one/objects/a.txt/product", se.Path)
			require.Positive(t, se.Offset)
			assert.True(t, strings.HasSuffix(doc[:se.Offset], `"a.txt": {"owner": "444455556666", "product": "`+tc.objectProduct+`"`), "offset %d is not at the object's product", se.Offset)
			assert.Contains(t, err.Error(), tc.wantMsg)
		})
	}
}

func TestMeets(t *testing.T) {
	assert.True(t, scenario.Meets(evaluate.ImplicitDeny, "deny"))
	assert.True(t, scenario.Meets(evaluate.ExplicitDeny, "deny"))
	assert.False(t, scenario.Meets(evaluate.Allow, "deny"))
	assert.False(t, scenario.Meets(evaluate.ImplicitDeny, "explicit-deny"))
	assert.True(t, scenario.Meets(evaluate.Allow, ""))
}

// TestExports: a loaded scenario hands out its callers, products and
// subscriptions, the same values its requests run with.
func TestExports(t *testing.T) {
	s, err := scenario.Load("testdata/042-devpay-product-bound-data.json")
	if err != nil {
		t.Fatal(err)
	}
	callers := s.Callers()
	if len(callers) == 0 {
		t.Fatal("no callers")
	}
	for _, r := range s.Requests {
		c, ok := callers[r.Principal]
		if !ok {
			t.Fatalf("request %d: caller %q not exported", r.Index, r.Principal)
		}
		if c.Name != r.Principal || c.Principal != r.Request.Principal {
			t.Errorf("request %d: caller %+v, request principal %v", r.Index, c, r.Request.Principal)
		}
		if len(c.Identity) != len(r.Context.Identity) {
			t.Errorf("request %d: %d identity policies exported, %d used", r.Index, len(c.Identity), len(r.Context.Identity))
		}
		if r.Context.Products != s.Products() {
			t.Errorf("request %d: products differ", r.Index)
		}
	}
	if s.Subscriptions() == nil {
		t.Error("no subscriptions")
	}
}

// TestPosition: pointers into the file give the line and column (from 1)
// where their value starts; what the file does not hold is not found.
func TestPosition(t *testing.T) {
	data := "{\n  \"name\": \"p\",\n  \"accounts\": {\"111122223333\": {\"canonicalId\": \"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be\"}},\n  \"buckets\": {\"ab-c\": {\"owner\": \"111122223333\"}},\n  \"requests\": []\n}\n"
	s, err := scenario.Parse("p.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, pointer string
		want          scenario.Position
		ok            bool
	}{
		{name: "document", pointer: "", want: scenario.Position{Offset: 0, Line: 1, Col: 1}, ok: true},
		{name: "member", pointer: "/name", want: scenario.Position{Offset: strings.Index(data, `"p"`), Line: 2, Col: 11}, ok: true},
		{name: "nested", pointer: "/buckets/ab-c/owner", want: scenario.Position{Offset: strings.Index(data, `"111122223333"}}`), Line: 4, Col: 33}, ok: true},
		{name: "array", pointer: "/requests", want: scenario.Position{Offset: strings.Index(data, "[]"), Line: 5, Col: 15}, ok: true},
		{name: "missing member", pointer: "/buckets/nope"},
		{name: "index into an object", pointer: "/buckets/0"},
		{name: "not a pointer", pointer: "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := s.Position(tc.pointer)
			if ok != tc.ok || got != tc.want {
				t.Errorf("Position(%q) = %+v, %v; want %+v, %v", tc.pointer, got, ok, tc.want, tc.ok)
			}
		})
	}
	if got := s.PositionAt(len(data) + 10); got.Offset != len(data) {
		t.Errorf("PositionAt past the end = %+v", got)
	}
}
