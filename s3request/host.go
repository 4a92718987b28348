package s3request

import (
	"net/netip"
	"strings"
)

// addressing is what the Host header says: the style, the bucket it names
// (virtual-hosted and CNAME), and the partition.
type addressing struct {
	style     Style
	bucket    string
	partition string
}

// readHost applies the rules of "Virtual hosting of buckets", first match
// wins: an IP literal or an endpoint is path style; a host ending in "." and
// an endpoint (anchored at the end, on a label boundary, longest endpoint)
// is virtual-hosted; any other host of AWS's domains is another API; any
// other host is a CNAME bucket, or path style with CNAME off.
func (m *Mapper) readHost(host string) (addressing, *Error) {
	if host == "" {
		return addressing{style: PathStyle, partition: "aws"}, nil
	}
	h, ok := stripPort(host)
	if !ok {
		return addressing{}, fail(ErrMalformedURL, "host", host, "not a host[:port]")
	}
	if h == "" {
		return addressing{}, fail(ErrMalformedURL, "host", host, "empty host")
	}
	if h[0] == '[' {
		if _, err := netip.ParseAddr(h[1 : len(h)-1]); err != nil {
			return addressing{}, fail(ErrMalformedURL, "host", host, "not an IPv6 literal")
		}
		return addressing{style: PathStyle, partition: m.partition}, nil
	}
	// A fully qualified name's final dot names the same host.
	h = lowerASCII(strings.TrimSuffix(h, "."))
	if isIPv4Form(h) {
		if _, err := netip.ParseAddr(h); err != nil {
			return addressing{}, fail(ErrMalformedURL, "host", host, "not an IPv4 address")
		}
		return addressing{style: PathStyle, partition: m.partition}, nil
	}
	if p, ok := m.endpoint(h); ok {
		if p == "" {
			return addressing{}, fail(ErrUnsupportedEndpoint, "host", host, "Transfer Acceleration needs a virtual-hosted bucket")
		}
		return addressing{style: PathStyle, partition: p}, nil
	}
	// Virtual-hosted: the leftmost dot after which an endpoint follows gives
	// the longest endpoint suffix.
	for i := 0; i < len(h); i++ {
		if h[i] != '.' {
			continue
		}
		// An empty bucket label (".s3.amazonaws.com") is read as one, for
		// the bucket rules to refuse.
		if p, ok := m.endpoint(h[i+1:]); ok {
			if p == "" {
				p = "aws"
			}
			return addressing{style: VirtualHosted, bucket: h[:i], partition: p}, nil
		}
	}
	if h == "amazonaws.com" || strings.HasSuffix(h, ".amazonaws.com") ||
		h == "amazonaws.com.cn" || strings.HasSuffix(h, ".amazonaws.com.cn") {
		return addressing{}, fail(ErrUnsupportedEndpoint, "host", host, "not an S3 REST endpoint (website, access point, directory bucket, Object Lambda or control API)")
	}
	if !m.cname {
		return addressing{style: PathStyle, partition: m.partition}, nil
	}
	return addressing{style: CNAME, bucket: h, partition: m.partition}, nil
}

// stripPort removes a ":port" from host; a bracketed IPv6 literal keeps its
// brackets. It reports false for a port that is not decimal digits.
func stripPort(host string) (string, bool) {
	if host[0] == '[' {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "", false
		}
		rest := host[end+1:]
		if rest != "" && (rest[0] != ':' || !allDigits(rest[1:])) {
			return "", false
		}
		return host[:end+1], true
	}
	i := strings.IndexByte(host, ':')
	if i < 0 {
		return host, true
	}
	if !allDigits(host[i+1:]) {
		return "", false
	}
	return host[:i], true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// endpoint reports whether h (lowercase, no port) is a service endpoint and
// its partition; the Transfer Acceleration endpoints, which take only
// virtual-hosted requests, report partition "".
func (m *Mapper) endpoint(h string) (partition string, ok bool) {
	for _, e := range m.endpoints {
		if h == e {
			return m.partition, true
		}
	}
	var pre string
	switch {
	case strings.HasSuffix(h, ".amazonaws.com"):
		pre, partition = h[:len(h)-len(".amazonaws.com")], "aws"
	case strings.HasSuffix(h, ".amazonaws.com.cn"):
		pre, partition = h[:len(h)-len(".amazonaws.com.cn")], "aws-cn"
	default:
		return "", false
	}
	switch {
	case pre == "s3":
		return partition, true
	case partition == "aws" && (pre == "s3-accelerate" || pre == "s3-accelerate.dualstack"):
		return "", true
	case strings.HasPrefix(pre, "s3.dualstack."):
		return partition, isRegion(pre[len("s3.dualstack."):])
	case strings.HasPrefix(pre, "s3-fips.dualstack."):
		return partition, isRegion(pre[len("s3-fips.dualstack."):])
	case strings.HasPrefix(pre, "s3-fips."):
		return partition, isRegion(pre[len("s3-fips."):])
	case strings.HasPrefix(pre, "s3."):
		return partition, isRegion(pre[len("s3."):])
	case strings.HasPrefix(pre, "s3-"):
		return partition, isRegion(pre[len("s3-"):])
	}
	return "", false
}

// isRegion reports whether s is a region code, [a-z]{2}(-[a-z]+)+-[0-9]+:
// "us-west-2", "us-gov-west-1", "cn-north-1". It does not allocate.
func isRegion(s string) bool {
	if len(s) < 3 || !allLower(s[:2]) || s[2] != '-' {
		return false
	}
	last := strings.LastIndexByte(s, '-')
	if last <= 2 || !allDigits(s[last+1:]) {
		return false
	}
	for mid := s[3:last]; ; {
		i := strings.IndexByte(mid, '-')
		if i < 0 {
			return allLower(mid)
		}
		if !allLower(mid[:i]) {
			return false
		}
		mid = mid[i+1:]
	}
}

func allLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}
