// Command http_shutdown shuts a server down gracefully while a slow request is in flight: the request completes, new ones are refused.
package main

import (
	"context"
	"errors"
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
	started := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(100 * time.Millisecond)
		io.WriteString(w, "finished")
	})}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	result := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			result <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		result <- string(b)
	}()
	<-started
	err = srv.Shutdown(context.Background())
	fmt.Println("shutdown:", err)
	fmt.Println("in-flight request:", <-result)
	fmt.Println("serve returned ErrServerClosed:", errors.Is(<-served, http.ErrServerClosed))
	_, err = http.Get("http://" + ln.Addr().String())
	fmt.Println("new request refused:", err != nil)
}
