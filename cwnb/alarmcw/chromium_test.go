package alarmcw_test

import (
	"context"
	"encoding/json"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/alarmcw"
	"github.com/cwnb/cwnb/cwnb/chart"
)

const chromiumPath = "/usr/bin/chromium"

// probe runs after load: it records alerts and errors, whether the chart upgraded, the names of
// the ALARM areas in the live chart, then moves the mouse over the middle of the first ALARM area
// and records the tooltip's text.
const probe = `<script>
window.__t={errors:[],alerts:[]};
window.addEventListener('error',function(e){__t.errors.push(String(e.message||e));},true);
window.alert=function(m){__t.alerts.push(String(m));};
window.addEventListener('load',function(){setTimeout(function(){
 var el=document.querySelector('.cwnb-chart'),res={state:el.getAttribute('data-cwnb-state'),areas:[],tooltip:''};
 var live=el.querySelector('.cwnb-live'),inst=live&&window.echarts&&echarts.getInstanceByDom(live);
 if(inst){
  var opt=inst.getOption();
  opt.series.forEach(function(s){if(s.markArea&&s.markArea.data){s.markArea.data.forEach(function(p){res.areas.push(p[0].name);});}});
  var a=null;opt.series.forEach(function(s){if(!a&&s.markArea&&s.markArea.data&&s.markArea.data.length){a=s.markArea.data[0];}});
  if(a){
   var mid=(a[0].xAxis+a[1].xAxis)/2,yr=inst.getModel().getComponent('yAxis').axis.scale.getExtent();
   var px=inst.convertToPixel({xAxisIndex:0,yAxisIndex:0},[mid,(yr[0]+yr[1])/2]);
   var c=live.querySelector('canvas'),r=c.getBoundingClientRect();
   c.dispatchEvent(new MouseEvent('mousemove',{clientX:r.left+px[0],clientY:r.top+px[1],bubbles:true}));
  }
 }
 setTimeout(function(){
  res.tooltip=live?live.textContent:'';res.errors=__t.errors;res.alerts=__t.alerts;
  var pre=document.createElement('pre');pre.id='result';pre.textContent=JSON.stringify(res);document.body.appendChild(pre);
 },500);
},500);});
</script>`

// TestChromiumAlarmTooltips opens a history chart in headless Chromium with the network off and
// checks that the ALARM intervals are drawn as areas whose tooltips show the (hostile) reason as
// text, and that nothing in the reason ran.
func TestChromiumAlarmTooltips(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing and CI=true: install Debian's chromium", chromiumPath)
		}
		t.Skipf("%s not installed", chromiumPath)
	}
	t0 := time.Date(2026, 11, 19, 2, 0, 0, 0, time.UTC)
	s := &alarm.Series{Start: t0, Step: time.Minute, Period: time.Minute, Values: make([]float64, 180)}
	for i := range s.Values {
		s.Values[i] = 500 + 10*math.Sin(float64(i))
		if i%60 < 5 {
			s.Values[i] = 3300
		}
	}
	reason := `Threshold Crossed: </script><script>alert(1)</script><img src=x onerror=alert(2)>`
	h := &alarmcw.History{Name: "checkout-latency-p99", From: t0, To: t0.Add(3 * time.Hour)}
	for k := 0; k < 3; k++ {
		st := t0.Add(time.Duration(k)*time.Hour + time.Minute)
		h.Intervals = append(h.Intervals, alarm.Interval{Start: st, End: st.Add(5 * time.Minute), State: alarm.Alarm, Reason: reason})
	}
	c, err := alarmcw.PlotHistory(alarmcw.HistoryChart{Title: "history", Data: s, Name: "p99", Unit: "Milliseconds", Threshold: 1000,
		Histories: []*alarmcw.History{h}}, chart.WithMode(chart.Both))
	if err != nil {
		t.Fatal(err)
	}
	page, err := chart.Page("alarm history", c)
	if err != nil {
		t.Fatal(err)
	}
	page = strings.Replace(page, "</body>", probe+"</body>", 1)
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	os.WriteFile(file, []byte(page), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, chromiumPath, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--no-first-run", "--disable-extensions", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--window-size=1100,900", "--virtual-time-budget=15000", "--dump-dom", "file://"+file).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	m := regexp.MustCompile(`(?s)<pre id="result">(.*?)</pre>`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no result in the DOM")
	}
	var res struct {
		State   string
		Areas   []string
		Tooltip string
		Errors  []string
		Alerts  []string
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &res); err != nil {
		t.Fatal(err)
	}
	if res.State != "interactive" || len(res.Areas) != 3 || len(res.Alerts) != 0 || len(res.Errors) != 0 {
		t.Fatalf("page: %+v", res)
	}
	if !strings.Contains(res.Areas[0], "alert(1)") {
		t.Errorf("area name %q", res.Areas[0])
	}
	t.Logf("tooltip: %q", res.Tooltip)
	if !strings.Contains(res.Tooltip, "<script>alert(1)</script>") {
		t.Errorf("tooltip text %q does not show the reason as text", res.Tooltip)
	}
}
