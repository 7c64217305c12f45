// Command go_builtin_close exercises `go close(ch)`, a go statement whose call is the close builtin, waking a receiver blocked on ch.
package main

import "fmt"

func main() {
	ch := make(chan int)
	go close(ch)
	v, ok := <-ch
	fmt.Println("closed by go close:", v, ok)
}
