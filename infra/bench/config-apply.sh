#!/usr/bin/env bash
# Config apply time on a gateway node: one key, quota-state, deployment or plan record applied on
# top of a config of 100,000 keys and 1,000 deployments, through what the config feed's thread
# does per poll batch (no Kafka: the records are handed to the feed's working config directly).
#
#   infra/bench/config-apply.sh [keys] [deployments]     # defaults: 100000 1000
#
# Each line gives the median and the worst of 20 rounds, wall time, and the load average at the end
# (a shared machine's neighbours stretch the wall time).
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bench/benchmark-test.sh
keys="${1:-100000}"
deployments="${2:-1000}"
run_benchmark_test data-plane ConfigApplyBenchmark data-plane/target/config-apply-benchmark.txt \
  -Dbench.keys="$keys" -Dbench.deployments="$deployments"
