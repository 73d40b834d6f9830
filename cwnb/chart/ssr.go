package chart

import (
	"fmt"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// ssrRuntime is the process-wide goja runtime with ECharts loaded. A goja runtime is not safe for
// concurrent use, so renders are serialised by mu. Each GoNB cell is a new process and pays the
// load once (see BenchmarkEchartsColdLoad).
type ssrRuntime struct {
	mu     sync.Mutex
	vm     *goja.Runtime
	render goja.Callable
}

var (
	ssrOnce sync.Once
	ssrVM   *ssrRuntime
	ssrErr  error
)

// The render function runs ECharts' own server-side SVG renderer. Animation is off so the first
// frame is the final one; the chart is disposed so the runtime does not grow.
const ssrRenderJS = `(function(optionJSON, width, height) {
  var chart = echarts.init(null, null, {renderer: 'svg', ssr: true, width: width, height: height});
  try {
    var option = JSON.parse(optionJSON);
    option.animation = false;
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
})`

func newSSRRuntime() (*ssrRuntime, error) {
	prog, err := goja.Compile("echarts.min.js", echartsJS, false)
	if err != nil {
		return nil, fmt.Errorf("chart: compiling the embedded echarts.min.js: %w", err)
	}
	vm := goja.New()
	// ECharts schedules animation frames and lazy updates with timers; an SSR render needs none of
	// them, so the timer functions are no-ops.
	noop := func(goja.FunctionCall) goja.Value { return goja.Undefined() }
	for _, name := range []string{"setTimeout", "clearTimeout", "setInterval", "clearInterval", "requestAnimationFrame", "cancelAnimationFrame"} {
		if err := vm.Set(name, noop); err != nil {
			return nil, err
		}
	}
	console := vm.NewObject()
	for _, name := range []string{"log", "warn", "error", "info", "debug"} {
		_ = console.Set(name, noop)
	}
	_ = vm.Set("console", console)
	if _, err := vm.RunProgram(prog); err != nil {
		return nil, fmt.Errorf("chart: loading echarts into goja: %w", err)
	}
	// Without a canvas, ECharts estimates text widths from a table; the PNG draws text with the
	// Go fonts, which are wider. Measuring with the very fonts the rasteriser uses makes ECharts
	// wrap titles, space legends and drop overlapping labels for the text that is really drawn.
	if err := vm.Set("__cwnbMeasure", func(text, font string) float64 { return measureText(text, font) }); err != nil {
		return nil, err
	}
	if _, err := vm.RunString(`echarts.setPlatformAPI({measureText: function(t, f) { return {width: __cwnbMeasure(String(t == null ? '' : t), String(f || ''))}; }});`); err != nil {
		return nil, fmt.Errorf("chart: installing the text measurer: %w", err)
	}
	v, err := vm.RunString(ssrRenderJS)
	if err != nil {
		return nil, fmt.Errorf("chart: defining the SSR render function: %w", err)
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("chart: SSR render function is not callable")
	}
	return &ssrRuntime{vm: vm, render: fn}, nil
}

func getSSR() (*ssrRuntime, error) {
	ssrOnce.Do(func() { ssrVM, ssrErr = newSSRRuntime() })
	return ssrVM, ssrErr
}

// renderSVG renders an ECharts option (JSON text) to an SVG document with ECharts' SSR in goja.
func renderSVG(optionJSON string, width, height int) (string, error) {
	rt, err := getSSR()
	if err != nil {
		return "", err
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	// A bad option can make ECharts loop; interrupt a render that runs far too long.
	timer := time.AfterFunc(30*time.Second, func() { rt.vm.Interrupt("chart: SSR render took longer than 30s") })
	defer func() {
		timer.Stop()
		rt.vm.ClearInterrupt()
	}()
	v, err := rt.render(goja.Undefined(), rt.vm.ToValue(optionJSON), rt.vm.ToValue(width), rt.vm.ToValue(height))
	if err != nil {
		return "", fmt.Errorf("chart: echarts server-side render failed: %w", err)
	}
	return v.String(), nil
}

// Preload starts loading ECharts into the goja runtime in the background and returns at once, so
// that the first static render of a process (each GoNB cell is one) does not wait for the load.
// Call it early, e.g. before fetching the data to plot. Calling it again does nothing.
func Preload() { go func() { _, _ = getSSR() }() }
