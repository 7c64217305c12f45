// Command synctest_grandchild runs a testing/synctest bubble, whose main goroutine no hub drives, that starts a goroutine which starts another and returns: the grandchild runs and the test passes, as in Go (x/net's http2 tests in miniature).
package main

import (
	"fmt"
	"os"
	"regexp"
	"testing"
	"testing/synctest"
	"time"
)

func bubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		done := make(chan string)
		go func() {
			go func() { done <- "grandchild ran" }()
		}()
		select {
		case s := <-done:
			fmt.Println(s)
		case <-time.After(time.Hour): // fake time: fires at once when all else is blocked
			fmt.Println("grandchild never ran")
		}
	})
}

func main() {
	os.Args = append(os.Args[:1], "-test.v=false")
	testing.Main(func(pat, str string) (bool, error) { return regexp.MatchString(pat, str) },
		[]testing.InternalTest{{Name: "TestBubble", F: bubble}}, nil, nil)
}
