#!/usr/bin/env bash
# What a usage event costs a gateway node: building and encoding it on the event loop (CPU per
# event, bytes), then the node's publisher and producer sending it to an in-process Kafka broker
# (CPU per event on their two threads, bytes per event on the wire after lz4).
#
#   infra/bench/usage-events.sh [events] [pace per second]     # defaults: 1000000 20000
set -euo pipefail
cd "$(dirname "$0")/../.."
events="${1:-1000000}"
pace="${2:-20000}"
report=data-plane/target/usage-event-cost.txt
rm -f "$report"
./mvnw -o -B -q verify -pl data-plane -am \
  -Dtest=UsageEventCostBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Dbench.events="$events" -Dbench.pace="$pace" 2>&1 |
  grep --line-buffered 'ERROR\|FAIL' || true
[ -s "$report" ] || { echo "no figures: see data-plane/target/surefire-reports" >&2; exit 1; }
cat "$report"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
