#!/usr/bin/env bash
# Runs a command under Debian 12's own Node.js (18.x, package nodejs), the
# one a new user of a stock bookworm gets, on a machine whose node is
# another (NodeSource's 20, say):
#
#   scripts/debian-node.sh node --test test_page.mjs
#
# The packages come from the machine's apt sources (Debian's mirror), by
# apt-get download, and are unpacked (dpkg -x) into DEBIAN_NODE_DIR (default
# build/debian-node), once; nothing is installed. Debian's node reads some of
# its built-in modules (acorn, undici, cjs-module-lexer) from
# /usr/share/nodejs, a path compiled in: the command runs in a mount
# namespace of its own where the unpacked /usr/share is laid over the
# machine's (overlayfs, read-only), so the machine's /usr is left alone.
#
# Exits 77 with the reason on standard error when that cannot be done here
# (no apt, no Node 18 among its sources, no mount namespace), else with the
# command's status.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${DEBIAN_NODE_DIR:-$ROOT/build/debian-node}
# nodejs and libnode108 (the same version), and the packages of the built-in
# modules libnode reads from /usr/share/nodejs. Its libraries (libicu72,
# libuv1, libssl3...) are Debian 12's own, and the stack's packages already
# need them.
MODULES=(node-acorn node-cjs-module-lexer node-undici)

skip() { printf 'debian-node: %s\n' "$*" >&2; exit 77; }

# fetch: the packages unpacked into DIR/root, unless they are there.
fetch() {
    local version debs
    [ -x "$DIR/root/usr/bin/node" ] && return 0
    if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
        skip "apt-get and dpkg are missing: Debian's Node.js cannot be fetched here"
    fi
    # Debian 12's own version: the first 18.x apt knows of (newest first),
    # whatever version is installed.
    version=$(apt-cache madison nodejs 2>/dev/null | awk -F' *[|] *' '$2 ~ /^18\./ { print $2; exit }')
    [ -n "$version" ] || skip "apt knows no nodejs 18.x (not Debian 12's sources?)"
    debs=$(mktemp -d)
    # (As root into a directory _apt cannot write, apt warns; it is no error.)
    (cd "$debs" && apt-get download -q=2 "nodejs=$version" "libnode108=$version" "${MODULES[@]}") 2>&1 |
        grep -v '^W: Download is performed unsandboxed' >&2 || true
    if [ "$(find "$debs" -name '*.deb' | wc -l)" -ne $((2 + ${#MODULES[@]})) ]; then
        rm -rf "$debs"
        skip "apt-get download of nodejs $version and its modules failed"
    fi
    rm -rf "$DIR.partial"
    mkdir -p "$DIR.partial/root"
    local f
    for f in "$debs"/*.deb; do dpkg -x "$f" "$DIR.partial/root"; done
    rm -rf "$debs" "$DIR"
    mv "$DIR.partial" "$DIR"
    printf 'debian-node: unpacked nodejs %s into %s\n' "$version" "$DIR" >&2
}

[ "$#" -gt 0 ] || { echo "usage: scripts/debian-node.sh COMMAND [ARGS]" >&2; exit 2; }
fetch
command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) is missing"
# As root, a mount namespace; otherwise a user namespace too, mapped to
# root (the kernel allows overlayfs there since 5.11).
ns=(-m)
[ "$(id -u)" -eq 0 ] || ns=(-r -m)
unshare "${ns[@]}" true 2>/dev/null || skip "no mount namespace can be made here (unshare ${ns[*]})"
export DEBIAN_NODE_ROOT=$DIR/root
DEBIAN_NODE_LIB=$(dirname "$(find "$DIR/root/usr/lib" -name 'libnode.so.*' -print -quit)")
export DEBIAN_NODE_LIB
# The node of DIR first on PATH (npm, if the command runs it, stays the
# machine's, under Debian's node).
# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare "${ns[@]}" bash -c '
    mount -t overlay debian-node -o "lowerdir=$DEBIAN_NODE_ROOT/usr/share:/usr/share" /usr/share ||
        { echo "debian-node: cannot lay $DEBIAN_NODE_ROOT/usr/share over /usr/share" >&2; exit 77; }
    export LD_LIBRARY_PATH=$DEBIAN_NODE_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export PATH=$DEBIAN_NODE_ROOT/usr/bin:$PATH
    exec "$@"' debian-node "$@"
