package policy_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/policy"
)

// pubStatement returns one bucket policy statement with the given effect,
// principal member (`"Principal":"*"`, `"NotPrincipal":{...}`) and
// Condition block ("" for none).
func pubStatement(effect, principal, condition string) string {
	s := `{"Effect":"` + effect + `",` + principal +
		`,"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"`
	if condition != "" {
		s += `,"Condition":` + condition
	}
	return s + `}`
}

// pubPolicy returns a Version 2012-10-17 bucket policy of the statements.
func pubPolicy(statements ...string) string {
	doc := `{"Version":"2012-10-17","Statement":[`
	for i, s := range statements {
		if i > 0 {
			doc += ","
		}
		doc += s
	}
	return doc + `]}`
}

// pubAllow returns a policy with one Allow statement.
func pubAllow(principal, condition string) string {
	return pubPolicy(pubStatement("Allow", principal, condition))
}

// pubStar returns a policy with one Allow statement for Principal "*" under
// the condition.
func pubStar(condition string) string {
	return pubAllow(`"Principal":"*"`, condition)
}

// pubCond returns a Condition block with one operator and one key whose
// value is the JSON text value.
func pubCond(op, key, value string) string {
	return `{"` + op + `":{"` + key + `":` + value + `}}`
}

const (
	pubCloudTrail = `"Principal":{"Service":"cloudtrail.amazonaws.com"}`
	pubAccount2   = `"Principal":{"AWS":"arn:aws:iam::444455556666:root"}`
	pubEveryone   = `"Principal":"*"`
)

func TestIsPublic(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want bool
	}{
		// The examples of the S3 User Guide's Block Public Access page.
		{"guide: Principal * without condition", pubStar(""), true},
		{"guide: Federated graph.facebook.com", pubAllow(`"Principal":{"Federated":"graph.facebook.com"}`, ""), true},
		{"guide: * with StringLike aws:SourceVpc vpc-*", pubStar(pubCond("StringLike", "aws:SourceVpc", `"vpc-*"`)), true},
		{"guide: * with StringEquals aws:SourceVpc", pubStar(pubCond("StringEquals", "aws:SourceVpc", `"vpc-91237329"`)), false},
		{"guide: CloudTrail, Account-2 and * statements", pubPolicy(
			pubStatement("Allow", pubCloudTrail, ""),
			pubStatement("Allow", pubAccount2, ""),
			pubStatement("Allow", pubEveryone, ""),
		), true},
		{"guide: CloudTrail and Account-2 statements", pubPolicy(
			pubStatement("Allow", pubCloudTrail, ""),
			pubStatement("Allow", pubAccount2, ""),
		), false},

		// Principals.
		{"AWS * without condition", pubAllow(`"Principal":{"AWS":"*"}`, ""), true},
		{"AWS account ID", pubAllow(`"Principal":{"AWS":"111122223333"}`, ""), false},
		{"AWS user and role ARNs", pubAllow(`"Principal":{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:role/r"]}`, ""), false},
		{"canonical user", pubAllow(`"Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`, ""), false},
		{"service principal", pubAllow(`"Principal":{"Service":"logging.s3.amazonaws.com"}`, ""), false},
		{"AWS * beside a service principal", pubAllow(`"Principal":{"AWS":"*","Service":"logging.s3.amazonaws.com"}`, ""), true},
		{"account beside a federated provider", pubAllow(`"Principal":{"AWS":"111122223333","Federated":"accounts.google.com"}`, ""), true},
		{"federated restricted by a condition", pubAllow(`"Principal":{"Federated":"graph.facebook.com"}`,
			pubCond("StringEquals", "aws:SourceVpce", `"vpce-1a2b3c4d"`)), false},
		{"NotPrincipal Allow", pubAllow(`"NotPrincipal":{"AWS":"111122223333"}`, ""), true},
		{"NotPrincipal Allow restricted by a condition", pubAllow(`"NotPrincipal":{"AWS":"111122223333"}`,
			pubCond("StringEquals", "aws:SourceVpc", `"vpc-91237329"`)), false},

		// Deny statements.
		{"Deny *", pubPolicy(pubStatement("Deny", pubEveryone, "")), false},
		{"Deny * beside an account Allow", pubPolicy(
			pubStatement("Deny", pubEveryone, ""),
			pubStatement("Allow", pubAccount2, ""),
		), false},
		{"Deny NotPrincipal", pubPolicy(pubStatement("Deny", `"NotPrincipal":{"AWS":"111122223333"}`, "")), false},

		// aws:SourceIp.
		{"SourceIp 0.0.0.0/1", pubStar(pubCond("IpAddress", "aws:SourceIp", `"0.0.0.0/1"`)), true},
		{"SourceIp 8.0.0.0/7", pubStar(pubCond("IpAddress", "aws:SourceIp", `"8.0.0.0/7"`)), true},
		{"SourceIp 0.0.0.0/0", pubStar(pubCond("IpAddress", "aws:SourceIp", `"0.0.0.0/0"`)), true},
		{"SourceIp 10.0.0.0/8", pubStar(pubCond("IpAddress", "aws:SourceIp", `"10.0.0.0/8"`)), false},
		{"SourceIp 172.16.0.0/12 private", pubStar(pubCond("IpAddress", "aws:SourceIp", `"172.16.0.0/12"`)), false},
		{"SourceIp 192.168.0.0/16 private", pubStar(pubCond("IpAddress", "aws:SourceIp", `"192.168.0.0/16"`)), false},
		{"SourceIp 203.0.113.0/24", pubStar(pubCond("IpAddress", "aws:SourceIp", `"203.0.113.0/24"`)), false},
		{"SourceIp bare IPv4 address", pubStar(pubCond("IpAddress", "aws:SourceIp", `"203.0.113.7"`)), false},
		{"SourceIp IPv6 /32", pubStar(pubCond("IpAddress", "aws:SourceIp", `"2001:db8::/32"`)), false},
		{"SourceIp IPv6 /64", pubStar(pubCond("IpAddress", "aws:SourceIp", `"2001:DB8:1234:5678::/64"`)), false},
		{"SourceIp IPv6 /16", pubStar(pubCond("IpAddress", "aws:SourceIp", `"2001::/16"`)), true},
		{"SourceIp IPv6 ::/0", pubStar(pubCond("IpAddress", "aws:SourceIp", `"::/0"`)), true},
		{"SourceIp bare IPv6 address", pubStar(pubCond("IpAddress", "aws:SourceIp", `"2001:db8::1"`)), false},
		{"SourceIp narrow and broad", pubStar(pubCond("IpAddress", "aws:SourceIp", `["203.0.113.0/24","0.0.0.0/1"]`)), true},
		{"SourceIp IPv4 and IPv6, both narrow", pubStar(pubCond("IpAddress", "aws:SourceIp", `["203.0.113.0/24","2001:db8::/48"]`)), false},
		{"SourceIp under NotIpAddress", pubStar(pubCond("NotIpAddress", "aws:SourceIp", `"203.0.113.0/24"`)), true},
		{"SourceIp under IpAddressIfExists", pubStar(pubCond("IpAddressIfExists", "aws:SourceIp", `"203.0.113.0/24"`)), true},

		// The other keys, with fixed values.
		{"SourceArn", pubStar(pubCond("ArnEquals", "aws:SourceArn", `"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"`)), false},
		{"SourceArn under ArnLike without wildcard", pubStar(pubCond("ArnLike", "aws:SourceArn", `"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"`)), false},
		{"SourceArn under ArnLike with wildcard", pubStar(pubCond("ArnLike", "aws:SourceArn", `"arn:aws:cloudtrail:us-east-1:111122223333:trail/*"`)), true},
		{"SourceArn under ArnEquals with wildcard", pubStar(pubCond("ArnEquals", "aws:SourceArn", `"arn:aws:cloudtrail:*:111122223333:trail/t"`)), true},
		{"SourceVpce", pubStar(pubCond("StringEquals", "aws:SourceVpce", `"vpce-1a2b3c4d"`)), false},
		{"SourceOwner", pubStar(pubCond("StringEquals", "aws:SourceOwner", `"111122223333"`)), false},
		{"SourceAccount", pubStar(pubCond("StringEquals", "aws:SourceAccount", `"111122223333"`)), false},
		{"SourceAccount as a JSON number", pubStar(pubCond("StringEquals", "aws:SourceAccount", `111122223333`)), false},
		{"PrincipalOrgID", pubStar(pubCond("StringEquals", "aws:PrincipalOrgID", `"o-aa111bb222"`)), false},
		{"PrincipalOrgID with a wildcard", pubStar(pubCond("StringLike", "aws:PrincipalOrgID", `"o-*"`)), true},
		{"PrincipalAccount", pubStar(pubCond("StringEquals", "aws:PrincipalAccount", `"111122223333"`)), false},
		{"PrincipalArn", pubStar(pubCond("ArnEquals", "aws:PrincipalArn", `"arn:aws:iam::111122223333:role/r"`)), false},
		{"PrincipalArn with a wildcard", pubStar(pubCond("ArnLike", "aws:PrincipalArn", `"arn:aws:iam::111122223333:role/*"`)), true},
		{"KMS key ID", pubStar(pubCond("StringEquals", "s3:x-amz-server-side-encryption-aws-kms-key-id",
			`"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"`)), false},
		{"DataAccessPointAccount", pubStar(pubCond("StringEquals", "s3:DataAccessPointAccount", `"111122223333"`)), false},
		{"key names ignore case", pubStar(pubCond("StringEquals", "AWS:SOURCEVPC", `"vpc-91237329"`)), false},
		{"StringEqualsIgnoreCase", pubStar(pubCond("StringEqualsIgnoreCase", "aws:SourceVpc", `"VPC-91237329"`)), false},
		{"StringLike without wildcard", pubStar(pubCond("StringLike", "aws:SourceVpc", `"vpc-91237329"`)), false},
		{"StringLike with ?", pubStar(pubCond("StringLike", "aws:SourceVpc", `"vpc-9123732?"`)), true},
		{"StringEquals value with a literal *", pubStar(pubCond("StringEquals", "aws:SourceVpc", `"vpc-*"`)), false},
		{"several values, all fixed", pubStar(pubCond("StringEquals", "aws:SourceVpc", `["vpc-1","vpc-2"]`)), false},
		{"several values, one wildcard", pubStar(pubCond("StringLike", "aws:SourceVpc", `["vpc-1","vpc-*"]`)), true},
		{"one restricting condition among others", pubStar(`{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:SourceVpc":"vpc-1","s3:prefix":"home/"}}`), false},

		// aws:userid.
		{"userid AROAEXAMPLEID:*", pubStar(pubCond("StringLike", "aws:userid", `"AROAEXAMPLEID:*"`)), true},
		{"userid AROAEXAMPLEID:* under StringEquals", pubStar(pubCond("StringEquals", "aws:userid", `"AROAEXAMPLEID:*"`)), true},
		{"userid AIDAEXAMPLE", pubStar(pubCond("StringEquals", "aws:userid", `"AIDAEXAMPLE"`)), false},
		{"userid role session", pubStar(pubCond("StringEquals", "aws:userid", `"AROAEXAMPLEID:alice"`)), false},

		// s3:DataAccessPointArn.
		{"DataAccessPointArn fixed", pubStar(pubCond("StringEquals", "s3:DataAccessPointArn", `"arn:aws:s3:us-west-2:123456789012:accesspoint/ap"`)), false},
		{"DataAccessPointArn any name of one account", pubStar(pubCond("StringLike", "s3:DataAccessPointArn", `"arn:aws:s3:us-west-2:123456789012:accesspoint/*"`)), false},
		{"DataAccessPointArn any name under ArnLike", pubStar(pubCond("ArnLike", "s3:DataAccessPointArn", `"arn:aws:s3:us-west-2:123456789012:accesspoint/app-?"`)), false},
		{"DataAccessPointArn any account", pubStar(pubCond("ArnLike", "s3:DataAccessPointArn", `"arn:aws:s3:us-west-2:*:accesspoint/ap"`)), true},
		{"DataAccessPointArn any region", pubStar(pubCond("ArnLike", "s3:DataAccessPointArn", `"arn:aws:s3:*:123456789012:accesspoint/*"`)), true},
		{"DataAccessPointArn not an access point", pubStar(pubCond("ArnLike", "s3:DataAccessPointArn", `"arn:aws:s3:us-west-2:123456789012:*"`)), true},
		{"DataAccessPointArn variable in the name", pubStar(pubCond("ArnLike", "s3:DataAccessPointArn", `"arn:aws:s3:us-west-2:123456789012:accesspoint/${aws:username}*"`)), true},
		{"wildcard access point name on another key", pubStar(pubCond("ArnLike", "aws:SourceArn", `"arn:aws:s3:us-west-2:123456789012:accesspoint/*"`)), true},

		// Policy variables are not fixed values.
		{"variable in StringEquals", pubStar(pubCond("StringEquals", "aws:SourceVpc", `"${aws:username}"`)), true},
		{"variable in ArnEquals", pubStar(pubCond("ArnEquals", "aws:PrincipalArn", `"arn:aws:iam::111122223333:user/${aws:username}"`)), true},
		{"escaped ${*} is literal", pubStar(pubCond("StringLike", "aws:SourceVpc", `"vpc-${*}"`)), false},

		// Conditions that do not restrict.
		{"StringNotEquals", pubStar(pubCond("StringNotEquals", "aws:SourceVpc", `"vpc-91237329"`)), true},
		{"ArnNotEquals", pubStar(pubCond("ArnNotEquals", "aws:SourceArn", `"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"`)), true},
		{"StringEqualsIfExists", pubStar(pubCond("StringEqualsIfExists", "aws:SourceVpc", `"vpc-91237329"`)), true},
		{"ArnEqualsIfExists", pubStar(pubCond("ArnEqualsIfExists", "aws:SourceArn", `"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"`)), true},
		{"ForAnyValue:StringEquals", pubStar(pubCond("ForAnyValue:StringEquals", "aws:SourceVpc", `"vpc-91237329"`)), true},
		{"ForAllValues:StringEquals", pubStar(pubCond("ForAllValues:StringEquals", "aws:SourceVpc", `"vpc-91237329"`)), true},
		{"Null", pubStar(pubCond("Null", "aws:SourceVpc", `"false"`)), true},
		{"key not on the list", pubStar(pubCond("StringEquals", "s3:prefix", `"home/"`)), true},
		{"aws:SourceOrgID is not on the list", pubStar(pubCond("StringEquals", "aws:SourceOrgID", `"o-aa111bb222"`)), true},
		{"Bool aws:SecureTransport", pubStar(pubCond("Bool", "aws:SecureTransport", `"true"`)), true},

		// Every Allow counts, whatever its actions: no "bad actions" filter.
		{"public read of a harmless action", pubPolicy(`{"Effect":"Allow","Principal":"*","Action":"s3:GetBucketLocation","Resource":"arn:aws:s3:::amzn-s3-demo-bucket"}`), true},
		{"NotAction Allow to *", pubPolicy(`{"Effect":"Allow","Principal":"*","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}`), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.Parse(policy.Bucket, []byte(tc.doc))
			require.NoError(t, err, "document: %s", tc.doc)
			assert.Equal(t, tc.want, p.IsPublic(), "document: %s", tc.doc)
			anyPublic := false
			for i := range p.Statements {
				anyPublic = anyPublic || p.Statements[i].IsPublic()
			}
			assert.Equal(t, tc.want, anyPublic, "Policy.IsPublic is the OR of Statement.IsPublic")
		})
	}
}

func TestStatementIsPublic(t *testing.T) {
	p := policy.MustParse(policy.Bucket, pubPolicy(
		pubStatement("Allow", pubCloudTrail, ""),
		pubStatement("Allow", pubAccount2, ""),
		pubStatement("Allow", pubEveryone, ""),
		pubStatement("Deny", pubEveryone, ""),
	))
	require.Len(t, p.Statements, 4)
	got := make([]bool, len(p.Statements))
	for i := range p.Statements {
		got[i] = p.Statements[i].IsPublic()
	}
	assert.Equal(t, []bool{false, false, true, false}, got)
}

func TestIsPublicIdentityPolicy(t *testing.T) {
	// Identity policy statements name no principal: they grant only the
	// identity the policy is attached to.
	p := policy.MustParse(policy.Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	assert.False(t, p.Statements[0].IsPublic())
	assert.False(t, p.IsPublic())
}

// TestIsPublicUnreadableSourceIp checks policies built by hand, which
// may hold what Parse refuses: an aws:SourceIp value that is no address or
// CIDR block, or one under an operator that does not take its type, does
// not restrict the statement, so it stays public.
func TestIsPublicUnreadableSourceIp(t *testing.T) {
	tests := []struct {
		name     string
		operator policy.Operator
		value    string
	}{
		{name: "prefix-length-33", operator: policy.IpAddress, value: "203.0.113.0/33"},
		{name: "not-an-address", operator: policy.IpAddress, value: "vpc-1"},
		{name: "address-with-a-zone", operator: policy.IpAddress, value: "fe80::1%eth0"},
		{name: "block-with-a-zone", operator: policy.IpAddress, value: "fe80::1%eth0/64"},
		{name: "under-StringEquals", operator: policy.StringEquals, value: "203.0.113.7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := policy.MustParse(policy.Bucket, pubStar(pubCond("IpAddress", "aws:SourceIp", `"203.0.113.7"`)))
			require.False(t, p.IsPublic(), "control: a single host restricts")
			c := &p.Statements[0].Conditions[0]
			c.Operator, c.Values[0].Text = tc.operator, tc.value
			require.Error(t, p.Validate(), "Parse would refuse it")
			assert.True(t, p.IsPublic())
		})
	}
}

func TestIsPublicNil(t *testing.T) {
	var p *policy.Policy
	assert.False(t, p.IsPublic())
}

func TestIsPublicVersion2008(t *testing.T) {
	// Without Version 2012-10-17, ${...} is literal text: a fixed value.
	doc := `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",` +
		`"Condition":{"StringEquals":{"aws:SourceVpc":"${aws:username}"}}}}`
	assert.False(t, policy.MustParse(policy.Bucket, doc).IsPublic())
}

func TestIsPublicDoesNotAllocate(t *testing.T) {
	docs := map[string]string{
		"public": pubPolicy(
			pubStatement("Allow", pubCloudTrail, ""),
			pubStatement("Allow", pubAccount2, ""),
			pubStatement("Allow", `"Principal":{"AWS":"*"}`, `{"StringLike":{"aws:userid":"AROAEXAMPLEID:*"},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","0.0.0.0/1"]}}`),
		),
		"non-public": pubPolicy(
			pubStatement("Deny", pubEveryone, ""),
			pubStatement("Allow", pubAccount2, ""),
			pubStatement("Allow", pubEveryone, `{"IpAddress":{"AWS:SOURCEIP":["203.0.113.0/24","2001:db8::/32","198.51.100.7"]}}`),
			pubStatement("Allow", `"NotPrincipal":{"AWS":"111122223333"}`, `{"ArnLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:accesspoint/*"}}`),
			pubStatement("Allow", pubEveryone, `{"StringNotEquals":{"aws:SourceVpc":"vpc-1"},"StringEquals":{"aws:userid":"AIDAEXAMPLE"}}`),
		),
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			p := policy.MustParse(policy.Bucket, doc)
			want := name == "public"
			var got bool
			allocs := testing.AllocsPerRun(1000, func() { got = p.IsPublic() })
			assert.Equal(t, want, got)
			assert.Zero(t, allocs, "Policy.IsPublic")
			st := &p.Statements[len(p.Statements)-1]
			allocs = testing.AllocsPerRun(1000, func() { got = st.IsPublic() })
			assert.Zero(t, allocs, "Statement.IsPublic")
		})
	}
}

func ExamplePolicy_IsPublic() {
	doc := `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
	     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/*"},
	    {"Effect": "Allow", "Principal": "*",
	     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
	     "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-91237329"}}},
	    {"Effect": "Allow", "Principal": "*",
	     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
	     "Condition": {"StringLike": {"aws:SourceVpc": "vpc-*"}}}
	  ]
	}`
	p := policy.MustParse(policy.Bucket, doc)
	for i := range p.Statements {
		fmt.Println(i, p.Statements[i].IsPublic())
	}
	fmt.Println("policy:", p.IsPublic())
	// Output:
	// 0 false
	// 1 false
	// 2 true
	// policy: true
}
