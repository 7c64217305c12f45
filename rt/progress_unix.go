//go:build unix

// This file marks which seed a test binary runs in a word of a file mapped
// into memory: a store, where a line written to the step file is a system
// call a seed.

package rt

import (
	"os"
	"syscall"

	"github.com/gopatch/gopatch/rt/schedule"
)

// progressWord is the mapped first word of the schedule's progress file,
// or nil when it could not be mapped (then seeds are marked in the step
// file). Only seedOf, under its lock, writes it; the CLI reads the file
// once the binary has exited.
var progressWord []byte

// markSeed records that the runs of seed begin, for the CLI to read if
// the binary dies in them. The kernel keeps a shared mapping's pages, so
// the word survives the process. st.Stats names the step file.
func markSeed(s schedule.Schedule, seed uint64) {
	if s.Stats == "" {
		return
	}
	if progressWord == nil {
		progressWord = mapProgress(schedule.ProgressFile(s.Stats))
	}
	if progressWord != nil {
		v := seed + 1 // little-endian, as schedule.ReadProgress reads it
		for i := range schedule.ProgressSize {
			progressWord[i] = byte(v >> (8 * i))
		}
		return
	}
	appendLine(&statsFile, s.Stats, schedule.FormatSeedStart(seed), true)
}

// mapProgress maps the first word of the file named name, made if need
// be, or returns nil.
func mapProgress(name string) []byte {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return nil
	}
	defer f.Close()
	if err := f.Truncate(schedule.ProgressSize); err != nil {
		return nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, schedule.ProgressSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return b
}
