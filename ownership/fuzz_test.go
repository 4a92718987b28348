package ownership_test

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/ownership"
)

// FuzzParsePrincipal checks that ParsePrincipal never panics, that every
// error is an *ownership.Error wrapping ErrInvalidPrincipal, and that a
// parsed Principal keeps its ARN, parses again to an equal value, and has
// the condition keys its type promises.
func FuzzParsePrincipal(f *testing.F) {
	for _, s := range []string{
		"arn:aws:iam::111122223333:root",
		"arn:aws:iam::111122223333:user/alice",
		"arn:aws:iam::111122223333:user/division/team/bob",
		"arn:aws:sts::111122223333:assumed-role/analyst/sess1",
		"arn:aws:sts::111122223333:federated-user/carol",
		"arn:aws-cn:iam::111122223333:root",
		"arn:aws:iam::111122223333:role/analyst",
		"arn:aws:iam::111122223333:user/a//b",
		"arn:aws:sts::111122223333:assumed-role/r/s/t",
		"arn:aws:s3:::bucket",
		"", "*", "arn:", "arn:::::",
	} {
		f.Add(s)
	}
	if file, err := os.Open("testdata/principals.txt"); err == nil {
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
				f.Add(line)
			}
		}
		file.Close()
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ownership.ParsePrincipal(s)
		if err != nil {
			var e *ownership.Error
			if !errors.As(err, &e) || !errors.Is(err, ownership.ErrInvalidPrincipal) {
				t.Fatalf("ParsePrincipal(%q): untyped error %v", s, err)
			}
			if e.Input != s {
				t.Fatalf("ParsePrincipal(%q): Input %q", s, e.Input)
			}
			if p != (ownership.Principal{}) {
				t.Fatalf("ParsePrincipal(%q): non-zero Principal with an error", s)
			}
			if !strings.HasPrefix(err.Error(), "ownership: ") {
				t.Fatalf("ParsePrincipal(%q): message %q", s, err)
			}
			return
		}
		if p.ARN() != s {
			t.Fatalf("ParsePrincipal(%q).ARN() = %q", s, p.ARN())
		}
		q, err := ownership.ParsePrincipal(p.ARN())
		if err != nil || q != p {
			t.Fatalf("ParsePrincipal(%q) does not round-trip: %v, %#v != %#v", s, err, q, p)
		}
		switch p.Type() {
		case ownership.PrincipalRoot, ownership.PrincipalUser, ownership.PrincipalAssumedRole, ownership.PrincipalFederatedUser:
		default:
			t.Fatalf("ParsePrincipal(%q): type %v", s, p.Type())
		}
		acct := p.Account()
		if acct == "" || !strings.Contains(s, ":"+string(acct)+":") {
			t.Fatalf("ParsePrincipal(%q): parent account %q", s, acct)
		}
		if _, err := ownership.ParseAccountID(string(acct)); err != nil {
			t.Fatalf("ParsePrincipal(%q): %v", s, err)
		}
		arn, ok := p.ConditionKey("aws:PrincipalArn")
		if !ok || !strings.HasPrefix(arn, "arn:"+p.Partition()+":") {
			t.Fatalf("ParsePrincipal(%q): aws:PrincipalArn %q, %v", s, arn, ok)
		}
		if v, ok := p.ConditionKey("aws:PrincipalAccount"); !ok || v != string(acct) {
			t.Fatalf("ParsePrincipal(%q): aws:PrincipalAccount %q, %v", s, v, ok)
		}
		if _, ok := p.ConditionKey("aws:PrincipalType"); !ok {
			t.Fatalf("ParsePrincipal(%q): no aws:PrincipalType", s)
		}
		if _, ok := p.ConditionKey("aws:username"); ok != (p.Type() == ownership.PrincipalUser) {
			t.Fatalf("ParsePrincipal(%q): aws:username presence %v", s, ok)
		}
		if p.Type() == ownership.PrincipalAssumedRole {
			if _, err := ownership.ParsePrincipal(arn); err == nil {
				t.Fatalf("ParsePrincipal(%q): the role ARN %q parses as a caller", s, arn)
			}
		}
	})
}
