#!/usr/bin/env bash
# checksrc.sh [FILE...]: the banned-function check, after curl's checksrc.
# Prints FILE:LINE: and the reason for each call of a banned function in
# the C files given (default: fcgi/src, tests/unit and tests/fuzz), and
# exits 1 if there was one. Comments, string and character literals are
# blanked first, so a word in a sentence or a message is not a call.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
    set -- fcgi/src/*.[ch] tests/unit/*.c tests/fuzz/*.c
fi

# name<TAB>what to use instead (or why not)
banned='atoi	no error detection: params_number/params_integer, or strtol with an end check
atol	no error detection: params_integer, or strtol with an end check
atoll	no error detection: params_integer, or strtoll with an end check
atof	no error detection: params_number, or strtod with an end check
sscanf	undefined on overflow, lax about what follows: a parser of its own
scanf	undefined on overflow, lax about what follows
fscanf	undefined on overflow, lax about what follows
vsscanf	undefined on overflow, lax about what follows
sprintf	no bound: snprintf, or a dynbuf
vsprintf	no bound: vsnprintf, or a dynbuf
strcpy	no bound: snprintf, or memcpy with a checked length
stpcpy	no bound: memcpy with a checked length
strcat	no bound: a dynbuf, or snprintf
strncat	its size is the space left, not the buffer: a dynbuf, or snprintf
strncpy	leaves the copy unterminated when it does not fit: snprintf, or memcpy
strtok	hidden state, writes into its input: strtok_r, or scan with strchr/strcspn
gets	no bound at all
tmpnam	a race between naming and creating: mkstemp or mkdtemp
tempnam	a race between naming and creating: mkstemp or mkdtemp
mktemp	a race between naming and creating: mkstemp or mkdtemp
alloca	an unbounded stack allocation (as -Wvla refuses): a fixed array or malloc'

awk -v banned="$banned" '
BEGIN {
	n = split(banned, rows, "\n")
	for (i = 1; i <= n; i++) {
		tab = index(rows[i], "\t")
		why[substr(rows[i], 1, tab - 1)] = substr(rows[i], tab + 1)
	}
}
FNR == 1 { incomment = 0 }
{
	# Blank comments and literals, keeping the code between them. A block
	# comment may span lines (incomment carries over); a literal may not.
	line = $0; out = ""; i = 1; len = length(line)
	while (i <= len) {
		c = substr(line, i, 1); c2 = substr(line, i, 2)
		if (incomment) {
			if (c2 == "*/") { incomment = 0; i += 2 } else i++
			out = out " "
			continue
		}
		if (c2 == "/*") { incomment = 1; i += 2; out = out " "; continue }
		if (c2 == "//") break
		if (c == "\"" || c == "\047") {
			q = c; i++
			while (i <= len && substr(line, i, 1) != q)
				i += substr(line, i, 1) == "\\" ? 2 : 1
			i++
			out = out q q
			continue
		}
		out = out c; i++
	}
	# A call (or a pointer taken) of a banned name: the name as a whole
	# word, followed by "(". Member names (p->gets, s.gets) are not calls
	# of the library function.
	rest = out
	while (match(rest, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
		name = substr(rest, RSTART, RLENGTH)
		sub(/[ \t]*\($/, "", name)
		before = RSTART > 1 ? substr(rest, RSTART - 1, 1) : ""
		if ((name in why) && before != "." && before != ">") {
			printf "%s:%d: %s() is banned: %s\n", FILENAME, FNR, name, why[name]
			bad = 1
		}
		rest = substr(rest, RSTART + RLENGTH)
	}
}
END { exit bad }
' "$@"
