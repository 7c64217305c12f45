// Command http_request_cancel cancels a request's context while its handler waits: the client gets context.Canceled and the handler sees its request's context done.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	handlerSaw := make(chan error, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			handlerSaw <- r.Context().Err()
		case <-time.After(5 * time.Second):
			handlerSaw <- nil
		}
	})}
	go srv.Serve(ln)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+ln.Addr().String(), nil)
	_, err = http.DefaultClient.Do(req)
	fmt.Println("client:", errors.Is(err, context.Canceled))
	fmt.Println("handler:", <-handlerSaw)
}
