package publish

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// startS3 runs an S3-compatible server (gofakes3, in memory) on 127.0.0.1 and returns a real
// aws-sdk-go-v2 S3 client for it, with a bucket created through the SDK.
// The returned map records the Cache-Control header of every PUT by URL path (gofakes3 does not
// store that header, so the test checks it on the wire).
func startS3(t *testing.T, bucket string) (*s3.Client, *sync.Map) {
	t.Helper()
	fake := gofakes3.New(s3mem.New()).Server()
	var cacheControl sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			cacheControl.Store(r.URL.Path, r.Header.Get("Cache-Control"))
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	client := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	})
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	return client, &cacheControl
}

func TestDirUploadsReports(t *testing.T) {
	ctx := context.Background()
	client, cacheControl := startS3(t, "reports")
	dir := t.TempDir()
	files := map[string][]byte{
		"index.html":         []byte("<!DOCTYPE html><title>cwnb reports</title>"),
		"tail-latency.html":  bytes.Repeat([]byte("<p>p99 3.2 s at :00-:05</p>\n"), 20000), // ~560 KB, like a real page
		"tail-latency.ipynb": []byte(`{"cells":[]}`),
		"img/chart.png":      {0x89, 'P', 'N', 'G', 0, 1, 2, 3},
		"notes.weird-ext":    []byte("?"),
		".partial.html":      []byte("hidden files are not uploaded"),
		".cache/x.json":      []byte("{}"),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		target Target
	}{
		{"with prefix", Target{Bucket: "reports", Prefix: "daily/2026-11-20/"}},
		{"bucket root", Target{Bucket: "reports"}},
	}
	wantTypes := map[string]string{
		"img/chart.png":      "image/png",
		"index.html":         "text/html; charset=utf-8",
		"notes.weird-ext":    "application/octet-stream",
		"tail-latency.html":  "text/html; charset=utf-8",
		"tail-latency.ipynb": "application/x-ipynb+json",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys, err := Dir(ctx, client, dir, tc.target, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, k := range []string{"img/chart.png", "index.html", "notes.weird-ext", "tail-latency.html", "tail-latency.ipynb"} {
				want = append(want, tc.target.Prefix+k)
			}
			if diff := cmp.Diff(want, keys); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			for rel, ctype := range wantTypes {
				out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("reports"), Key: aws.String(tc.target.Prefix + rel)})
				if err != nil {
					t.Fatalf("GetObject %s: %v", rel, err)
				}
				got, err := io.ReadAll(out.Body)
				out.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, files[rel]) {
					t.Errorf("%s: read back %d bytes that differ from the %d uploaded", rel, len(got), len(files[rel]))
				}
				if aws.ToString(out.ContentType) != ctype {
					t.Errorf("%s: Content-Type %q, want %q", rel, aws.ToString(out.ContentType), ctype)
				}
				if cc, _ := cacheControl.Load("/reports/" + tc.target.Prefix + rel); cc != "no-cache" {
					t.Errorf("%s: sent Cache-Control %q, want no-cache", rel, cc)
				}
			}
		})
	}
}

// TestUpload goes the way `cwnb report -s3` does: the S3 location as a URL and the client from
// the standard configuration chain (here the environment: endpoint, static credentials, region).
func TestUpload(t *testing.T) {
	client, _ := startS3(t, "team-reports")
	endpoint := aws.ToString(client.Options().BaseEndpoint)
	t.Setenv("AWS_ENDPOINT_URL_S3", endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_PROFILE", "")
	dir := t.TempDir()
	page := []byte("<!DOCTYPE html><h1>Lambda health</h1>")
	if err := os.WriteFile(filepath.Join(dir, "lambda.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	keys, err := Upload(context.Background(), "s3://team-reports/cwnb/nightly", dir, Options{PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"cwnb/nightly/lambda.html"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("team-reports"), Key: aws.String(keys[0])})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	got, _ := io.ReadAll(out.Body)
	if !bytes.Equal(got, page) || aws.ToString(out.ContentType) != "text/html; charset=utf-8" {
		t.Errorf("read back %q as %q", got, aws.ToString(out.ContentType))
	}

	if _, err := Upload(context.Background(), "https://team-reports/x", dir, Options{}); err == nil || !strings.Contains(err.Error(), "not an S3 location") {
		t.Errorf("Upload with an https URL: %v", err)
	}
}

func TestDirErrors(t *testing.T) {
	ctx := context.Background()
	client, _ := startS3(t, "reports")
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "index.html"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		dir    string
		target Target
		want   string
	}{
		{"no bucket", full, Target{}, "no bucket given"},
		{"empty directory", t.TempDir(), Target{Bucket: "reports"}, "no files in"},
		{"missing directory", filepath.Join(full, "nope"), Target{Bucket: "reports"}, "list reports in"},
		{"bucket does not exist", full, Target{Bucket: "missing-bucket"}, "upload " + filepath.Join(full, "index.html") + " to s3://missing-bucket/index.html"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Dir(ctx, client, tc.dir, tc.target, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Dir error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in      string
		want    Target
		wantErr bool
	}{
		{"s3://bucket", Target{Bucket: "bucket"}, false},
		{"s3://bucket/", Target{Bucket: "bucket"}, false},
		{"s3://bucket/reports/daily", Target{Bucket: "bucket", Prefix: "reports/daily/"}, false},
		{"s3://bucket/reports/", Target{Bucket: "bucket", Prefix: "reports/"}, false},
		{"https://bucket/x", Target{}, true},
		{"bucket/x", Target{}, true},
		{"s3:///x", Target{}, true},
		{"s3://bucket/x?versionId=1", Target{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseURL(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseURL(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "s3://bucket/prefix") {
				t.Errorf("error %q does not show the expected form", err)
			}
			if got != tc.want {
				t.Errorf("ParseURL(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}
