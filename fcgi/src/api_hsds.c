#include "api_hsds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "request.h"

/*
 * The HSDS 3.0 export. The HSDS objects are built in SQL
 * (sql/migrations/014_hsds_export.sql): a full service spans fourteen
 * tables, and one statement reads them in one snapshot and one round trip.
 * The handler passes that text through as it is: parsing it into json-c only
 * to print it again would double the work for nothing. What is the API's own
 * (the Page wrapper's arithmetic, the version document) is made here.
 */

#define HSDS_JSON "application/json; charset=utf-8"
/* Services change with an import, a few times a day at most. */
#define HSDS_CACHE_CONTROL "public, max-age=300"
/* The version document changes with a release of the finder. */
#define HSDS_BASE_CACHE_CONTROL "public, max-age=3600"

#define HSDS_VERSION "3.0"
#define HSDS_OPENAPI_URL \
	"https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
#define HSDS_DESCRIPTION \
	"Recovery Finder: community recovery support services in HSDS 3.0, with the " \
	"finder's extensions (moud, recovery_housing, peer_support, location timezone, " \
	"schedule tz) and its recovery vocabularies as attributes."

#define DEFAULT_PER_PAGE 50
#define MAX_PER_PAGE 500
#define MAX_PAGE 1000000
#define SEARCH_MAX_CHARS 200
#define UUID_LEN 36
/* The longest modified_after: 2026-03-15T10:30:45.123456+01:00 is 32. */
#define DATETIME_MAX_LEN 32

static const char *const boolean_choices[] = {"true", "false", NULL};
static const char *const format_choices[] = {"json", NULL};

static const struct param_rule rules[] = {
	RULE_INTEGER(hsds_params, "page", page, 1, MAX_PAGE),
	RULE_INTEGER(hsds_params, "per_page", per_page, 1, MAX_PER_PAGE),
	RULE_TEXT(hsds_params, "search", search, SEARCH_MAX_CHARS),
	RULE_PATTERN(hsds_params, "taxonomy_term_id", taxonomy_term_id, PATTERN_UUID, UUID_LEN,
		     "a taxonomy term's id (a uuid in lower case)"),
	RULE_PATTERN(hsds_params, "taxonomy_id", taxonomy_id, PATTERN_UUID, UUID_LEN,
		     "a taxonomy's id (a uuid in lower case)"),
	RULE_PATTERN(hsds_params, "organization_id", organization_id, PATTERN_UUID, UUID_LEN,
		     "an organization's id (a uuid in lower case)"),
	RULE_TEXT(hsds_params, "modified_after", modified_after, DATETIME_MAX_LEN),
	RULE_CHOICE(hsds_params, "full", full, boolean_choices, "true or false"),
	RULE_CHOICE(hsds_params, "format", format, format_choices, "json"),
};
const struct param_rules api_hsds_rules = PARAM_RULES(rules);

int api_hsds_base(struct request *req)
{
	json_object *doc = json_object_new_object();

	if (doc == NULL)
		return reply_json(req, 500, NULL);
	/* No profile: no URL describes the finder's profile (its extensions are
	 * documented in web/openapi.json), and the export leaves out what it
	 * has not got rather than write null. */
	json_object_object_add(doc, "version", json_object_new_string(HSDS_VERSION));
	json_object_object_add(doc, "openapi_url", json_object_new_string(HSDS_OPENAPI_URL));
	json_object_object_add(doc, "description", json_object_new_string(HSDS_DESCRIPTION));
	req->cache_control = HSDS_BASE_CACHE_CONTROL;
	return reply_json(req, 200, doc);
}

/*
 * Checks modified_after, s[0..len): an ISO 8601 date (2026-03-15, midnight
 * UTC) or date and time (2026-03-15T10:30[:45[.123]][Z|+01:00]; UTC when
 * it has no offset, as HSDS's own last_modified is written). Writes it into
 * out (cap bytes) as PostgreSQL reads a timestamptz, with the time and the
 * offset made explicit. Returns 0, or -1 when it is not such a date.
 */
static int datetime_value(const char *s, size_t len, char *out, size_t cap)
{
	char plain[DATETIME_MAX_LEN + 8];
	size_t n = 0, i = 0;
	int has_offset;

	if (len > DATETIME_MAX_LEN)
		return -1;
	/* The pattern has no fraction of a second: check it here, and match
	 * the rest without it. */
	while (i < len) {
		if (s[i] == '.' && i == 19) {
			size_t digits = 0;

			for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
				digits++;
			if (digits < 1 || digits > 6)
				return -1;
			continue;
		}
		plain[n++] = s[i++];
	}
	plain[n] = '\0';
	if (n == 10) {
		memcpy(plain + n, "T00:00", 7);
		n += 6;
	}
	/* 16: the shortest the pattern takes, 2026-03-15T10:30. */
	if (n < 16 || !patterns_match(PATTERN_DATETIME, plain, n) || !params_real_date(plain))
		return -1;
	has_offset = plain[n - 1] == 'Z' || plain[n - 6] == '+' || plain[n - 6] == '-';
	if (snprintf(out, cap, "%.*s%s%s", (int)len, s, len == 10 ? "T00:00" : "",
		     has_offset ? "" : "Z") >= (int)cap)
		return -1;
	return 0;
}

/* The list's statement parameters, as text. */
struct hsds_query {
	const char *values[8];
	char modified_after[DATETIME_MAX_LEN + 8];
	char per_page[24], offset[24];
};

static const char *single_value(const struct param_list *list)
{
	return list->set ? list->items[0] : NULL;
}

/* Fills q from p; returns 0, or -1 with err set (a 400). */
static int build_query(const struct hsds_params *p, long long page, long long per_page,
		       struct hsds_query *q, struct api_error *err)
{
	const struct param_list *m = &p->modified_after;

	if (m->set && datetime_value(m->items[0], m->lens[0], q->modified_after,
				     sizeof(q->modified_after)) != 0) {
		api_error_set(err, 400, "invalid_parameter", "modified_after",
			      "modified_after must be an ISO 8601 date or date and time from 1900 "
			      "to 2200, such as 2026-03-15 or 2026-03-15T10:30:00Z");
		return -1;
	}
	snprintf(q->per_page, sizeof(q->per_page), "%lld", per_page);
	snprintf(q->offset, sizeof(q->offset), "%lld", (page - 1) * per_page);
	q->values[0] = single_value(&p->search);
	q->values[1] = single_value(&p->taxonomy_term_id);
	q->values[2] = single_value(&p->taxonomy_id);
	q->values[3] = single_value(&p->organization_id);
	q->values[4] = m->set ? q->modified_after : NULL;
	q->values[5] = q->per_page;
	q->values[6] = q->offset;
	q->values[7] = p->full.set && strcmp(p->full.items[0], "true") == 0 ? "t" : "f";
	return 0;
}

/*
 * The Page wrapper around contents (a JSON array's text), as a new string
 * the caller must free, of *len bytes; NULL when out of memory. size is what
 * this page holds: the statement counted and cut the page in one snapshot,
 * so it follows from the total without counting the array's items.
 */
static char *page_json(long long total, long long page, long long per_page, const char *contents,
		       size_t *len)
{
	long long pages = (total + per_page - 1) / per_page;
	long long left = total - (page - 1) * per_page; /* from this page on */
	long long size = left <= 0 ? 0 : left < per_page ? left : per_page;
	char head[256];
	size_t head_len, contents_len = strlen(contents);
	char *body;
	int n;

	n = snprintf(head, sizeof(head),
		     "{\"total_items\":%lld,\"total_pages\":%lld,\"page_number\":%lld,"
		     "\"size\":%lld,\"first_page\":%s,\"last_page\":%s,\"empty\":%s,"
		     "\"contents\":",
		     total, pages, page, size, page == 1 ? "true" : "false",
		     page >= pages ? "true" : "false", size == 0 ? "true" : "false");
	if (n < 0 || (size_t)n >= sizeof(head))
		return NULL;
	head_len = (size_t)n;
	body = malloc(head_len + contents_len + 3);
	if (body == NULL)
		return NULL;
	memcpy(body, head, head_len);
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result): the next copy ends it. */
	memcpy(body + head_len, contents, contents_len);
	memcpy(body + head_len + contents_len, "}\n", 3);
	*len = head_len + contents_len + 2;
	return body;
}

int api_hsds_services_list(struct request *req)
{
	const struct hsds_params *p = &req->params.hsds;
	long long page = p->page.set ? p->page.value : 1;
	long long per_page = p->per_page.set ? p->per_page.value : DEFAULT_PER_PAGE;
	struct hsds_query q;
	struct api_error err;
	char *body, *end;
	long long total;
	size_t len;

	if (build_query(p, page, per_page, &q, &err) != 0)
		return reply_error(req, &err);
	req->result = db_exec(req->db, DB_HSDS_SERVICES, q.values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	if (PQntuples(req->result) != 1 || PQgetisnull(req->result, 0, 1))
		return reply_json(req, 500, NULL);
	total = strtoll(PQgetvalue(req->result, 0, 0), &end, 10);
	if (*end != '\0' || total < 0)
		return reply_json(req, 500, NULL);
	body = page_json(total, page, per_page, PQgetvalue(req->result, 0, 1), &len);
	if (body == NULL)
		return reply_json(req, 500, NULL);
	req->cache_control = HSDS_CACHE_CONTROL;
	return reply_raw(req, 200, HSDS_JSON, body, len);
}

int api_hsds_services_get(struct request *req)
{
	const char *values[1] = {req->id};
	struct api_error err;
	const char *json;
	size_t len;
	char *body;

	req->result = db_exec(req->db, DB_HSDS_SERVICE, values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	if (PQntuples(req->result) == 0) {
		api_error_set(&err, 404, "not_found", NULL, "There is no service with that id.");
		return reply_error(req, &err);
	}
	json = PQgetvalue(req->result, 0, 0);
	len = strlen(json);
	body = malloc(len + 2);
	if (body == NULL)
		return reply_json(req, 500, NULL);
	memcpy(body, json, len);
	memcpy(body + len, "\n", 2);
	req->cache_control = HSDS_CACHE_CONTROL;
	return reply_raw(req, 200, HSDS_JSON, body, len + 1);
}
