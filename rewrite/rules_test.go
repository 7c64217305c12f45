package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestRulesOrder shows how the table's order acts: on each node, from the
// top of the tree, the first rule that matches rewrites the node and its
// subtree, and no later rule sees them. Two rules that both match a call
// give the first one's text; swapped, the other's. A rule that matches an
// outer node (as select does its cases' receives) wins over one that would
// match an inner node, whatever their order.
func TestRulesOrder(t *testing.T) {
	const src = "package p\n\nfunc f() { g(<-c) }\n"
	call := func(tag string) Rule {
		return Rule{[]Case{{Name: tag}}, func(r *rewriter, n ast.Node) (string, bool) {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return "", false
			}
			return tag + "(" + r.child(c.Args[0]) + ")", true
		}}
	}
	recv := Rule{[]Case{{Name: "recv"}}, func(r *rewriter, n ast.Node) (string, bool) {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			return "R(" + r.child(u.X) + ")", true
		}
		return "", false
	}}
	for _, c := range []struct {
		name  string
		rules []Rule
		want  string
	}{
		{"first of two call rules", []Rule{call("A"), call("B"), recv}, "A(R(c))"},
		{"swapped", []Rule{call("B"), call("A"), recv}, "B(R(c))"},
		{"inner rule listed first", []Rule{recv, call("A")}, "A(R(c))"},
		{"no rule for the call", []Rule{recv}, "g(R(c))"},
	} {
		if got := renderWith(t, src, c.rules); !strings.Contains(got, "{ "+c.want+" }") {
			t.Errorf("%s: got %q, want the body %q", c.name, got, c.want)
		}
	}
}

// renderWith renders the file src with the given rules in place of the
// table's.
func renderWith(t *testing.T, src string, rules []Rule) string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := &rewriter{
		opts: &Options{}, fset: fset, tf: fset.File(f.FileStart), file: f, src: []byte(src),
		rules: rules, skip: map[ast.Node]bool{}, subst: map[ast.Node]string{},
	}
	out, _ := r.render(f)
	return out
}

// TestRulesTable checks what the rewrite relies on in the table: every
// rule applies itself and names what it rewrites, every row's name is
// unique across rules and layers, and escape, which matches any call that
// passes a channel out, is tried last.
func TestRulesTable(t *testing.T) {
	rules := Rules()
	seen := map[string]bool{}
	for i, r := range rules {
		if r.apply == nil || len(r.Cases) == 0 {
			t.Errorf("rule %d (%v) has no apply function or no cases", i, r.Cases)
		}
		for _, c := range r.Cases {
			if seen[c.Name] {
				t.Errorf("row %s twice", c.Name)
			}
			seen[c.Name] = true
		}
	}
	for _, c := range Layers() {
		if seen[c.Name] {
			t.Errorf("row %s twice", c.Name)
		}
		seen[c.Name] = true
	}
	if last := rules[len(rules)-1].Cases[0].Name; last != "escape" {
		t.Errorf("the last rule is %s, want escape", last)
	}
}
