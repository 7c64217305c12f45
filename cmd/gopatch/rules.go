package main

import (
	"context"
	"flag"

	"github.com/gopatch/gopatch/check"
	"github.com/gopatch/gopatch/rewrite"
)

var rulesFlags = flag.NewFlagSet("rules", flag.ContinueOnError)

var rulesCodes = rulesFlags.Bool("codes", false, "print the GP codes of check's findings and the rewriter's diagnostics instead")

var rulesCmd = &command{
	Name:      "rules",
	UsageLine: "rules",
	Short:     "print the rewrite rules",
	Long: `
Rules prints the rule table, in the order rules are tried: the Go construct
or std API each rule matches, by type-checked identity, and what it becomes.

-codes prints the table of GP codes instead: each finding gopatch check,
gopatch-vet and the rewriter report, its severity and what to do about it.
`,
	Flags: rulesFlags,
	Run: func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return &usageError{errorf("unexpected arguments")}
		}
		if *rulesCodes {
			return check.PrintCodes(stdout)
		}
		return rewrite.PrintRules(stdout)
	},
}
