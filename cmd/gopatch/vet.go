package main

var vetCmd = &command{
	Name:      "vet",
	UsageLine: "vet [build flags] [vet flags] [packages]",
	Short:     "rewrite and vet packages",
	Long: `
Vet rewrites the named packages, tests included, and runs "go vet" on the
result, so vet checks the code that will actually run. Positions point at
the user's files. The exit code is go vet's.
`,
	Run: goVerb("vet", true),
}
