package main

// TEMPORARY: this file is to be replaced by the SigV4 verifier of package
// examples/s3gateway/sigv4 once it lands. Nothing here verifies a
// signature: the access key ID is read from the request and believed. See
// newAuthenticator in server.go for the swap, which is a few lines.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// unverifiedAuth identifies callers by the access key ID in the SigV4
// credential scope — the Authorization header's Credential= or a
// presigned URL's X-Amz-Credential — without checking the signature,
// the date or the expiry. It decodes aws-chunked bodies, ignoring the
// chunk signatures. TEMPORARY: replace with sigv4.Verifier.
type unverifiedAuth struct {
	keys map[string]accessKey
}

var errUnknownAccessKey = &authError{Status: http.StatusForbidden, Code: "InvalidAccessKeyId",
	Message: "The AWS Access Key Id you provided does not exist in our records."}

// authenticate implements authenticator.
func (a *unverifiedAuth) authenticate(r *http.Request) (string, bool, error) {
	var cred string
	auths := r.Header.Values("Authorization")
	q := r.URL.Query()
	switch {
	case len(auths) > 1:
		return "", false, &authError{http.StatusBadRequest, "InvalidArgument", "Only one Authorization header is allowed."}
	case len(auths) == 1:
		scheme, rest, _ := strings.Cut(auths[0], " ")
		if scheme != "AWS4-HMAC-SHA256" {
			return "", false, &authError{http.StatusBadRequest, "InvalidArgument", "Unsupported Authorization Type"}
		}
		_, after, ok := strings.Cut(rest, "Credential=")
		if !ok {
			return "", false, &authError{http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; the Credential is missing."}
		}
		cred, _, _ = strings.Cut(after, ",")
	case q.Has("X-Amz-Credential"):
		cred = q.Get("X-Amz-Credential")
	case q.Has("X-Amz-Signature") || q.Has("Signature") || q.Has("AWSAccessKeyId"):
		return "", false, &authError{http.StatusBadRequest, "AuthorizationQueryParametersError", "Query-string authentication requires the X-Amz-Credential parameter."}
	default:
		return "", true, decodeChunked(r)
	}
	akid, _, _ := strings.Cut(strings.TrimSpace(cred), "/")
	k, ok := a.keys[akid]
	if !ok {
		return "", false, errUnknownAccessKey
	}
	return k.Principal, false, decodeChunked(r)
}

// decodeChunked replaces the body of an aws-chunked request (SigV4
// streaming upload) with a reader of its payload, and drops aws-chunked
// from Content-Encoding. Trailing headers (checksums) go to r.Trailer.
func decodeChunked(r *http.Request) error {
	sha := r.Header.Get("X-Amz-Content-Sha256")
	enc := r.Header.Values("Content-Encoding")
	chunked := strings.HasPrefix(sha, "STREAMING-")
	var kept []string
	for _, v := range enc {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if strings.EqualFold(p, "aws-chunked") {
				chunked = true
			} else if p != "" {
				kept = append(kept, p)
			}
		}
	}
	if !chunked {
		return nil
	}
	if len(kept) > 0 {
		r.Header.Set("Content-Encoding", strings.Join(kept, ","))
	} else {
		r.Header.Del("Content-Encoding")
	}
	r.ContentLength = -1
	if d := r.Header.Get("X-Amz-Decoded-Content-Length"); d != "" {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil || n < 0 {
			return &authError{http.StatusBadRequest, "InvalidArgument", "x-amz-decoded-content-length is not a length."}
		}
		r.ContentLength = n
	}
	if r.Trailer == nil {
		r.Trailer = http.Header{}
	}
	r.Body = &chunkReader{src: bufio.NewReaderSize(r.Body, 8<<10), closer: r.Body, trailer: r.Trailer}
	return nil
}

// Limits of the aws-chunked framing the decoder accepts.
const (
	maxChunkLine = 4 << 10
	maxTrailers  = 16
)

var errChunkFraming = errors.New("s3gateway: malformed aws-chunked body")

// chunkReader reads the payload of an aws-chunked body: chunks of
// "SIZE-IN-HEX[;chunk-signature=SIG]\r\nDATA\r\n", a last chunk of size 0,
// then trailing "name:value\r\n" lines and an empty line.
type chunkReader struct {
	src     *bufio.Reader
	closer  io.Closer
	trailer http.Header
	left    int64 // bytes left in the current chunk
	done    bool
	err     error
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.done {
		return 0, io.EOF
	}
	if c.left == 0 {
		if err := c.next(); err != nil {
			c.err = err
			return 0, err
		}
		if c.done {
			return 0, io.EOF
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.src.Read(p)
	c.left -= int64(n)
	if c.left == 0 && err == nil {
		err = c.crlf()
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		c.err = err
	}
	return n, err
}

// next reads a chunk header; at the last chunk it reads the trailers.
func (c *chunkReader) next() error {
	line, err := c.line()
	if err != nil {
		return err
	}
	size, _, _ := strings.Cut(line, ";")
	n, err := strconv.ParseInt(strings.TrimSpace(size), 16, 64)
	if err != nil || n < 0 {
		return errChunkFraming
	}
	if n > 0 {
		c.left = n
		return nil
	}
	for i := 0; ; i++ {
		line, err := c.line()
		if err != nil {
			return err
		}
		if line == "" {
			c.done = true
			return nil
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || i >= maxTrailers {
			return errChunkFraming
		}
		c.trailer.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
}

// line reads one CRLF-terminated line of at most maxChunkLine bytes.
func (c *chunkReader) line() (string, error) {
	var b strings.Builder
	for {
		frag, err := c.src.ReadSlice('\n')
		b.Write(frag)
		if b.Len() > maxChunkLine {
			return "", errChunkFraming
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if b.Len() == 0 {
				// Some clients end the body after the last chunk without
				// the final empty line.
				return "", nil
			}
			return "", io.ErrUnexpectedEOF
		}
		if err != nil {
			return "", err
		}
		s := b.String()
		if !strings.HasSuffix(s, "\r\n") {
			return "", errChunkFraming
		}
		return s[:len(s)-2], nil
	}
}

// crlf reads the CRLF that ends a chunk's data.
func (c *chunkReader) crlf() error {
	var two [2]byte
	if _, err := io.ReadFull(c.src, two[:]); err != nil {
		return fmt.Errorf("%w: %v", errChunkFraming, err)
	}
	if two != [2]byte{'\r', '\n'} {
		return errChunkFraming
	}
	return nil
}

func (c *chunkReader) Close() error { return c.closer.Close() }
