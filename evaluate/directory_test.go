package evaluate_test

import (
	"testing"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/ownership"
	"github.com/stretchr/testify/assert"
)

// Package acl declares its own Directory so as not to import ownership;
// every ownership.Directory must still be one, since Context.Directory
// serves both. These fail to compile if the two drift apart.
var (
	_ acl.Directory = ownership.Directory(nil)
	_ acl.Directory = (*ownership.MemoryDirectory)(nil)
)

// TestSharedIdentifiers checks that the identifier types of the leaves are
// one type each: values pass from one package to another without
// conversion, and the anonymous canonical ID is one constant.
func TestSharedIdentifiers(t *testing.T) {
	var (
		account   ownership.AccountID = "111122223333"
		canonical ownership.CanonicalID
		product   ownership.ProductCode = "Magic"
	)
	canonical = acl.AnonymousID
	var (
		devpayAccount devpay.AccountID   = account
		aclAccount    acl.AccountID      = account
		aclCanonical  acl.CanonicalID    = canonical
		code          devpay.ProductCode = product
	)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{name: "account ownership to devpay", got: devpayAccount, want: account},
		{name: "account ownership to acl", got: aclAccount, want: account},
		{name: "canonical acl to ownership", got: aclCanonical, want: ownership.AnonymousCanonicalID},
		{name: "product ownership to devpay", got: code, want: product},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
}
