package devpay

import (
	"strconv"

	"github.com/s3authz/s3authz/internal/ids"
)

// MaxProductCodeLen is the longest product code [ParseProductCode] accepts,
// in bytes.
const MaxProductCodeLen = ids.MaxProductCodeLen

// ProductCode identifies a registered DevPay product, such as "6883959E".
// Buckets and objects created through a product carry its code; the License
// Service's subscription queries take it too. Codes compare exactly
// (case-sensitively). Use [ParseProductCode] to check one; its IsValid
// method reports whether ParseProductCode would accept it.
//
// It is the same type as ownership.ProductCode, the code a bucket or object
// record carries, so either passes for the other without conversion.
type ProductCode = ids.ProductCode

// AccountID is a 12-digit AWS account ID, such as "111122223333": a
// product's developer and a customer are accounts. Its IsValid method
// reports whether it has that shape. It is the same type as
// ownership.AccountID.
type AccountID = ids.AccountID

// ParseProductCode returns s as a ProductCode if it has 1 to
// [MaxProductCodeLen] characters, each an ASCII letter, digit, '-', '_' or
// '.', and an [*Error] wrapping [ErrInvalidProductCode] otherwise.
func ParseProductCode(s string) (ProductCode, error) {
	if err := checkCode("", s); err != nil {
		return "", err
	}
	return ProductCode(s), nil
}

func checkCode(field, s string) error {
	if p := ids.ProductCodeProblem(s); p != "" {
		return errv(field, ErrInvalidProductCode, s, "%s", p)
	}
	return nil
}

// Product is a registered DevPay product: its code and the AWS account of
// the developer who registered it.
type Product struct {
	// Code is the product's code.
	Code ProductCode
	// Owner is the developer's account. The developer does not own the
	// data customers store through the product; see [ReasonDeveloper].
	Owner AccountID
}

// Catalog is the set of DevPay products a host knows, by code. Build it
// with [NewCatalog]; it is immutable afterwards and safe for concurrent
// use. A nil or zero Catalog holds no product: [Catalog.Check] denies every
// request to product-bound data with [ReasonUnknownProduct].
type Catalog struct {
	byCode map[ProductCode]Product
}

// NewCatalog returns a Catalog of products. It returns an [*Error] wrapping
// ErrInvalidProductCode or ErrInvalidAccountID for a malformed Code or
// Owner, and ErrDuplicateProduct for a code given twice (even with the same
// owner); its Field names the product, as in "products[2].Owner".
func NewCatalog(products ...Product) (*Catalog, error) {
	c := &Catalog{byCode: make(map[ProductCode]Product, len(products))}
	for i, p := range products {
		field := "products[" + strconv.Itoa(i) + "]"
		if err := checkCode(field+".Code", string(p.Code)); err != nil {
			return nil, err
		}
		if !p.Owner.IsValid() {
			return nil, errv(field+".Owner", ErrInvalidAccountID, string(p.Owner), "want 12 digits")
		}
		if _, dup := c.byCode[p.Code]; dup {
			return nil, errv(field+".Code", ErrDuplicateProduct, string(p.Code), "already in the catalog")
		}
		c.byCode[p.Code] = p
	}
	return c, nil
}

// Lookup returns the product with the given code, and false when the
// catalog has none. It does not allocate.
func (c *Catalog) Lookup(code ProductCode) (Product, bool) {
	if c == nil {
		return Product{}, false
	}
	p, ok := c.byCode[code]
	return p, ok
}

// Len returns the number of products in the catalog.
func (c *Catalog) Len() int {
	if c == nil {
		return 0
	}
	return len(c.byCode)
}
