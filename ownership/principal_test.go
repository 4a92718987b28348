package ownership_test

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/ownership"
)

// keys is every principal-derived value; "-" marks an absent key.
type keys struct {
	arn, account, typ, username, userid string
}

func derived(p ownership.Principal) keys {
	get := func(v string, ok bool) string {
		if !ok {
			return "-"
		}
		return v
	}
	return keys{
		arn:      get(p.ConditionKey("aws:PrincipalArn")),
		account:  get(p.ConditionKey("aws:PrincipalAccount")),
		typ:      get(p.ConditionKey("aws:PrincipalType")),
		username: get(p.ConditionKey("aws:username")),
		userid:   get(p.ConditionKey("aws:userid")),
	}
}

func TestParsePrincipalValid(t *testing.T) {
	tests := []struct {
		name      string
		arn       string
		typ       ownership.PrincipalType
		account   ownership.AccountID
		partition string
		pname     string
		path      string
		session   string
		keys      keys
	}{
		{
			name: "root", arn: "arn:aws:iam::111122223333:root",
			typ: ownership.PrincipalRoot, account: "111122223333", partition: "aws",
			keys: keys{"arn:aws:iam::111122223333:root", "111122223333", "Account", "-", "111122223333"},
		},
		{
			name: "root in aws-cn", arn: "arn:aws-cn:iam::111122223333:root",
			typ: ownership.PrincipalRoot, account: "111122223333", partition: "aws-cn",
			keys: keys{"arn:aws-cn:iam::111122223333:root", "111122223333", "Account", "-", "111122223333"},
		},
		{
			name: "user without path", arn: "arn:aws:iam::111122223333:user/Alice",
			typ: ownership.PrincipalUser, account: "111122223333", partition: "aws", pname: "Alice", path: "/",
			keys: keys{"arn:aws:iam::111122223333:user/Alice", "111122223333", "User", "Alice", "-"},
		},
		{
			name: "user with one-segment path", arn: "arn:aws:iam::222233334444:user/s3-tests/s3-tests-name",
			typ: ownership.PrincipalUser, account: "222233334444", partition: "aws", pname: "s3-tests-name", path: "/s3-tests/",
			keys: keys{"arn:aws:iam::222233334444:user/s3-tests/s3-tests-name", "222233334444", "User", "s3-tests-name", "-"},
		},
		{
			name: "user with two-segment path", arn: "arn:aws-us-gov:iam::111122223333:user/division/team/bob",
			typ: ownership.PrincipalUser, account: "111122223333", partition: "aws-us-gov", pname: "bob", path: "/division/team/",
			keys: keys{"arn:aws-us-gov:iam::111122223333:user/division/team/bob", "111122223333", "User", "bob", "-"},
		},
		{
			name: "user name with every punctuation IAM allows", arn: "arn:aws:iam::111122223333:user/a+b=c,d.e@f_g-h",
			typ: ownership.PrincipalUser, account: "111122223333", partition: "aws", pname: "a+b=c,d.e@f_g-h", path: "/",
			keys: keys{"arn:aws:iam::111122223333:user/a+b=c,d.e@f_g-h", "111122223333", "User", "a+b=c,d.e@f_g-h", "-"},
		},
		{
			name: "user path with colon and star", arn: "arn:aws:iam::111122223333:user/a:b*/n",
			typ: ownership.PrincipalUser, account: "111122223333", partition: "aws", pname: "n", path: "/a:b*/",
			keys: keys{"arn:aws:iam::111122223333:user/a:b*/n", "111122223333", "User", "n", "-"},
		},
		{
			name: "assumed role", arn: "arn:aws:sts::111122223333:assumed-role/analyst/sess1",
			typ: ownership.PrincipalAssumedRole, account: "111122223333", partition: "aws", pname: "analyst", session: "sess1",
			keys: keys{"arn:aws:iam::111122223333:role/analyst", "111122223333", "AssumedRole", "-", "-"},
		},
		{
			name: "assumed role with e-mail session", arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/jane@example.com",
			typ: ownership.PrincipalAssumedRole, account: "111122223333", partition: "aws", pname: "AWSReservedSSO_Admin_0123", session: "jane@example.com",
			keys: keys{"arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123", "111122223333", "AssumedRole", "-", "-"},
		},
		{
			name: "assumed role with one-character session", arn: "arn:aws:sts::111122223333:assumed-role/fn-role/f",
			typ: ownership.PrincipalAssumedRole, account: "111122223333", partition: "aws", pname: "fn-role", session: "f",
			keys: keys{"arn:aws:iam::111122223333:role/fn-role", "111122223333", "AssumedRole", "-", "-"},
		},
		{
			name: "federated user", arn: "arn:aws:sts::111122223333:federated-user/Bob",
			typ: ownership.PrincipalFederatedUser, account: "111122223333", partition: "aws", pname: "Bob",
			keys: keys{"arn:aws:sts::111122223333:federated-user/Bob", "111122223333", "FederatedUser", "-", "111122223333:Bob"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ownership.ParsePrincipal(tc.arn)
			require.NoError(t, err)
			assert.True(t, p.IsValid())
			assert.Equal(t, tc.typ, p.Type())
			assert.Equal(t, tc.account, p.Account())
			assert.Equal(t, tc.partition, p.Partition())
			assert.Equal(t, tc.arn, p.ARN())
			assert.Equal(t, tc.arn, p.String())
			assert.Equal(t, tc.pname, p.Name())
			assert.Equal(t, tc.path, p.Path())
			assert.Equal(t, tc.session, p.Session())
			assert.Empty(t, p.Service())
			assert.Empty(t, p.UniqueID())
			assert.Equal(t, tc.keys, derived(p))
			assert.Equal(t, tc.typ == ownership.PrincipalRoot, p.IsRoot())
			assert.False(t, p.IsAnonymous())
			assert.False(t, p.IsService())
			assert.Equal(t, p, ownership.MustParsePrincipal(tc.arn))
		})
	}
}

func TestParsePrincipalInvalid(t *testing.T) {
	long := strings.Repeat("a", 65)
	tests := []struct {
		name string
		arn  string
		want string // a fragment of the message
	}{
		{"empty", "", "want an ARN"},
		{"not an ARN", "alice", "want an ARN"},
		{"account ID alone", "111122223333", "want an ARN"},
		{"star", "*", "want an ARN"},
		{"upper-case ARN prefix", "ARN:aws:iam::111122223333:root", "want an ARN"},
		{"too few colons", "arn:aws:iam::111122223333", "want an ARN"},
		{"unknown partition", "arn:azure:iam::111122223333:root", "unknown partition"},
		{"empty partition", "arn::iam::111122223333:root", "unknown partition"},
		{"partition aws- alone", "arn:aws-:iam::111122223333:root", "unknown partition"},
		{"region set", "arn:aws:iam:us-east-1:111122223333:root", "empty region"},
		{"short account", "arn:aws:iam::11112222333:root", "12-digit"},
		{"empty account", "arn:aws:iam:::root", "12-digit"},
		{"letters in account", "arn:aws:iam::11112222333a:root", "12-digit"},
		{"role ARN", "arn:aws:iam::111122223333:role/analyst", "a role ARN names a role, not a caller"},
		{"role ARN with path", "arn:aws:iam::111122223333:role/service-role/analyst", "assumed-role/ROLE/SESSION"},
		{"group ARN", "arn:aws:iam::111122223333:group/admins", "\"root\" or \"user/[PATH/]NAME\""},
		{"root with suffix", "arn:aws:iam::111122223333:root/x", "\"root\" or"},
		{"Root capitalised", "arn:aws:iam::111122223333:Root", "\"root\" or"},
		{"user without name", "arn:aws:iam::111122223333:user/", "user name"},
		{"user ending in slash", "arn:aws:iam::111122223333:user/team/", "user name"},
		{"user with wildcard name", "arn:aws:iam::111122223333:user/*", "user name"},
		{"user name with space", "arn:aws:iam::111122223333:user/a b", "user name"},
		{"user name too long", "arn:aws:iam::111122223333:user/" + long, "user name"},
		{"user path with empty segment", "arn:aws:iam::111122223333:user/a//b", "path"},
		{"user path starting with slash", "arn:aws:iam::111122223333:user//b", "path"},
		{"user path with space", "arn:aws:iam::111122223333:user/a b/c", "path"},
		{"user path too long", "arn:aws:iam::111122223333:user/" + strings.Repeat("p/", 256) + "n", "path"},
		{"user in sts", "arn:aws:sts::111122223333:user/alice", "an STS caller"},
		{"root in sts", "arn:aws:sts::111122223333:root", "an STS caller"},
		{"assumed-role in iam", "arn:aws:iam::111122223333:assumed-role/r/s", "an IAM caller"},
		{"assumed role without session", "arn:aws:sts::111122223333:assumed-role/analyst", "assumed-role/ROLE/SESSION"},
		{"assumed role with empty session", "arn:aws:sts::111122223333:assumed-role/analyst/", "assumed-role/ROLE/SESSION"},
		{"assumed role with empty role", "arn:aws:sts::111122223333:assumed-role//s", "assumed-role/ROLE/SESSION"},
		{"assumed role with path", "arn:aws:sts::111122223333:assumed-role/path/analyst/s", "assumed-role/ROLE/SESSION"},
		{"assumed role session too long", "arn:aws:sts::111122223333:assumed-role/r/" + long, "assumed-role/ROLE/SESSION"},
		{"assumed role with wildcard", "arn:aws:sts::111122223333:assumed-role/r/*", "assumed-role/ROLE/SESSION"},
		{"federated user with one character", "arn:aws:sts::111122223333:federated-user/b", "federated-user/NAME"},
		{"federated user too long", "arn:aws:sts::111122223333:federated-user/" + strings.Repeat("b", 33), "federated-user/NAME"},
		{"federated user with slash", "arn:aws:sts::111122223333:federated-user/a/b", "federated-user/NAME"},
		{"s3 ARN", "arn:aws:s3:::bucket", "12-digit"},
		{"s3 ARN with region", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap", "empty region"},
		{"s3 ARN with account", "arn:aws:s3::111122223333:bucket", "iam or sts"},
		{"SAML provider", "arn:aws:iam::111122223333:saml-provider/idp", "an IAM caller"},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		require.False(t, seen[tc.name], "duplicate name %q", tc.name)
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			p, err := ownership.ParsePrincipal(tc.arn)
			require.Error(t, err)
			assert.Equal(t, ownership.Principal{}, p)
			assert.ErrorIs(t, err, ownership.ErrInvalidPrincipal)
			var e *ownership.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.arn, e.Input)
			assert.Empty(t, e.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "ownership: invalid principal "), err.Error())
			assert.Contains(t, err.Error(), tc.want)
			assert.Panics(t, func() { ownership.MustParsePrincipal(tc.arn) })
		})
	}
}

func TestParsePrincipalErrorQuotesAndTruncates(t *testing.T) {
	in := "arn:aws:iam::111122223333:role/" + strings.Repeat("r", 100)
	_, err := ownership.ParsePrincipal(in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"arn:aws:iam::111122223333:role/rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr…"`)
	var e *ownership.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, in, e.Input, "Input keeps the whole value")
}

// TestConformancePrincipals parses every caller ARN of the conformance
// scenarios, copied into testdata/principals.txt.
func TestConformancePrincipals(t *testing.T) {
	f, err := os.Open("testdata/principals.txt")
	require.NoError(t, err)
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		t.Run(line, func(t *testing.T) {
			p, err := ownership.ParsePrincipal(line)
			require.NoError(t, err)
			assert.Equal(t, line, p.ARN())
			_, ok := p.ConditionKey("aws:PrincipalArn")
			assert.True(t, ok)
			acct, ok := p.ConditionKey("aws:PrincipalAccount")
			assert.True(t, ok)
			assert.Equal(t, string(p.Account()), acct)
			assert.Contains(t, line, ":"+acct+":")
		})
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, 46, n, "distinct caller ARNs in the conformance scenarios")
}

// TestDerivedKeyTable checks the principal-derived key table row by row, plus the service principal
// this package chose to give no keys.
func TestDerivedKeyTable(t *testing.T) {
	user := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/alice")
	user, err := user.WithUniqueID("AIDAJQABLZS4A3QDU576Q")
	require.NoError(t, err)
	role := func(arn string) ownership.Principal {
		p, err := ownership.MustParsePrincipal(arn).WithUniqueID("AROADBQP57FF2AEXAMPLE")
		require.NoError(t, err)
		return p
	}
	svc, err := ownership.ServicePrincipal("logging.s3.amazonaws.com")
	require.NoError(t, err)
	tests := []struct {
		name string
		p    ownership.Principal
		want keys
	}{
		{"account root", ownership.MustParsePrincipal("arn:aws:iam::111122223333:root"),
			keys{"arn:aws:iam::111122223333:root", "111122223333", "Account", "-", "111122223333"}},
		{"IAM user", user,
			keys{"arn:aws:iam::111122223333:user/alice", "111122223333", "User", "alice", "AIDAJQABLZS4A3QDU576Q"}},
		{"STS federated user", ownership.MustParsePrincipal("arn:aws:sts::111122223333:federated-user/carol"),
			keys{"arn:aws:sts::111122223333:federated-user/carol", "111122223333", "FederatedUser", "-", "111122223333:carol"}},
		{"web-identity role session", role("arn:aws:sts::111122223333:assumed-role/WebAppRole/app-user-42"),
			keys{"arn:aws:iam::111122223333:role/WebAppRole", "111122223333", "AssumedRole", "-", "AROADBQP57FF2AEXAMPLE:app-user-42"}},
		{"SAML role session", role("arn:aws:sts::111122223333:assumed-role/SAMLAdmin/jane@example.com"),
			keys{"arn:aws:iam::111122223333:role/SAMLAdmin", "111122223333", "AssumedRole", "-", "AROADBQP57FF2AEXAMPLE:jane@example.com"}},
		{"assumed role session", role("arn:aws:sts::111122223333:assumed-role/analyst/sess1"),
			keys{"arn:aws:iam::111122223333:role/analyst", "111122223333", "AssumedRole", "-", "AROADBQP57FF2AEXAMPLE:sess1"}},
		{"EC2 instance role", role("arn:aws:sts::111122223333:assumed-role/ec2-role/i-0123456789abcdef0"),
			keys{"arn:aws:iam::111122223333:role/ec2-role", "111122223333", "AssumedRole", "-", "AROADBQP57FF2AEXAMPLE:i-0123456789abcdef0"}},
		{"anonymous", ownership.Anonymous(),
			keys{"-", "anonymous", "Anonymous", "-", "anonymous"}},
		{"service principal", svc,
			keys{"-", "-", "-", "-", "-"}},
		{"zero principal", ownership.Principal{},
			keys{"-", "-", "-", "-", "-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, derived(tc.p))
		})
	}
}

func TestUserIDAbsentWithoutUniqueID(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:iam::111122223333:user/alice",
		"arn:aws:sts::111122223333:assumed-role/analyst/sess1",
	} {
		t.Run(arn, func(t *testing.T) {
			_, ok := ownership.MustParsePrincipal(arn).ConditionKey("aws:userid")
			assert.False(t, ok)
		})
	}
}

func TestAnonymous(t *testing.T) {
	p := ownership.Anonymous()
	assert.True(t, p.IsValid())
	assert.True(t, p.IsAnonymous())
	assert.False(t, p.IsRoot())
	assert.False(t, p.IsService())
	assert.Equal(t, ownership.PrincipalAnonymous, p.Type())
	assert.Equal(t, "anonymous", p.String())
	assert.Empty(t, p.ARN())
	assert.Empty(t, p.Account())
	assert.Empty(t, p.Partition())
	assert.Equal(t, ownership.Anonymous(), p, "comparable and deterministic")
}

func TestServicePrincipal(t *testing.T) {
	valid := []string{"logging.s3.amazonaws.com", "cloudtrail.amazonaws.com", "s3.amazonaws.com.cn", "a.b", "ec2-x.amazonaws.com"}
	for _, name := range valid {
		t.Run("valid "+name, func(t *testing.T) {
			p, err := ownership.ServicePrincipal(name)
			require.NoError(t, err)
			assert.True(t, p.IsService())
			assert.Equal(t, ownership.PrincipalService, p.Type())
			assert.Equal(t, name, p.Service())
			assert.Equal(t, name, p.String())
			assert.Empty(t, p.ARN())
			assert.Empty(t, p.Account())
		})
	}
	invalid := []struct{ name, in string }{
		{"empty", ""},
		{"no dot", "amazonaws"},
		{"upper case", "Logging.s3.amazonaws.com"},
		{"leading dot", ".amazonaws.com"},
		{"trailing dot", "amazonaws.com."},
		{"empty label", "s3..amazonaws.com"},
		{"wildcard", "*.amazonaws.com"},
		{"ARN", "arn:aws:iam::111122223333:root"},
		{"space", "s3 .amazonaws.com"},
		{"too long", strings.Repeat("a", 250) + ".com"},
	}
	for _, tc := range invalid {
		t.Run("invalid "+tc.name, func(t *testing.T) {
			p, err := ownership.ServicePrincipal(tc.in)
			assert.ErrorIs(t, err, ownership.ErrInvalidPrincipal)
			assert.Equal(t, ownership.Principal{}, p)
		})
	}
}

func TestWithUniqueID(t *testing.T) {
	user := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/alice")
	sess := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/analyst/sess1")
	svc, err := ownership.ServicePrincipal("logging.s3.amazonaws.com")
	require.NoError(t, err)
	tests := []struct {
		name    string
		p       ownership.Principal
		id      string
		userID  string
		wantErr error
	}{
		{"user", user, "AIDAJQABLZS4A3QDU576Q", "AIDAJQABLZS4A3QDU576Q", nil},
		{"role session", sess, "AROADBQP57FF2AEXAMPLE", "AROADBQP57FF2AEXAMPLE:sess1", nil},
		{"user given a role ID", user, "AROADBQP57FF2AEXAMPLE", "", ownership.ErrInvalidUniqueID},
		{"role session given a user ID", sess, "AIDAJQABLZS4A3QDU576Q", "", ownership.ErrInvalidUniqueID},
		{"too short", user, "AIDA123", "", ownership.ErrInvalidUniqueID},
		{"lower case", user, "AIDAjqablzs4a3qdu576q", "", ownership.ErrInvalidUniqueID},
		{"empty", user, "", "", ownership.ErrInvalidUniqueID},
		{"root", ownership.MustParsePrincipal("arn:aws:iam::111122223333:root"), "AIDAJQABLZS4A3QDU576Q", "", ownership.ErrInvalidPrincipal},
		{"federated user", ownership.MustParsePrincipal("arn:aws:sts::111122223333:federated-user/carol"), "AIDAJQABLZS4A3QDU576Q", "", ownership.ErrInvalidPrincipal},
		{"anonymous", ownership.Anonymous(), "AIDAJQABLZS4A3QDU576Q", "", ownership.ErrInvalidPrincipal},
		{"service", svc, "AIDAJQABLZS4A3QDU576Q", "", ownership.ErrInvalidPrincipal},
		{"zero", ownership.Principal{}, "AIDAJQABLZS4A3QDU576Q", "", ownership.ErrInvalidPrincipal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.p
			got, err := tc.p.WithUniqueID(tc.id)
			assert.Equal(t, before, tc.p, "the receiver is not modified")
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
				var e *ownership.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, "id", e.Field)
				assert.Equal(t, ownership.Principal{}, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.id, got.UniqueID())
			uid, ok := got.ConditionKey("aws:userid")
			assert.True(t, ok)
			assert.Equal(t, tc.userID, uid)
			assert.Equal(t, tc.p.ARN(), got.ARN())
			assert.NotEqual(t, tc.p, got)
		})
	}
}

func TestWithRolePath(t *testing.T) {
	sess := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/analyst/sess1")
	tests := []struct {
		name    string
		p       ownership.Principal
		path    string
		arn     string
		wantErr bool
	}{
		{"root path", sess, "/", "arn:aws:iam::111122223333:role/analyst", false},
		{"service-role path", sess, "/service-role/", "arn:aws:iam::111122223333:role/service-role/analyst", false},
		{"two segments", sess, "/a/b/", "arn:aws:iam::111122223333:role/a/b/analyst", false},
		{"partition kept", ownership.MustParsePrincipal("arn:aws-cn:sts::111122223333:assumed-role/r/s"), "/p/", "arn:aws-cn:iam::111122223333:role/p/r", false},
		{"empty path", sess, "", "", true},
		{"no leading slash", sess, "a/", "", true},
		{"no trailing slash", sess, "/a", "", true},
		{"empty segment", sess, "/a//b/", "", true},
		{"space", sess, "/a b/", "", true},
		{"too long", sess, "/" + strings.Repeat("a", 511) + "/", "", true},
		{"user", ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/alice"), "/p/", "", true},
		{"anonymous", ownership.Anonymous(), "/p/", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.p.WithRolePath(tc.path)
			if tc.wantErr {
				assert.ErrorIs(t, err, ownership.ErrInvalidPrincipal)
				assert.Equal(t, ownership.Principal{}, got)
				return
			}
			require.NoError(t, err)
			arn, ok := got.ConditionKey("aws:PrincipalArn")
			assert.True(t, ok)
			assert.Equal(t, tc.arn, arn)
			assert.Equal(t, tc.path, got.Path())
			assert.Equal(t, tc.p.ARN(), got.ARN(), "the session ARN is unchanged")
		})
	}
	// The two With methods compose in either order.
	a, err := sess.WithRolePath("/p/")
	require.NoError(t, err)
	a, err = a.WithUniqueID("AROADBQP57FF2AEXAMPLE")
	require.NoError(t, err)
	b, err := sess.WithUniqueID("AROADBQP57FF2AEXAMPLE")
	require.NoError(t, err)
	b, err = b.WithRolePath("/p/")
	require.NoError(t, err)
	assert.Equal(t, a, b)
}

func TestPrincipalTypeString(t *testing.T) {
	tests := []struct {
		typ  ownership.PrincipalType
		want string
	}{
		{ownership.PrincipalUnknown, "Unknown"},
		{ownership.PrincipalAnonymous, "Anonymous"},
		{ownership.PrincipalRoot, "Root"},
		{ownership.PrincipalUser, "User"},
		{ownership.PrincipalAssumedRole, "AssumedRole"},
		{ownership.PrincipalFederatedUser, "FederatedUser"},
		{ownership.PrincipalService, "Service"},
		{ownership.PrincipalType(42), "PrincipalType(42)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.typ.String())
		})
	}
}

// TestConditionKey checks the key names ConditionKey answers: any ASCII
// case, as IAM matches condition keys, and nothing for other names.
func TestConditionKey(t *testing.T) {
	user := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/a/alice")
	sess := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/analyst/sess1")
	svc, err := ownership.ServicePrincipal("logging.s3.amazonaws.com")
	require.NoError(t, err)
	tests := []struct {
		name   string
		p      ownership.Principal
		key    string
		want   string
		wantOK bool
	}{
		{name: "documented case", p: user, key: "aws:PrincipalArn", want: "arn:aws:iam::111122223333:user/a/alice", wantOK: true},
		{name: "lower case", p: user, key: "aws:principalarn", want: "arn:aws:iam::111122223333:user/a/alice", wantOK: true},
		{name: "upper case", p: user, key: "AWS:USERNAME", want: "alice", wantOK: true},
		{name: "role session arn is the role's", p: sess, key: "aws:PrincipalArn", want: "arn:aws:iam::111122223333:role/analyst", wantOK: true},
		{name: "account", p: sess, key: "aws:PrincipalAccount", want: "111122223333", wantOK: true},
		{name: "type", p: sess, key: "aws:PrincipalType", want: "AssumedRole", wantOK: true},
		{name: "user is not a service", p: user, key: "aws:PrincipalIsAWSService", want: "false", wantOK: true},
		{name: "service is a service", p: svc, key: "aws:principalisawsservice", want: "true", wantOK: true},
		{name: "anonymous has no service flag", p: ownership.Anonymous(), key: "aws:PrincipalIsAWSService"},
		{name: "anonymous account", p: ownership.Anonymous(), key: "aws:PrincipalAccount", want: "anonymous", wantOK: true},
		{name: "service has no account", p: svc, key: "aws:PrincipalAccount"},
		{name: "not a principal key", p: user, key: "aws:SourceIp"},
		{name: "prefix of a key", p: user, key: "aws:Principal"},
		{name: "key with suffix", p: user, key: "aws:usernamex"},
		{name: "empty name", p: user, key: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.p.ConditionKey(tc.key)
			assert.Equal(t, tc.wantOK, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestZeroPrincipal(t *testing.T) {
	var p ownership.Principal
	assert.False(t, p.IsValid())
	assert.Equal(t, ownership.PrincipalUnknown, p.Type())
	assert.Equal(t, "invalid", p.String())
	assert.Empty(t, p.Account())
	for _, k := range []string{"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:username", "aws:userid", "aws:PrincipalIsAWSService"} {
		_, ok := p.ConditionKey(k)
		assert.False(t, ok, k)
	}
	assert.False(t, p.IsAnonymous() || p.IsRoot() || p.IsService())
}

func TestOwnerOf(t *testing.T) {
	svc, err := ownership.ServicePrincipal("logging.s3.amazonaws.com")
	require.NoError(t, err)
	tests := []struct {
		name string
		p    ownership.Principal
		want ownership.Owner
	}{
		{"root", ownership.MustParsePrincipal("arn:aws:iam::111122223333:root"), ownership.AccountOwner("111122223333")},
		{"user", ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/a/b"), ownership.AccountOwner("111122223333")},
		{"role session", ownership.MustParsePrincipal("arn:aws:sts::444455556666:assumed-role/r/s"), ownership.AccountOwner("444455556666")},
		{"federated user", ownership.MustParsePrincipal("arn:aws:sts::111122223333:federated-user/carol"), ownership.AccountOwner("111122223333")},
		{"anonymous", ownership.Anonymous(), ownership.AnonymousOwner()},
		{"service", svc, ownership.Owner{}},
		{"zero", ownership.Principal{}, ownership.Owner{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ownership.OwnerOf(tc.p))
		})
	}
}

func TestPrincipalAccessorsDoNotAllocate(t *testing.T) {
	sess, err := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/analyst/sess1").WithUniqueID("AROADBQP57FF2AEXAMPLE")
	require.NoError(t, err)
	user, err := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/a/alice").WithUniqueID("AIDAJQABLZS4A3QDU576Q")
	require.NoError(t, err)
	svc, err := ownership.ServicePrincipal("logging.s3.amazonaws.com")
	require.NoError(t, err)
	principals := []struct {
		name string
		p    ownership.Principal
	}{
		{"root", ownership.MustParsePrincipal("arn:aws:iam::111122223333:root")},
		{"user", user},
		{"role session", sess},
		{"federated user", ownership.MustParsePrincipal("arn:aws:sts::111122223333:federated-user/carol")},
		{"anonymous", ownership.Anonymous()},
		{"service", svc},
	}
	var sink int
	for _, tc := range principals {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			allocs := testing.AllocsPerRun(1000, func() {
				a, _ := p.ConditionKey("aws:PrincipalArn")
				b, _ := p.ConditionKey("AWS:PRINCIPALACCOUNT")
				c, _ := p.ConditionKey("aws:principaltype")
				d, _ := p.ConditionKey("aws:username")
				e, _ := p.ConditionKey("aws:userid")
				g, _ := p.ConditionKey("aws:PrincipalIsAWSService")
				f := p.Account()
				sink += len(a) + len(b) + len(c) + len(d) + len(e) + len(f) + len(g) + len(p.String())
				if p.IsAnonymous() || p.IsRoot() || p.IsService() {
					sink++
				}
				sink += len(ownership.OwnerOf(p).Account)
			})
			assert.Zero(t, allocs)
		})
	}
	_ = sink
}

func TestErrorIsTyped(t *testing.T) {
	_, err := ownership.ParsePrincipal("nope")
	var e *ownership.Error
	require.True(t, errors.As(err, &e))
	assert.Same(t, e.Err, errors.Unwrap(err))
	assert.True(t, errors.Is(e, ownership.ErrInvalidPrincipal))
	assert.False(t, errors.Is(e, ownership.ErrInvalidMode))
}
