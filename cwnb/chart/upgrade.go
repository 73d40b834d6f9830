package chart

import "strings"

// upgradeJSTemplate is the per-chart script. It evaluates to a function run(id) that upgrades the chart
// with that element id. The shared state lives in window.__cwnbCharts and is defined by the first
// chart script that runs on the page, so many charts share one queue and one library load:
//
//   - ECharts already on the page (window.echarts): draw now.
//   - Otherwise queue the chart. While the document is still loading, wait for DOMContentLoaded,
//     by which time an inline LibraryScript anywhere in the page has run and drawn the queue
//     (it calls __cwnbCharts.flush). No chart ever calls echarts before it exists, so there is no
//     "echarts is not defined" race.
//   - Still no library and no inline copy marked present (window.__cwnbEchartsInline): a live
//     notebook. Load ECharts once for the whole page from the kernel's spec directory, which the
//     Jupyter server serves at <base URL>kernelspecs/<kernel>/echarts.min.js (the base URL from
//     the page: classic Notebook's body[data-base-url], JupyterLab's jupyter-config-data), so no
//     network beyond the Jupyter server is needed; only outside Jupyter, or if that fails, from
//     the CDN. It loads through RequireJS when the page has an AMD loader (Jupyter classic), else
//     with a <script> element, and draws the queue when it arrives. If it cannot load, the static
//     image stays and nothing is thrown.
//   - The picture is either inside the chart's element (.cwnb-static, a Page) or, in a notebook,
//     the image output just before it, found by the piece of its base64 named in
//     data-cwnb-image; it is hidden once the live chart is drawn. Time series arrive packed
//     (packSeries) and are unpacked before ECharts sees them.
//
// The chart's element is the script's parent (document.currentScript), so a front end that runs
// output scripts before attaching the output to the page (JupyterLab) still finds it; drawing
// waits until the element is in the document (polling for up to 15 s), so ECharts never measures
// a detached, zero-sized box. Any failure while drawing leaves the static image in place. The tooltip of Line charts is
// formatted here: every series is downsampled on its own, so their timestamps differ and ECharts'
// axis tooltip would show only the series nearest the pointer; this one shows every series' value
// nearest the hovered time (and a band as "lower – upper"), escaping every name with
// echarts.format.encodeHTML.
const upgradeJSTemplate = `(function(w,d){
var S=w.__cwnbCharts;
if(S&&S.run){S.pend();return S.run;}
S=w.__cwnbCharts={q:[],loading:false,failed:false};
S.pend=function(){var P=w.__cwnbPending;if(!P||!P.length)return;w.__cwnbPending=[];
 for(var i=0;i<P.length;i++)S.run(P[i][0],P[i][1]);};
S.lib=function(){var e=w.echarts;return e&&typeof e.init==='function'?e:null;};
S.flush=function(){var e=S.lib();if(!e)return;var q=S.q;S.q=[];for(var i=0;i<q.length;i++)S.draw(e,q[i]);};
S.num=function(v){if(v==null||typeof v!=='number'||isNaN(v))return '-';var a=Math.abs(v);
 if(a>=1000)return Math.round(v).toLocaleString('en-US');if(a>=100)return v.toFixed(1);return String(+v.toPrecision(4));};
S.at=function(d,t){
 if(!d||!d.length||!Array.isArray(d[0]))return undefined;
 var lo=0,hi=d.length-1;if(t<d[0][0]||t>d[hi][0])return undefined;
 while(lo<hi){var m=(lo+hi+1)>>1;if(d[m][0]<=t)lo=m;else hi=m-1;}
 if(lo+1<d.length&&Math.abs(d[lo+1][0]-t)<Math.abs(t-d[lo][0]))lo++;
 return d[lo][1];};
S.tooltip=function(ec,p){
 var m=p.meta||{},o=p.option;if(!o.tooltip||Array.isArray(o.tooltip))return;
 var enc=ec.format.encodeHTML,mark=ec.format.getTooltipMarker,units=m.units||[],hide=m.hide||[],band=m.band||{};
 if(m.kind==='heatmap'){
  var ax=function(a){a=Array.isArray(a)?a[0]:a;return (a&&a.data)||[];},xs=ax(o.xAxis),ys=ax(o.yAxis);
  o.tooltip.formatter=function(q){var v=q&&q.value;if(!v||v.length<3)return '';
   return enc(String(ys[v[1]]))+' \u00b7 '+enc(String(xs[v[0]]))+': <b>'+enc(S.num(v[2]))+'</b>'+(m.unit?' '+enc(m.unit):'');};
  return;}
 if(m.kind!=='time')return;
 o.tooltip.formatter=function(ps){
  if(!ps)return '';if(!Array.isArray(ps))ps=[ps];if(!ps.length)return '';
  var t=ps[0].axisValue!=null?ps[0].axisValue:(ps[0].value&&ps[0].value[0]);
  var s=enc(ec.time.format(t,'{yyyy}-{MM}-{dd} {HH}:{mm}:{ss}',true))+' UTC',ss=o.series||[],pal=o.color||[];
  for(var k=0;k<ss.length;k++){if(hide[k])continue;var sr=ss[k],v=S.at(sr.data,t);if(v===undefined)continue;
   var txt=S.num(v);
   if(band[k]!=null){var up=ss[band[k]],hv=up?S.at(up.data,t):null;txt=S.num(v)+' \u2013 '+S.num(v!=null&&hv!=null?v+hv:null);}
   var col=(sr.itemStyle&&sr.itemStyle.color)||pal[k%(pal.length||1)]||'#999';
   s+='<br>'+mark(col)+enc(sr.name)+': <b>'+enc(txt)+'</b>'+(units[k]?' '+enc(units[k]):'');}
  return s;};
};
S.unpack=function(o){var ss=o.series||[];for(var k=0;k<ss.length;k++){var p=ss[k]&&ss[k].data;
 if(!p||!p.cwnbPacked)continue;var t=0,r=new Array(p.v.length);
 for(var i=0;i<p.v.length;i++){t+=(i<p.t.length?p.t[i]:p.d);r[i]=[t*p.g,p.v[i]];}ss[k].data=r;}};
S.pic=function(el){var k=el.getAttribute('data-cwnb-image');if(!k)return null;
 var sel='img[src*="'+k+'"]',a=el;
 for(var u=0;u<8&&a&&a.parentNode;u++,a=a.parentNode){
  for(var p=a.previousElementSibling,n=0;p&&n<3;p=p.previousElementSibling,n++){
   if(p.matches&&p.matches(sel))return p;if(p.querySelector&&p.querySelector(sel))return p;}}
 return null;};
S.draw=function(ec,j){
 var el=j.h||d.getElementById(j.id),box=null;
 if(!el||!el.isConnected){
  j.n=(j.n||0)+1;if(j.n<=150)setTimeout(function(){S.draw(ec,j);},100);return;}
 if(el.getAttribute('data-cwnb-state')==='interactive')return;
 try{
  var src=el.querySelector('script.cwnb-option'),p=JSON.parse(src.textContent);
  S.unpack(p.option);
  var h=+el.getAttribute('data-height')||420;
  box=d.createElement('div');box.className='cwnb-live';box.style.width='100%';box.style.height=h+'px';
  el.insertBefore(box,el.firstChild);
  var c=ec.init(box,null,{renderer:'canvas'});
  S.tooltip(ec,p);c.setOption(p.option);
  var st=el.querySelector('.cwnb-static')||S.pic(el);if(st)st.style.display='none';
  el.setAttribute('data-cwnb-state','interactive');
  if(w.ResizeObserver)new w.ResizeObserver(function(){c.resize();}).observe(box);
  else w.addEventListener('resize',function(){c.resize();});
 }catch(e){
  if(box&&box.parentNode)box.parentNode.removeChild(box);
  el.setAttribute('data-cwnb-state','static');
  if(w.console&&console.warn)console.warn('cwnb: chart '+j.id+' stays static: '+e);
 }
};
S.srcs=function(el){
 var b=(d.body&&d.body.getAttribute('data-base-url'))||'',c;
 if(!b&&(c=d.getElementById('jupyter-config-data'))){try{b=JSON.parse(c.textContent).baseUrl||'';}catch(e){}}
 var r=[];if(b){if(b.charAt(b.length-1)!=='/')b+='/';
  var k=(el&&el.getAttribute('data-cwnb-kernel'))||'cwnb';
  r.push(b+'kernelspecs/'+encodeURIComponent(k)+'/echarts.min.js');}
 r.push('` + "CDN_URL" + `');return r;};
S.load=function(el){
 S.loading=true;
 var ok=function(){S.loading=false;S.flush();},ko=function(){S.loading=false;S.failed=true;};
 var urls=S.srcs(el),rq=w.requirejs||w.require;
 if(typeof w.define==='function'&&w.define.amd&&rq&&typeof rq.config==='function'){
  try{rq.config({paths:{'cwnb-echarts':urls.map(function(u){return u.replace(/\.js$/,'');})}});
   rq(['cwnb-echarts'],function(e){if(!S.lib()&&e)w.echarts=e;ok();},ko);}catch(e){ko();}
  return;}
 var i=0,next=function(){if(i>=urls.length){ko();return;}
  var s=d.createElement('script');s.src=urls[i++];s.async=true;s.onload=ok;
  s.onerror=function(){if(s.parentNode)s.parentNode.removeChild(s);next();};
  (d.head||d.body||d.documentElement).appendChild(s);};
 next();
};
S.run=function(id,h0){
 var cs=d.currentScript,h=h0||(cs&&cs.parentNode);
 var j={id:id,h:h&&h.id===id?h:null};
 if(S.lib()){S.draw(S.lib(),j);return;}
 S.q.push(j);
 var go=function(){if(S.lib()){S.flush();return;}if(w.__cwnbEchartsInline||S.loading||S.failed)return;S.load(j.h||d.getElementById(id));};
 if(d.readyState==='loading')d.addEventListener('DOMContentLoaded',go);else go();
};
S.pend();
return S.run;
})(window,document)`

// loaderJSTemplate is the per-chart script of the notebook form (Chart.Outputs): instead of the
// whole upgrade script in every chart, a loader that hands the chart to the upgrade runtime when
// the page has it (a report page's LibraryScript carries it; a chart with the full script may
// have defined it), and otherwise queues the chart on window.__cwnbPending and, in Jupyter, loads
// the runtime once from the kernel's directory (<base URL>kernelspecs/<kernel>/cwnb-charts.js,
// RuntimeJS), which draws the queue. Outside Jupyter without a runtime the picture stays.
const loaderJSTemplate = `(function(w,d,id){var cs=d.currentScript,h=cs&&cs.parentNode;h=h&&h.id===id?h:null;
var S=w.__cwnbCharts;if(S&&S.run){S.run(id,h);return;}
(w.__cwnbPending=w.__cwnbPending||[]).push([id,h]);if(w.__cwnbRuntime)return;w.__cwnbRuntime=1;
var go=function(){var S=w.__cwnbCharts;if(S&&S.run){S.pend();return;}
 var b=(d.body&&d.body.getAttribute('data-base-url'))||'',c;
 if(!b&&(c=d.getElementById('jupyter-config-data'))){try{b=JSON.parse(c.textContent).baseUrl||'';}catch(e){}}
 if(!b)return;if(b.charAt(b.length-1)!=='/')b+='/';
 var el=h||d.getElementById(id),k=(el&&el.getAttribute('data-cwnb-kernel'))||'cwnb';
 var s=d.createElement('script');s.src=b+'kernelspecs/'+encodeURIComponent(k)+'/cwnb-charts.js';s.async=true;
 (d.head||d.body||d.documentElement).appendChild(s);};
if(d.readyState==='loading')d.addEventListener('DOMContentLoaded',go);else go();
})(window,document,`

// RuntimeJS returns the chart upgrade runtime as a script file: what every chart of a Page or
// Bundle carries inline, and what a notebook's charts (Outputs) load once per page from the
// kernel's directory, where cwnb/kernelspec installs it as cwnb-charts.js.
func RuntimeJS() string { return upgradeJS() + ";\n" }

// upgradeJS returns upgradeJSTemplate with the CDN address (a constant of this package, never
// data).
func upgradeJS() string {
	return strings.NewReplacer("CDN_URL", echartsCDN).Replace(upgradeJSTemplate)
}
