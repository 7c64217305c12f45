package check

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/gopatch/gopatch/rewrite"
)

// TestCodesAreOrderedAndUnique pins the table's shape: gopatch rules
// -codes prints it in code order, and a code names one reason.
func TestCodesAreOrderedAndUnique(t *testing.T) {
	valid := regexp.MustCompile(`^GP\d{4}$`)
	codes := Codes()
	for i, c := range codes {
		if !valid.MatchString(c.Code) {
			t.Errorf("code %q is not GPnnnn", c.Code)
		}
		if i > 0 && codes[i-1].Code >= c.Code {
			t.Errorf("code %s follows %s: the table must be in code order, each code once", c.Code, codes[i-1].Code)
		}
		if c.Severity != Error && c.Severity != Warning {
			t.Errorf("%s: severity %q", c.Code, c.Severity)
		}
		if c.Title == "" || c.Fix == "" {
			t.Errorf("%s: a row needs what was found and what to do", c.Code)
		}
	}
}

// TestPrintCodesListsEveryCode checks gopatch rules -codes' output.
func TestPrintCodesListsEveryCode(t *testing.T) {
	var b bytes.Buffer
	if err := PrintCodes(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(Codes())+1 {
		t.Fatalf("%d lines for %d codes:\n%s", len(lines), len(Codes()), b.String())
	}
	for i, c := range Codes() {
		if !strings.HasPrefix(lines[i+1], c.Code+" ") {
			t.Errorf("line %d is %q, want code %s", i+2, lines[i+1], c.Code)
		}
	}
}

// testsClassifyFallback records, for TestEveryCodeHasAGoldenTest, that
// TestClassifyKeepsUnknownReasons is GP0101's test.
const testsClassifyFallback = true

// TestClassifyKeepsUnknownReasons checks the fallback: a rewriter message
// no reason matches keeps the rewriter's GP0101, and other codes pass
// through.
func TestClassifyKeepsUnknownReasons(t *testing.T) {
	for _, tc := range []struct {
		d    rewrite.Diagnostic
		want string
	}{
		{rewrite.Diagnostic{Code: rewrite.CodeUnsupported, Message: "select case *ast.BadStmt is not rewritten"}, CodeUnsupported},
		{rewrite.Diagnostic{Code: rewrite.CodeUnsupported, Message: "call to net.LookupPort with 4 parameters and 2 results cannot be offloaded"}, CodeOffloadArity},
		{rewrite.Diagnostic{Code: rewrite.CodeParse, Message: "expected ';'"}, CodeParse},
	} {
		if got := classify(tc.d); got != tc.want {
			t.Errorf("classify(%q) = %s, want %s", tc.d.Message, got, tc.want)
		}
		if _, ok := Info(classify(tc.d)); !ok {
			t.Errorf("%s is not in the code table", classify(tc.d))
		}
	}
}
