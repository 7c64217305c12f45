package timermethod

import "time"

type W struct{ *time.Timer }

var stop = W.Stop // want `method expression W.Stop is not rewritten: only \(\*time.Timer\).Stop is supported \(GP0104\)`
