#include "api_health.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pg_json.h"
#include "reply.h"
#include "request.h"

/* A standby's lag in seconds, NAN when it cannot tell. */
static double lag_seconds(const PGresult *res)
{
	if (PQgetisnull(res, 0, 2))
		return NAN;
	return strtod(PQgetvalue(res, 0, 2), NULL);
}

/* A standby's lag as the public sees it: a bucket, not a number. */
static const char *lag_bucket(double seconds)
{
	if (isnan(seconds))
		return "unknown";
	if (seconds < 1)
		return "none";
	if (seconds < 60)
		return "seconds";
	if (seconds < 3600)
		return "minutes";
	return "hours";
}

/* Whether reports can be stored: the feedback connection reaches a primary. */
static int reports_ok(struct request *req)
{
	struct api_error err;
	PGresult *res = db_exec(req->feedback_db, DB_FEEDBACK_READY, NULL, &err);
	int ok = res != NULL && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;

	PQclear(res);
	return ok;
}

int api_health_get(struct request *req)
{
	struct api_error err;
	json_object *body;
	double lag = 0;
	int standby, reports;

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
	standby = strcmp(PQgetvalue(req->result, 0, 1), "t") == 0;
	if (standby)
		lag = lag_seconds(req->result);
	reports = reports_ok(req);
	/* Searches work: 200 either way, "degraded" when reports cannot be
	 * stored or the standby is a minute or more behind (or cannot tell;
	 * NAN compares false). */
	json_object_object_add(body, "status",
			       json_object_new_string(reports && lag < 60 ? "ok" : "degraded"));
	json_object_object_add(body, "database", json_object_new_string("ok"));
	json_object_object_add(body, "reads",
			       json_object_new_string(standby ? "standby" : "primary"));
	if (standby)
		json_object_object_add(body, "lag", json_object_new_string(lag_bucket(lag)));
	json_object_object_add(body, "reports",
			       json_object_new_string(reports ? "ok" : "unavailable"));
	json_object_object_add(body, "demo", pg_json_bool(req->result, 0, 0));
	return reply_json(req, 200, body);
}
