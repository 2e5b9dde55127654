#include "api_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_meetings.h"
#include "log.h"
#include "origin.h"
#include "reply.h"
#include "request.h"

/* Feeds are fetched by other sites' importers, often; the validators make
 * a repeated fetch cheap. */
#define FEED_CACHE_CONTROL "public, max-age=300"
#define FEED_CONTENT_TYPE "application/json; charset=utf-8"
#define SOURCE_MAX 64

static const struct param_rule rules[] = {
	RULE_PATTERN(feed_params, "source", source, PATTERN_SLUG, SOURCE_MAX,
		     "a source slug such as demo"),
	RULE_LIST(feed_params, "fellowship", fellowship, PATTERN_SLUG, FELLOWSHIP_MAX,
		  "fellowship slugs such as aa or al-anon"),
	RULE_TEXT(feed_params, "region", region, REGION_MAX),
};
const struct param_rules api_feed_rules = PARAM_RULES(rules);

/* Columns of sql/queries/feed_state.sql. */
enum {
	STATE_UNKNOWN_SOURCE,
	STATE_UNKNOWN_FELLOWSHIP,
	STATE_ETAG,
	STATE_LAST_MODIFIED,
	STATE_LAST_MODIFIED_EPOCH,
	STATE__MAX
};

/* The text parameters of feed_state.sql (the first four) and
 * feed_declare.sql. */
struct feed_query {
	char fellowship[PARAM_ARRAY_CAP(FELLOWSHIP_MAX)];
	char origin[ORIGIN_MAX];
	const char *values[5];
};

/* The origin ("http://host:port") that a meeting without a page at its
 * source links to, as nginx saw the request: its scheme, the Host header,
 * and the port nginx listens on unless the Host names one or it is the
 * scheme's default. NULL (no such links) when the host is not a plain name
 * or address. */
static const char *feed_origin(const struct request *req, char *buf, size_t cap)
{
	FCGX_ParamArray env = req->fcgi->envp;
	const char *host = FCGX_GetParam("HTTP_HOST", env);

	if (host == NULL || origin_make(FCGX_GetParam("REQUEST_SCHEME", env), host, strlen(host),
					FCGX_GetParam("SERVER_PORT", env), buf, cap) != 0)
		return NULL;
	return buf;
}

/* Fills q's parameters from p: the source, the fellowships as an array, the
 * region, the origin, and whether slugs are the source's keys (in the feed
 * of one source). Returns 0, or -1 if a list does not fit (which the sizes
 * rule out). */
static int build_query(const struct request *req, struct feed_query *q)
{
	const struct feed_params *p = &req->params.feed;

	q->values[0] = p->source.set ? p->source.items[0] : NULL;
	q->values[1] = NULL;
	if (p->fellowship.set) {
		if (params_list_to_array(&p->fellowship, q->fellowship, sizeof(q->fellowship)) != 0)
			return -1;
		q->values[1] = q->fellowship;
	}
	q->values[2] = p->region.set ? p->region.items[0] : NULL;
	q->values[3] = feed_origin(req, q->origin, sizeof(q->origin));
	q->values[4] = p->source.set ? "true" : "false";
	return 0;
}

/* A source or fellowship that does not exist is the caller's mistake, not
 * an empty feed: a 400 naming it. */
static int check_filters(const PGresult *state, struct api_error *err)
{
	if (strcmp(PQgetvalue(state, 0, STATE_UNKNOWN_SOURCE), "t") == 0) {
		api_error_set(err, 400, "invalid_parameter", "source",
			      "source must be the slug of a source that /api/v1/sources lists");
		return -1;
	}
	if (!PQgetisnull(state, 0, STATE_UNKNOWN_FELLOWSHIP)) {
		api_error_set(
			err, 400, "invalid_parameter", "fellowship",
			"fellowship: there is no fellowship %s (/api/v1/fellowships lists them)",
			PQgetvalue(state, 0, STATE_UNKNOWN_FELLOWSHIP));
		return -1;
	}
	return 0;
}

/* Skips optional whitespace. */
static size_t skip_ows(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

int api_feed_etag_matches(const char *s, size_t len, const char *etag)
{
	const char *want = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
	size_t want_len = strlen(want), i = skip_ows(s, len, 0), end = len;
	int found = 0;

	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (end - i == 1 && s[i] == '*')
		return 1;
	while (i < end) {
		size_t start;

		if (s[i] == ',') {
			i = skip_ows(s, end, i + 1);
			continue;
		}
		if (end - i >= 2 && s[i] == 'W' && s[i + 1] == '/')
			i += 2;
		if (i >= end || s[i] != '"')
			return 0;
		start = i++;
		while (i < end && s[i] != '"' && (unsigned char)s[i] > 0x20 && s[i] != 0x7f)
			i++;
		if (i >= end || s[i] != '"')
			return 0;
		i++;
		found = found || (i - start == want_len && memcmp(s + start, want, want_len) == 0);
		i = skip_ows(s, end, i);
		if (i < end && s[i] != ',')
			return 0;
	}
	return found;
}

/* The value of n digits at s, or -1 if one is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The index of the three letters at s in names (a string of 3-letter names),
 * or -1. */
static int name_index(const char *s, const char *names)
{
	for (int i = 0; names[i * 3] != '\0'; i++)
		if (memcmp(s, names + i * 3, 3) == 0)
			return i;
	return -1;
}

int api_feed_http_date(const char *s, size_t len, time_t *out)
{
	static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct tm tm;
	int day, month, year, hour, min, sec;

	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	if (len != 29 || name_index(s, "SunMonTueWedThuFriSat") < 0 ||
	    memcmp(s + 3, ", ", 2) != 0 || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
	    s[19] != ':' || s[22] != ':' || memcmp(s + 25, " GMT", 4) != 0)
		return -1;
	day = digits(s + 5, 2);
	month = name_index(s + 8, "JanFebMarAprMayJunJulAugSepOctNovDec");
	year = digits(s + 12, 4);
	hour = digits(s + 17, 2);
	min = digits(s + 20, 2);
	sec = digits(s + 23, 2);
	if (day < 1 || month < 0 || year < 1970 || hour < 0 || hour > 23 || min < 0 || min > 59 ||
	    sec < 0 || sec > 60 || day > month_days[month] ||
	    (month == 1 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	*out = timegm(&tm);
	return 0;
}

/* Whether the client's copy is current (RFC 9110, 13.2.2): If-None-Match
 * when it is given, else If-Modified-Since against Last-Modified. */
static int not_modified(const struct request *req, const PGresult *state)
{
	const char *match = FCGX_GetParam("HTTP_IF_NONE_MATCH", req->fcgi->envp);
	const char *since_text = FCGX_GetParam("HTTP_IF_MODIFIED_SINCE", req->fcgi->envp);
	time_t since;

	if (match != NULL)
		return api_feed_etag_matches(match, strlen(match),
					     PQgetvalue(state, 0, STATE_ETAG));
	if (since_text == NULL || PQgetisnull(state, 0, STATE_LAST_MODIFIED_EPOCH) ||
	    api_feed_http_date(since_text, strlen(since_text), &since) != 0)
		return 0;
	return strtoll(PQgetvalue(state, 0, STATE_LAST_MODIFIED_EPOCH), NULL, 10) <=
	       (long long)since;
}

/* Sets the validators and caching of a feed answer (a 200 or a 304). */
static void set_validators(struct request *req, const PGresult *state)
{
	snprintf(req->etag, sizeof(req->etag), "%s", PQgetvalue(state, 0, STATE_ETAG));
	if (!PQgetisnull(state, 0, STATE_LAST_MODIFIED))
		snprintf(req->last_modified, sizeof(req->last_modified), "%s",
			 PQgetvalue(state, 0, STATE_LAST_MODIFIED));
	req->cache_control = FEED_CACHE_CONTROL;
}

/* Writes one chunk of rows, each meeting's object after the separator.
 * Returns 0, or -1 when the client has gone. */
static int write_rows(struct request *req, const PGresult *rows, long long *sent)
{
	for (int i = 0; i < PQntuples(rows); i++) {
		const char *sep = *sent == 0 ? "[\n" : ",\n";

		if (reply_stream_write(req, sep, 2) != 0 ||
		    reply_stream_write(req, PQgetvalue(rows, i, 0),
				       (size_t)PQgetlength(rows, i, 0)) != 0)
			return -1;
		(*sent)++;
	}
	return 0;
}

/*
 * Streams the cursor: the first chunk is fetched before anything is
 * written, so that a failure there is still an error answer; after that a
 * failure can only cut the body short, and reply_stream_abort() makes sure
 * no client takes the part for the whole. Returns 0 when the whole feed
 * went out, else -1 (the transaction is then rolled back).
 */
static int feed_stream(struct request *req, const PGresult *state)
{
	struct api_error err;
	PGresult *rows = db_exec(req->db, DB_FEED_FETCH, NULL, &err);
	long long sent = 0;
	int ok = 0;

	if (rows == NULL) {
		reply_error(req, &err);
		return -1;
	}
	set_validators(req, state);
	if (reply_stream_begin(req, FEED_CONTENT_TYPE) != 0)
		goto done;
	while (PQntuples(rows) > 0) {
		if (write_rows(req, rows, &sent) != 0)
			goto done; /* the client went away: nothing to tell it */
		PQclear(rows);
		rows = db_exec(req->db, DB_FEED_FETCH, NULL, &err);
		if (rows == NULL) {
			log_error("meeting-guide feed cut short after %lld meetings: %s", sent,
				  err.message);
			reply_stream_abort(req);
			goto done;
		}
	}
	ok = reply_stream_write(req, sent == 0 ? "[]\n" : "\n]\n", 3) == 0;
done:
	PQclear(rows);
	return ok ? 0 : -1;
}

/* The feed inside its transaction: validators, the conditions, then the
 * body. Returns 0 if the transaction may commit. */
static int feed_in_transaction(struct request *req, const struct feed_query *q)
{
	struct api_error err;

	req->result = db_exec(req->db, DB_FEED_STATE, q->values, &err);
	if (req->result == NULL) {
		reply_error(req, &err);
		return -1;
	}
	if (check_filters(req->result, &err) != 0) {
		reply_error(req, &err);
		return 0;
	}
	if (not_modified(req, req->result)) {
		set_validators(req, req->result);
		reply_not_modified(req);
		return 0;
	}
	if (req->head) {
		set_validators(req, req->result);
		reply_stream_begin(req, FEED_CONTENT_TYPE); /* the headers only */
		return 0;
	}
	if (db_command(req->db, DB_FEED_DECLARE, q->values, &err) != 0) {
		reply_error(req, &err);
		return -1;
	}
	return feed_stream(req, req->result);
}

int api_feed_get(struct request *req)
{
	struct feed_query q;
	struct api_error err;

	if (build_query(req, &q) != 0) {
		api_error_set(&err, 500, "internal_error", NULL,
			      "Something went wrong on our side.");
		return reply_error(req, &err);
	}
	if (db_begin(req->db, &err) != 0)
		return reply_error(req, &err);
	db_end(req->db, feed_in_transaction(req, &q) == 0);
	return req->status;
}
