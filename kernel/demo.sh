#!/usr/bin/env bash
# make demo: from a fresh clone to HTML reports, with no AWS account.
#
#   1. checks Go, installs Jupyter (Debian as root, through .ci/install-deps) or says what to install;
#   2. downloads the Go modules, builds bin/cwnb, GoNB and goimports (make build tools);
#   3. installs the "Go (cwnb)" kernel into your Jupyter (JUPYTER_DATA_DIR, else `jupyter
#      --data-dir`), where it stays: `bin/cwnb report -inplace` and `jupyter notebook` use it after;
#      and sets up readable notebook diffs in this clone (`cwnb git setup`);
#   4. starts the local CloudWatch on a free loopback port with the demo scenarios;
#   5. runs the notebooks into out/reports against it, stops it, and prints where the reports are
#      and what the notebooks and their cache weigh.
#
# Environment: NOTEBOOKS (default notebooks/*.ipynb), REPORT_OUT (default out/reports),
# REPORT_FLAGS (extra `cwnb report` flags: `make test` passes -browser to check the charts in
# headless Chromium), DEMO_NOW (the pinned clock, default 2026-11-20T00:30:00Z), DEMO_SCENARIOS
# (default api,ec2,lambda), JUPYTER_DATA_DIR (default: your Jupyter's data dir).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/bin
out=${REPORT_OUT:-$root/out/reports}
# Half an hour after the notebooks' windows end (2026-11-20T00:00Z): every period of them is then
# complete for the loader (past its ingestion delay) and cached as final, so the committed cache
# re-renders the notebooks offline on any later day.
now=${DEMO_NOW:-2026-11-20T00:30:00Z}
scenarios=${DEMO_SCENARIOS:-api,ec2,lambda}
started=$(date +%s)
say() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }
die() { printf 'make demo: %s\n' "$*" >&2; exit 1; }

say "checking tools"
command -v go >/dev/null || die "Go is not installed: install Go 1.26 or later from https://go.dev/dl/ and put its bin directory on PATH"
if ! command -v jupyter >/dev/null || ! command -v jupyter-nbconvert >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    .ci/install-deps
  else
    die "Jupyter is missing: on Debian/Ubuntu run
    sudo apt-get install jupyter-client jupyter-nbconvert python3-nbclient python3-ipykernel
elsewhere: pip install jupyter nbconvert nbclient ipykernel"
  fi
fi

say "Go modules, cwnb, GoNB and goimports"
go mod download
make --no-print-directory build tools

say "kernel"
# Into the user's Jupyter unless JUPYTER_DATA_DIR says otherwise (make test uses a private one), so
# that the kernel is still there after the demo.
"$bin/cwnb" kernel install -bin "$bin"
if git rev-parse --git-dir >/dev/null 2>&1; then
  "$bin/cwnb" git setup || echo "make demo: cwnb git setup failed; notebook diffs stay raw JSON" >&2
fi

shopt -s nullglob
if [ -n "${NOTEBOOKS:-}" ]; then
  read -r -a notebooks <<<"$NOTEBOOKS"
else
  notebooks=(notebooks/*.ipynb)
fi
[ ${#notebooks[@]} -gt 0 ] || die "no notebooks in notebooks/ (or set NOTEBOOKS)"

say "local CloudWatch (scenarios $scenarios, clock $now)"
run=$(mktemp -d "${TMPDIR:-/tmp}/cwnb-demo.XXXXXX")
server=
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$bin/cwnb" local -addr 127.0.0.1:0 -port-file "$run/port" -scenario "$scenarios" -now "$now" >"$run/env" 2>"$run/log" &
server=$!
for _ in $(seq 300); do
  [ -s "$run/port" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$run/log" >&2; die "the local CloudWatch exited before listening"; }
  sleep 0.1
done
[ -s "$run/port" ] || { cat "$run/log" >&2; die "the local CloudWatch did not start listening within 30 s"; }
# The server prints the export lines an SDK needs: endpoint, dummy credentials, region.
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
# shellcheck disable=SC1091
source <(grep '^export ' "$run/env")
export AWS_EC2_METADATA_DISABLED=true
# The export lines include CWNB_NOW, the server's pinned clock: without it the loader would judge
# the notebooks' fixed windows by the wall clock and coarsen them once they are 15 days old.
[ "${CWNB_NOW:-}" = "$now" ] || die "the local CloudWatch did not print export CWNB_NOW=$now"
echo "AWS_ENDPOINT_URL_CLOUDWATCH=$AWS_ENDPOINT_URL_CLOUDWATCH"

say "reports: ${notebooks[*]}"
status=0
# shellcheck disable=SC2086
"$bin/cwnb" report -out "$out" ${REPORT_FLAGS:-} "${notebooks[@]}" >"$run/pages" || status=$?

if [ "$status" != 0 ]; then
  say "FAILED (the cell errors are above); pages written:"
else
  say "done; reports:"
fi
sed 's/^/  /' "$run/pages"

# What sharing the notebooks costs in git: the notebooks as committed, as just executed, and the
# cache beside them.
weigh() { local n=0 f; for f in "$@"; do [ -f "$f" ] && n=$((n + $(wc -c <"$f"))); done; echo "$n"; }
executed=()
for nb in "${notebooks[@]}"; do executed+=("$out/$(basename "$nb")"); done
cache_dir=${CWNB_CACHE:-notebooks/.cwnb}
say "weight"
printf '  notebooks as committed: %s bytes (%s)\n' "$(weigh "${notebooks[@]}")" "${notebooks[*]}"
printf '  notebooks as executed:  %s bytes (%s)\n' "$(weigh "${executed[@]}")" "$out/*.ipynb"
if [ -d "$cache_dir" ]; then
  printf '  cache:                  %s bytes (%s)\n' "$(du -sb "$cache_dir" | cut -f1)" "$cache_dir"
fi
exit "$status"
