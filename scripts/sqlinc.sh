#!/bin/sh
# Prints each sql/queries/NAME.sql with its fragments spliced in: a line
# `-- @include FRAGMENT` becomes the lines of include/FRAGMENT.sql beside the
# file, without their comment lines, indented as the marker. A filter block
# shared by a family of statements lives once so (sql/queries/include/), the
# way kcgi's framework #defines a column list once for every statement that
# needs it. The handler (through sql2c.sh), make bench and the plan tests all
# read a statement through this script, so that they run the same SQL.
# Usage: sqlinc.sh FILE.sql...
set -eu
for f in "$@"; do
	awk -v dir="$(dirname "$f")/include" '
	/^[[:space:]]*-- @include [a-z_]+[[:space:]]*$/ {
		indent = $0
		sub(/--.*/, "", indent)
		path = dir "/" $3 ".sql"
		n = 0
		while ((r = getline line < path) > 0) {
			n++
			if (line !~ /^[[:space:]]*--/)
				print indent line
		}
		close(path)
		if (r < 0 || n == 0) {
			printf "%s:%d: no fragment %s\n", FILENAME, FNR, path > "/dev/stderr"
			exit 1
		}
		next
	}
	{ print }' "$f"
done
