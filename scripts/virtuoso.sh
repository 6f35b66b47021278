#!/usr/bin/env bash
# A throwaway Virtuoso Open Source server on loopback, for the remote-store tests and for trying
# factgraph against a SPARQL server (FACTGRAPH_STORE=sparql+http://127.0.0.1:PORT/sparql).
#
#   scripts/virtuoso.sh install                 apt-get install virtuoso-opensource if missing
#   scripts/virtuoso.sh start [DIR] [HTTP] [SQL] install if needed, write DIR/virtuoso.ini,
#                                               start, wait until /sparql answers, grant updates
#   scripts/virtuoso.sh stop [DIR]              shut the server in DIR down (waits for it)
#   scripts/virtuoso.sh status [DIR]            exit 0 when the server in DIR answers
#
# DIR defaults to $VIRTUOSO_DIR or var/virtuoso; HTTP and SQL (the ISQL port) to
# $VIRTUOSO_HTTP_PORT or 8890 and $VIRTUOSO_SQL_PORT or 1111. Both listen on 127.0.0.1 only.
# $VIRTUOSO_MAX_ROWS sets [SPARQL] ResultSetMaxRows (default 1,000,000; Virtuoso's own 10,000).
# The database files, the log and the ini live in DIR; nothing of Debian's own instance
# (/etc/virtuoso-opensource-7, /var/lib/virtuoso-opensource-7) is used or started.
#
# The dba password stays Virtuoso's default ("dba"): the server is reachable from this machine
# only, and it is for tests and trials. The anonymous SPARQL user is granted SPARQL_UPDATE so
# that factgraph can write through /sparql and /sparql-graph-crud without credentials.
# Idempotent: `start` on a running server only re-grants; `install` is quick when installed.
set -euo pipefail

VIRTUOSO=/usr/bin/virtuoso-t
ISQL=/usr/bin/isql-vt
PACKAGE=virtuoso-opensource
READY_SECONDS=${VIRTUOSO_READY_SECONDS:-120}

say() { echo "virtuoso.sh: $*" >&2; }
die() { say "$*"; exit 1; }

install() {
  if [ -x "$VIRTUOSO" ] && [ -x "$ISQL" ]; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "$VIRTUOSO is missing and installing it needs root;
  run as root, or install sudo, or run: apt-get install -y $PACKAGE"
    sudo="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 \
    || die "$VIRTUOSO is missing and apt-get is not available; install Virtuoso Open Source 7"
  say "installing $PACKAGE (Debian's Virtuoso Open Source 7)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  # Recommends (the conductor, the start page) are web UIs the tests do not need. The package's
  # own service is left stopped (its postinst disables it while the dba password is default).
  $sudo apt-get install -y -q --no-install-recommends "$PACKAGE"
  [ -x "$VIRTUOSO" ] && [ -x "$ISQL" ] || die "$PACKAGE was installed but $VIRTUOSO is missing"
}

# Run one SQL statement as dba over the ISQL port; its output goes to stderr on failure.
# An error matching $2 (an extended regex) counts as done: e.g. a role already granted.
sql() {
  local out
  if ! out=$("$ISQL" "127.0.0.1:$SQL_PORT" dba dba "exec=$1" 2>&1); then
    say "isql failed on: $1"; echo "$out" >&2; return 1
  fi
  if grep -q '\*\*\* Error' <<<"$out" && ! grep -Eq "${2:-^$}" <<<"$out"; then
    say "isql error on: $1"; echo "$out" >&2; return 1
  fi
}

answers() {
  # The SPARQL endpoint answers a trivial ASK: the server is up and its RDF store initialised.
  curl_or_python "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D"
}

curl_or_python() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -m 5 -o /dev/null "$1" 2>/dev/null
  else
    python3 - "$1" <<'EOF' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=5).read()
EOF
  fi
}

pid_of() {
  # Virtuoso writes VIRT_PID=<pid> into its lock file while it runs.
  local lock="$DIR/db/virtuoso.lck"
  [ -f "$lock" ] || return 1
  local pid
  pid=$(sed -n 's/^VIRT_PID=\([0-9]*\).*/\1/p' "$lock")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

write_ini() {
  mkdir -p "$DIR/db" "$DIR/vsp"
  local db
  db=$(cd "$DIR/db" && pwd)
  cat >"$DIR/virtuoso.ini" <<EOF
; Written by scripts/virtuoso.sh: a loopback-only Virtuoso for factgraph's tests and trials.
[Database]
DatabaseFile       = $db/virtuoso.db
ErrorLogFile       = $db/virtuoso.log
LockFile           = $db/virtuoso.lck
TransactionFile    = $db/virtuoso.trx
xa_persistent_file = $db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $db/virtuoso-temp.db
TransactionFile    = $db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:$SQL_PORT
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
DirsAllowed          = ., $db
ThreadCleanupInterval = 0
ThreadThreshold      = 10
ResourcesCleanupInterval = 0
SingleCPU            = 0
NumberOfBuffers      = 20000
MaxDirtyBuffers      = 15000
MaxQueryMem          = 1G
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = 127.0.0.1:$HTTP_PORT
ServerRoot           = $DIR/vsp
MaxClientConnections = 10
DavRoot              = DAV
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
HTTPThreadSize       = 280000
Charset              = UTF-8
EnabledGzipContent   = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:$HTTP_PORT

[SPARQL]
; factgraph exports and lists through SELECT/CONSTRUCT: no silent 10,000-row cut here.
ResultSetMaxRows           = ${VIRTUOSO_MAX_ROWS:-1000000}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 300
EOF
}

start() {
  install
  if pid=$(pid_of); then
    answers || die "a server runs in $DIR (pid $pid) but does not answer on port $HTTP_PORT"
    say "already running in $DIR (pid $pid, http://127.0.0.1:$HTTP_PORT/sparql)"
  else
    write_ini
    rm -f "$DIR/db/virtuoso.lck"
    (cd "$DIR/db" && "$VIRTUOSO" +configfile "$DIR/virtuoso.ini" +wait) >"$DIR/start.log" 2>&1 \
      || { tail -20 "$DIR/db/virtuoso.log" >&2 2>/dev/null; die "virtuoso-t did not start"; }
    local deadline=$((SECONDS + READY_SECONDS))
    until answers; do
      if [ $SECONDS -ge $deadline ] || ! pid_of >/dev/null; then
        tail -20 "$DIR/db/virtuoso.log" >&2 2>/dev/null || true
        die "Virtuoso in $DIR did not answer on http://127.0.0.1:$HTTP_PORT/sparql"
      fi
      sleep 0.5
    done
  fi
  # SPARQL_UPDATE lets the anonymous endpoint user write (SPARQL Update and the Graph Store
  # Protocol at /sparql-graph-crud); without it Virtuoso answers writes with 403/500.
  sql 'grant SPARQL_UPDATE to "SPARQL";' 'already have role'
  say "ready: http://127.0.0.1:$HTTP_PORT/sparql (isql 127.0.0.1:$SQL_PORT, files in $DIR)"
}

stop() {
  local pid
  if ! pid=$(pid_of); then
    say "not running in $DIR"
    return 0
  fi
  # A clean shutdown checkpoints the database; a kill is the fallback if ISQL cannot connect.
  "$ISQL" "127.0.0.1:$SQL_PORT" dba dba -K >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  say "stopped (pid $pid)"
}

status() {
  local pid
  pid=$(pid_of) || { say "not running in $DIR"; return 1; }
  answers || { say "pid $pid in $DIR does not answer on port $HTTP_PORT"; return 1; }
  say "running in $DIR (pid $pid, http://127.0.0.1:$HTTP_PORT/sparql)"
}

# The port a running server in DIR was started with (from its ini), for stop and status.
ini_port() {
  [ -f "$DIR/virtuoso.ini" ] || return 1
  sed -n "/^\[$1\]/,/^\[/s/^ServerPort *= *127\.0\.0\.1:\([0-9]*\).*/\1/p" "$DIR/virtuoso.ini"
}

command=${1:-}
[ $# -gt 0 ] && shift
DIR=${1:-${VIRTUOSO_DIR:-var/virtuoso}}
if [ "$command" = install ]; then
  install
  exit 0
fi
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [ "$command" = start ]; then
  HTTP_PORT=${2:-${VIRTUOSO_HTTP_PORT:-8890}}
  SQL_PORT=${3:-${VIRTUOSO_SQL_PORT:-1111}}
else
  HTTP_PORT=$(ini_port HTTPServer || true)
  SQL_PORT=$(ini_port Parameters || true)
  HTTP_PORT=${HTTP_PORT:-${VIRTUOSO_HTTP_PORT:-8890}}
  SQL_PORT=${SQL_PORT:-${VIRTUOSO_SQL_PORT:-1111}}
fi

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 install | start [DIR] [HTTP_PORT] [SQL_PORT] | stop [DIR] | status [DIR]" ;;
esac
