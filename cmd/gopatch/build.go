package main

var buildCmd = &command{
	Name:      "build",
	UsageLine: "build [-patch m] [build flags] [packages]",
	Short:     "rewrite and build packages",
	Long: `
Build rewrites the named packages of the main module into .gopatch, and
the dependency modules they use into copies that the generated go.mod
replaces them with, and runs "go build" on them with -overlay and
-modfile, so the user's files and go.mod stay untouched. Flags are the go
command's, apart from gopatch's own:
` + patchUsage + `
The exit code is go build's.
`,
	Run: goVerb("build", false),
}
