// Package acl will model S3 access control lists: the AccessControlPolicy
// XML document, canned ACLs, grant headers, and the mapping from ACL
// permissions to S3 actions. It has no API yet.
package acl
