package evaluate

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// TestActionClassesAgreeWithThePackages checks the classes the evaluator
// reads by index against what acl and ownership answer for the action's
// name, and the named classes against the actions the rules name.
func TestActionClassesAgreeWithThePackages(t *testing.T) {
	const owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
	ownerACL, err := acl.Parse([]byte(`<AccessControlPolicy><Owner><ID>` + owner + `</ID></Owner><AccessControlList>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` + owner + `</ID></Grantee>` +
		`<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`))
	require.NoError(t, err)
	named := map[actionClass][]string{}
	for _, a := range policy.Actions() {
		c := actionClasses[a.Index]
		assert.Equal(t, ownership.BucketOwnerMay(a.Name), c&classBucketOwnerPower != 0, "%s: bucket owner power", a.Name)
		_, bucketGrants, _ := ownerACL.Permits(context.Background(), &acl.Requester{CanonicalID: owner}, a.Name, acl.Bucket)
		assert.Equal(t, a.Resource == policy.ResourceObject && bucketGrants, c&classBucketWrite != 0, "%s: governed by the bucket ACL", a.Name)
		for _, one := range []actionClass{classBucketPolicy, classPutBucketPolicy, classSetACL, classCreateBucket} {
			if c&one != 0 {
				named[one] = append(named[one], a.Name)
			}
		}
	}
	assert.Equal(t, map[actionClass][]string{
		classBucketPolicy:    {"s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"},
		classPutBucketPolicy: {"s3:PutBucketPolicy"},
		classSetACL:          {"s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"},
		classCreateBucket:    {"s3:CreateBucket"},
	}, named)
}
