// Command gopatch-vet runs gopatch's check, the analyzer of package
// [github.com/gopatch/gopatch/check], as a go vet tool, so the findings
// gopatch check prints come from go vet too, one package at a time:
//
//	go install github.com/gopatch/gopatch/cmd/gopatch-vet
//	go vet -vettool=$(which gopatch-vet) ./...
//
// It reports what would block the hub and what the rewriter cannot
// rewrite, with the same GP codes and messages. It does not compare go
// generate output with its sources: that needs the whole module, and
// only gopatch check does it.
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/gopatch/gopatch/check"
)

func main() { unitchecker.Main(check.Analyzer) }
