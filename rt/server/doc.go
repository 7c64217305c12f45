// Package server is gevent's server module for Go: [StreamServer] serves
// each connection of a listener in a greenlet of its own, and
// [DatagramServer] each packet of a packet connection, with an optional
// bound on how many run at once, accept errors backed off, and a Stop that
// stops taking new work, drains what is in flight, then kills the rest.
//
// Its greenlets wait on sockets cooperatively only in programs gopatch
// builds, whose standard library waits for an fd on the hub: elsewhere an
// Accept or a Read blocks the whole hub, as a socket call does in a Python
// that gevent has not patched. An unchanged net/http server needs none of
// this: under gopatch its connections and handlers are greenlets already.
package server
