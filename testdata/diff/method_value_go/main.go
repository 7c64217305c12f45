// Command method_value_go exercises go statements on method values, method expressions and interface methods, with receivers evaluated at the go statement.
package main

import "fmt"

type worker struct{ name string }

func (w worker) run(out chan<- string)   { out <- "value " + w.name }
func (w *worker) runP(out chan<- string) { out <- "pointer " + w.name }

type runner interface{ run(chan<- string) }

func main() {
	out := make(chan string)
	w := worker{"first"}
	go w.run(out)
	w.name = "changed"
	fmt.Println(<-out)
	f := w.run
	w.name = "later"
	go f(out)
	fmt.Println(<-out)
	go (*worker).runP(&w, out)
	fmt.Println(<-out)
	var r runner = worker{"iface"}
	go r.run(out)
	fmt.Println(<-out)
	fns := []func(chan<- string){worker{"slice0"}.run, (&worker{"slice1"}).runP}
	for _, fn := range fns {
		go fn(out)
		fmt.Println(<-out)
	}
}
