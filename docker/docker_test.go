package docker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"gopkg.in/yaml.v3"
)

// root is the build context of both images: the repository root.
const root = ".."

var dockerfiles = []string{"Dockerfile", "Dockerfile.report"}

// TestDockerfiles parses the Dockerfiles with BuildKit's own parser and checks what a build would
// trip over first: a COPY/ADD source that is missing (or excluded by the Dockerfile's
// .dockerignore), a `make` target that the Makefile does not define, a repository file a RUN
// command names that does not exist, and a Go image that does not match go.mod.
func TestDockerfiles(t *testing.T) {
	targets := makeTargets(t, filepath.Join(root, "Makefile"))
	goVersion := goDirective(t, filepath.Join(root, "go.mod"))
	for _, name := range dockerfiles {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			ignore := readIgnore(t, name+".dockerignore")
			df, problems := checkDockerfile(root, src, targets, ignore)
			for _, p := range problems {
				t.Error(p)
			}
			if len(df.copies) == 0 || len(df.makes) == 0 {
				t.Errorf("found %d COPY sources and %d make targets; the parser walk is broken", len(df.copies), len(df.makes))
			}
			for _, img := range df.from {
				if strings.HasPrefix(img, "golang:") && !strings.HasPrefix(img, "golang:"+goVersion) {
					t.Errorf("FROM %s does not match go.mod's go %s", img, goVersion)
				}
			}
		})
	}
}

// TestCheckDockerfileFindsProblems feeds the checker a broken Dockerfile: every problem must be
// reported, or TestDockerfiles could pass while checking nothing.
func TestCheckDockerfileFindsProblems(t *testing.T) {
	src := []byte(`FROM golang:1.26.8-bookworm AS build
COPY go.mod no-such-file.txt ./
COPY --from=build /src/bin/cwnb /usr/local/bin/
ADD docker/*.nothing /x/
COPY go.sum /x/
RUN make build no-such-target && make -j2 VAR=1 tools
RUN ["make", "json-form-target"]
RUN bin/cwnb report -check-only cwnb/kernelspec/testdata/missing.ipynb
`)
	targets := map[string]bool{"build": true, "tools": true}
	// go.sum is in every checkout (bin/ is not), so the exclusion case does not depend on a build.
	_, problems := checkDockerfile(root, src, targets, []string{"go.sum"})
	want := []string{
		`line 2: COPY source "no-such-file.txt" does not exist in the build context`,
		`line 4: ADD source "docker/*.nothing" does not exist in the build context`,
		`line 5: COPY source "go.sum" is excluded by .dockerignore pattern "go.sum"`,
		`line 6: RUN calls make target "no-such-target", which the Makefile does not define`,
		`line 7: RUN calls make target "json-form-target", which the Makefile does not define`,
		`line 8: RUN names "cwnb/kernelspec/testdata/missing.ipynb", which does not exist in the repository`,
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

type dockerfile struct {
	from, copies, makes []string
}

var (
	makeCallRE = regexp.MustCompile(`(?:^|[;&|(]|\s)make\s+([^;&|)]*)`)
	repoFileRE = regexp.MustCompile(`^[\w.-]+(/[\w.-]+)+\.(ipynb|sh|json|yaml|go)$`)
)

// checkDockerfile returns what it found and the problems, each as "line N: ...".
func checkDockerfile(root string, src []byte, targets map[string]bool, ignore []string) (dockerfile, []string) {
	var df dockerfile
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return df, []string{"parse: " + err.Error()}
	}
	var problems []string
	report := func(n *parser.Node, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", n.StartLine)+fmt.Sprintf(format, args...))
	}
	for _, n := range res.AST.Children {
		var args []string
		for a := n.Next; a != nil; a = a.Next {
			args = append(args, a.Value)
		}
		switch instr := strings.ToUpper(n.Value); instr {
		case "FROM":
			if len(args) > 0 {
				df.from = append(df.from, args[0])
			}
		case "COPY", "ADD":
			if hasFlag(n, "--from") || len(args) < 2 {
				continue
			}
			for _, s := range args[:len(args)-1] {
				df.copies = append(df.copies, s)
				matches, _ := filepath.Glob(filepath.Join(root, s))
				if len(matches) == 0 {
					report(n, "%s source %q does not exist in the build context", instr, s)
					continue
				}
				if p := ignoredBy(s, ignore); p != "" {
					report(n, "%s source %q is excluded by .dockerignore pattern %q", instr, s, p)
				}
			}
		case "RUN":
			cmd := strings.Join(args, " ")
			for _, m := range makeCallRE.FindAllStringSubmatch(cmd, -1) {
				for _, word := range strings.Fields(m[1]) {
					word = strings.Trim(word, `"',[]`)
					if word == "" || strings.HasPrefix(word, "-") || strings.Contains(word, "=") {
						continue
					}
					df.makes = append(df.makes, word)
					if !targets[word] {
						report(n, "RUN calls make target %q, which the Makefile does not define", word)
					}
				}
			}
			for _, word := range strings.Fields(cmd) {
				if repoFileRE.MatchString(word) {
					if _, err := os.Stat(filepath.Join(root, word)); err != nil {
						report(n, "RUN names %q, which does not exist in the repository", word)
					}
				}
			}
		}
	}
	return df, problems
}

func hasFlag(n *parser.Node, name string) bool {
	for _, f := range n.Flags {
		if f == name || strings.HasPrefix(f, name+"=") {
			return true
		}
	}
	return false
}

// ignoredBy returns the .dockerignore pattern that excludes path, or "". It understands the
// patterns these files use: a path prefix, and **/ for any directory.
func ignoredBy(path string, patterns []string) string {
	path = filepath.ToSlash(filepath.Clean(path))
	for _, p := range patterns {
		if strings.HasPrefix(p, "!") {
			continue
		}
		if rest, ok := strings.CutPrefix(p, "**/"); ok {
			for _, part := range strings.Split(path, "/") {
				if ok, _ := filepath.Match(rest, part); ok {
					return p
				}
			}
			continue
		}
		if ok, _ := filepath.Match(p, path); ok || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") {
			return p
		}
	}
	return ""
}

func readIgnore(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (a Dockerfile-specific ignore file keeps bin/ and out/ out of the context)", err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

var targetRE = regexp.MustCompile(`(?m)^([A-Za-z0-9_.-]+)\s*:([^=]|$)`)

// makeTargets returns the targets the Makefile defines.
func makeTargets(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, m := range targetRE.FindAllStringSubmatch(string(b), -1) {
		if !strings.HasPrefix(m[1], ".") {
			targets[m[1]] = true
		}
	}
	return targets
}

func goDirective(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return string(m[1])
}

func TestEntrypointIsExecutable(t *testing.T) {
	fi, err := os.Stat("report-entrypoint.sh")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&0o111 == 0 {
		t.Error("report-entrypoint.sh is not executable; the image's ENTRYPOINT could not run it")
	}
}

// TestIAMPolicies checks that the policies parse and grant what the report runner calls.
func TestIAMPolicies(t *testing.T) {
	type statement struct {
		Effect   string
		Action   any
		Resource any
	}
	tests := []struct {
		file string
		want []string
	}{
		{"iam/report-task-policy.json", []string{"cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "s3:PutObject"}},
		{"iam/events-role-policy.json", []string{"ecs:RunTask", "iam:PassRole"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			var policy struct {
				Version   string
				Statement []statement
			}
			decodeStrict(t, tc.file, &policy)
			if policy.Version != "2012-10-17" {
				t.Errorf("Version %q, want 2012-10-17", policy.Version)
			}
			granted := map[string]bool{}
			for _, s := range policy.Statement {
				if s.Effect != "Allow" {
					continue
				}
				switch a := s.Action.(type) {
				case string:
					granted[a] = true
				case []any:
					for _, x := range a {
						granted[fmt.Sprint(x)] = true
					}
				}
			}
			for _, w := range tc.want {
				if !granted[w] {
					t.Errorf("%s does not allow %s", tc.file, w)
				}
			}
		})
	}
}

// TestScheduleManifests checks that the ECS and Kubernetes schedules parse and run the report image
// with an S3 target.
func TestScheduleManifests(t *testing.T) {
	for _, f := range []string{"ecs/task-definition.json", "ecs/rule.json", "ecs/targets.json", "iam/task-trust-policy.json", "iam/events-trust-policy.json"} {
		var v map[string]any
		decodeStrict(t, f, &v)
	}
	var task struct {
		Family               string
		ContainerDefinitions []struct {
			Image       string
			Environment []struct{ Name, Value string }
		}
	}
	decodeStrict(t, "ecs/task-definition.json", &task)
	if len(task.ContainerDefinitions) != 1 || !strings.HasSuffix(task.ContainerDefinitions[0].Image, "/cwnb-report:latest") {
		t.Errorf("task definition does not run the cwnb-report image: %+v", task.ContainerDefinitions)
	}
	var rule struct{ Name, ScheduleExpression string }
	decodeStrict(t, "ecs/rule.json", &rule)
	var targets struct {
		Rule    string
		Targets []struct {
			EcsParameters struct{ TaskDefinitionArn string }
		}
	}
	decodeStrict(t, "ecs/targets.json", &targets)
	if targets.Rule != rule.Name || len(targets.Targets) != 1 || !strings.HasSuffix(targets.Targets[0].EcsParameters.TaskDefinitionArn, "/"+task.Family) {
		t.Errorf("targets.json does not connect rule %q to task %q: %+v", rule.Name, task.Family, targets)
	}
	if !strings.HasPrefix(rule.ScheduleExpression, "cron(") && !strings.HasPrefix(rule.ScheduleExpression, "rate(") {
		t.Errorf("rule schedule %q is not an EventBridge cron() or rate() expression", rule.ScheduleExpression)
	}

	f, err := os.Open("k8s-cronjob.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var kinds []string
	for {
		var doc struct {
			Kind string
			Spec struct {
				Schedule    string
				JobTemplate struct {
					Spec struct {
						Template struct {
							Spec struct {
								ServiceAccountName string `yaml:"serviceAccountName"`
								Containers         []struct {
									Image string
									Env   []struct{ Name, Value string }
								}
							}
						}
					}
				} `yaml:"jobTemplate"`
			}
		}
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, doc.Kind)
		if doc.Kind != "CronJob" {
			continue
		}
		pod := doc.Spec.JobTemplate.Spec.Template.Spec
		if len(strings.Fields(doc.Spec.Schedule)) != 5 {
			t.Errorf("CronJob schedule %q is not a 5-field cron expression", doc.Spec.Schedule)
		}
		if len(pod.Containers) != 1 || !strings.HasSuffix(pod.Containers[0].Image, "/cwnb-report:latest") {
			t.Errorf("CronJob does not run the cwnb-report image: %+v", pod.Containers)
		} else {
			var s3 bool
			for _, e := range pod.Containers[0].Env {
				s3 = s3 || (e.Name == "REPORT_S3" && strings.HasPrefix(e.Value, "s3://"))
			}
			if !s3 {
				t.Error("CronJob sets no REPORT_S3=s3://...")
			}
		}
		if pod.ServiceAccountName != "cwnb-report" {
			t.Errorf("CronJob runs as %q, not the cwnb-report service account", pod.ServiceAccountName)
		}
	}
	sort.Strings(kinds)
	if diff := cmp.Diff([]string{"CronJob", "ServiceAccount"}, kinds); diff != "" {
		t.Errorf("k8s-cronjob.yaml kinds (-want +got):\n%s", diff)
	}
}

// decodeStrict decodes a JSON file into v, rejecting trailing data.
func decodeStrict(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if dec.More() {
		t.Fatalf("%s: trailing data after the JSON value", path)
	}
}
