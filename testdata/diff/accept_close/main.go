// Command accept_close closes a listener while a goroutine is blocked in Accept, and a connection while another is blocked in Read: both get net.ErrClosed.
package main

import (
	"errors"
	"fmt"
	"net"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	acceptErr := make(chan error)
	go func() {
		_, err := ln.Accept()
		acceptErr <- err
	}()
	time.Sleep(20 * time.Millisecond)
	ln.Close()
	fmt.Println("accept after close:", errors.Is(<-acceptErr, net.ErrClosed))

	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln2.Close()
	go func() {
		c, err := ln2.Accept()
		if err == nil {
			time.Sleep(200 * time.Millisecond)
			c.Close()
		}
	}()
	c, err := net.Dial("tcp", ln2.Addr().String())
	if err != nil {
		panic(err)
	}
	readErr := make(chan error)
	go func() {
		_, err := c.Read(make([]byte, 1))
		readErr <- err
	}()
	time.Sleep(20 * time.Millisecond)
	c.Close()
	fmt.Println("read after close:", errors.Is(<-readErr, net.ErrClosed))
}
