package audit_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"strings"
	"time"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
)

// ExampleChain writes three decisions to a signed log with a digest every
// two, and verifies it with the public key.
func ExampleChain() {
	// A real host loads its key; this one is fixed so the output is too.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	now := time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)

	var log bytes.Buffer // a host writes to a file opened with O_APPEND
	c, err := audit.NewChain(&log, audit.ChainOptions{
		DigestEvery: 2,
		SigningKey:  key,
		Now:         func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	for i := range 3 {
		err := c.Write(&audit.Record{
			ID: fmt.Sprintf("d-%d", i), Time: now, Action: "s3:GetObject",
			Decision: evaluate.Allow, Stage: evaluate.StageObject, Code: evaluate.CodeBucketPolicyAllows, Grant: -1,
		})
		if err != nil {
			panic(err)
		}
	}
	if err := c.Close(); err != nil {
		panic(err)
	}

	for _, l := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		fmt.Println(l)
	}
	rep, err := audit.Verify(&log, key.Public().(ed25519.PublicKey))
	if err != nil {
		panic(err)
	}
	fmt.Printf("intact %v: %d records, %d digests, signed %v\n", rep.Intact, rep.Records, rep.Digests, rep.Signed)
	// Output:
	// {"v":1,"kind":"header","seq":0,"time":"2026-12-06T20:00:00Z","digest_every":2,"key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="}
	// {"v":1,"kind":"decision","seq":1,"prev":"5ac434a6a120800da929dbfc6d90806523f3cd8aba2ea07e87171100224abe48","id":"d-0","time":"2026-12-06T20:00:00Z","action":"s3:GetObject","decision":"allow","stage":"object","code":"bucket-policy-allows"}
	// {"v":1,"kind":"decision","seq":2,"prev":"a86f197bcb707b79ae5b12e1ff1a62347e18d24bdd136c88429fd42f4544d10c","id":"d-1","time":"2026-12-06T20:00:00Z","action":"s3:GetObject","decision":"allow","stage":"object","code":"bucket-policy-allows"}
	// {"v":1,"kind":"digest","seq":3,"prev":"fc823dd4f7365b68e403d070cf0656b06721bcdf179ebd04113caa28f08297c8","time":"2026-12-06T20:00:00Z","count":2,"head":"fc823dd4f7365b68e403d070cf0656b06721bcdf179ebd04113caa28f08297c8","first_seq":1,"last_seq":2,"sig":"iw5uAYbRabkP3DOiZICOXRx0iEB5OzjOX18UhikL4pNlQdY/bbg36h88VCZcJnzflbp691zKfZzEmOljmCOiCw=="}
	// {"v":1,"kind":"decision","seq":4,"prev":"aef6a28b5c60fcd160ffc1f4e4c7255ee92914f45a87bb38faa2145cf927100d","id":"d-2","time":"2026-12-06T20:00:00Z","action":"s3:GetObject","decision":"allow","stage":"object","code":"bucket-policy-allows"}
	// {"v":1,"kind":"digest","seq":5,"prev":"0ec910af2b0d90d368dbafe792eb5f9e6920f1d1a508f219c2e6f758cd48c8f6","time":"2026-12-06T20:00:00Z","count":1,"head":"0ec910af2b0d90d368dbafe792eb5f9e6920f1d1a508f219c2e6f758cd48c8f6","first_seq":4,"last_seq":4,"final":true,"sig":"XmGA5MK0RxHPCB6SxzT+UsGi8r8jsvovH6vVvuelL94rdLJLxJSimLs8Tr2NQ918w6XFp6/MmXQpQUleGbCtAQ=="}
	// intact true: 3 records, 2 digests, signed true
}

// ExampleVerify shows the report on a log with one record changed: the
// line after it no longer carries its hash.
func ExampleVerify() {
	var log bytes.Buffer
	c, err := audit.NewChain(&log, audit.ChainOptions{})
	if err != nil {
		panic(err)
	}
	for i := range 3 {
		if err := c.Write(&audit.Record{ID: fmt.Sprintf("d-%d", i), Decision: evaluate.ExplicitDeny, Grant: -1}); err != nil {
			panic(err)
		}
	}
	if err := c.Close(); err != nil {
		panic(err)
	}

	tampered := strings.Replace(log.String(), `"id":"d-1","time":"0001-01-01T00:00:00Z","decision":"explicit-deny"`,
		`"id":"d-1","time":"0001-01-01T00:00:00Z","decision":"allow"`, 1)
	rep, err := audit.Verify(strings.NewReader(tampered), nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("line %d: %v: %s\n", rep.Line, rep.Problem, rep.Detail)

	cut := log.String()[:log.Len()-20]
	rep, _ = audit.Verify(strings.NewReader(cut), nil)
	fmt.Printf("line %d: %v: %s\n", rep.Line, rep.Problem, rep.Detail)
	// Output:
	// line 3: altered: line 3 was changed: it does not hash to the prev of line 4, which follows it
	// line 5: truncated: the log ends in the middle of line 5
}
