#ifndef FINDER_API_FEED_H
#define FINDER_API_FEED_H

#include <stddef.h>
#include <time.h>

#include "params.h"

struct request;

/* GET /api/v1/feeds/meeting-guide.json: the active meetings as a Meeting
 * Guide feed. */
struct feed_params {
	struct param_list source;     /* one source slug */
	struct param_list fellowship; /* fellowship slugs */
	struct param_list region;     /* a region or city, free text */
};

extern const struct param_rules api_feed_rules;

int api_feed_get(struct request *req);

/* Whether an If-None-Match value (s[0..len), a comma list of entity tags or
 * "*") names etag, compared weakly (a W/ prefix on either side does not
 * matter). A malformed list matches nothing. */
int api_feed_etag_matches(const char *s, size_t len, const char *etag);

/* Parses an HTTP date in the one form senders must use (IMF-fixdate, "Sun,
 * 06 Nov 1994 08:49:37 GMT") into *out. Returns 0, or -1 for anything else,
 * which a condition then ignores. */
int api_feed_http_date(const char *s, size_t len, time_t *out);

#endif
