#!/usr/bin/env bash
# A gateway node's config at SaaS scale: 10,000 tenants, 50,000 stage deployments (4 routes each),
# 20,000 plans and 1,000,000 keys with a quota state each, published to a real in-process Kafka
# broker. Measures the node's cold start from Kafka and from its snapshot file, its heap after the
# cold start (per key), and one key change and one deployment change produced to Kafka until live.
#
#   infra/bench/saas-scale.sh [tenants] [deployments] [keys]     # defaults: 10000 50000 1000000
#
# The last lines are the summary: one figure a line with its target and PASS or OVER. A full-size
# run takes several minutes (most of it publishing 2 million records and the cold starts).
#
# Environment: BENCH_SCALE_HEAP (6g), the benchmark JVM's -Xmx: it holds the broker and the nodes (the
# snapshot file is streamed, no longer read whole); BENCH_MAVEN_ARGS, extra Maven arguments (e.g.
# -Dmaven.repo.local=...); BENCH_SKIP_BUILD=1 builds data-plane alone, on the upstream modules already
# installed in the local repository (./mvnw install -pl data-plane -am -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
tenants="${1:-10000}"
deployments="${2:-50000}"
keys="${3:-1000000}"
heap="${BENCH_SCALE_HEAP:-6g}"
maven=(./mvnw -o -B -q)
[ -n "${BENCH_MAVEN_ARGS:-}" ] && maven+=(${BENCH_MAVEN_ARGS})
modules=(-pl data-plane -am)
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] && modules=(-pl data-plane)
report=data-plane/target/saas-scale-benchmark.txt
rm -f "$report"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# Surefire forks the JVM with argLine; the build keeps test output in files, so the report is read
# from the file the benchmark writes.
"${maven[@]}" verify "${modules[@]}" \
  -Dtest=SaasScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -DargLine="-Xmx$heap -XX:+UseG1GC" \
  -Dbench.tenants="$tenants" -Dbench.deployments="$deployments" -Dbench.keys="$keys" 2>&1 |
  grep --line-buffered 'ERROR\|FAIL' || true
[ -s "$report" ] || { echo "no figures: see data-plane/target/surefire-reports" >&2; exit 1; }
cat "$report"
