//go:build !unix

// This file marks which seed a test binary runs where files cannot be
// mapped: a line in the step file, written at once.

package rt

import "github.com/gopatch/gopatch/rt/schedule"

// markSeed records that the runs of seed begin, for the CLI to read if
// the binary dies in them.
func markSeed(s schedule.Schedule, seed uint64) {
	if s.Stats != "" {
		appendLine(&statsFile, s.Stats, schedule.FormatSeedStart(seed), true)
	}
}
