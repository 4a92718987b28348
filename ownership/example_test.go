package ownership_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/s3authz/s3authz/ownership"
)

func ExampleParsePrincipal() {
	p, err := ownership.ParsePrincipal("arn:aws:sts::111122223333:assumed-role/analyst/sess1")
	if err != nil {
		fmt.Println(err)
		return
	}
	// The host knows the role's unique ID; the ARN does not carry it.
	p, err = p.WithUniqueID("AROADBQP57FF2AEXAMPLE")
	if err != nil {
		fmt.Println(err)
		return
	}
	arn, _ := p.ConditionKey("aws:PrincipalArn")
	account, _ := p.ConditionKey("aws:PrincipalAccount")
	typ, _ := p.ConditionKey("aws:PrincipalType")
	userid, _ := p.ConditionKey("aws:userid")
	_, hasUsername := p.ConditionKey("aws:username")
	fmt.Println("aws:PrincipalArn     ", arn)
	fmt.Println("aws:PrincipalAccount ", account)
	fmt.Println("aws:PrincipalType    ", typ)
	fmt.Println("aws:userid           ", userid)
	fmt.Println("aws:username present ", hasUsername)

	_, err = ownership.ParsePrincipal("arn:aws:iam::111122223333:role/analyst")
	fmt.Println(errors.Is(err, ownership.ErrInvalidPrincipal))
	// Output:
	// aws:PrincipalArn      arn:aws:iam::111122223333:role/analyst
	// aws:PrincipalAccount  111122223333
	// aws:PrincipalType     AssumedRole
	// aws:userid            AROADBQP57FF2AEXAMPLE:sess1
	// aws:username present  false
	// true
}

func ExampleMode_ObjectOwner() {
	const bucketOwner = ownership.AccountID("111122223333")
	writer := ownership.OwnerOf(ownership.MustParsePrincipal("arn:aws:iam::444455556666:user/uploader"))
	for _, m := range []ownership.Mode{ownership.BucketOwnerEnforced, ownership.BucketOwnerPreferred, ownership.ObjectWriter} {
		fmt.Printf("%-20s no ACL: %s, bucket-owner-full-control: %s, anonymous: %s\n", m,
			m.ObjectOwner(bucketOwner, writer, ""),
			m.ObjectOwner(bucketOwner, writer, ownership.CannedBucketOwnerFullControl),
			m.ObjectOwner(bucketOwner, ownership.AnonymousOwner(), ""))
	}
	fmt.Println(ownership.BucketOwnerEnforced.AcceptsACL("public-read", false))
	// Output:
	// BucketOwnerEnforced  no ACL: 111122223333, bucket-owner-full-control: 111122223333, anonymous: 111122223333
	// BucketOwnerPreferred no ACL: 444455556666, bucket-owner-full-control: 111122223333, anonymous: anonymous
	// ObjectWriter         no ACL: 444455556666, bucket-owner-full-control: 444455556666, anonymous: anonymous
	// false
}

func ExamplePublicAccessBlock_Combine() {
	account := ownership.PublicAccessBlock{BlockPublicPolicy: true}
	bucket := ownership.PublicAccessBlock{IgnorePublicAcls: true}
	accessPoint := ownership.PublicAccessBlock{}
	fmt.Println(account.Combine(bucket, accessPoint))
	fmt.Println(ownership.PublicAccessBlock{}.Combine())
	// Output:
	// IgnorePublicAcls,BlockPublicPolicy
	// none
}

func ExampleMemoryDirectory() {
	var d ownership.MemoryDirectory // the zero value is ready to use
	err := d.Add("111122223333", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "owner@example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	account, ok, _ := d.AccountByEmail(context.Background(), "Owner@Example.COM")
	fmt.Println(account, ok)
	canonical, _, _ := d.CanonicalID(context.Background(), account)
	fmt.Println(canonical)
	_, ok, _ = d.AccountOf(context.Background(), ownership.AnonymousCanonicalID)
	fmt.Println(ok)

	err = d.Add("444455556666", canonical, "")
	fmt.Println(errors.Is(err, ownership.ErrConflict))
	fmt.Println(err)
	// Output:
	// 111122223333 true
	// 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be
	// false
	// true
	// ownership: canonical: conflicting registration "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be": already registered to account "111122223333"
}

func ExampleBucketOwnerMay() {
	for _, action := range []string{"s3:DeleteObject", "s3:RestoreObject", "s3:GetObject"} {
		fmt.Println(action, ownership.BucketOwnerMay(action))
	}
	// Output:
	// s3:DeleteObject true
	// s3:RestoreObject true
	// s3:GetObject false
}
