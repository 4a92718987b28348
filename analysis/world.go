package analysis

import (
	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

// World is the stored configuration the access review and the Data
// Protection Policy profile read: buckets with their records, policies,
// ACLs and objects, each account's Block Public Access setting, and the
// directory that ties canonical user IDs to accounts. The scenario loader
// builds one (scenario.Scenario.World); a host builds one from its own
// store.
//
// A World is read, never written, by the analyses, so one may be shared
// by concurrent analyses once built. The zero World has no buckets.
type World struct {
	// Directory maps accounts to canonical user IDs and back; nil knows
	// no account, so a CanonicalUser principal or ACL grantee is never
	// recognised as the owner's and is always reported.
	Directory ownership.Directory
	// AccountBlockPublicAccess holds each account's Block Public Access
	// setting; an absent account blocks nothing.
	AccountBlockPublicAccess map[ownership.AccountID]ownership.PublicAccessBlock
	// Buckets are the buckets by name.
	Buckets map[string]*Bucket
}

// Bucket is one bucket of a World.
type Bucket struct {
	// Record is the bucket's record: name, owner, Object Ownership,
	// bucket-level Block Public Access, product.
	Record *ownership.Bucket
	// Policy is the bucket policy, nil when the bucket has none.
	Policy *evaluate.Prepared
	// ACL is the bucket ACL; nil is the default, the owner's FULL_CONTROL.
	ACL *acl.ACL
	// Objects are the bucket's objects by key.
	Objects map[string]*Object
}

// Object is one object of a Bucket.
type Object struct {
	// Record is the object's record: bucket, key, owner, tags.
	Record *ownership.Object
	// ACL is the object ACL; nil is the default, the owner's FULL_CONTROL.
	ACL *acl.ACL
}

// BlockPublicAccess returns the Block Public Access setting in effect for
// a bucket: its owner account's setting OR its own, flag by flag.
func (w *World) BlockPublicAccess(b *Bucket) ownership.PublicAccessBlock {
	return w.AccountBlockPublicAccess[b.Record.Owner].Combine(b.Record.PublicAccessBlock)
}

// Context returns the evaluation context of a request to bucket b (and
// object key, "" for a bucket action) in the world: the records, the
// bucket policy, the ACLs, the owner account's Block Public Access and the
// directory. The caller adds the requester's own policies.
func (w *World) Context(b *Bucket, key string) evaluate.Context {
	ec := evaluate.Context{
		Bucket:                   b.Record,
		BucketPolicy:             b.Policy,
		BucketACL:                b.ACL,
		AccountBlockPublicAccess: w.AccountBlockPublicAccess[b.Record.Owner],
		Directory:                w.Directory,
	}
	if o := b.Objects[key]; key != "" && o != nil {
		ec.Object, ec.ObjectACL = o.Record, o.ACL
	}
	return ec
}
