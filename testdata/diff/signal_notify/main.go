// Command signal_notify exercises os/signal delivering to a channel from the runtime's signal goroutine while main waits on it.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		panic(err)
	}
	fmt.Println("got", <-ch)
	signal.Stop(ch)
}
