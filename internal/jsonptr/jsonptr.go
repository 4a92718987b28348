// Package jsonptr builds RFC 6901 JSON pointers.
package jsonptr

import (
	"strconv"
	"strings"
)

// Key returns ptr extended by the object member name: '~' is written "~0"
// and '/' is written "~1".
func Key(ptr, name string) string {
	if !strings.ContainsAny(name, "~/") {
		return ptr + "/" + name
	}
	r := strings.NewReplacer("~", "~0", "/", "~1")
	return ptr + "/" + r.Replace(name)
}

// Index returns ptr extended by the array index i.
func Index(ptr string, i int) string {
	return ptr + "/" + strconv.Itoa(i)
}
