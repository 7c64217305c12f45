// Command hello is the HTTP benchmark's server: plain net/http, "Hello,
// World!" at /, and the same after 50 ms at /slow. bench/http.sh builds it
// natively and with gopatch and serves it on the address given.
package main

import (
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "Hello, World!")
	})
	http.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
		io.WriteString(w, "Hello, World!")
	})
	if err := http.ListenAndServe(os.Args[1], nil); err != nil {
		panic(err)
	}
}
