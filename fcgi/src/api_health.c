#include "api_health.h"

#include "pg_json.h"
#include "reply.h"
#include "request.h"

int api_health_get(struct request *req, const char *id)
{
	struct api_error err;
	json_object *body;

	(void)id;
	req->result = db_exec(req->db, DB_HEALTH, NULL, &err);
	body = json_object_new_object();
	if (body == NULL)
		return reply_json(req, 500, NULL);
	if (req->result == NULL) {
		json_object_object_add(body, "status", json_object_new_string("unavailable"));
		json_object_object_add(body, "database", json_object_new_string("unavailable"));
		req->retry_after = err.retry_after > 0 ? err.retry_after : 1;
		return reply_json(req, 503, body);
	}
	json_object_object_add(body, "status", json_object_new_string("ok"));
	json_object_object_add(body, "database", json_object_new_string("ok"));
	json_object_object_add(body, "demo", pg_json_bool(req->result, 0, 0));
	return reply_json(req, 200, body);
}
