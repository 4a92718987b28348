package evaluate

// Programs returns the number of distinct CEL programs the policy's
// condition blocks compiled to, for the tests of Prepare's sharing.
func Programs(p *Prepared) int { return p.programs }
