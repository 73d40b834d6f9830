package cwnb

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"sort"
	"strings"
	"testing"
)

// maxFacadeNames bounds what `go doc github.com/cwnb/cwnb/cwnb` lists, counted as exportedNames
// counts. Issue 9 asks for at most half of the first release's 301; lower it as the facade
// shrinks, never raise it without a reason a notebook needs.
const maxFacadeNames = 305

// exportedNames lists the package's exported names as go doc -all shows them: constants,
// variables, functions, types, methods of exported types, exported and embedded struct fields, and
// interface methods.
func exportedNames(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range pkgs {
		d := doc.New(p, "github.com/cwnb/cwnb/cwnb", 0)
		values := func(vs []*doc.Value) {
			for _, v := range vs {
				for _, n := range v.Names {
					if ast.IsExported(n) {
						names = append(names, n)
					}
				}
			}
		}
		values(d.Consts)
		values(d.Vars)
		for _, f := range d.Funcs {
			names = append(names, f.Name)
		}
		for _, ty := range d.Types {
			names = append(names, ty.Name)
			values(ty.Consts)
			values(ty.Vars)
			for _, f := range ty.Funcs {
				names = append(names, f.Name)
			}
			for _, m := range ty.Methods {
				names = append(names, ty.Name+"."+m.Name)
			}
			for _, s := range ty.Decl.Specs {
				switch x := s.(*ast.TypeSpec).Type.(type) {
				case *ast.StructType:
					for _, f := range x.Fields.List {
						if len(f.Names) == 0 {
							names = append(names, ty.Name+".(embedded)")
						}
						for _, n := range f.Names {
							if n.IsExported() {
								names = append(names, ty.Name+"."+n.Name)
							}
						}
					}
				case *ast.InterfaceType:
					for _, f := range x.Methods.List {
						for _, n := range f.Names {
							names = append(names, ty.Name+"."+n.Name)
						}
					}
				}
			}
		}
	}
	sort.Strings(names)
	return names
}

func TestFacadeSize(t *testing.T) {
	names := exportedNames(t)
	t.Logf("%d exported names (go test -v -run TestFacadeSize lists them)", len(names))
	if testing.Verbose() {
		t.Log(strings.Join(names, " "))
	}
	if len(names) > maxFacadeNames {
		t.Errorf("the facade exports %d names, more than %d: keep loader internals unexported and re-export only what a notebook needs", len(names), maxFacadeNames)
	}
}
