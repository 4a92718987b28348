// Package layout holds no code: its test checks the import rules of the
// module's packages.
//
// Packages policy, acl, devpay and ownership are leaves: none imports
// another of the four (packages under internal/ are shared freely). Only
// package evaluate compiles conditions with cel-go, so no other package
// imports it. Packages scenario and cmd/s3authz consume all of them. The
// leaves share identifier types through internal/ids instead of importing
// each other.
package layout
