// Package sendclosed is example.com/bugs/sendclosed with its bug mended; its test is
// the same file. See that package's doc for the bug.
package sendclosed

func First(replicas []func() int) int {
	// Room for every answer, so no replica blocks; the channel is left
	// for the collector, never closed under a sender.
	answers := make(chan int, len(replicas))
	for _, r := range replicas {
		go func() { answers <- r() }()
	}
	return <-answers
}
