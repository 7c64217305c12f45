// Package sendclosed asks every replica and returns the first answer,
// closing the answer channel once it has one: a replica that answers
// after that sends on a closed channel.
package sendclosed

func First(replicas []func() int) int {
	answers := make(chan int, len(replicas))
	for _, r := range replicas {
		go func() { answers <- r() }()
	}
	v := <-answers
	close(answers) // BUG: the other replicas may not have sent yet
	return v
}
