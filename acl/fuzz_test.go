package acl_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3authz/s3authz/acl"
)

var allSentinels = []error{
	acl.ErrSyntax, acl.ErrTooLarge, acl.ErrForbidden, acl.ErrUnknownElement, acl.ErrMissingElement,
	acl.ErrDuplicateElement, acl.ErrInvalidGrantee, acl.ErrInvalidValue, acl.ErrTooManyGrants,
}

func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.xml"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(`<AccessControlPolicy><Owner><ID>` + acl.AnonymousID + `</ID></Owner><AccessControlList/></AccessControlPolicy>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := acl.Parse(data)
		_, err2 := acl.Parse(data)
		if err != nil {
			if a != nil {
				t.Fatal("an ACL returned with an error")
			}
			var ae *acl.Error
			if !errors.As(err, &ae) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			n := 0
			for _, s := range allSentinels {
				if errors.Is(err, s) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("error wraps %d sentinels: %v", n, err)
			}
			if ae.Path != "" && !strings.HasPrefix(ae.Path, "AccessControlPolicy") && strings.Contains(ae.Path, "/") {
				t.Fatalf("path %q does not start at the root", ae.Path)
			}
			if err2 == nil || err.Error() != err2.Error() {
				t.Fatalf("not deterministic: %v then %v", err, err2)
			}
			return
		}
		if len(a.Grants) > acl.MaxGrants {
			t.Fatalf("%d grants accepted", len(a.Grants))
		}
		out, err := a.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b, err := acl.Parse(out)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%s", err, out)
		}
		if !a.Equal(b) {
			t.Fatalf("round trip changed the ACL\ninput: %q\ncanonical: %s", data, out)
		}
		again, _ := b.Marshal()
		if string(again) != string(out) {
			t.Fatalf("canonical form is not a fixed point:\n%s\n%s", out, again)
		}
	})
}
