// Command go_operands_once checks that the function value and arguments of go statements are evaluated exactly once, at the statement, for every shape of operand.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

var (
	mu    sync.Mutex
	evals []string
	wg    sync.WaitGroup
	out   = make(chan string, 64)
)

// eval records that the expression named s was evaluated and returns s.
func eval(s string) string {
	mu.Lock()
	evals = append(evals, s)
	mu.Unlock()
	return s
}

func report(parts ...string) {
	defer wg.Done()
	out <- strings.Join(parts, ",")
}

type T struct{ name string }

func (t T) M(s string)    { defer wg.Done(); out <- t.name + ":" + s }
func (t *T) P(s string)   { defer wg.Done(); out <- "*" + t.name + ":" + s }
func gen[X any](x X)      { defer wg.Done(); out <- fmt.Sprint("gen:", x) }
func pair() (string, int) { eval("pair"); return "p", 2 }
func two(s string, n int) { defer wg.Done(); out <- fmt.Sprint(s, n) }

type fn func(string)

func pick() fn {
	eval("pick")
	return func(s string) { defer wg.Done(); out <- "picked:" + s }
}

func main() {
	// A literal with arguments whose body holds another go statement.
	for i := 0; i < 3; i++ {
		wg.Add(2)
		go func(stream string) {
			defer wg.Done()
			go report("nested", stream)
		}(eval(fmt.Sprint("lit", i)))
	}
	// Method values, on a value and a pointer receiver; the receiver is
	// copied at the statement.
	t := T{"t"}
	wg.Add(2)
	go t.M(eval("mv"))
	p := &T{"p"}
	go p.P(eval("pv"))
	t.name = "changed"
	// A method expression.
	wg.Add(1)
	go T.M(T{"me"}, eval("mexpr"))
	// Generic instantiations, explicit and inferred.
	wg.Add(2)
	go gen[string](eval("g1"))
	go gen(eval("g2"))
	// Variadic calls, with ... and without.
	xs := []string{"v1", "v2"}
	wg.Add(3)
	go report(xs...)
	go report(eval("va"), eval("vb"))
	go report(append([]string{eval("vc")}, xs...)...)
	// A multi-valued call as the arguments.
	wg.Add(1)
	go two(pair())
	// A function value from a call, and a conversion to a function type.
	wg.Add(2)
	go pick()(eval("call"))
	go fn(func(s string) { defer wg.Done(); out <- "conv:" + s })(eval("conv"))
	// Arguments that hold rewritten constructs: a receive, a literal
	// called in place that starts a greenlet, a select in a literal.
	in := make(chan string, 1)
	in <- eval("recv")
	wg.Add(2)
	go report(<-in, func() string {
		go report(eval("inner"))
		return eval("litcall")
	}())
	ready := make(chan string, 1)
	ready <- "sel"
	wg.Add(1)
	go report(func() string {
		select {
		case s := <-ready:
			return eval(s)
		default:
			return "none"
		}
	}())
	// Deeply nested literals, each with arguments.
	wg.Add(1)
	go func(a string) {
		go func(b string) {
			go func(c string) {
				defer wg.Done()
				out <- "deep:" + c
			}(eval(b + "c"))
		}(eval(a + "b"))
	}(eval("a"))
	// A method value whose receiver comes from an indexed call.
	ts := []*T{{"idx"}}
	wg.Add(1)
	go ts[len(eval("i"))-1].P(eval("ip"))

	wg.Wait()
	close(out)
	var got []string
	for s := range out {
		got = append(got, s)
	}
	sort.Strings(got)
	fmt.Println(strings.Join(got, "\n"))
	sort.Strings(evals)
	fmt.Println("evals:", strings.Join(evals, " "))
}
