package gocmd

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestEnvironOverridesGOWORK(t *testing.T) {
	t.Setenv("GOWORK", "/elsewhere/go.work")
	env := Environ("A=1")
	i := slices.Index(env, "GOWORK=off")
	if i < 0 || i < slices.Index(env, "GOWORK=/elsewhere/go.work") {
		t.Errorf("Environ() = %q: want GOWORK=off after the user's GOWORK", env)
	}
	if env[len(env)-1] != "A=1" {
		t.Errorf("Environ(\"A=1\") ends with %q; want the extra variable last", env[len(env)-1])
	}
}

// TestCommandRunsGoWithoutWorkspace runs the go command as gopatch does,
// with a go.work in the environment, and asks it what GOWORK it sees.
func TestCommandRunsGoWithoutWorkspace(t *testing.T) {
	t.Setenv("GOWORK", "/elsewhere/go.work")
	cmd := Command(context.Background(), "env", "GOWORK")
	if !strings.HasSuffix(cmd.Path, "go") && !strings.HasSuffix(cmd.Path, "go.exe") {
		t.Errorf("Command runs %s; want the go command", cmd.Path)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go env GOWORK: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != "off" {
		t.Errorf("go env GOWORK = %q under Command; want off", got)
	}
}
