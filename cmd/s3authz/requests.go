package main

import (
	"fmt"

	"github.com/s3authz/s3authz/internal/reqcase"
	"github.com/s3authz/s3authz/internal/valcase"
)

// caseMapper is the mapper configuration the format prescribes: the AWS
// endpoint forms plus s3.example.com, CNAME addressing on.
var caseMapper = reqcase.Mapper()

// requestResult is the result line of one request-mapping or validation
// case.
type requestResult struct {
	File  string `json:"file"`
	Case  string `json:"case"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	// Diff is the first difference from the expectation, "" when OK.
	Diff string `json:"diff,omitempty"`
}

// runRequestFile runs every case of a request-mapping file.
func runRequestFile(t *tester, file string, data []byte) {
	runLines(t, file, data, func(line []byte) (requestResult, error) {
		c, err := reqcase.Parse(line)
		if err != nil {
			return requestResult{}, err
		}
		res := requestResult{Case: c.Name}
		diff, mapErr, caseErr := c.Run(caseMapper)
		switch {
		case caseErr != nil:
			res.Diff = "case is not a request: " + caseErr.Error()
		default:
			if mapErr != nil {
				res.Error = mapErr.Error()
			}
			res.Diff = diff
		}
		return res, nil
	})
}

// runValidateFile runs every case of a policy validation corpus
// (ANALYSIS-FORMAT.md §1) through analysis.Validate.
func runValidateFile(t *tester, file string, data []byte) {
	runLines(t, file, data, func(line []byte) (requestResult, error) {
		c, err := valcase.Parse(line)
		if err != nil {
			return requestResult{}, err
		}
		diff, err := c.Run()
		if err != nil {
			diff = "case cannot be run: " + err.Error()
		}
		return requestResult{Case: c.Name, Diff: diff}, nil
	})
}

// runLines runs the cases of a JSON lines file, one a line: run parses and
// runs one (an error is the line's load error), and runLines prints and
// counts the result, OK when it has no Diff.
func runLines(t *tester, file string, data []byte, run func(line []byte) (requestResult, error)) {
	n := 0
	eachLine(data, func(b []byte) bool {
		n++
		res, err := run(b)
		if err != nil {
			t.loadError(file, fmt.Errorf("%s:%d: %w", file, n, err))
			return true
		}
		res.File, res.OK = file, res.Diff == ""
		t.encode(res)
		if res.OK {
			t.passed++
		} else {
			t.failed++
			if !t.jsonOnly {
				fmt.Fprintf(t.stdout, "  FAILED %s %s: %s\n", file, res.Case, res.Diff)
			}
		}
		return true
	})
}
