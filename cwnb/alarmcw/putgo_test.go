package alarmcw_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
)

// TestPutMetricAlarmGoCompiles builds the Go that alarm.Definition.PutMetricAlarmGo prints, for a
// metric alarm and a metric-math alarm, against the project's aws-sdk-go-v2: the printed call is
// ready to paste.
func TestPutMetricAlarmGoCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	fn := []alarm.Dimension{{Name: "FunctionName", Value: "orders-api"}}
	defs := []alarm.Definition{
		{Name: "p99", Description: `quotes " and \ kept`, Namespace: "MyService/API", MetricName: "Latency",
			Dimensions: []alarm.Dimension{{Name: "Service", Value: "checkout"}}, Statistic: "p99", Unit: "Milliseconds",
			Period: time.Minute, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 1500, Comparison: alarm.GreaterOrEqual,
			TreatMissingData: alarm.NotBreaching, EvaluateLowSampleCountPercentile: "ignore", ActionsEnabled: true,
			AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:page"}},
		{Name: "avg", Namespace: "AWS/EC2", MetricName: "CPUUtilization", Statistic: "Average", Period: 5 * time.Minute,
			EvaluationPeriods: 1, Threshold: 90, Comparison: alarm.Greater},
		{Name: "rate", Metrics: []alarm.Query{
			{ID: "errors", Namespace: "AWS/Lambda", MetricName: "Errors", Dimensions: fn, Stat: "Sum", Period: time.Minute},
			{ID: "invocations", Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: fn, Stat: "Sum", Period: time.Minute},
			{ID: "rate", Expression: "100 * errors / invocations", Label: "Error rate (%)", ReturnData: true},
		}, Period: time.Minute, EvaluationPeriods: 1, Threshold: 5, Comparison: alarm.Greater},
	}
	var body strings.Builder
	for i := range defs {
		if err := defs[i].Validate(); err != nil {
			t.Fatal(err)
		}
		body.WriteString("{\n" + defs[i].PutMetricAlarmGo() + "_ = err\n}\n")
	}
	src := `package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

func main() {
	ctx := context.Background()
	client := cloudwatch.New(cloudwatch.Options{Region: "us-east-1"})
	_, _, _ = aws.String, types.StatisticAverage, ctx
` + body.String() + "}\n"
	// A directory starting with "_" inside the module: never part of ./..., buildable by path.
	dir, err := os.MkdirTemp(".", "_putgo")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(goBin, "build", "-o", os.DevNull, "./"+filepath.Base(dir)).CombinedOutput()
	if err != nil {
		t.Fatalf("the printed PutMetricAlarm call does not compile: %v\n%s\n%s", err, out, src)
	}
}
