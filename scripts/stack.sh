#!/usr/bin/env bash
# The finder's stack: a private PostgreSQL cluster, the FastCGI handler and
# nginx, all kept under one state directory (var/ for `make run`, a throwaway
# directory for the tests and the benchmark).
#
#   scripts/stack.sh deps              install missing Debian packages
#   scripts/stack.sh run               start everything, stay in the foreground
#   scripts/stack.sh start             start everything in the background
#   scripts/stack.sh stop              stop what start or run left running
#   scripts/stack.sh db-start|db-stop  only the database (the primary)
#   scripts/stack.sh replica-start|replica-stop [N]  only the standbys
#                                      (REPLICAS of them, or standby N);
#                                      start makes a missing one
#   scripts/stack.sh replica-remove [N]  standbys stopped, their data and
#                                      replication slots removed
#   scripts/stack.sh app-start|app-stop  only the handler and nginx
#   scripts/stack.sh restart-handlers  each handler stopped and started in
#                                      turn, the others serving meanwhile
#   scripts/stack.sh reload            new handler workers and nginx
#                                      workers, the old ones finishing
#                                      their requests (nothing refused)
#   scripts/stack.sh db-demo [N]       the demo meetings (N, default
#                                      DEMO_SIZE) and services (DEMO_SERVICES),
#                                      each unless there already
#   scripts/stack.sh migrate           migrations, first demo and gazetteer
#                                      loads only, on the database at DB_HOST
#                                      (containers)
#   scripts/stack.sh psql [ARGS]       psql as the cluster's superuser
#   scripts/stack.sh import ARGS       `finder import ARGS` into the stack's
#                                      database, as finder_importer; it
#                                      rewrites the feed's files
#   scripts/stack.sh feeds [ARGS]      `finder feeds`: the Meeting Guide
#                                      feed's files brought up to date
#                                      (--force: all written again)
#   scripts/stack.sh source ARGS       `finder source ARGS`: the sources
#                                      synced from their URLs
#   scripts/stack.sh sync [ARGS]       `finder sync ARGS`: one pass now, as
#                                      the stack's user
#   scripts/stack.sh reports [ARGS]    `finder reports ARGS`: visitors'
#                                      reports listed, resolved or delivered
#                                      to the sources' webhooks, as
#                                      finder_importer
#   scripts/stack.sh backup [FILE]     the database in one snapshot
#                                      (pg_dump -Fc, without the gazetteer's
#                                      rows) to FILE or VAR_DIR/backups/
#   scripts/stack.sh restore FILE      such a dump into DB_NAME, which must
#                                      be missing or empty (FORCE=1: replace
#                                      it), then migrations, roles, gazetteer
#
# Settings (environment):
#   VAR_DIR   state directory (default: var/ in the project)
#   PORT      nginx port on 127.0.0.1 (default 8080)
#   DB_PORT   PostgreSQL port on 127.0.0.1 (default 5544)
#   DB_NAME   database name (default finder)
#   DB_HOST   where PostgreSQL is (default: the cluster's socket directory)
#   DEMO_SIZE meetings the demo dataset gets on first start (default 20000;
#             0 loads none)
#   DEMO_SERVICES  recovery support services the demo dataset gets on first
#             start, or on the first start that finds none (default 3000;
#             0 loads none)
#   WEB_ROOT  the directory nginx serves (default: web/ in the project)
#   MAP_TILES the tile server of the page's map, a URL template with {z},
#             {x} and {y}: https://..., http://... or a path on this server
#             (default https://tile.openstreetmap.org/{z}/{x}/{y}.png)
#   MAP_ATTRIBUTION  the credit that tile server asks for, plain text
#             (default "© OpenStreetMap contributors")
#   CRISIS_LINES  the crisis lines the page always shows, "Name=number;…"
#             (default: the page's own, 988 and SAMHSA's National Helpline;
#             "none": no line)
#   WORKERS   worker processes of each handler (default: 2 per core)
#   REPLICAS  streaming standbys of the cluster the handlers read from
#             (default 0; 1 to 9), in VAR_DIR/pgdata-replica[-N], on the
#             socket of port DB_PORT+N; reports are written to the primary
#   HANDLERS  handlers (masters, each with WORKERS workers, on sockets of
#             their own) nginx balances over (default 1; 2 or more let
#             restart-handlers replace them without refusing a request)
#   PUBLIC_URL  the finder's origin as its users reach it, http(s)://host[:port]
#             (default http://127.0.0.1:PORT): the Meeting Guide feed's files
#             link meetings without a page at their source to
#             PUBLIC_URL/api/v1/meetings/ID
#   RUN_USER  the unprivileged user that runs the stack when started as root
#             (default recoveryfinder; created if missing)
#   SYNC_INTERVAL  seconds between the scheduler's sync passes under run
#             (default 60; 0: no scheduler)
#   FORCE     1: restore replaces a database that holds data
#   FINDER_FETCH_ALLOW  addresses or prefixes the sync may fetch from
#             although they are loopback or private (default none)
#   API_RATE, API_BURST  the API's rate limit per client address, as nginx
#             writes a rate, and the burst answered at once beyond it
#             (default 20r/s and 40)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR_DIR=${VAR_DIR:-$ROOT/var}
PORT=${PORT:-8080}
DB_PORT=${DB_PORT:-5544}
DB_NAME=${DB_NAME:-finder}
DEMO_SIZE=${DEMO_SIZE:-20000}
DEMO_SERVICES=${DEMO_SERVICES:-3000}
WORKERS=${WORKERS:-$(($(nproc) * 2))}
HANDLERS=${HANDLERS:-1}
REPLICAS=${REPLICAS:-0}
RUN_USER=${RUN_USER:-recoveryfinder}
PUBLIC_URL=${PUBLIC_URL:-http://127.0.0.1:$PORT}
MAP_TILES=${MAP_TILES:-'https://tile.openstreetmap.org/{z}/{x}/{y}.png'}
MAP_ATTRIBUTION=${MAP_ATTRIBUTION:-'© OpenStreetMap contributors'}
API_RATE=${API_RATE:-20r/s}
API_BURST=${API_BURST:-40}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
FINDER_BIN=${FINDER_BIN:-$ROOT/build/finder}

PGDATA=$VAR_DIR/pgdata
RUN_DIR=$VAR_DIR/run
LOG_DIR=$VAR_DIR/log
# nginx's API cache, in memory (/dev/shm), one directory for each stack
# (tests and benchmarks run several at once), named after VAR_DIR.
CACHE_DIR=/dev/shm/recovery-finder-cache.$(printf '%s' "$(realpath -m "$VAR_DIR")" | sha256sum | cut -c1-16)
NJS_MODULE=/usr/lib/nginx/modules/ngx_http_js_module.so
# The Meeting Guide feed's files, which nginx serves: written by the run
# user (finder feeds) and by whoever imports (finder import), all readable.
FEEDS_DIR=$VAR_DIR/feeds

DEB_PACKAGES=(make gcc libc6-dev pkg-config libfcgi-dev libpq-dev libjson-c-dev libpcre2-dev
    zlib1g-dev libcurl4-openssl-dev postgresql-15 postgresql-15-postgis-3 postgresql-client-15 nginx
    libnginx-mod-http-js acl procps curl python3 nodejs npm)

log() { printf '%s\n' "$*" >&2 || true; }
die() { log "stack: $*"; exit 1; }

# as_run_user CMD...: run a command as the user that owns the stack.
as_run_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$RUN_USER" -- "$@"
    else
        "$@"
    fi
}

# missing_packages PKG...: print the packages not installed.
missing_packages() {
    local p
    for p in "$@"; do
        # Commands that may come from elsewhere than Debian's own package
        # (NodeSource's nodejs carries npm) count when they are on the PATH.
        case "$p" in
            nginx | nodejs | npm | chromium)
                command -v "${p/nodejs/node}" >/dev/null 2>&1 && continue ;;
            # nginx.org's packages call njs nginx-module-njs.
            libnginx-mod-http-js)
                [ -f "$NJS_MODULE" ] && continue ;;
        esac
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
            printf '%s\n' "$p"
    done
}

# cmd_deps [PKG...]: install what is missing, without starting any system
# service: Debian's maintainer scripts would start the system PostgreSQL and
# nginx, so a policy-rc.d that refuses is in place while apt runs.
cmd_deps() {
    local want=("${DEB_PACKAGES[@]}" "$@") missing sudo=()
    mapfile -t missing < <(missing_packages "${want[@]}")
    [ "${#missing[@]}" -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    log "Installing: ${missing[*]}"
    local policy=/usr/sbin/policy-rc.d placed=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 755 "$policy"
        placed=1
    fi
    local rc=0 apt_log
    apt_log=$(mktemp)
    { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 \
            apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1 || rc=$?
    [ "$placed" -eq 1 ] && "${sudo[@]}" rm -f "$policy"
    if [ "$rc" -ne 0 ]; then
        tail -20 "$apt_log" >&2
        rm -f "$apt_log"
        die "apt-get failed (status $rc)"
    fi
    rm -f "$apt_log"
}

# ensure_run_user: as root, make the unprivileged user and let it reach the
# project (search permission only, through an ACL on each ancestor that
# lacks it, so /root-style private homes work without opening them up).
ensure_run_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id "$RUN_USER" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$RUN_USER"
    fi
    local d=$ROOT
    while [ "$d" != / ]; do
        if ! runuser -u "$RUN_USER" -- test -x "$d"; then
            setfacl -m "u:$RUN_USER:x" "$d"
            log "stack: gave $RUN_USER search permission on $d"
        fi
        d=$(dirname "$d")
    done
    mkdir -p "$VAR_DIR"
    chown "$RUN_USER:" "$VAR_DIR"
}

prepare_dirs() {
    ensure_run_user
    as_run_user mkdir -p "$RUN_DIR" "$LOG_DIR" "$VAR_DIR/nginx" "$FEEDS_DIR"
    as_run_user chmod 700 "$RUN_DIR"
}

psql_super() {
    as_run_user env PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 \
        -h "${DB_HOST:-$RUN_DIR}" -p "$DB_PORT" -U "${DB_SUPERUSER:-postgres}" "$@"
}

# shared_buffers: a quarter of the machine's memory (or the container's), from
# 128 MB to 4 GB
# (PostgreSQL's own advice). At a million meetings the table and its indexes
# are a gigabyte; a search's rows read from the operating system's cache
# rather than PostgreSQL's own cost it several times as much.
shared_buffers_mb() {
    local kb limit
    kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)
    # In a container, its own limit (cgroup v2) when that is less.
    limit=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || echo max)
    case "$limit" in
        '' | max | *[!0-9]*) ;;
        *) [ $((limit / 1024)) -ge "${kb:-0}" ] || kb=$((limit / 1024)) ;;
    esac
    kb=$((${kb:-0} / 4 / 1024))
    [ "$kb" -ge 128 ] || kb=128
    [ "$kb" -le 4096 ] || kb=4096
    echo "$kb"
}

db_init() {
    [ -f "$PGDATA/PG_VERSION" ] && return 0
    log "Creating the PostgreSQL cluster in $PGDATA"
    as_run_user "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$LOG_DIR/initdb.log"
    as_run_user tee -a "$PGDATA/postgresql.conf" >/dev/null <<EOF

# Recovery Finder's private cluster
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = '$RUN_DIR'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = $(shared_buffers_mb)MB
work_mem = 16MB
maintenance_work_mem = 256MB
fsync = on
log_min_duration_statement = -1
log_statement = 'none'
EOF
}

db_start() {
    db_init
    if as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then return 0; fi
    STARTED_DB=1
    as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOG_DIR/postgresql.log" -w -t 60 \
        -o "-p $DB_PORT -k $RUN_DIR" start >/dev/null ||
        die "PostgreSQL did not start; see $LOG_DIR/postgresql.log"
}

db_stop() {
    [ -f "$PGDATA/PG_VERSION" ] || return 0
    as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
}

# replica_dir N, replica_port N, replica_slot N: standby N's data directory,
# port (the name of its socket: it listens on no address) and replication
# slot.
replica_dir() {
    if [ "$1" -eq 1 ]; then printf '%s' "$VAR_DIR/pgdata-replica"; else printf '%s' "$VAR_DIR/pgdata-replica-$1"; fi
}
replica_port() { printf '%s' $((DB_PORT + $1)); }
replica_slot() { printf 'finder_replica_%s' "$1"; }

check_replicas() {
    [[ $REPLICAS =~ ^[0-9]$ ]] || die "REPLICAS must be a whole number from 0 to 9, not '$REPLICAS'"
    [ "$REPLICAS" = 0 ] || [ -z "${DB_HOST:-}" ] ||
        die "REPLICAS: the standbys are the stack's own cluster's; with DB_HOST, set up replication on that server"
}

# replica_make N: standby N, a copy of the running primary by pg_basebackup
# with a replication slot of its own (the primary keeps the WAL a stopped
# standby still needs, up to max_slot_wal_keep_size), set to stream from it.
replica_make() {
    local n=$1 dir slot
    dir=$(replica_dir "$n")
    slot=$(replica_slot "$n")
    # What a standby may hold back: 1 GB of WAL; beyond, its slot is lost
    # and the standby is made again at its next start.
    if [ "$(psql_super -d postgres -tAc "SHOW max_slot_wal_keep_size")" = -1 ]; then
        psql_super -d postgres -c "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'" \
            -c "SELECT pg_reload_conf()" >/dev/null
    fi
    psql_super -d postgres -tAc "SELECT pg_drop_replication_slot(slot_name)
        FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null
    as_run_user rm -rf "$dir"
    log "Making standby $n in $dir (pg_basebackup)"
    as_run_user "$PG_BIN/pg_basebackup" -h "$RUN_DIR" -p "$DB_PORT" -U postgres -D "$dir" \
        -R -X stream -C -S "$slot" -c fast >"$LOG_DIR/basebackup-$n.log" 2>&1 ||
        die "pg_basebackup of standby $n failed; see $LOG_DIR/basebackup-$n.log"
    as_run_user tee -a "$dir/postgresql.conf" >/dev/null <<EOF

# Standby $n of Recovery Finder's cluster: its socket only, and the primary
# keeps the rows its queries still read (no query cancelled by a vacuum).
port = $(replica_port "$n")
listen_addresses = ''
hot_standby = on
hot_standby_feedback = on
EOF
}

# replica_start N: standby N, made first when it is missing or has fallen
# so far behind that the primary let its slot go.
replica_start() {
    local n=$1 dir state
    dir=$(replica_dir "$n")
    as_run_user "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1 && return 0
    state=$(psql_super -d postgres -tAc "SELECT wal_status FROM pg_replication_slots
        WHERE slot_name = '$(replica_slot "$n")'")
    if [ ! -f "$dir/PG_VERSION" ] || [ -z "$state" ] || [ "$state" = lost ]; then
        [ ! -f "$dir/PG_VERSION" ] ||
            log "stack: standby $n fell too far behind (its slot is ${state:-gone}): making it again"
        replica_make "$n"
    fi
    STARTED_REPLICAS+=("$n")
    as_run_user "$PG_BIN/pg_ctl" -D "$dir" -l "$LOG_DIR/postgresql-replica-$n.log" -w -t 120 \
        -o "-p $(replica_port "$n") -k $RUN_DIR" start >/dev/null ||
        die "standby $n did not start; see $LOG_DIR/postgresql-replica-$n.log"
}

# replicas_each FUNCTION [N]: FUNCTION for standby N, or for standbys 1 to
# REPLICAS.
replicas_each() {
    local fn=$1 n
    check_replicas
    if [ -n "${2:-}" ]; then
        [[ $2 =~ ^[1-9]$ ]] || die "a standby is a number from 1 to 9, not '$2'"
        "$fn" "$2"
        return
    fi
    for n in $(seq "$REPLICAS"); do "$fn" "$n"; done
}

# replica_stop N [DIR]: standby N (in DIR, else its own directory) stopped,
# its data kept.
replica_stop() {
    local dir=${2:-$(replica_dir "$1")}
    [ -f "$dir/PG_VERSION" ] || return 0
    as_run_user "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# replicas_found FUNCTION: FUNCTION N DIR for every standby under VAR_DIR,
# whatever REPLICAS says (a start with more may have left some).
replicas_found() {
    local dir n
    for dir in "$VAR_DIR"/pgdata-replica "$VAR_DIR"/pgdata-replica-[0-9]; do
        [ -f "$dir/PG_VERSION" ] || continue
        n=${dir##*-}
        [ "$n" = replica ] && n=1
        "$1" "$n" "$dir"
    done
}

# replicas_stop_all: every standby under VAR_DIR stopped.
replicas_stop_all() { replicas_found replica_stop; }

# replica_remove N: standby N stopped, its directory and its slot removed.
replica_remove() {
    replica_stop "$1"
    as_run_user rm -rf "$(replica_dir "$1")"
    if as_run_user "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        psql_super -d postgres -tAc "SELECT pg_drop_replication_slot(slot_name)
            FROM pg_replication_slots WHERE slot_name = '$(replica_slot "$1")'" >/dev/null
    fi
    log "stack: standby $1 removed"
}

# replicas_unused: a word on standbys left from a start with more REPLICAS:
# their slots keep WAL (up to 1 GB each) until they are removed.
replicas_unused() { replicas_found replica_unused; }
replica_unused() {
    [ "$1" -gt "$REPLICAS" ] || return 0
    log "stack: standby $1 ($2) is not started (REPLICAS=$REPLICAS);" \
        "'scripts/stack.sh replica-remove $1' removes it and the WAL its slot keeps"
}

# conninfo ATTRS PORT...: the connection string for the servers on PORTs
# (each on the run directory's socket), tried in that order; with more than
# one, target_session_attrs=ATTRS chooses among them.
conninfo() {
    local attrs=$1 hosts='' ports='' port
    shift
    for port in "$@"; do
        hosts+="${hosts:+,}$RUN_DIR"
        ports+="${ports:+,}$port"
    done
    printf 'host=%s port=%s' "$hosts" "$ports"
    [ $# = 1 ] || printf ' target_session_attrs=%s' "$attrs"
}

# read_conninfo N: handler N's connection string for searches: the standbys
# first, each handler beginning with a different one, then the primary
# (libpq takes the first standby that answers, else the primary).
read_conninfo() {
    local i ports=()
    for i in $(seq 0 $((REPLICAS - 1))); do
        ports+=("$(replica_port $(((i + ${1:-1} - 1) % REPLICAS + 1)))")
    done
    conninfo prefer-standby "${ports[@]}" "$DB_PORT"
}

# write_conninfo: the connection string for reports: the primary, or
# whichever server accepts writes (a standby once it is promoted).
write_conninfo() {
    local i ports=("$DB_PORT")
    for i in $(seq "$REPLICAS"); do ports+=("$(replica_port "$i")"); done
    conninfo read-write "${ports[@]}"
}

# db_migrate: create the database, apply each migration not yet recorded in
# schema_migrations (one transaction each, with its record), then every file
# of sql/views/ (the current views and functions, again on every start; one
# transaction each, in the order of their names, fragments spliced in by
# scripts/sqlinc.sh), then the roles.
db_migrate() {
    if ! psql_super -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
        psql_super -d postgres -c "CREATE DATABASE \"$DB_NAME\""
    fi
    psql_super -d "$DB_NAME" -c "CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    local f version
    for f in "$ROOT"/sql/migrations/[0-9]*.sql; do
        version=$(basename "$f" .sql)
        if psql_super -d "$DB_NAME" -tAc "SELECT 1 FROM schema_migrations WHERE version = '$version'" | grep -q 1; then
            continue
        fi
        log "Applying migration $version"
        psql_super -d "$DB_NAME" -1 -f "$f" \
            -c "INSERT INTO schema_migrations (version) VALUES ('$version')"
    done
    # Through sqlinc.sh, which splices in the searches' filter blocks a file
    # may use (41_meetings_walk.sql); spliced apart from the pipe, so that a
    # missing fragment fails.
    local spliced
    for f in "$ROOT"/sql/views/[0-9]*.sql; do
        spliced=$("$ROOT/scripts/sqlinc.sh" "$f")
        printf '%s\n' "$spliced" | psql_super -d "$DB_NAME" -1 -f -
    done
    psql_super -d "$DB_NAME" -f "$ROOT/sql/roles.sql"
    psql_super -d "$DB_NAME" -c "GRANT CONNECT ON DATABASE \"$DB_NAME\" TO finder_reader, finder_feedback"
    psql_super -d "$DB_NAME" -c "GRANT CONNECT, TEMPORARY ON DATABASE \"$DB_NAME\" TO finder_importer"
    if [ -n "${FINDER_READER_PASSWORD:-}" ]; then
        # Through standard input, where psql expands :'pw' as a quoted literal.
        echo "ALTER ROLE finder_reader PASSWORD :'pw';" |
            psql_super -d "$DB_NAME" -v pw="$FINDER_READER_PASSWORD"
    fi
    if [ -n "${FINDER_FEEDBACK_PASSWORD:-}" ]; then
        echo "ALTER ROLE finder_feedback PASSWORD :'pw';" |
            psql_super -d "$DB_NAME" -v pw="$FINDER_FEEDBACK_PASSWORD"
    fi
    if [ -n "${FINDER_IMPORTER_PASSWORD:-}" ]; then
        echo "ALTER ROLE finder_importer PASSWORD :'pw';" |
            psql_super -d "$DB_NAME" -v pw="$FINDER_IMPORTER_PASSWORD"
    fi
}

has_source() { # has_source SLUG
    psql_super -d "$DB_NAME" -tAc "SELECT 1 FROM sources WHERE slug = '$1'" | grep -q 1
}

# db_demo N: load N demo meetings unless the source demo is there already,
# then DEMO_SERVICES demo services unless the source demo-services is (a
# database made before there were services gets them on its next start).
db_demo() {
    local n=$1 meetings=0 services=${DEMO_SERVICES}
    [[ $n =~ ^[0-9]+$ ]] || die "the number of demo meetings must be a whole number, not '$n'"
    [[ $services =~ ^[0-9]+$ ]] || die "DEMO_SERVICES must be a whole number, not '$services'"
    if [ "$n" -gt 0 ] && ! has_source demo; then
        log "Loading $n demo meetings"
        # demo.load writes meetings near each other on the same pages (radius
        # searches read less), as CLUSTER on the spatial index did; marking
        # that index keeps the order of a later plain CLUSTER meetings.
        psql_super -d "$DB_NAME" -f "$ROOT/sql/demo/demo.sql" \
            -c "SELECT demo.load($n)" -c "ALTER TABLE meetings CLUSTER ON meetings_geog_idx" >/dev/null
        meetings=1
    fi
    if [ "$services" -gt 0 ] && ! has_source demo-services; then
        log "Loading $services demo services"
        # services.sql uses demo.sql's functions and tables.
        psql_super -d "$DB_NAME" -f "$ROOT/sql/demo/demo.sql" -f "$ROOT/sql/demo/services.sql" \
            -c "SELECT demo.load_services($services)" >/dev/null
        if [ "$meetings" -eq 0 ]; then
            # Only the services' tables changed.
            psql_super -d "$DB_NAME" -tA >/dev/null <<'EOF'
SELECT format('VACUUM ANALYZE %I.%I', schemaname, tablename)
FROM pg_tables WHERE schemaname = 'hsds' ORDER BY tablename \gexec
EOF
            return 0
        fi
    fi
    [ "$meetings" -eq 0 ] || psql_super -d "$DB_NAME" -c "VACUUM ANALYZE"
}

# db_gazetteer: load the gazetteer (scripts/gazetteer.sh) while places is empty.
db_gazetteer() {
    if [ "$(psql_super -d "$DB_NAME" -tAc "SELECT count(*) FROM places")" = 0 ]; then
        "$ROOT/scripts/gazetteer.sh"
    fi
}

# check_map_settings: dies unless MAP_TILES is a tile URL template (on a
# server named plainly, or a path on this one) and MAP_ATTRIBUTION is one
# line of text; both reach nginx's config and the page.
check_map_settings() {
    case "$MAP_TILES" in
        *[[:space:][:cntrl:]\"\'\\]*)
            die "MAP_TILES must not hold spaces, quotes or backslashes: '$MAP_TILES'" ;;
    esac
    [[ $MAP_TILES == *'{z}'* && $MAP_TILES == *'{x}'* && $MAP_TILES == *'{y}'* ]] ||
        die "MAP_TILES must hold {z}, {x} and {y}," \
            "as in https://tile.openstreetmap.org/{z}/{x}/{y}.png, not '$MAP_TILES'"
    [[ $MAP_TILES =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/ || $MAP_TILES =~ ^/[^/] ]] ||
        die "MAP_TILES must start with https:// or http:// and a plain host name (no {s}, no user@)," \
            "or be a path on this server (one leading /), not '$MAP_TILES'"
    case "$MAP_ATTRIBUTION" in
        *[[:cntrl:]]*) die "MAP_ATTRIBUTION must be one line of text" ;;
    esac
}

# crisis_json: CRISIS_LINES as the page reads it (/crisis.json): null when
# unset (the page's own lines), [] for "none", else
# [{"label":"Name","tel":"number"},…] from "Name=number;Name=number". Dies
# on a line that is not a name and a phone number.
crisis_json() {
    local item label number out='' items
    case "${CRISIS_LINES:-}" in
        '') printf 'null'; return ;;
        none) printf '[]'; return ;;
    esac
    IFS=';' read -ra items <<<"$CRISIS_LINES"
    for item in "${items[@]}"; do
        [[ $item == *=* ]] || die "CRISIS_LINES must be Name=number;Name=number (or none), not '$CRISIS_LINES'"
        label=${item%%=*}
        number=${item#*=}
        [[ $number =~ ^\+?[0-9][0-9\ ().-]{0,24}$ ]] ||
            die "CRISIS_LINES: '$number' is not a phone number (digits, spaces, + ( ) . -)"
        case "$label" in
            *[[:cntrl:]]*) die "CRISIS_LINES: a name must be one line of text" ;;
        esac
        out+="${out:+,}{\"label\":\"$(json_inner "$label")\",\"tel\":\"$number\"}"
    done
    printf '[%s]' "$out"
}

# check_public_url: dies unless PUBLIC_URL is an origin, http:// or
# https://, a host name or address and an optional port, nothing more (no
# path): what the handler makes from a request's Host (finder feeds checks
# it the same way).
check_public_url() {
    [[ $PUBLIC_URL =~ ^https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?/?$ ]] ||
        die "PUBLIC_URL must be http:// or https://, a host name or address and an optional" \
            "port, nothing more (such as https://finder.example.org), not '$PUBLIC_URL'"
}

# feed_exports: how many feeds the handler may write at once (nginx's
# limit on the feed's dynamic requests): half the workers, at least one.
feed_exports() {
    local n=$((WORKERS / 2))
    [ "$n" -ge 1 ] || n=1
    printf '%s' "$n"
}

# map_tiles_origin: prints the scheme, host and port of MAP_TILES, or
# nothing when the tiles are this server's.
map_tiles_origin() {
    [[ $MAP_TILES =~ ^(https?://[^/]+)/ ]] && printf '%s' "${BASH_REMATCH[1]}"
    return 0
}

# json_inner TEXT: TEXT as the inside of a JSON string, with " \ ' and $
# written as \u escapes, which nginx's quoted strings leave as they are
# (TEXT holds no control characters: check_map_settings).
json_inner() {
    local s=$1
    s=${s//\\/'\u005c'}
    s=${s//\"/'\u0022'}
    s=${s//\'/'\u0027'}
    s=${s//\$/'\u0024'}
    printf '%s' "$s"
}

# sed_text TEXT: TEXT as the replacement of a sed s|...|...| command.
sed_text() {
    printf '%s' "$1" | sed -e 's/[|&\\]/\\&/g'
}

render_nginx() {
    local origin tiles attribution crisis
    [[ $API_RATE =~ ^[1-9][0-9]*r/[sm]$ ]] || die "API_RATE must be as nginx writes a rate (20r/s, 600r/m), not $API_RATE"
    [[ $API_BURST =~ ^[0-9]+$ ]] || die "API_BURST must be a count of requests, not $API_BURST"
    origin=$(map_tiles_origin)
    crisis=$(sed_text "$(crisis_json)")
    tiles=$(sed_text "$(json_inner "$MAP_TILES")")
    attribution=$(sed_text "$(json_inner "$MAP_ATTRIBUTION")")
    sed -e "s|@LISTEN@|127.0.0.1:$PORT|g" -e "s|@VAR_DIR@|$VAR_DIR|g" -e "s|@WEB_ROOT@|${WEB_ROOT:-$ROOT/web}|g" \
        -e "s|@FCGI_UPSTREAM@|$(upstream_servers)|g" -e "s|@NGINX_ETC@|/etc/nginx|g" \
        -e "s|@CONF_DIR@|$ROOT/nginx|g" -e "s|@CACHE_DIR@|$CACHE_DIR|g" \
        -e "s|@FEEDS_DIR@|$FEEDS_DIR|g" -e "s|@FEED_EXPORTS@|$(feed_exports)|g" \
        -e "s|@MAP_TILES@|$tiles|g" -e "s|@MAP_ATTRIBUTION@|$attribution|g" \
        -e "s|@MAP_IMG_SRC@|${origin:+ $origin}|g" -e "s|@CRISIS_LINES@|$crisis|g" \
        -e "s|@API_RATE@|$API_RATE|g" -e "s|@API_BURST@|$API_BURST|g" \
        "$ROOT/nginx/finder.conf.template" | as_run_user tee "$VAR_DIR/nginx/nginx.conf" >/dev/null
}

# web_deps: the page's npm packages (web/package.json: Leaflet, which nginx
# serves at /vendor/leaflet/), installed as scripts/gazetteer.sh installs
# its own, by the invoking user. nginx runs as RUN_USER when that is root,
# so the files must be readable by anyone: npm ci runs with umask 022, and
# a tree installed otherwise before is opened up.
web_deps() {
    local dir=$ROOT/web npm_log
    [ -f "$dir/package.json" ] || return 0
    command -v npm >/dev/null 2>&1 || die "npm is missing (Debian package npm)"
    npm_log=$(mktemp)
    # One install at a time (a make run and a make test may start together,
    # and npm ci first removes node_modules); `npm ls` passing means the
    # installed tree is the locked one, since the versions are pinned.
    if ! (
        flock 9 || exit 1
        cd "$dir" || exit 1
        npm ls --omit=dev >/dev/null 2>&1 && exit 0
        log "Installing the page's npm packages (npm ci)"
        umask 022
        npm ci --omit=dev --no-audit --no-fund --loglevel=error >"$npm_log" 2>&1
    ) 9<"$dir/package.json"; then
        tail -20 "$npm_log" >&2
        rm -f "$npm_log"
        die "npm ci failed in $dir"
    fi
    rm -f "$npm_log"
    if [ "$(id -u)" -eq 0 ] && [ -n "$(runuser -u "$RUN_USER" -- find "$dir/node_modules" \
        \( ! -readable -o -type d ! -executable \) -print -quit 2>/dev/null)" ]; then
        chmod -R a+rX "$dir/node_modules"
        log "stack: made $dir/node_modules readable for $RUN_USER"
    fi
}

# cache_dir_make: an empty directory for nginx's API cache, on a memory
# filesystem only: the cache holds searches, and none may reach a disk.
cache_dir_make() {
    local fs
    fs=$(stat -f -c %T "$(dirname "$CACHE_DIR")" 2>/dev/null) ||
        die "$(dirname "$CACHE_DIR") is missing: nginx's API cache lives there, in memory"
    [ "$fs" = tmpfs ] || [ "$fs" = ramfs ] ||
        die "$(dirname "$CACHE_DIR") is not a memory filesystem (tmpfs) but $fs:" \
            "nginx's API cache must not reach a disk"
    cache_dir_remove
    as_run_user mkdir -m 700 "$CACHE_DIR"
}

# cache_dir_remove: the API cache goes with the nginx that used it.
cache_dir_remove() {
    case "$CACHE_DIR" in
        /dev/shm/recovery-finder-cache.*) rm -rf "$CACHE_DIR" ;;
    esac
}

# handler_name N: the name of handler N's socket and pid file in RUN_DIR:
# finder for the first, finder-2, finder-3... for the others.
handler_name() {
    if [ "$1" -eq 1 ]; then printf finder; else printf 'finder-%s' "$1"; fi
}

# upstream_servers: the handlers' sockets as the template's upstream lists
# them ("unix:A max_fails=0; server unix:B max_fails=0"): nginx passes a
# request to the next when one refuses it, and never marks one down, since
# a handler restarted in turn is back within a second (a refused unix
# socket costs nothing).
upstream_servers() {
    local i out=''
    for i in $(seq "$HANDLERS"); do
        out+="${out:+; server }unix:$RUN_DIR/$(handler_name "$i").sock max_fails=0"
    done
    printf '%s' "$out"
}

# handler_start [N]: handler N (default 1; its master and workers) in the
# background; 0 once its socket is there, 1 if it does not come up.
handler_start() {
    local name
    name=$(handler_name "${1:-1}")
    rm -f "$RUN_DIR/$name.sock"
    as_run_user env \
        FINDER_DATABASE="$(read_conninfo "${1:-1}") dbname=$DB_NAME user=finder_reader application_name=finder" \
        FINDER_FEEDBACK_DATABASE="$(write_conninfo) dbname=$DB_NAME user=finder_feedback application_name=finder-feedback" \
        FINDER_SOCKET="$RUN_DIR/$name.sock" FINDER_WORKERS="$WORKERS" \
        FINDER_PIDFILE="$RUN_DIR/$name.pid" \
        "$FINDER_BIN" serve >>"$LOG_DIR/finder.log" 2>&1 &
    local i
    for i in $(seq 100); do
        [ -S "$RUN_DIR/$name.sock" ] && return 0
        sleep 0.05
    done
    return 1
}

# handlers_start: every handler.
handlers_start() {
    local i
    for i in $(seq "$HANDLERS"); do
        handler_start "$i" || return 1
    done
}

# handlers_roll: each handler in turn stopped (its workers finish the
# request in hand) and started again, while nginx passes requests to the
# others: new code or settings without a refused request (HANDLERS of 2 or
# more).
handlers_roll() {
    local i name
    [ "$HANDLERS" -ge 2 ] ||
        log "stack: warning: one handler: requests are refused while it restarts (HANDLERS=2)"
    for i in $(seq "$HANDLERS"); do
        name=$(handler_name "$i")
        stop_pidfile "$RUN_DIR/$name.pid" 15
        handler_start "$i" || die "handler $i did not start; see $LOG_DIR/finder.log"
        log "stack: handler $i restarted"
        sleep 1
    done
}

nginx_start() {
    as_run_user nginx -p "$VAR_DIR/nginx" -c "$VAR_DIR/nginx/nginx.conf" -e "$LOG_DIR/nginx-error.log"
}

# app_reload: SIGHUP to the handler's master (new workers; the old ones end
# after the request in hand) and nginx's own graceful reload.
app_reload() {
    local i name
    for i in $(seq "$HANDLERS"); do
        name=$(handler_name "$i")
        alive "$name" || die "handler $i is not running"
        as_run_user kill -HUP "$(cat "$RUN_DIR/$name.pid")"
    done
    if alive nginx; then
        as_run_user nginx -p "$VAR_DIR/nginx" -c "$VAR_DIR/nginx/nginx.conf" \
            -e "$LOG_DIR/nginx-error.log" -s reload
    fi
    log "stack: reloaded the handler's and nginx's workers"
}

# handlers_alive: whether every handler runs.
handlers_alive() {
    local i
    for i in $(seq "$HANDLERS"); do
        alive "$(handler_name "$i")" || return 1
    done
}

# alive NAME: whether the process named in RUN_DIR/NAME.pid runs.
alive() {
    [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid" 2>/dev/null)" 2>/dev/null
}

app_start() {
    [ -x "$FINDER_BIN" ] || die "$FINDER_BIN is missing: run make first"
    [[ $HANDLERS =~ ^([1-9]|1[0-6])$ ]] || die "HANDLERS must be a whole number from 1 to 16, not '$HANDLERS'"
    check_replicas
    [ -f "$NJS_MODULE" ] ||
        die "nginx's njs module ($NJS_MODULE) is missing: the API cache needs it." \
            "Install the Debian package libnginx-mod-http-js ('scripts/stack.sh deps' or 'make deps')"
    check_map_settings
    crisis_json >/dev/null
    check_public_url
    STARTED_APP=1
    app_stop
    cache_dir_make
    render_nginx
    handlers_start || die "the handler did not start; see $LOG_DIR/finder.log"
    nginx_start || die "nginx did not start; see $LOG_DIR/nginx-error.log"
    # Only a warning: the handler serves what has no file.
    feeds_write ||
        log "stack: warning: the feed's files were not written; the handler serves the feed meanwhile"
}

# feeds_write [ARGS]: the Meeting Guide feed's files brought up to date
# (finder feeds: only sources whose meetings changed are read again, so a
# start with current files costs one small query).
feeds_write() {
    as_run_user env \
        FINDER_DATABASE="host=${DB_HOST:-$RUN_DIR} port=$DB_PORT dbname=$DB_NAME user=finder_reader application_name=finder-feeds" \
        "$FINDER_BIN" feeds --out "$FEEDS_DIR" --public-url "$PUBLIC_URL" "$@"
}

# stop_pidfile FILE [SECONDS]: TERM the process named in FILE and wait for
# it to go (at most SECONDS, default 5; then KILL).
stop_pidfile() {
    local file=$1 seconds=${2:-5} pid i
    [ -f "$file" ] || return 0
    pid=$(cat "$file" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq $((seconds * 20))); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$file"
}

# sync_env CMD...: CMD with the importer's connection and the feed's files,
# as the stack's user (the sync parses what other servers send: never as
# root).
sync_env() {
    as_run_user env \
        FINDER_IMPORT_DATABASE="host=${DB_HOST:-$RUN_DIR} port=$DB_PORT dbname=$DB_NAME user=finder_importer application_name=finder-sync" \
        FINDER_FEEDS_DIR="$FEEDS_DIR" FINDER_PUBLIC_URL="$PUBLIC_URL" \
        FINDER_FETCH_ALLOW="${FINDER_FETCH_ALLOW:-}" "$@"
}

# scheduler_start: `finder sync --loop` beside the handler (make run): each
# SYNC_INTERVAL seconds it syncs the sources that are due. What it does goes
# to the terminal and to sync.log.
scheduler_start() {
    local every=${SYNC_INTERVAL:-60}
    [[ $every =~ ^[0-9]+$ ]] || die "SYNC_INTERVAL must be whole seconds, not '$every'"
    [ "$every" -gt 0 ] || return 0
    sync_env "$FINDER_BIN" sync --loop --quiet --interval "$every" --pidfile "$RUN_DIR/sync.pid" \
        > >(tee -a "$LOG_DIR/sync.log") 2>&1 &
    # Its pid file, before anyone asks whether it runs (supervise).
    local i
    for i in $(seq 100); do
        alive sync && return 0
        sleep 0.05
    done
}

# sources_report: one line for each synced source that is not well (failed,
# held, expired), with why, for make run's banner.
sources_report() {
    psql_super -d "$DB_NAME" -tA -F ': ' -c "
        SELECT slug, CASE WHEN expired_at IS NOT NULL THEN 'expired' ELSE sync_status END,
               coalesce(sync_error, '')
        FROM sources
        WHERE url IS NOT NULL AND removed_at IS NULL AND enabled
          AND (sync_status IN ('failed', 'held') OR expired_at IS NOT NULL)
        ORDER BY slug" 2>/dev/null | while IFS= read -r line; do
        log "  Source $line"
    done
}

app_stop() {
    stop_pidfile "$RUN_DIR/sync.pid"
    stop_pidfile "$RUN_DIR/nginx.pid"
    local f
    for f in "$RUN_DIR"/finder.pid "$RUN_DIR"/finder-[0-9]*.pid; do
        [ -e "$f" ] && stop_pidfile "$f"
    done
    rm -f "$RUN_DIR"/finder.sock "$RUN_DIR"/finder-[0-9]*.sock
    cache_dir_remove
}

# What this start started, for start_failed: the primary and the standbys
# only when they were not running already, the handler and nginx once
# app_start has stopped those of an earlier start.
STARTED_DB=0
STARTED_REPLICAS=()
STARTED_APP=0

# start_failed: the EXIT trap of a start (start, run) until it is complete.
# A start that fails half-way (a package download, the gazetteer, a
# setting checked late) stops what it started, and leaves running what
# it found running: a database started earlier (db-start, or a start whose
# app was stopped) may be in use by another command, and stays as it was.
start_failed() {
    local rc=$? n
    [ "$rc" -ne 0 ] || return 0
    trap '' INT TERM
    log "stack: the start failed; stopping what it started"
    [ "$STARTED_APP" = 0 ] || app_stop
    for n in "${STARTED_REPLICAS[@]}"; do replica_stop "$n"; done
    [ "$STARTED_DB" = 0 ] || db_stop
    exit "$rc"
}

# start_guard, start_done: start_failed armed, then disarmed. Ctrl-C or a
# TERM meanwhile is a failed start too.
start_guard() {
    trap start_failed EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
start_done() {
    trap - EXIT INT TERM
}

cmd_start() {
    check_map_settings
    crisis_json >/dev/null
    check_public_url
    prepare_dirs
    db_start
    db_migrate
    db_demo "$DEMO_SIZE"
    db_gazetteer
    replicas_each replica_start
    replicas_unused
    web_deps
    app_start
}

# run_stop: a `make run` (stack.sh run) in another terminal supervises what
# stop stops, and would start the handler and nginx again as they go: it is
# asked to stop (its Ctrl-C path, which stops everything) and waited for.
# run.pid names it; a pid that is no longer a stack.sh run is left alone.
run_stop() {
    local pid
    [ -f "$RUN_DIR/run.pid" ] || return 0
    pid=$(cat "$RUN_DIR/run.pid" 2>/dev/null || true)
    if [ "$pid" = "$$" ] || [ -z "$pid" ] ||
        ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'stack\.sh run'; then
        rm -f "$RUN_DIR/run.pid"
        return 0
    fi
    log "stack: asking the run in the foreground (pid $pid) to stop"
    stop_pidfile "$RUN_DIR/run.pid" 60
}

cmd_stop() {
    run_stop
    app_stop
    replicas_stop_all
    db_stop
}

cmd_run() {
    start_guard
    cmd_start
    scheduler_start
    start_done
    echo $$ >"$RUN_DIR/run.pid"
    # Ctrl-C reaches the whole process group; finish stopping whatever
    # happens to the terminal meanwhile. `make stop` elsewhere sends TERM.
    trap 'trap "" INT TERM PIPE; log ""; log "Stopping..."; cmd_stop; log "Stopped."; exit 0' INT TERM
    log ""
    log "Recovery Finder is running at http://127.0.0.1:$PORT/"
    log "  API:  http://127.0.0.1:$PORT/api/v1/health"
    log "  Logs: $LOG_DIR"
    [ "${SYNC_INTERVAL:-60}" = 0 ] ||
        log "  Sync: the sources with a URL are checked every ${SYNC_INTERVAL:-60} s (make sources lists them)"
    sources_report
    log "Press Ctrl-C to stop."
    supervise
}

# supervise: stays in the foreground, and starts again a handler or an nginx
# that died or was stopped (the database and the other are left alone).
# Five restarts within a minute are a crash loop: then everything stops.
# The scheduler, which serves no visitor, is started again at most once a
# minute, and never stops the run.
supervise() {
    local restarts=() now i sync_restarted=0
    while :; do
        sleep 1 &
        wait $! || true
        if [ "${SYNC_INTERVAL:-60}" != 0 ] && ! alive sync &&
            [ "$(date +%s)" -ge $((sync_restarted + 60)) ]; then
            sync_restarted=$(date +%s)
            log "stack: the scheduler exited (see $LOG_DIR/sync.log); starting it again"
            scheduler_start
        fi
        handlers_alive && alive nginx && continue
        now=$(date +%s)
        restarts=("${restarts[@]}" "$now")
        while [ "${#restarts[@]}" -gt 0 ] && [ "${restarts[0]}" -lt $((now - 60)) ]; do
            restarts=("${restarts[@]:1}")
        done
        if [ "${#restarts[@]}" -gt 5 ]; then
            log "The handler or nginx died five times within a minute; see $LOG_DIR/finder.log" \
                "and $LOG_DIR/nginx-error.log. Stopping."
            cmd_stop
            exit 1
        fi
        for i in $(seq "$HANDLERS"); do
            alive "$(handler_name "$i")" && continue
            log "stack: the handler exited (see $LOG_DIR/finder.log); starting it again"
            handler_start "$i" || log "stack: the handler did not start; trying again"
        done
        if ! alive nginx; then
            log "stack: nginx exited (see $LOG_DIR/nginx-error.log); starting it again"
            nginx_start || log "stack: nginx did not start; trying again"
        fi
    done
}

# cmd_import ARGS: finder import into this stack's database. The file is
# read by the caller (root may read what the stack's user cannot). After a
# successful import it rewrites the feed's files in FEEDS_DIR (as root, they
# go to the directory's owner, the run user, who writes them next).
cmd_import() {
    [ -x "$FINDER_BIN" ] || die "$FINDER_BIN is missing: run make first"
    check_public_url
    [ ! -d "$VAR_DIR" ] || as_run_user mkdir -p "$FEEDS_DIR"
    FINDER_IMPORT_DATABASE="host=${DB_HOST:-$RUN_DIR} port=$DB_PORT dbname=$DB_NAME user=finder_importer application_name=finder-import" \
        FINDER_FEEDS_DIR="$FEEDS_DIR" FINDER_PUBLIC_URL="$PUBLIC_URL" \
        "$FINDER_BIN" import "$@"
}

# cmd_reports ARGS: finder reports on this stack's database, as the stack's
# user (it reads no file of the caller's); delivered reports link to
# PUBLIC_URL.
cmd_reports() {
    [ -x "$FINDER_BIN" ] || die "$FINDER_BIN is missing: run make first"
    check_public_url
    as_run_user env \
        FINDER_IMPORT_DATABASE="host=${DB_HOST:-$RUN_DIR} port=$DB_PORT dbname=$DB_NAME user=finder_importer application_name=finder-reports" \
        FINDER_PUBLIC_URL="$PUBLIC_URL" "$FINDER_BIN" reports "$@"
}

# The gazetteer's tables: the dump leaves out their rows (some 85 MB, which
# scripts/gazetteer.sh makes again from the pinned packages) and restore
# reloads them.
GAZETTEER_TABLES=(public.places public.place_names public.place_countries)

# db_exists NAME: whether the cluster holds database NAME.
db_exists() {
    psql_super -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

# db_holdings NAME: prints "N sources, N reports" of database NAME, or
# nothing when it holds neither (a database migrated but never loaded, or
# without the finder's tables at all).
db_holdings() {
    local tables
    tables=$(psql_super -d "$1" -tAc "SELECT to_regclass('public.sources') IS NOT NULL
        AND to_regclass('public.feedback') IS NOT NULL")
    [ "$tables" = t ] || return 0
    psql_super -d "$1" -tAc "SELECT (SELECT count(*) FROM sources) || ' sources, '
            || (SELECT count(*) FROM feedback) || ' reports'
        WHERE EXISTS (SELECT FROM sources) OR EXISTS (SELECT FROM feedback)"
}

# cmd_backup [FILE]: the stack's database in one snapshot (pg_dump -Fc), all
# of it but the gazetteer's rows, to FILE or
# VAR_DIR/backups/finder-YYYYMMDDTHHMMSSZ.dump. pg_dump runs as the stack's
# user; the file is written by the caller (root writes where it asked),
# readable by its owner only: it holds the reporters' contact details. The
# dump goes to FILE.partial first, so a failed one leaves no FILE.
cmd_backup() {
    local file=${1:-} size t excludes=()
    if [ -z "$file" ]; then
        (umask 077 && mkdir -p "$VAR_DIR/backups")
        chmod 700 "$VAR_DIR/backups"
        file=$VAR_DIR/backups/finder-$(date -u +%Y%m%dT%H%M%SZ).dump
    fi
    [ ! -e "$file" ] || die "$file exists already: name another file"
    db_exists "$DB_NAME" || die "the database $DB_NAME is missing (is the stack started?)"
    for t in "${GAZETTEER_TABLES[@]}"; do excludes+=("--exclude-table-data=$t"); done
    if ! (umask 077 && as_run_user "$PG_BIN/pg_dump" -Fc -h "${DB_HOST:-$RUN_DIR}" -p "$DB_PORT" \
        -U "${DB_SUPERUSER:-postgres}" -d "$DB_NAME" "${excludes[@]}" >"$file.partial"); then
        rm -f "$file.partial"
        die "pg_dump failed: no backup written"
    fi
    mv "$file.partial" "$file"
    size=$(du -h "$file" | cut -f1)
    printf '%s\t%s\n' "$file" "$size"
}

# restore_script FILE [ARGS]: the SQL of pg_restore ARGS for the dump FILE.
# The script empties search_path, and the functions that the generated
# columns call (earth_point, place_key, meeting_doc...) name others
# unqualified; every name of the script itself is qualified, so it runs with
# public on the path instead.
restore_script() {
    local file=$1
    shift
    "$PG_BIN/pg_restore" "$@" -f - <"$file" |
        sed -e "s/^SELECT pg_catalog.set_config('search_path', '', false);\$/SET search_path = public, pg_catalog;/"
}

# restore_into FILE DB: the dump FILE into the empty database DB; fails
# with PostgreSQL's errors. pg_dump cannot see which functions an SQL
# function's body calls, so a table whose generated column calls one may
# come before a function it needs: the schema is made in passes, each again
# (what exists already is an error to pass over) until a pass finds nothing
# missing. The rows, indexes and constraints then go in one transaction.
restore_into() {
    local file=$1 db=$2 pass errors list
    list=$(mktemp)
    # Again, all but the text search configuration, whose mappings are added.
    "$PG_BIN/pg_restore" -l --section=pre-data <"$file" | grep -v ' TEXT SEARCH ' >"$list"
    for pass in 1 2 3 4; do
        if [ "$pass" = 1 ]; then
            errors=$(restore_script "$file" --section=pre-data |
                psql_super -d "$db" -v ON_ERROR_STOP=0 2>&1 >/dev/null)
        else
            errors=$(restore_script "$file" --section=pre-data -L "$list" |
                psql_super -d "$db" -v ON_ERROR_STOP=0 2>&1 >/dev/null)
        fi
        errors=$(printf '%s\n' "$errors" | grep 'ERROR:' | grep -v 'already exists' || true)
        [ -n "$errors" ] || break
    done
    rm -f "$list"
    if [ -n "$errors" ]; then
        printf '%s\n' "$errors" | head -20 >&2
        return 1
    fi
    restore_script "$file" --section=data --section=post-data | psql_super -d "$db" -1 >/dev/null
}

# cmd_restore FILE: a dump of cmd_backup into DB_NAME, by way of a database
# of its own (DB_NAME_restoring): pg_restore in one transaction, then the
# migrations newer than the dump, the roles and their passwords again
# (db_migrate) and the gazetteer, and only then the swap. DB_NAME must be
# missing or hold no source and no report; FORCE=1 replaces one that does,
# once the restored database is complete, and only while nothing is
# connected to it. The file is read by the caller.
cmd_restore() {
    local file=${1:-} staging=${DB_NAME}_restoring held=''
    [ -n "$file" ] || die "usage: stack.sh restore FILE (a dump of stack.sh backup)"
    if [ ! -f "$file" ] || [ ! -r "$file" ]; then die "cannot read $file"; fi
    # The stack's own cluster, made and started if need be; not a server
    # elsewhere (DB_HOST).
    if [ -z "${DB_HOST:-}" ]; then
        prepare_dirs
        db_start
    fi
    if db_exists "$DB_NAME"; then
        held=$(db_holdings "$DB_NAME")
        if [ -n "$held" ] && [ "${FORCE:-0}" != 1 ]; then
            die "the database $DB_NAME holds data ($held): restore will not replace it." \
                "Restore into another DB_NAME, or set FORCE=1 to drop it once the restore is complete"
        fi
    fi
    db_exists "$staging" &&
        die "the database $staging exists (a restore still running, or one that failed):" \
            "drop it first (stack.sh psql -d postgres -c 'DROP DATABASE \"$staging\"')"
    psql_super -d postgres -f "$ROOT/sql/roles_create.sql"
    psql_super -d postgres -c "CREATE DATABASE \"$staging\""
    # shellcheck disable=SC2064 # the name now, for the trap
    trap "psql_super -d postgres -c 'DROP DATABASE IF EXISTS \"$staging\"' >/dev/null 2>&1 || true" EXIT
    log "Restoring $file into $staging"
    restore_into "$file" "$staging" || die "the restore failed; $DB_NAME is as it was"
    db_bring_up "$staging" || die "the restored database could not be brought up to date; $DB_NAME is as it was"
    db_replace "$staging" "$DB_NAME" "$held"
    trap - EXIT
    log "Restored $file into $DB_NAME ($(db_holdings "$DB_NAME"))."
    log "Start the stack (make run); 'scripts/stack.sh feeds --force' writes the feed's files again."
}

# db_bring_up DB: database DB as a start leaves it: the migrations newer
# than what it holds, the roles and their passwords, the gazetteer.
db_bring_up() {
    local DB_NAME=$1
    export DB_NAME # for scripts/gazetteer.sh
    db_migrate
    db_gazetteer
}

# db_replace FROM TO HELD: renames database FROM to TO, dropping TO first
# when it exists (HELD: what it holds, for the log); dies while anything is
# connected to TO.
db_replace() {
    local from=$1 to=$2 held=$3 busy
    if db_exists "$to"; then
        busy=$(psql_super -d postgres -tAc "SELECT count(*) FROM pg_stat_activity
            WHERE datname = '$to' AND pid <> pg_backend_pid()")
        [ "$busy" = 0 ] ||
            die "$busy sessions are connected to $to: stop the handler (stack.sh app-stop) and restore again"
        [ -z "$held" ] || log "stack: FORCE=1: dropping $to ($held)"
        psql_super -d postgres -c "DROP DATABASE \"$to\""
    fi
    # db_migrate's grants of CONNECT go with the database's new name.
    psql_super -d postgres -c "ALTER DATABASE \"$from\" RENAME TO \"$to\""
}

main() {
    local cmd=${1:-}
    shift || true
    case "$cmd" in
        deps) cmd_deps "$@" ;;
        run) cmd_run ;;
        start) start_guard; cmd_start; start_done ;;
        stop) cmd_stop ;;
        db-start) prepare_dirs; db_start; db_migrate ;;
        db-stop) db_stop ;;
        replica-start) prepare_dirs; replicas_each replica_start "$@" ;;
        replica-stop) replicas_each replica_stop "$@" ;;
        replica-remove) replicas_each replica_remove "$@" ;;
        db-demo) db_demo "${1:-$DEMO_SIZE}" ;;
        migrate) db_migrate; db_demo "$DEMO_SIZE"; db_gazetteer ;;
        app-start) prepare_dirs; app_start ;;
        app-stop) app_stop ;;
        reload) app_reload ;;
        restart-handlers) handlers_roll ;;
        psql) psql_super -d "$DB_NAME" "$@" ;;
        import) cmd_import "$@" ;;
        reports) cmd_reports "$@" ;;
        feeds) check_public_url; feeds_write "$@" ;;
        source) [ -x "$FINDER_BIN" ] || die "$FINDER_BIN is missing: run make first"
            sync_env "$FINDER_BIN" source "$@" ;;
        sync) [ -x "$FINDER_BIN" ] || die "$FINDER_BIN is missing: run make first"
            check_public_url; sync_env "$FINDER_BIN" sync "$@" ;;
        backup) cmd_backup "$@" ;;
        restore) cmd_restore "$@" ;;
        crisis-json) crisis_json; echo ;;
        *) die "usage: stack.sh deps|run|start|stop|db-start|db-stop|db-demo [N]|migrate|app-start|app-stop|reload|restart-handlers|psql|import|reports|feeds|source|sync|backup [FILE]|restore FILE|crisis-json" ;;
    esac
}

main "$@"
