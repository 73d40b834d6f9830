package localcw

import "time"

// mathExpr is a parsed metric math expression.
type mathExpr struct{}

// parseExpressions validates the expression queries. Metric math is wired in with the metricmath
// package; until then an expression is refused with an error that says so.
func parseExpressions(qs []*query, byID map[string]*query) error {
	for _, q := range qs {
		if q.metric == nil {
			return invalidValue("The expression in %s.Expression cannot be evaluated: metric math is not available in this build of the local CloudWatch yet.", q.param())
		}
	}
	return nil
}

func (s *Server) evalExpressions(r *request, computed map[*query]*computedSeries, now time.Time) (map[*query][]result, error) {
	return nil, nil
}
