package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	valid := filepath.Join(dir, "ok.json")
	invalid := filepath.Join(dir, "identity-bad.json")
	must(t, os.WriteFile(valid, []byte(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`), 0o644))
	must(t, os.WriteFile(invalid, []byte(`{"Statement":[{"Effect":"Alow","Action":"s3","Resource":"*"}]}`), 0o644))
	values := filepath.Join(dir, "values.json")
	must(t, os.WriteFile(values, []byte(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",`+
		`"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33","s3:prefix":"10.0.0.0/8"},"NumericLessThan":{"s3:max-keys":"ten"}}}}`), 0o644))
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantOut    string
	}{
		{"valid bucket policy", []string{valid}, 0,
			valid + ": valid bucket policy, 1 statement(s)\n" +
				`{"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}` + "\n"},
		{"invalid identity policy by file name", []string{invalid}, 1,
			invalid + `: policy: /Statement/0/Effect: invalid value "Alow": want "Allow" or "Deny" (offset 24)` + "\n" +
				invalid + `: policy: /Statement/0/Action: invalid action "s3": want "service:Action" or "*" (offset 40)` + "\n"},
		{"kind flag overrides the name", []string{"-kind", "identity", valid}, 1,
			valid + `: policy: /Statement/Principal: unknown element: Principal: an identity policy names no principal (offset 31)` + "\n"},
		{"condition values and key types", []string{values}, 1,
			values + `: policy: /Statement/Condition/IpAddress/aws:SourceIp: invalid condition "10.0.0.0/33": want an IPv4 or IPv6 address or CIDR block (offset 141)` + "\n" +
				values + `: policy: /Statement/Condition/IpAddress/s3:prefix: invalid condition "s3:prefix": IpAddress cannot test a key of type String (offset 167)` + "\n" +
				values + `: policy: /Statement/Condition/NumericLessThan/s3:max-keys: invalid condition "ten": want an integer or decimal number (offset 214)` + "\n"},
		{"no files", nil, 2, ""},
		{"bad kind", []string{"-kind", "user", valid}, 2, ""},
		{"missing file", []string{filepath.Join(dir, "nope.json")}, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			status := run(tc.args, &out, &errOut)
			assert.Equal(t, tc.wantStatus, status, "stderr: %s", errOut.String())
			assert.Equal(t, tc.wantOut, out.String())
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
