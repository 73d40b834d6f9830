package alarmcw_test

import "github.com/cwnb/cwnb/cwnb/chart"

// chartStatic renders only the static picture, which is all these tests look at.
func chartStatic(o *chart.Options) { o.Mode = chart.Static }
