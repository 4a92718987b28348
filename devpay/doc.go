// Package devpay models Amazon DevPay's product-based restriction on S3
// data: the products a host knows ([Product], [Catalog]), the DevPay tokens
// a request carries ([Tokens], [ParseTokens]), the customers' subscriptions
// ([Status], [Subscriptions], [MemorySubscriptions]) and the restriction
// itself ([Catalog.Check]), a gate that runs before, and in addition to,
// the ordinary ACL and policy checks.
//
// # The rules
//
// The DevPay Developer Guide's page on customer access to stored data and
// its data isolation page, and the S3 Developer Guide's DevPay pages, give
// the rules [Catalog.Check] applies:
//
//   - Data a customer stores through a product is reachable only through
//     that product, and only by its active subscribers. If John stores
//     images through MagicProduct, he reads them through MagicProduct, not
//     through another product and not with his own AWS account used
//     directly.
//   - Products are isolated from one another even when one developer owns
//     both: the guide's page on copying objects forbids copying into a
//     bucket another product created, whoever owns the two. The gate's key
//     is the product, not the developer.
//   - S3 access control still applies, independently. If John's ACL grants
//     his mother, she can read his images only after buying MagicProduct
//     herself, and only through it. The gate lets her through; the ACL
//     decides whether she may read. Both must allow.
//   - A product binds the buckets it creates and every object in them
//     (rule DP-6): the guide's page on a desktop product's overall process
//     says that once the product has created a customer's bucket and put
//     objects in it, only the product can reach that bucket and the
//     objects in it. The product an object is bound to is its bucket's,
//     whether or not the object's own record names it.
//   - Cancelling ends access through every path, and so does not paying:
//     access is turned off. Resuming payment, or subscribing again, makes
//     the gate pass again; whether the data is still there is the host's
//     retention policy.
//
// A host resolves the request's tokens to the product it came through and
// the customer's account (with the License Service or its own records),
// reads the product code stamped on the bucket at its creation — for an
// object too: the bucket's product binds it — and calls
//
//	res := catalog.Check(ctx, bucket.Product, via, customerAccount, subs)
//	if !res.Allowed {
//		return accessDenied(res.Reason) // "devpay-wrong-product", ...
//	}
//	// then the ACL and policy checks, which must allow as well
//
// [ProductCode] and [AccountID] are the types package ownership uses for
// the same identifiers (ownership.Bucket.Product, ownership.AccountID):
// both packages name one type, so a bucket record's product and a caller's
// account pass to Check without conversion.
//
// The package's examples (ParseTokens, Catalog.Check) run as tests.
//
// # Tokens
//
// Tokens travel in x-amz-security-token: a user token prefixed
// "{UserToken}" and, optionally, a product token prefixed
// "{ProductToken}", in two values (two headers, two POST form fields) or
// one comma-joined value. [ParseTokens] reads them; resolving them is the
// host's job, and they identify rather than authenticate: the request
// signature authenticates.
//
// # Choices
//
// Where the DevPay documentation is silent, this package chooses:
//
//   - Token parsing is order-insensitive. Every value is split on ',' and
//     each piece trimmed of spaces and tabs, so that two headers and one
//     comma-joined header read the same, as they sign the same. Empty
//     pieces are skipped. The prefixes compare case-sensitively; a prefix
//     in the wrong case, a prefix with nothing after it, a token with a
//     space, control character or non-ASCII byte in it, or one longer than
//     [MaxTokenBytes], is malformed. A second token of a kind is an error,
//     even when identical to the first. A user token alone is accepted, as
//     web products may send it; whether the product token may be left out
//     (it may not for desktop products and for user tokens from before 15
//     May 2008) is for the host to decide once it has resolved the user
//     token.
//   - x-amz-security-token also carries STS session tokens. A value with
//     no DevPay piece at all is not a DevPay request ([ErrNotDevPay]); DevPay
//     tokens next to any other piece are refused ([ErrMixedTokens]).
//   - The developer of a product gets no implicit access to the data its
//     customers store: that data belongs to the customers, and the data
//     isolation page tells the developer it cannot read or modify it
//     "unless you modify the ACL". The documentation does not say whether
//     such an ACL grant lets the developer in; this package's answer is
//     that the developer's account passes the gate ([ReasonDeveloper])
//     through the product itself, without needing a subscription, and the
//     ACL or policy check that follows must still grant it. A developer's
//     direct request, or one through another of its products, is denied
//     like anyone's.
//   - An object record naming a product, in a bucket created through
//     another product or through none, contradicts DP-6: the records are
//     wrong, and the host should refuse the request rather than pick one
//     (package evaluate denies with its ErrInvalidRecord).
//   - A request through a product to a resource stored outside any product
//     is denied ([ReasonProductOnUnboundResource]): data stays inside the
//     product, and is neither copied out to a plain bucket nor read from
//     one through it.
//   - An ACL or policy granting AllUsers or AuthenticatedUsers on product
//     data means nothing unless the request first passes the gate: an
//     anonymous request carries no user token and is denied, so such a
//     grant reaches at most the product's active subscribers (and its
//     developer), each through the product.
//   - A pending subscription is no subscription ([ReasonNotSubscribed]):
//     activating a product does not make its subscription active.
//   - The gate fails closed: a missing Subscriptions source, an error from
//     it, a context done before the lookup, an answer of [StatusUnknown] or
//     a status outside the named ones deny with [ReasonSubscriptionError],
//     except that StatusUnknown from a [Complete] source, such as
//     MemorySubscriptions, means never subscribed. The context passed to
//     Check reaches the source, which stops a lookup when it is done.
//   - Subscription status is the host's to fetch and to cache, for as long
//     as it deems right; [Catalog.Check] asks its Subscriptions on every
//     call and keeps nothing.
//   - For a pre-signed URL, the host passes the signer's account and
//     product: the signer's subscription is what counts when the URL is
//     used.
//   - Tokens are secrets and are never logged: [Tokens] print, and log with
//     log/slog, as a fingerprint (the first 8 bytes of a SHA-256, see
//     [Tokens.Fingerprint]) and no error holds token text; errors name the
//     offending piece by position ("values[1][0]") instead.
//   - Check returns reasons, not S3 error codes: which HTTP status and
//     error code a denial gets is the caller's choice. Bucket quotas,
//     filtering bucket listings by product, and the ownership of objects
//     written into another customer's bucket are outside this package.
//
// # Concurrency and zero values
//
// [ProductCode], [AccountID], [Product], [Status], [Reason], [Result] and
// [Tokens] are plain immutable values, safe to share. A [Catalog] is
// immutable once [NewCatalog] returns it; its methods are safe to call
// concurrently. A [MemorySubscriptions] is synchronized with a read-write
// mutex: any number of goroutines may check subscriptions while others
// subscribe, cancel, suspend or resume; it must not be copied after first
// use.
//
// Zero values fail closed or hold nothing: the zero [Status] is
// StatusUnknown, which Check denies; the zero [Reason] is ReasonUnknown and
// the zero [Result] denies; the zero [Tokens] holds no token; a nil or
// zero [Catalog] holds no product, so Check denies all product-bound data;
// the zero [MemorySubscriptions] holds no subscription and is ready for
// use.
//
// # Allocation
//
// These do not allocate: [Catalog.Check] (with a Subscriptions that does
// not, such as MemorySubscriptions), [Catalog.Lookup],
// [MemorySubscriptions.Status], [Tokens.User], [Tokens.Product],
// [Tokens.Fingerprint], and the String methods of valid Status and Reason
// values.
//
// # Errors
//
// Every error is an [*Error] wrapping exactly one sentinel (ErrNoTokens,
// ErrMalformedToken, ErrInvalidProductCode, ...) for errors.Is. Its Field
// names the argument or token piece at fault. Messages read
//
//	devpay: invalid product code "Magic Product": want ASCII letters, digits, '-', '_' and '.'
//	devpay: values[1][0]: duplicate token: a second user token; the first is values[0][0]
//
// with product codes and account IDs quoted and cut to 64 bytes, and token
// text never included.
package devpay
