// Command http_post_expect posts a large body with Expect: 100-continue to a handler that reads it all, and one the handler refuses without reading.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/refuse" {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		n, err := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "read %d %v", n, err)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Second}}
	for _, path := range []string{"/read", "/refuse"} {
		req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+path, bytes.NewReader(make([]byte, 1<<20)))
		req.Header.Set("Expect", "100-continue")
		resp, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(path, resp.StatusCode, string(b))
	}
}
