package acl

// WithoutPublic returns the ACL that IgnorePublicAcls leaves in force: the
// same owner and the grants that are not public, or a itself when nothing
// is public. It is the plain definition the tests hold
// Requester.IgnorePublic to.
func WithoutPublic(a *ACL) *ACL {
	if !a.IsPublic() {
		return a
	}
	b := &ACL{Owner: a.Owner, Grants: make([]Grant, 0, len(a.Grants))}
	for _, g := range a.Grants {
		if !g.Grantee.IsPublic() {
			b.Grants = append(b.Grants, g)
		}
	}
	return b
}
