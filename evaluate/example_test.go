package evaluate_test

import (
	"fmt"
	"strings"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
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
	// Parse refuses a value its operator cannot read, so a policy
	// Prepare refuses is one changed by hand after Parse; the error is
	// the one Parse gives for the document holding the same value.
	doc := `{"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
	  "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "10.0.0.0/9"]}}}]}`
	p := policy.MustParse(policy.Identity, doc)
	p.Statements[0].Conditions[0].Values[1].Text = "10.0.0.0/33"
	_, err := evaluate.Prepare(p)
	fmt.Println(err)
	_, err = policy.Parse(policy.Identity, []byte(strings.Replace(doc, "10.0.0.0/9", "10.0.0.0/33", 1)))
	fmt.Println(err)
	// Output:
	// policy: /Statement/0/Condition/NotIpAddress/aws:SourceIp/1: invalid condition "10.0.0.0/33": want an IPv4 or IPv6 address or CIDR block (offset 134)
	// policy: /Statement/0/Condition/NotIpAddress/aws:SourceIp/1: invalid condition "10.0.0.0/33": want an IPv4 or IPv6 address or CIDR block (offset 134)
}

func Example() {
	// Account 111122223333 owns bucket "photos" and lets account
	// 444455556666 read it; Bob, a user of that account, may read S3.
	bucketPolicy := evaluate.MustPrepare(policy.MustParse(policy.Bucket, `{
	  "Version": "2012-10-17",
	  "Statement": [{"Sid": "PartnerRead", "Effect": "Allow", "Principal": {"AWS": "444455556666"},
	    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*"}]
	}`))
	bobs := evaluate.MustPrepare(policy.MustParse(policy.Identity, `{
	  "Version": "2012-10-17",
	  "Statement": [{"Sid": "ReadS3", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]
	}`))
	ec := evaluate.Context{
		Bucket:       &ownership.Bucket{Name: "photos", Owner: "111122223333"},
		Object:       &ownership.Object{Bucket: "photos", Key: "cat.jpg", Owner: ownership.AccountOwner("111122223333")},
		BucketPolicy: bucketPolicy,
		Identity:     []*evaluate.Prepared{bobs},
	}
	req := evaluate.Request{
		Principal: ownership.MustParsePrincipal("arn:aws:iam::444455556666:user/bob"),
		Action:    "s3:GetObject", Bucket: "photos", Key: "cat.jpg",
	}
	d, diag := evaluate.Evaluate(req, ec)
	fmt.Println(d, diag.Reason.Stage, diag.Reason.Code, diag.Reason.Sid)

	ec.Identity = nil // Bob's own account no longer allows it.
	d, diag = evaluate.Evaluate(req, ec)
	fmt.Println(d, diag.Reason.Stage, diag.Reason.Code)
	// Output:
	// allow object bucket-policy-allows PartnerRead
	// implicit-deny user no-identity-allow
}

func ExampleEvaluate_explicitDeny() {
	ec := evaluate.Context{
		Bucket: &ownership.Bucket{Name: "records", Owner: "111122223333"},
		Object: &ownership.Object{Bucket: "records", Key: "2026/q3.csv", Owner: ownership.AccountOwner("111122223333")},
		BucketPolicy: evaluate.MustPrepare(policy.MustParse(policy.Bucket, `{
		  "Version": "2012-10-17",
		  "Statement": [{"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
		    "Resource": "arn:aws:s3:::records/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
		}`)),
	}
	req := evaluate.Request{Principal: ownership.MustParsePrincipal("arn:aws:iam::111122223333:root"),
		Action: "s3:GetObject", Bucket: "records", Key: "2026/q3.csv", Keys: &evaluate.Keys{}}
	req.Keys.Set("aws:SecureTransport", "false")
	d, diag := evaluate.Evaluate(req, ec)
	fmt.Println(d, diag.Reason.Stage, diag.Reason.Source, diag.Reason.Sid, diag.Reason.Pointer)
	// Output:
	// explicit-deny bucket bucket-policy TLSOnly /Statement/0
}

func ExampleDiagnostic_trace() {
	ec := evaluate.Context{
		Bucket: &ownership.Bucket{Name: "site", Owner: "111122223333"},
		Object: &ownership.Object{Bucket: "site", Key: "index.html", Owner: ownership.AccountOwner("111122223333")},
		BucketPolicy: evaluate.MustPrepare(policy.MustParse(policy.Bucket, `{
		  "Version": "2012-10-17",
		  "Statement": [
		    {"Sid": "Uploads", "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::site/uploads/*"},
		    {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]
		}`)),
	}
	req := evaluate.Request{Principal: ownership.Anonymous(), Action: "s3:GetObject", Bucket: "site", Key: "index.html", Trace: true}
	d, diag := evaluate.Evaluate(req, ec)
	for _, s := range diag.Trace {
		fmt.Println(s.Stage, s.Source, s.Sid, s.Matched, s.Note)
	}
	fmt.Println(d, diag.Reason)
	// Output:
	// object bucket-policy Uploads false action does not match
	// object bucket-policy PublicRead true Allow statement matches
	// allow object: bucket-policy-allows bucket-policy sid=PublicRead /Statement/1
}
