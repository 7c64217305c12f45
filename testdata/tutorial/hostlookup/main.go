// Hostlookup is the gevent tutorial's DNS example in plain Go: one
// goroutine per lookup, results gathered over channels and printed in job
// order. Under gopatch each goroutine is a greenlet and net.LookupHost runs
// on rt's offload pool, so the lookups overlap without blocking the hub,
// as gevent's socket.gethostbyname does on its threadpool. The host is
// localhost, so the example needs no network.
package main

import (
	"fmt"
	"net"
	"slices"
)

type result struct {
	job   int
	found bool
	err   error
}

func main() {
	hosts := []string{"localhost", "localhost", "localhost"}
	results := make(chan result)
	for i, h := range hosts {
		go func() {
			addrs, err := net.LookupHost(h)
			results <- result{i, slices.Contains(addrs, "127.0.0.1"), err}
		}()
	}
	found := make([]result, len(hosts))
	for range hosts {
		r := <-results
		found[r.job] = r
	}
	for i, r := range found {
		if r.err != nil {
			fmt.Printf("job %d: %s: %v\n", i, hosts[i], r.err)
			continue
		}
		fmt.Printf("job %d: %s has 127.0.0.1: %v\n", i, hosts[i], r.found)
	}
}
