// Package publish uploads a directory of reports to Amazon S3 (or any S3-compatible store) with
// aws-sdk-go-v2, setting each object's Content-Type from its file extension so that browsers
// open the pages instead of downloading them.
//
// The report-runner image (docker/Dockerfile.report) runs `cwnb report -s3 s3://bucket/prefix`,
// which calls Dir after writing the pages. The IAM permission it needs is s3:PutObject on
// arn:aws:s3:::bucket/prefix/*.
package publish
