package scenario

import (
	"fmt"

	"github.com/s3authz/s3authz/devpay"
)

// productFields is a DevPay product of the products section, under its
// code.
var productFields = fields[devpay.Product]{
	{name: "owner", want: kString, required: true, read: func(l *loader, p *devpay.Product, n *node, _ string) error {
		p.Owner = devpay.AccountID(n.str)
		return l.account(n.str)
	}},
}

func (l *loader) productsSection(n *node, ptr string) error {
	var prods []devpay.Product
	err := l.each(n, ptr, func(code string, v *node, pptr string) error {
		p := devpay.Product{Code: devpay.ProductCode(code)}
		if productFields.walk(l, v, pptr, &p) {
			prods = append(prods, p)
			l.productSet[code] = true
		}
		return l.err
	})
	if err != nil {
		return err
	}
	l.products, err = devpay.NewCatalog(prods...)
	return invalid(err)
}

// subscriptionsSection subscribes the principals' accounts to products.
func (l *loader) subscriptionsSection(n *node, ptr string) error {
	return l.each(n, ptr, func(name string, v *node, sptr string) error {
		pr, ok := l.principals[name]
		if !ok {
			return fmt.Errorf("%w: principal %q is not in principals", ErrDangling, name)
		}
		if v.kind != kArray {
			return typeError(v, "an array of product codes")
		}
		return l.items(v, sptr, func(e *node, _ string) error {
			if err := wantString(e); err != nil {
				return err
			}
			if err := l.product(e.str); err != nil {
				return err
			}
			acct := pr.p.Account()
			if acct == "" {
				l.at(sptr, v, fmt.Errorf("%w: %s has no account to subscribe", ErrInvalid, name))
				return l.err
			}
			return invalid(l.subs.Subscribe(acct, devpay.ProductCode(e.str)))
		})
	})
}

// product checks that code is in the products section.
func (l *loader) product(code string) error {
	if !l.productSet[code] {
		return fmt.Errorf("%w: product %q is not in products", ErrDangling, code)
	}
	return nil
}
