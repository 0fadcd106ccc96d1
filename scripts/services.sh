#!/usr/bin/env bash
# The services Events.Orleans needs, run as ordinary local processes on 127.0.0.1: the development and CI
# machines have no Docker engine (docker-compose.yml is for real deployments).
#
#   scripts/services.sh install          install what is missing (Debian packages; ClickHouse from npm)
#   scripts/services.sh install-browser  install Debian Chromium if missing (the dashboard test renders in it)
#   scripts/services.sh start [NAME]     start every service, or one; a server already answering on the
#                                        port is reused as it is (and never stopped by this script)
#   scripts/services.sh stop [NAME]      stop what this script started, and nothing else
#   scripts/services.sh restart NAME     stop and start one service this script runs
#   scripts/services.sh status [NAME]    one line per service: up/down, port, started here or external
#   NAME: rabbitmq | redis | postgres | clickhouse
#
# Environment (default):
#   EVENTS_DATA_DIR (<repo>/.events)   data in rabbitmq/ redis/ postgres/ clickhouse/, logs in logs/<NAME>.log,
#                                      what this script started in run/services/<NAME>.state
#   EVENTS_CACHE_DIR (~/.cache/events-orleans)   the ClickHouse library, downloaded once per machine
#   EVENTS_RABBITMQ_PORT (5672)  EVENTS_RABBITMQ_MANAGEMENT_PORT (15672)  EVENTS_RABBITMQ_DIST_PORT (AMQP + 20000)
#   EVENTS_REDIS_PORT (6379)  EVENTS_POSTGRES_PORT (5432)  EVENTS_CLICKHOUSE_HTTP_PORT (8123)
#   EVENTS_SERVICE_TIMEOUT (60)        seconds a service may take to answer after its start
#
# What runs, and with which credentials (everything listens on 127.0.0.1 only):
#   RabbitMQ 3.10 (Debian): its own node events-<port>@localhost, data in $EVENTS_DATA_DIR/rabbitmq, not the
#     Debian default node (/var/lib/rabbitmq); management plugin on the management port. guest/guest.
#   Redis 7.0 (Debian): append-only file in $EVENTS_DATA_DIR/redis. No password.
#   PostgreSQL 15 (Debian): its own cluster in $EVENTS_DATA_DIR/postgres (TCP only, no Unix socket), run as
#     the OS user postgres when we are root (the server refuses root). The project connects as user `events`,
#     password `events`, database `events` (Host=127.0.0.1;Port=$EVENTS_POSTGRES_PORT;Username=events;
#     Password=events;Database=events); the role may create databases. In a cluster this script creates,
#     the superuser `postgres` has the password `events` too. When it reuses a PostgreSQL it did not start, it
#     creates that role and database there if they are missing (as the postgres OS user through the Debian
#     socket, or as postgres/events over TCP), and fails if it cannot.
#   ClickHouse 26.7: chDB's libchdb.so from npm (@chdb/lib-linux-x64-gnu), served over HTTP by
#     scripts/clickhouse-host.py (Debian's clickhouse-server is from 2018 and ClickHouse.Driver cannot talk to
#     it). User `default`, no password. Data in $EVENTS_DATA_DIR/clickhouse. Only the HTTP port is opened.
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
ROOT="$(dirname "$(dirname "$SELF")")"
DATA_DIR="${EVENTS_DATA_DIR:-$ROOT/.events}"
case "$DATA_DIR" in /*) ;; *) DATA_DIR="$PWD/$DATA_DIR" ;; esac # absolute: servers run from other directories
LOG_DIR="$DATA_DIR/logs"
STATE_DIR="$DATA_DIR/run/services"
CACHE_DIR="${EVENTS_CACHE_DIR:-${HOME:-/root}/.cache/events-orleans}"
HOST=127.0.0.1
TIMEOUT="${EVENTS_SERVICE_TIMEOUT:-60}"

RABBITMQ_PORT="${EVENTS_RABBITMQ_PORT:-5672}"
RABBITMQ_MANAGEMENT_PORT="${EVENTS_RABBITMQ_MANAGEMENT_PORT:-15672}"
REDIS_PORT="${EVENTS_REDIS_PORT:-6379}"
POSTGRES_PORT="${EVENTS_POSTGRES_PORT:-5432}"
CLICKHOUSE_PORT="${EVENTS_CLICKHOUSE_HTTP_PORT:-8123}"
RABBITMQ_DIST_PORT="${EVENTS_RABBITMQ_DIST_PORT:-$((RABBITMQ_PORT + 20000))}"

RABBITMQ_BIN=/usr/lib/rabbitmq/bin # the real scripts: /usr/sbin's wrappers would switch to the rabbitmq user
CHDB_PACKAGE=@chdb/lib-linux-x64-gnu
CHDB_VERSION=26.7.3-stable.1
CHDB_LIB="$CACHE_DIR/chdb-$CHDB_VERSION/libchdb.so"
SERVICES=(rabbitmq redis postgres clickhouse)

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------
# Probes
# ---------------------------------------------------------------------------------------------------------

# port_open PORT: something accepts TCP connections on it.
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# RabbitMQ answers the AMQP 0-9-1 protocol header with a method frame (type 1). Used only before reusing an
# unknown server: the broker logs a warning for each connection dropped mid-handshake.
rabbitmq_speaks_amqp() {
  local first
  first="$(timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$1; printf 'AMQP\\x00\\x00\\x09\\x01' >&3; head -c 1 <&3" 2>/dev/null \
    | od -An -tx1 | tr -d ' \n')" || true
  [ "$first" = "01" ]
}
rabbitmq_answers() { port_open "$1"; } # a bare connect, which the broker does not log
redis_answers() { [ "$(timeout 3 redis-cli -h "$HOST" -p "$1" ping 2>/dev/null)" = "PONG" ]; }
postgres_answers() { pg_isready -q -h "$HOST" -p "$1" -t 2 2>/dev/null; }
clickhouse_answers() { [ "$(curl -fsS --max-time 2 "http://$HOST:$1/ping" 2>/dev/null)" = "Ok." ]; }

# port_is_chdb PORT: a chDB process (our ClickHouse, or another host of libchdb.so) listens on PORT. Such a
# server can abort on bytes that are not HTTP (see scripts/clickhouse-host.py), so no other service's probe
# is ever sent to it. Needs ss with process info (root sees every process).
port_is_chdb() {
  local pid
  for pid in $(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
    grep -q libchdb "/proc/$pid/maps" 2>/dev/null && return 0
  done
  return 1
}

# probe NAME PORT: the service NAME answers on PORT.
probe() {
  if [ "$1" != clickhouse ] && port_is_chdb "$2"; then return 1; fi
  "${1}_answers" "$2"
}

service_port() {
  case "$1" in
    rabbitmq) echo "$RABBITMQ_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    postgres) echo "$POSTGRES_PORT" ;;
    clickhouse) echo "$CLICKHOUSE_PORT" ;;
  esac
}

service_port_variable() {
  case "$1" in
    clickhouse) echo EVENTS_CLICKHOUSE_HTTP_PORT ;;
    *) echo "EVENTS_${1^^}_PORT" ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------
# What this script started: run/services/NAME.state holds pid=, port= (and more) of each server it runs.
# Without that file a service is someone else's, and stop leaves it alone.
# ---------------------------------------------------------------------------------------------------------

state_file() { echo "$STATE_DIR/$1.state"; }
has_state() { [ -f "$(state_file "$1")" ]; }
clear_state() { rm -f "$(state_file "$1")"; }
write_state() { local name="$1"; shift; mkdir -p "$STATE_DIR"; printf '%s\n' "$@" >"$(state_file "$name")"; }
state_get() { # state_get NAME KEY: the value, or nothing
  local file
  file="$(state_file "$1")"
  [ -f "$file" ] || return 0
  sed -n "s/^$2=//p" "$file" | head -n 1
}

# The process a pid names must still be ours: after a reboot the pid may belong to something else.
process_matches() {
  local pid="$1" pattern="$2"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"
}

process_pattern() {
  case "$1" in
    rabbitmq) echo beam ;;
    redis) echo redis-server ;;
    postgres) echo postgres ;;
    clickhouse) echo clickhouse-host ;;
  esac
}

ours_alive() { has_state "$1" && process_matches "$(state_get "$1" pid)" "$(process_pattern "$1")"; }

# kill_and_wait PID SECONDS: SIGTERM lets a server flush; SIGKILL if it is still there after SECONDS.
kill_and_wait() {
  local pid="$1" seconds="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < seconds * 4; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  warn "pid $pid did not stop in $seconds s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# fail_start NAME WHY: show the log's tail, stop what was half started, and fail.
fail_start() {
  local name="$1" why="$2" pid
  tail -n 30 "$LOG_DIR/$name.log" >&2 2>/dev/null || true
  pid="$(state_get "$name" pid)"
  [ -n "$pid" ] && process_matches "$pid" "$(process_pattern "$name")" && kill_and_wait "$pid" 10
  clear_state "$name"
  die "$name $why (log: $LOG_DIR/$name.log)"
}

# wait_for NAME PROBE ARGS...: until PROBE succeeds; fails early when the recorded process exits.
wait_for() {
  local name="$1" deadline=$((SECONDS + TIMEOUT)) pid
  shift
  until "$@"; do
    pid="$(state_get "$name" pid)"
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then fail_start "$name" "exited during start-up"; fi
    [ "$SECONDS" -lt "$deadline" ] || fail_start "$name" "did not answer within $TIMEOUT s"
    sleep 0.5
  done
}

# reuse_or_running NAME PROBE: true (and says why) when start has nothing to do for NAME.
reuse_or_running() {
  local name="$1" probe="$2" port
  if ours_alive "$name"; then
    say "$name: already running on $HOST:$(state_get "$name" port) (started by this script, pid $(state_get "$name" pid))"
    return 0
  fi
  clear_state "$name" # a stale record: that process is gone
  port="$(service_port "$name")"
  port_open "$port" || return 1
  if { [ "$name" != clickhouse ] && port_is_chdb "$port"; } || ! "$probe" "$port"; then
    die "$name: port $port is taken by something that is not $name; free it or set $(service_port_variable "$name")"
  fi
  say "$name: reusing the server already on $HOST:$port (not started by this script; stop leaves it running)"
  return 0
}

require_free() { # require_free PORT WHAT VARIABLE
  ! port_open "$1" || die "port $1 ($2) is taken by another process; free it or set $3"
}

# ---------------------------------------------------------------------------------------------------------
# RabbitMQ: a node of our own (events-<port>@localhost) with its own config, cookie, data and ports, so it
# never meets the Debian default node (rabbit@<host>, /var/lib/rabbitmq) that may run on the same machine.
# ---------------------------------------------------------------------------------------------------------

RABBITMQ_DIR="$DATA_DIR/rabbitmq"

# rabbitmq_tool NODE TOOL ARGS...: the RabbitMQ scripts with our node's environment. HOME holds the node's
# Erlang cookie, which rabbitmqctl needs too.
rabbitmq_tool() {
  local node="$1" tool="$2"
  shift 2
  HOME="$RABBITMQ_DIR" \
    RABBITMQ_NODENAME="$node" \
    RABBITMQ_NODE_IP_ADDRESS="$HOST" \
    RABBITMQ_NODE_PORT="$RABBITMQ_PORT" \
    RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT" \
    RABBITMQ_CONF_ENV_FILE="$RABBITMQ_DIR/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$RABBITMQ_DIR/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$RABBITMQ_DIR/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_DIR/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$RABBITMQ_DIR/mnesia" \
    RABBITMQ_LOG_BASE="$RABBITMQ_DIR/log" \
    RABBITMQ_LOGS="$LOG_DIR/rabbitmq.log" \
    RABBITMQ_PID_FILE="$RABBITMQ_DIR/rabbitmq.pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    "$RABBITMQ_BIN/$tool" "$@"
}

rabbitmq_started() { rabbitmq_tool "$1" rabbitmqctl -q -n "$1" await_startup --timeout 5 >/dev/null 2>&1; }

start_rabbitmq() {
  reuse_or_running rabbitmq rabbitmq_speaks_amqp && return 0
  [ -x "$RABBITMQ_BIN/rabbitmq-server" ] || die "rabbitmq-server is not installed: run scripts/services.sh install"
  require_free "$RABBITMQ_MANAGEMENT_PORT" "RabbitMQ management" EVENTS_RABBITMQ_MANAGEMENT_PORT
  require_free "$RABBITMQ_DIST_PORT" "Erlang distribution of the RabbitMQ node" EVENTS_RABBITMQ_DIST_PORT
  local node="events-$RABBITMQ_PORT@localhost" started=$SECONDS pid=""
  mkdir -p "$RABBITMQ_DIR/mnesia" "$RABBITMQ_DIR/log" "$LOG_DIR"
  : >"$RABBITMQ_DIR/rabbitmq-env.conf" # an empty one, so /etc/rabbitmq/rabbitmq-env.conf is not read
  echo '[rabbitmq_management].' >"$RABBITMQ_DIR/enabled_plugins"
  cat >"$RABBITMQ_DIR/rabbitmq.conf" <<CONF
listeners.tcp.1 = $HOST:$RABBITMQ_PORT
management.tcp.ip = $HOST
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
CONF
  rm -f "$RABBITMQ_DIR/rabbitmq.pid"
  rabbitmq_tool "$node" rabbitmq-server -detached >"$RABBITMQ_DIR/startup.log" 2>&1 \
    || { cat "$RABBITMQ_DIR/startup.log" >&2; die "rabbitmq-server -detached failed"; }
  write_state rabbitmq "pid=" "port=$RABBITMQ_PORT" "management_port=$RABBITMQ_MANAGEMENT_PORT" "node=$node"
  # The detached node writes its pid file once the VM runs; record it as soon as it exists.
  local deadline=$((SECONDS + TIMEOUT))
  until rabbitmq_started "$node"; do
    if [ -z "$pid" ] && [ -s "$RABBITMQ_DIR/rabbitmq.pid" ]; then
      pid="$(cat "$RABBITMQ_DIR/rabbitmq.pid")"
      write_state rabbitmq "pid=$pid" "port=$RABBITMQ_PORT" "management_port=$RABBITMQ_MANAGEMENT_PORT" "node=$node"
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then fail_start rabbitmq "exited during start-up"; fi
    [ "$SECONDS" -lt "$deadline" ] || fail_start rabbitmq "did not start within $TIMEOUT s"
    sleep 1
  done
  pid="$(cat "$RABBITMQ_DIR/rabbitmq.pid")"
  write_state rabbitmq "pid=$pid" "port=$RABBITMQ_PORT" "management_port=$RABBITMQ_MANAGEMENT_PORT" "node=$node"
  wait_for rabbitmq rabbitmq_answers "$RABBITMQ_PORT"
  wait_for rabbitmq port_open "$RABBITMQ_MANAGEMENT_PORT"
  say "rabbitmq: started on $HOST:$RABBITMQ_PORT, management http://$HOST:$RABBITMQ_MANAGEMENT_PORT (node $node, pid $pid, $((SECONDS - started)) s)"
}

stop_rabbitmq() {
  local node pid
  node="$(state_get rabbitmq node)"
  pid="$(state_get rabbitmq pid)"
  # rabbitmqctl stop shuts the node down cleanly and waits for its process to exit; it runs through this
  # script again (_rabbitmqctl) so that `timeout` can bound it.
  timeout 90 bash "$SELF" _rabbitmqctl "$node" stop "$RABBITMQ_DIR/rabbitmq.pid" >/dev/null 2>&1 \
    || { warn "rabbitmqctl stop failed; sending SIGTERM"; kill_and_wait "$pid" 30; }
}

# ---------------------------------------------------------------------------------------------------------
# Redis: append-only persistence, so what the cluster stored (membership, reminders) survives a restart.
# ---------------------------------------------------------------------------------------------------------

start_redis() {
  reuse_or_running redis redis_answers && return 0
  command -v redis-server >/dev/null || die "redis-server is not installed: run scripts/services.sh install"
  local dir="$DATA_DIR/redis" started=$SECONDS
  mkdir -p "$dir" "$LOG_DIR"
  rm -f "$dir/redis.pid"
  redis-server --port "$REDIS_PORT" --bind "$HOST" --daemonize yes --dir "$dir" --pidfile "$dir/redis.pid" \
    --logfile "$LOG_DIR/redis.log" --appendonly yes >/dev/null || fail_start redis "did not start"
  wait_for redis test -s "$dir/redis.pid"
  write_state redis "pid=$(cat "$dir/redis.pid")" "port=$REDIS_PORT"
  wait_for redis redis_answers "$REDIS_PORT"
  say "redis: started on $HOST:$REDIS_PORT (pid $(state_get redis pid), $((SECONDS - started)) s)"
}

stop_redis() { kill_and_wait "$(state_get redis pid)" 30; } # SIGTERM: Redis flushes its AOF and exits

# ---------------------------------------------------------------------------------------------------------
# PostgreSQL: a cluster of our own under the data directory, TCP only.
# ---------------------------------------------------------------------------------------------------------

PG_DATA="$DATA_DIR/postgres"
PG_LOG="$LOG_DIR/postgres.log"

# pg_locate: where our cluster lives. Under the data directory, unless (as root) the postgres OS user cannot
# reach it, e.g. a clone under /root: then in postgres's home, named after the data directory, with its log
# linked into the log directory.
pg_locate() {
  PG_DATA="$DATA_DIR/postgres"
  PG_LOG="$LOG_DIR/postgres.log"
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$DATA_DIR" 2>/dev/null; then
    local base
    base="$(getent passwd postgres | cut -d: -f6)/events-$(printf '%s' "$DATA_DIR" | cksum | cut -d' ' -f1)"
    PG_DATA="$base/data"
    PG_LOG="$base/postgres.log"
  fi
}

# The newest installed server (Debian 12: 15), or the version the existing cluster was made with.
pg_bin_dir() {
  local dir
  if [ -s "$PG_DATA/PG_VERSION" ]; then
    dir="/usr/lib/postgresql/$(cat "$PG_DATA/PG_VERSION")/bin"
  else
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)"
  fi
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

# as_postgres CMD...: the server refuses to run as root, so root runs it as the postgres OS user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The role and database the project uses; idempotent.
PG_PROVISION_SQL="DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'events') THEN
    CREATE ROLE events LOGIN CREATEDB PASSWORD 'events';
  ELSE
    ALTER ROLE events LOGIN PASSWORD 'events';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE events OWNER events' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'events')
\\gexec"

postgres_events_login() {
  PGPASSWORD=events PGCONNECT_TIMEOUT=5 psql -h "$HOST" -p "$1" -U events -d events -Atqc 'SELECT 1' >/dev/null 2>&1
}

# postgres_provision PORT [new]: make events/events/events work on the server on PORT, as whichever superuser
# we can be. A cluster just made (new) is provisioned without trying the login first, which it would log.
postgres_provision() {
  local port="$1"
  [ "${2:-}" = new ] || ! postgres_events_login "$port" || return 0
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 && [ -S "/var/run/postgresql/.s.PGSQL.$port" ] \
    && runuser -u postgres -- psql -h /var/run/postgresql -p "$port" -d postgres -Atq -v ON_ERROR_STOP=1 \
      <<<"$PG_PROVISION_SQL" >/dev/null 2>>"$LOG_DIR/postgres-provision.log"; then
    : # a Debian cluster: peer authentication on its socket
  elif PGPASSWORD=events PGCONNECT_TIMEOUT=5 psql -h "$HOST" -p "$port" -U postgres -d postgres -Atq -v ON_ERROR_STOP=1 \
    <<<"$PG_PROVISION_SQL" >/dev/null 2>>"$LOG_DIR/postgres-provision.log"; then
    : # ours, or one made like docker-compose.yml's (POSTGRES_PASSWORD=events)
  fi
  postgres_events_login "$port" && return 0
  die "postgres: the server on $HOST:$port refuses user events (password events) on database events, and this" \
    "script could not create them (log: $LOG_DIR/postgres-provision.log). Create them as a superuser" \
    "(CREATE ROLE events LOGIN CREATEDB PASSWORD 'events'; CREATE DATABASE events OWNER events;)" \
    "or set EVENTS_POSTGRES_PORT to a free port to get a server of our own"
}

start_postgres() {
  mkdir -p "$LOG_DIR" # also makes the data directory, which pg_locate checks
  if reuse_or_running postgres postgres_answers; then
    postgres_provision "$POSTGRES_PORT"
    return 0
  fi
  local bin started=$SECONDS fresh=""
  if [ "$(id -u)" -eq 0 ]; then id postgres >/dev/null 2>&1 || die "the postgres OS user is missing: run scripts/services.sh install"; fi
  pg_locate
  bin="$(pg_bin_dir)" || die "the PostgreSQL server is not installed: run scripts/services.sh install"
  mkdir -p "$PG_DATA"
  touch "$PG_LOG"
  if [ "$(id -u)" -eq 0 ]; then
    if [ "$PG_LOG" != "$LOG_DIR/postgres.log" ]; then # the fallback in postgres's home
      chown postgres: "$(dirname "$PG_DATA")"
      ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
    fi
    chown postgres: "$PG_DATA" "$PG_LOG"
    runuser -u postgres -- test -w "$PG_DATA" || die "the postgres OS user cannot write to $PG_DATA"
  fi
  chmod 700 "$PG_DATA"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    fresh=new
    local pwfile="$PG_DATA.pwfile"
    echo events >"$pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pwfile"; fi
    as_postgres "$bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C \
      --auth-host=scram-sha-256 --auth-local=peer >"$LOG_DIR/postgres-initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$LOG_DIR/postgres-initdb.log" >&2; die "postgres: initdb failed (log: $LOG_DIR/postgres-initdb.log)"; }
    rm -f "$pwfile"
    # Loopback TCP only; no Unix socket, whose path could be too long or collide with another server's.
    printf "listen_addresses = '%s'\nunix_socket_directories = ''\n" "$HOST" >>"$PG_DATA/postgresql.conf"
  fi
  # pg_ctl's own chatter (e.g. "another server might be running" after a crash) goes to postgres-ctl.log.
  as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "-p $POSTGRES_PORT" -w -t "$TIMEOUT" start \
    >"$LOG_DIR/postgres-ctl.log" 2>&1 || { cat "$LOG_DIR/postgres-ctl.log" >&2; fail_start postgres "did not start"; }
  write_state postgres "pid=$(head -n 1 "$PG_DATA/postmaster.pid")" "port=$POSTGRES_PORT" "data=$PG_DATA"
  wait_for postgres postgres_answers "$POSTGRES_PORT"
  postgres_provision "$POSTGRES_PORT" "$fresh"
  say "postgres: started on $HOST:$POSTGRES_PORT, database events, user events/events (pid $(state_get postgres pid), $((SECONDS - started)) s)"
}

stop_postgres() {
  local bin
  PG_DATA="$(state_get postgres data)"
  # A fast shutdown: rolls back open transactions, checkpoints, exits.
  if [ -n "$PG_DATA" ] && bin="$(pg_bin_dir)" \
    && as_postgres "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >"$LOG_DIR/postgres-ctl.log" 2>&1; then
    return 0
  fi
  warn "pg_ctl stop failed; sending SIGTERM"
  kill_and_wait "$(state_get postgres pid)" 30
}

# ---------------------------------------------------------------------------------------------------------
# ClickHouse: scripts/clickhouse-host.py serves HTTP from the chDB library (see its docstring for why).
# ---------------------------------------------------------------------------------------------------------

start_clickhouse() {
  reuse_or_running clickhouse clickhouse_answers && return 0
  [ -s "$CHDB_LIB" ] || die "ClickHouse is not installed ($CHDB_LIB is missing): run scripts/services.sh install"
  command -v python3 >/dev/null || die "python3 is needed to host ClickHouse"
  local dir="$DATA_DIR/clickhouse" started=$SECONDS
  mkdir -p "$dir" "$LOG_DIR"
  # Its own session, no terminal, no stdin: it outlives this script and the shell that ran it.
  nohup setsid python3 "$ROOT/scripts/clickhouse-host.py" "$CHDB_LIB" "$dir" "$CLICKHOUSE_PORT" "$HOST" \
    >"$LOG_DIR/clickhouse.log" 2>&1 </dev/null &
  write_state clickhouse "pid=$!" "port=$CLICKHOUSE_PORT"
  wait_for clickhouse clickhouse_answers "$CLICKHOUSE_PORT"
  say "clickhouse: started on http://$HOST:$CLICKHOUSE_PORT (pid $(state_get clickhouse pid), $((SECONDS - started)) s)"
}

stop_clickhouse() { kill_and_wait "$(state_get clickhouse pid)" 30; } # MergeTree data is safe even on SIGKILL

# ---------------------------------------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------------------------------------

apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "installing $* needs root"
    sudo=(sudo)
  fi
  mkdir -p "$LOG_DIR"
  say "installing $* (Debian packages)"
  # A fresh machine has no package lists: install fails with "Unable to locate package" before an update.
  { "${sudo[@]}" apt-get update -q && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } \
    >>"$LOG_DIR/install.log" 2>&1 || { tail -n 30 "$LOG_DIR/install.log" >&2; die "apt-get install $* failed (log: $LOG_DIR/install.log)"; }
}

install_clickhouse() {
  command -v npm >/dev/null || die "npm is needed to download ClickHouse ($CHDB_PACKAGE)"
  say "installing ClickHouse $CHDB_VERSION (npm $CHDB_PACKAGE, a 178 MB download, kept in $CACHE_DIR)"
  mkdir -p "$CACHE_DIR" "$LOG_DIR"
  local tmp
  tmp="$(mktemp -d "$CACHE_DIR/.download.XXXXXX")"
  # A private npm cache, removed afterwards: the library is kept once, here, not also in ~/.npm.
  if ! (cd "$tmp" && npm pack "$CHDB_PACKAGE@$CHDB_VERSION" --cache "$tmp/npm-cache" --loglevel=error) >>"$LOG_DIR/install.log" 2>&1 \
    || ! tar xzf "$tmp/chdb-lib-linux-x64-gnu-$CHDB_VERSION.tgz" -C "$tmp" package/libchdb.so >>"$LOG_DIR/install.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 20 "$LOG_DIR/install.log" >&2
    die "could not download ClickHouse from npm (log: $LOG_DIR/install.log)"
  fi
  mkdir -p "$(dirname "$CHDB_LIB")"
  mv "$tmp/package/libchdb.so" "$CHDB_LIB" # a rename: a partial download is never taken for the library
  rm -rf "$tmp"
}

cmd_install() {
  local packages=()
  [ -x "$RABBITMQ_BIN/rabbitmq-server" ] || packages+=(rabbitmq-server)
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then packages+=(redis-server); fi
  pg_bin_dir >/dev/null || packages+=(postgresql)
  if ! command -v psql >/dev/null || ! command -v pg_isready >/dev/null; then packages+=(postgresql-client); fi
  command -v curl >/dev/null || packages+=(curl)
  command -v python3 >/dev/null || packages+=(python3)
  if [ "${#packages[@]}" -gt 0 ]; then apt_install "${packages[@]}"; fi
  [ -s "$CHDB_LIB" ] || install_clickhouse
}

# ---------------------------------------------------------------------------------------------------------
# start / stop / restart / status
# ---------------------------------------------------------------------------------------------------------

stop_one() {
  local name="$1" pid
  if ! has_state "$name"; then
    if port_open "$(service_port "$name")"; then
      say "$name: not started by this script; leaving it running"
    else
      say "$name: not running"
    fi
    return 0
  fi
  pid="$(state_get "$name" pid)"
  if ours_alive "$name"; then
    "stop_$name"
    say "$name: stopped (pid $pid)"
  else
    say "$name: was not running"
  fi
  clear_state "$name"
}

restart_one() {
  local name="$1"
  if ! has_state "$name" && port_open "$(service_port "$name")"; then
    die "$name on $HOST:$(service_port "$name") was not started by this script: not restarting it"
  fi
  stop_one "$name"
  "start_$name"
}

status_one() {
  local name="$1" port up=down who="" extra=""
  if has_state "$name"; then port="$(state_get "$name" port)"; else port="$(service_port "$name")"; fi
  probe "$name" "$port" && up=up
  if ours_alive "$name"; then
    who="started by this script (pid $(state_get "$name" pid))"
  elif has_state "$name"; then
    who="started by this script, but its process is gone"
  elif [ "$up" = up ]; then
    who="external (not started by this script)"
  fi
  if [ "$name" = rabbitmq ]; then
    local mport="${RABBITMQ_MANAGEMENT_PORT}"
    has_state rabbitmq && mport="$(state_get rabbitmq management_port)"
    if port_open "$mport"; then extra="management :$mport up"; else extra="management :$mport down"; fi
  fi
  printf '%-11s %-5s %-16s %s%s\n' "$name" "$up" "$HOST:$port" "$who" "${extra:+  ($extra)}"
}

# names NAME...: the services named, or all of them; rejects unknown names.
names() {
  if [ $# -eq 0 ]; then printf '%s\n' "${SERVICES[@]}"; return; fi
  local n
  for n in "$@"; do
    case " ${SERVICES[*]} " in *" $n "*) echo "$n" ;; *) die "unknown service '$n' (one of: ${SERVICES[*]})" ;; esac
  done
}

check_ports() {
  local p
  for p in "$RABBITMQ_PORT" "$RABBITMQ_MANAGEMENT_PORT" "$RABBITMQ_DIST_PORT" "$REDIS_PORT" "$POSTGRES_PORT" "$CLICKHOUSE_PORT"; do
    if ! [[ "$p" =~ ^[0-9]+$ ]] || [ "$p" -eq 0 ] || [ "$p" -gt 65535 ]; then
      die "not a TCP port: '$p' (check the EVENTS_*_PORT variables)"
    fi
  done
  [[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "EVENTS_SERVICE_TIMEOUT must be a number of seconds"
}

usage() { sed -n '5,11p' "$SELF" | sed 's/^# \{0,1\}//'; exit 2; }

main() {
  local cmd="${1:-}" name list
  [ $# -gt 0 ] && shift
  check_ports
  case "$cmd" in
    install) cmd_install ;;
    install-browser) [ -x /usr/bin/chromium ] || apt_install chromium ;;
    start)
      list="$(names "$@")"
      for name in $list; do "start_$name"; done
      ;;
    stop)
      # In reverse order of start.
      list="$(names "$@" | tac)"
      for name in $list; do stop_one "$name"; done
      ;;
    restart)
      [ $# -eq 1 ] || die "restart takes one service name (${SERVICES[*]})"
      list="$(names "$1")"
      restart_one "$list"
      ;;
    status)
      list="$(names "$@")"
      for name in $list; do status_one "$name"; done
      ;;
    _rabbitmqctl) # internal: rabbitmqctl against our node, with its environment (used by stop)
      local node="$1"; shift
      rabbitmq_tool "$node" rabbitmqctl -n "$node" "$@"
      ;;
    *) usage ;;
  esac
}

main "$@"
