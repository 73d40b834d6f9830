#!/usr/bin/env bash
# Entry point of the report-runner image: run the notebooks, write out/reports, upload to S3.
set -euo pipefail
cd /src
shopt -s nullglob
if [ -n "${NOTEBOOKS:-}" ]; then
  read -r -a notebooks <<<"$NOTEBOOKS"
else
  notebooks=(notebooks/*.ipynb)
fi
[ ${#notebooks[@]} -gt 0 ] || { echo "cwnb-report: no notebooks (set NOTEBOOKS)" >&2; exit 2; }
args=(-out "${REPORT_OUT:-/src/out/reports}")
if [ -n "${REPORT_S3:-}" ]; then
  args+=(-s3 "$REPORT_S3")
fi
# shellcheck disable=SC2086
exec bin/cwnb report "${args[@]}" ${REPORT_FLAGS:-} "$@" "${notebooks[@]}"
