#include "api_services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_facets.h"
#include "pg_json.h"
#include "reply.h"
#include "request.h"
#include "search.h"
#include "vocab.h"

static const char *const true_choice[] = {"true", NULL};
static const char *const scope_choices[] = {"national", NULL};
static const char *const narr_level_choices[] = {"1", "2", "3", "4", NULL};
/* As hsds.recovery_housing.gender_served stores them. */
static const char *const gender_choices[] = {"men", "women", "all", NULL};

/* The longest item each list allows, which also sizes its SQL array: the
 * vocabularies' codes are slugs such as recovery-community-center. */
#define CODE_MAX 40
_Static_assert(CODE_MAX <= VOCAB_ITEM_MAX, "vocab_check's arrays hold the codes");
#define LANGUAGE_MAX 2
#define GENDER_MAX 5

static const struct param_rule search_rules[] = {
	RULE_NUMBER(services_params, "lat", lat, -90, 90),
	RULE_NUMBER(services_params, "lng", lng, -180, 180),
	RULE_NUMBER(services_params, "radius_km", radius_km, 0.1, 500),
	RULE_TEXT(services_params, "near", near, 100),
	/* The codes are slugs; the pattern takes capitals too, so that a code
	 * in the wrong case is answered, as any code that is not one, with the
	 * vocabulary's codes (check_vocab). */
	RULE_LIST(services_params, "category", category, PATTERN_TYPE_CODE, CODE_MAX,
		  "category codes such as peer-support (GET /api/v1/categories)"),
	RULE_LIST(services_params, "population", population, PATTERN_TYPE_CODE, CODE_MAX,
		  "population codes such as veterans (GET /api/v1/categories)"),
	RULE_LIST(services_params, "lang", language, PATTERN_LANGUAGE, LANGUAGE_MAX,
		  "two-letter language codes (ISO 639-1) such as es"),
	RULE_LIST(services_params, "cost", cost, PATTERN_TYPE_CODE, CODE_MAX,
		  "cost codes such as free or sliding-scale (GET /api/v1/categories)"),
	RULE_CHOICE(services_params, "moud", moud, true_choice, "true"),
	RULE_CHOICE(services_params, "open_now", open_now, true_choice, "true"),
	RULE_PATTERN(services_params, "tz", tz, PATTERN_TIMEZONE, 63, SEARCH_TZ_DESCRIBE),
	RULE_PATTERN(services_params, "now", now, PATTERN_DATETIME, 25, SEARCH_NOW_DESCRIBE),
	RULE_TEXT(services_params, "q", keywords, 200),
	RULE_CHOICE(services_params, "scope", scope, scope_choices, "national"),
	RULE_PATTERN(services_params, "country", country, PATTERN_COUNTRY, 2,
		     "an ISO 3166-1 country code in capitals such as US"),
	RULE_LIST_OF(services_params, "narr_level", narr_level, narr_level_choices,
		     "NARR levels from 1 to 4"),
	RULE_LIST_OF(services_params, "gender", gender, gender_choices, "of men, women, all"),
	RULE_CHOICE(services_params, "beds_available", beds_available, true_choice, "true"),
	RULE_CHOICE(services_params, "housing_moud", housing_moud, true_choice, "true"),
	RULE_INTEGER(services_params, "age", age, 0, 120),
	RULE_INTEGER(services_params, "limit", limit, 1, 100),
	RULE_INTEGER(services_params, "offset", offset, 0, SEARCH_PAGE_BOUND - 1),
};
const struct param_rules api_services_rules = PARAM_RULES(search_rules);
/* Facets take the same filters, without limit and offset (the last two, as
 * tests/unit/test_route.c checks). */
const struct param_rules api_services_facets_rules = {
	search_rules, sizeof(search_rules) / sizeof(search_rules[0]) - 2};

static const struct param_rule detail_rules[] = {
	RULE_PATTERN(service_params, "tz", tz, PATTERN_TIMEZONE, 63, SEARCH_TZ_DESCRIBE),
	RULE_PATTERN(service_params, "now", now, PATTERN_DATETIME, 25, SEARCH_NOW_DESCRIBE),
};
const struct param_rules api_service_rules = PARAM_RULES(detail_rules);

#define DEFAULT_RADIUS_KM 25
#define DEFAULT_LIMIT 25

/*
 * Near a point a services search reads the services at this many of the
 * nearest locations, and at most this many areas of each kind that reach
 * the point, for its count and facets (sql/queries/services_near.sql): a
 * service costs several rows where a meeting costs one, so fewer than a
 * meetings search's SEARCH_CANDIDATES. Anywhere, the count is exact up to
 * SEARCH_CANDIDATES, as for meetings.
 */
#define SERVICE_CANDIDATES_NEAR 300

/* The vocabularies change with data (the counts) as well as migrations. */
#define CATEGORIES_CACHE_CONTROL "public, max-age=300"

/*
 * The text forms of a search's parameters, as sql/queries/services_*.sql
 * take them, by slot (enum services_param in db.h); NULL entries are SQL
 * NULL. The filters come first, the same slots near a point and anywhere;
 * with a location, lat, lng and the radius in metres follow; then, for a
 * search, limit, offset and the candidates, and for facets the candidates
 * alone. A statement takes as many as its __MAX says.
 */
struct services_query {
	char lat[32], lng[32], radius_m[32], limit[24], offset[24], candidates[16], age[8];
	char category[PARAM_ARRAY_CAP(CODE_MAX)], population[PARAM_ARRAY_CAP(CODE_MAX)],
		language[PARAM_ARRAY_CAP(LANGUAGE_MAX)], cost[PARAM_ARRAY_CAP(CODE_MAX)],
		narr_level[PARAM_ARRAY_CAP(1)], gender[PARAM_ARRAY_CAP(GENDER_MAX)];
	const char *values[SP__MAX];
	int near; /* by distance: the services_near* statements */
};

/* Columns of sql/queries/services_near.sql and services_all.sql (those of
 * hsds.service_rows() in sql/migrations/028_stale.sql, then the
 * count's: exact, or within reach_km of the point, and whether the page is
 * in this result). */
enum service_column {
	COL_ID,
	COL_NAME,
	COL_ORGANIZATION_ID,
	COL_ORGANIZATION_NAME,
	COL_DESCRIPTION,
	COL_URL,
	COL_EMAIL,
	COL_PHONE,
	COL_CATEGORIES,
	COL_POPULATIONS,
	COL_COSTS,
	COL_LANGUAGES,
	COL_ACCESSIBILITY,
	COL_MOUD,
	COL_LAST_VERIFIED,
	COL_OPEN_NOW,
	COL_LOCATION,
	COL_DISTANCE_KM,
	COL_AREA_NAME,
	COL_RECOVERY_HOUSING,
	COL_CONFIRMED_AT,
	COL_STALE,
	COL_COUNT,
	COL_COUNT_EXACT,
	COL_REACH_KM,
	COL_HELD,
	COL__MAX
};

/* A json column as a new JSON value the caller owns, or NULL (JSON null)
 * when the field is SQL NULL. json-c keeps the numbers' text as PostgreSQL
 * printed it. */
static json_object *json_column(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return json_tokener_parse(PQgetvalue(res, row, col));
}

/* The text of a one-item parameter (NUL-terminated where the query string
 * was decoded), or NULL. */
static const char *single_value(const struct param_list *list)
{
	return list->set ? list->items[0] : NULL;
}

/* Fills q's filters from p (slots SP_CATEGORY to SP_FILTERS__MAX); returns
 * 0, or -1 if a filter could not be expressed. */
static int build_filters(const struct services_params *p, struct services_query *q)
{
	const char **v = q->values;
	int failed = 0;

	v[SP_CATEGORY] = params_list_value(&p->category, q->category, sizeof(q->category), &failed);
	v[SP_POPULATION] = params_list_value(&p->population, q->population, sizeof(q->population),
					     &failed);
	v[SP_LANGUAGE] = params_list_value(&p->language, q->language, sizeof(q->language), &failed);
	v[SP_COST] = params_list_value(&p->cost, q->cost, sizeof(q->cost), &failed);
	v[SP_MOUD] = p->moud.set ? "t" : NULL;
	v[SP_OPEN_NOW] = p->open_now.set ? "t" : NULL;
	v[SP_KEYWORDS] = single_value(&p->keywords);
	v[SP_TZ] = single_value(&p->tz);
	v[SP_NOW] = single_value(&p->now);
	/* Near a point the country is the point's (any value will do);
	 * anywhere, the one asked for, else any ("*"). */
	v[SP_NATIONAL] = NULL;
	if (p->scope.set)
		v[SP_NATIONAL] = p->country.set ? single_value(&p->country) : "*";
	v[SP_NARR_LEVEL] = params_list_value(&p->narr_level, q->narr_level, sizeof(q->narr_level),
					     &failed);
	v[SP_GENDER] = params_list_value(&p->gender, q->gender, sizeof(q->gender), &failed);
	v[SP_BEDS_AVAILABLE] = p->beds_available.set ? "t" : NULL;
	v[SP_HOUSING_MOUD] = p->housing_moud.set ? "t" : NULL;
	v[SP_AGE] = NULL;
	if (p->age.set) {
		snprintf(q->age, sizeof(q->age), "%lld", p->age.value);
		v[SP_AGE] = q->age;
	}
	return failed ? -1 : 0;
}

/* Fills q from p: the filters, the location when near, and a search's
 * limit, offset and candidates (the facets set their candidates' slot
 * themselves). Returns 0, or -1 if a filter could not be expressed. */
static int build_query(const struct services_params *p, struct services_query *q)
{
	const char **v = q->values;

	snprintf(q->limit, sizeof(q->limit), "%lld", p->limit.set ? p->limit.value : DEFAULT_LIMIT);
	snprintf(q->offset, sizeof(q->offset), "%lld", p->offset.set ? p->offset.value : 0);
	q->near = p->lat.set;
	snprintf(q->candidates, sizeof(q->candidates), "%d",
		 q->near ? SERVICE_CANDIDATES_NEAR : SEARCH_CANDIDATES);
	if (!q->near) {
		v[SP_LIMIT] = q->limit;
		v[SP_OFFSET] = q->offset;
		v[SP_CANDIDATES] = q->candidates;
		return build_filters(p, q);
	}
	snprintf(q->lat, sizeof(q->lat), "%.17g", p->lat.value);
	snprintf(q->lng, sizeof(q->lng), "%.17g", p->lng.value);
	snprintf(q->radius_m, sizeof(q->radius_m), "%.17g",
		 (p->radius_km.set ? p->radius_km.value : DEFAULT_RADIUS_KM) * 1000.0);
	v[SP_LAT] = q->lat;
	v[SP_LNG] = q->lng;
	v[SP_RADIUS] = q->radius_m;
	v[SP_NEAR_LIMIT] = q->limit;
	v[SP_NEAR_OFFSET] = q->offset;
	v[SP_NEAR_CANDIDATES] = q->candidates;
	return build_filters(p, q);
}

/* A page past SEARCH_PAGE_BOUND matches is not served: 400 naming offset. */
static int check_page(const struct services_params *p, struct api_error *err)
{
	long long limit = p->limit.set ? p->limit.value : DEFAULT_LIMIT;
	long long offset = p->offset.set ? p->offset.value : 0;

	if (offset + limit <= SEARCH_PAGE_BOUND)
		return 0;
	api_error_set(err, 400, "invalid_parameter", "offset",
		      "offset + limit must be at most %d: narrow the search (a smaller radius, "
		      "a category) rather than page past it",
		      SEARCH_PAGE_BOUND);
	return -1;
}

/* country= narrows scope=national: alone it is a 400 naming it. */
static int check_country(const struct services_params *p, struct api_error *err)
{
	if (!p->country.set || p->scope.set)
		return 0;
	api_error_set(
		err, 400, "invalid_parameter", "country",
		"country goes with scope=national (the services that reach the whole country)");
	return -1;
}

/* A category, population or cost code that the finder's vocabularies do not
 * hold is a 400 (they are closed: GET /api/v1/categories lists them). They
 * live in the database, and a statement asks it each time one of those
 * filters is given rather than a copy loaded at connect: it costs a tenth
 * of a millisecond, and the answer is then always what /categories says,
 * even after a migration or an import while the workers run. */
static int check_vocab(const struct services_params *p, struct db *db, struct api_error *err)
{
	const struct param_list *lists[VOCAB__MAX] = {
		[VOCAB_CATEGORY] = &p->category,
		[VOCAB_POPULATION] = &p->population,
		[VOCAB_COST] = &p->cost,
	};
	json_object *unknown;

	if (vocab_check(db, lists, &unknown, err) != 0)
		return -1;
	json_object_put(unknown); /* no open list here: always NULL */
	return 0;
}

/* Resolves near=, checks what the rules cannot and fills q. Returns 0, or
 * the status of the error reply it has set. */
static int search_query(struct request *req, struct services_query *q)
{
	struct services_params *p = &req->params.services;
	struct api_error err;
	int status = search_near(req, &p->near, &p->lat, &p->lng);

	if (status != 0)
		return status;
	if (search_check_location(&p->lat, &p->lng, &p->radius_km, &err) != 0 ||
	    search_check_time(&p->tz, &p->now, req->db, &err) != 0 || check_page(p, &err) != 0 ||
	    check_country(p, &err) != 0 || check_vocab(p, req->db, &err) != 0)
		return reply_error(req, &err);
	if (build_query(p, q) != 0) {
		api_error_set(&err, 500, "internal_error", NULL,
			      "Something went wrong on our side.");
		return reply_error(req, &err);
	}
	return 0;
}

/* {"id": ..., "name": ...} of a result's organization. */
static json_object *organization_json(const PGresult *res, int row)
{
	json_object *o = json_object_new_object();

	if (o != NULL) {
		json_object_object_add(o, "id", pg_json_text(res, row, COL_ORGANIZATION_ID));
		json_object_object_add(o, "name", pg_json_text(res, row, COL_ORGANIZATION_NAME));
	}
	return o;
}

/* One service row as the API's JSON object, or NULL when out of memory.
 * with_distance: the search had a location, so distance_km is there (null
 * for a service found through its area, which also has service_area). */
static json_object *service_json(const PGresult *res, int row, int with_distance)
{
	static const struct {
		const char *key;
		int col;
	} codes[] = {
		{"categories", COL_CATEGORIES},
		{"populations", COL_POPULATIONS},
		{"costs", COL_COSTS},
		{"languages", COL_LANGUAGES},
		{"accessibility", COL_ACCESSIBILITY},
	};
	json_object *s = json_object_new_object();

	if (s == NULL)
		return NULL;
	json_object_object_add(s, "id", pg_json_text(res, row, COL_ID));
	json_object_object_add(s, "name", pg_json_text(res, row, COL_NAME));
	json_object_object_add(s, "organization", organization_json(res, row));
	json_object_object_add(s, "description", pg_json_text(res, row, COL_DESCRIPTION));
	json_object_object_add(s, "url", pg_json_text(res, row, COL_URL));
	json_object_object_add(s, "email", pg_json_text(res, row, COL_EMAIL));
	json_object_object_add(s, "phone", pg_json_text(res, row, COL_PHONE));
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		json_object_object_add(s, codes[i].key, json_column(res, row, codes[i].col));
	json_object_object_add(s, "moud", pg_json_bool(res, row, COL_MOUD));
	json_object_object_add(s, "last_verified", pg_json_text(res, row, COL_LAST_VERIFIED));
	json_object_object_add(s, "open_now", pg_json_bool(res, row, COL_OPEN_NOW));
	json_object_object_add(s, "location", json_column(res, row, COL_LOCATION));
	json_object_object_add(s, "confirmed_at", pg_json_text(res, row, COL_CONFIRMED_AT));
	json_object_object_add(s, "stale", pg_json_bool(res, row, COL_STALE));
	if (with_distance) {
		json_object_object_add(s, "distance_km", pg_json_number(res, row, COL_DISTANCE_KM));
		if (!PQgetisnull(res, row, COL_AREA_NAME))
			json_object_object_add(s, "service_area",
					       pg_json_text(res, row, COL_AREA_NAME));
	}
	if (!PQgetisnull(res, row, COL_RECOVERY_HOUSING))
		json_object_object_add(s, "recovery_housing",
				       json_column(res, row, COL_RECOVERY_HOUSING));
	return s;
}

/* {"services": [...], "count", "count_exact"[, "count_within_km"], "limit",
 * "offset"[, "near"]} from the page in page and the count in counted (the
 * first rows of sql/queries/services_near.sql or services_all.sql). */
static json_object *list_json(const struct request *req, const struct services_query *q,
			      const PGresult *page, const PGresult *counted)
{
	json_object *body = json_object_new_object();
	json_object *list = json_object_new_array_ext(PQntuples(page));
	int exact = strcmp(PQgetvalue(counted, 0, COL_COUNT_EXACT), "t") == 0;

	if (body == NULL || list == NULL) {
		json_object_put(body);
		json_object_put(list);
		return NULL;
	}
	for (int i = 0; i < PQntuples(page); i++)
		if (!PQgetisnull(page, i, COL_ID))
			json_object_array_add(list, service_json(page, i, q->near));
	json_object_object_add(body, "services", list);
	json_object_object_add(body, "count", pg_json_int(counted, 0, COL_COUNT));
	json_object_object_add(body, "count_exact", json_object_new_boolean(exact));
	if (!exact && !PQgetisnull(counted, 0, COL_REACH_KM))
		json_object_object_add(body, "count_within_km",
				       pg_json_number(counted, 0, COL_REACH_KM));
	json_object_object_add(body, "limit", json_object_new_int64(strtoll(q->limit, NULL, 10)));
	json_object_object_add(body, "offset", json_object_new_int64(strtoll(q->offset, NULL, 10)));
	if (req->place != NULL)
		json_object_object_add(body, "near", search_place_json(req->place));
	return body;
}

int api_services_list(struct request *req)
{
	struct services_query q;
	struct api_error err;
	const PGresult *page;
	int status;

	status = search_query(req, &q);
	if (status != 0)
		return status;
	/* One statement counts among the candidates and, when they hold it,
	 * brings the page; near a point with few matches among many places the
	 * page is found on its own. */
	req->count = db_exec(req->db, q.near ? DB_SERVICES_NEAR : DB_SERVICES_ALL, q.values, &err);
	if (req->count == NULL)
		return reply_error(req, &err);
	page = req->count;
	if (strcmp(PQgetvalue(req->count, 0, COL_HELD), "t") != 0) {
		req->result = db_exec(req->db, DB_SERVICES_NEAR_PAGE, q.values, &err);
		if (req->result == NULL)
			return reply_error(req, &err);
		page = req->result;
	}
	reply_cache_search(req);
	return reply_json(req, 200, list_json(req, &q, page, req->count));
}

/* The facets a search answers, in the order of the JSON object. */
static const char *const facet_names[] = {
	"category", "population", "cost",   "language",       "moud",
	"open_now", "narr_level", "gender", "beds_available", "housing_moud",
};

int api_services_facets(struct request *req)
{
	struct services_query q;
	struct api_error err;
	int status;

	status = search_query(req, &q);
	if (status != 0)
		return status;
	/* The facets count the matches among a search's candidates: the
	 * statements' last parameter, after the filters and the location. */
	q.values[q.near ? SP_FACETS_NEAR_CANDIDATES : SP_FACETS_CANDIDATES] = q.candidates;
	req->result = db_exec(req->db, q.near ? DB_SERVICES_FACETS_NEAR : DB_SERVICES_FACETS_ALL,
			      q.values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	reply_cache_search(req);
	return reply_json(req, 200,
			  api_facets_json(req->result, facet_names,
					  sizeof(facet_names) / sizeof(facet_names[0])));
}

/* Columns of sql/queries/service_by_id.sql. */
enum detail_column {
	DCOL_ID,
	DCOL_NAME,
	DCOL_ALTERNATE_NAME,
	DCOL_DESCRIPTION,
	DCOL_URL,
	DCOL_EMAIL,
	DCOL_ELIGIBILITY,
	DCOL_FEES,
	DCOL_APPLICATION_PROCESS,
	DCOL_WAIT_TIME,
	DCOL_ALERT,
	DCOL_ACCREDITATIONS,
	DCOL_MINIMUM_AGE,
	DCOL_MAXIMUM_AGE,
	DCOL_MOUD,
	DCOL_LAST_VERIFIED,
	DCOL_OPEN_NOW,
	DCOL_POPULATIONS,
	DCOL_COSTS,
	DCOL_ACCESSIBILITY,
	DCOL_ORGANIZATION,
	DCOL_LOCATIONS,
	DCOL_PHONES,
	DCOL_SCHEDULES,
	DCOL_LANGUAGES,
	DCOL_COST_OPTIONS,
	DCOL_SERVICE_AREAS,
	DCOL_CATEGORIES,
	DCOL_RECOVERY_HOUSING,
	DCOL_PEER_SUPPORT,
	DCOL_CONFIRMED_AT,
	DCOL_STALE,
	DCOL_SOURCE_NAME,
	DCOL__MAX
};

/* The detail as the API's JSON object, keys in the order of this table;
 * NULL when out of memory. */
static json_object *detail_json(const PGresult *res)
{
	static const struct {
		const char *key;
		int col;
		json_object *(*value)(const PGresult *res, int row, int col);
	} fields[] = {
		{"id", DCOL_ID, pg_json_text},
		{"name", DCOL_NAME, pg_json_text},
		{"alternate_name", DCOL_ALTERNATE_NAME, pg_json_text},
		{"organization", DCOL_ORGANIZATION, json_column},
		{"description", DCOL_DESCRIPTION, pg_json_text},
		{"url", DCOL_URL, pg_json_text},
		{"email", DCOL_EMAIL, pg_json_text},
		{"categories", DCOL_CATEGORIES, json_column},
		{"populations", DCOL_POPULATIONS, json_column},
		{"costs", DCOL_COSTS, json_column},
		{"cost_options", DCOL_COST_OPTIONS, json_column},
		{"languages", DCOL_LANGUAGES, json_column},
		{"accessibility", DCOL_ACCESSIBILITY, json_column},
		{"moud", DCOL_MOUD, pg_json_bool},
		{"last_verified", DCOL_LAST_VERIFIED, pg_json_text},
		{"open_now", DCOL_OPEN_NOW, pg_json_bool},
		{"locations", DCOL_LOCATIONS, json_column},
		{"phones", DCOL_PHONES, json_column},
		{"schedules", DCOL_SCHEDULES, json_column},
		{"service_areas", DCOL_SERVICE_AREAS, json_column},
		{"eligibility_description", DCOL_ELIGIBILITY, pg_json_text},
		{"fees_description", DCOL_FEES, pg_json_text},
		{"application_process", DCOL_APPLICATION_PROCESS, pg_json_text},
		{"wait_time", DCOL_WAIT_TIME, pg_json_text},
		{"alert", DCOL_ALERT, pg_json_text},
		{"accreditations", DCOL_ACCREDITATIONS, pg_json_text},
		{"minimum_age", DCOL_MINIMUM_AGE, pg_json_number},
		{"maximum_age", DCOL_MAXIMUM_AGE, pg_json_number},
		{"recovery_housing", DCOL_RECOVERY_HOUSING, json_column},
		{"peer_support", DCOL_PEER_SUPPORT, json_column},
		{"confirmed_at", DCOL_CONFIRMED_AT, pg_json_text},
		{"stale", DCOL_STALE, pg_json_bool},
		{"source_name", DCOL_SOURCE_NAME, pg_json_text},
	};
	json_object *s = json_object_new_object();

	for (size_t i = 0; s != NULL && i < sizeof(fields) / sizeof(fields[0]); i++)
		json_object_object_add(s, fields[i].key, fields[i].value(res, 0, fields[i].col));
	return s;
}

int api_services_get(struct request *req)
{
	struct service_params *p = &req->params.service;
	const char *values[3] = {req->id, single_value(&p->tz), single_value(&p->now)};
	struct api_error err;

	if (search_check_time(&p->tz, &p->now, req->db, &err) != 0)
		return reply_error(req, &err);
	req->result = db_exec(req->db, DB_SERVICE_BY_ID, values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	if (PQntuples(req->result) == 0) {
		api_error_set(&err, 404, "not_found", NULL, "There is no service with that id.");
		return reply_error(req, &err);
	}
	return reply_json(req, 200, detail_json(req->result));
}

/* The answer's list for each taxonomy of sql/queries/categories.sql. */
static const struct {
	const char *taxonomy, *key;
} vocabularies[] = {
	{"recovery-support", "categories"},
	{"recovery-population", "populations"},
	{"recovery-cost", "costs"},
	{"recovery-accessibility", "accessibility"},
};

/* One term: code, name, name_es, the descriptions when set, and for a
 * category how many listed services have it. */
static json_object *term_json(const PGresult *res, int row)
{
	static const char *const keys[] = {"code", "name", "name_es", "description",
					   "description_es"};
	json_object *t = json_object_new_object();

	for (int col = 1; t != NULL && col <= 5; col++)
		if (!PQgetisnull(res, row, col) || col <= 3)
			json_object_object_add(t, keys[col - 1], pg_json_text(res, row, col));
	if (t != NULL && !PQgetisnull(res, row, 6))
		json_object_object_add(t, "services", pg_json_int(res, row, 6));
	return t;
}

int api_categories_list(struct request *req)
{
	size_t nvocabularies = sizeof(vocabularies) / sizeof(vocabularies[0]);
	struct api_error err;
	json_object *body;

	req->result = db_exec(req->db, DB_CATEGORIES, NULL, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	body = json_object_new_object();
	for (size_t i = 0; body != NULL && i < nvocabularies; i++)
		json_object_object_add(body, vocabularies[i].key, json_object_new_array());
	for (int row = 0; body != NULL && row < PQntuples(req->result); row++) {
		const char *taxonomy = PQgetvalue(req->result, row, 0);
		json_object *list;

		for (size_t i = 0; i < nvocabularies; i++)
			if (strcmp(taxonomy, vocabularies[i].taxonomy) == 0 &&
			    json_object_object_get_ex(body, vocabularies[i].key, &list))
				json_object_array_add(list, term_json(req->result, row));
	}
	req->cache_control = CATEGORIES_CACHE_CONTROL;
	return reply_json(req, 200, body);
}
