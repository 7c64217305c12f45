// Command server is a plain net/http server, the example of gopatch's
// worker processes:
//
//	gopatch run -workers 2 -bind 127.0.0.1:8080 ./testdata/tutorial/server -addr 127.0.0.1:8080
//
// Each worker runs this program unchanged; its ListenAndServe gets the
// master's socket. GET /?sleep=200ms answers after that long, with the
// pid of the process that served it; GET /?spin=2s holds its hub that
// long, busy, as a handler stuck in a loop would (the master's -timeout
// kills such a worker).
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if d, err := time.ParseDuration(r.URL.Query().Get("sleep")); err == nil {
			time.Sleep(d)
		}
		if d, err := time.ParseDuration(r.URL.Query().Get("spin")); err == nil {
			for start := time.Now(); time.Since(start) < d; {
			}
		}
		fmt.Fprintf(w, "hello from pid %d\n", os.Getpid())
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
