// Package kernelspec installs the "Go (cwnb)" Jupyter kernel: GoNB with a go.work that includes
// this repository's module, so that a notebook cell can import github.com/cwnb/cwnb/cwnb and the
// pinned third-party packages (gota, go-echarts, the AWS SDK) without downloading anything.
//
// Install writes $JUPYTER_DATA_DIR/kernels/<name>/kernel.json (the same format `gonb --install`
// writes) and copies the gonb and goimports binaries next to it, so the kernel keeps working after
// `make clean`. The kernel's environment points GOPROXY at the local module cache
// (file://$GOMODCACHE/cache/download) with GOSUMDB=off: GoNB runs `go get` before compiling every
// cell, and the module proxy refuses version listing for some pinned modules. Prime fills the module
// cache with the metadata that `go get` needs, once, while the network is there.
//
// Installing again rewrites the same files: Install is idempotent.
package kernelspec
