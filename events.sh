#!/usr/bin/env bash
# Events.Orleans: one entry point for running, testing and measuring the cluster locally.
#   ./events.sh up [--silos N] [--separate-api]
#                                install what is missing, start services + cluster, wait until healthy; one silo
#                                runs inside the Api's process unless --separate-api (--silos 2+: processes of their own)
#   ./events.sh down             stop the cluster and the services this script started
#   ./events.sh status           what runs where
#   ./events.sh test             build and run every test (starts the services it needs)
#   ./events.sh logs [name]      follow the cluster's logs (silo-1, api, ...)
#   ./events.sh send [--count N] send a sample batch through the gRPC front door
#   ./events.sh dlq list|replay  show dead letters and why; send them back into the pipeline after a fix
#   ./events.sh dlq export --to FILE [--limit N]  move dead letters no replay will store into a file
#   ./events.sh bench [options]  benchmark the running cluster (~3.5 min; --help for options; Bench/results/latest.json)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export EVENTS_DATA_DIR="${EVENTS_DATA_DIR:-$ROOT/.events}"
RUN_DIR="$EVENTS_DATA_DIR/run"
LOG_DIR="$EVENTS_DATA_DIR/logs"
CONFIGURATION="${EVENTS_CONFIGURATION:-Release}"
GRPC_PORT="${EVENTS_GRPC_PORT:-8017}"
HTTP_PORT="${EVENTS_HTTP_PORT:-8019}"
SILO_PORT="${EVENTS_SILO_PORT:-11111}"
GATEWAY_PORT="${EVENTS_GATEWAY_PORT:-30000}"
METRICS_PORT="${EVENTS_METRICS_PORT:-8021}"   # silo i serves /metrics on METRICS_PORT + i - 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

services() { bash "$ROOT/scripts/services.sh" "$@"; }

build() {
  say "building ($CONFIGURATION)"
  dotnet build "$ROOT/Events.Orleans.sln" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >"$LOG_DIR/build.log" 2>&1 \
    || { cat "$LOG_DIR/build.log"; die "build failed (log: $LOG_DIR/build.log)"; }
}

# start_process NAME DLL [ENV=VALUE...]: runs our own process in the background with a pid and log file.
start_process() {
  local name="$1" dll="$2"; shift 2
  if is_running "$name"; then say "$name already running (pid $(cat "$RUN_DIR/$name.pid"))"; return; fi
  ( cd "$(dirname "$dll")" && exec env "$@" nohup dotnet "$dll" >"$LOG_DIR/$name.log" 2>&1 ) &
  echo $! >"$RUN_DIR/$name.pid"
}

is_running() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

# in_api_process NAME: the silo NAME runs inside the Api's process (same pid), so its log is the Api's.
in_api_process() {
  [[ "$1" == silo-* ]] && [ -f "$RUN_DIR/$1.pid" ] && [ -f "$RUN_DIR/api.pid" ] && [ "$(cat "$RUN_DIR/$1.pid")" = "$(cat "$RUN_DIR/api.pid")" ]
}

# stop_process NAME: SIGTERM lets a silo flush its sinks and leave the cluster; SIGKILL after 30 s.
stop_process() {
  local name="$1" pid
  [ -f "$RUN_DIR/$name.pid" ] || return 0
  pid="$(cat "$RUN_DIR/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { say "$name did not stop in 30 s; killing"; kill -KILL "$pid" 2>/dev/null || true; }
    say "stopped $name"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

wait_ready() {
  local deadline=$((SECONDS + ${1:-120}))
  until curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1; do
    for pidfile in "$RUN_DIR"/*.pid; do
      [ -e "$pidfile" ] || continue
      local name; name="$(basename "$pidfile" .pid)"
      is_running "$name" || { tail -n 30 "$LOG_DIR/$name.log" >&2; die "$name exited during start-up (log: $LOG_DIR/$name.log)"; }
    done
    [ $SECONDS -lt $deadline ] || die "the cluster was not ready within ${1:-120} s (logs: $LOG_DIR)"
    sleep 1
  done
}

# silo_env I: sets SILO_ENV to silo I's ports (each base port + I - 1) and the primary silo's.
silo_env() {
  SILO_ENV=("Events__Cluster__SiloPort=$((SILO_PORT + $1 - 1))" "Events__Cluster__GatewayPort=$((GATEWAY_PORT + $1 - 1))"
    "Events__Metrics__Port=$((METRICS_PORT + $1 - 1))" "Events__Cluster__PrimarySiloPort=$SILO_PORT")
}

# require_same_shape SILOS SEPARATE_API: refuses, before starting anything, to add processes of the other shape to a
# running cluster. The one-process silo clusters on localhost and separate silos through Redis: mixed, they would make
# two clusters that both consume the same queues.
require_same_shape() {
  local silos="$1" separate_api="$2"
  if [ "$silos" -eq 1 ] && [ "$separate_api" -eq 0 ]; then
    if is_running silo-1 && ! in_api_process silo-1; then
      die "a silo runs in a process of its own: ./events.sh down first, or up --separate-api"
    fi
  elif is_running api && in_api_process silo-1; then
    die "the Api runs the only silo in its own process: ./events.sh down first, then up --silos $silos$([ "$separate_api" -eq 1 ] && echo " --separate-api")"
  fi
}

cmd_up() {
  local silos=1 separate_api=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --silos) silos="${2:?--silos needs a number}"; shift 2 ;;
      --separate-api) separate_api=1; shift ;;
      *) die "unknown option for up: $1" ;;
    esac
  done
  [[ "$silos" =~ ^[1-9][0-9]?$ ]] || die "--silos takes a number from 1 to 99"
  require_same_shape "$silos" "$separate_api"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  services install
  services start
  build
  # One silo clusters on localhost; several find each other through Redis membership.
  local provider=Localhost
  [ "$silos" -gt 1 ] && provider=Redis
  local cluster=("Events__Cluster__Provider=$provider" "Events__Cluster__RedisConnectionString=127.0.0.1:${EVENTS_REDIS_PORT:-6379}"
    "Events__RabbitMq__Port=${EVENTS_RABBITMQ_PORT:-5672}" "Events__ClickHouse__Port=${EVENTS_CLICKHOUSE_HTTP_PORT:-8123}")
  local api_ports=("Events__Api__GrpcPort=$GRPC_PORT" "Events__Api__HttpPort=$HTTP_PORT") i
  if [ "$silos" -eq 1 ] && [ "$separate_api" -eq 0 ]; then
    # One machine, one silo: the Api runs it in its own process (Events:Api:HostSilo), a hop less per call.
    silo_env 1
    start_process api "$ROOT/Api/bin/$CONFIGURATION/net10.0/Api.dll" "${cluster[@]}" "${SILO_ENV[@]}" "${api_ports[@]}" \
      "Events__Api__HostSilo=true"
    cp "$RUN_DIR/api.pid" "$RUN_DIR/silo-1.pid"   # status, bench and down find the silo in the Api's process
    rm -f "$LOG_DIR"/silo-*.log                   # a separate silo's log of an earlier start would mislead
    say "waiting for the cluster (the Api hosting the silo)"
  else
    # Silos and the Api as a client of theirs, as in docker-compose.yml.
    for i in $(seq 1 "$silos"); do
      silo_env "$i"
      start_process "silo-$i" "$ROOT/Silo/bin/$CONFIGURATION/net10.0/Silo.dll" "${cluster[@]}" "${SILO_ENV[@]}"
    done
    start_process api "$ROOT/Api/bin/$CONFIGURATION/net10.0/Api.dll" "${cluster[@]}" "Events__Cluster__GatewayPort=$GATEWAY_PORT" \
      "${api_ports[@]}"
    say "waiting for the cluster ($silos silo(s) + api)"
  fi
  wait_ready 120
  cat <<INFO
Events.Orleans is up.
  gRPC dispatch    127.0.0.1:$GRPC_PORT   (/event.EventService/dispatch)
  HTTP             http://127.0.0.1:$HTTP_PORT   (/healthz, /readyz)
  Silo metrics     http://127.0.0.1:$METRICS_PORT/metrics$([ "$silos" -gt 1 ] && echo " (silo i: port $METRICS_PORT + i - 1)")
  ClickHouse       http://127.0.0.1:${EVENTS_CLICKHOUSE_HTTP_PORT:-8123}   database 'events'
  RabbitMQ         amqp://127.0.0.1:${EVENTS_RABBITMQ_PORT:-5672}   management http://127.0.0.1:${EVENTS_RABBITMQ_MANAGEMENT_PORT:-15672} (guest/guest)
  Logs             $LOG_DIR   (./events.sh logs)
INFO
}

cmd_down() {
  stop_process api
  for pidfile in "$RUN_DIR"/silo-*.pid; do
    [ -e "$pidfile" ] && stop_process "$(basename "$pidfile" .pid)"
  done
  services stop
}

cmd_status() {
  services status
  for pidfile in "$RUN_DIR"/*.pid; do
    [ -e "$pidfile" ] || continue
    local name; name="$(basename "$pidfile" .pid)"
    if ! is_running "$name"; then echo "$name: not running"
    elif in_api_process "$name"; then echo "$name: running in the Api's process (pid $(cat "$pidfile"))"
    else echo "$name: running (pid $(cat "$pidfile"))"; fi
  done
  if curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1; then echo "cluster: ready"; else echo "cluster: not ready"; fi
}

cmd_test() {
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  services install
  services install-browser
  services start
  build
  say "running tests"
  local out="$LOG_DIR/tests.log" status=0
  dotnet "$ROOT/Tests/bin/$CONFIGURATION/net10.0/Tests.dll" -parallelMode none -noColor "$@" 2>&1 | tee "$out" || status=$?
  # xunit prints "Total: N, Errors: E, Failed: F, Skipped: S"; CI reads "tests: P passed, F failed".
  local summary total errors failed skipped
  summary="$(grep -E 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+' "$out" | tail -n 1 || true)"
  [ -n "$summary" ] || { echo "tests: 0 passed, 1 failed"; die "the test runner printed no summary (log: $out)"; }
  total="$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$summary")"
  errors="$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$summary")"
  failed="$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$summary")"
  skipped="$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$summary")"
  echo "tests: $((total - failed - skipped)) passed, $((failed + errors)) failed"
  [ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$errors" -eq 0 ]
}

cmd_logs() {
  local name="${1:-}"
  in_api_process "$name" && name=api
  if [ -n "$name" ]; then tail -n 100 -F "$LOG_DIR/$name.log"; else tail -n 20 -F "$LOG_DIR"/*.log; fi
}

# cli ARGS...: the operator tool (Cli/), pointed at this script's ports.
cli() {
  local dll="$ROOT/Cli/bin/$CONFIGURATION/net10.0/Cli.dll"
  [ -f "$dll" ] || { mkdir -p "$LOG_DIR"; build; }
  EVENTS_GRPC_URL="http://127.0.0.1:$GRPC_PORT" \
    EVENTS_RABBITMQ_URI="amqp://guest:guest@127.0.0.1:${EVENTS_RABBITMQ_PORT:-5672}/" dotnet "$dll" "$@"
}

cmd_bench() {
  # Builds the benchmark (only Bench/ and the contract) when its sources are newer than its build, then drives the
  # running cluster on this script's ports. Default run: ~3.5 minutes (30 s warm-up per phase), results in Bench/results/latest.json.
  local dll="$ROOT/Bench/bin/$CONFIGURATION/net10.0/Bench.dll"
  mkdir -p "$LOG_DIR"
  if [ ! -f "$dll" ] || [ -n "$(find "$ROOT/Bench" "$ROOT/Protos" "$ROOT/Directory.Packages.props" -newer "$dll" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' -o -name '*.props' \) -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null | head -n 1)" ]; then
    say "building the benchmark ($CONFIGURATION)"
    dotnet build "$ROOT/Bench/Bench.csproj" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >"$LOG_DIR/bench-build.log" 2>&1 \
      || { cat "$LOG_DIR/bench-build.log"; die "benchmark build failed (log: $LOG_DIR/bench-build.log)"; }
  fi
  # Each running silo's /metrics (silo i serves METRICS_PORT + i - 1), for its GC pauses in the report.
  local silo_metrics=() pidfile n
  for pidfile in "$RUN_DIR"/silo-*.pid; do
    [ -e "$pidfile" ] || continue
    n="${pidfile##*/silo-}"; n="${n%.pid}"
    silo_metrics+=(--silo-metrics "http://127.0.0.1:$((METRICS_PORT + n - 1))/metrics")
  done
  dotnet "$dll" --grpc "http://127.0.0.1:$GRPC_PORT" \
    --clickhouse "http://127.0.0.1:${EVENTS_CLICKHOUSE_HTTP_PORT:-8123}" \
    --rabbitmq "amqp://guest:guest@127.0.0.1:${EVENTS_RABBITMQ_PORT:-5672}/" \
    --rabbitmq-management "http://127.0.0.1:${EVENTS_RABBITMQ_MANAGEMENT_PORT:-15672}/" \
    --run-dir "$RUN_DIR" --output "$ROOT/Bench/results/latest.json" "${silo_metrics[@]}" "$@"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down ;;
  status) shift; cmd_status ;;
  test) shift; cmd_test "$@" ;;
  logs) shift; cmd_logs "$@" ;;
  send) shift; cli send "$@" ;;
  dlq) shift; cli dlq "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
