// Package scenario loads and runs S3 authorization scenarios: small worlds
// of accounts, principals with their policies, buckets with policies, ACLs
// and objects, DevPay products and subscriptions, and the requests to
// decide in them, each with the decision expected. It is the fixture
// language for tests of code built on s3authz, and the format of the
// public conformance corpus.
//
// [Load] (or [LoadFS], [Parse]) reads a file of format version 1 as
// strictly as the policy and ACL parsers read theirs: unknown fields,
// duplicate members, wrong types, undeclared principals, buckets, products
// and accounts, object actions without a key and bucket actions with one,
// bad account IDs and bad times, and an object naming another DevPay
// product than its bucket's are errors, each an [*Error] naming the
// file and the JSON pointer of the bad value. Embedded policies go through
// policy.Parse and evaluate.Prepare and ACLs through acl.Parse or
// acl.Canned, and their own errors (with the policy's JSON pointer or the
// ACL's element path) are wrapped. The world is built once per file; every
// request runs through the public evaluate.Evaluate, with nothing specific
// to scenarios in the evaluator.
//
// [Test] runs files or folders as subtests of a *testing.T, one per
// request; [Scenario.Run] returns [Result]s for other runners, such as
// the test and explain subcommands of cmd/s3authz.
//
// A loaded scenario also hands its world to other hosts: [Scenario.World]
// for the analyses of package analysis, [Scenario.Callers],
// [Scenario.Products] and [Scenario.Subscriptions] for a server configured
// from the same fixtures, and [Scenario.Position] for tools that point at
// a value of the file (FILE:LINE:COL).
//
// Choices: a bucket's objectOwnership defaults to BucketOwnerEnforced, as
// for new S3 buckets; an object's owner defaults to the bucket owner; an
// object's product may be left out, as the bucket's product binds every
// object in it (DevPay rule DP-6), and when given must be the bucket's; a
// principal is subscribed through its parent account; a request's "body"
// ACL is expanded for the requester's account as the resource owner. Files
// are limited to MaxFileBytes and to 32 levels of nesting below the
// top-level value; invalid UTF-8 and unpaired surrogate escapes are errors.
//
// Loaded scenarios are immutable and their requests may run concurrently;
// the one exception is the subscriptions Subscriptions returns, which a
// host may change (they are safe for concurrent use) and which the
// scenario's own requests then see.
package scenario
