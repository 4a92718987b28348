// Package jsonptr builds RFC 6901 JSON pointers.
package jsonptr

import "strconv"

// AppendKey appends "/" and the member name to b, with '~' written "~0" and
// '/' written "~1".
func AppendKey(b []byte, name string) []byte {
	b = append(b, '/')
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '~':
			b = append(b, '~', '0')
		case '/':
			b = append(b, '~', '1')
		default:
			b = append(b, name[i])
		}
	}
	return b
}

// AppendIndex appends "/" and the array index i to b.
func AppendIndex(b []byte, i int) []byte {
	return strconv.AppendInt(append(b, '/'), int64(i), 10)
}
