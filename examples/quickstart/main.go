// Command quickstart tells the DevPay story with s3authz: MagicProduct
// stores John's images in S3; only MagicProduct, used by a subscriber, can
// reach them; an ACL grant lets his mother see them once she subscribes
// herself; after John cancels, nobody can.
//
//	go run ./examples/quickstart
//
// Each line is one request, the decision, and the rule that decided it.
package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/s3authz/s3authz/acl"
	"github.com/s3authz/s3authz/devpay"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/ownership"
)

const (
	john, mother, developer = "123400000001", "123400000002", "999900001111"
	johnID                  = "577173384200763536eaf71191069e8ee145bf6f3b4598253438636e841e2a7a"
	motherID                = "b96447dc2ae81eaad4d5bedb6f739596587ace0c4473c10a5c3123df8d3d74c8"
	developerID             = "c90f630f6c9593c9934973b8ddfd693c6a3a9a5e18ddc8ee5c877fc0f728b72b"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	// The accounts, and the two products of one developer.
	dir := &ownership.MemoryDirectory{}
	for _, a := range [][2]string{{john, johnID}, {mother, motherID}, {developer, developerID}} {
		if err := dir.Add(ownership.AccountID(a[0]), ownership.CanonicalID(a[1]), ""); err != nil {
			return err
		}
	}
	products, err := devpay.NewCatalog(
		devpay.Product{Code: "MagicProduct", Owner: developer},
		devpay.Product{Code: "OtherProduct", Owner: developer},
	)
	if err != nil {
		return err
	}
	subs := &devpay.MemorySubscriptions{}
	if err := subs.Subscribe(john, "MagicProduct"); err != nil {
		return err
	}

	// John's bucket and image, stored through MagicProduct. John owns them.
	bucket := &ownership.Bucket{Name: "john-images", Owner: john, Mode: ownership.ObjectWriter, Product: "MagicProduct"}
	image := &ownership.Object{Bucket: "john-images", Key: "cat.jpg", Owner: ownership.AccountOwner(john), Product: "MagicProduct"}
	private, err := acl.Canned("private", acl.Object, acl.User{ID: johnID}, acl.User{ID: johnID})
	if err != nil {
		return err
	}
	ec := evaluate.Context{Bucket: bucket, Object: image, ObjectACL: private, Products: products, Subscriptions: subs, Directory: dir}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tWHO\tTHROUGH\tDECISION\tDECIDED BY")
	ask := func(step, who, account string, through devpay.ProductCode) {
		req := evaluate.Request{
			Principal: ownership.MustParsePrincipal("arn:aws:iam::" + account + ":root"),
			Action:    "s3:GetObject", Bucket: "john-images", Key: "cat.jpg", Product: through,
		}
		d, diag := evaluate.Evaluate(req, ec)
		via := string(through)
		if via == "" {
			via = "(directly)"
		}
		rule := diag.Reason.Stage.String() + ": " + diag.Reason.Code.String()
		if i, ok := diag.Reason.Grant(); ok {
			rule += fmt.Sprintf(" (grant %d)", i)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", step, who, via, d, rule)
	}

	ask("1", "John", john, "MagicProduct")
	ask("2", "John", john, "OtherProduct")
	ask("3", "John", john, "")
	ask("4", "Mother", mother, "MagicProduct")

	// John grants his mother READ with the ACL.
	shared := *private
	shared.Grants = append(shared.Grants[:len(shared.Grants):len(shared.Grants)],
		acl.Grant{Grantee: acl.Grantee{Type: acl.CanonicalUser, ID: motherID}, Permission: acl.Read})
	ec.ObjectACL = &shared
	ask("5", "Mother (granted)", mother, "MagicProduct")

	// She buys MagicProduct.
	if err := subs.Subscribe(mother, "MagicProduct"); err != nil {
		return err
	}
	ask("6", "Mother (subscribed)", mother, "MagicProduct")
	ask("7", "Mother (subscribed)", mother, "")
	ask("8", "Developer", developer, "")

	// John cancels: his data is out of reach, whoever asks.
	subs.Cancel(john, "MagicProduct")
	ask("9", "John (cancelled)", john, "MagicProduct")
	ask("10", "Mother (subscribed)", mother, "MagicProduct")
	return tw.Flush()
}
