package check

import (
	"slices"
	"testing"
)

func TestParseDirective(t *testing.T) {
	for _, tc := range []struct {
		text string
		args []string
		ok   bool
	}{
		{"//go:generate go tool gopatch generate -o ../coop", []string{"-o", "../coop"}, true},
		{"//go:generate gopatch generate", []string{}, true},
		{"//go:generate go run github.com/gopatch/gopatch/cmd/gopatch generate -o $GOPACKAGE.coop ./...", []string{"-o", "p.coop", "./..."}, true},
		{`//go:generate go tool gopatch generate -o "a dir"`, []string{"-o", "a dir"}, true},
		{"//go:generate stringer -type T", nil, false},
		{"//go:generate go tool gopatch rewrite -o x", nil, false},
		{"// go:generate go tool gopatch generate", nil, false}, // a disarmed line, as in a twin
	} {
		args, ok := ParseDirective(tc.text, "f.go", "p", 3)
		if ok != tc.ok || (ok && !slices.Equal(args, tc.args)) {
			t.Errorf("ParseDirective(%q) = %q, %v; want %q, %v", tc.text, args, ok, tc.args, tc.ok)
		}
	}
}
