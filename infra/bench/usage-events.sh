#!/usr/bin/env bash
# What a usage event costs a gateway node: building and encoding it on the event loop (CPU per
# event, bytes), then the node's publisher and producer sending it to an in-process Kafka broker
# (CPU per event on their two threads, bytes per event on the wire after lz4).
#
#   infra/bench/usage-events.sh [events] [pace per second] [-Dbench.x=y ...]  # 1000000 20000
#
# Producer settings compared within one run, alternating for several rounds:
#   -Dbench.variants='default;linger.ms=50;compression.type=zstd' -Dbench.rounds=3
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bench/benchmark-test.sh
events="${1:-1000000}"
pace="${2:-20000}"
run_benchmark_test data-plane UsageEventCostBenchmark data-plane/target/usage-event-cost.txt \
  -Dbench.events="$events" -Dbench.pace="$pace" "${@:3}"
