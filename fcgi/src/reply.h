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
int reply_raw(struct request *req, int status, const char *content_type, char *body,
	      size_t len);

/* Sets the reply to the JSON form of err. Returns err->status. */
int reply_error(struct request *req, const struct api_error *err);

/* As reply_error, with one more member in the error object (taking
 * ownership of value): {"error":{"code":...,"KEY":VALUE}}. */
int reply_error_with(struct request *req, const struct api_error *err, const char *key,
		     json_object *value);

/* Writes status, headers and body to the client, once. Returns 0, or -1 if
 * the client went away. */
int reply_send(struct request *req);

#endif
