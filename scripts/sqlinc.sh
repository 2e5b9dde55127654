#!/bin/sh
# Prints each sql/queries/NAME.sql as the database is to run it, its
# fragments spliced in and its parameters numbered:
#
#   -- @include FRAGMENT   the line becomes the lines of include/FRAGMENT.sql
#                          beside the file (for a file of sql/views/, of
#                          sql/queries/include/), without their comments,
#                          indented as the marker;
#   -- @params WORD...     the statement's parameters in order, $1 first: a
#                          name, or @FRAGMENT for the names that fragment's
#                          own `-- @params` line lists; each $name in the
#                          SQL (the fragments' too) becomes its $N.
#
# A filter block shared by a family of statements lives once so
# (sql/queries/include/), the way kcgi's framework #defines a column list
# once for every statement that needs it, and its parameters are numbered
# alike in each, the statement's own after them: a new filter is a name and
# a condition in the fragment, and the numbers follow. The handler (through
# sql2c.sh), make bench and the plan tests read a statement through this
# script, so that they run the same SQL; tests and make bench bind values by
# name in the order `sqlinc.sh -p` prints.
#
# Usage: sqlinc.sh FILE.sql...     the statements, spliced and numbered
#        sqlinc.sh -p FILE.sql...  each statement's parameter names, $1's
#                                  first, on one line (empty without a
#                                  -- @params line)
set -eu
names=0
if [ "${1:-}" = -p ]; then
	names=1
	shift
fi
for f in "$@"; do
	# The fragments beside the file (sql/queries/include/), or, for another
	# directory without its own (sql/views/), the statements'.
	dir=$(dirname "$f")/include
	[ -d "$dir" ] || dir=$(dirname "$f")/../queries/include
	awk -v dir="$dir" -v names="$names" '
	function die(msg) {
		printf "%s: %s\n", FILENAME, msg > "/dev/stderr"
		failed = 1
		exit 1
	}
	# The names a fragment'"'"'s -- @params line lists.
	function fragment_params(name,    path, line, r) {
		path = dir "/" name ".sql"
		while ((r = getline line < path) > 0)
			if (line ~ /^[[:space:]]*-- @params /) {
				close(path)
				sub(/^[[:space:]]*-- @params /, "", line)
				return line
			}
		close(path)
		die("no -- @params line in " path)
	}
	# Numbers the statement'"'"'s names from its -- @params line.
	function number(line,    words, nw, names, nn, i, j) {
		sub(/^[[:space:]]*-- @params /, "", line)
		nw = split(line, words, /[[:space:]]+/)
		for (i = 1; i <= nw; i++) {
			if (words[i] !~ /^@/) {
				if (words[i] in slot)
					die("parameter " words[i] " twice")
				slot[words[i]] = ++nslots
				order[nslots] = words[i]
				continue
			}
			nn = split(fragment_params(substr(words[i], 2)), names, /[[:space:]]+/)
			for (j = 1; j <= nn; j++) {
				if (names[j] in slot)
					die("parameter " names[j] " twice")
				slot[names[j]] = ++nslots
				order[nslots] = names[j]
			}
		}
	}
	# line with each $name replaced by its number; an unknown name is an
	# error outside comments.
	function numbered(line, lineno,    out, name) {
		if (nslots == 0)
			return line
		out = ""
		while (match(line, /\$[a-z_]+/)) {
			name = substr(line, RSTART + 1, RLENGTH - 1)
			if (name in slot)
				out = out substr(line, 1, RSTART - 1) "$" slot[name]
			else if (line ~ /^[[:space:]]*--/ || out ~ /^[[:space:]]*--/)
				out = out substr(line, 1, RSTART + RLENGTH - 1)
			else
				die("line " lineno ": no parameter " name " in its -- @params")
			line = substr(line, RSTART + RLENGTH)
		}
		return out line
	}
	{ lines[++n] = $0 }
	/^[[:space:]]*-- @params / { number($0) }
	END {
		if (failed)
			exit 1
		if (names) {
			for (i = 1; i <= nslots; i++)
				printf "%s%s", order[i], (i < nslots ? " " : "")
			print ""
			exit 0
		}
		for (i = 1; i <= n; i++) {
			if (lines[i] !~ /^[[:space:]]*-- @include [a-z_]+[[:space:]]*$/) {
				print numbered(lines[i], i)
				continue
			}
			indent = lines[i]
			sub(/--.*/, "", indent)
			name = lines[i]
			sub(/^[[:space:]]*-- @include /, "", name)
			sub(/[[:space:]]+$/, "", name)
			path = dir "/" name ".sql"
			k = 0
			while ((r = getline line < path) > 0) {
				k++
				if (line !~ /^[[:space:]]*--/)
					print numbered(indent line, i)
			}
			close(path)
			if (r < 0 || k == 0)
				die("line " i ": no fragment " path)
		}
	}' "$f"
done
