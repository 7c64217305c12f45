// Command tcp_half_close has a client send a request and close its write side; the server reads to EOF, then answers on the still-open read side.
package main

import (
	"fmt"
	"io"
	"net"
	"strings"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		req, err := io.ReadAll(c)
		fmt.Fprintf(c, "got %d bytes (%v)", len(req), err)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	c.Write([]byte(strings.Repeat("x", 100000)))
	c.(*net.TCPConn).CloseWrite()
	resp, err := io.ReadAll(c)
	fmt.Println(string(resp), err)
}
