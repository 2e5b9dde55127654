#include "api_meetings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_facets.h"
#include "pg_json.h"
#include "reply.h"
#include "request.h"
#include "search.h"
#include "vocab.h"

_Static_assert(FELLOWSHIP_MAX <= VOCAB_ITEM_MAX && TYPE_MAX <= VOCAB_ITEM_MAX,
	       "vocab_check's arrays hold the meetings' lists");

static const char *const attendance_choices[] = {"in_person", "online", "hybrid", NULL};
static const char *const audience_choices[] = {"family", "recovery", NULL};
static const char *const true_choice[] = {"true", NULL};
static const char *const sort_choices[] = {"next", "distance", NULL};
/* Day names and their codes: the index in this list, modulo 7 for names;
 * today is 7 and tomorrow 8 (sql/migrations/009_schedule.sql). */
static const char *const day_choices[] = {"0",   "1",   "2",     "3",        "4",   "5",
					  "6",   "sun", "mon",   "tue",      "wed", "thu",
					  "fri", "sat", "today", "tomorrow", NULL};
/* TSML UI's windows of the day (they overlap). */
static const struct {
	const char *name, *from, *to;
} time_windows[] = {
	{"morning", "04:00", "11:59"},
	{"midday", "11:00", "16:59"},
	{"evening", "16:00", "20:59"},
	{"night", "20:00", "04:59"},
};

static const struct param_rule rules[] = {
	RULE_NUMBER(meetings_params, "lat", lat, -90, 90),
	RULE_NUMBER(meetings_params, "lng", lng, -180, 180),
	RULE_NUMBER(meetings_params, "radius_km", radius_km, 0.1, 500),
	RULE_LIST_OF(meetings_params, "day", day, day_choices,
		     "days: 0 (Sunday) to 6, sun to sat, today or tomorrow"),
	RULE_LIST(meetings_params, "fellowship", fellowship, PATTERN_SLUG, FELLOWSHIP_MAX,
		  "fellowship slugs such as aa or al-anon"),
	RULE_LIST(meetings_params, "type", type, PATTERN_TYPE_CODE, TYPE_MAX,
		  "meeting type codes such as O or W"),
	RULE_LIST_OF(meetings_params, "attendance", attendance, attendance_choices,
		     "of in_person, online, hybrid"),
	RULE_LIST(meetings_params, "lang", language, PATTERN_LANGUAGE, LANGUAGE_MAX,
		  "two-letter language codes (ISO 639-1) such as es"),
	RULE_CHOICE(meetings_params, "for", audience, audience_choices, "family or recovery"),
	RULE_CHOICE(meetings_params, "moud", moud, true_choice, "true"),
	RULE_TEXT(meetings_params, "q", keywords, 200),
	RULE_TEXT(meetings_params, "near", near, 100),
	RULE_PATTERN(meetings_params, "tz", tz, PATTERN_TIMEZONE, 63, SEARCH_TZ_DESCRIBE),
	RULE_PATTERN(meetings_params, "now", now, PATTERN_DATETIME, 25, SEARCH_NOW_DESCRIBE),
	RULE_LIST(meetings_params, "time", time, PATTERN_TIME_RANGE, 11,
		  "morning, midday, evening, night or ranges such as 18:00-21:30"),
	RULE_INTEGER(meetings_params, "starts_within", starts_within, 1, 10080),
	RULE_CHOICE(meetings_params, "in_progress", in_progress, true_choice, "true"),
	RULE_CHOICE(meetings_params, "sort", sort, sort_choices, "next or distance"),
	RULE_TEXT_LIST(meetings_params, "region", region, PATTERN_PLACE_NAME, REGION_MAX,
		       "region or city names of at most 100 characters, without quotes, "
		       "backslashes or control characters"),
	RULE_INTEGER(meetings_params, "limit", limit, 1, 100),
	RULE_INTEGER(meetings_params, "offset", offset, 0, SEARCH_PAGE_BOUND - 1),
};
const struct param_rules api_meetings_rules = PARAM_RULES(rules);
/* Facets take the same filters, without limit and offset (the last two, as
 * tests/unit/test_route.c checks). */
const struct param_rules api_facets_rules = {rules, sizeof(rules) / sizeof(rules[0]) - 2};

#define DEFAULT_RADIUS_KM 25
#define DEFAULT_LIMIT 25

/*
 * A soonest-first page anywhere that the candidates do not hold is found in
 * steps, each reading eight times the last, then all: without a filter of
 * day, time of day or in progress, by walking the indexes of start times
 * from now for four pages' worth of matches (meetings_all_next.sql); with
 * one, among the meetings that may start within a window from now, about
 * 500 meetings' worth at first (meetings_all_soonest.sql). A step's page is
 * the true one when the statement proves it (in_window).
 */
static const char *const window_steps[] = {"0", "1", "2", NULL};


/* Columns every meeting search returns, in sql/queries order (the columns
 * of meeting_rows() in sql/migrations/028_stale.sql, then the distance and
 * whether the meeting surely starts within a soonest-first search's
 * window). */
enum meeting_column {
	COL_ID,
	COL_SLUG,
	COL_NAME,
	COL_FELLOWSHIP_SLUG,
	COL_FELLOWSHIP_NAME,
	COL_DAY,
	COL_TIME,
	COL_END_TIME,
	COL_TIMEZONE,
	COL_ATTENDANCE,
	COL_TYPES,
	COL_LOCATION_NAME,
	COL_ADDRESS,
	COL_CITY,
	COL_REGION,
	COL_POSTAL_CODE,
	COL_COUNTRY,
	COL_LAT,
	COL_LNG,
	COL_CONFERENCE_URL,
	COL_CONFERENCE_PHONE,
	COL_NOTES,
	COL_GROUP,
	COL_UPDATED,
	COL_LANGUAGES,
	COL_NEXT_START,
	COL_LOCAL_TIME,
	COL_CONFIRMED_AT,
	COL_STALE,
	COL_DISTANCE_KM,
	COL_IN_WINDOW,
	COL__MAX
};

/* A search's own columns, after those: the count (exact, or within
 * reach_km of the point), and whether the page is in this result (held). */
enum search_column {
	COL_COUNT = COL__MAX,
	COL_COUNT_EXACT,
	COL_REACH_KM,
	COL_HELD,
	COL_SEARCH__MAX
};

/* The detail's own columns, after the meeting's (sql/queries/meeting_by_id.sql). */
enum detail_column {
	COL_URL = COL__MAX,
	COL_LOCATION_NOTES,
	COL_CONFERENCE_URL_NOTES,
	COL_CONFERENCE_PHONE_NOTES,
	COL_GROUP_NOTES,
	COL_APPROXIMATE,
	COL_SOURCE,
	COL_CONTACTS,
	COL_ACTIVE,
	COL_INACTIVE_SINCE,
	COL_SOURCE_NAME,
	COL_CLOSED,
	COL_VENMO,
	COL_PAYPAL,
	COL_SQUARE,
	COL_STEWARD,
	COL_DETAIL__MAX
};

/* A column of codes joined by the unit separator, as a JSON array. */
static json_object *codes_json(const PGresult *res, int row, int col)
{
	json_object *arr = json_object_new_array();
	const char *s = PQgetvalue(res, row, col);

	while (arr != NULL && *s != '\0') {
		const char *sep = strchr(s, '\x1f');
		size_t n = sep ? (size_t)(sep - s) : strlen(s);

		json_object_array_add(arr, json_object_new_string_len(s, (int)n));
		s += n + (sep ? 1 : 0);
	}
	return arr;
}

static json_object *location_json(const PGresult *res, int row)
{
	static const struct {
		const char *key;
		int col;
	} text_fields[] = {
		{"name", COL_LOCATION_NAME},
		{"address", COL_ADDRESS},
		{"city", COL_CITY},
		{"region", COL_REGION},
		{"postal_code", COL_POSTAL_CODE},
		{"country", COL_COUNTRY},
	};
	json_object *loc;
	int any = !PQgetisnull(res, row, COL_LAT);

	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++)
		any = any || !PQgetisnull(res, row, text_fields[i].col);
	if (!any)
		return NULL; /* an online-only meeting */
	loc = json_object_new_object();
	for (size_t i = 0; loc != NULL && i < sizeof(text_fields) / sizeof(text_fields[0]); i++)
		json_object_object_add(loc, text_fields[i].key,
				       pg_json_text(res, row, text_fields[i].col));
	if (loc != NULL) {
		json_object_object_add(loc, "lat", pg_json_number(res, row, COL_LAT));
		json_object_object_add(loc, "lng", pg_json_number(res, row, COL_LNG));
	}
	return loc;
}

/* One meeting row as the API's JSON object, or NULL when out of memory. */
static json_object *meeting_json(const PGresult *res, int row, int with_distance)
{
	json_object *m = json_object_new_object();
	json_object *fellowship = json_object_new_object();

	if (m == NULL || fellowship == NULL) {
		json_object_put(m);
		json_object_put(fellowship);
		return NULL;
	}
	json_object_object_add(fellowship, "slug", pg_json_text(res, row, COL_FELLOWSHIP_SLUG));
	json_object_object_add(fellowship, "name", pg_json_text(res, row, COL_FELLOWSHIP_NAME));
	json_object_object_add(m, "id", pg_json_int(res, row, COL_ID));
	json_object_object_add(m, "slug", pg_json_text(res, row, COL_SLUG));
	json_object_object_add(m, "name", pg_json_text(res, row, COL_NAME));
	json_object_object_add(m, "fellowship", fellowship);
	json_object_object_add(m, "day", pg_json_int(res, row, COL_DAY));
	json_object_object_add(m, "time", pg_json_text(res, row, COL_TIME));
	json_object_object_add(m, "end_time", pg_json_text(res, row, COL_END_TIME));
	json_object_object_add(m, "timezone", pg_json_text(res, row, COL_TIMEZONE));
	json_object_object_add(m, "attendance", pg_json_text(res, row, COL_ATTENDANCE));
	json_object_object_add(m, "types", codes_json(res, row, COL_TYPES));
	json_object_object_add(m, "languages", codes_json(res, row, COL_LANGUAGES));
	json_object_object_add(m, "location", location_json(res, row));
	json_object_object_add(m, "conference_url", pg_json_text(res, row, COL_CONFERENCE_URL));
	json_object_object_add(m, "conference_phone", pg_json_text(res, row, COL_CONFERENCE_PHONE));
	json_object_object_add(m, "notes", pg_json_text(res, row, COL_NOTES));
	json_object_object_add(m, "group", pg_json_text(res, row, COL_GROUP));
	json_object_object_add(m, "updated", pg_json_text(res, row, COL_UPDATED));
	json_object_object_add(m, "next_start", pg_json_text(res, row, COL_NEXT_START));
	json_object_object_add(m, "local_time", pg_json_text(res, row, COL_LOCAL_TIME));
	json_object_object_add(m, "confirmed_at", pg_json_text(res, row, COL_CONFIRMED_AT));
	json_object_object_add(m, "stale", pg_json_bool(res, row, COL_STALE));
	if (with_distance)
		json_object_object_add(m, "distance_km", pg_json_number(res, row, COL_DISTANCE_KM));
	return m;
}

/* Online meetings are open to anyone anywhere: a search for them alone is
 * not limited by distance unless it gives a radius. */
static int online_anywhere(const struct meetings_params *p)
{
	const struct param_list *a = &p->attendance;

	if (!a->set || p->radius_km.set)
		return 0;
	for (size_t i = 0; i < a->count; i++)
		if (a->lens[i] != 6 || memcmp(a->items[i], "online", 6) != 0)
			return 0;
	return 1;
}

/* for=family is true, for=recovery false; a boolean parameter's text. */
static const char *audience_value(const struct param_list *audience)
{
	if (!audience->set)
		return NULL;
	return audience->lens[0] == 6 && memcmp(audience->items[0], "family", 6) == 0 ? "t" : "f";
}

/* The day list as an SQL array of day codes (0-6, 7 today, 8 tomorrow). */
static const char *days_value(const struct param_list *days, char *buf, size_t cap, int *failed)
{
	struct param_list codes = {.set = 1};
	static const char *const digits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8"};

	if (!days->set)
		return NULL;
	for (size_t i = 0; i < days->count; i++) {
		size_t k = 0;

		while (day_choices[k] != NULL &&
		       (strlen(day_choices[k]) != days->lens[i] ||
			memcmp(day_choices[k], days->items[i], days->lens[i]) != 0))
			k++;
		if (day_choices[k] == NULL) {
			*failed = 1;
			return NULL;
		}
		k = k < 14 ? k % 7 : k - 7;
		codes.items[codes.count] = digits[k];
		codes.lens[codes.count++] = 1;
	}
	return params_list_value(&codes, buf, cap, failed);
}

#define DAY_MINUTES 1440

/* The minutes of the day a time= item covers, from and to (inclusive; to
 * before from runs past midnight): a named window or HH:MM-HH:MM, as the
 * pattern has checked. */
static void time_item(const char *item, size_t len, int *from, int *to)
{
	for (size_t i = 0; i < sizeof(time_windows) / sizeof(time_windows[0]); i++) {
		if (strlen(time_windows[i].name) == len &&
		    memcmp(time_windows[i].name, item, len) == 0) {
			item = time_windows[i].from;
			*from = ((item[0] - '0') * 10 + (item[1] - '0')) * 60 +
				(item[3] - '0') * 10 + (item[4] - '0');
			item = time_windows[i].to;
			*to = ((item[0] - '0') * 10 + (item[1] - '0')) * 60 + (item[3] - '0') * 10 +
			      (item[4] - '0');
			return;
		}
	}
	*from = ((item[0] - '0') * 10 + (item[1] - '0')) * 60 + (item[3] - '0') * 10 +
		(item[4] - '0');
	*to = ((item[6] - '0') * 10 + (item[7] - '0')) * 60 + (item[9] - '0') * 10 +
	      (item[10] - '0');
}

/* Writes minute m of the day (0-1439) as HH:MM into text[6]. */
static void clock_text(int m, char *text)
{
	text[0] = (char)('0' + m / 600);
	text[1] = (char)('0' + m / 60 % 10);
	text[2] = ':';
	text[3] = (char)('0' + m % 60 / 10);
	text[4] = (char)('0' + m % 10);
	text[5] = '\0';
}

/* Sets from and to (HH:MM) to the one span of the day the time= list
 * covers: its windows and ranges may overlap or touch ("evening,night" is
 * 16:00-04:59, "morning,midday" 04:00-16:59), and the whole day is
 * 00:00-23:59. Returns 0, or -1 when they leave a gap between them
 * ("morning,evening"): a search holds one span of start times. */
static int time_span(const struct param_list *time, char *from, char *to)
{
	unsigned char covered[DAY_MINUTES] = {0};
	int start = -1, starts = 0, end;

	for (size_t i = 0; i < time->count; i++) {
		int a, b;

		time_item(time->items[i], time->lens[i], &a, &b);
		for (int m = a;; m = (m + 1) % DAY_MINUTES) {
			covered[m] = 1;
			if (m == b)
				break;
		}
	}
	for (int m = 0; m < DAY_MINUTES; m++) {
		if (covered[m] && !covered[(m + DAY_MINUTES - 1) % DAY_MINUTES]) {
			start = m;
			starts++;
		}
	}
	if (starts > 1)
		return -1;
	if (starts == 0) { /* every minute */
		start = 0;
		end = DAY_MINUTES - 1;
	} else {
		end = start;
		while (covered[(end + 1) % DAY_MINUTES])
			end = (end + 1) % DAY_MINUTES;
	}
	clock_text(start, from);
	clock_text(end, to);
	return 0;
}

/* Sets q's window of start times from time=, once; a list that leaves a
 * gap is a 400 naming time. */
static int query_time_span(const struct meetings_params *p, struct meetings_query *q,
			   struct api_error *err)
{
	if (!p->time.set || time_span(&p->time, q->time_from, q->time_to) == 0)
		return 0;
	api_error_set(err, 400, "invalid_parameter", "time",
		      "time must be times of day that touch or overlap, such as evening,night "
		      "(morning and evening leave a gap)");
	return -1;
}

/* The text of a one-item parameter (its item is NUL-terminated where the
 * query string was decoded), or NULL. */
static const char *single_value(const struct param_list *list)
{
	return list->set ? list->items[0] : NULL;
}

/* Fills q's filters from p, and the location when near; returns 0, or -1 if
 * a filter could not be expressed. */
static int build_query(const struct meetings_params *p, int near, struct meetings_query *q)
{
	const char **v = q->values;
	int failed = 0;

	snprintf(q->limit, sizeof(q->limit), "%lld", p->limit.set ? p->limit.value : DEFAULT_LIMIT);
	snprintf(q->offset, sizeof(q->offset), "%lld", p->offset.set ? p->offset.value : 0);
	v[MP_DAY] = days_value(&p->day, q->day, sizeof(q->day), &failed);
	v[MP_FELLOWSHIP] = params_list_value(&p->fellowship, q->fellowship, sizeof(q->fellowship),
					     &failed);
	v[MP_TYPE] = params_list_value(&p->type, q->type, sizeof(q->type), &failed);
	v[MP_ATTENDANCE] = params_list_value(&p->attendance, q->attendance, sizeof(q->attendance),
					     &failed);
	v[MP_FAMILY] = audience_value(&p->audience);
	v[MP_MOUD] = p->moud.set ? "t" : NULL;
	v[MP_LANGUAGE] = params_list_value(&p->language, q->language, sizeof(q->language), &failed);
	v[MP_KEYWORDS] = single_value(&p->keywords);
	v[MP_TZ] = single_value(&p->tz);
	v[MP_NOW] = single_value(&p->now);
	v[MP_TIME_FROM] = p->time.set ? q->time_from : NULL;
	v[MP_TIME_TO] = p->time.set ? q->time_to : NULL;
	v[MP_WITHIN] = NULL;
	if (p->starts_within.set) {
		snprintf(q->within, sizeof(q->within), "%lld", p->starts_within.value);
		v[MP_WITHIN] = q->within;
	}
	v[MP_IN_PROGRESS] = p->in_progress.set ? "t" : NULL;
	v[MP_REGION] = params_list_value(&p->region, q->region, sizeof(q->region), &failed);
	q->by_time = p->day.set || p->time.set || p->in_progress.set;
	if (near) {
		snprintf(q->lat, sizeof(q->lat), "%.17g", p->lat.value);
		snprintf(q->lng, sizeof(q->lng), "%.17g", p->lng.value);
		snprintf(q->radius_m, sizeof(q->radius_m), "%.17g",
			 (p->radius_km.set ? p->radius_km.value : DEFAULT_RADIUS_KM) * 1000.0);
		v[MP_LAT] = q->lat;
		v[MP_LNG] = q->lng;
		v[MP_RADIUS] = q->radius_m;
	}
	return failed ? -1 : 0;
}

/* A page past SEARCH_PAGE_BOUND matches is not served: 400 naming offset. */
static int check_page(const struct meetings_params *p, struct api_error *err)
{
	long long limit = p->limit.set ? p->limit.value : DEFAULT_LIMIT;
	long long offset = p->offset.set ? p->offset.value : 0;

	if (offset + limit <= SEARCH_PAGE_BOUND)
		return 0;
	api_error_set(err, 400, "invalid_parameter", "offset",
		      "offset + limit must be at most %d: narrow the search (a smaller radius, "
		      "a day, a fellowship) rather than page past it",
		      SEARCH_PAGE_BOUND);
	return -1;
}

int api_meetings_near(struct request *req)
{
	struct meetings_params *p = &req->params.meetings;

	return search_near(req, &p->near, &p->lat, &p->lng);
}

int api_meetings_query(const struct meetings_params *p, const struct db *db,
		       struct meetings_query *q, struct api_error *err)
{
	if (search_check_location(&p->lat, &p->lng, &p->radius_km, err) != 0 ||
	    search_check_time(&p->tz, &p->now, db, err) != 0 || check_page(p, err) != 0 ||
	    query_time_span(p, q, err) != 0)
		return -1;
	q->near = p->lat.set && !online_anywhere(p);
	/* Nearest first with a location; without one, the best keyword matches
	 * first when there are keywords, else the soonest. */
	q->sort_next = !q->near && !p->keywords.set;
	if (p->sort.set) {
		q->sort_next = p->sort.items[0][0] == 'n';
		if (!q->sort_next && !q->near) {
			api_error_set(err, 400, "invalid_parameter", "sort",
				      "sort=distance needs a location: give lat and lng");
			return -1;
		}
	}
	if (build_query(p, q->near, q) != 0) {
		api_error_set(err, 500, "internal_error", NULL,
			      "Something went wrong on our side.");
		return -1;
	}
	return 0;
}

/*
 * The statements' own values after the filters and the location
 * (api_meetings_query): limit, offset, the candidates or the window's
 * step, sort (enum meetings_param; a statement takes those it numbers).
 */
static void set_tail(struct meetings_query *q, const char *extra)
{
	const char *sort = q->sort_next ? "t" : "f";

	if (q->near) {
		q->values[MP_NEAR_LIMIT] = q->limit;
		q->values[MP_NEAR_OFFSET] = q->offset;
		q->values[MP_NEAR_CANDIDATES] = extra;
		q->values[MP_NEAR_SORT] = sort;
	} else {
		q->values[MP_LIMIT] = q->limit;
		q->values[MP_OFFSET] = q->offset;
		q->values[MP_CANDIDATES] = extra; /* MP_STEP */
		q->values[MP_SORT] = sort;
	}
}

/* Runs a soonest-first page anywhere that the candidates did not hold,
 * in ever wider steps (window_steps): a step's page is the true one when it
 * is full and the statement proves it (in_window). Returns the result, or
 * NULL with err set. */
static PGresult *page_soonest(struct request *req, struct meetings_query *q, struct api_error *err)
{
	long long limit = strtoll(q->limit, NULL, 10);
	enum db_statement stmt = q->by_time ? DB_MEETINGS_ALL_SOONEST : DB_MEETINGS_ALL_NEXT;

	for (size_t i = 0; i < sizeof(window_steps) / sizeof(window_steps[0]); i++) {
		PGresult *res;
		int rows;

		set_tail(q, window_steps[i]);
		res = db_exec(req->db, stmt, q->values, err);
		if (res == NULL || window_steps[i] == NULL)
			return res;
		rows = PQntuples(res);
		if (rows == limit && strcmp(PQgetvalue(res, rows - 1, COL_IN_WINDOW), "t") == 0)
			return res;
		PQclear(res);
	}
	return NULL; /* not reached: the last step is the whole week */
}

/* The page of a search whose candidates did not hold it (see
 * sql/queries/meetings_near.sql and meetings_all.sql): near a point found on
 * its own, nearest first or soonest first within the radius; anywhere,
 * soonest first through windows of start times. Returns the result, or NULL
 * with err set. */
static PGresult *page_alone(struct request *req, struct meetings_query *q, struct api_error *err)
{
	if (!q->near)
		return page_soonest(req, q, err);
	set_tail(q, NULL);
	return db_exec(req->db, q->sort_next ? DB_MEETINGS_NEAR_SOONEST : DB_MEETINGS_NEAR_PAGE,
		       q->values, err);
}

/* Adds a search's count to body from the first row of res (the count's
 * columns of sql/queries/meetings_near.sql and meetings_all.sql):
 * "count", "count_exact", and near a point, when the count did not reach
 * the whole radius, "count_within_km". */
static void count_json(json_object *body, const PGresult *res)
{
	int exact = strcmp(PQgetvalue(res, 0, COL_COUNT_EXACT), "t") == 0;

	json_object_object_add(body, "count", pg_json_int(res, 0, COL_COUNT));
	json_object_object_add(body, "count_exact", json_object_new_boolean(exact));
	if (!exact && !PQgetisnull(res, 0, COL_REACH_KM))
		json_object_object_add(body, "count_within_km",
				       pg_json_number(res, 0, COL_REACH_KM));
}

int api_meetings_unknown(const struct meetings_params *p, struct db *db, json_object **unknown,
			 struct api_error *err)
{
	const struct param_list *lists[VOCAB__MAX] = {
		[VOCAB_FELLOWSHIP] = &p->fellowship,
		[VOCAB_TYPE] = &p->type,
	};

	return vocab_check(db, lists, unknown, err);
}

int api_meetings_list(struct request *req)
{
	const struct meetings_params *p = &req->params.meetings;
	struct meetings_query q;
	struct api_error err;
	json_object *body, *list, *unknown;
	const PGresult *page;
	char candidates[16];

	if (api_meetings_near(req) != 0)
		return req->status;
	if (api_meetings_query(p, req->db, &q, &err) != 0)
		return reply_error(req, &err);
	/* One statement counts among the candidates and, when they hold it,
	 * brings the page; else the page is found on its own. */
	snprintf(candidates, sizeof(candidates), "%d", SEARCH_CANDIDATES);
	set_tail(&q, candidates);
	req->count = db_exec(req->db, q.near ? DB_MEETINGS_NEAR : DB_MEETINGS_ALL, q.values, &err);
	if (req->count == NULL)
		return reply_error(req, &err);
	page = req->count;
	if (strcmp(PQgetvalue(req->count, 0, COL_HELD), "t") != 0) {
		req->result = page_alone(req, &q, &err);
		if (req->result == NULL)
			return reply_error(req, &err);
		page = req->result;
	}
	/* Asked after the search, which an open list's value cannot fail. */
	if (api_meetings_unknown(p, req->db, &unknown, &err) != 0)
		return reply_error(req, &err);

	body = json_object_new_object();
	list = json_object_new_array_ext(PQntuples(page));
	if (body == NULL || list == NULL) {
		json_object_put(body);
		json_object_put(list);
		json_object_put(unknown);
		return reply_json(req, 500, NULL);
	}
	for (int i = 0; i < PQntuples(page); i++)
		if (!PQgetisnull(page, i, COL_ID))
			json_object_array_add(list, meeting_json(page, i, q.near));
	json_object_object_add(body, "meetings", list);
	count_json(body, req->count);
	json_object_object_add(body, "limit", json_object_new_int64(strtoll(q.limit, NULL, 10)));
	json_object_object_add(body, "offset", json_object_new_int64(strtoll(q.offset, NULL, 10)));
	if (req->place != NULL)
		json_object_object_add(body, "near", search_place_json(req->place));
	if (unknown != NULL)
		json_object_object_add(body, "unknown", unknown);
	reply_cache_search(req);
	return reply_json(req, 200, body);
}

/* The other meetings at the same place, shortly: enough to list and link. */
static json_object *at_location_json(const PGresult *res)
{
	json_object *list = json_object_new_array_ext(PQntuples(res));

	for (int i = 0; list != NULL && i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();

		if (o == NULL)
			break;
		json_object_object_add(o, "id", pg_json_int(res, i, 0));
		json_object_object_add(o, "slug", pg_json_text(res, i, 1));
		json_object_object_add(o, "name", pg_json_text(res, i, 2));
		json_object_object_add(o, "fellowship", pg_json_text(res, i, 3));
		json_object_object_add(o, "day", pg_json_int(res, i, 4));
		json_object_object_add(o, "time", pg_json_text(res, i, 5));
		json_object_object_add(o, "end_time", pg_json_text(res, i, 6));
		json_object_array_add(list, o);
	}
	return list;
}

/* The JSON object in column col of the first row, or NULL (none, or not
 * an object). */
static json_object *object_column(const PGresult *res, int col)
{
	json_object *o;

	if (PQgetisnull(res, 0, col))
		return NULL;
	o = json_tokener_parse(PQgetvalue(res, 0, col));
	if (json_object_is_type(o, json_type_object))
		return o;
	json_object_put(o);
	return NULL;
}

/* Adds the detail's own fields to m; contacts only when the source
 * publishes them (the column is NULL otherwise), as the object they are;
 * active false and inactive_since only for a meeting no longer listed
 * (a closed one is listed by its source, but in no search); the
 * contribution handles as the group published them; the steward, where
 * corrections go, or null. */
static void detail_json(json_object *m, const PGresult *res)
{
	static const struct {
		const char *key;
		int col;
	} texts[] = {
		{"url", COL_URL},
		{"location_notes", COL_LOCATION_NOTES},
		{"conference_url_notes", COL_CONFERENCE_URL_NOTES},
		{"conference_phone_notes", COL_CONFERENCE_PHONE_NOTES},
		{"group_notes", COL_GROUP_NOTES},
		{"source", COL_SOURCE},
		{"source_name", COL_SOURCE_NAME},
		{"venmo", COL_VENMO},
		{"paypal", COL_PAYPAL},
		{"square", COL_SQUARE},
	};
	int closed = strcmp(PQgetvalue(res, 0, COL_CLOSED), "t") == 0;
	json_object *contacts = object_column(res, COL_CONTACTS);

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		json_object_object_add(m, texts[i].key, pg_json_text(res, 0, texts[i].col));
	json_object_object_add(m, "approximate", pg_json_bool(res, 0, COL_APPROXIMATE));
	json_object_object_add(m, "closed", json_object_new_boolean(closed));
	if (!closed && strcmp(PQgetvalue(res, 0, COL_ACTIVE), "t") != 0) {
		json_object_object_add(m, "active", json_object_new_boolean(0));
		json_object_object_add(m, "inactive_since",
				       pg_json_text(res, 0, COL_INACTIVE_SINCE));
	}
	json_object_object_add(m, "steward", object_column(res, COL_STEWARD));
	if (contacts != NULL)
		json_object_object_add(m, "contacts", contacts);
}

int api_meetings_get(struct request *req)
{
	const char *values[1] = {req->id};
	struct api_error err;
	json_object *m;

	req->result = db_exec(req->db, DB_MEETING_BY_ID, values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	if (PQntuples(req->result) == 0) {
		api_error_set(&err, 404, "not_found", NULL, "There is no meeting with that id.");
		return reply_error(req, &err);
	}
	req->count = db_exec(req->db, DB_MEETINGS_AT_LOCATION, values, &err);
	if (req->count == NULL)
		return reply_error(req, &err);
	m = meeting_json(req->result, 0, 0);
	if (m != NULL) {
		detail_json(m, req->result);
		json_object_object_add(m, "at_location", at_location_json(req->count));
	}
	return reply_json(req, 200, m);
}
