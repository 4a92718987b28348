package sigv4

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// TestPublishedChunkedExample replays the "Example: PUT Object" request of
// the S3 API reference page on chunked uploads (STREAMING-AWS4-HMAC-SHA256-
// PAYLOAD), whose seed and chunk signatures AWS publishes: 64 KiB and 1 KiB
// of 'a', in us-east-1 on 2013-05-24, with the documentation's example keys.
func TestPublishedChunkedExample(t *testing.T) {
	const (
		seed   = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
		chunk1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
		chunk2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
		final  = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
	)
	build := func(body string) *http.Request {
		r, err := http.NewRequest(http.MethodPut, "http://s3.amazonaws.com/examplebucket/chunkObject.txt", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.ContentLength = 66824
		r.Header.Set("X-Amz-Date", "20130524T000000Z")
		r.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
		r.Header.Set("Content-Encoding", "aws-chunked")
		r.Header.Set("X-Amz-Decoded-Content-Length", "66560")
		r.Header.Set("X-Amz-Content-Sha256", StreamingPayload)
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"+
			"SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"+
			"Signature="+seed)
		return r
	}
	v := &Verifier{
		Secret: func(id string) (string, bool) {
			return "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", id == "AKIAIOSFODNN7EXAMPLE"
		},
		Now: func() time.Time { return time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC) },
	}
	a64, a1 := strings.Repeat("a", 65536), strings.Repeat("a", 1024)
	good := "10000;chunk-signature=" + chunk1 + "\r\n" + a64 + "\r\n" +
		"400;chunk-signature=" + chunk2 + "\r\n" + a1 + "\r\n" +
		"0;chunk-signature=" + final + "\r\n\r\n"
	if len(good) != 66824 {
		t.Fatalf("example body is %d bytes, want 66824", len(good))
	}

	tests := map[string]struct {
		body   string
		status int
		code   string
	}{
		"published":               {body: good},
		"data changed":            {body: good[:200] + "b" + good[201:], status: 403, code: "SignatureDoesNotMatch"},
		"chunk signature garbled": {body: strings.Replace(good, chunk1, "X", 1), status: 400, code: "InvalidChunkSizeError"},
		"final sig wrong":         {body: strings.Replace(good, final, chunk2, 1), status: 403, code: "SignatureDoesNotMatch"},
		"second sig used first": {
			body:   strings.Replace(good, chunk1, chunk2, 1),
			status: 403, code: "SignatureDoesNotMatch",
		},
		"final chunk missing":  {body: good[:len(good)-86], status: 400, code: "IncompleteBody"},
		"closing CRLF missing": {body: good[:len(good)-2], status: 400, code: "IncompleteBody"},
		"truncated in data":    {body: good[:1000], status: 400, code: "IncompleteBody"},
		"data after final":     {body: good[:len(good)-2] + "junk\r\n\r\n", status: 400, code: "InvalidChunkSizeError"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := build(tc.body)
			res, err := v.Verify(r)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if r.ContentLength != 66560 || r.Header.Get("Content-Encoding") != "" || res.PayloadHash != StreamingPayload {
				t.Fatalf("request not adjusted: length %d, encoding %q", r.ContentLength, r.Header.Get("Content-Encoding"))
			}
			got, err := io.ReadAll(iotest.HalfReader(r.Body))
			if tc.status != 0 {
				wantErr(t, err, tc.status, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != a64+a1 {
				t.Fatalf("decoded %d bytes, want 66560 of 'a'", len(got))
			}
		})
	}

	t.Run("seed signature wrong", func(t *testing.T) {
		r := build(good)
		r.Header.Set("X-Amz-Storage-Class", "STANDARD")
		_, err := v.Verify(r)
		wantErr(t, err, 403, "SignatureDoesNotMatch")
	})
}

// TestPublishedTrailerExample checks the decoder against the signed-trailer
// example of the S3 API reference ("Signature calculations for trailing
// headers"), whose seed, chunk and trailer signatures AWS publishes, with a
// CRC32C trailer over 66560 bytes of 'a'.
func TestPublishedTrailerExample(t *testing.T) {
	const (
		seed    = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
		chunk1  = "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2"
		chunk2  = "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7"
		final   = "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"
		trailer = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435"
	)
	body := "10000;chunk-signature=" + chunk1 + "\r\n" + strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=" + chunk2 + "\r\n" + strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=" + final + "\r\n" +
		"x-amz-checksum-crc32c:sOO8/Q==\r\n" +
		"x-amz-trailer-signature:" + trailer + "\r\n\r\n"
	run := func(body string) ([]byte, error) {
		prev, _ := hex.DecodeString(seed)
		r, _ := http.NewRequest(http.MethodPut, "http://s3.amazonaws.com/examplebucket/chunkObject.txt", strings.NewReader(body))
		r.Header.Set("X-Amz-Decoded-Content-Length", "66560")
		r.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32c")
		err := installChunked(r, r.Body, StreamingPayloadTrailer, streamState{
			key:     testKeyFor("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1"),
			prev:    prev,
			amzDate: "20130524T000000Z",
			scope:   "20130524/us-east-1/s3/aws4_request",
		})
		if err != nil {
			return nil, err
		}
		return io.ReadAll(r.Body)
	}
	got, err := run(body)
	if err != nil || len(got) != 66560 {
		t.Fatalf("published example: %d bytes, %v", len(got), err)
	}
	_, err = run(strings.Replace(body, "sOO8/Q==", "sOO8/A==", 1))
	wantErr(t, err, 403, "SignatureDoesNotMatch")
	_, err = run(strings.Replace(body, trailer, final, 1))
	wantErr(t, err, 403, "SignatureDoesNotMatch")
}

func testKeyFor(secret, date, region string) []byte {
	k := mac([]byte("AWS4"+secret), date)
	for _, s := range []string{region, "s3", "aws4_request"} {
		k = mac(k, s)
	}
	return k
}

// chunkedCase describes an aws-chunked upload built by the test itself.
type chunkedCase struct {
	mode     string      // x-amz-content-sha256
	chunks   []string    // data chunks, the final empty one excluded
	trailers [][2]string // trailer name and value; value "" means the correct checksum
	declare  string      // x-amz-trailer; "" means the trailer names
	decoded  int         // x-amz-decoded-content-length; -1 means omit, 0 means the data length
	// mutate alters the encoded body after signing.
	mutate func(string) string
	// noTrailerSig leaves out x-amz-trailer-signature in signed-trailer mode.
	noTrailerSig bool
	encoding     string // Content-Encoding; "" means aws-chunked
}

func checksum(name string, data []byte) string {
	var sum []byte
	switch name {
	case "x-amz-checksum-crc32":
		sum = binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(data))
	case "x-amz-checksum-crc32c":
		sum = binary.BigEndian.AppendUint32(nil, crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli)))
	case "x-amz-checksum-crc64nvme":
		sum = binary.BigEndian.AppendUint64(nil, crc64.Checksum(data, crc64.MakeTable(0x9a6c9329ac4bc9b5)))
	case "x-amz-checksum-sha1":
		s := sha1.Sum(data)
		sum = s[:]
	case "x-amz-checksum-sha256":
		s := sha256.Sum256(data)
		sum = s[:]
	default:
		return "opaque"
	}
	return base64.StdEncoding.EncodeToString(sum)
}

// encode frames the chunks; sig, when not nil, signs each chunk's data.
func (c chunkedCase) encode(sig func(string) string, trailerSig func(string) string) string {
	signed := c.mode != StreamingUnsignedTrailer
	var b strings.Builder
	for _, ch := range append(append([]string(nil), c.chunks...), "") {
		fmt.Fprintf(&b, "%x", len(ch))
		if signed {
			b.WriteString(";chunk-signature=" + sig(ch))
		}
		b.WriteString("\r\n" + ch)
		if ch != "" {
			b.WriteString("\r\n")
		}
	}
	if c.mode == StreamingPayload {
		b.WriteString("\r\n")
		return b.String()
	}
	data := []byte(strings.Join(c.chunks, ""))
	var canonical strings.Builder
	for _, tr := range c.trailers {
		v := tr[1]
		if v == "" {
			v = checksum(tr[0], data)
		}
		b.WriteString(tr[0] + ":" + v + "\r\n")
		canonical.WriteString(tr[0] + ":" + v + "\n")
	}
	if signed && !c.noTrailerSig {
		b.WriteString("x-amz-trailer-signature:" + trailerSig(canonical.String()) + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// request signs the head with the SDK and the chunks with the test's own
// implementation of the chunk signature chain.
func (c chunkedCase) request(t *testing.T) *http.Request {
	t.Helper()
	zero := func(string) string { return strings.Repeat("0", 64) }
	length := len(c.encode(zero, zero))
	r := newRequest(t, http.MethodPut, "bucket.s3.example.com", "/chunked/key", "", nil)
	r.ContentLength = int64(length)
	enc := c.encoding
	if enc == "" {
		enc = "aws-chunked"
	}
	r.Header.Set("Content-Encoding", enc)
	data := strings.Join(c.chunks, "")
	switch {
	case c.decoded == 0:
		r.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)))
	case c.decoded > 0:
		r.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(c.decoded))
	}
	if c.mode != StreamingPayload {
		declare := c.declare
		if declare == "" {
			var names []string
			for _, tr := range c.trailers {
				names = append(names, tr[0])
			}
			declare = strings.Join(names, ",")
		}
		r.Header.Set("X-Amz-Trailer", declare)
	}
	sign(t, r, creds(testAKID, testSecret), c.mode, testNow)
	a := r.Header.Get("Authorization")
	prev := a[strings.LastIndex(a, "=")+1:]
	key := testKey(testSecret, "20240524")
	const scope = "20240524/us-east-1/s3/aws4_request"
	sig := func(chunk string) string {
		sts := "AWS4-HMAC-SHA256-PAYLOAD\n20240524T120000Z\n" + scope + "\n" + prev + "\n" +
			hexSum(nil) + "\n" + hexSum([]byte(chunk))
		prev = hex.EncodeToString(mac(key, sts))
		return prev
	}
	trailerSig := func(canonical string) string {
		sts := "AWS4-HMAC-SHA256-TRAILER\n20240524T120000Z\n" + scope + "\n" + prev + "\n" + hexSum([]byte(canonical))
		return hex.EncodeToString(mac(key, sts))
	}
	body := c.encode(sig, trailerSig)
	if len(body) != length {
		t.Fatalf("encoded length changed: %d, %d", len(body), length)
	}
	if c.mutate != nil {
		body = c.mutate(body)
	}
	r.Body = io.NopCloser(strings.NewReader(body))
	return r
}

func TestChunked(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 4096) // 64 KiB
	data := []string{big, "second chunk", "x"}
	crc := [][2]string{{"x-amz-checksum-crc32", ""}}
	tests := map[string]struct {
		c          chunkedCase
		status     int
		code       string
		verifyFail bool // the failure comes from Verify
	}{
		"signed": {c: chunkedCase{mode: StreamingPayload, chunks: data}},
		"signed empty object": {
			c: chunkedCase{mode: StreamingPayload},
		},
		"signed data tampered": {
			c:      chunkedCase{mode: StreamingPayload, chunks: data, mutate: func(s string) string { return strings.Replace(s, "second", "Second", 1) }},
			status: 403, code: "SignatureDoesNotMatch",
		},
		"signed chunks reordered": {
			c: chunkedCase{mode: StreamingPayload, chunks: []string{"aaaa", "bbbb"}, mutate: func(s string) string {
				lines := strings.Split(s, "\r\n") // hdr1 aaaa hdr2 bbbb hdr0 "" ""
				lines[0], lines[1], lines[2], lines[3] = lines[2], lines[3], lines[0], lines[1]
				return strings.Join(lines, "\r\n")
			}},
			status: 403, code: "SignatureDoesNotMatch",
		},
		"signed chunk signature missing": {
			c: chunkedCase{mode: StreamingPayload, chunks: []string{"abc"}, mutate: func(s string) string {
				return "3\r\n" + s[strings.Index(s, "\r\n")+2:]
			}},
			status: 400, code: "InvalidChunkSizeError",
		},
		"signed truncated in data": {
			c:      chunkedCase{mode: StreamingPayload, chunks: data, mutate: func(s string) string { return s[:5000] }},
			status: 400, code: "IncompleteBody",
		},
		"signed truncated in header": {
			c:      chunkedCase{mode: StreamingPayload, chunks: data, mutate: func(s string) string { return s[:10] }},
			status: 400, code: "IncompleteBody",
		},
		"decoded length too small": {
			c:      chunkedCase{mode: StreamingPayload, chunks: data, decoded: 100},
			status: 400, code: "IncompleteBody",
		},
		"decoded length too large": {
			c:      chunkedCase{mode: StreamingPayload, chunks: data, decoded: 1 << 20},
			status: 400, code: "IncompleteBody",
		},
		"decoded length missing": {
			c:      chunkedCase{mode: StreamingPayload, chunks: data, decoded: -1},
			status: 411, code: "MissingContentLength", verifyFail: true,
		},
		"oversized chunk": {
			c: chunkedCase{mode: StreamingPayload, chunks: []string{"abc"}, decoded: 1 << 30, mutate: func(s string) string {
				return "7fffffff" + s[1:]
			}},
			status: 400, code: "InvalidChunkSizeError",
		},
		"chunk size overflow": {
			c: chunkedCase{mode: StreamingPayload, chunks: []string{"abc"}, mutate: func(s string) string {
				return "ffffffffffffffffff" + s[1:]
			}},
			status: 400, code: "InvalidChunkSizeError",
		},
		"chunk header line too long": {
			c: chunkedCase{mode: StreamingPayload, chunks: []string{"abc"}, mutate: func(s string) string {
				return "3;" + strings.Repeat("x", 5000) + s[1:]
			}},
			status: 400, code: "InvalidChunkSizeError",
		},
		"chunk data not followed by CRLF": {
			c: chunkedCase{mode: StreamingPayload, chunks: []string{"abc"}, mutate: func(s string) string {
				return strings.Replace(s, "abc\r\n", "abcXY", 1)
			}},
			status: 400, code: "InvalidChunkSizeError",
		},
		"bare LF line": {
			c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: []string{"abc"}, trailers: crc, mutate: func(s string) string {
				return strings.Replace(s, "3\r\n", "3\n", 1)
			}},
			status: 400, code: "InvalidChunkSizeError",
		},
		"signed trailer crc32c": {
			c: chunkedCase{mode: StreamingPayloadTrailer, chunks: data, trailers: [][2]string{{"x-amz-checksum-crc32c", ""}}},
		},
		"signed trailer wrong signature": {
			c: chunkedCase{mode: StreamingPayloadTrailer, chunks: data, trailers: crc, mutate: func(s string) string {
				i := strings.Index(s, "x-amz-trailer-signature:") + len("x-amz-trailer-signature:")
				return s[:i] + strings.Repeat("f", 64) + s[i+64:]
			}},
			status: 403, code: "SignatureDoesNotMatch",
		},
		"signed trailer value changed": {
			c: chunkedCase{mode: StreamingPayloadTrailer, chunks: data, trailers: [][2]string{{"x-amz-checksum-sha256", ""}}, mutate: func(s string) string {
				return strings.Replace(s, "x-amz-checksum-sha256:", "x-amz-checksum-sha256:A", 1)
			}},
			status: 403, code: "SignatureDoesNotMatch",
		},
		"signed trailer wrong checksum": {
			c:      chunkedCase{mode: StreamingPayloadTrailer, chunks: data, trailers: [][2]string{{"x-amz-checksum-crc32", "AAAAAA=="}}},
			status: 400, code: "BadDigest",
		},
		"signed trailer without signature": {
			c:      chunkedCase{mode: StreamingPayloadTrailer, chunks: data, trailers: crc, noTrailerSig: true},
			status: 403, code: "SignatureDoesNotMatch",
		},
		"unsigned trailer crc32":     {c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: crc}},
		"unsigned trailer sha1":      {c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: [][2]string{{"x-amz-checksum-sha1", ""}}}},
		"unsigned trailer sha256":    {c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: [][2]string{{"x-amz-checksum-sha256", ""}}}},
		"unsigned trailer crc64nvme": {c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: [][2]string{{"x-amz-checksum-crc64nvme", ""}}}},
		"unsigned trailer unknown algorithm": {
			c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: [][2]string{{"x-amz-checksum-future", ""}}},
		},
		"unsigned trailer wrong crc32": {
			c:      chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: [][2]string{{"x-amz-checksum-crc32", "AAAAAA=="}}},
			status: 400, code: "BadDigest",
		},
		"unsigned trailer data changed": {
			c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: crc, mutate: func(s string) string {
				return strings.Replace(s, "second", "Second", 1)
			}},
			status: 400, code: "BadDigest",
		},
		"unsigned trailer not declared": {
			c:      chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: crc, declare: "x-amz-checksum-crc32c"},
			status: 400, code: "InvalidArgument",
		},
		"unsigned trailer declared but absent": {
			c:      chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, declare: "x-amz-checksum-crc32"},
			status: 400, code: "MalformedTrailerError",
		},
		"unsigned trailer with chunk signature": {
			c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: []string{"abc"}, trailers: crc, mutate: func(s string) string {
				return strings.Replace(s, "3\r\n", "3;chunk-signature="+strings.Repeat("0", 64)+"\r\n", 1)
			}},
			status: 400, code: "InvalidChunkSizeError",
		},
		"unsigned trailer truncated": {
			c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: data, trailers: crc, mutate: func(s string) string {
				return s[:len(s)-2]
			}},
			status: 400, code: "IncompleteBody",
		},
		"unsigned trailer too many trailers": {
			c: chunkedCase{mode: StreamingUnsignedTrailer, chunks: []string{"abc"}, trailers: crc, mutate: func(s string) string {
				return strings.Replace(s, "\r\n\r\n", "\r\n"+strings.Repeat("x-amz-checksum-crc32:AAAAAA==\r\n", 100)+"\r\n", 1)
			}},
			status: 400, code: "InvalidChunkSizeError",
		},
		"other content encoding kept": {
			c: chunkedCase{mode: StreamingPayload, chunks: data, encoding: "aws-chunked,gzip"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := tc.c.request(t)
			_, err := testVerifier().Verify(r)
			if tc.verifyFail {
				wantErr(t, err, tc.status, tc.code)
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := strings.Join(tc.c.chunks, "")
			if tc.status == 0 && r.ContentLength != int64(len(want)) {
				t.Fatalf("ContentLength %d, want %d", r.ContentLength, len(want))
			}
			wantEnc := strings.TrimPrefix(tc.c.encoding, "aws-chunked,")
			if got := r.Header.Get("Content-Encoding"); got != wantEnc {
				t.Fatalf("Content-Encoding %q, want %q", got, wantEnc)
			}
			got, err := io.ReadAll(iotest.OneByteReader(r.Body))
			if tc.status != 0 {
				wantErr(t, err, tc.status, tc.code)
				// The error sticks.
				if _, err2 := r.Body.Read(make([]byte, 1)); err2 != err {
					t.Fatalf("second read: %v", err2)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Fatalf("decoded %d bytes, want %d", len(got), len(want))
			}
		})
	}
}

func TestCRC64NVME(t *testing.T) {
	// The check value of CRC-64/NVME, the CRC of "123456789".
	if got := crc64.Checksum([]byte("123456789"), crc64NVME); got != 0xae8b14860a799888 {
		t.Fatalf("crc64nvme check value %#x", got)
	}
}

func TestStreamingRejectedWhenPresigned(t *testing.T) {
	r := newRequest(t, http.MethodPut, "s3.example.com", "/b/k", "", []byte("x"))
	r.Header.Set("X-Amz-Content-Sha256", StreamingPayload)
	p := presign(t, r, creds(testAKID, testSecret), 60, testNow)
	p.Header.Set("X-Amz-Content-Sha256", StreamingPayload)
	_, err := testVerifier().Verify(p)
	wantErr(t, err, 400, "InvalidRequest")
}
