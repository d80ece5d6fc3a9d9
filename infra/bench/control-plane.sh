#!/usr/bin/env bash
# Control-plane load: many owners at once on the management API, each with its own tenant, token
# and client, mixing reads and writes on their own tenant, against the real control plane (real
# HTTP and token checks, an embedded PostgreSQL, the outbox relay on an in-process Kafka broker).
#
#   infra/bench/control-plane.sh [owners] [seconds]     # defaults: 100 60
#
# Prints requests/s, p50/p99/max per operation, errors (the run fails on any), the database
# connections seen in pg_stat_activity against the pool, and the CPU spent; the last line printed,
# "control-plane load benchmark: ...", is the figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bench/benchmark-test.sh
owners="${1:-100}"
seconds="${2:-60}"
run_benchmark_test control-plane ManagementApiLoadBenchmark control-plane/target/control-plane-load-benchmark.txt \
  -Dbench.owners="$owners" -Dbench.seconds="$seconds"
