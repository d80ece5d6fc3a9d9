#!/usr/bin/env bash
# Shared by the single-benchmark scripts beside it (config-apply.sh, usage-events.sh, ...), which
# source it: runs one benchmark class of a module through Maven and prints the report it writes.
# Benchmarks are test classes whose names do not end in Test, so the normal build never runs them.
#
#   run_benchmark_test <module> <class> <report file> [-Dbench.x=y ...]
#
# Environment: BENCH_MAVEN_ARGS, extra Maven arguments (e.g. -Dmaven.repo.local=...);
# BENCH_SKIP_BUILD=1 builds the module alone, on the upstream modules already installed in the
# local repository (by default -am builds them from this checkout, so a control-plane benchmark
# gets this checkout's database schema, not ~/.m2's).
# The build keeps test output in files (the parent pom sets redirectTestOutputToFile), so the
# figures come from the report file once the run is over; Maven's own output shows only errors.
run_benchmark_test() {
  local module="$1" class="$2" report="$3"
  shift 3
  local maven=(./mvnw -o -B -q)
  [ -n "${BENCH_MAVEN_ARGS:-}" ] && maven+=(${BENCH_MAVEN_ARGS})
  local modules=(-pl "$module" -am)
  [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && modules=(-pl "$module")
  rm -f "$report"
  "${maven[@]}" verify "${modules[@]}" \
    -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true "$@" 2>&1 |
    grep --line-buffered 'ERROR\|FAIL' || true
  [ -s "$report" ] || { echo "no figures: see $module/target/surefire-reports" >&2; return 1; }
  cat "$report"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
