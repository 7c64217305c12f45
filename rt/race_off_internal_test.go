//go:build !race

package rt

// raceEnabled says whether the race detector instruments this test binary.
const raceEnabled = false
