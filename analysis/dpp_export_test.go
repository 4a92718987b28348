package analysis

// ProfileWithoutReview runs the profile's checks that do not read the
// access review — Block Public Access, ACLs and the three proofs — so the
// corpus can pin them on their own; nil when the bucket is missing.
func ProfileWithoutReview(w *World, bucket string) []ProfileFinding {
	b := w.bucket(bucket)
	if b == nil {
		return nil
	}
	var out []ProfileFinding
	for _, f := range []*ProfileFinding{
		checkBPA(w, b),
		checkACLs(b),
		checkProof(bucketPolicy(b), b.Record.Name, violationInsecureTransport),
		checkProof(bucketPolicy(b), b.Record.Name, violationOldTLS),
		checkProof(bucketPolicy(b), b.Record.Name, violationNoSSE),
	} {
		if f != nil {
			out = append(out, *f)
		}
	}
	return out
}

// ProfileOfReport runs every check of the profile on bucket with r
// standing for its access review; nil when the bucket is missing.
func ProfileOfReport(w *World, bucket string, r *AccessReport) []ProfileFinding {
	b := w.bucket(bucket)
	if b == nil {
		return nil
	}
	return profileOf(w, b, r)
}
