package main

import (
	"bytes"
	"errors"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// A command's exit code is passed through; one killed by a signal exits 1
// with the signal named, as go run does, rather than 255.
func TestExecuteExitCodes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sh and kill")
	}
	var errOut bytes.Buffer
	saved := stderr
	stderr = &errOut
	defer func() { stderr = saved }()
	for _, c := range []struct {
		script string
		code   int
		says   string
	}{
		{"exit 3", 3, ""},
		{"kill -TERM $$", 1, "signal: terminated"},
	} {
		errOut.Reset()
		err := execute(exec.Command("sh", "-c", c.script))
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != c.code {
			t.Errorf("%s: execute returned %v; want exit status %d", c.script, err, c.code)
		}
		if got := strings.TrimSpace(errOut.String()); got != c.says {
			t.Errorf("%s: printed %q; want %q", c.script, got, c.says)
		}
	}
}
