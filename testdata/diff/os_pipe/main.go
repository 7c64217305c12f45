// Command os_pipe sends lines through an os.Pipe from a writer goroutine to a reader, and reads EOF once the writer closes its end.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	go func() {
		for i := range 100 {
			fmt.Fprintf(w, "line %d\n", i)
		}
		w.Close()
	}()
	n := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		n++
	}
	fmt.Println("lines:", n, "err:", sc.Err())
}
