package main

var buildCmd = &command{
	Name:      "build",
	UsageLine: "build [build flags] [packages]",
	Short:     "rewrite and build packages",
	Long: `
Build rewrites the named packages of the main module into .gopatch and runs
"go build" on them with -overlay and -modfile, so the user's files and
go.mod stay untouched. Flags are the go command's. The exit code is go
build's.
`,
	Run: goVerb("build", false),
}
