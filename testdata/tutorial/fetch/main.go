// Command fetch is the gevent tutorial's fetch example as plain Go: an HTTP server on
// loopback whose handler sleeps 200 ms, and ten goroutines that each fetch
// from it. Run natively, or as greenlets on one hub under gopatch run, the
// ten answers come back together, in about 200 ms, not ten times that.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond)
		fmt.Fprintf(w, "hello %s", r.URL.Query().Get("n"))
	})}
	go srv.Serve(ln)

	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var answers []string
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(fmt.Sprintf("http://%s/?n=%d", ln.Addr(), i))
			if err != nil {
				panic(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			mu.Lock()
			answers = append(answers, string(b))
			mu.Unlock()
		}()
	}
	wg.Wait()
	took := time.Since(start)
	srv.Close()
	sort.Strings(answers)
	for _, a := range answers {
		fmt.Println(a)
	}
	fmt.Println("together, in well under 10 x 200 ms:", took < time.Second)
}
