package report_test

import (
	"fmt"
	"path/filepath"

	"github.com/cwnb/cwnb/cwnb/report"
)

func ExampleParseNotebook() {
	nb, err := report.ParseNotebook("tail.ipynb", []byte(`{
		"metadata": {"kernelspec": {"name": "cwnb"}},
		"cells": [
			{"cell_type": "markdown", "source": ["# Is the average hiding our tail?\n", "Average vs p99."]},
			{"cell_type": "code", "source": "%%\nfmt.Println(1)", "outputs": [
				{"output_type": "stream", "name": "stdout", "text": ["1\n"]}]}
		]}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(nb.Title())
	fmt.Println(nb.KernelName())
	fmt.Printf("%q\n", nb.Cells[1].Outputs[0].Text)
	// Output:
	// Is the average hiding our tail?
	// cwnb
	// "1\n"
}

func ExampleFailures() {
	// A notebook GoNB executed: a compile error, a panic, os.Exit(3).
	nb, err := report.ReadNotebook(filepath.Join("testdata", "gonb-errors-executed.ipynb"))
	if err != nil {
		panic(err)
	}
	for _, f := range report.Failures("errors.ipynb", nb) {
		fmt.Printf("cell %d: %q\n", f.Cell+1, f.Source)
	}
	// Output:
	// cell 3: "%%\nfmt.Println(undefinedThing)"
	// cell 4: "%%\npanic(\"boom\")"
	// cell 5: "import \"os\"\n%%\nfmt.Println(\"bye\"); os.Exit(3)"
}

func ExampleSelfContained() {
	page := []byte(`<html><head><title>x</title>` +
		`<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script></head>` +
		`<body><div class="cwnb-chart"><script type="application/json" class="cwnb-option">{}</script></div></body></html>`)
	fmt.Println(string(report.SelfContained(page, "Lambda health", "<script>/* echarts */</script>")))
	// Output:
	// <html><head><title>Lambda health</title><script>/* echarts */</script>
	// </head><body><div class="cwnb-chart"><script type="application/json" class="cwnb-option">{}</script></div></body></html>
}
