package cwstat_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cwnb/cwnb/cwnb/cwstat"
)

func ExampleParse() {
	for _, name := range []string{"p99.9", "tm99", "TM(10%:90%)", "PR(:300)", "P99", "TM(90%:10%)"} {
		s, err := cwstat.Parse(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: kind %v, needs samples %v\n", name, s.Kind, s.NeedsSamples())
	}
	// Output:
	// p99.9: kind p, needs samples true
	// tm99: kind TM, needs samples true
	// TM(10%:90%): kind TM, needs samples true
	// PR(:300): kind PR, needs samples true
	// unknown statistic "P99": names are case-sensitive: use p99
	// invalid statistic "TM(90%:10%)": lower bound 90% must be below upper bound 10%; write the smaller bound first
}

func ExampleStat_String() {
	for _, name := range []string{"p99.90", "tm99", "wm98", "TC(0.005:0.030)", "IQM"} {
		s, _ := cwstat.Parse(name)
		fmt.Printf("%-16s -> %s\n", name, s)
	}
	fmt.Println(cwstat.Stat{Kind: cwstat.TrimmedSum, Lo: 5, HasLo: true})
	// Output:
	// p99.90           -> p99.9
	// tm99             -> TM(:99%)
	// wm98             -> WM(:98%)
	// TC(0.005:0.030)  -> TC(0.005:0.03)
	// IQM              -> IQM
	// TS(5%:)
}

func ExampleBucket_Compute() {
	// One minute of latencies published as Values+Counts: 98 requests at 200 ms, 2 at 3 s.
	var b cwstat.Bucket
	b.Add(200, 98)
	b.Add(3000, 2)
	for _, name := range []string{"Average", "p50", "p99", "tm98", "PR(:300)"} {
		s, _ := cwstat.Parse(name)
		v, ok := b.Compute(s)
		fmt.Printf("%-8s %7.1f %v\n", name, v, ok)
	}
	// A statistic set with Minimum < Maximum hides the percentiles, as in CloudWatch.
	b.AddSet(cwstat.Set{SampleCount: 10, Sum: 2500, Minimum: 100, Maximum: 400})
	p99, _ := cwstat.Parse("p99")
	v, ok := b.Compute(p99)
	fmt.Println("p99 with a set:", v, ok)
	// Output:
	// Average    256.0 true
	// p50        200.0 true
	// p99       3000.0 true
	// tm98       200.0 true
	// PR(:300)    98.0 true
	// p99 with a set: NaN false
}

func ExampleBucket_ComputeAll() {
	stats := append(cwstat.Basic(), cwstat.Stat{Kind: cwstat.Percentile, P: 90}, cwstat.Stat{Kind: cwstat.IQM})
	out, ok := make([]float64, len(stats)), make([]bool, len(stats))
	var b cwstat.Bucket // reused for every period: Reset keeps its memory
	for _, period := range [][]float64{{4, 1, 3, 2}, {}, {10, 20, 30, 40, 50, 60, 70, 80, 90, 100}} {
		b.Reset()
		for _, v := range period {
			b.Add(v, 1)
		}
		b.ComputeAll(stats, out, ok)
		var line []string
		for i, s := range stats {
			if ok[i] {
				line = append(line, fmt.Sprintf("%s=%g", s, out[i]))
			}
		}
		fmt.Println(strings.Join(line, " "))
	}
	// Output:
	// Average=2.5 Sum=10 Minimum=1 Maximum=4 SampleCount=4 p90=4 IQM=2.5
	//
	// Average=55 Sum=550 Minimum=10 Maximum=100 SampleCount=10 p90=90 IQM=55
}

func ExampleStat_Rollup() {
	for _, name := range []string{"Sum", "Average", "p99", "TM(150:1000)"} {
		s, _ := cwstat.Parse(name)
		if w, ok := s.Weight(); ok {
			fmt.Println(name, s.Rollup(), "weighted by", w)
		} else {
			fmt.Println(name, s.Rollup())
		}
	}
	// Output:
	// Sum RollupSum
	// Average RollupWeightedMean weighted by SampleCount
	// p99 RollupNone
	// TM(150:1000) RollupWeightedMean weighted by TC(150:1000)
}

func ExampleBasic() {
	var b cwstat.Bucket
	b.AddSet(cwstat.Set{SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4})
	for _, s := range cwstat.Basic() {
		v, _ := b.Compute(s)
		fmt.Printf("%s=%g\n", s, v)
	}
	// Output:
	// Average=2.5
	// Sum=10
	// Minimum=1
	// Maximum=4
	// SampleCount=4
}

func ExampleBucket_AddValues() {
	// One PutMetricData datum with Values and Counts, as the local CloudWatch stores it.
	values := []float64{120, 180, 250, 3400}
	counts := []float64{40, 45, 14, 1}
	var b cwstat.Bucket
	b.AddValues(values, counts)
	for _, name := range []string{"SampleCount", "p50", "p99", "p99.5", "TC(:200)", "PR(:200)"} {
		s, _ := cwstat.Parse(name)
		v, _ := b.Compute(s)
		fmt.Printf("%s=%g\n", name, v)
	}
	// Output:
	// SampleCount=100
	// p50=180
	// p99=250
	// p99.5=3400
	// TC(:200)=85
	// PR(:200)=85
}

func ExampleBucket_AddSet() {
	var b cwstat.Bucket
	// Minimum = Maximum and Sum = Minimum·SampleCount (SampleCount 1 included): raw values.
	b.AddSet(cwstat.Set{SampleCount: 1, Sum: 7, Minimum: 7, Maximum: 7})
	b.AddSet(cwstat.Set{SampleCount: 3, Sum: 6, Minimum: 2, Maximum: 2})
	p50, _ := cwstat.Parse("p50")
	tc, _ := cwstat.Parse("TC(3:10)")
	v, ok := b.Compute(p50)
	fmt.Println("p50:", v, ok)
	// Any other set is a summary only: the basic statistics count it, and no other statistic
	// exists for this period, absolute bounds included.
	b.AddSet(cwstat.Set{SampleCount: 2, Sum: 10, Minimum: 4, Maximum: 6})
	v, ok = b.Compute(p50)
	fmt.Println("p50:", v, ok)
	v, ok = b.Compute(tc)
	fmt.Println("TC(3:10):", v, ok)
	sum, _ := b.Compute(cwstat.Stat{Kind: cwstat.Sum})
	fmt.Println("Sum:", sum, "of", b.Len())
	// Output:
	// p50: 2 true
	// p50: NaN false
	// TC(3:10): NaN false
	// Sum: 23 of 6
}

func ExampleParseError() {
	_, err := cwstat.Parse("TM(10%:500)")
	var pe *cwstat.ParseError
	if errors.As(err, &pe) {
		fmt.Println("input:", pe.Name)
		fmt.Println("fix:", pe.Reason)
	}
	// Output:
	// input: TM(10%:500)
	// fix: both bounds must be percentages or both absolute values; write it like TM(10%:90%), TM(:95%) or TM(150:1000)
}
