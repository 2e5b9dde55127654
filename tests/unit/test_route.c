/*
 * Unit tests for route_match() in fcgi/src/route.c, over the handler's own
 * route table: which route a path takes, and the id it carries. The table
 * is tested as it is and reversed, since the order of its rows must not
 * decide (/api/v1/meetings/{id}.ics and /api/v1/meetings/{id} both match
 * 12.ics; /meetings/facets and /meetings/{id} both match facets). A facets
 * route's rules are its search's but the last two, limit and offset.
 *
 * This test links every module but main.c (the table points at every
 * handler); it calls no handler and opens no connection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

#define UUID "0b6d5d2e-8a4c-4f1e-9c3a-2f7e6d5c4b3a"

struct match_case {
	const char *path;
	const char *route; /* its template, or NULL: no route (404) */
	const char *id;    /* the id route_match writes ("" off id routes) */
};

static const struct match_case match_cases[] = {
	/* An id route with a suffix over the one without, and a whole path over
	 * an id route: the rules the table's order used to carry. */
	{"/api/v1/meetings/12.ics", "/api/v1/meetings/{id}.ics", "12"},
	{"/api/v1/meetings/12", "/api/v1/meetings/{id}", "12"},
	{"/api/v1/meetings/facets", "/api/v1/meetings/facets", ""},
	{"/api/v1/meetings/facets.ics", "/api/v1/meetings/{id}.ics", "facets"},
	{"/api/v1/meetings/12.ics.ics", "/api/v1/meetings/{id}.ics", "12.ics"},
	{"/api/v1/services/facets", "/api/v1/services/facets", ""},
	{"/api/v1/services/" UUID, "/api/v1/services/{id}", UUID},
	{"/api/v1/hsds/services/" UUID, "/api/v1/hsds/services/{id}", UUID},
	/* Whole paths. */
	{"/api/v1/health", "/api/v1/health", ""},
	{"/api/v1/meetings", "/api/v1/meetings", ""},
	{"/api/v1/places", "/api/v1/places", ""},
	{"/api/v1/feeds/meeting-guide.json", "/api/v1/feeds/meeting-guide.json", ""},
	{"/api/v1/services", "/api/v1/services", ""},
	{"/api/v1/categories", "/api/v1/categories", ""},
	{"/api/v1/hsds", "/api/v1/hsds", ""},
	{"/api/v1/hsds/", "/api/v1/hsds/", ""},
	{"/api/v1/hsds/services", "/api/v1/hsds/services", ""},
	{"/api/v1/feedback", "/api/v1/feedback", ""},
	/* An id the route's pattern will refuse still takes the route, for
	 * its 404 ("There is no meeting with that id."). */
	{"/api/v1/meetings/abc", "/api/v1/meetings/{id}", "abc"},
	{"/api/v1/meetings/.ics", "/api/v1/meetings/{id}", ".ics"},
	{"/api/v1/meetings/12.ICS", "/api/v1/meetings/{id}", "12.ICS"},
	{"/api/v1/meetings/%31%32", "/api/v1/meetings/{id}", "%31%32"},
	/* An empty id, a trailing slash, a slash in the id: no route. */
	{"/api/v1/meetings/", NULL, ""},
	{"/api/v1/services/", NULL, ""},
	{"/api/v1/hsds/services/", NULL, ""},
	{"/api/v1/meetings/12/", NULL, ""},
	{"/api/v1/meetings/12/x", NULL, ""},
	{"/api/v1/meetings/facets/", NULL, ""},
	{"/api/v1/meetings//12", NULL, ""},
	{"/api/v1/health/", NULL, ""},
	{"/api/v1/hsds//", NULL, ""},
	/* Unknown paths: whole-path compares, no prefixes, case counts. */
	{"", NULL, ""},
	{"/", NULL, ""},
	{"/api/v1", NULL, ""},
	{"/api/v1/", NULL, ""},
	{"/api/v1/nothing", NULL, ""},
	{"/api/v1/meetingsX", NULL, ""},
	{"/api/v1/meetings12", NULL, ""},
	{"/api/v1/healthz", NULL, ""},
	{"/API/v1/health", NULL, ""},
	{"/api/v2/health", NULL, ""},
	{"api/v1/health", NULL, ""},
	{"//api/v1/health", NULL, ""},
	{"/api/v1/health?x=1", NULL, ""},
	{"/api/v1/feeds/meeting-guide", NULL, ""},
	{"/api/v1/hsds/services.ics", NULL, ""},
};

/* Checks every case against routes[0..n); returns how many failed. */
static size_t run_cases(const struct route *routes, size_t n, const char *table)
{
	size_t failed = 0;

	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];
		char id[REQUEST_ID_MAX] = "unset", got[128] = "(none)";
		const struct route *r = route_match(routes, n, c->path, id, sizeof(id));

		if (r != NULL)
			route_template(r, got, sizeof(got));
		if ((r == NULL) != (c->route == NULL) ||
		    (r != NULL && strcmp(got, c->route) != 0) || strcmp(id, c->id) != 0) {
			print_error("%s table: \"%s\": %s \"%s\", want %s \"%s\"\n", table, c->path,
				    got, id, c->route ? c->route : "(none)", c->id);
			failed++;
		}
	}
	return failed;
}

static void test_route_match(void **state)
{
	(void)state;
	assert_int_equal(run_cases(route_table, route_table_len, "the"), 0);
}

/* The same answers from the table turned upside down. */
static void test_route_match_any_order(void **state)
{
	struct route *reversed = calloc(route_table_len, sizeof(*reversed));

	(void)state;
	assert_non_null(reversed);
	for (size_t i = 0; i < route_table_len; i++)
		reversed[i] = route_table[route_table_len - 1 - i];
	assert_int_equal(run_cases(reversed, route_table_len, "the reversed"), 0);
	free(reversed);
}

/* Every route is reached by its own template with an id in place of {id}:
 * no row is shadowed by another, and no two rows are the same route. */
static void test_route_every_row(void **state)
{
	(void)state;
	for (size_t i = 0; i < route_table_len; i++) {
		const struct route *r = &route_table[i];
		char path[128], id[REQUEST_ID_MAX];

		snprintf(path, sizeof(path), "%s%s%s", r->path, r->has_id ? "1" : "",
			 r->suffix != NULL ? r->suffix : "");
		if (route_match(route_table, route_table_len, path, id, sizeof(id)) != r)
			fail_msg("row %zu (%s) is not the route of its own path", i, path);
		assert_string_equal(id, r->has_id ? "1" : "");
	}
}

/* A facets route takes its search's rules but limit and offset (the rows
 * are shared, the facets' count being the search's less its last two). */
static void test_route_facets_rules(void **state)
{
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < route_table_len; i++) {
		const struct route *facets = &route_table[i], *search;
		size_t n = strlen(facets->path), k = strlen("/facets");
		char path[128], id[REQUEST_ID_MAX];

		if (n <= k || strcmp(facets->path + n - k, "/facets") != 0)
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)(n - k), facets->path);
		search = route_match(route_table, route_table_len, path, id, sizeof(id));
		assert_non_null(search);
		assert_non_null(search->rules);
		assert_non_null(facets->rules);
		assert_ptr_equal(facets->rules->rule, search->rules->rule);
		assert_int_equal(facets->rules->n + 2, search->rules->n);
		assert_string_equal(search->rules->rule[search->rules->n - 2].name, "limit");
		assert_string_equal(search->rules->rule[search->rules->n - 1].name, "offset");
		checked++;
	}
	assert_int_equal(checked, 2); /* meetings and services */
}

/* An id too long for the buffer is cut short, and the route's pattern
 * then refuses it; the cut never writes past the buffer. */
static void test_route_long_id(void **state)
{
	char sevens[101], path[200], id[REQUEST_ID_MAX], small[4];
	const struct route *r;

	(void)state;
	memset(sevens, '7', sizeof(sevens) - 1);
	sevens[sizeof(sevens) - 1] = '\0';
	snprintf(path, sizeof(path), "/api/v1/meetings/%s.ics", sevens);
	r = route_match(route_table, route_table_len, path, id, sizeof(id));
	assert_non_null(r);
	assert_non_null(r->suffix);
	assert_int_equal(strlen(id), sizeof(id) - 1);
	assert_false(patterns_match(r->id_pattern, id, strlen(id)));
	r = route_match(route_table, route_table_len, "/api/v1/meetings/12345", small,
			sizeof(small));
	assert_non_null(r);
	assert_string_equal(small, "123");
}

static int setup(void **state)
{
	(void)state;
	return patterns_init();
}

static int teardown(void **state)
{
	(void)state;
	patterns_free();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_match),
		cmocka_unit_test(test_route_match_any_order),
		cmocka_unit_test(test_route_every_row),
		cmocka_unit_test(test_route_facets_rules),
		cmocka_unit_test(test_route_long_id),
	};

	return cmocka_run_group_tests_name("route", tests, setup, teardown);
}
