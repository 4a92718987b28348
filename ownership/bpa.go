package ownership

import "strings"

// PublicAccessBlock is one level of S3 Block Public Access: the account's
// (s3control), a bucket's, or an access point's setting. The zero value
// blocks nothing, which is S3's behaviour for a level with no
// configuration; S3 turns all four on for new buckets and access points
// (see [BlockAllPublicAccess]).
type PublicAccessBlock struct {
	// BlockPublicAcls refuses, at write time, requests that would store a
	// public ACL: PutBucketAcl, PutObjectAcl, PutObject and other object
	// writes, and CreateBucket, carrying a grant to AllUsers or
	// AuthenticatedUsers. Stored ACLs are untouched.
	BlockPublicAcls bool
	// IgnorePublicAcls makes evaluation ignore every public ACL grant on the
	// bucket and its objects.
	IgnorePublicAcls bool
	// BlockPublicPolicy refuses, at write time, a public bucket (or access
	// point) policy.
	BlockPublicPolicy bool
	// RestrictPublicBuckets limits a public bucket policy to AWS service
	// principals and principals of the bucket owner's account: all public
	// and cross-account access granted by that policy is dropped.
	RestrictPublicBuckets bool
}

// BlockAllPublicAccess returns a PublicAccessBlock with all four settings
// on: S3's default for new buckets (since April 2023) and access points.
func BlockAllPublicAccess() PublicAccessBlock {
	return PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
}

// Combine returns the effective setting of b and others — typically the
// account's, the bucket's and, for a request through one, the access
// point's: each flag is the logical OR of the levels, so the most
// restrictive wins.
func (b PublicAccessBlock) Combine(others ...PublicAccessBlock) PublicAccessBlock {
	for _, o := range others {
		b.BlockPublicAcls = b.BlockPublicAcls || o.BlockPublicAcls
		b.IgnorePublicAcls = b.IgnorePublicAcls || o.IgnorePublicAcls
		b.BlockPublicPolicy = b.BlockPublicPolicy || o.BlockPublicPolicy
		b.RestrictPublicBuckets = b.RestrictPublicBuckets || o.RestrictPublicBuckets
	}
	return b
}

// Any reports whether any of the four settings is on.
func (b PublicAccessBlock) Any() bool {
	return b.BlockPublicAcls || b.IgnorePublicAcls || b.BlockPublicPolicy || b.RestrictPublicBuckets
}

// String lists the settings that are on, in declaration order and
// separated by commas ("BlockPublicAcls,RestrictPublicBuckets"), or
// returns "none".
func (b PublicAccessBlock) String() string {
	if !b.Any() {
		return "none"
	}
	var parts []string
	for _, f := range [...]struct {
		on   bool
		name string
	}{
		{b.BlockPublicAcls, "BlockPublicAcls"},
		{b.IgnorePublicAcls, "IgnorePublicAcls"},
		{b.BlockPublicPolicy, "BlockPublicPolicy"},
		{b.RestrictPublicBuckets, "RestrictPublicBuckets"},
	} {
		if f.on {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, ",")
}
