// Package ownership will model who owns a bucket or an object and how the
// bucket's Object Ownership setting decides it. It has no API yet.
package ownership
