#include "api_facets.h"

#include <stdlib.h>
#include <string.h>

#include "api_meetings.h"
#include "reply.h"
#include "request.h"
#include "search.h"

/* The facets a search answers, in the order of the JSON object. */
static const char *const facet_names[] = {
	"fellowship", "attendance", "day", "type", "language", "for", "moud", "time", "region",
};

json_object *api_facets_json(const PGresult *res, const char *const *names, size_t nnames)
{
	json_object *body = json_object_new_object();
	json_object *facets = json_object_new_object();
	int exact = 1;
	const char *reach_m = NULL;

	if (body == NULL || facets == NULL) {
		json_object_put(body);
		json_object_put(facets);
		return NULL;
	}
	for (size_t i = 0; i < nnames; i++)
		json_object_object_add(facets, names[i], json_object_new_object());
	json_object_object_add(body, "count", json_object_new_int64(0));
	for (int row = 0; row < PQntuples(res); row++) {
		const char *facet = PQgetvalue(res, row, 0);
		const char *value = PQgetvalue(res, row, 1);
		json_object *n, *group;

		if (strcmp(facet, "scope") == 0) {
			if (strcmp(value, "exact") == 0)
				exact = strcmp(PQgetvalue(res, row, 2), "0") != 0;
			else if (strcmp(value, "reach_m") == 0 && !PQgetisnull(res, row, 2))
				reach_m = PQgetvalue(res, row, 2);
			continue;
		}
		n = json_object_new_int64(strtoll(PQgetvalue(res, row, 2), NULL, 10));
		if (strcmp(facet, "count") == 0)
			json_object_object_add(body, "count", n);
		else if (json_object_object_get_ex(facets, facet, &group))
			json_object_object_add(group, value, n);
		else
			json_object_put(n);
	}
	json_object_object_add(body, "count_exact", json_object_new_boolean(exact));
	if (!exact && reach_m != NULL)
		json_object_object_add(body, "count_within_km",
				       json_object_new_double(strtod(reach_m, NULL) / 1000.0));
	json_object_object_add(body, "facets", facets);
	return body;
}

int api_facets_get(struct request *req)
{
	struct meetings_query q;
	struct api_error err;
	char candidates[16];
	json_object *body, *unknown;

	if (api_meetings_near(req) != 0)
		return req->status;
	if (api_meetings_query(&req->params.meetings, req->db, &q, &err) != 0)
		return reply_error(req, &err);
	/* The facets count the matches among a search's candidates. */
	snprintf(candidates, sizeof(candidates), "%d", SEARCH_CANDIDATES);
	q.values[q.near ? MP_FACETS_NEAR_CANDIDATES : MP_FACETS_CANDIDATES] = candidates;
	req->result = db_exec(req->db, q.near ? DB_MEETINGS_FACETS_NEAR : DB_MEETINGS_FACETS_ALL,
			      q.values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	if (api_meetings_unknown(&req->params.meetings, req->db, &unknown, &err) != 0)
		return reply_error(req, &err);
	body = api_facets_json(req->result, facet_names,
			       sizeof(facet_names) / sizeof(facet_names[0]));
	if (body != NULL && unknown != NULL)
		json_object_object_add(body, "unknown", unknown);
	else
		json_object_put(unknown);
	reply_cache_search(req);
	return reply_json(req, 200, body);
}
