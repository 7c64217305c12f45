// Command http_keepalive sends twenty sequential requests through one keep-alive connection and counts the connections the server saw.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	var conns atomic.Int32
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "path %s", r.URL.Path)
		}),
		ConnState: func(c net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		},
	}
	go srv.Serve(ln)
	client := &http.Client{}
	ok := 0
	for i := range 20 {
		resp, err := client.Get(fmt.Sprintf("http://%s/%d", ln.Addr(), i))
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) == fmt.Sprintf("path /%d", i) {
			ok++
		}
	}
	srv.Close()
	fmt.Println("answers:", ok, "connections:", conns.Load())
}
