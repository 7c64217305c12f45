// Package gopatch carries what the gopatch command writes next to the code it
// rewrites: the source of the runtime, package rt, and the module files rt is
// built with. Rewritten code imports rt, but the user's module has never
// required gopatch, so cmd/gopatch writes this copy into the user's .gopatch
// directory and points a generated go.mod at it (see rewrite.Prepare). The
// copy is embedded rather than fetched so the rt a program runs with is
// always the one that matches the rewriter that produced it, offline.
//
// This package lives at the module root because go:embed cannot reach into
// parent directories, and only the root sees both rt/ and go.sum.
package gopatch

import "embed"

// Source holds go.mod, go.sum and the rt directory of this module.
//
//go:embed go.mod go.sum rt
var Source embed.FS
