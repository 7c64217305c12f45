// Command select_send_assignable sends, in select cases, values whose types are assignable to the channel's element type without being identical to it: a named func type on a chan func(), and a concrete error on a chan error.
package main

import (
	"errors"
	"fmt"
)

type Callback func()

type notFound struct{ name string }

func (e *notFound) Error() string { return e.name + " not found" }

func main() {
	calls := make(chan func(), 1)
	errs := make(chan error)
	acks := make(chan struct{})
	go func() {
		for err := range errs {
			var nf *notFound
			fmt.Println("got:", err, errors.As(err, &nf))
			acks <- struct{}{}
		}
		close(acks)
	}()
	var never chan error // nil: its case is never ready
	for i := range 3 {
		var cb Callback = func() { fmt.Println("callback", i) }
		select {
		case calls <- cb:
		case never <- &notFound{name: "never"}:
		}
		(<-calls)()
		select {
		case errs <- &notFound{name: fmt.Sprint("key", i)}:
		}
		<-acks
	}
	close(errs)
	_, open := <-acks
	fmt.Println("acks open:", open)
}
