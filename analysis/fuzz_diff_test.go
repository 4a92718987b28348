package analysis

import (
	"reflect"
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/policy"
)

// FuzzDiff holds NoNewAccess to its guarantees on any pair of policies
// that parse: no panic, the same result twice, no Fail of a policy against
// itself, and every Fail's witness allowed by the new policy and not by the
// old one when replayed.
func FuzzDiff(f *testing.F) {
	seeds := [][2]string{
		{dtReference, dtBucket(dtGetAny)},
		{dtReference, dtBucket(dtWithCond(`"*"`, "s3:PutObject", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/MyOtherRole"}}`))},
		{dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"}}`)), dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"IpAddress":{"aws:SourceIp":"54.240.0.0/16"}}`))},
		{dtAccount(`"s3:GetObject"`), dtAccount(`"s3:Get*"`)},
		{dtBucket(dtGetAny, dtDenyPlain), dtBucket(dtGetAny)},
		{dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"Bool":{"aws:SecureTransport":"true"}}`)), dtBucket(dtWithCond(`"*"`, "s3:GetObject", `{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`))},
		{dtBucket(dtWithCond(`"*"`, "s3:PutObject", `{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["a"]}}`)), dtBucket(dtWithCond(`"*"`, "s3:PutObject", `{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["a","b"]}}`))},
	}
	for _, s := range seeds {
		f.Add([]byte(s[0]), []byte(s[1]), false)
	}
	f.Add([]byte(dtIdentity(`"s3:GetObject"`, dtHomeVar)), []byte(dtIdentity(`"s3:GetObject"`, "arn:aws:s3:::my-bucket/home/*")), true)
	f.Add([]byte(dtIdentity(`"s3:GetObject"`, dtHomeVar)), []byte(dtIdentity(`["s3:GetObject","s3:DeleteObject"]`, dtHomeVar)), true)
	f.Fuzz(func(t *testing.T, a, b []byte, identity bool) {
		kind := policy.Bucket
		if identity {
			kind = policy.Identity
		}
		old, err := policy.Parse(kind, a)
		if err != nil {
			return
		}
		nw, err := policy.Parse(kind, b)
		if err != nil {
			return
		}
		o := DiffOptions{MaxCells: 2000}
		r1 := NoNewAccess(old, nw, o)
		r2 := NoNewAccess(old, nw, o)
		if !reflect.DeepEqual(r1, r2) {
			t.Fatalf("not deterministic:\n%+v\n%+v", r1, r2)
		}
		if self := NoNewAccess(nw, nw, o); self.Verdict == Fail {
			t.Fatalf("NoNewAccess(p, p) is FAIL: %s", self.Witness)
		}
		if r1.Verdict != Fail {
			if r1.Witness != nil {
				t.Fatal("a witness without Fail")
			}
			return
		}
		ok, err := dfReplay(r1.Witness, evaluate.MustPrepare(nw))
		if err != nil || !ok {
			t.Fatalf("witness %s not allowed by new (%v)", r1.Witness, err)
		}
		ok, err = dfReplay(r1.Witness, evaluate.MustPrepare(old))
		if err != nil || ok {
			t.Fatalf("witness %s allowed by old (%v)", r1.Witness, err)
		}
	})
}
