package evaluate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// The tests below hold what Prepare works out to the plain definitions it
// replaces: matching the whole ARN with the pattern, testing each catalog
// action with the pattern, comparing principal ARNs as strings.

func mustPolicy(t *testing.T, kind policy.Kind, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse(kind, []byte(doc))
	require.NoError(t, err)
	return p
}

// resourceSamples are Resource patterns of every shape, and targets near
// them.
var resourceSamples = struct {
	patterns []string
	targets  []target
}{
	patterns: []string{
		"*", "arn:aws:s3:::*", "arn:aws:s3:::bkt", "arn:aws:s3:::bkt/", "arn:aws:s3:::bkt/*", "arn:aws:s3:::bkt*",
		"arn:aws:s3:::bk*", "arn:aws:s3:::bkt/a", "arn:aws:s3:::bkt/a*", "arn:aws:s3:::bkt/a/b*", "arn:aws:s3:::bkt/a/*",
		"arn:aws-cn:s3:::bkt/*", "arn:aws:s3:::bkt/*/x", "arn:aws:s3:::bkt/?", "arn:aws:s3:::b?t/*",
		"arn:aws:s3:us-east-1::bkt/*", "arn:*:s3:::bkt/*", "arn:aws:s3:::bkt2/*", "arn:aws:s3:::other",
		"arn:aws:s3:::bkt/a/b", "arn:aws:s3:::bkt//", "arn:aws:iam::111122223333:root",
	},
	targets: []target{
		{"aws", "bkt", "", false}, {"aws", "bkt", "a", true}, {"aws", "bkt", "a/b", true}, {"aws", "bkt", "a/bc", true},
		{"aws", "bkt", "ab", true}, {"aws", "bkt", "x", true}, {"aws", "bkt", "/", true}, {"aws", "bkt2", "a", true},
		{"aws", "bk", "", false}, {"aws", "*", "", false}, {"aws-cn", "bkt", "a", true}, {"aws", "other", "", false},
		{"aws", "bkt", "y/x", true}, {"aws", "bkt", "a/", true},
	},
}

func TestResourcePartsAgreeWithWholeARN(t *testing.T) {
	for _, text := range resourceSamples.patterns {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"` + text + `"}]}`
		p := mustPolicy(t, policy.Identity, doc)
		pat := &p.Statements[0].Resource[0]
		r := compileResource(pat)
		for _, tg := range resourceSamples.targets {
			arn := string(tg.arn(nil))
			got, whole := r.matchParts(&tg)
			if whole {
				assert.Equal(t, resWhole, r.shape, "%s", text)
				continue
			}
			assert.Equal(t, pat.Match(arn), got, "pattern %s, resource %s", text, arn)
		}
	}
}

// TestResourceIndexFindsEveryMatch checks, on random policies of the
// sample patterns, that the index's candidates include every statement
// whose Resource (or NotResource) matches, in ascending order.
func TestResourceIndexFindsEveryMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pats := resourceSamples.patterns
	for round := range 50 {
		var stmts []string
		for i := range 20 + rng.IntN(20) {
			elem := "Resource"
			if rng.IntN(8) == 0 {
				elem = "NotResource"
			}
			list := []string{}
			for range 1 + rng.IntN(3) {
				list = append(list, `"`+pats[rng.IntN(len(pats))]+`"`)
			}
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":"s3:*","%s":[%s]}`, i, elem, strings.Join(list, ",")))
		}
		p := mustPolicy(t, policy.Identity, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)
		pp, err := Prepare(p)
		require.NoError(t, err)
		require.True(t, pp.indexed(false))
		for _, tg := range resourceSamples.targets {
			arn := string(tg.arn(nil))
			cands := pp.index.candidates(&tg, nil)
			assert.IsIncreasing(t, cands)
			for i := range p.Statements {
				st := &p.Statements[i]
				m := false
				for _, r := range st.Resource {
					m = m || r.Match(arn)
				}
				if st.NotResource != nil {
					m = true
					for _, r := range st.NotResource {
						m = m && !r.Match(arn)
					}
				}
				if m {
					assert.Contains(t, cands, int32(i), "round %d: statement %d matches %s", round, i, arn)
				}
			}
		}
	}
}

func TestActionSetsAgreeWithPatterns(t *testing.T) {
	patterns := []string{"*", "s3:*", "s3:Get*", "S3:GETOBJECT", "s3:*Object", "s3:Put?bject", "s3:List*", "s3:Nope", "s3:*Acl", "iam:*", "s3:GetObject*"}
	sets := newActionSets()
	for _, elem := range []string{"Action", "NotAction"} {
		for _, text := range patterns {
			p := mustPolicy(t, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","`+elem+`":"`+text+`","Resource":"*"}]}`)
			st := &p.Statements[0]
			set := sets.statement(st)
			for _, a := range policy.Actions() {
				var want bool
				if st.Action != nil {
					want = st.Action[0].Match(a.Name)
				} else {
					want = !st.NotAction[0].Match(a.Name)
				}
				assert.Equal(t, want, set.has(a.Index), "%s %s on %s", elem, text, a.Name)
			}
		}
	}
}

// referencePrincipalMatch is the plain reading of one {"AWS": ...} entry:
// string comparisons of the entry with the caller's ARNs. User and role
// names are unique in an account whatever their path, so an entry names a
// user or role by its last path segment.
func referencePrincipalMatch(v string, p *ownership.Principal) grantKind {
	acct := p.Account()
	if acct == "" || p.IsService() {
		return grantNone
	}
	a := string(acct)
	if v == a || v == "arn:"+p.Partition()+":iam::"+a+":root" {
		if p.IsRoot() {
			return grantDirect
		}
		return grantAccount
	}
	if id := p.UniqueID(); id != "" && v == id {
		return grantDirect
	}
	switch p.Type() {
	case ownership.PrincipalUser:
		if strings.HasPrefix(v, "arn:"+p.Partition()+":iam::"+a+":user/") && strings.HasSuffix(v, "/"+p.Name()) {
			return grantDirect
		}
	case ownership.PrincipalAssumedRole:
		if v == p.ARN() {
			return grantDirect
		}
		if strings.HasPrefix(v, "arn:"+p.Partition()+":iam::"+a+":role/") && strings.HasSuffix(v, "/"+p.Name()) {
			return grantRole
		}
	case ownership.PrincipalFederatedUser:
		if v == p.ARN() {
			return grantDirect
		}
	}
	return grantNone
}

func TestPrincipalIDsAgreeWithStrings(t *testing.T) {
	const a, b = "111122223333", "444455556666"
	callers := []string{
		"arn:aws:iam::" + a + ":root", "arn:aws:iam::" + a + ":user/alice", "arn:aws:iam::" + a + ":user/ops/alice",
		"arn:aws:sts::" + a + ":assumed-role/Admin/s1", "arn:aws:sts::" + a + ":federated-user/fed",
		"arn:aws:iam::" + b + ":user/alice", "arn:aws-cn:iam::" + a + ":user/alice",
	}
	entries := []string{
		a, b, "arn:aws:iam::" + a + ":root", "arn:aws-cn:iam::" + a + ":root", "arn:aws:iam::" + b + ":root",
		"arn:aws:iam::" + a + ":user/alice", "arn:aws:iam::" + a + ":user/ops/alice", "arn:aws:iam::" + a + ":user/bob",
		"arn:aws:iam::" + b + ":user/alice", "arn:aws:iam::" + a + ":role/Admin", "arn:aws:iam::" + a + ":role/team/Admin",
		"arn:aws:sts::" + a + ":assumed-role/Admin/s1", "arn:aws:sts::" + a + ":assumed-role/Admin/s2",
		"arn:aws:sts::" + a + ":federated-user/fed", "AIDAEXAMPLEUNIQUEID1", "arn:aws:s3:::bkt", "arn:aws-cn:iam::" + a + ":user/alice",
	}
	for _, arn := range callers {
		p, err := ownership.ParsePrincipal(arn)
		require.NoError(t, err)
		if p.Type() == ownership.PrincipalUser {
			p, err = p.WithUniqueID("AIDAEXAMPLEUNIQUEID1")
			require.NoError(t, err)
		}
		acct := p.Account()
		c := newCaller(&p, string(acct), "")
		for _, v := range entries {
			e := readAWSPrincipal(v)
			assert.Equal(t, referencePrincipalMatch(v, &p), e.match(&c, &p), "caller %s, entry %s", arn, v)
		}
	}
}

// TestPrepareCondFailsClosed checks prepareCond on conditions Validate
// would refuse, which Prepare never hands it unless the policy changes
// between the two: each is an error, never a value read as zero.
func TestPrepareCondFailsClosed(t *testing.T) {
	tests := []struct {
		name string
		cond policy.Condition
	}{
		{name: "number", cond: policy.Condition{Operator: policy.NumericEquals, Values: []policy.Value{{Text: "5"}, {Text: "ten"}}}},
		{name: "date", cond: policy.Condition{Operator: policy.DateLessThan, Values: []policy.Value{{Text: "2020-13-01"}}}},
		{name: "bool", cond: policy.Condition{Operator: policy.Bool, Values: []policy.Value{{Text: "yes"}}}},
		{name: "null", cond: policy.Condition{Operator: policy.Null, Values: []policy.Value{{Text: "1"}}}},
		{name: "base64", cond: policy.Condition{Operator: policy.BinaryEquals, Values: []policy.Value{{Text: "!"}}}},
		{name: "cidr", cond: policy.Condition{Operator: policy.IpAddress, Values: []policy.Value{{Text: "10.0.0.0/33"}}}},
		{name: "arn", cond: policy.Condition{Operator: policy.ArnLike, Values: []policy.Value{{Text: "arn:aws"}}}},
		{name: "arn-variable-cut", cond: policy.Condition{Operator: policy.ArnLike, Values: []policy.Value{{Text: "arn:a:b:${aws:x, '}:'}:d:e"}}}},
		{name: "no-operator", cond: policy.Condition{Values: []policy.Value{{Text: "x"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cond.Key, tc.cond.Pointer = "example:k", "/Statement/0/Condition/X/example:k"
			c, err := prepareCond(&tc.cond, true, newActionSets())
			assert.Nil(t, c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.cond.Pointer)
			assert.Error(t, (&policy.Policy{Version: policy.Version2012, Statements: []policy.Statement{{Conditions: []policy.Condition{tc.cond}}}}).Validate(),
				"Validate refuses it too")
		})
	}
}

// TestKeyScopesAgreeWithTheCatalog holds the action set Prepare keeps for a
// condition key to policy.ActionInfo.HasConditionKey, for every action and
// every catalog key (a tag family with a tag key), in any case, and for
// keys outside the catalog; conditions on one key share one set.
func TestKeyScopesAgreeWithTheCatalog(t *testing.T) {
	acts := newActionSets()
	names := []string{"s3:no-such-key", "custom:key", "aws:NoSuchKey"}
	for _, k := range policy.ConditionKeys() {
		names = append(names, strings.Replace(k.Name, "<key>", "Team", 1))
	}
	for _, name := range names {
		for _, n := range []string{name, strings.ToUpper(name)} {
			lower := strings.ToLower(n)
			s := acts.keyScope(lower)
			for _, a := range policy.Actions() {
				in := s == nil || s.has(a.Index)
				assert.Equal(t, a.HasConditionKey(n), in, "%s in the context of %s", n, a.Name)
			}
		}
	}
	a, b := acts.keyScope("s3:existingobjecttag/a"), acts.keyScope("s3:existingobjecttag/b")
	assert.Same(t, a, b, "one set per key")
	assert.True(t, acts.keyScope("s3:no-such-key").empty())
	assert.Nil(t, acts.keyScope("aws:sourceip"))
}

// TestPerActionNamesCoverTheCatalog holds perActionName, the filter before
// the catalog lookup of a policy variable, to every per-action key.
func TestPerActionNamesCoverTheCatalog(t *testing.T) {
	for _, k := range policy.ConditionKeys() {
		name := strings.ToLower(strings.Replace(k.Name, "<key>", "team", 1))
		assert.Equal(t, k.PerAction(), perActionName(name), k.Name)
	}
}
