package evaluate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConditionKeysFollowTheAction checks that an S3 condition key is in
// the request context only for the actions whose row of the Service
// Authorization Reference lists it
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html),
// whether the evaluator derives the key or the caller supplies it; for
// other actions a condition finds it absent.
func TestConditionKeysFollowTheAction(t *testing.T) {
	tagged := func(ec *evaluate.Context) {
		ec.Object.Tags = []ownership.Tag{{Key: "team", Value: "red"}}
	}
	// Bob of account B is granted by the bucket owner's policy only where
	// the object is tagged team=red.
	tagAllow := func(ec *evaluate.Context) {
		tagged(ec)
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","s3:PutObjectTagging"],"Resource":"arn:aws:s3:::bkt/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/team":"red"}}}`)
	}
	// Everything is allowed to the owner's user, but what is not tagged
	// team=red may not be touched.
	tagDeny := func(ec *evaluate.Context) {
		tagged(ec)
		ec.Identity = []*evaluate.Prepared{allowAll(t, "s3:*", "*")}
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Deny","Principal":"*","Action":["s3:GetObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::bkt/*","Condition":{"StringNotEquals":{"s3:ExistingObjectTag/team":"red"}}}`)
	}
	bob := user(acctB, "bob")
	bobAll := func(ec *evaluate.Context) { ec.Identity = []*evaluate.Prepared{allowAll(t, "s3:*", "*")} }
	act := func(p ownership.Principal, action string) evaluate.Request {
		return evaluate.Request{Principal: p, Action: action, Bucket: "bkt", Key: "k"}
	}
	keyed := func(req evaluate.Request, name string, values ...string) evaluate.Request {
		req.Keys = &evaluate.Keys{}
		req.Keys.Set(name, values...)
		return req
	}
	prefixAllow := func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"],"Condition":{"StringEquals":{"s3:prefix":"public/"}}}`)
	}
	runRules(t, []ruleCase{
		// "Tagging and access control policies"
		// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html):
		// existing tags can guard reads and tag changes, not overwrites or
		// deletes.
		{name: "a tag Allow grants GetObject", req: act(bob, "s3:GetObject"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) { tagAllow(ec); bobAll(ec) }), want: evaluate.Allow},
		{name: "a tag Allow grants PutObjectTagging", req: act(bob, "s3:PutObjectTagging"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) { tagAllow(ec); bobAll(ec) }), want: evaluate.Allow},
		{name: "a tag Allow does not grant overwriting", req: act(bob, "s3:PutObject"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) { tagAllow(ec); bobAll(ec) }), want: evaluate.ImplicitDeny},
		{name: "a tag Allow does not grant deleting", req: act(bob, "s3:DeleteObject"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) { tagAllow(ec); bobAll(ec) }), want: evaluate.ImplicitDeny},
		{name: "a negated tag Deny spares a tagged read", req: act(user(acctA, "dave"), "s3:GetObject"),
			ec: with(world(t, acctA), tagDeny), want: evaluate.Allow},
		{name: "a negated tag Deny applies to a delete: the key is absent", req: act(user(acctA, "dave"), "s3:DeleteObject"),
			ec: with(world(t, acctA), tagDeny), want: evaluate.ExplicitDeny, stage: evaluate.StageBucket, code: evaluate.CodeExplicitDeny},
		// A caller-supplied key follows the same table: s3:prefix is a key
		// of the list actions ("Amazon S3 condition key examples",
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html).
		{name: "s3:prefix holds for ListBucket", req: keyed(evaluate.Request{Principal: bob, Action: "s3:ListBucket", Bucket: "bkt"}, "s3:prefix", "public/"),
			ec: with(world(t, ""), func(ec *evaluate.Context) { prefixAllow(ec); bobAll(ec) }), want: evaluate.Allow},
		{name: "s3:prefix supplied with GetObject is absent", req: keyed(act(bob, "s3:GetObject"), "s3:prefix", "public/"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) { prefixAllow(ec); bobAll(ec) }), want: evaluate.ImplicitDeny},
		{name: "S3:PREFIX in any case is the same key", req: keyed(act(bob, "s3:GetObject"), "S3:PREFIX", "public/"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) { prefixAllow(ec); bobAll(ec) }), want: evaluate.ImplicitDeny},
		{name: "an s3: key outside the catalog is in no context", req: keyed(act(user(acctA, "dave"), "s3:GetObject"), "s3:no-such-key", "x"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) {
				ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:no-such-key":"x"}}}]}`)}
			}), want: evaluate.ImplicitDeny},
		{name: "a key of another service is the caller's", req: keyed(act(user(acctA, "dave"), "s3:GetObject"), "custom:key", "x"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) {
				ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"custom:key":"x"}}}]}`)}
			}), want: evaluate.Allow},
		// The global tag keys are per action too: PutObject's tags are
		// s3:RequestObjectTag/<key>, never aws:RequestTag/<key>.
		{name: "aws:RequestTag supplied with PutObject is absent", req: keyed(act(user(acctA, "dave"), "s3:PutObject"), "aws:RequestTag/team", "red"),
			ec: with(world(t, ""), func(ec *evaluate.Context) {
				ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"red"}}}]}`)}
			}), want: evaluate.ImplicitDeny},
		{name: "s3:RequestObjectTag supplied with PutObject is present", req: keyed(act(user(acctA, "dave"), "s3:PutObject"), "s3:RequestObjectTag/team", "red"),
			ec: with(world(t, ""), func(ec *evaluate.Context) {
				ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"s3:RequestObjectTag/team":"red"}}}]}`)}
			}), want: evaluate.Allow},
		// s3:ResourceAccount is in the context of nearly every action, but
		// not of s3:PutAccessPointPublicAccessBlock.
		{name: "s3:ResourceAccount on GetObject", req: act(user(acctA, "dave"), "s3:GetObject"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) {
				ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:ResourceAccount":"`+acctA+`"}}}]}`)}
			}), want: evaluate.Allow},
		// Policy variables read the same context: ${s3:prefix} has no
		// value for GetObject, so the resource names nothing.
		{name: "a variable on a key out of the context has no value", req: keyed(act(user(acctA, "dave"), "s3:GetObject"), "s3:prefix", "k"),
			ec: with(world(t, acctA), func(ec *evaluate.Context) {
				ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/${s3:prefix}"}]}`)}
			}), want: evaluate.ImplicitDeny},
	})
}

// TestTraceNamesKeysOutOfContext checks that a trace says when a condition
// found a key absent because the action's context has no such key.
func TestTraceNamesKeysOutOfContext(t *testing.T) {
	ec := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.Object.Tags = []ownership.Tag{{Key: "team", Value: "red"}}
		ec.BucketPolicy = bucketPolicy(t, `{"Sid":"Tagged","Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:*","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/team":"red"}}}`)
	})
	req := evaluate.Request{Principal: root(acctB), Action: "s3:DeleteObject", Bucket: "bkt", Key: "k", Trace: true}
	d, diag := evaluate.Evaluate(req, ec)
	assert.Equal(t, evaluate.ImplicitDeny, d)
	var notes []string
	for _, s := range diag.Trace {
		if s.Sid == "Tagged" {
			notes = append(notes, s.Note)
		}
	}
	require.NotEmpty(t, notes)
	assert.Contains(t, strings.Join(notes, "\n"), "StringEquals s3:ExistingObjectTag/team: not in the request context of s3:DeleteObject")

	req.Action = "s3:GetObject"
	d, diag = evaluate.Evaluate(req, ec)
	assert.Equal(t, evaluate.Allow, d)
	for _, s := range diag.Trace {
		assert.NotContains(t, s.Note, "not in the request context", "GetObject has the key")
	}
}

// TestTimeKeysAreAlwaysPresent checks that aws:CurrentTime and
// aws:EpochTime are in every request's context ("This key is always
// included in the request context", AWS global condition context keys,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime):
// a request without a time is dated by the host's clock, never left
// without one, so an expiry Deny cannot be skipped.
func TestTimeKeysAreAlwaysPresent(t *testing.T) {
	expiry := func(clock func() time.Time) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},`+
				`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}`)
			ec.Now = clock
		})
	}
	epoch := func(clock func() time.Time) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"NumericLessThan":{"aws:EpochTime":"1893456000"}}}`)
			ec.Now = clock
		})
	}
	// A Deny for requests dated before 2020: the machine's clock is past it.
	past := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},`+
			`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}`)
	})
	fixed := func(y int) func() time.Time {
		return func() time.Time { return time.Date(y, 1, 2, 0, 0, 0, 0, time.UTC) }
	}
	anon := getObject(ownership.Anonymous())
	at := func(y int) evaluate.Request {
		r := anon
		r.Time = time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC)
		return r
	}
	runRules(t, []ruleCase{
		{name: "before expiry by the request time", req: at(2029), ec: expiry(fixed(2031)), want: evaluate.Allow},
		{name: "after expiry by the request time", req: at(2031), ec: expiry(fixed(2029)), want: evaluate.ExplicitDeny},
		{name: "no request time: the host's clock, before expiry", req: anon, ec: expiry(fixed(2029)), want: evaluate.Allow},
		{name: "no request time: the host's clock, after expiry", req: anon, ec: expiry(fixed(2031)), want: evaluate.ExplicitDeny},
		{name: "no request time and no clock: now, which is before 2030", req: anon, ec: expiry(nil), want: evaluate.Allow},
		{name: "no request time and no clock: now, which is after 2020", req: anon, ec: past, want: evaluate.Allow},
		{name: "aws:EpochTime by the clock, before", req: anon, ec: epoch(fixed(2029)), want: evaluate.Allow},
		{name: "aws:EpochTime by the clock, after", req: anon, ec: epoch(fixed(2031)), want: evaluate.ImplicitDeny},
		{name: "aws:EpochTime by the request time", req: at(2031), ec: epoch(fixed(2029)), want: evaluate.ImplicitDeny},
	})

	// The clock is read once per evaluation, and only when a time key is.
	calls := 0
	counting := func() time.Time { calls++; return time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC) }
	both := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"NumericLessThan":{"aws:EpochTime":"1893456000"}}}`)
		ec.Now = counting
	})
	d, _ := evaluate.Evaluate(anon, both)
	assert.Equal(t, evaluate.Allow, d)
	assert.Equal(t, 1, calls)
	none := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}`)
		ec.Now = counting
	})
	d, _ = evaluate.Evaluate(anon, none)
	assert.Equal(t, evaluate.Allow, d)
	assert.Equal(t, 1, calls, "no time key, no clock")
}

// TestAlwaysPresentKeysDefault checks the keys AWS always includes in the
// request context that the host supplies: aws:SecureTransport and
// aws:ViaAWSService ("This key is always included in the request
// context", AWS global condition context keys,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport).
// A host that does not supply one gets "false", never an absent key, so
// the usual TLS-only Deny holds.
func TestAlwaysPresentKeysDefault(t *testing.T) {
	tlsOnly := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},`+
			`{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`)
	})
	needsTLS := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`)
	})
	direct := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"Bool":{"aws:ViaAWSService":"false"}}}`)
	})
	anon := getObject(ownership.Anonymous())
	keyed := func(name, value string) evaluate.Request {
		r := anon
		r.Keys = &evaluate.Keys{}
		r.Keys.Set(name, value)
		return r
	}
	runRules(t, []ruleCase{
		{name: "no aws:SecureTransport from the host: false, the TLS-only Deny holds", req: anon, ec: tlsOnly, want: evaluate.ExplicitDeny},
		{name: "aws:SecureTransport true from the host", req: keyed("aws:SecureTransport", "true"), ec: tlsOnly, want: evaluate.Allow},
		{name: "aws:SecureTransport false from the host", req: keyed("aws:SecureTransport", "false"), ec: tlsOnly, want: evaluate.ExplicitDeny},
		{name: "an Allow requiring TLS grants nothing without it", req: anon, ec: needsTLS, want: evaluate.ImplicitDeny},
		{name: "an Allow requiring TLS grants with it", req: keyed("aws:SecureTransport", "true"), ec: needsTLS, want: evaluate.Allow},
		{name: "no aws:ViaAWSService from the host: a direct call", req: anon, ec: direct, want: evaluate.Allow},
		{name: "aws:ViaAWSService true from the host", req: keyed("aws:ViaAWSService", "true"), ec: direct, want: evaluate.ImplicitDeny},
	})
}

// TestBucketTagsNeedABAC checks that a bucket's tags are aws:ResourceTag/<key>
// and s3:BucketTag/<key> only once ABAC is on for the bucket: "S3 evaluates
// this condition key only after you enable ABAC on your bucket" ("Using
// tags with S3 general purpose buckets",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging.html).
// A value the caller supplies is never seen: the bucket record decides.
func TestBucketTagsNeedABAC(t *testing.T) {
	abacWorld := func(abac bool, key string) evaluate.Context {
		return with(world(t, acctA), func(ec *evaluate.Context) {
			ec.Bucket.Tags = []ownership.Tag{{Key: "dept", Value: "marketing"}}
			ec.Bucket.ABAC = abac
			ec.BucketPolicy = bucketPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"],"Condition":{"StringEquals":{"`+key+`":"marketing"}}}`)
		})
	}
	bob := root(acctB)
	forged := getObject(bob)
	forged.Keys = &evaluate.Keys{}
	forged.Keys.Set("aws:ResourceTag/dept", "marketing")
	forged.Keys.Set("s3:BucketTag/dept", "marketing")
	runRules(t, []ruleCase{
		{name: "ABAC on: aws:ResourceTag is the bucket's tag, for its objects", req: getObject(bob), ec: abacWorld(true, "aws:ResourceTag/dept"), want: evaluate.Allow},
		{name: "ABAC on: aws:ResourceTag for the bucket", req: listBucket(bob), ec: abacWorld(true, "aws:ResourceTag/dept"), want: evaluate.Allow},
		{name: "ABAC on: s3:BucketTag", req: getObject(bob), ec: abacWorld(true, "s3:BucketTag/dept"), want: evaluate.Allow},
		{name: "ABAC off: tags are for cost allocation only", req: getObject(bob), ec: abacWorld(false, "aws:ResourceTag/dept"), want: evaluate.ImplicitDeny},
		{name: "ABAC off: s3:BucketTag absent too", req: getObject(bob), ec: abacWorld(false, "s3:BucketTag/dept"), want: evaluate.ImplicitDeny},
		{name: "a supplied aws:ResourceTag is a forgery", req: forged, ec: abacWorld(false, "aws:ResourceTag/dept"), want: evaluate.ImplicitDeny},
		{name: "a supplied s3:BucketTag is a forgery", req: forged, ec: abacWorld(false, "s3:BucketTag/dept"), want: evaluate.ImplicitDeny},
	})
}

// TestBoolValuesTakeVariables checks Bool values that hold policy variables,
// which the condition operators page allows ("Boolean condition
// operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean):
// the value is read once substituted; a variable without a value, or whose
// value is no boolean, matches nothing.
func TestBoolValuesTakeVariables(t *testing.T) {
	ec := with(world(t, acctA), func(ec *evaluate.Context) {
		ec.Identity = []*evaluate.Prepared{prep(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"${aws:PrincipalTag/tls}"}}}]}`)}
	})
	req := func(tag, tls string) evaluate.Request {
		r := getObject(user(acctA, "dave"))
		if tag != "" {
			r.PrincipalTags = []ownership.Tag{{Key: "tls", Value: tag}}
		}
		r.Keys = &evaluate.Keys{}
		r.Keys.Set("aws:SecureTransport", tls)
		return r
	}
	runRules(t, []ruleCase{
		{name: "the tag says TLS and the request has it", req: req("true", "true"), ec: ec, want: evaluate.Allow},
		{name: "the tag says TLS and the request has none", req: req("true", "false"), ec: ec, want: evaluate.ImplicitDeny},
		{name: "the tag says no TLS: a plain request matches", req: req("FALSE", "false"), ec: ec, want: evaluate.Allow},
		{name: "no tag: the variable has no value", req: req("", "true"), ec: ec, want: evaluate.ImplicitDeny},
		{name: "a tag that is no boolean matches nothing", req: req("yes", "true"), ec: ec, want: evaluate.ImplicitDeny},
	})
}

// TestTraceNamesTheFailingCondition checks that a trace names, for a
// statement whose conditions did not apply, the condition that failed: its
// operator, its key and why.
func TestTraceNamesTheFailingCondition(t *testing.T) {
	bob := root(acctB)
	list := evaluate.Request{Principal: bob, Action: "s3:ListBucket", Bucket: "bkt", Trace: true}
	keyed := func(r evaluate.Request, kv ...string) evaluate.Request {
		r.Keys = &evaluate.Keys{}
		for i := 0; i+1 < len(kv); i += 2 {
			r.Keys.Set(kv[i], kv[i+1])
		}
		return r
	}
	get := getObject(bob)
	get.Trace = true
	tests := []struct {
		name string
		stmt string
		req  evaluate.Request
		note string
	}{
		{name: "a key the request lacks",
			stmt: `{"Sid":"S","Effect":"Allow","Principal":{"AWS":"` + acctB + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"StringLike":{"s3:prefix":"home/*"}}}`,
			req:  list, note: "conditions do not hold: StringLike s3:prefix: key absent"},
		{name: "an address outside the blocks",
			stmt: `{"Sid":"S","Effect":"Allow","Principal":{"AWS":"` + acctB + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","10.0.0.0/8"]}}}`,
			req:  keyed(get, "aws:SourceIp", "203.0.113.9"), note: "conditions do not hold: IpAddress aws:SourceIp: 203.0.113.9 is in none of 2 blocks"},
		{name: "the second condition of a block",
			stmt: `{"Sid":"S","Effect":"Allow","Principal":{"AWS":"` + acctB + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"StringLike":{"s3:prefix":"home/*"},"StringEquals":{"s3:delimiter":"/"}}}`,
			req:  keyed(list, "s3:prefix", "home/x", "s3:delimiter", "-"), note: `conditions do not hold: StringEquals s3:delimiter: "-" matches none of 1 value`},
		{name: "a negated operator",
			stmt: `{"Sid":"S","Effect":"Allow","Principal":{"AWS":"` + acctB + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"StringNotEquals":{"s3:prefix":["secret/","private/"]}}}`,
			req:  keyed(list, "s3:prefix", "secret/"), note: `conditions do not hold: StringNotEquals s3:prefix: "secret/" matches one of 2 values`},
		{name: "a value that cannot be read",
			stmt: `{"Sid":"S","Effect":"Allow","Principal":{"AWS":"` + acctB + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"NumericLessThan":{"s3:max-keys":"100"}}}`,
			req:  keyed(list, "s3:max-keys", "ten"), note: `conditions could not be evaluated: NumericLessThan s3:max-keys: /Statement/0/Condition/NumericLessThan/s3:max-keys: request value "ten" is not a number`},
		{name: "Null",
			stmt: `{"Sid":"S","Effect":"Allow","Principal":{"AWS":"` + acctB + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::bkt","Condition":{"Null":{"s3:prefix":"true"}}}`,
			req:  keyed(list, "s3:prefix", "x"), note: "conditions do not hold: Null s3:prefix: key present"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ec := with(world(t, ""), func(ec *evaluate.Context) { ec.BucketPolicy = bucketPolicy(t, tc.stmt) })
			d, diag := evaluate.Evaluate(tc.req, ec)
			assert.Equal(t, evaluate.ImplicitDeny, d)
			var notes []string
			for _, s := range diag.Trace {
				if s.Sid == "S" {
					notes = append(notes, s.Note)
				}
			}
			assert.Contains(t, notes, tc.note)
		})
	}
}
