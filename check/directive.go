// This file finds the //go:generate lines that run gopatch generate: they mark a package as the source of a cooperative twin, and check compares each twin with what its line would generate.

package check

import (
	"go/ast"
	"os"
	"strconv"
	"strings"
)

// A Directive is a //go:generate line that runs gopatch generate.
type Directive struct {
	File string   // absolute path of the file that holds it
	Line int      // its line
	Args []string // gopatch generate's arguments, expanded as go generate does
}

// ParseDirective returns the arguments gopatch generate gets from the
// comment text, a //go:generate line, and whether the line runs it: as
// "go tool gopatch generate", "gopatch generate" or "go run
// github.com/gopatch/gopatch/cmd/gopatch generate". file and pkg stand for
// $GOFILE and $GOPACKAGE and line for $GOLINE; other variables come from
// the environment, as go generate expands them.
func ParseDirective(text, file, pkg string, line int) ([]string, bool) {
	rest, ok := strings.CutPrefix(text, "//go:generate ")
	if !ok {
		return nil, false
	}
	fields := splitDirective(rest)
	for i := 0; i+1 < len(fields); i++ {
		f := fields[i]
		if (f == "gopatch" || strings.HasSuffix(f, "/cmd/gopatch")) && fields[i+1] == "generate" {
			args := fields[i+2:]
			for j, a := range args {
				args[j] = os.Expand(a, func(name string) string {
					switch name {
					case "GOFILE":
						return file
					case "GOPACKAGE":
						return pkg
					case "GOLINE":
						return strconv.Itoa(line)
					case "DOLLAR":
						return "$"
					}
					return os.Getenv(name)
				})
			}
			return args, true
		}
	}
	return nil, false
}

// splitDirective splits a go:generate line into words as go generate
// does: at spaces and tabs, a double-quoted string being one word.
func splitDirective(line string) []string {
	var words []string
	for {
		line = strings.TrimLeft(line, " \t")
		if line == "" {
			return words
		}
		if line[0] == '"' {
			if q, err := strconv.QuotedPrefix(line); err == nil {
				w, _ := strconv.Unquote(q)
				words = append(words, w)
				line = line[len(q):]
				continue
			}
		}
		i := strings.IndexAny(line, " \t")
		if i < 0 {
			i = len(line)
		}
		words = append(words, line[:i])
		line = line[i:]
	}
}

// hasDirective reports whether any of files holds a gopatch generate line:
// the package is the source of a twin.
func hasDirective(files []*ast.File) bool {
	for _, f := range files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if _, ok := ParseDirective(c.Text, "", "", 0); ok {
					return true
				}
			}
		}
	}
	return false
}
