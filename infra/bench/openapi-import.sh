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
source infra/bench/benchmark-test.sh
sizes="${1:-10000,20000}"
run_benchmark_test control-plane OpenApiImportBenchmark control-plane/target/openapi-import-benchmark.txt \
  -Dbench.paths="$sizes"
