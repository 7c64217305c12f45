// Command net_deadline reads from a connection whose peer stays silent, with a read deadline, while another goroutine keeps running, and reports the timeout.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			panic(err)
		}
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	peer := <-accepted
	defer peer.Close()

	counted := make(chan int)
	go func() {
		n := 0
		for range 5 {
			time.Sleep(2 * time.Millisecond)
			n++
		}
		counted <- n
	}()
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	buf := make([]byte, 10)
	_, err = c.Read(buf)
	var ne net.Error
	fmt.Println("timeout:", errors.As(err, &ne) && ne.Timeout(), errors.Is(err, os.ErrDeadlineExceeded))
	fmt.Println("other goroutine counted:", <-counted)

	// After the deadline is cleared, data flows again.
	c.SetReadDeadline(time.Time{})
	peer.Write([]byte("late"))
	n, err := c.Read(buf)
	fmt.Println("read:", string(buf[:n]), err)
}
