package scenario

import (
	"fmt"
	"math"
	"time"
)

// The ec2 scenario: see doc.go for the story.

const ec2Instances = 12

// instance roles in the ec2 fleet.
const (
	roleWeb   = iota // follows the daily pattern: ~15% at night, ~55% in the busy hours
	roleHot          // one instance stuck at 70-95% all day (a hot shard)
	roleIdle         // forgotten instances: < 5% all day
	roleBatch        // steady background work around 30%
)

// ec2Roles gives each instance (by index) its role: instance 3 is hot, 10-12 are idle.
var ec2Roles = [ec2Instances]int{roleWeb, roleWeb, roleHot, roleWeb, roleWeb, roleWeb, roleWeb, roleWeb, roleBatch, roleIdle, roleIdle, roleIdle}

// ec2InstanceID returns the id of instance i (0-based): i-0a1b2c3d4e5f60001 for i = 0.
func ec2InstanceID(i int) string { return fmt.Sprintf("i-0a1b2c3d4e5f6%04d", i+1) }

// busy is the fleet's daily activity: 0 at night, 1 in the busy hours 14:00-22:00 UTC, with
// one-hour ramps on either side.
func busy(sec int64) float64 {
	h := hourOfDay(sec)
	return ramp(h, 13, 14) * (1 - ramp(h, 22, 23))
}

type instance struct {
	role          int
	kDrift, kJit  uint64
	kNet, kNetJit uint64
	level, swing  float64 // CPU % at night, and how much the busy hours add
	bytesPerCPU   float64 // NetworkIn bytes per minute per CPU percent
	outRatio      float64 // NetworkOut / NetworkIn
}

// cpu returns the instance's average CPUUtilization over the minute at sec, in percent.
func (in *instance) cpu(sec int64) float64 {
	v := in.level + in.swing*busy(sec)
	switch in.role {
	case roleIdle:
		v += 0.8*smooth(in.kDrift, sec, 1200) + 0.3*(2*unit(in.kJit, sec)-1)
	case roleHot:
		v += 3*smooth(in.kDrift, sec, 900) + 1*(2*unit(in.kJit, sec)-1)
	default:
		v += 5*smooth(in.kDrift, sec, 900) + 2*(2*unit(in.kJit, sec)-1)
	}
	return math.Round(math.Min(100, math.Max(0, v))*1000) / 1000
}

// networkIn returns the bytes the instance received in the minute at sec.
func (in *instance) networkIn(sec int64) float64 {
	f := 1 + 0.15*smooth(in.kNet, sec, 600) + 0.05*(2*unit(in.kNetJit, sec)-1)
	return math.Round((in.cpu(sec)*in.bytesPerCPU + 20e3) * f)
}

// networkOut returns the bytes the instance sent in the minute at sec.
func (in *instance) networkOut(sec int64) float64 {
	f := 1 + 0.05*(2*unit(in.kNetJit^golden, sec)-1)
	return math.Round(in.networkIn(sec) * in.outRatio * f)
}

func newEC2(seed int64) Scenario {
	const scope = "ec2"
	set := &set{name: "ec2"}
	fleet := make([]instance, ec2Instances)
	for i := range fleet {
		id := ec2InstanceID(i)
		in := &fleet[i]
		*in = instance{
			role:    ec2Roles[i],
			kDrift:  keyOf(seed, scope, id, "drift"),
			kJit:    keyOf(seed, scope, id, "jitter"),
			kNet:    keyOf(seed, scope, id, "net"),
			kNetJit: keyOf(seed, scope, id, "netjitter"),
		}
		// Per-instance variety that does not depend on the seed, so the story is fixed.
		v := unit(keyOf(0, scope, id), 0)
		switch in.role {
		case roleWeb:
			in.level, in.swing = 12+6*v, 38+10*v
		case roleHot:
			in.level, in.swing = 76, 13
		case roleIdle:
			in.level, in.swing = 1.5+1.5*v, 0
		case roleBatch:
			in.level, in.swing = 28+4*v, 4
		}
		in.bytesPerCPU = 1.5e6 + 1e6*v // 1.5-2.5 MB a minute per CPU percent
		in.outRatio = 1.3 + 0.6*v
	}
	for _, name := range []string{"CPUUtilization", "NetworkIn", "NetworkOut"} {
		unitName := "Bytes"
		if name == "CPUUtilization" {
			unitName = "Percent"
		}
		for i := range fleet {
			in := &fleet[i]
			m := Metric{Namespace: "AWS/EC2", Name: name, Dims: []Dim{{"InstanceId", ec2InstanceID(i)}},
				Unit: unitName, Interval: time.Minute}
			var f func(int64) float64
			switch name {
			case "CPUUtilization":
				f = in.cpu
			case "NetworkIn":
				f = in.networkIn
			default:
				f = in.networkOut
			}
			set.series = append(set.series, series{m, func(sec int64, d *datum) bool { d.add(f(sec), 1); return true }})
		}
	}
	return set
}
