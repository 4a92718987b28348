package acl_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/s3authz/s3authz/acl"
)

func ExampleParse() {
	doc := `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID></Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">
        <URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>
      </Grantee>
      <Permission>READ</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>`
	a, err := acl.Parse([]byte(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	g := a.Grants[0]
	fmt.Println(g.Grantee.Type, g.Grantee.URI, g.Permission, a.IsPublic())
	// Output:
	// Group http://acs.amazonaws.com/groups/global/AllUsers READ true
}

func ExampleError() {
	doc := `<AccessControlPolicy>
  <Owner><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID></Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>
      <Permission>Read</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>`
	_, err := acl.Parse([]byte(doc))
	var ae *acl.Error
	if errors.As(err, &ae) {
		fmt.Println(ae.Path, ae.Line, errors.Is(err, acl.ErrInvalidValue))
	}
	fmt.Println(err)
	// Output:
	// AccessControlPolicy/AccessControlList/Grant[1]/Permission 6 true
	// acl: AccessControlPolicy/AccessControlList/Grant[1]/Permission: invalid value "Read": want READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL (line 6)
}

func ExampleCanned() {
	writer := acl.User{ID: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}
	bucketOwner := acl.User{ID: "e55efb21ded74d4fcae3c4987a33a31c4f87438090acd5eb53e1d4f8efe98899"}
	a, err := acl.Canned("bucket-owner-read", acl.Object, writer, bucketOwner)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range a.Grants {
		fmt.Println(g.Grantee.ID[:8], g.Permission)
	}
	// Output:
	// 79a59df9 FULL_CONTROL
	// e55efb21 READ
}

func ExampleACL_Permits() {
	a, _ := acl.Canned("public-read", acl.Object, acl.User{ID: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, acl.User{})
	anonymous := &acl.Requester{CanonicalID: acl.AnonymousID}
	for _, action := range []string{"s3:GetObject", "s3:GetObjectAcl", "s3:PutObjectTagging"} {
		i, ok, _ := a.Permits(context.Background(), anonymous, action, acl.Object)
		fmt.Println(action, ok, i)
	}
	// With IgnorePublicAcls the public grant is gone.
	ignoring := &acl.Requester{CanonicalID: acl.AnonymousID, IgnorePublic: true}
	_, ok, _ := a.Permits(context.Background(), ignoring, "s3:GetObject", acl.Object)
	fmt.Println("ignoring public grants:", ok)
	// Output:
	// s3:GetObject true 1
	// s3:GetObjectAcl false -1
	// s3:PutObjectTagging false -1
	// ignoring public grants: false
}

func ExampleACL_Marshal() {
	a, _ := acl.Canned("private", acl.Bucket, acl.User{ID: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", DisplayName: "alice"}, acl.User{})
	out, _ := a.Marshal()
	fmt.Println(string(out))
	// Output:
	// <AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID><DisplayName>alice</DisplayName></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID><DisplayName>alice</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>
}
