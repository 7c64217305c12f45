// Package bench measures gopatch's runtime, package rt, against the native
// Go construct each rt operation stands for, and against gevent.
//
// The package has no API: it is a home for benchmarks of whole programs
// (micro costs live in each package's own *_test.go). Every benchmark pairs
// rt with its baseline in one function, as sub-benchmarks named impl=...
// (impl=iterpull or impl=goroutine beside impl=greenlet), so that
//
//	go test ./bench -run '^$' -bench . -count 5 > new.txt
//	benchstat -col /impl -filter .name:Switch new.txt
//
// prints the ratio of each pair from one run. The programs are shared with
// ordinary tests, which check that they compute what they claim, so plain
// go test ./bench stays fast and still runs every program once.
//
// # gevent
//
// The gevent directory holds the same programs written with greenlet and
// gevent, and compare.sh, which runs both sides in one go and prints each
// figure beside gevent's with the target it must meet. See README.md.
package bench
