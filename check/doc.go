// Package check is gopatch's static check: what in a package would block
// gopatch's cooperative hub, what the rewriter cannot rewrite, and whether
// go generate output still matches its sources. It is imported by
// cmd/gopatch, whose check verb is the CI gate, and by cmd/gopatch-vet, a
// go vet tool; other drivers (a multichecker, gopls' analyzer list) can
// import it too.
//
// # The analyzer
//
// [Analyzer] is a go/analysis analyzer without facts: it runs on one
// package at a time and reports, each with a GP code from [Codes]:
//
//   - raw syscall reads, accepts and waits (GP0301), cgo calls (GP0302)
//     and reflect's channel operations (GP0303), which wait where the hub
//     cannot see them;
//   - spin loops on sync/atomic (GP0304), which never let the goroutine
//     they wait for run;
//   - in a package with a //go:generate line running gopatch generate,
//     the standard library's network, pipe and database waits (GP0305),
//     which generate, rewriting only the module, leaves native, and its
//     imports of other modules' packages (GP0306);
//   - what the rewriter refuses (GP0101 to GP0105), found by running it in
//     memory ([rewrite.Diagnose]).
//
// # The module check
//
// [Run] is what gopatch check does: it runs the analyzer over packages
// loaded with go/packages, keeping each package's findings in
// .gopatch/check under a key of its files and dependencies so that an
// unchanged package is not loaded again, and compares every twin that a
// gopatch generate line writes with what it would write now (GP0401 to
// GP0403).
//
//	findings, err := check.Run(check.Options{}, "./...")
//
// Each finding prints as go vet's do: file:line:col: message (GPnnnn).
package check
