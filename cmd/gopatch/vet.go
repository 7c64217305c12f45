package main

var vetCmd = &command{
	Name:      "vet",
	UsageLine: "vet [-patch m] [build flags] [vet flags] [packages]",
	Short:     "rewrite and vet packages",
	Long: `
Vet rewrites the named packages, tests included, and the dependency
modules they use, and runs "go vet" on the result, so vet checks the code
that will actually run. Positions point at the user's files. Its one flag
of its own:
` + patchUsage + `
The exit code is go vet's.
`,
	Run: goVerb("vet", true),
}
