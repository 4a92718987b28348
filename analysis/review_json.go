package analysis

import (
	"encoding/json"

	"github.com/s3authz/s3authz/ownership"
)

// This file writes access reports in the expectAccess shape of
// conformance/ANALYSIS-FORMAT.md §2.1, with the fields the format leaves
// out (levels, conditions, the Sid, the NotResource patterns) added.

// findingJSON is the JSON form of an AccessFinding.
type findingJSON struct {
	Principal       string           `json:"principal"`
	Actions         []string         `json:"actions"`
	ActionsExcept   []string         `json:"actionsExcept,omitempty"`
	Resources       []string         `json:"resources"`
	ResourcesExcept []string         `json:"resourcesExcept,omitempty"`
	Public          bool             `json:"public"`
	BlockedBy       *string          `json:"blockedBy"`
	Source          string           `json:"source"`
	Sid             string           `json:"sid,omitempty"`
	ConditionKeys   []string         `json:"conditionKeys"`
	Levels          []Level          `json:"levels"`
	Conditions      []accessCondJSON `json:"conditions"`
}

// accessCondJSON is the JSON form of an AccessCondition.
type accessCondJSON struct {
	Operator string   `json:"operator"`
	Key      string   `json:"key"`
	Values   []string `json:"values"`
	Deny     bool     `json:"deny,omitempty"`
	Pointer  string   `json:"pointer,omitempty"`
}

// MarshalJSON writes the finding as ANALYSIS-FORMAT.md's expectAccess
// entries are written: {"principal", "actions", "actionsExcept" (only for
// NotAction), "resources", "resourcesExcept" (only for NotResource),
// "public", "blockedBy" (null or the flag's name), "source" ("statement
// /Statement/0", "bucket-acl grant 1", "object-acl KEY grant 2"), "sid"
// (when the statement has one), "conditionKeys", "levels",
// "conditions"}. Lists are never null.
func (f AccessFinding) MarshalJSON() ([]byte, error) {
	j := findingJSON{
		Principal: f.Principal, Actions: nonNil(f.Actions), ActionsExcept: f.Except,
		Resources: nonNil(f.Resources), ResourcesExcept: f.ExceptResources,
		Public: f.Public, Source: f.Source.String(), Sid: f.Source.Sid,
		ConditionKeys: nonNil(f.ConditionKeys), Levels: f.Levels, Conditions: []accessCondJSON{},
	}
	if j.Levels == nil {
		j.Levels = []Level{}
	}
	if f.BlockedBy != BlockedNone {
		s := f.BlockedBy.String()
		j.BlockedBy = &s
	}
	for _, c := range f.Conditions {
		j.Conditions = append(j.Conditions, accessCondJSON{Operator: c.Operator, Key: c.Key, Values: nonNil(c.Values), Deny: c.Deny, Pointer: c.Pointer})
	}
	return json.Marshal(j)
}

// bpaJSON is the JSON form of the effective Block Public Access.
type bpaJSON struct {
	BlockPublicAcls       bool `json:"BlockPublicAcls"`
	IgnorePublicAcls      bool `json:"IgnorePublicAcls"`
	BlockPublicPolicy     bool `json:"BlockPublicPolicy"`
	RestrictPublicBuckets bool `json:"RestrictPublicBuckets"`
}

// reportJSON is the JSON form of an AccessReport.
type reportJSON struct {
	Bucket       string              `json:"bucket"`
	Owner        ownership.AccountID `json:"owner"`
	Public       bool                `json:"public"`
	PolicyPublic *bool               `json:"policyPublic"`
	Effective    bpaJSON             `json:"effective"`
	ACLsEnabled  bool                `json:"aclsEnabled"`
	Findings     []AccessFinding     `json:"findings"`
	Notes        []string            `json:"notes"`
}

// MarshalJSON writes the report as {"bucket", "owner", "public",
// "policyPublic" (null without a bucket policy), "effective" (the four
// Block Public Access flags by name), "aclsEnabled", "findings",
// "notes"}. Lists are never null.
func (r *AccessReport) MarshalJSON() ([]byte, error) {
	e := r.Effective
	j := reportJSON{
		Bucket: r.Bucket, Owner: r.Owner, Public: r.Public, PolicyPublic: r.PolicyPublic,
		Effective:   bpaJSON{e.BlockPublicAcls, e.IgnorePublicAcls, e.BlockPublicPolicy, e.RestrictPublicBuckets},
		ACLsEnabled: r.ACLsEnabled, Findings: r.Findings, Notes: nonNil(r.Notes),
	}
	if j.Findings == nil {
		j.Findings = []AccessFinding{}
	}
	return json.Marshal(j)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
