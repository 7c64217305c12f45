// Command echo measures a goroutine-per-connection TCP echo server on
// loopback. bench/net.sh builds it natively and under gopatch, and runs it
// three ways:
//
//	echo serve N        serve N connections, each echoing 64-byte messages,
//	                    on the address printed first, and exit once all N
//	                    have closed
//	echo dial ADDR PER  the client: 100 connections each send PER 64-byte
//	                    messages, each waiting for its echo; prints the
//	                    messages a second
//	echo PER            both, in one process
//
// The client of a server's measurement is always the native build, so
// that both servers answer the same Go client and the server's CPU can be
// counted apart from the client's.
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

const conns = 100

func main() {
	switch {
	case len(os.Args) == 3 && os.Args[1] == "serve":
		n, err := strconv.Atoi(os.Args[2])
		check(err)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		check(err)
		fmt.Println(ln.Addr())
		serve(ln, n)
	case len(os.Args) == 4 && os.Args[1] == "dial":
		per, err := strconv.Atoi(os.Args[3])
		check(err)
		dial(os.Args[2], per)
	case len(os.Args) <= 2:
		per := 2000
		if len(os.Args) == 2 {
			var err error
			per, err = strconv.Atoi(os.Args[1])
			check(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		check(err)
		go serve(ln, conns)
		dial(ln.Addr().String(), per)
	default:
		fmt.Fprintln(os.Stderr, "usage: echo serve N | echo dial ADDR PER | echo [PER]")
		os.Exit(2)
	}
}

// serve accepts n connections on ln, echoing each in a goroutine of its
// own, and returns once all n have closed.
func serve(ln net.Listener, n int) {
	var wg sync.WaitGroup
	for range n {
		c, err := ln.Accept()
		check(err)
		wg.Add(1)
		go func() {
			defer wg.Done()
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
	wg.Wait()
}

// dial opens the client's connections to addr, sends per messages on
// each, one at a time, and prints the rate.
func dial(addr string, per int) {
	cs := make([]net.Conn, conns)
	for i := range cs {
		var err error
		cs[i], err = net.Dial("tcp", addr)
		check(err)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			msg := make([]byte, 64)
			buf := make([]byte, 64)
			for range per {
				_, err := c.Write(msg)
				check(err)
				_, err = io.ReadFull(c, buf)
				check(err)
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	fmt.Printf("%d messages in %v: %.0f msg/s\n", conns*per, d.Round(time.Millisecond), float64(conns*per)/d.Seconds())
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
