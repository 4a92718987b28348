package devpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/s3authz/s3authz/devpay"
)

func ExampleParseTokens() {
	// A desktop product sends two x-amz-security-token headers; a web
	// product may join them with a comma. Both read the same.
	tok, err := devpay.ParseTokens(
		"{UserToken}AAAHVXNlclRrbgfOpSykBAXO7g/zGexample",
		"{ProductToken}MIIBzTCCATagAwIBAgIGARB1qeexample",
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	joined, _ := devpay.ParseTokens("{ProductToken}MIIBzTCCATagAwIBAgIGARB1qeexample, {UserToken}AAAHVXNlclRrbgfOpSykBAXO7g/zGexample")
	fmt.Println(tok) // safe to log: a fingerprint, never the tokens
	fmt.Printf("%#v\n", tok)
	fmt.Println(tok.Fingerprint() == joined.Fingerprint())

	// An STS session token is not a DevPay request; next to DevPay tokens
	// it is refused. Errors name pieces by position, never by content.
	_, err = devpay.ParseTokens("IQoJb3JpZ2luX2VjEXAMPLE")
	fmt.Println(errors.Is(err, devpay.ErrNotDevPay))
	_, err = devpay.ParseTokens("{UserToken}AAAHVXNlclRrbgfOpSykBAXO7g/zGexample", "IQoJb3JpZ2luX2VjEXAMPLE")
	fmt.Println(err)
	// Output:
	// devpay.Tokens{fingerprint:sha256:1dfab8e7cb42d0a9, product:present}
	// devpay.Tokens{fingerprint:sha256:1dfab8e7cb42d0a9, product:present}
	// true
	// true
	// devpay: values[1][0]: DevPay tokens mixed with another security token: not a DevPay token (an STS session token?); 1 such piece(s) in all
}

func ExampleCatalog_Check() {
	const (
		developer = "111122223333" // registered MagicProduct and OtherProduct
		john      = "222233334444"
		mother    = "555566667777"
	)
	catalog, err := devpay.NewCatalog(
		devpay.Product{Code: "MagicProduct", Owner: developer},
		devpay.Product{Code: "OtherProduct", Owner: developer},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	var subs devpay.MemorySubscriptions
	_ = subs.Subscribe(john, "MagicProduct")

	// John's images are stamped with MagicProduct.
	check := func(story string, via devpay.ProductCode, customer devpay.AccountID) {
		r := catalog.Check(context.Background(), "MagicProduct", via, customer, &subs)
		fmt.Printf("%-40s %-5t %s\n", story, r.Allowed, r.Reason)
	}
	check("John through MagicProduct", "MagicProduct", john)
	check("John through OtherProduct", "OtherProduct", john)
	check("John with S3 directly", "", john)
	check("mother, not subscribed", "MagicProduct", mother)
	_ = subs.Subscribe(mother, "MagicProduct")
	check("mother, subscribed (John's ACL decides)", "MagicProduct", mother)
	check("developer (the ACL must grant)", "MagicProduct", developer)
	subs.Suspend(john, "MagicProduct")
	check("John, unpaid bills", "MagicProduct", john)
	subs.Resume(john, "MagicProduct")
	check("John, paid", "MagicProduct", john)
	subs.Cancel(john, "MagicProduct")
	check("John, cancelled", "MagicProduct", john)
	// Output:
	// John through MagicProduct                true  devpay-allowed
	// John through OtherProduct                false devpay-wrong-product
	// John with S3 directly                    false devpay-no-product
	// mother, not subscribed                   false devpay-not-subscribed
	// mother, subscribed (John's ACL decides)  true  devpay-allowed
	// developer (the ACL must grant)           true  devpay-developer
	// John, unpaid bills                       false devpay-suspended
	// John, paid                               true  devpay-allowed
	// John, cancelled                          false devpay-cancelled
}
