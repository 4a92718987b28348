// Package glob compiles the patterns of IAM and S3 policies, as package
// policy stores them in its Pattern type, and answers the questions about
// them that only an evaluator asks: whether a pattern is "*", an exact
// text or a literal prefix, and what a pattern without wildcards expands
// to. It reads policy variables (${key}, ${key, 'default'}, ${*}, ${?},
// ${$}) and leaves matching to package wildcard.
//
// policy.Pattern is defined as a Pattern (type Pattern glob.Pattern), so
// its methods are only those package policy declares, while package
// evaluate converts a *policy.Pattern to a *Pattern to reach these.
package glob

import (
	"errors"
	"strings"

	"github.com/s3authz/s3authz/internal/ascii"
	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/internal/wildcard"
)

// ErrInvalidVariable marks a malformed policy variable (${...}). Package
// policy exports it as policy.ErrInvalidVariable.
var ErrInvalidVariable = errors.New("invalid policy variable")

// Vars supplies the values of policy variables: Lookup receives the key in
// lowercase ASCII. policy.Vars has the same method.
type Vars = wildcard.Resolver

// Pattern is an action, resource or condition value as written in a policy,
// compiled. In glob patterns '*' matches any run of characters and '?'
// exactly one; policy variables are substituted at match time and their
// values always match literally.
//
// The zero Pattern matches only the empty string.
type Pattern struct {
	text  string
	m     wildcard.Pattern
	class patternClass
	// lit is the exact text (classExact) or the text before the trailing
	// star (classPrefix); ASCII-lowercased when the pattern ignores case.
	lit  string
	vars bool
	fold bool
}

type patternClass uint8

const (
	classGeneral patternClass = iota
	classAny                  // "*"
	classExact                // no wildcard, no variable
	classPrefix               // literal text then one trailing '*'
)

// Mode says how a pattern's text is read.
type Mode uint8

const (
	// Glob reads '*' and '?' as wildcards, case-sensitively: resources
	// and the values of the Like and Arn operators.
	Glob Mode = iota
	// Literal reads no wildcards: the values of String*Equals and the
	// other operators.
	Literal
	// GlobFold reads wildcards and ignores ASCII case: actions.
	GlobFold
)

// Compile compiles text. With vars set (as under Version 2012-10-17),
// ${...} is a policy variable; otherwise it is ordinary text. Errors wrap
// [ErrInvalidVariable].
func Compile(text string, mode Mode, vars bool) (Pattern, error) {
	p := Pattern{text: text, fold: mode == GlobFold}
	var parts []wildcard.Part
	if vars && strings.Contains(text, "${") {
		var err error
		parts, err = parseVariables(text, mode == Literal)
		if err != nil {
			return Pattern{}, err
		}
	} else {
		kind := wildcard.Glob
		if mode == Literal {
			kind = wildcard.Literal
		}
		parts = []wildcard.Part{{Kind: kind, Text: text}}
	}
	p.classify(parts)
	if p.class == classGeneral {
		// The other classes never reach the general matcher.
		p.m = wildcard.Compile(parts, p.fold)
	}
	return p, nil
}

// String returns the pattern as written.
func (p *Pattern) String() string { return p.text }

// HasVars reports whether the pattern contains policy variables.
func (p *Pattern) HasVars() bool { return p.vars }

// IsAny reports whether the pattern is "*", matching everything.
func (p *Pattern) IsAny() bool { return p.class == classAny }

// Exact returns the text the pattern matches when it has no wildcard and no
// variable (lowercased when the pattern ignores case, as action patterns do).
func (p *Pattern) Exact() (string, bool) {
	return p.lit, p.class == classExact
}

// Prefix returns the literal text before a single trailing '*' when the
// pattern has that shape, e.g. "arn:aws:s3:::bucket/" for
// "arn:aws:s3:::bucket/*" (lowercased when the pattern ignores case).
func (p *Pattern) Prefix() (string, bool) {
	return p.lit, p.class == classPrefix
}

// Match reports whether s matches the pattern, taking variable values from
// v (which may be nil). A variable v does not know and that has no default
// makes the pattern match nothing. Match never allocates.
func (p *Pattern) Match(s string, v Vars) bool {
	switch p.class {
	case classAny:
		return true
	case classExact:
		if p.fold {
			return len(s) == len(p.lit) && ascii.HasLowerPrefix(s, p.lit)
		}
		return s == p.lit
	case classPrefix:
		if p.fold {
			return ascii.HasLowerPrefix(s, p.lit)
		}
		return strings.HasPrefix(s, p.lit)
	}
	return p.m.Match(s, v)
}

// Expand returns the text a pattern without wildcards stands for, with its
// variables substituted from v; false when a variable has no value and no
// default, or when the pattern has wildcards. Only a pattern with variables
// builds a new string.
func (p *Pattern) Expand(v Vars) (string, bool) {
	switch p.class {
	case classExact:
		if p.fold {
			return p.text, true
		}
		return p.lit, true // the text with its escapes (${*}, ${?}, ${$}) read
	case classGeneral:
		if p.fold {
			return "", false
		}
		return p.m.Expand(v)
	}
	return "", false
}

// classify finds the shapes Match answers without the general matcher.
func (p *Pattern) classify(parts []wildcard.Part) {
	p.class = classGeneral
	for _, pt := range parts {
		if pt.Kind == wildcard.Var {
			p.vars = true
			return
		}
	}
	if len(parts) == 1 && parts[0].Kind == wildcard.Glob {
		// The common case: one glob, classified without copying.
		t := parts[0].Text
		switch k := strings.IndexAny(t, "*?"); {
		case k < 0:
			p.class, p.lit = classExact, p.lower(t)
		case t == "*":
			p.class = classAny
		case k == len(t)-1 && t[k] == '*':
			p.class, p.lit = classPrefix, p.lower(t[:k])
		}
		return
	}
	// Without variables, the text is the concatenation of the parts, with
	// wildcards live only in Glob parts.
	var lit strings.Builder
	for i, pt := range parts {
		if pt.Kind == wildcard.Literal {
			lit.WriteString(pt.Text)
			continue
		}
		k := strings.IndexAny(pt.Text, "*?")
		if k < 0 {
			lit.WriteString(pt.Text)
			continue
		}
		rest := pt.Text[k:]
		if rest == "*" && i == len(parts)-1 {
			lit.WriteString(pt.Text[:k])
			if lit.Len() == 0 {
				p.class = classAny
				return
			}
			p.class = classPrefix
			p.lit = p.lower(lit.String())
		}
		return
	}
	p.class = classExact
	p.lit = p.lower(lit.String())
}

func (p *Pattern) lower(s string) string {
	if !p.fold {
		return s
	}
	return ascii.Lower(s)
}

// parseVariables splits text into glob (or literal) text and variables:
// ${key}, ${key, 'default'}, and the escapes ${*}, ${?} and ${$}.
func parseVariables(text string, literal bool) ([]wildcard.Part, error) {
	textKind := wildcard.Glob
	if literal {
		textKind = wildcard.Literal
	}
	var parts []wildcard.Part
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			break
		}
		if i > 0 {
			parts = append(parts, wildcard.Part{Kind: textKind, Text: text[:i]})
		}
		body := text[i+2:]
		end, part, err := parseVariable(body)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
		text = body[end:]
	}
	if text != "" {
		parts = append(parts, wildcard.Part{Kind: textKind, Text: text})
	}
	return parts, nil
}

// parseVariable parses what follows "${" up to and including the closing
// brace and returns the number of bytes consumed.
func parseVariable(s string) (int, wildcard.Part, error) {
	switch {
	case strings.HasPrefix(s, "*}"), strings.HasPrefix(s, "?}"), strings.HasPrefix(s, "$}"):
		return 2, wildcard.Part{Kind: wildcard.Literal, Text: s[:1]}, nil
	}
	k := strings.IndexAny(s, ",}")
	if k < 0 {
		return 0, wildcard.Part{}, errfmt.Value(ErrInvalidVariable, "${"+s, "no closing '}'")
	}
	key := strings.TrimSpace(s[:k])
	if !ValidKeyName(key) {
		return 0, wildcard.Part{}, errfmt.Value(ErrInvalidVariable, "${"+s[:k+1], "want ${service:name}")
	}
	part := wildcard.Part{Kind: wildcard.Var, Text: ascii.Lower(key)}
	if s[k] == '}' {
		return k + 1, part, nil
	}
	// A default value: ", 'text'" then "}".
	rest := strings.TrimLeft(s[k+1:], " ")
	if !strings.HasPrefix(rest, "'") {
		return 0, wildcard.Part{}, errfmt.Value(ErrInvalidVariable, "${"+s, "a default value is written in single quotes: ${key, 'value'}")
	}
	q := strings.IndexByte(rest[1:], '\'')
	if q < 0 {
		return 0, wildcard.Part{}, errfmt.Value(ErrInvalidVariable, "${"+s, "unterminated default value")
	}
	def := rest[1 : 1+q]
	after := strings.TrimLeft(rest[q+2:], " ")
	if !strings.HasPrefix(after, "}") {
		return 0, wildcard.Part{}, errfmt.Value(ErrInvalidVariable, "${"+s, "want '}' after the default value")
	}
	part.Default, part.HasDefault = def, true
	consumed := len(s) - len(after) + 1
	return consumed, part, nil
}

// ValidKeyName reports whether k has the form service:name, as condition
// keys and policy variables do: a service prefix of ASCII letters, digits
// and '-', a colon, and a non-empty name without control characters,
// spaces at either end, or the characters that delimit variables.
func ValidKeyName(k string) bool {
	c := strings.IndexByte(k, ':')
	if c <= 0 || c == len(k)-1 {
		return false
	}
	for i := 0; i < c; i++ {
		if !isAlnum(k[i]) && k[i] != '-' {
			return false
		}
	}
	name := k[c+1:]
	if name[0] == ' ' || name[len(name)-1] == ' ' {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch b := name[i]; {
		case b < 0x20, b == 0x7f, b == '$', b == '{', b == '}', b == '\'', b == ',':
			return false
		}
	}
	return true
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
