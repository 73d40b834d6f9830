package cwnb

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"sort"
	"strings"
	"testing"
)

// parsePackage parses the non-test files of a directory.
func parsePackage(t *testing.T, dir string) []*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range pkgs {
		for _, f := range p.Files {
			files = append(files, f)
		}
	}
	return files
}

// topLevel maps each exported top-level name of the files (constants, variables, functions,
// types; not methods) to its declaration node.
func topLevel(files []*ast.File) map[string]ast.Node {
	out := map[string]ast.Node{}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					out[d.Name.Name] = d
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							out[s.Name.Name] = s
						}
					case *ast.ValueSpec:
						for i, n := range s.Names {
							if n.IsExported() {
								var v ast.Node = s
								if i < len(s.Values) {
									v = s.Values[i]
								}
								out[n.Name] = v
							}
						}
					}
				}
			}
		}
	}
	return out
}

// mentions reports whether node refers to ts.<name>: an alias, an embedded field, a value or a
// call of the same thing in package ts.
func mentions(node ast.Node, name string) bool {
	found := false
	ast.Inspect(node, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "ts" && sel.Sel.Name == name {
				found = true
			}
		}
		return !found
	})
	return found
}

// One word, one meaning (issue 9): a name that both the facade and package ts export must be the
// same thing in both, a re-export (alias, constant, wrapper embedding it, function calling it),
// so that a notebook reading cwnb.Last and ts.Last, or cwnb.Between and ts.Between, never meets
// two meanings.
func TestNoNameWithTwoMeanings(t *testing.T) {
	facade := topLevel(parsePackage(t, "."))
	core := topLevel(parsePackage(t, "ts"))
	// Known exceptions, each with the reason it stays:
	known := map[string]string{
		"Series": "the loader's column with its metadata, ts's (times, values) pair; a loader-side rename",
		"Band":   "a plot option drawing the envelope between two columns, ts's anomaly envelope: both are a band",
	}
	var shared []string
	for name, node := range facade {
		if _, ok := core[name]; !ok {
			continue
		}
		shared = append(shared, name)
		if _, ok := known[name]; ok {
			continue
		}
		if !mentions(node, name) {
			t.Errorf("cwnb.%s and ts.%s are different things; rename one, or make cwnb.%s re-export ts.%s", name, name, name, name)
		}
	}
	sort.Strings(shared)
	t.Logf("the facade exports %d top-level names; %d shared with ts: %s", len(facade), len(shared), strings.Join(shared, " "))
}
