// Package export reaches the writers of a loaded result that the cwnb command needs (`cwnb get
// -format longcsv|json`) and a notebook does not: they stay out of the notebook facade (package
// cwnb), which sets them here when it is initialised.
package export

import "io"

// LongCSV writes a *cwnb.Result as the long CSV (one row per datapoint with its region, id,
// label, namespace, metric, statistic and dimensions); JSON writes it as one JSON object (window,
// period, calls, cost, warnings, timestamps, every series with its metadata and values). Package
// cwnb sets both in its init; r must be a *cwnb.Result.
var LongCSV, JSON func(r any, w io.Writer) error

// Investigation reads and checks the YAML investigation file at path (the format is in cwnb's
// investigation.go: title, question, region(s), window, period, fill, max_gap, metrics,
// expressions) and returns its cwnb.Query. Package cwnb sets it in its init.
var Investigation func(path string) (query any, err error)
