// Command conns opens thousands of concurrent echo connections to a goroutine-per-connection server on loopback, checks one echo on each while all are open, and reports the heap and stacks per connection. bench/net.sh runs it natively and under gopatch.
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

func main() {
	var rl syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	rl.Cur = rl.Max
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	n := 9500
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 16)
				for {
					k, err := c.Read(buf)
					if err != nil {
						return
					}
					c.Write(buf[:k])
				}
			}()
		}
	}()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range n {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			panic(err)
		}
		conns[i] = c
	}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := []byte(fmt.Sprintf("%08d", i))
			conns[i].Write(msg)
			buf := make([]byte, 8)
			if _, err := io.ReadFull(conns[i], buf); err == nil && string(buf) == string(msg) {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	fmt.Printf("echoed %d of %d; %d goroutines; heap+stacks per connection %d B\n", ok, n, runtime.NumGoroutine(),
		(int64(after.HeapInuse+after.StackInuse)-int64(before.HeapInuse+before.StackInuse))/int64(n))
	for _, c := range conns {
		c.Close()
	}
	ln.Close()
}
