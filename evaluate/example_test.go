package evaluate_test

import (
	"fmt"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
)

func ExamplePrepared_Conditions() {
	p := policy.MustParse(policy.Bucket, `{
	  "Version": "2012-10-17",
	  "Statement": [{
	    "Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::home",
	    "Condition": {
	      "StringLike": {"s3:prefix": "users/${aws:username}/*"},
	      "IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}
	    }
	  }]
	}`)
	pp, err := evaluate.Prepare(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	var keys evaluate.Keys
	keys.Set("aws:username", "alice")
	keys.Set("aws:SourceIp", "2001:db8::7")
	for _, prefix := range []string{"users/alice/photos/", "users/bob/"} {
		keys.Set("s3:prefix", prefix)
		ok, err := pp.Conditions(0, &keys)
		fmt.Println(prefix, ok, err)
	}
	// Output:
	// users/alice/photos/ true <nil>
	// users/bob/ false <nil>
}

func ExamplePrepare_error() {
	p := policy.MustParse(policy.Identity, `{"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
	  "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "10.0.0.0/33"]}}}]}`)
	_, err := evaluate.Prepare(p)
	fmt.Println(err)
	// Output:
	// policy: /Statement/0/Condition/NotIpAddress/aws:SourceIp/1: invalid condition "10.0.0.0/33": want an IPv4 or IPv6 address or CIDR block (offset 134)
}
