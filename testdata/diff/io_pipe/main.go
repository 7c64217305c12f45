// Command io_pipe exercises io.Pipe between a writer goroutine and a reader, a rendezvous implemented inside package io with its own channels and mutex.
package main

import (
	"bufio"
	"fmt"
	"io"
)

func main() {
	r, w := io.Pipe()
	go func() {
		for i := range 5 {
			fmt.Fprintf(w, "line %d\n", i)
		}
		w.CloseWithError(io.ErrUnexpectedEOF)
	}()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fmt.Println("read", sc.Text())
	}
	fmt.Println("err:", sc.Err())
}
