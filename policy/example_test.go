package policy_test

import (
	"errors"
	"fmt"

	"github.com/s3authz/s3authz/policy"
)

func ExampleParse() {
	doc := `{
	  "Version": "2012-10-17",
	  "Statement": [{
	    "Sid": "PublicRead",
	    "Effect": "Allow",
	    "Principal": "*",
	    "Action": ["s3:GetObject", "s3:GetObjectVersion"],
	    "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/public/*",
	    "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}
	  }]
	}`
	p, err := policy.Parse(policy.Bucket, []byte(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	st := p.Statements[0]
	fmt.Println(p.Version, st.Sid, st.Effect, st.Principal.Everyone())
	fmt.Println(st.Action[0].Match("S3:GETOBJECT"), st.Resource[0].Match("arn:aws:s3:::amzn-s3-demo-bucket/public/a/b.png"))
	c := st.Conditions[0]
	fmt.Println(c.OperatorName(), c.Key, c.Values[0].Text, c.Pointer)
	// Output:
	// 2012-10-17 PublicRead Allow true
	// true true
	// IpAddress aws:SourceIp 192.0.2.0/24 /Statement/0/Condition/IpAddress/aws:SourceIp
}

func ExampleError() {
	doc := `{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}`
	_, err := policy.Parse(policy.Identity, []byte(doc))
	var pe *policy.Error
	if errors.As(err, &pe) {
		fmt.Println(pe.Pointer, pe.Offset, errors.Is(err, policy.ErrInvalidValue))
	}
	fmt.Println(err)
	// Output:
	// /Statement/0/Effect 51 true
	// policy: /Statement/0/Effect: invalid value "Alow": want "Allow" or "Deny" (offset 51)
}

func ExampleParse_manyErrors() {
	doc := `{"Statement": [
	  {"Effect": "Allow", "Action": "s3", "Resource": "bucket"},
	  {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
	]}`
	_, err := policy.Parse(policy.Identity, []byte(doc))
	fmt.Println(err)
	// Output:
	// policy: /Statement/0/Action: invalid action "s3": want "service:Action" or "*" (offset 49)
	// policy: /Statement/0/Resource: invalid resource "bucket": want an ARN or "*" (offset 67)
	// policy: /Statement/1/Principal: unknown element: Principal: an identity policy names no principal (offset 101)
}

func ExampleParse_conditionValues() {
	// Condition values are read as their operator reads them, and the
	// operator is checked against the key's type.
	doc := `{"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
	  "Condition": {
	    "IpAddress": {"aws:SourceIp": "10.0.0.0/33", "s3:prefix": "10.0.0.0/8"},
	    "NumericLessThan": {"s3:max-keys": "ten"}}}]}`
	_, err := policy.Parse(policy.Identity, []byte(doc))
	fmt.Println(err)
	// Output:
	// policy: /Statement/0/Condition/IpAddress/aws:SourceIp: invalid condition "10.0.0.0/33": want an IPv4 or IPv6 address or CIDR block (offset 132)
	// policy: /Statement/0/Condition/IpAddress/s3:prefix: invalid condition "s3:prefix": IpAddress cannot test a key of type String (offset 160)
	// policy: /Statement/0/Condition/NumericLessThan/s3:max-keys: invalid condition "ten": want an integer or decimal number (offset 215)
}

func ExamplePolicy_MarshalJSON() {
	p := policy.MustParse(policy.Bucket, `{
	  "Statement": {
	    "Principal": {"Service": "logging.s3.amazonaws.com", "AWS": "111122223333"},
	    "Effect": "Allow",
	    "Resource": "arn:aws:s3:::logs/*",
	    "Action": "s3:PutObject",
	    "Condition": {"NumericLessThanEquals": {"s3:max-keys": 10}}
	  },
	  "Version": "2012-10-17"
	}`)
	out, _ := p.MarshalJSON()
	fmt.Println(string(out))
	// Output:
	// {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333"],"Service":["logging.s3.amazonaws.com"]},"Action":["s3:PutObject"],"Resource":["arn:aws:s3:::logs/*"],"Condition":{"NumericLessThanEquals":{"s3:max-keys":[10]}}}]}
}

// requestVars supplies policy variable values; keys arrive in lowercase.
type requestVars map[string]string

func (v requestVars) Lookup(key string) (string, bool) {
	s, ok := v[key]
	return s, ok
}

func ExamplePattern_MatchVars() {
	p := policy.MustParse(policy.Identity, `{
	  "Version": "2012-10-17",
	  "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]
	}`)
	home := &p.Statements[0].Resource[0]
	fmt.Println(home.MatchVars("arn:aws:s3:::home/alice/notes.txt", requestVars{"aws:username": "alice"}))
	fmt.Println(home.MatchVars("arn:aws:s3:::home/bob/notes.txt", requestVars{"aws:username": "alice"}))
	// A substituted value is literal: "*" here is not a wildcard.
	fmt.Println(home.MatchVars("arn:aws:s3:::home/bob/notes.txt", requestVars{"aws:username": "*"}))
	// Without a value the entry matches nothing.
	fmt.Println(home.MatchVars("arn:aws:s3:::home/alice/notes.txt", requestVars{}))
	// Output:
	// true
	// false
	// false
	// false
}
