package acl

// Kind is the kind of resource an ACL is attached to. The zero value is
// invalid.
type Kind uint8

const (
	// Bucket is a bucket ACL.
	Bucket Kind = iota + 1
	// Object is an object ACL.
	Object
)

// String returns "bucket" or "object".
func (k Kind) String() string {
	switch k {
	case Bucket:
		return "bucket"
	case Object:
		return "object"
	}
	return "Kind(?)"
}

// CannedNames lists the canned ACLs, as the x-amz-acl header spells them.
func CannedNames() []string {
	return []string{
		"private", "public-read", "public-read-write", "aws-exec-read", "authenticated-read",
		"bucket-owner-read", "bucket-owner-full-control", "log-delivery-write",
	}
}

// Canned expands the canned ACL name (the x-amz-acl header) for a resource
// of the given kind. owner is who owns the resource once the request is
// done (the writer, or the bucket owner where Object Ownership says so);
// bucketOwner is the bucket's owner, used by the bucket-owner-* ACLs.
//
// Every canned ACL grants the owner FULL_CONTROL, then:
//
//	private                    nothing more
//	public-read                AllUsers READ
//	public-read-write          AllUsers READ and WRITE
//	aws-exec-read              READ to Amazon EC2 (EC2ID)
//	authenticated-read         AuthenticatedUsers READ
//	bucket-owner-read          objects: the bucket owner READ; buckets: nothing more
//	bucket-owner-full-control  objects: the bucket owner FULL_CONTROL; buckets: nothing more
//	log-delivery-write         buckets: LogDelivery WRITE and READ_ACP; objects: an error
//
// S3 ignores the bucket-owner-* ACLs on CreateBucket, so on a bucket they
// are private. log-delivery-write only makes sense on a bucket, where logs
// are written, so on an object it is rejected. When the bucket owner owns
// the object, bucket-owner-* add no second grant for the same account.
func Canned(name string, kind Kind, owner, bucketOwner User) (*ACL, error) {
	if kind != Bucket && kind != Object {
		return nil, &Error{Err: errf(ErrInvalidValue, "unknown resource kind %d", kind)}
	}
	if !validID(owner.ID) {
		return nil, &Error{Err: errv(ErrInvalidValue, string(owner.ID), "the owner needs a canonical user ID")}
	}
	a := &ACL{Owner: owner, Grants: []Grant{userGrant(owner, FullControl)}}
	group := func(uri string, p Permission) {
		a.Grants = append(a.Grants, Grant{Grantee: Grantee{Type: Group, URI: uri}, Permission: p})
	}
	toBucketOwner := func(p Permission) error {
		if kind == Bucket || bucketOwner.ID == owner.ID {
			return nil
		}
		if !validID(bucketOwner.ID) {
			return &Error{Err: errv(ErrInvalidValue, string(bucketOwner.ID), "the bucket owner needs a canonical user ID")}
		}
		a.Grants = append(a.Grants, userGrant(bucketOwner, p))
		return nil
	}
	switch name {
	case "private":
	case "public-read":
		group(AllUsers, Read)
	case "public-read-write":
		group(AllUsers, Read)
		group(AllUsers, Write)
	case "aws-exec-read":
		a.Grants = append(a.Grants, Grant{Grantee: Grantee{Type: CanonicalUser, ID: EC2ID}, Permission: Read})
	case "authenticated-read":
		group(AuthenticatedUsers, Read)
	case "bucket-owner-read":
		if err := toBucketOwner(Read); err != nil {
			return nil, err
		}
	case "bucket-owner-full-control":
		if err := toBucketOwner(FullControl); err != nil {
			return nil, err
		}
	case "log-delivery-write":
		if kind == Object {
			return nil, &Error{Err: errv(ErrInvalidValue, name, "applies to buckets only")}
		}
		group(LogDelivery, Write)
		group(LogDelivery, ReadACP)
	default:
		return nil, &Error{Err: errv(ErrInvalidValue, name, "unknown canned ACL")}
	}
	return a, nil
}

func userGrant(o User, p Permission) Grant {
	return Grant{Grantee: Grantee{Type: CanonicalUser, ID: o.ID, DisplayName: o.DisplayName}, Permission: p}
}
