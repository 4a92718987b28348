package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
)

// auditLog writes a log of 3 records with a digest every 2, signed with
// key when it is not nil, and returns its lines.
func auditLog(t *testing.T, key ed25519.PrivateKey) []string {
	t.Helper()
	now := time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	c, err := audit.NewChain(&buf, audit.ChainOptions{DigestEvery: 2, SigningKey: key, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []evaluate.Decision{evaluate.Allow, evaluate.ExplicitDeny, evaluate.Allow} {
		if err := c.Write(&audit.Record{Time: now, Action: "s3:GetObject", Decision: d, Grant: -1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	ls := strings.SplitAfter(buf.String(), "\n")
	return ls[:len(ls)-1] // after the last newline, ""
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestAuditVerify(t *testing.T) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize))
	pubText := base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))
	dir := t.TempDir()
	signed := auditLog(t, key)
	var (
		intact   = writeFile(t, dir, "intact.jsonl", strings.Join(signed, ""))
		unsigned = writeFile(t, dir, "unsigned.jsonl", strings.Join(auditLog(t, nil), ""))
		byOther  = writeFile(t, dir, "other.jsonl", strings.Join(auditLog(t, other), ""))
		altered  = writeFile(t, dir, "altered.jsonl", strings.Join(signed[:2], "")+
			strings.Replace(signed[2], "explicit-deny", "allow", 1)+strings.Join(signed[3:], ""))
		cut     = writeFile(t, dir, "cut.jsonl", strings.Join(signed[:len(signed)-1], ""))
		twice   = writeFile(t, dir, "twice.jsonl", strings.Repeat(strings.Join(signed, ""), 2))
		pubFile = writeFile(t, dir, "key.pub", pubText+"\n")
		badPub  = writeFile(t, dir, "bad.pub", "not a key\n")
		missing = filepath.Join(dir, "missing.jsonl")
	)
	tests := []runCase{
		{name: "-h", args: []string{"-h"}, wantStatus: 0, wantOut: []string{"  audit "}},
		{name: "audit alone", args: []string{"audit"}, wantStatus: 2, wantErr: []string{"usage: s3authz audit <subcommand>", "  verify "}},
		{name: "audit -h", args: []string{"audit", "-h"}, wantStatus: 0, wantOut: []string{"usage: s3authz audit <subcommand>", "  verify "}},
		{name: "help audit", args: []string{"help", "audit"}, wantStatus: 0, wantOut: []string{"  verify "}},
		{name: "unknown audit subcommand", args: []string{"audit", "fly"}, wantStatus: 2, wantErr: []string{`unknown subcommand "fly"`}},
		{name: "verify -h", args: []string{"audit", "verify", "-h"}, wantStatus: 0, wantOut: []string{"usage: s3authz audit verify [-json] [-pubkey FILE] FILE...", "-pubkey FILE"}},
		{name: "no files", args: []string{"audit", "verify"}, wantStatus: 2, wantErr: []string{"usage: s3authz audit verify"}},
		{
			name: "signed, checked against the given key", args: []string{"audit", "verify", "-pubkey", pubFile, intact}, wantStatus: 0,
			wantLines: []string{intact + ": intact: 3 records, 2 digests, signed with the given key"},
		},
		{
			name: "signed, without -pubkey", args: []string{"audit", "verify", intact}, wantStatus: 0,
			wantLines: []string{intact + ": intact: 3 records, 2 digests, signed with key " + pubText + " (named by the log itself: give -pubkey to check it is yours)"},
		},
		{
			name: "unsigned", args: []string{"audit", "verify", unsigned}, wantStatus: 0,
			wantLines: []string{unsigned + ": intact: 3 records, 2 digests, unsigned (consistent, but anyone can write an unsigned log)"},
		},
		{
			name: "two logs in one file", args: []string{"audit", "verify", "-pubkey", pubFile, twice}, wantStatus: 0,
			wantLines: []string{twice + ": intact: 6 records, 4 digests in 2 logs, signed with the given key"},
		},
		{
			name: "a record altered", args: []string{"audit", "verify", "-pubkey", pubFile, altered}, wantStatus: 1,
			wantLines: []string{altered + ":3: altered: line 3 was changed: it does not hash to the prev of line 4, which follows it"},
		},
		{
			name: "the final digest cut off", args: []string{"audit", "verify", "-pubkey", pubFile, cut}, wantStatus: 1,
			wantLines: []string{cut + ":6: truncated: the log ends after line 5 without its final digest"},
		},
		{
			name: "signed with another key", args: []string{"audit", "verify", "-pubkey", pubFile, byOther}, wantStatus: 1,
			wantOut: []string{byOther + ":1: bad-signature: the log is signed with another key than the one given"},
		},
		{
			name: "unsigned, but a key is given", args: []string{"audit", "verify", "-pubkey", pubFile, unsigned}, wantStatus: 1,
			wantLines: []string{unsigned + ":1: bad-signature: the log is not signed: its header, line 1, names no key"},
		},
		{
			name: "one bad file of several fails the run", args: []string{"audit", "verify", "-pubkey", pubFile, intact, altered, cut}, wantStatus: 1,
			wantOut: []string{intact + ": intact", altered + ":3: altered", cut + ":6: truncated"},
		},
		{
			name: "-json, intact and not", args: []string{"audit", "verify", "-json", "-pubkey", pubFile, intact, altered}, wantStatus: 1,
			wantLines: []string{
				`{"file":"` + intact + `","intact":true,"records":3,"digests":2,"logs":1,"signed":true,"key":"` + pubText + `","trusted_key":true}`,
				`{"file":"` + altered + `","intact":false,"records":1,"digests":0,"logs":1,"signed":true,"key":"` + pubText + `","trusted_key":true,` +
					`"line":3,"problem":"altered","detail":"line 3 was changed: it does not hash to the prev of line 4, which follows it"}`,
			},
		},
		{name: "a missing file", args: []string{"audit", "verify", intact, missing}, wantStatus: 2, wantErr: []string{"missing.jsonl"}, wantOut: []string{intact + ": intact"}},
		{
			name: "a missing file, -json", args: []string{"audit", "verify", "-json", missing}, wantStatus: 2,
			wantOut: []string{`{"file":"` + missing + `","intact":false,`, `"error":"open ` + missing},
		},
		{name: "a key file that is not a key", args: []string{"audit", "verify", "-pubkey", badPub, intact}, wantStatus: 2, wantErr: []string{"-pubkey: " + badPub + ": want an Ed25519 public key in standard base64 (44 characters)"}},
		{name: "a missing key file", args: []string{"audit", "verify", "-pubkey", missing, intact}, wantStatus: 2, wantErr: []string{"-pubkey: open " + missing}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}
