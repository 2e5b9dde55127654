#include "reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cache_policy.h"

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

int reply_json(struct request *req, int status, json_object *body)
{
	if (req->body != NULL)
		json_object_put(req->body);
	req->body = body;
	req->status = body != NULL ? status : 500;
	return req->status;
}

int reply_raw(struct request *req, int status, const char *content_type, char *body, size_t len)
{
	if (req->body != NULL)
		json_object_put(req->body);
	req->body = NULL;
	free(req->raw);
	req->raw = body;
	req->raw_len = len;
	req->content_type = content_type;
	req->status = status;
	return status;
}

int reply_error_with(struct request *req, const struct api_error *err, const char *key,
		     json_object *value)
{
	json_object *inner;

	reply_error(req, err);
	if (req->body != NULL && json_object_object_get_ex(req->body, "error", &inner))
		json_object_object_add(inner, key, value);
	else
		json_object_put(value);
	return req->status;
}

int reply_error(struct request *req, const struct api_error *err)
{
	json_object *outer = json_object_new_object();
	json_object *inner = json_object_new_object();

	if (outer == NULL || inner == NULL) {
		json_object_put(outer);
		json_object_put(inner);
		return reply_json(req, 500, NULL);
	}
	json_object_object_add(inner, "code", json_object_new_string(err->code));
	if (err->param[0] != '\0')
		json_object_object_add(inner, "param", json_object_new_string(err->param));
	json_object_object_add(inner, "message", json_object_new_string(err->message));
	json_object_object_add(outer, "error", inner);
	req->retry_after = err->retry_after;
	return reply_json(req, err->status, outer);
}

void reply_cache_public(struct request *req, int seconds)
{
	snprintf(req->cache_control_buf, sizeof(req->cache_control_buf), "public, max-age=%d",
		 seconds);
	req->cache_control = req->cache_control_buf;
}

void reply_cache_search(struct request *req)
{
	time_t now;
	int left;

	if (!cache_policy_placeless(&req->qs))
		return;
	if (cache_policy_has(&req->qs, "now")) {
		reply_cache_public(req, CACHE_POLICY_FIXED_SECONDS);
		return;
	}
	/* The minute the request came in: the database reads its clock later,
	 * in this minute or the next, and the answer holds until the end of
	 * that one, so at least until the end of this one. */
	now = req->started;
	left = cache_policy_minute_left(now);
	reply_cache_public(req, left);
	req->expires = now + left - 1;
}

/* The body of last resort, when even building the error failed. */
static const char internal_error[] =
	"{\"error\":{\"code\":\"internal_error\",\"message\":\"Something went wrong on our side.\"}}";

/*
 * Writes the status line and headers, and the blank line after them.
 * content_type NULL leaves out Content-Type and Content-Length (a 304);
 * length < 0 leaves out Content-Length (a streamed body). Returns 0, or -1.
 */
static int write_head(struct request *req, int status, const char *content_type, long long length)
{
	char head[1024];
	char size[48] = "";
	/* Errors are never cached (reply.h). */
	int cacheable = status == 200 || status == 304;
	const char *cache_control = cacheable && req->cache_control ? req->cache_control
								    : "no-store";
	int n;

	if (content_type != NULL && length >= 0)
		snprintf(size, sizeof(size), "Content-Length: %lld\r\n", length);
	/* libfcgi's own printf knows no %zu: the head is formatted here. */
	n = snprintf(head, sizeof(head),
		     "Status: %d %s\r\n"
		     "%s%s%s%s"
		     "Cache-Control: %s\r\n"
		     "%s%s%s%s%s%s%s%s%s%s%s%s",
		     status, status_text(status), content_type ? "Content-Type: " : "",
		     content_type ? content_type : "", content_type ? "\r\n" : "", size,
		     cache_control, req->allow ? "Allow: " : "", req->allow ? req->allow : "",
		     req->allow ? "\r\n" : "", req->disposition[0] ? "Content-Disposition: " : "",
		     req->disposition, req->disposition[0] ? "\r\n" : "",
		     req->etag[0] ? "ETag: " : "", req->etag, req->etag[0] ? "\r\n" : "",
		     req->last_modified[0] ? "Last-Modified: " : "", req->last_modified,
		     req->last_modified[0] ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(head) - 64)
		return -1;
	if (req->retry_after > 0 && status == 503)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "Retry-After: %d\r\n",
			      req->retry_after);
	if (cacheable && req->expires != 0)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "X-Accel-Expires: @%lld\r\n",
			      (long long)req->expires);
	FCGX_PutStr(head, n, req->fcgi->out);
	FCGX_PutS("\r\n", req->fcgi->out);
	return FCGX_GetError(req->fcgi->out) == 0 ? 0 : -1;
}

int reply_send(struct request *req)
{
	const char *body = internal_error;
	size_t len = sizeof(internal_error) - 1;
	int status = req->status, json = 1;

	if (req->streamed)
		return FCGX_GetError(req->fcgi->out) == 0 ? 0 : -1;
	if (status == 304)
		return write_head(req, 304, NULL, -1);
	if (req->raw != NULL) {
		body = req->raw;
		len = req->raw_len;
		json = 0;
	} else if (req->body != NULL) {
		body = json_object_to_json_string_length(
			req->body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
		if (body == NULL) {
			body = internal_error;
			len = sizeof(internal_error) - 1;
			status = 500;
		}
	} else {
		status = 500;
	}
	if (write_head(req, status, json ? "application/json; charset=utf-8" : req->content_type,
		       (long long)len + json) != 0)
		return -1;
	if (!req->head) {
		FCGX_PutStr(body, (int)len, req->fcgi->out);
		if (json)
			FCGX_PutChar('\n', req->fcgi->out);
	}
	return FCGX_GetError(req->fcgi->out) == 0 ? 0 : -1;
}

int reply_not_modified(struct request *req)
{
	if (req->body != NULL)
		json_object_put(req->body);
	req->body = NULL;
	req->status = 304;
	return 304;
}

int reply_stream_begin(struct request *req, const char *content_type)
{
	req->streamed = 1;
	req->status = 200;
	return write_head(req, 200, content_type, -1);
}

int reply_stream_write(struct request *req, const char *data, size_t len)
{
	while (len > 0 && !req->head) {
		int chunk = len > 1 << 20 ? 1 << 20 : (int)len;

		if (FCGX_PutStr(data, chunk, req->fcgi->out) != chunk)
			return -1;
		data += chunk;
		len -= (size_t)chunk;
	}
	return FCGX_GetError(req->fcgi->out) == 0 ? 0 : -1;
}

void reply_stream_abort(struct request *req)
{
	/* Without FastCGI's end of request, nginx drops the client's
	 * connection before the body's end (no last chunk), so no client can
	 * take what was sent for the whole answer. */
	shutdown(req->fcgi->ipcFd, SHUT_RDWR);
}
