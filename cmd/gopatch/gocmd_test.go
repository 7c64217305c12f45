package main

import (
	"reflect"
	"testing"
)

func TestSplitGoArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		run  bool
		want goArgs
	}{
		{nil, false, goArgs{after: []string{}}},
		{[]string{"-v", "-run", "TestX", "./...", "-count=1"}, false,
			goArgs{flags: []string{"-v", "-run", "TestX"}, packages: []string{"./..."}, after: []string{"-count=1"}}},
		{[]string{"-tags", "a,b", "./p", "./q"}, false,
			goArgs{flags: []string{"-tags", "a,b"}, packages: []string{"./p", "./q"}, after: []string{}, tags: "a,b"}},
		{[]string{"-race", ".", "x", "-y"}, true,
			goArgs{flags: []string{"-race"}, packages: []string{"."}, after: []string{"x", "-y"}}},
		{[]string{"a.go", "b.go", "arg"}, true,
			goArgs{packages: []string{"a.go", "b.go"}, after: []string{"arg"}}},
	} {
		got := splitGoArgs(tc.args, tc.run)
		if len(got.after) == 0 {
			got.after = []string{}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitGoArgs(%q, %v) = %+v, want %+v", tc.args, tc.run, got, tc.want)
		}
	}
}
