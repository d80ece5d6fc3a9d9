#!/usr/bin/env bash
# Turnpike gateway benchmark on loopback; see infra/bench/README.md.
#
#   infra/bench/run.sh                    direct, nginx proxy, gateway passthrough, gateway full
#                                         chain, full chain with 10,000 routes, gateway function
#                                         (aws_proxy), gateway JWT (RS256 authorizer), gateway
#                                         Lambda authorizer (cached TOKEN), gateway templated
#                                         (http with request and response templates), gateway
#                                         CORS (the full chain with an allowed Origin); ratios
#                                         to nginx; then over TLS: nginx proxy and the full
#                                         chain (HTTPS keep-alive), and new connections (a TLS
#                                         handshake each) to both, with their ratios; then gateway
#                                         cached (stage cache, 100% hits), its ratio to nginx;
#                                         gateway compressed (a 3.8 KB JSON gzipped); gateway two
#                                         targets (an upstream of the backend on two ports);
#                                         gateway traced 1% and 100% (the full chain with
#                                         OpenTelemetry spans sent to a no-op collector)
#   infra/bench/run.sh loops              nginx proxy, bare vertx-http-proxy, gateway passthrough
#                                         and full chain with 1 worker / event loop, then the same
#                                         four with 2 (wrk -t2 -c128), ratios to nginx in each
#   infra/bench/run.sh throttle-accuracy  3 gateway nodes (Kafka membership) sharing one plan
#                                         throttle (200/s) behind a round-robin client, one
#                                         killed and one added mid-run: admitted/s per 5 s window
#                                         against the limit; then a client pinned to one node
#   infra/bench/run.sh profile            the full chain once more, with a flight recording of
#                                         the gateway JVM, summarized (BENCH_PROFILE_PATH picks
#                                         another scenario, e.g. /bench/bench/tpl)
#   infra/bench/run.sh bulkhead           one shared node: the bench tenant's steady open-loop
#                                         load (wrk + rate.lua, p50/p99) alone, then beside the
#                                         noisy tenant offered 50x its throttle, rounds
#                                         alternating, each after a self-check of the client
#                                         against nginx; then beside the noisy tenant as fast as
#                                         wrk can drive it
#   infra/bench/run.sh websocket          a WebSocket API stage (stage ws) against a bare Vert.x
#                                         WebSocket echo server: message echo rate and server CPU
#                                         per message, the gateway's ratio; then 10,000 idle
#                                         connections to each, memory per connection
#
# Progress goes to stderr, results to stdout; in the default mode the last line of stdout is
# "full-chain ratio to nginx proxy: N.NN".
set -eEuo pipefail
export LC_ALL=C

MODE=${1:-bench}
case "$MODE" in
  bench | loops | transport | throttle-accuracy | profile | websocket | bulkhead) ;;
  *)
    echo "usage: $0 [bench | loops | transport | throttle-accuracy | profile | websocket | bulkhead]" >&2
    exit 2
    ;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_DIR=$ROOT/infra/bench
WORK=${BENCH_WORK_DIR:-$ROOT/infra/target/bench}
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-2}
RETRIES=${BENCH_RETRIES:-2}
DISTURBED_PERCENT=${BENCH_DISTURBED_PERCENT:-5}
NGINX_WARMUP=${BENCH_NGINX_WARMUP:-3}
GATEWAY_WARMUP=${BENCH_GATEWAY_WARMUP:-5}
JIT_WARMUP=${BENCH_JIT_WARMUP:-10}
THREADS=${BENCH_THREADS:-1}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
EVENT_LOOPS=${BENCH_EVENT_LOOPS:-1}
# The nginx proxy's workers: as many as the gateway's event loops, one core's worth each.
NGINX_WORKERS=$EVENT_LOOPS
KEYS=${BENCH_KEYS:-10000}
ROUTES=${BENCH_ROUTES:-10000}
GATEWAY_JVM_OPTS=${BENCH_GATEWAY_JVM_OPTS:--Xms1g -Xmx1g}
ACCURACY_WARMUP=${BENCH_ACCURACY_WARMUP:-20}
ACCURACY_DURATION=${BENCH_ACCURACY_DURATION:-130}
ACCURACY_KILL_AT=${BENCH_ACCURACY_KILL_AT:-30}
ACCURACY_ADD_AT=${BENCH_ACCURACY_ADD_AT:-50}
ACCURACY_PINNED_DURATION=${BENCH_ACCURACY_PINNED_DURATION:-30}
ACCURACY_CONCURRENCY=${BENCH_ACCURACY_CONCURRENCY:-16}
ACCURACY_RATE=${BENCH_ACCURACY_RATE:-200}
ACCURACY_BURST=${BENCH_ACCURACY_BURST:-50}
# The bulkhead mode: the quiet tenant's steady rate, the noisy tenant's (its throttle is 100/s),
# seconds per measurement and alternating rounds.
BULKHEAD_QUIET_RATE=${BENCH_BULKHEAD_QUIET_RATE:-1000}
BULKHEAD_NOISY_RATE=${BENCH_BULKHEAD_NOISY_RATE:-5000}
BULKHEAD_DURATION=${BENCH_BULKHEAD_DURATION:-20}
# Both tenants' traffic before the first round: the node's JIT compiles on its own pinned core, so
# a compilation still going on in round 1 would be counted against the node.
BULKHEAD_WARMUP=${BENCH_BULKHEAD_WARMUP:-30}
BULKHEAD_ROUNDS=${BENCH_BULKHEAD_ROUNDS:-3}
# Connections of the quiet and the noisy client: enough that a request finds one free when it is due
# (a stall of the node longer than connections / rate would show as the client's lag).
BULKHEAD_QUIET_CONNECTIONS=${BENCH_BULKHEAD_QUIET_CONNECTIONS:-128}
BULKHEAD_NOISY_CONNECTIONS=${BENCH_BULKHEAD_NOISY_CONNECTIONS:-64}
# The self-check's bar: the client against the backend nginx, and its lag behind the schedule in
# every measurement, must stay within this p99 (ms), or the run says it is not valid.
BULKHEAD_SELF_CHECK_MS=${BENCH_BULKHEAD_SELF_CHECK_MS:-2}
# The nice value of the node, the clients, Kafka and the backend (0: as any other process; a
# negative one lets them preempt other work on a shared machine).
BULKHEAD_NICE=${BENCH_BULKHEAD_NICE:-0}
# The measuring client (the quiet tenant's and the self-check's wrk) runs under this scheduling
# policy (chrt's arguments; empty: as any other process). It is the instrument: it shares its core
# with Kafka, the backend and the noisy tenant's client, and a millisecond's wait for that core
# shows as its lag behind the schedule, which the validity check counts against the run.
# Real-time (FIFO) lets it preempt them; at 1,000 requests a second it needs a few % of a core.
# Used only where chrt may set it (root, or CAP_SYS_NICE); the run says which it got.
BULKHEAD_CLIENT_SCHED=${BENCH_BULKHEAD_CLIENT_SCHED-"-f 10"}
PROFILE_DURATION=${BENCH_PROFILE_DURATION:-20}
PROFILE_WARMUP=${BENCH_PROFILE_WARMUP:-30}
PROFILE_PATH=${BENCH_PROFILE_PATH:-/bench/bench/full}
# The gateway's and the bare proxy's event-loop transport (TURNPIKE_GATEWAY_TRANSPORT), and the
# transports the transport mode compares, one gateway node and one bare proxy each.
TRANSPORT=${BENCH_TRANSPORT:-auto}
TRANSPORTS=${BENCH_TRANSPORTS:-nio io_uring}
# The transport mode's extra JVM options per entry of BENCH_TRANSPORTS, '|'-separated (e.g. two
# collectors on the same transport: BENCH_TRANSPORTS="nio nio" BENCH_VARIANT_JVM_OPTS="|-XX:+UseParallelGC").
VARIANT_JVM_OPTS=${BENCH_VARIANT_JVM_OPTS:-}
export TURNPIKE_GATEWAY_TRANSPORT=$TRANSPORT
# The cors scenario's Origin: the one BenchConfig.CORS_ORIGIN allows.
CORS_ORIGIN=https://app.bench.example
HANDSHAKE_DURATION=${BENCH_HANDSHAKE_DURATION:-$DURATION}
# The websocket mode: echo load (connections, messages in flight on each) and idle connections.
WS_CONNECTIONS=${BENCH_WS_CONNECTIONS:-64}
WS_IN_FLIGHT=${BENCH_WS_IN_FLIGHT:-4}
IDLE_CONNECTIONS=${BENCH_IDLE_CONNECTIONS:-10000}
# One client source address (127.0.0.x) per 10,000 idle connections: each has its own ephemeral
# ports (32768-60999 by default, shared with every other socket on that address).
WS_SOURCE_ADDRESSES=${BENCH_WS_SOURCE_ADDRESSES:-$(((IDLE_CONNECTIONS + 9999) / 10000))}
WS_CLIENT_JVM_OPTS=${BENCH_WS_CLIENT_JVM_OPTS:--Xms512m -Xmx1g}
# Both servers' heaps are made resident at start, so the idle connections' RSS delta is memory
# outside the heap rather than young-generation pages first touched by the handshakes' garbage.
WS_SERVER_JVM_OPTS="$GATEWAY_JVM_OPTS -XX:+AlwaysPreTouch"

STARTED_PIDS=()
WRK_PID=""
TAKEN_PORTS=()
declare -A NGINX_PIDS=()
BENCH_GATEWAY_PIDS=""

step() { echo "[bench $(date +%T)] $*" >&2; }
die() {
  echo "[bench] ERROR: $*" >&2
  exit 1
}

# Stops everything this script started, newest first. The gateway nodes are the platform's
# children and it stops them on SIGTERM; their pids are killed here too in case it could not.
cleanup() {
  local pid i index
  [ -z "$WRK_PID" ] || kill -TERM "$WRK_PID" 2>/dev/null || true
  for ((index = ${#STARTED_PIDS[@]} - 1; index >= 0; index--)); do
    pid=${STARTED_PIDS[index]}
    kill -TERM "$pid" 2>/dev/null || continue
    for i in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for pid in $BENCH_GATEWAY_PIDS ${BENCH_TLS_GATEWAY_PID:-}; do
    # Only if that pid is still a gateway node: once it has exited, the number may be reused.
    if grep -qa GatewayMain "/proc/$pid/cmdline" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
on_error() { echo "[bench] ERROR: line $1 failed: $2" >&2; }
trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port VAR [FIXED]: FIXED if given (an error if it is taken), else a free port below the
# ephemeral range, so no outgoing connection of the benchmark can be holding it.
free_port() {
  local var=$1 fixed=${2:-} port tries
  if [ -n "$fixed" ]; then
    port_in_use "$fixed" && die "port $fixed ($var) is in use; choose another or unset it"
    printf -v "$var" '%s' "$fixed"
    TAKEN_PORTS+=("$fixed")
    return
  fi
  for tries in $(seq 1 500); do
    port=$((20000 + RANDOM % 12000))
    if [[ " ${TAKEN_PORTS[*]:-} " != *" $port "* ]] && ! port_in_use "$port"; then
      printf -v "$var" '%s' "$port"
      TAKEN_PORTS+=("$port")
      return
    fi
  done
  die "no free port found between 20000 and 32000"
}

install_tools() {
  local missing=() sudo=""
  NGINX=$(command -v nginx || true)
  [ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
  [ -z "$NGINX" ] && missing+=(nginx-light)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if ((${#missing[@]})); then
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    step "installing ${missing[*]} from Debian packages"
    {
      $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
          "${missing[@]/nginx-light/nginx}"
    } >"$WORK/apt.log" 2>&1 || {
      cat "$WORK/apt.log" >&2
      die "could not install ${missing[*]}"
    }
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  fi
  [ -x "$NGINX" ] || die "nginx not found after installing it"
}

# Builds contracts, data-plane and infra, and writes the two classpaths: the platform's (infra's
# test classpath: Kafka test kit, contracts) and the gateway node's (data-plane and its runtime
# dependencies only, as a deployment would run it).
build() {
  cd "$ROOT"
  # shellcheck disable=SC1091
  . .mvn/find-jdk.sh
  # Its probes fail by design (a folder that is not a JDK): not errors worth reporting.
  trap - ERR
  turnpike_find_jdk
  trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
  JAVA=$JAVA_HOME/bin/java
  local maven=(./mvnw -q -B -ntp)
  # shellcheck disable=SC2206
  [ -n "${BENCH_MAVEN_ARGS:-}" ] && maven+=(${BENCH_MAVEN_ARGS})
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    step "building contracts, data-plane and infra (./mvnw install -pl infra -am, tests skipped)"
    "${maven[@]}" -DskipTests -Dspotless.check.skip=true install -pl infra -am >"$WORK/build.log" 2>&1 || {
      cat "$WORK/build.log" >&2
      die "build failed"
    }
  fi
  "${maven[@]}" dependency:build-classpath -pl infra -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/platform-deps.cp" >"$WORK/classpath.log" 2>&1 &&
    "${maven[@]}" dependency:build-classpath -pl data-plane -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$WORK/gateway-deps.cp" >>"$WORK/classpath.log" 2>&1 || {
    cat "$WORK/classpath.log" >&2
    die "could not resolve the classpaths"
  }
  PLATFORM_CP=$ROOT/infra/target/test-classes:$(cat "$WORK/platform-deps.cp")
  local data_plane_jar
  data_plane_jar=$(tr ':' '\n' <"$WORK/platform-deps.cp" | grep '/data-plane-[^/]*\.jar$' | head -n 1)
  [ -n "$data_plane_jar" ] || die "the data-plane jar is not on infra's test classpath"
  echo "$data_plane_jar:$(cat "$WORK/gateway-deps.cp")" >"$WORK/gateway.cp"
}

# start_nginx NAME CONF_BODY PORT [WORKERS]: one nginx master + 1 worker (or WORKERS) in the foreground (daemon off),
# with its config, pid, error log and temp files under $WORK/nginx/NAME, never the system's.
start_nginx() {
  local name=$1 body=$2 port=$3 workers=${4:-1} dir=$WORK/nginx/$1 pid i
  rm -rf "$dir"
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
master_process on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
$body
}
EOF
  "$NGINX" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
  pid=$!
  STARTED_PIDS+=("$pid")
  NGINX_PIDS[$name]=$pid
  for i in $(seq 1 100); do
    port_in_use "$port" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$dir/error.log" "$dir/stdout.log" >&2 2>/dev/null || true
  die "nginx $name did not start on port $port"
}

# The function scenario's Lambda proxy response: the backend's 42-byte JSON as its body. In
# nginx's quoted strings a doubled backslash reads as one, so the body's quotes stay escaped.
LAMBDA_RESPONSE=$(
  cat <<'EOF'
{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\\"id\\":1,\\"name\\":\\"turnpike bench\\",\\"ok\\":true}","isBase64Encoded":false}
EOF
)

# The compressed scenario's backend body: 3.8 KB of JSON (60 items); nginx takes its quotes as is.
LARGE_BODY='{"items":['
for i in $(seq 1 60); do
  LARGE_BODY+='{"id":'$i',"name":"turnpike bench item","tags":["bench","gzip"]},'
done
LARGE_BODY="${LARGE_BODY%,}]}"

# The Lambda authorizer scenario's answer: allow every method, as a TOKEN authorizer's IAM policy.
AUTHORIZER_RESPONSE='{"principalId":"bench","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"}]}}'

start_backend() {
  free_port BACKEND_PORT "${BENCH_BACKEND_PORT:-}"
  # A second port of the same nginx: the two-target upstream scenario's other target.
  free_port BACKEND_PORT2 "${BENCH_BACKEND_PORT2:-}"
  # The backend also serves Lambda's Invoke API, answering every invocation with the fixed
  # response above: the function stage's endpoint, as fast as nginx can answer.
  start_nginx backend "  server {
    listen 127.0.0.1:$BACKEND_PORT backlog=4096;
    listen 127.0.0.1:$BACKEND_PORT2 backlog=4096;
    location ^~ /issuer/ {
      alias $WORK/issuer/;
      default_type application/json;
    }
    location = /v1/traces {
      # The traced scenarios' collector: takes every OTLP export and keeps nothing.
      default_type application/x-protobuf;
      return 200;
    }
    location = /authorizer {
      default_type application/json;
      return 200 '$AUTHORIZER_RESPONSE';
    }
    location = /large {
      default_type application/json;
      return 200 '$LARGE_BODY';
    }
    location = /2015-03-31/functions/function/invocations {
      default_type application/json;
      return 200 '$LAMBDA_RESPONSE';
    }
    location / {
      default_type application/json;
      return 200 '{\"id\":1,\"name\":\"turnpike bench\",\"ok\":true}';
    }
  }" "$BACKEND_PORT"
  step "backend nginx on 127.0.0.1:$BACKEND_PORT and :$BACKEND_PORT2 (also a function's Invoke API, an authorizer and the JWT issuer)"
}

start_proxy() {
  free_port PROXY_PORT "${BENCH_PROXY_PORT:-}"
  start_nginx proxy "  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$PROXY_PORT backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
    }
  }" "$PROXY_PORT" "$NGINX_WORKERS"
  step "nginx reverse proxy on 127.0.0.1:$PROXY_PORT ($NGINX_WORKERS worker(s), upstream keep-alive 64)"
}

# The framework's own ceiling: Vert.x's reverse proxy (vertx-http-proxy) to the backend nginx, on
# as many event loops as the gateway (BareHttpProxy).
start_bare_proxy() {
  local i transport=${1:-$TRANSPORT} extra=${2:-} log=$WORK/bare-proxy-${3:-$TRANSPORT}.log
  free_port BARE_PROXY_PORT "${BENCH_BARE_PROXY_PORT:-}"
  # shellcheck disable=SC2086
  "$JAVA" $GATEWAY_JVM_OPTS $extra -cp "$PLATFORM_CP" dev.turnpike.infra.bench.BareHttpProxy \
    "$BARE_PROXY_PORT" "$BACKEND_PORT" "$EVENT_LOOPS" "$transport" >"$log" 2>&1 &
  BARE_PROXY_PID=$!
  STARTED_PIDS+=("$BARE_PROXY_PID")
  for i in $(seq 1 300); do
    grep -q '^READY' "$log" 2>/dev/null && {
      step "bare vertx-http-proxy on 127.0.0.1:$BARE_PROXY_PORT ($EVENT_LOOPS event loop(s), $transport," \
        "JVM $GATEWAY_JVM_OPTS $extra, pid $BARE_PROXY_PID)"
      return 0
    }
    kill -0 "$BARE_PROXY_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  die "the bare vertx-http-proxy ($transport) did not start on port $BARE_PROXY_PORT"
}

# stop_pid PID: TERM, then KILL after 30 s; for the servers the loops mode replaces mid-run.
stop_pid() {
  local i
  kill -TERM "$1" 2>/dev/null || return 0
  for i in $(seq 1 150); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# A self-signed certificate for 127.0.0.1 (ECDSA P-256, as most sites serve now), the one both TLS
# servers present, so their handshakes do the same cryptography.
make_tls_certificate() {
  TLS_CERT=$WORK/tls/cert.pem
  TLS_KEY=$WORK/tls/key.pem
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$TLS_KEY" -out "$TLS_CERT" >"$WORK/tls/openssl.log" 2>&1 || {
    cat "$WORK/tls/openssl.log" >&2
    die "openssl could not make the TLS certificate"
  }
  step "TLS certificate: ECDSA P-256, self-signed for 127.0.0.1 ($TLS_CERT)"
}

# The nginx proxy's twin over TLS: the same upstream, TLS 1.2 and 1.3 on its listener, no session
# cache (a new connection is a full handshake, as the gateway's are for wrk, which resumes none).
start_tls_proxy() {
  free_port TLS_PROXY_PORT "${BENCH_TLS_PROXY_PORT:-}"
  start_nginx tls-proxy "  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$TLS_PROXY_PORT ssl backlog=4096;
    ssl_certificate $TLS_CERT;
    ssl_certificate_key $TLS_KEY;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
    }
  }" "$TLS_PROXY_PORT"
  step "nginx TLS reverse proxy on https://127.0.0.1:$TLS_PROXY_PORT (1 worker, upstream keep-alive 64)"
}

# expect_status URL STATUS [CURL_ARGS...]: a smoke request before anything over TLS is measured.
expect_status() {
  local url=$1 want=$2 got
  shift 2
  got=$(curl -sk -o /dev/null -w '%{http_code}' "$@" "$url" || true)
  [ "$got" = "$want" ] || die "smoke request $url answered $got, expected $want"
}

# start_platform NODES KEYS ROUTES [EXTRA_GATEWAY_JVM_OPTS]: Kafka, the bench config and the
# gateway node JVMs (BenchPlatform); then loads platform.env.
start_platform() {
  local nodes=$1 keys=$2 routes=$3 jvm_opts="$GATEWAY_JVM_OPTS ${4:-}" pid i tls=()
  [ -z "${TLS_CERT:-}" ] || tls=(--tls-cert "$TLS_CERT" --tls-key "$TLS_KEY")
  rm -f "$WORK/platform.env" "$WORK/usage-events.txt"
  step "starting Kafka, publishing the bench config and starting $nodes gateway node(s)" \
    "(event loops: $EVENT_LOOPS, JVM: $jvm_opts, access log off)"
  "$JAVA" -Xmx2g -Dturnpike.log.root=WARN -cp "$PLATFORM_CP" \
    dev.turnpike.infra.bench.BenchPlatform \
    --work-dir "$WORK" \
    --backend "http://127.0.0.1:$BACKEND_PORT" \
    --second-backend "http://127.0.0.1:$BACKEND_PORT2" \
    --gateway-classpath-file "$WORK/gateway.cp" \
    --nodes "$nodes" \
    --event-loops "$EVENT_LOOPS" \
    --keys "$keys" \
    --routes "$routes" \
    --limited-rate "$ACCURACY_RATE" \
    --limited-burst "$ACCURACY_BURST" \
    --gateway-jvm-options "$jvm_opts" "${tls[@]}" >"$WORK/platform.log" 2>&1 &
  pid=$!
  STARTED_PIDS+=("$pid")
  PLATFORM_PID=$pid
  for i in $(seq 1 1200); do
    if grep -q '^READY' "$WORK/platform.log" 2>/dev/null; then
      # shellcheck disable=SC1091
      . "$WORK/platform.env"
      step "$(grep '^READY' "$WORK/platform.log")"
      return 0
    fi
    if grep -q '^FAILED' "$WORK/platform.log" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.2
  done
  tail -n 60 "$WORK/platform.log" >&2
  die "the bench platform did not get ready; see $WORK/platform.log"
}

check_platform() {
  kill -0 "$PLATFORM_PID" 2>/dev/null || {
    tail -n 40 "$WORK/platform.log" >&2
    die "the bench platform stopped; see $WORK/platform.log"
  }
}

# wrk_run OUT URL PATH_PREFIX WIDE_ROUTES SECONDS [JWT_FILE] [ORIGIN] [ACCEPT_ENCODING]
# wrk runs in the background and is waited for, so a signal reaches the trap at once rather than
# when wrk ends. With WRK_CONNECTION_CLOSE=1 (set by the caller) every request is a new connection.
wrk_run() {
  BENCH_KEYS_FILE=$BENCH_KEYS_FILE BENCH_PATH_PREFIX=$3 BENCH_WIDE_ROUTES=$4 BENCH_JWT_FILE=${6:-} \
    BENCH_ORIGIN=${7:-} BENCH_ACCEPT_ENCODING=${8:-} BENCH_CONNECTION_CLOSE=${WRK_CONNECTION_CLOSE:-0} \
    ${WRK_PREFIX:-} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$5s" --timeout 10s --latency \
    -s "$BENCH_DIR/bench.lua" "$2" >"$1" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || {
    cat "$1" >&2
    die "wrk failed against $2"
  }
  WRK_PID=""
}

# wrk prints latencies as 812.00us, 1.23ms, 1.05s or 1.00m.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else { printf "?" }
  }'
}

# CPU time (in clock ticks) of this script's process tree: nginx, the platform, the gateway
# nodes, and wrk (while it runs, and in this shell's children's time once it has been waited for).
own_ticks() {
  local children
  children=$(awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$$/stat")
  # Processes come and go while this reads: a vanished one is no error.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$$" -v children="$children" '
    { pid = $1; rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
      parent[pid] = f[2]; ticks[pid] = f[12] + f[13] }
    END {
      for (p in ticks) {
        for (q = p; q != "" && q > 1; q = parent[q]) if (q == root) { total += ticks[p]; break }
      }
      print total + children
    }'
}

# Busy clock ticks of the whole machine (user, nice, system, steal; interrupt time is left out,
# as loopback networking puts most of the benchmark's own packet handling there).
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $9 }' /proc/stat; }

# CPU time (clock ticks, all threads) of a process and its children: an nginx master and its
# worker, or a gateway JVM.
server_ticks() {
  local pid total=0
  for pid in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

CPU_MARK_OWN=0
CPU_MARK_MACHINE=0
CPU_MARK_TIME=0
cpu_mark() {
  CPU_MARK_OWN=$(own_ticks)
  CPU_MARK_MACHINE=$(machine_ticks)
  CPU_MARK_TIME=$(date +%s.%N)
}

# Percent of the machine's CPUs that processes outside the benchmark used since cpu_mark: other
# work on a shared machine takes CPU from the scenario and makes its result lower.
other_cpu_since_mark() {
  local own machine now
  own=$(own_ticks)
  machine=$(machine_ticks)
  now=$(date +%s.%N)
  awk -v o="$((own - CPU_MARK_OWN))" -v m="$((machine - CPU_MARK_MACHINE))" \
    -v t0="$CPU_MARK_TIME" -v t1="$now" -v cores="$(nproc)" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { v = 100 * (m - o) / ((t1 - t0) * hz * cores); printf "%.0f%%", v < 0 ? 0 : v }'
}

# The scenarios, in order; the gateway's are the last three. Results keep each scenario's best
# round (highest requests/s): interference from other work only ever lowers a result.
LABELS=("direct" "nginx proxy" "gateway passthrough" "gateway full chain" "full chain, $ROUTES routes"
  "gateway function" "gateway JWT" "gateway Lambda authorizer" "gateway templated" "gateway CORS"
  "nginx proxy TLS" "gateway full chain TLS" "nginx TLS handshakes" "gateway TLS handshakes"
  "gateway cached" "gateway compressed" "gateway two targets" "full chain traced 1%"
  "full chain traced 100%" "bare vertx-http-proxy")
# The table's order: the framework's bare proxy next to nginx, the rows it is a reference for after.
PRINT_ORDER=(0 1 19 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18)
# The scenarios whose server is not the gateway (their requests make no usage events).
NOT_GATEWAY=(0 1 10 12 19)
# The TLS scenarios: nginx's rows, each the reference of the gateway row after it, and the rows
# whose every request is a new connection (a full TLS handshake).
TLS_NGINX=(10 12)
NEW_CONNECTIONS=(12 13)
# What each scenario's "vs nginx" compares it with: the plain nginx proxy, or its TLS twin.
REFERENCE=([2]=1 [3]=1 [4]=1 [5]=1 [6]=1 [7]=1 [8]=1 [9]=1 [11]=10 [13]=12 [14]=1 [15]=1 [16]=1 [17]=1 [18]=1 [19]=1)
RPS=()
P50=()
P99=()
BAD=()
OTHER=()
CPU_US=()
ROUND_RPS=()
GATEWAY_REQUESTS=0

# The gateway's count of Lambda-style authorizer calls (its admin /metrics), against the requests
# the Lambda authorizer scenario sent, so a cache that stopped working shows at once.
authorizer_invocations() {
  local admin=${BENCH_GATEWAY_ADMIN_PORTS%% *} calls
  calls=$(curl -s "http://127.0.0.1:$admin/metrics" |
    awk '/^turnpike_gateway_authorizer_invocations_total/ { n += $2 } END { printf "%d", n }')
  echo "$calls of $(cat "$WORK"/wrk-gateway-?ambda-authorizer-*.txt "$WORK"/wrk-jit-warmup-lauth.txt |
    awk '/ requests in / { n += $1 } END { print n + 0 }') requests"
}

# The gateway's stage cache hits and misses (its admin /metrics), so a cached scenario that stopped
# hitting shows at once.
cache_counts() {
  local admin=${BENCH_GATEWAY_ADMIN_PORTS%% *}
  curl -s "http://127.0.0.1:$admin/metrics" |
    awk '/^turnpike_gateway_cache_hits_total/ { h += $2 } /^turnpike_gateway_cache_misses_total/ { m += $2 }
      END { printf "%d / %d", h, m }'
}

# The refusals the gateway held to pace a tenant that flooded it (its admin /metrics).
refusals_held() {
  curl -s "http://127.0.0.1:${BENCH_GATEWAY_ADMIN_PORTS%% *}/metrics" |
    awk '/^turnpike_gateway_refusals_held_total/ { n += $2 } END { printf "%d", n }'
}

# measure INDEX ROUND URL PATH_PREFIX WIDE_ROUTES WARMUP_SECONDS SERVER_PID [JWT_FILE] [ORIGIN]
#   [ACCEPT_ENCODING]
measure() {
  local index=$1 round=$2 url=$3 prefix=$4 wide=$5 warmup=$6 server=$7 jwt=${8:-} origin=${9:-}
  local gzip=${10:-}
  local label slug file
  local rps requests
  local bad other ticks cpu_us seconds=$DURATION WRK_CONNECTION_CLOSE=0
  [[ " ${NEW_CONNECTIONS[*]} " != *" $index "* ]] || {
    WRK_CONNECTION_CLOSE=1
    seconds=$HANDSHAKE_DURATION
  }
  label=${LABELS[index]}
  slug=$(echo "$label" | tr -c 'a-z0-9\n' '-')-$round
  step "round $round, $label: ${warmup}s warm-up, then ${seconds}s measured"
  wrk_run "$WORK/wrk-$slug-warmup.txt" "$url" "$prefix" "$wide" "$warmup" "$jwt" "$origin" "$gzip"
  file=$WORK/wrk-$slug.txt
  cpu_mark
  ticks=$(server_ticks "$server")
  wrk_run "$file" "$url" "$prefix" "$wide" "$seconds" "$jwt" "$origin" "$gzip"
  ticks=$(($(server_ticks "$server") - ticks))
  other=$(other_cpu_since_mark)
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
  requests=$(awk '/ requests in / { print $1 }' "$file")
  [ -n "$rps" ] && [ -n "$requests" ] || {
    cat "$file" >&2
    die "$label: no results from wrk"
  }
  bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { sub(/,/, "", $i); n += $i } }
    END { print n + 0 }' "$file")
  if ((bad * 100 > requests)); then
    cat "$file" >&2
    die "$label: $bad of $requests responses were errors or not 2xx; see $file"
  fi
  if [[ " ${NOT_GATEWAY[*]} " != *" $index "* ]]; then
    GATEWAY_REQUESTS=$((GATEWAY_REQUESTS + requests +
      $(awk '/ requests in / { print $1 }' "$WORK/wrk-$slug-warmup.txt")))
  fi
  cpu_us=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  ROUND_RPS[index]="${ROUND_RPS[index]:-}${ROUND_RPS[index]:+ / }$(printf '%.0f' "$rps") ($other, ${cpu_us} us)"
  if [ -z "${RPS[index]:-}" ] || awk -v a="$rps" -v b="${RPS[index]}" 'BEGIN { exit !(a > b) }'; then
    RPS[index]=$rps
    P50[index]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
    P99[index]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
    BAD[index]=$bad
    OTHER[index]=$other
    CPU_US[index]=$cpu_us
  fi
  check_platform
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The vertx-http-proxy version on the platform's classpath (the one BareHttpProxy runs).
vertx_proxy_version() {
  tr ':' '\n' <<<"$PLATFORM_CP" | sed -n 's|.*/vertx-http-proxy-\([^/]*\)\.jar$|vertx-http-proxy \1|p' | head -n 1
}

# per_core INDEX: the scenario's requests per second of the server's CPU time (one core busy for
# one second), from its server CPU per request.
per_core() { awk -v us="${CPU_US[$1]}" 'BEGIN { printf "%.0f", (us > 0 ? 1e6 / us : 0) }'; }

# disturbed INDEX: whether other processes took more than DISTURBED_PERCENT of the CPUs during the
# scenario's best round.
disturbed() { ((${OTHER[$1]%\%} > DISTURBED_PERCENT)); }

# The results table every mode prints: one row per scenario in PRINT_ORDER, its ratio to its
# REFERENCE row, "*" where other work disturbed every round. $1: the scenario column's width.
print_table() {
  local width=$1 i versus mark
  printf "%-${width}s %10s %7s %7s %6s %9s %10s %8s\n" "scenario" "requests/s" "p50 ms" "p99 ms" \
    "errors" "other CPU" "server CPU" "vs nginx"
  for i in "${PRINT_ORDER[@]}"; do
    versus="" mark=" "
    [ -z "${REFERENCE[i]:-}" ] || versus="$(ratio "${RPS[i]}" "${RPS[REFERENCE[i]]}")x"
    disturbed "$i" && mark="*"
    printf "%-${width}s %10.0f %7s %7s %6s %8s%s %7s us %8s\n" "${LABELS[i]}" "${RPS[i]}" \
      "${P50[i]}" "${P99[i]}" "${BAD[i]}" "${OTHER[i]}" "$mark" "${CPU_US[i]}" "$versus"
  done
}

run_bench() {
  make_tls_certificate
  start_backend
  start_proxy
  start_tls_proxy
  start_bare_proxy
  start_platform 1 "$KEYS" "$ROUTES"
  local gateway=http://127.0.0.1:${BENCH_GATEWAY_PORTS%% *} gateway_pid=${BENCH_GATEWAY_PIDS%% *}
  local tls_gateway=https://127.0.0.1:$BENCH_TLS_GATEWAY_PORT tls_gateway_pid=$BENCH_TLS_GATEWAY_PID
  local tls_proxy=https://127.0.0.1:$TLS_PROXY_PORT
  local i round usage reference
  expect_status "$tls_proxy/items/1" 200
  expect_status "$tls_gateway/bench/bench/full/items/1" 200 -H "x-api-key: $(head -n 1 "$BENCH_KEYS_FILE")"
  expect_status "$tls_gateway/bench/bench/full/items/1" 403
  step "TLS gateway node on $tls_gateway (pid $tls_gateway_pid); smoke requests over TLS answered"
  step "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
  # The JIT needs far longer than nginx to reach steady state: the gateway gets one warm-up
  # through all three of its paths before any of them is measured, and a short one before each.
  step "JIT warm-up: ${JIT_WARMUP}s on the bare vertx-http-proxy, then on each of the gateway's pass, full, wide, fn, jwt, lauth, tpl, cors, cached, gz, two, tr1, tr100"
  wrk_run "$WORK/wrk-jit-warmup-pass.txt" "$gateway" /bench/bench/pass 0 "$JIT_WARMUP"
  wrk_run "$WORK/wrk-bare-proxy-jit-warmup.txt" "http://127.0.0.1:$BARE_PROXY_PORT" "" 0 "$JIT_WARMUP"
  wrk_run "$WORK/wrk-jit-warmup-full.txt" "$gateway" /bench/bench/full 0 "$JIT_WARMUP"
  wrk_run "$WORK/wrk-jit-warmup-wide.txt" "$gateway" /bench/bench/wide "$ROUTES" "$JIT_WARMUP"
  wrk_run "$WORK/wrk-jit-warmup-fn.txt" "$gateway" /bench/bench/fn 0 "$JIT_WARMUP"
  wrk_run "$WORK/wrk-jit-warmup-jwt.txt" "$gateway" /bench/bench/jwt 0 "$JIT_WARMUP" "$BENCH_JWT_FILE"
  wrk_run "$WORK/wrk-jit-warmup-lauth.txt" "$gateway" /bench/bench/lauth 0 "$JIT_WARMUP" \
    "$BENCH_JWT_FILE"
  wrk_run "$WORK/wrk-jit-warmup-tpl.txt" "$gateway" /bench/bench/tpl 0 "$JIT_WARMUP"
  wrk_run "$WORK/wrk-jit-warmup-cors.txt" "$gateway" /bench/bench/cors 0 "$JIT_WARMUP" "" \
    "$CORS_ORIGIN"
  wrk_run "$WORK/wrk-jit-warmup-cached.txt" "$gateway" /bench/bench/cached 0 "$JIT_WARMUP"
  wrk_run "$WORK/wrk-jit-warmup-gz.txt" "$gateway" /bench/bench/gz 0 "$JIT_WARMUP" "" "" gzip
  wrk_run "$WORK/wrk-jit-warmup-two.txt" "$gateway" /bench/bench/two 0 "$JIT_WARMUP"
  wrk_run "$WORK/wrk-jit-warmup-tr1.txt" "$gateway" /bench/bench/tr1 0 "$JIT_WARMUP"
  wrk_run "$WORK/wrk-jit-warmup-tr100.txt" "$gateway" /bench/bench/tr100 0 "$JIT_WARMUP"
  step "TLS gateway JIT warm-up: ${JIT_WARMUP}s of full over HTTPS keep-alive, then of new connections"
  wrk_run "$WORK/wrk-jit-warmup-tls-full.txt" "$tls_gateway" /bench/bench/full 0 "$JIT_WARMUP"
  WRK_CONNECTION_CLOSE=1 wrk_run "$WORK/wrk-jit-warmup-tls-handshake.txt" "$tls_gateway" \
    /bench/bench/full 0 "$JIT_WARMUP"
  GATEWAY_REQUESTS=$((GATEWAY_REQUESTS + $(cat "$WORK"/wrk-jit-warmup-*.txt |
    awk '/ requests in / { n += $1 } END { print n + 0 }')))
  for round in $(seq 1 "$ROUNDS"); do
    measure 0 "$round" "http://127.0.0.1:$BACKEND_PORT" "" 0 "$NGINX_WARMUP" "${NGINX_PIDS[backend]}"
    measure 1 "$round" "http://127.0.0.1:$PROXY_PORT" "" 0 "$NGINX_WARMUP" "${NGINX_PIDS[proxy]}"
    measure 19 "$round" "http://127.0.0.1:$BARE_PROXY_PORT" "" 0 "$GATEWAY_WARMUP" "$BARE_PROXY_PID"
    measure 2 "$round" "$gateway" /bench/bench/pass 0 "$GATEWAY_WARMUP" "$gateway_pid"
    measure 3 "$round" "$gateway" /bench/bench/full 0 "$GATEWAY_WARMUP" "$gateway_pid"
    measure 4 "$round" "$gateway" /bench/bench/wide "$ROUTES" "$GATEWAY_WARMUP" "$gateway_pid"
    measure 5 "$round" "$gateway" /bench/bench/fn 0 "$GATEWAY_WARMUP" "$gateway_pid"
    measure 6 "$round" "$gateway" /bench/bench/jwt 0 "$GATEWAY_WARMUP" "$gateway_pid" \
      "$BENCH_JWT_FILE"
    measure 7 "$round" "$gateway" /bench/bench/lauth 0 "$GATEWAY_WARMUP" "$gateway_pid" \
      "$BENCH_JWT_FILE"
    measure 8 "$round" "$gateway" /bench/bench/tpl 0 "$GATEWAY_WARMUP" "$gateway_pid"
    measure 9 "$round" "$gateway" /bench/bench/cors 0 "$GATEWAY_WARMUP" "$gateway_pid" "" \
      "$CORS_ORIGIN"
    measure 10 "$round" "$tls_proxy" "" 0 "$NGINX_WARMUP" "${NGINX_PIDS[tls-proxy]}"
    measure 11 "$round" "$tls_gateway" /bench/bench/full 0 "$GATEWAY_WARMUP" "$tls_gateway_pid"
    measure 12 "$round" "$tls_proxy" "" 0 "$NGINX_WARMUP" "${NGINX_PIDS[tls-proxy]}"
    measure 13 "$round" "$tls_gateway" /bench/bench/full 0 "$GATEWAY_WARMUP" "$tls_gateway_pid"
    measure 14 "$round" "$gateway" /bench/bench/cached 0 "$GATEWAY_WARMUP" "$gateway_pid"
    measure 15 "$round" "$gateway" /bench/bench/gz 0 "$GATEWAY_WARMUP" "$gateway_pid" "" "" gzip
    measure 16 "$round" "$gateway" /bench/bench/two 0 "$GATEWAY_WARMUP" "$gateway_pid"
    measure 17 "$round" "$gateway" /bench/bench/tr1 0 "$GATEWAY_WARMUP" "$gateway_pid"
    measure 18 "$round" "$gateway" /bench/bench/tr100 0 "$GATEWAY_WARMUP" "$gateway_pid"
  done
  # The last line's ratio must not rest on a round that other work disturbed: the nginx proxy and
  # the full chain get up to BENCH_RETRIES more rounds while their best one was disturbed.
  for round in $(seq $((ROUNDS + 1)) $((ROUNDS + RETRIES))); do
    if disturbed 1; then
      measure 1 "$round" "http://127.0.0.1:$PROXY_PORT" "" 0 "$NGINX_WARMUP" "${NGINX_PIDS[proxy]}"
    fi
    if disturbed 3; then
      measure 3 "$round" "$gateway" /bench/bench/full 0 "$GATEWAY_WARMUP" "$gateway_pid"
    fi
  done
  sleep 3
  usage=$(cat "$WORK/usage-events.txt" 2>/dev/null || echo "?")

  echo
  echo "Turnpike gateway benchmark on $(nproc) cores, loopback, HTTP/1.1 keep-alive:" \
    "wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s runs after a warm-up;"
  echo "best of $ROUNDS rounds per scenario, up to $((ROUNDS + RETRIES)) for nginx proxy and full chain while" \
    "other work disturbed them"
  echo "gateway: 1 node, $EVENT_LOOPS event loop(s), JVM $GATEWAY_JVM_OPTS, access log off;" \
    "full chain: $KEYS keys, a random one per request"
  echo "usage events in Kafka: $usage for $GATEWAY_REQUESTS gateway requests sent (plus smoke checks)"
  echo
  print_table 26
  for i in "${!LABELS[@]}"; do
    if disturbed "$i"; then
      echo "* every round of this scenario was disturbed by other work (other CPU > $DISTURBED_PERCENT%):" \
        "its requests/s and ratio are lower than this machine can do; server CPU is still meaningful."
      break
    fi
  done
  echo
  echo "every round: requests/s (other CPU, server CPU per request)"
  for i in "${PRINT_ORDER[@]}"; do
    printf '  %-26s %s\n' "${LABELS[i]}" "${ROUND_RPS[i]}"
  done
  echo "other CPU: share of the $(nproc) cores that processes outside the benchmark used while it"
  echo "  measured; more than a few percent makes that round lower than this machine can do."
  echo "server CPU: CPU time of the server under test per request, all its threads (the backend"
  echo "  nginx for direct, the proxy nginx, the gateway JVM); less disturbed by other work than"
  echo "  requests/s."
  echo "bare vertx-http-proxy: Vert.x's own reverse proxy ($(vertx_proxy_version)) on the gateway's event"
  echo "  loop count, no gateway work at all: the framework's ceiling. The passthrough reaches" \
    "$(ratio "${RPS[2]}" "${RPS[19]}")x of it, the full chain $(ratio "${RPS[3]}" "${RPS[19]}")x;" \
    "server CPU ${CPU_US[19]} us against the passthrough's ${CPU_US[2]} us"
  echo "gateway function: aws_proxy (payload 1.0) to a function whose Invoke API (the backend nginx)"
  echo "  answers a fixed Lambda proxy response; no key. Against the passthrough, the cost of the"
  echo "  proxy event and the response mapping over plain proxying:" \
    "$(ratio "${RPS[5]}" "${RPS[2]}")x requests/s, server CPU ${CPU_US[5]} us against ${CPU_US[2]} us"
  echo "gateway JWT: the passthrough's route behind a JWT authorizer (one RS256 token, 2048-bit key,"
  echo "  JWKS fetched once from the backend nginx); the signature and claim checks per request:" \
    "$(ratio "${RPS[6]}" "${RPS[2]}")x the passthrough's requests/s, server CPU ${CPU_US[6]} us" \
    "against ${CPU_US[2]} us ($(awk -v a="${CPU_US[6]}" -v b="${CPU_US[2]}" \
      'BEGIN { printf "%.1f", a - b }') us per request for the token)"
  echo "gateway Lambda authorizer: the same route behind a TOKEN authorizer (the backend nginx's fixed"
  echo "  Allow policy), answers cached 300 s: $(ratio "${RPS[7]}" "${RPS[2]}")x the passthrough's" \
    "requests/s, server CPU ${CPU_US[7]} us; authorizer calls for all its requests:" \
    "$(authorizer_invocations)"
  echo "gateway templated: an http (non-proxy) integration to the backend nginx whose request template"
  echo "  makes the backend's body from \$context and \$input.params and whose response template"
  echo "  reshapes the backend's JSON (\$input.json), both small enough to render on the event loop; no key."
  echo "  Against the passthrough, the cost of both renderings and of holding the bodies whole:" \
    "$(ratio "${RPS[8]}" "${RPS[2]}")x requests/s, server CPU ${CPU_US[8]} us against" \
    "${CPU_US[2]} us ($(awk -v a="${CPU_US[8]}" -v b="${CPU_US[2]}" \
      'BEGIN { printf "%.1f", a - b }') us per request for the templates);" \
    "$(ratio "${RPS[8]}" "${RPS[1]}")x the nginx proxy's requests/s"
  echo "gateway CORS: the full chain (key, plan throttle, quota) on a stage whose API has CORS, every"
  echo "  request with an allowed Origin, every answer with the CORS headers and Vary: Origin:" \
    "$(ratio "${RPS[9]}" "${RPS[3]}")x the full chain's requests/s, server CPU ${CPU_US[9]} us against" \
    "${CPU_US[3]} us"
  echo "TLS rows: the nginx proxy's twin with a TLS listener (TLS 1.2 and 1.3, no session cache) and"
  echo "  a gateway node serving TLS (TURNPIKE_GATEWAY_TLS_CERT/KEY), the same self-signed ECDSA P-256"
  echo "  certificate, plain HTTP to the backend; their 'vs nginx' is against the nginx TLS row above them."
  echo "  HTTPS keep-alive, full chain: $(ratio "${RPS[11]}" "${RPS[10]}")x the nginx TLS proxy's" \
    "requests/s; server CPU ${CPU_US[11]} us against ${CPU_US[3]} us for the plain full chain" \
    "(nginx ${CPU_US[10]} us against ${CPU_US[1]} us)"
  echo "  new connections (\"Connection: close\", wrk -c$CONNECTIONS, ${HANDSHAKE_DURATION}s; wrk resumes no" \
    "session, so each is a full handshake, then one proxied request):"
  echo "    handshakes per second: nginx $(printf '%.0f' "${RPS[12]}"), gateway" \
    "$(printf '%.0f' "${RPS[13]}") = $(ratio "${RPS[13]}" "${RPS[12]}")x"
  echo "    handshakes per core (per second of the server's CPU): nginx $(per_core 12), gateway" \
    "$(per_core 13) = $(awk -v a="${CPU_US[12]}" -v b="${CPU_US[13]}" 'BEGIN { printf "%.2f", a / b }')x"
  echo "gateway cached: the passthrough's route with the stage cache on; after the first request"
  echo "  every one is a hit answered from memory, the backend not called: $(ratio "${RPS[14]}" "${RPS[1]}")x" \
    "the nginx proxy's requests/s, server CPU ${CPU_US[14]} us against ${CPU_US[2]} us for the" \
    "passthrough; stage cache hits / misses: $(cache_counts)"
  echo "gateway compressed: the passthrough's proxying of the backend nginx's 3.8 KB JSON (/large),"
  echo "  gzipped for a client sending Accept-Encoding: gzip (the API's minimumCompressionSize 1024);"
  echo "  no key. Against the passthrough, the cost of the larger body and of compressing it:" \
    "$(ratio "${RPS[15]}" "${RPS[2]}")x requests/s, server CPU ${CPU_US[15]} us against" \
    "${CPU_US[2]} us"
  echo "gateway two targets: http_proxy to an upstream of two targets (the backend nginx on two ports,"
  echo "  equal weights, round-robin; breaker and egress admission per request); no key:" \
    "$(ratio "${RPS[16]}" "${RPS[2]}")x the passthrough's requests/s, server CPU ${CPU_US[16]} us against" \
    "${CPU_US[2]} us; two-target ratio to nginx proxy: $(ratio "${RPS[16]}" "${RPS[1]}")"
  echo "full chain traced: the full chain on stages tracing 1% and 100% of requests (a server and an"
  echo "  integration span each, batched to the backend nginx's no-op OTLP collector; every other"
  echo "  scenario runs with tracing off on its stage): $(ratio "${RPS[17]}" "${RPS[3]}")x and" \
    "$(ratio "${RPS[18]}" "${RPS[3]}")x the full chain's requests/s, server CPU ${CPU_US[17]} us and" \
    "${CPU_US[18]} us against ${CPU_US[3]} us; ratios to nginx proxy: $(ratio "${RPS[17]}" "${RPS[1]}")" \
    "and $(ratio "${RPS[18]}" "${RPS[1]}")"
  echo
  echo "full-chain ratio to nginx proxy: $(ratio "${RPS[3]}" "${RPS[1]}")"
}

# The loops mode: the nginx proxy, the bare vertx-http-proxy and the gateway's passthrough and full
# chain with one worker / event loop and wrk -t1 -c64, then all four again with two and wrk -t2
# -c128; each server is started afresh for its count. On a 2-core machine the second set shares
# the cores with wrk, so its ratios say more than its requests/s.
run_loops() {
  start_backend
  local loops base round gateway gateway_pid i
  LABELS=()
  REFERENCE=()
  NOT_GATEWAY=(0 1 4 5)
  PRINT_ORDER=(0 1 2 3 4 5 6 7)
  for loops in 1 2; do
    base=$(((loops - 1) * 4))
    LABELS[base]="nginx proxy, $loops worker(s)"
    LABELS[base + 1]="bare vertx-http-proxy, $loops EL"
    LABELS[base + 2]="gateway passthrough, $loops EL"
    LABELS[base + 3]="gateway full chain, $loops EL"
    REFERENCE[base + 1]=$base
    REFERENCE[base + 2]=$base
    REFERENCE[base + 3]=$base
    EVENT_LOOPS=$loops
    NGINX_WORKERS=$loops
    THREADS=$loops
    CONNECTIONS=$((64 * loops))
    start_proxy
    start_bare_proxy
    start_platform 1 "$KEYS" 100
    gateway=http://127.0.0.1:${BENCH_GATEWAY_PORTS%% *}
    gateway_pid=${BENCH_GATEWAY_PIDS%% *}
    step "JIT warm-up: ${JIT_WARMUP}s on the bare proxy, the passthrough and the full chain"
    wrk_run "$WORK/wrk-bare-proxy-jit-warmup-$loops.txt" "http://127.0.0.1:$BARE_PROXY_PORT" "" 0 \
      "$JIT_WARMUP"
    wrk_run "$WORK/wrk-loops-jit-warmup-pass-$loops.txt" "$gateway" /bench/bench/pass 0 "$JIT_WARMUP"
    wrk_run "$WORK/wrk-loops-jit-warmup-full-$loops.txt" "$gateway" /bench/bench/full 0 "$JIT_WARMUP"
    for round in $(seq 1 "$ROUNDS"); do
      measure "$base" "$round" "http://127.0.0.1:$PROXY_PORT" "" 0 "$NGINX_WARMUP" \
        "${NGINX_PIDS[proxy]}"
      measure $((base + 1)) "$round" "http://127.0.0.1:$BARE_PROXY_PORT" "" 0 "$GATEWAY_WARMUP" \
        "$BARE_PROXY_PID"
      measure $((base + 2)) "$round" "$gateway" /bench/bench/pass 0 "$GATEWAY_WARMUP" "$gateway_pid"
      measure $((base + 3)) "$round" "$gateway" /bench/bench/full 0 "$GATEWAY_WARMUP" "$gateway_pid"
    done
    step "stopping the $loops-loop servers"
    stop_pid "$PLATFORM_PID"
    stop_pid "$BARE_PROXY_PID"
    stop_pid "${NGINX_PIDS[proxy]}"
  done

  echo
  echo "Turnpike gateway against its references on $(nproc) cores, loopback, HTTP/1.1 keep-alive:"
  echo "1 nginx worker / event loop with wrk -t1 -c64, then 2 with wrk -t2 -c128; best of $ROUNDS rounds;"
  echo "gateway: 1 node, JVM $GATEWAY_JVM_OPTS, access log off; full chain: $KEYS keys, a random one per request"
  echo
  print_table 34
  echo
  echo "bare vertx-http-proxy: $(vertx_proxy_version), one server and one backend pool per event loop."
  for base in 0 4; do
    echo "$((base / 4 + 1)) loop(s): passthrough $(ratio "${RPS[base + 2]}" "${RPS[base]}")x nginx," \
      "$(ratio "${RPS[base + 2]}" "${RPS[base + 1]}")x the bare proxy; full chain" \
      "$(ratio "${RPS[base + 3]}" "${RPS[base]}")x nginx, $(ratio "${RPS[base + 3]}" "${RPS[base + 1]}")x" \
      "the bare proxy; p99 full chain ${P99[base + 3]} ms against nginx's ${P99[base]} ms"
  done
  echo "from 1 to 2: nginx $(ratio "${RPS[4]}" "${RPS[0]}")x, bare proxy $(ratio "${RPS[5]}" "${RPS[1]}")x," \
    "passthrough $(ratio "${RPS[6]}" "${RPS[2]}")x, full chain $(ratio "${RPS[7]}" "${RPS[3]}")x requests/s"
}

# The transport A/B: one gateway node and one bare proxy per transport (BENCH_TRANSPORTS), all up
# at once, measured in alternation within each round (nginx, then each transport's bare proxy,
# passthrough and full chain), so the machine's drift and its neighbours fall on all of them alike.
run_transport() {
  start_backend
  start_proxy
  local transports=() extras=() t i n round base gateways pids
  read -r -a transports <<<"$TRANSPORTS"
  n=${#transports[@]}
  IFS='|' read -r -a extras <<<"$VARIANT_JVM_OPTS"
  local bare_port=() bare_pid=() names=()
  for i in $(seq 0 $((n - 1))); do
    t=${transports[i]}
    names[i]=$t${extras[i]:+ ${extras[i]}}
    start_bare_proxy "$t" "${extras[i]:-}" "$i"
    bare_port[i]=$BARE_PROXY_PORT
    bare_pid[i]=$BARE_PROXY_PID
  done
  export BENCH_NODE_TRANSPORTS=$TRANSPORTS BENCH_NODE_JVM_OPTIONS=$VARIANT_JVM_OPTS
  start_platform "$n" "$KEYS" 100
  read -r -a gateways <<<"$BENCH_GATEWAY_PORTS"
  read -r -a pids <<<"$BENCH_GATEWAY_PIDS"
  LABELS=("nginx proxy")
  REFERENCE=()
  NOT_GATEWAY=(0)
  PRINT_ORDER=(0)
  for i in $(seq 0 $((n - 1))); do
    t=${transports[i]}
    base=$((1 + 3 * i))
    LABELS[base]="bare vertx-http-proxy, ${names[i]}"
    LABELS[base + 1]="gateway passthrough, ${names[i]}"
    LABELS[base + 2]="gateway full chain, ${names[i]}"
    REFERENCE[base]=0
    REFERENCE[base + 1]=0
    REFERENCE[base + 2]=0
    NOT_GATEWAY+=("$base")
    PRINT_ORDER+=("$base" $((base + 1)) $((base + 2)))
    step "JIT warm-up (${names[i]}): ${JIT_WARMUP}s on the bare proxy, the passthrough and the full chain"
    wrk_run "$WORK/wrk-bare-jit-warmup-$i.txt" "http://127.0.0.1:${bare_port[i]}" "" 0 "$JIT_WARMUP"
    wrk_run "$WORK/wrk-jit-warmup-pass-$i.txt" "http://127.0.0.1:${gateways[i]}" /bench/bench/pass 0 "$JIT_WARMUP"
    wrk_run "$WORK/wrk-jit-warmup-full-$i.txt" "http://127.0.0.1:${gateways[i]}" /bench/bench/full 0 "$JIT_WARMUP"
  done
  for round in $(seq 1 "$ROUNDS"); do
    step "round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    measure 0 "$round" "http://127.0.0.1:$PROXY_PORT" "" 0 "$NGINX_WARMUP" "${NGINX_PIDS[proxy]}"
    # Odd rounds go through the transports in order, even ones backwards.
    local order=($(seq 0 $((n - 1))))
    ((round % 2)) || order=($(seq $((n - 1)) -1 0))
    for i in "${order[@]}"; do
      base=$((1 + 3 * i))
      measure "$base" "$round" "http://127.0.0.1:${bare_port[i]}" "" 0 "$GATEWAY_WARMUP" "${bare_pid[i]}"
      measure $((base + 1)) "$round" "http://127.0.0.1:${gateways[i]}" /bench/bench/pass 0 "$GATEWAY_WARMUP" "${pids[i]}"
      measure $((base + 2)) "$round" "http://127.0.0.1:${gateways[i]}" /bench/bench/full 0 "$GATEWAY_WARMUP" "${pids[i]}"
    done
  done

  echo
  echo "Event-loop transports on $(nproc) cores, loopback, HTTP/1.1 keep-alive, 1 event loop / nginx worker,"
  echo "wrk -t$THREADS -c$CONNECTIONS; best of $ROUNDS alternating rounds; gateway: $n nodes (one per transport,"
  echo "one measured at a time), JVM $GATEWAY_JVM_OPTS; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  print_table 34
  echo
  echo "every round: requests/s (other CPU, server CPU per request)"
  for i in "${PRINT_ORDER[@]}"; do
    printf '  %-32s %s\n' "${LABELS[i]}" "${ROUND_RPS[i]}"
  done
}

# throttle_load OUT SECONDS PORTS_FILE: ThrottleLoad, the limited plan's key round-robin over the
# nodes listed in PORTS_FILE (re-read as it runs); OUT gets "epochSecond 200s 429s others" lines.
throttle_load() {
  "$JAVA" -Xmx256m -cp "$PLATFORM_CP" dev.turnpike.infra.bench.ThrottleLoad "$3" \
    "$BENCH_LIMITED_KEY" /bench/bench/limited/items/1 "$2" "$ACCURACY_CONCURRENCY" "$1" \
    >"$1.log" 2>&1
}

# await_load OUT: waits for the ThrottleLoad writing OUT to have its first answer, and prints the
# epoch second.
await_load() {
  local i
  for i in $(seq 1 600); do
    if [ -f "$1.started" ]; then
      date +%s
      return 0
    fi
    sleep 0.1
  done
  die "ThrottleLoad had no answer within 60 s; see $1.log"
}

# accuracy_table PER_SECOND_FILE START NODES_AT EVENTS: one row per 5-second window from START
# (epoch seconds): admitted/s beside the limit, and for windows more than 5 s from every event
# (epoch seconds, space-separated) whether they are within 10% of it. NODES_AT is "t:n ..." (from
# epoch second t on, the client reaches n nodes).
accuracy_table() {
  awk -v start="$2" -v nodes_at="$3" -v events="$4" -v limit="$ACCURACY_RATE" '
    { ok[$1] = $2; all[$1] = $2 + $3 + $4; last = ($1 > last ? $1 : last) }
    END {
      ne = split(events, ev, " "); nn = split(nodes_at, na, " ")
      printf "%-10s %6s %10s %11s %8s %8s  %s\n", "window", "nodes", "offered/s", "admitted/s", "limit/s", "error", "verdict"
      judged = 0; inside = 0
      for (w = start; w + 5 <= last; w += 5) {
        sum = 0; offered = 0
        for (t = w; t < w + 5; t++) { sum += ok[t]; offered += all[t] }
        rate = sum / 5
        n = "?"
        for (i = 1; i <= nn; i++) { split(na[i], p, ":"); if (p[1] <= w) n = p[2] }
        settling = 0
        for (i = 1; i <= ne; i++) if (ev[i] > w - 5 && ev[i] < w + 5) settling = 1
        err = 100 * (rate - limit) / limit
        verdict = settling ? "settling" : (err >= -10 && err <= 10 ? "ok" : "OUT")
        if (!settling) { judged++; if (verdict == "ok") inside++ }
        printf "%-10s %6s %10.1f %11.1f %8d %+7.1f%%  %s\n", "+" (w - start) "-" (w - start + 5) "s", n, offered / 5, rate, limit, err, verdict
      }
      printf "windows judged: %d, within 10%%: %d\n", judged, inside
    }' "$1"
}

run_throttle_accuracy() {
  start_backend
  start_platform 3 100 100
  local ports=($BENCH_GATEWAY_PORTS) pids=($BENCH_GATEWAY_PIDS) added_port load_pid i
  local start kill_at add_at added_at pinned_start
  free_port added_port
  rm -f "$WORK/expected-exits" "$WORK/add-node" "$WORK/added-node.env" "$WORK"/throttle-*
  printf '%s\n' "${ports[@]}" >"$WORK/lb-ports.txt"
  step "warm-up: ${ACCURACY_WARMUP}s round-robin over the 3 nodes with the limited plan's key"
  throttle_load "$WORK/throttle-warmup.txt" "$ACCURACY_WARMUP" "$WORK/lb-ports.txt" ||
    die "ThrottleLoad failed; see $WORK/throttle-warmup.txt.log"
  step "measuring: ${ACCURACY_DURATION}s round-robin; node 3 killed (kill -9) at ${ACCURACY_KILL_AT}s," \
    "a node added at ${ACCURACY_ADD_AT}s"
  throttle_load "$WORK/throttle-churn.txt" "$ACCURACY_DURATION" "$WORK/lb-ports.txt" &
  load_pid=$!
  STARTED_PIDS+=("$load_pid")
  start=$(await_load "$WORK/throttle-churn.txt")
  sleep "$ACCURACY_KILL_AT"
  # Told first, so the platform does not take the node's end for a failure.
  echo "${pids[2]}" >>"$WORK/expected-exits"
  kill -9 "${pids[2]}"
  kill_at=$(date +%s)
  # The load balancer's health check drops it (the client also skips a node that refuses).
  printf '%s\n' "${ports[0]}" "${ports[1]}" >"$WORK/lb-ports.txt"
  sleep $((ACCURACY_ADD_AT - ACCURACY_KILL_AT))
  echo "$added_port" >"$WORK/add-node"
  add_at=$(date +%s)
  for i in $(seq 1 600); do
    [ -f "$WORK/added-node.env" ] && break
    check_platform
    sleep 0.2
  done
  [ -f "$WORK/added-node.env" ] || die "the added node did not get ready; see $WORK/platform.log"
  # shellcheck disable=SC1091
  . "$WORK/added-node.env"
  added_at=$(date +%s)
  BENCH_GATEWAY_PIDS="$BENCH_GATEWAY_PIDS $BENCH_ADDED_PID"
  printf '%s\n' "${ports[0]}" "${ports[1]}" "$BENCH_ADDED_PORT" >"$WORK/lb-ports.txt"
  step "node 4 ready on port $BENCH_ADDED_PORT after $((added_at - add_at))s; in the rotation"
  wait "$load_pid" || die "ThrottleLoad failed; see $WORK/throttle-churn.txt.log"
  check_platform

  step "pinned client: ${ACCURACY_PINNED_DURATION}s, all traffic to node 1 of 3"
  echo "${ports[0]}" >"$WORK/lb-ports.txt"
  throttle_load "$WORK/throttle-pinned.txt" "$ACCURACY_PINNED_DURATION" "$WORK/lb-ports.txt" &
  load_pid=$!
  STARTED_PIDS+=("$load_pid")
  pinned_start=$(await_load "$WORK/throttle-pinned.txt")
  wait "$load_pid" || die "ThrottleLoad failed; see $WORK/throttle-pinned.txt.log"
  check_platform

  echo
  echo "Throttle accuracy $(date -u +%F): plan throttle $ACCURACY_RATE/s, burst $ACCURACY_BURST, one key;" \
    "Kafka membership (heartbeat 2 s, expiry 4 s), limits shared by observed traffic;" \
    "ThrottleLoad round-robin, $ACCURACY_CONCURRENCY requests in flight"
  echo "events: +0s 3 nodes; +$((kill_at - start))s node 3 killed (kill -9) and out of the rotation;" \
    "+$((add_at - start))s node 4 started; +$((added_at - start))s node 4 ready and in the rotation"
  echo
  accuracy_table "$WORK/throttle-churn.txt" "$start" "$start:3 $kill_at:2 $added_at:3" \
    "$start $kill_at $add_at $added_at"
  echo
  echo "Pinned client: all traffic to node 1 of 3 (nodes 1, 2, 4 alive)"
  accuracy_table "$WORK/throttle-pinned.txt" "$pinned_start" "$pinned_start:1" "$pinned_start"
  echo
  # The last second is cut short by the end of the run: left out.
  awk -v start="$pinned_start" -v limit="$ACCURACY_RATE" '
    $1 >= start + 5 { ok[$1] = $2; last = ($1 > last ? $1 : last) }
    END {
      for (t in ok) if (t < last) { sum += ok[t]; n++ }
      printf "pinned client: admitted %.1f/s of %d/s (%.1f%%) after 5 s of settling\n", sum / n, limit, 100 * sum / n / limit
    }' "$WORK/throttle-pinned.txt"
}

run_profile() {
  start_backend
  start_platform 1 "$KEYS" "$ROUTES" "-XX:FlightRecorderOptions:stackdepth=256"
  local gateway=http://127.0.0.1:${BENCH_GATEWAY_PORTS%% *} pid=${BENCH_GATEWAY_PIDS%% *}
  local recording=$WORK/profile.jfr file=$WORK/wrk-profile.txt
  rm -f "$recording"
  step "$PROFILE_PATH: ${PROFILE_WARMUP}s warm-up"
  wrk_run "$WORK/wrk-profile-warmup.txt" "$gateway" "$PROFILE_PATH" 0 "$PROFILE_WARMUP"
  # JDK 25 samples on CPU time too (jdk.CPUTimeSample), which also sees time in native code and
  # the kernel: socket reads and writes, a large part of a proxy's work.
  local cpu_time_sampling=()
  if [ "$(turnpike_java_major "$JAVA")" -ge 25 ]; then
    cpu_time_sampling=(jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=2ms)
  fi
  step "$PROFILE_PATH: ${PROFILE_DURATION}s with a flight recording (settings=profile" \
    "${cpu_time_sampling[*]:-}) of pid $pid"
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=bench settings=profile filename="$recording" \
    "${cpu_time_sampling[@]}" >"$WORK/jcmd.log" 2>&1 || {
    cat "$WORK/jcmd.log" >&2
    die "could not start the flight recording"
  }
  local ticks other
  cpu_mark
  ticks=$(server_ticks "$pid")
  wrk_run "$file" "$gateway" "$PROFILE_PATH" 0 "$PROFILE_DURATION"
  ticks=$(($(server_ticks "$pid") - ticks))
  other=$(other_cpu_since_mark)
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=bench >>"$WORK/jcmd.log" 2>&1 || {
    cat "$WORK/jcmd.log" >&2
    die "could not stop the flight recording"
  }
  check_platform
  echo
  echo "$PROFILE_PATH under the recording: $(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$file") requests/s," \
    "p50 $(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")") ms," \
    "p99 $(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")") ms," \
    "gateway CPU $(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" \
      -v n="$(awk '/ requests in / { print $1 }' "$file")" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }') us" \
    "per request, other CPU $other; recording: $recording"
  echo
  echo "== jfr view hot-methods"
  "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$recording"
  echo
  echo "== JfrSummary"
  "$JAVA" -cp "$PLATFORM_CP" dev.turnpike.infra.bench.JfrSummary "$recording" 25
}

# The websocket mode's servers, in the order of its table: the bare echo server, then the gateway.
WS_LABELS=("bare Vert.x echo" "gateway WebSocket")
WS_RATE=()
WS_P50=()
WS_P99=()
WS_ERRORS=()
WS_OTHER=()
WS_CPU_US=()
WS_ROUNDS=()
WS_RSS_DELTA=()
WS_HEAP_DELTA=()

# Every idle connection is a file descriptor in the client and in the server: the soft limit is
# raised to the hard one for everything this script starts (the JVMs raise theirs to it as well).
raise_fd_limit() {
  local hard need=$((IDLE_CONNECTIONS + 1000))
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && ((hard < need)); then
    die "BENCH_IDLE_CONNECTIONS=$IDLE_CONNECTIONS needs $need file descriptors per process;" \
      "the hard limit (ulimit -Hn) is $hard"
  fi
  ulimit -n "$hard"
}

start_echo_server() {
  free_port ECHO_PORT "${BENCH_ECHO_PORT:-}"
  local i
  # shellcheck disable=SC2086
  "$JAVA" $WS_SERVER_JVM_OPTS -cp "$PLATFORM_CP" dev.turnpike.infra.bench.WebSocketEchoServer \
    "$ECHO_PORT" >"$WORK/echo-server.log" 2>&1 &
  ECHO_PID=$!
  STARTED_PIDS+=("$ECHO_PID")
  for i in $(seq 1 300); do
    grep -q '^READY' "$WORK/echo-server.log" 2>/dev/null && {
      step "bare Vert.x WebSocket echo server on ws://127.0.0.1:$ECHO_PORT (1 event loop," \
        "JVM $WS_SERVER_JVM_OPTS, pid $ECHO_PID)"
      return 0
    }
    kill -0 "$ECHO_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/echo-server.log" >&2
  die "the echo server did not start on port $ECHO_PORT"
}

# ws_load OUT MODE URL ARGS...: the load client in the background (WRK_PID, so the cleanup stops
# it); the caller waits for its lines.
ws_load() {
  local out=$1
  shift
  # shellcheck disable=SC2086
  "$JAVA" $WS_CLIENT_JVM_OPTS -Dvertx.disableDnsResolver=true -cp "$PLATFORM_CP" \
    dev.turnpike.infra.bench.WebSocketLoad "$@" >"$out" 2>&1 &
  WRK_PID=$!
}

# await_line FILE PATTERN SECONDS: until the load client prints a line starting with PATTERN; an
# error if it prints FAILED, exits or takes longer.
await_line() {
  local file=$1 pattern=$2 i
  for i in $(seq 1 $(($3 * 20))); do
    grep -q "^$pattern" "$file" 2>/dev/null && return 0
    if grep -q '^FAILED' "$file" 2>/dev/null || ! kill -0 "$WRK_PID" 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  cat "$file" >&2
  die "the load client did not print $pattern; see $file"
}

# field FILE LINE NAME: NAME's value on the load client's line starting with LINE.
field() { awk -v line="$2" -v name="$3" '$1 == line { for (i = 2; i <= NF; i++) {
  split($i, kv, "="); if (kv[1] == name) print kv[2] } }' "$1"; }

# ws_measure INDEX ROUND URL SERVER_PID WARMUP_SECONDS: one echo run. The client warms up, drains
# and waits; the server's CPU time is read while it is idle, then the measured run starts, and it
# is read again once the client has drained and exited.
ws_measure() {
  local index=$1 round=$2 url=$3 server=$4 warmup=$5
  local label=${WS_LABELS[$1]} slug out go ticks other rate messages seconds errors cpu_us
  slug=$(echo "$label" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '-')-$round
  out=$WORK/ws-$slug.txt
  go=$WORK/ws-$slug.go
  rm -f "$go"
  step "round $round, $label: ${warmup}s warm-up, then ${DURATION}s measured" \
    "($WS_CONNECTIONS connections x $WS_IN_FLIGHT messages in flight)"
  ws_load "$out" echo --url "$url" --go-file "$go" --connections "$WS_CONNECTIONS" \
    --in-flight "$WS_IN_FLIGHT" --warmup "$warmup" --duration "$DURATION"
  await_line "$out" WARM $((warmup + 120))
  cpu_mark
  ticks=$(server_ticks "$server")
  touch "$go"
  wait "$WRK_PID" || {
    cat "$out" >&2
    die "$label: the load client failed; see $out"
  }
  WRK_PID=""
  ticks=$(($(server_ticks "$server") - ticks))
  other=$(other_cpu_since_mark)
  messages=$(field "$out" RESULT messages)
  seconds=$(field "$out" RESULT seconds)
  errors=$(field "$out" RESULT errors)
  [ -n "$messages" ] && [ -n "$seconds" ] || {
    cat "$out" >&2
    die "$label: no result from the load client"
  }
  if ((errors * 100 > messages)); then
    cat "$out" >&2
    die "$label: $errors of $messages answers were not the message sent; see $out"
  fi
  rate=$(awk -v n="$messages" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  cpu_us=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$messages" \
    'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  WS_ROUNDS[index]="${WS_ROUNDS[index]:-}${WS_ROUNDS[index]:+ / }$rate ($other, ${cpu_us} us)"
  if [ -z "${WS_RATE[index]:-}" ] || ((rate > WS_RATE[index])); then
    WS_RATE[index]=$rate
    WS_P50[index]=$(field "$out" RESULT p50_ms)
    WS_P99[index]=$(field "$out" RESULT p99_ms)
    WS_ERRORS[index]=$errors
    WS_OTHER[index]=$other
    WS_CPU_US[index]=$cpu_us
  fi
}

# Heap used after a full collection (jcmd GC.run, then GC.heap_info), and the resident set, in KiB.
heap_used_kb() {
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null 2>&1 || die "jcmd $1 GC.run failed"
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null |
    awk 'match($0, /used [0-9]+K/) { print substr($0, RSTART + 5, RLENGTH - 6); exit }'
}
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }

# ws_idle INDEX URL SERVER_PID: IDLE_CONNECTIONS connections opened and held without a message;
# the server's heap used (after a full GC) and resident set before and while they are open.
ws_idle() {
  local index=$1 url=$2 server=$3 label=${WS_LABELS[$1]} out go heap0 rss0 heap1 rss1 opened
  out=$WORK/ws-idle-$(echo "$label" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '-').txt
  go=$out.go
  rm -f "$go"
  heap0=$(heap_used_kb "$server")
  rss0=$(rss_kb "$server")
  step "$label: opening $IDLE_CONNECTIONS idle connections from $WS_SOURCE_ADDRESSES source" \
    "address(es); before: heap used $heap0 KiB after GC, RSS $rss0 KiB"
  ws_load "$out" idle --url "$url" --go-file "$go" --connections "$IDLE_CONNECTIONS" \
    --source-addresses "$WS_SOURCE_ADDRESSES"
  await_line "$out" OPEN 600
  opened=$(field "$out" OPEN connections)
  [ "$opened" = "$IDLE_CONNECTIONS" ] || {
    cat "$out" >&2
    die "$label: $opened of $IDLE_CONNECTIONS connections opened"
  }
  # Let the server finish what the handshakes left (usage events sent, buffers released).
  sleep 2
  heap1=$(heap_used_kb "$server")
  rss1=$(rss_kb "$server")
  step "$label: $opened connections open in $(field "$out" OPEN seconds)s; heap used $heap1 KiB" \
    "after GC, RSS $rss1 KiB"
  [ -n "$heap0" ] && [ -n "$heap1" ] || die "$label: no heap figure from jcmd GC.heap_info"
  touch "$go"
  wait "$WRK_PID" || {
    cat "$out" >&2
    die "$label: the load client failed while closing; see $out"
  }
  WRK_PID=""
  WS_HEAP_DELTA[index]=$((heap1 - heap0))
  WS_RSS_DELTA[index]=$((rss1 - rss0))
}

per_connection() { awk -v kb="$1" -v n="$IDLE_CONNECTIONS" 'BEGIN { printf "%.0f", kb * 1024 / n }'; }

run_websocket() {
  raise_fd_limit
  # The platform's smoke checks of the HTTP stages need the backend; the ws stage does not.
  start_backend
  start_platform 1 "$KEYS" "$ROUTES" -XX:+AlwaysPreTouch
  start_echo_server
  local gateway_pid=${BENCH_GATEWAY_PIDS%% *} round warmup i
  local gateway=ws://127.0.0.1:${BENCH_GATEWAY_PORTS%% *}/bench/bench/ws echo=ws://127.0.0.1:$ECHO_PORT/
  local urls=("$echo" "$gateway") pids=("$ECHO_PID" "$gateway_pid")
  step "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
  for round in $(seq 1 "$ROUNDS"); do
    for i in 0 1; do
      # The first round's warm-up is also each JVM's JIT warm-up.
      warmup=$GATEWAY_WARMUP
      ((round > 1)) || warmup=$((JIT_WARMUP + GATEWAY_WARMUP))
      ws_measure "$i" "$round" "${urls[i]}" "${pids[i]}" "$warmup"
    done
    check_platform
  done
  # The gateway first: its connections' usage events must not be what the bare server's figure
  # is read beside. Each server's heap has been through the echo runs, so its young generation's
  # pages are resident before the first figure is read.
  ws_idle 1 "$gateway" "$gateway_pid"
  ws_idle 0 "$echo" "$ECHO_PID"
  check_platform

  echo
  echo "WebSocket benchmark on $(nproc) cores, loopback: load client on 1 event loop, $WS_CONNECTIONS" \
    "connections x $WS_IN_FLIGHT messages in flight, ${DURATION}s runs after a warm-up; best of $ROUNDS rounds"
  echo "servers: 1 event loop each, JVM $WS_SERVER_JVM_OPTS; gateway stage ws (two-way mock route"
  echo "  'echo' answering the message sent, a usage event per message), bare server echoes it back"
  echo
  printf '%-20s %10s %7s %7s %6s %9s %10s %13s %8s\n' "server" "messages/s" "p50 ms" "p99 ms" \
    "errors" "other CPU" "server CPU" "msgs per core" "vs bare"
  for i in 0 1; do
    local versus=""
    ((i == 0)) || versus="$(ratio "${WS_RATE[1]}" "${WS_RATE[0]}")x"
    printf '%-20s %10s %7s %7s %6s %9s %7s us %13s %8s\n' "${WS_LABELS[i]}" "${WS_RATE[i]}" \
      "${WS_P50[i]}" "${WS_P99[i]}" "${WS_ERRORS[i]}" "${WS_OTHER[i]}" "${WS_CPU_US[i]}" \
      "$(awk -v us="${WS_CPU_US[i]}" 'BEGIN { printf "%.0f", (us > 0 ? 1e6 / us : 0) }')" "$versus"
  done
  echo
  echo "every round: messages/s (other CPU, server CPU per message)"
  for i in 0 1; do
    printf '  %-20s %s\n' "${WS_LABELS[i]}" "${WS_ROUNDS[i]}"
  done
  echo "msgs per core: messages per second of the server's own CPU time (1e6 / server CPU us)."
  echo
  echo "$IDLE_CONNECTIONS idle connections to each server (no message sent), memory while they are open"
  echo "minus before; heap used after a full GC (jcmd GC.run, GC.heap_info); RSS from /proc, the heap"
  echo "resident from the start (AlwaysPreTouch), so the RSS delta is memory outside the heap:"
  printf '%-20s %14s %14s %16s %16s\n' "server" "heap delta KiB" "RSS delta KiB" "heap per conn B" \
    "RSS per conn B"
  for i in 1 0; do
    printf '%-20s %14s %14s %16s %16s\n' "${WS_LABELS[i]}" "${WS_HEAP_DELTA[i]}" "${WS_RSS_DELTA[i]}" \
      "$(per_connection "${WS_HEAP_DELTA[i]}")" "$(per_connection "${WS_RSS_DELTA[i]}")"
  done
  echo
  echo "websocket ratio to bare Vert.x: $(ratio "${WS_RATE[1]}" "${WS_RATE[0]}") messages/s," \
    "$(awk -v a="${WS_CPU_US[0]}" -v b="${WS_CPU_US[1]}" 'BEGIN { printf "%.2f", a / b }') per core"
}

# rate_run OUT URL PATH_PREFIX KEYS_FILE RATE SECONDS CONNECTIONS: wrk driving rate.lua, an
# open-loop load at RATE/s (requests due on a fixed schedule, each one's lag behind it measured),
# on the clients' CPU; OUT gets rate.lua's line:
# "requests rate/s non-2xx socket-errors p50 p99 p99.9 max lag-p99 lag-max" (ms).
# measure_run takes the same arguments for the measuring client, at MEASURE_PREFIX's priority.
rate_run() {
  RATE_PREFIX="nice -n $BULKHEAD_NICE" rate_wrk "$@"
}
measure_run() {
  RATE_PREFIX=$MEASURE_PREFIX rate_wrk "$@"
}
rate_wrk() {
  rm -f "$1"
  # shellcheck disable=SC2086 # RATE_PREFIX is a command prefix of several words
  BENCH_KEYS_FILE=$4 BENCH_PATH_PREFIX=$3 BENCH_RATE=$5 BENCH_RESULT=$1 \
    taskset -c "$BULKHEAD_CLIENT_CPU" $RATE_PREFIX wrk -t1 -c"$7" -d"$6s" --timeout 10s \
    -s "$BENCH_DIR/rate.lua" "$2" >"$1.log" 2>&1 || {
    cat "$1.log" >&2
    die "wrk (rate.lua) failed against $2; see $1.log"
  }
  [ -s "$1" ] || {
    cat "$1.log" >&2
    die "rate.lua wrote no result for $2; see $1.log"
  }
}

# pin PID CPU: every thread of PID onto CPU, at the bulkhead mode's nice value.
pin() {
  local tid
  taskset -a -p -c "$2" "$1" >/dev/null
  for tid in $(ls "/proc/$1/task"); do
    renice -n "$BULKHEAD_NICE" -p "$tid" >/dev/null 2>&1 || true
  done
}

# median OF NUMBERS...: the median (the lower middle one of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# nth_field N LINES...: the Nth field of each line.
nth_field() {
  local n=$1
  shift
  printf '%s\n' "$@" | awk -v n="$n" '{ print $n }'
}

# The node's CPU time while a measurement runs, as a percentage of its one core: what the load cost
# it, whatever else the machine was doing (unlike the latencies).
node_cpu_mark() {
  NODE_CPU_TICKS=$(server_ticks "${BENCH_GATEWAY_PIDS%% *}")
  NODE_CPU_TIME=$(date +%s.%N)
}
node_cpu_since_mark() {
  awk -v t="$(($(server_ticks "${BENCH_GATEWAY_PIDS%% *}") - NODE_CPU_TICKS))" -v t0="$NODE_CPU_TIME" \
    -v t1="$(date +%s.%N)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", 100 * t / hz / (t1 - t0) }'
}

run_bulkhead() {
  start_backend
  start_platform 1 "$KEYS" 100
  # The node gets a core of its own (its JIT and GC threads too); the load clients, Kafka and the
  # backend share the other, so what the quiet tenant sees is the node's doing, not the clients'
  # competing for the node's core.
  BULKHEAD_CLIENT_CPU=$(($(nproc) - 1))
  pin "${BENCH_GATEWAY_PIDS%% *}" 0
  pin "$PLATFORM_PID" "$BULKHEAD_CLIENT_CPU"
  local pid
  for pid in "${NGINX_PIDS[backend]}" $(pgrep -P "${NGINX_PIDS[backend]}"); do
    pin "$pid" "$BULKHEAD_CLIENT_CPU"
  done
  WRK_PREFIX="taskset -c $BULKHEAD_CLIENT_CPU nice -n $BULKHEAD_NICE"
  MEASURE_PREFIX="nice -n $BULKHEAD_NICE"
  MEASURE_SCHED="nice $BULKHEAD_NICE, as the rest"
  # shellcheck disable=SC2086 # chrt's arguments are several words
  if [ -n "$BULKHEAD_CLIENT_SCHED" ] && chrt $BULKHEAD_CLIENT_SCHED true 2>/dev/null; then
    MEASURE_PREFIX="chrt $BULKHEAD_CLIENT_SCHED"
    MEASURE_SCHED="chrt $BULKHEAD_CLIENT_SCHED (real-time: it preempts the rest of its core)"
  elif [ -n "$BULKHEAD_CLIENT_SCHED" ]; then
    step "chrt $BULKHEAD_CLIENT_SCHED is not permitted here: the measuring client runs at nice $BULKHEAD_NICE"
  fi
  local quiet=/bench/bench/full noisy_path=$BENCH_NOISY_PATH round noisy_pid
  local selfs=() alone=() beside=() noisy=() line load_before load_after
  local gateway=http://127.0.0.1:${BENCH_GATEWAY_PORTS%% *} direct=http://127.0.0.1:$BACKEND_PORT
  local noisy_keys=$WORK/noisy-key.txt
  echo "$BENCH_NOISY_KEY" >"$noisy_keys"
  step "JIT warm-up: ${BULKHEAD_WARMUP}s of both tenants' traffic"
  rate_run "$WORK/bulk-warm-noisy.txt" "$gateway" "$noisy_path" "$noisy_keys" "$BULKHEAD_NOISY_RATE" \
    "$BULKHEAD_WARMUP" "$BULKHEAD_NOISY_CONNECTIONS" &
  noisy_pid=$!
  STARTED_PIDS+=("$noisy_pid")
  measure_run "$WORK/bulk-warm-quiet.txt" "$gateway" "$quiet" "$BENCH_KEYS_FILE" "$BULKHEAD_QUIET_RATE" \
    "$BULKHEAD_WARMUP" "$BULKHEAD_QUIET_CONNECTIONS"
  wait "$noisy_pid"
  sleep 2
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  step "load before the rounds: $load_before (1, 5, 15 min)"
  for round in $(seq 1 "$BULKHEAD_ROUNDS"); do
    step "round $round: self-check, the client against the backend nginx at $BULKHEAD_QUIET_RATE/s"
    measure_run "$WORK/bulk-self-$round.txt" "$direct" "" "$BENCH_KEYS_FILE" "$BULKHEAD_QUIET_RATE" \
      "$BULKHEAD_DURATION" "$BULKHEAD_QUIET_CONNECTIONS"
    selfs+=("$(cat "$WORK/bulk-self-$round.txt")")
    step "round $round: the bench tenant alone at $BULKHEAD_QUIET_RATE/s for ${BULKHEAD_DURATION}s"
    node_cpu_mark
    measure_run "$WORK/bulk-alone-$round.txt" "$gateway" "$quiet" "$BENCH_KEYS_FILE" \
      "$BULKHEAD_QUIET_RATE" "$BULKHEAD_DURATION" "$BULKHEAD_QUIET_CONNECTIONS"
    alone+=("$(cat "$WORK/bulk-alone-$round.txt") $(node_cpu_since_mark)")
    step "round $round: the same beside the noisy tenant at $BULKHEAD_NOISY_RATE/s"
    # The noisy load starts first and ends last, so it covers the whole measurement.
    rate_run "$WORK/bulk-noisy-$round.txt" "$gateway" "$noisy_path" "$noisy_keys" \
      "$BULKHEAD_NOISY_RATE" $((BULKHEAD_DURATION + 4)) "$BULKHEAD_NOISY_CONNECTIONS" &
    noisy_pid=$!
    STARTED_PIDS+=("$noisy_pid")
    sleep 2
    node_cpu_mark
    measure_run "$WORK/bulk-beside-$round.txt" "$gateway" "$quiet" "$BENCH_KEYS_FILE" \
      "$BULKHEAD_QUIET_RATE" "$BULKHEAD_DURATION" "$BULKHEAD_QUIET_CONNECTIONS"
    beside+=("$(cat "$WORK/bulk-beside-$round.txt") $(node_cpu_since_mark)")
    wait "$noisy_pid"
    noisy+=("$(cat "$WORK/bulk-noisy-$round.txt")")
  done
  step "worst case: the noisy tenant as fast as wrk drives it (-c$CONNECTIONS, its one key)"
  BENCH_KEYS_FILE=$noisy_keys wrk_run "$WORK/bulk-wrk-noisy.txt" "$gateway" "$noisy_path" 0 \
    $((BULKHEAD_DURATION + 4)) &
  noisy_pid=$!
  STARTED_PIDS+=("$noisy_pid")
  sleep 2
  measure_run "$WORK/bulk-beside-wrk.txt" "$gateway" "$quiet" "$BENCH_KEYS_FILE" "$BULKHEAD_QUIET_RATE" \
    "$BULKHEAD_DURATION" "$BULKHEAD_QUIET_CONNECTIONS"
  wait "$noisy_pid"
  check_platform
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)

  local multiple noisy_median
  multiple=$(awk -v a="$BULKHEAD_NOISY_RATE" -v b="$BENCH_NOISY_RATE" 'BEGIN { printf "%.0f", a / b }')
  noisy_median=$(median $(nth_field 2 "${noisy[@]}"))
  echo
  echo "Bulkheads $(date -u '+%F %H:%M') UTC, load average $load_before before the rounds, $load_after after (1, 5, 15 min)"
  echo "one shared gateway node ($EVENT_LOOPS event loop(s), JVM $GATEWAY_JVM_OPTS) pinned to CPU 0; the clients (wrk + rate.lua),"
  echo "Kafka and the backend on CPU $BULKHEAD_CLIENT_CPU; nice $BULKHEAD_NICE. The bench tenant's full chain at $BULKHEAD_QUIET_RATE/s open loop"
  echo "($BULKHEAD_QUIET_CONNECTIONS connections, requests due on a fixed schedule), ${BULKHEAD_DURATION}s per measurement: alone, and beside tenant"
  echo "noisy (throttle $BENCH_NOISY_RATE/s) offered $BULKHEAD_NOISY_RATE/s, ${multiple}x its limit; rounds alternate. Self-check: the same client"
  echo "at the same rate against the backend nginx directly. The measuring client: $MEASURE_SCHED."
  echo "Columns: requests rate/s non-2xx socket-errors p50 p99 p99.9 max lag-p99 lag-max (ms; lag: sent minus when its timer was due),"
  echo "and for the gateway rows the node's CPU while measured (% of its core)"
  for round in $(seq 1 "$BULKHEAD_ROUNDS"); do
    echo "  round $round self-check:    ${selfs[round - 1]}"
    echo "  round $round alone:         ${alone[round - 1]}"
    echo "  round $round beside noisy:  ${beside[round - 1]}"
    echo "  round $round noisy:         ${noisy[round - 1]}"
  done
  echo "  beside noisy under wrk:  $(cat "$WORK/bulk-beside-wrk.txt")   noisy (wrk): $(awk '/Requests\/sec/ { printf "%.0f/s", $2 }' "$WORK/bulk-wrk-noisy.txt")"
  local p99_self p99_alone p99_beside p99_wrk bad invalid
  p99_self=$(median $(nth_field 6 "${selfs[@]}"))
  p99_alone=$(median $(nth_field 6 "${alone[@]}"))
  p99_beside=$(median $(nth_field 6 "${beside[@]}"))
  p99_wrk=$(awk '{ print $6 }' "$WORK/bulk-beside-wrk.txt")
  bad=$(printf '%s\n' "${alone[@]}" "${beside[@]}" | awk '{ s += $3 + $4 } END { print s + 0 }')
  # The figures are the node's only if the client kept to its schedule and the machine let it
  # answer nginx at the same rate within the bar.
  invalid=$(printf '%s\n' "${selfs[@]}" | awk -v bar="$BULKHEAD_SELF_CHECK_MS" '$6 > bar { n++ } END { print n + 0 }')
  invalid=$((invalid + $(printf '%s\n' "${selfs[@]}" "${alone[@]}" "${beside[@]}" |
    awk -v bar="$BULKHEAD_SELF_CHECK_MS" '$9 > bar { n++ } END { print n + 0 }')))
  echo
  echo "bench tenant refused or failed in the open-loop rounds: $bad (must be 0)"
  echo "noisy tenant's requests answered (mostly 429): a median $noisy_median/s of the $BULKHEAD_NOISY_RATE/s offered, $(awk -v a="$noisy_median" -v b="$BENCH_NOISY_RATE" 'BEGIN { printf "%.0f", a / b }')x its limit"
  echo "refusals the node held to pace the noisy tenant (TURNPIKE_GATEWAY_TENANT_REFUSALS_PER_SECOND, default 1000/s): $(refusals_held)"
  if ((invalid)); then
    echo "self-check: NOT VALID, $invalid measurement(s) with a self-check p99 or a lag p99 over ${BULKHEAD_SELF_CHECK_MS} ms: the client or the machine was the bottleneck; repeat at a quieter moment"
  else
    echo "self-check: valid, median p99 ${p99_self} ms against nginx and every lag p99 within ${BULKHEAD_SELF_CHECK_MS} ms"
  fi
  local cpu_alone cpu_beside
  cpu_alone=$(median $(nth_field 11 "${alone[@]}"))
  cpu_beside=$(median $(nth_field 11 "${beside[@]}"))
  awk -v a="$cpu_alone" -v b="$cpu_beside" -v q="$BULKHEAD_QUIET_RATE" -v n="$noisy_median" 'BEGIN {
    printf "node CPU (median): %.1f%% of its core alone (%.0f us a quiet request), %.1f%% beside the noisy tenant (%.1f us a noisy request)\n", a, a * 1e4 / q, b, (b - a) * 1e4 / n
  }'
  awk -v a="$p99_alone" -v b="$p99_beside" -v w="$p99_wrk" -v m="$multiple" 'BEGIN {
    d = 100 * (b - a) / a
    printf "bulkhead: median p99 alone %.2f ms, beside the noisy tenant at %sx its limit %.2f ms: %+.1f%% (%s, bar +20%%)\n", a, m, b, d, (d <= 20 ? "within" : "OVER")
    printf "worst case: beside the noisy tenant driven by wrk as fast as the node answers, p99 %.2f ms (%+.1f%%)\n", w, 100 * (w - a) / a
  }'
}

mkdir -p "$WORK"
install_tools
build
case "$MODE" in
  bench) run_bench ;;
  loops) run_loops ;;
  transport) run_transport ;;
  throttle-accuracy) run_throttle_accuracy ;;
  profile) run_profile ;;
  websocket) run_websocket ;;
  bulkhead) run_bulkhead ;;
esac
