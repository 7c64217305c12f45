// Package reflectwait waits on channels through reflect.
package reflectwait

import "reflect"

func Select(cases []reflect.SelectCase) int {
	i, _, _ := reflect.Select(cases) // want `call to reflect.Select waits natively, where the hub cannot see it, and blocks every other greenlet; use a select statement or a channel operation, or wrap the call in rt.Offload \(GP0303\)`
	return i
}

func RecvSend(v reflect.Value) {
	x, _ := v.Recv() // want `call to \(reflect.Value\).Recv waits natively.*\(GP0303\)`
	v.Send(x)        // want `call to \(reflect.Value\).Send waits natively.*\(GP0303\)`
	v.TrySend(x)     // never waits: not reported
}
