// Package docker holds the tests of the container images (docker/Dockerfile,
// docker/Dockerfile.report) and of the schedule manifests next to them. It has no code.
package docker
