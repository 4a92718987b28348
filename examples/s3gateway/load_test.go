package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/evaluate"
	"github.com/s3authz/s3authz/s3request"
)

// The load: loadClients SDK clients at once — bob and anonymous, path and
// virtual-hosted style — sending loadRequests requests in all, a mix of
// reads, listings, uploads and a refused read, each checked.
const (
	loadClients  = 8
	loadRequests = 2000
)

// loadResult is what one load run measured.
type loadResult struct {
	requests  int
	elapsed   time.Duration
	latencies []time.Duration // sorted
	// decisions counts the checks the middleware evaluated; records the
	// decision records of the audit log, which must verify.
	decisions int64
	records   int
	// authz is the time spent in the middleware outside the S3 handler —
	// mapping, store lookups, evaluation and audit records — over all
	// requests; zero with authorization off.
	authz time.Duration
}

func (r loadResult) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r loadResult) percentile(p float64) time.Duration {
	return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
}

func (r loadResult) mean() time.Duration {
	var sum time.Duration
	for _, l := range r.latencies {
		sum += l
	}
	return sum / time.Duration(len(r.latencies))
}

// loadCall is one request of the mix: it fails when the outcome is not
// the expected one, which for a refused request depends on whether
// authorization is on.
type loadCall func(ctx context.Context, c *s3.Client, i int, authorize bool) error

// readPublic reads a public object to its end.
func readPublic(ctx context.Context, c *s3.Client, _ int, _ bool) error {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg")})
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, out.Body)
	out.Body.Close()
	return err
}

// loadMix is the request mix, by client: bob reads, lists, heads and
// uploads to his team's folder; anonymous reads public objects and is
// refused a private one.
var loadMix = map[string][]loadCall{
	"bob": {
		readPublic,
		func(ctx context.Context, c *s3.Client, i int, _ bool) error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("uploads/web/load-" + strconv.Itoa(i)),
				Body: bytes.NewReader([]byte("load test object " + strconv.Itoa(i)))})
			return err
		},
		func(ctx context.Context, c *s3.Client, _ int, _ bool) error {
			_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("photos"), Prefix: aws.String("public/")})
			return err
		},
		func(ctx context.Context, c *s3.Client, _ int, _ bool) error {
			_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("photos"), Key: aws.String("public/cat.jpg")})
			return err
		},
	},
	"anonymous": {
		readPublic,
		func(ctx context.Context, c *s3.Client, _ int, authorize bool) error {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("private/diary.txt")})
			if err == nil {
				out.Body.Close()
			}
			want := "AccessDenied 403"
			if !authorize {
				want = "ok"
			}
			if got := outcome(err); got != want {
				return fmt.Errorf("anonymous GetObject private/diary.txt: %s, want %s", got, want)
			}
			return nil
		},
	},
}

// runLoad starts a gateway (with authorization on or off) and drives it
// with the load, returning what it measured. With authorization on, it
// counts the middleware's decisions and verifies the audit log.
func runLoad(t testing.TB, authorize bool, requests int) loadResult {
	var decisions atomic.Int64
	e := newEnvWith(t, func(o *options) {
		o.withoutAuthorization = !authorize
		// The load is not an attack: no alarm thresholds.
		o.Monitor = audit.MonitorOptions{}
	})
	var inMiddleware, inHandler atomic.Int64 // nanoseconds
	if authorize {
		e.gw.mw.OnDecision = func(*http.Request, *s3request.Operation, int, evaluate.Decision, *evaluate.Diagnostic) {
			decisions.Add(1)
		}
		// Time the middleware and, inside it, the S3 handler: the
		// difference is what authorization costs.
		handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t0 := time.Now()
			e.gw.serveS3(w, r)
			inHandler.Add(int64(time.Since(t0)))
		})
		mw := e.gw.mw.Wrap(handler)
		e.gw.next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t0 := time.Now()
			mw.ServeHTTP(w, r)
			inMiddleware.Add(int64(time.Since(t0)))
		})
	}
	type client struct {
		c     *s3.Client
		calls []loadCall
	}
	var clients []client
	for i := range loadClients {
		who := []string{"bob", "anonymous"}[i%2]
		style := []string{"path", "virtual"}[(i/2)%2]
		clients = append(clients, client{c: e.client(who, style), calls: loadMix[who]})
	}
	var (
		next    atomic.Int64
		mu      sync.Mutex
		lat     = make([]time.Duration, 0, requests)
		wg      sync.WaitGroup
		failure atomic.Value
	)
	ctx := context.Background()
	start := time.Now()
	for _, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= requests {
					return
				}
				call := cl.calls[i%len(cl.calls)]
				t0 := time.Now()
				err := call(ctx, cl.c, i, authorize)
				d := time.Since(t0)
				if err != nil {
					failure.CompareAndSwap(nil, fmt.Sprintf("request %d: %v", i, err))
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if f := failure.Load(); f != nil {
		t.Fatal(f)
	}
	slices.Sort(lat)
	res := loadResult{requests: len(lat), elapsed: elapsed, latencies: lat, decisions: decisions.Load(),
		authz: time.Duration(inMiddleware.Load() - inHandler.Load())}
	if authorize {
		if err := e.gw.Close(); err != nil {
			t.Fatal(err)
		}
		rep, err := audit.Verify(bytes.NewReader(e.audit.Bytes()), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Intact {
			t.Fatalf("the audit log does not verify: line %d: %s", rep.Line, rep.Detail)
		}
		res.records = rep.Records
	}
	return res
}

// TestLoadLosesNothing: under concurrent load every request is decided
// and every decision is in the audit log, whose chain verifies.
func TestLoadLosesNothing(t *testing.T) {
	const requests = 400
	res := runLoad(t, true, requests)
	if res.requests != requests {
		t.Fatalf("%d requests served, want %d", res.requests, requests)
	}
	if res.decisions < requests {
		t.Errorf("%d decisions for %d requests: some request was not decided", res.decisions, requests)
	}
	if int64(res.records) != res.decisions {
		t.Errorf("%d decision records in the audit log, %d decisions taken", res.records, res.decisions)
	}
	t.Logf("%d requests, %d decisions, %d records, chain intact", res.requests, res.decisions, res.records)
}

// BenchmarkLoad drives loadClients concurrent SDK clients against the
// gateway on loopback for loadRequests requests, with authorization on and
// then off, alternately, and reports requests per second, the 50th and 99th
// percentile latency of each, and the share of the mean request time that
// authorization (mapping, store lookups, evaluation and the audit record)
// accounts for. Run it with -benchtime=3x for three bounded runs of each,
// after a warm-up run of a tenth of the requests.
func BenchmarkLoad(b *testing.B) {
	var on, off []loadResult
	// A short run of each first, so that neither measured run pays for
	// the other's warm-up (connections, the SDK's caches, the heap).
	runLoad(b, true, loadRequests/10)
	runLoad(b, false, loadRequests/10)
	for b.Loop() {
		on = append(on, runLoad(b, true, loadRequests))
		off = append(off, runLoad(b, false, loadRequests))
	}
	report := func(name string, rs []loadResult) time.Duration {
		var rps float64
		var p50, p99, mean time.Duration
		for _, r := range rs {
			rps += r.perSecond()
			p50 += r.percentile(0.50)
			p99 += r.percentile(0.99)
			mean += r.mean()
		}
		n := len(rs)
		b.ReportMetric(rps/float64(n), name+"-req/s")
		b.ReportMetric(float64(p50.Microseconds())/float64(n), name+"-p50-µs")
		b.ReportMetric(float64(p99.Microseconds())/float64(n), name+"-p99-µs")
		return mean / time.Duration(n)
	}
	meanOn, meanOff := report("authz", on), report("noauthz", off)
	// Two measures of what authorization costs: the difference of the mean
	// request times with it on and off (noisy: both runs share two cores
	// with the clients), and the time measured inside the middleware
	// outside the handler, as a share of the mean request time the
	// clients saw.
	b.ReportMetric(100*float64(meanOn-meanOff)/float64(meanOn), "on-off-%")
	var authz time.Duration
	var requests int
	for _, r := range on {
		authz += r.authz
		requests += r.requests
	}
	perRequest := authz / time.Duration(requests)
	b.ReportMetric(float64(perRequest.Nanoseconds())/1000, "authz-µs/req")
	b.ReportMetric(100*float64(perRequest)/float64(meanOn), "authz-%")
	for _, r := range on {
		if int64(r.records) != r.decisions || r.decisions < int64(r.requests) {
			b.Fatalf("%d requests, %d decisions, %d records: something was not logged", r.requests, r.decisions, r.records)
		}
	}
}
