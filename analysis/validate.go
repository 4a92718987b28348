package analysis

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/internal/jsontext"
	"github.com/s3authz/s3authz/policy"
)

// Kind is the kind of policy a document is validated as: policy.Bucket or
// policy.Identity.
type Kind = policy.Kind

// MaxDocumentBytes is the largest document Validate reads: larger than
// every policy size quota, so that the size checks can report.
const MaxDocumentBytes = 1 << 20

// MaxFindings bounds the findings of one report; past it Validate stops
// adding findings, so the report stays bounded for any input.
const MaxFindings = 1000

// ErrUnreadable marks a document Validate cannot read at all: over
// MaxDocumentBytes, or not UTF-8.
var ErrUnreadable = errors.New("analysis: unreadable document")

// ValidateOptions are what Validate knows of where the policy is attached.
// The checks that need a field report nothing when it is empty.
type ValidateOptions struct {
	// Bucket is the bucket a bucket policy is attached to.
	Bucket string
	// Owner is the 12-digit account ID of the bucket owner.
	Owner string
}

// Report is the result of Validate.
type Report struct {
	// Findings are sorted by the offset of their primary location, then
	// by code.
	Findings []Finding
	// ParseErr is what policy.Parse says about the same bytes: nil when
	// the document loads.
	ParseErr error
}

// Validate checks one policy document of the given kind and reports every
// problem it finds as a Finding (spec analysis.md §3). It returns an error
// only for input it cannot read at all: a document over MaxDocumentBytes,
// invalid UTF-8, or an unknown kind. A document over the parser's depth
// or value limits gives a report with ParseErr set and no findings.
// Validate never panics, is deterministic and runs in time bounded by a
// polynomial of small degree in len(doc).
func Validate(kind policy.Kind, doc []byte, o ValidateOptions) (*Report, error) {
	if kind != policy.Bucket && kind != policy.Identity {
		return nil, errors.New("analysis: unknown policy kind " + kind.String())
	}
	if len(doc) > MaxDocumentBytes {
		return nil, errors.Join(ErrUnreadable, errors.New("analysis: document larger than 1 MiB"))
	}
	off, what := jsontext.Check(doc)
	if off >= 0 && what == "invalid UTF-8" {
		return nil, errors.Join(ErrUnreadable, errors.New("analysis: invalid UTF-8"))
	}
	v := &validator{kind: kind, doc: doc, opts: o, budget: compareBudget, patterns: map[string]bool{}}
	var parsed *policy.Policy
	parsed, v.parseErr = policy.Parse(kind, doc)
	rep := &Report{ParseErr: v.parseErr}
	root, errOff, errMsg, limit := readJSON(doc, policy.DefaultMaxDepth, policy.DefaultMaxValues)
	if limit || errors.Is(v.parseErr, policy.ErrLimit) {
		// Beyond the parser's depth, value or statement limits: the
		// parser's error and no findings (spec §2.4).
		return rep, nil
	}
	v.lineStarts()
	if root == nil {
		v.addAt(Error, "JSON_SYNTAX_ERROR", "The document is not well-formed JSON: "+errMsg+".", Location{Start: errOff, End: errOff})
	} else {
		v.root = root
		// Parse again without the size quota, so that the checks that
		// read the parsed policy run on documents over it too.
		v.parsed = parsed
		if v.parseErr != nil {
			v.parsed, _ = policy.Parser{MaxBytes: MaxDocumentBytes}.Parse(kind, doc)
		}
		v.document()
	}
	v.fallback()
	v.sort()
	rep.Findings = v.findings
	return rep, nil
}

// validator carries the state of one Validate call.
type validator struct {
	kind     policy.Kind
	doc      []byte
	opts     ValidateOptions
	lines    []int // offsets of line starts
	root     *node
	parsed   *policy.Policy
	parseErr error
	version  string
	findings []Finding
	budget   int             // comparison cells left; see compareBudget
	patterns map[string]bool // action patterns known to match a catalog action
}

func (v *validator) lineStarts() {
	v.lines = append(v.lines, 0)
	for i, c := range v.doc {
		if c == '\n' {
			v.lines = append(v.lines, i+1)
		}
	}
}

// loc returns the location of n.
func (v *validator) loc(n *node) Location {
	return v.locSpan(n.pointer(), n.start, n.end)
}

func (v *validator) locSpan(ptr string, start, end int) Location {
	line, col := v.position(start)
	endLine, endCol := v.position(end)
	return Location{Pointer: ptr, Start: start, End: end, Line: line, Col: col, EndLine: endLine, EndCol: endCol, Path: path(v.root, ptr)}
}

// position returns the line (from 1) and column (from 0) of a byte offset.
func (v *validator) position(off int) (line, col int) {
	line, _ = slices.BinarySearch(v.lines, off+1)
	// line is the number of line starts <= off.
	return line, off - v.lines[line-1]
}

// add records a finding at the given nodes; the first is the primary
// location.
func (v *validator) add(t Type, code, msg string, at ...*node) {
	locs := make([]Location, 0, len(at))
	for _, n := range at {
		if n != nil {
			locs = append(locs, v.loc(n))
		}
	}
	if len(locs) == 0 {
		return
	}
	v.addLocs(t, code, msg, locs)
}

func (v *validator) addAt(t Type, code, msg string, l Location) {
	l = v.locSpan(l.Pointer, l.Start, l.End)
	v.addLocs(t, code, msg, []Location{l})
}

func (v *validator) addLocs(t Type, code, msg string, locs []Location) {
	if len(v.findings) >= MaxFindings {
		return
	}
	v.findings = append(v.findings, Finding{Type: t, Code: code, Message: msg, Locations: locs, Learn: learn(t, code)})
}

// has reports whether some finding has a location with the pointer.
func (v *validator) has(ptr string) bool {
	for i := range v.findings {
		for _, l := range v.findings[i].Locations {
			if l.Pointer == ptr {
				return true
			}
		}
	}
	return false
}

func (v *validator) sort() {
	slices.SortStableFunc(v.findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Locations[0].Start, b.Locations[0].Start),
			strings.Compare(a.Code, b.Code),
			cmp.Compare(a.Locations[0].End, b.Locations[0].End),
			strings.Compare(a.Locations[0].Pointer, b.Locations[0].Pointer),
			strings.Compare(a.Message, b.Message),
		)
	})
}

// q quotes user text for a message, cut to a few dozen bytes.
func q(s string) string { return errfmt.Quote(s) }

// learn returns the documentation anchor of a code.
func learn(t Type, code string) string {
	if src, ok := s3Sources[code]; ok {
		return src
	}
	var kind string
	switch t {
	case Error:
		kind = "error"
	case SecurityWarning:
		kind = "security-warning"
	case Warning:
		kind = "general-warning"
	default:
		kind = "suggestion"
	}
	return "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-" +
		kind + "-" + strings.ReplaceAll(strings.ToLower(code), "_", "-")
}

// s3Sources names where each check beyond Access Analyzer comes from
// (spec §3.6).
var s3Sources = map[string]string{
	"S3_PUBLIC_STATEMENT":                     "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
	"S3_CROSS_ACCOUNT_PERMISSIONS_MANAGEMENT": "Prowler s3_bucket_cross_account_access; parliament PERMISSIONS_MANAGEMENT_ACTIONS",
	"S3_RESOURCE_POLICY_PRIVILEGE_ESCALATION": "parliament RESOURCE_POLICY_PRIVILEGE_ESCALATION",
	"S3_ALLOW_WITH_NOT_RESOURCE":              "parliament NOTRESOURCE_WITH_ALLOW",
	"S3_ALLOW_WITH_NOT_ACTION":                "parliament, cloudsplaining: Allow with NotAction",
	"S3_RESOURCE_MISMATCH":                    "parliament RESOURCE_MISMATCH",
	"S3_RESOURCE_OUTSIDE_BUCKET":              "S3 PutBucketPolicy: Policy has invalid resource",
	"S3_BAD_PATTERN_FOR_MFA":                  "parliament BAD_PATTERN_FOR_MFA; IAM condition-key reference, aws:MultiFactorAuthPresent",
	"S3_SERVICE_WILDCARD":                     "cloudsplaining Service Wildcard; DPP 1.3",
	"S3_RESOURCE_STAR":                        "parliament RESOURCE_STAR; cloudsplaining Data Exfiltration",
	"S3_POLICY_LOCKOUT":                       "checkov CKV_AWS_93 (narrowed per checkov#5934); S3 root user exemption",
	"S3_SECURE_TRANSPORT_INVERTED":            "https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-ssl-requests-only.html",
	"S3_DUPLICATE_MEMBER":                     "RFC 8259 §4",
}

// fallback makes sure every problem policy.Parse reports has a finding at
// its pointer (spec §3.2), mapping Parse's sentinels to codes.
func (v *validator) fallback() {
	if v.parseErr == nil {
		return
	}
	var errs []error
	if j, ok := v.parseErr.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{v.parseErr}
	}
	for _, err := range errs {
		var se *policy.SyntaxError
		if errors.As(err, &se) {
			if v.root != nil && !v.has("") {
				// Parse refuses what the reader accepts (an unpaired
				// surrogate escape): report it at Parse's offset.
				off := min(max(int(se.Offset), 0), len(v.doc))
				v.addAt(Error, "JSON_SYNTAX_ERROR", "The document is not well-formed: "+se.Msg+".", Location{Start: off, End: off})
			}
			continue
		}
		var pe *policy.Error
		if !errors.As(err, &pe) || v.has(pe.Pointer) {
			continue
		}
		t, code := Error, parseErrorCode(err)
		switch {
		case code != "":
		case errors.Is(err, policy.ErrTooLarge):
			t, code = Warning, "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA"
			if v.kind == policy.Identity {
				code = "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"
			}
		case errors.Is(err, policy.ErrMissingElement):
			code = "MISSING_STATEMENT"
			for _, e := range [...]string{"Effect", "Action", "Resource", "Principal"} {
				if strings.Contains(pe.Err.Error(), e) {
					code = "MISSING_" + strings.ToUpper(e)
					break
				}
			}
		case errors.Is(err, policy.ErrInvalidCondition):
			// At an operator, the operator; at a key or value, a type
			// the operator cannot read.
			code = "INVALID_CONDITION_OPERATOR"
			if _, rest, ok := strings.Cut(pe.Pointer, "/Condition/"); ok && strings.Contains(rest, "/") {
				t, code = Warning, "TYPE_MISMATCH"
			}
		default:
			// ErrInvalidValue and anything newer: the element's own code
			// where the pointer names one.
			code = "DATA_TYPE_MISMATCH"
			switch {
			case strings.HasSuffix(pe.Pointer, "/Version"):
				code = "INVALID_VERSION"
			case strings.HasSuffix(pe.Pointer, "/Effect"):
				code = "INVALID_EFFECT"
			case strings.HasSuffix(pe.Pointer, "/Sid"):
				code = "UNSUPPORTED_SID"
			}
		}
		n := v.find(pe.Pointer)
		msg := "Package policy refuses the element: " + errfmt.Truncate(pe.Err.Error(), 200) + "."
		if n != nil {
			v.add(t, code, msg, n)
		} else {
			off := min(max(pe.Offset, 0), len(v.doc))
			v.addAt(t, code, msg, Location{Pointer: pe.Pointer, Start: off, End: off})
		}
	}
}

// find returns the node a pointer names, or nil.
func (v *validator) find(ptr string) *node {
	if v.root == nil {
		return nil
	}
	var found *node
	var walk func(n *node) bool
	walk = func(n *node) bool {
		p := n.pointer()
		if p == ptr {
			found = n
			return true
		}
		if !strings.HasPrefix(ptr, p+"/") && p != "" {
			return false
		}
		for i := range n.members {
			if walk(n.members[i].val) {
				return true
			}
		}
		for _, e := range n.elems {
			if walk(e) {
				return true
			}
		}
		return false
	}
	walk(v.root)
	return found
}

// parseErrorCodes are the issue codes of the parser's errors that map to
// one code whatever their pointer.
var parseErrorCodes = [...]struct {
	err  error
	code string
}{
	{policy.ErrType, "DATA_TYPE_MISMATCH"},
	{policy.ErrDuplicateKey, "S3_DUPLICATE_MEMBER"},
	{policy.ErrUnknownElement, "INVALID_POLICY_ELEMENT"},
	{policy.ErrConflict, "UNSUPPORTED_ELEMENT_COMBINATION"},
	{policy.ErrInvalidPrincipal, "INVALID_PRINCIPAL_FORMAT"},
	{policy.ErrInvalidAction, "INVALID_ACTION"},
	{policy.ErrInvalidResource, "INVALID_ARN_RESOURCE"},
	{policy.ErrInvalidVariable, "MISSING_BRACE_IN_VARIABLE"},
}

// parseErrorCode returns the code of a parser error that has one of its
// own, "" for the others.
func parseErrorCode(err error) string {
	for _, e := range parseErrorCodes {
		if errors.Is(err, e.err) {
			return e.code
		}
	}
	return ""
}
