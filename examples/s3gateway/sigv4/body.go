package sigv4

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// streamState is what checking chunk signatures needs: the signing key, the
// previous signature in the chain (the request's, to start with) and the
// strings that go into every chunk's string to sign.
type streamState struct {
	key     []byte
	prev    []byte
	amzDate string
	scope   string
}

// crc64NVME is the CRC-64/NVME table; hash/crc64 takes the reversed
// polynomial.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// newChecksum returns the hash behind a trailing x-amz-checksum-* header, or
// nil when the algorithm is unknown.
func newChecksum(name string) hash.Hash {
	switch name {
	case "x-amz-checksum-crc32":
		return crc32.NewIEEE()
	case "x-amz-checksum-crc32c":
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case "x-amz-checksum-crc64nvme":
		return crc64.New(crc64NVME)
	case "x-amz-checksum-sha1":
		return sha1.New()
	case "x-amz-checksum-sha256":
		return sha256.New()
	}
	return nil
}

// checksumHeaders are the x-amz-checksum-* headers whose algorithm the
// standard library implements.
var checksumHeaders = []string{
	"x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme",
	"x-amz-checksum-sha1", "x-amz-checksum-sha256",
}

// installBody replaces r.Body with a checking reader as payload requires.
//
// Besides the payload hash, the x-amz-checksum-* headers of a PUT are checked
// against the body: on PUT (PutObject, UploadPart and bucket configuration)
// they always describe the body, whereas on POST CompleteMultipartUpload they
// describe the assembled object.
func installBody(r *http.Request, payload string, st streamState) error {
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	if payload == StreamingPayload || payload == StreamingPayloadTrailer || payload == StreamingUnsignedTrailer {
		return installChunked(r, body, payload, st)
	}
	var sums []expectedSum
	if r.Method == http.MethodPut {
		for _, name := range checksumHeaders {
			vs := r.Header.Values(name)
			if len(vs) == 0 {
				continue
			}
			want, err := base64.StdEncoding.DecodeString(vs[0])
			if len(vs) != 1 || err != nil {
				return newError(http.StatusBadRequest, "InvalidRequest", "Value for %s header is invalid.", name)
			}
			sums = append(sums, expectedSum{namedHash{name, newChecksum(name)}, want})
		}
	}
	var want []byte
	if payload != UnsignedPayload {
		var err error
		want, err = hex.DecodeString(payload)
		if err != nil || len(want) != sha256.Size {
			return newError(http.StatusBadRequest, "InvalidArgument", "x-amz-content-sha256 is not a valid sha256 value")
		}
	}
	if want == nil && sums == nil {
		return nil
	}
	h := &hashReader{body: body, want: want, sums: sums}
	if want != nil {
		h.h = sha256.New()
	}
	if body == http.NoBody {
		// Nothing will be read: check the empty body now.
		return h.check()
	}
	r.Body = h
	return nil
}

// expectedSum is a checksum header and the value it announces.
type expectedSum struct {
	namedHash
	want []byte
}

func errBadDigest(name string) *Error {
	algo := strings.ToUpper(strings.TrimPrefix(name, "x-amz-checksum-"))
	return newError(http.StatusBadRequest, "BadDigest",
		"The %s you specified did not match the calculated checksum.", algo)
}

func errHashMismatch() *Error {
	return newError(http.StatusBadRequest, "XAmzContentSHA256Mismatch",
		"The provided 'x-amz-content-sha256' header does not match what was computed.")
}

func errIncomplete() *Error {
	return newError(http.StatusBadRequest, "IncompleteBody",
		"The request body terminated unexpectedly or does not have the declared length.")
}

func errChunkFraming(why string) *Error {
	return newError(http.StatusBadRequest, "InvalidChunkSizeError", "Malformed aws-chunked body: %s", why)
}

// hashReader passes a body through and checks its SHA-256 and checksum
// headers at the end.
type hashReader struct {
	body io.ReadCloser
	h    hash.Hash // nil with UNSIGNED-PAYLOAD
	want []byte
	sums []expectedSum
	err  error
}

// Read implements io.Reader.
func (h *hashReader) Read(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	n, err := h.body.Read(p)
	if h.h != nil {
		h.h.Write(p[:n])
	}
	for _, s := range h.sums {
		s.h.Write(p[:n])
	}
	if err == io.EOF {
		if cerr := h.check(); cerr != nil {
			err = cerr
		}
	}
	if err != nil {
		h.err = err
	}
	return n, err
}

// check compares what was read with the expected hash and checksums.
func (h *hashReader) check() error {
	if h.h != nil && !hmac.Equal(h.h.Sum(nil), h.want) {
		return errHashMismatch()
	}
	for _, s := range h.sums {
		if !hmac.Equal(s.h.Sum(nil), s.want) {
			return errBadDigest(s.name)
		}
	}
	return nil
}

// Close implements io.Closer.
func (h *hashReader) Close() error { return h.body.Close() }

// installChunked sets up decoding of an aws-chunked body.
func installChunked(r *http.Request, body io.ReadCloser, payload string, st streamState) error {
	vs := r.Header.Values(headerDecodedLength)
	if len(vs) != 1 {
		return newError(http.StatusLengthRequired, "MissingContentLength",
			"You must provide the x-amz-decoded-content-length header with aws-chunked uploads.")
	}
	n, err := strconv.ParseInt(vs[0], 10, 64)
	if err != nil || n < 0 || !allDigits(vs[0]) {
		return newError(http.StatusBadRequest, "InvalidArgument", "x-amz-decoded-content-length is not a valid length")
	}
	c := &chunkedReader{
		body:      body,
		br:        bufio.NewReaderSize(body, MaxChunkLineSize),
		signed:    payload != StreamingUnsignedTrailer,
		trailer:   payload != StreamingPayload,
		st:        st,
		remaining: n,
		state:     stateHeader,
	}
	if c.trailer {
		declared := r.Header.Values("X-Amz-Trailer")
		if len(declared) > 1 {
			return newError(http.StatusBadRequest, "InvalidArgument", "x-amz-trailer must appear at most once")
		}
		if len(declared) == 1 {
			for _, name := range strings.Split(declared[0], ",") {
				name = strings.ToLower(strings.TrimSpace(name))
				if name == "" {
					continue
				}
				if len(c.declared) >= MaxTrailers || !isLowerToken(name) {
					return newError(http.StatusBadRequest, "InvalidArgument", "x-amz-trailer is not valid")
				}
				c.declared = append(c.declared, name)
				if h := newChecksum(name); h != nil {
					c.sums = append(c.sums, namedHash{name, h})
				}
			}
		}
	}
	if c.signed {
		c.chunkHash = sha256.New()
	}
	r.Body = c
	r.ContentLength = n
	if r.Header.Get("Content-Length") != "" {
		r.Header.Set("Content-Length", vs[0])
	}
	r.TransferEncoding = nil
	stripAWSChunked(r.Header)
	return nil
}

// stripAWSChunked removes the aws-chunked coding from Content-Encoding.
func stripAWSChunked(h http.Header) {
	vs := h.Values("Content-Encoding")
	if len(vs) == 0 {
		return
	}
	var keep []string
	for _, v := range vs {
		for _, c := range strings.Split(v, ",") {
			c = strings.TrimSpace(c)
			if c != "" && !strings.EqualFold(c, "aws-chunked") {
				keep = append(keep, c)
			}
		}
	}
	if len(keep) == 0 {
		h.Del("Content-Encoding")
		return
	}
	h.Set("Content-Encoding", strings.Join(keep, ","))
}

type namedHash struct {
	name string
	h    hash.Hash
}

const (
	stateHeader  = iota // expecting a chunk header line
	stateData           // inside chunk data
	stateTrailer        // after the final chunk, reading trailer lines
	stateDone           // finished and verified
)

// chunkedReader decodes an aws-chunked body:
//
//	hex-size[;chunk-signature=sig] CRLF data CRLF ... 0[;chunk-signature=sig] CRLF
//	[trailer-name:value CRLF ... [x-amz-trailer-signature:sig CRLF]] CRLF
//
// checking chunk signatures, trailing checksums and the decoded length.
type chunkedReader struct {
	body      io.ReadCloser
	br        *bufio.Reader
	signed    bool // chunks carry chunk-signature
	trailer   bool // a trailer section follows the final chunk
	st        streamState
	remaining int64 // decoded bytes still expected
	state     int
	chunkLeft int64     // data bytes left in the current chunk
	chunkSig  []byte    // signature announced for the current chunk
	chunkHash hash.Hash // SHA-256 of the current chunk (signed mode)
	declared  []string  // trailer names from x-amz-trailer
	sums      []namedHash
	err       error
}

// Read implements io.Reader, returning decoded object bytes.
func (c *chunkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		switch c.state {
		case stateDone:
			c.err = io.EOF
			return 0, io.EOF
		case stateHeader:
			if err := c.readChunkHeader(); err != nil {
				return 0, c.fail(err)
			}
		case stateTrailer:
			if err := c.readTrailers(); err != nil {
				return 0, c.fail(err)
			}
		case stateData:
			if c.chunkLeft == 0 {
				if err := c.endChunk(); err != nil {
					return 0, c.fail(err)
				}
				continue
			}
			if int64(len(p)) > c.chunkLeft {
				p = p[:c.chunkLeft]
			}
			n, err := c.br.Read(p)
			c.chunkLeft -= int64(n)
			c.remaining -= int64(n)
			if c.chunkHash != nil {
				c.chunkHash.Write(p[:n])
			}
			for _, s := range c.sums {
				s.h.Write(p[:n])
			}
			if err == io.EOF {
				err = errIncomplete()
			}
			if err != nil {
				c.err = err
				return n, err
			}
			if n > 0 {
				return n, nil
			}
		}
	}
}

func (c *chunkedReader) fail(err error) error {
	c.err = err
	return err
}

// Close implements io.Closer.
func (c *chunkedReader) Close() error { return c.body.Close() }

// readLine reads one CRLF-terminated line of at most MaxChunkLineSize bytes
// and returns it without the CRLF.
func (c *chunkedReader) readLine() (string, error) {
	line, err := c.br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", errChunkFraming("line too long")
	case err == io.EOF:
		return "", errIncomplete()
	case err != nil:
		return "", err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return "", errChunkFraming("line not terminated by CRLF")
	}
	return string(line[:len(line)-2]), nil
}

func (c *chunkedReader) readChunkHeader() error {
	line, err := c.readLine()
	if err != nil {
		return err
	}
	sizeStr, ext, hasExt := strings.Cut(line, ";")
	if sizeStr == "" || len(sizeStr) > 16 || !isHex(sizeStr) {
		return errChunkFraming("invalid chunk size")
	}
	size, err := strconv.ParseInt(sizeStr, 16, 64)
	if err != nil || size < 0 {
		return errChunkFraming("invalid chunk size")
	}
	if size > MaxChunkSize {
		return errChunkFraming("chunk too large")
	}
	if size > c.remaining {
		return errIncomplete()
	}
	if c.signed {
		v, ok := strings.CutPrefix(ext, "chunk-signature=")
		if !hasExt || !ok {
			return errChunkFraming("missing chunk-signature")
		}
		sig, bad := parseSignature(v)
		if bad != "" {
			return errChunkFraming("invalid chunk-signature")
		}
		c.chunkSig = sig
		c.chunkHash.Reset()
	} else if hasExt {
		return errChunkFraming("unexpected chunk extension in an unsigned payload")
	}
	c.chunkLeft = size
	c.state = stateData
	if size == 0 {
		// The final chunk has no data and, in the plain streaming mode, no
		// CRLF of its own before the closing CRLF: handle it here.
		if err := c.checkChunkSignature(); err != nil {
			return err
		}
		if c.remaining != 0 {
			return errIncomplete()
		}
		c.state = stateTrailer
	}
	return nil
}

// endChunk reads the CRLF after chunk data and checks the chunk signature.
func (c *chunkedReader) endChunk() error {
	var crlf [2]byte
	if _, err := io.ReadFull(c.br, crlf[:]); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return errIncomplete()
		}
		return err
	}
	if crlf != [2]byte{'\r', '\n'} {
		return errChunkFraming("chunk data not followed by CRLF")
	}
	if err := c.checkChunkSignature(); err != nil {
		return err
	}
	c.state = stateHeader
	return nil
}

// checkChunkSignature verifies the current chunk's signature and advances
// the chain.
func (c *chunkedReader) checkChunkSignature() error {
	if !c.signed {
		return nil
	}
	sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + c.st.amzDate + "\n" + c.st.scope + "\n" +
		hex.EncodeToString(c.st.prev) + "\n" + emptySHA256 + "\n" +
		hex.EncodeToString(c.chunkHash.Sum(nil))
	want := hmacSHA256(c.st.key, []byte(sts))
	if !hmac.Equal(want, c.chunkSig) {
		return errSignature()
	}
	c.st.prev = want
	return nil
}

// readTrailers reads what follows the final chunk: a lone CRLF, or (in the
// trailer modes) trailer lines, the trailer signature when signed, and a CRLF.
func (c *chunkedReader) readTrailers() error {
	var canonical strings.Builder
	var got []param
	var trailerSig []byte
	for {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if line == "" {
			break
		}
		if !c.trailer {
			return errChunkFraming("unexpected data after the final chunk")
		}
		if trailerSig != nil {
			return errChunkFraming("trailer after x-amz-trailer-signature")
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.ToLower(name)
		value = strings.TrimSpace(value)
		if !ok || name == "" || !isLowerToken(name) {
			return errChunkFraming("malformed trailer")
		}
		if name == "x-amz-trailer-signature" {
			if !c.signed {
				return errChunkFraming("trailer signature in an unsigned payload")
			}
			sig, bad := parseSignature(value)
			if bad != "" {
				return errChunkFraming("invalid trailer signature")
			}
			trailerSig = sig
			continue
		}
		if len(got) >= MaxTrailers {
			return errChunkFraming("too many trailers")
		}
		if !signedHeader(c.declared, name) {
			return newError(http.StatusBadRequest, "InvalidArgument",
				"trailer %q was not declared in x-amz-trailer", truncate(name))
		}
		for _, g := range got {
			if g.name == name {
				return errChunkFraming("duplicate trailer")
			}
		}
		got = append(got, param{name, value})
		canonical.WriteString(name + ":" + value + "\n")
	}
	if c.trailer {
		for _, d := range c.declared {
			found := false
			for _, g := range got {
				found = found || g.name == d
			}
			if !found {
				return newError(http.StatusBadRequest, "MalformedTrailerError",
					"The request contained trailing data that was not well-formed or did not conform to our published schema.")
			}
		}
	}
	if c.signed && c.trailer {
		if trailerSig == nil {
			return errSignature()
		}
		sts := "AWS4-HMAC-SHA256-TRAILER\n" + c.st.amzDate + "\n" + c.st.scope + "\n" +
			hex.EncodeToString(c.st.prev) + "\n" + hexSHA256([]byte(canonical.String()))
		if !hmac.Equal(hmacSHA256(c.st.key, []byte(sts)), trailerSig) {
			return errSignature()
		}
	}
	for _, s := range c.sums {
		var value string
		for _, g := range got {
			if g.name == s.name {
				value = g.value
			}
		}
		want, err := base64.StdEncoding.DecodeString(value)
		if err != nil || !hmac.Equal(want, s.h.Sum(nil)) {
			return errBadDigest(s.name)
		}
	}
	c.state = stateDone
	return nil
}
