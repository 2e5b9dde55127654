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

int source_main(int argc, char **argv);

#endif
