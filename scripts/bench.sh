#!/usr/bin/env bash
# The benchmark (make bench). Loads demo meetings into a throwaway stack
# (its own cluster, handler and nginx on free ports, beside any `make run` or
# test run) at each of BENCH_SIZES (default 50,000, 500,000 and 1,000,000),
# one database a size, and measures at each size, one after another, each
# run after a warm-up:
#
#   static JSON      nginx serving a file of a typical answer's size (wrk)
#   health           /api/v1/health (wrk)
#   nearest 25       /api/v1/meetings, 25 nearest within 50 km (wrk)
#   radius+day+type  within 25 km, one random day, type O (wrk)
#   day+time window  within 25 km, today or tomorrow, a window of the day seen
#                    from a US zone (wrk)
#   keyword          anywhere, a word or a quoted phrase (wrk)
#   online soon      online meetings starting within the hour, soonest first
#   landing          the page's first search: online and hybrid meetings
#                    anywhere, soonest first (wrk)
#   facets           of nearest 25 and of landing (wrk)
#   detail, lists    one meeting by id; the fellowships and types (wrk)
#   cached           the landing search and its facets from nginx's cache
#
# Every API run but the cached ones asks past nginx's cache (Cache-Control:
# no-cache), so that it measures the handler and the database.
#
# and, straight against PostgreSQL with pgbench, each search's page query
# alone (the walk to its page, without counting: sql/queries/
# meetings_near_page.sql near a point, sql/queries/meetings_all_next.sql's
# first step anywhere) as the ceiling the search is compared with. The searches
# anywhere carry a random now= of the coming week (tests/bench/search.lua),
# so that they are measured at every time of the week, not only at the hour
# the benchmark runs. It prints
# requests a second, p50 and p99 latency for each at each size, each search's
# ratio to its ceiling, and how its p99 grew from the smallest size to the
# largest.
#
# Then, on the largest size, it times `finder import` of a Meeting Guide feed
# of BENCH_IMPORT_SIZE meetings (written from the demo meetings) into a new
# source beside them: the first import (every meeting new), the same file
# again (every meeting unchanged) and a file in which every tenth meeting
# changed, and prints meetings a second for each. Then the same feed as a
# source synced from its URL (`finder sync`, from a loopback HTTP server):
# the first sync (fetched and imported into a new source), a sync answered
# 304 Not Modified, and a sync of the changed file.
#
# Then it loads the gazetteer (through which a search near a point finds the
# statewide and national services) and BENCH_SERVICES demo recovery support
# services beside the largest size's meetings, and measures GET
# /api/v1/services the same way (wrk):
#
#   services near          25 nearest within 50 km, with the services whose
#                          area covers the point
#   + category             the same, one random category
#   + open now             the same, open now, seen from a US zone
#   facets                 of services near
#   keyword                anywhere, a word or a quoted phrase
#   category anywhere      one random category, no place
#
# With feeds, the Meeting Guide feed's files: every file written from the
# database (finder feeds --force) and what they weigh; a small source
# imported, with the files' update; then nearest-25 searches timed one
# after another, alone and beside BENCH_FEED_CLIENTS clients downloading the
# whole feed again and again (plain as fast as they can and paced, gzipped,
# and with the files moved away so that the handler writes it).
#
# Then the page itself (tests/bench/page.mjs): the finder loaded in headless
# Chromium, each time with an empty cache, BENCH_PAGE_RUNS times a view, on
# loopback and on a simulated slow 4G connection with a 4x slower processor:
# the time from navigation to the first result on screen (median and
# slowest), the bytes the browser received and the requests made.
#
# Exits non-zero when any request or import failed.
#
# Settings (environment):
#   BENCH_SIZES        meeting counts to measure at, a space list (default
#                      "50000 500000 1000000"; BENCH_SIZE=N alone means N)
#   BENCH_SERVICES     recovery support services to load (default 200000; 0:
#                      no services searches)
#   BENCH_ONLY         what to measure, a comma list of meetings (static
#                      file, health and the meeting searches), import,
#                      feeds, services and page (default: all five); the
#                      meetings are loaded in any case
#   BENCH_FEED_CLIENTS clients downloading the whole feed at once (default 8)
#   BENCH_FEED_IMPORT_SIZE  meetings in the feeds part's small import
#                      (default 100)
#   BENCH_FEED_RATE    each client's speed in the paced run, as curl's
#                      --limit-rate (default 12M: bytes a second, about
#                      100 Mbit/s; eight of them fill a 1 Gbit/s link)
#   BENCH_PAGE_RUNS    page loads a view and connection (default 10)
#   BENCH_IMPORT_SIZE  meetings in the imported feed (default 100000, at most
#                      the largest size)
#   BENCH_SECONDS      length of each measured run (default 10)
#   BENCH_WARMUP       warm-up before each measured run, seconds (default 3)
#   BENCH_CONNECTIONS  concurrent connections, wrk and pgbench (default 8)
#   BENCH_THREADS      wrk and pgbench threads (default 2)
#   WORKERS            handler worker processes (default: 2 per core)
#   RUN_USER           the user the stack runs as when started as root
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BENCH_SIZES=${BENCH_SIZES:-${BENCH_SIZE:-50000 500000 1000000}}
BENCH_SERVICES=${BENCH_SERVICES:-200000}
BENCH_ONLY=${BENCH_ONLY:-meetings,import,feeds,services,page}
BENCH_FEED_CLIENTS=${BENCH_FEED_CLIENTS:-8}
BENCH_FEED_IMPORT_SIZE=${BENCH_FEED_IMPORT_SIZE:-100}
BENCH_FEED_RATE=${BENCH_FEED_RATE:-12M}
BENCH_PAGE_RUNS=${BENCH_PAGE_RUNS:-10}
BENCH_IMPORT_SIZE=${BENCH_IMPORT_SIZE:-100000}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_WARMUP=${BENCH_WARMUP:-3}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-8}
BENCH_THREADS=${BENCH_THREADS:-2}
RUN_USER=${RUN_USER:-recoveryfinder}
STATEMENT_TIMEOUT_MS=${FINDER_STATEMENT_TIMEOUT_MS:-5000}
WORKERS=${WORKERS:-$(($(nproc) * 2))}
export RUN_USER WORKERS

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }

is_count() { [[ $1 =~ ^[0-9]+$ ]]; }
read -r -a SIZES <<<"$BENCH_SIZES"
[ "${#SIZES[@]}" -gt 0 ] || die "BENCH_SIZES must list at least one size"
for size in "${SIZES[@]}"; do
    if ! is_count "$size" || [ "$size" -eq 0 ]; then
        die "BENCH_SIZES must be positive whole numbers, not '$size'"
    fi
done
# The largest size: the imports, the services and the page are measured on it.
BENCH_SIZE=$(printf '%s\n' "${SIZES[@]}" | sort -n | tail -1)
for v in BENCH_SERVICES BENCH_PAGE_RUNS BENCH_IMPORT_SIZE BENCH_FEED_CLIENTS BENCH_FEED_IMPORT_SIZE BENCH_SECONDS BENCH_WARMUP BENCH_CONNECTIONS BENCH_THREADS WORKERS; do
    is_count "${!v}" || die "$v must be a whole number"
done
[ "$BENCH_SECONDS" -gt 0 ] || die "BENCH_SECONDS must be at least 1"
[[ $BENCH_FEED_RATE =~ ^[1-9][0-9]*[kKmMgG]?$ ]] ||
    die "BENCH_FEED_RATE must be a rate as curl's --limit-rate takes it, such as 12M"
if [ "$BENCH_THREADS" -eq 0 ] || [ "$BENCH_THREADS" -gt "$BENCH_CONNECTIONS" ]; then
    die "BENCH_THREADS must be between 1 and BENCH_CONNECTIONS"
fi
[[ $BENCH_ONLY =~ ^(meetings|import|feeds|services|page)(,(meetings|import|feeds|services|page))*$ ]] ||
    die "BENCH_ONLY must be a comma list of meetings, import, feeds, services and page"
# wants PART: whether BENCH_ONLY names it.
wants() { [[ ,$BENCH_ONLY, == *,$1,* ]]; }

require() { # require TOOL DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 ||
        die "$1 is missing: run 'make deps-test' (Debian package $2)"
}
require wrk wrk
require pgbench postgresql-client-15
require psql postgresql-client-15
require curl curl
require python3 python3
require perl perl-base
[ "$(id -u)" -ne 0 ] || require runuser util-linux
[ -x build/finder ] || die "build/finder is missing: run 'make build' (or 'make bench')"
[ -f sql/demo/demo.sql ] || die "sql/demo/demo.sql (the demo-data generator) is missing"
if wants services && [ "$BENCH_SERVICES" -gt 0 ]; then
    [ -f sql/demo/services.sql ] ||
        die "sql/demo/services.sql (the services' demo-data generator) is missing"
    require node nodejs  # scripts/gazetteer.sh
    require npm npm
fi
if wants page; then
    require node nodejs
    require npm npm
    [ -x /usr/bin/chromium ] || die "chromium is missing: run 'make deps-test' (Debian package chromium)"
fi

# as_run_user CMD...: as stack.sh does, run a command as the stack's owner.
as_run_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$RUN_USER" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The throwaway stack, as tests/run.sh makes it: removed on any exit. (Not
# a VAR_DIR from the environment, such as a `make run`'s.)
VAR_DIR=
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    [ -n "${VAR_DIR:-}" ] || exit "$rc"
    if [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ]; then
        log "bench: interrupted; removing the throwaway stack"
    elif [ "$rc" -ne 0 ] && [ -d "$VAR_DIR/log" ]; then
        log ""
        log "bench: failed (status $rc); the end of the throwaway stack's logs:"
        (cd "$VAR_DIR/log" && tail -n 6 finder.log nginx-error.log postgresql.log 2>/dev/null |
            cut -c 1-200 >&2) || true
    fi
    VAR_DIR=$VAR_DIR scripts/stack.sh stop >/dev/null 2>&1 || true
    rm -rf "$VAR_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
VAR_DIR=$(mktemp -d /tmp/finder-bench.XXXXXX)
PORT=$(free_port)
DB_PORT=$(free_port)
DB_NAME=finder_bench_$BENCH_SIZE
DEMO_SIZE=$BENCH_SIZE
WEB_ROOT=$VAR_DIR/web-bench
export VAR_DIR PORT DB_PORT DB_NAME DEMO_SIZE WEB_ROOT
# wrk sends tens of thousands of requests a second from 127.0.0.1: the
# API's rate limit per address (20r/s by default) would measure its 429s.
export API_RATE=1000000r/s API_BURST=1000000
RUN_DIR=$VAR_DIR/run
WORK=$VAR_DIR/bench
BASE_URL=http://127.0.0.1:$PORT

psql_bench() { scripts/stack.sh psql -tA "$@"; }

start_stack() {
    log "bench: throwaway stack in $VAR_DIR (nginx on $PORT, PostgreSQL on $DB_PORT)"
    scripts/stack.sh db-start
    # nginx's web root: a copy of web/ plus the static file, so the
    # project's web/ is never written to.
    as_run_user mkdir -p "$WEB_ROOT" "$WORK"
    as_run_user cp -R "$ROOT/web/." "$WEB_ROOT/"
}

# use_size N: N demo meetings in their own database (finder_bench_N), loaded
# and timed, and the handler serving it.
declare -A LOAD_SECONDS
use_size() {
    local size=$1 t0 t1 i
    DB_NAME=finder_bench_$size
    export DB_NAME
    scripts/stack.sh db-start
    log "bench: loading $size demo meetings into $DB_NAME"
    t0=$(date +%s.%N)
    DEMO_SERVICES=0 scripts/stack.sh db-demo "$size"
    t1=$(date +%s.%N)
    LOAD_SECONDS[$size]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    # Write the load out now rather than during a measured run.
    psql_bench -c CHECKPOINT >/dev/null
    scripts/stack.sh app-start
    for i in $(seq 50); do
        curl -fsS -o /dev/null "$BASE_URL/api/v1/health" 2>/dev/null && return 0
        sleep 0.1
    done
    die "the stack did not answer /api/v1/health"
}

# write_points: the search points' distribution, written for wrk (a Lua
# table) and for pgbench (\set lines), the same numbers in both: a demo city
# picked by the meetings with a place that it has, then a point drawn evenly
# from the square around its centre that reaches the distance its venues are
# placed within (demo.cities.radius_km), in millionths of a degree.
write_points() {
    local rows
    rows=$(psql_bench -F ' ' -c "
        SELECT c.lat, c.lng,
               round(c.radius_km * 1e6 / 111.32),
               round(c.radius_km * 1e6 / (111.32 * cos(radians(c.lat)))),
               count(*)
        FROM demo.cities c
        JOIN locations l ON l.city = c.name AND l.region = c.region AND l.country = c.country
        JOIN meetings m ON m.location_id = l.id AND m.active
        GROUP BY c.id
        ORDER BY c.id")
    [ -n "$rows" ] || die "no demo meeting is in a demo.cities city"
    CITY_COUNT=$(wc -l <<<"$rows")
    local max_id
    max_id=$(psql_bench -c "SELECT max(id) FROM meetings")
    awk -v lua="$WORK/points.lua" -v pgb="$WORK/points.pgbench" -v max_id="$max_id" '
        { cum += $5; c[NR] = cum; v["lat", NR] = $1; v["lng", NR] = $2; v["jlat", NR] = $3; v["jlng", NR] = $4 }
        END {
            printf "return { total = %d, max_id = %d, cities = {\n", cum, max_id > lua
            for (i = 1; i <= NR; i++)
                printf "  {%d, %s, %s, %d, %d},\n", c[i], v["lat", i], v["lng", i],
                    v["jlat", i], v["jlng", i] > lua
            print "} }" > lua
            printf "\\set r random(1, %d)\n", cum > pgb
            split("lat lng jlat jlng", names, " ")
            for (k = 1; k <= 4; k++) {
                printf "\\set c%s CASE", names[k] > pgb
                for (i = 1; i < NR; i++)
                    printf " WHEN :r <= %d THEN %s", c[i], v[names[k], i] > pgb
                printf " ELSE %s END\n", v[names[k], NR] > pgb
            }
            print "\\set lat :clat + random(-:cjlat, :cjlat) * 0.000001" > pgb
            print "\\set lng :clng + random(-:cjlng, :cjlng) * 0.000001" > pgb
        }' <<<"$rows"
}

# pgbench_sql FILE NAME=VALUE...: the statement in FILE (one of
# sql/queries, its fragments spliced in by scripts/sqlinc.sh: exactly what
# the handler prepares) for a pgbench script: comments dropped, on one
# line, each parameter replaced by the value given for its name (the names
# of its -- @params line, sqlinc.sh -p: a :variable, which -M prepared
# sends as a parameter, or an SQL literal), NULL for those not given
# (pgbench has no NULL parameter, and under plan_cache_mode=force_custom_plan
# a NULL parameter and a NULL literal fold into the same plan). A name the
# statement does not take is an error.
pgbench_sql() {
    perl -e '
        my ($file, @pairs) = @ARGV;
        open(my $fh, "-|", "scripts/sqlinc.sh", "-p", $file) or die "$file: $!\n";
        my @names = split(" ", join("", <$fh>));
        close($fh) or die "$file: sqlinc.sh -p failed\n";
        my %value;
        for my $pair (@pairs) {
            my ($name, $v) = $pair =~ /^([a-z_]+)=(.*)$/s or die "$file: not NAME=VALUE: $pair\n";
            grep { $_ eq $name } @names or die "$file: no parameter $name\n";
            $value{$name} = $v;
        }
        open($fh, "-|", "scripts/sqlinc.sh", $file) or die "$file: $!\n";
        my $sql = join("", <$fh>);
        close($fh) or die "$file: sqlinc.sh failed\n";
        $sql =~ s/--[^\n]*//g;
        $sql =~ s/\$(\d+)/$value{$names[$1 - 1]} \/\/ "NULL"/ge;
        $sql =~ s/\s+/ /g;
        $sql =~ s/^ | $//g;
        print "$sql;\n";
    ' "$@"
}

# The pages alone, the ceilings of the searches (see the top), with the
# searches' parameters: near a point, the index walk to the page with every
# filter and without counting (sql/queries/meetings_near_page.sql, which the
# handler runs when the candidates do not hold the page); anywhere, the
# statement the handler runs for a soonest-first page that the candidates
# do not hold (meetings_all_next.sql), at its first step.
# nearest.pgbench: the 25 nearest within 50 km; radius-D.pgbench: within
# 25 km on day D, type O (pgbench picks one of the seven at random; a pgbench
# variable holds a number, so the day goes as the array text the handler
# sends, '{"D"}'); window-D-W-Z.pgbench: today or tomorrow (D 7 or 8), a
# window of the day W, seen from zone Z; landing.pgbench and soon.pgbench:
# the first step of meetings_all_next.sql at a random minute of the
# coming week (online and hybrid, seen from a US zone; online starting
# within the hour).
WINDOWS_FROM=(04:00 11:00 16:00 20:00 18:00)
WINDOWS_TO=(11:59 16:59 20:59 04:59 21:00)
ZONES=(America/New_York America/Chicago America/Denver America/Los_Angeles)
write_pgbench_scripts() {
    local d w z
    rm -f "$WORK"/*.pgbench.tx
    # The filters by name (sql/queries/include/meetings_filter.sql), NULL
    # unless given.
    page() { # page OUT RADIUS_M NAME=VALUE...: one sql/queries/meetings_near_page.sql transaction
        local out=$1 radius=$2
        shift 2
        {
            cat "$WORK/points.pgbench"
            pgbench_sql sql/queries/meetings_near_page.sql "$@" lat=:lat lng=:lng \
                radius="$radius" limit=25 offset=0
        } >"$WORK/$out"
    }
    page nearest.pgbench 50000
    for d in 0 1 2 3 4 5 6; do
        page "radius-$d.pgbench" 25000 day=":day_$d" type=:type
    done
    for d in 7 8; do
        for w in 0 1 2 3 4; do
            for z in "${ZONES[@]}"; do
                page "window-$d-$w-${z//\//_}.pgbench" 25000 day=":day_$d" tz="'$z'" \
                    time_from="'${WINDOWS_FROM[$w]}'" time_to="'${WINDOWS_TO[$w]}'"
            done
        done
    done
    # A random minute of the coming week, as the wrk scripts send it.
    local now="(timestamptz '2026-12-07 00:00Z' + :minute * interval '1 minute')::text"
    for z in "${ZONES[@]}"; do
        {
            echo "\\set minute random(0, 10079)"
            pgbench_sql sql/queries/meetings_all_next.sql attendance="'{online,hybrid}'" \
                tz="'$z'" now="$now" limit=25 offset=0 step=0
        } >"$WORK/landing-${z//\//_}.pgbench"
        {
            echo "\\set minute random(0, 10079)"
            pgbench_sql sql/queries/meetings_all_next.sql attendance="'{online}'" tz="'$z'" \
                now="$now" within=60 limit=25 offset=0 step=0
        } >"$WORK/soon-${z//\//_}.pgbench"
    done
    chmod a+r "$WORK"/*.pgbench "$WORK/points.lua"
}

# write_static_file: the static file is a real nearest-25 answer, the
# median-sized of those at a few city centres.
write_static_file() {
    local i lat lng sizes=() best
    for i in $(seq 1 9); do
        read -r lat lng < <(awk -v n="$i" 'NR == n + 1 && /^  \{/ { gsub(/[{},]/, " "); print $2, $3 }' \
            "$WORK/points.lua") || break
        curl -fsS -o "$WORK/sample-$i.json" \
            "$BASE_URL/api/v1/meetings?lat=$lat&lng=$lng&limit=25&radius_km=50" ||
            die "a sample search failed (lat=$lat lng=$lng)"
        sizes+=("$(wc -c <"$WORK/sample-$i.json") $i")
    done
    best=$(printf '%s\n' "${sizes[@]}" | sort -n | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
    as_run_user tee "$WEB_ROOT/bench-static.json" <"$WORK/sample-$best.json" >/dev/null
    STATIC_SIZE=$(wc -c <"$WEB_ROOT/bench-static.json")
}

declare -A RPS P50 P99 NOTE
# The landing page's search: what web/js/state.js asks with no place.
HOME_SEARCH='attendance=online%2Chybrid&tz=America%2FChicago'
ERRORS=()

# run_wrk KEY PATH SCRIPT [SCRIPT_ARGS...]: a warm-up, then the measured run,
# every request answered by the handler: nginx's API cache is asked not to
# answer (Cache-Control: no-cache). run_wrk_cached: the same, letting the
# cache answer.
run_wrk() {
    run_wrk_with handler "$@"
}
run_wrk_cached() {
    run_wrk_with cache "$@"
}
run_wrk_with() { # run_wrk_with handler|cache KEY PATH SCRIPT [SCRIPT_ARGS...]
    local who=$1 key=$2 path=$3 script=$4 line fresh=()
    shift 4
    [ "$who" = cache ] || fresh=(-H 'Cache-Control: no-cache')
    local cmd=(wrk -t "$BENCH_THREADS" -c "$BENCH_CONNECTIONS" --timeout 10s "${fresh[@]}"
        -s "$ROOT/tests/bench/$script" "$BASE_URL$path" -- "$@")
    log "bench: $key (wrk)"
    if [ "$BENCH_WARMUP" -gt 0 ]; then
        "${cmd[0]}" -d "${BENCH_WARMUP}s" "${cmd[@]:1}" >"$WORK/$key.warmup.txt"
    fi
    "${cmd[0]}" -d "${BENCH_SECONDS}s" "${cmd[@]:1}" >"$WORK/$key.txt"
    line=$(grep '^BENCH ' "$WORK/$key.txt" | tail -1) || die "$key: wrk printed no result"
    field() { sed -nE "s/.* $1=([^ ]+).*/\1/p" <<<"$line"; }
    RPS[$key]=$(field rps)
    P50[$key]=$(field p50_ms)
    P99[$key]=$(field p99_ms)
    local requests non2xx sock timeouts
    requests=$(field requests)
    non2xx=$(field non2xx)
    sock=$(field socket_errors)
    timeouts=$(field timeouts)
    if [ "$requests" -eq 0 ] || [ "$non2xx" -ne 0 ] || [ "$sock" -ne 0 ] || [ "$timeouts" -ne 0 ]; then
        NOTE[$key]="ERRORS: $non2xx non-2xx, $sock socket errors, $timeouts timeouts of $requests"
        ERRORS+=("$key: ${NOTE[$key]}")
    fi
}

# percentiles FILE...: "p50 p99" in ms of pgbench's per-transaction logs
# (the third field is the transaction's time in microseconds).
percentiles() {
    cat "$@" | awk '{ print $3 }' | sort -n | awk '
        { t[NR] = $1 }
        END {
            if (NR == 0) { print "0 0"; exit }
            i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++
            i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++
            printf "%.3f %.3f\n", t[i50] / 1000, t[i99] / 1000
        }'
}

# run_pgbench KEY SCRIPT...: a warm-up, then the measured run with
# per-transaction logs. As the handler does: the reader role over the unix
# socket, its session settings, statements prepared once per connection.
run_pgbench() {
    local key=$1 s rc=0 tps failed
    shift
    local scripts=()
    for s in "$@"; do scripts+=(-f "$WORK/$s@1"); done
    local cmd=(env PGOPTIONS="-c statement_timeout=$STATEMENT_TIMEOUT_MS -c plan_cache_mode=force_custom_plan -c default_transaction_read_only=on -c jit=off -c max_parallel_workers_per_gather=0"
        pgbench -n -M prepared -c "$BENCH_CONNECTIONS" -j "$BENCH_THREADS"
        -h "$RUN_DIR" -p "$DB_PORT" -U finder_reader
        -D 'type={"O"}')
    for s in 0 1 2 3 4 5 6 7 8; do cmd+=(-D "day_$s={\"$s\"}"); done
    log "bench: $key (pgbench)"
    if [ "$BENCH_WARMUP" -gt 0 ]; then
        as_run_user "${cmd[@]}" -T "$BENCH_WARMUP" "${scripts[@]}" "$DB_NAME" \
            >"$WORK/$key.warmup.txt" 2>&1 || rc=$?
    fi
    as_run_user mkdir -p "$WORK/$key.log"
    if [ "$rc" -eq 0 ]; then
        as_run_user "${cmd[@]}" -T "$BENCH_SECONDS" -l --log-prefix="$WORK/$key.log/tx" \
            "${scripts[@]}" "$DB_NAME" >"$WORK/$key.txt" 2>&1 || rc=$?
    fi
    tps=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$WORK/$key.txt" 2>/dev/null | tail -1)
    failed=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$WORK/$key.txt" 2>/dev/null | tail -1)
    if [ "$rc" -ne 0 ] || [ -z "$tps" ] || [ "${failed:-0}" -ne 0 ]; then
        local why
        why=$(cat "$WORK/$key.warmup.txt" "$WORK/$key.txt" 2>/dev/null |
            grep -m 1 -iE 'error|abort|fatal' | cut -c 1-160 || true)
        NOTE[$key]="ERRORS: pgbench failed (status $rc)"
        ERRORS+=("$key: pgbench failed (status $rc): ${why:-no result}")
        RPS[$key]=0 P50[$key]=0 P99[$key]=0
        return 0
    fi
    RPS[$key]=$tps
    read -r "P50[$key]" "P99[$key]" < <(percentiles "$WORK/$key.log"/tx.*)
}

# load_services: the gazetteer (a search near a point finds the statewide
# and national services through it, hsds.point_area), then BENCH_SERVICES
# demo services beside the meetings, timed.
load_services() {
    local t0 t1
    if [ "$(psql_bench -c 'SELECT count(*) FROM places')" = 0 ]; then
        log "bench: loading the gazetteer"
        scripts/gazetteer.sh
    fi
    log "bench: loading $BENCH_SERVICES demo services into $DB_NAME"
    t0=$(date +%s.%N)
    DEMO_SERVICES=$BENCH_SERVICES scripts/stack.sh db-demo "$BENCH_SIZE"
    t1=$(date +%s.%N)
    SERVICES_LOAD_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    psql_bench -c CHECKPOINT >/dev/null
}

# write_service_points: the services searches' points, as write_points
# writes the meetings' (services-points.lua, the same shape), with each
# city weighted by the listed services that have a location in it.
write_service_points() {
    local rows
    rows=$(psql_bench -F ' ' -c "
        SELECT c.lat, c.lng,
               round(c.radius_km * 1e6 / 111.32),
               round(c.radius_km * 1e6 / (111.32 * cos(radians(c.lat)))),
               count(*)
        FROM demo.cities c
        JOIN hsds.address a
          ON a.city = c.name AND a.state_province = c.region AND a.country = c.country
        JOIN hsds.service_at_location sal ON sal.location_id = a.location_id
        JOIN hsds.service s ON s.id = sal.service_id AND s.listed
        GROUP BY c.id
        ORDER BY c.id")
    [ -n "$rows" ] || die "no demo service is in a demo.cities city"
    SERVICE_CITY_COUNT=$(wc -l <<<"$rows")
    awk -v lua="$WORK/services-points.lua" '
        { cum += $5; line[NR] = sprintf("  {%d, %s, %s, %d, %d},", cum, $1, $2, $3, $4) }
        END {
            printf "return { total = %d, cities = {\n", cum > lua
            for (i = 1; i <= NR; i++) print line[i] > lua
            print "} }" > lua
        }' <<<"$rows"
    chmod a+r "$WORK/services-points.lua"
}

human_bytes() {
    awk -v b="$1" 'BEGIN { if (b < 1024) printf "%d B", b; else printf "%.1f KB", b / 1024 }'
}

# The meetings' tests: key, label, the key of its ceiling (or nothing).
MEETING_TESTS=(
    "nearest|nearest 25 within 50 km|nearest_page"
    "radius|radius 25 km + day + type|radius_page"
    "window|day + time window, 25 km|window_page"
    "facets_near|facets of nearest 25|nearest_page"
    "landing|landing: online+hybrid, soonest|landing_page"
    "facets_landing|facets of landing|landing_page"
    "soon|online within the hour, soonest|soon_page"
    "landing_cached|landing, from nginx's cache|"
    "facets_landing_cached|facets of landing, from the cache|"
    "keyword|keyword anywhere|"
    "detail|a meeting by id|"
    "lists|fellowships, types|"
    "nearest_page|  page alone: nearest (pgbench)|"
    "radius_page|  page alone: radius (pgbench)|"
    "window_page|  page alone: window (pgbench)|"
    "landing_page|  page alone: landing (pgbench)|"
    "soon_page|  page alone: soon (pgbench)|"
)

print_table() {
    local cpu size first last key label ceiling t
    cpu=$(sed -nE 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
    echo
    echo "machine: $(nproc) cores, ${cpu:-unknown CPU}; handler: $WORKERS workers"
    for size in "${SIZES[@]}"; do
        echo "dataset: $size demo meetings (load ${LOAD_SECONDS[$size]} s)"
    done
    if [ -n "${SERVICES_LOAD_SECONDS:-}" ]; then
        echo "services: $BENCH_SERVICES services beside the $BENCH_SIZE meetings," \
            "$SERVICE_CITY_COUNT cities with a located one (load $SERVICES_LOAD_SECONDS s)"
    fi
    echo "runs: $BENCH_CONNECTIONS connections, $BENCH_THREADS threads, ${BENCH_WARMUP} s warm-up, then ${BENCH_SECONDS} s"
    echo
    printf '%-36s %9s %9s %8s %8s %8s\n' test meetings "req/s" "p50 ms" "p99 ms" ceiling
    row() { # row LABEL KEY SIZE [CEILING_KEY]
        local k="$2@$3" ratio=""
        [ -n "${RPS[$k]:-}" ] || return 0
        if [ -n "${4:-}" ] && [ -n "${RPS[$4@$3]:-}" ]; then
            ratio=$(awk -v a="${RPS[$k]}" -v b="${RPS[$4@$3]}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }')
        fi
        printf '%-36s %9s %9.1f %8.2f %8.2f %8s' "$1" "$3" "${RPS[$k]}" "${P50[$k]}" "${P99[$k]}" "$ratio"
        [ -z "${NOTE[$k]:-}" ] || printf '   %s' "${NOTE[$k]}"
        printf '\n'
    }
    if wants meetings; then
        for size in "${SIZES[@]}"; do
            row "static JSON ($(human_bytes "${STATIC_BYTES[$size]}"))" static "$size"
            row "/api/v1/health" health "$size"
        done
        for t in "${MEETING_TESTS[@]}"; do
            IFS='|' read -r key label ceiling <<<"$t"
            for size in "${SIZES[@]}"; do
                row "$label" "$key" "$size" "$ceiling"
                label=""
            done
        done
        first=${SIZES[0]} last=${SIZES[${#SIZES[@]} - 1]}
        if [ "$first" != "$last" ]; then
            echo
            echo "p99 at $last meetings over p99 at $first:"
            for t in "${MEETING_TESTS[@]}"; do
                IFS='|' read -r key label ceiling <<<"$t"
                [ -n "${P99[$key@$first]:-}" ] && [ -n "${P99[$key@$last]:-}" ] || continue
                printf '  %-34s %s\n' "${label# }" "$(awk -v a="${P99[$key@$last]}" -v b="${P99[$key@$first]}" \
                    'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }')"
            done
        fi
    fi
    if [ -n "${SERVICES_LOAD_SECONDS:-}" ]; then
        echo
        for t in "svc_near|services near" "svc_category|services near + category" \
            "svc_open|services near + open now" "svc_facets|facets of services near" \
            "svc_keyword|services keyword anywhere" "svc_category_only|services category anywhere"; do
            IFS='|' read -r key label <<<"$t"
            row "$label" "$key" "$BENCH_SIZE"
        done
    fi
    echo
    wants meetings || { print_services_notes; return 0; }
    echo "ceiling: the API's requests/s over its page alone's transactions/s in pgbench:"
    echo "the walk to the page with every filter, without counting (near a point:"
    echo "sql/queries/meetings_near_page.sql; anywhere: the first step of"
    echo "sql/queries/meetings_all_next.sql), prepared (-M prepared), as finder_reader"
    echo "over the unix socket with plan_cache_mode=force_custom_plan; the API also"
    echo "counts, and passes through nginx and the handler."
    echo "Search points: a demo city picked by its share of the meetings, then a point"
    echo "anywhere in the square its venues lie in (demo.cities.radius_km each way);"
    echo "nearest: limit=25, radius_km=50; radius: radius_km=25, a random day, type=O;"
    echo "window: radius_km=25, day=today|tomorrow, time=a named window or 18:00-21:00,"
    echo "tz=a US zone; keyword: q=one of ten words or a phrase; online soon:"
    echo "attendance=online&starts_within=60; landing: attendance=online,hybrid, a US"
    echo "zone; both sorted by next start; the searches anywhere at a random now= of"
    echo "the coming week (every time of the week, not only the hour of the run)."
    echo "Every API run but the cached ones sends Cache-Control: no-cache (the handler"
    echo "answers); cached: the landing page's $HOME_SEARCH and its facets from nginx's"
    echo "API cache, which answers all but the first of each minute."
    echo "wrk sends no Accept-Encoding, so nginx compresses neither the file nor the API."
    print_services_notes
}

print_services_notes() {
    [ -n "${SERVICES_LOAD_SECONDS:-}" ] || return 0
    echo "Services (GET /api/v1/services, loaded after the meetings' runs): points drawn"
    echo "as the meetings' are, each city weighted by its located services; near: limit=25,"
    echo "radius_km=50; +category: one of the ten; +open now: open_now=true, tz=a US zone;"
    echo "keyword: q=one of ten words or a phrase; category only: category=one of the"
    echo "ten, anywhere."
}

# write_import_feeds: a Meeting Guide feed of the first BENCH_IMPORT_SIZE
# demo meetings under keys of their own, and a copy in which every tenth
# meeting's name changed.
write_import_feeds() {
    local select="SELECT coalesce(json_agg(json_strip_nulls(json_build_object(
            'name', CASE WHEN \$1 AND id % 10 = 0 THEN name || ' (changed)' ELSE name END,
            'slug', 'b' || id, 'day', day, 'time', time, 'end_time', end_time,
            'timezone', timezone, 'types', type_codes, 'location', location_name,
            'address', address, 'city', city, 'state', region, 'postal_code', postal_code,
            'country', country, 'latitude', round(lat::numeric, 6),
            'longitude', round(lng::numeric, 6), 'conference_url', conference_url,
            'conference_phone', conference_phone, 'notes', notes, 'group', group_name,
            'attendance_option', attendance)) ORDER BY id), '[]')
        FROM (SELECT * FROM meeting_details WHERE active ORDER BY id LIMIT $BENCH_IMPORT_SIZE) m"
    psql_bench -q -c "PREPARE feed(boolean) AS $select" -c "EXECUTE feed(false)" \
        >"$WORK/import.json"
    psql_bench -q -c "PREPARE feed(boolean) AS $select" -c "EXECUTE feed(true)" \
        >"$WORK/import-changed.json"
}

# run_import NAME FILE: times one import into the source bench-import.
run_import() {
    local t0 t1 out
    t0=$(date +%s.%N)
    if ! out=$(scripts/stack.sh import --json --quiet --format meeting-guide \
                   --source bench-import --timezone America/Chicago --fellowship aa "$2" 2>&1); then
        ERRORS+=("import $1: $out")
        return 0
    fi
    t1=$(date +%s.%N)
    IMPORT_SECONDS[$1]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    IMPORT_COUNTS[$1]=$(python3 -c 'import json, sys
c = json.loads(sys.argv[1])["counts"]
print("inserted %(inserted)d, updated %(updated)d, unchanged %(unchanged)d" % c)' "$out")
}

# run_sync NAME: times one `finder sync` of the source bench-sync.
run_sync() {
    local t0 t1 out
    t0=$(date +%s.%N)
    if ! out=$(FINDER_FETCH_ALLOW=127.0.0.1 scripts/stack.sh sync bench-sync 2>&1); then
        ERRORS+=("sync $1: $out")
        return 0
    fi
    t1=$(date +%s.%N)
    IMPORT_SECONDS[$1]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    IMPORT_COUNTS[$1]=$(sed -nE 's/^bench-sync: ([a-z]+) \((HTTP [0-9]+), ([0-9]+) bytes\):? ?(.*)$/\1, \2, \3 bytes; \4/p' <<<"$out" | sed 's/; $//' | cut -c1-90)
}

# bench_sync: the import's feed served on loopback (python3's http.server,
# which answers If-Modified-Since with 304) and synced as a source.
bench_sync() {
    local port pid
    port=$(free_port)
    mkdir -p "$WORK/sync"
    cp "$WORK/import.json" "$WORK/sync/feed.json"
    chmod -R a+rX "$WORK/sync"
    python3 -m http.server "$port" --bind 127.0.0.1 --directory "$WORK/sync" >/dev/null 2>&1 &
    pid=$!
    sleep 1
    scripts/stack.sh source add bench-sync --url "http://127.0.0.1:$port/feed.json" \
        --format meeting-guide --timezone America/Chicago --fellowship aa >/dev/null ||
        ERRORS+=("sync: source add failed")
    run_sync sync_first
    run_sync sync_not_modified
    sleep 1  # a later Last-Modified
    cp "$WORK/import-changed.json" "$WORK/sync/feed.json"
    run_sync sync_changed
    kill "$pid" 2>/dev/null || true
}

print_imports() {
    local name
    echo
    printf '%-34s %9s %13s   %s\n' "import ($BENCH_IMPORT_SIZE meetings)" seconds "meetings/s" result
    for name in first again changed sync_first sync_not_modified sync_changed; do
        [ -n "${IMPORT_SECONDS[$name]:-}" ] || continue
        printf '%-34s %9s %13s   %s\n' "$name" "${IMPORT_SECONDS[$name]}" \
            "$(awk -v n="$BENCH_IMPORT_SIZE" -v s="${IMPORT_SECONDS[$name]}" 'BEGIN { printf "%.0f", n / s }')" \
            "${IMPORT_COUNTS[$name]}"
    done
    echo "first: a new source, every meeting inserted; again: the same file; changed:"
    echo "every tenth meeting renamed. Each is one transaction, from reading the file"
    echo "to the commit (finder import, as finder_importer over the unix socket)."
    echo "sync_*: the same feed as a source synced from a loopback URL (finder sync:"
    echo "the fetch, the child import, the attempt recorded): a new source, a 304,"
    echo "every tenth meeting renamed."
}

# print_page: the page's loads (tests/bench/page.mjs) and its own weight.
print_page() {
    [ -s "$WORK/page.tsv" ] || return 0
    local own
    # Each file compressed on its own, as nginx sends it (gzip_comp_level 5).
    own=$(cd "$ROOT/web" && for f in style.css js/*.js embed.js; do gzip -5 -c "$f" | wc -c; done |
        awk '{ n += $1 } END { print n }')
    echo
    printf '%-26s %-16s %5s %12s %9s %9s %9s\n' page network runs "median ms" "max ms" KB requests
    awk -F '\t' '{ printf "%-26s %-16s %5d %12d %9d %9.1f %9d\n", $2, $3, $4, $5, $6, $7, $8 }' "$WORK/page.tsv"
    echo "ms: from the start of navigation to the first result (or the detail) on"
    echo "screen, each load in a new browser context (nothing cached), 390x844 viewport;"
    echo "KB: everything the browser received (transferSize), compressed as sent."
    echo "slow 4G: Chrome's preset (150 ms, 1.6 Mbit/s down, 750 kbit/s up) and the"
    echo "processor slowed 4x. The page's own CSS and JavaScript: $(human_bytes "$own") gzipped."
}

# ---- The Meeting Guide feed's files (BENCH_ONLY=feeds) ----------------------

declare -A FEED_STATS
FEED_CONDITIONS=(plain paced gzip handler)

# now_ms: the monotonic-enough wall clock in milliseconds.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# feeds_export: every file written again from the database (finder feeds
# --force), timed; then what the files weigh on disk.
feeds_export() {
    local t0 t1 dir=$VAR_DIR/feeds
    log "bench: writing every feed file from the database (finder feeds --force)"
    t0=$(now_ms)
    scripts/stack.sh feeds --force >"$WORK/feeds-export.txt" 2>&1 ||
        ERRORS+=("feeds: finder feeds --force failed: $(tail -1 "$WORK/feeds-export.txt")")
    t1=$(now_ms)
    FEED_STATS[export_s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
    FEED_STATS[all]=$(stat -c %s "$dir/meeting-guide.json" 2>/dev/null || echo 0)
    FEED_STATS[all_gz]=$(stat -c %s "$dir/meeting-guide.json.gz" 2>/dev/null || echo 0)
    FEED_STATS[sources]=$(find "$dir/source" -name '*.json' -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }')
    FEED_STATS[sources_gz]=$(find "$dir/source" -name '*.json.gz' -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }')
    FEED_STATS[parts]=$(find "$dir/parts" -name '*.part' -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }')
    FEED_STATS[disk]=$(du -sb "$dir" | awk '{ print $1 }')
}

# feeds_small_import: BENCH_FEED_IMPORT_SIZE demo meetings imported as a new
# source beside the others, then the same file again: the import with the
# feed files' update (this source's file, and the feed of all sources joined
# from the parts), and the update alone, from the importer's own line.
feeds_small_import() {
    local name t0 t1 out
    psql_bench -q -c "SELECT coalesce(json_agg(json_strip_nulls(json_build_object(
            'name', name, 'slug', 'f' || id, 'day', day, 'time', time, 'timezone', timezone,
            'types', type_codes, 'address', address, 'city', city, 'state', region,
            'postal_code', postal_code, 'country', country, 'latitude', round(lat::numeric, 6),
            'longitude', round(lng::numeric, 6), 'conference_url', conference_url,
            'attendance_option', attendance)) ORDER BY id), '[]')
        FROM (SELECT * FROM meeting_details WHERE active ORDER BY id
              LIMIT $BENCH_FEED_IMPORT_SIZE) m" >"$WORK/feeds-small.json"
    for name in first again; do
        log "bench: importing $BENCH_FEED_IMPORT_SIZE meetings into a new source ($name)"
        t0=$(now_ms)
        if ! out=$(scripts/stack.sh import --format meeting-guide --source bench-feeds-small \
                       --timezone America/Chicago --fellowship aa "$WORK/feeds-small.json" 2>&1); then
            ERRORS+=("feeds: the small import ($name) failed: $(tail -1 <<<"$out")")
            return 0
        fi
        t1=$(now_ms)
        FEED_STATS[import_${name}_s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
        FEED_STATS[import_${name}_files]=$(sed -nE 's/^finder import: feed files in .*; ([0-9.]+) s$/\1/p' <<<"$out")
        FEED_STATS[import_${name}_line]=$(grep '^finder import: feed files' <<<"$out" | sed 's/^finder import: feed files in [^:]*: //')
    done
}

# search_points: the searches' points, the demo's 20 largest cities.
search_points() {
    psql_bench -F ' ' -c "SELECT round(lat::numeric, 4), round(lng::numeric, 4)
                          FROM demo.cities ORDER BY weight DESC, id LIMIT 20"
}

# search_times FILE SECONDS: nearest-25 searches within 50 km, one after
# another around the cities, for SECONDS; "status seconds" a line in FILE.
search_times() {
    local out=$1 end lat lng
    end=$(($(now_ms) + $2 * 1000))
    : >"$out"
    while [ "$(now_ms)" -lt "$end" ]; do
        while read -r lat lng; do
            curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' \
                "$BASE_URL/api/v1/meetings?lat=$lat&lng=$lng&limit=25&radius_km=50" >>"$out" ||
                echo "000 0" >>"$out"
            [ "$(now_ms)" -lt "$end" ] || break
        done <<<"$FEED_SEARCH_POINTS"
    done
}

# feed_clients NAME SECONDS [CURL_ARGS...]: BENCH_FEED_CLIENTS clients in the
# background, each fetching the feed of all sources again and again for
# SECONDS (a download is cut at the end); "status bytes seconds" a line in
# feed-NAME-N.txt. A refused one waits a second, as Retry-After asks.
feed_clients() {
    local name=$1 secs=$2 i
    shift 2
    FEED_CLIENT_PIDS=()
    for i in $(seq "$BENCH_FEED_CLIENTS"); do
        (
            end=$(($(now_ms) + secs * 1000))
            while [ "$(now_ms)" -lt "$end" ]; do
                left=$(((end - $(now_ms)) / 1000 + 1))
                line=$(curl -sS -o /dev/null --max-time "$left" "$@" \
                    -w '%{http_code} %{size_download} %{time_total}' \
                    "$BASE_URL/api/v1/feeds/meeting-guide.json" 2>/dev/null) || line="cut $line"
                echo "$line"
                case "$line" in 200*) ;; *) sleep 1 ;; esac
            done >"$WORK/feed-$name-$i.txt"
        ) &
        FEED_CLIENT_PIDS+=($!)
    done
}

# feeds_condition NAME [CURL_ARGS...]: the searches timed, alone (a NAME
# alone-*) or beside the feed's clients, and the figures of both.
feeds_condition() {
    local name=$1 times=$WORK/feed-searches-$1.txt
    shift
    log "bench: searches timed: $name"
    if [[ $name != alone* ]]; then
        feed_clients "$name" $((BENCH_SECONDS + 2)) "$@"
        sleep 1
    fi
    search_times "$times" "$BENCH_SECONDS"
    [[ $name == alone* ]] || wait "${FEED_CLIENT_PIDS[@]}" || true
    FEED_STATS[${name}_bad]=$(awk '$1 != "200"' "$times" | wc -l)
    read -r "FEED_STATS[${name}_n]" "FEED_STATS[${name}_p50]" "FEED_STATS[${name}_p90]" \
        "FEED_STATS[${name}_max]" < <(awk '$1 == "200" { print $2 * 1000 }' "$times" | sort -n | awk '
        { t[NR] = $1 }
        END {
            if (NR == 0) { print 0, 0, 0, 0; exit }
            i50 = int(NR * 0.5); if (i50 < NR * 0.5) i50++
            i90 = int(NR * 0.9); if (i90 < NR * 0.9) i90++
            printf "%d %.0f %.0f %.0f\n", NR, t[i50], t[i90], t[NR]
        }')
    [ "${FEED_STATS[${name}_bad]}" -eq 0 ] ||
        ERRORS+=("feeds: ${FEED_STATS[${name}_bad]} searches failed ($name)")
    if [[ $name != alone* ]]; then
        read -r "FEED_STATS[${name}_done]" "FEED_STATS[${name}_cut]" \
            "FEED_STATS[${name}_refused]" "FEED_STATS[${name}_mbs]" < <(cat "$WORK/feed-$name"-*.txt | awk -v s="$BENCH_SECONDS" '
            $1 == "200" { done++; bytes += $2 }
            $1 == "cut" { cut++; bytes += $3 }
            $1 == "503" { refused++ }
            END { printf "%d %d %d %.0f\n", done, cut, refused, bytes / 1e6 / (s + 2) }')
    fi
}

# bench_feeds: the export, a small import, then the searches beside 8
# downloads of the whole feed (the issue's target: a search delayed by at
# most 50 ms at 500,000 meetings), plain, gzipped, and from the handler with
# the files moved away.
bench_feeds() {
    local dir=$VAR_DIR/feeds
    feeds_export
    feeds_small_import
    FEED_SEARCH_POINTS=$(search_points)
    # Each run beside the clients follows one alone, its baseline: on a
    # shared machine the searches' own time drifts.
    feeds_condition alone-plain
    feeds_condition plain
    feeds_condition alone-paced
    feeds_condition paced --limit-rate "$BENCH_FEED_RATE"
    feeds_condition alone-gzip
    feeds_condition gzip -H 'Accept-Encoding: gzip'
    feeds_condition alone-handler
    as_run_user mv "$dir/meeting-guide.json" "$dir/meeting-guide.json.aside"
    as_run_user mv "$dir/meeting-guide.json.gz" "$dir/meeting-guide.json.gz.aside"
    feeds_condition handler
    as_run_user mv "$dir/meeting-guide.json.aside" "$dir/meeting-guide.json"
    as_run_user mv "$dir/meeting-guide.json.gz.aside" "$dir/meeting-guide.json.gz"
}

print_feeds() {
    local c label mb
    mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
    echo
    echo "the Meeting Guide feed's files ($(psql_bench -c "SELECT count(*) FROM meetings WHERE active") meetings)"
    echo "  finder feeds --force (every file from the database): ${FEED_STATS[export_s]} s"
    echo "  the feed of all sources: $(mb "${FEED_STATS[all]}"), $(mb "${FEED_STATS[all_gz]}") gzipped;" \
        "the sources' own: $(mb "${FEED_STATS[sources]}"), $(mb "${FEED_STATS[sources_gz]}") gzipped;" \
        "parts $(mb "${FEED_STATS[parts]}"); in all $(mb "${FEED_STATS[disk]}") on disk"
    echo "  import of $BENCH_FEED_IMPORT_SIZE meetings into a new source: ${FEED_STATS[import_first_s]:-?} s," \
        "the feed files ${FEED_STATS[import_first_files]:-?} s (${FEED_STATS[import_first_line]:-})"
    echo "  the same file again: ${FEED_STATS[import_again_s]:-?} s," \
        "the feed files ${FEED_STATS[import_again_files]:-?} s (${FEED_STATS[import_again_line]:-})"
    echo
    printf '%-44s %8s %7s %7s %7s %7s %7s %9s %4s %7s %6s\n' \
        "nearest-25 searches, one after another" searches "p50 ms" "p90 ms" "max ms" \
        "+p50" "+p90" downloads cut refused "MB/s"
    for c in "${FEED_CONDITIONS[@]}"; do
        case $c in
            plain) label="beside $BENCH_FEED_CLIENTS clients downloading the feed" ;;
            paced) label="the same, each at most $BENCH_FEED_RATE/s" ;;
            gzip) label="beside $BENCH_FEED_CLIENTS clients downloading it gzipped" ;;
            handler) label="beside $BENCH_FEED_CLIENTS clients, no file (the handler)" ;;
        esac
        printf '%-44s %8s %7s %7s %7s\n' "alone, just before" "${FEED_STATS[alone-${c}_n]}" \
            "${FEED_STATS[alone-${c}_p50]}" "${FEED_STATS[alone-${c}_p90]}" \
            "${FEED_STATS[alone-${c}_max]}"
        printf '%-44s %8s %7s %7s %7s %7s %7s %9s %4s %7s %6s\n' "$label" "${FEED_STATS[${c}_n]}" \
            "${FEED_STATS[${c}_p50]}" "${FEED_STATS[${c}_p90]}" "${FEED_STATS[${c}_max]}" \
            "$((FEED_STATS[${c}_p50] - FEED_STATS[alone-${c}_p50]))" \
            "$((FEED_STATS[${c}_p90] - FEED_STATS[alone-${c}_p90]))" \
            "${FEED_STATS[${c}_done]}" "${FEED_STATS[${c}_cut]}" \
            "${FEED_STATS[${c}_refused]}" "${FEED_STATS[${c}_mbs]}"
    done
    echo "Each client (curl, on this machine) fetches the whole feed of all sources"
    echo "again and again for ${BENCH_SECONDS} s (+2), as fast as it can or paced; cut: downloads"
    echo "the time limit ended; refused: nginx's 503 past the handler's limit on the"
    echo "feeds it writes (then the client waits 1 s). Unpaced, the clients' own"
    echo "reading takes a share of the two cores that remote clients would not."
    echo "+p50, +p90: the delay against the run alone just before. The target: a"
    echo "search delayed by at most 50 ms beside the downloads."
}

wants import || BENCH_IMPORT_SIZE=0
[ "$BENCH_IMPORT_SIZE" -le "$BENCH_SIZE" ] || die "BENCH_IMPORT_SIZE must be at most BENCH_SIZE"
declare -A IMPORT_SECONDS IMPORT_COUNTS

declare -A STATIC_BYTES
start_stack
for size in "${SIZES[@]}"; do
    use_size "$size"
    wants meetings || continue
    write_points
    write_pgbench_scripts
    write_static_file
    STATIC_BYTES[$size]=$STATIC_SIZE
    run_wrk "static@$size" /bench-static.json plain.lua
    run_wrk "health@$size" /api/v1/health plain.lua
    for mode in nearest radius window facets_near landing facets_landing soon keyword detail \
        lists; do
        run_wrk "$mode@$size" /api/v1/meetings search.lua "$mode" "$WORK/points.lua"
    done
    run_wrk_cached "landing_cached@$size" "/api/v1/meetings?$HOME_SEARCH" plain.lua
    run_wrk_cached "facets_landing_cached@$size" "/api/v1/meetings/facets?$HOME_SEARCH" plain.lua
    run_pgbench "nearest_page@$size" nearest.pgbench
    run_pgbench "radius_page@$size" radius-{0,1,2,3,4,5,6}.pgbench
    run_pgbench "window_page@$size" $(cd "$WORK" && echo window-*.pgbench)
    run_pgbench "landing_page@$size" $(cd "$WORK" && echo landing-*.pgbench)
    run_pgbench "soon_page@$size" $(cd "$WORK" && echo soon-*.pgbench)
done
# The imports, the services and the page: on the largest size.
[ "$DB_NAME" = "finder_bench_$BENCH_SIZE" ] || use_size "$BENCH_SIZE"

if [ "$BENCH_IMPORT_SIZE" -gt 0 ]; then
    log "bench: writing a feed of $BENCH_IMPORT_SIZE meetings and importing it"
    write_import_feeds
    run_import first "$WORK/import.json"
    run_import again "$WORK/import.json"
    run_import changed "$WORK/import-changed.json"
    bench_sync
fi

if wants feeds; then
    bench_feeds
fi

if wants services && [ "$BENCH_SERVICES" -gt 0 ]; then
    load_services
    write_service_points
    run_wrk "svc_near@$BENCH_SIZE" /api/v1/services services.lua near "$WORK/services-points.lua"
    run_wrk "svc_category@$BENCH_SIZE" /api/v1/services services.lua category "$WORK/services-points.lua"
    run_wrk "svc_open@$BENCH_SIZE" /api/v1/services services.lua open "$WORK/services-points.lua"
    run_wrk "svc_facets@$BENCH_SIZE" /api/v1/services services.lua facets "$WORK/services-points.lua"
    run_wrk "svc_keyword@$BENCH_SIZE" /api/v1/services services.lua keyword "$WORK/services-points.lua"
    run_wrk "svc_category_only@$BENCH_SIZE" /api/v1/services services.lua category_only \
        "$WORK/services-points.lua"
fi

if wants page; then
    log "bench: the page in headless Chromium ($BENCH_PAGE_RUNS loads a view and connection)"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
        die "npm ci failed in tests/browser"
    BASE_URL=$BASE_URL RUNS=$BENCH_PAGE_RUNS node tests/bench/page.mjs >"$WORK/page.tsv" ||
        ERRORS+=("page: tests/bench/page.mjs failed")
fi

print_table
[ "$BENCH_IMPORT_SIZE" -eq 0 ] || print_imports
wants feeds && print_feeds
wants page && print_page
if [ "${#ERRORS[@]}" -gt 0 ]; then
    echo
    echo "!!! THE BENCHMARK HAD ERRORS: its numbers do not measure what they claim."
    printf '!!!   %s\n' "${ERRORS[@]}"
    echo "!!! The raw wrk and pgbench output was in $WORK; the stack's logs follow."
    exit 1
fi
