#include "route.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "api_facets.h"
#include "api_feed.h"
#include "api_feedback.h"
#include "api_health.h"
#include "api_hsds.h"
#include "api_ics.h"
#include "api_lists.h"
#include "api_meetings.h"
#include "api_places.h"
#include "api_services.h"
#include "api_sources.h"
#include "patterns.h"
#include "reply.h"

#define NO_MEETING "There is no meeting with that id."
#define NO_SERVICE "There is no service with that id."

/* One row an endpoint; route.h says what each field holds. */
const struct route route_table[] = {
	{.path = "/api/v1/health", .handle = api_health_get},
	{.path = "/api/v1/meetings", .handle = api_meetings_list, .rules = &api_meetings_rules},
	{.path = "/api/v1/meetings/facets", .handle = api_facets_get, .rules = &api_facets_rules},
	{.path = "/api/v1/meetings/",
	 .has_id = 1,
	 .suffix = ".ics",
	 .handle = api_ics_get,
	 .id_pattern = PATTERN_ID,
	 .not_found = NO_MEETING},
	{.path = "/api/v1/meetings/",
	 .has_id = 1,
	 .handle = api_meetings_get,
	 .id_pattern = PATTERN_ID,
	 .not_found = NO_MEETING},
	{.path = "/api/v1/fellowships", .handle = api_fellowships_list},
	{.path = "/api/v1/types", .handle = api_types_list},
	{.path = "/api/v1/places", .handle = api_places_search, .rules = &api_places_rules},
	{.path = "/api/v1/sources", .handle = api_sources_list},
	{.path = "/api/v1/feeds/meeting-guide.json",
	 .handle = api_feed_get,
	 .rules = &api_feed_rules},
	{.path = "/api/v1/services", .handle = api_services_list, .rules = &api_services_rules},
	{.path = "/api/v1/services/facets",
	 .handle = api_services_facets,
	 .rules = &api_services_facets_rules},
	{.path = "/api/v1/services/",
	 .has_id = 1,
	 .handle = api_services_get,
	 .rules = &api_service_rules,
	 .id_pattern = PATTERN_UUID,
	 .not_found = NO_SERVICE},
	{.path = "/api/v1/categories", .handle = api_categories_list},
	{.path = "/api/v1/hsds", .handle = api_hsds_base},
	{.path = "/api/v1/hsds/", .handle = api_hsds_base},
	{.path = "/api/v1/hsds/services",
	 .handle = api_hsds_services_list,
	 .rules = &api_hsds_rules},
	{.path = "/api/v1/hsds/services/",
	 .has_id = 1,
	 .handle = api_hsds_services_get,
	 .id_pattern = PATTERN_UUID,
	 .not_found = NO_SERVICE},
	{.path = "/api/v1/feedback", .handle = api_feedback_post, .post = 1},
};

const size_t route_table_len = sizeof(route_table) / sizeof(route_table[0]);

/* What a route without rules allows: nothing. */
static const struct param_rules no_rules = {.rule = NULL, .n = 0};

#define ALLOWED_METHODS "GET, HEAD"
#define ALLOWED_POST "POST"

/* Whether path ends in suffix after at least one more byte. */
static int ends_with(const char *path, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && memcmp(path + n - k, suffix, k) == 0;
}

/* How much of path r spells out, plus one; 0 when r does not match it. An
 * id route takes a non-empty id without a slash, and its suffix if it has
 * one. Sets *id_len to the length of an id route's id. */
static size_t match_length(const struct route *r, const char *path, size_t *id_len)
{
	size_t n = strlen(r->path), suffix = r->suffix != NULL ? strlen(r->suffix) : 0, len;

	if (!r->has_id)
		return strcmp(path, r->path) == 0 ? n + 1 : 0;
	if (strncmp(path, r->path, n) != 0 || path[n] == '\0' || strchr(path + n, '/') != NULL)
		return 0;
	len = strlen(path + n);
	if (r->suffix != NULL && !ends_with(path + n, len, r->suffix))
		return 0;
	*id_len = len - suffix;
	return n + suffix + 1;
}

const struct route *route_match(const struct route *routes, size_t n, const char *path, char *id,
				size_t cap)
{
	const struct route *best = NULL;
	size_t best_length = 0, best_id_len = 0;

	for (size_t i = 0; i < n; i++) {
		size_t id_len = 0, length = match_length(&routes[i], path, &id_len);

		if (length > best_length) {
			best = &routes[i];
			best_length = length;
			best_id_len = id_len;
		}
	}
	if (best_id_len >= cap)
		best_id_len = cap - 1; /* too long for an id: the pattern refuses it */
	if (best != NULL && best->has_id)
		memcpy(id, path + strlen(best->path), best_id_len);
	id[best_id_len] = '\0';
	return best;
}

static int parse_query(struct request *req, const struct route *r)
{
	const char *qs = FCGX_GetParam("QUERY_STRING", req->fcgi->envp);
	char bad_key[QUERY_KEY_MAX_LEN + 1];
	enum query_string_status st;
	const struct param_rules *rules = r->rules != NULL ? r->rules : &no_rules;
	struct api_error err;

	st = query_string_parse(qs ? qs : "", qs ? strlen(qs) : 0, &req->qs, bad_key);
	if (st != QUERY_STRING_OK) {
		api_error_set(&err, 400, "invalid_parameter", bad_key, "%s%s%s",
			      bad_key[0] ? bad_key : "", bad_key[0] ? ": " : "",
			      query_string_strerror(st));
		return reply_error(req, &err);
	}
	if (params_parse(&req->qs, rules, &req->params, &err) != 0)
		return reply_error(req, &err);
	return 0;
}

/* GET and HEAD everywhere but on the POST routes, which take POST alone. */
static int check_method(struct request *req, const struct route *r)
{
	struct api_error err;

	req->head = !r->post && strcmp(req->method, "HEAD") == 0;
	if (r->post ? strcmp(req->method, "POST") == 0
		    : strcmp(req->method, "GET") == 0 || req->head)
		return 0;
	req->allow = r->post ? ALLOWED_POST : ALLOWED_METHODS;
	api_error_set(&err, 405, "method_not_allowed", NULL, "Only %s allowed here.",
		      r->post ? "POST is" : "GET and HEAD are");
	return reply_error(req, &err);
}

int route_dispatch(struct request *req)
{
	const struct route *r;
	struct api_error err;

	req->method = FCGX_GetParam("REQUEST_METHOD", req->fcgi->envp);
	req->path = FCGX_GetParam("PATH_INFO", req->fcgi->envp);
	if (req->path == NULL || req->path[0] == '\0')
		req->path = FCGX_GetParam("DOCUMENT_URI", req->fcgi->envp);
	if (req->method == NULL)
		req->method = "";
	if (req->path == NULL)
		req->path = "";

	r = route_match(route_table, route_table_len, req->path, req->id, sizeof(req->id));
	if (r == NULL) {
		api_error_set(&err, 404, "not_found", NULL, "There is no such API endpoint.");
		return reply_error(req, &err);
	}
	if (check_method(req, r) != 0)
		return req->status;
	if (r->has_id && !patterns_match(r->id_pattern, req->id, strlen(req->id))) {
		api_error_set(&err, 404, "not_found", NULL, "%s", r->not_found);
		return reply_error(req, &err);
	}
	if (parse_query(req, r) != 0)
		return req->status;
	return r->handle(req);
}

static const char *const param_type_names[PARAM_TYPE__MAX] = {
	[PARAM_NUMBER] = "number", [PARAM_INTEGER] = "integer", [PARAM_LIST] = "list",
	[PARAM_CHOICE] = "choice", [PARAM_TEXT] = "text",       [PARAM_TEXT_LIST] = "text_list",
};

/* Adds value under key, or counts a failure (value NULL: out of memory). */
static void put(json_object *o, const char *key, json_object *value, int *failed)
{
	if (value == NULL || json_object_object_add(o, key, value) != 0) {
		json_object_put(value);
		*failed = 1;
	}
}

static void push(json_object *list, json_object *value, int *failed)
{
	if (value == NULL || json_object_array_add(list, value) != 0) {
		json_object_put(value);
		*failed = 1;
	}
}

static json_object *choices_json(const char *const *choices, int *failed)
{
	json_object *list = json_object_new_array();

	for (const char *const *c = choices; list != NULL && *c != NULL; c++)
		push(list, json_object_new_string(*c), failed);
	return list;
}

/* What a value must be, as params.c checks it: bounds for numbers; for the
 * rest the choices, or else the pattern (not for free text) and the
 * longest item. Returns a new object, or NULL when out of memory. */
static json_object *rule_json(const struct param_rule *rule, int *failed)
{
	json_object *o = json_object_new_object();
	enum param_type type = rule->type;

	if (o == NULL)
		return NULL;
	put(o, "name", json_object_new_string(rule->name), failed);
	put(o, "type", json_object_new_string(param_type_names[type]), failed);
	if (type == PARAM_NUMBER || type == PARAM_INTEGER) {
		put(o, "min", json_object_new_double(rule->min), failed);
		put(o, "max", json_object_new_double(rule->max), failed);
		return o;
	}
	if (type == PARAM_LIST || type == PARAM_TEXT_LIST)
		put(o, "max_items", json_object_new_int(PARAM_LIST_MAX), failed);
	/* A text list's items are free text: its choices, if any, are unused. */
	if (rule->choices != NULL && type != PARAM_TEXT_LIST) {
		put(o, "choices", choices_json(rule->choices, failed), failed);
		return o;
	}
	if (type != PARAM_TEXT)
		put(o, "pattern", json_object_new_string(patterns_source(rule->item_pattern)),
		    failed);
	put(o, "max_length", json_object_new_int64((int64_t)rule->max_item_len), failed);
	return o;
}

void route_template(const struct route *r, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s", r->path, r->has_id ? "{id}" : "",
		 r->suffix != NULL ? r->suffix : "");
}

/* A route as {"path", "methods", "id_pattern"?, "parameters"}, its path a
 * template (route_template). NULL when out of memory. */
static json_object *route_json(const struct route *r, int *failed)
{
	json_object *o = json_object_new_object();
	json_object *methods = json_object_new_array();
	json_object *params = json_object_new_array();
	char path[128];

	if (o == NULL || methods == NULL || params == NULL) {
		json_object_put(o);
		json_object_put(methods);
		json_object_put(params);
		return NULL;
	}
	route_template(r, path, sizeof(path));
	put(o, "path", json_object_new_string(path), failed);
	push(methods, json_object_new_string(r->post ? "POST" : "GET"), failed);
	if (!r->post)
		push(methods, json_object_new_string("HEAD"), failed);
	put(o, "methods", methods, failed);
	if (r->has_id)
		put(o, "id_pattern", json_object_new_string(patterns_source(r->id_pattern)),
		    failed);
	for (size_t i = 0; r->rules != NULL && i < r->rules->n; i++)
		push(params, rule_json(&r->rules->rule[i], failed), failed);
	put(o, "parameters", params, failed);
	return o;
}

int route_main(int argc, char **argv)
{
	json_object *root, *list;
	const char *text = NULL;
	int failed = 0;

	if (argc > 1) {
		int help = strcmp(argv[1], "--help") == 0;

		fputs("usage: finder routes\n"
		      "\n"
		      "Prints the API's route table as JSON: each path template, its\n"
		      "methods, and its query parameters with their type and what a\n"
		      "value must be (min and max, choices, pattern, max_length).\n"
		      "tests/api/test_openapi.py holds web/openapi.json to it.\n",
		      help ? stdout : stderr);
		return help ? 0 : 2;
	}
	root = json_object_new_object();
	list = json_object_new_array();
	for (size_t i = 0; list != NULL && i < route_table_len; i++)
		push(list, route_json(&route_table[i], &failed), &failed);
	if (root != NULL)
		put(root, "routes", list, &failed);
	else
		json_object_put(list);
	if (root != NULL && list != NULL && !failed)
		text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL) {
		fputs("finder routes: out of memory\n", stderr);
		json_object_put(root);
		return 1;
	}
	puts(text);
	json_object_put(root);
	return ferror(stdout) ? 1 : 0;
}
