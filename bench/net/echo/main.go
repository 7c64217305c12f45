// Command echo measures a goroutine-per-connection TCP echo server on loopback: 100 client connections each send N 64-byte messages and wait for each echo. bench/net.sh runs it natively and under gopatch and prints the ratio.
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	conns, per := 100, 2000
	if len(os.Args) > 1 {
		per, _ = strconv.Atoi(os.Args[1])
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
				buf := make([]byte, 64)
				for {
					if _, err := io.ReadFull(c, buf); err != nil {
						return
					}
					if _, err := c.Write(buf); err != nil {
						return
					}
				}
			}()
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			defer c.Close()
			msg := make([]byte, 64)
			buf := make([]byte, 64)
			for range per {
				c.Write(msg)
				if _, err := io.ReadFull(c, buf); err != nil {
					panic(err)
				}
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	fmt.Printf("%d messages in %v: %.0f msg/s\n", conns*per, d.Round(time.Millisecond), float64(conns*per)/d.Seconds())
}
