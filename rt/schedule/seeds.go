// This file holds the grammar of a list of seeds, which gopatch test's
// -seeds takes and a test binary's schedule carries.

package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxSeeds bounds one list of seeds, so that a typo (1-10000000) does not
// start a run of days.
const MaxSeeds = 100_000

// ParseSeeds parses a list of seeds such as 7, 1-100 or 3,7,9-12, of at
// most max seeds, in the order given.
func ParseSeeds(list string, max int) ([]uint64, error) {
	var seeds []uint64
	for part := range strings.SplitSeq(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(lo, 10, 64)
		b := a
		if err == nil && isRange {
			b, err = strconv.ParseUint(hi, 10, 64)
		}
		if err != nil || b < a {
			return nil, fmt.Errorf("%q is not a seed or a range of seeds (lo-hi)", part)
		}
		if b-a >= uint64(max) || len(seeds)+int(b-a+1) > max {
			return nil, fmt.Errorf("more than %d seeds", max)
		}
		for v := a; ; v++ {
			seeds = append(seeds, v)
			if v == b {
				break
			}
		}
	}
	return seeds, nil
}

// FormatSeeds writes seeds as ParseSeeds reads them, runs of consecutive
// seeds as ranges.
func FormatSeeds(seeds []uint64) string {
	var b strings.Builder
	for i := 0; i < len(seeds); {
		j := i
		for j+1 < len(seeds) && seeds[j+1] == seeds[j]+1 {
			j++
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(seeds[i], 10))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.FormatUint(seeds[j], 10))
		}
		i = j + 1
	}
	return b.String()
}
