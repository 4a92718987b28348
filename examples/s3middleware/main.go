// Command s3middleware puts s3authz's middleware in front of a tiny
// in-memory S3 and drives it with the AWS SDK for Go v2, so that what a
// real client sends — and how it reads a refusal — is what the library
// meets:
//
//	cd examples/s3middleware && go run .
//
// It is its own module, so the library's go.mod never requires the SDK.
// Callers are identified by the access key in the request's credential
// scope, without verifying the signature: that is the host's part (see
// s3request.Identity), and this example has none.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

func main() {
	srv, err := start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "s3middleware:", err)
		os.Exit(1)
	}
	defer srv.Close()
	for _, c := range calls() {
		fmt.Printf("%-62s %s\n", c.name, outcome(c.do(context.Background(), srv)))
	}
}

// call is one SDK call against the server: as whom, in which URL style.
type call struct {
	name string
	do   func(ctx context.Context, srv *server) error
}

// calls is the demonstration: what alice (the owner's user), anonymous
// callers and the public-read policy allow and deny.
func calls() []call {
	get := func(who, style, bucket, key string) call {
		return call{name: fmt.Sprintf("%s GetObject %s/%s (%s)", who, bucket, key, style), do: func(ctx context.Context, srv *server) error {
			out, err := srv.client(who, style).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			if err == nil {
				io.Copy(io.Discard, out.Body)
				out.Body.Close()
			}
			return err
		}}
	}
	return []call{
		get("anonymous", "path", "photos", "public/cat.jpg"),
		get("anonymous", "path", "photos", "private/diary.txt"),
		get("alice", "virtual-hosted", "photos", "private/diary.txt"),
		{name: "alice PutObject photos/uploads/new.jpg", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "path").PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("uploads/new.jpg"), Body: strings.NewReader("jpeg")})
			return err
		}},
		{name: "alice PutObject with x-amz-acl: public-read", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "path").PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("uploads/open.jpg"), Body: strings.NewReader("jpeg"), ACL: types.ObjectCannedACLPublicRead})
			return err
		}},
		{name: "alice PutObject with x-amz-acl: bucket-owner-full-control", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "path").PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("uploads/mine.jpg"), Body: strings.NewReader("jpeg"), ACL: types.ObjectCannedACLBucketOwnerFullControl})
			return err
		}},
		{name: "alice DeleteObjects tmp/a and private/diary.txt", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "path").DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("photos"), Delete: &types.Delete{
				Objects: []types.ObjectIdentifier{{Key: aws.String("tmp/a")}, {Key: aws.String("private/diary.txt")}}}})
			return err
		}},
		{name: "alice ListObjectsV2 photos prefix=public/", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "virtual-hosted").ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("photos"), Prefix: aws.String("public/")})
			return err
		}},
		{name: "alice ListObjectVersions photos (needs s3:ListBucketVersions)", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "path").ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("photos")})
			return err
		}},
		{name: "alice GetObjectAcl photos/public/cat.jpg", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "path").GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg")})
			return err
		}},
		{name: "alice GetObject with a versionId", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "path").GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg"), VersionId: aws.String("v1")})
			return err
		}},
		{name: "anonymous HeadObject photos/public/cat.jpg", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("anonymous", "virtual-hosted").HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg")})
			return err
		}},
		{name: "alice CopyObject public/cat.jpg to uploads/copy.jpg", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("alice", "path").CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("photos"), Key: aws.String("uploads/copy.jpg"), CopySource: aws.String("photos/public/cat.jpg")})
			return err
		}},
		{name: "alice multipart upload of uploads/big.bin", do: func(ctx context.Context, srv *server) error {
			c := srv.client("alice", "virtual-hosted")
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("photos"), Key: aws.String("uploads/big.bin")})
			if err != nil {
				return err
			}
			part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("photos"), Key: aws.String("uploads/big.bin"), UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("part one")})
			if err != nil {
				return err
			}
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("photos"), Key: aws.String("uploads/big.bin"), UploadId: up.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}})
			return err
		}},
		{name: "alice presigned GET photos/private/diary.txt", do: func(ctx context.Context, srv *server) error {
			req, err := s3.NewPresignClient(srv.client("alice", "path")).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("private/diary.txt")})
			if err != nil {
				return err
			}
			return srv.plainGet(ctx, req.URL)
		}},
		{name: "anonymous ListObjectsV2 photos", do: func(ctx context.Context, srv *server) error {
			_, err := srv.client("anonymous", "path").ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("photos")})
			return err
		}},
	}
}

// outcome says how an SDK call ended: "ok", or S3's error code and status
// as the SDK reports them.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var api smithy.APIError
	var resp *awshttp.ResponseError
	if errors.As(err, &api) && errors.As(err, &resp) {
		return fmt.Sprintf("%s %d", api.ErrorCode(), resp.HTTPStatusCode())
	}
	return "error: " + err.Error()
}

// server is the middleware and the object store behind it, on loopback.
type server struct {
	*httptest.Server
	addr  string // host:port
	store *store
}

// plainGet fetches a URL (a presigned one) with a plain HTTP client,
// through the same dialer, and reports a status other than 200 as an
// error saying it.
func (srv *server) plainGet(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// objects returns a copy of the stored objects' keys and contents.
func (srv *server) objects() map[string][]byte {
	srv.store.mu.Lock()
	defer srv.store.mu.Unlock()
	out := make(map[string][]byte, len(srv.store.objects))
	for k, v := range srv.store.objects {
		out[k] = v
	}
	return out
}

// client returns an SDK client calling as who ("anonymous" signs nothing)
// in the given URL style; virtual-hosted requests go to
// BUCKET.s3.example.com, which the client's dialer sends to the server.
func (srv *server) client(who, style string) *s3.Client {
	_, port, _ := net.SplitHostPort(srv.addr)
	cfg := aws.Config{
		Region: "us-east-1",
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, srv.addr)
		}}},
	}
	if who == "anonymous" {
		cfg.Credentials = aws.AnonymousCredentials{}
	} else {
		cfg.Credentials = credentials.NewStaticCredentialsProvider(accessKeys[who], "secret-"+who, "")
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if style == "path" {
			o.BaseEndpoint = aws.String("http://" + srv.addr)
			o.UsePathStyle = true
		} else {
			o.BaseEndpoint = aws.String("http://s3.example.com:" + port)
		}
	})
}
