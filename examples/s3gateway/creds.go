package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// maxCredsBytes bounds the credentials file.
const maxCredsBytes = 1 << 20

// credsFile is the credentials file: who each access key is, and the
// DevPay tokens the gateway resolves (see the package documentation).
type credsFile struct {
	// AccessKeys maps an access key ID to its secret and the name of the
	// scenario principal it signs as.
	AccessKeys map[string]accessKey `json:"accessKeys"`
	// DevPay resolves DevPay tokens, which identify rather than
	// authenticate: the signature authenticates.
	DevPay devpayTokens `json:"devpay"`
}

// accessKey is one access key of the credentials file.
type accessKey struct {
	Secret    string `json:"secret"`
	Principal string `json:"principal"`
}

// devpayTokens are the gateway's records of DevPay tokens, standing in for
// the DevPay License Service: product tokens name a product code, user
// tokens the principal (and so the customer account) they were issued to.
type devpayTokens struct {
	ProductTokens map[string]string `json:"productTokens"`
	UserTokens    map[string]string `json:"userTokens"`
}

// loadCredentials reads and checks a credentials file against the
// scenario's principal names: every access key needs a secret and a
// declared, non-anonymous principal; every user token a declared principal.
func loadCredentials(path string, principals map[string]bool) (*credsFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCredsBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCredsBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxCredsBytes)
	}
	c, err := parseCredentials(data, principals)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// parseCredentials is loadCredentials on the file's bytes.
func parseCredentials(data []byte, principals map[string]bool) (*credsFile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c credsFile
	if err := dec.Decode(&c); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the JSON object")
	}
	if len(c.AccessKeys) == 0 {
		return nil, errors.New("no access keys")
	}
	for _, id := range sortedKeys(c.AccessKeys) {
		k := c.AccessKeys[id]
		switch {
		case len(id) < 16 || len(id) > 128:
			return nil, fmt.Errorf("access key %q: want 16 to 128 characters", id)
		case k.Secret == "":
			return nil, fmt.Errorf("access key %q: no secret", id)
		case !principals[k.Principal]:
			return nil, fmt.Errorf("access key %q: principal %q is not a signed principal of the world", id, k.Principal)
		}
	}
	for _, tok := range sortedKeys(c.DevPay.UserTokens) {
		if name := c.DevPay.UserTokens[tok]; !principals[name] {
			return nil, fmt.Errorf("user token of %q: not a signed principal of the world", name)
		}
	}
	return &c, nil
}

// sortedKeys returns m's keys in order, so that errors do not depend on
// map iteration.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
