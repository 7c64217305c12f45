// Command panic_recover_goroutine exercises goroutines that recover their own panics and report them as errors over a channel.
package main

import (
	"fmt"
	"sort"
)

func safeGo(f func(), errs chan<- string) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				errs <- fmt.Sprint("recovered: ", r)
				return
			}
			errs <- "ok"
		}()
		f()
	}()
}

func main() {
	errs := make(chan string)
	var m map[string]int
	safeGo(func() { panic("boom") }, errs)
	safeGo(func() {}, errs)
	safeGo(func() { m["x"] = 1 }, errs)
	safeGo(func() { var a []int; _ = a[3] }, errs)
	var got []string
	for range 4 {
		got = append(got, <-errs)
	}
	sort.Strings(got)
	for _, g := range got {
		fmt.Println(g)
	}
}
