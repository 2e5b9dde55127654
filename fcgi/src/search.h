#ifndef FINDER_SEARCH_H
#define FINDER_SEARCH_H

#include <json-c/json.h>
#include <libpq-fe.h>

#include "api_error.h"
#include "db.h"
#include "params.h"

struct request;

/*
 * What the meetings and the services searches share (api_meetings.c,
 * api_facets.c, api_services.c): where a search is (near=, lat and lng,
 * radius_km), when it is for the searcher (tz, now), and how far it reads.
 * Each search keeps its own filters; the checks of these parameters, which
 * the rules alone cannot make, live here once.
 */

/*
 * A search's bounds (issue 12: a request's work grows with its page, not
 * with the data). Near a point, the count and the facets read the
 * SEARCH_CANDIDATES meetings nearest it; anywhere, at most SEARCH_CANDIDATES
 * + 1 matches; and no page reaches past SEARCH_PAGE_BOUND matches (offset +
 * limit), deep pages being a question to narrow the search.
 */
#define SEARCH_CANDIDATES 1000
#define SEARCH_PAGE_BOUND 1000

/* What tz= and now= must be, in the rule rows of every route that takes
 * them. */
#define SEARCH_TZ_DESCRIBE "an IANA time zone such as America/Chicago"
#define SEARCH_NOW_DESCRIBE \
	"an ISO 8601 date and time such as 2026-11-27T19:00 or 2026-11-27T19:00-06:00"

/*
 * Resolves near= (a place name or US ZIP code) through the gazetteer into
 * lat and lng, keeping the place in req->place (the request frees it).
 * Returns 0 (also when near= was not given), or the status of the error
 * reply it has set: a 400 naming near when lat is given too, or, with
 * close matches, for a place it does not know.
 */
int search_near(struct request *req, const struct param_list *near, struct param_number *lat,
		struct param_number *lng);

/* {"label":..., "lat":..., "lng":...} of the place near= resolved to
 * (req->place), as a new object the caller owns, or NULL. */
json_object *search_place_json(const PGresult *res);

/* Checks what the rules alone cannot: lat and lng come together, and a
 * radius needs them. Returns 0, or -1 with err set (400 naming the
 * parameter). */
int search_check_location(const struct param_number *lat, const struct param_number *lng,
			  const struct param_number *radius_km, struct api_error *err);

/* Checks tz against the server's zones and now= for a real date from 1900
 * to 2200. Returns 0, or -1 with err set (400 naming the parameter). */
int search_check_time(const struct param_list *tz, const struct param_list *now,
		      const struct db *db, struct api_error *err);

#endif
