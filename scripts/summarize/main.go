// Command summarize compares the go test -json streams of one module's
// tests run plainly and under gopatch test, for scripts/realsuites.sh,
// which builds it from this checkout.
//
// Usage:
//
//	summarize module plain.json gopatch.json
//
// It prints, for each side, how many tests passed, failed and were
// skipped and how long they ran; each package that failed to build, timed
// out or crashed; and the tests that pass plainly but not under gopatch. A
// line of a stream that is not JSON (build output) is skipped. The exit
// status is 1 when some test passes plainly and not under gopatch, 2 when
// a stream cannot be read.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: summarize module plain.json gopatch.json")
		os.Exit(2)
	}
	plain, err := readRun(os.Args[2])
	if err != nil {
		fmt.Fprintf(os.Stderr, "summarize: %v\n", err)
		os.Exit(2)
	}
	patched, err := readRun(os.Args[3])
	if err != nil {
		fmt.Fprintf(os.Stderr, "summarize: %v\n", err)
		os.Exit(2)
	}
	s := compare(plain, patched)
	s.write(os.Stdout, os.Args[1])
	if len(s.regressed) > 0 {
		os.Exit(1)
	}
}

// readRun parses the go test -json stream in file.
func readRun(file string) (*run, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return r, nil
}
