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
keys="${1:-100000}"
deployments="${2:-1000}"
report=data-plane/target/config-apply-benchmark.txt
rm -f "$report"
./mvnw -o -B -q verify -pl data-plane -am \
  -Dtest=ConfigApplyBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Dbench.keys="$keys" -Dbench.deployments="$deployments" 2>&1 |
  grep --line-buffered 'ERROR\|FAIL' || true
[ -s "$report" ] || { echo "no figures: see data-plane/target/surefire-reports" >&2; exit 1; }
cat "$report"
