package evaluate

import "github.com/s3authz/s3authz/internal/ascii"

// Keys holds the condition keys of one request: each key's name and its
// values. A key set with one value is single-valued; with several (or none)
// it is multivalued, as aws:TagKeys is, and SetMulti makes one multivalued
// whatever its number of values. Names match without regard to ASCII
// case, as condition key names do; values are kept exactly.
//
// Build one Keys per request (Reset makes it reusable). A Keys is read, never
// written, by evaluation, so one may be shared by concurrent evaluations once
// built. The zero Keys is empty and ready to use.
type Keys struct {
	entries []keyEntry
}

type keyEntry struct {
	name   string // lowercase
	values []string
	multi  bool
}

// Set sets the values of a key, replacing any earlier ones. One value makes
// a single-valued key; Set(name) with no values, or with several, makes a
// multivalued key (an empty one when there are no values).
func (k *Keys) Set(name string, values ...string) {
	k.set(name, values, len(values) != 1)
}

// SetMulti sets the values of a multivalued key, replacing any earlier
// ones, whatever their number: a request that supplies one tag key still
// supplies s3:RequestObjectTagKeys as a set, so a policy variable cannot
// take its value (see Lookup), as with two tag keys.
func (k *Keys) SetMulti(name string, values ...string) {
	k.set(name, values, true)
}

func (k *Keys) set(name string, values []string, multi bool) {
	name = ascii.Lower(name)
	e := keyEntry{name: name, values: values, multi: multi}
	for i := range k.entries {
		if k.entries[i].name == name {
			k.entries[i] = e
			return
		}
	}
	k.entries = append(k.entries, e)
}

// Get returns the values of a key and whether it is present.
func (k *Keys) Get(name string) ([]string, bool) {
	if e := k.find(name); e != nil {
		return e.values, true
	}
	return nil, false
}

// Lookup returns the value of a single-valued key, for policy variables; a
// multivalued key has no value there, as AWS allows only single-valued keys
// in variables. It implements policy.Vars and never allocates.
func (k *Keys) Lookup(name string) (string, bool) {
	if e := k.find(name); e != nil && !e.multi {
		return e.values[0], true
	}
	return "", false
}

// Reset removes every key, keeping the storage for reuse.
func (k *Keys) Reset() {
	clear(k.entries)
	k.entries = k.entries[:0]
}

// Len returns the number of keys.
func (k *Keys) Len() int { return len(k.entries) }

func (k *Keys) find(name string) *keyEntry {
	for i := range k.entries {
		if ascii.EqualLower(name, k.entries[i].name) {
			return &k.entries[i]
		}
	}
	return nil
}
