# cwnb — Go notebooks for CloudWatch investigations.
#
# The two commands that matter: `make demo` and `make test`. Everything else is a step of those.

SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
export GOFLAGS ?= -buildvcs=false

.PHONY: all build install local test test-go test-notebooks test-live vet bench golden demo report kernel tools clean

all: build

## build: the cwnb command into bin/
build:
	$(GO) build -o $(BIN)/cwnb ./cwnb/cmd/cwnb

## install: the cwnb command onto your PATH: `go install` puts it in $(GOBIN), else $(GOPATH)/bin
## (~/go/bin); add that directory to PATH if `cwnb` is not found
install:
	$(GO) install ./cwnb/cmd/cwnb
	@dir=$$($(GO) env GOBIN); [ -n "$$dir" ] || dir=$$($(GO) env GOPATH)/bin; \
	  echo "installed $$dir/cwnb"; \
	  case ":$$PATH:" in *":$$dir:"*) ;; *) echo "add it to your PATH: export PATH=\"$$dir:\$$PATH\"";; esac

## local: a local CloudWatch with the demo scenarios and clock, on 127.0.0.1:4582 (Ctrl-C stops it)
local: build
	$(BIN)/cwnb local -scenario api,ec2,lambda -now 2026-11-20T00:30:00Z

## vet: go vet and gofmt
vet:
	$(GO) vet ./...
	cd kernel/livetest && $(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## test-go: unit and integration tests (the local CloudWatch over loopback, the real SDK)
test-go:
	$(GO) test -count=1 ./...

## test-notebooks: every notebook through the real kernel against a fresh local CloudWatch, with an
## empty cache so that every load really goes over the wire; the outputs are checked (no error, every
## chart as image/png and text/html) and the reports opened in headless Chromium, network off
test-notebooks:
	rm -rf $(CURDIR)/out/test-cache
	JUPYTER_DATA_DIR=$(CURDIR)/out/jupyter CWNB_CACHE=$(CURDIR)/out/test-cache REPORT_FLAGS=-browser REPORT_OUT=$(CURDIR)/out/test-reports kernel/demo.sh

## test-live: tail-latency.ipynb in a real Jupyter Notebook server, run by headless Chromium with the
## network off: every chart must become interactive (ECharts from the kernel, no CDN) and the load's
## progress must show; screenshots in out/test-live (kernel/livetest, its own module for chromedp).
## Skips with a message when jupyter-notebook or chromium is missing, unless CI=true.
test-live:
	mkdir -p $(CURDIR)/out/test-live
	cd kernel/livetest && $(GO) test -count=1 -timeout 25m -artifacts -outputdir=$(CURDIR)/out/test-live -v ./...

## test: everything CI runs
test: vet test-go test-notebooks test-live

## bench: every benchmark; for cwnb/ts the same workloads in pandas/numpy side by side with the
## Go/pandas ratios (Go alone when /usr/bin/python3 has no pandas); the load targets of issue 14
## next to the measured figures (cwnb/bench/load.sh)
bench:
	cwnb/ts/bench/compare.sh
	cwnb/bench/load.sh
	$(GO) test -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v '/cwnb/ts$$')

## golden: regenerate cwnb/ts's reference files with pandas, numpy and scipy
golden:
	cd cwnb/ts/testdata && /usr/bin/python3 gen_golden.py

## tools: GoNB and goimports, pinned in kernel/tools (never @latest), into bin/
tools:
	cd kernel/tools && GOWORK=off $(GO) build -o $(BIN)/ github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports

## kernel: install the "Go (cwnb)" Jupyter kernel (JUPYTER_DATA_DIR selects where; idempotent)
kernel: build tools
	$(BIN)/cwnb kernel install -bin $(BIN)

## report: execute NOTEBOOKS through the cwnb kernel into out/reports (REPORT_FLAGS: -browser, -inplace, -s3 ...)
NOTEBOOKS ?= $(wildcard notebooks/*.ipynb)
REPORT_FLAGS ?=
report: build
	$(BIN)/cwnb report -out out/reports $(REPORT_FLAGS) $(NOTEBOOKS)

## demo: from a fresh clone to HTML reports against the local CloudWatch (see kernel/demo.sh); leaves
## the kernel installed in your Jupyter and sets up readable notebook diffs (cwnb git setup)
demo:
	kernel/demo.sh

clean:
	rm -rf $(BIN) out
