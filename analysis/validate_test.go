package analysis

import (
	"bytes"
)

// conformancePath is the public validation corpus beside the repository.
const conformancePath = "../../shared/conformance/analysis/validate.jsonl"

// hasFinding reports whether rep holds a finding of code and type with a
// location at ptr, as the validation corpus format matches them.
func hasFinding(rep *Report, code, typ, ptr string) bool {
	for _, f := range rep.Findings {
		if f.Code != code || f.Type.String() != typ {
			continue
		}
		for _, l := range f.Locations {
			if l.Pointer == ptr {
				return true
			}
		}
	}
	return false
}

func summary(rep *Report) string {
	var b bytes.Buffer
	for _, f := range rep.Findings {
		b.WriteString(f.Type.String() + " " + f.Code + " @" + f.Locations[0].Pointer + "; ")
	}
	return b.String()
}
