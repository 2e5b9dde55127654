#!/usr/bin/env bash
# The soak: a mixed load for a bounded time, to see what a benchmark of
# seconds cannot: errors that come late, latency that drifts, workers whose
# memory grows. `make soak` runs it on a throwaway stack (SOAK_MEETINGS demo
# meetings); tests/run.sh runs a short one on the test stack (SOAK_REUSE=1:
# the stack named by VAR_DIR, PORT, DB_PORT and DB_NAME).
#
#   - wrk (tests/bench/soak.lua): searches near a point, their facets,
#     meetings by id, services near a point and keyword searches, in
#     slices of SOAK_SLICE seconds, each slice's requests a second, p99
#     and errors printed;
#   - beside it, a visitor's report every 2 s (POST /api/v1/feedback, from
#     loopback addresses in turn);
#   - half way, an import of 2,000 meetings into a source of its own, and
#     the same feed synced from a loopback URL (finder sync);
#   - after each slice, the resident memory of the handler's workers.
#
# Prints a line a slice and a summary; exits 1 when a request failed (a 429
# of a rate limit is counted apart, not as an error), a report was not
# stored, or the import or the sync failed.
#
# Settings: SOAK_SECONDS (default 600), SOAK_SLICE (default 30),
# SOAK_MEETINGS (default 20000), SOAK_CONNECTIONS (default 8).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_SLICE=${SOAK_SLICE:-30}
SOAK_MEETINGS=${SOAK_MEETINGS:-20000}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-8}
for v in SOAK_SECONDS SOAK_SLICE SOAK_MEETINGS SOAK_CONNECTIONS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "soak: $v must be a whole number" >&2; exit 2; }
done

log() { printf '%s\n' "$*" >&2; }
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

WORK=$(mktemp -d /tmp/finder-soak-work.XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${SOAK_REUSE:-0}" != 1 ]; then
        scripts/stack.sh stop >/dev/null 2>&1 || true
        rm -rf "$VAR_DIR"
    else
        # The stack goes on serving other tests: the soak's copies of demo
        # meetings leave search.
        scripts/stack.sh source remove soak-import >/dev/null 2>&1 || true
        scripts/stack.sh source remove soak-sync >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ "${SOAK_REUSE:-0}" != 1 ]; then
    VAR_DIR=$(mktemp -d /tmp/finder-soak.XXXXXX)
    PORT=$(free_port)
    DB_PORT=$(free_port)
    # One client address sends the whole load: the per-address limit of
    # the API (API_RATE) would answer most of it 429.
    export VAR_DIR PORT DB_PORT DB_NAME=finder_soak DEMO_SIZE=$SOAK_MEETINGS DEMO_SERVICES=3000 \
        API_RATE=${API_RATE:-1000000r/s} API_BURST=${API_BURST:-1000000}
    log "soak: a throwaway stack in $VAR_DIR ($SOAK_MEETINGS meetings)"
    scripts/stack.sh start >"$WORK/start.log" 2>&1 || { tail -20 "$WORK/start.log" >&2; exit 1; }
fi
: "${VAR_DIR:?}" "${PORT:?}"
BASE_URL=http://127.0.0.1:$PORT
psql_value() { scripts/stack.sh psql -tAc "$1"; }
MAX_ID=$(psql_value "SELECT max(id) FROM meetings WHERE active")
REPORT_IDS=$(psql_value "SELECT string_agg(id::text, ',') FROM (SELECT id FROM meetings
    WHERE active ORDER BY id DESC LIMIT 200) m")

# The handler's workers' resident memory, in kB (every handler's).
workers_rss() {
    local pidfile master kb=0 p
    for pidfile in "$VAR_DIR"/run/finder.pid "$VAR_DIR"/run/finder-[0-9]*.pid; do
        [ -f "$pidfile" ] || continue
        master=$(cat "$pidfile")
        for p in $(pgrep -P "$master" || true); do
            kb=$((kb + $(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0)))
        done
    done
    echo "$kb"
}

# reports_loop: a report every 2 s; each answer's status on a line.
reports_loop() {
    python3 - "$BASE_URL" "$REPORT_IDS" >"$WORK/reports.txt" 2>/dev/null <<'EOF'
import http.client, json, random, sys, time, urllib.parse
base, ids = urllib.parse.urlsplit(sys.argv[1]), [int(x) for x in sys.argv[2].split(",")]
random.seed(20261206)
i = 0
while True:
    i += 1
    body = json.dumps({"kind": "meeting", "id": random.choice(ids),
                       "message": f"Soak report {i}: the room changed"}).encode()
    try:
        c = http.client.HTTPConnection(base.hostname, base.port, timeout=10,
                                       source_address=(f"127.0.3.{i % 250 + 1}", 0))
        c.request("POST", "/api/v1/feedback", body, {"Content-Type": "application/json"})
        print(c.getresponse().status, flush=True)
        c.close()
    except OSError as e:
        print("error", e, flush=True)
    time.sleep(2)
EOF
}

# midway: an import, then the same feed synced from a loopback URL.
midway() {
    local port
    scripts/stack.sh psql -tA -c "SELECT json_agg(json_strip_nulls(json_build_object(
            'name', name, 'slug', 'soak-' || id, 'day', day, 'time', time, 'types', type_codes,
            'location', location_name, 'address', address, 'city', city, 'state', region,
            'postal_code', postal_code, 'country', country, 'latitude', round(lat::numeric, 6),
            'longitude', round(lng::numeric, 6), 'conference_url', conference_url)))
        FROM (SELECT * FROM meeting_details WHERE active AND lat IS NOT NULL
              ORDER BY id LIMIT 2000) m" >"$WORK/feed.json"
    chmod a+r "$WORK/feed.json"
    chmod a+rx "$WORK"
    if scripts/stack.sh import --quiet --format meeting-guide --source soak-import \
        --timezone America/Chicago --fellowship aa "$WORK/feed.json" >"$WORK/import.log" 2>&1; then
        echo ok >"$WORK/import.status"
    else
        echo failed >"$WORK/import.status"
    fi
    port=$(free_port)
    python3 -m http.server "$port" --bind 127.0.0.1 --directory "$WORK" >/dev/null 2>&1 &
    local server=$!
    sleep 1
    if scripts/stack.sh source add soak-sync --url "http://127.0.0.1:$port/feed.json" \
        --format meeting-guide --timezone America/Chicago --fellowship aa >"$WORK/sync.log" 2>&1 &&
        FINDER_FETCH_ALLOW=127.0.0.1 scripts/stack.sh sync soak-sync >>"$WORK/sync.log" 2>&1; then
        echo ok >"$WORK/sync.status"
    else
        echo failed >"$WORK/sync.status"
    fi
    kill "$server" 2>/dev/null || true
}

reports_loop &
PIDS+=($!)
log "soak: $SOAK_SECONDS s of mixed load ($SOAK_CONNECTIONS connections), slices of $SOAK_SLICE s"
printf '%6s %9s %9s %9s %7s %8s %10s\n' second "req/s" "p50 ms" "p99 ms" errors limited "workers MB"
start=$(date +%s)
elapsed=0 slices=0 errors=0 limited=0 requests=0 socket=0 mid=0 rss_first='' rss=0
while [ "$elapsed" -lt "$SOAK_SECONDS" ]; do
    slice=$SOAK_SLICE
    [ $((elapsed + slice)) -le "$SOAK_SECONDS" ] || slice=$((SOAK_SECONDS - elapsed))
    if [ "$mid" = 0 ] && [ "$elapsed" -ge $((SOAK_SECONDS / 2)) ]; then
        midway &
        PIDS+=($!)
        mid=1
    fi
    line=$(wrk -t 2 -c "$SOAK_CONNECTIONS" -d "${slice}s" --timeout 10s \
        -s "$ROOT/tests/bench/soak.lua" "$BASE_URL/" -- "$MAX_ID" | grep '^SOAK ')
    field() { sed -nE "s/.* $1=([^ ]+).*/\1/p" <<<"$line"; }
    rss=$(workers_rss)
    [ -n "$rss_first" ] || rss_first=$rss
    elapsed=$(($(date +%s) - start))
    slices=$((slices + 1))
    errors=$((errors + $(field errors)))
    limited=$((limited + $(field limited)))
    socket=$((socket + $(field socket_errors) + $(field timeouts)))
    requests=$((requests + $(field requests)))
    printf '%6d %9s %9s %9s %7s %8s %10s\n' "$elapsed" "$(field rps)" "$(field p50_ms)" \
        "$(field p99_ms)" "$(( $(field errors) + $(field socket_errors) + $(field timeouts) ))" \
        "$(field limited)" "$((rss / 1024))"
done
wait "${PIDS[@]:1}" 2>/dev/null || true
kill "${PIDS[0]}" 2>/dev/null || true

stored=$(grep -c '^201$' "$WORK/reports.txt" || true)
refused=$(grep -c '^429$' "$WORK/reports.txt" || true)
lost=$(grep -vcE '^(201|429)$' "$WORK/reports.txt" || true)
echo
echo "requests: $requests, errors: $errors (outside 2xx, 404 and 429), socket errors and timeouts: $socket, 429s: $limited"
echo "reports: $stored stored, $refused refused by the rate limit, $lost failed"
echo "import of 2,000 meetings half way: $(cat "$WORK/import.status" 2>/dev/null || echo 'not run');" \
    "the same feed synced from a URL: $(cat "$WORK/sync.status" 2>/dev/null || echo 'not run')"
echo "the workers' memory: $((rss_first / 1024)) MB after the first slice, $((rss / 1024)) MB after the last" \
    "($(awk -v a="$rss_first" -v b="$rss" 'BEGIN { if (a > 0) printf "%+.1f%%", (b - a) * 100 / a; else print "?" }'))"
failed=0
[ "$errors" -eq 0 ] && [ "$socket" -eq 0 ] && [ "$lost" -eq 0 ] || failed=1
[ "$(cat "$WORK/import.status" 2>/dev/null)" = ok ] || { failed=1; tail -5 "$WORK/import.log" >&2 || true; }
[ "$(cat "$WORK/sync.status" 2>/dev/null)" = ok ] || { failed=1; tail -5 "$WORK/sync.log" >&2 || true; }
if [ "$failed" -eq 0 ]; then echo "ok - the soak"; else echo "not ok - the soak"; fi
exit "$failed"
