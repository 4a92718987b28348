package analysis

import (
	"net/netip"
	"strings"

	"github.com/s3authz/s3authz/internal/condval"
	"github.com/s3authz/s3authz/policy"
)

// This file checks Condition blocks (spec analysis.md §3.4).

// privateRanges are the ranges of aws:SourceIp that requests reaching S3
// over the internet never carry (spec §3.4, "Private ranges").
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("fc00::/7"),
}

// principalKeys describe the principal; a service principal has none of
// them (UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL).
var principalKeys = []string{"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid", "aws:username"}

// otherGlobalKeys are documented global condition keys that package
// policy's catalog leaves out (they describe requests S3 does not see in
// the catalog's terms); they are not INVALID_GLOBAL_CONDITION_KEY.
var otherGlobalKeys = []string{
	"aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceIdentity", "aws:FederatedProvider",
	"aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4", "aws:VpceAccount",
	"aws:VpceOrgID", "aws:VpceOrgPaths", "aws:SourceVpcArn", "aws:AssumedRoot", "aws:ChatbotSourceArn",
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts; op
// is 0 for an unknown operator.
func parseOperator(name string) (op policy.Operator, set policy.SetOp, ifExists bool) {
	base := name
	if b, ok := strings.CutPrefix(base, "ForAllValues:"); ok {
		base, set = b, policy.ForAllValues
	} else if b, ok := strings.CutPrefix(base, "ForAnyValue:"); ok {
		base, set = b, policy.ForAnyValue
	}
	if b, ok := strings.CutSuffix(base, "IfExists"); ok && b != "" {
		base, ifExists = b, true
	}
	op, err := policy.ParseOperator(base)
	if err != nil {
		return 0, set, ifExists
	}
	return op, set, ifExists
}

func (v *validator) conditions(s *stmt) {
	c := s.condition
	if c == nil {
		return
	}
	if c.kind != jObject {
		v.typeMismatch(c, "an object")
		return
	}
	if len(c.members) == 0 {
		v.add(Suggestion, "EMPTY_OBJECT_CONDITION", "The Condition block is empty: remove it.", c)
		return
	}
	for _, om := range c.members {
		op, set, ifExists := parseOperator(om.name)
		switch {
		case op == policy.Null && ifExists:
			v.add(Error, "NULL_WITH_IF_EXISTS", "NullIfExists is not an operator: Null already tests whether the key is present.", om.val)
			op = 0
		case op == policy.Null && set != policy.SetNone:
			v.add(Suggestion, "NULL_WITH_QUALIFIER", om.name+" is read as Null: a set qualifier changes nothing for it.", om.val)
		case op == 0:
			v.add(Error, "INVALID_CONDITION_OPERATOR", "Condition operator "+q(om.name)+" does not exist.", om.val)
		}
		if om.val.kind != jObject {
			v.typeMismatch(om.val, "an object of condition keys")
			continue
		}
		if len(om.val.members) == 0 {
			v.add(Suggestion, "EMPTY_OBJECT_CONDITION", "Operator "+q(om.name)+" tests no key: remove it.", om.val)
		}
		seen := map[string]string{}
		for _, km := range om.val.members {
			lk := strings.ToLower(km.name)
			if prev, ok := seen[lk]; ok && prev != km.name {
				v.add(Error, "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", "Condition key "+q(km.name)+" repeats "+q(prev)+" in another case.", km.val)
			}
			seen[lk] = km.name
			cd := cond{opNode: om.val, opName: om.name, op: op, set: set, ifExists: ifExists, key: km.name, keyNode: km.val}
			cd.values = v.condValues(&cd)
			s.conds = append(s.conds, cd)
			if op != 0 {
				v.condKey(s, &cd)
			}
		}
	}
	v.pairedKeys(s)
	v.mfa(s)
	v.secureTransport(s)
}

// condValues reads the value list of a key, reporting type problems.
func (v *validator) condValues(c *cond) []*node {
	n := c.keyNode
	var vals []*node
	switch n.kind {
	case jString, jNumber, jBool:
		return []*node{n}
	case jArray:
		var k kind
		mixed := false
		for _, e := range n.elems {
			switch e.kind {
			case jString, jNumber, jBool:
				if k != 0 && e.kind != k {
					mixed = true
				}
				k = e.kind
				vals = append(vals, e)
			default:
				v.typeMismatch(e, "a string, number or boolean")
			}
		}
		if mixed {
			v.add(Error, "INVALID_CONDITION_DATA_TYPE", "The values of "+q(c.key)+" mix JSON types.", n)
		}
		if len(n.elems) == 0 {
			code := "EMPTY_ARRAY_CONDITION"
			switch {
			case c.set == policy.ForAllValues:
				code = "EMPTY_ARRAY_CONDITION_FORALLVALUES"
			case c.set == policy.ForAnyValue:
				code = "EMPTY_ARRAY_CONDITION_FORANYVALUE"
			case c.ifExists:
				code = "EMPTY_ARRAY_CONDITION_IFEXISTS"
			}
			v.add(Suggestion, code, "The value list of "+q(c.key)+" is empty.", n)
		}
		return vals
	}
	v.typeMismatch(n, "a string, number or boolean, or an array of them")
	return nil
}

// condKey checks one key and its values under a known operator.
func (v *validator) condKey(s *stmt, c *cond) {
	key, kn := c.key, c.keyNode
	prefix, name, ok := strings.Cut(key, ":")
	if !ok || prefix == "" || name == "" || !serviceChars(prefix) {
		v.add(Error, "INVALID_CONDITION_KEY_FORMAT", "Condition key "+q(key)+` is not of the form "service:name".`, kn)
		return
	}
	info, known := policy.LookupConditionKey(key)
	lp := strings.ToLower(prefix)
	switch {
	case known:
	case lp == "aws" && strings.EqualFold(key, "aws:ARN"):
		v.add(Error, "UNSUPPORTED_GLOBAL_CONDITION_KEY", "Condition key aws:ARN is not supported: use aws:SourceArn or aws:PrincipalArn.", kn)
		return
	case lp == "aws" && containsFold(otherGlobalKeys, key):
		// A documented global key the S3 catalog leaves out: no check of
		// its type or context.
		v.condValuesTyped(c)
		return
	case lp == "aws" || lp == "s3":
		if !strings.Contains(key, "/") {
			if _, fam := policy.LookupConditionKey(key + "/x"); fam {
				v.add(Error, "MISSING_TAG_KEY_IN_CONDITION", "Condition key "+q(key)+" needs a tag key: "+q(key+"/tag-key")+".", kn)
				return
			}
		}
		code := "INVALID_GLOBAL_CONDITION_KEY"
		if lp == "s3" {
			code = "INVALID_SERVICE_CONDITION_KEY"
		}
		v.add(Error, code, "Condition key "+q(key)+" does not exist.", kn)
		return
	case !knownService(lp):
		v.add(Error, "INVALID_SERVICE", "Condition key "+q(key)+" names service "+q(prefix)+", which does not exist.", kn)
		return
	}
	if known {
		if v.kind == policy.Bucket && strings.EqualFold(key, "s3:ResourceAccount") {
			v.add(Suggestion, "IRRELEVANT_CONDITION_KEY_IN_POLICY", "s3:ResourceAccount is always the bucket owner's account in a bucket policy.", kn)
		}
		if info.Multi && c.set == policy.SetNone && c.op != policy.Null {
			v.add(Error, "MISSING_QUALIFIER", "Multivalued key "+q(key)+" needs ForAllValues or ForAnyValue.", kn)
		}
		if !info.Multi && c.set == policy.ForAllValues {
			v.add(SecurityWarning, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", "ForAllValues on single-valued key "+q(key)+" is true when the key is absent; drop the qualifier.", kn)
		}
		if !info.Type.Accepts(c.op) {
			v.add(Warning, "TYPE_MISMATCH", "Operator "+q(c.opName)+" cannot test "+q(key)+", a key of type "+info.Type.String()+".", kn)
			return
		}
		if info.Type == policy.KeyBool && !info.Multi && c.op == policy.Bool && len(c.values) > 1 {
			v.add(Error, "INVALID_CONDITION_MULTIPLE_BOOLEAN", "Boolean key "+q(key)+" is given several values.", kn)
		}
	}
	if s.hasService() && strings.HasPrefix(strings.ToLower(key), "aws:principaltag/") || s.hasService() && containsFold(principalKeys, key) {
		v.add(Error, "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", "Key "+q(key)+" describes the caller, which a service principal does not have.", kn)
	}
	v.condValuesTyped(c)
}

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}

// condValuesTyped checks each value against the operator's type.
func (v *validator) condValuesTyped(c *cond) {
	op := c.op
	private, public := 0, 0
	for _, e := range c.values {
		t := e.text
		if strings.Contains(t, "${") {
			if !op.AcceptsVariables() {
				v.add(Error, "INVALID_VARIABLE_FOR_OPERATOR", "Operator "+q(c.opName)+" does not read policy variables, as in "+q(t)+".", e)
				continue
			}
			if !v.variables(e) {
				continue
			}
		}
		switch {
		case op == policy.Bool || op == policy.Null:
			if _, ok := condval.Bool(t); !ok && !strings.Contains(t, "${") {
				v.add(Warning, "TYPE_MISMATCH_BOOLEAN", "Value "+q(t)+" is not true or false.", e)
			}
		case op >= policy.DateEquals && op <= policy.DateGreaterThanEquals:
			if t != "" && allDigits(t) {
				v.add(Warning, "INVALID_DATE_VALUE", "Value "+q(t)+" reads as epoch seconds, not as an ISO 8601 date; write the date.", e)
			} else if _, ok := condval.Date(t); !ok {
				v.add(Warning, "TYPE_MISMATCH_DATE", "Value "+q(t)+" is not an ISO 8601 date.", e)
			}
		case op >= policy.NumericEquals && op <= policy.NumericGreaterThanEquals:
			if _, ok := condval.Number(t); !ok {
				v.add(Warning, "TYPE_MISMATCH_NUMBER", "Value "+q(t)+" is not a number.", e)
			}
		case op == policy.BinaryEquals:
			if _, ok := condval.Binary(t); !ok {
				v.add(Warning, "TYPE_MISMATCH_STRING", "Value "+q(t)+" is not base64.", e)
			}
		case op == policy.IpAddress || op == policy.NotIpAddress:
			p, ok := condval.CIDR(t)
			if !ok {
				v.add(Warning, "TYPE_MISMATCH_IP_RANGE", "Value "+q(t)+" is not an IP address or CIDR block.", e)
				continue
			}
			if raw, err := netip.ParsePrefix(t); err == nil && raw.Masked() != raw {
				v.add(Suggestion, "IMPROVE_IP_RANGE", "Block "+q(t)+" has bits set after the prefix; write "+q(p.String())+".", e)
			}
			isPrivate := false
			for _, r := range privateRanges {
				if r.Bits() <= p.Bits() && r.Contains(p.Addr().Unmap()) {
					isPrivate = true
				}
			}
			if isPrivate {
				private++
			} else {
				public++
			}
		case op >= policy.StringEquals && op <= policy.StringNotEqualsIgnoreCase && !op.Wildcards():
			if strings.ContainsAny(stripVars(t), "*?") {
				v.add(Warning, "WILDCARD_WITHOUT_LIKE_OPERATOR", "Under "+q(c.opName)+" the '*' or '?' in "+q(t)+" is literal text; use StringLike to match a pattern.", e)
				continue
			}
			v.vpcFormat(c, e)
			if strings.EqualFold(c.key, "aws:RequestedRegion") && !strings.Contains(t, "${") && !regions[regionCase(op, t)] {
				v.add(Error, "INVALID_REGION", "Value "+q(t)+" is not an AWS Region.", e)
			}
		}
	}
	if strings.EqualFold(c.key, "aws:SourceIp") && private > 0 {
		neg := ""
		if op == policy.NotIpAddress {
			neg = "NOT_"
		}
		if public == 0 {
			v.add(Error, "PRIVATE_"+neg+"IP_ADDRESS", "aws:SourceIp lists only private ranges, which requests to S3 over the internet never carry.", c.keyNode)
		} else {
			v.add(Suggestion, "PRIVATE_"+neg+"IP_ADDRESS_SUBSET", "aws:SourceIp mixes private and public ranges; the private ones never match requests over the internet.", c.keyNode)
		}
	}
	switch op {
	case policy.NumericLessThan, policy.NumericLessThanEquals, policy.NumericGreaterThan, policy.NumericGreaterThanEquals:
		if len(c.values) > 1 {
			v.add(Suggestion, "REDUNDANT_CONDITION_VALUE_NUM", "Under "+q(c.opName)+" only the widest of the values of "+q(c.key)+" counts; keep one.", c.keyNode)
		}
	}
}

// regionCase folds a Region to lower case under the IgnoreCase operators.
func regionCase(op policy.Operator, t string) string {
	if op == policy.StringEqualsIgnoreCase || op == policy.StringNotEqualsIgnoreCase {
		return strings.ToLower(t)
	}
	return t
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// vpcFormat checks aws:SourceVpc and aws:SourceVpce values.
func (v *validator) vpcFormat(c *cond, e *node) {
	var prefix, code string
	switch {
	case strings.EqualFold(c.key, "aws:SourceVpc"):
		prefix, code = "vpc-", "INVALID_VPC_FORMAT"
	case strings.EqualFold(c.key, "aws:SourceVpce"):
		prefix, code = "vpce-", "INVALID_VPCE_FORMAT"
	default:
		return
	}
	id, ok := strings.CutPrefix(e.text, prefix)
	if ok && (len(id) == 8 || len(id) == 17) && alnum(id) || strings.Contains(e.text, "${") {
		return
	}
	v.add(Error, code, "Value "+q(e.text)+" is not "+q(prefix)+" followed by 8 or 17 letters and digits.", e)
}

// pairedKeys reports aws:VpcSourceIp without aws:SourceVpc.
func (v *validator) pairedKeys(s *stmt) {
	hasVpc := false
	for _, c := range s.conds {
		if strings.EqualFold(c.key, "aws:SourceVpc") {
			hasVpc = true
		}
	}
	for _, c := range s.conds {
		if strings.EqualFold(c.key, "aws:VpcSourceIp") && !hasVpc {
			v.add(SecurityWarning, "MISSING_PAIRED_CONDITION_KEYS", "aws:VpcSourceIp matches the address in any VPC; pair it with aws:SourceVpc.", c.keyNode)
		}
	}
}

// mfa reports S3_BAD_PATTERN_FOR_MFA.
func (v *validator) mfa(s *stmt) {
	if s.effect != "Deny" {
		return
	}
	for _, c := range s.conds {
		if c.op == policy.Bool && !c.ifExists && c.set == policy.SetNone && strings.EqualFold(c.key, "aws:MultiFactorAuthPresent") {
			for _, e := range c.values {
				if b, ok := condval.Bool(e.text); ok && !b {
					v.add(SecurityWarning, "S3_BAD_PATTERN_FOR_MFA", "aws:MultiFactorAuthPresent is absent for long-term keys, so this Deny never applies to them; use BoolIfExists.", c.keyNode)
					break
				}
			}
		}
	}
}

// secureTransport reports a Deny whose only condition is aws:SecureTransport
// true: it refuses HTTPS and admits HTTP.
func (v *validator) secureTransport(s *stmt) {
	if s.effect != "Deny" || len(s.conds) != 1 {
		return
	}
	c := s.conds[0]
	if c.op != policy.Bool || c.set != policy.SetNone || !strings.EqualFold(c.key, "aws:SecureTransport") || len(c.values) == 0 {
		return
	}
	for _, e := range c.values {
		if b, ok := condval.Bool(e.text); !ok || !b {
			return
		}
	}
	v.add(Warning, "S3_SECURE_TRANSPORT_INVERTED", `This Deny applies to HTTPS requests and lets plain HTTP through; deny on aws:SecureTransport "false" instead.`, c.keyNode)
}
