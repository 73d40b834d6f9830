package chart

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const chromiumPath = "/usr/bin/chromium"

// harnessHead is the first script of every test page: it records uncaught errors, failed
// resources, console.error calls and alert() calls (which the hostile label would make).
const harnessHead = `<script>
window.__t={errors:[],resources:[],alerts:[]};
window.addEventListener('error',function(e){
 if(e instanceof ErrorEvent){__t.errors.push(String(e.message));}
 else{__t.resources.push(String(e.target&&(e.target.src||e.target.href)));}},true);
window.addEventListener('unhandledrejection',function(e){__t.errors.push('unhandled rejection: '+e.reason);});
window.alert=function(m){__t.alerts.push(String(m));};
(function(){var ce=console.error;console.error=function(){
 __t.errors.push('console.error: '+Array.prototype.join.call(arguments,' '));return ce.apply(console,arguments);};})();
</script>`

// harnessTail runs after load: for every chart it records the upgrade state, how much of the
// canvas is inked, whether the static image is shown, then opens a tooltip and records its text
// and the script elements inside the chart; the result goes into <pre id="cwnb-test-result">.
const harnessTail = `<script>
window.addEventListener('load',function(){setTimeout(function(){
 var els=document.querySelectorAll('.cwnb-chart'),res={charts:[]};
 for(var i=0;i<els.length;i++){
  var el=els[i],r={id:el.id,state:el.getAttribute('data-cwnb-state'),ink:0,img:false};
  var img=el.querySelector('img.cwnb-static');
  if(img)r.img=img.style.display!=='none'&&img.complete&&img.naturalWidth>0;
  var k=el.getAttribute('data-cwnb-image');
  if(k){var pic=document.querySelector('img[src*="'+k+'"]');r.pic=!!(pic&&pic.complete&&pic.naturalWidth>0&&pic.offsetParent!==null);}
  var c=el.querySelector('canvas');
  if(c){var d=c.getContext('2d').getImageData(0,0,c.width,c.height).data,n=0;
   for(var k=0;k<d.length;k+=4){if(d[k+3]>0&&(d[k]<235||d[k+1]<235||d[k+2]<235))n++;}
   r.ink=n/(c.width*c.height);}
  var live=el.querySelector('.cwnb-live');
  if(live&&window.echarts){var inst=echarts.getInstanceByDom(live);
   if(inst){try{inst.dispatchAction({type:'showTip',seriesIndex:0,dataIndex:2});}catch(e){r.tipError=String(e);}}}
  res.charts.push(r);}
 setTimeout(function(){
  for(var i=0;i<els.length;i++){var live=els[i].querySelector('.cwnb-live');
   res.charts[i].tooltip=live?live.textContent:'';
   res.charts[i].scripts=els[i].querySelectorAll('script').length;}
  res.errors=__t.errors;res.resources=__t.resources;res.alerts=__t.alerts;
  res.defineCalls=window.__defineCalls||0;res.echarts=!!window.echarts;
  var pre=document.createElement('pre');pre.id='cwnb-test-result';pre.textContent=JSON.stringify(res);
  document.body.appendChild(pre);},400);
},300);});
</script>`

// fakeAMD makes the page look like Jupyter classic: a global define with define.amd and a
// requirejs. An anonymous define() call is what RequireJS rejects ("Mismatched anonymous
// define()"); the wrapped library must never make one.
const fakeAMD = `<script>
window.__defineCalls=0;
window.define=function(){window.__defineCalls++;throw new Error('Mismatched anonymous define() module');};
window.define.amd={jQuery:true};
window.requirejs=window.require=function(deps,ok,ko){if(ko)ko(new Error('offline'));};
window.requirejs.config=function(){};
</script>`

type pageResult struct {
	Charts []struct {
		ID      string  `json:"id"`
		State   string  `json:"state"`
		Ink     float64 `json:"ink"`
		Img     bool    `json:"img"`
		Pic     bool    `json:"pic"` // the picture in the preceding output (notebook form) is shown
		Tooltip string  `json:"tooltip"`
		Scripts int     `json:"scripts"`
		TipErr  string  `json:"tipError"`
	} `json:"charts"`
	Errors      []string `json:"errors"`
	Resources   []string `json:"resources"`
	Alerts      []string `json:"alerts"`
	DefineCalls int      `json:"defineCalls"`
	Echarts     bool     `json:"echarts"`
}

// runChromium opens page (written to a file) in headless Chromium with the network off and
// returns what the harness recorded.
func runChromium(t *testing.T, page string) pageResult {
	t.Helper()
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return runChromiumURL(t, "file://"+file)
}

// runChromiumURL opens url in headless Chromium. Every host but loopback is unreachable: the
// proxy is a closed port and name resolution fails.
func runChromiumURL(t *testing.T, url string) pageResult {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--window-size=1100,900", "--virtual-time-budget=15000", "--dump-dom",
		url)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("chromium: %v\n%s", err, stderr)
	}
	m := regexp.MustCompile(`(?s)<pre id="cwnb-test-result">(.*?)</pre>`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("the page never wrote its result; DOM tail:\n%s", tail(string(out), 2000))
	}
	var res pageResult
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &res); err != nil {
		t.Fatalf("result %q: %v", m[1], err)
	}
	for i, e := range res.Errors {
		if len(e) > 400 {
			res.Errors[i] = e[:400] + "…"
		}
	}
	return res
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing and CI=true: the browser test must run in CI (install Debian's chromium)", chromiumPath)
		}
		t.Skipf("%s not installed", chromiumPath)
	}
}

// TestChromium opens pages of several charts, the hostile label among them, in headless Chromium
// with no network and checks that every chart upgraded and drew, that tooltips show the label as
// text, that nothing ran (no alert) and that no error was logged — with the library in <head>,
// after the charts (the race), under a RequireJS-like loader, and absent (the static image stays).
func TestChromium(t *testing.T) {
	requireChromium(t)
	var charts []*Chart
	build := func(c *Chart, err error) {
		if err != nil {
			t.Fatal(err)
		}
		charts = append(charts, c)
	}
	build(Line(demoTimeSeries(600), WithMode(Both)))
	build(Heatmap(demoMatrix(), WithMode(Both)))
	build(Histogram(demoDistribution(500), WithMode(Both)))
	build(Bars(demoCategories(), WithMode(Both)))
	build(SmallMultiples(demoMultiples(200), 0, WithMode(Both)))
	build(Bars(demoCategories(), WithMode(Interactive)))
	var body strings.Builder
	for _, c := range charts {
		h, err := c.HTML()
		if err != nil {
			t.Fatal(err)
		}
		body.WriteString(h)
		body.WriteString("\n")
	}
	doc := func(head, bodyEnd string) string {
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + harnessHead + head +
			"</head><body>" + body.String() + bodyEnd + harnessTail + "</body></html>"
	}
	pageInHead, err := Page("charts "+hostile, charts...)
	if err != nil {
		t.Fatal(err)
	}
	pageInHead = strings.Replace(pageInHead, "<meta charset=\"utf-8\">", "<meta charset=\"utf-8\">"+harnessHead, 1)
	pageInHead = strings.Replace(pageInHead, "</body>", harnessTail+"</body>", 1)

	// JupyterLab sets an output's innerHTML on a detached node, re-creates its script elements
	// (innerHTML scripts never run), and attaches the node later.
	bodyJSON, err := marshalSafe(body.String(), false)
	if err != nil {
		t.Fatal(err)
	}
	jupyterLab := "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + harnessHead + LibraryScript() + "</head><body><script>" +
		"(function(){var host=document.createElement('div');host.innerHTML=" + string(bodyJSON) + ";" +
		"var ss=host.getElementsByTagName('script');for(var i=0;i<ss.length;i++){var o=ss[i],c=document.createElement('script');" +
		"for(var k=0;k<o.attributes.length;k++)c.setAttribute(o.attributes[k].name,o.attributes[k].value);" +
		"c.textContent=o.textContent;o.parentNode.replaceChild(c,o);}" +
		"setTimeout(function(){document.body.appendChild(host);},150);})();</script>" + harnessTail + "</body></html>"

	// jQuery's .html(), which Jupyter classic uses, evaluates scripts with eval: then there is no
	// document.currentScript and the element may not be in the document yet.
	evalDetached := "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + harnessHead + LibraryScript() + "</head><body><script>" +
		"(function(){var host=document.createElement('div');host.innerHTML=" + string(bodyJSON) + ";" +
		"var ss=host.querySelectorAll('script:not([type])');for(var i=0;i<ss.length;i++){(0,eval)(ss[i].textContent);}" +
		"setTimeout(function(){document.body.appendChild(host);},150);})();</script>" + harnessTail + "</body></html>"

	tests := []struct {
		name        string
		page        string
		interactive bool
	}{
		{"scripts evaluated before the output is attached", evalDetached, true},
		{"Page with the library in head", pageInHead, true},
		{"JupyterLab-style detached output", jupyterLab, true},
		{"library after the charts", doc("", LibraryScript()), true},
		{"RequireJS page", doc(fakeAMD+LibraryScript(), ""), true},
		{"no library and no network", doc("", ""), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runChromium(t, tc.page)
			if len(res.Charts) != len(charts) {
				t.Fatalf("found %d charts on the page, want %d", len(res.Charts), len(charts))
			}
			if len(res.Alerts) > 0 {
				t.Errorf("alert() ran: %q", res.Alerts)
			}
			if len(res.Errors) > 0 {
				t.Errorf("errors on the page: %q", res.Errors)
			}
			if res.DefineCalls > 0 {
				t.Errorf("the library called the page's AMD define %d times", res.DefineCalls)
			}
			for i, c := range res.Charts {
				if c.Scripts != 2 {
					t.Errorf("chart %d holds %d script elements, want 2: markup was injected", i, c.Scripts)
				}
				if c.TipErr != "" {
					t.Errorf("chart %d: showTip failed: %s", i, c.TipErr)
				}
				if !tc.interactive {
					if c.State == "interactive" {
						t.Errorf("chart %d upgraded without a library", i)
					}
					if i < len(charts)-1 && !c.Img {
						t.Errorf("chart %d: the static image is not shown", i)
					}
					continue
				}
				if c.State != "interactive" {
					t.Errorf("chart %d stayed %q", i, c.State)
				}
				if c.Img {
					t.Errorf("chart %d still shows the static image over the interactive one", i)
				}
				if c.Ink < 0.02 {
					t.Errorf("chart %d: canvas is %.4f inked, want a drawn chart", i, c.Ink)
				}
			}
			if tc.interactive {
				// Tooltips of the line chart (series names) and the bars (category names) show
				// the hostile label as text.
				for _, i := range []int{0, 3} {
					if !strings.Contains(res.Charts[i].Tooltip, hostile) {
						t.Errorf("chart %d tooltip %q does not show the label as text", i, res.Charts[i].Tooltip)
					}
				}
				// The heatmap's tooltip names the cell: row · column: value unit.
				if want := "Sat 14 Nov · :02: "; !strings.Contains(res.Charts[1].Tooltip, want) || !strings.Contains(res.Charts[1].Tooltip, " ms") {
					t.Errorf("heatmap tooltip %q, want it to contain %q and the unit", res.Charts[1].Tooltip, want)
				}
			} else if len(res.Resources) == 0 {
				t.Errorf("no CDN load was attempted without an inline library")
			}
		})
	}
}

// TestChromiumLiveNotebook plays a live notebook: no inline library, ECharts fetched from the
// "CDN" (a loopback server standing in for jsDelivr), with and without a real RequireJS 2.3.7
// (testdata/requirejs, MIT; Jupyter classic loads it), and with the CDN down.
func TestChromiumLiveNotebook(t *testing.T) {
	requireChromium(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/cdn/echarts.min.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, echartsJS)
	})
	mux.Handle("/require.js", http.FileServer(http.Dir("testdata/requirejs")))
	var mu sync.Mutex
	pages := map[string]string{}
	mux.HandleFunc("/page/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		p, ok := pages[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, p)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	saved := echartsCDN
	t.Cleanup(func() { echartsCDN = saved })

	const requireJS = `<script src="/require.js"></script>`
	tests := []struct {
		name        string
		head        string
		cdn         string
		inline      bool
		interactive bool
	}{
		{"plain page loads the CDN", "", "/cdn/echarts.min.js", false, true},
		{"RequireJS page loads the CDN through require", requireJS, "/cdn/echarts.min.js", false, true},
		{"RequireJS page with the inline library", requireJS, "/cdn/echarts.min.js", true, true},
		{"CDN down keeps the pictures", requireJS, "/missing/echarts.min.js", false, false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			echartsCDN = srv.URL + tc.cdn
			var body strings.Builder
			n := 0
			for _, build := range []func() (*Chart, error){
				func() (*Chart, error) { return Line(demoTimeSeries(300), WithMode(Both)) },
				func() (*Chart, error) { return Bars(demoCategories(), WithMode(Interactive)) },
				func() (*Chart, error) { return Heatmap(demoMatrix(), WithMode(Interactive)) },
			} {
				c, err := build()
				if err != nil {
					t.Fatal(err)
				}
				h, err := c.HTML()
				if err != nil {
					t.Fatal(err)
				}
				body.WriteString(h)
				n++
			}
			lib := ""
			if tc.inline {
				lib = LibraryScript()
			}
			path := "/page/" + strconv.Itoa(i) + ".html"
			mu.Lock()
			pages[path] = "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + harnessHead + tc.head + lib +
				"</head><body>" + body.String() + harnessTail + "</body></html>"
			mu.Unlock()
			res := runChromiumURL(t, srv.URL+path)
			if len(res.Charts) != n {
				t.Fatalf("found %d charts, want %d", len(res.Charts), n)
			}
			if len(res.Errors) > 0 {
				t.Errorf("errors on the page: %q", res.Errors)
			}
			for k, c := range res.Charts {
				if tc.interactive && (c.State != "interactive" || c.Ink < 0.02) {
					t.Errorf("chart %d: state %q, ink %.4f; want a drawn interactive chart", k, c.State, c.Ink)
				}
				if !tc.interactive && c.State == "interactive" {
					t.Errorf("chart %d upgraded although the CDN is down", k)
				}
			}
			if !tc.interactive && !res.Charts[0].Img {
				t.Error("the static picture is not shown when the CDN is down")
			}
		})
	}
}

// TestChromiumNotebookOutputs lays charts out the way Jupyter classic and nbconvert lay out the
// two outputs of Chart.Outputs (the picture in one output area, the live chart in the next) and
// checks that, with ECharts on the page, every chart draws from its packed data and hides exactly
// its own picture, and that without ECharts every picture stays.
func TestChromiumNotebookOutputs(t *testing.T) {
	requireChromium(t)
	var body strings.Builder
	n := 0
	for _, build := range []func() (*Chart, error){
		func() (*Chart, error) { return Line(demoTimeSeries(3000), WithMode(Both)) },
		func() (*Chart, error) { return Bars(demoCategories(), WithMode(Both)) },
		func() (*Chart, error) { return Heatmap(demoMatrix(), WithMode(Both)) },
	} {
		c, err := build()
		if err != nil {
			t.Fatal(err)
		}
		outs, err := c.Outputs()
		if err != nil {
			t.Fatal(err)
		}
		body.WriteString(`<div class="output_area"><div class="prompt"></div><div class="output_png output_subarea"><img src="data:image/png;base64,` +
			base64.StdEncoding.EncodeToString(outs[0][MIMEPNG].([]byte)) + `"></div></div>`)
		body.WriteString(`<div class="output_area"><div class="prompt"></div><div class="output_html rendered_html output_subarea">` +
			outs[1][MIMEHTML].(string) + `</div></div>`)
		n++
	}
	for _, tc := range []struct {
		name string
		lib  string
		live bool
	}{{"with the library", LibraryScript(), true}, {"without the library", "", false}} {
		t.Run(tc.name, func(t *testing.T) {
			page := "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + harnessHead + tc.lib + "</head><body>" +
				body.String() + harnessTail + "</body></html>"
			res := runChromium(t, page)
			if len(res.Charts) != n {
				t.Fatalf("found %d charts, want %d", len(res.Charts), n)
			}
			if len(res.Errors) > 0 {
				t.Errorf("errors on the page: %q", res.Errors)
			}
			for i, c := range res.Charts {
				if tc.live {
					if c.State != "interactive" || c.Ink < 0.02 {
						t.Errorf("chart %d: state %q, ink %.4f; want a drawn chart", i, c.State, c.Ink)
					}
					if c.Pic {
						t.Errorf("chart %d: its picture is still shown under the live chart", i)
					}
				} else {
					if c.State == "interactive" {
						t.Errorf("chart %d upgraded without a library", i)
					}
					if !c.Pic {
						t.Errorf("chart %d: the picture is not shown", i)
					}
				}
			}
		})
	}
}

// TestChromiumFooterLines draws a chart with a long footer with ECharts in Chromium (its SVG
// renderer, so that the text elements can be measured with the browser's own fonts) and checks
// that the live chart draws the footer in exactly the lines the picture has, each line once and
// below the one before: a footer that ECharts wrapped itself was drawn over itself in live charts.
func TestChromiumFooterLines(t *testing.T) {
	requireChromium(t)
	c := longFooter(t)
	want := wrapText(longFooterText, footerSize, false, roomWidth(900-2*padX))
	opt := map[string]any{}
	for k, v := range c.livePayload()["option"].(map[string]any) {
		opt[k] = v
	}
	opt["series"] = []any{} // the footer's layout does not depend on the data
	js, err := marshalSafe(opt, false)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := marshalSafe(want, false)
	page := `<!DOCTYPE html><html><head><meta charset="utf-8">` + LibraryScript() + `</head><body>
<div id="c" style="width:900px;height:420px"></div>
<script type="application/json" id="opt">` + string(js) + `</script>
<script>
var want=` + string(wantJSON) + `;
var ch=echarts.init(document.getElementById('c'),null,{renderer:'svg'});
ch.setOption(JSON.parse(document.getElementById('opt').textContent));
var out=[],ts=document.querySelectorAll('#c text');
for(var i=0;i<ts.length;i++){var s=ts[i].textContent;
 for(var k=0;k<want.length;k++){if(s===want[k]||want[k].indexOf(s)>=0||s.indexOf(want[k].slice(0,20))>=0){
  var b=ts[i].getBBox();out.push({text:s,y:b.y,h:b.height});break;}}}
var pre=document.createElement('pre');pre.id='cwnb-footer-result';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
</script></body></html>`
	file := filepath.Join(t.TempDir(), "footer.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, chromiumPath, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+filepath.Join(t.TempDir(), "profile"), "--proxy-server=127.0.0.1:9",
		"--virtual-time-budget=5000", "--dump-dom", "file://"+file).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	m := regexp.MustCompile(`(?s)<pre id="cwnb-footer-result">(.*?)</pre>`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("the page wrote no result:\n%s", tail(string(out), 1500))
	}
	var got []struct {
		Text string  `json:"text"`
		Y    float64 `json:"y"`
		H    float64 `json:"h"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("the live chart draws the footer in %d text lines %+v, want the picture's %d: %q", len(got), got, len(want), want)
	}
	for i := range got {
		if got[i].Text != want[i] {
			t.Errorf("live footer line %d is %q, the picture's is %q", i, got[i].Text, want[i])
		}
		if i > 0 && got[i].Y < got[i-1].Y+got[i-1].H-1 {
			t.Errorf("live footer line %d (y %.1f) is drawn over line %d (y %.1f, height %.1f)", i, got[i].Y, i-1, got[i-1].Y, got[i-1].H)
		}
	}
}

// TestChromiumNotebookFromKernel plays Jupyter for the notebook form of charts (Outputs): a page
// with the Jupyter base URL (classic's body[data-base-url]), with and without RequireJS, no inline
// library, and a loopback server standing in for the Jupyter server's kernelspecs/cwnb/ files.
// The loaders fetch the runtime, the runtime fetches ECharts, every chart draws and hides its
// picture; with the kernel files missing the pictures stay.
func TestChromiumNotebookFromKernel(t *testing.T) {
	requireChromium(t)
	var served sync.Map
	mux := http.NewServeMux()
	mux.HandleFunc("/jupyter/kernelspecs/cwnb/", func(w http.ResponseWriter, r *http.Request) {
		served.Store(r.URL.Path, true)
		w.Header().Set("Content-Type", "text/javascript")
		switch strings.TrimPrefix(r.URL.Path, "/jupyter/kernelspecs/cwnb/") {
		case "cwnb-charts.js":
			io.WriteString(w, RuntimeJS())
		case "echarts.min.js":
			io.WriteString(w, echartsJS)
		default:
			http.NotFound(w, r)
		}
	})
	mux.Handle("/require.js", http.FileServer(http.Dir("testdata/requirejs")))
	var mu sync.Mutex
	pages := map[string]string{}
	mux.HandleFunc("/page/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		p, ok := pages[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, p)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	saved := echartsCDN
	t.Cleanup(func() { echartsCDN = saved })
	echartsCDN = srv.URL + "/no-cdn/echarts.min.js"

	var body strings.Builder
	n := 0
	for _, build := range []func() (*Chart, error){
		func() (*Chart, error) { return Line(demoTimeSeries(2000), WithMode(Both)) },
		func() (*Chart, error) { return Bars(demoCategories(), WithMode(Both)) },
	} {
		c, err := build()
		if err != nil {
			t.Fatal(err)
		}
		outs, err := c.Outputs()
		if err != nil {
			t.Fatal(err)
		}
		if h := outs[1][MIMEHTML].(string); strings.Contains(h, "S.tooltip") {
			t.Fatal("the notebook form carries the whole runtime, not a loader")
		}
		body.WriteString(`<div class="output_area"><div class="output_png output_subarea"><img src="data:image/png;base64,` +
			base64.StdEncoding.EncodeToString(outs[0][MIMEPNG].([]byte)) + `"></div></div>`)
		body.WriteString(`<div class="output_area"><div class="output_html rendered_html output_subarea">` +
			outs[1][MIMEHTML].(string) + `</div></div>`)
		n++
	}
	for i, tc := range []struct {
		name, head, base string
		live             bool
	}{
		{"Jupyter classic with RequireJS", `<script src="/require.js"></script>`, "/jupyter/", true},
		{"plain Jupyter page", "", "/jupyter/", true},
		{"kernel files missing", `<script src="/require.js"></script>`, "/elsewhere/", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := "/page/k" + strconv.Itoa(i) + ".html"
			mu.Lock()
			pages[path] = "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + harnessHead + tc.head +
				"</head><body data-base-url=\"" + tc.base + "\">" + body.String() + harnessTail + "</body></html>"
			mu.Unlock()
			res := runChromiumURL(t, srv.URL+path)
			if len(res.Charts) != n {
				t.Fatalf("found %d charts, want %d", len(res.Charts), n)
			}
			if len(res.Errors) > 0 {
				t.Errorf("errors on the page: %q", res.Errors)
			}
			for k, c := range res.Charts {
				if tc.live && (c.State != "interactive" || c.Ink < 0.02 || c.Pic) {
					t.Errorf("chart %d: state %q, ink %.4f, picture shown %v; want drawn, picture hidden", k, c.State, c.Ink, c.Pic)
				}
				if !tc.live && (c.State == "interactive" || !c.Pic) {
					t.Errorf("chart %d: state %q, picture shown %v; want the picture", k, c.State, c.Pic)
				}
			}
		})
	}
	if _, ok := served.Load("/jupyter/kernelspecs/cwnb/cwnb-charts.js"); !ok {
		t.Error("the runtime was never fetched from the kernel's directory")
	}
}
