package main

import (
	"strings"
	"testing"

	"github.com/gopatch/gopatch/rewrite"
)

// TestCutPatchFlag checks that -patch is taken off wherever it stands
// among the flags before the packages, and only there.
func TestCutPatchFlag(t *testing.T) {
	for _, tc := range []struct {
		args string
		mode rewrite.PatchMode
		rest string
	}{
		{"./...", rewrite.PatchAll, "./..."},
		{"-patch=main ./...", rewrite.PatchMain, "./..."},
		{"-patch main -v ./...", rewrite.PatchMain, "-v ./..."},
		{"-tags x -patch=all -run TestA .", rewrite.PatchAll, "-tags x -run TestA ."},
		{"-seeds 1-3 -patch=main .", rewrite.PatchMain, "-seeds 1-3 ."},
		{"-tags -patch=main .", rewrite.PatchAll, "-tags -patch=main ."}, // the value of -tags
		{". -patch=main", rewrite.PatchAll, ". -patch=main"},             // a program's argument
		{"-- -patch=main", rewrite.PatchAll, "-- -patch=main"},
	} {
		mode, rest, err := cutPatchFlag(strings.Fields(tc.args))
		if err != nil || mode != tc.mode || strings.Join(rest, " ") != tc.rest {
			t.Errorf("cutPatchFlag(%s) = %v, %q, %v; want %v, %q", tc.args, mode, rest, err, tc.mode, tc.rest)
		}
	}
	for _, args := range []string{"-patch", "-patch=std .", "-patch none ."} {
		if _, _, err := cutPatchFlag(strings.Fields(args)); err == nil {
			t.Errorf("cutPatchFlag(%s): no error", args)
		}
	}
}
