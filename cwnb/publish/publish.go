package publish

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// API is the part of the S3 client that Dir uses.
type API interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

var _ API = (*s3.Client)(nil)

// Target is where reports go: a bucket and a key prefix ("" or ending in "/").
type Target struct {
	Bucket string
	Prefix string
}

// String returns the target as an s3:// URL.
func (t Target) String() string { return "s3://" + t.Bucket + "/" + t.Prefix }

// ParseURL parses s3://bucket or s3://bucket/prefix. The prefix gets a trailing "/".
func ParseURL(s string) (Target, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return Target{}, fmt.Errorf("%q is not an S3 location; write s3://bucket or s3://bucket/prefix", s)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	return Target{Bucket: u.Host, Prefix: prefix}, nil
}

// ContentType returns the Content-Type to store a file under, from its extension.
func ContentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".ipynb":
		return "application/x-ipynb+json"
	case ".json":
		return "application/json"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".txt", ".md":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Options configures Dir.
type Options struct {
	// CacheControl is stored with every object; "" means "no-cache", so a scheduled report
	// replaces the last one in browsers at once.
	CacheControl string
	// PathStyle addresses the bucket in the URL path (http://host/bucket/key) instead of the host
	// name; S3-compatible stores such as MinIO need it. Used by Upload.
	PathStyle bool
	// Log receives one line per uploaded object; nil discards them.
	Log io.Writer
}

// Dir uploads every regular file under dir (hidden files and directories excepted) to t, keyed
// by t.Prefix plus the file's path relative to dir with forward slashes, and returns the keys in
// the order they were uploaded (sorted).
func Dir(ctx context.Context, client API, dir string, t Target, opts Options) ([]string, error) {
	if t.Bucket == "" {
		return nil, fmt.Errorf("no bucket given; write s3://bucket/prefix")
	}
	if opts.CacheControl == "" {
		opts.CacheControl = "no-cache"
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list reports in %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no files in %s to upload; run the reports first", dir)
	}
	sort.Strings(files)
	var keys []string
	for _, p := range files {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return keys, err
		}
		key := t.Prefix + filepath.ToSlash(rel)
		if err := putFile(ctx, client, p, t.Bucket, key, opts.CacheControl); err != nil {
			return keys, err
		}
		fmt.Fprintf(opts.Log, "uploaded s3://%s/%s\n", t.Bucket, key)
		keys = append(keys, key)
	}
	return keys, nil
}

func putFile(ctx context.Context, client API, p, bucket, key, cacheControl string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		Body:          f,
		ContentLength: aws.Int64(fi.Size()),
		ContentType:   aws.String(ContentType(p)),
		CacheControl:  aws.String(cacheControl),
	})
	if err != nil {
		return fmt.Errorf("upload %s to s3://%s/%s: %w", p, bucket, key, err)
	}
	return nil
}

// Upload uploads dir to the S3 location s3url (s3://bucket/prefix) with a client configured the
// standard way (NewClient), and returns the keys written.
func Upload(ctx context.Context, s3url, dir string, opts Options) ([]string, error) {
	t, err := ParseURL(s3url)
	if err != nil {
		return nil, err
	}
	client, err := NewClient(ctx, func(o *s3.Options) { o.UsePathStyle = opts.PathStyle })
	if err != nil {
		return nil, err
	}
	return Dir(ctx, client, dir, t, opts)
}

// NewClient returns an S3 client configured the standard way (environment, shared config and
// credentials files, AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_S3 ...), with optFns applied.
func NewClient(ctx context.Context, optFns ...func(*s3.Options)) (*s3.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return s3.NewFromConfig(cfg, optFns...), nil
}
