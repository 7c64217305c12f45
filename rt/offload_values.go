// This file holds the typed forms of Offload that rewritten code calls in place of a known-blocking call, one per arity.

package rt

// The OffloadedNtoM functions take f, a function with N parameters and M
// results, and return a function of the same type that runs f through
// [Offload]. Rewritten code calls them in place of a call into std that
// blocks and cannot be made cooperative yet (regular-file I/O, DNS, os/exec
// waits):
//
//	addrs, err := net.LookupHost(h)  →  addrs, err := gopatchrt.Offloaded1to2(net.LookupHost)(h)
//
// Wrapping the function, rather than passing the arguments to a generic
// helper, keeps the call an ordinary call: the function value and the
// arguments are evaluated on the greenlet in the order Go evaluates the
// original call, arguments are assigned to the parameter types as before
// (untyped nil, named types, interface values), and a multi-valued argument
// f(g()) still spreads. Only the call itself runs on the pool.

// Offloaded0to1 returns a function that runs f through [Offload].
func Offloaded0to1[R any](f func() R) func() R {
	return func() R {
		var r R
		Offload(func() { r = f() })
		return r
	}
}

// Offloaded0to2 returns a function that runs f through [Offload].
func Offloaded0to2[R1, R2 any](f func() (R1, R2)) func() (R1, R2) {
	return func() (R1, R2) {
		var r1 R1
		var r2 R2
		Offload(func() { r1, r2 = f() })
		return r1, r2
	}
}

// Offloaded1to1 returns a function that runs f through [Offload].
func Offloaded1to1[A, R any](f func(A) R) func(A) R {
	return func(a A) R {
		var r R
		Offload(func() { r = f(a) })
		return r
	}
}

// Offloaded1to2 returns a function that runs f through [Offload].
func Offloaded1to2[A, R1, R2 any](f func(A) (R1, R2)) func(A) (R1, R2) {
	return func(a A) (R1, R2) {
		var r1 R1
		var r2 R2
		Offload(func() { r1, r2 = f(a) })
		return r1, r2
	}
}

// Offloaded2to1 returns a function that runs f through [Offload].
func Offloaded2to1[A, B, R any](f func(A, B) R) func(A, B) R {
	return func(a A, b B) R {
		var r R
		Offload(func() { r = f(a, b) })
		return r
	}
}

// Offloaded2to2 returns a function that runs f through [Offload].
func Offloaded2to2[A, B, R1, R2 any](f func(A, B) (R1, R2)) func(A, B) (R1, R2) {
	return func(a A, b B) (R1, R2) {
		var r1 R1
		var r2 R2
		Offload(func() { r1, r2 = f(a, b) })
		return r1, r2
	}
}

// Offloaded3to1 returns a function that runs f through [Offload].
func Offloaded3to1[A, B, C, R any](f func(A, B, C) R) func(A, B, C) R {
	return func(a A, b B, c C) R {
		var r R
		Offload(func() { r = f(a, b, c) })
		return r
	}
}

// Offloaded3to2 returns a function that runs f through [Offload].
func Offloaded3to2[A, B, C, R1, R2 any](f func(A, B, C) (R1, R2)) func(A, B, C) (R1, R2) {
	return func(a A, b B, c C) (R1, R2) {
		var r1 R1
		var r2 R2
		Offload(func() { r1, r2 = f(a, b, c) })
		return r1, r2
	}
}
