package ownership

import "github.com/s3authz/s3authz/internal/s3actions"

// BucketOwnerMay reports whether the bucket owner's account holds action
// on every object in its bucket, including objects another account owns
// and whose ACLs grant it nothing: true exactly for s3:DeleteObject,
// s3:DeleteObjectVersion and s3:RestoreObject, compared case-insensitively
// (action names are case-insensitive in IAM). It takes one request action,
// not a pattern: "s3:*" gives false. It does not allocate.
//
// This is the account's power as resource owner, the object context's
// answer. The account's IAM principals still need an allow from their
// identity policies (S3's user context), and explicit denies still win.
//
// Archiving is not in the list. S3 archives objects by storage-class
// transitions that the bucket's lifecycle configuration performs; the
// owner sets that configuration with s3:PutLifecycleConfiguration, a
// bucket action it holds anyway, and the transitions are not requests on
// the object that anyone authorizes. The other way to change an object's
// storage class, copying it onto itself, reads the object and so needs
// s3:GetObject, which the bucket owner does not get on foreign objects.
//
// BucketOwnerMay matters only when ACLs are enabled: under
// BucketOwnerEnforced the bucket owner owns every object.
func BucketOwnerMay(action string) bool {
	// The action table marks these actions with the BucketOwnerMay trait.
	i, ok := s3actions.Lookup(action)
	if !ok {
		return false
	}
	return s3actions.At(i).Has(s3actions.BucketOwnerMay)
}

// BucketOwnerActions returns the actions [BucketOwnerMay] accepts, in their
// canonical spelling, as a new slice the caller may modify.
func BucketOwnerActions() []string {
	var out []string
	for i := range s3actions.Count {
		if a := s3actions.At(i); a.Has(s3actions.BucketOwnerMay) {
			out = append(out, a.Name)
		}
	}
	return out
}
