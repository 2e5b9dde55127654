#ifndef FINDER_ORIGIN_H
#define FINDER_ORIGIN_H

#include <stddef.h>

/*
 * The finder's origin ("http://host:port"), which the Meeting Guide feed
 * puts before /api/v1/meetings/{id} in the url of a meeting without a page
 * at its source. The handler makes it from the request (api_feed.c); the
 * files of `finder feeds` from a configured PUBLIC_URL. Both go through
 * these checks, so that the two agree when the Host is the configured one.
 */

/* The longest origin either makes, with its NUL. */
#define ORIGIN_MAX 300

/* Whether host[0..len) is a host name, an IPv4 address or a bracketed IPv6
 * address, optionally with ":port" (1 to 5 digits). Sets *port_at to the
 * offset of the ':' before the port, or to len when there is none. Nothing
 * that could break out of a URL or a JSON string gets through. */
int origin_host_ok(const char *host, size_t len, size_t *port_at);

/*
 * Writes the origin "scheme://host[:port]" into out (cap bytes) from its
 * parts: scheme "http" or "https", host as origin_host_ok() takes it, and
 * port, used only when the host has none and it is not the scheme's
 * default (NULL or "" for none). Returns 0, or -1 when a part is not
 * acceptable or the origin does not fit.
 */
int origin_make(const char *scheme, const char *host, size_t host_len, const char *port, char *out,
		size_t cap);

/*
 * Parses a configured origin, url[0..len): "http://" or "https://", a host
 * as origin_host_ok() takes it, an optional port and an optional "/" at
 * the end, nothing else (no path, user or query). Writes it into out as
 * origin_make() would make it from a request to that host: the scheme's
 * default port is left out. Returns 0, or -1.
 */
int origin_parse(const char *url, size_t len, char *out, size_t cap);

#endif
