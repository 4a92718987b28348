package evaluate

import (
	"strconv"
	"strings"
	"time"

	"github.com/s3authz/s3authz/internal/ascii"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// keySource supplies the condition keys of one request to prepared
// conditions, and the values of policy variables to patterns.
type keySource interface {
	policy.Vars
	// values returns the values of the key named lower (lowercase ASCII);
	// one is storage the source may return a single value in.
	values(lower string, one *[1]string) ([]string, bool)
}

// values implements keySource for a Keys: what the caller set, nothing
// derived.
func (k *Keys) values(lower string, _ *[1]string) ([]string, bool) {
	for i := range k.entries {
		if k.entries[i].name == lower {
			return k.entries[i].values, true
		}
	}
	return nil, false
}

// requestVars is the keySource of an Evaluate call: the keys the evaluator
// derives from the request and context, resolved when a condition or
// variable asks for them, then the keys the request supplies. A derived key
// hides a supplied key of the same name, present or not, so a caller cannot
// claim another identity. It holds copies, never pointers into the
// evaluation, and lives in the pooled scratch space.
type requestVars struct {
	principal      ownership.Principal
	principalTags  []ownership.Tag
	objectTags     []ownership.Tag
	keys           *Keys
	resourceAcct   string // the bucket owner, "" without a bucket
	time           time.Time
	current, epoch string // aws:CurrentTime and aws:EpochTime, formatted on first use
}

// Lookup implements policy.Vars: the value of a single-valued key.
func (v *requestVars) Lookup(lower string) (string, bool) {
	if s, ok, derived := v.derived(lower); derived {
		return s, ok
	}
	if v.keys != nil {
		return v.keys.Lookup(lower)
	}
	return "", false
}

func (v *requestVars) values(lower string, one *[1]string) ([]string, bool) {
	if s, ok, derived := v.derived(lower); derived {
		if !ok {
			return nil, false
		}
		one[0] = s
		return one[:], true
	}
	if v.keys != nil {
		return v.keys.values(lower, one)
	}
	return nil, false
}

const (
	principalTagPrefix = "aws:principaltag/"
	objectTagPrefix    = "s3:existingobjecttag/"
)

// derived resolves a key the evaluator computes: its value, whether the
// request has it, and whether the key is a derived one at all.
func (v *requestVars) derived(lower string) (value string, ok, derived bool) {
	p := &v.principal
	switch lower {
	case "aws:principalarn":
		value, ok = p.PrincipalArn()
	case "aws:principalaccount":
		value, ok = p.PrincipalAccount()
	case "aws:principaltype":
		value, ok = p.PrincipalType()
	case "aws:username":
		value, ok = p.Username()
	case "aws:userid":
		value, ok = p.UserID()
	case "aws:principalisawsservice":
		value, ok = strconv.FormatBool(p.IsService()), !p.IsAnonymous()
	case "aws:currenttime":
		if ok = !v.time.IsZero(); ok {
			if v.current == "" {
				v.current = v.time.UTC().Format(time.RFC3339Nano)
			}
			value = v.current
		}
	case "aws:epochtime":
		if ok = !v.time.IsZero(); ok {
			if v.epoch == "" {
				v.epoch = strconv.FormatInt(v.time.Unix(), 10)
			}
			value = v.epoch
		}
	case "s3:resourceaccount", "aws:resourceaccount":
		value, ok = v.resourceAcct, v.resourceAcct != ""
	default:
		switch {
		case strings.HasPrefix(lower, principalTagPrefix):
			if !p.IsAnonymous() {
				value, ok = findTag(v.principalTags, lower[len(principalTagPrefix):])
			}
		case strings.HasPrefix(lower, objectTagPrefix):
			value, ok = findTag(v.objectTags, lower[len(objectTagPrefix):])
		default:
			return "", false, false
		}
	}
	return value, ok, true
}

// findTag finds a tag by key without regard to ASCII case, as condition key
// names are matched; the last of equal keys wins.
func findTag(tags []ownership.Tag, lower string) (string, bool) {
	for i := len(tags) - 1; i >= 0; i-- {
		if ascii.EqualLower(tags[i].Key, lower) {
			return tags[i].Value, true
		}
	}
	return "", false
}
