package evaluate

import (
	"slices"
	"strings"

	"github.com/s3authz/s3authz/internal/glob"
	"github.com/s3authz/s3authz/policy"
)

// Resource elements are matched against a request's resource without
// building its ARN where the pattern allows: a pattern that is literal text,
// or literal text and one trailing '*', and reads arn:PARTITION:s3:::BUCKET
// or arn:PARTITION:s3:::BUCKET/KEY is split into its parts once, at
// Prepare, and compared part by part. Any other pattern (variables, inner
// wildcards, other shapes) is matched against the whole ARN, which the
// evaluation then builds once in its scratch space.

// target is the resource of a request in parts: the ARN
// arn:PARTITION:s3:::BUCKET/KEY, arn:PARTITION:s3:::BUCKET for bucket
// actions, and arn:PARTITION:s3:::* for actions on no resource (bucket "*").
type target struct {
	partition, bucket, key string
	object                 bool // the ARN has a /KEY part
}

// arn appends the target's ARN to b.
func (t *target) arn(b []byte) []byte {
	b = append(b, "arn:"...)
	b = append(b, t.partition...)
	b = append(b, ":s3:::"...)
	b = append(b, t.bucket...)
	if t.object {
		b = append(b, '/')
		b = append(b, t.key...)
	}
	return b
}

// resShape is how a compiled resource pattern is matched.
type resShape uint8

const (
	resWhole        resShape = iota // matched against the whole ARN
	resAny                          // "*"
	resBucket                       // arn:P:s3:::BUCKET, exactly
	resObject                       // arn:P:s3:::BUCKET/KEY, exactly
	resKeyPrefix                    // arn:P:s3:::BUCKET/PREFIX*
	resBucketPrefix                 // arn:P:s3:::PREFIX* (PREFIX without '/')
)

// resPattern is one Resource or NotResource entry, split when its shape
// allows.
type resPattern struct {
	shape     resShape
	partition string
	bucket    string // the bucket, or the bucket prefix of resBucketPrefix
	key       string // the key, or the key prefix of resKeyPrefix
}

// compileResource splits p when it has a part-wise shape.
func compileResource(pat *policy.Pattern) resPattern {
	p := (*glob.Pattern)(pat)
	if p.IsAny() {
		return resPattern{shape: resAny}
	}
	lit, exact := p.Exact()
	if !exact {
		var prefix bool
		if lit, prefix = p.Prefix(); !prefix {
			return resPattern{}
		}
	}
	rest, ok := strings.CutPrefix(lit, "arn:")
	if !ok {
		return resPattern{}
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !ok || strings.IndexByte(partition, ':') >= 0 {
		return resPattern{}
	}
	rest, ok = strings.CutPrefix(rest, "s3:::")
	if !ok {
		return resPattern{}
	}
	bucket, key, object := strings.Cut(rest, "/")
	r := resPattern{partition: partition, bucket: bucket, key: key}
	switch {
	case exact && object:
		r.shape = resObject
	case exact:
		r.shape = resBucket
	case object:
		r.shape = resKeyPrefix
	default:
		r.shape = resBucketPrefix
	}
	return r
}

// matchParts matches a split pattern against t; whole reports that the
// pattern needs the whole ARN instead.
func (r *resPattern) matchParts(t *target) (match, whole bool) {
	switch r.shape {
	case resWhole:
		return false, true
	case resAny:
		return true, false
	}
	if r.partition != t.partition {
		return false, false
	}
	switch r.shape {
	case resBucket:
		return !t.object && r.bucket == t.bucket, false
	case resObject:
		return t.object && r.bucket == t.bucket && r.key == t.key, false
	case resKeyPrefix:
		return t.object && r.bucket == t.bucket && strings.HasPrefix(t.key, r.key), false
	}
	return strings.HasPrefix(t.bucket, r.bucket), false // resBucketPrefix
}

// compileResources splits every entry of a Resource or NotResource element.
func compileResources(pats []policy.Pattern) []resPattern {
	if len(pats) == 0 {
		return nil
	}
	out := make([]resPattern, len(pats))
	for i := range pats {
		out[i] = compileResource(&pats[i])
	}
	return out
}

// resourceIndex finds the statements whose Resource element can match a
// request's resource without looking at the others: by partition and
// bucket, then by the exact key or a key prefix. A statement is indexed
// when every entry of its Resource element names one bucket (resBucket,
// resObject, resKeyPrefix); every other statement (Resource "*", bucket
// prefixes, inner wildcards, variables, NotResource) is in always and is
// always a candidate. Candidates come out in document order, so the first
// statement that matches is the same as in a full scan.
type resourceIndex struct {
	buckets map[bucketID]*bucketIndex
	always  []int32
}

type bucketID struct{ partition, bucket string }

type bucketIndex struct {
	bucket     []int32            // statements naming the bucket itself
	exact      map[string][]int32 // by object key
	prefix     map[string][]int32 // by key prefix
	prefixLens []int              // distinct key prefix lengths, ascending
}

func buildIndex(stmts []preparedStatement) resourceIndex {
	ix := resourceIndex{buckets: map[bucketID]*bucketIndex{}}
	for i := range stmts {
		ps := &stmts[i]
		indexable := !ps.notResource && len(ps.resources) > 0
		for _, r := range ps.resources {
			indexable = indexable && (r.shape == resBucket || r.shape == resObject || r.shape == resKeyPrefix)
		}
		if !indexable {
			ix.always = append(ix.always, int32(i))
			continue
		}
		for _, r := range ps.resources {
			id := bucketID{r.partition, r.bucket}
			b := ix.buckets[id]
			if b == nil {
				b = &bucketIndex{exact: map[string][]int32{}, prefix: map[string][]int32{}}
				ix.buckets[id] = b
			}
			switch r.shape {
			case resBucket:
				b.bucket = appendOnce(b.bucket, int32(i))
			case resObject:
				b.exact[r.key] = appendOnce(b.exact[r.key], int32(i))
			case resKeyPrefix:
				if _, seen := b.prefix[r.key]; !seen {
					if j, found := slices.BinarySearch(b.prefixLens, len(r.key)); !found {
						b.prefixLens = slices.Insert(b.prefixLens, j, len(r.key))
					}
				}
				b.prefix[r.key] = appendOnce(b.prefix[r.key], int32(i))
			}
		}
	}
	return ix
}

func appendOnce(s []int32, i int32) []int32 {
	if n := len(s); n > 0 && s[n-1] == i {
		return s
	}
	return append(s, i)
}

// candidates appends to buf, in ascending order, the statements whose
// Resource element may match t.
func (ix *resourceIndex) candidates(t *target, buf []int32) []int32 {
	if b := ix.buckets[bucketID{t.partition, t.bucket}]; b != nil {
		if !t.object {
			buf = append(buf, b.bucket...)
		} else {
			buf = append(buf, b.exact[t.key]...)
			for _, l := range b.prefixLens {
				if l > len(t.key) {
					break
				}
				buf = append(buf, b.prefix[t.key[:l]]...)
			}
		}
	}
	buf = append(buf, ix.always...)
	slices.Sort(buf)
	return slices.Compact(buf)
}
