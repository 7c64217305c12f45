// Command httptest_close_in_subtest starts an httptest server in a test that testing runs on a goroutine of its own and closes it: Close returns, as in Go, once the connection greenlets the server's Serve goroutine started have let the fd go.
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"testing"
)

func TestParentServer(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	}))
	defer ts.Close()
	t.Run("get", func(t *testing.T) {
		res, err := http.Get(ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Printf("subtest got %q\n", b)
	})
}

func main() {
	os.Args = append(os.Args[:1], "-test.v=false")
	testing.Main(func(pat, str string) (bool, error) { return regexp.MatchString(pat, str) },
		[]testing.InternalTest{{Name: "TestParentServer", F: TestParentServer}}, nil, nil)
}
