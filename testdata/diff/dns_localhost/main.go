// Command dns_localhost resolves localhost from several goroutines at once and dials a listener by that name.
package main

import (
	"fmt"
	"net"
	"sort"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	found := 0
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addrs, err := net.LookupHost("localhost")
			sort.Strings(addrs)
			mu.Lock()
			if err == nil && len(addrs) > 0 {
				found++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("lookups that found localhost:", found)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Write([]byte("hi"))
			c.Close()
		}
	}()
	c, err := net.Dial("tcp4", net.JoinHostPort("localhost", port))
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 2)
	n, _ := c.Read(buf)
	fmt.Println("dialled localhost:", string(buf[:n]))
}
