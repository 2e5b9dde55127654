/*
 * `finder source` (source.c): adding, listing, removing, disabling and
 * confirming the sources that `finder sync` (sync.c) fetches from their
 * URLs.
 */
#ifndef FINDER_SOURCE_H
#define FINDER_SOURCE_H

#include <stddef.h>

/* Whether `url` is one a source may name: http:// or https://, a host, at
 * most 2000 characters, no spaces or control characters. */
int source_url_ok(const char *url);

/* "30m", "6h", "1d" or "2w" as a PostgreSQL interval ("30 minutes") in
 * out; -1 when it is not one, or is shorter than min_minutes. */
int source_interval(const char *s, long min_minutes, char *out, size_t cap);

/* A source's data licence (sql/migrations/029_source_licences.sql), as
 * `finder source add` and `finder import` take it: NULL keeps what the
 * source has, "" removes it. A new licence without a URL has none: the
 * old URL was the old licence's text. */
#define SOURCE_LICENSE_MAX 200 /* characters, as the table checks */
#define SOURCE_ATTRIBUTION_MAX 300

struct source_terms {
	const char *license;     /* an SPDX identifier or the publisher's words */
	const char *license_url; /* where the licence's text is */
	const char *attribution; /* whom to credit */
};

/* Whether `s` is a line the sources table takes for a licence or an
 * attribution: valid UTF-8, 1 to `max` characters, no control character,
 * no space at either end. */
int source_line_ok(const char *s, size_t max);

/* Checks t as the sources table would, with the options' names: 0, or -1
 * with a message for people in `why` (NUL-terminated, cut to `cap`). */
int source_terms_check(const struct source_terms *t, char *why, size_t cap);

int source_main(int argc, char **argv);

#endif
