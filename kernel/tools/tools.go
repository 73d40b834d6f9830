//go:build tools

// Package tools records the programs this module pins, so that `go mod tidy` keeps them.
package tools

import (
	_ "github.com/janpfeifer/gonb"
	_ "golang.org/x/tools/cmd/goimports"
)
