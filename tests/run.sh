#!/usr/bin/env bash
# The whole test suite: C unit tests (plain and under ASan/UBSan), SQL tests,
# API, browser and fault tests against a throwaway stack (its own cluster,
# handler and nginx on free ports, beside any `make run`), and the compose
# file. Ends with one line "N passed, N failed"; exits non-zero on a failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PASSED=0
FAILED=0
SKIPPED=0
FAILURES=()

count() { # count SUITE PASSED FAILED
    PASSED=$((PASSED + $2))
    FAILED=$((FAILED + $3))
    [ "$3" -eq 0 ] || FAILURES+=("$1")
}

section() { printf '\n== %s\n' "$*"; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run_cmocka BINARY: runs a cmocka binary and counts its summary lines.
run_cmocka() {
    local out p f
    out=$("$1" 2>&1)
    local rc=$?
    printf '%s\n' "$out" | grep -E '^\[ +(OK|FAILED|ERROR|PASSED) +\]|ERROR|runtime error|Sanitizer' | head -50
    p=$(printf '%s\n' "$out" | sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' | tail -1)
    p=${p:-0}
    f=${f:-0}
    # A crash or a sanitizer report fails the binary even if cmocka counted.
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    count "$(basename "$(dirname "$1")")/$(basename "$1")" "$p" "$f"
}

section "C unit tests (plain, then ASan/UBSan)"
if make -s unit; then
    for t in build/tests/test_* build/tests-asan/test_*; do
        [ -x "$t" ] && run_cmocka "$t"
    done
else
    count "unit build" 0 1
fi

section "Fuzzing the request and import parsers (libFuzzer, ASan/UBSan)"
if out=$(make -s fuzz FUZZ_RUNS="${FUZZ_RUNS:-1000000}" FUZZ_SECONDS="${FUZZ_SECONDS:-45}" 2>&1); then
    printf '%s\n' "$out" | grep -E '^Done [0-9]+ runs'
    echo "ok - no crash, leak or undefined behaviour"
    count fuzz 1 0
else
    printf '%s\n' "$out" | grep -vE '^(#|"|INFO:|MERGE)' | tail -40
    count fuzz 0 1
fi

# The throwaway stack.
export VAR_DIR
VAR_DIR=$(mktemp -d /tmp/finder-test.XXXXXX)
PORT=$(free_port)
DB_PORT=$(free_port)
export PORT DB_PORT
export DB_NAME=finder_test DEMO_SIZE=${TEST_DEMO_SIZE:-3000} WORKERS=3
# No standby: the suites read what they have just written (test_failover
# makes one of its own, and removes it).
unset REPLICAS
# The stack runs the handler built with ASan and UBSan; a report in its log
# fails the run (see the end). Leaks at a worker's exit are not requests'.
export FINDER_BIN=$ROOT/build/asan/finder
# The API's rate limit per address (20r/s, a burst of 40 by default) would
# refuse the suites' own requests, all from 127.0.0.1 (test_api alone crosses
# it, and test_faults' load while the database is down crosses even 1000r/s):
# the test stack's is out of their reach. test_edges restarts the stack with
# the default limit to cross it, and restores this one.
export API_RATE=100000r/s API_BURST=100000
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
cleanup() {
    scripts/stack.sh stop >/dev/null 2>&1
    rm -rf "$VAR_DIR"
}
trap cleanup EXIT

section "Starting a throwaway stack in $VAR_DIR (nginx on $PORT, PostgreSQL on $DB_PORT)"
if ! scripts/stack.sh start; then
    count "stack start" 0 1
    tail -n 30 "$VAR_DIR"/log/*.log
    printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
    exit 1
fi

section "SQL tests"
for f in tests/sql/test_*.sql; do
    [ -f "$f" ] || continue
    out=$(scripts/stack.sh psql -f "$f" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed -nE 's/^(psql:[^ ]* )?(NOTICE|ERROR|WARNING): +//p'
    p=$(printf '%s\n' "$out" | grep -c 'ok - ' || true)
    n=$(printf '%s\n' "$out" | grep -c 'not ok - ' || true)
    p=$((p - n))
    [ "$rc" -ne 0 ] && [ "$n" -eq 0 ] && n=1
    count "$f" "$p" "$n"
done

export BASE_URL="http://127.0.0.1:$PORT"

# run_python SUITE: a unittest suite that ends with a RESULT line.
run_python() {
    local out line p f s
    section "$1"
    out=$(python3 "$1" 2>&1)
    printf '%s\n' "$out" | grep -v '^RESULT '
    line=$(printf '%s\n' "$out" | grep '^RESULT ' | tail -1)
    p=$(sed -nE 's/.*passed=([0-9]+).*/\1/p' <<<"$line")
    f=$(sed -nE 's/.*failed=([0-9]+).*/\1/p' <<<"$line")
    s=$(sed -nE 's/.*skipped=([0-9]+).*/\1/p' <<<"$line")
    count "$1" "${p:-0}" "${f:-1}"
    SKIPPED=$((SKIPPED + ${s:-0}))
}

run_python tests/api/test_api.py
run_python tests/api/test_web.py
run_python tests/api/test_cache.py
run_python tests/api/test_edges.py
run_python tests/api/test_plans.py
run_python tests/api/test_views.py
run_python tests/api/test_import.py
run_python tests/api/test_roundtrip.py
run_python tests/api/test_feed.py
run_python tests/api/test_services.py
run_python tests/api/test_vocab.py
run_python tests/api/test_hsds.py
run_python tests/api/test_hsds_import.py
run_python tests/api/test_feedback.py
run_python tests/api/test_reports.py
run_python tests/api/test_sync.py
run_python tests/api/test_licences.py
run_python tests/api/test_stale.py
run_python tests/api/test_openapi.py
# Starts that fail on purpose, on a cluster of the suite's own.
run_python tests/api/test_start.py

# node_failures: node --test's TAP output (standard input) cut to what a
# reader needs: each test's ok or not ok line and the totals, and for a
# failed test what came since the test before it (a file that did not load
# says why there, such as a package refusing this version of Node.js) and
# its whole diagnostic block (error, expected, actual, stack).
node_failures() {
    awk '
        /^ *ok / { print; buf = ""; yaml = 0; skip = 1; next }
        /^ *not ok / { printf "%s", buf; print; buf = ""; skip = 0; yaml = 1; next }
        /^# (tests|pass|fail|skipped|cancelled) / { print; next }
        yaml { print; if ($0 ~ /^ *\.\.\.$/) yaml = 0; next }
        skip && /^ *---$/ { inok = 1; next }
        inok { if ($0 ~ /^ *\.\.\.$/) { inok = 0; skip = 0 }; next }
        { buf = buf $0 "\n" }
    ' | head -400
}

# run_node TITLE DIR "FILE..." [RUNNER...]: node:test suites with their npm
# packages (npm ci), under node (or RUNNER node). npm says only why it
# failed, or that a package does not support this Node.js (EBADENGINE).
run_node() {
    local out rc p f s title=$1 dir=$2 files=$3
    shift 3
    section "$title"
    if ! out=$(cd "$dir" && npm ci --no-audit --no-fund --loglevel=warn 2>&1); then
        printf '%s\n' "$out" | tail -40
        count "$dir (npm ci)" 0 1
        return
    fi
    printf '%s\n' "$out" | grep -F EBADENGINE || true
    # shellcheck disable=SC2086 # FILES is a list
    out=$(cd "$dir" && "$@" node --test $files 2>&1)
    rc=$?
    printf '%s\n' "$out" | node_failures
    p=$(sed -nE 's/^# pass ([0-9]+)/\1/p' <<<"$out")
    f=$(sed -nE 's/^# fail ([0-9]+)/\1/p' <<<"$out")
    s=$(sed -nE 's/^# skipped ([0-9]+)/\1/p' <<<"$out")
    f=${f:-1}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        # Failed, and not a test: what node said last.
        printf '%s\n' "$out" | tail -30
        f=1
    elif [ "$f" -gt 0 ]; then
        # node prints what a file wrote apart from its tests' results.
        echo "What the test files printed (the last 40 lines):"
        printf '%s\n' "$out" | grep -E '^# ' |
            grep -vE '^# (Subtest:|tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' | tail -40
    fi
    count "$dir" "${p:-0}" "$f"
    SKIPPED=$((SKIPPED + ${s:-0}))
}

# The browser tests run once, under Debian 12's own Node.js (18.x) when the
# machine's is another: the path a new user of a stock bookworm takes.
# scripts/debian-node.sh fetches it from the machine's apt sources (Debian's
# mirror) once, into build/debian-node. TEST_NODE=system: the machine's node.
section "Node.js for the browser tests"
BROWSER_NODE=()
if [ "$(node -p 'process.versions.node.split(".")[0]')" = 18 ]; then
    echo "ok - the machine's node is $(node -v), as Debian 12's: the suites run under it"
elif [ "${TEST_NODE:-debian}" = system ]; then
    echo "skipped - TEST_NODE=system: the browser tests run under the machine's node $(node -v), not Debian 12's 18"
    SKIPPED=$((SKIPPED + 1))
elif version=$(scripts/debian-node.sh node -v 2>"$VAR_DIR/debian-node.log"); then
    BROWSER_NODE=("$ROOT/scripts/debian-node.sh")
    echo "ok - Debian 12's node $version (the machine's is $(node -v)): the browser tests run under it"
else
    echo "skipped - Debian 12's Node.js cannot run here: $(tail -1 "$VAR_DIR/debian-node.log")"
    echo "  (the browser tests run under the machine's node $(node -v))"
    SKIPPED=$((SKIPPED + 1))
fi

run_node "Browser tests (headless Chromium)" tests/browser \
    "test_page.mjs test_access.mjs test_widget.mjs test_first_screen.mjs test_stale.mjs test_developers.mjs" "${BROWSER_NODE[@]}"
# The calendars (a few seconds) under both: Debian's node's zone data is
# older than the server's (test_ics.mjs compares by the server's).
run_node "Calendars (.ics) through ical.js" tests/ics test_ics.mjs
[ "${#BROWSER_NODE[@]}" -eq 0 ] ||
    run_node "Calendars (.ics) through ical.js, under Debian 12's node" tests/ics test_ics.mjs "${BROWSER_NODE[@]}"
run_node "The OpenAPI document, validated (under Debian 12's node when it runs here)" tests/openapi test_openapi.mjs "${BROWSER_NODE[@]}"

# A dump restored into a second database of the cluster, and compared.
run_python tests/api/test_backup.py

# A short soak (make soak runs ten minutes): mixed load, reports, an import
# and a sync, with the handler under ASan.
section "A short soak (scripts/soak.sh)"
if SOAK_REUSE=1 SOAK_SECONDS="${TEST_SOAK_SECONDS:-30}" SOAK_SLICE=10 scripts/soak.sh; then
    count soak 1 0
else
    count soak 0 1
fi

# Last: these stop and start parts of the stack (test_failover adds a
# standby, and removes it).
run_python tests/api/test_faults.py
run_python tests/api/test_failover.py

section "Sanitizer reports from the handler"
if grep -qE 'AddressSanitizer|runtime error|UndefinedBehaviorSanitizer' "$VAR_DIR/log/finder.log"; then
    grep -E -A20 'AddressSanitizer|runtime error|UndefinedBehaviorSanitizer' "$VAR_DIR/log/finder.log" | head -60
    count "handler under ASan/UBSan" 0 1
else
    echo "ok - the handler served every test under ASan and UBSan without a report"
    count "handler under ASan/UBSan" 1 0
fi

section "docker-compose.yml"
if command -v docker-compose >/dev/null 2>&1; then
    if docker-compose -f docker-compose.yml config -q; then
        echo "ok - docker-compose config"
        count compose 1 0
    else
        count compose 0 1
    fi
else
    echo "skipped - docker-compose is not installed (Debian package docker-compose)"
    SKIPPED=$((SKIPPED + 1))
fi

if [ "${#FAILURES[@]}" -gt 0 ]; then
    section "Failed: ${FAILURES[*]}"
    echo "Logs of the throwaway stack:"
    tail -n 20 "$VAR_DIR"/log/finder.log "$VAR_DIR"/log/nginx-error.log 2>/dev/null
fi
echo
if [ "$SKIPPED" -gt 0 ]; then
    printf '%d passed, %d failed, %d skipped\n' "$PASSED" "$FAILED" "$SKIPPED"
else
    printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
fi
[ "$FAILED" -eq 0 ]
