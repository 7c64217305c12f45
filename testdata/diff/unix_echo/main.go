// Command unix_echo runs an echo server on a Unix socket in a temporary directory and five clients that each send a line.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

func main() {
	dir, err := os.MkdirTemp("", "unix_echo")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("unix", filepath.Join(dir, "s"))
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				line, _ := bufio.NewReader(c).ReadString('\n')
				c.Write([]byte("echo " + line))
			}()
		}
	}()
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("unix", filepath.Join(dir, "s"))
			if err != nil {
				panic(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "client %d\n", i)
			line, _ := bufio.NewReader(c).ReadString('\n')
			mu.Lock()
			got = append(got, line)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Strings(got)
	fmt.Print(got)
	fmt.Println()
}
