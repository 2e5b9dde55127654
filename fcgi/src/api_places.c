#include "api_places.h"

#include <stdlib.h>

#include "reply.h"
#include "request.h"

const struct param_rule api_places_rules[] = {
	{"q", PARAM_TEXT, offsetof(struct places_params, q), 0, 0, 0, 100, NULL, NULL},
};
const size_t api_places_nrules = sizeof(api_places_rules) / sizeof(api_places_rules[0]);

/* Columns of sql/queries/places_search.sql. */
enum { COL_KIND, COL_NAME, COL_REGION, COL_COUNTRY, COL_POSTAL_CODE, COL_LAT, COL_LNG,
       COL_POPULATION, COL_LABEL, COL__MAX };

static json_object *text_at(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return json_object_new_string_len(PQgetvalue(res, row, col), PQgetlength(res, row, col));
}

static json_object *place_json(const PGresult *res, int row)
{
	static const struct {
		const char *key;
		int col;
	} texts[] = {
		{"kind", COL_KIND}, {"name", COL_NAME}, {"region", COL_REGION},
		{"country", COL_COUNTRY}, {"postal_code", COL_POSTAL_CODE}, {"label", COL_LABEL},
	};
	json_object *place = json_object_new_object();

	for (size_t i = 0; place != NULL && i < sizeof(texts) / sizeof(texts[0]); i++)
		json_object_object_add(place, texts[i].key, text_at(res, row, texts[i].col));
	if (place != NULL) {
		const char *lat = PQgetvalue(res, row, COL_LAT), *lng = PQgetvalue(res, row, COL_LNG);

		json_object_object_add(place, "lat", json_object_new_double_s(strtod(lat, NULL), lat));
		json_object_object_add(place, "lng", json_object_new_double_s(strtod(lng, NULL), lng));
		json_object_object_add(place, "population",
				       PQgetisnull(res, row, COL_POPULATION) ? NULL :
				       json_object_new_int64(strtoll(PQgetvalue(res, row, COL_POPULATION),
								     NULL, 10)));
	}
	return place;
}

int api_places_search(struct request *req, const char *id)
{
	const struct places_params *p = &req->params.places;
	const char *values[1];
	struct api_error err;
	json_object *body, *list;

	(void)id;
	if (!p->q.set) {
		api_error_set(&err, 400, "missing_parameter", "q", "q is required: the start of a "
			      "place name or ZIP code");
		return reply_error(req, &err);
	}
	values[0] = p->q.items[0];
	req->result = db_exec(req->db, DB_PLACES_SEARCH, values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	body = json_object_new_object();
	list = json_object_new_array_ext(PQntuples(req->result));
	if (body == NULL || list == NULL) {
		json_object_put(body);
		json_object_put(list);
		return reply_json(req, 500, NULL);
	}
	for (int i = 0; i < PQntuples(req->result); i++)
		json_object_array_add(list, place_json(req->result, i));
	json_object_object_add(body, "places", list);
	return reply_json(req, 200, body);
}
