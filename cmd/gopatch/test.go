package main

var testCmd = &command{
	Name:      "test",
	UsageLine: "test [build/test flags] [packages] [test binary flags]",
	Short:     "rewrite and test packages",
	Long: `
Test rewrites the named packages and their tests, each TestXxx body running
as the main greenlet of a hub, and runs "go test" on the result. Flags are
go test's. The exit code is go test's.
`,
	Run: goVerb("test", true),
}
