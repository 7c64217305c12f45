// This file holds the outcome that a spawned greenlet and an AsyncResult
// share: a value or an error that arrives once, and its waiters.

package rt

// outcome is what gevent's Greenlet and AsyncResult have in common: a result
// that arrives once, and the linkable whose waiters and links it wakes.
// AsyncResult embeds it; a Greenlet points to it (greenletoutcome.go), and
// both have the same Ready, Successful, Value and Err.
type outcome struct {
	done  linkable
	value any   // guarded by done.mu until done is ready, then final
	err   error // likewise
}

// Ready reports whether the result has arrived (for a greenlet: whether it
// has finished).
func (o *outcome) Ready() bool { return o.done.isReady() }

// Successful reports whether the result has arrived without an error.
func (o *outcome) Successful() bool { return o.Ready() && o.err == nil }

// Value returns the result's value, or nil if it has not arrived or is an
// error.
func (o *outcome) Value() any {
	if !o.Ready() {
		return nil
	}
	return o.value
}

// Err returns the result's error, or nil.
func (o *outcome) Err() error {
	if !o.Ready() {
		return nil
	}
	return o.err
}
