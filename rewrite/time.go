// This file rewrites references to time.Sleep and time.Now into the hub's sleep and clock.

package rewrite

import (
	"go/ast"
	"go/types"
)

// timeFuncs maps the time functions rewritten so far to their rt counterparts.
var timeFuncs = map[string]string{
	"Sleep": "Sleep",
	"Now":   "Now",
}

// rewriteTime rewrites every reference to time.Sleep or time.Now, called or
// used as a value, matched by the object it refers to, so a renamed or dot
// import of time is rewritten too and a local function named Sleep is not.
func rewriteTime(r *rewriter, n ast.Node) (string, bool) {
	var id *ast.Ident
	var pkgIdent *ast.Ident
	switch x := n.(type) {
	case *ast.SelectorExpr:
		id = x.Sel
		pkgIdent, _ = x.X.(*ast.Ident)
	case *ast.Ident:
		id = x
	default:
		return "", false
	}
	fn, ok := r.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "time" || fn.Signature().Recv() != nil {
		return "", false
	}
	to, ok := timeFuncs[fn.Name()]
	if !ok {
		return "", false
	}
	if pkgIdent != nil {
		pn, ok := r.info.Uses[pkgIdent].(*types.PkgName)
		if !ok {
			return "", false
		}
		r.dropped[pn]++
	} else if pn := r.dotImport("time"); pn != nil {
		r.dropped[pn]++
	}
	return rtName + "." + to, true
}

// dotImport returns the PkgName of a dot import of path in this file.
func (r *rewriter) dotImport(path string) *types.PkgName {
	for _, spec := range r.file.Imports {
		if spec.Name != nil && spec.Name.Name == "." {
			if pn, ok := r.info.Implicits[spec].(*types.PkgName); ok && pn.Imported().Path() == path {
				return pn
			}
		}
	}
	return nil
}
