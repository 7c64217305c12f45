// Package rewrite is gopatch's rewriter: it loads type-checked Go packages and
// rewrites their blocking constructs (go statements, channel operations,
// select, sync, time, context, runtime.Gosched, entry points, recover, and
// known-blocking std calls, which it offloads) into calls to the cooperative
// runtime [github.com/gopatch/gopatch/rt], the analogue of gevent's
// monkey.patch_all. It rewrites the main module, its dependencies
// (deps.go) and the standard library above rt (stdrewrite.go), and patches
// the blocking points of the standard library below rt with hooks
// (stdhooks.go).
//
// The command gopatch (cmd/gopatch) is its only importer: it calls [Rewrite]
// and then writes the result as an overlay for the go command ([Prepare]),
// into a directory, in place, or as a diff.
//
// # How a file is rewritten
//
// Rewriting is text splicing on the original bytes: every rule in [Rules]
// matches a type-checked syntax node and produces replacement text, built
// from the rendering of the node's children, so code that no rule touches is
// kept byte for byte. Rewritten code imports exactly one package, rt, under
// the reserved name gopatchrt, added on the package clause's line so line
// numbers do not move. For the overlay, //line and /*line*/ directives map
// every position back to the user's file, so compile errors, vet reports and
// panics point at the original file:line:col.
//
// Rewriting is idempotent: rewritten code holds none of the constructs the
// rules match, and entry points already wrapped in gopatchrt.Run are left
// alone.
//
// # Which packages are rewritten
//
// [Rewrite] rewrites the main module's packages. A [Cache] with
// [PatchAll], which build, test, run and vet use, also rewrites the
// packages of every dependency module the build uses (deps.go), so that a
// dependency's WaitGroup or select waits on the hub too: all but rt's own
// module and the modules rt imports, which would make rt import itself
// (and the standard library's packages above rt, overlaid in place:
// stdrewrite.go). The go command refuses to overlay the module cache, so [Prepare] builds
// such a module from a writable copy with its rewritten files, under
// [SharedDir], which a replace in the generated go.mod points at; a module
// replaced by a local directory is overlaid in place. A dependency's files
// keep line directives naming the module cache's files.
package rewrite
