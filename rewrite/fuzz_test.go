// This file holds FuzzRewriteGenerated, the property test over generated concurrent programs: the rewrite succeeds, its output builds and vets, and prints what the original prints.

package rewrite

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// fuzzSeeds are inputs of genProgram (see there for how bytes become
// choices) that together generate every statement kind, checked by
// FuzzRewriteGenerated; each comment says what the seed starts with.
var fuzzSeeds = [][]byte{
	// go leaf, go w.run, go gen[int], go vari(a, b, c)
	{4, 1, 2, 0, 3, 0, 4, 1},
	// go leaf(<-c), select with time.After in an argument, go pick(x)(y), go wg.Done
	{4, 5, 6, 1, 7, 8},
	// go literal with arguments holding go (&w).prun, a literal called in
	// an argument, a captured variable
	{3, 9, 2, 1, 2, 3, 11, 1, 5, 12, 1, 2, 2},
	// closure with defer, pipe holding a select loop, channel of channels, loop
	{4, 13, 1, 2, 4, 2, 0, 14, 2, 1, 1, 16, 1, 9, 0, 15, 1, 1, 0, 17, 0, 2, 1, 10, 1, 1},
	// method expression, stored method value, generics by inference and
	// with two type arguments, split..., xs..., select with default, once
	{4, 2, 1, 2, 2, 3, 1, 3, 2, 4, 3, 4, 2, 6, 2, 17, 1, 4, 0},
	// a select with send cases, a loop holding a select loop that starts
	// goroutines in its cases
	{2, 6, 3, 17, 0, 1, 1, 16, 1, 1},
	// function values from a receive, a map element, a conversion, a field
	{4, 18, 0, 18, 1, 18, 2, 18, 3},
	// methods through an embedded field, an interface, a generic type;
	// a generic function as a value
	{4, 19, 0, 19, 1, 19, 2, 19, 3},
	// a context cancelled, go close, a mutex in a struct, receives into
	// variables and map elements
	{4, 20, 0, 20, 1, 20, 2, 20, 3},
	// a multi-valued call as arguments
	{1, 4, 4},
}

// FuzzRewriteGenerated generates a program from each input (genProgram)
// and checks it as checkGenerated does. In plain go test it checks the
// seeds as one program, so one build each way covers them all; under
// -fuzz each input is a program of its own:
//
//	go test ./rewrite -run XXX -fuzz FuzzRewriteGenerated -fuzztime 10m
func FuzzRewriteGenerated(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	batched := map[string]bool{}
	if !fuzzing() {
		src, kinds := genProgram(fuzzSeeds...)
		for k := range genKinds {
			if !kinds[k] {
				f.Errorf("no seed generates statement kind %d", k)
			}
		}
		checkGenerated(f, src)
		for _, s := range fuzzSeeds {
			batched[string(s)] = true
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if batched[string(data)] {
			return // checked above, in the batch
		}
		src, _ := genProgram(data)
		checkGenerated(t, src)
	})
}

// fuzzing reports whether the test binary runs with -fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// genRunTimeout bounds one run of a generated program; natively each runs
// in milliseconds, so a rewritten one that outlives this has hung its hub.
const genRunTimeout = 15 * time.Second

// checkGenerated requires the main package src to build and vet natively
// (else the generator is at fault), to rewrite without error, the output to
// build and vet through the overlay the CLI uses, and the rewritten binary
// to print exactly what the native one prints and exit with its code. On a
// failure the program is in the log, to be kept in testdata/diff.
func checkGenerated(t testing.TB, src []byte) {
	t.Helper()
	dir, bin := t.TempDir(), t.TempDir()
	writeTestFile(t, filepath.Join(dir, "go.mod"), []byte("module example.com/gen\n\ngo 1.26\n"))
	writeTestFile(t, filepath.Join(dir, "main.go"), src)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		t.Fatalf("the program:\n%s", src)
	}
	native, patched := filepath.Join(bin, "native"), filepath.Join(bin, "patched")
	for _, args := range [][]string{{"vet", "."}, {"build", "-o", native, "."}} {
		if out, err := goCommand(dir, nil, args[0], args[1:]...); err != nil {
			fail("generator: go %s of the original: %v\n%s", args[0], err, out)
		}
	}
	res, err := Rewrite(Options{Dir: dir, LineDirectives: true}, "./...")
	if err != nil {
		fail("rewrite: %v", err)
	}
	ws, err := Prepare(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"vet", "."}, {"build", "-o", patched, "."}} {
		if out, err := goCommand(dir, ws, args[0], args[1:]...); err != nil {
			fail("go %s of the rewritten code: %v\n%s\nrewritten:\n%s", args[0], err, out, res.Diff())
		}
	}
	want, err := runGenerated(native)
	if err != nil {
		fail("native run: %v", err)
	}
	got, err := runGenerated(patched)
	if err != nil || got.code != want.code || got.stdout != want.stdout {
		fail("rewritten run (err %v, exit %d, native exit %d):\n--- native\n%s--- rewritten\n%s--- rewritten stderr\n%s",
			err, got.code, want.code, want.stdout, got.stdout, got.stderr)
	}
}

// A genRun is what one run of a generated program did.
type genRun struct {
	stdout, stderr string
	code           int
}

// runGenerated runs bin; the error says why it did not finish.
func runGenerated(bin string) (genRun, error) {
	ctx, cancel := context.WithTimeout(context.Background(), genRunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := genRun{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.code = -1
		return r, fmt.Errorf("did not finish in %v", genRunTimeout)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		return r, err
	}
	return r, nil
}
