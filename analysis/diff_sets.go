package analysis

import (
	"math"
	"math/bits"
	"net/netip"
	"sort"
	"strconv"
	"time"
)

// dfPt is a point of the ordered domains of Numeric, Date and IpAddress
// conditions, all mapped into 128-bit unsigned integers so that one
// closed-interval algebra serves them: a float64 by its order-preserving
// bit pattern (consecutive integers are adjacent floats), a date by its
// nanoseconds since the epoch offset by 2^127, an address as IPv6 with IPv4
// mapped into ::ffff:0:0/96 (which no request reaches as IPv6: the
// evaluator reads such an address as IPv4).
type dfPt struct{ hi, lo uint64 }

func (a dfPt) cmp(b dfPt) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

func (a dfPt) succ() dfPt {
	lo, c := bits.Add64(a.lo, 1, 0)
	return dfPt{a.hi + c, lo}
}

func (a dfPt) pred() dfPt {
	lo, b := bits.Sub64(a.lo, 1, 0)
	return dfPt{a.hi - b, lo}
}

var dfMaxPt = dfPt{math.MaxUint64, math.MaxUint64}

// dfIv is a closed interval [lo, hi].
type dfIv struct{ lo, hi dfPt }

// dfIvs is a sorted list of disjoint, non-adjacent closed intervals.
type dfIvs []dfIv

func dfNormIvs(s dfIvs) dfIvs {
	sort.Slice(s, func(i, j int) bool { return s[i].lo.cmp(s[j].lo) < 0 })
	var out dfIvs
	for _, iv := range s {
		if iv.lo.cmp(iv.hi) > 0 {
			continue
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.hi == dfMaxPt || iv.lo.cmp(last.hi.succ()) <= 0 {
				if iv.hi.cmp(last.hi) > 0 {
					last.hi = iv.hi
				}
				continue
			}
		}
		out = append(out, iv)
	}
	return out
}

func dfIntersectIvs(a, b dfIvs) dfIvs {
	var out dfIvs
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		lo, hi := a[i].lo, a[i].hi
		if b[j].lo.cmp(lo) > 0 {
			lo = b[j].lo
		}
		if b[j].hi.cmp(hi) < 0 {
			hi = b[j].hi
		}
		if lo.cmp(hi) <= 0 {
			out = append(out, dfIv{lo, hi})
		}
		if a[i].hi.cmp(b[j].hi) < 0 {
			i++
		} else {
			j++
		}
	}
	return out
}

// dfComplementIvs is the complement within [dom.lo, dom.hi].
func dfComplementIvs(a dfIvs, dom dfIv) dfIvs {
	var out dfIvs
	cur := dom.lo
	done := false
	for _, iv := range dfIntersectIvs(a, dfIvs{dom}) {
		if iv.lo.cmp(cur) > 0 {
			out = append(out, dfIv{cur, iv.lo.pred()})
		}
		if iv.hi.cmp(dom.hi) >= 0 {
			done = true
			break
		}
		cur = iv.hi.succ()
	}
	if !done {
		out = append(out, dfIv{cur, dom.hi})
	}
	return out
}

func (s dfIvs) has(p dfPt) bool {
	for _, iv := range s {
		if iv.lo.cmp(p) <= 0 && p.cmp(iv.hi) <= 0 {
			return true
		}
	}
	return false
}

// Floats.

func dfFloatPt(f float64) dfPt {
	if f == 0 {
		f = 0 // -0 reads as 0, as the evaluator compares it
	}
	u := math.Float64bits(f)
	if u>>63 == 1 {
		u = ^u
	} else {
		u |= 1 << 63
	}
	return dfPt{0, u}
}

func dfPtFloat(p dfPt) float64 {
	u := p.lo
	if u>>63 == 1 {
		u &^= 1 << 63
	} else {
		u = ^u
	}
	return math.Float64frombits(u)
}

var dfFloatDom = dfIv{dfFloatPt(-math.MaxFloat64), dfFloatPt(math.MaxFloat64)}

func dfFormatFloat(p dfPt) string {
	return strconv.FormatFloat(dfPtFloat(p), 'f', -1, 64)
}

// Dates: nanoseconds since the epoch, signed, offset by 2^127.

func dfTimePt(t time.Time) dfPt {
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	// sec*1e9 + nsec as a 128-bit two's complement number.
	neg := sec < 0
	us := uint64(sec)
	if neg {
		us = uint64(-sec)
	}
	hi, lo := bits.Mul64(us, 1e9)
	if neg {
		// Negate the 128-bit value.
		lo, hi = ^lo, ^hi
		var c uint64
		lo, c = bits.Add64(lo, 1, 0)
		hi += c
	}
	var c uint64
	lo, c = bits.Add64(lo, uint64(nsec), 0)
	hi += c
	return dfPt{hi ^ (1 << 63), lo}
}

func dfPtTime(p dfPt) (time.Time, bool) {
	hi, lo := p.hi^(1<<63), p.lo
	neg := hi>>63 == 1
	if neg {
		lo, hi = ^lo, ^hi
		var c uint64
		lo, c = bits.Add64(lo, 1, 0)
		hi += c
	}
	if hi >= 1e9 {
		return time.Time{}, false
	}
	q, r := bits.Div64(hi, lo, 1e9)
	if q > math.MaxInt64/2 {
		return time.Time{}, false
	}
	sec, nsec := int64(q), int64(r)
	if neg {
		sec, nsec = -sec, -nsec
	}
	return time.Unix(sec, nsec).UTC(), true
}

// dfDateDom spans the dates the evaluator reads: epoch seconds up to 2^40
// either way.
var dfDateDom = dfIv{dfTimePt(time.Unix(-(1 << 40), 0)), dfTimePt(time.Unix(1<<40, 0))}

// Addresses.

func dfAddrPt(a netip.Addr) dfPt {
	b := a.As16()
	var p dfPt
	for i := range 8 {
		p.hi = p.hi<<8 | uint64(b[i])
		p.lo = p.lo<<8 | uint64(b[8+i])
	}
	return p
}

func dfPtAddr(p dfPt) netip.Addr {
	var b [16]byte
	for i := range 8 {
		b[7-i] = byte(p.hi >> (8 * i))
		b[15-i] = byte(p.lo >> (8 * i))
	}
	return netip.AddrFrom16(b).Unmap()
}

// dfMapped is ::ffff:0:0/96, where IPv4 addresses live.
var dfMapped = dfIv{dfPt{0, 0xffff << 32}, dfPt{0, 0xffff<<32 | 0xffffffff}}

// dfPrefixIvs is the set of requests a CIDR block matches: an IPv4 block
// its mapped range, an IPv6 block its range without the IPv4-mapped
// addresses (a request never reads as one).
func dfPrefixIvs(p netip.Prefix) dfIvs {
	p = p.Masked()
	lo := dfAddrPt(p.Addr())
	bitsLeft := 128 - p.Bits()
	if p.Addr().Is4() {
		bitsLeft = 32 - p.Bits()
	}
	hi := lo
	for i := range bitsLeft {
		if i < 64 {
			hi.lo |= 1 << i
		} else {
			hi.hi |= 1 << (i - 64)
		}
	}
	s := dfIvs{{lo, hi}}
	if p.Addr().Is4() {
		return s
	}
	return dfIntersectIvs(s, dfComplementIvs(dfIvs{dfMapped}, dfIv{dfPt{}, dfMaxPt}))
}
