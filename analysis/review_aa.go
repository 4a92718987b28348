package analysis

import "strings"

// AAFinding is an access finding in the fields of IAM Access Analyzer's
// external access Finding, for tools that already read them.
type AAFinding struct {
	// Principal is Access Analyzer's principal map: {"AWS": "*"},
	// {"AWS": "ACCOUNT"}, {"AWS": ARN}, {"CanonicalUser": ID},
	// {"Service": NAME} or {"Federated": NAME}.
	Principal map[string]string `json:"principal"`
	// Action lists the granted actions (patterns as written); a NotAction
	// grant lists "*" and names its exceptions in ActionExcept, which
	// Access Analyzer does not have.
	Action       []string `json:"action"`
	ActionExcept []string `json:"actionExcept,omitempty"`
	// Resource is the reviewed bucket's ARN, as Access Analyzer names the
	// resource a finding is about.
	Resource string `json:"resource"`
	// Condition maps each condition key of the granting statement to its
	// values, comma-separated; the Deny conditions that limit the grant are
	// not Access Analyzer's and are left out.
	Condition map[string]string `json:"condition"`
	IsPublic  bool              `json:"isPublic"`
	// Sources is one source: {"type": "POLICY"}, {"type": "BUCKET_ACL"},
	// or, beyond Access Analyzer, {"type": "OBJECT_ACL", "detail":
	// {"key": KEY}}.
	Sources []AASource `json:"sources"`
	// Status is "ACTIVE", or "RESOLVED" for a finding Block Public Access
	// neutralises (Access Analyzer resolves those).
	Status               string `json:"status"`
	ResourceOwnerAccount string `json:"resourceOwnerAccount"`
	ResourceType         string `json:"resourceType"`
}

// AASource is the source of an AAFinding.
type AASource struct {
	Type   string            `json:"type"`
	Detail map[string]string `json:"detail,omitempty"`
}

// AccessAnalyzer returns the report's findings in the fields of Access
// Analyzer's external access findings, in the report's order. Principal
// forms Access Analyzer has no key for are mapped to the nearest one:
// "authenticated" (any signed caller, which S3 counts as public) to
// {"AWS": "*"}, and the log delivery group to S3's logging service,
// {"Service": "logging.s3.amazonaws.com"}.
func (r *AccessReport) AccessAnalyzer() []AAFinding {
	out := make([]AAFinding, 0, len(r.Findings))
	for i := range r.Findings {
		f := &r.Findings[i]
		a := AAFinding{
			Principal:            aaPrincipal(f.Principal),
			Action:               f.Actions,
			ActionExcept:         f.Except,
			Resource:             "arn:aws:s3:::" + r.Bucket,
			Condition:            map[string]string{},
			IsPublic:             f.Public,
			Status:               "ACTIVE",
			ResourceOwnerAccount: string(r.Owner),
			ResourceType:         "AWS::S3::Bucket",
		}
		if f.BlockedBy != BlockedNone {
			a.Status = "RESOLVED"
		}
		for _, c := range f.Conditions {
			if c.Deny {
				continue
			}
			v := strings.Join(c.Values, ",")
			if prev, ok := a.Condition[c.Key]; ok {
				v = prev + "," + v
			}
			a.Condition[c.Key] = v
		}
		switch f.Source.Kind {
		case SourceStatement:
			a.Sources = []AASource{{Type: "POLICY"}}
		case SourceBucketACL:
			a.Sources = []AASource{{Type: "BUCKET_ACL"}}
		case SourceObjectACL:
			a.Sources = []AASource{{Type: "OBJECT_ACL", Detail: map[string]string{"key": f.Source.Key}}}
		}
		out = append(out, a)
	}
	return out
}

// aaPrincipal maps a finding's principal form to Access Analyzer's map.
func aaPrincipal(p string) map[string]string {
	switch {
	case p == "*" || p == "authenticated":
		return map[string]string{"AWS": "*"}
	case p == "group:LogDelivery":
		return map[string]string{"Service": "logging.s3.amazonaws.com"}
	}
	for _, f := range [...]struct{ prefix, key string }{
		{"account:", "AWS"}, {"canonical:", "CanonicalUser"}, {"service:", "Service"}, {"federated:", "Federated"},
	} {
		if rest, ok := strings.CutPrefix(p, f.prefix); ok {
			return map[string]string{f.key: rest}
		}
	}
	return map[string]string{"AWS": p} // an IAM ARN
}
