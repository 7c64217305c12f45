//go:build !unix

package workers

import (
	"errors"
	"testing"
)

// TestRunUnsupported: without Unix, Run is a clear error and no process
// is a worker.
func TestRunUnsupported(t *testing.T) {
	if err := Run(Config{Bind: []string{"127.0.0.1:8080"}}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Run = %v; want ErrUnsupported", err)
	}
	if !IsMaster() || Active() {
		t.Error("a process is a worker on a system without workers")
	}
}
