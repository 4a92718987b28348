package scenario

import (
	"fmt"
	"github.com/s3authz/s3authz/analysis"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

type bucket struct {
	rec     *ownership.Bucket
	policy  *evaluate.Prepared
	acl     *acl.ACL
	objects map[string]*object
	owner   acl.User // the bucket owner, as ACLs name it
}

type object struct {
	rec *ownership.Object
	acl *acl.ACL
}

// bucketFields is a bucket of the buckets section, under its name. Its
// owner is read first, and its objects last.
var bucketFields = fields[bucket]{
	{name: "owner", want: kString, required: true, later: true, read: func(l *loader, b *bucket, n *node, _ string) error {
		b.rec.Owner = ownership.AccountID(n.str)
		b.owner = acl.User{ID: acl.CanonicalID(l.canonical[n.str])}
		return l.account(n.str)
	}},
	{name: "objectOwnership", want: kString, read: func(_ *loader, b *bucket, n *node, _ string) (err error) {
		b.rec.Mode, err = ownership.ParseMode(n.str)
		return invalid(err)
	}},
	{name: "policy", read: func(l *loader, b *bucket, n *node, _ string) error {
		return l.policy(&b.policy, n, policy.Bucket)
	}},
	{name: "acl", read: func(l *loader, b *bucket, n *node, ptr string) error {
		return l.acl(&b.acl, n, ptr, acl.Bucket, b.owner, b.owner)
	}},
	{name: "publicAccessBlock", read: func(l *loader, b *bucket, n *node, ptr string) error {
		return l.bpa(&b.rec.PublicAccessBlock, n, ptr)
	}},
	{name: "product", want: kString, read: func(l *loader, b *bucket, n *node, _ string) error {
		b.rec.Product = ownership.ProductCode(n.str)
		return l.product(n.str)
	}},
	{name: "objects", want: kObject, later: true, read: (*loader).objects},
}

func (l *loader) bucketsSection(n *node, ptr string) error {
	return l.each(n, ptr, func(name string, v *node, bptr string) error {
		b := &bucket{rec: &ownership.Bucket{Name: name}, objects: map[string]*object{}}
		if !bucketFields.check(l, v, bptr) || !bucketFields.read(l, v, bptr, b, "owner") {
			return l.err
		}
		if err := b.rec.Validate(); err != nil {
			return invalid(err)
		}
		if bucketFields.members(l, v, bptr, b) && bucketFields.read(l, v, bptr, b, "objects") {
			l.buckets[name] = b
		}
		return l.err
	})
}

// objectIn is an object being read, with its bucket.
type objectIn struct {
	*object
	b     *bucket
	owner acl.User // the object owner, as ACLs name it
}

// objectFields is an object of a bucket, under its key. Its owner, the
// bucket owner when absent, is read first.
var objectFields = fields[objectIn]{
	{name: "owner", want: kString, later: true, read: func(l *loader, o *objectIn, n *node, _ string) error {
		o.rec.Owner = ownership.AccountOwner(ownership.AccountID(n.str))
		o.owner = acl.User{ID: acl.CanonicalID(l.canonical[n.str])}
		return l.account(n.str)
	}},
	{name: "acl", read: func(l *loader, o *objectIn, n *node, ptr string) error {
		return l.acl(&o.acl, n, ptr, acl.Object, o.owner, o.b.owner)
	}},
	{name: "product", want: kString, read: func(l *loader, o *objectIn, n *node, _ string) error {
		if err := l.product(n.str); err != nil {
			return err
		}
		// A product binds its bucket and every object in it (DevPay
		// DP-6): an object names its bucket's product or none.
		if o.rec.Product = ownership.ProductCode(n.str); o.rec.Product != o.b.rec.Product {
			return fmt.Errorf("%w: object product %s: %s", ErrInvalid, errfmt.Quote(string(o.rec.Product)), bucketProduct(string(o.b.rec.Product)))
		}
		return nil
	}},
	{name: "tags", want: kObject, read: func(l *loader, o *objectIn, n *node, ptr string) error {
		return l.tags(&o.rec.Tags, n, ptr)
	}},
}

func (l *loader) objects(b *bucket, n *node, ptr string) error {
	return l.each(n, ptr, func(key string, v *node, optr string) error {
		rec := &ownership.Object{Bucket: b.rec.Name, Key: key, Owner: ownership.AccountOwner(b.rec.Owner)}
		o := &objectIn{object: &object{rec: rec}, b: b, owner: b.owner}
		if !objectFields.check(l, v, optr) || !objectFields.read(l, v, optr, o, "owner") || !objectFields.members(l, v, optr, o) {
			return l.err
		}
		if err := rec.Validate(); err != nil {
			return invalid(err)
		}
		b.objects[key] = o.object
		return nil
	})
}

// bucketProduct explains why an object cannot name another product than
// its bucket's.
func bucketProduct(product string) string {
	if product == "" {
		return "its bucket was created through no product"
	}
	return "its bucket was created through " + errfmt.Quote(product) + ", which binds every object in it"
}

// bpaFields is a set of Block Public Access settings, of a bucket or an
// account.
var bpaFields = fields[struct{}]{
	{name: "BlockPublicAcls", want: kBool},
	{name: "IgnorePublicAcls", want: kBool},
	{name: "BlockPublicPolicy", want: kBool},
	{name: "RestrictPublicBuckets", want: kBool},
}

// bpa reads Block Public Access settings into dst.
func (l *loader) bpa(dst *ownership.PublicAccessBlock, n *node, ptr string) error {
	if !bpaFields.walk(l, n, ptr, nil) {
		return l.err
	}
	*dst = ownership.PublicAccessBlock{BlockPublicAcls: n.flag("BlockPublicAcls"), IgnorePublicAcls: n.flag("IgnorePublicAcls"),
		BlockPublicPolicy: n.flag("BlockPublicPolicy"), RestrictPublicBuckets: n.flag("RestrictPublicBuckets")}
	return nil
}

// cannedFields is the object form of an ACL.
var cannedFields = fields[struct{}]{{name: "canned", want: kString, required: true}}

// acl reads an ACL into dst: an AccessControlPolicy XML string or
// {"canned": name}.
func (l *loader) acl(dst **acl.ACL, n *node, ptr string, kind acl.Kind, owner, bucketOwner acl.User) (err error) {
	switch n.kind {
	case kString:
		*dst, err = acl.Parse([]byte(n.str))
		return embedded(ErrACL, err)
	case kObject:
		if !cannedFields.walk(l, n, ptr, nil) {
			return l.err
		}
		c, _ := n.get("canned")
		*dst, err = acl.Canned(c.str, kind, owner, bucketOwner)
		l.at(ptr+"/canned", c, embedded(ErrACL, err))
		return l.err
	}
	return typeError(n, `an ACL XML string or {"canned": name}`)
}

// analysisWorld exports the loaded world in the form package analysis
// reads.
func (l *loader) analysisWorld() *analysis.World {
	w := &analysis.World{
		Directory:                l.dir,
		AccountBlockPublicAccess: make(map[ownership.AccountID]ownership.PublicAccessBlock, len(l.accountBPA)),
		Buckets:                  make(map[string]*analysis.Bucket, len(l.buckets)),
	}
	for acct, b := range l.accountBPA {
		w.AccountBlockPublicAccess[ownership.AccountID(acct)] = b
	}
	for name, b := range l.buckets {
		ab := &analysis.Bucket{Record: b.rec, Policy: b.policy, ACL: b.acl, Objects: make(map[string]*analysis.Object, len(b.objects))}
		for key, o := range b.objects {
			ab.Objects[key] = &analysis.Object{Record: o.rec, ACL: o.acl}
		}
		w.Buckets[name] = ab
	}
	return w
}
