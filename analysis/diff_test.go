package analysis

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
)

const (
	dtR1 = "arn:aws:iam::111111111111:role/R1"
	dtR2 = "arn:aws:iam::111111111111:role/R2"
	dtB  = "arn:aws:s3:::my-sensitive-bucket"
)

// dtReference is the reference policy of the AWS custom-check samples
// for S3 (s3-all-actions.md): roles R1 and R2 get s3:* on the bucket and
// its objects through the Principal element, and through a wildcard
// principal limited by aws:PrincipalArn.
var dtReference = `{"Version":"2012-10-17","Statement":[
 {"Sid":"Roles","Effect":"Allow","Principal":{"AWS":["` + dtR1 + `","` + dtR2 + `"]},"Action":"s3:*","Resource":["` + dtB + `","` + dtB + `/*"]},
 {"Sid":"ByArn","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":["` + dtB + `","` + dtB + `/*"],
  "Condition":{"ArnLike":{"aws:PrincipalArn":["` + dtR1 + `","` + dtR2 + `"]}}}]}`

func dtBucket(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

const (
	dtGetAny     = `{"Sid":"Get","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"` + dtB + `/*"}`
	dtDenyPlain  = `{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["` + dtB + `","` + dtB + `/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`
	dtHomeVar    = `arn:aws:s3:::my-bucket/home/${aws:username}/*`
	dtHomeUserID = `arn:aws:s3:::my-bucket/home/${aws:userid}/*`
)

func dtIdentity(actions, resource string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":` + actions + `,"Resource":"` + resource + `"}]}`
}

func dtWithCond(principal, action, cond string) string {
	return `{"Sid":"S","Effect":"Allow","Principal":` + principal + `,"Action":"` + action + `","Resource":"` + dtB + `/*","Condition":` + cond + `}`
}

func dtAccount(actions string) string {
	return dtBucket(`{"Sid":"Acct","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":` + actions + `,"Resource":["` + dtB + `","` + dtB + `/*"]}`)
}

// dtCheckWitness replays a Fail's witness: allowed by p, not by old.
func dtCheckWitness(t *testing.T, r Result, old, p *policy.Policy) {
	t.Helper()
	require.NotNil(t, r.Witness, "a Fail carries a witness")
	ok, err := dfReplay(r.Witness, evaluate.MustPrepare(p))
	require.NoError(t, err)
	assert.True(t, ok, "the witness is allowed by the new policy: %s", r.Witness)
	if old != nil {
		ok, err = dfReplay(r.Witness, evaluate.MustPrepare(old))
		require.NoError(t, err)
		assert.False(t, ok, "the witness is not allowed by the old policy: %s", r.Witness)
	}
}

// TestNoNewAccessWorkedExamples runs the worked examples of
// shared/spec/analysis.md §5.7.
func TestNoNewAccessWorkedExamples(t *testing.T) {
	type want struct {
		principal, action, key, keyName, keyValue string
	}
	tests := map[string]struct {
		kind     policy.Kind
		old, new string
		verdict  Verdict
		witness  *want
	}{
		"1 wildcard principal limited to R1": {
			old: dtReference, new: dtBucket(dtWithCond(`{"AWS":"*"}`, "s3:GetObject", `{"ArnLike":{"aws:PrincipalArn":"`+dtR1+`"}}`)),
			verdict: Pass,
		},
		"2 principal R1 PutObject": {
			old: dtReference, new: dtBucket(`{"Effect":"Allow","Principal":{"AWS":"` + dtR1 + `"},"Action":"s3:PutObject","Resource":"` + dtB + `/*"}`),
			verdict: Pass,
		},
		"3 anyone GetObject": {
			old: dtReference, new: dtBucket(dtGetAny),
			verdict: Fail, witness: &want{principal: "anonymous", action: "s3:GetObject", key: "x"},
		},
		"4 another role": {
			old: dtReference, new: dtBucket(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/MyOtherRole"},"Action":"s3:PutObject","Resource":"` + dtB + `/*"}`),
			verdict: Fail, witness: &want{principal: "arn:aws:sts::111111111111:assumed-role/MyOtherRole/", action: "s3:PutObject"},
		},
		"5 another role by aws:PrincipalArn": {
			old: dtReference, new: dtBucket(dtWithCond(`"*"`, "s3:PutObject", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/MyOtherRole"}}`)),
			verdict: Fail, witness: &want{principal: "arn:aws:sts::111111111111:assumed-role/MyOtherRole/", action: "s3:PutObject"},
		},
		"6 narrower source block": {
			old:     dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"}}`)),
			new:     dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"IpAddress":{"aws:SourceIp":"54.240.143.0/25"}}`)),
			verdict: Pass,
		},
		"7 wider source block": {
			old:     dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"}}`)),
			new:     dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"IpAddress":{"aws:SourceIp":"54.240.0.0/16"}}`)),
			verdict: Fail, witness: &want{action: "s3:GetObject", keyName: "aws:SourceIp", keyValue: "54.240.0.1"},
		},
		"8 narrower actions": {
			old: dtAccount(`"s3:Get*"`), new: dtAccount(`["s3:GetObject","s3:GetObjectVersion"]`),
			verdict: Pass,
		},
		"9 wider actions": {
			old: dtAccount(`"s3:GetObject"`), new: dtAccount(`"s3:Get*"`),
			verdict: Fail, witness: &want{principal: "arn:aws:iam::222222222222:", action: "s3:GetObjectAcl"},
		},
		"10 a Deny only removes": {
			old:     dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}`)),
			new:     dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}`), dtDenyPlain),
			verdict: Pass,
		},
		"11 the Deny removed": {
			old: dtBucket(dtGetAny, dtDenyPlain), new: dtBucket(dtGetAny),
			verdict: Fail, witness: &want{principal: "anonymous", action: "s3:GetObject", keyName: "aws:SecureTransport", keyValue: "false"},
		},
		"12 home folder to every folder": {
			kind: policy.Identity, old: dtIdentity(`"s3:GetObject"`, dtHomeVar), new: dtIdentity(`"s3:GetObject"`, "arn:aws:s3:::my-bucket/home/*"),
			verdict: Fail, witness: &want{principal: ":user/alice", action: "s3:GetObject", key: "home/"},
		},
		"13 home folder adds DeleteObject": {
			kind: policy.Identity, old: dtIdentity(`"s3:GetObject"`, dtHomeVar), new: dtIdentity(`["s3:GetObject","s3:DeleteObject"]`, dtHomeVar),
			verdict: Fail, witness: &want{principal: ":user/alice", action: "s3:DeleteObject", key: "home/alice/x"},
		},
		"13 home folder, same actions": {
			kind: policy.Identity, old: dtIdentity(`"s3:GetObject"`, dtHomeVar), new: dtIdentity(`"s3:GetObject"`, dtHomeVar),
			verdict: Pass,
		},
		"14 different variables": {
			kind: policy.Identity, old: dtIdentity(`"s3:GetObject"`, dtHomeVar), new: dtIdentity(`"s3:GetObject"`, dtHomeUserID),
			verdict: Unknown,
		},
		"15 TLS version against HTTPS": {
			old:     dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"Bool":{"aws:SecureTransport":"true"}}`)),
			new:     dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`)),
			verdict: Unknown,
		},
		"16 set operators": {
			old:     dtBucket(dtWithCond(`"*"`, "s3:PutObject", `{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["a"]}}`)),
			new:     dtBucket(dtWithCond(`"*"`, "s3:PutObject", `{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["a","b"]}}`)),
			verdict: Unknown,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			kind := tc.kind
			if kind == 0 {
				kind = policy.Bucket
			}
			old := policy.MustParse(kind, tc.old)
			nw := policy.MustParse(kind, tc.new)
			r := NoNewAccess(old, nw, DiffOptions{})
			require.Equal(t, tc.verdict, r.Verdict, "reasons: %+v witness: %s", r.Reasons, r.Witness)
			assert.NotEmpty(t, r.Reasons)
			if tc.verdict != Fail {
				assert.Nil(t, r.Witness)
				return
			}
			dtCheckWitness(t, r, old, nw)
			w := r.Witness
			assert.Contains(t, w.Principal, tc.witness.principal)
			assert.Equal(t, tc.witness.action, w.Action)
			assert.Contains(t, w.Key, tc.witness.key)
			if tc.witness.keyName != "" {
				v, ok := dfGet(w.Keys, tc.witness.keyName)
				assert.True(t, ok, "witness has %s: %s", tc.witness.keyName, w)
				assert.Equal(t, tc.witness.keyValue, v)
			}
			for _, rs := range r.Reasons {
				assert.NotEmpty(t, rs.Pointer, "a Fail names the granting statement")
			}
			_, err := json.Marshal(r)
			assert.NoError(t, err)
		})
	}
}

// TestAccessNotGrantedWorkedExamples runs the AccessNotGranted examples of
// §5.7.
func TestAccessNotGrantedWorkedExamples(t *testing.T) {
	tests := map[string]struct {
		policy             string
		actions, resources []string
		verdict            Verdict
		action             string
	}{
		"s3:* and DeleteBucket":        {policy: dtAccount(`"s3:*"`), actions: []string{"s3:DeleteBucket"}, verdict: Fail, action: "s3:DeleteBucket"},
		"s3:Get* and PutBucketPolicy":  {policy: dtAccount(`"s3:Get*"`), actions: []string{"s3:PutBucketPolicy"}, verdict: Pass},
		"another bucket's objects":     {policy: dtAccount(`"s3:*"`), resources: []string{"arn:aws:s3:::other/*"}, verdict: Pass},
		"this bucket's objects":        {policy: dtAccount(`"s3:Get*"`), resources: []string{dtB + "/*"}, verdict: Fail},
		"action and resource disjoint": {policy: dtAccount(`"s3:Get*"`), actions: []string{"s3:GetObject"}, resources: []string{"arn:aws:s3:::other/*"}, verdict: Pass},
		"nothing to check":             {policy: dtAccount(`"s3:*"`), verdict: Unknown},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := policy.MustParse(policy.Bucket, tc.policy)
			r := AccessNotGranted(p, tc.actions, tc.resources, DiffOptions{})
			require.Equal(t, tc.verdict, r.Verdict, "reasons: %+v witness: %s", r.Reasons, r.Witness)
			if tc.verdict == Fail {
				dtCheckWitness(t, r, nil, p)
				if tc.action != "" {
					assert.Equal(t, tc.action, r.Witness.Action)
				}
			}
		})
	}
}

func TestNoPublicAccess(t *testing.T) {
	tests := map[string]struct {
		policy  string
		verdict Verdict
	}{
		"account only": {policy: dtAccount(`"s3:*"`), verdict: Pass},
		"public get":   {policy: dtBucket(dtGetAny), verdict: Fail},
		"reference":    {policy: dtReference, verdict: Pass},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := policy.MustParse(policy.Bucket, tc.policy)
			r := NoPublicAccess(p)
			require.Equal(t, tc.verdict, r.Verdict, "%+v", r.Reasons)
			if r.Verdict == Fail {
				dtCheckWitness(t, r, nil, p)
			}
		})
	}
}

func TestNoNewAccessErrors(t *testing.T) {
	b := policy.MustParse(policy.Bucket, dtBucket(dtGetAny))
	i := policy.MustParse(policy.Identity, dtIdentity(`"s3:GetObject"`, dtHomeVar))
	tests := map[string]struct {
		old, new *policy.Policy
	}{
		"nil old":         {old: nil, new: b},
		"nil new":         {old: b, new: nil},
		"different kinds": {old: b, new: i},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := NoNewAccess(tc.old, tc.new, DiffOptions{})
			assert.Equal(t, Unknown, r.Verdict)
			assert.NotEmpty(t, r.Reasons)
		})
	}
}

func TestVerdictText(t *testing.T) {
	tests := map[string]struct {
		v    Verdict
		want string
	}{
		"pass": {Pass, "PASS"}, "fail": {Fail, "FAIL"}, "unknown": {Unknown, "UNKNOWN"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := tc.v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
		})
	}
	_, err := Verdict(9).MarshalText()
	assert.Error(t, err)
}

// TestNoNewAccessBoundaries pins the ends of intervals: open and closed
// bounds of Numeric and Date conditions, CIDR block sizes, IfExists and
// negated operators.
func TestNoNewAccessBoundaries(t *testing.T) {
	cond := func(c string) string { return dtBucket(dtWithCond(`"*"`, "s3:GetObject", c)) }
	tests := map[string]struct {
		old, new string
		verdict  Verdict
		key, val string
	}{
		"less than within less or equal":       {old: cond(`{"NumericLessThanEquals":{"s3:TlsVersion":"1.2"}}`), new: cond(`{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`), verdict: Pass},
		"less or equal beyond less than":       {old: cond(`{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`), new: cond(`{"NumericLessThanEquals":{"s3:TlsVersion":"1.2"}}`), verdict: Fail, key: "s3:TlsVersion", val: "1.2"},
		"greater than within greater or equal": {old: cond(`{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`), new: cond(`{"NumericGreaterThan":{"s3:TlsVersion":"1.2"}}`), verdict: Pass},
		"/24 beyond /25":                       {old: cond(`{"IpAddress":{"aws:SourceIp":"54.240.143.0/25"}}`), new: cond(`{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"}}`), verdict: Fail, key: "aws:SourceIp", val: "54.240.143.128"},
		"IPv6 /64 within /48":                  {old: cond(`{"IpAddress":{"aws:SourceIp":"2001:db8::/48"}}`), new: cond(`{"IpAddress":{"aws:SourceIp":"2001:db8:0:1::/64"}}`), verdict: Pass},
		"IPv6 /47 beyond /48":                  {old: cond(`{"IpAddress":{"aws:SourceIp":"2001:db8::/48"}}`), new: cond(`{"IpAddress":{"aws:SourceIp":"2001:db8::/47"}}`), verdict: Fail, key: "aws:SourceIp", val: "2001:db8:1::1"},
		"NotIpAddress is wider than nothing":   {old: cond(`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), new: cond(`{"NotIpAddress":{"aws:SourceIp":"11.0.0.0/8"}}`), verdict: Fail},
		"IfExists admits absence":              {old: cond(`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), new: cond(`{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`), verdict: Fail},
		"date before within date before":       {old: cond(`{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`), new: cond(`{"DateLessThan":{"aws:CurrentTime":"2029-01-01T00:00:00Z"}}`), verdict: Pass},
		"StringLike within StringLike":         {old: cond(`{"StringLike":{"aws:SourceVpce":"vpce-*"}}`), new: cond(`{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`), verdict: Pass},
		"StringLike beyond StringEquals":       {old: cond(`{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`), new: cond(`{"StringLike":{"aws:SourceVpce":"vpce-*"}}`), verdict: Fail, key: "aws:SourceVpce", val: "vpce-"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			old := policy.MustParse(policy.Bucket, tc.old)
			nw := policy.MustParse(policy.Bucket, tc.new)
			r := NoNewAccess(old, nw, DiffOptions{})
			require.Equal(t, tc.verdict, r.Verdict, "%+v %s", r.Reasons, r.Witness)
			if r.Verdict == Fail {
				dtCheckWitness(t, r, old, nw)
				if tc.key != "" {
					v, _ := dfGet(r.Witness.Keys, tc.key)
					assert.Equal(t, tc.val, v)
				}
			}
		})
	}
}
