#include "search.h"

#include <stdlib.h>

#include "pg_json.h"
#include "reply.h"
#include "request.h"

/* The close matches of an unknown place, as a JSON array of labels. */
static json_object *suggestions_json(const PGresult *res)
{
	json_object *list = json_object_new_array();

	for (int i = 0; list != NULL && res != NULL && i < PQntuples(res); i++)
		json_object_array_add(list, json_object_new_string(PQgetvalue(res, i, 0)));
	return list;
}

int search_near(struct request *req, const struct param_list *near, struct param_number *lat,
		struct param_number *lng)
{
	const char *values[1];
	struct api_error err;

	if (!near->set)
		return 0;
	if (lat->set) {
		api_error_set(&err, 400, "invalid_parameter", "near",
			      "near cannot be given with lat and lng: give one or the other");
		return reply_error(req, &err);
	}
	values[0] = near->items[0];
	req->place = db_exec(req->db, DB_PLACE_RESOLVE, values, &err);
	if (req->place == NULL)
		return reply_error(req, &err);
	if (PQntuples(req->place) == 0) {
		/* Close matches help, but an unknown place stays a 400 even if
		 * they cannot be had. */
		PGresult *close = db_exec(req->db, DB_PLACE_SUGGEST, values, &err);
		json_object *labels = suggestions_json(close);

		api_error_set(&err, 400, "unknown_place", "near", "%s",
			      json_object_array_length(labels) > 0
				      ? "near: no such place; did you mean one of the suggestions?"
				      : "near: no such place or ZIP code");
		PQclear(close);
		return reply_error_with(req, &err, "suggestions", labels);
	}
	lat->set = lng->set = 1;
	lat->value = strtod(PQgetvalue(req->place, 0, 0), NULL);
	lng->value = strtod(PQgetvalue(req->place, 0, 1), NULL);
	return 0;
}

json_object *search_place_json(const PGresult *res)
{
	json_object *place = json_object_new_object();

	if (place != NULL) {
		json_object_object_add(place, "label", pg_json_text(res, 0, 2));
		json_object_object_add(place, "lat", pg_json_number(res, 0, 0));
		json_object_object_add(place, "lng", pg_json_number(res, 0, 1));
	}
	return place;
}

int search_check_location(const struct param_number *lat, const struct param_number *lng,
			  const struct param_number *radius_km, struct api_error *err)
{
	if (lat->set != lng->set) {
		const char *missing = lat->set ? "lng" : "lat";

		api_error_set(err, 400, "missing_parameter", missing, "%s is required with %s",
			      missing, lat->set ? "lat" : "lng");
		return -1;
	}
	if (radius_km->set && !lat->set) {
		api_error_set(err, 400, "missing_parameter", "lat",
			      "radius_km needs a location: give lat and lng");
		return -1;
	}
	return 0;
}

int search_check_time(const struct param_list *tz, const struct param_list *now,
		      const struct db *db, struct api_error *err)
{
	if (tz->set && db_timezone_known(db, tz->items[0]) == 0) {
		api_error_set(err, 400, "invalid_parameter", "tz",
			      "tz must be an IANA time zone such as America/Chicago");
		return -1;
	}
	if (now->set && !params_real_date(now->items[0])) {
		api_error_set(err, 400, "invalid_parameter", "now",
			      "now must be a real date and time from 1900 to 2200");
		return -1;
	}
	return 0;
}
