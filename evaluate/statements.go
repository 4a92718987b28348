package evaluate

import (
	"hash/maphash"
	"strings"

	"github.com/s3authz/s3authz/internal/condval"
	"github.com/s3authz/s3authz/internal/glob"
	"github.com/s3authz/s3authz/internal/ids"
	"github.com/s3authz/s3authz/internal/s3actions"
	"github.com/s3authz/s3authz/ownership"
	"github.com/s3authz/s3authz/policy"
)

// What Prepare works out once per statement so that a request does not:
// the set of catalog actions the Action (or NotAction) element covers, and
// the Principal (or NotPrincipal) entries read into their parts.

// actionSet is a set of catalog actions, one bit per policy.ActionInfo.Index.
type actionSet [(policy.NumActions + 63) / 64]uint64

func (s *actionSet) add(i int)      { s[i>>6] |= 1 << (uint(i) & 63) }
func (s *actionSet) has(i int) bool { return s[i>>6]&(1<<(uint(i)&63)) != 0 }

func (s *actionSet) union(o *actionSet) {
	for i := range s {
		s[i] |= o[i]
	}
}

// complement returns the catalog actions not in s.
func (s *actionSet) complement() actionSet {
	var out actionSet
	for i := range policy.NumActions {
		if !s.has(i) {
			out.add(i)
		}
	}
	return out
}

// actionSets computes the action sets of patterns during one Prepare; it
// remembers each wildcard pattern's set, since large policies repeat the
// same few ("s3:*", "s3:Get*").
type actionSets struct {
	catalog []policy.ActionInfo
	memo    map[string]actionSet
	scopes  map[string]*actionSet // by the key's catalog name
}

func newActionSets() *actionSets {
	return &actionSets{catalog: policy.Actions(), memo: map[string]actionSet{}, scopes: map[string]*actionSet{}}
}

// noActions is the scope of an s3: key outside the catalog: no action's
// request context holds it. It is never modified.
var noActions = &actionSet{}

// keyScope returns the actions whose request context holds the key called
// lower (policy.ActionInfo.HasConditionKey): nil for a key in every
// context, noActions for an s3: key outside the catalog. Conditions on
// one key share its set.
func (a *actionSets) keyScope(lower string) *actionSet {
	info, ok := policy.LookupConditionKey(lower)
	switch {
	case !ok && strings.HasPrefix(lower, "s3:"):
		return noActions
	case !ok || !info.PerAction():
		return nil
	}
	if s, ok := a.scopes[info.Name]; ok {
		return s
	}
	s := &actionSet{}
	for _, act := range a.catalog {
		if act.Supports(info) {
			s.add(act.Index)
		}
	}
	a.scopes[info.Name] = s
	return s
}

// empty reports whether the set holds no action.
func (s *actionSet) empty() bool {
	for _, w := range s {
		if w != 0 {
			return false
		}
	}
	return true
}

// of returns the catalog actions one pattern matches. Evaluate refuses
// actions outside the catalog, so the set is exact for every request that
// reaches a statement.
func (a *actionSets) of(p *policy.Pattern) actionSet {
	var s actionSet
	if lit, ok := (*glob.Pattern)(p).Exact(); ok {
		if info, ok := policy.LookupAction(lit); ok {
			s.add(info.Index)
		}
		return s
	}
	if m, ok := a.memo[p.String()]; ok {
		return m
	}
	for _, info := range a.catalog {
		if p.Match(info.Name) {
			s.add(info.Index)
		}
	}
	a.memo[p.String()] = s
	return s
}

// statement returns the actions a statement's Action or NotAction covers.
func (a *actionSets) statement(st *policy.Statement) actionSet {
	var s actionSet
	pats := st.Action
	if pats == nil {
		pats = st.NotAction
	}
	for i := range pats {
		m := a.of(&pats[i])
		s.union(&m)
	}
	if st.Action == nil {
		return s.complement()
	}
	return s
}

// actionClass marks the catalog actions the evaluator treats specially.
type actionClass uint8

const (
	// classBucketPolicy: s3:GetBucketPolicy, s3:PutBucketPolicy and
	// s3:DeleteBucketPolicy, which only the bucket owner's account may
	// perform and its root always may.
	classBucketPolicy actionClass = 1 << iota
	// classPutBucketPolicy: s3:PutBucketPolicy.
	classPutBucketPolicy
	// classSetACL: the actions that store an ACL.
	classSetACL
	// classBucketWrite: creating and deleting objects, which the bucket's
	// WRITE permission and policy govern rather than the object's owner.
	classBucketWrite
	// classCreateBucket: s3:CreateBucket, on a bucket that does not exist
	// yet.
	classCreateBucket
	// classBucketOwnerPower: the object actions the bucket owner's account
	// holds on objects other accounts own (ownership.BucketOwnerMay).
	classBucketOwnerPower
)

// actionClasses is the class of every catalog action, by Index, read from
// the rows of the action table. It is computed once and never modified.
var actionClasses = func() (t [policy.NumActions]actionClass) {
	traits := [...]struct {
		trait s3actions.Trait
		class actionClass
	}{
		{s3actions.BucketPolicyAccess, classBucketPolicy},
		{s3actions.SetsBucketPolicy, classPutBucketPolicy},
		{s3actions.SetsACL, classSetACL},
		{s3actions.CreatesBucket, classCreateBucket},
		{s3actions.BucketOwnerMay, classBucketOwnerPower},
	}
	for i := range t {
		a := s3actions.At(i)
		for _, tc := range traits {
			if a.Has(tc.trait) {
				t[i] |= tc.class
			}
		}
		// The object actions a bucket ACL grants are the ones the bucket
		// governs: its ACL, not the object's, is the one to read.
		if a.Resource == s3actions.ResourceObject && a.BucketACL != s3actions.PermNone {
			t[i] |= classBucketWrite
		}
	}
	return t
}()

// awsKind is what an {"AWS": ...} principal entry names.
type awsKind uint8

const (
	awsUnknown     awsKind = iota // text that names nothing but possibly a unique ID
	awsAccount                    // "111122223333" or arn:P:iam::111122223333:root
	awsUser                       // arn:P:iam::A:user/PATH/NAME
	awsRole                       // arn:P:iam::A:role/PATH/NAME
	awsAssumedRole                // arn:P:sts::A:assumed-role/ROLE/SESSION
	awsFederated                  // arn:P:sts::A:federated-user/NAME
	awsOtherARN                   // an ARN of another kind: names no caller
)

// awsPrincipal is one {"AWS": ...} entry read into its parts.
type awsPrincipal struct {
	kind awsKind
	// id is the hash of what the entry names (see principalID): a caller
	// is compared by one integer before any string.
	id        uint64
	partition string // "" for a bare account ID
	account   string
	name      string // the user or role name: the last path segment
	text      string // the entry as written
}

// principalSeed seeds the hashes of principal names. It is chosen once per
// process and never changes; prepared policies hold hashes made with it.
var principalSeed = maphash.MakeSeed()

// principalID hashes what an entry of kind k names: the account (and user
// or role name), or the whole text (session ARNs and unique IDs). Equal
// names have equal IDs; unequal names almost never do, and a match of IDs
// is always confirmed on the strings.
func principalID(k awsKind, a, b string) uint64 {
	return combineID(k, maphash.String(principalSeed, a), b)
}

// combineID is principalID with the hash of a already computed.
func combineID(k awsKind, ha uint64, b string) uint64 {
	if b != "" {
		ha = ha*0x9e3779b97f4a7c15 ^ maphash.String(principalSeed, b)
	}
	return ha ^ uint64(k)<<56
}

func readAWSPrincipal(v string) awsPrincipal {
	a := parseAWSPrincipal(v)
	switch a.kind {
	case awsAccount:
		a.id = principalID(awsAccount, a.account, "")
	case awsUser, awsRole:
		a.id = principalID(a.kind, a.account, a.name)
	default:
		a.id = principalID(a.kind, a.text, "")
	}
	return a
}

func parseAWSPrincipal(v string) awsPrincipal {
	a := awsPrincipal{text: v}
	if ids.IsAccountID(v) {
		a.kind, a.account = awsAccount, v
		return a
	}
	var parts [arnParts]string
	if !condval.SplitARN(v, &parts) {
		return a
	}
	a.kind, a.partition, a.account = awsOtherARN, parts[1], parts[4]
	if parts[5] == "root" {
		if parts[2] == "iam" {
			a.kind = awsAccount
		}
		return a
	}
	kind, rest, ok := strings.Cut(parts[5], "/")
	if !ok {
		return a
	}
	switch kind {
	case "user":
		a.kind, a.name = awsUser, rest[strings.LastIndexByte(rest, '/')+1:]
	case "role":
		a.kind, a.name = awsRole, rest[strings.LastIndexByte(rest, '/')+1:]
	case "assumed-role":
		a.kind = awsAssumedRole
	case "federated-user":
		a.kind = awsFederated
	}
	return a
}

// principalSet is a bucket policy statement's Principal or NotPrincipal,
// read once.
type principalSet struct {
	everyone  bool
	aws       []awsPrincipal
	canonical []string
	service   []string
}

func readPrincipals(pr *policy.Principals) *principalSet {
	if pr == nil {
		return nil
	}
	s := &principalSet{everyone: pr.Everyone(), canonical: pr.CanonicalUser, service: pr.Service}
	for _, v := range pr.AWS {
		s.aws = append(s.aws, readAWSPrincipal(v))
	}
	return s
}

// caller is what principal matching needs to know of the request's caller,
// worked out once per evaluation: the IDs each kind of entry would have if
// it named the caller.
type caller struct {
	account   string // "" for the anonymous user and services
	canonical string // the account's canonical user ID, "" when unknown
	ids       [awsOtherARN]uint64
}

func newCaller(p *ownership.Principal, account, canonical string) caller {
	c := caller{account: account, canonical: canonical}
	if account == "" {
		return c
	}
	ha := maphash.String(principalSeed, account)
	c.ids[awsAccount] = combineID(awsAccount, ha, "")
	switch p.Type() {
	case ownership.PrincipalUser:
		c.ids[awsUser] = combineID(awsUser, ha, p.Name())
	case ownership.PrincipalAssumedRole:
		c.ids[awsRole] = combineID(awsRole, ha, p.Name())
		c.ids[awsAssumedRole] = principalID(awsAssumedRole, p.ARN(), "")
	case ownership.PrincipalFederatedUser:
		c.ids[awsFederated] = principalID(awsFederated, p.ARN(), "")
	}
	if id := p.UniqueID(); id != "" {
		c.ids[awsUnknown] = principalID(awsUnknown, id, "")
	}
	return c
}

// match tells how one {"AWS": ...} entry names the caller.
func (a *awsPrincipal) match(c *caller, p *ownership.Principal) grantKind {
	if a.kind >= awsOtherARN || c.ids[a.kind] != a.id || c.account == "" {
		return grantNone // anonymous and services are named only by "*" or Service
	}
	if a.kind == awsUnknown {
		if a.text == p.UniqueID() {
			return grantDirect
		}
		return grantNone
	}
	if a.account != c.account || (a.partition != "" && a.partition != p.Partition()) {
		return grantNone
	}
	switch a.kind {
	case awsAccount:
		if p.IsRoot() {
			return grantDirect
		}
		return grantAccount
	case awsUser:
		if a.name == p.Name() {
			return grantDirect
		}
	case awsRole:
		if a.name == p.Name() {
			return grantRole
		}
	case awsAssumedRole, awsFederated:
		if a.text == p.ARN() {
			return grantDirect
		}
	}
	return grantNone
}

// match tells whether a Principal element covers the caller, and how it
// names it: the strongest of its entries.
func (s *principalSet) match(c *caller, p *ownership.Principal) grantKind {
	if s.everyone {
		return grantDirect
	}
	best := grantNone
	for i := range s.aws {
		if k := s.aws[i].match(c, p); k > best {
			best = k
		}
	}
	if best < grantAccount && s.namesCanonical(c) {
		// A canonical user ID names the account, as an account ID does:
		// its root itself, its IAM principals only by delegation.
		best = grantAccount
		if p.IsRoot() {
			best = grantDirect
		}
	}
	if p.IsService() {
		for _, v := range s.service {
			if v == p.Service() {
				best = grantDirect
			}
		}
	}
	return best
}

// namesCanonical reports whether a CanonicalUser entry is the canonical user
// ID of the caller's account.
func (s *principalSet) namesCanonical(c *caller) bool {
	if c.canonical == "" {
		return false
	}
	for _, v := range s.canonical {
		if v == c.canonical {
			return true
		}
	}
	return false
}

// excludes reports whether a NotPrincipal element leaves the caller out.
// AWS checks a caller at each level of its identity — the account, then the
// role or user, then the session — so only a caller whose every level is
// listed is left out: a root user needs its account, a user or federated
// user its ARN and its account, a role session its session ARN, its role
// and its account. The account is listed by its ID, its root ARN or its
// canonical user ID.
func (s *principalSet) excludes(c *caller, p *ownership.Principal) bool {
	if s.everyone {
		return true
	}
	listed := func(want grantKind) bool {
		for i := range s.aws {
			if s.aws[i].kind != awsAccount && s.aws[i].match(c, p) == want {
				return true
			}
		}
		return false
	}
	account := func() bool {
		for i := range s.aws {
			if s.aws[i].kind == awsAccount && s.aws[i].match(c, p) != grantNone {
				return true
			}
		}
		return s.namesCanonical(c)
	}
	switch p.Type() {
	case ownership.PrincipalRoot:
		return account()
	case ownership.PrincipalUser, ownership.PrincipalFederatedUser:
		return account() && listed(grantDirect)
	case ownership.PrincipalAssumedRole:
		return account() && listed(grantRole) && listed(grantDirect)
	case ownership.PrincipalService:
		for _, v := range s.service {
			if v == p.Service() {
				return true
			}
		}
	}
	return false
}
