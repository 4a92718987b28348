package analysis

// ReportDiff is what changed between a baseline access report and a
// current one (shared/spec/analysis.md §4.5): the findings only the
// current report has, those only the baseline has, and those both have
// whose BlockedBy differs. Findings are matched by (principal, source),
// the source in its String form.
type ReportDiff struct {
	// Added are the current report's findings the baseline lacks.
	Added []AccessFinding
	// Removed are the baseline's findings the current report lacks.
	Removed []AccessFinding
	// Changed are the findings of both whose BlockedBy differs.
	Changed []FindingChange
}

// FindingChange is one finding of both reports whose neutralisation
// changed.
type FindingChange struct {
	Baseline, Current AccessFinding
}

// Empty reports whether nothing changed.
func (d ReportDiff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// DiffReports compares a baseline access report (typically one stored at
// the last quarterly review) with a current one of the same bucket. A nil
// report has no findings. Each list keeps the order of the report it comes
// from. It does not compare actions, resources or conditions of matched
// findings: a finding whose grant changed under the same principal and
// source is a matter for the configuration diff (§5.6). Recording when each
// report was made is the caller's: reports carry no time, so that a review
// stays deterministic.
func DiffReports(baseline, current *AccessReport) ReportDiff {
	var base, cur []AccessFinding
	if baseline != nil {
		base = baseline.Findings
	}
	if current != nil {
		cur = current.Findings
	}
	key := func(f *AccessFinding) string { return f.Principal + "\x00" + f.Source.String() }
	old := make(map[string]*AccessFinding, len(base))
	for i := range base {
		old[key(&base[i])] = &base[i]
	}
	seen := make(map[string]bool, len(cur))
	var d ReportDiff
	for i := range cur {
		k := key(&cur[i])
		seen[k] = true
		b, ok := old[k]
		switch {
		case !ok:
			d.Added = append(d.Added, cur[i])
		case b.BlockedBy != cur[i].BlockedBy:
			d.Changed = append(d.Changed, FindingChange{Baseline: *b, Current: cur[i]})
		}
	}
	for i := range base {
		if !seen[key(&base[i])] {
			d.Removed = append(d.Removed, base[i])
		}
	}
	return d
}
