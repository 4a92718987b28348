package scenario

import (
	"fmt"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/internal/s3actions"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

var expectations = map[string]bool{"allow": true, "deny": true, "explicit-deny": true, "implicit-deny": true}

func (l *loader) requestsSection(s *Scenario, n *node, ptr string) error {
	s.Requests = make([]Request, 0, len(n.elems))
	return l.items(n, ptr, func(e *node, eptr string) error {
		r := l.request(e, eptr)
		r.Index = len(s.Requests)
		s.Requests = append(s.Requests, r)
		return l.err
	})
}

// requestFields is a request. request reads its strings once the walker
// has checked them, then its context and body.
var requestFields = fields[evaluate.Request]{
	{name: "principal", want: kString, required: true},
	{name: "action", want: kString, required: true},
	{name: "bucket", want: kString},
	{name: "key", want: kString},
	{name: "product", want: kString},
	{name: "context", want: kObject, later: true, read: func(l *loader, req *evaluate.Request, n *node, ptr string) error {
		return l.context(&req.Keys, n, ptr)
	}},
	{name: "time", want: kString},
	{name: "body", later: true, read: (*loader).body},
	{name: "expect", want: kString},
	{name: "why", want: kString},
}

// request reads a request and checks it against the world; on failure,
// l.err is set.
func (l *loader) request(n *node, ptr string) Request {
	if !requestFields.walk(l, n, ptr, nil) {
		return Request{}
	}
	// at fails with err at member k, which is present.
	at := func(k string, err error) Request {
		e, _ := n.get(k)
		l.at(member(ptr, k), e, err)
		return Request{}
	}
	name, action, key := n.text("principal"), n.text("action"), n.text("key")
	pr, ok := l.principals[name]
	if !ok {
		return at("principal", fmt.Errorf("%w: principal %q is not in principals", ErrDangling, name))
	}
	info, ok := policy.LookupAction(action)
	if !ok {
		return at("action", fmt.Errorf("%w: %s is not an S3 action", ErrInvalid, errfmt.Quote(action)))
	}
	_, hasKey := n.get("key")
	if (info.Resource == policy.ResourceObject) != hasKey {
		return at("action", fmt.Errorf("%w: %s is %s-level: a request has a key exactly for object actions", ErrInvalid, info.Name, info.Resource))
	}
	if hasKey && (key == "" || len(key) > ownership.MaxKeyBytes) {
		return at("key", fmt.Errorf("%w: an object key is 1 to %d bytes, not %d", ErrInvalid, ownership.MaxKeyBytes, len(key)))
	}
	req := evaluate.Request{Principal: pr.p, PrincipalTags: pr.tags, Action: info.Name, Bucket: n.text("bucket"), Key: key}
	ec := evaluate.Context{Identity: pr.identity, Boundary: pr.boundary, Session: pr.session, Directory: l.dir, Products: l.products, Subscriptions: l.subs}
	if _, ok := n.get("bucket"); ok {
		b, ok := l.buckets[req.Bucket]
		if !ok && s3actions.At(info.Index).Has(s3actions.CreatesBucket) {
			// The bucket to create: it is in no world yet, and its
			// account's Block Public Access is the caller's.
			if a := pr.p.Account(); a != "" {
				ec.AccountBlockPublicAccess = l.accountBPA[string(a)]
			}
		} else if !ok {
			return at("bucket", fmt.Errorf("%w: bucket %q is not in buckets", ErrDangling, req.Bucket))
		} else {
			ec.Bucket, ec.BucketPolicy, ec.BucketACL = b.rec, b.policy, b.acl
			ec.AccountBlockPublicAccess = l.accountBPA[string(b.rec.Owner)]
			if o, ok := b.objects[req.Key]; ok && hasKey {
				ec.Object, ec.ObjectACL = o.rec, o.acl
			}
		}
	} else if info.Resource == policy.ResourceBucket || info.Resource == policy.ResourceObject {
		l.missing(n, ptr, "bucket")
		return Request{}
	}
	if code, ok := n.get("product"); ok {
		if err := l.product(code.str); err != nil {
			return at("product", err)
		}
		req.Product = devpay.ProductCode(code.str)
	}
	if ts, ok := n.get("time"); ok {
		t, err := time.Parse(time.RFC3339, ts.str)
		if err != nil {
			return at("time", fmt.Errorf("%w: time %q: want RFC 3339", ErrInvalid, ts.str))
		}
		req.Time = t
	}
	if !requestFields.read(l, n, ptr, &req, "context") || !requestFields.read(l, n, ptr, &req, "body") {
		return Request{}
	}
	expect := n.text("expect")
	if _, ok := n.get("expect"); ok && !expectations[expect] {
		return at("expect", fmt.Errorf("%w: expect %q: want allow, deny, explicit-deny or implicit-deny", ErrInvalid, expect))
	}
	return Request{Principal: name, Request: req, Context: ec, Expect: expect, Why: n.text("why")}
}

// context reads a request's condition keys into dst: each a string or an
// array of strings.
func (l *loader) context(dst **evaluate.Keys, n *node, ptr string) error {
	keys := &evaluate.Keys{}
	*dst = keys
	return l.each(n, ptr, func(k string, e *node, eptr string) error {
		switch e.kind {
		case kString:
			keys.Set(k, e.str)
			return nil
		case kArray:
			vals := make([]string, 0, len(e.elems))
			err := l.items(e, eptr, func(v *node, _ string) error {
				vals = append(vals, v.str)
				return wantString(v)
			})
			keys.Set(k, vals...)
			return err
		}
		return typeError(e, "a string or an array of strings")
	})
}

// bodyFields is the body of a request: the policy or ACL it would store,
// read in this order.
var bodyFields = fields[evaluate.Request]{
	{name: "policy", later: true, read: func(l *loader, req *evaluate.Request, n *node, _ string) (err error) {
		req.Policy, err = policy.Parse(policy.Bucket, n.raw(l.data))
		if n.kind != kObject || err != nil {
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		return nil
	}},
	{name: "acl", later: true, read: func(l *loader, req *evaluate.Request, n *node, ptr string) error {
		// The ACL as S3 would store it: for the requester's account as
		// the resource owner.
		owner := acl.User{}
		if a := req.Principal.Account(); a != "" {
			owner.ID = acl.CanonicalID(l.canonical[string(a)])
		}
		kind := acl.Bucket
		if req.Key != "" {
			kind = acl.Object
		}
		if n.kind == kObject {
			if c, ok := n.get("canned"); ok && c.kind == kString {
				req.CannedACL = c.str
			}
		}
		if owner.ID == "" {
			owner.ID = acl.AnonymousID
		}
		return l.acl(&req.ACL, n, ptr, kind, owner, owner)
	}},
}

func (l *loader) body(req *evaluate.Request, n *node, ptr string) error {
	if bodyFields.check(l, n, ptr) && bodyFields.read(l, n, ptr, req, "policy") {
		bodyFields.read(l, n, ptr, req, "acl")
	}
	return l.err
}
