package cwnb

// The dependency set is pinned in go.mod before the code that uses it lands; these blank imports
// keep `go mod tidy` from dropping a pin meanwhile. Remove an entry once real code imports it.
import (
	_ "github.com/aws/aws-sdk-go-v2/service/s3"
	_ "github.com/dop251/goja"
	_ "github.com/fxamacker/cbor/v2"
	_ "github.com/go-echarts/go-echarts/v2/charts"
	_ "github.com/johannesboyne/gofakes3"
	_ "github.com/moby/buildkit/frontend/dockerfile/parser"
	_ "github.com/srwiley/oksvg"
	_ "github.com/srwiley/rasterx"
	_ "golang.org/x/image/font"
)
