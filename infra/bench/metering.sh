#!/usr/bin/env bash
# Metering throughput: events aggregated per second by one metering instance, reading a real
# in-process Kafka broker and writing a real embedded PostgreSQL on this machine.
#
#   infra/bench/metering.sh [events] [keys]     # defaults: 500000 events over 1000 keys
#
# The last line printed is the figure: "metering benchmark: ... events/s".
set -euo pipefail
cd "$(dirname "$0")/../.."
events="${1:-500000}"
keys="${2:-1000}"
# The build keeps test output in files (the parent pom fixes redirectTestOutputToFile), so the
# figure is read from the benchmark's output file once the run is over.
report=metering/target/surefire-reports/dev.turnpike.metering.node.AggregationThroughputBenchmark-output.txt
rm -f "$report"
./mvnw -o -B -q verify -pl metering -am \
  -Dtest=AggregationThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Dbench.events="$events" -Dbench.keys="$keys" 2>&1 |
  grep --line-buffered 'ERROR\|FAIL' || true
grep 'metering benchmark' "$report" || { echo "no figure: see $report" >&2; exit 1; }
