// Command http_streaming has a handler flush five chunks with pauses while the client reads each one as it arrives.
package main

import (
	"bufio"
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
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := w.(http.Flusher)
		for i := range 5 {
			fmt.Fprintf(w, "chunk %d\n", i)
			f.Flush()
			time.Sleep(10 * time.Millisecond)
		}
	})}
	go srv.Serve(ln)
	resp, err := http.Get("http://" + ln.Addr().String())
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	fmt.Println("transfer encoding:", resp.TransferEncoding)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		fmt.Println("got", sc.Text())
	}
	srv.Close()
}
