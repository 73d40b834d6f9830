package alarmcw

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/sdkhttp"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
)

// API is the part of the CloudWatch client this package uses. *cloudwatch.Client implements it.
type API interface {
	DescribeAlarms(ctx context.Context, in *cloudwatch.DescribeAlarmsInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error)
	DescribeAlarmHistory(ctx context.Context, in *cloudwatch.DescribeAlarmHistoryInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmHistoryOutput, error)
	GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
}

var _ API = (*cloudwatch.Client)(nil)

// Options configures the verbs. Zero fields mean the documented default.
type Options struct {
	// Client is the CloudWatch client; nil makes one with config.LoadDefaultConfig (region from
	// the environment or profile, else us-east-1; endpoint from AWS_ENDPOINT_URL_CLOUDWATCH).
	Client API
	// CacheDir is the cache directory; "" is $CWNB_CACHE, $GONB_DIR/.cwnb, else ./.cwnb.
	CacheDir string
	// NoCache turns the cache off.
	NoCache bool
	// Offline serves only from the cache (also CWNB_OFFLINE=1).
	Offline bool
	// Now is the clock that decides whether a window has ended; nil is CWNB_NOW, else time.Now.
	Now func() time.Time
}

// WithClient sets Options.Client.
func WithClient(c API) func(*Options) { return func(o *Options) { o.Client = c } }

// WithCacheDir sets Options.CacheDir.
func WithCacheDir(dir string) func(*Options) { return func(o *Options) { o.CacheDir = dir } }

// ErrOffline is returned when Offline is set and the cache does not hold the answer.
var ErrOffline = errors.New("not in the cache and offline")

func options(ctx context.Context, optFns []func(*Options)) (*Options, error) {
	o := &Options{}
	for _, fn := range optFns {
		fn(o)
	}
	if v := os.Getenv("CWNB_OFFLINE"); v == "1" || strings.EqualFold(v, "true") {
		o.Offline = true
	}
	if o.CacheDir == "" {
		switch {
		case os.Getenv("CWNB_CACHE") != "":
			o.CacheDir = os.Getenv("CWNB_CACHE")
		case os.Getenv("GONB_DIR") != "":
			o.CacheDir = filepath.Join(os.Getenv("GONB_DIR"), ".cwnb")
		default:
			o.CacheDir = ".cwnb"
		}
	}
	if o.Now == nil {
		o.Now = time.Now
		if s := os.Getenv("CWNB_NOW"); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return nil, fmt.Errorf("alarmcw: CWNB_NOW=%q is not an RFC 3339 time; write it like 2026-11-20T00:00:00Z, or unset it", s)
			}
			o.Now = func() time.Time { return t }
		}
	}
	if o.Client == nil && !o.Offline {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("alarmcw: load AWS configuration: %w; set AWS_REGION and credentials, or AWS_ENDPOINT_URL_CLOUDWATCH for the local CloudWatch", err)
		}
		if cfg.Region == "" {
			cfg.Region = "us-east-1"
		}
		// The SDK's transport minus a client-side race that drops keep-alive connections to fast
		// servers and logs "failed to discard remaining HTTP response body" into the notebook
		// (see sdkhttp.Transport).
		cfg.HTTPClient = sdkhttp.Wrap(cfg.HTTPClient)
		o.Client = cloudwatch.NewFromConfig(cfg)
	}
	return o, nil
}

// source names where answers come from, for cache keys: "local" for a CloudWatch on the
// loopback interface (whatever its port, so that a committed cache serves every run of the
// demo), else the endpoint's host or "aws", and the region.
func source() string {
	ep := os.Getenv("AWS_ENDPOINT_URL_CLOUDWATCH")
	if ep == "" {
		ep = os.Getenv("AWS_ENDPOINT_URL")
	}
	name := "aws"
	if ep != "" {
		name = ep
		if u, err := url.Parse(ep); err == nil {
			name = u.Hostname()
			if ip := net.ParseIP(name); name == "localhost" || (ip != nil && ip.IsLoopback()) {
				name = "local"
			}
		}
	}
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = os.Getenv("AWS_DEFAULT_REGION")
	}
	return name + "|" + region
}

// cacheKey names a cache entry by what it answers; the directory it lives in (sourceDir) names
// where from.
func cacheKey(kind string, req any) string {
	b, _ := json.Marshal(req)
	sum := sha256.Sum256(append([]byte(kind+"|"), b...))
	return kind + "-" + hex.EncodeToString(sum[:10])
}

// sourceDir is the cache directory of the endpoint and region answering (source), as one path
// element: "local_us-east-1", "aws_eu-west-1".
func sourceDir() string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, source())
}

// cached returns the answer for key. A final answer (a window that has ended) is read from the
// cache when there, else fetched and written. Other answers are always fetched (and written, so
// that an offline re-run finds the last one); the cache serves them only when offline.
func cached[T any](o *Options, key string, final bool, fetch func() (T, error)) (T, error) {
	var zero T
	path := filepath.Join(o.CacheDir, "alarms", sourceDir(), key+".json.gz")
	if !o.NoCache && (final || o.Offline) {
		if v, err := readCached[T](path); err == nil {
			return v, nil
		}
		if o.Offline {
			// A reader re-running a committed notebook has no endpoint (or another one): the
			// answer recorded from any endpoint serves, the first in name order.
			others, _ := filepath.Glob(filepath.Join(o.CacheDir, "alarms", "*", key+".json.gz"))
			for _, p := range others {
				if v, err := readCached[T](p); err == nil {
					return v, nil
				}
			}
		}
		// A missing or damaged entry is refetched (and rewritten) rather than trusted.
	}
	if o.Offline {
		return zero, fmt.Errorf("alarmcw: %s: %w (cache %s); run once with access to CloudWatch, or unset CWNB_OFFLINE", key, ErrOffline, o.CacheDir)
	}
	v, err := fetch()
	if err != nil {
		return zero, err
	}
	if !o.NoCache {
		writeCached(path, v)
	}
	return v, nil
}

// readCached reads a gzipped JSON cache entry.
func readCached[T any](path string) (T, error) {
	var v T
	f, err := os.Open(path)
	if err != nil {
		return v, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return v, err
	}
	err = json.NewDecoder(zr).Decode(&v)
	return v, err
}

// writeCached writes v as gzipped JSON through a temporary file of its own, renamed into place,
// so that a reader never sees half a file. A failed write leaves the cache as it was: the next
// run fetches again.
func writeCached(path string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	defer os.Remove(tmp.Name())
	// No timestamp in the gzip header: the same answer gives the same bytes, so a committed cache
	// does not change when a notebook is re-run.
	zw, _ := gzip.NewWriterLevel(tmp, gzip.BestCompression)
	if _, err := zw.Write(b); err != nil || zw.Close() != nil {
		tmp.Close()
		return
	}
	if tmp.Close() != nil {
		return
	}
	os.Rename(tmp.Name(), path)
}
