// This file reports the constructs the rewriter refuses, by running it over the package in memory, each under the code of its reason.

package check

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/gopatch/gopatch/rewrite"
)

// reasons classify the rewriter's GP0101 diagnostics by their message, so
// each reason has a code of its own. The rewriter reports them all under
// one code; a message it adds that no entry matches stays GP0101, and
// TestUnsupportedConstructs makes the rewriter print each entry's message,
// so a reworded message fails there rather than falling back silently.
var reasons = []struct{ substr, code string }{
	{"cannot run its function as the main greenlet of a hub", CodeEntryMethodExpr},
	{"unexported embedded field", CodeUnexportedEmbedded},
	{"is not rewritten: only (*time.", CodeTimerMethodExpr},
	{"cannot be offloaded", CodeOffloadArity},
}

// classify returns the code for a rewriter diagnostic.
func classify(d rewrite.Diagnostic) string {
	if d.Code != rewrite.CodeUnsupported {
		return d.Code
	}
	for _, r := range reasons {
		if strings.Contains(d.Message, r.substr) {
			return r.code
		}
	}
	return d.Code
}

// reportUnsupported reports what the rewriter refuses in files.
func reportUnsupported(pass *analysis.Pass, files []*ast.File) error {
	module := ""
	if pass.Module != nil {
		module = pass.Module.Path
	}
	diags, err := rewrite.Diagnose(pass.Fset, pass.Pkg, pass.TypesInfo, files, module)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, d := range diags {
		// The rewriter may meet one construct twice (a call's selector is
		// also a child of the call); report it once.
		if k := d.String(); seen[k] {
			continue
		} else {
			seen[k] = true
		}
		pos := findPos(pass.Fset, files, d.Pos)
		pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: classify(d),
			Message:  d.Message + " (" + classify(d) + ")",
		})
	}
	return nil
}

// findPos turns a position back into a token.Pos of one of files.
func findPos(fset *token.FileSet, files []*ast.File, p token.Position) token.Pos {
	for _, f := range files {
		tf := fset.File(f.FileStart)
		if tf.Name() == p.Filename && p.Offset <= tf.Size() {
			return tf.Pos(p.Offset)
		}
	}
	return files[0].Package
}
