// This file holds the -patch flag that build, run, test and vet share.

package main

import (
	"strings"

	"github.com/gopatch/gopatch/internal/gocmd"
	"github.com/gopatch/gopatch/rewrite"
)

// patchUsage documents -patch in each verb's help.
const patchUsage = `
	-patch m      which modules are rewritten: all (the default) rewrites
	              the main module and every dependency module the build
	              uses, so a dependency's WaitGroup, mutexes, channels and
	              select are cooperative too; main rewrites only the main
	              module's packages, as gopatch did before, and leaves
	              dependencies native
`

// cutPatchFlag takes -patch=m (or -patch m) off args, where it may stand
// among the flags before the packages, and returns the mode it asks for
// (PatchAll without it) and the other arguments, a new slice. The go
// command has no -patch flag, so it is gopatch's wherever it is found
// before the first package; a flag's value is skipped as the go command
// would skip it (test's -seeds, -sched and -clock take one too).
func cutPatchFlag(args []string) (rewrite.PatchMode, []string, error) {
	mode := rewrite.PatchAll
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := gocmd.Cut(a)
		if name == "patch" {
			if !hasValue {
				if i+1 == len(args) {
					return 0, nil, errorf("flag -patch needs a value: all or main")
				}
				i++
				value = args[i]
			}
			m, err := rewrite.ParsePatchMode(value)
			if err != nil {
				return 0, nil, err
			}
			mode = m
			continue
		}
		rest = append(rest, a)
		takesValue := gocmd.Lookup(name).Value || name == "seeds" || name == "sched" || name == "clock"
		if !hasValue && takesValue && i+1 < len(args) {
			i++
			rest = append(rest, args[i])
		}
	}
	return mode, rest, nil
}
