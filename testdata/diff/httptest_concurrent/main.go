// Command httptest_concurrent starts an httptest server and has twenty goroutines post to it at once, each checking its echo.
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

func main() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Len", fmt.Sprint(len(b)))
		w.Write(b)
	}))
	defer srv.Close()
	var wg sync.WaitGroup
	var mu sync.Mutex
	good := 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := strings.Repeat(fmt.Sprint(i), 1000+i)
			resp, err := http.Post(srv.URL, "text/plain", strings.NewReader(body))
			if err != nil {
				panic(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			mu.Lock()
			if string(b) == body && resp.Header.Get("X-Len") == fmt.Sprint(len(body)) {
				good++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("echoed:", good)
}
