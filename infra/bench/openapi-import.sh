#!/usr/bin/env bash
# OpenAPI import time: documents of many paths refused, imported, re-imported and deployed through
# the control plane's real management API, against a real embedded PostgreSQL on this machine.
#
#   infra/bench/openapi-import.sh [sizes]     # default: 10000,20000 paths
#
# Each line gives the wall time of one request and the CPU time the control plane and the
# database's backends spent on it (on a busy shared machine the wall time grows with the
# neighbours' load; on an idle one a request takes about its CPU time). The last lines printed,
# "openapi import benchmark: ...", are the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes="${1:-10000,20000}"
report=control-plane/target/openapi-import-benchmark.txt
rm -f "$report"
# -am: the database schema (migrations) comes from this checkout, not from ~/.m2.
./mvnw -o -B -q verify -pl control-plane -am \
  -Dtest=OpenApiImportBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Dbench.paths="$sizes" 2>&1 |
  grep --line-buffered 'ERROR\|FAIL' || true
[ -s "$report" ] || { echo "no figures: see control-plane/target/surefire-reports" >&2; exit 1; }
cat "$report"
