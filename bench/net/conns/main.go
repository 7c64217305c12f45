// Command conns measures the memory a goroutine-per-connection echo
// server holds for each open connection. bench/net.sh builds it natively
// and under gopatch, and runs it two ways:
//
//	conns serve N       serve on the address printed first; once N
//	                    connections are open and each has echoed once
//	                    (the client then opens one more), print the
//	                    memory held a connection and exit
//	conns dial ADDR N   the client: open N connections, echo once on each,
//	                    open one more, and hold them all open until the
//	                    server exits
//
// The client is always the native build, in a process of its own: the
// figure is the server's alone.
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	var rl syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	rl.Cur = rl.Max
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	switch {
	case len(os.Args) == 3 && os.Args[1] == "serve":
		n, err := strconv.Atoi(os.Args[2])
		check(err)
		serve(n)
	case len(os.Args) == 4 && os.Args[1] == "dial":
		n, err := strconv.Atoi(os.Args[3])
		check(err)
		dial(os.Args[2], n)
	default:
		fmt.Fprintln(os.Stderr, "usage: conns serve N | conns dial ADDR N")
		os.Exit(2)
	}
}

// serve accepts n connections, each served by a goroutine that echoes
// what it reads, and reports the memory held a connection once the
// client has seen an echo on each.
func serve(n int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	fmt.Println(ln.Addr())
	before := inUse()
	for range n {
		c, err := ln.Accept()
		check(err)
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
	// The client opens one more connection once every echo has come back,
	// and closes them all once that one closes: it is held open until the
	// figures are taken, or the collection in inUse would finalize it, and
	// the connections would start closing while they are counted.
	done, err := ln.Accept()
	check(err)
	after := inUse()
	goroutines := runtime.NumGoroutine()
	runtime.KeepAlive(done)
	fmt.Printf("%d connections, %d goroutines; a connection: heap+stacks %d B, all %d B, rss %d B\n", n, goroutines,
		(after.heapStacks-before.heapStacks)/int64(n), (after.all-before.all)/int64(n), (after.rss-before.rss)/int64(n))
	done.Close()
}

// usage is the memory the runtime holds, after a collection.
type usage struct {
	heapStacks int64 // the heap's spans in use and the goroutines' stacks
	// all is heapStacks and the runtime's own memory in use: span and
	// cache structures, GC metadata, and other off-heap allocations, such
	// as the netpoller's descriptor for each fd it polls (about 560 B).
	all int64
	// rss is the process's resident memory (VmRSS), the kernel's view:
	// pages touched, whoever holds them; 0 where /proc is missing.
	rss int64
}

func inUse() usage {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	hs := m.HeapInuse + m.StackInuse
	return usage{int64(hs), int64(hs + m.MSpanInuse + m.MCacheInuse + m.BuckHashSys + m.GCSys + m.OtherSys), residentBytes()}
}

// residentBytes returns the process's VmRSS, or 0 if it cannot be read.
func residentBytes() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// dial opens n connections to addr, echoes a message on each, opens one
// more to say so, and waits until the server has gone.
func dial(addr string, n int) {
	cs := make([]net.Conn, n)
	for i := range cs {
		var err error
		cs[i], err = net.Dial("tcp", addr)
		check(err)
	}
	buf := make([]byte, 8)
	for i, c := range cs {
		msg := fmt.Appendf(nil, "%08d", i)
		_, err := c.Write(msg)
		check(err)
		_, err = io.ReadFull(c, buf)
		check(err)
		if string(buf) != string(msg) {
			panic(fmt.Sprintf("connection %d echoed %q, want %q", i, buf, msg))
		}
	}
	done, err := net.Dial("tcp", addr)
	check(err)
	io.Copy(io.Discard, done) // until the server exits
	for _, c := range cs {
		c.Close()
	}
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
