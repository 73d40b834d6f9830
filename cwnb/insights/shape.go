package insights

import "time"

// Shape describes the rows a query returns, found by parsing it: the service does not say which
// columns are group keys or bins, so a loader has to know from the query.
type Shape struct {
	// Stats: the rows are aggregates (the query has a stats command).
	Stats bool
	// By are the columns of the last stats command's by clause, in order.
	By []string
	// Bin is the by column that is a bin() ("bin(5m)" or its alias), "" if none.
	Bin string
	// BinPeriod is the bin's period for fixed-length units (ms to weeks); 0 for months,
	// quarters and years, and when there is no bin.
	BinPeriod time.Duration
	// BinOffset is where the bins' grid starts: bins start at the Unix epoch plus BinOffset
	// plus multiples of BinPeriod (4 days for weeks, which start on Monday; 0 otherwise).
	BinOffset time.Duration
	// Aggregates are the aggregate columns of the last stats command, in order.
	Aggregates []string
	// CountLike[i] reports whether Aggregates[i] is a count (count or count_distinct): an empty
	// bin of it means 0, where any other aggregate of an empty bin is missing.
	CountLike []bool
	// Limit is the query's own limit command (0: none).
	Limit int
	// Sorted reports whether the query orders its rows itself (a sort command).
	Sorted bool
	// Splittable reports whether the rows of adjacent time windows, queried separately, add up
	// to the rows of the whole window: a raw query without sort, dedup or limit (rows are
	// events), or a single stats by a fixed-length bin() with nothing after it but fields or
	// display (bins are independent when the windows split on bin boundaries). A pct or a count
	// over the whole window is not splittable.
	Splittable bool
}

// Shape returns the shape of q's result rows.
func (q *Query) Shape() Shape {
	var sh Shape
	nStats := 0
	afterStats := false
	blocking := false
	for _, c := range q.cmds {
		switch c := c.(type) {
		case *statsCmd:
			nStats++
			sh.Stats, afterStats = true, false
			sh.By, sh.Bin, sh.BinPeriod, sh.BinOffset, sh.Aggregates, sh.CountLike = nil, "", 0, 0, nil, nil
			for _, b := range c.by {
				sh.By = append(sh.By, b.name)
				if call, ok := b.e.(*callExpr); ok && call.name == "bin" && len(call.args) == 1 {
					sh.Bin = b.name
					if d, ok := call.args[0].(*durationExpr); ok {
						if p, ok := parsePeriod(d.text); ok && p.unit != "mo" {
							sh.BinPeriod = time.Duration(p.ms) * time.Millisecond
							if p.unit == "w" {
								sh.BinOffset = mondayOffset * time.Millisecond
							}
						}
					}
				}
			}
			for _, a := range c.aggs {
				sh.Aggregates = append(sh.Aggregates, a.name)
				call, ok := a.e.(*callExpr)
				sh.CountLike = append(sh.CountLike, ok && (call.name == "count" || call.name == "count_distinct"))
			}
			continue
		case *limitCmd:
			sh.Limit = c.n
			blocking = true
		case *sortCmd:
			blocking, sh.Sorted = true, true
		case *dedupCmd:
			blocking = true
		case *filterCmd:
			if sh.Stats {
				afterStats = true
			}
		}
		if sh.Stats {
			switch c.(type) {
			case *fieldsCmd, *displayCmd:
			default:
				afterStats = true
			}
		}
	}
	if sh.Stats {
		sh.Splittable = nStats == 1 && !afterStats && sh.BinPeriod > 0 && !blocking
	} else {
		sh.Splittable = !blocking
	}
	return sh
}
