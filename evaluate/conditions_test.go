package evaluate_test

import (
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// AWS documentation the rows cite.
const (
	docOps     = "IAM condition operators"                 // reference_policies_elements_condition_operators
	docString  = docOps + ": string"                       // #Conditions_String
	docNumeric = docOps + ": numeric"                      // #Conditions_Numeric
	docDate    = docOps + ": date"                         // #Conditions_Date
	docBool    = docOps + ": Boolean"                      // #Conditions_Boolean
	docBinary  = docOps + ": binary"                       // #Conditions_BinaryEquals
	docIP      = docOps + ": IP address"                   // #Conditions_IPAddress
	docARN     = docOps + ": ARN"                          // #Conditions_ARN
	docIfEx    = docOps + ": ...IfExists"                  // #Conditions_IfExists
	docNull    = docOps + ": Null"                         // #Conditions_Null
	docMulti   = "IAM multivalued context keys"            // reference_policies_condition-single-vs-multi-valued-context-keys
	docLogic   = "IAM condition element: evaluation logic" // reference_policies_condition-logic-multiple-context-keys-or-values
	docVars    = "IAM policy variables"                    // reference_policies_variables
	docKeys    = "IAM condition keys are case-insensitive" // reference_policies_elements_condition
	docDates   = "W3C date and time formats (ISO 8601)"    // http://www.w3.org/TR/NOTE-datetime
)

// row is one condition block evaluated against one request.
type row struct {
	name string
	doc  string // the AWS documentation the row checks
	cond string // the Condition element's JSON
	keys map[string][]string
	want bool
	err  bool // evaluation fails (fails closed)
}

// check prepares a one-statement identity policy with the condition block
// and evaluates it for each row.
func check(t *testing.T, rows []row) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			require.NotEmpty(t, r.doc, "each row cites the documentation it checks")
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":` + r.cond + `}]}`
			p, err := policy.Parse(policy.Identity, []byte(doc))
			require.NoError(t, err)
			pp, err := evaluate.Prepare(p)
			require.NoError(t, err)
			var keys evaluate.Keys
			for k, v := range r.keys {
				keys.Set(k, v...)
			}
			got, err := pp.Conditions(0, &keys)
			if r.err {
				assert.ErrorIs(t, err, evaluate.ErrCondition)
				assert.False(t, got, "an error never holds")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, r.want, got)
		})
	}
}

func one(k string, v ...string) map[string][]string { return map[string][]string{k: v} }

func TestStringOperators(t *testing.T) {
	check(t, []row{
		{"StringEquals match", docString, `{"StringEquals":{"s3:x-amz-acl":"private"}}`, one("s3:x-amz-acl", "private"), true, false},
		{"StringEquals case-sensitive", docString, `{"StringEquals":{"s3:x-amz-acl":"private"}}`, one("s3:x-amz-acl", "Private"), false, false},
		{"StringEquals missing key", docString, `{"StringEquals":{"s3:x-amz-acl":"private"}}`, nil, false, false},
		{"StringEquals values OR", docLogic, `{"StringEquals":{"s3:x-amz-acl":["private","public-read"]}}`, one("s3:x-amz-acl", "public-read"), true, false},
		{"StringEquals star is literal", docString, `{"StringEquals":{"s3:prefix":"a*"}}`, one("s3:prefix", "ab"), false, false},
		{"StringEquals empty value", docString, `{"StringEquals":{"s3:prefix":["","home/"]}}`, one("s3:prefix", ""), true, false},
		{"StringNotEquals differs", docString, `{"StringNotEquals":{"s3:x-amz-acl":"private"}}`, one("s3:x-amz-acl", "public-read"), true, false},
		{"StringNotEquals AND of negations", docLogic, `{"StringNotEquals":{"s3:x-amz-acl":["private","public-read"]}}`, one("s3:x-amz-acl", "public-read"), false, false},
		{"StringNotEquals missing key is true", docLogic, `{"StringNotEquals":{"s3:x-amz-acl":"private"}}`, nil, true, false},
		{"StringEqualsIgnoreCase", docString, `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"Finance"}}`, one("aws:principaltag/team", "FINANCE"), true, false},
		{"StringEqualsIgnoreCase unicode fold", docString, `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"Équipe"}}`, one("aws:principaltag/team", "équipe"), true, false},
		{"StringNotEqualsIgnoreCase", docString, `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"finance"}}`, one("aws:principaltag/team", "FINANCE"), false, false},
		{"StringLike star", docString, `{"StringLike":{"s3:prefix":"home/*"}}`, one("s3:prefix", "home/a/b"), true, false},
		{"StringLike question", docString, `{"StringLike":{"s3:prefix":"v?"}}`, one("s3:prefix", "v1"), true, false},
		{"StringLike no match", docString, `{"StringLike":{"s3:prefix":"home/*"}}`, one("s3:prefix", "tmp/x"), false, false},
		{"StringLike star crosses colon", docARN, `{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`, one("aws:SourceArn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), true, false},
		{"StringNotLike", docString, `{"StringNotLike":{"s3:prefix":"home/*"}}`, one("s3:prefix", "tmp/x"), true, false},
		{"StringNotLike missing", docLogic, `{"StringNotLike":{"s3:prefix":"home/*"}}`, nil, true, false},
		{"keys case-insensitive", docKeys, `{"StringEquals":{"AWS:SourceVpc":"vpc-1"}}`, one("aws:sourcevpc", "vpc-1"), true, false},
		{"tag key suffix case-insensitive", docKeys, `{"StringEquals":{"aws:PrincipalTag/Team":"a"}}`, one("AWS:PRINCIPALTAG/TEAM", "a"), true, false},
		{"keys AND", docLogic, `{"StringEquals":{"s3:x-amz-acl":"private","s3:prefix":"a"}}`, map[string][]string{"s3:x-amz-acl": {"private"}, "s3:prefix": {"b"}}, false, false},
		{"operators AND", docLogic, `{"StringEquals":{"s3:x-amz-acl":"private"},"StringLike":{"s3:prefix":"a*"}}`, map[string][]string{"s3:x-amz-acl": {"private"}, "s3:prefix": {"ab"}}, true, false},
	})
}

func TestNumericOperators(t *testing.T) {
	check(t, []row{
		{"NumericEquals integer", docNumeric, `{"NumericEquals":{"s3:max-keys":"10"}}`, one("s3:max-keys", "10"), true, false},
		{"NumericEquals decimal forms", docNumeric, `{"NumericEquals":{"s3:TlsVersion":1.2}}`, one("s3:TlsVersion", "1.20"), true, false},
		{"NumericNotEquals", docNumeric, `{"NumericNotEquals":{"s3:max-keys":"10"}}`, one("s3:max-keys", "11"), true, false},
		{"NumericNotEquals missing", docLogic, `{"NumericNotEquals":{"s3:max-keys":"10"}}`, nil, true, false},
		{"NumericLessThan true", docNumeric, `{"NumericLessThan":{"s3:max-keys":"10"}}`, one("s3:max-keys", "9"), true, false},
		{"NumericLessThan equal is false", docNumeric, `{"NumericLessThan":{"s3:max-keys":"10"}}`, one("s3:max-keys", "10"), false, false},
		{"NumericLessThanEquals equal", docNumeric, `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, one("s3:max-keys", "10"), true, false},
		{"NumericGreaterThan", docNumeric, `{"NumericGreaterThan":{"s3:TlsVersion":"1.1"}}`, one("s3:TlsVersion", "1.2"), true, false},
		{"NumericGreaterThanEquals", docNumeric, `{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`, one("s3:TlsVersion", "1.1"), false, false},
		{"NumericLessThan missing", docLogic, `{"NumericLessThan":{"s3:max-keys":"10"}}`, nil, false, false},
		{"Numeric values OR", docLogic, `{"NumericEquals":{"s3:max-keys":["5","10"]}}`, one("s3:max-keys", "10"), true, false},
		{"Numeric negative", docNumeric, `{"NumericLessThan":{"aws:MultiFactorAuthAge":"-1"}}`, one("aws:MultiFactorAuthAge", "-2"), true, false},
		{"Numeric unreadable request value fails closed", docNumeric, `{"NumericLessThan":{"s3:max-keys":"10"}}`, one("s3:max-keys", "ten"), false, true},
		{"Numeric epoch time", docDate, `{"NumericGreaterThan":{"aws:EpochTime":"1700000000"}}`, one("aws:EpochTime", "1800000000"), true, false},
	})
}

func TestDateOperators(t *testing.T) {
	check(t, []row{
		{"DateGreaterThan full timestamp", docDate, `{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}}`, one("aws:CurrentTime", "2020-05-01T12:00:00Z"), true, false},
		{"DateLessThan window end", docDate, `{"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}`, one("aws:CurrentTime", "2020-07-01T00:00:00Z"), false, false},
		{"DateEquals year only", docDates, `{"DateEquals":{"aws:CurrentTime":"2020"}}`, one("aws:CurrentTime", "2020-01-01T00:00:00Z"), true, false},
		{"DateGreaterThanEquals year-month", docDates, `{"DateGreaterThanEquals":{"aws:CurrentTime":"2020-02"}}`, one("aws:CurrentTime", "2020-02-01T00:00:00Z"), true, false},
		{"DateLessThan date", docDates, `{"DateLessThan":{"aws:CurrentTime":"2020-02-03"}}`, one("aws:CurrentTime", "2020-02-02T23:59:59Z"), true, false},
		{"Date hours and minutes with offset", docDates, `{"DateEquals":{"aws:CurrentTime":"2020-02-03T10:30+01:00"}}`, one("aws:CurrentTime", "2020-02-03T09:30:00Z"), true, false},
		{"Date fractional seconds", docDates, `{"DateLessThan":{"aws:CurrentTime":"2020-02-03T10:30:00.5Z"}}`, one("aws:CurrentTime", "2020-02-03T10:30:00.25Z"), true, false},
		{"Date epoch seconds in policy", docDate, `{"DateGreaterThan":{"aws:CurrentTime":"1577836800"}}`, one("aws:CurrentTime", "2020-01-01T00:00:01Z"), true, false},
		{"Date epoch key", docDate, `{"DateLessThanEquals":{"aws:EpochTime":"2020-01-01T00:00:00Z"}}`, one("aws:EpochTime", "1577836800"), true, false},
		{"DateNotEquals", docDate, `{"DateNotEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, one("aws:CurrentTime", "2020-01-01T00:00:00Z"), false, false},
		{"DateNotEquals missing", docLogic, `{"DateNotEquals":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}`, nil, true, false},
		{"Date unreadable request value", docDate, `{"DateLessThan":{"aws:CurrentTime":"2020-01-01"}}`, one("aws:CurrentTime", "yesterday"), false, true},
		{"Date offset just under a day", docDates, `{"DateEquals":{"aws:CurrentTime":"2020-02-03T23:59+23:59"}}`, one("aws:CurrentTime", "2020-02-03T00:00:00Z"), true, false},
		{"Date offset of a day is unreadable", docDates, `{"DateLessThan":{"aws:CurrentTime":"2030-01-01"}}`, one("aws:CurrentTime", "2020-02-03T10:00:00+24:00"), false, true},
	})
}

func TestBoolBinaryIPOperators(t *testing.T) {
	check(t, []row{
		{"Bool true", docBool, `{"Bool":{"aws:SecureTransport":"true"}}`, one("aws:SecureTransport", "true"), true, false},
		{"Bool JSON boolean", docBool, `{"Bool":{"aws:SecureTransport":false}}`, one("aws:SecureTransport", "false"), true, false},
		{"Bool mismatch", docBool, `{"Bool":{"aws:SecureTransport":"true"}}`, one("aws:SecureTransport", "false"), false, false},
		{"Bool missing", docBool, `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, nil, false, false},
		{"BoolIfExists missing", docIfEx, `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, nil, true, false},
		{"Bool unreadable request value", docBool, `{"Bool":{"aws:SecureTransport":"true"}}`, one("aws:SecureTransport", "yes"), false, true},
		{"BinaryEquals", docBinary, `{"BinaryEquals":{"test:key":"QmluYXJ5VmFsdWU="}}`, one("test:key", "BinaryValue"), true, false},
		{"BinaryEquals mismatch", docBinary, `{"BinaryEquals":{"test:key":"QmluYXJ5VmFsdWU="}}`, one("test:key", "Other"), false, false},
		{"IpAddress IPv4 CIDR", docIP, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one("aws:SourceIp", "203.0.113.7"), true, false},
		{"IpAddress outside", docIP, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one("aws:SourceIp", "203.0.114.7"), false, false},
		{"IpAddress bare IPv4 is /32", docIP, `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, one("aws:SourceIp", "203.0.113.8"), false, false},
		{"IpAddress IPv6 CIDR", docIP, `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, one("aws:SourceIp", "2001:db8:1234:5678::99"), true, false},
		{"IpAddress bare IPv6 is /128 not /32", docIP, `{"IpAddress":{"aws:SourceIp":"2001:db8::1"}}`, one("aws:SourceIp", "2001:db8::2"), false, false},
		{"IpAddress mixed families", docIP, `{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}`, one("aws:SourceIp", "2001:db8:ffff::1"), true, false},
		{"IpAddress v4-mapped request", docIP, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one("aws:SourceIp", "::ffff:203.0.113.9"), true, false},
		{"IpAddress missing", docIP, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, false, false},
		{"NotIpAddress outside", docIP, `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one("aws:SourceIp", "198.51.100.1"), true, false},
		{"NotIpAddress inside one", docIP, `{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}`, one("aws:SourceIp", "198.51.100.1"), false, false},
		{"NotIpAddress missing is true", docLogic, `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, true, false},
		{"IpAddress unreadable request value", docIP, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one("aws:SourceIp", "example.com"), false, true},
	})
}

func TestArnOperators(t *testing.T) {
	arn := "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
	check(t, []row{
		{"ArnLike per component rejects colon crossing", docARN, `{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`, one("aws:SourceArn", arn), false, false},
		{"ArnLike wildcard region", docARN, `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic"}}`, one("aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:topic"), true, false},
		{"ArnLike resource part with colons", docARN, `{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:*:111122223333:function:*"}}`, one("aws:SourceArn", "arn:aws:lambda:us-east-1:111122223333:function:f:1"), true, false},
		{"ArnEquals behaves as ArnLike", docARN, `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}`, one("aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:topic"), true, false},
		{"ArnEquals case-sensitive", docARN, `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:Topic"}}`, one("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic"), false, false},
		{"ArnLike request not an ARN", docARN, `{"ArnLike":{"aws:SourceArn":"arn:*:*:*:*:*"}}`, one("aws:SourceArn", "not-an-arn"), false, false},
		{"ArnNotEquals", docARN, `{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/admin"}}`, one("aws:PrincipalArn", "arn:aws:iam::111122223333:role/dev"), true, false},
		{"ArnNotLike missing", docLogic, `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin"}}`, nil, true, false},
		{"ArnLike variable in account", docVars, `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"}}`, map[string][]string{"aws:SourceArn": {"arn:aws:sns:us-east-1:111122223333:t"}, "aws:PrincipalAccount": {"111122223333"}}, true, false},
	})
}

func TestNullAndIfExists(t *testing.T) {
	check(t, []row{
		{"Null true on absent", docNull, `{"Null":{"s3:x-amz-server-side-encryption":"true"}}`, nil, true, false},
		{"Null true on present", docNull, `{"Null":{"s3:x-amz-server-side-encryption":"true"}}`, one("s3:x-amz-server-side-encryption", "AES256"), false, false},
		{"Null false on present", docNull, `{"Null":{"aws:MultiFactorAuthAge":"false"}}`, one("aws:MultiFactorAuthAge", "120"), true, false},
		{"Null false on absent", docNull, `{"Null":{"aws:MultiFactorAuthAge":false}}`, nil, false, false},
		{"Null empty value is present", docNull, `{"Null":{"aws:PrincipalTag/team":"false"}}`, one("aws:PrincipalTag/team", ""), true, false},
		{"IfExists absent is true", docIfEx, `{"StringEqualsIfExists":{"s3:x-amz-server-side-encryption":"AES256"}}`, nil, true, false},
		{"IfExists present compares", docIfEx, `{"StringEqualsIfExists":{"s3:x-amz-server-side-encryption":"AES256"}}`, one("s3:x-amz-server-side-encryption", "aws:kms"), false, false},
		{"negated IfExists absent is true", docIfEx, `{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":"AES256"}}`, nil, true, false},
		{"negated IfExists present equal", docIfEx, `{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":"AES256"}}`, one("s3:x-amz-server-side-encryption", "AES256"), false, false},
		{"IpAddressIfExists absent", docIfEx, `{"IpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, true, false},
		{"NumericLessThanIfExists present", docIfEx, `{"NumericLessThanIfExists":{"s3:max-keys":"10"}}`, one("s3:max-keys", "20"), false, false},
	})
}

func TestSetQualifiers(t *testing.T) {
	tags := func(v ...string) map[string][]string { return map[string][]string{"aws:TagKeys": v} }
	check(t, []row{
		{"ForAllValues subset", docMulti, `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, tags("a"), true, false},
		{"ForAllValues not subset", docMulti, `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, tags("a", "c"), false, false},
		{"ForAllValues missing is true", docMulti, `{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`, nil, true, false},
		{"ForAllValues empty is true", docMulti, `{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`, tags(), true, false},
		{"ForAnyValue overlap", docMulti, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, tags("c", "b"), true, false},
		{"ForAnyValue disjoint", docMulti, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, tags("c"), false, false},
		{"ForAnyValue missing is false", docMulti, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`, nil, false, false},
		{"ForAnyValue empty is false", docMulti, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`, tags(), false, false},
		{"ForAllValues StringNotLike doc legal", docMulti, `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, tags("key1:legal"), false, false},
		{"ForAllValues StringNotLike doc hr personnel", docMulti, `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, tags("key1:hr", "key1:personnel"), false, false},
		{"ForAllValues StringNotLike doc audit", docMulti, `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, tags("key2:audit"), true, false},
		{"ForAllValues StringNotLike doc missing", docMulti, `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, nil, true, false},
		{"ForAllValues StringNotLike mixed", docMulti, `{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`, tags("key2", "key1x"), false, false},
		{"ForAnyValue StringNotEquals some outside", docMulti, `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, tags("a", "c"), true, false},
		{"ForAnyValue StringNotEquals all inside", docMulti, `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, tags("a", "b"), false, false},
		{"ForAnyValue StringNotEquals missing", docMulti, `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a"]}}`, nil, false, false},
		{"ForAnyValue IfExists missing", docIfEx, `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["a"]}}`, nil, true, false},
		{"ForAllValues StringLike on request tag keys", docMulti, `{"ForAllValues:StringLike":{"s3:RequestObjectTagKeys":["proj*","cost"]}}`, map[string][]string{"s3:RequestObjectTagKeys": {"project", "cost"}}, true, false},
		{"unqualified multivalued key matches any value", docMulti, `{"StringEquals":{"aws:TagKeys":"a"}}`, tags("b", "a"), true, false},
		{"unqualified negated multivalued key", docMulti, `{"StringNotEquals":{"aws:TagKeys":"a"}}`, tags("b", "a"), false, false},
	})
}

func TestVariablesInConditions(t *testing.T) {
	check(t, []row{
		{"variable substituted", docVars, `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, map[string][]string{"s3:prefix": {"home/alice/x"}, "aws:username": {"alice"}}, true, false},
		{"variable value is literal", docVars, `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, map[string][]string{"s3:prefix": {"home/bob/x"}, "aws:username": {"*"}}, false, false},
		{"variable with default", docVars, `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'shared'}"}}`, one("s3:prefix", "shared"), true, false},
		{"variable default not used when set", docVars, `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'shared'}"}}`, map[string][]string{"s3:prefix": {"shared"}, "aws:PrincipalTag/team": {"red"}}, false, false},
		{"unresolved variable matches nothing", docVars, `{"StringEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`, one("s3:ExistingObjectTag/Team", ""), false, false},
		{"unresolved variable and negation", docVars, `{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`, one("s3:ExistingObjectTag/Team", "red"), true, false},
		{"resolved variable and negation", docVars, `{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`, map[string][]string{"s3:ExistingObjectTag/Team": {"red"}, "aws:PrincipalTag/Team": {"red"}}, false, false},
		{"variable names case-insensitive", docVars, `{"StringEquals":{"s3:prefix":"${AWS:UserName}"}}`, map[string][]string{"s3:prefix": {"alice"}, "aws:username": {"alice"}}, true, false},
		{"escapes are literal", docVars, `{"StringEquals":{"s3:prefix":"a${*}b${?}c${$}"}}`, one("s3:prefix", "a*b?c$"), true, false},
		{"IgnoreCase with variable", docVars, `{"StringEqualsIgnoreCase":{"s3:prefix":"${aws:username}"}}`, map[string][]string{"s3:prefix": {"ALICE"}, "aws:username": {"alice"}}, true, false},
		{"multivalued key is not a variable", docVars, `{"StringEquals":{"s3:prefix":"${aws:TagKeys}"}}`, map[string][]string{"s3:prefix": {"a"}, "aws:TagKeys": {"a", "b"}}, false, false},
	})
	t.Run("2008 version keeps variables literal", func(t *testing.T) {
		p := policy.MustParse(policy.Identity, `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"${aws:username}"}}}]}`)
		pp := evaluate.MustPrepare(p)
		var keys evaluate.Keys
		keys.Set("aws:username", "alice")
		keys.Set("s3:prefix", "${aws:username}")
		ok, err := pp.Conditions(0, &keys)
		require.NoError(t, err)
		assert.True(t, ok)
	})
}
