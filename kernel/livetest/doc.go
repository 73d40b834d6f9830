// Package livetest holds the browser test of a live notebook: a real Jupyter Notebook server, the
// real cwnb kernel, a local CloudWatch and headless Chromium driven over the DevTools protocol,
// all on 127.0.0.1 with every other host unreachable. It is its own module so that chromedp is a
// dependency of this test only, never of cwnb. Run it with `make test-live`.
package livetest
