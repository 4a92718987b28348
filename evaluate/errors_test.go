package evaluate_test

import (
	"errors"
	"testing"

	"github.com/s3authz/s3authz/evaluate"
	"github.com/stretchr/testify/assert"
)

// TestErrorMessage checks that an *Error prints its cause on one line,
// followed by where it was met.
func TestErrorMessage(t *testing.T) {
	cause := errors.New("evaluate: condition could not be evaluated: bad value")
	tests := []struct {
		name string
		err  evaluate.Error
		want string
	}{
		{name: "no location", err: evaluate.Error{Err: cause}, want: cause.Error()},
		{name: "a stage only", err: evaluate.Error{Stage: evaluate.StageDevPay, Err: cause}, want: cause.Error() + " (stage devpay)"},
		{name: "an identity policy by index", err: evaluate.Error{Stage: evaluate.StageUser, Source: evaluate.SourceIdentity, Index: 2, Pointer: "/Statement/0", Sid: "A", Err: cause},
			want: cause.Error() + ` (identity-policy 2, statement /Statement/0, Sid "A")`},
		{name: "the bucket policy", err: evaluate.Error{Stage: evaluate.StageBucket, Source: evaluate.SourceBucketPolicy, Pointer: "/Statement/3", Err: cause},
			want: cause.Error() + " (bucket-policy, statement /Statement/3)"},
		{name: "a cause on several lines", err: evaluate.Error{Err: errors.New("first\nsecond\r\nthird")}, want: "first ; second ; third"},
		{name: "no cause", err: evaluate.Error{}, want: "evaluate: error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
			assert.Equal(t, tc.err.Err, errors.Unwrap(&tc.err))
		})
	}
}
