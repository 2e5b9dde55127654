#ifndef FINDER_API_MEETINGS_H
#define FINDER_API_MEETINGS_H

#include <stddef.h>

#include <json-c/json.h>

#include "db.h"
#include "params.h"

struct request;

/* GET /api/v1/meetings */
struct meetings_params {
	struct param_number lat, lng, radius_km;
	struct param_list day, fellowship, type, attendance, language;
	struct param_list audience, moud;                   /* for=family|recovery, moud=true */
	struct param_list keywords;                         /* q */
	struct param_list tz, now, time, sort, in_progress; /* one item each */
	struct param_integer starts_within;
	struct param_list near;   /* a place name or ZIP code */
	struct param_list region; /* region or city names */
	struct param_integer limit, offset;
};

/* The longest item each list allows, which also sizes its SQL array. */
#define DAY_MAX 8 /* tomorrow */
#define FELLOWSHIP_MAX 40
#define TYPE_MAX 12
#define ATTENDANCE_MAX 9 /* in_person */
#define LANGUAGE_MAX 2
/* A region or city name, in characters (the feed's region= too); its SQL
 * array is sized for four bytes a character. */
#define REGION_MAX 100
#define REGION_MAX_BYTES (4 * REGION_MAX)

/* The text forms of a search's parameters, as the statements in
 * sql/queries/meetings_*.sql take them, in the slots of enum meetings_param
 * (db.h); NULL entries are SQL NULL. */
struct meetings_query {
	char lat[32], lng[32], radius_m[32], limit[24], offset[24], within[24];
	char time_from[6], time_to[6], tz[64], now[32];
	char day[PARAM_ARRAY_CAP(DAY_MAX)], fellowship[PARAM_ARRAY_CAP(FELLOWSHIP_MAX)],
		type[PARAM_ARRAY_CAP(TYPE_MAX)], attendance[PARAM_ARRAY_CAP(ATTENDANCE_MAX)],
		language[PARAM_ARRAY_CAP(LANGUAGE_MAX)], region[PARAM_ARRAY_CAP(REGION_MAX_BYTES)];
	const char *values[MP__MAX];
	int near;      /* by distance: the *_near statements */
	int sort_next; /* soonest first, else nearest first */
	int by_time;   /* a filter of day, time of day or in progress */
};

/* The meetings route's parameters; the facets route's (api_facets_rules)
 * are all but the last two, limit and offset. */
extern const struct param_rules api_meetings_rules;

/* search_near for the meetings params of req. */
int api_meetings_near(struct request *req);

/* Checks what the rules alone cannot (lat with lng, a radius with both,
 * tz and now, a page within SEARCH_PAGE_BOUND) and fills q's base values
 * from p. Returns
 * 0, or -1 with err set. q's values point into q and into the request's
 * query string. */
int api_meetings_query(const struct meetings_params *p, const struct db *db,
		       struct meetings_query *q, struct api_error *err);

/* The values of p's open lists (fellowship, type) that their vocabularies
 * do not hold, as vocab_check finds them: 0 with *unknown a new object the
 * caller owns or NULL, or -1 with err set. */
int api_meetings_unknown(const struct meetings_params *p, struct db *db, json_object **unknown,
			 struct api_error *err);

/* GET /api/v1/meetings. With fellowships or types that no meeting could
 * have, the answer says so in its "unknown" member (only then). */
int api_meetings_list(struct request *req);

/* GET /api/v1/meetings/{id}, the id in req->id: no parameters. */
int api_meetings_get(struct request *req);

#endif
