package entrymethod

import "testing"

func TestM(t *testing.T) {
	(*testing.T).Run(t, "x", func(t *testing.T) {}) // want `method expression \(\*testing.T\).Run cannot run its function as the main greenlet of a hub \(GP0102\)`
}
