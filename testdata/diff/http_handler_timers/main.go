// Command http_handler_timers starts a timer, an AfterFunc and a context deadline in an HTTP handler that returns at once: the handler runs on a connection goroutine of net/http, which is no greenlet, and all three must still fire.
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"time"
)

func main() {
	fired := make(chan string, 3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.AfterFunc(5*time.Millisecond, func() { fired <- "afterfunc" })
		t := time.NewTimer(5 * time.Millisecond)
		go func() { <-t.C; fired <- "timer" }()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		go func() { defer cancel(); <-ctx.Done(); fired <- "context: " + ctx.Err().Error() }()
		fmt.Fprintln(w, "ok")
	}))
	defer srv.Close()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(srv.URL)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	resp.Body.Close()
	var got []string
	deadline := time.After(5 * time.Second)
	for len(got) < 3 {
		select {
		case s := <-fired:
			got = append(got, s)
		case <-deadline:
			fmt.Println("not fired after 5s; fired:", got)
			return
		}
	}
	sort.Strings(got)
	for _, s := range got {
		fmt.Println(s)
	}
}
