package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/examples/s3gateway/sigv4"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
	"github.com/s3authz/s3authz/s3request"
	"github.com/s3authz/s3authz/scenario"
)

// Limits on what a request may carry.
const (
	// defaultMaxObject caps an object (and a part) in bytes.
	defaultMaxObject = 64 << 20
	// maxXMLBody caps an XML request body the gateway parses.
	maxXMLBody = 1 << 20
	// maxACLBody and maxPolicyBody cap an ACL and a bucket policy, as the
	// library's parsers do.
	maxACLBody    = acl.DefaultMaxBytes
	maxPolicyBody = policy.DefaultMaxBytesBucket
)

// options configure a gateway.
type options struct {
	// Endpoints are the host names (without port) served in virtual-hosted
	// style, BUCKET.ENDPOINT; any other host, an IP address included, is
	// read as path style.
	Endpoints []string
	// Audit receives the chained decision log; AuditKey pseudonymizes the
	// names in it (at least audit.MinKeyLen bytes).
	Audit    io.Writer
	AuditKey []byte
	// Monitor configures the suspicious-activity detectors; its OnAlarm is
	// the gateway's, which writes each alarm to Alarms.
	Monitor audit.MonitorOptions
	Alarms  io.Writer
	// AuditError receives errors writing the log; nil writes them to
	// Alarms.
	AuditError func(error)
	// MaxObject caps an object's size; 0 means 64 MiB.
	MaxObject int64
	// Now is the gateway's clock; nil means time.Now.
	Now func() time.Time
	// withoutAuthorization serves every authenticated request without the
	// middleware: no check, no decision record. It exists only so that
	// the load benchmark can measure what authorization costs; no flag
	// sets it.
	withoutAuthorization bool
}

// gateway is the S3 server: authentication in front, the s3authz
// middleware, then the S3 API over the world.
type gateway struct {
	world     *world
	creds     *credsFile
	auth      authenticator
	mapper    *s3request.Mapper
	mw        *s3request.Middleware
	next      http.Handler
	log       *audit.Logger
	maxObject int64
	now       func() time.Time
	// withoutAuthorization: see options.
	withoutAuthorization bool
}

// newAuthenticator returns the gateway's authentication: AWS Signature
// Version 4 (header-signed and presigned requests, aws-chunked bodies with
// their chunk signatures or trailers) verified by package sigv4 against
// the credentials file, with S3's 15-minute clock skew.
func newAuthenticator(keys map[string]accessKey, now func() time.Time) authenticator {
	v := &sigv4.Verifier{Secret: func(id string) (string, bool) {
		k, ok := keys[id]
		return k.Secret, ok
	}, Now: now, MaxSkew: sigv4.DefaultMaxSkew}
	return &sigv4Auth{v: v, keys: keys}
}

// sigv4Auth authenticates with a sigv4.Verifier and names the caller by
// the credentials file's principal of the access key.
type sigv4Auth struct {
	v    *sigv4.Verifier
	keys map[string]accessKey
}

// authenticate implements authenticator.
func (a *sigv4Auth) authenticate(r *http.Request) (string, bool, error) {
	res, err := a.v.Verify(r)
	if err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) {
			return "", false, &authError{Status: se.Status, Code: se.Code, Message: se.Message}
		}
		return "", false, err
	}
	if res.Anonymous {
		return "", true, nil
	}
	k, ok := a.keys[res.AccessKeyID]
	if !ok { // Verify knew the key a moment ago: fail closed anyway
		return "", false, errUnknownAccessKey
	}
	return k.Principal, false, nil
}

var errUnknownAccessKey = &authError{Status: http.StatusForbidden, Code: "InvalidAccessKeyId",
	Message: "The AWS Access Key Id you provided does not exist in our records."}

// newGateway builds the gateway for a scenario's world and a credentials
// file.
func newGateway(s *scenario.Scenario, creds *credsFile, o options) (*gateway, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	w, err := loadWorld(s, now)
	if err != nil {
		return nil, err
	}
	signed := w.signedNames()
	for id, k := range creds.AccessKeys {
		if !signed[k.Principal] {
			return nil, fmt.Errorf("access key %s: principal %q is not a signed principal of the world", id, k.Principal)
		}
	}
	mapper, err := s3request.New(s3request.Config{Endpoints: o.Endpoints, DisableCNAME: true})
	if err != nil {
		return nil, err
	}
	alarms := o.Alarms
	if alarms == nil {
		alarms = io.Discard
	}
	mo := o.Monitor
	mo.OnAlarm = func(a audit.Alarm) {
		// The alarm's principal is personal data: print the redacted
		// record's principal instead.
		fmt.Fprintf(alarms, "s3gateway: alarm: %s (principal %s, account %s, operation %s)\n",
			a, a.Record.Principal, a.Record.Account, a.Record.Operation)
	}
	mon, err := audit.NewMonitor(mo)
	if err != nil {
		return nil, err
	}
	if o.Audit == nil {
		return nil, errors.New("s3gateway: no audit log")
	}
	logger, err := audit.New(o.Audit, audit.Options{Redaction: audit.Pseudonymize, Key: o.AuditKey, Monitor: mon, Now: now})
	if err != nil {
		return nil, err
	}
	auditErr := o.AuditError
	if auditErr == nil {
		auditErr = func(err error) { fmt.Fprintf(alarms, "s3gateway: audit log: %v\n", err) }
	}
	g := &gateway{world: w, creds: creds, auth: newAuthenticator(creds.AccessKeys, now), mapper: mapper,
		log: logger, maxObject: o.MaxObject, now: now, withoutAuthorization: o.withoutAuthorization}
	if g.maxObject <= 0 {
		g.maxObject = defaultMaxObject
	}
	g.mw = &s3request.Middleware{
		Mapper:     mapper,
		Store:      w,
		Identify:   identify,
		Options:    s3request.HTTPOptions{Now: now},
		Complete:   g.complete,
		Audit:      logger,
		AuditError: auditErr,
	}
	g.next = g.mw.Wrap(http.HandlerFunc(g.serveS3))
	if o.withoutAuthorization {
		g.next = http.HandlerFunc(g.serveS3)
	}
	return g, nil
}

// Close ends the audit log with its final digest.
func (g *gateway) Close() error { return g.log.Close() }

// ServeHTTP is the gateway's front: it dates and names the request,
// authenticates it, resolves its DevPay tokens, answers for buckets that do
// not exist as S3 does, reads ahead the ACL or policy a write carries, and
// hands the request to the middleware.
func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := newRequestID()
	w.Header().Set("X-Amz-Request-Id", id)
	w.Header().Set("Server", "s3gateway")
	fail := func(e *s3Error) { writeS3Error(w, r, id, e, requestResource(r)) }
	if r.ContentLength > g.maxObject {
		fail(errEntityTooLarge)
		return
	}
	name, anonymous, err := g.auth.authenticate(r)
	if err != nil {
		var ae *authError
		if errors.As(err, &ae) {
			fail(&s3Error{ae.Status, ae.Code, ae.Message})
		} else {
			fail(errAccessDenied)
		}
		return
	}
	info := &reqInfo{requestID: id, caller: g.world.anonymous}
	if !anonymous {
		c, ok := g.world.caller(name)
		if !ok {
			fail(errAccessDenied)
			return
		}
		info.caller = c
	}
	if e := g.resolveTokens(r, info); e != nil {
		fail(e)
		return
	}
	// Map once ahead of the middleware, to answer as S3 does for a bucket
	// that does not exist (404 NoSuchBucket, whoever asks) or exists
	// already (409), and to read ahead the document a write carries. A
	// request that does not map goes on: the middleware answers it.
	if req, err := s3request.FromHTTP(r, g.mw.Options); err == nil {
		if op, err := g.mapper.Map(req); err == nil {
			if e := g.world.exists(op, info.caller.Principal); e != nil {
				writeS3Error(w, r, id, e, op.Resource())
				return
			}
			if e := readAhead(r, op, info); e != nil {
				writeS3Error(w, r, id, e, op.Resource())
				return
			}
			info.op = op
		}
	}
	g.next.ServeHTTP(w, r.WithContext(withInfo(r.Context(), info)))
}

// resolveTokens reads the request's x-amz-security-token as DevPay
// tokens and resolves them with the credentials file: the product token
// names the product, and the user token must be the caller's. A token
// that is no DevPay token is refused (the gateway issues no session
// tokens); tokens that resolve to no product, or a user token of someone
// else, are kept as productErr, which denies at authorization.
func (g *gateway) resolveTokens(r *http.Request, info *reqInfo) *s3Error {
	vals := r.Header.Values("X-Amz-Security-Token")
	if q := r.URL.Query(); q.Has("X-Amz-Security-Token") {
		vals = append(vals, q["X-Amz-Security-Token"]...)
	}
	if len(vals) == 0 {
		return nil
	}
	t, err := devpay.ParseTokens(vals...)
	if err != nil {
		return &s3Error{http.StatusBadRequest, "InvalidToken", "The provided token is malformed or otherwise invalid."}
	}
	info.tokens = t
	code, ok := g.creds.DevPay.ProductTokens[t.Product()]
	switch {
	case t.Product() == "" || !ok:
		info.productErr = errors.New("s3gateway: DevPay tokens name no known product")
	case info.caller.Principal.IsAnonymous() || g.creds.DevPay.UserTokens[t.User()] != info.caller.Name:
		info.productErr = errors.New("s3gateway: DevPay user token is not the caller's")
	default:
		info.product = devpay.ProductCode(code)
	}
	return nil
}

// exists answers a request naming a bucket that does not exist with 404
// NoSuchBucket, and a CreateBucket of one that does with 409, as S3 does
// before authorization.
func (w *world) exists(op *s3request.Operation, p ownership.Principal) *s3Error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	for i := range op.Checks {
		c := &op.Checks[i]
		if c.Bucket == "" || c.Extra {
			continue
		}
		b := w.buckets[c.Bucket]
		switch {
		case op.Name == "CreateBucket" && b != nil && b.rec.Owner == p.Account():
			return &s3Error{http.StatusConflict, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it."}
		case op.Name == "CreateBucket" && b != nil:
			return &s3Error{http.StatusConflict, "BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."}
		case op.Name != "CreateBucket" && b == nil:
			return errNoSuchBucket
		}
	}
	return nil
}

// readAhead reads the body of PutBucketAcl, PutObjectAcl and
// PutBucketPolicy (bounded) into info.body and puts it back, so that the
// middleware's Complete can give the evaluator the ACL or policy the write
// would store, for Block Public Access and Object Ownership.
func readAhead(r *http.Request, op *s3request.Operation, info *reqInfo) *s3Error {
	var limit int64
	tooLarge := errMalformedACL
	switch op.Name {
	case "PutBucketAcl", "PutObjectAcl":
		limit = maxACLBody
	case "PutBucketPolicy":
		limit, tooLarge = maxPolicyBody, &s3Error{http.StatusBadRequest, "PolicyTooLarge", "Policy exceeds the maximum allowed document size."}
	default:
		return nil
	}
	if r.Body == nil {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return bodyError(err)
	}
	if int64(len(data)) > limit {
		return tooLarge
	}
	if _, err := verifyChecksums(r, data); err != nil {
		return asS3Error(err)
	}
	info.body = data
	r.Body = io.NopCloser(bytes.NewReader(data))
	return nil
}

// complete is the middleware's Complete: the caller's tags, the DevPay
// product its tokens resolved to, and the ACL or policy a write would
// store.
func (g *gateway) complete(r *http.Request, op *s3request.Operation, i int, req *evaluate.Request) error {
	info := infoFrom(r.Context())
	if info == nil {
		return errNoCaller
	}
	req.PrincipalTags = info.caller.Tags
	if info.productErr != nil {
		return info.productErr
	}
	req.Product = info.product
	c := &op.Checks[i]
	switch {
	case op.Name == "PutBucketPolicy" && strings.EqualFold(c.Action, "s3:PutBucketPolicy"):
		// A policy that does not parse is left out: the handler refuses
		// it as MalformedPolicy.
		if p, err := policy.Parse(policy.Bucket, info.body); err == nil {
			req.Policy = p
		}
	case strings.EqualFold(c.Action, "s3:PutBucketAcl"), strings.EqualFold(c.Action, "s3:PutObjectAcl"),
		strings.EqualFold(c.Action, "s3:PutObjectVersionAcl"):
		// An ACL that does not build is left out: the handler refuses it.
		if a, _, err := g.requestACL(r.Context(), r, op, info); err == nil {
			req.ACL = a
		}
	}
	return nil
}

// requestACL returns the ACL a request would store: the
// AccessControlPolicy body of PutBucketAcl and PutObjectAcl, or the
// x-amz-acl or x-amz-grant-* headers expanded for the resource's owner
// after the write; nil and false when the request carries none.
func (g *gateway) requestACL(ctx context.Context, r *http.Request, op *s3request.Operation, info *reqInfo) (*acl.ACL, bool, error) {
	if (op.Name == "PutBucketAcl" || op.Name == "PutObjectAcl") && len(bytes.TrimSpace(info.body)) > 0 {
		a, err := acl.Parse(info.body)
		return a, err == nil, err
	}
	canned := r.Header.Get("X-Amz-Acl")
	gh := acl.GrantHeaders{
		Read:        r.Header.Get("X-Amz-Grant-Read"),
		Write:       r.Header.Get("X-Amz-Grant-Write"),
		ReadACP:     r.Header.Get("X-Amz-Grant-Read-Acp"),
		WriteACP:    r.Header.Get("X-Amz-Grant-Write-Acp"),
		FullControl: r.Header.Get("X-Amz-Grant-Full-Control"),
	}
	if canned == "" && gh.IsZero() {
		return nil, false, nil
	}
	kind, owner, bucketOwner, err := g.aclOwners(ctx, op, info, canned)
	if err != nil {
		return nil, false, err
	}
	if canned != "" {
		if !gh.IsZero() {
			return nil, false, errors.New("s3gateway: both a canned ACL and grant headers")
		}
		a, err := acl.Canned(canned, kind, owner, bucketOwner)
		return a, err == nil, err
	}
	grants, err := gh.Grants()
	if err != nil {
		return nil, false, err
	}
	return &acl.ACL{Owner: owner, Grants: grants}, true, nil
}

// aclOwners returns the kind of resource an ACL-setting request writes, its
// owner after the write, and the bucket's owner.
func (g *gateway) aclOwners(ctx context.Context, op *s3request.Operation, info *reqInfo, canned string) (acl.Kind, acl.User, acl.User, error) {
	w := g.world
	caller := ownership.OwnerOf(info.caller.Principal)
	w.mu.RLock()
	b := w.buckets[op.Bucket]
	var bucketOwner ownership.AccountID
	var mode ownership.Mode
	var objOwner ownership.Owner
	if b != nil {
		bucketOwner, mode = b.rec.Owner, b.rec.Mode
		if v := b.find(op.Key, op.VersionID); v != nil && !v.deleteMarker {
			objOwner = b.rec.EffectiveOwner(v.rec)
		}
	}
	w.mu.RUnlock()
	kind := acl.Object
	var owner ownership.Owner
	switch op.Name {
	case "CreateBucket":
		kind, owner, bucketOwner = acl.Bucket, caller, caller.Account
	case "PutBucketAcl":
		kind, owner = acl.Bucket, ownership.AccountOwner(bucketOwner)
	case "PutObjectAcl":
		owner = objOwner
	default: // object writes: PutObject, CopyObject, CreateMultipartUpload
		owner = mode.ObjectOwner(bucketOwner, caller, canned)
	}
	if !owner.IsValid() || bucketOwner == "" {
		return 0, acl.User{}, acl.User{}, errors.New("s3gateway: no owner for the ACL")
	}
	ou, err := w.ownerUser(ctx, owner)
	if err != nil {
		return 0, acl.User{}, acl.User{}, err
	}
	bu, err := w.canonicalUser(ctx, bucketOwner)
	return kind, ou, bu, err
}

// newRequestID returns 16 random upper-case hexadecimal digits, as S3's
// request IDs are.
func newRequestID() string {
	var raw [8]byte
	_, _ = rand.Read(raw[:])
	return strings.ToUpper(hex.EncodeToString(raw[:]))
}
