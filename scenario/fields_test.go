package scenario

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walkTarget records what the readers of walkFields read, in order.
type walkTarget struct {
	read []string
}

// walkFields has a member of each kind the walker handles: typed or not,
// required or not, read in file order or later, with or without a reader.
var walkFields = fields[walkTarget]{
	{name: "str", want: kString, required: true, read: func(_ *loader, t *walkTarget, n *node, _ string) error {
		t.read = append(t.read, "str="+n.str)
		return nil
	}},
	{name: "flag", want: kBool},
	{name: "list", want: kArray, read: func(_ *loader, t *walkTarget, n *node, _ string) error {
		t.read = append(t.read, fmt.Sprintf("list=%d", len(n.elems)))
		if len(n.elems) == 0 {
			return fmt.Errorf("%w: an empty list", ErrInvalid)
		}
		return nil
	}},
	{name: "deep", read: func(l *loader, t *walkTarget, n *node, ptr string) error {
		// A reader that fails inside its value returns l.err: the
		// deeper failure stands.
		return l.each(n, ptr, func(_ string, v *node, _ string) error { return wantString(v) })
	}},
	{name: "last", want: kString, required: true, later: true, read: func(_ *loader, t *walkTarget, n *node, _ string) error {
		t.read = append(t.read, "last="+n.str)
		return nil
	}},
}

// TestFieldsWalk checks the walker on its own: the object's type, unknown
// members (before anything is read), each member's type and reader in
// file order, required members after them, and later members left to
// fields.read. Each error is at the pointer of the value at fault and its
// offset, the object's for a missing member.
func TestFieldsWalk(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		readLast bool     // read "last" after the walk, with fields.read
		wantRead []string // what the readers read, in order, when no error
		wantPath string
		wantAt   string // the error is at the offset of the first wantAt in doc
		wantErr  error
		wantMsg  string
	}{
		{name: "members read in file order", doc: `{"list": [1], "flag": true, "str": "s"}`,
			wantRead: []string{"list=1", "str=s"}},
		{name: "later member left to read", doc: `{"last": "z", "str": "s"}`, readLast: true,
			wantRead: []string{"str=s", "last=z"}},
		{name: "later required member not checked by walk", doc: `{"str": "s"}`,
			wantRead: []string{"str=s"}},
		{name: "not an object", doc: `["str"]`,
			wantPath: "/obj", wantAt: `[`, wantErr: ErrType, wantMsg: "wrong type: want an object, not an array"},
		{name: "unknown member", doc: `{"str": "s", "strs": 1}`,
			wantPath: "/obj/strs", wantAt: `1`, wantErr: ErrUnknownField, wantMsg: `unknown field "strs": want one of str, flag, list, deep, last`},
		{name: "unknown member before an earlier wrong type", doc: `{"str": 1, "other": true}`,
			wantPath: "/obj/other", wantAt: `true`, wantErr: ErrUnknownField, wantMsg: `unknown field "other": want one of str, flag, list, deep, last`},
		{name: "unknown member escaped in the pointer", doc: `{"a/b~c": null}`,
			wantPath: "/obj/a~1b~0c", wantAt: `null`, wantErr: ErrUnknownField},
		{name: "wrong type of a string", doc: `{"str": 12}`,
			wantPath: "/obj/str", wantAt: `12`, wantErr: ErrType, wantMsg: "wrong type: want a string, not a number"},
		{name: "wrong type of a boolean", doc: `{"str": "s", "flag": "yes"}`,
			wantPath: "/obj/flag", wantAt: `"yes"`, wantErr: ErrType, wantMsg: "wrong type: want true or false, not a string"},
		{name: "wrong type of an array", doc: `{"list": {}, "str": "s"}`,
			wantPath: "/obj/list", wantAt: `{}`, wantErr: ErrType, wantMsg: "wrong type: want an array, not an object"},
		{name: "first wrong type in file order", doc: `{"flag": 0, "str": 1}`,
			wantPath: "/obj/flag", wantAt: `0`, wantErr: ErrType},
		{name: "reader error at its member", doc: `{"str": "s", "list": []}`,
			wantPath: "/obj/list", wantAt: `[]`, wantErr: ErrInvalid, wantMsg: "invalid value: an empty list"},
		{name: "deeper failure stands", doc: `{"str": "s", "deep": {"k": 1}}`,
			wantPath: "/obj/deep/k", wantAt: `1`, wantErr: ErrType, wantMsg: "wrong type: want a string, not a number"},
		{name: "missing required member", doc: `{"flag": true}`,
			wantPath: "/obj/str", wantAt: `{`, wantErr: ErrMissing, wantMsg: "missing field: str"},
		{name: "wrong type before missing member", doc: `{"flag": 1}`,
			wantPath: "/obj/flag", wantAt: `1`, wantErr: ErrType},
		{name: "missing later member", doc: `{"str": "s"}`, readLast: true,
			wantPath: "/obj/last", wantAt: `{`, wantErr: ErrMissing, wantMsg: "missing field: last"},
		{name: "wrong type of a later member", doc: `{"last": false, "str": "s"}`, readLast: true,
			wantPath: "/obj/last", wantAt: `false`, wantErr: ErrType, wantMsg: "wrong type: want a string, not a boolean"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const prefix = `{"obj": `
			doc := prefix + tc.doc + `}`
			root, err := parseTree([]byte(doc))
			require.NoError(t, err)
			obj, _ := root.get("obj")
			l := &loader{file: "walk.json", data: []byte(doc)}
			var got walkTarget
			ok := walkFields.walk(l, obj, "/obj", &got)
			if ok && tc.readLast {
				ok = walkFields.read(l, obj, "/obj", &got, "last")
			}
			if tc.wantErr == nil {
				require.True(t, ok, "%v", l.err)
				require.NoError(t, l.err)
				assert.Equal(t, tc.wantRead, got.read)
				return
			}
			require.False(t, ok)
			var se *Error
			require.True(t, errors.As(l.err, &se), "%v", l.err)
			assert.ErrorIs(t, l.err, tc.wantErr)
			assert.Equal(t, tc.wantPath, se.Path)
			at := strings.Index(tc.doc, tc.wantAt)
			require.GreaterOrEqual(t, at, 0)
			at += len(prefix)
			// Offsets are those of the tree: a string's is its end.
			if tc.wantAt[0] == '"' {
				at += len(tc.wantAt)
			}
			assert.Equal(t, at, se.Offset, "offset of %s", tc.wantAt)
			if tc.wantMsg != "" {
				assert.Equal(t, tc.wantMsg, se.Err.Error())
			}
		})
	}
}
