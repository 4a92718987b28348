package policy

import (
	"strconv"

	"github.com/s3authz/s3authz/internal/s3actions"
)

// ResourceType is the kind of resource an S3 action applies to. The zero
// value is ResourceUnknown.
type ResourceType uint8

const (
	// ResourceUnknown marks a name that is not an S3 action in the catalog.
	ResourceUnknown ResourceType = iota
	// ResourceNone marks an action without resource-level permission: it is
	// granted with "Resource": "*" (for example s3:ListAllMyBuckets).
	ResourceNone
	// ResourceBucket marks an action on a bucket, arn:PARTITION:s3:::BUCKET
	// (or, for some actions, an access point used in place of the bucket).
	ResourceBucket
	// ResourceObject marks an action on an object, arn:PARTITION:s3:::BUCKET/KEY
	// (or, for some actions, an object reached through an access point).
	ResourceObject
	// ResourceOther marks an action on another S3 resource: access points,
	// batch jobs, Storage Lens, Access Grants, multi-region and object-lambda
	// access points.
	ResourceOther
)

// String returns the lower-case name of r ("unknown", "none", "bucket",
// "object" or "other"), or "ResourceType(N)" for a value out of range.
func (r ResourceType) String() string {
	switch r {
	case ResourceUnknown:
		return "unknown"
	case ResourceNone:
		return "none"
	case ResourceBucket:
		return "bucket"
	case ResourceObject:
		return "object"
	case ResourceOther:
		return "other"
	}
	return "ResourceType(" + strconv.Itoa(int(r)) + ")"
}

// ActionInfo describes one S3 action of the catalog.
type ActionInfo struct {
	// Name is the canonical spelling of the action with its prefix, for
	// example "s3:GetObject".
	Name string
	// Resource is the kind of resource the action applies to.
	Resource ResourceType
	// Index is the action's position in the catalog, from 0 to
	// NumActions-1: a compact identity for tables and bit sets. It may
	// change from one release to the next as actions are added.
	Index int
}

// resourceTypes maps the table's resource kinds to ResourceType.
var resourceTypes = [...]ResourceType{
	s3actions.ResourceUnknown: ResourceUnknown,
	s3actions.ResourceNone:    ResourceNone,
	s3actions.ResourceBucket:  ResourceBucket,
	s3actions.ResourceObject:  ResourceObject,
	s3actions.ResourceOther:   ResourceOther,
}

// NumActions is the number of actions in the catalog.
const NumActions = s3actions.Count

// actionInfo returns the catalog entry of the action with index i. The
// catalog is the module's one action table, package internal/s3actions: the
// S3 actions of the Service Authorization Reference (the core bucket,
// object and account actions, and the access point, batch job, Storage Lens
// and Access Grants families; s3express actions are out of scope), sorted
// by lower-case name, with the per-action condition keys of each
// (HasConditionKey).
func actionInfo(i int) ActionInfo {
	a := s3actions.At(i)
	return ActionInfo{Name: a.Name, Resource: resourceTypes[a.Resource], Index: i}
}

// LookupAction finds the action called name, ignoring ASCII case, so that
// "S3:getobject" finds s3:GetObject. The name must carry the "s3:" prefix;
// any other name, and any name not in the catalog, yields (ActionInfo{},
// false). LookupAction does not allocate and costs one hash of the name
// and one comparison.
func LookupAction(name string) (ActionInfo, bool) {
	i, ok := s3actions.Lookup(name)
	if !ok {
		return ActionInfo{}, false
	}
	return actionInfo(i), true
}

// Actions returns the whole catalog sorted by name, ignoring case. The caller
// owns the returned slice.
func Actions() []ActionInfo {
	out := make([]ActionInfo, NumActions)
	for i := range out {
		out[i] = actionInfo(i)
	}
	return out
}

// compareFold compares a and b byte by byte with ASCII letters folded to lower
// case and returns -1, 0 or +1.
func compareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := lowerASCII(a[i]), lowerASCII(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// lowerASCII folds an ASCII upper-case letter to lower case and returns any
// other byte unchanged.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}
