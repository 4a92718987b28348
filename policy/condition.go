package policy

import (
	"strconv"
	"strings"
)

// Operator is a condition operator without its set qualifier and IfExists
// suffix. The zero Operator is invalid; Parse always sets one.
type Operator uint8

// The condition operators of the IAM policy language.
const (
	StringEquals Operator = iota + 1
	StringNotEquals
	StringEqualsIgnoreCase
	StringNotEqualsIgnoreCase
	StringLike
	StringNotLike
	NumericEquals
	NumericNotEquals
	NumericLessThan
	NumericLessThanEquals
	NumericGreaterThan
	NumericGreaterThanEquals
	DateEquals
	DateNotEquals
	DateLessThan
	DateLessThanEquals
	DateGreaterThan
	DateGreaterThanEquals
	Bool
	BinaryEquals
	IpAddress
	NotIpAddress
	ArnEquals
	ArnLike
	ArnNotEquals
	ArnNotLike
	Null
	numOperators = iota + 1
)

var operatorNames = [numOperators]string{
	"", "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
	"StringLike", "StringNotLike",
	"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
	"NumericGreaterThan", "NumericGreaterThanEquals",
	"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
	"DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
	"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
}

// String returns the operator's name as written in policies.
func (o Operator) String() string {
	if o > 0 && int(o) < len(operatorNames) {
		return operatorNames[o]
	}
	return "Operator(" + strconv.Itoa(int(o)) + ")"
}

// ParseOperator returns the operator with the exact (case-sensitive) name,
// without set qualifier or IfExists suffix ("StringLike", not
// "ForAnyValue:StringLike"). Any other name is an error wrapping
// ErrInvalidCondition.
func ParseOperator(name string) (Operator, error) {
	if op, ok := lookupOperator(name); ok {
		return op, nil
	}
	return 0, errv(ErrInvalidCondition, name, "not a condition operator")
}

// lookupOperator finds the operator with the exact name.
func lookupOperator(name string) (Operator, bool) {
	for i := 1; i < len(operatorNames); i++ {
		if operatorNames[i] == name {
			return Operator(i), true
		}
	}
	return 0, false
}

// Negated reports whether the operator is a negation (StringNotEquals,
// NotIpAddress, ...): true when the key is absent, and the AND of negations
// over the listed values.
func (o Operator) Negated() bool {
	switch o {
	case StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals,
		DateNotEquals, NotIpAddress, ArnNotEquals, ArnNotLike:
		return true
	}
	return false
}

// AcceptsVariables reports whether values of the operator may contain policy
// variables: the String, Arn and Bool operators ("IAM JSON policy
// elements: Condition operators"). A Bool value holding a variable is read
// as true or false once substituted, request by request; without one, it
// must read so as written.
func (o Operator) AcceptsVariables() bool {
	switch {
	case o >= StringEquals && o <= StringNotLike, o >= ArnEquals && o <= ArnNotLike, o == Bool:
		return true
	}
	return false
}

// Wildcards reports whether '*' and '?' in the operator's values are
// wildcards: the Like operators and the Arn operators.
func (o Operator) Wildcards() bool {
	switch o {
	case StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike:
		return true
	}
	return false
}

// SetOp is a condition's set qualifier for multivalued keys. The zero SetOp
// means none: the key is single-valued.
type SetOp uint8

const (
	// SetNone is an operator without qualifier.
	SetNone SetOp = iota
	// ForAllValues: every value of the request key must match (true when the
	// key is absent or empty).
	ForAllValues
	// ForAnyValue: at least one value of the request key must match (false
	// when the key is absent or empty).
	ForAnyValue
)

// String returns "", "ForAllValues" or "ForAnyValue".
func (s SetOp) String() string {
	switch s {
	case SetNone:
		return ""
	case ForAllValues:
		return "ForAllValues"
	case ForAnyValue:
		return "ForAnyValue"
	}
	return "SetOp(" + strconv.Itoa(int(s)) + ")"
}

// Condition is one key under one operator of a Condition block: the request
// value of Key is compared with Values by Operator.
type Condition struct {
	Operator Operator
	Set      SetOp
	// IfExists is the ...IfExists suffix: true when the key is absent.
	IfExists bool
	// Key is the condition key as written; keys match case-insensitively.
	Key string
	// Values are the listed values (alternatives), in document order.
	Values []Value
	// Pointer is the key's RFC 6901 JSON pointer, e.g.
	// "/Statement/0/Condition/StringLike/s3:prefix".
	Pointer string
	// Offset is the byte offset of the key's value in the parsed input.
	Offset int
	// List records whether the values were written as a JSON array, so the
	// pointer of value i is Pointer+"/i"; otherwise it is Pointer itself.
	List bool
}

// ValuePointer returns the RFC 6901 JSON pointer of value i.
func (c *Condition) ValuePointer(i int) string {
	if !c.List {
		return c.Pointer
	}
	return c.Pointer + "/" + strconv.Itoa(i)
}

// OperatorName returns the full operator as written:
// "ForAnyValue:StringLike", "StringEqualsIfExists".
func (c *Condition) OperatorName() string {
	var b strings.Builder
	if c.Set != SetNone {
		b.WriteString(c.Set.String())
		b.WriteByte(':')
	}
	b.WriteString(c.Operator.String())
	if c.IfExists {
		b.WriteString("IfExists")
	}
	return b.String()
}

// ValueKind is the JSON type a condition value was written with.
type ValueKind uint8

const (
	// StringValue is a JSON string.
	StringValue ValueKind = iota
	// NumberValue is a JSON number.
	NumberValue
	// BoolValue is a JSON true or false.
	BoolValue
)

// Value is one condition value.
type Value struct {
	// Text is the value as written: the string's contents, or the literal
	// text of a JSON number or boolean ("1.50" stays "1.50").
	Text string
	// Kind is the JSON type it was written with.
	Kind ValueKind
	// Offset is the byte offset of the value in the parsed input.
	Offset int
	// Pattern is the value compiled for matching: with wildcards for the Like
	// and Arn operators, literal otherwise, with policy variables parsed when
	// the operator accepts them and the policy's Version is 2012-10-17. It
	// compares case-sensitively and, for Arn operators, over the whole ARN;
	// the IgnoreCase and per-component ARN semantics belong to evaluation.
	Pattern Pattern
}

// parseOperatorName splits a full operator name into its parts.
func parseOperatorName(name string) (op Operator, set SetOp, ifExists bool, ok bool) {
	rest := name
	switch {
	case strings.HasPrefix(rest, "ForAllValues:"):
		set, rest = ForAllValues, rest[len("ForAllValues:"):]
	case strings.HasPrefix(rest, "ForAnyValue:"):
		set, rest = ForAnyValue, rest[len("ForAnyValue:"):]
	}
	if base, found := strings.CutSuffix(rest, "IfExists"); found {
		rest, ifExists = base, true
	}
	op, ok = lookupOperator(rest)
	if !ok {
		return 0, 0, false, false
	}
	if op == Null && (ifExists || set != SetNone) {
		return 0, 0, false, false
	}
	return op, set, ifExists, true
}
