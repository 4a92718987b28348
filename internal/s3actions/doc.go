// Package s3actions is the one table of what the module knows about each S3
// action: its name, the kind of resource it applies to, its access level,
// the condition keys its row of the Service Authorization Reference puts in
// the request context, the ACL permission that grants it on a bucket ACL
// and on an object ACL, and the traits the evaluator treats specially (the
// bucket owner's powers over objects it does not own, setting an ACL,
// reading or changing the bucket policy, creating a bucket).
//
// Packages policy, acl, ownership, evaluate and analysis read their views
// of S3 actions from this table by index; [Lookup] is the one place an
// action name is matched, without regard to ASCII case. An action's index
// is its position in the table, sorted by lower-case name, from 0 to
// [Count]-1; it is the same as policy.ActionInfo.Index and may change from
// one release to the next as actions are added.
//
// The table is constant: it is built at compile time (the hash index over
// its names once, at package initialization) and never modified, so every
// function here is safe for concurrent use. [Lookup], [At] and the methods
// of [Action] do not allocate. The zero [Action] is no action: it has no
// name, [ResourceUnknown], no keys, no ACL permission and no trait.
package s3actions
