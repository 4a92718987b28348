package evaluate

import (
	"strings"

	"github.com/s3authz/s3authz/internal/ascii"
	"github.com/s3authz/s3authz/policy"
)

// KeyType is the type of a condition key, which decides the operators that
// may test it. The zero value, KeyUnknown, is a key outside the catalog: it
// is read as a string and any operator may test it.
type KeyType uint8

const (
	// KeyUnknown is a key the catalog does not know.
	KeyUnknown KeyType = iota
	// KeyString takes the String operators.
	KeyString
	// KeyARN takes the Arn and the String operators.
	KeyARN
	// KeyNumeric takes the Numeric operators.
	KeyNumeric
	// KeyDate takes the Date operators.
	KeyDate
	// KeyDateOrNumeric takes the Date and the Numeric operators
	// (aws:EpochTime).
	KeyDateOrNumeric
	// KeyBool takes Bool and the String operators.
	KeyBool
	// KeyIP takes IpAddress and NotIpAddress.
	KeyIP
)

var keyTypeNames = [...]string{"unknown", "String", "ARN", "Numeric", "Date", "Date or Numeric", "Bool", "IP address"}

// String names the type.
func (t KeyType) String() string {
	if int(t) < len(keyTypeNames) {
		return keyTypeNames[t]
	}
	return "KeyType(?)"
}

// KeyInfo describes a condition key of the catalog.
type KeyInfo struct {
	Type KeyType
	// Multi is set for multivalued keys (aws:TagKeys), the ones the set
	// qualifiers ForAllValues and ForAnyValue are meant for.
	Multi bool
}

// keyCatalog holds the global and S3 condition keys by lowercase name; keys
// ending in '/' are prefixes followed by a tag key.
var keyCatalog = map[string]KeyInfo{
	"aws:sourceip":                    {Type: KeyIP},
	"aws:vpcsourceip":                 {Type: KeyIP},
	"aws:sourcevpc":                   {Type: KeyString},
	"aws:sourcevpce":                  {Type: KeyString},
	"aws:securetransport":             {Type: KeyBool},
	"aws:currenttime":                 {Type: KeyDate},
	"aws:epochtime":                   {Type: KeyDateOrNumeric},
	"aws:tokenissuetime":              {Type: KeyDate},
	"aws:multifactorauthpresent":      {Type: KeyBool},
	"aws:multifactorauthage":          {Type: KeyNumeric},
	"aws:principalarn":                {Type: KeyARN},
	"aws:principalaccount":            {Type: KeyString},
	"aws:principalorgid":              {Type: KeyString},
	"aws:principalorgpaths":           {Type: KeyString, Multi: true},
	"aws:principaltag/":               {Type: KeyString},
	"aws:principaltype":               {Type: KeyString},
	"aws:principalisawsservice":       {Type: KeyBool},
	"aws:principalservicename":        {Type: KeyString},
	"aws:principalservicenameslist":   {Type: KeyString, Multi: true},
	"aws:userid":                      {Type: KeyString},
	"aws:username":                    {Type: KeyString},
	"aws:referer":                     {Type: KeyString},
	"aws:useragent":                   {Type: KeyString},
	"aws:viaawsservice":               {Type: KeyBool},
	"aws:calledvia":                   {Type: KeyString, Multi: true},
	"aws:calledviafirst":              {Type: KeyString},
	"aws:calledvialast":               {Type: KeyString},
	"aws:sourcearn":                   {Type: KeyARN},
	"aws:sourceaccount":               {Type: KeyString},
	"aws:sourceowner":                 {Type: KeyString},
	"aws:resourceaccount":             {Type: KeyString},
	"aws:resourceorgid":               {Type: KeyString},
	"aws:resourceorgpaths":            {Type: KeyString, Multi: true},
	"aws:resourcetag/":                {Type: KeyString},
	"aws:requesttag/":                 {Type: KeyString},
	"aws:tagkeys":                     {Type: KeyString, Multi: true},
	"aws:requestedregion":             {Type: KeyString},
	"s3:prefix":                       {Type: KeyString},
	"s3:delimiter":                    {Type: KeyString},
	"s3:max-keys":                     {Type: KeyNumeric},
	"s3:x-amz-acl":                    {Type: KeyString},
	"s3:x-amz-grant-read":             {Type: KeyString},
	"s3:x-amz-grant-write":            {Type: KeyString},
	"s3:x-amz-grant-read-acp":         {Type: KeyString},
	"s3:x-amz-grant-write-acp":        {Type: KeyString},
	"s3:x-amz-grant-full-control":     {Type: KeyString},
	"s3:x-amz-server-side-encryption": {Type: KeyString},
	"s3:x-amz-server-side-encryption-aws-kms-key-id":     {Type: KeyARN},
	"s3:x-amz-server-side-encryption-customer-algorithm": {Type: KeyString},
	"s3:x-amz-copy-source":                               {Type: KeyString},
	"s3:x-amz-metadata-directive":                        {Type: KeyString},
	"s3:x-amz-storage-class":                             {Type: KeyString},
	"s3:x-amz-website-redirect-location":                 {Type: KeyString},
	"s3:x-amz-content-sha256":                            {Type: KeyString},
	"s3:x-amz-object-ownership":                          {Type: KeyString},
	"s3:locationconstraint":                              {Type: KeyString},
	"s3:existingobjecttag/":                              {Type: KeyString},
	"s3:requestobjecttag/":                               {Type: KeyString},
	"s3:requestobjecttagkeys":                            {Type: KeyString, Multi: true},
	"s3:versionid":                                       {Type: KeyString},
	"s3:object-lock-mode":                                {Type: KeyString},
	"s3:object-lock-retain-until-date":                   {Type: KeyDate},
	"s3:object-lock-remaining-retention-days":            {Type: KeyNumeric},
	"s3:object-lock-legal-hold":                          {Type: KeyString},
	"s3:if-match":                                        {Type: KeyString},
	"s3:if-none-match":                                   {Type: KeyString},
	"s3:objectcreationoperation":                         {Type: KeyBool},
	"s3:tlsversion":                                      {Type: KeyNumeric},
	"s3:signatureversion":                                {Type: KeyString},
	"s3:authtype":                                        {Type: KeyString},
	"s3:signatureage":                                    {Type: KeyNumeric},
	"s3:resourceaccount":                                 {Type: KeyString},
	"s3:dataaccesspointarn":                              {Type: KeyARN},
	"s3:dataaccesspointaccount":                          {Type: KeyString},
	"s3:accesspointnetworkorigin":                        {Type: KeyString},
	"s3:buckettag/":                                      {Type: KeyString},
	"s3:accesspointtag/":                                 {Type: KeyString},
}

// LookupConditionKey returns what the catalog knows of a condition key:
// every global (aws:) key and S3 (s3:) key AWS documents for S3, matched
// without regard to case, tag keys (aws:PrincipalTag/<key> and the like)
// included.
func LookupConditionKey(name string) (KeyInfo, bool) {
	lower := ascii.Lower(name)
	if info, ok := keyCatalog[lower]; ok && !strings.HasSuffix(lower, "/") {
		return info, true
	}
	if i := strings.IndexByte(lower, '/'); i > 0 && i < len(lower)-1 {
		if info, ok := keyCatalog[lower[:i+1]]; ok {
			return info, true
		}
	}
	return KeyInfo{}, false
}

// accepts reports whether a key of type t may be tested by operator op.
func (t KeyType) accepts(op policy.Operator) bool {
	if op == policy.Null || t == KeyUnknown {
		return true
	}
	switch family(op) {
	case famString, famStringFold, famLike:
		return t == KeyString || t == KeyARN || t == KeyBool
	case famArn:
		return t == KeyARN
	case famNumeric:
		return t == KeyNumeric || t == KeyDateOrNumeric
	case famDate:
		return t == KeyDate || t == KeyDateOrNumeric
	case famBool:
		return t == KeyBool
	case famIP:
		return t == KeyIP
	case famBinary:
		return false
	}
	return false
}
