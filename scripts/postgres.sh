#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for the tests, on 127.0.0.1 and a free port, with its data
# directory under a temporary directory. Installs the Debian package first when the server binaries are missing.
#
#   eval "$(scripts/postgres.sh start)"   # prints: export SMS_TEST_POSTGRES_URL=...; export SMS_TEST_POSTGRES_DIR=...
#   scripts/postgres.sh stop              # stops the server started above and deletes its directory
#
# Idempotent: "start" while the server it started is still running prints the same exports again.
# The server trusts local connections (it listens on loopback only, and the cluster is deleted by "stop"); fsync is
# off because the tests kill the writing client, never this server, and a throwaway cluster needs no crash safety.
# SMS_TEST_POSTGRES_FSYNC=on starts it with fsync and full page writes on, as production runs it (the durable-store
# benchmark needs that); give such a second server its own SMS_TEST_POSTGRES_STATE file.
set -euo pipefail

# One server per checkout: two clones (or worktrees) on one machine each start and stop their own.
CHECKOUT="$(cd "$(dirname "$0")/.." && pwd)"
CHECKOUT_ID="$(printf '%s' "$CHECKOUT" | cksum | cut -d' ' -f1)"
STATE_FILE="${SMS_TEST_POSTGRES_STATE:-${TMPDIR:-/tmp}/sms-gateway-test-postgres-$CHECKOUT_ID.state}"

log() { echo "postgres.sh: $*" >&2; }

find_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

ensure_installed() {
  if find_bin_dir >/dev/null; then
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    log "PostgreSQL server binaries are missing and this is not root: install the 'postgresql' package"
    exit 1
  fi
  log "installing the postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  find_bin_dir >/dev/null || { log "postgresql installed but no server binaries under /usr/lib/postgresql"; exit 1; }
}

ensure_user() {
  if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
    log "creating the postgres system user"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

# runs a PostgreSQL tool as the postgres user when we are root (the server refuses to run as root)
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

print_exports() {
  echo "export SMS_TEST_POSTGRES_URL='$1'"
  echo "export SMS_TEST_POSTGRES_DIR='$2'"
}

start() {
  if [[ -f "$STATE_FILE" ]]; then
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    if [[ -n "${PG_DIR:-}" && -d "$PG_DIR/data" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
      log "already running on 127.0.0.1:$PG_PORT"
      print_exports "$PG_URL" "$PG_DIR"
      return 0
    fi
    rm -f "$STATE_FILE"
  fi
  ensure_installed
  ensure_user
  local bin dir port attempt url
  bin="$(find_bin_dir)"
  FSYNC="${SMS_TEST_POSTGRES_FSYNC:-off}"
  [[ "$FSYNC" == on || "$FSYNC" == off ]] || { log "SMS_TEST_POSTGRES_FSYNC must be on or off: $FSYNC"; exit 2; }
  dir="$(mktemp -d "${TMPDIR:-/tmp}/sms-gateway-pg.XXXXXX")"
  chmod 755 "$dir"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres:postgres "$dir"
  fi
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for attempt in $(seq 1 20); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if port_in_use "$port"; then
      continue
    fi
    if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$FSYNC -c full_page_writes=$FSYNC -c max_connections=200" \
        start >&2; then
      url="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
      {
        echo "PG_BIN='$bin'"
        echo "PG_DIR='$dir'"
        echo "PG_PORT='$port'"
        echo "PG_URL='$url'"
      } >"$STATE_FILE"
      log "started PostgreSQL ($("$bin/postgres" --version)) on 127.0.0.1:$port, data in $dir"
      print_exports "$url" "$dir"
      return 0
    fi
    log "port $port failed, trying another"
  done
  log "could not start PostgreSQL; server log:"
  cat "$dir/server.log" >&2 || true
  exit 1
}

stop() {
  if [[ ! -f "$STATE_FILE" ]]; then
    log "nothing to stop"
    return 0
  fi
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >&2 || true
  rm -rf "$PG_DIR"
  rm -f "$STATE_FILE"
  log "stopped and removed $PG_DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
