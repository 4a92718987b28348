package devpay_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/devpay"
)

func TestParseProductCode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"letters", "MagicProduct", true},
		{"hex code", "6883959E", true},
		{"all allowed punctuation", "a-b_c.d", true},
		{"one character", "x", true},
		{"64 characters", strings.Repeat("p", 64), true},
		{"empty", "", false},
		{"65 characters", strings.Repeat("p", 65), false},
		{"space", "Magic Product", false},
		{"slash", "Magic/Product", false},
		{"colon", "arn:product", false},
		{"non-ASCII letter", "Magic\u00e9", false},
		{"NUL", "Magic\x00", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := devpay.ParseProductCode(tc.in)
			assert.Equal(t, tc.ok, devpay.ProductCode(tc.in).IsValid())
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, devpay.ProductCode(tc.in), c)
				return
			}
			assert.ErrorIs(t, err, devpay.ErrInvalidProductCode)
			assert.Empty(t, c)
			var e *devpay.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.in, e.Input)
			assert.Empty(t, e.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "devpay: invalid product code "), err.Error())
		})
	}
}

func TestNewCatalog(t *testing.T) {
	tests := []struct {
		name     string
		products []devpay.Product
		err      error
		field    string
	}{
		{"empty", nil, nil, ""},
		{"two products of one developer", []devpay.Product{{magic, developer}, {other, developer}}, nil, ""},
		{"bad code", []devpay.Product{{magic, developer}, {"bad code", developer}}, devpay.ErrInvalidProductCode, "products[1].Code"},
		{"empty code", []devpay.Product{{"", developer}}, devpay.ErrInvalidProductCode, "products[0].Code"},
		{"short owner", []devpay.Product{{magic, "1234"}}, devpay.ErrInvalidAccountID, "products[0].Owner"},
		{"empty owner", []devpay.Product{{magic, ""}}, devpay.ErrInvalidAccountID, "products[0].Owner"},
		{"duplicate code", []devpay.Product{{magic, developer}, {other, developer}, {magic, rivalDev}}, devpay.ErrDuplicateProduct, "products[2].Code"},
		{"duplicate identical product", []devpay.Product{{magic, developer}, {magic, developer}}, devpay.ErrDuplicateProduct, "products[1].Code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := devpay.NewCatalog(tc.products...)
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				assert.Nil(t, c)
				var e *devpay.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.field, e.Field)
				assert.True(t, strings.HasPrefix(err.Error(), "devpay: "+tc.field+": "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, len(tc.products), c.Len())
			for _, p := range tc.products {
				got, ok := c.Lookup(p.Code)
				assert.True(t, ok)
				assert.Equal(t, p, got)
			}
			_, ok := c.Lookup(ghost)
			assert.False(t, ok)
		})
	}
	var nilCat *devpay.Catalog
	_, ok := nilCat.Lookup(magic)
	assert.False(t, ok)
	assert.Zero(t, nilCat.Len())
}

func TestCatalogIsACopy(t *testing.T) {
	products := []devpay.Product{{magic, developer}}
	c, err := devpay.NewCatalog(products...)
	require.NoError(t, err)
	products[0].Owner = rivalDev
	p, ok := c.Lookup(magic)
	require.True(t, ok)
	assert.Equal(t, devpay.AccountID(developer), p.Owner)
}
