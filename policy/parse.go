package policy

import (
	"slices"

	"github.com/s3authz/s3authz/internal/errfmt"
	"github.com/s3authz/s3authz/internal/jsonptr"
	"github.com/tidwall/gjson"
)

// Parse parses data as a policy of the given kind.
//
// The document is checked against the limits first (size, nesting, number
// of values), then for well-formed UTF-8 JSON, then walked once. It must
// follow the grammar exactly: unknown or duplicate members, wrong JSON
// types, empty lists, malformed actions, resources, principals, operators,
// condition keys and policy variables are all errors, and so are
// conditions whose operator does not take the key's type or whose values
// do not read as the operator's type (see the package documentation). A
// policy Parse returns passes Validate, and package evaluate prepares it.
// Parse reports up to MaxErrors problems, ordered by offset: a single
// *Error or *SyntaxError, or several joined with errors.Join (errors.As
// finds the first). It never panics and runs in time linear in len(data).
func (ps Parser) Parse(kind Kind, data []byte) (*Policy, error) {
	if kind != Bucket && kind != Identity {
		return nil, &Error{Err: errf(ErrInvalidValue, "unknown policy kind %d", kind)}
	}
	lim := ps.limits(kind)
	if err := precheck(data, lim); err != nil {
		return nil, err
	}
	w := walker{kind: kind, lim: lim}
	p := w.policy(gjson.ParseBytes(data))
	if err := joinErrors(w.errs); err != nil {
		return nil, err
	}
	return p, nil
}

// walker carries the state of one Parse call.
type walker struct {
	kind Kind
	lim  Parser
	vars bool // Version 2012-10-17: policy variables are live
	errs []*Error
	sids map[string]bool
}

func (w *walker) fail(at *loc, off int, err error) {
	if len(w.errs) < MaxErrors {
		w.errs = append(w.errs, &Error{Pointer: at.String(), Offset: off, Err: err})
	}
}

// failPointer is fail for a location already written as a pointer; it
// reports whether the walker takes more errors.
func (w *walker) failPointer(pointer string, off int, err error) bool {
	if len(w.errs) < MaxErrors {
		w.errs = append(w.errs, &Error{Pointer: pointer, Offset: off, Err: err})
	}
	return !w.full()
}

// loc is a location in the document, turned into an RFC 6901 pointer only
// when an error or a stored pointer needs it. The root has no parent.
type loc struct {
	up      *loc
	name    string
	index   int // array index; -1 for an object member
	nameOff int // byte offset of an object member's name
}

func (l *loc) key(name string) loc { return loc{up: l, name: name, index: -1} }
func (l *loc) at(i int) loc        { return loc{up: l, index: i} }

// String returns the JSON pointer, built in one pass from the root.
func (l *loc) String() string {
	var chain [8]*loc // deeper documents are rare: append grows it
	path := chain[:0]
	for c := l; c != nil && c.up != nil; c = c.up {
		path = append(path, c)
	}
	var buf [64]byte
	ptr := buf[:0]
	for i := len(path) - 1; i >= 0; i-- {
		if c := path[i]; c.index >= 0 {
			ptr = jsonptr.AppendIndex(ptr, c.index)
		} else {
			ptr = jsonptr.AppendKey(ptr, c.name)
		}
	}
	return string(ptr)
}

func (w *walker) full() bool { return len(w.errs) >= MaxErrors }

// members calls fn for each member of the object v in document order, after
// rejecting duplicate names (compared after unescaping).
func (w *walker) members(v gjson.Result, at *loc, fn func(name string, at *loc, v gjson.Result)) {
	var seen []string
	var seenMap map[string]bool
	v.ForEach(func(k, mv gjson.Result) bool {
		name := k.Str
		mat := at.key(name)
		mat.nameOff = k.Index
		dup := false
		if seenMap != nil {
			dup = seenMap[name]
			seenMap[name] = true
		} else {
			dup = slices.Contains(seen, name)
			seen = append(seen, name)
			if len(seen) > 16 {
				seenMap = make(map[string]bool, 2*len(seen))
				for _, s := range seen {
					seenMap[s] = true
				}
			}
		}
		if dup {
			w.fail(&mat, mat.nameOff, errf(ErrDuplicateKey, "%s appears more than once", errfmt.Quote(name)))
		} else {
			fn(name, &mat, mv)
		}
		return !w.full()
	})
}

func typeName(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return "string"
	case gjson.Number:
		return "number"
	case gjson.True, gjson.False:
		return "boolean"
	case gjson.Null:
		return "null"
	}
	if v.IsArray() {
		return "array"
	}
	return "object"
}

func (w *walker) wrongType(at *loc, v gjson.Result, want string) {
	w.fail(at, v.Index, errf(ErrType, "want %s, not %s", want, typeName(v)))
}

// str returns v as a string, or reports a type error.
func (w *walker) str(at *loc, v gjson.Result) (string, bool) {
	if v.Type != gjson.String {
		w.wrongType(at, v, "a string")
		return "", false
	}
	return v.Str, true
}

// item is a string from a list element, with its location: index -1 for a
// bare string.
type item struct {
	s     string
	index int
	off   int
}

// loc returns the item's location under the list's location.
func (it *item) loc(list *loc) loc {
	if it.index < 0 {
		return *list
	}
	return list.at(it.index)
}

// strList reads a string or a non-empty array of strings.
func (w *walker) strList(at *loc, v gjson.Result) ([]item, bool) {
	switch {
	case v.Type == gjson.String:
		return []item{{v.Str, -1, v.Index}}, true
	case v.IsArray():
		var items []item
		ok := true
		i := 0
		v.ForEach(func(_, ev gjson.Result) bool {
			i++
			if ev.Type != gjson.String {
				eat := at.at(i - 1)
				w.wrongType(&eat, ev, "a string")
				ok = false
				return !w.full()
			}
			items = append(items, item{ev.Str, i - 1, ev.Index})
			return true
		})
		if i == 0 {
			w.fail(at, v.Index, errf(ErrInvalidValue, "empty list"))
			return nil, false
		}
		return items, ok
	}
	w.wrongType(at, v, "a string or an array of strings")
	return nil, false
}

func (w *walker) policy(root gjson.Result) *Policy {
	var top loc
	if !root.IsObject() {
		w.wrongType(&top, root, "an object")
		return nil
	}
	p := &Policy{Kind: w.kind}
	var stmts gjson.Result
	stmtAt := top.key("Statement")
	w.members(root, &top, func(name string, at *loc, v gjson.Result) {
		switch name {
		case "Version":
			s, ok := w.str(at, v)
			if !ok {
				return
			}
			switch s {
			case "2012-10-17":
				p.Version = Version2012
			case "2008-10-17":
				p.Version = Version2008
			default:
				w.fail(at, v.Index, errv(ErrInvalidValue, s, `want "2012-10-17" or "2008-10-17"`))
			}
		case "Id":
			if s, ok := w.str(at, v); ok {
				if s == "" {
					w.fail(at, v.Index, errf(ErrInvalidValue, "empty Id"))
				}
				p.ID = s
			}
		case "Statement":
			stmts = v
		default:
			w.fail(at, at.nameOff, errf(ErrUnknownElement, "%s: a policy has Version, Id and Statement", errfmt.Quote(name)))
		}
	})
	w.vars = p.Version == Version2012
	switch {
	case !stmts.Exists():
		w.fail(&top, root.Index, errf(ErrMissingElement, "Statement"))
	case stmts.IsObject():
		p.Statements = []Statement{w.statement(stmts, &stmtAt)}
	case stmts.IsArray():
		i := 0
		stmts.ForEach(func(_, sv gjson.Result) bool {
			if i == w.lim.MaxStatements {
				w.fail(&stmtAt, stmts.Index, errf(ErrLimit, "more than %d statements", w.lim.MaxStatements))
				return false
			}
			sat := stmtAt.at(i)
			i++
			if !sv.IsObject() {
				w.wrongType(&sat, sv, "an object")
			} else {
				p.Statements = append(p.Statements, w.statement(sv, &sat))
			}
			return !w.full()
		})
		if i == 0 {
			w.fail(&stmtAt, stmts.Index, errf(ErrInvalidValue, "Statement is an empty list"))
		}
	default:
		w.wrongType(&stmtAt, stmts, "an object or an array of objects")
	}
	return p
}

// Statement elements, as bits of a set.
const (
	elSid = 1 << iota
	elEffect
	elPrincipal
	elNotPrincipal
	elAction
	elNotAction
	elResource
	elNotResource
	elCondition
)

var elementBits = map[string]int{
	"Sid": elSid, "Effect": elEffect, "Principal": elPrincipal, "NotPrincipal": elNotPrincipal,
	"Action": elAction, "NotAction": elNotAction, "Resource": elResource, "NotResource": elNotResource,
	"Condition": elCondition,
}

// pairs are the elements that exclude each other.
var pairs = map[int]int{
	elPrincipal: elNotPrincipal, elNotPrincipal: elPrincipal,
	elAction: elNotAction, elNotAction: elAction,
	elResource: elNotResource, elNotResource: elResource,
}

func (w *walker) statement(v gjson.Result, at *loc) Statement {
	st := Statement{Pointer: at.String(), Offset: v.Index}
	have := 0
	w.members(v, at, func(name string, mat *loc, mv gjson.Result) {
		bit, known := elementBits[name]
		if !known {
			w.fail(mat, mat.nameOff, errf(ErrUnknownElement, "%s: not a statement element", errfmt.Quote(name)))
			return
		}
		if (bit == elPrincipal || bit == elNotPrincipal) && w.kind == Identity {
			w.fail(mat, mat.nameOff, errf(ErrUnknownElement, "%s: an identity policy names no principal", name))
			return
		}
		if other, ok := pairs[bit]; ok && have&other != 0 {
			w.fail(mat, mat.nameOff, errf(ErrConflict, "a statement has %s or %s, not both", elementName(other), name))
			return
		}
		have |= bit
		switch bit {
		case elSid:
			w.sid(&st, mat, mv)
		case elEffect:
			if s, ok := w.str(mat, mv); ok {
				switch s {
				case "Allow":
					st.Effect = Allow
				case "Deny":
					st.Effect = Deny
				default:
					w.fail(mat, mv.Index, errv(ErrInvalidValue, s, `want "Allow" or "Deny"`))
				}
			}
		case elPrincipal:
			st.Principal = w.principals(mat, mv)
		case elNotPrincipal:
			st.NotPrincipal = w.principals(mat, mv)
		case elAction:
			st.Action = w.actions(mat, mv)
		case elNotAction:
			st.NotAction = w.actions(mat, mv)
		case elResource:
			st.Resource = w.resources(mat, mv)
		case elNotResource:
			st.NotResource = w.resources(mat, mv)
		case elCondition:
			st.Conditions = w.conditions(mat, mv)
		}
	})
	if w.full() {
		return st
	}
	missing := func(bits int, what string) {
		if have&bits == 0 {
			w.fail(at, v.Index, errf(ErrMissingElement, "%s", what))
		}
	}
	missing(elEffect, "Effect")
	if w.kind == Bucket {
		missing(elPrincipal|elNotPrincipal, "Principal or NotPrincipal")
	}
	missing(elAction|elNotAction, "Action or NotAction")
	missing(elResource|elNotResource, "Resource or NotResource")
	return st
}

func elementName(bit int) string {
	for name, b := range elementBits {
		if b == bit {
			return name
		}
	}
	return ""
}

func (w *walker) sid(st *Statement, at *loc, v gjson.Result) {
	s, ok := w.str(at, v)
	if !ok {
		return
	}
	st.Sid = s
	if err := checkSid(s, w.kind); err != nil {
		w.fail(at, v.Index, err)
		return
	}
	if w.kind == Identity && s != "" {
		if w.sids[s] {
			w.fail(at, v.Index, errv(ErrInvalidValue, s, "Sids of an identity policy must be unique"))
			return
		}
		if w.sids == nil {
			w.sids = map[string]bool{}
		}
		w.sids[s] = true
	}
}

func (w *walker) principals(at *loc, v gjson.Result) *Principals {
	p := &Principals{}
	switch {
	case v.Type == gjson.String:
		if v.Str != "*" {
			w.fail(at, v.Index, errv(ErrInvalidPrincipal, v.Str, `want "*" or an object such as {"AWS": "111122223333"}`))
		}
		p.All = true
		return p
	case !v.IsObject():
		w.wrongType(at, v, "a string or an object")
		return p
	}
	n := 0
	w.members(v, at, func(name string, mat *loc, mv gjson.Result) {
		n++
		t := slices.Index(principalTypeNames[:], name)
		if t < 0 {
			w.fail(mat, mat.nameOff, errv(ErrInvalidPrincipal, name, "want AWS, CanonicalUser, Service or Federated"))
			return
		}
		items, ok := w.strList(mat, mv)
		if !ok {
			return
		}
		typ := principalType(t)
		if typ == principalAWS && len(items) > 1 && slices.ContainsFunc(items, func(it item) bool { return it.s == "*" }) {
			w.fail(mat, mv.Index, errf(ErrInvalidPrincipal, `"*" must be the only value`))
			return
		}
		list := p.list(typ)
		for _, it := range items {
			var err error
			switch typ {
			case principalAWS:
				err = checkAWSPrincipal(it.s)
			case principalCanonicalUser:
				err = checkCanonicalUser(it.s)
			case principalService:
				err = checkService(it.s)
			case principalFederated:
				err = checkFederated(it.s)
			}
			if err != nil {
				ia := it.loc(mat)
				w.fail(&ia, it.off, err)
				continue
			}
			*list = append(*list, it.s)
		}
	})
	if n == 0 {
		w.fail(at, v.Index, errf(ErrInvalidPrincipal, "empty principal object"))
	}
	return p
}

func (w *walker) actions(at *loc, v gjson.Result) []Pattern {
	items, _ := w.strList(at, v)
	out := make([]Pattern, 0, len(items))
	for _, it := range items {
		if err := checkAction(it.s, w.kind); err != nil {
			ia := it.loc(at)
			w.fail(&ia, it.off, err)
			continue
		}
		p, _ := compilePattern(it.s, modeGlobFold, false)
		out = append(out, p)
	}
	return out
}

func (w *walker) resources(at *loc, v gjson.Result) []Pattern {
	items, _ := w.strList(at, v)
	out := make([]Pattern, 0, len(items))
	for _, it := range items {
		if err := checkResource(it.s, w.kind, w.vars); err != nil {
			ia := it.loc(at)
			w.fail(&ia, it.off, err)
			continue
		}
		p, err := compilePattern(it.s, modeGlob, w.vars)
		if err != nil {
			ia := it.loc(at)
			w.fail(&ia, it.off, err)
			continue
		}
		out = append(out, p)
	}
	return out
}

func (w *walker) conditions(at *loc, v gjson.Result) []Condition {
	if !v.IsObject() {
		w.wrongType(at, v, "an object")
		return nil
	}
	var out []Condition
	n := 0
	w.members(v, at, func(opName string, oat *loc, ov gjson.Result) {
		n++
		op, set, ifExists, ok := parseOperatorName(opName)
		if !ok {
			w.fail(oat, oat.nameOff, errv(ErrInvalidCondition, opName, "unknown operator"))
			return
		}
		if !ov.IsObject() {
			w.wrongType(oat, ov, "an object")
			return
		}
		keys := 0
		w.members(ov, oat, func(key string, kat *loc, kv gjson.Result) {
			keys++
			if !validKeyName(key) {
				w.fail(kat, kat.nameOff, errv(ErrInvalidCondition, key, "want a condition key such as \"aws:SourceIp\""))
				return
			}
			if vals := w.conditionValues(op, kat, kv); vals != nil {
				c := Condition{Operator: op, Set: set, IfExists: ifExists, Key: key, Values: vals, Pointer: kat.String(), Offset: kv.Index, List: kv.IsArray()}
				n := len(w.errs)
				checkCondition(&c, w.vars, w.failPointer)
				if len(w.errs) == n {
					out = append(out, c)
				}
			}
		})
		if keys == 0 {
			w.fail(oat, ov.Index, errf(ErrInvalidCondition, "operator %s has no keys", opName))
		}
	})
	if n == 0 {
		w.fail(at, v.Index, errf(ErrInvalidCondition, "empty Condition block"))
	}
	return out
}

// conditionValues reads a scalar or a non-empty array of scalars; nil when
// they are invalid.
func (w *walker) conditionValues(op Operator, at *loc, v gjson.Result) []Value {
	mode := modeLiteral
	if op.Wildcards() {
		mode = modeGlob
	}
	vars := w.vars && op.AcceptsVariables()
	one := func(vat *loc, ev gjson.Result) (Value, bool) {
		val := Value{Offset: ev.Index}
		switch ev.Type {
		case gjson.String:
			val.Text, val.Kind = ev.Str, StringValue
		case gjson.Number:
			val.Text, val.Kind = ev.Raw, NumberValue
		case gjson.True, gjson.False:
			val.Text, val.Kind = ev.Raw, BoolValue
		default:
			w.wrongType(vat, ev, "a string, number or boolean")
			return val, false
		}
		p, err := compilePattern(val.Text, mode, vars)
		if err != nil {
			w.fail(vat, ev.Index, err)
			return val, false
		}
		val.Pattern = p
		return val, true
	}
	if !v.IsArray() {
		val, ok := one(at, v)
		if !ok {
			return nil
		}
		return []Value{val}
	}
	var vals []Value
	ok := true
	i := 0
	v.ForEach(func(_, ev gjson.Result) bool {
		eat := at.at(i)
		i++
		val, good := one(&eat, ev)
		ok = ok && good
		vals = append(vals, val)
		return !w.full()
	})
	if i == 0 {
		w.fail(at, v.Index, errf(ErrInvalidCondition, "empty value list"))
		return nil
	}
	if !ok {
		return nil
	}
	return vals
}
