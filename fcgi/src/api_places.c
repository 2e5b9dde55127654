#include "api_places.h"

#include "pg_json.h"
#include "reply.h"
#include "request.h"

/* The gazetteer changes only when it is loaded again. */
#define PLACES_CACHE_SECONDS 3600

static const struct param_rule rules[] = {
	RULE_TEXT(places_params, "q", q, 100),
};
const struct param_rules api_places_rules = PARAM_RULES(rules);

/* Columns of sql/queries/places_search.sql. */
enum {
	COL_KIND,
	COL_NAME,
	COL_REGION,
	COL_COUNTRY,
	COL_POSTAL_CODE,
	COL_LAT,
	COL_LNG,
	COL_POPULATION,
	COL_LABEL,
	COL__MAX
};

static json_object *place_json(const PGresult *res, int row)
{
	static const struct {
		const char *key;
		int col;
	} texts[] = {
		{"kind", COL_KIND},
		{"name", COL_NAME},
		{"region", COL_REGION},
		{"country", COL_COUNTRY},
		{"postal_code", COL_POSTAL_CODE},
		{"label", COL_LABEL},
	};
	json_object *place = json_object_new_object();

	for (size_t i = 0; place != NULL && i < sizeof(texts) / sizeof(texts[0]); i++)
		json_object_object_add(place, texts[i].key, pg_json_text(res, row, texts[i].col));
	if (place != NULL) {
		json_object_object_add(place, "lat", pg_json_number(res, row, COL_LAT));
		json_object_object_add(place, "lng", pg_json_number(res, row, COL_LNG));
		json_object_object_add(place, "population", pg_json_int(res, row, COL_POPULATION));
	}
	return place;
}

int api_places_search(struct request *req)
{
	const struct places_params *p = &req->params.places;
	const char *values[1];
	struct api_error err;

	if (!p->q.set) {
		api_error_set(&err, 400, "missing_parameter", "q",
			      "q is required: the start of a "
			      "place name or ZIP code");
		return reply_error(req, &err);
	}
	values[0] = p->q.items[0];
	req->result = db_exec(req->db, DB_PLACES_SEARCH, values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	reply_cache_public(req, PLACES_CACHE_SECONDS);
	return reply_json(req, 200, pg_json_rows(req->result, "places", place_json));
}
