// Command net_pipe exchanges lines over net.Pipe between two goroutines, a synchronous in-memory connection implemented in package net.
package main

import (
	"bufio"
	"fmt"
	"net"
)

func main() {
	a, b := net.Pipe()
	go func() {
		defer b.Close()
		r := bufio.NewReader(b)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			fmt.Fprintf(b, "pong %s", line)
		}
	}()
	r := bufio.NewReader(a)
	for i := range 3 {
		fmt.Fprintf(a, "ping %d\n", i)
		line, _ := r.ReadString('\n')
		fmt.Print(line)
	}
	a.Close()
}
