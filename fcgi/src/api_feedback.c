#include "api_feedback.h"

#include <string.h>

#include "feedback.h"
#include "params.h"
#include "reply.h"
#include "request.h"

/*
 * Reads the body from FastCGI stdin into buf (FEEDBACK_BODY_MAX + 1 bytes)
 * and sets *len. CONTENT_LENGTH is checked before a byte is read, so a
 * larger body is never taken in (nginx refuses one first anyway). Returns
 * 0, or an error status with err set.
 */
static int read_body(struct request *req, char *buf, size_t *len, struct api_error *err)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", req->fcgi->envp);
	long long n = 0;
	int got;

	if (cl != NULL && cl[0] != '\0' && params_integer(cl, strlen(cl), 0, 1LL << 40, &n) != 0) {
		api_error_set(err, 400, "bad_request", NULL, "The Content-Length is not valid.");
		return 400;
	}
	if (n > FEEDBACK_BODY_MAX) {
		api_error_set(err, 413, "too_large", NULL,
			      "The request body is too large: at most %d bytes.",
			      FEEDBACK_BODY_MAX);
		return 413;
	}
	got = n > 0 ? FCGX_GetStr(buf, (int)n, req->fcgi->in) : 0;
	if (got != (int)n) {
		api_error_set(err, 400, "bad_request", NULL, "The request body was cut short.");
		return 400;
	}
	buf[got] = '\0';
	*len = (size_t)got;
	return 0;
}

/* Whether the report names an active meeting or a listed service: read as
 * the reader, since the feedback role can read nothing. Returns 0, or an
 * error status with err set (400 naming id for an unknown one). */
static int check_target(struct request *req, const struct feedback *fb, struct api_error *err)
{
	const char *values[2];
	PGresult *res;
	int known;

	values[0] = fb->kind == FEEDBACK_MEETING ? fb->id : NULL;
	values[1] = fb->kind == FEEDBACK_SERVICE ? fb->id : NULL;
	res = db_exec(req->db, DB_FEEDBACK_TARGET, values, err);
	if (res == NULL)
		return err->status;
	known = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (known)
		return 0;
	api_error_set(err, 400, "invalid_parameter", "id", "There is no %s with that id.",
		      feedback_kind_name(fb->kind));
	return 400;
}

int api_feedback_post(struct request *req)
{
	char body[FEEDBACK_BODY_MAX + 1];
	struct feedback fb;
	struct api_error err;
	size_t len = 0;
	const char *values[5];
	json_object *reply;

	if (feedback_content_type(FCGX_GetParam("CONTENT_TYPE", req->fcgi->envp), &err) != 0 ||
	    read_body(req, body, &len, &err) != 0 || feedback_parse(body, len, &fb, &err) != 0 ||
	    check_target(req, &fb, &err) != 0)
		return reply_error(req, &err);
	values[0] = feedback_kind_name(fb.kind);
	values[1] = fb.kind == FEEDBACK_MEETING ? fb.id : NULL;
	values[2] = fb.kind == FEEDBACK_SERVICE ? fb.id : NULL;
	values[3] = fb.message;
	values[4] = fb.contact[0] != '\0' ? fb.contact : NULL;
	if (db_command(req->feedback_db, DB_FEEDBACK_INSERT, values, &err) != 0)
		return reply_error(req, &err);
	reply = json_object_new_object();
	if (reply == NULL)
		return reply_json(req, 500, NULL);
	json_object_object_add(reply, "status", json_object_new_string("received"));
	return reply_json(req, 201, reply);
}
