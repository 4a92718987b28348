// Package evaluate will decide S3 requests: one Evaluate that combines
// ownership, the DevPay product restriction, ACLs and policies, with
// condition keys compiled to CEL, and explains every decision. It has no
// API yet.
package evaluate
