#ifndef FINDER_CACHE_POLICY_H
#define FINDER_CACHE_POLICY_H

#include <time.h>

#include "query_string.h"

/*
 * Which answers shared caches (nginx's, a browser's) may keep, and for how
 * long. Privacy first: an answer to a request that could tell where the
 * searcher is must never be kept, so a request is "placeless" only when
 * every parameter it has is on an allow-list of parameters that say
 * nothing about a place (lat, lng, near and radius_km are not on it, nor is
 * any parameter added later until someone decides it belongs there).
 * nginx/api_cache.js holds the same list: keep the two alike.
 */

/* How long an answer that does not depend on the clock may be kept. */
#define CACHE_POLICY_FIXED_SECONDS 300

/* Whether every key of qs is on the allow-list (true for no keys). */
int cache_policy_placeless(const struct query_string *qs);

/* Whether qs has the key (decoded, compared whole). */
int cache_policy_has(const struct query_string *qs, const char *key);

/* The seconds from now to the end of its minute: 1 to 60. An answer that
 * is true for the minute it was made in may be kept that long. */
int cache_policy_minute_left(time_t now);

#endif
