// Package globlang answers questions about the languages of IAM glob
// patterns, as opposed to matching one string: whether a union of patterns
// is included in another union, whether two unions intersect, and a concrete
// member of a Boolean combination of unions (a string one set matches and
// another does not), which is what a counterexample needs.
//
// # Patterns
//
// A [Pattern] is a sequence of tokens: literal characters, '?' (exactly one
// character) and '*' (any run of characters, none included). [Glob] reads
// '*' and '?' as wildcards, [Literal] reads every character as itself, and
// [ARN] reads an Arn operator's value the way IAM compares ARNs, component
// by component: in the first five colon-separated components '*' and '?'
// never match a ':'. With fold set, ASCII letters of the pattern match
// either case. Characters are Unicode code points, as in package
// internal/wildcard, where '?' matches one UTF-8 rune.
//
// # Method
//
// Every question becomes the emptiness of a conjunction of literals ([Lit]:
// a union of patterns, or its complement). Each union is a nondeterministic
// automaton whose states are token positions; the conjunction is explored as
// the product of their subset constructions, lazily and breadth first, over
// a reduced alphabet: the characters that occur literally in the patterns
// (both cases of a folded letter, and ':' when an ARN pattern is present)
// plus one symbol standing for every other character. No two characters
// outside the patterns can be told apart by any of them, so the answer over
// the reduced alphabet is the answer over all strings. Breadth-first search
// makes the member found a shortest one; the "other" symbol is tried first
// and written as the first of "xyzqjkw0123456789" that the patterns do not
// use.
//
// # Complexity and limits
//
// Inclusion of glob languages is PSPACE-hard in general (the subset
// construction can reach 2^n states for patterns of n tokens), so the
// exploration is bounded by a work budget counted in token positions
// visited: one unit per position of one automaton stepped over one symbol.
// A query costs at most about Budget units of time and O(Budget) memory;
// past the budget the answer is [Unknown], never a wrong [Yes] or [No].
// Typical policy patterns (a literal prefix and a trailing '*') reach a
// few states per pattern and cost a few thousand units.
//
// # Zero values and concurrency
//
// The zero [Pattern] matches only the empty string; the zero [Lit] is the
// empty set; the zero [Options] uses [DefaultBudget]; the zero [Answer] is
// [Unknown], so an answer never set never reads as a proof. Patterns are
// immutable and every function is safe for concurrent use; nothing is
// cached between calls.
package globlang
