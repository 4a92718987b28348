package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/scenario"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// env is a gateway on a loopback port and the SDK clients that call it.
type env struct {
	gw     *gateway
	srv    *httptest.Server
	addr   string // 127.0.0.1:PORT
	creds  *credsFile
	audit  *syncBuffer
	alarms *syncBuffer
	// vars pass values between steps (version IDs, upload IDs).
	vars map[string]string
}

// The DevPay tokens of the credentials file, as a client sends them.
const (
	productToken = "{ProductToken}PHOTOAPP-product-token-0001"
	carolTokens  = "{UserToken}carol-user-token-0001," + productToken
	bobTokens    = "{UserToken}bob-user-token-0001," + productToken
)

// newEnv starts the gateway of testdata/world.json and testdata/creds.json.
func newEnv(t testing.TB) *env { return newEnvWith(t, nil) }

// newEnvWith starts the gateway with its options changed by set.
func newEnvWith(t testing.TB, set func(*options)) *env {
	t.Helper()
	s, err := scenario.Load("testdata/world.json")
	if err != nil {
		t.Fatal(err)
	}
	signed := map[string]bool{}
	for n, c := range s.Callers() {
		signed[n] = !c.Principal.IsAnonymous()
	}
	creds, err := loadCredentials("testdata/creds.json", signed)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{creds: creds, audit: &syncBuffer{}, alarms: &syncBuffer{}, vars: map[string]string{}}
	o := options{
		Endpoints: []string{"s3.localhost"},
		Audit:     e.audit,
		AuditKey:  []byte("test pseudonymization key, 32 b"),
		Alarms:    e.alarms,
		// Low enough that the suite's refusals raise one.
		Monitor: audit.MonitorOptions{Denials: audit.Threshold{Count: 5, Window: time.Hour}},
	}
	if set != nil {
		set(&o)
	}
	e.gw, err = newGateway(s, creds, o)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(e.gw)
	e.addr = e.srv.Listener.Addr().String()
	t.Cleanup(e.srv.Close)
	return e
}

// httpClient dials the gateway whatever host a URL names, so that
// BUCKET.s3.localhost reaches it without DNS.
func (e *env) httpClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, e.addr)
	}}}
}

// accessKey returns the access key ID and secret of a principal.
func (e *env) accessKey(name string) (string, string) {
	for id, k := range e.creds.AccessKeys {
		if k.Principal == name {
			return id, k.Secret
		}
	}
	return "", ""
}

// client returns an SDK client calling as who in style ("path" or
// "virtual"). who is a principal of the world, "anonymous", a principal
// with "+PHOTOAPP" (calling through the DevPay product, with its user
// token), "unknown-key", or "alice-wrong-secret" (alice's access key
// signing with another secret).
func (e *env) client(who, style string) *s3.Client {
	_, port, _ := net.SplitHostPort(e.addr)
	cfg := aws.Config{Region: "us-east-1", HTTPClient: e.httpClient()}
	name, product, _ := strings.Cut(who, "+")
	switch {
	case who == "anonymous":
		cfg.Credentials = aws.AnonymousCredentials{}
	case who == "unknown-key":
		cfg.Credentials = credentials.NewStaticCredentialsProvider("AKIAUNKNOWN000000000", "nope", "")
	case who == "alice-wrong-secret":
		id, _ := e.accessKey("alice")
		cfg.Credentials = credentials.NewStaticCredentialsProvider(id, "not-alices-secret", "")
	default:
		id, secret := e.accessKey(name)
		token := ""
		if product != "" {
			token = map[string]string{"carol": carolTokens, "bob": bobTokens}[name]
		}
		cfg.Credentials = credentials.NewStaticCredentialsProvider(id, secret, token)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if style == "path" {
			o.BaseEndpoint = aws.String("http://" + e.addr)
			o.UsePathStyle = true
		} else {
			o.BaseEndpoint = aws.String("http://s3.localhost:" + port)
		}
	})
}

// outcome says how a call ended: "ok", or S3's error code and HTTP status
// as the SDK reports them (or as a plain client reads them).
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var api smithy.APIError
	var resp *awshttp.ResponseError
	if errors.As(err, &api) && errors.As(err, &resp) {
		return fmt.Sprintf("%s %d", api.ErrorCode(), resp.HTTPStatusCode())
	}
	var pe *plainError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s %d", pe.code, pe.status)
	}
	return "error: " + err.Error()
}

// plainError is an S3 error a plain HTTP client read.
type plainError struct {
	status int
	code   string
}

func (e *plainError) Error() string { return fmt.Sprintf("%s %d", e.code, e.status) }

// plain sends a request (a presigned one) with a plain HTTP client and
// returns the body of a 2xx answer, or the S3 error.
func (e *env) plain(ctx context.Context, method, url string, h http.Header, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range h {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := e.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		var doc struct{ Code string }
		_ = xml.Unmarshal(data, &doc)
		return nil, &plainError{resp.StatusCode, doc.Code}
	}
	return data, nil
}

// readBody reads and closes an object body.
func readBody(out *s3.GetObjectOutput) (string, error) {
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return string(b), err
}

// expect returns an error when got is not want.
func expect[T comparable](what string, got, want T) error {
	if got != want {
		return fmt.Errorf("%s: got %v, want %v", what, got, want)
	}
	return nil
}
