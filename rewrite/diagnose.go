// This file runs the rewriter over a package another driver has loaded and type-checked (a go/analysis pass), for its diagnostics alone.

package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/packages"
)

// Diagnose rewrites files, the type-checked files of pkg, in memory and
// returns the diagnostics of what the rewriter cannot rewrite, in file
// order; it writes nothing. module is the path of the module pkg belongs
// to ("" when unknown): packages outside it are not rewritten, which
// decides which channels escape. The files must hold on disk what was
// parsed, since the rewriter splices their bytes; a file that has changed
// since is an error.
//
// Diagnose is how gopatch check and gopatch-vet report, within their own
// load, exactly what the rewriter would refuse.
func Diagnose(fset *token.FileSet, pkg *types.Package, info *types.Info, files []*ast.File, module string) ([]Diagnostic, error) {
	p := &packages.Package{
		PkgPath:   pkg.Path(),
		Name:      pkg.Name(),
		Fset:      fset,
		Types:     pkg,
		TypesInfo: info,
		Syntax:    files,
	}
	if module != "" {
		p.Module = &packages.Module{Path: module}
	}
	for _, f := range files {
		p.CompiledGoFiles = append(p.CompiledGoFiles, fset.File(f.FileStart).Name())
	}
	p.GoFiles = p.CompiledGoFiles
	opts := &Options{}
	var diags []Diagnostic
	for i, f := range files {
		_, ds, err := rewriteFile(opts, p, f, p.CompiledGoFiles[i])
		if err != nil {
			return nil, err
		}
		diags = append(diags, ds...)
	}
	return diags, nil
}
