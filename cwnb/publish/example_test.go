package publish_test

import (
	"fmt"

	"github.com/cwnb/cwnb/cwnb/publish"
)

func ExampleParseURL() {
	t, err := publish.ParseURL("s3://team-reports/cloudwatch/daily")
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Bucket, t.Prefix)
	fmt.Println(t)
	// Output:
	// team-reports cloudwatch/daily/
	// s3://team-reports/cloudwatch/daily/
}

func ExampleContentType() {
	for _, name := range []string{"index.html", "tail-latency.ipynb", "chart.png"} {
		fmt.Println(name, publish.ContentType(name))
	}
	// Output:
	// index.html text/html; charset=utf-8
	// tail-latency.ipynb application/x-ipynb+json
	// chart.png image/png
}
