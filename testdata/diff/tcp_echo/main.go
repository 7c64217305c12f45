// Command tcp_echo runs a goroutine-per-connection TCP echo server on loopback and 50 clients that each send ten lines and check every echo.
package main

import (
	"bufio"
	"fmt"
	"net"
	"sync"
)

func serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if _, err := c.Write([]byte(line)); err != nil {
					return
				}
			}
		}(c)
	}
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go serve(ln)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, bad := 0, 0
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			defer c.Close()
			r := bufio.NewReader(c)
			for j := range 10 {
				msg := fmt.Sprintf("client %d message %d\n", i, j)
				if _, err := c.Write([]byte(msg)); err != nil {
					panic(err)
				}
				got, err := r.ReadString('\n')
				mu.Lock()
				if err == nil && got == msg {
					ok++
				} else {
					bad++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	ln.Close()
	fmt.Println("echoes ok:", ok, "bad:", bad)
}
