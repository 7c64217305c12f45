// Command http_client_timeout calls a handler that answers after 300 ms with a client whose timeout is 50 ms, and another with no timeout.
package main

import (
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
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(300 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, "slow answer")
	})}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String()
	_, err = (&http.Client{Timeout: 50 * time.Millisecond}).Get(url)
	var ne net.Error
	fmt.Println("short timeout:", errors.As(err, &ne) && ne.Timeout())
	resp, err := (&http.Client{}).Get(url)
	if err != nil {
		panic(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println("no timeout:", string(b))
}
