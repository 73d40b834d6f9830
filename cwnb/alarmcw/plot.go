package alarmcw

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/chart"
)

// option is an ECharts option built directly as a map; chart.FromEcharts renders it (static
// image, PNG, interactive upgrade, escaping).
type option map[string]any

// Validate is part of chart.EchartsChart; the option is built valid.
func (o option) Validate() {}

// JSON returns the option.
func (o option) JSON() map[string]any { return o }

// Mark is a moment to draw as a vertical line, such as a deploy.
type Mark struct {
	Time time.Time
	Name string
}

// HistoryChart is the data of PlotHistory.
type HistoryChart struct {
	// Title is the question the chart answers.
	Title string
	// Data is the alarm's statistic (from Fetch), drawn at each bucket's start; Name and Unit
	// label it ("p99", "Milliseconds").
	Data       *alarm.Series
	Name, Unit string
	// Threshold draws a dashed line when not NaN (set it to the alarm's threshold).
	Threshold float64
	// Histories are real alarm histories: ALARM intervals are shaded red, configuration changes
	// are lines; hovering shows the reason or the change.
	Histories []*History
	// Replays are replayed timelines (back-test candidates): their ALARM intervals are shaded in
	// other colours, each on its own legend entry.
	Replays []*alarm.Timeline
	// Marks are extra vertical lines, such as deploys.
	Marks []Mark
	// From and To clip the chart; zero: the data's extent.
	From, To time.Time
	// MaxPoints bounds the drawn points (each kept point is the largest value of its bucket, so
	// no spike disappears). Zero: 2,000.
	MaxPoints int
}

var replayColors = []string{"rgba(60,110,200,0.22)", "rgba(40,150,80,0.22)", "rgba(200,140,30,0.22)", "rgba(130,60,170,0.22)"}

func msOf(t time.Time) int64 { return t.UnixMilli() }

// PlotHistory draws an alarm's metric with its real history and replayed candidates on one time
// chart: ALARM intervals as shaded areas, configuration changes and marks as vertical lines,
// each with its reason or summary in the tooltip.
func PlotHistory(hc HistoryChart, optFns ...func(*chart.Options)) (*chart.Chart, error) {
	if hc.Data == nil || len(hc.Data.Values) == 0 {
		return nil, fmt.Errorf("alarmcw: HistoryChart %q has no Data; Fetch the alarm's statistic first", hc.Title)
	}
	from, to := hc.From, hc.To
	if from.IsZero() {
		from = hc.Data.Start
	}
	if to.IsZero() {
		to = hc.Data.End()
	}
	if !to.After(from) {
		return nil, fmt.Errorf("alarmcw: HistoryChart %q: To %s is not after From %s", hc.Title, to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	maxPts := hc.MaxPoints
	if maxPts <= 0 {
		maxPts = 2000
	}
	// The points in [from, to), reduced to at most maxPts by keeping each bucket's largest value.
	var idx []int
	for i := range hc.Data.Values {
		t := hc.Data.Start.Add(time.Duration(i) * hc.Data.Step)
		if !t.Before(from) && t.Before(to) {
			idx = append(idx, i)
		}
	}
	per := max(1, (len(idx)+maxPts-1)/maxPts)
	var data []any
	top, low := math.Inf(-1), math.Inf(1)
	for k := 0; k < len(idx); k += per {
		best, bi := math.NaN(), idx[k]
		for _, i := range idx[k:min(k+per, len(idx))] {
			if v := hc.Data.Values[i]; !math.IsNaN(v) && (math.IsNaN(best) || v > best) {
				best, bi = v, i
			}
		}
		t := hc.Data.Start.Add(time.Duration(bi) * hc.Data.Step)
		if math.IsNaN(best) {
			data = append(data, []any{msOf(t), nil})
		} else {
			data = append(data, []any{msOf(t), round7(best)})
			top, low = math.Max(top, best), math.Min(low, best)
		}
	}
	name := hc.Name
	if name == "" {
		name = "value"
	}
	series := []any{map[string]any{"type": "line", "name": name, "showSymbol": false, "data": data, "connectNulls": false,
		"lineStyle": map[string]any{"width": 1}, "color": "#334"}}
	var legend []any
	legend = append(legend, name)
	var alt []string
	alt = append(alt, fmt.Sprintf("%s: %s from %s to %s", hc.Title, name, from.UTC().Format("2006-01-02 15:04"), to.UTC().Format("2006-01-02 15:04")))
	var lines []any
	if !math.IsNaN(hc.Threshold) {
		lines = append(lines, map[string]any{"name": "threshold " + strconv.FormatFloat(hc.Threshold, 'g', -1, 64), "yAxis": hc.Threshold,
			"lineStyle": map[string]any{"type": "dashed", "color": "#a33"}})
		alt = append(alt, "threshold "+strconv.FormatFloat(hc.Threshold, 'g', -1, 64))
	}
	if !math.IsNaN(hc.Threshold) {
		top = math.Max(top, hc.Threshold)
	}
	if math.IsInf(top, -1) || top <= 0 {
		top = 1
	}
	// Replayed timelines are drawn as lanes above the data, one per timeline, so that they
	// neither hide the data nor each other; real histories shade the full height.
	lane := func(i int) (lo, hi float64) {
		return top * (1.04 + 0.09*float64(i)), top * (1.11 + 0.09*float64(i))
	}
	area := func(label, color string, ivs []alarm.Interval, laneIdx int) map[string]any {
		var ad []any
		n := 0
		for _, iv := range ivs {
			if iv.State != alarm.Alarm {
				continue
			}
			s, e := maxTime(iv.Start, from), minTime(iv.End, to)
			if !e.After(s) {
				continue
			}
			n++
			reason := iv.Reason
			if reason == "" {
				reason = "in ALARM"
			}
			p0 := map[string]any{"name": label + ": " + reason, "xAxis": msOf(s)}
			p1 := map[string]any{"xAxis": msOf(e)}
			if laneIdx >= 0 {
				lo, hi := lane(laneIdx)
				p0["yAxis"], p1["yAxis"] = round7(lo), round7(hi)
			}
			ad = append(ad, []any{p0, p1})
		}
		alt = append(alt, fmt.Sprintf("%s: %d ALARM intervals", label, n))
		return map[string]any{"type": "line", "name": label, "data": []any{}, "color": strings.Replace(color, "0.22", "0.9", 1),
			"tooltip": map[string]any{"trigger": "item"},
			"markArea": map[string]any{"silent": false, "itemStyle": map[string]any{"color": color},
				"tooltip": map[string]any{"show": true, "trigger": "item"},
				"label":   map[string]any{"show": false}, "data": ad}}
	}
	var evLines []any
	for _, h := range hc.Histories {
		label := h.Name + " (real)"
		series = append(series, area(label, "rgba(210,50,50,0.22)", h.Intervals, -1))
		legend = append(legend, label)
		for _, c := range h.Config {
			if c.Time.Before(from) || !c.Time.Before(to) {
				continue
			}
			evLines = append(evLines, map[string]any{"name": c.Summary, "xAxis": msOf(c.Time)})
			alt = append(alt, fmt.Sprintf("%s: %s", c.Time.UTC().Format("2006-01-02 15:04"), c.Summary))
		}
	}
	for i, tl := range hc.Replays {
		label := tl.Name
		if label == "" {
			label = fmt.Sprintf("replay %d", i+1)
		}
		label += " (replay)"
		series = append(series, area(label, strings.Replace(replayColors[i%len(replayColors)], "0.22", "0.75", 1), tl.Intervals(), i))
		legend = append(legend, label)
	}
	for _, m := range hc.Marks {
		evLines = append(evLines, map[string]any{"name": m.Name, "xAxis": msOf(m.Time)})
		alt = append(alt, fmt.Sprintf("%s: %s", m.Time.UTC().Format("2006-01-02 15:04"), m.Name))
	}
	if len(lines) > 0 || len(evLines) > 0 {
		series[0].(map[string]any)["markLine"] = map[string]any{"symbol": []any{"none", "none"}, "silent": false,
			"label":     map[string]any{"formatter": "{b}", "position": "insideEndTop", "fontSize": 10},
			"lineStyle": map[string]any{"color": "#a33", "type": "solid", "width": 1}, "data": append(lines, evLines...)}
	}
	yName := hc.Unit
	yAxis := map[string]any{"type": "value", "name": yName, "scale": true}
	if low >= 0 {
		yAxis = map[string]any{"type": "value", "name": yName, "min": 0}
	}
	if len(hc.Replays) > 0 {
		_, hi := lane(len(hc.Replays) - 1)
		yAxis["max"] = round7(hi * 1.02)
		yAxis["axisLabel"] = map[string]any{"showMaxLabel": false}
	}
	opt := option{
		"title":    map[string]any{"text": hc.Title, "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip":  map[string]any{"trigger": "axis", "confine": true},
		"legend":   map[string]any{"top": 28, "type": "scroll", "data": legend},
		"grid":     map[string]any{"left": 70, "right": 30, "top": 70, "bottom": 70},
		"xAxis":    map[string]any{"type": "time", "min": msOf(from), "max": msOf(to)},
		"yAxis":    yAxis,
		"dataZoom": []any{map[string]any{"type": "inside"}, map[string]any{"type": "slider", "bottom": 10}},
		"series":   series,
	}
	return chart.FromEcharts(opt, strings.Join(alt, "\n"), optFns...)
}

func round7(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, 6-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// zeroPages is where the trade-off chart draws candidates with no false page: its log axis has no 0.
const zeroPages = 0.3

// PlotTradeOff draws one point per back-tested candidate: false pages per week against median
// time to detect, the best (alarm.Pick) in red and labelled. The x axis is logarithmic (a few
// false pages matter as much as hundreds do), with no false page drawn at its left edge. Candidates that missed incidents
// are grey; those that caught none are listed in the alt text only (they have no detection time).
func PlotTradeOff(title string, scores []*alarm.Score, optFns ...func(*chart.Options)) (*chart.Chart, error) {
	if len(scores) == 0 {
		return nil, fmt.Errorf("alarmcw: PlotTradeOff %q has no scores; back-test some candidates first", title)
	}
	best := alarm.Pick(scores)
	var all, partial, top []any
	var alt []string
	alt = append(alt, title+": x = false pages per week, y = median minutes to detect")
	for _, s := range scores {
		md := s.MedianDetect()
		if md < 0 {
			alt = append(alt, s.Definition.Label()+": caught no incident")
			continue
		}
		pt := map[string]any{"name": fmt.Sprintf("%s — caught %d/%d, %.1f false pages/week, median %v to detect, %v in ALARM outside incidents",
			s.Definition.Label(), s.Caught, s.Incidents, s.FalsePagesPerWeek(), md, s.AlarmOutside),
			"value": []any{round7(math.Max(s.FalsePagesPerWeek(), zeroPages)), round7(md.Minutes())}}
		switch {
		case s == best:
			pt["label"] = map[string]any{"show": true, "formatter": "best: " + s.Definition.Label(), "position": "top", "color": "#a22"}
			top = append(top, pt)
		case s.Caught < s.Incidents:
			partial = append(partial, pt)
		default:
			all = append(all, pt)
		}
		alt = append(alt, s.String())
	}
	series := []any{
		map[string]any{"type": "scatter", "name": "catches every incident", "data": all, "symbolSize": 9, "color": "#3a6ea5"},
		map[string]any{"type": "scatter", "name": "misses some", "data": partial, "symbolSize": 7, "color": "#aaaaaa"},
		map[string]any{"type": "scatter", "name": "best", "data": top, "symbolSize": 14, "color": "#c22"},
	}
	opt := option{
		"title":   map[string]any{"text": title, "left": "center", "textStyle": map[string]any{"fontSize": 14}},
		"tooltip": map[string]any{"trigger": "item", "confine": true},
		"legend":  map[string]any{"top": 28},
		"grid":    map[string]any{"left": 70, "right": 40, "top": 70, "bottom": 50},
		"xAxis": map[string]any{"type": "log", "min": zeroPages, "name": "false pages per week (log scale; none is drawn at the left edge)",
			"nameLocation": "middle", "nameGap": 28},
		"yAxis":  map[string]any{"type": "value", "name": "median minutes to detect"},
		"series": series,
	}
	return chart.FromEcharts(opt, strings.Join(alt, "\n"), optFns...)
}

// Table formats scores as a fixed-width text table, best first by alarm.Pick's order; rows > 0
// keeps only the first rows and says how many were left out.
func Table(scores []*alarm.Score, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-36s %8s %7s %10s %13s %5s %8s\n", "candidate", "caught", "detect", "false/week", "ALARM outside", "flaps", "headroom")
	ranked := Ranked(scores)
	for i, s := range ranked {
		if rows > 0 && i == rows {
			fmt.Fprintf(&b, "… and %d more\n", len(ranked)-rows)
			break
		}
		md := "-"
		if m := s.MedianDetect(); m >= 0 {
			md = m.String()
		}
		fmt.Fprintf(&b, "%-36s %8s %7s %10.1f %13v %5d %8s\n", s.Definition.Label(), fmt.Sprintf("%d/%d", s.Caught, s.Incidents), md,
			s.FalsePagesPerWeek(), s.AlarmOutside, s.Flaps, headroomText(s.Headroom))
	}
	return b.String()
}

// Ranked returns the scores best first, in alarm.Pick's order.
func Ranked(scores []*alarm.Score) []*alarm.Score {
	rest := append([]*alarm.Score(nil), scores...)
	var out []*alarm.Score
	for len(rest) > 0 {
		b := alarm.Pick(rest)
		out = append(out, b)
		for i, s := range rest {
			if s == b {
				rest = append(rest[:i], rest[i+1:]...)
				break
			}
		}
	}
	return out
}

func headroomText(h float64) string {
	if math.IsNaN(h) {
		return "-"
	}
	return fmt.Sprintf("×%.2f", h)
}
