package main

import (
	"bytes"
	"encoding/xml"
	"net/http"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// setBucket replaces the bucket's record with what change makes of a copy
// of it, so that records handed to the evaluator are never modified; the
// caller holds the write lock.
func setBucket(b *bucket, change func(*ownership.Bucket)) {
	rec := *b.rec
	change(&rec)
	b.rec = &rec
}

// updateBucket runs f on the operation's bucket under the write lock, and
// answers 204 (or status) when it succeeds.
func (g *gateway) updateBucket(w http.ResponseWriter, c *call, status int, f func(b *bucket) error) error {
	g.world.mu.Lock()
	defer g.world.mu.Unlock()
	b, err := g.bucketOf(c)
	if err != nil {
		return err
	}
	if err := f(b); err != nil {
		return err
	}
	w.WriteHeader(status)
	return nil
}

// readBucket runs f on the operation's bucket under the read lock.
func (g *gateway) readBucket(c *call, f func(b *bucket) error) error {
	g.world.mu.RLock()
	defer g.world.mu.RUnlock()
	b, err := g.bucketOf(c)
	if err != nil {
		return err
	}
	return f(b)
}

var errNoSuchBucketPolicy = &s3Error{http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist"}

// getBucketPolicy answers GetBucketPolicy with the policy as it was put.
func (g *gateway) getBucketPolicy(w http.ResponseWriter, _ *http.Request, c *call) error {
	var doc []byte
	if err := g.readBucket(c, func(b *bucket) error {
		doc = b.policyJSON
		return nil
	}); err != nil {
		return err
	}
	if doc == nil {
		return errNoSuchBucketPolicy
	}
	writeBody(w, "application/json", doc)
	return nil
}

// putBucketPolicy answers PutBucketPolicy: the policy is parsed and
// prepared, and later requests are authorized by it.
func (g *gateway) putBucketPolicy(w http.ResponseWriter, _ *http.Request, c *call) error {
	doc := bytes.Clone(c.info.body)
	p, err := policy.Parse(policy.Bucket, doc)
	if err != nil {
		return &s3Error{http.StatusBadRequest, "MalformedPolicy", cutMessage(err.Error())}
	}
	prep, err := evaluate.Prepare(p)
	if err != nil {
		return &s3Error{http.StatusBadRequest, "MalformedPolicy", cutMessage(err.Error())}
	}
	return g.updateBucket(w, c, http.StatusNoContent, func(b *bucket) error {
		b.policy, b.policyJSON = prep, doc
		return nil
	})
}

// deleteBucketPolicy answers DeleteBucketPolicy.
func (g *gateway) deleteBucketPolicy(w http.ResponseWriter, _ *http.Request, c *call) error {
	return g.updateBucket(w, c, http.StatusNoContent, func(b *bucket) error {
		b.policy, b.policyJSON = nil, nil
		return nil
	})
}

// getBucketPolicyStatus answers GetBucketPolicyStatus: whether the policy
// is public in Block Public Access's sense.
func (g *gateway) getBucketPolicyStatus(w http.ResponseWriter, _ *http.Request, c *call) error {
	var public bool
	if err := g.readBucket(c, func(b *bucket) error {
		if b.policy == nil {
			return errNoSuchBucketPolicy
		}
		public = b.policy.Policy().IsPublic()
		return nil
	}); err != nil {
		return err
	}
	return writeXML(w, struct {
		XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PolicyStatus"`
		IsPublic bool
	}{IsPublic: public})
}

// getBucketAcl answers GetBucketAcl.
func (g *gateway) getBucketAcl(w http.ResponseWriter, r *http.Request, c *call) error {
	g.world.mu.RLock()
	b, err := g.bucketOf(c)
	var rec *ownership.Bucket
	var a *acl.ACL
	if err == nil {
		rec, a = b.rec, b.acl
		if !rec.Mode.ACLsEnabled() {
			a = nil // ignored under BucketOwnerEnforced
		}
	}
	g.world.mu.RUnlock()
	if err != nil {
		return err
	}
	return g.writeACL(w, r, a, ownership.AccountOwner(rec.Owner))
}

// putBucketAcl answers PutBucketAcl, from the body or the ACL headers.
func (g *gateway) putBucketAcl(w http.ResponseWriter, r *http.Request, c *call) error {
	a, has, err := g.requestACL(r.Context(), r, c.op, c.info)
	if err != nil || !has {
		return errMalformedACL
	}
	return g.updateBucket(w, c, http.StatusOK, func(b *bucket) error {
		b.acl = a
		return nil
	})
}

// getBucketTagging answers GetBucketTagging.
func (g *gateway) getBucketTagging(w http.ResponseWriter, _ *http.Request, c *call) error {
	var tags []ownership.Tag
	if err := g.readBucket(c, func(b *bucket) error {
		tags = b.rec.Tags
		return nil
	}); err != nil {
		return err
	}
	if len(tags) == 0 {
		return &s3Error{http.StatusNotFound, "NoSuchTagSet", "The TagSet does not exist"}
	}
	return writeTagging(w, tags)
}

// putBucketTagging answers PutBucketTagging.
func (g *gateway) putBucketTagging(w http.ResponseWriter, r *http.Request, c *call) error {
	tags, err := readTagging(r)
	if err != nil {
		return err
	}
	return g.updateBucket(w, c, http.StatusNoContent, func(b *bucket) error {
		rec := *b.rec
		rec.Tags = tags
		if rec.Validate() != nil {
			return errInvalidTag
		}
		b.rec = &rec
		return nil
	})
}

// deleteBucketTagging answers DeleteBucketTagging.
func (g *gateway) deleteBucketTagging(w http.ResponseWriter, _ *http.Request, c *call) error {
	return g.updateBucket(w, c, http.StatusNoContent, func(b *bucket) error {
		setBucket(b, func(rec *ownership.Bucket) { rec.Tags = nil })
		return nil
	})
}

// getBucketVersioning answers GetBucketVersioning.
func (g *gateway) getBucketVersioning(w http.ResponseWriter, _ *http.Request, c *call) error {
	var status string
	if err := g.readBucket(c, func(b *bucket) error {
		status = b.versioning
		return nil
	}); err != nil {
		return err
	}
	return writeXML(w, struct {
		XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
		Status  string   `xml:",omitempty"`
	}{Status: status})
}

// putBucketVersioning answers PutBucketVersioning: Enabled or Suspended
// (MFA delete is not supported).
func (g *gateway) putBucketVersioning(w http.ResponseWriter, r *http.Request, c *call) error {
	var doc struct {
		XMLName   xml.Name `xml:"VersioningConfiguration"`
		Status    string
		MfaDelete string
	}
	if err := readXML(r, &doc); err != nil {
		return err
	}
	if doc.Status != "Enabled" && doc.Status != "Suspended" {
		return errMalformedXML
	}
	if doc.MfaDelete == "Enabled" {
		return &s3Error{http.StatusNotImplemented, "NotImplemented", "MFA delete is not supported by the gateway."}
	}
	return g.updateBucket(w, c, http.StatusOK, func(b *bucket) error {
		b.versioning = doc.Status
		return nil
	})
}

// bpaXML is the PublicAccessBlockConfiguration document.
type bpaXML struct {
	XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PublicAccessBlockConfiguration"`
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

var errNoBPA = &s3Error{http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"}

// getPublicAccessBlock answers GetPublicAccessBlock (the bucket's).
func (g *gateway) getPublicAccessBlock(w http.ResponseWriter, _ *http.Request, c *call) error {
	var doc bpaXML
	if err := g.readBucket(c, func(b *bucket) error {
		if !b.bpaSet {
			return errNoBPA
		}
		p := b.rec.PublicAccessBlock
		doc = bpaXML{BlockPublicAcls: p.BlockPublicAcls, IgnorePublicAcls: p.IgnorePublicAcls,
			BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets}
		return nil
	}); err != nil {
		return err
	}
	return writeXML(w, doc)
}

// putPublicAccessBlock answers PutPublicAccessBlock.
func (g *gateway) putPublicAccessBlock(w http.ResponseWriter, r *http.Request, c *call) error {
	var doc struct {
		XMLName               xml.Name `xml:"PublicAccessBlockConfiguration"`
		BlockPublicAcls       bool
		IgnorePublicAcls      bool
		BlockPublicPolicy     bool
		RestrictPublicBuckets bool
	}
	if err := readXML(r, &doc); err != nil {
		return err
	}
	return g.updateBucket(w, c, http.StatusOK, func(b *bucket) error {
		setBucket(b, func(rec *ownership.Bucket) {
			rec.PublicAccessBlock = ownership.PublicAccessBlock{BlockPublicAcls: doc.BlockPublicAcls,
				IgnorePublicAcls: doc.IgnorePublicAcls, BlockPublicPolicy: doc.BlockPublicPolicy,
				RestrictPublicBuckets: doc.RestrictPublicBuckets}
		})
		b.bpaSet = true
		return nil
	})
}

// deletePublicAccessBlock answers DeletePublicAccessBlock: the bucket then
// blocks nothing of its own.
func (g *gateway) deletePublicAccessBlock(w http.ResponseWriter, _ *http.Request, c *call) error {
	return g.updateBucket(w, c, http.StatusNoContent, func(b *bucket) error {
		setBucket(b, func(rec *ownership.Bucket) { rec.PublicAccessBlock = ownership.PublicAccessBlock{} })
		b.bpaSet = false
		return nil
	})
}

// getBucketOwnershipControls answers GetBucketOwnershipControls.
func (g *gateway) getBucketOwnershipControls(w http.ResponseWriter, _ *http.Request, c *call) error {
	var mode ownership.Mode
	if err := g.readBucket(c, func(b *bucket) error {
		if !b.ownershipSet {
			return &s3Error{http.StatusNotFound, "OwnershipControlsNotFoundError", "The bucket ownership controls were not found"}
		}
		mode = b.rec.Mode
		return nil
	}); err != nil {
		return err
	}
	type rule struct{ ObjectOwnership string }
	return writeXML(w, struct {
		XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ OwnershipControls"`
		Rule    rule
	}{Rule: rule{mode.String()}})
}

// putBucketOwnershipControls answers PutBucketOwnershipControls.
func (g *gateway) putBucketOwnershipControls(w http.ResponseWriter, r *http.Request, c *call) error {
	var doc struct {
		XMLName xml.Name `xml:"OwnershipControls"`
		Rules   []struct {
			ObjectOwnership string
		} `xml:"Rule"`
	}
	if err := readXML(r, &doc); err != nil {
		return err
	}
	if len(doc.Rules) != 1 {
		return errMalformedXML
	}
	mode, err := ownership.ParseMode(doc.Rules[0].ObjectOwnership)
	if err != nil {
		return errMalformedXML
	}
	return g.updateBucket(w, c, http.StatusOK, func(b *bucket) error {
		setBucket(b, func(rec *ownership.Bucket) { rec.Mode = mode })
		b.ownershipSet = true
		return nil
	})
}

// deleteBucketOwnershipControls answers DeleteBucketOwnershipControls: the
// bucket then behaves as S3 buckets without the setting did, ObjectWriter.
func (g *gateway) deleteBucketOwnershipControls(w http.ResponseWriter, _ *http.Request, c *call) error {
	return g.updateBucket(w, c, http.StatusNoContent, func(b *bucket) error {
		setBucket(b, func(rec *ownership.Bucket) { rec.Mode = ownership.ObjectWriter })
		b.ownershipSet = false
		return nil
	})
}

// cutMessage bounds an error message quoted to the client.
func cutMessage(s string) string {
	if len(s) > 256 {
		return s[:256]
	}
	return s
}
