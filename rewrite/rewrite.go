// This file holds the rewriting engine: options, the per-file rewriter, and text splicing with line directives.

package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// rtPath is the import path of the runtime; rtName is the reserved name it
// is imported under in rewritten files.
const (
	rtPath = "github.com/gopatch/gopatch/rt"
	rtName = "gopatchrt"
)

// Options say what to load and how to write the result.
type Options struct {
	Dir        string   // directory to load from; "" means the current one
	Tests      bool     // also rewrite _test.go files (the test variants)
	BuildFlags []string // passed to the go command when loading, e.g. -tags=x
	Env        []string // environment for the go command; nil means os.Environ

	// LineDirectives adds //line and /*line*/ directives mapping the output
	// back to the original file. Set it for output that is compiled in place
	// of the original (the overlay); leave it off for output a person reads.
	LineDirectives bool

	// patched holds the import paths of the dependency packages rewritten
	// along with the main module's (deps.go): load keeps them, and a
	// channel handed to one of them does not escape.
	patched map[string]bool

	// typesFromSource type-checks the packages the loaded ones import from
	// their source, not from the export data the go command compiles for
	// them. It is for the dependencies' rewrite (Cache.rewriteDeps): their
	// imports are the standard library and modules above it, whose native
	// export data a gopatch build never uses (it builds them rewritten),
	// so compiling it would cost as much as the build itself; type-checking
	// them costs a fraction of that (the fetch example's 186 packages:
	// 4.7 s against 46 s from an empty go build cache).
	typesFromSource bool

	// throughWorkspace says that BuildFlags load through a workspace
	// (Cache.Rewrite's loadThroughWorkspace), whose standard packages
	// import rt.
	throughWorkspace bool
}

// A File is one rewritten file.
type File struct {
	Path string // absolute path of the original file
	Old  []byte // original content
	New  []byte // rewritten content
}

// A Result is the outcome of [Rewrite].
type Result struct {
	ModuleRoot string  // root directory of the main module
	Files      []*File // files that changed, sorted by path

	// Modules are the dependency modules with files among Files (deps.go).
	Modules []*Module
}

// Rewrite loads patterns and rewrites every file of the main module's
// packages. When a package fails to load or a construct cannot be rewritten
// it returns a *DiagnosticsError and no files.
func Rewrite(opts Options, patterns ...string) (*Result, error) {
	if err := opts.defaultDir(); err != nil {
		return nil, err
	}
	pkgs, root, err := load(&opts, patterns)
	if err != nil {
		return nil, err
	}
	res := &Result{ModuleRoot: root}
	var diags []Diagnostic
	done := map[string]bool{}
	for _, p := range pkgs {
		for i, f := range p.Syntax {
			path := p.CompiledGoFiles[i]
			if done[path] || !strings.HasSuffix(path, ".go") || cgoGenerated(p, path) {
				continue // a test variant repeats its package's files
			}
			done[path] = true
			out, ds, err := rewriteFile(&opts, p, f, path)
			if err != nil {
				return nil, err
			}
			diags = append(diags, ds...)
			if out != nil {
				res.Files = append(res.Files, out)
			}
		}
	}
	if len(diags) > 0 {
		for i := range diags {
			diags[i].Pos.Filename = relTo(opts.Dir, diags[i].Pos.Filename)
		}
		sortDiagnostics(diags)
		return nil, &DiagnosticsError{diags}
	}
	res.sortFiles()
	return res, nil
}

// sortFiles sorts res.Files by path.
func (res *Result) sortFiles() {
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
}

// defaultDir makes the current directory the one the options run in when
// they name none.
func (o *Options) defaultDir() error {
	if o.Dir != "" {
		return nil
	}
	wd, err := os.Getwd()
	o.Dir = wd
	return err
}

// defaults is defaultDir, and returns patterns, or "." when there are none.
func (o *Options) defaults(patterns []string) ([]string, error) {
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	return patterns, o.defaultDir()
}

// A rewriter rewrites one file.
type rewriter struct {
	opts  *Options
	fset  *token.FileSet
	tf    *token.File
	file  *ast.File
	src   []byte
	info  *types.Info
	path  string
	mod   string // module path of the package; packages outside it are not rewritten
	std   bool   // the package is the standard library's (stdrewrite.go)
	rules []Rule

	diags   []Diagnostic
	usesRT  bool                   // the output calls gopatchrt
	helpers map[string]string      // per-file helper declarations, by name
	dropped map[*types.PkgName]int // uses of an import removed by rules
	skip    map[ast.Node]bool      // nodes no rule may rewrite
	subst   map[ast.Node]string    // nodes rendered as given text (the temporaries of the go statements being rendered)
	ntmp    int                    // temporaries made so far
}

// rewriteFile returns the rewritten file, or nil when nothing changed.
func rewriteFile(opts *Options, p *packages.Package, f *ast.File, path string) (*File, []Diagnostic, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	tf := p.Fset.File(f.FileStart)
	if tf == nil || tf.Size() != len(src) {
		return nil, nil, fmt.Errorf("%s: changed while gopatch was reading it", path)
	}
	r := &rewriter{
		opts: opts, fset: p.Fset, tf: tf, file: f, src: src, info: p.TypesInfo, path: path,
		mod:     modulePath(p),
		std:     p.Module == nil && opts.patched[p.PkgPath],
		rules:   Rules(),
		helpers: map[string]string{},
		dropped: map[*types.PkgName]int{},
		skip:    map[ast.Node]bool{},
		subst:   map[ast.Node]string{},
	}
	r.markSkipped()
	var parts []part
	for _, d := range f.Decls {
		if s, ok := r.render(d); ok {
			parts = append(parts, part{d.Pos(), d.End(), s})
		}
	}
	if len(r.diags) > 0 {
		return nil, r.diags, nil
	}
	if len(parts) == 0 {
		return nil, nil, nil
	}
	parts = append(parts, r.importParts()...)
	if len(r.helpers) > 0 {
		names := make([]string, 0, len(r.helpers))
		for n := range r.helpers {
			names = append(names, n)
		}
		sort.Strings(names)
		var b strings.Builder
		for _, n := range names {
			b.WriteString("\n" + r.helpers[n] + "\n")
		}
		parts = append(parts, part{f.FileEnd, f.FileEnd, b.String()})
	}
	out := r.compose(f.FileStart, f.FileEnd, parts)
	if opts.LineDirectives {
		out = "//line " + path + ":1:1\n" + out
	}
	newSrc := []byte(out)
	if !r.fileAtLeast(goGenerics) {
		if newSrc, err = liftGoVersion(newSrc, goGenerics); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
	}
	return &File{Path: path, Old: src, New: newSrc}, nil, nil
}

// markSkipped marks the recover() calls already wrapped in gopatchrt.Recover,
// so that rewriting rewritten code changes nothing.
func (r *rewriter) markSkipped() {
	ast.Inspect(r.file, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && r.isRTCall(call, "Recover") && len(call.Args) == 1 {
			r.skip[ast.Unparen(call.Args[0])] = true
		}
		return true
	})
}

// isRTCall reports whether call calls gopatchrt.name.
func (r *rewriter) isRTCall(call *ast.CallExpr, name string) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	pn, ok := r.info.Uses[id].(*types.PkgName)
	return ok && pn.Imported().Path() == rtPath
}

// importParts adds the rt import and blanks imports whose every use a rule
// removed (time, once time.Sleep is gone).
func (r *rewriter) importParts() []part {
	var parts []part
	hasRT := false
	uses := map[*types.PkgName]int{}
	for _, obj := range r.info.Uses {
		if pn, ok := obj.(*types.PkgName); ok {
			uses[pn]++
		}
	}
	for _, spec := range r.file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if path == rtPath && spec.Name != nil && spec.Name.Name == rtName {
			hasRT = true
			continue
		}
		var pn *types.PkgName
		if spec.Name != nil {
			pn, _ = r.info.Defs[spec.Name].(*types.PkgName)
		} else {
			pn, _ = r.info.Implicits[spec].(*types.PkgName)
		}
		if pn == nil || r.dropped[pn] == 0 || countUsesIn(r, pn) > r.dropped[pn] {
			continue
		}
		if spec.Name != nil {
			parts = append(parts, part{spec.Name.Pos(), spec.Name.End(), "_"})
		} else {
			parts = append(parts, part{spec.Path.Pos(), spec.Path.Pos(), "_ "})
		}
	}
	if r.usesRT && !hasRT {
		parts = append(parts, part{r.file.Name.End(), r.file.Name.End(), "; import " + rtName + " " + strconv.Quote(rtPath)})
	}
	return parts
}

// countUsesIn counts the uses of pn in this file.
func countUsesIn(r *rewriter, pn *types.PkgName) int {
	n := 0
	for id, obj := range r.info.Uses {
		if obj == pn && r.tf.Base() <= int(id.Pos()) && int(id.Pos()) <= r.tf.Base()+r.tf.Size() {
			n++
		}
	}
	return n
}

// A part replaces the source in [start, end) with text.
type part struct {
	start, end token.Pos
	text       string
}

// render returns the text of n with every rule applied to n and its
// descendants, and whether it differs from the original.
func (r *rewriter) render(n ast.Node) (string, bool) {
	if s, ok := r.subst[n]; ok {
		return s, true
	}
	if !r.skip[n] {
		for _, rule := range r.rules {
			if s, ok := rule.apply(r, n); ok {
				r.usesRT = true
				return s, true
			}
		}
	}
	return r.splice(n.Pos(), n.End(), children(n))
}

// splice renders nodes, which lie in [start, end), and returns the source of
// [start, end) with the changed ones replaced.
func (r *rewriter) splice(start, end token.Pos, nodes []ast.Node) (string, bool) {
	var parts []part
	for _, c := range nodes {
		if s, ok := r.render(c); ok {
			parts = append(parts, part{c.Pos(), c.End(), s})
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	return r.compose(start, end, parts), true
}

// child returns the rendered text of n for use inside a replacement,
// preceded by a directive giving its original position.
func (r *rewriter) child(n ast.Node) string {
	s, ok := r.render(n)
	if !ok {
		s = r.text(n.Pos(), n.End())
	}
	return r.directive(n.Pos()) + s
}

// stmts renders the statements of a block or clause body, with the text
// between them, from start to end.
func (r *rewriter) stmts(start, end token.Pos, list []ast.Stmt) string {
	nodes := make([]ast.Node, len(list))
	for i, s := range list {
		nodes[i] = s
	}
	if s, ok := r.splice(start, end, nodes); ok {
		return s
	}
	return r.text(start, end)
}

// compose returns the source of [start, end) with parts replaced. After each
// part a directive restores the original position of the text that follows.
func (r *rewriter) compose(start, end token.Pos, parts []part) string {
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].start < parts[j].start })
	var b strings.Builder
	at := start
	for _, p := range parts {
		b.WriteString(r.text(at, p.start))
		b.WriteString(p.text)
		b.WriteString(r.directive(p.end))
		at = p.end
	}
	b.WriteString(r.text(at, end))
	return b.String()
}

func (r *rewriter) text(start, end token.Pos) string {
	return string(r.src[r.tf.Offset(start):r.tf.Offset(end)])
}

// directive returns a /*line*/ directive that gives the next character the
// position pos, or "" when line directives are off.
func (r *rewriter) directive(pos token.Pos) string {
	if !r.opts.LineDirectives {
		return ""
	}
	p := r.tf.PositionFor(pos, false)
	return fmt.Sprintf("/*line %s:%d:%d*/", r.path, p.Line, p.Column)
}

// tmp returns a fresh name for a temporary; the gopatchrt_ prefix is reserved.
func (r *rewriter) tmp() string {
	r.ntmp++
	return fmt.Sprintf("%s_%d", rtName, r.ntmp)
}

// helperName names a per-file helper declaration. Helpers are per file, so the
// name carries the file's base name: two files of one package never clash.
func (r *rewriter) helperName(kind string) string {
	var b strings.Builder
	b.WriteString(rtName + kind + "_")
	for _, c := range []byte(filepath.Base(r.path)) {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
			b.WriteByte(c)
		case c == '.':
			b.WriteByte('_')
		default: // keep a-b.go and a_b.go apart
			fmt.Fprintf(&b, "x%02x", c)
		}
	}
	return b.String()
}

// errorf records a diagnostic at pos.
func (r *rewriter) errorf(pos token.Pos, code, format string, args ...any) {
	r.diags = append(r.diags, Diagnostic{Pos: r.fset.Position(pos), Message: fmt.Sprintf(format, args...), Code: code})
}

// children returns n's direct children in source order.
func children(n ast.Node) []ast.Node {
	var list []ast.Node
	ast.Inspect(n, func(c ast.Node) bool {
		if c == n {
			return true
		}
		if c != nil {
			list = append(list, c)
		}
		return false
	})
	sort.SliceStable(list, func(i, j int) bool { return list[i].Pos() < list[j].Pos() })
	return list
}

// relTo returns path relative to dir when it lies under dir.
func relTo(dir, path string) string {
	if path == "" || dir == "" {
		return path
	}
	if rel, ok := strings.CutPrefix(path, strings.TrimSuffix(dir, string(os.PathSeparator))+string(os.PathSeparator)); ok {
		return rel
	}
	return path
}

// isType reports whether e denotes a type.
func (r *rewriter) isType(e ast.Expr) bool {
	tv, ok := r.info.Types[e]
	return ok && tv.IsType()
}

// builtin returns the name of the builtin call calls, or "".
func (r *rewriter) builtin(call *ast.CallExpr) string {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if b, ok := r.info.Uses[id].(*types.Builtin); ok {
		return b.Name()
	}
	return ""
}
