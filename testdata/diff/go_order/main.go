// Command go_order prints the order in which goroutines run where only the
// scheduler decides it: go statements, channel and sync wake-ups, Gosched.
// Natively at GOMAXPROCS=1 that order is the runtime's runnext heuristic
// (a new or readied goroutine runs next; the one it displaces goes to the
// back), and gopatch's default schedule follows it.
//
// gopatch:go-order
package main

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
)

func main() {
	goStatements()
	bufferedSenders()
	closeWakesReceivers()
	condBroadcast()
	waitGroupWaiters()
	mutexWaiters()
	gosched()
	pingPong()
}

// goStatements starts five goroutines before it blocks.
func goStatements() {
	var order []int
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			order = append(order, i)
		}()
	}
	wg.Wait()
	fmt.Println("go statements:", order)
}

// bufferedSenders: four senders on a channel with room for two.
func bufferedSenders() {
	ch := make(chan int, 2)
	for s := range 4 {
		go func() { ch <- s }()
	}
	runtime.Gosched()
	var got []int
	for range 4 {
		got = append(got, <-ch)
	}
	fmt.Println("buffered senders:", got)
}

// closeWakesReceivers: three receivers parked on one channel, then close.
func closeWakesReceivers() {
	ch := make(chan int)
	done := make(chan struct{})
	var mu sync.Mutex
	var woken []string
	for i := range 3 {
		go func() {
			v, ok := <-ch
			mu.Lock()
			woken = append(woken, fmt.Sprint(i, v, ok))
			mu.Unlock()
			done <- struct{}{}
		}()
	}
	runtime.Gosched()
	close(ch)
	for range 3 {
		<-done
	}
	fmt.Println("close wakes:", strings.Join(woken, ","))
}

// condBroadcast: waiters on a Cond, one Signal, then a Broadcast.
func condBroadcast() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	ready := 0
	var woke []int
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for ready <= i {
				c.Wait()
			}
			woke = append(woke, i)
		}()
	}
	runtime.Gosched()
	mu.Lock()
	ready = 1
	mu.Unlock()
	c.Signal()
	runtime.Gosched()
	fmt.Println("after Signal:", woke)
	mu.Lock()
	ready = 3
	c.Broadcast()
	mu.Unlock()
	wg.Wait()
	fmt.Println("after Broadcast:", woke)
}

// waitGroupWaiters: three goroutines wait for one Done.
func waitGroupWaiters() {
	var start, all sync.WaitGroup
	start.Add(1)
	var order []int
	for i := range 3 {
		all.Add(1)
		go func() {
			defer all.Done()
			start.Wait()
			order = append(order, i)
		}()
	}
	runtime.Gosched()
	start.Done()
	all.Wait()
	fmt.Println("WaitGroup waiters:", order)
}

// mutexWaiters: three goroutines queue for a held Mutex.
func mutexWaiters() {
	var mu sync.Mutex
	var all sync.WaitGroup
	var order []int
	mu.Lock()
	for i := range 3 {
		all.Add(1)
		go func() {
			defer all.Done()
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
		}()
	}
	runtime.Gosched()
	mu.Unlock()
	all.Wait()
	fmt.Println("Mutex waiters:", order)
}

// gosched: two goroutines that yield after each step.
func gosched() {
	var log []string
	done := make(chan struct{})
	for _, name := range []string{"a", "b"} {
		go func() {
			for i := range 3 {
				log = append(log, fmt.Sprint(name, i))
				runtime.Gosched()
			}
			done <- struct{}{}
		}()
	}
	<-done
	<-done
	fmt.Println("Gosched:", strings.Join(log, " "))
}

// pingPong: a producer and a consumer on an unbuffered channel, both
// logging.
func pingPong() {
	var log []string
	ch := make(chan int)
	done := make(chan struct{})
	go func() {
		for v := range ch {
			log = append(log, fmt.Sprint("got", v))
		}
		close(done)
	}()
	for i := range 3 {
		log = append(log, fmt.Sprint("send", i))
		ch <- i
	}
	close(ch)
	<-done
	fmt.Println("ping-pong:", strings.Join(log, " "))
}
