// Command udp_echo runs a UDP echo server on loopback and a client that sends twenty datagrams and counts the echoes.
package main

import (
	"fmt"
	"net"
)

func main() {
	srv, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	go func() {
		buf := make([]byte, 1500)
		for {
			n, addr, err := srv.ReadFrom(buf)
			if err != nil {
				return
			}
			srv.WriteTo(buf[:n], addr)
		}
	}()
	c, err := net.Dial("udp", srv.LocalAddr().String())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	got := 0
	buf := make([]byte, 1500)
	for i := range 20 {
		msg := fmt.Sprintf("datagram %d", i)
		c.Write([]byte(msg))
		n, err := c.Read(buf)
		if err == nil && string(buf[:n]) == msg {
			got++
		}
	}
	fmt.Println("echoed:", got)
}
