#!/usr/bin/env bash
# lint.sh [CFLAG...]: make lint. Checks the C in fcgi/src, tests/unit and
# tests/fuzz three ways, each run to its end so that one pass shows every
# finding, and exits 1 if any failed:
#   - clang-format's style (.clang-format): the files it would change;
#   - the banned functions (scripts/checksrc.sh);
#   - clang-tidy's checks (.clang-tidy), each .c file compiled with the
#     CFLAGs given (make passes the build's), two files at a time.
# LINT_JOBS sets how many clang-tidy processes run at once (default 2).
set -uo pipefail
cd "$(dirname "$0")/.."

sources=(fcgi/src/*.c tests/unit/*.c tests/fuzz/*.c)
formatted=(fcgi/src/*.[ch] tests/unit/*.c tests/fuzz/*.c)
jobs=${LINT_JOBS:-2}
failed=()

unformatted=$(printf '%s\0' "${formatted[@]}" | xargs -0 -P "$jobs" -n 8 sh -c '
    for f; do clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"; done' sh | sort)
if [ -n "$unformatted" ]; then
    printf 'lint: not in the style of .clang-format (make format rewrites them):\n'
    printf '  %s\n' $unformatted
    failed+=(clang-format)
fi

scripts/checksrc.sh "${sources[@]}" || failed+=(checksrc)

# A file's output (findings, or why it did not compile) is shown only when
# it failed; WarningsAsErrors in .clang-tidy makes any finding a failure.
export LINT_CFLAGS="$*"
printf '%s\0' "${sources[@]}" | xargs -0 -P "$jobs" -n 1 sh -c '
    out=$(clang-tidy -quiet "$1" -- $LINT_CFLAGS 2>&1) ||
        { printf "%s\n" "$out" | grep -Ev "^[0-9]+ warnings? generated\.$"; exit 1; }' sh ||
    failed+=(clang-tidy)

if [ "${#failed[@]}" -gt 0 ]; then
    echo "lint: failed: ${failed[*]}"
    exit 1
fi
echo "lint: clean (clang-format, checksrc, clang-tidy on ${#sources[@]} files)"
