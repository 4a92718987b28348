package audit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/ownership"
)

var redactKey = []byte("0123456789abcdef-test-key")

// TestRedactPrincipal checks how each mode writes each kind of caller:
// the account and type stay, the name goes (or becomes a pseudonym), and
// callers without a name are written whole.
func TestRedactPrincipal(t *testing.T) {
	user := ownership.MustParsePrincipal("arn:aws:iam::111122223333:user/staff/alice")
	session := ownership.MustParsePrincipal("arn:aws:sts::111122223333:assumed-role/Reader/alice@example.com")
	fed := ownership.MustParsePrincipal("arn:aws:sts::111122223333:federated-user/bob")
	root := ownership.MustParsePrincipal("arn:aws:iam::111122223333:root")
	svc, _ := ownership.ServicePrincipal("logging.s3.amazonaws.com")
	tests := []struct {
		name   string
		mode   audit.Redaction
		p      ownership.Principal
		want   string // exact, or a prefix when wantPseudonym
		pseudo bool
	}{
		{name: "omit user", mode: audit.Omit, p: user, want: "arn:aws:iam::111122223333:user/"},
		{name: "omit session", mode: audit.Omit, p: session, want: "arn:aws:sts::111122223333:assumed-role/"},
		{name: "omit federated", mode: audit.Omit, p: fed, want: "arn:aws:sts::111122223333:federated-user/"},
		{name: "pseudonymize user", mode: audit.Pseudonymize, p: user, want: "arn:aws:iam::111122223333:user/h:", pseudo: true},
		{name: "pseudonymize session", mode: audit.Pseudonymize, p: session, want: "arn:aws:sts::111122223333:assumed-role/h:", pseudo: true},
		{name: "clear user", mode: audit.Clear, p: user, want: "arn:aws:iam::111122223333:user/staff/alice"},
		{name: "root has no name", mode: audit.Pseudonymize, p: root, want: "arn:aws:iam::111122223333:root"},
		{name: "service has no name", mode: audit.Omit, p: svc, want: "logging.s3.amazonaws.com"},
		{name: "anonymous", mode: audit.Pseudonymize, p: ownership.Anonymous(), want: "anonymous"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := audit.NewRedactor(tt.mode, redactKey)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Principal(tt.p)
			if tt.pseudo {
				if !strings.HasPrefix(got, tt.want) || len(got) != len(tt.want)+32 {
					t.Errorf("got %q, want %q and 32 hex digits", got, tt.want)
				}
				if again := r.Principal(tt.p); again != got {
					t.Errorf("not stable: %q then %q", got, again)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPseudonyms checks the pseudonyms' promises: stable under one key,
// different under another, different for different names, and empty
// stays empty.
func TestPseudonyms(t *testing.T) {
	a, _ := audit.NewRedactor(audit.Pseudonymize, redactKey)
	b, _ := audit.NewRedactor(audit.Pseudonymize, []byte("another-key-of-16+bytes"))
	if a.Text("photos") != a.Text("photos") {
		t.Error("pseudonym not stable")
	}
	if a.Text("photos") == b.Text("photos") {
		t.Error("two keys give the same pseudonym")
	}
	if a.Text("photos") == a.Text("photoz") {
		t.Error("two names give the same pseudonym")
	}
	if a.Text("") != "" {
		t.Error("empty text not empty")
	}
	// The cache must not change the answer once it is full and emptied.
	first := a.Text("name-0")
	for i := range 5000 {
		a.Text("name-" + strings.Repeat("x", i%7) + string(rune('a'+i%26)))
	}
	if a.Text("name-0") != first {
		t.Error("pseudonym changed after the cache was emptied")
	}
	o, _ := audit.NewRedactor(audit.Omit, nil)
	c, _ := audit.NewRedactor(audit.Clear, nil)
	if o.Text("photos") != "" || c.Text("photos") != "photos" {
		t.Error("omit or clear wrong")
	}
}

// TestRedactorKey checks that pseudonymization refuses a missing or short
// key, and that the modes' names parse back.
func TestRedactorKey(t *testing.T) {
	for _, key := range [][]byte{nil, []byte("short")} {
		if _, err := audit.NewRedactor(audit.Pseudonymize, key); !errors.Is(err, audit.ErrKey) {
			t.Errorf("key %q: %v, want ErrKey", key, err)
		}
	}
	for _, m := range []audit.Redaction{audit.Omit, audit.Pseudonymize, audit.Clear} {
		if got, err := audit.ParseRedaction(m.String()); err != nil || got != m {
			t.Errorf("%v: parsed %v, %v", m, got, err)
		}
	}
	if _, err := audit.ParseRedaction("hash"); err == nil {
		t.Error("ParseRedaction accepted hash")
	}
}
