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
	action         int // the action's catalog index
	principal      ownership.Principal
	principalTags  []ownership.Tag
	objectTags     []ownership.Tag
	bucketTags     []ownership.Tag // nil unless the bucket has ABAC on
	keys           *Keys
	resourceAcct   string           // the bucket owner, "" without a bucket
	time           time.Time        // the request time; zero until the clock is read
	clock          func() time.Time // the host's clock, nil for time.Now
	current, epoch string           // aws:CurrentTime and aws:EpochTime, formatted on first use
}

// catalog is the action catalog by index, for the rare lookups that need
// an action's whole row. It is never modified.
var catalog = policy.Actions()

// perActionGlobals are the lowercase names of the global keys whose
// presence depends on the action (policy.KeyInfo.PerAction), a tag family
// ending in its slash, read once from the catalog.
var perActionGlobals = func() (out []string) {
	for _, k := range policy.ConditionKeys() {
		if k.PerAction() && k.Global() {
			out = append(out, ascii.Lower(strings.TrimSuffix(k.Name, "<key>")))
		}
	}
	return out
}()

// perActionName reports whether a lowercase key name may be one whose
// presence depends on the action: an s3: key or one of perActionGlobals.
// It saves the catalog lookup for the others.
func perActionName(lower string) bool {
	if strings.HasPrefix(lower, "s3:") {
		return true
	}
	for _, g := range perActionGlobals {
		if lower == g || strings.HasSuffix(g, "/") && strings.HasPrefix(lower, g) {
			return true
		}
	}
	return false
}

// Lookup implements policy.Vars: the value of a single-valued key.
func (v *requestVars) Lookup(lower string) (string, bool) {
	if perActionName(lower) && !catalog[v.action].HasConditionKey(lower) {
		return "", false
	}
	if s, ok, derived := v.derived(lower); derived {
		return s, ok
	}
	if v.keys != nil {
		if s, ok := v.keys.Lookup(lower); ok {
			return s, true
		}
		if _, ok := v.keys.Get(lower); ok {
			return "", false // multivalued: no variable value
		}
	}
	return defaulted(lower)
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
		if vals, ok := v.keys.values(lower, one); ok {
			return vals, true
		}
	}
	if s, ok := defaulted(lower); ok {
		one[0] = s
		return one[:], true
	}
	return nil, false
}

// defaulted gives the value of a key AWS always puts in the request context
// when the request does not supply one: aws:SecureTransport and
// aws:ViaAWSService are "always included in the request context" (AWS
// global condition context keys), so a host that does not say the request
// came over TLS, or through a service, gets "false" rather than an absent
// key. Absent, the usual Deny on "Bool": {"aws:SecureTransport": "false"}
// would be skipped; "false" keeps it, and an Allow that requires "true"
// grants nothing.
func defaulted(lower string) (string, bool) {
	switch lower {
	case "aws:securetransport", "aws:viaawsservice":
		return "false", true
	}
	return "", false
}

const (
	principalTagPrefix = "aws:principaltag/"
	objectTagPrefix    = "s3:existingobjecttag/"
	resourceTagPrefix  = "aws:resourcetag/"
	bucketTagPrefix    = "s3:buckettag/"
)

// derived resolves a key the evaluator computes: its value, whether the
// request has it, and whether the key is a derived one at all.
func (v *requestVars) derived(lower string) (value string, ok, derived bool) {
	p := &v.principal
	switch lower {
	case "aws:principalarn", "aws:principalaccount", "aws:principaltype",
		"aws:username", "aws:userid", "aws:principalisawsservice":
		value, ok = p.ConditionKey(lower)
	case "aws:currenttime":
		if v.current == "" {
			v.current = v.now().UTC().Format(time.RFC3339Nano)
		}
		value, ok = v.current, true
	case "aws:epochtime":
		if v.epoch == "" {
			v.epoch = strconv.FormatInt(v.now().Unix(), 10)
		}
		value, ok = v.epoch, true
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
		case strings.HasPrefix(lower, resourceTagPrefix):
			// The bucket's tags, for the bucket and the objects in it,
			// and only under ABAC: "S3 evaluates this condition key only
			// after you enable ABAC on your bucket".
			value, ok = findTag(v.bucketTags, lower[len(resourceTagPrefix):])
		case strings.HasPrefix(lower, bucketTagPrefix):
			value, ok = findTag(v.bucketTags, lower[len(bucketTagPrefix):])
		default:
			return "", false, false
		}
	}
	return value, ok, true
}

// now is the request time: Request.Time, or else the host's clock read
// once. aws:CurrentTime and aws:EpochTime are always in the context, so an
// expiry condition can never be skipped for want of a time.
func (v *requestVars) now() time.Time {
	if v.time.IsZero() {
		if v.clock != nil {
			v.time = v.clock()
		} else {
			v.time = time.Now()
		}
	}
	return v.time
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
