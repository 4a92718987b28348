package scenario

import (
	"fmt"

	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/ownership"
)

// accountFields is an account of the accounts section, under its ID.
var accountFields = fields[struct{}]{
	{name: "canonicalId", want: kString},
	{name: "email", want: kString},
	{name: "displayName", want: kString},
}

func (l *loader) accountsSection(n *node, ptr string) error {
	return l.each(n, ptr, func(acct string, v *node, aptr string) error {
		if err := accountID(acct); err != nil {
			return err
		}
		if !accountFields.walk(l, v, aptr, nil) {
			return l.err
		}
		canonical := v.text("canonicalId")
		l.canonical[acct] = canonical
		return invalid(l.dir.Add(ownership.AccountID(acct), ownership.CanonicalID(canonical), v.text("email")))
	})
}

// blockPublicAccessSection reads the accounts' Block Public Access
// settings.
func (l *loader) blockPublicAccessSection(n *node, ptr string) error {
	return l.each(n, ptr, func(acct string, v *node, aptr string) error {
		if err := l.declared(acct); err != nil {
			return err
		}
		var b ownership.PublicAccessBlock
		err := l.bpa(&b, v, aptr)
		l.accountBPA[acct] = b
		return err
	})
}

// account checks that acct names a declared account.
func (l *loader) account(acct string) error {
	if err := accountID(acct); err != nil {
		return err
	}
	return l.declared(acct)
}

// accountID checks that acct is 12 digits.
func accountID(acct string) error {
	if !ids.IsAccountID(acct) {
		return fmt.Errorf("%w: account ID %q: want 12 digits", ErrInvalid, acct)
	}
	return nil
}

// declared checks that acct is in the accounts section.
func (l *loader) declared(acct string) error {
	if _, ok := l.canonical[acct]; !ok {
		return fmt.Errorf("%w: account %s is not in accounts", ErrDangling, acct)
	}
	return nil
}
