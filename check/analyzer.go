// This file defines the Analyzer: one pass over a package's files that reports the calls which would block the hub and the constructs the rewriter cannot rewrite.

package check

import (
	"fmt"
	"go/ast"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/gopatch/gopatch/rewrite"
)

// Analyzer reports, in a package meant to run on gopatch's hub, the calls
// that would block the hub and that no rewrite rule covers, and the
// constructs the rewriter does not support, each with its GP code and what
// to do about it. Files that gopatch generate wrote are skipped: their
// sources are analysed instead.
//
// It has no facts and requires no other analyzer, so any driver runs it
// on a single package: gopatch check, go vet -vettool=gopatch-vet, or a
// multichecker.
var Analyzer = &analysis.Analyzer{
	Name: "gopatch",
	Doc: `report code that would block gopatch's cooperative hub

The gopatch analyzer reports calls that block the hub and that no rewrite
rule covers (raw syscalls, cgo, reflect's channel operations, spin loops on
sync/atomic and, in packages that go generate twins, standard library
waits and dependency modules that generate does not patch), and
constructs the rewriter does not support. Each finding carries a GP code; gopatch rules -codes lists them.`,
	URL: "https://github.com/gopatch/gopatch",
	Run: run,
}

func run(pass *analysis.Pass) (any, error) {
	var files []*ast.File
	for _, f := range pass.Files {
		if !isTwin(f) {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return nil, nil
	}
	twinned := hasDirective(files)
	for _, f := range files {
		if twinned {
			checkImports(pass, f)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				checkCall(pass, n, twinned)
			case *ast.ForStmt:
				checkSpin(pass, n)
			}
			return true
		})
	}
	return nil, reportUnsupported(pass, files)
}

// isTwin reports whether f was written by gopatch generate.
func isTwin(f *ast.File) bool {
	return len(f.Comments) > 0 && f.Comments[0].Pos() < f.Package &&
		strings.TrimSpace(f.Comments[0].List[0].Text) == rewrite.GeneratedHeader
}

// report reports a finding of code at node, its message followed by the
// code, as every gopatch diagnostic is formatted.
func report(pass *analysis.Pass, node ast.Node, code, format string, args ...any) {
	pass.Report(analysis.Diagnostic{
		Pos:      node.Pos(),
		End:      node.End(),
		Category: code,
		Message:  fmt.Sprintf(format, args...) + " (" + code + ")",
	})
}
