// Package nativestd is the source of a go generate twin, which rewrites
// only this module: the standard library's network waits stay native.
package nativestd

//go:generate go tool gopatch generate -o ../coop

import (
	"net"
	"net/http"
)

func Fetch(url string) (*http.Response, error) {
	return http.Get(url) // want `call to http.Get waits natively in the twin go generate writes, which rewrites only this module; run the program under gopatch run, test or build, which patch the standard library, or wrap the call in rt.Offload \(GP0305\)`
}

func Serve(l net.Listener) error {
	c, err := l.Accept() // want `call to \(net.Listener\).Accept waits natively .*\(GP0305\)`
	if err != nil {
		return err
	}
	var b [1]byte
	_, err = c.Read(b[:]) // want `call to \(net.Conn\).Read .*\(GP0305\)`
	return err
}

func Header(h http.Header) string {
	return h.Get("Host") // no wait: not reported
}
