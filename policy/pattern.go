package policy

import "github.com/s3authz/s3authz/internal/glob"

// Vars supplies the values of policy variables when a Pattern is matched.
// Lookup receives the variable's key in lowercase ASCII ("aws:username",
// "aws:principaltag/team"), since key names are case-insensitive, and
// reports false when the request has no value for it.
type Vars interface {
	Lookup(key string) (value string, ok bool)
}

// Pattern is an action, resource or condition value as written in a policy,
// compiled at parse time. In glob patterns '*' matches any run of characters
// and '?' exactly one; policy variables (Version 2012-10-17 only) are
// substituted at match time and their values always match literally.
//
// The zero Pattern matches only the empty string.
type Pattern glob.Pattern

// g is p as the internal pattern that holds the implementation.
func (p *Pattern) g() *glob.Pattern { return (*glob.Pattern)(p) }

// String returns the pattern as written.
func (p Pattern) String() string { return p.g().String() }

// HasVars reports whether the pattern contains policy variables: then what
// it matches depends on the request.
func (p *Pattern) HasVars() bool { return p.g().HasVars() }

// Match reports whether s matches the pattern. A variable without a default
// matches nothing, so a pattern with variables should be matched with
// MatchVars. Match never allocates.
func (p *Pattern) Match(s string) bool {
	return p.g().Match(s, nil)
}

// MatchVars reports whether s matches the pattern, taking variable values
// from v (which may be nil). A variable v does not know and that has no
// default makes the pattern match nothing. MatchVars never allocates.
func (p *Pattern) MatchVars(s string, v Vars) bool {
	return p.g().Match(s, v)
}

// How a pattern's text is read.
const (
	modeGlob     = glob.Glob     // '*' and '?' are wildcards
	modeLiteral  = glob.Literal  // no wildcards: for String*Equals values
	modeGlobFold = glob.GlobFold // wildcards, ASCII case ignored: actions
)

// compilePattern compiles text. With vars set, ${...} is a policy variable;
// otherwise it is ordinary text. The error wraps ErrInvalidVariable.
func compilePattern(text string, mode glob.Mode, vars bool) (Pattern, error) {
	p, err := glob.Compile(text, mode, vars)
	return Pattern(p), err
}

// validKeyName reports whether k has the form service:name, as condition
// keys and policy variables do.
func validKeyName(k string) bool { return glob.ValidKeyName(k) }

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
