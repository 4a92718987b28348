package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/s3authz/s3authz/scenario"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "s3gateway:", err)
		os.Exit(1)
	}
}

// run parses the flags, starts the gateway and serves until interrupted.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("s3gateway", flag.ContinueOnError)
	fs.SetOutput(stderr)
	worldFile := fs.String("world", "", "scenario file of the world to serve (required)")
	credsFile := fs.String("creds", "", "credentials file: access keys and DevPay tokens (required)")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	auditFile := fs.String("audit", "", "file the chained decision log is appended to (default: a new temporary file)")
	endpoint := fs.String("endpoint", "s3.localhost", "host name served in virtual-hosted style, BUCKET.ENDPOINT")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *worldFile == "" || *credsFile == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("-world and -creds are required")
	}
	s, err := scenario.Load(*worldFile)
	if err != nil {
		return err
	}
	signed := map[string]bool{}
	for n, c := range s.Callers() {
		signed[n] = !c.Principal.IsAnonymous()
	}
	creds, err := loadCredentials(*credsFile, signed)
	if err != nil {
		return err
	}
	var logFile *os.File
	if *auditFile == "" {
		logFile, err = os.CreateTemp("", "s3gateway-audit-*.log")
	} else {
		logFile, err = os.OpenFile(*auditFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	}
	if err != nil {
		return err
	}
	defer logFile.Close()
	key := make([]byte, 32)
	_, _ = rand.Read(key) // a key per run: pseudonyms correlate within one log
	g, err := newGateway(s, creds, options{Endpoints: []string{*endpoint}, Audit: logFile, AuditKey: key, Alarms: stderr})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	fmt.Fprintf(stdout, "s3gateway: serving %s\n", *worldFile)
	fmt.Fprintf(stdout, "endpoint (path style):           http://%s\n", ln.Addr())
	fmt.Fprintf(stdout, "endpoint (virtual-hosted style): http://%s:%d\n", *endpoint, port)
	fmt.Fprintf(stdout, "region: us-east-1\n")
	fmt.Fprintf(stdout, "audit log: %s\n", logFile.Name())
	srv := &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		_ = g.Close()
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	if cerr := g.Close(); err == nil {
		err = cerr
	}
	return err
}
