package main

import (
	"context"
	"flag"

	"github.com/gopatch/gopatch/rewrite"
)

var rulesCmd = &command{
	Name:      "rules",
	UsageLine: "rules",
	Short:     "print the rewrite rules",
	Long: `
Rules prints the rule table, in the order rules are tried: the Go construct
or std API each rule matches, by type-checked identity, and what it becomes.
`,
	Flags: flag.NewFlagSet("rules", flag.ContinueOnError),
	Run: func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return &usageError{errorf("unexpected arguments")}
		}
		return rewrite.PrintRules(stdout)
	},
}
