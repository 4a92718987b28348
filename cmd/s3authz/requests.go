package main

import (
	"fmt"

	"github.com/s3authz/s3authz/internal/reqcase"
	"github.com/s3authz/s3authz/internal/valcase"
)

// caseMapper is the mapper configuration the format prescribes: the AWS
// endpoint forms plus s3.example.com, CNAME addressing on.
var caseMapper = reqcase.Mapper()

// requestResult is the result line of one request-mapping case.
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
	line := 0
	eachLine(data, func(b []byte) bool {
		line++
		c, err := reqcase.Parse(b)
		if err != nil {
			t.loadError(file, fmt.Errorf("%s:%d: %w", file, line, err))
			return true
		}
		res := requestResult{File: file, Case: c.Name}
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
		res.OK = res.Diff == ""
		t.encode(res)
		if res.OK {
			t.passed++
		} else {
			t.failed++
			if !t.jsonOnly {
				fmt.Fprintf(t.stdout, "  FAILED %s %s: %s\n", file, c.Name, res.Diff)
			}
		}
		return true
	})
}

// runValidateFile runs every case of a policy validation corpus
// (ANALYSIS-FORMAT.md §1) through analysis.Validate.
func runValidateFile(t *tester, file string, data []byte) {
	line := 0
	eachLine(data, func(b []byte) bool {
		line++
		c, err := valcase.Parse(b)
		if err != nil {
			t.loadError(file, fmt.Errorf("%s:%d: %w", file, line, err))
			return true
		}
		res := requestResult{File: file, Case: c.Name}
		diff, err := c.Run()
		if err != nil {
			diff = "case cannot be run: " + err.Error()
		}
		res.Diff, res.OK = diff, diff == ""
		t.encode(res)
		if res.OK {
			t.passed++
		} else {
			t.failed++
			if !t.jsonOnly {
				fmt.Fprintf(t.stdout, "  FAILED %s %s: %s\n", file, c.Name, res.Diff)
			}
		}
		return true
	})
}
