/*
 * The pieces of `finder reports` that need no database (reports.c): the
 * check of --since, and the writing of visitors' text into the listing as
 * text and as CSV. Pure; the unit tests call them (tests/unit/
 * test_reports_format.c).
 */
#ifndef FINDER_REPORTS_FORMAT_H
#define FINDER_REPORTS_FORMAT_H

#include <stddef.h>
#include <stdio.h>

/* Whether s[0..len) is a date (2026-03-08) or an ISO 8601 time
 * (2026-03-08T19:00[:00][Z|+01:00]) of a real day from 1900 to 2200, as
 * --since takes it. patterns_init() must have run. */
int reports_since_ok(const char *s, size_t len);

/*
 * Writes s as one CSV field (RFC 4180): in double quotes, doubled inside,
 * when it holds a comma, a quote, a CR or a LF. A field a spreadsheet would
 * take for a formula (starting with =, +, -, @, a tab or a CR) gets an
 * apostrophe first, so that a visitor's message opened in a spreadsheet is
 * shown, never run. NULL is an empty field.
 */
void reports_csv_field(FILE *out, const char *s);

/*
 * Writes s (UTF-8) for a terminal: each newline followed by indent, so that
 * a message of several lines stays in its block; a tab as it is; any other
 * control character (C0, DEL, C1: they could move the cursor or set the
 * title) as '?'. NULL writes "-".
 */
void reports_text(FILE *out, const char *s, const char *indent);

#endif
