package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/internal/golden"
)

// step is one SDK call of the suite: the S3 operation, who calls, in which
// addressing style, what it does, and the outcome S3 gives in this world:
// "ok" (and the call's own checks of what came back), or the error code
// and HTTP status the SDK reports.
type step struct {
	op    string
	who   string // alice, bob, carol, anonymous, carol+PHOTOAPP, ...
	style string // "path" or "virtual"
	what  string
	want  string
	do    func(ctx context.Context, c *s3.Client, e *env) error
}

// The canonical IDs of the world's accounts.
const (
	ownerID   = "68ce0134187a289936e548a7c12671466f9d8919eb4fc71275435c9f1feb43a9"
	partnerID = "583096c4266b7c069591e80865c2b0428de1a3138a64b862aa0bf2755501bc38"
)

// bigPart is a first part of a multipart upload: S3's minimum, 5 MiB.
var bigPart = bytes.Repeat([]byte("0123456789abcdef"), (5<<20)/16)

func get(bucket, key string, want string) func(ctx context.Context, c *s3.Client, e *env) error {
	return func(ctx context.Context, c *s3.Client, e *env) error {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			return err
		}
		body, err := readBody(out)
		if err != nil {
			return err
		}
		return expect("body", body, want)
	}
}

func put(bucket, key, body string) func(ctx context.Context, c *s3.Client, e *env) error {
	return func(ctx context.Context, c *s3.Client, e *env) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
		return err
	}
}

func listV2(bucket, prefix, delimiter string, wantKeys, wantPrefixes []string) func(ctx context.Context, c *s3.Client, e *env) error {
	return func(ctx context.Context, c *s3.Client, e *env) error {
		in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket)}
		if prefix != "" {
			in.Prefix = aws.String(prefix)
		}
		if delimiter != "" {
			in.Delimiter = aws.String(delimiter)
		}
		out, err := c.ListObjectsV2(ctx, in)
		if err != nil {
			return err
		}
		var keys, prefixes []string
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		for _, p := range out.CommonPrefixes {
			prefixes = append(prefixes, aws.ToString(p.Prefix))
		}
		if !slices.Equal(keys, wantKeys) || !slices.Equal(prefixes, wantPrefixes) {
			return fmt.Errorf("listed %q and prefixes %q, want %q and %q", keys, prefixes, wantKeys, wantPrefixes)
		}
		return nil
	}
}

const bobReadsDocs = `{"Version":"2012-10-17","Statement":[{"Sid":"BobReadsDocs","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::alice-work/docs/*"}]}`

const publicPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Everyone","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::alice-work/*"}]}`

// steps is the suite, in order: later steps see what earlier ones wrote.
// It is also the operation table of testdata/operations.md.
func steps() []step {
	return []step{
		// Buckets.
		{"ListBuckets", "alice", "path", "the owner account's buckets", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			if err != nil {
				return err
			}
			var names []string
			for _, b := range out.Buckets {
				names = append(names, aws.ToString(b.Name))
			}
			return expect("buckets", strings.Join(names, ","), "logs,photos")
		}},
		{"ListBuckets", "anonymous", "path", "no account to list", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			return err
		}},
		{"ListBuckets", "unknown-key", "path", "an access key nobody has", "InvalidAccessKeyId 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			return err
		}},
		{"ListBuckets", "alice-wrong-secret", "virtual", "alice's key, another secret: the signature does not verify", "SignatureDoesNotMatch 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			return err
		}},
		{"GetObject", "alice-wrong-secret", "path", "no object is served to a bad signature", "SignatureDoesNotMatch 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg")})
			return err
		}},
		{"CreateBucket", "alice", "virtual", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"CreateBucket", "bob", "path", "bob-bucket: bob may not create buckets", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bob-bucket")})
			return err
		}},
		{"CreateBucket", "alice", "path", "photos, which her account owns", "BucketAlreadyOwnedByYou 409", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")})
			return err
		}},
		{"CreateBucket", "carol", "path", "photos, another account's", "BucketAlreadyExists 409", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")})
			return err
		}},
		{"HeadBucket", "bob", "virtual", "photos", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("photos")})
			return err
		}},
		{"HeadBucket", "carol", "path", "alice-work, another account's", "Forbidden 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"HeadBucket", "alice", "path", "a bucket that does not exist", "NotFound 404", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("no-such-bucket")})
			return err
		}},
		{"GetBucketLocation", "bob", "path", "photos", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("photos")})
			if err != nil {
				return err
			}
			return expect("location", string(out.LocationConstraint), "")
		}},
		{"GetBucketLocation", "carol", "virtual", "photos: the policy grants her no s3:GetBucketLocation", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("photos")})
			return err
		}},

		// Objects.
		{"PutObject", "alice", "virtual", "alice-work/docs/a.txt with metadata and tags", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/a.txt"),
				Body: strings.NewReader("hello a"), ContentType: aws.String("text/plain"),
				Metadata: map[string]string{"project": "demo"}, Tagging: aws.String("stage=draft")})
			if err != nil {
				return err
			}
			return expect("ETag", aws.ToString(out.ETag), `"`+md5hex("hello a")+`"`)
		}},
		{"GetObject", "alice", "path", "alice-work/docs/a.txt: body, metadata, tag count", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/a.txt")})
			if err != nil {
				return err
			}
			body, err := readBody(out)
			return errors.Join(err, expect("body", body, "hello a"), expect("metadata", out.Metadata["project"], "demo"),
				expect("content type", aws.ToString(out.ContentType), "text/plain"), expect("tags", aws.ToInt32(out.TagCount), 1))
		}},
		{"HeadObject", "bob", "virtual", "photos/public/cat.jpg", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg")})
			if err != nil {
				return err
			}
			return expect("length", aws.ToInt64(out.ContentLength), int64(len("photos/public/cat.jpg\n")))
		}},
		{"GetObject", "anonymous", "path", "photos/public/cat.jpg: the policy's PublicRead", "ok", get("photos", "public/cat.jpg", "photos/public/cat.jpg\n")},
		{"GetObject", "anonymous", "virtual", "photos/private/diary.txt", "AccessDenied 403", get("photos", "private/diary.txt", "")},
		{"GetObject", "carol", "path", "photos/shared/report.txt: cross-account grant", "ok", get("photos", "shared/report.txt", "photos/shared/report.txt\n")},
		{"GetObject", "carol", "path", "photos/private/diary.txt", "AccessDenied 403", get("photos", "private/diary.txt", "")},
		{"GetObject", "bob", "path", "photos/public/missing.jpg: bob may list, so 404", "NoSuchKey 404", get("photos", "public/missing.jpg", "")},
		{"GetObject", "anonymous", "path", "photos/public/missing.jpg: no s3:ListBucket, so 403", "AccessDenied 403", get("photos", "public/missing.jpg", "")},
		{"HeadObject", "bob", "path", "photos/public/missing.jpg", "NotFound 404", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/missing.jpg")})
			return err
		}},
		{"GetObject", "bob", "virtual", "photos/public/cat.jpg, Range bytes=7-12", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg"), Range: aws.String("bytes=7-12")})
			if err != nil {
				return err
			}
			body, err := readBody(out)
			return errors.Join(err, expect("body", body, "public"), expect("range", aws.ToString(out.ContentRange), "bytes 7-12/22"))
		}},
		{"GetObject", "bob", "path", "photos/public/cat.jpg, If-None-Match its ETag", "NotModified 304", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg"), IfNoneMatch: aws.String(`"` + md5hex("photos/public/cat.jpg\n") + `"`)})
			return err
		}},
		{"PutObject", "bob", "path", "photos/uploads/web/bob.txt: ${aws:PrincipalTag/team} is web", "ok", put("photos", "uploads/web/bob.txt", "from bob")},
		// Request shape: over plain HTTP the SDK hashes every payload
		// (x-amz-content-sha256 is the body's SHA-256) and refuses an
		// unseekable body ("request stream is not seekable") rather than
		// stream it aws-chunked, which it does only over TLS; so aws-chunked
		// decoding is tested in auth_test.go. UNSIGNED-PAYLOAD can be asked
		// for, and the mapper takes it.
		{"PutObject", "alice", "virtual", "alice-work/docs/unsigned.txt, x-amz-content-sha256 UNSIGNED-PAYLOAD", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/unsigned.txt"),
				Body: strings.NewReader("payload not hashed")}, s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
			if err != nil {
				return err
			}
			return get("alice-work", "docs/unsigned.txt", "payload not hashed")(ctx, c, e)
		}},
		{"PutObject", "bob", "path", "photos/uploads/storage/bob.txt: another team's folder", "AccessDenied 403", put("photos", "uploads/storage/bob.txt", "from bob")},
		{"PutObject", "alice", "path", "alice-work/docs/bad.txt with a wrong Content-MD5", "BadDigest 400", func(ctx context.Context, c *s3.Client, e *env) error {
			sum := md5.Sum([]byte("other"))
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/bad.txt"),
				Body: strings.NewReader("hello"), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))})
			return err
		}},

		// Listings.
		{"ListObjectsV2", "alice", "virtual", "photos, delimiter /", "ok", listV2("photos", "", "/", nil, []string{"private/", "public/", "shared/", "uploads/"})},
		{"ListObjectsV2", "bob", "path", "photos, prefix public/", "ok", listV2("photos", "public/", "", []string{"public/cat.jpg", "public/dog.jpg"}, nil)},
		{"ListObjectsV2", "alice", "path", "photos, one key a page, every page", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("photos"), MaxKeys: aws.Int32(1)})
			var keys []string
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					return err
				}
				for _, o := range out.Contents {
					keys = append(keys, aws.ToString(o.Key))
				}
			}
			return expect("keys", strings.Join(keys, ","), "private/diary.txt,public/cat.jpg,public/dog.jpg,shared/report.txt,uploads/web/bob.txt")
		}},
		{"ListObjects", "bob", "virtual", "photos, delimiter /, max-keys 2, then from the marker", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("photos"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)})
			if err != nil {
				return err
			}
			if err := errors.Join(expect("truncated", aws.ToBool(out.IsTruncated), true), expect("next marker", aws.ToString(out.NextMarker), "public/")); err != nil {
				return err
			}
			out, err = c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("photos"), Delimiter: aws.String("/"), Marker: out.NextMarker})
			if err != nil {
				return err
			}
			return errors.Join(expect("prefixes", len(out.CommonPrefixes), 2), expect("truncated", aws.ToBool(out.IsTruncated), false))
		}},
		{"ListObjectsV2", "carol", "path", "photos, prefix shared/: the policy's condition holds", "ok", listV2("photos", "shared/", "", []string{"shared/report.txt"}, nil)},
		{"ListObjectsV2", "carol", "path", "photos without a prefix", "AccessDenied 403", listV2("photos", "", "", nil, nil)},
		{"ListObjectsV2", "anonymous", "virtual", "photos", "AccessDenied 403", listV2("photos", "", "", nil, nil)},
		{"ListObjects", "carol", "path", "logs: the bucket ACL grants her account READ", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("logs")})
			if err != nil {
				return err
			}
			return expect("keys", len(out.Contents), 2)
		}},

		// Versioning.
		{"PutBucketVersioning", "alice", "path", "alice-work: Enabled", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("alice-work"),
				VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
			return err
		}},
		{"GetBucketVersioning", "alice", "virtual", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("alice-work")})
			if err != nil {
				return err
			}
			return expect("status", out.Status, types.BucketVersioningStatusEnabled)
		}},
		{"PutObject", "alice", "path", "alice-work/docs/v.txt twice: two versions", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			for i, body := range []string{"one", "two"} {
				out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/v.txt"), Body: strings.NewReader(body)})
				if err != nil {
					return err
				}
				if aws.ToString(out.VersionId) == "" {
					return errors.New("no version ID")
				}
				e.vars[fmt.Sprint("v", i+1)] = aws.ToString(out.VersionId)
			}
			return nil
		}},
		{"ListObjectVersions", "alice", "virtual", "alice-work, prefix docs/v.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("alice-work"), Prefix: aws.String("docs/v.txt")})
			if err != nil {
				return err
			}
			if len(out.Versions) != 2 {
				return fmt.Errorf("%d versions", len(out.Versions))
			}
			return errors.Join(expect("latest", aws.ToString(out.Versions[0].VersionId), e.vars["v2"]),
				expect("is latest", aws.ToBool(out.Versions[0].IsLatest), true), expect("older", aws.ToString(out.Versions[1].VersionId), e.vars["v1"]))
		}},
		{"GetObject", "alice", "path", "alice-work/docs/v.txt, the first versionId", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/v.txt"), VersionId: aws.String(e.vars["v1"])})
			if err != nil {
				return err
			}
			body, err := readBody(out)
			return errors.Join(err, expect("body", body, "one"))
		}},
		{"DeleteObject", "alice", "virtual", "alice-work/docs/v.txt: a delete marker", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/v.txt")})
			if err != nil {
				return err
			}
			e.vars["marker"] = aws.ToString(out.VersionId)
			return expect("delete marker", aws.ToBool(out.DeleteMarker), true)
		}},
		{"GetObject", "alice", "path", "alice-work/docs/v.txt behind its delete marker", "NoSuchKey 404", get("alice-work", "docs/v.txt", "")},
		{"DeleteObject", "alice", "path", "alice-work/docs/v.txt, the marker's versionId", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/v.txt"), VersionId: aws.String(e.vars["marker"])})
			if err != nil {
				return err
			}
			return get("alice-work", "docs/v.txt", "two")(ctx, c, e)
		}},

		// Copies.
		{"CopyObject", "alice", "path", "alice-work/docs/a.txt to docs/a-copy.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/a-copy.txt"), CopySource: aws.String("alice-work/docs/a.txt")})
			if err != nil {
				return err
			}
			out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/a-copy.txt")})
			if err != nil {
				return err
			}
			return expect("copied metadata", out.Metadata["project"], "demo")
		}},
		{"CopyObject", "alice", "virtual", "photos/public/cat.jpg to alice-work/img/cat.jpg", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("img/cat.jpg"), CopySource: aws.String("photos/public/cat.jpg")})
			if err != nil {
				return err
			}
			return get("alice-work", "img/cat.jpg", "photos/public/cat.jpg\n")(ctx, c, e)
		}},
		{"CopyObject", "alice", "path", "alice-work/docs/v.txt?versionId=first to docs/v1.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/v1.txt"),
				CopySource: aws.String("alice-work/docs/v.txt?versionId=" + e.vars["v1"])})
			if err != nil {
				return err
			}
			return errors.Join(expect("source version", aws.ToString(out.CopySourceVersionId), e.vars["v1"]), get("alice-work", "docs/v1.txt", "one")(ctx, c, e))
		}},
		{"CopyObject", "bob", "path", "photos/public/cat.jpg to alice-work: no write there", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("alice-work"), Key: aws.String("cat.jpg"), CopySource: aws.String("photos/public/cat.jpg")})
			return err
		}},
		{"CopyObject", "carol", "virtual", "photos/shared/report.txt to partner-data", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("partner-data"), Key: aws.String("inbox/report.txt"), CopySource: aws.String("photos/shared/report.txt")})
			if err != nil {
				return err
			}
			return get("partner-data", "inbox/report.txt", "photos/shared/report.txt\n")(ctx, c, e)
		}},
		{"CopyObject", "carol", "path", "photos/private/diary.txt to partner-data: no read", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("partner-data"), Key: aws.String("inbox/diary.txt"), CopySource: aws.String("photos/private/diary.txt")})
			return err
		}},

		// Multipart uploads.
		{"CreateMultipartUpload", "alice", "virtual", "alice-work/big.bin", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("alice-work"), Key: aws.String("big.bin")})
			if err != nil {
				return err
			}
			e.vars["upload"] = aws.ToString(out.UploadId)
			return nil
		}},
		{"UploadPart", "alice", "virtual", "part 1, 5 MiB", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("alice-work"), Key: aws.String("big.bin"), UploadId: aws.String(e.vars["upload"]),
				PartNumber: aws.Int32(1), Body: bytes.NewReader(bigPart)})
			if err != nil {
				return err
			}
			e.vars["etag1"] = aws.ToString(out.ETag)
			return nil
		}},
		{"UploadPartCopy", "alice", "path", "part 2 from alice-work/docs/a.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("alice-work"), Key: aws.String("big.bin"), UploadId: aws.String(e.vars["upload"]),
				PartNumber: aws.Int32(2), CopySource: aws.String("alice-work/docs/a.txt")})
			if err != nil {
				return err
			}
			e.vars["etag2"] = aws.ToString(out.CopyPartResult.ETag)
			return nil
		}},
		{"ListParts", "alice", "path", "the upload's two parts", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("alice-work"), Key: aws.String("big.bin"), UploadId: aws.String(e.vars["upload"])})
			if err != nil {
				return err
			}
			return expect("parts", len(out.Parts), 2)
		}},
		{"ListMultipartUploads", "alice", "virtual", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("alice-work")})
			if err != nil {
				return err
			}
			if len(out.Uploads) != 1 {
				return fmt.Errorf("%d uploads", len(out.Uploads))
			}
			return expect("upload", aws.ToString(out.Uploads[0].UploadId), e.vars["upload"])
		}},
		{"CompleteMultipartUpload", "alice", "path", "alice-work/big.bin: ETag md5-of-md5s-2", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("alice-work"), Key: aws.String("big.bin"), UploadId: aws.String(e.vars["upload"]),
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
					{PartNumber: aws.Int32(1), ETag: aws.String(e.vars["etag1"])}, {PartNumber: aws.Int32(2), ETag: aws.String(e.vars["etag2"])}}}})
			if err != nil {
				return err
			}
			s1, s2 := md5.Sum(bigPart), md5.Sum([]byte("hello a"))
			want := fmt.Sprintf(`"%s-2"`, md5hex(string(s1[:])+string(s2[:])))
			if err := expect("ETag", aws.ToString(out.ETag), want); err != nil {
				return err
			}
			return get("alice-work", "big.bin", string(bigPart)+"hello a")(ctx, c, e)
		}},
		{"CreateMultipartUpload", "bob", "path", "photos/uploads/web/part.bin", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("photos"), Key: aws.String("uploads/web/part.bin")})
			if err != nil {
				return err
			}
			e.vars["bob-upload"] = aws.ToString(out.UploadId)
			_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("photos"), Key: aws.String("uploads/web/part.bin"), UploadId: out.UploadId,
				PartNumber: aws.Int32(1), Body: strings.NewReader("a part")})
			return err
		}},
		{"AbortMultipartUpload", "bob", "virtual", "photos/uploads/web/part.bin", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("photos"), Key: aws.String("uploads/web/part.bin"), UploadId: aws.String(e.vars["bob-upload"])})
			return err
		}},
		{"ListParts", "bob", "path", "the aborted upload", "NoSuchUpload 404", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("photos"), Key: aws.String("uploads/web/part.bin"), UploadId: aws.String(e.vars["bob-upload"])})
			return err
		}},
		{"CreateMultipartUpload", "bob", "path", "alice-work/bob.bin", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("alice-work"), Key: aws.String("bob.bin")})
			return err
		}},

		// Bucket policies.
		{"GetBucketPolicy", "alice", "path", "alice-work, which has none", "NoSuchBucketPolicy 404", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"GetObject", "bob", "path", "alice-work/docs/a.txt before any policy", "AccessDenied 403", get("alice-work", "docs/a.txt", "")},
		{"PutBucketPolicy", "alice", "virtual", "alice-work: bob may read docs/*", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("alice-work"), Policy: aws.String(bobReadsDocs)})
			return err
		}},
		{"GetBucketPolicy", "alice", "path", "alice-work: the policy as put", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("alice-work")})
			if err != nil {
				return err
			}
			return expect("policy", aws.ToString(out.Policy), bobReadsDocs)
		}},
		{"GetBucketPolicyStatus", "alice", "path", "alice-work: not public", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("alice-work")})
			if err != nil {
				return err
			}
			return expect("public", aws.ToBool(out.PolicyStatus.IsPublic), false)
		}},
		{"GetObject", "bob", "path", "alice-work/docs/a.txt under the new policy", "ok", get("alice-work", "docs/a.txt", "hello a")},
		{"PutBucketPolicy", "bob", "path", "photos", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("photos"), Policy: aws.String(bobReadsDocs)})
			return err
		}},
		{"PutBucketPolicy", "alice", "path", "alice-work: a public policy, BlockPublicPolicy on", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("alice-work"), Policy: aws.String(publicPolicy)})
			return err
		}},
		{"DeleteBucketPolicy", "alice", "virtual", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"GetObject", "bob", "virtual", "alice-work/docs/a.txt once the policy is gone", "AccessDenied 403", get("alice-work", "docs/a.txt", "")},

		// Block Public Access, Object Ownership and ACLs.
		{"GetPublicAccessBlock", "alice", "path", "alice-work: S3's defaults, all on", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("alice-work")})
			if err != nil {
				return err
			}
			p := out.PublicAccessBlockConfiguration
			return expect("all on", aws.ToBool(p.BlockPublicAcls) && aws.ToBool(p.IgnorePublicAcls) && aws.ToBool(p.BlockPublicPolicy) && aws.ToBool(p.RestrictPublicBuckets), true)
		}},
		{"DeletePublicAccessBlock", "alice", "virtual", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"GetPublicAccessBlock", "alice", "path", "alice-work, deleted", "NoSuchPublicAccessBlockConfiguration 404", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"PutPublicAccessBlock", "alice", "path", "alice-work: BlockPublicPolicy only", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("alice-work"),
				PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicPolicy: aws.Bool(true)}})
			return err
		}},
		{"PutBucketAcl", "alice", "path", "alice-work public-read, BucketOwnerEnforced", "AccessControlListNotSupported 400", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("alice-work"), ACL: types.BucketCannedACLPublicRead})
			return err
		}},
		{"PutBucketOwnershipControls", "alice", "virtual", "alice-work: ObjectWriter", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("alice-work"),
				OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipObjectWriter}}}})
			return err
		}},
		{"GetBucketOwnershipControls", "alice", "path", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("alice-work")})
			if err != nil {
				return err
			}
			return expect("mode", out.OwnershipControls.Rules[0].ObjectOwnership, types.ObjectOwnershipObjectWriter)
		}},
		{"ListObjectsV2", "anonymous", "path", "alice-work before any public grant", "AccessDenied 403", listV2("alice-work", "img/", "", nil, nil)},
		{"PutBucketAcl", "alice", "virtual", "alice-work public-read", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("alice-work"), ACL: types.BucketCannedACLPublicRead})
			return err
		}},
		{"GetBucketAcl", "alice", "path", "alice-work: owner FULL_CONTROL, AllUsers READ", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("alice-work")})
			if err != nil {
				return err
			}
			var got []string
			for _, g := range out.Grants {
				who := aws.ToString(g.Grantee.ID) + aws.ToString(g.Grantee.URI)
				got = append(got, who+" "+string(g.Permission))
			}
			return errors.Join(expect("owner", aws.ToString(out.Owner.ID), ownerID),
				expect("grants", strings.Join(got, "; "), ownerID+" FULL_CONTROL; http://acs.amazonaws.com/groups/global/AllUsers READ"))
		}},
		{"ListObjectsV2", "anonymous", "path", "alice-work under the public-read ACL", "ok", listV2("alice-work", "img/", "", []string{"img/cat.jpg"}, nil)},
		// On photos, BucketOwnerEnforced, the evaluator answers
		// AccessControlListNotSupported 400 before it looks at who asks;
		// logs has ACLs enabled, so bob's lack of permission shows.
		{"PutBucketAcl", "bob", "path", "logs: bob has no s3:PutBucketAcl", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("logs"), ACL: types.BucketCannedACLPrivate})
			return err
		}},
		{"GetObject", "carol", "path", "logs/app/2025.log before a grant", "AccessDenied 403", get("logs", "app/2025.log", "")},
		{"PutObjectAcl", "alice", "virtual", "logs/app/2025.log: READ to carol's account", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("logs"), Key: aws.String("app/2025.log"),
				AccessControlPolicy: &types.AccessControlPolicy{Owner: &types.Owner{ID: aws.String(ownerID)}, Grants: []types.Grant{
					{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(ownerID)}, Permission: types.PermissionFullControl},
					{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(partnerID)}, Permission: types.PermissionRead}}}})
			return err
		}},
		{"GetObjectAcl", "alice", "path", "logs/app/2025.log", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("logs"), Key: aws.String("app/2025.log")})
			if err != nil {
				return err
			}
			return expect("grants", len(out.Grants), 2)
		}},
		{"GetObject", "carol", "path", "logs/app/2025.log under the new grant", "ok", get("logs", "app/2025.log", "logs/app/2025.log\n")},
		{"GetObjectAcl", "bob", "path", "logs/app/2025.log", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("logs"), Key: aws.String("app/2025.log")})
			return err
		}},
		{"PutObject", "alice", "path", "logs/app/open.log public-read, BlockPublicAcls on", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("logs"), Key: aws.String("app/open.log"), Body: strings.NewReader("x"), ACL: types.ObjectCannedACLPublicRead})
			return err
		}},
		{"PutObject", "alice", "virtual", "logs/app/2026.log with x-amz-grant-read for carol's account", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("logs"), Key: aws.String("app/2026.log"), Body: strings.NewReader("2026"),
				GrantRead: aws.String(`id="` + partnerID + `"`)})
			if err != nil {
				return err
			}
			return get("logs", "app/2026.log", "2026")(ctx, e.client("carol", "path"), e)
		}},
		{"DeleteBucketOwnershipControls", "alice", "path", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"GetBucketOwnershipControls", "alice", "virtual", "alice-work, deleted", "OwnershipControlsNotFoundError 404", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("alice-work")})
			return err
		}},

		// Tagging.
		{"PutObjectTagging", "alice", "path", "alice-work/docs/a.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/a.txt"),
				Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("stage"), Value: aws.String("final")}, {Key: aws.String("owner"), Value: aws.String("alice")}}}})
			return err
		}},
		{"GetObjectTagging", "alice", "virtual", "alice-work/docs/a.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/a.txt")})
			if err != nil {
				return err
			}
			var got []string
			for _, t := range out.TagSet {
				got = append(got, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
			}
			return expect("tags", strings.Join(got, ","), "owner=alice,stage=final")
		}},
		{"DeleteObjectTagging", "alice", "path", "alice-work/docs/a.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/a.txt")}); err != nil {
				return err
			}
			out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("alice-work"), Key: aws.String("docs/a.txt")})
			if err != nil {
				return err
			}
			return expect("tags", len(out.TagSet), 0)
		}},
		{"GetObjectTagging", "bob", "path", "photos/private/diary.txt", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("photos"), Key: aws.String("private/diary.txt")})
			return err
		}},
		{"PutBucketTagging", "alice", "virtual", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("alice-work"),
				Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("cost-center"), Value: aws.String("42")}}}})
			return err
		}},
		{"GetBucketTagging", "alice", "path", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("alice-work")})
			if err != nil {
				return err
			}
			return expect("tags", len(out.TagSet), 1)
		}},
		{"DeleteBucketTagging", "alice", "path", "alice-work", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"GetBucketTagging", "alice", "virtual", "alice-work, deleted", "NoSuchTagSet 404", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("alice-work")})
			return err
		}},

		// Presigned URLs.
		{"GetObject (presigned)", "alice", "path", "photos/private/diary.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			req, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("private/diary.txt")})
			if err != nil {
				return err
			}
			body, err := e.plain(ctx, req.Method, req.URL, req.SignedHeader, nil)
			if err != nil {
				return err
			}
			return expect("body", string(body), "photos/private/diary.txt\n")
		}},
		{"GetObject (presigned)", "alice", "path", "a URL signed two hours ago to last one: expired", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			id, secret := e.accessKey("alice")
			req, err := http.NewRequestWithContext(ctx, "GET", "http://"+e.addr+"/photos/private/diary.txt?X-Amz-Expires=3600", nil)
			if err != nil {
				return err
			}
			url, signed, err := v4.NewSigner().PresignHTTP(ctx, aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, req,
				"UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now().Add(-2*time.Hour))
			if err != nil {
				return err
			}
			_, err = e.plain(ctx, "GET", url, signed, nil)
			return err
		}},
		{"GetObject (presigned)", "carol", "virtual", "photos/private/diary.txt", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			req, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("private/diary.txt")})
			if err != nil {
				return err
			}
			_, err = e.plain(ctx, req.Method, req.URL, req.SignedHeader, nil)
			return err
		}},
		{"PutObject (presigned)", "bob", "path", "photos/uploads/web/presigned.txt", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			req, err := s3.NewPresignClient(c).PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("uploads/web/presigned.txt")})
			if err != nil {
				return err
			}
			if _, err := e.plain(ctx, req.Method, req.URL, req.SignedHeader, []byte("uploaded with a URL")); err != nil {
				return err
			}
			return get("photos", "uploads/web/presigned.txt", "uploaded with a URL")(ctx, c, e)
		}},
		{"PutObject (presigned)", "bob", "virtual", "photos/private/presigned.txt", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			req, err := s3.NewPresignClient(c).PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("private/presigned.txt")})
			if err != nil {
				return err
			}
			_, err = e.plain(ctx, req.Method, req.URL, req.SignedHeader, []byte("no"))
			return err
		}},

		// DeleteObjects.
		{"DeleteObjects", "alice", "path", "alice-work/docs/a-copy.txt and img/cat.jpg", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("alice-work"), Delete: &types.Delete{
				Objects: []types.ObjectIdentifier{{Key: aws.String("docs/a-copy.txt")}, {Key: aws.String("img/cat.jpg")}}}})
			if err != nil {
				return err
			}
			return errors.Join(expect("deleted", len(out.Deleted), 2), expect("errors", len(out.Errors), 0))
		}},
		{"DeleteObjects", "alice", "virtual", "alice-work/docs/v1.txt, Quiet", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("alice-work"), Delete: &types.Delete{Quiet: aws.Bool(true),
				Objects: []types.ObjectIdentifier{{Key: aws.String("docs/v1.txt")}}}})
			if err != nil {
				return err
			}
			return expect("listed", len(out.Deleted), 0)
		}},
		{"DeleteObjects", "bob", "path", "photos/uploads/web/bob.txt: bob's policy denies deletes", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("photos"), Delete: &types.Delete{
				Objects: []types.ObjectIdentifier{{Key: aws.String("uploads/web/bob.txt")}}}})
			return err
		}},
		{"DeleteObject", "bob", "virtual", "photos/uploads/web/bob.txt", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("photos"), Key: aws.String("uploads/web/bob.txt")})
			return err
		}},

		// DevPay.
		{"GetObject", "carol+PHOTOAPP", "path", "photoapp-albums/albums/summer.jpg through the product", "ok", get("photoapp-albums", "albums/summer.jpg", "photoapp-albums/albums/summer.jpg\n")},
		{"GetObject", "carol", "virtual", "photoapp-albums/albums/summer.jpg without the product", "AccessDenied 403", get("photoapp-albums", "albums/summer.jpg", "")},
		{"PutObject", "carol+PHOTOAPP", "virtual", "photoapp-albums/albums/autumn.jpg through the product", "ok", put("photoapp-albums", "albums/autumn.jpg", "autumn")},
		{"ListObjectsV2", "carol+PHOTOAPP", "path", "photoapp-albums through the product", "ok", listV2("photoapp-albums", "albums/", "", []string{"albums/autumn.jpg", "albums/summer.jpg"}, nil)},
		{"GetObject", "bob+PHOTOAPP", "path", "photoapp-albums/albums/summer.jpg: bob does not subscribe", "AccessDenied 403", get("photoapp-albums", "albums/summer.jpg", "")},
		{"GetObject", "carol+PHOTOAPP", "virtual", "photos/public/cat.jpg: data outside the product", "AccessDenied 403", get("photos", "public/cat.jpg", "")},

		// Deleting buckets.
		{"DeleteBucket", "alice", "path", "alice-work, not empty", "BucketNotEmpty 409", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alice-work")})
			return err
		}},
		{"DeleteBucket", "bob", "virtual", "photos", "AccessDenied 403", func(ctx context.Context, c *s3.Client, e *env) error {
			_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("photos")})
			return err
		}},
		{"DeleteBucket", "alice", "virtual", "alice-scratch, created empty", "ok", func(ctx context.Context, c *s3.Client, e *env) error {
			if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alice-scratch")}); err != nil {
				return err
			}
			_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alice-scratch")})
			return err
		}},
	}
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return fmt.Sprintf("%x", sum)
}

// TestSDK drives the gateway with the AWS SDK for Go v2, step by step, and
// checks each call's outcome; then that every request left decision records
// in a chain that verifies, and that the monitor alarmed on the refusals.
func TestSDK(t *testing.T) { runSDK(t, newEnv(t)) }

func runSDK(t *testing.T, e *env) {
	ctx := context.Background()
	all := steps()
	for i, s := range all {
		name := fmt.Sprintf("%02d %s %s %s %s", i+1, s.op, s.who, s.style, s.what)
		ok := t.Run(name, func(t *testing.T) {
			if got := outcome(s.do(ctx, e.client(s.who, s.style), e)); got != s.want {
				t.Errorf("got %s, want %s", got, s.want)
			}
		})
		if !ok && s.want == "ok" {
			t.Logf("later steps may depend on step %d", i+1)
		}
	}
	if err := e.gw.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(bytes.NewReader(e.audit.Bytes()), nil)
	if err != nil || !rep.Intact {
		t.Fatalf("audit log: %+v, %v", rep, err)
	}
	if rep.Records < len(all) {
		t.Errorf("%d decision records for %d steps", rep.Records, len(all))
	}
	for _, name := range []string{"alice", "bob", "carol"} {
		if bytes.Contains(e.audit.Bytes(), []byte("user/"+name)) {
			t.Errorf("the audit log names %s in clear", name)
		}
	}
	if !bytes.Contains(e.alarms.Bytes(), []byte("alarm: repeated-denials")) {
		t.Errorf("no repeated-denials alarm; alarms:\n%s", e.alarms.Bytes())
	}
	ops := map[string]bool{}
	for _, s := range all {
		ops[strings.TrimSuffix(s.op, " (presigned)")] = true
	}
	if len(ops) < 40 {
		t.Errorf("%d distinct operations, want at least 40", len(ops))
	}
}

// TestOperationsTable keeps testdata/operations.md, the suite's table of
// operations, principals, styles and outcomes, in step with steps(); run
// with -update to rewrite it.
func TestOperationsTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("# s3gateway: SDK operations and outcomes\n\n")
	b.WriteString("Generated by `go test -run TestOperationsTable -update` from the table in gateway_test.go.\n")
	b.WriteString("Each row is one step of TestSDK, run in order against testdata/world.json with the AWS SDK for Go v2;\n")
	b.WriteString("`ok` means the call succeeded and what it returned was checked, otherwise the S3 error code and HTTP status the SDK reported.\n\n")
	b.WriteString("| # | Operation | Principal | Style | Call | Outcome |\n|---|---|---|---|---|---|\n")
	ops := map[string]bool{}
	for i, s := range steps() {
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s |\n", i+1, s.op, s.who, s.style, strings.ReplaceAll(s.what, "|", "\\|"), s.want)
		ops[strings.TrimSuffix(s.op, " (presigned)")] = true
	}
	fmt.Fprintf(&b, "\n%d steps, %d distinct operations.\n", len(steps()), len(ops))
	golden.Check(t, "testdata/operations.md", []byte(b.String()))
}
