// This file holds the one table of the go command's flags, and splits go
// command lines with it.

package gocmd

import "strings"

// A Kind says who acts on a go flag.
type Kind int

const (
	// Build is a flag of the go command itself: a build flag that build,
	// run, test and vet all take, or a flag this package does not list.
	Build Kind = iota
	// TestBinary is a go test flag that go test only hands to the test
	// binary, as -test.<name>.
	TestBinary
	// GoTest is a go test flag that go test acts on itself: its output
	// (-json), coverage, profiles, the binary (-c, -o, -exec), vet.
	GoTest
)

// A Flag is what gopatch needs to know of one go flag.
type Flag struct {
	// Value reports whether the flag takes a value, which is the next
	// argument when the flag is written without "=".
	Value bool
	Kind  Kind
}

// flags are the go command's flags that take a value or are not build
// flags, as "go help build", "go help test" and "go help testflag" list
// them. A flag not here is a boolean build flag (-race, -trimpath, -x).
var flags = map[string]Flag{
	// Build flags.
	"C": {Value: true}, "p": {Value: true}, "tags": {Value: true}, "ldflags": {Value: true},
	"gcflags": {Value: true}, "asmflags": {Value: true}, "mod": {Value: true},
	"modfile": {Value: true}, "overlay": {Value: true}, "pkgdir": {Value: true},
	"toolexec": {Value: true}, "pgo": {Value: true}, "buildmode": {Value: true},
	"compiler": {Value: true}, "gccgoflags": {Value: true}, "installsuffix": {Value: true},
	"vettool": {Value: true},

	// Test flags that go test hands to the test binary alone.
	"run": {true, TestBinary}, "skip": {true, TestBinary}, "bench": {true, TestBinary},
	"benchtime": {true, TestBinary}, "count": {true, TestBinary}, "cpu": {true, TestBinary},
	"parallel": {true, TestBinary}, "timeout": {true, TestBinary}, "shuffle": {true, TestBinary},
	"v": {false, TestBinary}, "short": {false, TestBinary}, "failfast": {false, TestBinary},
	"benchmem": {false, TestBinary}, "fullpath": {false, TestBinary},

	// Test flags that go test acts on itself. -o and -exec are go run's
	// too, and -cover, -covermode and -coverpkg are build flags as well.
	"o": {true, GoTest}, "exec": {true, GoTest}, "c": {false, GoTest}, "args": {false, GoTest},
	"json": {false, GoTest}, "vet": {true, GoTest}, "artifacts": {false, GoTest},
	"cover": {false, GoTest}, "covermode": {true, GoTest}, "coverpkg": {true, GoTest},
	"coverprofile": {true, GoTest}, "outputdir": {true, GoTest}, "list": {true, GoTest},
	"fuzz": {true, GoTest}, "fuzztime": {true, GoTest}, "fuzzminimizetime": {true, GoTest},
	"blockprofile": {true, GoTest}, "blockprofilerate": {true, GoTest},
	"cpuprofile": {true, GoTest}, "memprofile": {true, GoTest}, "memprofilerate": {true, GoTest},
	"mutexprofile": {true, GoTest}, "mutexprofilefraction": {true, GoTest}, "trace": {true, GoTest},
}

// Lookup returns what is known of the go flag name, given without its
// dashes and "=value": a flag it does not list is a boolean [Build] flag.
func Lookup(name string) Flag { return flags[name] }

// Cut splits a command-line argument that starts with "-" into the flag's
// name, without its dashes, and the value after "=", if any.
func Cut(arg string) (name, value string, hasValue bool) {
	return strings.Cut(strings.TrimLeft(arg, "-"), "=")
}

// Args is a go command line split into its parts.
type Args struct {
	Flags    []string // flags before the packages, as given
	Packages []string // package patterns or .go files
	After    []string // run: the program's arguments; test and vet: flags after the packages
	// Load are the flags of Flags that choose which files a package has:
	// -tags, and -race, -msan and -asan, which set the build tags of their
	// names. A rewrite loads its packages with them, or it would leave
	// native a file that the build compiles (one with //go:build race).
	Load []string
}

// Split splits args as the go command would: flags, then packages. For go
// run (run true), the package is one pattern or a list of .go files, and
// what follows are the program's arguments. Split does not mutate args;
// After shares its backing array.
func Split(args []string, run bool) Args {
	var g Args
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		g.Flags = append(g.Flags, a)
		name, value, hasValue := Cut(a)
		if !hasValue && Lookup(name).Value && i+1 < len(args) {
			i++
			value = args[i]
			g.Flags = append(g.Flags, value)
		}
		switch name {
		case "tags":
			g.Load = append(g.Load, "-tags="+value)
		case "race", "msan", "asan":
			g.Load = append(g.Load, a)
		}
	}
	for ; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			break
		}
		if run && len(g.Packages) > 0 && !(strings.HasSuffix(a, ".go") && strings.HasSuffix(g.Packages[0], ".go")) {
			break
		}
		g.Packages = append(g.Packages, a)
	}
	g.After = args[i:]
	return g
}
