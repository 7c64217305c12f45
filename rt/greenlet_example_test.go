package rt_test

import (
	"fmt"

	"github.com/gopatch/gopatch/rt"
)

// Two greenlets switch back and forth explicitly; when gr1 finishes,
// control returns to its parent, the main greenlet, so 78 is never printed
// (the first example of greenlet's documentation).
func ExampleGreenlet_Switch() {
	var gr1, gr2 *rt.Greenlet
	gr1 = rt.NewGreenlet(func(...any) any {
		fmt.Println(12)
		gr2.Switch()
		fmt.Println(34)
		return nil
	}, nil)
	gr2 = rt.NewGreenlet(func(...any) any {
		fmt.Println(56)
		gr1.Switch()
		fmt.Println(78)
		return nil
	}, nil)
	gr1.Switch()
	// Output:
	// 12
	// 56
	// 34
}

// A greenlet that finishes resumes its parent. gr2 runs to the end without
// switching back; because its parent is gr1, gr1 goes on and prints 34.
// With the main greenlet as gr2's parent, 34 would never be printed.
func ExampleGreenlet_Parent() {
	var gr1, gr2 *rt.Greenlet
	gr1 = rt.NewGreenlet(func(...any) any {
		fmt.Println(12)
		gr2.Switch()
		fmt.Println(34)
		return nil
	}, nil)
	gr2 = rt.NewGreenlet(func(...any) any {
		fmt.Println(56)
		fmt.Println(78)
		return nil
	}, gr1)
	gr1.Switch()
	// Output:
	// 12
	// 56
	// 78
	// 34
}

// Values travel both ways through Switch: the first switch passes run's
// arguments, later ones become the result of the pending Switch, and a
// finished greenlet's result goes to its parent.
func ExampleGreenlet_Switch_values() {
	var gr1, gr2 *rt.Greenlet
	gr1 = rt.NewGreenlet(func(args ...any) any {
		z := gr2.Switch(args[0].(string) + args[1].(string))
		fmt.Println(z)
		return "gr1 done"
	}, nil)
	gr2 = rt.NewGreenlet(func(args ...any) any {
		fmt.Println(args[0])
		gr1.Switch(42)
		return nil
	}, nil)
	fmt.Println(gr1.Switch("hello", " world"))
	// Output:
	// hello world
	// 42
	// gr1 done
}
