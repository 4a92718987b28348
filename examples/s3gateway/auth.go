package main

import (
	"context"
	"net/http"

	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/s3request"
	"github.com/s3authz/s3authz/scenario"
)

// authenticator is the gateway's authentication: it returns the name of the
// scenario principal a request is signed as, or anonymous for an unsigned
// request. It may replace r.Body with a reader that decodes (and, for a
// verifier, checks) the payload; that reader's error at EOF fails the
// request. An error it returns is answered before authorization: an
// *authError with S3's status and code, any other error 403 AccessDenied.
type authenticator interface {
	authenticate(r *http.Request) (principalName string, anonymous bool, err error)
}

// authError is an authentication failure as S3 answers it.
type authError struct {
	Status        int
	Code, Message string
}

func (e *authError) Error() string { return e.Code + ": " + e.Message }

// reqInfo is what the gateway learnt about a request before the
// middleware: the caller, the DevPay product it came through, and the
// documents a write would store. It lives in the request's context.
type reqInfo struct {
	requestID string
	caller    scenario.Caller
	// tokens are the request's DevPay tokens; product the product they
	// resolve to, or productErr why they resolve to none.
	tokens     devpay.Tokens
	product    devpay.ProductCode
	productErr error
	// body is a document the gateway read ahead (an ACL or a policy), for
	// the middleware's Complete and then the handler.
	body []byte
	// op is the operation the front mapped, nil when the request did not
	// map (the middleware then answers it). The handlers read the
	// middleware's, which is the same mapping; this one serves only when
	// authorization is off (options.withoutAuthorization).
	op *s3request.Operation
}

type infoKey struct{}

// withInfo returns ctx carrying info.
func withInfo(ctx context.Context, info *reqInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// infoFrom returns the reqInfo of a request's context, nil for none.
func infoFrom(ctx context.Context) *reqInfo {
	info, _ := ctx.Value(infoKey{}).(*reqInfo)
	return info
}

// identify is the middleware's Identity: the caller the gateway
// authenticated in front of it. A request that did not go through the
// gateway's front is refused.
func identify(r *http.Request) (ownership.Principal, error) {
	info := infoFrom(r.Context())
	if info == nil {
		return ownership.Principal{}, errNoCaller
	}
	return info.caller.Principal, nil
}
