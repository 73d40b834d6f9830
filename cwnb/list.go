package cwnb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/cwnb/cwnb/cwnb/internal/fetch"
)

// Filter selects metrics for List. Zero fields do not filter.
type Filter struct {
	Namespace string
	Metric    string
	// Dims keeps metrics that have every listed dimension; an empty value matches any value
	// ("InstanceId": "" lists every instance).
	Dims Dims
	// RecentlyActive keeps only metrics that received data in the last 3 hours.
	RecentlyActive bool
	// AccountID lists the metrics of one source account (cross-account observability);
	// IncludeLinked lists those of every linked account.
	AccountID     string
	IncludeLinked bool
	Regions       []string // "": the loader's region
}

const listExt = ".cwl"

// listMaxAge is how long a listing stays in the cache before List asks CloudWatch again (offline
// mode uses a listing of any age).
const listMaxAge = time.Hour

// Listing is what List found.
type Listing struct {
	// Frame has columns region, account (when cross-account), namespace, metric, then one column
	// per dimension name found, sorted, empty where a metric lacks the dimension.
	Frame   dataframe.DataFrame
	Metrics []Metric // ready to put in a Query (Stats empty: Average)
	Regions []string // region of each of Metrics
	Calls   int      // ListMetrics requests made (0 when answered by the cache)
	Cached  bool
}

// List lists metrics with a new Loader configured by optFns. See Loader.List.
func List(ctx context.Context, f Filter, optFns ...func(*Options)) (*Listing, error) {
	l, err := New(optFns...)
	if err != nil {
		return nil, err
	}
	return l.List(ctx, f)
}

// listedMetric is one metric of a listing, as the listing cache stores it.
type listedMetric struct {
	Namespace string            `json:"namespace"`
	Name      string            `json:"name"`
	Dims      map[string]string `json:"dims"`
	Account   string            `json:"account,omitempty"`
}

type listCacheFile struct {
	Version int            `json:"version"`
	Key     string         `json:"key"`
	Written time.Time      `json:"written"`
	Metrics []listedMetric `json:"metrics"`
}

// List runs ListMetrics (every page) in each region and returns the metrics as a frame and as
// Metric values. ListMetrics costs nothing, but a listing is cached for an hour so that a
// notebook re-run makes no call, and offline mode answers from the cache.
func (l *Loader) List(ctx context.Context, f Filter) (*Listing, error) {
	return l.list(ctx, f, false)
}

// list is List; with anyAge a cached listing of any age answers (suggestions need names, not the
// latest ones, and then stay the same from one run to the next).
func (l *Loader) list(ctx context.Context, f Filter, anyAge bool) (*Listing, error) {
	if l == nil || ctx == nil {
		return nil, errors.New("cwnb: List needs a *Loader from cwnb.New and a context (context.Background())")
	}
	for k := range f.Dims {
		if k == "" {
			return nil, invalidf("filter dimension with an empty name; give the dimension's name")
		}
	}
	if len(f.Dims) > 10 {
		return nil, invalidf("filter has %d dimensions; ListMetrics takes at most 10", len(f.Dims))
	}
	regions := f.Regions
	if len(regions) == 0 {
		r, err := l.defaultRegion(ctx)
		if err != nil {
			return nil, err
		}
		regions = []string{r}
	}
	out := &Listing{Cached: true}
	var rows []listRow
	for _, region := range regions {
		lc, calls, err := l.listRegion(ctx, region, f, anyAge)
		if err != nil {
			return nil, err
		}
		out.Calls += calls
		out.Cached = out.Cached && calls == 0
		for _, m := range lc.Metrics {
			rows = append(rows, listRow{region: region, account: m.Account, m: Metric{Namespace: m.Namespace, Name: m.Name, Dims: Dims(m.Dims), AccountID: m.Account}})
		}
	}
	out.fill(rows)
	return out, nil
}

// listRow is one metric found in one region.
type listRow struct {
	region, account string
	m               Metric
}

// listRegion answers f in region from the listing cache when it is fresh (or offline, or any
// age will do), else
// from ListMetrics, and caches what it lists. It returns the listing and the calls it made.
func (l *Loader) listRegion(ctx context.Context, region string, f Filter, anyAge bool) (*listCacheFile, int, error) {
	epURL := l.opts.Endpoint
	var c API
	if !l.opts.Offline {
		var err error
		if c, err = l.client(ctx, region); err != nil {
			return nil, 0, err
		}
		epURL = l.endpointURL(c)
	} else if epURL == "" {
		epURL = l.endpointURL(nil)
	}
	keyDesc := fmt.Sprintf("list|%q|%q|%q|%q|%v|%q|%v|%q", region, f.Namespace, f.Metric, f.Dims.String(), f.RecentlyActive, f.AccountID, f.IncludeLinked, l.opts.Account)
	sum := sha256.Sum256([]byte(keyDesc))
	rel := filepath.Join(safeName(region), "_list", hex.EncodeToString(sum[:8])+listExt)
	file := filepath.Join(l.cache.Dir(), endpointName(epURL), rel)
	var lc *listCacheFile
	if !l.opts.NoCache {
		lc = readListCache(file, keyDesc)
		if lc == nil && l.opts.Offline {
			matches, _ := filepath.Glob(filepath.Join(l.cache.Dir(), "*", rel))
			for _, m := range matches {
				if lc = readListCache(m, keyDesc); lc != nil {
					break
				}
			}
		}
	}
	if lc != nil && (l.opts.Offline || anyAge || l.opts.Now().Sub(lc.Written) < listMaxAge) {
		return lc, 0, nil
	}
	if l.opts.Offline {
		return nil, 0, &offlineError{Dir: l.cache.Dir(), Missing: []string{fmt.Sprintf("%s listing %s", region, describeFilter(f))}}
	}
	if err := l.checkCredentials(ctx, region); err != nil {
		return nil, 0, err
	}
	lc = &listCacheFile{Version: 1, Key: keyDesc, Written: l.opts.Now().UTC()}
	caller := &fetch.Caller{Limiter: l.limiter, CallTimeout: l.opts.CallTimeout}
	err := caller.ListMetrics(ctx, c, listInput(f), func(resp *cloudwatch.ListMetricsOutput) error {
		for i, m := range resp.Metrics {
			e := listedMetric{Namespace: aws.ToString(m.Namespace), Name: aws.ToString(m.MetricName), Dims: map[string]string{}}
			for _, d := range m.Dimensions {
				e.Dims[aws.ToString(d.Name)] = aws.ToString(d.Value)
			}
			if i < len(resp.OwningAccounts) {
				e.Account = resp.OwningAccounts[i]
			}
			lc.Metrics = append(lc.Metrics, e)
		}
		return nil
	})
	if err != nil {
		if e := l.explain(region, c, err); e != err {
			return nil, caller.Calls(), e
		}
		return nil, caller.Calls(), fmt.Errorf("ListMetrics in %s for %s: %w", region, describeFilter(f), err)
	}
	if !l.opts.NoCache {
		if err := writeListCache(file, lc); err != nil {
			return nil, caller.Calls(), err
		}
	}
	return lc, caller.Calls(), nil
}

// listInput is the ListMetricsInput of f.
func listInput(f Filter) *cloudwatch.ListMetricsInput {
	in := &cloudwatch.ListMetricsInput{}
	if f.Namespace != "" {
		in.Namespace = aws.String(f.Namespace)
	}
	if f.Metric != "" {
		in.MetricName = aws.String(f.Metric)
	}
	for _, k := range f.Dims.names() {
		df := types.DimensionFilter{Name: aws.String(k)}
		if v := f.Dims[k]; v != "" {
			df.Value = aws.String(v)
		}
		in.Dimensions = append(in.Dimensions, df)
	}
	if f.RecentlyActive {
		in.RecentlyActive = types.RecentlyActivePt3h
	}
	if f.AccountID != "" {
		in.OwningAccount = aws.String(f.AccountID)
	}
	if f.IncludeLinked || f.AccountID != "" {
		in.IncludeLinkedAccounts = aws.Bool(true)
	}
	return in
}

// fill sorts rows and sets the listing's metrics, regions and frame.
func (out *Listing) fill(rows []listRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.region != b.region {
			return a.region < b.region
		}
		if a.m.Namespace != b.m.Namespace {
			return a.m.Namespace < b.m.Namespace
		}
		if a.m.Name != b.m.Name {
			return a.m.Name < b.m.Name
		}
		return a.m.Dims.String() < b.m.Dims.String()
	})
	dimSet := map[string]bool{}
	anyAccount := false
	for _, r := range rows {
		for k := range r.m.Dims {
			dimSet[k] = true
		}
		anyAccount = anyAccount || r.account != ""
	}
	dims := sortedKeys(dimSet)
	cols := map[string][]string{}
	for _, r := range rows {
		out.Metrics = append(out.Metrics, r.m)
		out.Regions = append(out.Regions, r.region)
		cols["region"] = append(cols["region"], r.region)
		cols["account"] = append(cols["account"], r.account)
		cols["namespace"] = append(cols["namespace"], r.m.Namespace)
		cols["metric"] = append(cols["metric"], r.m.Name)
		for _, d := range dims {
			cols["dim:"+d] = append(cols["dim:"+d], r.m.Dims[d])
		}
	}
	names := []string{"region"}
	if anyAccount {
		names = append(names, "account")
	}
	names = append(names, "namespace", "metric")
	var ss []series.Series
	for _, n := range names {
		ss = append(ss, series.New(nonNil(cols[n]), series.String, n))
	}
	for _, d := range dims {
		name := d
		if name == "region" || name == "account" || name == "namespace" || name == "metric" {
			name = "dim_" + d
		}
		ss = append(ss, series.New(nonNil(cols["dim:"+d]), series.String, name))
	}
	out.Frame = dataframe.New(ss...)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func describeFilter(f Filter) string {
	var parts []string
	if f.Namespace != "" {
		parts = append(parts, "namespace "+f.Namespace)
	}
	if f.Metric != "" {
		parts = append(parts, "metric "+f.Metric)
	}
	if len(f.Dims) > 0 {
		parts = append(parts, "dimensions "+f.Dims.String())
	}
	if len(parts) == 0 {
		return "all metrics"
	}
	return strings.Join(parts, ", ")
}

func readListCache(file, key string) *listCacheFile {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var lc listCacheFile
	if json.Unmarshal(data, &lc) != nil || lc.Version != 1 || lc.Key != key {
		return nil
	}
	return &lc
}

func writeListCache(file string, lc *listCacheFile) error {
	data, err := json.Marshal(lc)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("cache directory: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Rename(tmp.Name(), file); err != nil && !errors.Is(err, fs.ErrExist) {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
