// Command http_handler_go serves HTTP on loopback with a handler that starts goroutines: net/http is not rewritten, so the handler runs on a connection goroutine that is no greenlet, and its go statements must still run.
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

func main() {
	results := make(chan string, 3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		var wg sync.WaitGroup
		parts := make([]string, 2)
		for i := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				parts[i] = fmt.Sprintf("%s-%d", name, i)
			}()
		}
		wg.Wait()
		fmt.Fprintln(w, parts[0], parts[1])
		go func() { results <- "background " + name }() // outlives the request
	}))
	defer srv.Close()
	client := &http.Client{Timeout: 10 * time.Second}
	for _, name := range []string{"a", "b", "c"} {
		resp, err := client.Get(srv.URL + "?name=" + name)
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Print(string(body))
		select {
		case s := <-results:
			fmt.Println(s)
		case <-time.After(5 * time.Second):
			fmt.Println("the handler's background goroutine never ran")
		}
	}
}
