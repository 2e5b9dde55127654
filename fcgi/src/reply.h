#ifndef FINDER_REPLY_H
#define FINDER_REPLY_H

#include <json-c/json.h>

#include "api_error.h"
#include "request.h"

/* Sets the reply to status and body; the request takes ownership of body
 * (NULL means out of memory, which becomes a 500). Returns status. */
int reply_json(struct request *req, int status, json_object *body);

/* Sets the reply to a body that is not JSON; the request takes ownership
 * of body (malloc'd, len bytes). Returns status. */
int reply_raw(struct request *req, int status, const char *content_type, char *body, size_t len);

/* Sets the reply to the JSON form of err. Returns err->status. */
int reply_error(struct request *req, const struct api_error *err);

/* As reply_error, with one more member in the error object (taking
 * ownership of value): {"error":{"code":...,"KEY":VALUE}}. */
int reply_error_with(struct request *req, const struct api_error *err, const char *key,
		     json_object *value);

/* Sets the reply to 304 Not Modified: the headers (ETag, Last-Modified,
 * Cache-Control) without a body. Returns 304. */
int reply_not_modified(struct request *req);

/*
 * A body written as it is made, for answers too large to build first: the
 * handler writes status 200 and the headers (no Content-Length), then the
 * body in pieces, and reply_send() adds nothing. A HEAD request gets the
 * headers only (the writes do nothing). Each returns 0, or -1 once the
 * client has gone away.
 */
int reply_stream_begin(struct request *req, const char *content_type);
int reply_stream_write(struct request *req, const char *data, size_t len);

/* Ends a streamed reply that failed halfway so that no client can take it
 * for whole: the connection is closed without FastCGI's end of request,
 * and nginx drops the client's before the body ends. */
void reply_stream_abort(struct request *req);

/*
 * Caching. Whatever is set, only a 200 or a 304 goes out with it: any
 * other status says Cache-Control: no-store, so no error is ever kept.
 *
 * reply_cache_public: browsers and shared caches may keep the answer for
 * seconds.
 *
 * reply_cache_search: for a search whose answer depends on the clock when
 * it gives no now= (next_start, open_now, starts_within...). A request with
 * any parameter that might tell where the searcher is (cache_policy.h)
 * stays no-store. With now=, the answer is kept CACHE_POLICY_FIXED_SECONDS;
 * without, until the end of the minute it was made in: max-age is the
 * seconds left, and X-Accel-Expires tells nginx the last second, which is
 * also how nginx/api_cache.js knows to restate the seconds left when it
 * serves the answer from its cache later in that minute.
 */
void reply_cache_public(struct request *req, int seconds);
void reply_cache_search(struct request *req);

/* Writes status, headers and body to the client, once. Returns 0, or -1 if
 * the client went away. */
int reply_send(struct request *req);

#endif
