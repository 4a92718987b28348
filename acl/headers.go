package acl

import (
	"strings"
)

// GrantHeaders holds the explicit grant headers of a request
// (x-amz-grant-read and the others), raw. An empty field is an absent
// header.
type GrantHeaders struct {
	Read, Write, ReadACP, WriteACP, FullControl string
}

// IsZero reports whether no grant header is set.
func (h GrantHeaders) IsZero() bool { return h == GrantHeaders{} }

// Grants parses every header into grants, in the order FULL_CONTROL, READ,
// WRITE, READ_ACP, WRITE_ACP, and each header's grantees in the order
// written.
func (h GrantHeaders) Grants() ([]Grant, error) {
	var out []Grant
	for _, f := range []struct {
		p Permission
		v string
	}{{FullControl, h.FullControl}, {Read, h.Read}, {Write, h.Write}, {ReadACP, h.ReadACP}, {WriteACP, h.WriteACP}} {
		if f.v == "" {
			continue
		}
		g, err := ParseGrantHeader(f.p, f.v)
		if err != nil {
			return nil, err
		}
		out = append(out, g...)
	}
	if len(out) > MaxGrants {
		return nil, &Error{Path: "x-amz-grant-*", Err: errf(ErrTooManyGrants, "%d grants, more than %d", len(out), MaxGrants)}
	}
	return out, nil
}

// headerName returns the x-amz-grant-* header of a permission.
func headerName(p Permission) string {
	return "x-amz-grant-" + strings.ToLower(strings.ReplaceAll(p.String(), "_", "-"))
}

// ParseGrantHeader parses the value of the x-amz-grant-* header for
// permission p: a comma-separated list of id="canonical ID",
// uri="group URI" or emailAddress="address" (the quotes may be omitted;
// the type names match without regard to case), at most MaxGrants of them.
func ParseGrantHeader(p Permission, value string) ([]Grant, error) {
	name := headerName(p)
	if p < Read || p > FullControl {
		return nil, &Error{Err: errf(ErrInvalidValue, "unknown permission %d", p)}
	}
	if n := strings.Count(value, ",") + 1; n > MaxGrants {
		return nil, &Error{Path: name, Err: errf(ErrTooManyGrants, "%d grantees, the limit is %d", n, MaxGrants)}
	}
	var out []Grant
	for _, item := range strings.Split(value, ",") {
		item = strings.TrimSpace(item)
		typ, v, ok := strings.Cut(item, "=")
		if !ok {
			return nil, &Error{Path: name, Err: errv(ErrInvalidValue, item, `want id="...", uri="..." or emailAddress="..."`)}
		}
		typ, v = strings.TrimSpace(typ), strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		var g Grantee
		switch {
		case strings.EqualFold(typ, "id"):
			if !validID(CanonicalID(v)) {
				return nil, &Error{Path: name, Err: errv(ErrInvalidValue, v, "want a canonical user ID (64 lowercase hex digits)")}
			}
			g = Grantee{Type: CanonicalUser, ID: CanonicalID(v)}
		case strings.EqualFold(typ, "uri"):
			if v != AllUsers && v != AuthenticatedUsers && v != LogDelivery {
				return nil, &Error{Path: name, Err: errv(ErrInvalidValue, v, "want the AllUsers, AuthenticatedUsers or LogDelivery group URI")}
			}
			g = Grantee{Type: Group, URI: v}
		case strings.EqualFold(typ, "emailAddress"):
			if !validEmail(v) {
				return nil, &Error{Path: name, Err: errv(ErrInvalidValue, v, "want an e-mail address")}
			}
			g = Grantee{Type: AmazonCustomerByEmail, Email: v}
		default:
			return nil, &Error{Path: name, Err: errv(ErrInvalidGrantee, typ, "want id, uri or emailAddress")}
		}
		out = append(out, Grant{Grantee: g, Permission: p})
	}
	return out, nil
}
