package s3request

import (
	"errors"
	"strings"
)

// Config says which hosts are S3 endpoints and how to read the others.
// The zero Config is AWS's own behaviour: the AWS endpoint forms, CNAME
// addressing on, legacy bucket names refused, partition "aws" for custom
// endpoints.
type Config struct {
	// Endpoints are service endpoints besides AWS's own forms: host names
	// such as "s3.example.com", without port. A host equal to one is path
	// style; a host ending in "." and one is virtual-hosted style.
	Endpoints []string
	// DisableCNAME reads a host that is no endpoint as path style instead
	// of as a bucket named by the whole host (CNAME addressing).
	DisableCNAME bool
	// LegacyBucketNames admits, in path style only, the bucket names
	// us-east-1 allowed before 1 March 2018: up to 255 characters of
	// letters of either case, digits, '.', '-' and '_'.
	LegacyBucketNames bool
	// Partition is the partition of the custom endpoints, "aws" when "".
	Partition string
}

// Mapper maps requests to operations under one Config. It is immutable
// and safe for concurrent use; the zero Mapper is not usable, New makes
// one.
type Mapper struct {
	endpoints []string // lowercase, validated
	cname     bool
	legacy    bool
	partition string
}

// New returns a Mapper for cfg, or an error naming an endpoint that is not
// a host name.
func New(cfg Config) (*Mapper, error) {
	m := &Mapper{cname: !cfg.DisableCNAME, legacy: cfg.LegacyBucketNames, partition: cfg.Partition}
	if m.partition == "" {
		m.partition = "aws"
	}
	for _, e := range cfg.Endpoints {
		e = strings.ToLower(e)
		if !isHostName(e) {
			return nil, errors.New("s3request: endpoint " + quoteShort(e) + " is not a host name")
		}
		m.endpoints = append(m.endpoints, e)
	}
	return m, nil
}

// isHostName reports whether s is a DNS name of letter, digit and hyphen
// labels, each 1 to 63 bytes, 253 bytes at most.
func isHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
