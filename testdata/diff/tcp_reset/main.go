// Command tcp_reset has one client reset its connection mid-message while four others complete theirs: the server sees the reset, the others are not disturbed.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"sync"
	"syscall"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var serverSaw []string
	var served sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			served.Add(1)
			go func() {
				defer served.Done()
				defer c.Close()
				line, err := bufio.NewReader(c).ReadString('\n')
				mu.Lock()
				switch {
				case err == nil:
					fmt.Fprintf(c, "ok %s", line)
					serverSaw = append(serverSaw, "line")
				case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF):
					serverSaw = append(serverSaw, "reset")
				default:
					serverSaw = append(serverSaw, "other: "+err.Error())
				}
				mu.Unlock()
			}()
		}
	}()
	var wg sync.WaitGroup
	var answers []string
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			if i == 2 {
				c.Write([]byte("partial"))
				c.(*net.TCPConn).SetLinger(0)
				c.Close()
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "client %d\n", i)
			line, _ := bufio.NewReader(c).ReadString('\n')
			mu.Lock()
			answers = append(answers, line)
			mu.Unlock()
		}()
	}
	wg.Wait()
	served.Wait()
	sort.Strings(answers)
	sort.Strings(serverSaw)
	fmt.Print(answers, "\n", serverSaw, "\n")
}
