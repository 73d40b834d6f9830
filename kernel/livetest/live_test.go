package livetest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/cwnb/cwnb/cwnb/kernelspec"
)

const (
	chromiumPath = "/usr/bin/chromium"
	notebookName = "tail-latency.ipynb"
	// demoNow is the clock of the local CloudWatch, as in kernel/demo.sh.
	demoNow = "2026-11-20T00:30:00Z"
)

// require skips when a tool is missing, except under CI=true where the test must run.
func require(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but %s is missing: %v (install it: .ci/install-deps)", what, err)
	}
	t.Skipf("%s is missing (%v); install it (Debian: apt-get install jupyter-notebook chromium) to run the live notebook test", what, err)
}

// TestLiveNotebookOffline opens notebooks/tail-latency.ipynb (outputs cleared, empty cache) in a
// real Jupyter Notebook 6 server with the cwnb kernel, runs all cells in headless Chromium with
// no network beyond loopback, and checks that the progress of the slow first load appears and
// finishes, that every chart becomes interactive (drawn on a canvas, its picture hidden) with
// ECharts served from the kernel's spec directory, and that nothing was fetched from a CDN.
// Screenshots go to the test's artifact directory (go test -artifacts -outputdir DIR).
func TestLiveNotebookOffline(t *testing.T) {
	_, err := exec.LookPath("jupyter-notebook")
	require(t, "jupyter-notebook", err)
	_, err = os.Stat(chromiumPath)
	require(t, "chromium", err)
	if testing.Short() {
		t.Skip("runs Jupyter, the kernel and a browser; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	shots := t.ArtifactDir()

	// The cwnb command, for its local CloudWatch.
	bin := filepath.Join(t.TempDir(), "cwnb")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cwnb/cmd/cwnb")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	awsEnv := startLocalCloudWatch(t, ctx, bin)

	// The kernel, in a private Jupyter data directory.
	data := t.TempDir()
	if _, err := kernelspec.Install(ctx, kernelspec.Options{DataDir: data, Module: root, Prime: true, Log: io.Discard}); err != nil {
		t.Fatalf("installing the kernel: %v", err)
	}

	// The notebook without its outputs, and no cache beside it: every load goes over the wire.
	dir := t.TempDir()
	charts := clearOutputs(t, filepath.Join(root, "notebooks", notebookName), filepath.Join(dir, notebookName))
	if charts == 0 {
		t.Fatal("the committed notebook shows no chart; nothing to check")
	}

	base, token := startJupyter(t, ctx, dir, data, awsEnv)

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// The network is off: a proxy on a closed port (Chromium never proxies loopback), and no
		// name resolves but loopback.
		chromedp.ProxyServer("127.0.0.1:9"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	url := base + "notebooks/" + notebookName + "?token=" + token
	if err := chromedp.Run(bctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	waitJS(t, bctx, "the kernel to connect", 3*time.Minute,
		`typeof Jupyter!=='undefined'&&!!Jupyter.notebook&&!!Jupyter.notebook.kernel&&Jupyter.notebook.kernel.is_connected()`)
	screenshot(t, bctx, shots, "1-opened.png")
	if err := chromedp.Run(bctx, chromedp.Evaluate(`Jupyter.notebook.execute_all_cells(),true`, nil)); err != nil {
		t.Fatal(err)
	}

	// Poll while the cells run: the progress line of the first load must appear, then its final line.
	var sawLoading, sawLoaded bool
	var st pageState
	deadline := time.Now().Add(15 * time.Minute)
	for {
		st = state(t, bctx)
		if strings.Contains(st.Text, "cwnb: loading") && !sawLoading {
			sawLoading = true
			chromedp.Run(bctx, chromedp.Evaluate(`(function(){var o=document.querySelectorAll('.output_area');
for(var i=0;i<o.length;i++){if(o[i].innerText.indexOf('cwnb: loading')>=0){o[i].scrollIntoView({block:'center'});return true;}}return false;})()`, nil))
			screenshot(t, bctx, shots, "2-progress.png")
		}
		sawLoaded = sawLoaded || strings.Contains(st.Text, "cwnb: loaded with")
		if st.Done {
			break
		}
		if time.Now().After(deadline) {
			screenshot(t, bctx, shots, "timeout.png")
			t.Fatalf("cells still running after 15 minutes: %+v", st)
		}
		time.Sleep(150 * time.Millisecond)
	}
	// Charts draw once ECharts has arrived; give them a moment.
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		st = state(t, bctx)
		if st.Interactive == len(st.Charts) && len(st.Charts) >= charts {
			break
		}
	}
	if err := chromedp.Run(bctx, chromedp.ScrollIntoView(".cwnb-chart", chromedp.ByQuery)); err == nil {
		screenshot(t, bctx, shots, "3-first-chart.png")
	}
	screenshot(t, bctx, shots, "4-done.png")

	if len(st.Errors) > 0 {
		t.Errorf("cells failed:\n%s", strings.Join(st.Errors, "\n---\n"))
	}
	if !sawLoading {
		t.Error("the in-notebook progress of the first load never appeared (\"cwnb: loading…\")")
	}
	if !sawLoaded {
		t.Error("the progress never finished (\"cwnb: loaded with …\")")
	}
	if len(st.Charts) != charts {
		t.Errorf("%d charts on the page, want %d as in the committed notebook", len(st.Charts), charts)
	}
	for i, c := range st.Charts {
		if c.State != "interactive" || c.Ink < 0.01 {
			t.Errorf("chart %d (%s): state %q, canvas %.3f inked; want an interactive chart", i, c.ID, c.State, c.Ink)
		}
		if c.PictureShown {
			t.Errorf("chart %d (%s): its static picture is still shown beside the live chart", i, c.ID)
		}
	}
	if !st.Runtime {
		t.Errorf("the chart runtime was not loaded from the kernel's spec directory; resources: %q", st.Resources)
	}
	if !st.FromKernel {
		t.Errorf("ECharts was not loaded from the kernel's spec directory; resources: %q", st.Resources)
	}
	for _, r := range st.Resources {
		if !strings.HasPrefix(r, "http://127.0.0.1:") {
			t.Errorf("the page requested %s: a live notebook must not depend on the network", r)
		}
	}
	t.Logf("%d charts interactive; screenshots in %s", st.Interactive, shots)
}

type pageState struct {
	Done   bool `json:"done"`
	Charts []struct {
		ID           string  `json:"id"`
		State        string  `json:"state"`
		Ink          float64 `json:"ink"`
		PictureShown bool    `json:"pic"`
	} `json:"charts"`
	Interactive int      `json:"interactive"`
	Text        string   `json:"text"`
	Errors      []string `json:"errors"`
	FromKernel  bool     `json:"fromKernel"`
	Runtime     bool     `json:"runtime"`
	Resources   []string `json:"resources"`
}

// stateJS reads the page: whether every code cell has run, each chart's state, how much of its
// canvas is inked, whether its picture is still visible, the outputs' text, failed cells and the
// resources the page fetched.
const stateJS = `(function(){
var cells=Jupyter.notebook.get_cells().filter(function(c){return c.cell_type==='code';});
var done=cells.every(function(c){return typeof c.input_prompt_number==='number';})&&!Jupyter.notebook.kernel_busy;
var r={done:done,charts:[],interactive:0,errors:[],resources:[]};
var els=document.querySelectorAll('.cwnb-chart');
for(var i=0;i<els.length;i++){var el=els[i],c={id:el.id,state:el.getAttribute('data-cwnb-state'),ink:0,pic:false};
 var cv=el.querySelector('canvas');
 if(cv&&cv.width>0){var d=cv.getContext('2d').getImageData(0,0,cv.width,cv.height).data,n=0;
  for(var k=0;k<d.length;k+=4){if(d[k+3]>0&&(d[k]<235||d[k+1]<235||d[k+2]<235))n++;}c.ink=n/(cv.width*cv.height);}
 var ref=el.getAttribute('data-cwnb-image');
 if(ref){var im=document.querySelector('img[src*="'+ref+'"]');c.pic=!!(im&&im.offsetParent!==null);}
 if(c.state==='interactive')r.interactive++;r.charts.push(c);}
var outs=document.querySelectorAll('.output_area');var t=[];
for(var i=0;i<outs.length;i++){t.push(outs[i].innerText);}
r.text=t.join('\n');
var errs=document.querySelectorAll('.output_error, .output_stderr');
for(var i=0;i<errs.length;i++){var s=errs[i].innerText;if(/panic|error|exit status/i.test(s))r.errors.push(s.slice(0,2000));}
var res=performance.getEntriesByType('resource');
for(var i=0;i<res.length;i++){var n=res[i].name;r.resources.push(n);if(n.indexOf('/kernelspecs/cwnb/echarts.min.js')>=0)r.fromKernel=true;if(n.indexOf('/kernelspecs/cwnb/cwnb-charts.js')>=0)r.runtime=true;}
return JSON.stringify(r);})()`

func state(t *testing.T, ctx context.Context) pageState {
	t.Helper()
	var raw string
	if err := chromedp.Run(ctx, chromedp.Evaluate(stateJS, &raw)); err != nil {
		t.Fatalf("reading the page: %v", err)
	}
	var st pageState
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		t.Fatalf("page state %q: %v", raw, err)
	}
	return st
}

func waitJS(t *testing.T, ctx context.Context, what string, timeout time.Duration, expr string) {
	t.Helper()
	end := time.Now().Add(timeout)
	for {
		var ok bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(expr, &ok)); err == nil && ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

// clearOutputs copies a notebook without outputs and execution counts and returns how many
// charts the original shows.
func clearOutputs(t *testing.T, src, dst string) (charts int) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	charts = strings.Count(string(raw), `class=\"cwnb-chart\"`)
	var nb map[string]any
	if err := json.Unmarshal(raw, &nb); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	for _, c := range nb["cells"].([]any) {
		cm := c.(map[string]any)
		if cm["cell_type"] == "code" {
			cm["outputs"] = []any{}
			cm["execution_count"] = nil
		}
	}
	out, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return charts
}

// startLocalCloudWatch runs `cwnb local` with the api scenario on a free loopback port, slowed
// down (every response 400 ms late, at most 4,000 datapoints a page) so that the first load takes
// seconds and shows its progress. It returns the environment the server prints.
func startLocalCloudWatch(t *testing.T, ctx context.Context, bin string) []string {
	t.Helper()
	dir := t.TempDir()
	portFile := filepath.Join(dir, "port")
	cmd := exec.CommandContext(ctx, bin, "local", "-addr", "127.0.0.1:0", "-port-file", portFile,
		"-scenario", "api", "-now", demoNow, "-faults", "latency=400ms,pagesize=4000")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var env []string
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("cwnb local exited before it listened")
			}
			if kv, found := strings.CutPrefix(l, "export "); found {
				k, v, _ := strings.Cut(kv, "=")
				if uq, err := strconv.Unquote(v); err == nil {
					v = uq
				}
				v = strings.Trim(v, `'`)
				env = append(env, k+"="+v)
			}
		case <-deadline:
			t.Fatal("cwnb local printed no environment within 60 s")
		}
		if _, err := os.Stat(portFile); err == nil && len(env) > 0 && hasKey(env, "CWNB_NOW") {
			go func() {
				for range lines {
				}
			}()
			return append(env, "AWS_EC2_METADATA_DISABLED=true")
		}
	}
}

func hasKey(env []string, key string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, key+"=") {
			return true
		}
	}
	return false
}

// startJupyter starts jupyter-notebook on a free loopback port with private config, data and
// runtime directories, and returns its base URL and token once it answers.
func startJupyter(t *testing.T, ctx context.Context, dir, data string, extraEnv []string) (base, token string) {
	t.Helper()
	var tok [16]byte
	rand.Read(tok[:])
	token = hex.EncodeToString(tok[:])
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.CommandContext(ctx, "jupyter-notebook", "--no-browser", "--ip=127.0.0.1",
		"--port="+strconv.Itoa(port), "--port-retries=0", "--notebook-dir="+dir,
		"--NotebookApp.token="+token, "--NotebookApp.open_browser=False", "--allow-root")
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+data, "JUPYTER_CONFIG_DIR="+filepath.Join(home, "config"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(home, "runtime"), "JUPYTER_PATH=", "JUPYTER_CONFIG_PATH=", "IPYTHONDIR="+filepath.Join(home, "ipython"))
	cmd.Env = append(cmd.Env, extraEnv...)
	logf, err := os.Create(filepath.Join(t.ArtifactDir(), "jupyter.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		logf.Close()
	})
	base = fmt.Sprintf("http://127.0.0.1:%d/", port)
	for end := time.Now().Add(90 * time.Second); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		resp, err := http.Get(base + "api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, token
			}
		}
	}
	t.Fatalf("jupyter-notebook did not answer on %s within 90 s (log: %s)", base, logf.Name())
	return "", ""
}
